"""Reading a data-driven plan case (tests/plan/cases, tests/apply/cases): the folder's stamp,
observed live objects, state and options, and the plan made from them as the engine makes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fabric.inventory import Inventory, ObservedObject
from fabric.model.builtins import is_built_in
from fabric.plan.change import Plan
from fabric.plan.planner import make_plan
from fabric.project import open_stamp
from fabric.providers.lab.rules import IMMUTABLE
from fabric.snapshot import StateEntry, StateSnapshot


def read_json(path: Path) -> Any:
    """A case file's JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def options_of(case: Path) -> dict[str, Any]:
    """`options.json` (`destroy`, `replace`, `env`), or none."""
    return read_json(case / "options.json") if (case / "options.json").exists() else {}


def plan_case(case: Path, options: dict[str, Any]) -> Plan:
    """The case's plan: `make_plan` with the stamp's `moved:` and `removed:`, VMM's built-ins, and
    observed descriptions read for ownership tags as the engine reads them."""
    fabric = open_stamp(case / "desired")
    observed = read_json(case / "observed.json")
    inventory = Inventory.of(ObservedObject(o["id"], o["kind"], o["name"], o["attributes"]) for o in observed).owned()
    entries = {
        a: StateEntry(a, e["kind"], e["live_id"], e.get("attributes", {}), protected=e.get("protected", False))
        for a, e in read_json(case / "state.json").items()
    }
    return make_plan(
        "case",
        fabric.resources,
        inventory,
        StateSnapshot(1, "l", entries),
        lambda k: IMMUTABLE.get(k, frozenset()),
        destroy=bool(options.get("destroy", False)),
        moves={m.from_: m.to for m in fabric.config.moved},
        built_in=is_built_in,
        replace_addresses=frozenset(options.get("replace", [])),
        removed=frozenset(r.from_ for r in fabric.config.removed),
    )
