"""`fabric diff` output: code changes between two revisions and their blast radius.

Changes read as plans read them (`fabric.render.text.entry_line`): a set list's members added and
removed, a keyed list's items by key. A change apply would turn into a replace shows `-/+` and
why; the resources it drags along are marked `(replaced)` in its blast radius; an item a
resource loses names what sits on it (the pools on a site's subnet).
"""

from __future__ import annotations

from typing import Any

from fabric.plan.review import REFUSED, CodeChange, Kind
from fabric.render.markdown import entry_cell
from fabric.render.text import entries_summary, entry_line

FORMAT_VERSION = "2"
_SYMBOL = {Kind.ADDED: "+", Kind.CHANGED: "~", Kind.REMOVED: "-"}
REPLACE_SYMBOL = "-/+"


def _symbol(c: CodeChange) -> str:
    return REPLACE_SYMBOL if c.replaced else _SYMBOL[c.change]


def _replaced(changes: list[CodeChange]) -> list[str]:
    """Every address apply would replace: changed ones and what they drag along."""
    return sorted({c.address for c in changes if c.replaced} | {a for c in changes for a, _ in c.replaced_affected})


def _summary(changes: list[CodeChange]) -> dict[str, int]:
    counts = {k.value: sum(1 for c in changes if c.change is k) for k in Kind}
    return {**counts, "replaced": len(_replaced(changes))}


def review_json(changes: list[CodeChange], base: str, head: str) -> dict[str, Any]:
    """Versioned JSON (format 2: `diff`, `replaced`, `replaced_affected`, `in_use`, `refused`, and
    the `replaced` count in the summary)."""
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
                "diff": [e.to_json() for e in c.diff],
                "replaced": c.replaced or None,
                "affected": list(c.affected),
                "replaced_affected": [{"address": a, "reason": why} for a, why in c.replaced_affected],
                "in_use": [{"path": p, "used_by": list(users)} for p, users in c.in_use],
                "refused": c.refused or None,
            }
            for c in changes
        ],
    }


def _marked(c: CodeChange, code: bool = False) -> list[str]:
    """The blast radius, each resource apply would replace marked so (and where its guard refuses it)."""
    replaced = dict(c.replaced_affected)
    out = []
    for a in c.affected:
        shown = f"`{a}`" if code else a
        if a in replaced:
            shown += f" (replaced; {REFUSED})" if replaced[a].endswith(REFUSED) else " (replaced)"
        out.append(shown)
    return out


def _affects(c: CodeChange) -> str:
    dragged = f" ({len(c.replaced_affected)} replaced on apply)" if c.replaced_affected else ""
    return f"affects {len(c.affected)}{dragged}: {', '.join(_marked(c))}"


def _entry_lines(c: CodeChange) -> list[str]:
    users = dict(c.in_use)
    lines = []
    for e in c.diff:
        line = f"      {entry_line(c.kind, e)}"
        here = users.get(e.path)
        lines.append(line + (f"  # in use by {len(here)}: {', '.join(here)}" if here else ""))
    return lines


def review_text(changes: list[CodeChange], base: str, head: str) -> str:
    """For a terminal."""
    if not changes:
        return f"No differences in the desired fabric between {base} and {head}."
    lines = [f"Desired fabric, {base} → {head}:", ""]
    for c in changes:
        what = entries_summary(c.diff) or ", ".join(c.changed_paths)
        paths = f"  ({what})" if what else ""
        why = f"  # apply replaces it: {c.replaced}" if c.replaced else f"  # {c.refused}" if c.refused else ""
        lines.append(f"{_symbol(c):>3} {c.address}{paths}{why}")
        lines += _entry_lines(c)
        if c.affected:
            lines.append(f"      {_affects(c)}")
    s = _summary(changes)
    lines += ["", f"{s['added']} added, {s['changed']} changed, {s['removed']} removed."]
    replaced = _replaced(changes)
    if replaced:
        lines.append(f"Apply would replace {len(replaced)} (deleted, then created with new IDs): {', '.join(replaced)}")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def review_markdown(changes: list[CodeChange], base: str, head: str) -> str:
    """For a pull-request comment."""
    s = _summary(changes)
    lines = [f"### fabric diff `{base}` → `{head}`", "", "| change | resources |", "|---|---:|"]
    lines += [f"| {k} | {n} |" for k, n in s.items() if k != "replaced" or n]
    if changes:
        lines += ["", "| | address | changed | blast radius |", "|---|---|---|---|"]
        for c in changes:
            users = dict(c.in_use)
            cells = []
            for e in c.diff:
                here = ", ".join(f"`{u}`" for u in users.get(e.path, ()))
                cells.append(entry_cell(c.kind, e) + (f" (in use by {here})" if here else ""))
            if not cells:
                cells = [f"`{p}`" for p in c.changed_paths]
            if c.replaced:
                cells.insert(0, f"**replaced on apply**: {c.replaced}")
            if c.refused:
                cells.insert(0, f"**{c.refused}**")
            changed = "<br>".join(_cell(x) for x in cells) or "—"
            affected = ", ".join(_marked(c, code=True)) or "—"
            lines.append(f"| {_symbol(c)} | `{c.address}` | {changed} | {affected} |")
    return "\n".join(lines) + "\n"
