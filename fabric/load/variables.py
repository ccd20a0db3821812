"""Variables from the command line: `-var NAME=VALUE` and `-var-file FILE`, typed by `fabric.yaml`.

Pure: the caller passes the stamp's declared `variables` (their defaults), the `-var`
arguments and the var-file paths; the result is the merged variables, or ConfigError with one
diagnostic per problem. Sources are applied in order, later ones winning: the defaults in
`fabric.yaml`, then each var file, then each `-var`.

Every variable must be declared in `fabric.yaml`; its default's type is the variable's type:

| declared | `-var NAME=TEXT` | in a var file |
|---|---|---|
| string | the text as is (`010` stays "010") | a string |
| integer | a decimal integer | an integer (not a boolean) |
| float | a decimal number | a number (not a boolean) |
| boolean | `true`, `false`, `yes`, `no` (any case) | a boolean |
| list | comma-separated items (`Oslo,Bergen`) or a YAML flow list (`[Oslo, Bergen]`) | a list |
| mapping | a YAML flow mapping (`{a: 1}`) | a mapping |
| null | the text as is | anything |

Items of a list whose default holds items of one scalar type (`[10, 20]`) must be of that
type too (comma-separated items are parsed as such).

Problems in a var file point at the value (`vars.yaml:3:12`). Problems in a `-var` argument
use the pseudo-file `-var`: line K is the K-th `-var` argument, the column is the character
of that argument at fault, and the message repeats the argument: `-var:2:11: error: -var
locations=[Oslo: expected a list …`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fabric.errors import ConfigError, Diagnostic, SourceLocation
from fabric.load.stamp import display_path, load_config, read_text
from fabric.load.suggest import did_you_mean
from fabric.load.yamlfile import Locator, parse_yaml

VAR = "-var"
_INT = re.compile(r"[+-]?\d+")  # whole text (fullmatch)
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")  # whole text (fullmatch)
_BOOLS = {"true": True, "yes": True, "false": False, "no": False}
_SHOWN = 40  # characters of an argument repeated in a message
_TYPE_NAMES = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a mapping",
}


class _Bad(Exception):
    """A value that does not fit; `column`: 0-based offset of the culprit inside the value text."""

    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


def resolve_variables(
    declared: Mapping[str, Any], assignments: Sequence[str] = (), var_files: Sequence[Path] = ()
) -> dict[str, Any]:
    """The stamp's variables: `declared` (fabric.yaml's defaults) < `var_files` in order < `assignments` in order.

    `assignments`: `NAME=VALUE` strings as given to `-var`. `var_files`: YAML files mapping
    NAME to a value. ConfigError with one diagnostic per problem (module docstring: the rules).
    """
    values = dict(declared)
    diagnostics: list[Diagnostic] = []
    for path in var_files:
        found, problems = _var_file(declared, path)
        values.update(found)
        diagnostics += problems
    for number, argument in enumerate(assignments, 1):
        try:
            name, value = _assignment(declared, argument)
        except _Bad as exc:
            where = SourceLocation(VAR, number, exc.column + 1)
            diagnostics.append(Diagnostic(where, f"{VAR} {_shown(argument)}: {exc.message}"))
            continue
        values[name] = value
    if diagnostics:
        raise ConfigError(diagnostics)
    return values


def _shown(argument: str) -> str:
    text = argument if len(argument) <= _SHOWN else argument[: _SHOWN - 1] + "…"
    return text if text.isprintable() and " " not in text else repr(text)


def _unknown(name: str, declared: Mapping[str, Any]) -> str:
    if not declared:
        return f"no variable {name!r}: fabric.yaml declares no variables"
    hint = did_you_mean(name, declared) or f" (declared: {', '.join(sorted(declared))})"
    return f"no variable {name!r} is declared in fabric.yaml{hint}"


def _assignment(declared: Mapping[str, Any], argument: str) -> tuple[str, Any]:
    """(name, typed value) of one `-var` argument; _Bad with the column at fault."""
    name, sep, text = argument.partition("=")
    if not sep:
        raise _Bad("expected NAME=VALUE")
    name = name.strip()
    if not name:
        raise _Bad("expected NAME=VALUE (the name is empty)")
    if name not in declared:
        raise _Bad(_unknown(name, declared))
    start = len(argument) - len(text)
    try:
        return name, _from_text(text, declared[name])
    except _Bad as exc:
        raise _Bad(exc.message, start + exc.column) from None


def _from_text(text: str, default: Any) -> Any:
    """`-var` text as a value of the default's type."""
    if default is None or isinstance(default, str):
        return text
    if isinstance(default, bool):
        value = _BOOLS.get(text.strip().lower())
        if value is None:
            raise _Bad(f"expected a boolean (true, false, yes or no), got {text!r}")
        return value
    if isinstance(default, int):
        if not _INT.fullmatch(text.strip()):
            raise _Bad(f"expected a whole number, got {text!r}")
        return int(text)
    if isinstance(default, float):
        if not _FLOAT.fullmatch(text.strip()) or not math.isfinite(float(text)):
            raise _Bad(f"expected a number, got {text!r}")
        return float(text)
    if isinstance(default, list):
        if text.lstrip().startswith("["):
            items = _flow(text, list, "a list")
        elif not text.strip():
            raise _Bad("expected a list: comma-separated items, or [] for none")
        else:
            items = _comma_items(text, default)
        return _check_items(items, default)
    if isinstance(default, dict):
        if not text.lstrip().startswith("{"):
            raise _Bad("expected a mapping, written as a YAML flow mapping: {key: value, …}")
        return _flow(text, dict, "a mapping")
    raise _Bad(f"cannot be set from the command line (its default is a {type(default).__name__})")


def _comma_items(text: str, default: list[Any]) -> list[Any]:
    items: list[Any] = []
    offset = 0
    kind = _item_type(default)
    for raw in text.split(","):
        if not raw.strip():
            raise _Bad("empty item in a comma-separated list", offset)
        try:
            items.append(_from_text(raw.strip(), kind()) if kind is not None else raw.strip())
        except _Bad as exc:
            raise _Bad(f"item {len(items) + 1}: {exc.message}", offset + len(raw) - len(raw.lstrip())) from None
        offset += len(raw) + 1
    return items


def _flow(text: str, want: type, what: str) -> Any:
    """A YAML flow collection written in a `-var` argument."""
    data, problems = parse_yaml(text, VAR)
    if problems:
        problem = problems[0]
        column = problem.location.column - 1 if problem.location.line == 1 else 0
        raise _Bad(f"expected {what}: {problem.message}", column)
    if not isinstance(data, want):
        raise _Bad(f"expected {what}, got {_type_name(data)}")
    return data


def _item_type(default: list[Any]) -> type | None:
    """The one scalar type of a default list's items (None: no items, or mixed, or not scalars)."""
    types = {type(item) for item in default}
    if len(types) == 1:
        (kind,) = types
        if kind in (str, int, float, bool):
            return kind
    return None


def _check_items(items: list[Any], default: list[Any]) -> list[Any]:
    kind = _item_type(default)
    if kind is None:
        return items
    for i, item in enumerate(items, 1):
        if not _fits(item, kind()):
            raise _Bad(f"item {i}: expected {_type_name(kind())}, got {_type_name(item)} {item!r}")
    return [float(item) if kind is float else item for item in items]


def _fits(value: Any, default: Any) -> bool:
    """Whether a YAML value has the declared default's type (None declares no type)."""
    if default is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, type(default))


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return _TYPE_NAMES.get(type(value), f"a {type(value).__name__}")


def _var_file(declared: Mapping[str, Any], path: Path) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The values a var file sets, or its problems (at the key or value concerned)."""
    name = display_path(path)
    locator = Locator()
    text, problems = read_text(path, name, locator)
    if text is None:
        return {}, problems
    data, problems = parse_yaml(text, name)
    if problems:
        return {}, problems
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        where = SourceLocation(name, 1, 1)
        return {}, [Diagnostic(where, f"a var file must be a mapping of variable → value, not {_type_name(data)}")]
    values: dict[str, Any] = {}
    diagnostics: list[Diagnostic] = []
    for key, value in data.items():
        if key not in declared:
            where = locator.locate(name, (key,), at_key=True)
            diagnostics.append(Diagnostic(where, _unknown(key, declared)))
            continue
        default = declared[key]
        problem = _file_value_problem(value, default, locator.scalar_text(name, (key,)))
        if problem is not None:
            where = locator.locate(name, (key, *problem[0]))
            diagnostics.append(Diagnostic(where, f"{key}: {problem[1]}"))
            continue
        values[key] = float(value) if isinstance(default, float) else _floats(value, default)
    return values, diagnostics


def _floats(value: Any, default: Any) -> Any:
    """A list value with its items made floats where the default's items are floats."""
    if isinstance(default, list) and _item_type(default) is float:
        return [float(item) for item in value]
    return value


def _file_value_problem(value: Any, default: Any, written: str | None) -> tuple[tuple[Any, ...], str] | None:
    """(path below the variable, message) when a var file's value does not have the declared type."""
    if not _fits(value, default):
        message = f"expected {_type_name(default)}, got {_type_name(value)}"
        if isinstance(default, str) and written is not None and not isinstance(value, (list, dict)):
            message += f'; quote it to keep the text: "{written}"'
        return (), message
    if isinstance(default, list):
        kind = _item_type(default)
        for i, item in enumerate(value):
            if kind is not None and not _fits(item, kind()):
                return (i,), f"item {i + 1}: expected {_type_name(kind())}, got {_type_name(item)} {item!r}"
    return None


def stamp_variables(
    root: Path, assignments: Sequence[str] | None, files: Sequence[Path] | None
) -> Mapping[str, Any] | None:
    """The stamp's variables with `-var` and `-var-file` applied (None if neither is given);
    ConfigError naming each bad or undeclared one."""
    if not assignments and not files:
        return None
    return resolve_variables(load_config(root).variables, assignments or (), files or ())
