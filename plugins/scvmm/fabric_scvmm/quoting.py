"""The one quoting filter every value rendered into PowerShell goes through.

Strings become single-quoted literals with `'` doubled (PowerShell also treats the
typographic quotes ‘ ’ ‚ ‛ as quote characters, so they are doubled too); nothing inside a
single-quoted string is interpreted: no `$()`, no backtick escapes, newlines stay literal.
Numbers and booleans are typed (`42`, `$true`), `None` is `$null`, lists are `@(…)`.

In a script written for people to review and run (`secrets_as_env`), a secret value from
`${env:NAME}` becomes `$env:NAME`: the script reads it where it runs and never holds it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from markupsafe import Markup

from fabric.secrets import secret_name

_QUOTES = "'\u2018\u2019\u201a\u201b"
_SECRETS_AS_ENV: ContextVar[bool] = ContextVar("secrets_as_env", default=False)


@contextmanager
def secrets_as_env() -> Iterator[None]:
    """Within this block, `ps` renders secret values as `$env:NAME` instead of their text."""
    token = _SECRETS_AS_ENV.set(True)
    try:
        yield
    finally:
        _SECRETS_AS_ENV.reset(token)


class PsCode(Markup):
    """Text that is safe to place into a script as is (produced by `ps`).

    It is a `Markup` so that the template environment's escaping leaves it alone while it
    still refuses plain values (see `fabric_scvmm.scripts`).
    """


def ps(value: Any) -> PsCode:
    """Render a Python value as a PowerShell literal."""
    if isinstance(value, PsCode):
        return value
    if value is None:
        return PsCode("$null")
    if isinstance(value, bool):
        return PsCode("$true" if value else "$false")
    if isinstance(value, int):
        return PsCode(str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be rendered into PowerShell")
        return PsCode(repr(value))
    if isinstance(value, str):
        name = secret_name(value) if _SECRETS_AS_ENV.get() else None
        if name is not None:  # NAME is [A-Za-z_][A-Za-z0-9_]*: nothing to quote
            return PsCode(f"$env:{name}")
        return PsCode("'" + "".join(ch * 2 if ch in _QUOTES else ch for ch in str(value)) + "'")
    if isinstance(value, Mapping):
        raise TypeError("mappings are rendered field by field, not as one value")
    if isinstance(value, Sequence):
        return PsCode("@(" + ", ".join(str(ps(item)) for item in value) + ")")
    raise TypeError(f"cannot render {type(value).__name__} into PowerShell")
