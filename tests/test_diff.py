"""fabric diff on a temporary Git repository with two commits: changes and blast radius."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import STAMPS, Cli


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(STAMPS / "reference", repo / "stamps" / "reference")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "base")
    stamp = repo / "stamps" / "reference"
    net = stamp / "networking.yaml"
    net.write_text(
        net.read_text().replace(
            'vlan: "{{ var.management_vlan_base + each.index }}"',
            'vlan: "{{ var.management_vlan_base + each.index + 1 }}"',
        )
    )
    sw = stamp / "switching.yaml"
    sw.write_text(sw.read_text().replace("  live-migration:\n    name: Live migration workload\n\n", "\n", 1))
    sw.write_text(
        sw.read_text().replace(
            "      - port_classification: port_classification.live-migration\n"
            "        profile: virtual_port_profile.live-migration\n",
            "",
        )
    )
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-am", "head")
    return stamp


def test_diff_between_two_commits(cli: Cli, tmp_path: Path) -> None:
    stamp = _repo(tmp_path)
    result = cli("diff", stamp, "--base", "HEAD~1", "--head", "HEAD", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    changes = {c["address"]: c for c in doc["changes"]}
    assert doc["summary"] == {"added": 0, "changed": 4, "removed": 1}
    assert changes["port_classification.live-migration"]["change"] == "removed"
    assert changes["logical_switch.fabric"]["changed_paths"] == ['virtual_ports["port_classification.live-migration"]']
    site = changes["network_site.management-oslo"]
    assert site["changed_paths"] == ['subnets["10.100.0.0/24"].vlan']
    assert set(site["affected"]) == {
        "ip_pool.management-oslo",
        "uplink_port_profile.uplink-oslo",
        "logical_switch.fabric",
        "cloud.iaas-oslo",
    }
    assert "cloud.iaas-stockholm" not in site["affected"]
    text = cli("diff", stamp, "--base", "HEAD~1", "--head", "HEAD").out
    assert '  ~ network_site.management-oslo  (subnets["10.100.0.0/24"].vlan)' in text
    assert "0 added, 4 changed, 1 removed." in text
    markdown = cli("diff", stamp, "--base", "HEAD~1", "--format", "markdown").out
    assert "| - | `port_classification.live-migration` |" in markdown


def test_diff_working_tree_and_bad_ref(cli: Cli, tmp_path: Path) -> None:
    stamp = _repo(tmp_path)
    assert "No differences" in cli("diff", stamp, "--base", "HEAD").out
    bad = cli("diff", stamp, "--base", "no-such-ref")
    assert bad.code == 1 and bad.err.startswith("error: --base no-such-ref: no such Git revision")
    close = cli("diff", stamp, "--base", "maim")
    assert close.code == 1 and "did you mean main?" in close.err
    gone = cli("diff", stamp, "--base", "HEAD", "--head", "nope")
    assert gone.code == 1 and "--head nope: no such Git revision" in gone.err
