"""Drift reports as text, JSON (versioned, for monitoring), markdown and one self-contained HTML page.

Every arrow reads `live → code` (`ARROWS`): on the left what VMM holds now, on the right what
apply would make it. For a change outside fabric that is `live → last applied`; for a pending
change `live → the code`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from fabric.plan.drift import Category, DriftItem, DriftReport
from fabric.render.text import _MISSING, ARROWS, lookup, value

FORMAT_VERSION = "2"
LABELS = {
    Category.CHANGED: "Changed outside fabric",
    Category.DELETED: "Deleted outside fabric",
    Category.UNMANAGED: "Unmanaged",
    Category.PENDING: "Pending (code not applied yet)",
}
SHORT = {
    Category.CHANGED: "changed",
    Category.DELETED: "deleted",
    Category.UNMANAGED: "unmanaged",
    Category.PENDING: "pending",
}
CONVENTION = (
    f"Values read {ARROWS} (what apply would set); for changes outside fabric, code is what fabric last applied."
)
FOLD_AT = 8  # more unchanged sibling host groups than this are folded into one closed line
_ORDER = {c: n for n, c in enumerate(Category)}
_DRIFT = frozenset(c.value for c in Category if c is not Category.PENDING)
_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "report" / "drift.html.j2"
_HTML = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def summary(report: DriftReport) -> dict[str, int]:
    """Counts per category, keyed by the category's JSON name."""
    return {c.value: report.count(c) for c in Category}


def sides(item: DriftItem) -> list[tuple[str, Any, Any]]:
    """(path, live, code) per changed path; a side without the path is the `(absent)` marker of
    `fabric.render.text`. Changed outside fabric: code is what fabric last applied (apply puts it
    back). Pending: live is the live object's value (what was last applied, if it is gone)."""
    if item.category is Category.CHANGED:
        live, code = item.actual, item.expected
    else:
        live, code = (item.live if item.live is not None else item.expected), item.actual
    return [(p, lookup(live, p, item.kind), lookup(code, p, item.kind)) for p in item.changed_paths]


def _native(v: Any) -> Any:
    return None if v is _MISSING else v


def _shown(item: DriftItem) -> list[dict[str, str]]:
    return [{"path": p, "live": value(a, p), "code": value(b, p)} for p, a, b in sides(item)]


def drift_json(report: DriftReport, generated_at: str) -> dict[str, Any]:
    """The versioned JSON document (format 2: `changes` hold native `live` and `code` values)."""
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
                "detail": i.detail,
            }
            for i in report.items
        ],
    }


def _has_arrows(report: DriftReport) -> bool:
    return any(i.changed_paths for i in report.items)


def _line(item: DriftItem) -> list[str]:
    who = item.address or f"{item.kind} {item.name!r} ({item.live_id})"
    lines = [f"  {who}" + (f"  # {item.detail}" if item.detail else "")]
    lines += [f"      ~ {c['path']}: {c['live']} → {c['code']}" for c in _shown(item)]
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
        out += [line for i in items for line in _line(i)] or ["  none"]
    return "\n".join(out)


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
        for i in items:
            changes = "; ".join(f"`{c['path']}`: `{c['live']}` → `{c['code']}`" for c in _shown(i))
            out.append(f"- `{i.address or i.name}` ({i.kind}) {changes} {i.detail}".rstrip())
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


def _fold_row(quiet: list[_Node]) -> dict[str, Any]:
    below = sum(n.size - 1 for n in quiet)
    return {
        "row": "fold",
        "count": f"{len(quiet):,}",
        "below": f"{below:,}" if below else "",
        "names": ", ".join(n.name for n in quiet),
    }


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
        if len(quiet) <= FOLD_AT:
            return [("node" if c.interesting else "leaf", c) for c in children]
        return [("node", c) for c in children if c.interesting] + [("fold", quiet)]

    todo = list(reversed(entries(roots)))
    while todo:
        what, arg = todo.pop()
        if what == "close":
            rows.append({"row": "close"})
        elif what == "fold":
            rows.append(_fold_row(arg))
        elif what == "leaf":
            rows.append(_node_row(arg, "leaf"))
        else:
            node: _Node = arg
            below = entries(node.children)
            if not node.objects and not below:
                rows.append(_node_row(node, "leaf"))
                continue
            rows.append(_node_row(node, "open"))
            rows += [{"row": "object", **o} for o in node.objects]
            todo.append(("close", None))
            todo += reversed(below)
    if unplaced:
        rows.append(_branch_row("global", {o["category"] for o in unplaced}))
        unplaced = sorted(unplaced, key=lambda o: (_ORDER[Category(o["category"])], o["kind"], o["address"]))
        rows += [{"row": "object", **o} for o in unplaced]
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
            "name": i.name,
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
        summary=summary(report),
        categories=[(c.value, LABELS[c]) for c in Category],
        convention=CONVENTION if _has_arrows(report) else "",
        rows=tree_rows(report),
        items=items,
    )
