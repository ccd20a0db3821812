"""Data-driven planner cases: given desired, observed and state, expect these changes.

The plan is made as the engine makes it: `moved:` and `removed:` from the case's fabric.yaml,
built-in objects as VMM ships them (`fabric.model.builtins`), immutable attributes as the lab
provider has them; see cases/README.md for the files of a case.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from plan_cases import options_of, plan_case, read_json

from fabric import secrets
from fabric.errors import FabricError
from fabric.inventory import Inventory
from fabric.plan.change import Plan
from fabric.plan.planner import make_plan
from fabric.project import open_stamp
from fabric.snapshot import StateSnapshot

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())


@pytest.fixture
def fresh_secrets() -> Iterator[None]:
    """A case's secrets are its own: none known before it loads its stamp, none left after."""
    secrets.reset()
    yield
    secrets.reset()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.usefixtures("fresh_secrets")
def test_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = options_of(case)
    for name, value in options.get("env", {}).items():  # what `${env:NAME}` in the stamp resolves to
        monkeypatch.setenv(name, value)
    expected = read_json(case / "expected.json")

    def plan_it() -> Plan:
        return plan_case(case, options)

    if "refused" in expected:  # the whole plan must be refused, naming every problem
        with pytest.raises(FabricError) as refused:
            plan_it()
        for text in expected["refused"]:
            assert text in str(refused.value)
        return
    changes = plan_it().by_address()
    for address, change in changes.items():
        if address not in expected:
            assert change.shown.value == "no-op", address
    for address, fields in expected.items():
        change = changes[address]
        for field, value in fields.items():
            if field.startswith("before."):
                assert change.before is not None
                assert change.before[field.removeprefix("before.")] == value, (address, field)
            elif field.startswith("after."):
                assert change.after is not None
                assert change.after[field.removeprefix("after.")] == value, (address, field)
            elif field == "action":  # as plans show it (a take-over shows as adopt)
                assert change.shown.value == value, address
            elif field == "changed_paths":
                assert list(change.changed_paths) == value, address
            else:
                got = getattr(change, field)
                assert (list(got) if isinstance(got, tuple) else got) == value, (address, field)


def test_planning_is_deterministic() -> None:
    from fabric.render.jsonplan import plan_to_json

    stamp = Path(__file__).resolve().parents[2] / "stamps" / "reference"
    fabric = open_stamp(stamp)
    first = make_plan("r", fabric.resources, Inventory(), StateSnapshot(), lambda k: frozenset())
    second = make_plan("r", open_stamp(stamp).resources, Inventory(), StateSnapshot(), lambda k: frozenset())
    assert json.dumps(plan_to_json(first)) == json.dumps(plan_to_json(second))
