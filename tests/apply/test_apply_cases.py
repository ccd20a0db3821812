"""Data-driven apply cases: a plan → the operations apply runs and the order it must keep (or a refusal).

Each folder under tests/apply/cases/ holds a plan's inputs as a planner case does (tests/plan/cases):
`desired/` (a stamp), `observed.json`, `state.json` and an optional `options.json` (`destroy`,
`replace`, `env`). The plan is made as the engine makes it (`make_plan` with the stamp's `moved:`
and `removed:`, then the order check `ensure_orderable`), and its operations are those of
`fabric.apply.operations.operations_of(plan)`. An operation is written `ADDRESS OP`, OP one of
create, update, delete, detach (the first step of a two-step update), record, forget.

`expected.json` is one of:

- `{"operations": [OP…], "before": ["A before B", …]}`: `operations` is the exact set of
  operations apply runs (any order); each `A before B` must be forced by the operation graph: a
  path of edges leads from A to B, so every valid order (the executor's, with any number of
  workers, and `ordered()`'s, which scripts use) runs A first — and `ordered()` is checked to do so.
  Constraints rather than one full order: many orders are valid, the executor may pick any of
  them, and a constraint names the reason for an edge without pinning how ties are broken.
- `{"refused": [TEXT…]}`: the plan cannot be ordered; the refusal contains each text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from plan_cases import options_of, plan_case, read_json

from fabric import digraph, secrets
from fabric.apply.operations import Operation, ensure_orderable, operations_of
from fabric.errors import FabricError

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())


def _name(op: Operation) -> str:
    return f"{op.change.address} {op.kind.value}"


@pytest.fixture
def fresh_secrets() -> Iterator[None]:
    """A case's secrets are its own."""
    secrets.reset()
    yield
    secrets.reset()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.usefixtures("fresh_secrets")
def test_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = options_of(case)
    for name, value in options.get("env", {}).items():
        monkeypatch.setenv(name, value)
    expected = read_json(case / "expected.json")
    plan = plan_case(case, options)
    if "refused" in expected:
        with pytest.raises(FabricError) as refused:
            ensure_orderable(plan)
        for text in expected["refused"]:
            assert text in str(refused.value)
        return
    ensure_orderable(plan)
    ops = operations_of(plan)
    ordered = [_name(op) for op in ops.ordered()]
    assert sorted(ordered) == sorted(expected["operations"])
    key = {_name(ops.graph.nodes[k]["op"]): k for k in ops.graph}
    for constraint in expected["before"]:
        first, _, then = constraint.partition(" before ")
        assert then, f"not 'A before B': {constraint!r}"
        assert key[then] in digraph.descendants(ops.graph, key[first]), f"not forced: {constraint}"
        assert ordered.index(first) < ordered.index(then), constraint


def test_every_case_says_what_it_expects() -> None:
    for case in CASES:
        expected = read_json(case / "expected.json")
        assert set(expected) in ({"refused"}, {"operations", "before"}), case.name
        assert expected.get("refused") or expected.get("before"), f"{case.name}: checks nothing"
