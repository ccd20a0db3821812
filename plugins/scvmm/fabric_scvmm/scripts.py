"""Rendering scripts: a sandboxed jinja2 environment in which every value must pass through `ps`.

The environment's `finalize` hook sees every `{{ … }}` result and refuses anything that is
not `PsCode` (or the output of a macro, itself built from template text and `ps` values),
so a template that forgets the filter fails loudly instead of emitting an unquoted value.
Autoescaping is on only so that macro results come back marked (as `Markup`); nothing is
HTML-escaped, because every value that reaches the output is already `PsCode`.

Every template renders for one target VMM version (`fabric_scvmm.versions`): it sees `version`,
`target` (its label) and `features` (what that version has), and calls `refuse(message)` for
anything the target cannot do, which raises `UnsupportedOnTarget` instead of writing a script
that would fail at parameter binding. Template globals: `psvar(name)` (a script variable such as
`$id`, for a macro that takes an ID expression), `prop(kind, type, name)` (a row of
`fabric_scvmm.properties`, for guarded reads). Filters: `ps` (every value), `ident` (a template's
own identifier), `words` (plain words for a comment), `mac` (a MAC address with dashes), `join`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from fabric.errors import ProviderError
from fabric_scvmm.kinds import KINDS_DIR
from fabric_scvmm.properties import Property, lookup
from fabric_scvmm.quoting import PsCode, ps
from fabric_scvmm.versions import DEFAULT_VERSION, LABELS, features

TEMPLATES = Path(__file__).parent / "templates"  # the shared macros, the read script, the self-test
# `KIND/OPERATION.ps1.j2` lives in the kind's folder (`fabric_scvmm/kinds/KIND/`), beside its parser
TEMPLATE_DIRS = (KINDS_DIR, TEMPLATES)
OPERATIONS = ("create", "update", "delete")  # each kind also has read.ps1.j2, composed into one read script


class UnquotedValue(jinja2.exceptions.SecurityError):
    """A template placed a value into a script without the `ps` filter."""


class UnsupportedOnTarget(ProviderError):
    """The change needs something the target VMM version does not have (validation refuses it first)."""


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):  # PsCode, or a macro's output
        return value
    raise UnquotedValue(f"value {value!r} reached a script without the |ps filter")


def environment() -> SandboxedEnvironment:
    """The script environment: sandboxed, strict undefined, `ps` filter, quoted output only."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in TEMPLATE_DIRS]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # only filters that cannot hand back Markup: a Markup value would pass `finalize` unquoted
    env.filters = {name: env.filters[name] for name in _SAFE_FILTERS}
    env.filters.update(ps=ps, ident=ident, words=words, join=_join, mac=_mac)
    env.globals.update(psvar=psvar, prop=_prop, refuse=_refuse)
    return env


_SAFE_FILTERS = ("map", "list", "lower", "upper", "length", "default", "first", "last", "sort", "unique")


def _join(items: Any, separator: str = "") -> str:
    """A plain-text join (jinja's returns Markup under autoescape); still needs `ps` to be output."""
    return str(separator).join(str(item) for item in items)


def _mac(value: str) -> str:
    """A MAC address as the cmdlet help writes it, with dashes (`00-1D-D8-B7-1C-00`, audit D15)."""
    return str(value).replace(":", "-")


def psvar(name: str) -> PsCode:
    """The script variable `$name` (`$_` for `_`), for macros that take a PowerShell expression."""
    if not isinstance(name, str) or not re.fullmatch(r"_|[A-Za-z][A-Za-z0-9]*", name):
        raise UnquotedValue(f"{name!r} is not a variable name")
    return PsCode("$" + name)


def _prop(kind: str, vmm_type: str, name: str) -> Property:
    try:
        return lookup(kind, vmm_type, name)
    except KeyError:
        raise UnquotedValue(f"{vmm_type}.{name} ({kind}) is not in fabric_scvmm.properties") from None


def _refuse(message: str) -> NoReturn:
    raise UnsupportedOnTarget(str(message))


def target(vmm_version: str = DEFAULT_VERSION, vmm_server: str | None = None) -> dict[str, Any]:
    """What every template sees about where its script runs."""
    return {
        "vmm_server": vmm_server,
        "version": vmm_version,
        "target": LABELS[vmm_version],
        "features": features(vmm_version),
    }


def ident(name: str) -> Markup:
    """A template's own identifier (variable or cmdlet name): letters, digits and dashes only."""
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", name):
        raise UnquotedValue(f"{name!r} is not an identifier")
    return Markup(name)  # noqa: S704 - checked above: letters, digits and dashes only


def words(text: str) -> Markup:
    """Plain words for a comment line (`VMM 2012 R2`): letters, digits, spaces and `.-_` only."""
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9 ._-]*", text):
        raise UnquotedValue(f"{text!r} is not plain words")
    return Markup(text)  # noqa: S704 - checked above: nothing that ends a comment or quotes


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
    vmm_version: str = DEFAULT_VERSION,
) -> str:
    """The script for one operation on `vmm_version`; attribute references must already be live IDs
    (or `PsCode` expressions such as `$ids['ADDRESS']`).

    `vmm_server`: the VMM server to connect to (Get-SCVMMServer), if not the local default.
    UnsupportedOnTarget if the change needs what that version does not have.
    """
    template = _ENV.get_template(template_name(kind, operation))
    return template.render(a=dict(attributes), id=live_id, address=address, **target(vmm_version, vmm_server))


def render_named(name: str, **context: Any) -> str:
    """Any other template of the plug-in (the read script, the self-test) with `context`."""
    return _ENV.get_template(name).render(**context)


def template_files() -> list[tuple[str, Path]]:
    """Every template as (its name for the loader, its file): the kinds' and the shared ones."""
    return sorted(
        (path.relative_to(root).as_posix(), path) for root in TEMPLATE_DIRS for path in root.rglob("*.ps1.j2")
    )
