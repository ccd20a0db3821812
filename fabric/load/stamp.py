"""`load_stamp`: read a stamp directory into a `Fabric`, or every problem found.

Order: check the stamp path, parse `fabric.yaml`, parse and expand every other `*.yaml`,
validate each resource against its model, refuse duplicate addresses. Semantic rules live in
`fabric.validate`. Problems come with hints where one helps: the key, kind or address meant
(`fabric.load.suggest`), and what a follow-on problem follows from (`fabric.load.cascade`).
"""

from __future__ import annotations

import os
import stat
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from fabric.errors import ConfigError, Diagnostic, SourceLocation, StampPathError
from fabric.load.budget import budget
from fabric.load.cascade import Cascade, Dropped, FollowOn
from fabric.load.expand import META_KEYS, RawResource, Work, expand_file
from fabric.load.library import hash_scripts
from fabric.load.suggest import NameIndex, did_you_mean
from fabric.load.yamlfile import Locator, decode_error_location, parse_yaml
from fabric.model.refs import DEPENDS_ON
from fabric.model.resources import KINDS, Resource
from fabric.model.stamp import Fabric, Finding, SourceRef, StampConfig

STAMP_FILE = "fabric.yaml"
MAX_FILE_BYTES = 64 * 1024 * 1024
PARALLEL_PARSE_BYTES = 4 * 1024 * 1024
MAX_DIRS_SCANNED = 2000  # looking for stamps below a directory that is not one
MAX_STAMPS_LISTED = 10


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the working directory when below it."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def pydantic_findings(
    exc: ValidationError,
    source: SourceRef,
    address: str | None,
    model: type[BaseModel] | None = None,
    prefix: tuple[str | int, ...] = (),
) -> list[Finding]:
    """One finding per pydantic error, at the path the error names.

    `model`: the model validated, so that an unknown key names the closest valid one; `prefix`:
    where the validated value sits inside `model` (an item validated on its own).
    """
    out: list[Finding] = []
    for err in exc.errors():
        loc = (*prefix, *err["loc"])
        where = ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            valid = valid_keys(model, loc[:-1]) if model is not None else []
            msg, path, at_key = f"unknown key {str(loc[-1])!r}{did_you_mean(str(loc[-1]), valid)}", loc, True
        elif err["type"] == "missing":
            msg, path, at_key = f"missing required key {where!r}", loc[:-1], True
        else:
            text = err["msg"].removeprefix("Value error, ")
            msg = f"{where}: {text} (got {_short_repr(err.get('input'))})" if where else text
            path, at_key = loc, not where
        out.append(Finding(SourceRef(source.file, (*source.path, *path)), msg, at_key, address))
    return out


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation such as `Capacity`, `list[VirtualPort]` or `Lifecycle | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def valid_keys(model: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    """The keys a mapping at `path` inside `model` may hold (as written: aliases, `for_each`, `children`)."""
    current: type[BaseModel] | None = model
    for step in path:
        if isinstance(step, int) or current is None:
            continue  # a list index: the items' model is the one already reached
        fields = {f.alias or name: f for name, f in current.model_fields.items()}
        spec = fields.get(str(step))
        current = _inner_model(spec.annotation) if spec is not None else None
    if current is None:
        return []
    keys = [f.alias or name for name, f in current.model_fields.items()]
    if path == () and issubclass(current, Resource):
        writable = [k for k in keys if not (current.KIND == "host_group" and k == "parent")]
        keys = writable + [k for k in META_KEYS if k == "for_each" or current.KIND == "host_group"]
    return keys


def _ref_kind(model: type[Resource], loc: tuple[Any, ...]) -> str | None:
    """The kind the reference at `loc` must be of ('' = any), or None if `loc` holds no reference."""
    for pattern, kind in {**model.REFS, **DEPENDS_ON}.items():
        if len(pattern) == len(loc) and all(p in ("*", step) for p, step in zip(pattern, loc, strict=True)):
            return kind
    return None


@dataclass(frozen=True)
class _NotAnAddress:
    """A reference that failed the address pattern (`IaaS Oslo`): a display name or key, perhaps."""

    finding: int  # its index in the findings
    kind: str
    value: str
    where: str


def _address_hints(findings: list[Finding], pending: list[_NotAnAddress], index: NameIndex) -> None:
    """Point references written as a display name or bare key at the address meant."""
    for bad in pending:
        hint = index.hint(bad.value, bad.kind)
        if hint is not None:
            f = findings[bad.finding]
            message = f"{bad.where}: {bad.value!r} is not an address; {hint}"
            findings[bad.finding] = Finding(f.source, message, f.at_key, f.address)


def _short_repr(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # e.g. an integer too long to print
        return "a value too large to show"
    return text if len(text) <= 60 else text[:57] + "..."


def read_text(path: Path, name: str, locator: Locator) -> tuple[str | None, list[Diagnostic]]:
    """A file's text (registered with the locator), or why it cannot be read (not a regular file,
    larger than MAX_FILE_BYTES, not UTF-8)."""
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
    import multiprocessing  # only for a large stamp: 10 ms of imports a small one need not pay
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(parse_yaml, [t for _, t in texts], [n for n, _ in texts], chunksize=1))


def _read(path: Path, name: str, locator: Locator) -> tuple[Any, list[Diagnostic]]:
    """Read and parse one file."""
    text, diags = read_text(path, name, locator)
    return (None, diags) if text is None else parse_yaml(text, name)


def to_diagnostics(findings: list[Finding], locator: Locator) -> list[Diagnostic]:
    """Resolve findings' key paths to file:line:col (a repeated resource's identical findings once)."""
    out: dict[tuple[object, str], Diagnostic] = {}
    for f in findings:
        where = locator.locate(f.source.file, f.source.path, at_key=f.at_key)
        cause = f.cause if isinstance(f, FollowOn) and f.cause != where else None
        out.setdefault((where, f.message), Diagnostic(where, f.message, f.address, f.severity, cause))
    return list(out.values())


def _config(root: Path, locator: Locator) -> tuple[StampConfig | None, list[Diagnostic]]:
    path = root / STAMP_FILE
    name = display_path(path)
    data, diags = _read(path, name, locator)
    if diags:
        return None, diags
    if not isinstance(data, dict):
        return None, [Diagnostic(SourceLocation(name, 1, 1), f"{STAMP_FILE} must be a mapping")]
    try:
        return StampConfig.model_validate(data), []
    except ValidationError as exc:
        return None, to_diagnostics(pydantic_findings(exc, SourceRef(name, ()), None, StampConfig), locator)


def load_config(root: Path) -> StampConfig:
    """Only `fabric.yaml` (for commands that need the stamp's settings, not its resources).

    StampPathError if `root` is not a stamp directory, ConfigError if `fabric.yaml` is invalid.
    """
    check_stamp_dir(root)
    config, diagnostics = _config(root, Locator())
    if config is None:
        raise ConfigError(diagnostics)
    return config


def _model(raw: RawResource, first: int) -> tuple[Resource | None, list[Finding], list[_NotAnAddress]]:
    """The resource's model, or its findings (numbered from `first`) and references that are no address."""
    cls = KINDS[raw.kind]
    try:
        return cls.model_validate(raw.body), [], []
    except ValidationError as exc:
        findings = pydantic_findings(exc, raw.source, raw.address, cls)
        pending: list[_NotAnAddress] = []
        for i, err in enumerate(exc.errors()):
            loc, value = tuple(err["loc"]), err.get("input")
            kind = _ref_kind(cls, loc) if err["type"] == "value_error" and isinstance(value, str) else None
            if kind is not None and "is not an address" in err["msg"]:
                pending.append(_NotAnAddress(first + i, kind, str(value), ".".join(str(p) for p in loc)))
        return None, findings, pending


@dataclass
class LoadedStamp:
    """What `load_stamp_details` found: the fabric so far, problems, and what they dropped."""

    fabric: Fabric | None  # every resource that passed its model; None if fabric.yaml failed
    locator: Locator
    diagnostics: list[Diagnostic]
    cascade: Cascade = field(default_factory=Cascade)

    @property
    def known(self) -> set[str]:
        """Addresses declared but invalid (references to them are follow-ons, not dangling)."""
        return set(self.cascade.invalid)


def load_stamp(
    root: Path, variables: Mapping[str, Any] | None = None
) -> tuple[Fabric | None, Locator, list[Diagnostic], set[str]]:
    """Load and model-validate a stamp.

    Returns the fabric of every resource that passed its model (None if `fabric.yaml`
    failed), the locator, the diagnostics so far, and the addresses declared but invalid.
    `variables`: values overriding `fabric.yaml`'s `variables` (from `resolve_variables`);
    None = the defaults. StampPathError if `root` is not a stamp directory.
    """
    loaded = load_stamp_details(root, variables)
    return loaded.fabric, loaded.locator, loaded.diagnostics, loaded.known


def load_stamp_details(root: Path, variables: Mapping[str, Any] | None = None) -> LoadedStamp:
    """`load_stamp`, with what the problems dropped (for validation to word follow-ons)."""
    check_stamp_dir(root)
    locator = Locator()
    config, diagnostics = _config(root, locator)
    if config is None:
        return LoadedStamp(None, locator, diagnostics)
    if variables is not None:
        config = config.model_copy(update={"variables": {**config.variables, **variables}})
    values = config.variables
    cascade = Cascade()
    findings: list[Finding] = []
    pending: list[_NotAnAddress] = []
    resources: dict[str, Resource] = {}
    sources: dict[str, SourceRef] = {}
    invalid_bodies: dict[str, dict[str, Any]] = {}
    files = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml") and p.name != STAMP_FILE)
    texts: list[tuple[str, str]] = []
    for path in files:
        name = display_path(path)
        text, diags = read_text(path, name, locator)
        _lose_file(cascade, diags)
        diagnostics += diags
        if text is not None:
            texts.append((name, text))
    work = Work()
    with budget("stamp"):  # template work is counted across all files, as well as per file
        for (name, text), (data, diags) in zip(texts, _parse_all(texts), strict=True):
            _lose_file(cascade, diags)
            diagnostics += diags
            raws, problems = _expand(name, text, data, values, work)
            findings += problems
            for raw in raws:
                if raw.address in resources or raw.address in sources:
                    first = sources[raw.address]
                    where = locator.locate(first.file, first.path, at_key=True)
                    message = f"duplicate address, first declared at {where}"
                    findings.append(Finding(raw.source, message, True, raw.address))
                    continue
                sources[raw.address] = raw.source
                model, model_findings, bad_refs = _model(raw, len(findings))
                findings += model_findings
                pending += bad_refs
                if model is not None:
                    resources[raw.address] = model
                else:
                    invalid_bodies[raw.address] = raw.body
    if pending:  # only when some reference is not an address: index the names once
        dropped = [f.declared for f in findings if isinstance(f, Dropped) and f.declared]
        names = NameIndex(lambda: ((a, r.name) for a, r in resources.items()), [*sources, *dropped])
        _address_hints(findings, pending, names)
    diagnostics += to_diagnostics(findings + hash_scripts(root, resources, sources), locator)
    _record_cascade(cascade, findings, sources, locator, resources)
    cascade.bodies = {a: b for a, b in invalid_bodies.items() if a in cascade.invalid}
    fabric = Fabric(str(root), config, resources, sources, config_file=display_path(root / STAMP_FILE))
    return LoadedStamp(fabric, locator, diagnostics, cascade)


def _expand(
    name: str, text: str, data: Any, variables: dict[str, Any], work: Work
) -> tuple[list[RawResource], list[Finding]]:
    """One parsed file's resources and problems; none once the stamp's expansion had to stop
    for good (the resource limit) or, for a file with templates, once their budget ran out
    (that problem says where, and counts as losing resources of any kind)."""
    templated = "{{" in text or "{%" in text
    if work.stopped is not None and (templated or work.stopped_for_resources):
        return [], []
    secrets = templated or "${env:" in text
    raws, problems = expand_file(name, data, set(KINDS), variables, templated=templated, secrets=secrets, work=work)
    return raws, list(problems)


def _lose_file(cascade: Cascade, diagnostics: list[Diagnostic]) -> None:
    """A file that cannot be read or parsed may have declared anything."""
    for d in diagnostics:
        cascade.add_lost(frozenset(), d.location)


def _record_cascade(
    cascade: Cascade,
    findings: list[Finding],
    sources: Mapping[str, SourceRef],
    locator: Locator,
    resources: Mapping[str, Resource],
) -> None:
    """Note what the problems found so far kept out: invalid addresses and kinds lost without one."""
    for f in findings:
        if isinstance(f, Dropped) and not f.declared:
            cascade.add_lost(f.kinds, locator.locate(f.source.file, f.source.path, at_key=f.at_key))
            continue
        address = f.declared if isinstance(f, Dropped) else f.address
        if address and address not in resources:
            cascade.add_invalid(address, locator.locate(f.source.file, f.source.path, at_key=f.at_key))
    for address in (
        sources.keys() - resources.keys()
    ):  # declared, failed its model: every one, with or without a finding
        if address not in cascade.invalid:
            source = sources[address]
            cascade.add_invalid(address, locator.locate(source.file, source.path, at_key=True))


def check_stamp_dir(root: Path) -> None:
    """StampPathError unless `root` is a directory holding `fabric.yaml`, saying what it is instead."""
    shown = display_path(root)
    if not root.exists():
        raise StampPathError(f"no such directory: {shown}")
    if not root.is_dir():
        here = f", here {display_path(root.parent)}" if (root.parent / STAMP_FILE).exists() else ""
        raise StampPathError(f"{shown} is a file; give the stamp directory (the one holding {STAMP_FILE}){here}")
    stamp_file = root / STAMP_FILE
    if stamp_file.exists() or stamp_file.is_symlink():
        return  # whatever it is, reading it reports what is wrong with it, at its position
    try:
        names = sorted(entry.name for entry in os.scandir(root))
    except OSError as exc:
        raise StampPathError(f"cannot read {shown}: {exc.strerror or exc}") from None
    similar = [n for n in names if n.casefold() in ("fabric.yaml", "fabric.yml")]
    if similar:
        raise StampPathError(f"found {display_path(root / similar[0])}; fabric reads {STAMP_FILE} — rename it")
    below = stamps_below(root)
    if below:
        shown_below = ", ".join(below[:MAX_STAMPS_LISTED])
        more = f" and {len(below) - MAX_STAMPS_LISTED} more" if len(below) > MAX_STAMPS_LISTED else ""
        raise StampPathError(f"{shown} is not a stamp; the stamps under it: {shown_below}{more}")
    raise StampPathError(f"{shown} is not a stamp ({STAMP_FILE} not found in it)")


def stamps_below(root: Path, depth: int = 2) -> list[str]:
    """Stamp directories (holding `fabric.yaml`) up to `depth` levels below `root`, as shown in messages.

    Hidden directories (`.git`, `.fabric`) are skipped and at most MAX_DIRS_SCANNED are looked at.
    """
    found: list[str] = []
    level = [root]
    scanned = 0
    for _ in range(depth):
        below: list[Path] = []
        for folder in level:
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith(".") or scanned >= MAX_DIRS_SCANNED:
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                if not is_dir:
                    continue
                scanned += 1
                path = Path(entry.path)
                if (path / STAMP_FILE).is_file():
                    found.append(display_path(path))
                else:
                    below.append(path)
        level = below
    return sorted(found)
