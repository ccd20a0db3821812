"""The one quoting filter every value rendered into PowerShell goes through.

Strings become single-quoted literals with `'` doubled (PowerShell also treats the
typographic quotes ‘ ’ ‚ ‛ as quote characters: being non-ASCII they are never written raw,
see below, and `_quoted` would double them too); nothing inside a single-quoted string is
interpreted: no `$()`, no backtick escapes.
Numbers and booleans are typed (`42`, `$true`), `None` is `$null`, lists are `@(…)`.

A value's characters are written raw only if they are printable ASCII (space to `~`). Any
other — control characters (C0, DEL, C1: NUL, CR, LF, ESC, …), the line and paragraph
separators U+2028/2029, format characters such as the bidirectional overrides (which make a
reviewed line read differently from what runs), lone surrogates, and every other non-ASCII
character — makes the string a parenthesised concatenation of single-quoted pieces and
`[char]0x…` casts, `('K' + [char]0x00F8 + 'benhavn')`, which PowerShell evaluates to the same
string. The expression starts with a string literal, so `+` concatenates (a `[char]` on the
left would add numbers). Non-ASCII is never raw because Windows PowerShell 5.1, the shell the
VMM module runs in, reads a script file without a byte-order mark in the machine's ANSI code
page: written as UTF-8, `Ñ` (C3 91) reads as `Ã‘` on cp1252, and `‘` is a PowerShell quote,
so `'Ñ; Stop-Computer; #'` would end the string after `Ã` and run the rest. Values in ASCII
read the same in every code page, however the script file is saved.

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


def _raw_unsafe(ch: str) -> bool:
    """A character that must not be written into a script as it is: anything but printable ASCII."""
    return not " " <= ch <= "~"


def _quoted(text: str) -> str:
    return "'" + "".join(ch * 2 if ch in _QUOTES else ch for ch in text) + "'"


def _string(text: str) -> str:
    """A PowerShell expression for `text`: one single-quoted literal, or (with characters that must
    not appear raw) a concatenation of literals and `[char]` casts, starting with a literal."""
    if not any(_raw_unsafe(ch) for ch in text):
        return _quoted(text)
    parts: list[str] = []
    piece = ""
    for ch in text:
        if _raw_unsafe(ch):
            if piece or not parts:
                parts.append(_quoted(piece))
            piece = ""
            units = ch.encode("utf-16-le", "surrogatepass")  # [char] is one UTF-16 code unit
            parts += [f"[char]0x{int.from_bytes(units[i : i + 2], 'little'):04X}" for i in range(0, len(units), 2)]
        else:
            piece += ch
    if piece:
        parts.append(_quoted(piece))
    return "(" + " + ".join(parts) + ")"


class PsCode(Markup):
    """Text that is safe to place into a script as is (produced by `ps`).

    It is a `Markup` so that the template environment's escaping leaves it alone while it
    still refuses plain values (`fabric_scvmm.scripts`, `fabric.dr.azps`).
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
        return PsCode(_string(str(value)))
    if isinstance(value, Mapping):
        raise TypeError("mappings are rendered field by field, not as one value")
    if isinstance(value, Sequence):
        return PsCode("@(" + ", ".join(str(ps(item)) for item in value) + ")")
    raise TypeError(f"cannot render {type(value).__name__} into PowerShell")
