"""`lifecycle.ignore_changes` paths, checked segment by segment against the kind's model.

A path is written as plans show changed paths (`fabric.plan.diff.format_path`): fields joined
by dots (`capacity.vm_count`), list positions as `[0]`, mapping keys as `["custom_property.x"]`,
and the items of a keyed list (`Resource.KEYED`) by their key, `subnets["web"].vlan`. The
planner silences a change by comparing those texts, so a path written any other way would
silence nothing: it is refused with the form to write.
"""

from __future__ import annotations

import json
import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from fabric.load.suggest import did_you_mean
from fabric.model.resources import Resource

_STEP = re.compile(r'\.?(?P<field>[^.\[\]"]+)|\[(?P<index>\d+)\]|\[(?P<key>"(?:[^"\\]|\\.)*")\]')
_PLAIN = re.compile(r'[^.\[\]"]+')
_NOT_IGNORABLE = frozenset({"name", "depends_on", "lifecycle"})  # name: how VMM knows it; the rest: not attributes

Step = tuple[str, str | int]  # ("field" | "index" | "key", value)


def _steps(text: str) -> list[Step] | None:
    """The steps of `text`, or None if it is not a path (stray brackets, quotes or dots)."""
    out: list[Step] = []
    at = 0
    while at < len(text):
        match = _STEP.match(text, at)
        if match is None or (match["field"] is not None and (text[at] == ".") == (at == 0)):
            return None  # no step here, a leading dot, or two fields without a dot between
        if match["field"] is not None:
            out.append(("field", match["field"]))
        elif match["index"] is not None:
            out.append(("index", int(match["index"])))
        else:
            try:
                out.append(("key", str(json.loads(match["key"]))))
            except ValueError:
                return None
        at = match.end()
    return out or None


def _written(steps: list[Step], keyed: bool) -> str:
    """The steps as plans write them (the inverse of `_steps`, in `format_path`'s form)."""
    out = ""
    for i, (tag, value) in enumerate(steps):
        if tag == "index":
            out += f"[{value}]"
        elif not (keyed and i == 1) and _PLAIN.fullmatch(str(value)):
            out += ("." if out else "") + str(value)
        else:
            out += f"[{json.dumps(str(value))}]"
    return out


def _bare(annotation: Any) -> Any:
    """`annotation` without `Annotated[…]` and `| None`."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            rest = [a for a in get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return annotation
            annotation = rest[0]
        else:
            return annotation


def problem(cls: type[Resource], text: str, example_keys: dict[str, list[str]]) -> str | None:
    """What is wrong with ignoring `text` on a resource of `cls`, or None if the path is one plans can show.

    `example_keys`: per keyed list, the keys the resource has (for the hint).
    """
    steps = _steps(text)
    if steps is None or steps[0][0] != "field":
        return f"ignore_changes: {text!r} is not an attribute path (write it as plans show it: capacity.vm_count)"
    top = str(steps[0][1])
    keyed_by = cls.KEYED.get(top)
    node: Any = cls
    for i, (tag, value) in enumerate(steps):
        written = _written(steps[:i], keyed_by is not None)
        shown = f"{cls.KIND}.{written}" if written else cls.KIND
        if isinstance(node, type) and issubclass(node, BaseModel):
            fields = {n for n in node.model_fields if not (i == 0 and n in _NOT_IGNORABLE)}
            if tag != "field" or value not in fields:
                if i == 0 and value in _NOT_IGNORABLE:
                    return f"ignore_changes: {value!r} cannot be ignored"
                hint = did_you_mean(str(value), sorted(fields)) if tag == "field" else ""
                return f"ignore_changes: {shown} has no attribute {value!r}{hint}"
            node = _bare(node.model_fields[str(value)].annotation)
            continue
        origin, args = get_origin(node), get_args(node)
        if origin is list and i == 1 and keyed_by is not None:
            if tag != "key":
                key = str(value) if tag == "field" else (example_keys.get(top) or ["KEY"])[0]
                form = _written([steps[0], ("key", key), *steps[2:]], True)
                return f"ignore_changes: {top} is keyed by {keyed_by}: name the item by its key, e.g. {form!r}"
            node = _bare(args[0])
        elif origin is list:
            if i == 1 and top in cls.SETS:
                return f"ignore_changes: the order of {shown} carries no meaning; ignore {written!r} whole"
            if tag != "index":
                return f"ignore_changes: {shown} is a list: name an item by its position, e.g. {written}[0]"
            node = _bare(args[0])
        elif origin is dict:
            node = _bare(args[1])
        else:
            return f"ignore_changes: {shown} is a single value; there is nothing inside it to name"
    canonical = _written(steps, keyed_by is not None)
    if canonical != text:
        return f"ignore_changes: write {canonical!r}, as plans show it, not {text!r}"
    return None
