"""`fabric graph` as Mermaid and DOT, and `fabric validate` on a valid stamp."""

from __future__ import annotations

from conftest import STAMPS, Cli, resource_count


def test_graph_mermaid_and_dot(cli: Cli) -> None:
    mermaid = cli("graph", STAMPS / "lab", "--format", "mermaid")
    assert mermaid.code == 0
    lines = mermaid.out.splitlines()
    assert lines[0] == "flowchart LR"
    ids = {line.split("[")[0].strip(): line.split('"')[1] for line in lines if "[" in line}
    edges = {(ids[a], ids[b]) for a, _, b in (line.split() for line in lines if "-->" in line)}
    assert ("host_group.Lab", "host_group.Lab/IaaS") in edges
    assert ("host_group.Lab/IaaS", "cloud.iaas") in edges
    assert ("network_site.management", "ip_pool.management") in edges
    dot = cli("graph", STAMPS / "lab", "--format", "dot")
    assert '"uplink_port_profile.uplink" -> "logical_switch.lab";' in dot.out


def test_validate_ok(cli: Cli) -> None:
    result = cli("validate", STAMPS / "reference")
    assert result.code == 0
    assert f"valid ({resource_count(STAMPS / 'reference')} resources)" in result.out
