"""`fabric init`: the shipped templates reproduced, variables given on the command line, bad input refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import ROOT, STAMPS, Cli


def _files(stamp: Path) -> list[str]:
    """Every file of a stamp directory (relative paths), as shipped: not its .fabric work directory."""
    return sorted(p.relative_to(stamp).as_posix() for p in stamp.rglob("*") if p.is_file() and ".fabric" not in p.parts)


def test_init_reproduces_the_shipped_stamps(cli: Cli) -> None:
    for template in ("reference", "lab", "wap"):
        # inside the checkout, so the $schema line finds the same schemas/ directory
        target = ROOT / "build" / "stamps-copy" / template
        shutil.rmtree(target, ignore_errors=True)  # no file left from an earlier run
        assert cli("init", target, "--template", template, "--force").code == 0
        # every file: the YAML, and what it names beside it (the reference stamp's lab seed and scripts)
        shipped = _files(STAMPS / template)
        assert _files(target) == shipped, template
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
    assert "64 resources" in valid.out  # two locations: 27 VMM objects before the DR design, 64 with it
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
