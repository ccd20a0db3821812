"""Library scripts: read each `library_script`'s source file from the stamp, hash it, lint it.

The SHA-256 becomes the resource's `sha256` attribute, so a changed file plans as an update
(the script placed again). The lint is rule DR018 of the DR brief: VMM fails a recovery-plan
script that writes with `Write-Host` or to STDERR, so such a script is refused here, at its line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from fabric.model.dr import LibraryScript
from fabric.model.resources import Resource
from fabric.model.stamp import Finding, SourceRef

MAX_SCRIPT_BYTES = 1024 * 1024
# what VMM's script host treats as failure output (dr-domain.md §0.8, DR018)
_FAILS = (
    (re.compile(r"\bWrite-Host\b", re.IGNORECASE), "Write-Host"),
    (re.compile(r"\bWrite-Error\b", re.IGNORECASE), "Write-Error"),
    (re.compile(r"\[\s*(System\s*\.\s*)?Console\s*\]\s*::\s*Error\b", re.IGNORECASE), "[Console]::Error"),
    (re.compile(r"\$host\s*\.\s*ui\s*\.\s*WriteErrorLine\b", re.IGNORECASE), "$Host.UI.WriteErrorLine"),
)


def code_lines(text: str) -> list[str]:
    """Each line of a PowerShell script as it names commands: comments dropped (`# …` outside
    strings, `<# … #>` across lines), the text of strings dropped (quotes kept), backtick escapes
    undone. A command name built at run time (`& ('Write' + '-Host')`) is not seen."""
    out = []
    in_block = False
    for line in text.splitlines():
        code: list[str] = []
        quote = ""
        i = 0
        while i < len(line):
            ch = line[i]
            if in_block:
                if line.startswith("#>", i):
                    in_block = False
                    i += 2
                    continue
            elif quote:  # a string's text is data, not a command: blanked
                if ch == quote:
                    quote = ""
                    code.append(ch)
                elif ch == "`" and quote == '"':  # an escaped character
                    i += 1
            elif ch == "`":  # outside strings a backtick escapes the next character: Wr`ite-Host is Write-Host
                pass
            elif line.startswith("<#", i):
                in_block = True
                i += 2
                continue
            elif ch == "#":
                break
            else:
                if ch in "'\"":
                    quote = ch
                code.append(ch)
            i += 1
        out.append("".join(code))
    return out


def lint(text: str) -> list[tuple[int, str]]:
    """(line number, problem) for every line of a recovery-plan script VMM would fail on."""
    out = []
    for number, line in enumerate(code_lines(text), 1):
        for pattern, what in _FAILS:
            if pattern.search(line):
                out.append((number, f"{what} fails a recovery-plan script (VMM treats its output as an error)"))
    return out


def _read(root: Path, source: str) -> bytes | str:
    """The file's bytes, or why it cannot be used."""
    path = Path(source)
    if path.is_absolute() or source.startswith(("\\", "~")):
        return "source is a path inside the stamp directory, not an absolute one"
    if ".." in path.parts:
        return "source must stay inside the stamp directory (a path without '..')"
    base = root.resolve()
    full = (base / path).resolve()
    if not full.is_relative_to(base):
        return "source must stay inside the stamp directory"
    if not full.is_file():
        return f"source {source!r} is not a file in the stamp directory"
    if full.stat().st_size > MAX_SCRIPT_BYTES:
        return f"source {source!r} is larger than {MAX_SCRIPT_BYTES // 1024} KiB"
    return full.read_bytes()


def hash_scripts(root: Path, resources: dict[str, Resource], sources: Mapping[str, SourceRef]) -> list[Finding]:
    """Set each library script's `sha256` from its file (in `resources`, in place); the problems."""
    findings: list[Finding] = []
    for address, resource in list(resources.items()):
        if not isinstance(resource, LibraryScript):
            continue
        src = sources[address]
        where = SourceRef(src.file, (*src.path, "source"))
        data = _read(root, resource.source)
        if isinstance(data, str):
            findings.append(Finding(where, data, address=address))
            continue
        if resource.sha256 is not None:
            at = SourceRef(src.file, (*src.path, "sha256"))
            findings.append(Finding(at, "sha256 is set by fabric from the source file; leave it out", True, address))
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            findings.append(Finding(where, "source is not UTF-8 text (a PowerShell script)", address=address))
            continue
        for line, problem in lint(text):
            findings.append(Finding(where, f"DR018 {resource.source}:{line}: {problem}", address=address))
        digest = hashlib.sha256(data).hexdigest()
        resources[address] = LibraryScript.model_validate({**resource.model_dump(), "sha256": digest})
    return findings
