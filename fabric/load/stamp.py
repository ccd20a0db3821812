"""`load_stamp`: read a stamp directory into a `Fabric`, or every problem found.

Order: parse `fabric.yaml`, parse and expand every other `*.yaml`, validate each resource
against its model, refuse duplicate addresses. Semantic rules live in `fabric.validate`.
"""

from __future__ import annotations

import multiprocessing
import os
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fabric.errors import ConfigError, Diagnostic, SourceLocation
from fabric.load.expand import RawResource, expand_file
from fabric.load.yamlfile import Locator, decode_error_location, parse_yaml
from fabric.model.resources import KINDS, Resource
from fabric.model.stamp import Fabric, Finding, SourceRef, StampConfig

STAMP_FILE = "fabric.yaml"
MAX_FILE_BYTES = 64 * 1024 * 1024
PARALLEL_PARSE_BYTES = 4 * 1024 * 1024


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the working directory when below it."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def pydantic_findings(exc: ValidationError, source: SourceRef, address: str | None) -> list[Finding]:
    """One finding per pydantic error, at the path the error names."""
    out: list[Finding] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            msg, path, at_key = f"unknown key {str(loc[-1])!r}", loc, True
        elif err["type"] == "missing":
            msg, path, at_key = f"missing required key {where!r}", loc[:-1], True
        else:
            text = err["msg"].removeprefix("Value error, ")
            msg = f"{where}: {text} (got {_short_repr(err.get('input'))})" if where else text
            path, at_key = loc, not where
        out.append(Finding(SourceRef(source.file, (*source.path, *path)), msg, at_key, address))
    return out


def _short_repr(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # e.g. an integer too long to print
        return "a value too large to show"
    return text if len(text) <= 60 else text[:57] + "..."


def _read_text(path: Path, name: str, locator: Locator) -> tuple[str | None, list[Diagnostic]]:
    """A file's text (registered with the locator), or why it cannot be read."""
    too_large = [Diagnostic(SourceLocation(name, 1, 1), f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")]
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block, /dev/zero never end
            return None, [Diagnostic(SourceLocation(name, 1, 1), "not a regular file")]
        if info.st_size > MAX_FILE_BYTES:
            return None, too_large
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)  # it may have grown since stat
        if len(raw) > MAX_FILE_BYTES:
            return None, too_large
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = decode_error_location(name, raw, exc)
        return None, [Diagnostic(where, f"not valid utf-8 text (byte 0x{raw[exc.start]:02x})")]
    except OSError as exc:
        return None, [Diagnostic(SourceLocation(name, 1, 1), f"cannot read file: {exc}")]
    locator.add(name, text)
    return text, []


def _parse_all(texts: list[tuple[str, str]]) -> list[tuple[Any, list[Diagnostic]]]:
    """Parse many files; large stamps use every core (libyaml holds the GIL, processes do not)."""
    workers = min(len(texts), os.cpu_count() or 1)
    if workers < 2 or sum(len(t) for _, t in texts) < PARALLEL_PARSE_BYTES:
        return [parse_yaml(text, name) for name, text in texts]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(parse_yaml, [t for _, t in texts], [n for n, _ in texts], chunksize=1))


def _read(path: Path, name: str, locator: Locator) -> tuple[Any, list[Diagnostic]]:
    """Read and parse one file."""
    text, diags = _read_text(path, name, locator)
    return (None, diags) if text is None else parse_yaml(text, name)


def to_diagnostics(findings: list[Finding], locator: Locator) -> list[Diagnostic]:
    """Resolve findings' key paths to file:line:col (a repeated resource's identical findings once)."""
    out: dict[tuple[object, str], Diagnostic] = {}
    for f in findings:
        where = locator.locate(f.source.file, f.source.path, at_key=f.at_key)
        out.setdefault((where, f.message), Diagnostic(where, f.message, f.address))
    return list(out.values())


def _config(root: Path, locator: Locator) -> tuple[StampConfig | None, list[Diagnostic]]:
    path = root / STAMP_FILE
    name = display_path(path)
    if not path.is_file():
        where = SourceLocation(name, 1, 1)
        return None, [Diagnostic(where, f"not a stamp: {STAMP_FILE} not found in {display_path(root)}")]
    data, diags = _read(path, name, locator)
    if diags:
        return None, diags
    if not isinstance(data, dict):
        return None, [Diagnostic(SourceLocation(name, 1, 1), f"{STAMP_FILE} must be a mapping")]
    try:
        return StampConfig.model_validate(data), []
    except ValidationError as exc:
        return None, to_diagnostics(pydantic_findings(exc, SourceRef(name, ()), None), locator)


def load_config(root: Path) -> StampConfig:
    """Only `fabric.yaml` (for commands that need the stamp's settings, not its resources)."""
    config, diagnostics = _config(root, Locator())
    if config is None:
        raise ConfigError(diagnostics)
    return config


def _model(raw: RawResource) -> tuple[Resource | None, list[Finding]]:
    try:
        return KINDS[raw.kind].model_validate(raw.body), []
    except ValidationError as exc:
        return None, pydantic_findings(exc, raw.source, raw.address)


def load_stamp(root: Path) -> tuple[Fabric | None, Locator, list[Diagnostic], set[str]]:
    """Load and model-validate a stamp.

    Returns the fabric of every resource that passed its model (None if `fabric.yaml`
    failed), the locator, the diagnostics so far, and the addresses declared but invalid.
    """
    locator = Locator()
    config, diagnostics = _config(root, locator)
    if config is None:
        return None, locator, diagnostics, set()
    variables = config.variables
    findings: list[Finding] = []
    resources: dict[str, Resource] = {}
    sources: dict[str, SourceRef] = {}
    files = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml") and p.name != STAMP_FILE)
    texts: list[tuple[str, str]] = []
    for path in files:
        name = display_path(path)
        text, diags = _read_text(path, name, locator)
        diagnostics += diags
        if text is not None:
            texts.append((name, text))
    for (name, text), (data, diags) in zip(texts, _parse_all(texts), strict=True):
        diagnostics += diags
        templated = "{{" in text or "{%" in text
        secrets = templated or "${env:" in text
        raws, problems = expand_file(name, data, set(KINDS), variables, templated=templated, secrets=secrets)
        findings += problems
        for raw in raws:
            if raw.address in resources or raw.address in sources:
                first = sources[raw.address]
                msg = f"duplicate address, first declared at {locator.locate(first.file, first.path, at_key=True)}"
                findings.append(Finding(raw.source, msg, True, raw.address))
                continue
            sources[raw.address] = raw.source
            model, model_findings = _model(raw)
            findings += model_findings
            if model is not None:
                resources[raw.address] = model
    diagnostics += to_diagnostics(findings, locator)
    known = set(sources) - set(resources)
    fabric = Fabric(str(root), config, resources, sources, config_file=display_path(root / STAMP_FILE))
    return fabric, locator, diagnostics, known
