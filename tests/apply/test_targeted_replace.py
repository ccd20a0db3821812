"""A targeted apply that replaces something either completes or is refused before it starts:
what must let go of the replaced object comes along with what it needs (found by a tester: the
targeted plan dropped an unchanged host group a cloud's update needed the ID of, and deleted a
site and a pool before failing)."""

from __future__ import annotations

from pathlib import Path

from conftest import Cli


def test_a_targeted_replace_brings_what_it_needs_and_converges(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    result = cli(
        "apply", lab, "-replace", "logical_network.management", "--target", "ip_pool.management", "--auto-approve"
    )
    assert result.code == 0, result.out + result.err
    assert cli("plan", lab, "--detailed-exitcode").code == 0


def test_excluding_what_must_let_go_of_a_replaced_object_is_refused_before_anything(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    before = cli("lab", "show", lab, "--format", "json").out
    result = cli("apply", lab, "-replace", "logical_network.management", "--exclude", "cloud.iaas", "--auto-approve")
    assert result.code == 1
    assert "--exclude leaves cloud.iaas using logical_network.management" in result.err
    assert cli("lab", "show", lab, "--format", "json").out == before  # nothing deleted
