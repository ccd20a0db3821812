"""Checking fabric.yaml's `provider:` block against the provider's declared settings.

Provider settings are copied into saved plan files, so anything that looks like a secret
(`password`, `token`, `secret`, `api_key`, …) must be written as `${env:NAME}`; a setting the
provider does not declare is refused with the closest known one. Each problem is a `Finding`
at its key path under `provider`, located like every other problem in fabric.yaml.

A provider may also refuse resources it cannot manage with these settings (a VMM version without
a feature the stamp uses): its settings model defines `resource_findings(fabric)` (the
`ResourceChecks` protocol), which `resource_findings` calls with the validated settings. Its
findings point into the resource files like the core rules' (`fabric.sources[address]`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ValidationError

from fabric.load.suggest import did_you_mean
from fabric.model.stamp import Fabric, Finding, ProviderConfig, SourceRef
from fabric.secrets import reference_name

Path = tuple[str | int, ...]
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")  # snake_case, kebab-case and camelCase words
_SECRET_WORDS = frozenset(
    {"password", "passwd", "pwd", "secret", "secrets", "token", "tokens", "apikey", "passphrase", "credential"}
)
_SECRET_PARTS = ("password", "secret", "token", "passphrase", "apikey", "privatekey", "accesskey", "credential")
_NO_SECRETS = "a secret never goes in fabric.yaml (provider settings are copied into saved plans)"
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def looks_secret(key: str) -> bool:
    """True for a setting name that suggests a secret: `password`, `clientSecret`, `api_key`, `token`."""
    words = [w.lower() for w in _WORD.findall(key)]
    if not words:
        return False
    compact = "".join(words)
    return bool(_SECRET_WORDS.intersection(words)) or words[-1] == "key" or any(p in compact for p in _SECRET_PARTS)


def _names_a_variable(key: str, value: Any) -> bool:
    """`password_env: MY_VAR`: the name of the variable that holds the secret, not the secret."""
    words = [w.lower() for w in _WORD.findall(key)]
    return bool(words) and words[-1] == "env" and isinstance(value, str) and _ENV_NAME.fullmatch(value) is not None


def _secret_problems(kind: str, value: Any, path: Path, secret: bool) -> Iterator[tuple[Path, str]]:
    """Secret-looking settings (at any depth) whose value is not a `${env:NAME}` reference."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _secret_problems(kind, item, (*path, key), secret or looks_secret(str(key)))
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _secret_problems(kind, item, (*path, i), secret)
        return
    if not secret or value is None or reference_name(value) is not None:
        return
    shown = ".".join(str(p) for p in path)
    last = str(next((p for p in reversed(path) if isinstance(p, str)), ""))
    words = [w.lower() for w in _WORD.findall(last)]
    if words and words[-1] == "env":
        if _names_a_variable(last, value):
            return
        yield (
            path,
            (
                f"provider {kind}: setting {shown!r} names an environment variable: write the variable's name "
                "(letters, digits and _), never the secret itself"
            ),
        )
        return
    yield (
        path,
        (
            f"provider {kind}: setting {shown!r} looks like a secret: provider settings are copied into saved plans, "
            "so write it as ${env:NAME} and set NAME in the environment"
        ),
    )


def provider_findings(file: str, config: ProviderConfig, model: type[BaseModel] | None) -> list[Finding]:
    """Every problem of fabric.yaml's `provider:` block (`file`: fabric.yaml as shown), checked
    against the provider's settings `model` (None: the provider declares none; only secrets are checked).

    Values are never echoed for secret-looking settings.
    """
    settings = dict(config.model_extra or {})
    kind = config.type
    out: list[Finding] = []
    skipped: list[Path] = []
    if model is not None and model.model_config.get("extra") == "forbid":
        known = sorted({"type", *(f.alias or name for name, f in model.model_fields.items())})
        hint = str(getattr(model, "UNKNOWN_HINT", ""))
        for key in settings:
            if key in known:
                continue
            message = f"provider {kind}: unknown setting(s) {key}{did_you_mean(key, known)} (known: {', '.join(known)})"
            if looks_secret(key):
                message += f"; {hint or _NO_SECRETS}"
            out.append(Finding(SourceRef(file, ("provider", key)), message, True))
            skipped.append((key,))
    unchecked = {k: v for k, v in settings.items() if (k,) not in skipped}
    for path, message in _secret_problems(kind, unchecked, (), False):
        out.append(Finding(SourceRef(file, ("provider", *path)), message))
        skipped.append(path)
    if model is None:
        return out
    try:
        model.model_validate(settings)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            if err["type"] == "extra_forbidden" or any(loc[: len(p)] == p for p in skipped):
                continue
            where = ".".join(str(p) for p in loc)
            if err["type"] == "missing":
                out.append(Finding(SourceRef(file, ("provider",)), f"provider {kind}: missing setting {where!r}", True))
                continue
            text = err["msg"].removeprefix("Value error, ")
            shown = "" if any(looks_secret(str(p)) for p in loc) else f" (got {_short(err.get('input'))})"
            message = f"provider {kind}: {where}: {text}{shown}" if where else f"provider {kind}: {text}"
            out.append(Finding(SourceRef(file, ("provider", *loc)), message, not where))
    return out


@runtime_checkable
class ResourceChecks(Protocol):
    """A provider's settings that also check the stamp's resources against what the provider can do."""

    def resource_findings(self, fabric: Fabric) -> Iterable[Finding]:
        """Every resource (or attribute) these settings cannot manage, located at its source."""
        ...


def resource_findings(fabric: Fabric, model: type[BaseModel] | None) -> list[Finding]:
    """The provider's own resource checks (`ResourceChecks`), run with the stamp's settings; none
    if the model has no such checks or the settings are invalid (`provider_findings` reports those)."""
    if model is None or not issubclass(model, ResourceChecks):
        return []
    try:
        settings = model.model_validate(dict(fabric.config.provider.model_extra or {}))
    except ValidationError:
        return []
    if not isinstance(settings, ResourceChecks):
        return []
    return list(settings.resource_findings(fabric))


def _short(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        return "a value too large to show"
    return text if len(text) <= 60 else text[:57] + "..."
