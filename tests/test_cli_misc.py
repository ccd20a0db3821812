"""init, graph, schema, validate and usage errors."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, STAMPS, Cli

from fabric.load.schema import render_schemas


def test_schemas_are_up_to_date() -> None:
    for name, text in render_schemas().items():
        assert (ROOT / "schemas" / name).read_text() == text, f"run: fabric schema --out schemas ({name})"


def test_schema_check_detects_stale_file(cli: Cli, tmp_path: Path) -> None:
    assert cli("schema", "--out", tmp_path).code == 0
    assert cli("schema", "--out", tmp_path, "--check").code == 0
    (tmp_path / "fabric.schema.json").write_text("{}")
    result = cli("schema", "--out", tmp_path, "--check")
    assert result.code == 1
    assert "out of date" in result.err


def test_init_reproduces_the_shipped_stamps(cli: Cli) -> None:
    for template in ("reference", "lab", "wap"):
        # inside the checkout, so the $schema line finds the same schemas/ directory
        target = ROOT / "build" / "stamps-copy" / template
        assert cli("init", target, "--template", template, "--force").code == 0
        shipped = sorted(p.name for p in (STAMPS / template).glob("*.yaml"))
        assert sorted(p.name for p in target.glob("*.yaml")) == shipped
        for name in shipped:
            expected = (STAMPS / template / name).read_text().replace("../../schemas", "../../../schemas")
            assert (target / name).read_text() == expected, name


def test_init_with_vars_and_validate(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "mystamp"
    result = cli("init", target, "--template", "reference", "--var", "locations=Oslo,Bergen")
    assert result.code == 0, result.err
    assert (target / "schemas" / "resources.schema.json").exists()
    valid = cli("validate", target)
    assert valid.code == 0, valid.err
    assert "27 resources" in valid.out
    plan = json.loads(cli("plan", target, "--format", "json").out)
    addresses = {c["address"] for c in plan["changes"]}
    assert {"cloud.iaas-oslo", "cloud.iaas-bergen", "host_group.Bergen/Fabric Management"} <= addresses
    assert plan["stamp"] == "mystamp"


def test_init_refuses_bad_input(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", tmp_path / "a", "--template", "nope").code == 1
    bad = cli("init", tmp_path / "b", "--var", "colour=blue")
    assert bad.code == 1 and "has no such variable" in bad.err
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x").write_text("")
    assert "not empty" in cli("init", tmp_path / "c").err


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
    assert "valid (35 resources)" in result.out


def test_not_a_stamp(cli: Cli, tmp_path: Path) -> None:
    result = cli("plan", tmp_path)
    assert result.code == 1
    assert "fabric.yaml not found" in result.err


def test_lab_set_unknown_attribute_and_address(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    bad = cli("lab", "set", lab, "cloud.iaas", "capacity.nope=1")
    assert bad.code == 1 and "has no attribute capacity.nope" in bad.err
    missing = cli("lab", "set", lab, "cloud.nope", "name=x")
    assert missing.code == 1 and "not in state" in missing.err
