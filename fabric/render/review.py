"""`fabric diff` output: code changes between two revisions and their blast radius."""

from __future__ import annotations

from typing import Any

from fabric.plan.review import CodeChange, Kind

FORMAT_VERSION = "1"
_SYMBOL = {Kind.ADDED: "+", Kind.CHANGED: "~", Kind.REMOVED: "-"}


def _summary(changes: list[CodeChange]) -> dict[str, int]:
    return {k.value: sum(1 for c in changes if c.change is k) for k in Kind}


def review_json(changes: list[CodeChange], base: str, head: str) -> dict[str, Any]:
    """Versioned JSON."""
    return {
        "format_version": FORMAT_VERSION,
        "base": base,
        "head": head,
        "summary": _summary(changes),
        "changes": [
            {
                "address": c.address,
                "kind": c.kind,
                "change": c.change.value,
                "changed_paths": list(c.changed_paths),
                "affected": list(c.affected),
            }
            for c in changes
        ],
    }


def review_text(changes: list[CodeChange], base: str, head: str) -> str:
    """For a terminal."""
    if not changes:
        return f"No differences in the desired fabric between {base} and {head}."
    lines = [f"Desired fabric, {base} → {head}:", ""]
    for c in changes:
        paths = f"  ({', '.join(c.changed_paths)})" if c.changed_paths else ""
        lines.append(f"  {_SYMBOL[c.change]} {c.address}{paths}")
        if c.affected:
            lines.append(f"      affects {len(c.affected)}: {', '.join(c.affected)}")
    s = _summary(changes)
    lines += ["", f"{s['added']} added, {s['changed']} changed, {s['removed']} removed."]
    return "\n".join(lines)


def review_markdown(changes: list[CodeChange], base: str, head: str) -> str:
    """For a pull-request comment."""
    s = _summary(changes)
    lines = [f"### fabric diff `{base}` → `{head}`", "", "| change | resources |", "|---|---:|"]
    lines += [f"| {k} | {n} |" for k, n in s.items()]
    if changes:
        lines += ["", "| | address | changed | blast radius |", "|---|---|---|---|"]
        for c in changes:
            paths = ", ".join(f"`{p}`" for p in c.changed_paths) or "—"
            affected = ", ".join(f"`{a}`" for a in c.affected) or "—"
            lines.append(f"| {_SYMBOL[c.change]} | `{c.address}` | {paths} | {affected} |")
    return "\n".join(lines) + "\n"
