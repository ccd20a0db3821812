"""Rendering scripts: a sandboxed jinja2 environment in which every value must pass through `ps`.

The environment's `finalize` hook sees every `{{ … }}` result and refuses anything that is
not `PsCode` (or the output of a macro, itself built from template text and `ps` values),
so a template that forgets the filter fails loudly instead of emitting an unquoted value.
Autoescaping is on only so that macro results come back marked (as `Markup`); nothing is
HTML-escaped, because every value that reaches the output is already `PsCode`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from fabric_scvmm.quoting import ps

TEMPLATES = Path(__file__).parent / "templates"
OPERATIONS = ("create", "update", "delete")  # each kind also has read.ps1.j2, composed into one read script


class UnquotedValue(jinja2.exceptions.SecurityError):
    """A template placed a value into a script without the `ps` filter."""


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):  # PsCode, or a macro's output
        return value
    raise UnquotedValue(f"value {value!r} reached a script without the |ps filter")


def environment() -> SandboxedEnvironment:
    """The script environment: sandboxed, strict undefined, `ps` filter, quoted output only."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # only filters that cannot hand back Markup: a Markup value would pass `finalize` unquoted
    env.filters = {name: env.filters[name] for name in _SAFE_FILTERS}
    env.filters.update(ps=ps, ident=ident, join=_join)
    return env


_SAFE_FILTERS = ("map", "list", "lower", "upper", "length", "default", "first", "last", "sort", "unique")


def _join(items: Any, separator: str = "") -> str:
    """A plain-text join (jinja's returns Markup under autoescape); still needs `ps` to be output."""
    return str(separator).join(str(item) for item in items)


def ident(name: str) -> Markup:
    """A template's own identifier (variable or cmdlet name): letters, digits and dashes only."""
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", name):
        raise UnquotedValue(f"{name!r} is not an identifier")
    return Markup(name)  # noqa: S704 - checked above: letters, digits and dashes only


_ENV = environment()


def template_name(kind: str, operation: str) -> str:
    """`host_group/create.ps1.j2` and so on."""
    return f"{kind}/{operation}.ps1.j2"


def render(
    kind: str,
    operation: str,
    attributes: Mapping[str, Any],
    live_id: str | None = None,
    address: str = "",
    vmm_server: str | None = None,
) -> str:
    """The script for one operation; attribute references must already be live IDs.

    `vmm_server`: the VMM server to connect to (Get-SCVMMServer), if not the local default.
    """
    template = _ENV.get_template(template_name(kind, operation))
    return template.render(a=dict(attributes), id=live_id, address=address, vmm_server=vmm_server)
