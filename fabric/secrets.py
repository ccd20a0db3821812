"""Secrets written as `${env:NAME}` in a stamp: resolved from the environment, never written out.

Loading a stamp registers every secret value it resolves. From then on every output of the
process — plans in every format, state, saved plans, scripts, reports, log lines, error
messages — passes through `redact_*`, which puts `(sensitive)` where a secret value was.
Saved plans carry the reference (`${env:NAME}`) instead, so applying one needs the variable
again and never the plan file to hold the value.

This is process-wide on purpose: a secret must be masked wherever it surfaces, including in
an error message a provider wrote, which no data-flow tracking would catch.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import os
import re
import threading
from collections.abc import Callable
from typing import Any

import markupsafe

from fabric.errors import FabricError

REDACTED = "(sensitive)"
_REFERENCE = re.compile(r"\$\{env:(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}")  # used with fullmatch: no "\n" after
_names: dict[str, str] = {}  # secret value → the environment variable it came from
_lock = threading.Lock()
_pattern: re.Pattern[str] | None = None


def reference_name(value: object) -> str | None:
    """NAME if `value` is exactly `${env:NAME}`, else None."""
    if not isinstance(value, str) or not value.startswith("${env:"):
        return None
    match = _REFERENCE.fullmatch(value)
    return match.group("name") if match else None


MIN_LENGTH = 8  # shorter values cannot be masked by value without masking ordinary text


def resolve(name: str) -> str | None:
    """The value of environment variable `name`, registered as a secret (None if unset or empty).

    ValueError if it is too short to be masked safely.
    """
    value = os.environ.get(name, "")
    if not value:
        return None
    if len(value) < MIN_LENGTH:
        raise ValueError(f"environment variable {name} holds fewer than {MIN_LENGTH} characters: too short to mask")
    register(value, name)
    return value


def register(value: str, name: str) -> None:
    """Treat `value` as a secret from now on."""
    global _pattern
    with _lock:
        known = value in _names
        _names[value] = name  # the latest reference wins: that variable is set now
        if known:
            return
        forms = {f for v in _names for f in _escaped_forms(v)}
        ordered = sorted(forms, key=len, reverse=True)  # longest first: a secret inside another
        _pattern = re.compile("|".join(re.escape(f) for f in ordered if f))


def _escaped_forms(value: str) -> set[str]:
    """The value as it can appear in output: raw, JSON-escaped (once or twice, either encoding),
    Python's repr (validation messages), HTML-escaped (either escaper)."""
    once = {json.dumps(value, ensure_ascii=ascii)[1:-1] for ascii in (False, True)}
    twice = {json.dumps(f, ensure_ascii=ascii)[1:-1] for f in once for ascii in (False, True)}
    forms = {value, repr(value)[1:-1], ascii(value)[1:-1]} | once | twice
    return forms | {html.escape(f) for f in forms} | {str(markupsafe.escape(f)) for f in forms}


def reset() -> None:
    """Forget every registered secret (what a new process starts with; the in-process test CLI
    calls it before each command)."""
    global _pattern
    with _lock:
        _names.clear()
        _pattern = None


def secret_name(value: object) -> str | None:
    """The environment variable a secret value came from (None if `value` is no secret)."""
    return _names.get(value) if isinstance(value, str) else None


def active() -> bool:
    """True once any secret is registered."""
    return _pattern is not None


def redact_text(text: str) -> str:
    """`text` with every secret value (raw, JSON- or HTML-escaped) replaced by `(sensitive)`."""
    pattern = _pattern
    return text if pattern is None else pattern.sub(REDACTED, text)


def redact_value(value: Any) -> Any:
    """A copy of a JSON-like value with each string that *is* a secret replaced by `(sensitive)`.

    Only whole values: data (state, plan files) must not be rewritten inside other strings;
    output streams mask substrings as a last net (`redact_text`).
    """
    if _pattern is None:
        return value
    return _map_strings(value, lambda s: REDACTED if s in _names else s)


def redact_like(value: Any, template: Any) -> Any:
    """`value` with `(sensitive)` wherever `template` holds a secret or `(sensitive)` at the
    same place: an old secret (rotated since) is masked because of where it is, not what it is."""

    def leaf(v: Any, t: Any) -> Any:
        secret = isinstance(t, str) and (t == REDACTED or t in _names)
        return (REDACTED if v is not None else None) if secret else v

    return _along(value, template, leaf)


def to_references(value: Any) -> Any:
    """A copy with each secret string turned back into its `${env:NAME}` reference."""
    if _pattern is None:
        return value
    return _map_strings(value, lambda s: f"${{env:{_names[s]}}}" if s in _names else s)


def from_references(value: Any) -> Any:
    """A copy with each `${env:NAME}` string resolved from the environment (FabricError if unset)."""

    def resolve_one(text: str) -> str:
        name = reference_name(text)
        if name is None:
            return text
        try:
            resolved = resolve(name)
        except ValueError as exc:
            raise FabricError(str(exc)) from None
        if resolved is None:
            raise FabricError(f"the secret environment variable {name} is not set")
        return resolved

    return _map_strings(value, resolve_one)


# scrypt, memory-hard: a fingerprint in a plan file must not make a weak secret cheap to guess
_SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 2**20, "dklen": 32}


def fingerprint(value: str) -> str:
    """A salted one-way fingerprint of a secret value, `scrypt$SALT$HASH` (hex)."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(value.encode("utf-8"), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def matches(value: str, print_: str) -> bool:
    """True if `value` is the secret `print_` (from `fingerprint`) was made of."""
    kind, _, rest = print_.partition("$")
    salt, _, digest = rest.partition("$")
    try:
        expected = bytes.fromhex(digest)
        actual = hashlib.scrypt(value.encode("utf-8"), salt=bytes.fromhex(salt), **_SCRYPT)
    except ValueError:
        return False
    return kind == "scrypt" and hmac.compare_digest(expected, actual)


def referenced_names(value: Any) -> set[str]:
    """The NAMEs of every `${env:NAME}` string inside a JSON-like value."""
    found: set[str] = set()

    def note(text: str) -> str:
        name = reference_name(text)
        if name:
            found.add(name)
        return text

    _map_strings(value, note)
    return found


def changed_since(prints: dict[str, str]) -> list[str]:
    """The variables (of `name → fingerprint`) whose value in the environment is another now."""
    return sorted(name for name, print_ in prints.items() if not matches(os.environ.get(name, ""), print_))


def unnamed_at(value: Any, template: Any) -> bool:
    """True if, where `template` is `(sensitive)`, `value` holds a plain string rather than a
    `${env:NAME}` reference (an old secret kept by ignore_changes, which no reference names)."""
    found: list[str] = []

    def leaf(v: Any, t: Any) -> Any:
        if t == REDACTED and isinstance(v, str) and reference_name(v) is None and v != REDACTED:
            found.append(v)
        return v

    _along(value, template, leaf)
    return bool(found)


def _along(value: Any, template: Any, leaf: Callable[[Any, Any], Any]) -> Any:
    """`value` rebuilt with `leaf(v, t)` wherever the walk down `value` and `template` together
    stops: at scalars, or where their shapes part (different types, lists of other lengths)."""
    if isinstance(value, dict) and isinstance(template, dict):
        return {k: _along(v, template.get(k), leaf) for k, v in value.items()}
    if isinstance(value, list) and isinstance(template, list) and len(value) == len(template):
        return [_along(v, t, leaf) for v, t in zip(value, template, strict=True)]
    return leaf(value, template)


def _map_strings(value: Any, fn: Any) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_map_strings(v, fn) for v in value]
    return value


def restore_redacted(stored: Any, source: Any) -> Any:
    """`stored` (from state) with each `(sensitive)` taken from `source` at the same place, so a
    redacted value compares equal to the secret it stands for and not to anything else."""
    return _along(stored, source, lambda s, src: src if s == REDACTED else s)
