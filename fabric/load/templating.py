"""Sandboxed jinja2 rendering of YAML values: `{{ expr }}` alone yields a native value.

The environment is sandboxed with strict undefined, so a template can read only the
variables it is given and a typo is an error, not an empty string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

MAX_BITS = 100_000  # integers a template may build with * and ** (about 30,000 digits)
MAX_LENGTH = 1_000_000  # characters or items a template may build by repetition (`'x' * n`)


class _Sandbox(SandboxedEnvironment):
    """The sandbox with `*` and `**` bounded: `7 ** 10**8` would run for minutes, `'x' * 10**10` exhaust memory."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if _too_large(operator, left, right):
            raise SecurityError(f"the result of {operator} would be too large")
        return super().call_binop(context, operator, left, right)


def _too_large(operator: str, left: Any, right: Any) -> bool:
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "**":
        return ints and right > 0 and abs(left) > 1 and abs(left).bit_length() * right > MAX_BITS
    if ints:
        return bool(left.bit_length() + right.bit_length() > MAX_BITS)  # n * n * n … grows without **
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
            return len(sequence) * count > MAX_LENGTH
    return False


_ENV = _Sandbox(undefined=jinja2.StrictUndefined, autoescape=False)
_WHOLE = re.compile(r"^\s*\{\{(?P<expr>(?:(?!\{\{|\}\}).)*)\}\}\s*$", re.DOTALL)
_CACHE: dict[str, Callable[[dict[str, Any]], Any]] = {}


class TemplateProblem(Exception):
    """A template failed to compile or render; the message says why."""


def is_template(text: str) -> bool:
    """True if `text` contains jinja2 markup."""
    return "{{" in text or "{%" in text


def _compile(text: str) -> Callable[[dict[str, Any]], Any]:
    match = _WHOLE.match(text)
    if match:
        expression = _ENV.compile_expression(match.group("expr"), undefined_to_none=False)

        def evaluate(ctx: dict[str, Any]) -> Any:
            value = expression(**ctx)
            if isinstance(value, jinja2.Undefined):
                str(value)  # raises UndefinedError with jinja2's message
            return value

        return evaluate
    template = _ENV.from_string(text)
    return lambda ctx: template.render(ctx)


_NO_ATTR = re.compile(r"^'(?:dict object|jinja2\.utils\.Namespace object)' has no attribute '(?P<name>[^']*)'$")


def _undefined_message(message: str) -> str:
    match = _NO_ATTR.match(message)
    if match:
        return f"undefined in template: {match.group('name')!r} is undefined"
    return f"undefined in template: {message}"


def render(text: str, context: dict[str, Any]) -> Any:
    """Render one template string; raise TemplateProblem with a one-line reason."""
    try:
        fn = _CACHE.get(text)
        if fn is None:
            fn = _CACHE[text] = _compile(text)
        value = fn(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"template syntax error: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateProblem(f"template refused by the sandbox: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(_undefined_message(str(exc.message))) from None
    except Exception as exc:  # any error raised by user expressions (e.g. 1/0)
        raise TemplateProblem(f"template failed: {type(exc).__name__}: {exc}") from None
    if isinstance(value, jinja2.Undefined):
        raise TemplateProblem("template produced an undefined value")
    return value
