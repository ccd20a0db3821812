"""`fabric fmt`: rewrite a stamp's YAML files in canonical form, like `terraform fmt`."""

from __future__ import annotations

import contextlib
import difflib
import multiprocessing
import os
import stat
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fabric.cli.common import err, out, reports_errors, write
from fabric.errors import ConfigError, Diagnostic, FabricError, SourceLocation
from fabric.load.stamp import MAX_FILE_BYTES, STAMP_FILE, check_stamp_dir, display_path
from fabric.load.yamlfile import decode_error_location

if TYPE_CHECKING:
    from fabric.load.fmt import Formatted

PARALLEL_BYTES = 4 * 1024 * 1024  # above this much YAML, files are formatted on every core

Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Stamp directories (fabric.yaml and every *.yaml beside it) or single YAML files "
        "[default: the current directory].",
        show_default=False,
        metavar="[STAMP|FILE]...",
    ),
]


@dataclass(frozen=True)
class _Source:
    """A file read for formatting, with what is needed to replace it safely."""

    path: Path
    name: str
    text: str
    stamp_file: bool
    version: tuple[int, int, int]  # inode, size, mtime when read: it must not change before the write


def _stamp_files(root: Path) -> list[Path]:
    """The files a stamp is loaded from, as `fabric.load.stamp` finds them: fabric.yaml, then the others by name."""
    check_stamp_dir(root)
    others = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml") and p.name != STAMP_FILE)
    return [root / STAMP_FILE, *others]


def _targets(paths: list[Path]) -> list[Path]:
    """Every file to format, each once, in the order given."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            files = _stamp_files(path)
        elif path.exists() or path.is_symlink():
            files = [path]
        else:
            raise FabricError(f"no such file or directory: {display_path(path)}")
        for file in files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                found.append(file)
    return found


def _read(path: Path) -> tuple[_Source | None, list[Diagnostic]]:
    """A file's text, or why it cannot be read (the loader's own checks and messages)."""
    name = display_path(path)
    here = SourceLocation(name, 1, 1)
    too_large = [Diagnostic(here, f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")]
    raw = b""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block, /dev/zero never end
            return None, [Diagnostic(here, "not a regular file")]
        if info.st_size > MAX_FILE_BYTES:
            return None, too_large
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return None, too_large
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = decode_error_location(name, raw, exc)
        return None, [Diagnostic(where, f"not valid utf-8 text (byte 0x{raw[exc.start]:02x})")]
    except OSError as exc:
        return None, [Diagnostic(here, f"cannot read file: {exc}")]
    version = (info.st_ino, info.st_size, info.st_mtime_ns)
    return _Source(path, name, text, path.name == STAMP_FILE, version), []


def _format_one(text: str, name: str, stamp_file: bool) -> Formatted:
    from fabric.load.fmt import format_yaml  # imported here: other commands start without it

    return format_yaml(text, name, stamp_file=stamp_file)


def _format_all(sources: list[_Source]) -> list[Formatted]:
    """Format every file; large stamps use every core (the work is CPU-bound Python and libyaml)."""
    workers = min(len(sources), os.cpu_count() or 1)
    if workers < 2 or sum(len(s.text) for s in sources) < PARALLEL_BYTES:
        return [_format_one(s.text, s.name, s.stamp_file) for s in sources]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        texts, names, kinds = [s.text for s in sources], [s.name for s in sources], [s.stamp_file for s in sources]
        return list(pool.map(_format_one, texts, names, kinds, chunksize=1))


def _diff(source: _Source, new: str) -> str:
    """A unified diff (`a/FILE` → `b/FILE`, so `patch -p1` or `git apply` can apply it)."""
    lines = difflib.unified_diff(
        source.text.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{source.name}", f"b/{source.name}"
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _replace(source: _Source, text: str) -> None:
    """Write `text` over the file atomically: a temporary file beside it, renamed into place, same mode."""
    target = source.path.resolve()  # through a symlink: the link stays, its target is rewritten
    info = target.stat()
    if (info.st_ino, info.st_size, info.st_mtime_ns) != source.version:
        raise FabricError(f"{source.name} changed while it was being formatted; run fabric fmt again")
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".fmt-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@reports_errors
def fmt(
    paths: Paths = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; list the files that are not canonical, exit 1 if any.")
    ] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff of the changes; write nothing.")] = False,
) -> int:
    """Rewrite stamp YAML in canonical form: key order, indentation, blank lines (comments and values kept)."""
    sources: list[_Source] = []
    problems: list[Diagnostic] = []
    for path in _targets(paths or [Path(".")]):
        source, diagnostics = _read(path)
        problems += diagnostics
        if source is not None:
            sources.append(source)
    results = _format_all(sources)
    for result in results:
        problems += result.diagnostics
    if problems:
        raise ConfigError(problems)  # nothing is written while any file has a problem
    changed = [(s, r.text) for s, r in zip(sources, results, strict=True) if r.text is not None and r.text != s.text]
    if check or diff:
        for source, text in changed:
            if diff:
                write(_diff(source, text))
            else:
                out.print(source.name, markup=False)
        if check and changed:
            err.print(f"{len(changed)} file(s) not in canonical form; run fabric fmt to rewrite them.", markup=False)
        return 1 if check and changed else 0
    for source, text in changed:
        _replace(source, text)
        out.print(source.name, markup=False)
    return 0
