"""Markdown for pull requests (attribute details, then names only, then a cut at its limit) and compact text."""

from __future__ import annotations

from pathlib import Path

from conftest import Cli

from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.render.markdown import LIMIT, plan_markdown


def _apply(cli: Cli, stamp: Path) -> None:
    assert cli("apply", stamp, "--auto-approve").code == 0


def test_compact_and_markdown_formats(cli: Cli, lab: Path) -> None:
    _apply(cli, lab)
    assert cli("lab", "set", lab, "cloud.iaas", "capacity.vm_count=3").code == 0
    compact = cli("plan", lab, "--compact").out.splitlines()
    assert compact[0] == "  ~ cloud.iaas  (capacity.vm_count; reverts changes made outside fabric)"
    markdown = cli("plan", lab, "--format", "markdown").out
    assert "| update | 1 |" in markdown
    assert "<details><summary>cloud (1 changed)</summary>" in markdown
    assert "`capacity.vm_count`: `3` → `20`" in markdown


def _big_plan(n: int) -> Plan:
    changes = []
    for i in range(n):
        before = {"name": f"c{i}", "description": "x" * 40}
        after = {"name": f"c{i}", "description": "y" * 40}
        changes.append(Change(f"cloud.c{i:05}", "cloud", f"c{i}", Action.UPDATE, before, after, ("description",)))
    changes.append(Change("logical_network.old", "logical_network", "Old", Action.DELETE, {"name": "Old"}, None))
    return Plan("big", tuple(changes))


def test_markdown_falls_back_to_names_and_then_cuts() -> None:
    small = plan_markdown(_big_plan(10))
    assert "`description`" in small and "left out" not in small
    medium = plan_markdown(_big_plan(800))
    assert len(medium) <= LIMIT
    assert "Attribute-level details left out" in medium
    assert "- ~ `cloud.c00799`" in medium
    assert "**Will be deleted (1):** `logical_network.old`" in medium
    huge = plan_markdown(_big_plan(5000))
    assert len(huge) <= LIMIT
    assert "list cut at 65,000 characters (5,001 changed resources in all)" in huge
