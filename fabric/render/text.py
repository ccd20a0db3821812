"""Terraform-style text: plans with attribute-level diffs, state listings, apply summaries."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.plan.diff import format_path, parse_path
from fabric.snapshot import StateSnapshot

_MISSING = object()
_HEADINGS = {
    Action.CREATE: "will be created",
    Action.UPDATE: "will be updated in place",
    Action.REPLACE: "must be replaced",
    Action.DELETE: "will be deleted",
    Action.NOOP: "will be adopted into state (already matches)",
}


# C1 controls (\x9b drives a terminal), bidirectional overrides and line separators: shown
# escaped so a description cannot rewrite what a reviewer sees
_UNPRINTABLE = re.compile("[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def value(v: Any) -> str:
    """A value as shown in diffs: JSON, so strings are quoted and null is visible."""
    if v is _MISSING:
        return "(absent)"
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(v, ensure_ascii=False))


def leaves(data: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Flatten nested attributes to (path, value); lists of scalars stay whole."""
    if isinstance(data, Mapping) and data:
        for k, v in data.items():
            yield from leaves(v, (*prefix, k))
    elif isinstance(data, list) and any(isinstance(i, (dict, list)) for i in data):
        for i, v in enumerate(data):
            yield from leaves(v, (*prefix, i))
    else:
        yield format_path(list(prefix)), data


def lookup(data: Any, path: str) -> Any:
    """Value at a path like `subnets[0].vlan` or `custom_properties["custom_property.x"]` (or _MISSING)."""
    node = data
    for part in parse_path(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return node


def change_lines(change: Change) -> list[str]:
    """The lines for one change: heading, then attributes or changed paths."""
    sym = change.action.symbol
    why = f"  # {change.reason}" if change.reason else ""
    adopt = "  # adopting the existing live object" if change.adopt and change.action is not Action.CREATE else ""
    heading = _HEADINGS[change.action]
    if change.moved_from:
        heading = f"has moved from {change.moved_from}" + ("" if change.action is Action.NOOP else f" and {heading}")
    lines = [f"  {sym} {change.address} {heading}{why}{adopt}"]
    if change.action is Action.CREATE:
        lines += [f"      + {p} = {value(v)}" for p, v in leaves(change.after or {})]
    elif change.action is Action.DELETE:
        lines += [f"      - name = {value(change.name)}"]
    else:
        for path in change.changed_paths:
            old, new = lookup(change.before, path), lookup(change.after, path)
            lines.append(f"      ~ {path}: {value(old)} → {value(new)}")
    return lines


def plan_text(plan: Plan) -> str:
    """The whole plan for a terminal."""
    plan = plan.redacted()
    shown = [c for c in plan.changes if c.records_state]
    if not shown:
        return f"No changes. The live fabric matches stamp {plan.stamp!r} ({plan.summary()['no_op']} resources)."
    body = [f"fabric will perform these actions on stamp {plan.stamp!r}:", ""]
    body += [f"Note: {note}. A partial plan: run a full plan afterwards." for note in plan.notes]
    for change in shown:
        body += [*change_lines(change), ""]
    s = plan.summary()
    moved = sum(1 for c in plan.changes if c.moved_from)
    if moved:
        body.append(f"{moved} resource(s) move to a new address (state only, nothing is recreated).")
    body.append(
        f"Plan: {s['create']} to create, {s['update']} to update, {s['replace']} to replace, "
        f"{s['delete']} to delete, {s['no_op']} unchanged."
    )
    return "\n".join(body)


def plan_compact(plan: Plan) -> str:
    """One line per changed resource: symbol, address, what changed."""
    plan = plan.redacted()
    lines = []
    for c in plan.changes:
        if not c.records_state:
            continue
        what = ", ".join(c.changed_paths) if c.action in (Action.UPDATE, Action.REPLACE) else ""
        extra = "; ".join(x for x in (what, c.reason, f"moved from {c.moved_from}" if c.moved_from else "") if x)
        lines.append(f"{c.action.symbol:>3} {c.address}" + (f"  ({extra})" if extra else ""))
    s = plan.summary()
    lines.append(
        f"{s['create']} to create, {s['update']} to update, {s['replace']} to replace, "
        f"{s['delete']} to delete, {s['no_op']} unchanged."
    )
    return "\n".join(lines)


def state_text(snapshot: StateSnapshot) -> str:
    """What state records, one resource per block."""
    if not snapshot.entries:
        return "State is empty."
    out = [f"State serial {snapshot.serial}, {len(snapshot.entries)} resources:", ""]
    for address in sorted(snapshot.entries):
        entry = snapshot.entries[address]
        out.append(f"{address}  (live id {entry.live_id})")
        out += [f"    {p} = {value(v)}" for p, v in leaves(dict(entry.attributes))]
    return "\n".join(out)
