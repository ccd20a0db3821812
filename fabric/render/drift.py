"""Drift reports as text, JSON (versioned, for monitoring), markdown and one self-contained HTML page.

Every arrow reads `live → code` (`ARROWS`): on the left what VMM holds now, on the right what
apply would make it. For a change outside fabric that is `live → last applied`; for a pending
change `live → the code`. Objects that `unmanaged:` expects are listed apart and never shown as
drift (their own neutral colour on the page, folded when there are many).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from fabric.plan.diff import Entry, diff_entries
from fabric.plan.drift import DRIFT, Category, DriftItem, DriftReport
from fabric.render.markdown import _cell, _code, entry_cell
from fabric.render.text import _MISSING, ARROWS, entry_line, flow, key_field, lookup, member, value

FORMAT_VERSION = "3"
LABELS = {
    Category.CHANGED: "Changed outside fabric",
    Category.DELETED: "Deleted outside fabric",
    Category.UNMANAGED: "Unmanaged",
    Category.PENDING: "Pending (code not applied yet)",
    Category.EXPECTED: "Expected outside fabric",
}
SHORT = {
    Category.CHANGED: "changed",
    Category.DELETED: "deleted",
    Category.UNMANAGED: "unmanaged",
    Category.PENDING: "pending",
    Category.EXPECTED: "expected",
}
CONVENTION = (
    f"Values read {ARROWS} (what apply would set); for changes outside fabric, code is what fabric last applied."
)
FOLD_AT = 8  # more unchanged (or only expected) siblings than this are folded into one closed line
LISTED_EXPECTED = 20  # text and markdown list this many expected objects, then count the rest
_ORDER = {c: n for n, c in enumerate(Category)}
_DRIFT = frozenset(c.value for c in DRIFT)
_EXPECTED = Category.EXPECTED.value
_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "report" / "drift.html.j2"
_HTML = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def summary(report: DriftReport) -> dict[str, int]:
    """Counts per category, keyed by the category's JSON name."""
    return {c.value: report.count(c) for c in Category}


def _two_sides(item: DriftItem) -> tuple[Any, Any]:
    """(live, code) of an item. Changed outside fabric: code is what fabric last applied (apply puts
    it back). Pending: live is the live object's value (what was last applied, if it is gone)."""
    if item.category is Category.CHANGED:
        return item.actual, item.expected
    return (item.live if item.live is not None else item.expected), item.actual


def sides(item: DriftItem) -> list[tuple[str, Any, Any]]:
    """(path, live, code) per changed path; a side without the path is the `(absent)` marker of
    `fabric.render.text`."""
    live, code = _two_sides(item)
    return [(p, lookup(live, p, item.kind), lookup(code, p, item.kind)) for p in item.changed_paths]


def entries(item: DriftItem) -> tuple[Entry, ...]:
    """What differs, as plans show it: members of sets added and removed, keyed items by key."""
    live, code = _two_sides(item)
    return diff_entries(item.kind, live, code, item.changed_paths)


def _native(v: Any) -> Any:
    return None if v is _MISSING else v


def _shown(item: DriftItem) -> list[dict[str, str]]:
    """Rows {path, live, code} for the HTML page, one per difference."""
    rows = []
    for e in entries(item):
        shown = member(e.value) if e.member else flow(e.value, e.path, key_field(item.kind, e.path))
        if e.op == "change":
            rows.append({"path": e.path, "live": value(e.before, e.path), "code": value(e.after, e.path)})
        elif e.op == "add":
            rows.append({"path": e.path, "live": "(absent)", "code": shown})
        else:
            rows.append({"path": e.path, "live": shown, "code": "(absent)"})
    return rows


def drift_json(report: DriftReport, generated_at: str) -> dict[str, Any]:
    """The versioned JSON document (format 3: the `expected_outside` category and `host_group_path`;
    since format 2, `changes` hold native `live` and `code` values)."""
    report = report.redacted()
    return {
        "format_version": FORMAT_VERSION,
        "stamp": report.stamp,
        "generated_at": generated_at,
        "has_drift": report.has_drift,
        "summary": summary(report),
        "items": [
            {
                "category": i.category.value,
                "address": i.address,
                "kind": i.kind,
                "name": i.name,
                "live_id": i.live_id,
                "changed_paths": list(i.changed_paths),
                "changes": [{"path": p, "live": _native(a), "code": _native(b)} for p, a, b in sides(i)],
                "diff": [e.to_json() for e in entries(i)],
                "detail": i.detail,
                "host_group_path": i.host_group_path or None,
            }
            for i in report.items
        ],
    }


def _has_arrows(report: DriftReport) -> bool:
    return any(i.changed_paths for i in report.items)


def _named(item: DriftItem) -> str:
    """How an item is named: its address; else (objects outside fabric) its name, a host group's path."""
    return item.address or item.host_group_path or item.name


def _line(item: DriftItem) -> list[str]:
    who = item.address or f"{item.kind} {_named(item)!r} ({item.live_id})"
    lines = [f"  {who}" + (f"  # {item.detail}" if item.detail else "")]
    lines += [f"      {entry_line(item.kind, e)}" for e in entries(item)]
    return lines


def drift_text(report: DriftReport) -> str:
    """For a terminal: one block per category."""
    report = report.redacted()
    out = [f"Drift report for stamp {report.stamp!r}: " + ("drift found." if report.has_drift else "no drift.")]
    if _has_arrows(report):
        out.append(CONVENTION)
    for category in Category:
        items = [i for i in report.items if i.category is category]
        out += ["", f"{LABELS[category]} ({len(items)}):"]
        shown, rest = _listed(category, items)
        out += [line for i in shown for line in _line(i)] or ["  none"]
        out += [f"  … and {rest} more (--format json or html lists every one)"] if rest else []
    return "\n".join(out)


def _listed(category: Category, items: list[DriftItem]) -> tuple[list[DriftItem], int]:
    """The items a text or markdown report lists, and how many it leaves out (expected objects
    only: a tenant fabric has hundreds, and they must not bury the drift)."""
    if category is not Category.EXPECTED or len(items) <= LISTED_EXPECTED:
        return items, 0
    return items[:LISTED_EXPECTED], len(items) - LISTED_EXPECTED


def drift_markdown(report: DriftReport, generated_at: str) -> str:
    """For an issue or pull-request comment."""
    report = report.redacted()
    counts = summary(report)
    out = [f"### fabric drift for stamp `{report.stamp}`", "", f"Generated {generated_at}."]
    if _has_arrows(report):
        out += ["", CONVENTION]
    out += ["", "| category | objects |", "|---|---:|"]
    out += [f"| {LABELS[c]} | {counts[c.value]} |" for c in Category]
    for category in Category:
        items = [i for i in report.items if i.category is category]
        if not items:
            continue
        out += ["", f"<details><summary>{LABELS[category]} ({len(items)})</summary>", ""]
        shown, rest = _listed(category, items)
        for i in shown:
            changes = "; ".join(entry_cell(i.kind, e) for e in entries(i))
            # names and details come from VMM: code spans and escapes keep them from forming markup
            detail = _cell(i.detail).replace("`", "'").replace("<", "&lt;")
            out.append(" ".join(filter(None, [f"- {_code(_named(i))} ({i.kind})", changes, detail])))
        out += [f"- … and {rest} more (`fabric drift --format json` lists every one)"] if rest else []
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


@dataclass
class _Node:
    """A host group of the tree: live, deleted outside fabric, or in code and not applied yet."""

    key: str  # live ID, or the address of a host group not applied yet
    address: str
    name: str
    parent: str | None
    category: str | None = None
    note: str = ""
    live_id: str | None = None
    children: list[_Node] = field(default_factory=list)
    objects: list[dict[str, Any]] = field(default_factory=list)
    inside: set[str] = field(default_factory=set)  # categories found below it (not its own)
    size: int = 1  # host groups in its subtree, itself included

    @property
    def interesting(self) -> bool:
        return self.category is not None or bool(self.inside)

    @property
    def only_expected(self) -> bool:
        """Shown, but nothing in it is drift or pending: only objects `unmanaged:` expects."""
        own = {self.category} if self.category is not None else set()
        return self.interesting and own | self.inside <= {_EXPECTED}


def _what(item: DriftItem) -> str:
    paths = ", ".join(item.changed_paths)
    return f"{paths} ({item.detail})" if paths and item.detail else paths or item.detail


def _object(item: DriftItem) -> dict[str, Any]:
    return {
        "address": item.address or item.name,
        "kind": item.kind,
        "name": item.name,
        "category": item.category.value,
        "label": SHORT[item.category],
        "managed": item.address is not None,
        "live_id": item.live_id or "",
        "what": _what(item),
    }


def _group_name(label: str) -> str:
    """The display name of a host group from its address (`host_group.Oslo/IaaS` → `IaaS`) or name."""
    if label.startswith("host_group."):
        return label.removeprefix("host_group.").rsplit("/", 1)[-1]
    return label


def _nodes(report: DriftReport) -> tuple[dict[str, _Node], list[dict[str, Any]]]:
    """Every host-group node by key, objects placed under them, and the objects placed nowhere."""
    nodes = {
        live_id: _Node(live_id, report.labels.get(live_id, live_id), "", parent, live_id=live_id)
        for live_id, parent in report.host_groups.items()
    }
    ids = {label: live_id for live_id, label in report.labels.items()}
    for item in report.items:  # sorted by category: the first category of a host group wins
        if item.kind != "host_group":
            continue
        key = item.live_id or item.address or item.name
        node = nodes.get(key)
        if node is None:  # gone from VMM, or not applied yet: shown under its (old or future) parent
            parent = item.host_groups[0] if item.host_groups else ids.get(str((item.expected or {}).get("parent")))
            node = nodes[key] = _Node(key, item.address or item.name, item.name, parent, live_id=item.live_id)
        if node.category is None:
            node.category = item.category.value
            if item.category is Category.DELETED:
                node.note = "deleted outside fabric"
            elif item.category is Category.UNMANAGED:
                node.note = f"unmanaged, live ID {item.live_id}"
            elif item.category is Category.EXPECTED:
                node.note = f"expected ({item.detail}), live ID {item.live_id}"
            else:
                node.note = f"{SHORT[item.category]}: {_what(item)}"
    for node in nodes.values():
        node.name = node.name or _group_name(node.address)
    unplaced: list[dict[str, Any]] = []
    for item in report.items:
        if item.kind == "host_group":
            continue
        under = [nodes[k] for k in item.host_groups if k in nodes]
        for node in under:
            node.objects.append(_object(item))
        if not under:
            unplaced.append(_object(item))
    return nodes, unplaced


def _roots(nodes: dict[str, _Node]) -> list[_Node]:
    """Link children to parents; the top-level nodes, sorted (a parent loop is cut at one node)."""
    roots: list[_Node] = []
    for node in nodes.values():
        parent = nodes.get(node.parent) if node.parent else None
        (parent.children if parent is not None and parent is not node else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.name, n.address))
    roots.sort(key=lambda n: (n.name, n.address))
    reached = {n.key for n in _walk(roots)}
    for key in sorted(nodes):
        if key not in reached:  # host groups whose parents form a loop: shown from the top
            node = nodes[key]
            roots.append(node)
            reached.update(n.key for n in _walk([node], reached))
    return roots


def _walk(roots: list[_Node], seen: set[str] | None = None) -> Iterator[_Node]:
    """Pre-order, without recursion; each node once."""
    seen = set(seen or ())
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        if node.key in seen:
            continue
        seen.add(node.key)
        yield node
        stack.extend(reversed(node.children))


def _count(roots: list[_Node]) -> None:
    """Fill `inside` and `size` bottom-up (children after parents in pre-order, so reversed)."""
    order = list(_walk(roots))
    done: set[str] = set()
    for node in reversed(order):
        done.add(node.key)
        node.inside.update(o["category"] for o in node.objects)
        for child in node.children:
            if child.key in done and child is not node:
                node.size += child.size
                node.inside |= child.inside
                if child.category:
                    node.inside.add(child.category)
    for node in order:
        node.objects.sort(key=lambda o: (_ORDER[Category(o["category"])], o["kind"], o["address"]))


def _node_row(node: _Node, row: str) -> dict[str, Any]:
    return {
        **_branch_row(row, node.inside),
        "address": node.address,
        "name": node.name,
        "category": node.category or "none",
        "note": node.note,
        "below": f"{node.size - 1:,}" if node.size > 1 else "",
    }


def _fold_row(quiet: list[_Node], category: str = "none") -> dict[str, Any]:
    below = sum(n.size - 1 for n in quiet)
    return {
        "row": "fold",
        "category": category,
        "count": f"{len(quiet):,}",
        "below": f"{below:,}" if below else "",
        "names": ", ".join(n.name for n in quiet),
    }


def _object_rows(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Object rows; more than FOLD_AT expected objects in one place fold into one closed line."""
    expected = [o for o in objects if o["category"] == _EXPECTED]
    if len(expected) <= FOLD_AT:
        return [{"row": "object", **o} for o in objects]
    rows = [{"row": "object", **o} for o in objects if o["category"] != _EXPECTED]
    names = ", ".join(f"{o['name']} ({o['kind']})" for o in expected)
    return [*rows, {"row": "fold_objects", "category": _EXPECTED, "count": f"{len(expected):,}", "names": names}]


def _branch_row(row: str, categories: set[str]) -> dict[str, Any]:
    drift_inside = sorted(categories & _DRIFT, key=lambda c: _ORDER[Category(c)])
    return {
        "row": row,
        "contains": " ".join(sorted(categories, key=lambda c: _ORDER[Category(c)])),
        "contains_drift": ", ".join(SHORT[Category(c)] for c in drift_inside),
        "contains_pending": Category.PENDING.value in categories and not drift_inside,
    }


def _rows(roots: list[_Node], unplaced: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tree as a flat list of rows for the template: open/close of drifted branches, objects,
    one-line unchanged host groups, and folds of many unchanged siblings. Linear in the output."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()

    def entries(children: list[_Node]) -> list[tuple[str, Any]]:
        children = [c for c in children if c.key not in seen]
        seen.update(c.key for c in children)
        quiet = [c for c in children if not c.interesting]
        expected = [c for c in children if c.only_expected]
        fold_quiet, fold_expected = len(quiet) > FOLD_AT, len(expected) > FOLD_AT
        out: list[tuple[str, Any]] = []
        for c in children:
            if not c.interesting:
                out += [] if fold_quiet else [("leaf", c)]
            elif not (fold_expected and c.only_expected):
                out.append(("node", c))
        out += [("fold_expected", expected)] if fold_expected else []
        return out + ([("fold", quiet)] if fold_quiet else [])

    todo = list(reversed(entries(roots)))
    while todo:
        what, arg = todo.pop()
        if what == "close":
            rows.append({"row": "close"})
        elif what == "fold":
            rows.append(_fold_row(arg))
        elif what == "fold_expected":
            rows.append(_fold_row(arg, _EXPECTED))
        elif what == "leaf":
            rows.append(_node_row(arg, "leaf"))
        else:
            node: _Node = arg
            below = entries(node.children)
            if not node.objects and not below:
                rows.append(_node_row(node, "leaf"))
                continue
            rows.append(_node_row(node, "open"))
            rows += _object_rows(node.objects)
            todo.append(("close", None))
            todo += reversed(below)
    if unplaced:
        rows.append(_branch_row("global", {o["category"] for o in unplaced}))
        unplaced = sorted(unplaced, key=lambda o: (_ORDER[Category(o["category"])], o["kind"], o["address"]))
        rows += _object_rows(unplaced)
        rows.append({"row": "close"})
    return rows


def tree_rows(report: DriftReport) -> list[dict[str, Any]]:
    """The host-group tree of a drift report as rows: each drifted object under the host groups it
    sits in (global ones in a Global branch), drifted branches open, unchanged ones one line each."""
    nodes, unplaced = _nodes(report)
    roots = _roots(nodes)
    _count(roots)
    return _rows(roots, unplaced)


def drift_html(report: DriftReport, generated_at: str, version: str) -> str:
    """One self-contained HTML page: the host-group tree coloured by drift, a table per category."""
    report = report.redacted()
    template = _HTML.from_string(_TEMPLATE.read_text(encoding="utf-8"))
    items = [
        {
            "category": i.category.value,
            "address": i.address,
            "kind": i.kind,
            "name": i.host_group_path if i.host_group_path and not i.address else i.name,
            "live_id": i.live_id or "",
            "changes": _shown(i),
            "detail": i.detail,
        }
        for i in report.items
    ]
    return template.render(
        stamp=report.stamp,
        generated_at=generated_at,
        version=version,
        has_drift=report.has_drift,
        expected=report.count(Category.EXPECTED),
        summary=summary(report),
        categories=[(c.value, LABELS[c]) for c in Category],
        convention=CONVENTION if _has_arrows(report) else "",
        rows=tree_rows(report),
        items=items,
        fold_at=FOLD_AT,
    )
