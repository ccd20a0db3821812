"""`fabric lab set` refuses unknown attributes and addresses, and values VMM would refuse, cleanly."""

from __future__ import annotations

from pathlib import Path

from conftest import Cli


def _apply(cli: Cli, stamp: Path) -> None:
    result = cli("apply", stamp, "--auto-approve")
    assert result.code == 0, result.out + result.err


def test_bad_values_in_lab_set_are_refused_cleanly(cli: Cli, lab: Path) -> None:
    _apply(cli, lab)
    for assignment in ("range_start=garbage", "gateways=[notanip]", "name=null"):
        result = cli("lab", "set", lab, "ip_pool.management", assignment)
        assert result.code == 1
        assert result.err.startswith("error: VMM refused"), result.err
    immutable = cli("lab", "set", lab, "ip_pool.management", "subnet=10.9.9.0/24")
    assert "subnet cannot be changed once created" in immutable.err


def test_lab_set_unknown_attribute_and_address(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    bad = cli("lab", "set", lab, "cloud.iaas", "capacity.nope=1")
    assert bad.code == 1 and "has no attribute capacity.nope" in bad.err
    missing = cli("lab", "set", lab, "cloud.nope", "name=x")
    assert missing.code == 1 and "not in state" in missing.err
