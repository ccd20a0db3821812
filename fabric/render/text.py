"""Terraform-style text: plans with attribute-level diffs, state listings, apply summaries."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from fabric.model.resources import KINDS, default_attributes
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.plan.diff import MISSING, Entry, diff_at, diff_entries, format_path, parse_path
from fabric.plan.diff import lookup as lookup  # re-exported: renderers show values by path
from fabric.snapshot import StateSnapshot

_MISSING = MISSING
_HEADINGS = {
    Action.CREATE: "will be created",
    Action.ADOPT: "will be adopted: fabric takes over this existing object",
    Action.UPDATE: "will be updated in place",
    Action.REPLACE: "must be replaced",
    Action.DELETE: "will be deleted",
    Action.FORGET: "will no longer be managed by fabric (removed from state; the object stays in VMM)",
    Action.NOOP: "will be adopted into state (already matches)",
}
ARROWS = "live → code"  # every arrow in fabric's output reads: what VMM holds now → what apply makes it


# C1 controls (\x9b drives a terminal), bidirectional overrides and line separators: shown
# escaped so a description cannot rewrite what a reviewer sees
_UNPRINTABLE = re.compile("[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def value(v: Any, path: str = "") -> str:
    """A value as shown in diffs: JSON, so strings are quoted and null is visible (`path`, if given,
    names the attribute: a cloud quota of null shows as `unlimited`)."""
    if v is _MISSING:
        return "(absent)"
    if v is None and path.startswith("capacity."):
        return "unlimited"
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(v, ensure_ascii=False))


# a set member shown bare (an address, an IP, a range, a member type); anything else as JSON
_BARE = re.compile(r"[\w.:/@-]+( [\w.:/@-]+)*")


def member(v: Any) -> str:
    """A member of a set list as shown after `+`/`-`: bare where that cannot mislead, else JSON."""
    return v if isinstance(v, str) and _BARE.fullmatch(v) else value(v)


def flow(v: Any, path: str = "", skip: str = "") -> str:
    """A mapping as `{field: value, …}` (leaving out `skip`), anything else as `value`."""
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{k}: {flow(x, f'{path}.{k}')}" for k, x in v.items() if k != skip) + "}"
    return value(v, path)


def key_field(kind: str, path: str) -> str:
    """The identifying field of the keyed item at `path` (shown in the path, so left out of the value)."""
    cls = KINDS.get(kind)
    steps = parse_path(path)
    return cls.KEYED.get(str(steps[0]), "") if cls is not None and len(steps) == 2 else ""


def entry_line(kind: str, e: Entry) -> str:
    """One difference: `~ network_sites: + network_site.b` (a set's member), `~ subnets["web"].vlan:
    10 → 11`, `+ subnets["app"] = {subnet: …}`, `- subnets["old"]`."""
    if e.member:
        return f"~ {e.path}: {'+' if e.op == 'add' else '-'} {member(e.value)}"
    if e.op == "change":
        return f"~ {e.path}: {value(e.before, e.path)} → {value(e.after, e.path)}"
    if e.op == "add":
        return f"+ {e.path} = {flow(e.after, e.path, key_field(kind, e.path))}"
    shown = "" if isinstance(e.before, (Mapping, list)) else f" = {value(e.before, e.path)}"
    return f"- {e.path}{shown}"


def entries_summary(entries: tuple[Entry, ...]) -> str:
    """The differences in a few words: `network_sites +1 -1, +subnets["app"], subnets["web"].vlan`."""
    counts: dict[str, dict[str, int]] = {}
    parts: list[str] = []
    for e in entries:
        if e.member:
            if e.path not in counts:
                counts[e.path] = {"add": 0, "remove": 0}
                parts.append(e.path)
            counts[e.path][e.op] += 1
        else:
            text = {"add": "+", "remove": "-"}.get(e.op, "") + e.path
            parts += [] if text in parts else [text]
    out = []
    for part in parts:
        if part in counts:
            n = counts[part]
            part += "".join(f" {sign}{n[op]}" for sign, op in (("+", "add"), ("-", "remove")) if n[op])
        out.append(part)
    return ", ".join(out)


def entries_of(change: Change) -> tuple[Entry, ...]:
    """What an update, replace or adoption changes, as plans show it (ignored changes left out)."""
    return diff_entries(change.kind, change.before, change.after, change.changed_paths)


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


def change_lines(change: Change) -> list[str]:
    """The lines for one change: heading, then attributes or changed paths."""
    action = change.shown
    sym = action.symbol
    why = f"  # {change.reason}" if change.reason else ""
    own = change.adopt and not change.takes_over and action is not Action.CREATE
    adopt = "  # taking back the object this stamp created (state had not recorded it)" if own else ""
    heading = _HEADINGS[action]
    if change.moved_from:
        heading = f"has moved from {change.moved_from}" + ("" if action is Action.NOOP else f" and {heading}")
    lines = [f"  {sym} {change.address} {heading}{why}{adopt}"]
    if action is Action.CREATE:
        lines += create_lines(change)
    elif action in (Action.DELETE, Action.FORGET):
        lines += [f"      - name = {value(change.name)}"]
    else:
        entries = entries_of(change)
        lines += [f"      {entry_line(change.kind, e)}" for e in entries]
        for path in () if entries else change.changed_paths:  # paths the walk does not find (a hand-made plan)
            old, new = lookup(change.before, path, change.kind), lookup(change.after, path, change.kind)
            lines.append(f"      ~ {path}: {value(old, path)} → {value(new, path)}")
    return lines


def create_lines(change: Change) -> list[str]:
    """A create's attributes: those set in code or differing from the kind's defaults, then how many
    more are left at their defaults."""
    found: list[tuple[str, Any, Any]] = []
    _beside_defaults(change.after or {}, default_attributes(change.kind), "", found)
    shown, hidden = [], 0
    for path, v, default in found:
        # inside a list item, an unset field (null, []) is its default too: an action's other kinds
        if path != "name" and (default == v or ("[" in path and v in (None, []))):
            hidden += 1
        else:
            shown.append(f"      + {path} = {value(v, path)}")
    if hidden:
        shown.append(f"        ({hidden} more at their defaults)")
    return shown


_PLAIN_STEP = re.compile(r"[^.\[\]\"]+")


def _beside_defaults(data: Any, default: Any, path: str, out: list[tuple[str, Any, Any]]) -> None:
    """`leaves` of `data`, each with the value `defaults` holds at its path (MISSING if none), into
    `out`: one walk of both, not a path formatted, parsed and looked up per leaf (creates are most
    of a first plan's text)."""
    if isinstance(data, Mapping) and data:
        for k, v in data.items():
            if isinstance(k, int):
                step = f"{path}[{k}]"
            elif _PLAIN_STEP.fullmatch(text := str(k)):
                step = f"{path}.{text}" if path else text
            else:
                step = f"{path}[{json.dumps(text)}]"
            _beside_defaults(v, _child(default, k), step, out)
    elif isinstance(data, list) and any(isinstance(i, (dict, list)) for i in data):
        for i, v in enumerate(data):
            _beside_defaults(v, _child(default, i), f"{path}[{i}]", out)
    else:
        out.append((path, data, default))


def _child(node: Any, step: Any) -> Any:
    """`node[step]`, or MISSING where that leads nowhere (as `lookup` answers)."""
    if node is _MISSING:
        return node
    try:
        return node[step]
    except (KeyError, IndexError, TypeError):
        return _MISSING


def outside_lines(plan: Plan) -> list[str]:
    """Terraform's "objects have changed outside": what live differs in from fabric's last apply."""
    changed = [c for c in plan.changes if c.changed_outside]
    if not changed:
        return []
    lines = ["Objects changed outside fabric since it last applied them (values live → last applied):", ""]
    for c in changed:
        lines.append(f"  ~ {c.address}")
        for p, v in c.changed_outside.items():
            lines += [f"      {entry_line(c.kind, e)}" for e in diff_at(c.kind, p, lookup(c.before, p, c.kind), v)]
    lines += ["", "The actions below include undoing these where the code still says otherwise.", ""]
    return lines


def summary_line(s: dict[str, int]) -> str:
    """`12 to create, 0 to update, …` (adoptions and forgets only when there are some)."""
    parts = [f"{s['create']} to create"]
    parts += [f"{s['adopt']} to adopt"] if s.get("adopt") else []
    parts += [f"{s['update']} to update", f"{s['replace']} to replace", f"{s['delete']} to delete"]
    parts += [f"{s['forget']} to forget"] if s.get("forget") else []
    return ", ".join(parts) + f", {s['no_op']} unchanged."


_PHASES = {
    "test": "test failover running ({kind}; fabric dr cleanup {plan})",
    "failed_over": "failed over ({kind}) by {plan}: running on {host}, not committed",
    "committed": "failed over by {plan} and committed: running on {host}, unprotected until reprotected (DR023)",
    "reprotected": "failed over by {plan}: running on {host}, replicating back to the primary site",
    "failed_back": "failed back by {plan}: not committed",
    "committed_back": "failed back by {plan} and committed: replicate forward (fabric dr reprotect {plan})",
}


def posture_text(posture: Mapping[str, Any]) -> str:
    """A protected VM's replication posture in words: `initial replication 43 %, replica on HV02`,
    or where it is in a failover."""
    moved = posture.get("failover")
    if isinstance(moved, Mapping) and moved.get("phase") in _PHASES:
        return _PHASES[str(moved["phase"])].format(
            kind=moved.get("kind", ""), plan=moved.get("plan", ""), host=posture.get("replica_host", "")
        )
    state, health = str(posture.get("state", "")), str(posture.get("health", ""))
    done = posture.get("initial_replication_percent")
    where = f"replica on {posture['replica_host']}" if posture.get("replica_host") else "no replica"
    if state == "InitialReplication":
        return f"initial replication {done} %, {where}"
    return f"{state.lower() or 'unknown'}, health {health.lower() or 'unknown'}, {where}"


def posture_lines(plan: Plan) -> list[str]:
    """Disaster-recovery posture: observed, neither a change nor drift. Every protected VM not
    replicating normally by name; the healthy ones counted."""
    found = [c for c in plan.changes if c.posture is not None]
    if not found:
        return []
    others = [c for c in found if not _replicating(c.posture or {})]
    lines = [
        "",
        f"Disaster-recovery posture (observed; not changes): {len(found) - len(others)} of {len(found)} protected "
        "VM(s) replicating normally.",
    ]
    lines += [f"  ! {c.address}: {posture_text(c.posture or {})}" for c in others[:POSTURE_SHOWN]]
    if len(others) > POSTURE_SHOWN:
        lines.append(f"  … and {len(others) - POSTURE_SHOWN} more (all of them: plan --format json, key posture)")
    return lines


POSTURE_SHOWN = 20  # protected VMs named one by one; a plan of 1,000 in initial replication stays readable


def _replicating(posture: Mapping[str, Any]) -> bool:
    moved = posture.get("failover")
    home = not moved or (isinstance(moved, Mapping) and moved.get("phase") == "test")
    return home and posture.get("state") == "Replicating" and posture.get("health") == "Normal"


def reprotection_lines(plan: Plan) -> list[str]:
    """What replacing a cloud pairing costs: every VM on it replicates from the start again."""
    lines = [
        f"Replacing {pairing} disables protection of {len(vms)} protected VM(s)"
        + (f" ({', '.join(vms)})" if vms else "")
        + ": each starts a full initial replication again."
        for pairing, vms in plan.reinitialised().items()
    ]
    return [*lines, ""] if lines else []


def plan_text(plan: Plan) -> str:
    """The whole plan for a terminal."""
    plan = plan.redacted()
    shown = [c for c in plan.changes if c.records_state]
    if not shown:
        done = f"No changes. The live fabric matches stamp {plan.stamp!r} ({plan.summary()['no_op']} resources)."
        return "\n".join([done, *posture_lines(plan)])
    body = outside_lines(plan)
    body += [f"fabric will perform these actions on stamp {plan.stamp!r} (values {ARROWS}):", ""]
    body += [f"Note: {note}. A partial plan: run a full plan afterwards." for note in plan.notes]
    for change in shown:
        body += [*change_lines(change), ""]
    s = plan.summary()
    moved = sum(1 for c in plan.changes if c.moved_from)
    if moved:
        body.append(f"{moved} resource(s) move to a new address (state only, nothing is recreated).")
    body += reprotection_lines(plan)
    body.append(f"Plan: {summary_line(s)}")
    return "\n".join([*body, *posture_lines(plan)])


def plan_compact(plan: Plan) -> str:
    """One line per changed resource: symbol, address, what changed."""
    plan = plan.redacted()
    lines = []
    for c in plan.changes:
        if not c.records_state:
            continue
        what = ""
        if c.shown in (Action.UPDATE, Action.REPLACE, Action.ADOPT):
            what = entries_summary(entries_of(c)) or ", ".join(c.changed_paths)
        extra = "; ".join(x for x in (what, c.reason, f"moved from {c.moved_from}" if c.moved_from else "") if x)
        lines.append(f"{c.shown.symbol:>3} {c.address}" + (f"  ({extra})" if extra else ""))
    lines += [line for line in reprotection_lines(plan) if line]
    lines.append(summary_line(plan.summary()))
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
