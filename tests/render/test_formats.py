"""Saved formats against stored files and round trips (JSON plan, plan file)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from fabric.inventory import Inventory
from fabric.plan.change import Plan
from fabric.plan.planfile import PlanContext, dump_plan, load_plan
from fabric.plan.planner import make_plan
from fabric.project import open_stamp
from fabric.render.jsonplan import plan_to_json
from fabric.snapshot import StateSnapshot

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "lab_plan.json"


def _lab_plan() -> Plan:
    fabric = open_stamp(ROOT / "stamps" / "lab")
    return make_plan("lab", fabric.resources, Inventory(), StateSnapshot(), lambda k: frozenset())


def test_json_plan_matches_the_stored_file() -> None:
    text = json.dumps(plan_to_json(_lab_plan()), indent=2, sort_keys=True) + "\n"
    if os.environ.get("FABRIC_REGENERATE"):
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text(), "JSON plan changed: bump format_version; regenerate: FABRIC_REGENERATE=1"


def test_plan_file_round_trip() -> None:
    plan = _lab_plan()
    context = PlanContext("/s", "/s/.fabric", {"type": "lab"}, "f" * 64, "2026-11-25T00:00:00+00:00", "0.1.0")
    doc = json.loads(json.dumps(dump_plan(plan, context)))
    again, ctx = load_plan(doc)
    assert again == plan
    assert ctx == context
    assert dump_plan(again, ctx) == doc
