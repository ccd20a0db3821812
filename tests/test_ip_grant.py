"""ip_grant: a static IP from a pool for a VM's network adapter (Grant-SCIPAddress)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli

GRANTS = """
ip_grant:
  web01-nic0:
    ip_pool: ip_pool.management
    vm: web01
  db01-nic0:
    ip_pool: ip_pool.management
    vm: db01
    address: "{{ var.subnet_prefix }}.50"
"""


def _grants(cli: Cli, stamp: Path) -> dict[str, str]:
    live = json.loads(cli("lab", "show", stamp, "--format", "json").out)["objects"]
    return {o["attributes"]["vm"]: o["attributes"]["address"] for o in live if o["kind"] == "ip_grant"}


def test_grants_allocate_and_converge(cli: Cli, lab: Path) -> None:
    (lab / "grants.yaml").write_text(GRANTS)
    assert cli("apply", lab, "--auto-approve").code == 0
    assert _grants(cli, lab) == {"web01": "192.168.50.10", "db01": "192.168.50.50"}
    assert cli("plan", lab, "--detailed-exitcode").code == 0  # the chosen address is not a diff
    assert cli("drift", lab, "--detailed-exitcode").code == 0
    state = json.loads(cli("show", lab, "--format", "json").out)
    web = next(r for r in state["resources"] if r["address"] == "ip_grant.web01-nic0")
    assert web["attributes"]["address"] == "192.168.50.10"


def test_a_pool_with_grants_is_removed_after_its_grants(cli: Cli, lab: Path) -> None:
    (lab / "grants.yaml").write_text(GRANTS)
    assert cli("apply", lab, "--auto-approve").code == 0
    (lab / "grants.yaml").unlink()
    doc = lab / "lab.yaml"
    text = doc.read_text()
    start = text.index("ip_pool:")
    doc.write_text(text[:start] + text[text.index("port_classification:") :])
    result = cli("apply", lab, "--auto-approve", "--parallelism", "1")
    assert result.code == 0, result.out
    order = [line.split(":")[0] for line in result.out.splitlines() if ": delete ok" in line]
    assert order.index("ip_pool.management") > max(
        order.index("ip_grant.web01-nic0"), order.index("ip_grant.db01-nic0")
    )


def test_grant_rules(cli: Cli, lab: Path) -> None:
    (lab / "grants.yaml").write_text(
        GRANTS
        + """  again:
    ip_pool: ip_pool.management
    vm: WEB01
    address: 192.168.50.200
"""
    )
    result = cli("validate", lab)
    assert result.code == 1
    assert "address 192.168.50.200 is outside ip_pool.management's range" in result.err
    assert "WEB01 adapter 0 already has ip_grant.web01-nic0" in result.err
