"""Drift reports as text, JSON (versioned, for monitoring), markdown and one self-contained HTML page."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from fabric.plan.drift import Category, DriftItem, DriftReport
from fabric.render.text import lookup, value

FORMAT_VERSION = "1"
LABELS = {
    Category.CHANGED: "Changed outside fabric",
    Category.DELETED: "Deleted outside fabric",
    Category.UNMANAGED: "Unmanaged",
    Category.PENDING: "Pending (code not applied yet)",
}
_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "report" / "drift.html.j2"
_HTML = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def summary(report: DriftReport) -> dict[str, int]:
    """Counts per category, keyed by the category's JSON name."""
    return {c.value: report.count(c) for c in Category}


def _changes(item: DriftItem) -> list[dict[str, str]]:
    return [
        {"path": p, "expected": value(lookup(item.expected, p)), "actual": value(lookup(item.actual, p))}
        for p in item.changed_paths
    ]


def drift_json(report: DriftReport, generated_at: str) -> dict[str, Any]:
    """The versioned JSON document."""
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
                "changes": _changes(i),
                "detail": i.detail,
            }
            for i in report.items
        ],
    }


def _line(item: DriftItem) -> list[str]:
    who = item.address or f"{item.kind} {item.name!r} ({item.live_id})"
    lines = [f"  {who}" + (f"  # {item.detail}" if item.detail else "")]
    lines += [f"      ~ {c['path']}: {c['expected']} → {c['actual']}" for c in _changes(item)]
    return lines


def drift_text(report: DriftReport) -> str:
    """For a terminal: one block per category."""
    report = report.redacted()
    out = [f"Drift report for stamp {report.stamp!r}: " + ("drift found." if report.has_drift else "no drift.")]
    for category in Category:
        items = [i for i in report.items if i.category is category]
        out += ["", f"{LABELS[category]} ({len(items)}):"]
        out += [line for i in items for line in _line(i)] or ["  none"]
    return "\n".join(out)


def drift_markdown(report: DriftReport, generated_at: str) -> str:
    """For an issue or pull-request comment."""
    report = report.redacted()
    counts = summary(report)
    out = [
        f"### fabric drift for stamp `{report.stamp}`",
        "",
        f"Generated {generated_at}.",
        "",
        "| category | objects |",
        "|---|---:|",
    ]
    out += [f"| {LABELS[c]} | {counts[c.value]} |" for c in Category]
    for category in Category:
        items = [i for i in report.items if i.category is category]
        if not items:
            continue
        out += ["", f"<details><summary>{LABELS[category]} ({len(items)})</summary>", ""]
        for i in items:
            changes = "; ".join(f"`{c['path']}`: `{c['expected']}` → `{c['actual']}`" for c in _changes(i))
            out.append(f"- `{i.address or i.name}` ({i.kind}) {changes} {i.detail}".rstrip())
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def _tree(report: DriftReport) -> dict[str, Any]:
    """Nested host groups with each node's drift category (deleted ones under their old parent)."""
    category = {i.live_id: i.category.value for i in report.items if i.kind == "host_group" and i.live_id}
    children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for live_id, parent in report.host_groups.items():
        label = report.labels.get(live_id, live_id)
        children[parent].append(
            {
                "id": live_id,
                "address": label,
                "name": label.rsplit("/", 1)[-1].split(".", 1)[-1],
                "category": category.get(live_id),
                "note": "",
            }
        )
    ids = {label: live_id for live_id, label in report.labels.items()}
    for item in report.items:
        if item.kind == "host_group" and item.category is Category.DELETED:
            parent = ids.get(str((item.expected or {}).get("parent")))
            children[parent].append(
                {
                    "id": item.live_id,
                    "address": item.address,
                    "name": item.name,
                    "category": item.category.value,
                    "note": "(deleted outside fabric)",
                }
            )

    def branch(parent: str | None, nested: bool) -> dict[str, Any]:
        nodes = sorted(children.get(parent, []), key=lambda n: str(n["name"]))
        for node in nodes:
            node["children"] = branch(node["id"], True) if node["id"] else {"nodes": [], "nested": True}
        return {"nodes": nodes, "nested": nested}

    return branch(None, False)


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
            "changes": _changes(i),
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
        tree=_tree(report),
        items=items,
    )
