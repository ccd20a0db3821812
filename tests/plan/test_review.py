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
    assert doc["summary"] == {"added": 0, "changed": 4, "removed": 1, "replaced": 0}
    assert changes["port_classification.live-migration"]["change"] == "removed"
    assert changes["logical_switch.fabric"]["changed_paths"] == ['virtual_ports["port_classification.live-migration"]']
    site = changes["network_site.management-oslo"]
    assert site["changed_paths"] == ['subnets["10.100.0.0/24"].vlan']
    assert set(site["affected"]) == {
        "ip_pool.management-oslo",
        "uplink_port_profile.uplink-oslo",
        "logical_switch.fabric",
        # the Oslo clouds on the management network: IaaS, DR and the management stamp's
        "cloud.iaas-oslo",
        "cloud.dr-oslo",
        "cloud.management",
        # the management stamp's keep_ip VMs, placed where the switch's uplinks carry their VLAN,
        # and the recovery plan holding them
        *(f"protected_vm.{vm}" for vm in ("sqlwap01", "spf01", "sma01", "wapadm01", "wapten01")),
        "recovery_plan.management-stamp",
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


_STORAGE = """\
logical_network:
  storage: {name: Storage}
network_site:
  storage-oslo:
    name: Storage Oslo
    logical_network: logical_network.management
    host_groups: [host_group.Oslo]
    subnets:
      - {subnet: 10.50.0.0/24, vlan: 50}
      - {subnet: 10.50.1.0/24, vlan: 51}
ip_pool:
  storage-a:
    name: Storage A
    network_site: network_site.storage-oslo
    subnet: 10.50.0.0/24
    range_start: 10.50.0.10
    range_end: 10.50.0.99
  storage-b:
    name: Storage B
    network_site: network_site.storage-oslo
    subnet: 10.50.1.0/24
    range_start: 10.50.1.10
    range_end: 10.50.1.99
"""


def _commit(repo: Path, message: str) -> None:
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", message)


def _storage_repo(tmp_path: Path) -> Path:
    """Base: the reference stamp and a storage site with two subnets, a pool on each. Head: the site
    moves to another logical network and drops a subnet (its pool goes), the Oslo uplink carries the
    site, and the switch changes an attribute VMM cannot change in place."""
    repo = tmp_path / "repo"
    stamp = repo / "stamps" / "reference"
    shutil.copytree(STAMPS / "reference", stamp)
    (stamp / "storage.yaml").write_text(_STORAGE)
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "base")
    head = _STORAGE.replace("logical_network: logical_network.management", "logical_network: logical_network.storage")
    head = head.replace("      - {subnet: 10.50.1.0/24, vlan: 51}\n", "")
    (stamp / "storage.yaml").write_text(head[: head.index("  storage-b:")])
    sw = stamp / "switching.yaml"
    text = sw.read_text().replace("minimum_bandwidth_mode: weight", "minimum_bandwidth_mode: absolute")
    sites = "      - network_site.dr-test  # the drills' isolated VLAN, at the DR hosts\n"
    assert sites in text
    sw.write_text(text.replace(sites, sites + '      - "network_site.storage-oslo"\n'))
    _commit(repo, "head")
    return stamp


def test_diff_flags_replaces_and_what_sits_on_a_lost_subnet(cli: Cli, tmp_path: Path) -> None:
    stamp = _storage_repo(tmp_path)
    result = cli("diff", stamp, "--base", "HEAD~1", "--head", "HEAD", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["format_version"] == "2"
    changes = {c["address"]: c for c in doc["changes"]}
    switch = changes["logical_switch.fabric"]
    assert switch["replaced"] == "minimum_bandwidth_mode cannot change in place"
    assert switch["diff"] == [
        {"path": "minimum_bandwidth_mode", "op": "change", "before": "weight", "after": "absolute"}
    ]
    site = changes["network_site.storage-oslo"]
    assert site["replaced"] == "logical_network cannot change in place"
    assert site["in_use"] == [{"path": 'subnets["10.50.1.0/24"]', "used_by": ["ip_pool.storage-b"]}]
    lost = {"subnet": "10.50.1.0/24", "vlan": 51, "secondary_vlan": None}
    assert {"path": 'subnets["10.50.1.0/24"]', "op": "remove", "value": lost} in site["diff"]
    # the pool left on the site goes with it (it cannot point at another site in place); the uplink
    # leaves the old site and joins the new one: an update; the switch is replaced for its own change
    assert site["replaced_affected"] == [
        {
            "address": "ip_pool.storage-a",
            "reason": "replaced because network_site.storage-oslo is replaced and ip_pool.network_site cannot change",
        },
        {"address": "logical_switch.fabric", "reason": "minimum_bandwidth_mode cannot change in place"},
    ]
    assert "uplink_port_profile.uplink-oslo" in site["affected"]
    uplink = changes["uplink_port_profile.uplink-oslo"]
    assert uplink["replaced"] is None
    assert uplink["diff"] == [{"path": "network_sites", "op": "add", "value": "network_site.storage-oslo"}]
    assert changes["ip_pool.storage-b"]["change"] == "removed"
    assert doc["summary"] == {"added": 0, "changed": 3, "removed": 1, "replaced": 3}

    text = cli("diff", stamp, "--base", "HEAD~1", "--head", "HEAD").out
    lines = text.splitlines()
    why = "# apply replaces it: minimum_bandwidth_mode cannot change in place"
    assert f"-/+ logical_switch.fabric  (minimum_bandwidth_mode)  {why}" in lines
    assert '      ~ minimum_bandwidth_mode: "weight" → "absolute"' in lines
    assert "  ~ uplink_port_profile.uplink-oslo  (network_sites +1)" in lines
    assert "      ~ network_sites: + network_site.storage-oslo" in lines
    assert '      - subnets["10.50.1.0/24"]  # in use by 1: ip_pool.storage-b' in lines
    assert any(line.startswith("      affects ") and "ip_pool.storage-a (replaced)" in line for line in lines)
    assert lines[-1] == (
        "Apply would replace 3 (deleted, then created with new IDs): "
        "ip_pool.storage-a, logical_switch.fabric, network_site.storage-oslo"
    )

    markdown = cli("diff", stamp, "--base", "HEAD~1", "--format", "markdown").out
    assert "| replaced | 3 |" in markdown
    why = "**replaced on apply**: minimum_bandwidth_mode cannot change in place"
    assert f"| -/+ | `logical_switch.fabric` | {why}<br>" in markdown
    assert '`subnets["10.50.1.0/24"]` removed (in use by `ip_pool.storage-b`)' in markdown
    assert "`network_sites`: + `network_site.storage-oslo`" in markdown


def _stamp(root: Path, isolation: str) -> Path:
    root.mkdir(parents=True)
    (root / "fabric.yaml").write_text("stamp: s\n")
    (root / "r.yaml").write_text(
        "host_group:\n  A: {}\n"
        f"logical_network:\n  net: {{name: Net, isolation: {isolation}}}\n"
        "network_site:\n  a:\n    name: A\n    logical_network: logical_network.net\n    host_groups: [host_group.A]\n"
        "    subnets: [{subnet: 10.0.0.0/24, vlan: 10}]\n    lifecycle: {prevent_destroy: true}\n"
        "ip_pool:\n  a: {network_site: network_site.a, subnet: 10.0.0.0/24,\n"
        "      range_start: 10.0.0.10, range_end: 10.0.0.20}\n"
        "uplink_port_profile:\n  u: {name: U, network_sites: [network_site.a]}\n"
    )
    return root


def test_a_replace_cascades_as_the_planner_decides_and_names_the_guard(tmp_path: Path) -> None:
    from fabric.plan.review import compare
    from fabric.project import open_stamp
    from fabric.render.review import review_text

    base = open_stamp(_stamp(tmp_path / "base", "connected"))
    head = open_stamp(_stamp(tmp_path / "head", "vlan"))
    (change,) = compare(base, head)
    assert change.address == "logical_network.net"
    assert change.replaced == "isolation cannot change in place"
    # the site holds the network in an attribute that cannot change, the pool the site: both go; the
    # uplink only lists the site, and leaves and rejoins it
    assert [a for a, _ in change.replaced_affected] == ["ip_pool.a", "network_site.a"]
    assert "uplink_port_profile.u" in change.affected
    text = review_text([change], "base", "head")
    assert "-/+ logical_network.net  (isolation)  # apply replaces it: isolation cannot change in place" in text
    guard = "lifecycle.prevent_destroy refuses it"
    assert f"ip_pool.a (replaced), network_site.a (replaced; {guard}), uplink_port_profile.u" in text
    # unchanged in code, yet replaced: named in the closing line, with the guard that refuses it
    assert text.endswith("ip_pool.a, logical_network.net, network_site.a")
    from fabric.plan.review import replacements

    why = replacements(base, head)["network_site.a"]
    assert why.startswith("replaced because logical_network.net is replaced") and why.endswith(
        "; lifecycle.prevent_destroy refuses it"
    )


def test_removing_a_guarded_resource_says_apply_refuses(tmp_path: Path) -> None:
    from fabric.plan.review import compare
    from fabric.project import open_stamp
    from fabric.render.review import review_json, review_text

    base = open_stamp(_stamp(tmp_path / "base", "connected"))
    head_dir = tmp_path / "head"
    head_dir.mkdir()
    (head_dir / "fabric.yaml").write_text("stamp: s\n")
    (head_dir / "r.yaml").write_text("host_group:\n  A: {}\nlogical_network:\n  net: {name: Net}\n")
    changes = compare(base, open_stamp(head_dir))
    assert [(c.address, c.change.value, c.refused) for c in changes] == [
        ("ip_pool.a", "removed", ""),
        ("network_site.a", "removed", "lifecycle.prevent_destroy refuses it"),
        ("uplink_port_profile.u", "removed", ""),
    ]
    assert "  - network_site.a  # lifecycle.prevent_destroy refuses it" in review_text(changes, "b", "h")
    assert review_json(changes, "b", "h")["changes"][1]["refused"] == "lifecycle.prevent_destroy refuses it"


def test_diff_leaves_out_links_and_what_would_land_outside(cli: Cli, tmp_path: Path) -> None:
    """A revision's files are written into a scratch directory: a link (to /etc/passwd, or up out of
    the stamp) is left out rather than followed, and the diff still runs."""
    repo = tmp_path / "repo"
    shutil.copytree(STAMPS / "reference", repo / "stamps" / "reference")
    stamp = repo / "stamps" / "reference"
    (stamp / "evil").symlink_to("/etc/passwd")
    (stamp / "up").symlink_to("../../..")
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "base")
    result = cli("diff", stamp, "--base", "HEAD")
    assert result.code == 0, result.err
    assert "No differences" in result.out
