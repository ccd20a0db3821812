"""Expanding raw resource entries: `for_each`, nested host-group `children`, templates.

Input is the parsed data of one resource file; output is flat `RawResource`s whose
`source` still points at the YAML the user wrote, so errors in repeated resources land on
their source line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from fabric.load.budget import OverBudget, TemplateProblem, budget, is_template
from fabric.load.cascade import Dropped
from fabric.load.suggest import close_match
from fabric.model.stamp import Finding as Problem
from fabric.model.stamp import SourceRef
from fabric.secrets import reference_name, resolve

Path = tuple[str | int, ...]
_KEY = re.compile(r"\w[\w.-]{0,127}")  # letters and digits of any script, _ . - (whole key: fullmatch)
_SEGMENT = re.compile("[^\x00-\x1f\x7f-\x9f\u2028\u2029/\\\\]{1,256}")  # no control characters, no / or backslash
META_KEYS = ("for_each", "children")
MAX_RESOURCES = 1_000_000  # per stamp, after for_each: more could not be validated and planned in useful time


@dataclass(frozen=True)
class RawResource:
    """One expanded resource before model validation."""

    kind: str
    key: str
    body: dict[str, Any]
    source: SourceRef

    @property
    def address(self) -> str:
        """`kind.key`."""
        return f"{self.kind}.{self.key}"


class _Fail(Exception):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class _Stop(Exception):
    """Expansion cannot go on: a budget or the resource limit ran out (`scope`: "file" or "stamp")."""

    def __init__(self, path: Path, message: str, scope: str, *, at_key: bool = False, resources: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.scope = scope
        self.at_key = at_key
        self.resources = resources


@dataclass
class Work:
    """A stamp's expansion so far: resources made, and the problem that ended it early (if any)."""

    resources: int = 0
    stopped: Dropped | None = None
    stopped_for_resources: bool = False  # the resource limit (not only the templates' budget) ran out


def render_tree(value: Any, ctx: dict[str, Any], path: Path) -> Any:
    """Render every template string inside `value`; raise _Fail with the failing path
    (_Stop when the templates' work budget ran out)."""
    if isinstance(value, str):
        if not is_template(value):
            return value
        from fabric.load.templating import render  # jinja2 is loaded only for a stamp with templates

        try:
            return render(value, ctx)
        except OverBudget as exc:
            raise _Stop(path, str(exc), exc.scope) from None
        except TemplateProblem as exc:
            raise _Fail(path, str(exc)) from None
    if isinstance(value, dict):
        return {k: render_tree(v, ctx, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [render_tree(v, ctx, (*path, i)) for i, v in enumerate(value)]
    return value


def _iterations(body: dict[str, Any], ctx: dict[str, Any], path: Path, fanout: int, work: Work) -> list[dict[str, Any]]:
    """The `each` values of a body: one empty context without `for_each`.

    `fanout`: how many more times the enclosing for_each repeat this body; _Stop if the stamp would
    pass MAX_RESOURCES (checked before anything is expanded, so a product of 10⁹ stops at once).
    """
    if "for_each" not in body:
        if work.resources + fanout > MAX_RESOURCES:
            message = f"more than {MAX_RESOURCES:,} resources in the stamp; split it into several stamps"
            if fanout > 1:
                message = f"this resource would be repeated {fanout:,} more times (for_each around it): {message}"
            raise _Stop(path, message, "stamp", at_key=True, resources=True)
        return [ctx]
    items = render_tree(body["for_each"], ctx, (*path, "for_each"))
    if not isinstance(items, (dict, list)):
        kind = "null" if items is None else type(items).__name__
        raise _Fail((*path, "for_each"), f"for_each must be a list or a mapping, got {kind}")
    if work.resources + fanout * len(items) > MAX_RESOURCES:
        around = f", each repeated {fanout:,} times by the for_each around it" if fanout > 1 else ""
        message = (
            f"for_each would expand the stamp to more than {MAX_RESOURCES:,} resources "
            f"({len(items):,} items here{around}); split it into several stamps"
        )
        raise _Stop((*path, "for_each"), message, "stamp", resources=True)
    if isinstance(items, dict):
        pairs = [(str(k), v) for k, v in items.items()]
    else:
        pairs = [(str(v) if not isinstance(v, (dict, list)) else str(i), v) for i, v in enumerate(items)]
    return [{**ctx, "each": {"key": k, "value": v, "index": i}} for i, (k, v) in enumerate(pairs)]


@dataclass(frozen=True)
class _File:
    """The file being expanded; `templated`/`secrets`: its text holds jinja2 markup / `${env:`."""

    name: str
    templated: bool
    secrets: bool = True


def resolve_secrets(value: Any, path: Path) -> tuple[Any, list[tuple[Path, str]]]:
    """`value` with each `${env:NAME}` string replaced by the variable's (registered) value.

    Problems (path, message) for unset variables and for secrets used as names.
    """
    name = reference_name(value)
    if name is not None:
        if path[-1:] == ("name",):
            return value, [(path, "a name cannot be a secret (names appear in plans, state and VMM's logs)")]
        try:
            resolved = resolve(name)
        except ValueError as exc:
            return value, [(path, str(exc))]
        if resolved is None:
            return value, [(path, f"environment variable {name} is not set (referenced as ${{env:{name}}})")]
        return resolved, []
    problems: list[tuple[Path, str]] = []
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out[k], found = resolve_secrets(v, (*path, k))
            problems += found
        return out, problems
    if isinstance(value, list):
        items = []
        for i, v in enumerate(value):
            item, found = resolve_secrets(v, (*path, i))
            items.append(item)
            problems += found
        return items, problems
    return value, []


def expand_file(
    file: str,
    data: Any,
    kinds: set[str],
    variables: dict[str, Any],
    *,
    templated: bool = True,
    secrets: bool = True,
    work: Work | None = None,
) -> tuple[list[RawResource], list[Problem]]:
    """Expand one resource file's data into raw resources and problems.

    `templated=False` (the file's text has no `{{`/`{%`) skips rendering, which is then a no-op;
    `secrets=False` (no `${env:` in it) skips looking for secret references. A problem that
    keeps resources out is a `Dropped` (see `fabric.load.cascade`), naming what it dropped.
    `work`: the stamp's expansion so far (resources counted against MAX_RESOURCES); templates
    draw on a file's budget inside the stamp's active one (`fabric.load.templating.budget`).
    When a budget or the resource limit runs out, the rest of the file is not expanded: the
    problem is a `Dropped` of any kind, and for the stamp's limits it is recorded in `work.stopped`.
    """
    job = _File(file, templated, secrets)
    if data is None:
        return [], []
    if not isinstance(data, dict):
        return [], [Dropped(SourceRef(file, ()), "a resource file must be a mapping of kind → resources")]
    out: list[RawResource] = []
    problems: list[Problem] = []
    work = work if work is not None else Work()
    try:
        with budget("file") if templated else nullcontext():
            _expand_kinds(job, data, kinds, {"var": variables}, work, out, problems)
    except _Stop as stop:
        dropped = Dropped(SourceRef(file, stop.path), stop.message, stop.at_key)
        problems.append(dropped)
        if stop.scope == "stamp":
            work.stopped = dropped
            work.stopped_for_resources = stop.resources
    return out, problems


def _expand_kinds(
    job: _File,
    data: dict[str, Any],
    kinds: set[str],
    ctx: dict[str, Any],
    work: Work,
    out: list[RawResource],
    problems: list[Problem],
) -> None:
    file = job.name
    for kind, entries in data.items():
        if kind not in kinds:
            meant = close_match(kind, kinds)
            hint = f"; did you mean {meant!r}?" if meant else f" (known: {', '.join(sorted(kinds))})"
            lost = frozenset({kind} | ({meant} if meant else set()))
            problems.append(Dropped(SourceRef(file, (kind,)), f"unknown kind {kind!r}{hint}", True, kinds=lost))
            continue
        if entries is None:
            continue
        if not isinstance(entries, dict):
            message = f"{kind} must be a mapping of key → attributes"
            problems.append(Dropped(SourceRef(file, (kind,)), message, kinds=frozenset({kind})))
            continue
        for raw_key, body in entries.items():
            for item in _expand_entry(job, kind, (kind, raw_key), raw_key, body, ctx, "", 1, work):
                if isinstance(item, RawResource):
                    work.resources += 1
                    out.append(item)
                else:
                    problems.append(item)


def _dropped(job: _File, path: Path, message: str, kind: str, *, at_key: bool = False, declared: str = "") -> Dropped:
    return Dropped(SourceRef(job.name, path), message, at_key, declared=declared, kinds=frozenset({kind}))


def _expand_entry(
    job: _File,
    kind: str,
    path: Path,
    raw_key: str,
    body: Any,
    ctx: dict[str, Any],
    prefix: str,
    fanout: int,
    work: Work,
) -> Iterator[RawResource | Problem]:
    if body is None:
        body = {}
    if not isinstance(body, dict):
        static = not (job.templated and is_template(str(raw_key)))
        declared = f"{kind}.{prefix}/{raw_key}" if prefix else f"{kind}.{raw_key}"
        message = f"{kind}.{raw_key} must be a mapping of attributes"
        yield _dropped(job, path, message, kind, declared=declared if static else "")
        return
    try:
        contexts = _iterations(body, ctx, path, fanout, work)
    except _Fail as exc:
        yield _dropped(job, exc.path, exc.message, kind)
        return
    for i, each_ctx in enumerate(contexts):  # what is left to repeat: this instance and those after it
        yield from _expand_one(job, kind, path, raw_key, body, each_ctx, prefix, fanout * (len(contexts) - i), work)


def _expand_one(
    job: _File,
    kind: str,
    path: Path,
    raw_key: str,
    body: dict[str, Any],
    ctx: dict[str, Any],
    prefix: str,
    fanout: int,
    work: Work,
) -> Iterator[RawResource | Problem]:
    try:
        key = str(render_tree(raw_key, ctx, path)) if job.templated else str(raw_key)
    except _Fail as exc:
        yield _dropped(job, exc.path, exc.message, kind, at_key=exc.path == path)
        return
    full_key = f"{prefix}/{key}" if prefix else key
    address = f"{kind}.{full_key}"
    problem = _key_problem(kind, path, key, body)
    problems = [problem] if problem is not None else []
    attrs: dict[str, Any] = {}
    if not problems:
        try:
            if job.templated:
                attrs = {k: render_tree(v, ctx, (*path, k)) for k, v in body.items() if k not in META_KEYS}
            else:
                attrs = {k: v for k, v in body.items() if k not in META_KEYS}
        except _Fail as exc:
            problems.append((exc.path, exc.message, exc.path == path))
    if not problems and job.secrets:
        attrs, found = resolve_secrets(attrs, path)
        problems += [(where, message, False) for where, message in found]
    if problems:  # the resource is declared but invalid; its children are still expanded and checked
        for where, message, at_key in problems:
            yield _dropped(job, where, message, kind, at_key=at_key, declared=address)
    else:
        attrs.setdefault("name", key)
        if kind == "host_group":
            attrs["parent"] = f"host_group.{prefix}" if prefix else None
        yield RawResource(kind, full_key, attrs, SourceRef(job.name, path))
    children = body.get("children")
    if children is None:
        return
    if kind != "host_group" or not isinstance(children, dict):
        msg = "children is only for host_group, as a mapping of name → attributes"
        yield _dropped(job, (*path, "children"), msg, kind, at_key=True)
        return
    for child_key, child_body in children.items():
        child_path = (*path, "children", child_key)
        yield from _expand_entry(job, kind, child_path, child_key, child_body, ctx, full_key, fanout, work)


def _key_problem(kind: str, path: Path, key: str, body: dict[str, Any]) -> tuple[Path, str, bool] | None:
    """What is wrong with a resource's key, or with `parent` written by hand: (path, message, at_key)."""
    pattern = _SEGMENT if kind == "host_group" else _KEY
    if not pattern.fullmatch(key):
        what = (
            "host-group name (1 to 256 characters, no control characters, / or \\)"
            if kind == "host_group"
            else "key (letters, digits, _ . -; at most 128)"
        )
        return path, f"{key!r} is not a valid {what}", True
    if kind == "host_group" and "parent" in body:
        msg = "parent is not set by hand: a host group's parent comes from its place in the tree"
        return (*path, "parent"), msg, True
    return None
