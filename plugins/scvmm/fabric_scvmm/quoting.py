"""The one quoting filter every value rendered into PowerShell goes through.

Strings become single-quoted literals with `'` doubled (PowerShell also treats the
typographic quotes ‘ ’ ‚ ‛ as quote characters, so they are doubled too); nothing inside a
single-quoted string is interpreted: no `$()`, no backtick escapes, newlines stay literal.
Numbers and booleans are typed (`42`, `$true`), `None` is `$null`, lists are `@(…)`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

_QUOTES = "'\u2018\u2019\u201a\u201b"


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
        return PsCode("'" + "".join(ch * 2 if ch in _QUOTES else ch for ch in str(value)) + "'")
    if isinstance(value, Mapping):
        raise TypeError("mappings are rendered field by field, not as one value")
    if isinstance(value, Sequence):
        return PsCode("@(" + ", ".join(str(ps(item)) for item in value) + ")")
    raise TypeError(f"cannot render {type(value).__name__} into PowerShell")
