"""Markdown plans for pull-request comments: a summary table, then one `<details>` per kind.

GitHub refuses comments over 65,536 characters; past `LIMIT` the attribute-level details
are dropped (names only), and past that the name lists are cut, saying so each time.
"""

from __future__ import annotations

from collections import defaultdict

from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.plan.diff import Entry, diff_at
from fabric.render.text import entries_of, flow, key_field, lookup, member, reprotection_lines, value

LIMIT = 65_000
_WORDS = {
    Action.CREATE: "create",
    Action.ADOPT: "adopt (take over an existing object)",
    Action.UPDATE: "update",
    Action.REPLACE: "replace",
    Action.DELETE: "delete",
    Action.FORGET: "forget (stays in VMM)",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _summary(plan: Plan, changed: list[Change]) -> list[str]:
    s = plan.summary()
    lines = [f"### fabric plan for stamp {_code(plan.stamp)}", ""]
    if not changed:
        return [*lines, f"**No changes.** The live fabric matches the code ({s['no_op']} resources)."]
    lines += ["| action | resources |", "|---|---:|"]
    lines += [f"| {a} | {s[a]} |" for a in ("create", "adopt", "update", "replace", "delete", "forget") if s[a]]
    lines.append(f"| unchanged | {s['no_op']} |")
    for action, label in ((Action.DELETE, "Will be deleted"), (Action.REPLACE, "Will be replaced")):
        names = [c for c in changed if c.shown is action]
        if names:
            lines += ["", f"**{label} ({len(names)}):** " + ", ".join(_code(c.address) for c in names)]
    for line in reprotection_lines(plan):
        lines += ["", f"**Full initial replication again.** {line}"] if line else []
    moved = [c for c in changed if c.moved_from]
    if moved:
        lines += ["", "**Moved:** " + ", ".join(f"{_code(c.moved_from or '')} → {_code(c.address)}" for c in moved)]
    return lines


def entry_cell(kind: str, e: Entry) -> str:
    """One difference in a table cell: `` `network_sites`: + `network_site.b` ``, `` `subnets["web"].vlan`:
    `10` → `11` ``, `` `subnets["app"]` added: `{…}` ``, `` `subnets["old"]` removed ``."""
    if e.member:
        return f"{_code(e.path)}: {'+' if e.op == 'add' else '-'} {_code(member(e.value))}"
    if e.op == "change":
        return f"{_code(e.path)}: {_code(value(e.before, e.path))} → {_code(value(e.after, e.path))}"
    if e.op == "add":
        return f"{_code(e.path)} added: {_code(flow(e.after, e.path, key_field(kind, e.path)))}"
    return f"{_code(e.path)} removed"


def _detail_rows(change: Change) -> list[str]:
    action = change.shown
    sym = action.symbol
    why = f" — {_cell(change.reason)}" if change.reason else ""
    address = _code(change.address)
    rows = [
        f"| ~ | {address} | changed outside fabric: {_cell(entry_cell(change.kind, e))} (last applied) |"
        for p, v in change.changed_outside.items()
        for e in diff_at(change.kind, p, lookup(change.before, p, change.kind), v)
    ]
    entries = entries_of(change) if action in (Action.UPDATE, Action.REPLACE, Action.ADOPT) else ()
    if entries:
        return rows + [f"| {sym} | {address} | {_cell(entry_cell(change.kind, e))}{why} |" for e in entries]
    if action in (Action.UPDATE, Action.REPLACE, Action.ADOPT) and change.changed_paths:
        return rows + [
            f"| {sym} | {address} | {_code(p)}: "
            f"{_code(value(lookup(change.before, p, change.kind), p))} → "
            f"{_code(value(lookup(change.after, p, change.kind), p))}{why} |"
            for p in change.changed_paths
        ]
    return [*rows, f"| {sym} | {address} | {_WORDS.get(action, 'record in state')}{why} |"]


def _by_kind(changed: list[Change], detailed: bool) -> list[str]:
    groups: dict[str, list[Change]] = defaultdict(list)
    for change in changed:
        groups[change.kind].append(change)
    lines: list[str] = []
    for kind in sorted(groups):
        items = groups[kind]
        lines += ["", f"<details><summary>{kind} ({len(items)} changed)</summary>", ""]
        if detailed:
            lines += ["| | address | change (live → code) |", "|---|---|---|"]
            for change in items:
                lines += _detail_rows(change)
        else:
            lines += [f"- {c.shown.symbol} {_code(c.address)}" for c in items]
        lines += ["", "</details>"]
    return lines


def plan_markdown(plan: Plan, limit: int = LIMIT) -> str:
    """The plan as a pull-request comment of at most `limit` characters."""
    plan = plan.redacted()
    changed = [c for c in plan.changes if c.records_state]
    head = _summary(plan, changed)
    full = "\n".join(head + _by_kind(changed, detailed=True)) + "\n"
    if len(full) <= limit:
        return full
    note = (
        f"\n> Attribute-level details left out: the full plan is {len(full):,} characters, "
        f"over the {limit:,} a comment holds. Run `fabric plan` for them."
    )
    short = "\n".join([*head, note, *_by_kind(changed, detailed=False)]) + "\n"
    if len(short) <= limit:
        return short
    cut = short[: limit - 200]
    cut = cut[: cut.rfind("\n")]
    return cut + f"\n\n> … list cut at {limit:,} characters ({len(changed):,} changed resources in all).\n"
