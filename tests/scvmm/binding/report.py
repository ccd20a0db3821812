"""The binding check's results for every version, as figures and a list of failures.

`results()` binds every generated script; `write()` puts the failures (script, line, command,
reason, and the line itself) and the coverage figures in a text file, `/tmp/binding-report.txt`
unless `FABRIC_BINDING_REPORT` names another. The tests write it on every run; so does

    .venv/bin/python tests/scvmm/binding/report.py [FILE]

which also prints the figures (exit status 1 if any call does not bind).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

if not __package__:  # run as a script: make the package `binding` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fabric_scvmm.signatures import load
from fabric_scvmm.versions import LABELS

from binding import checker, generate


def default_path() -> Path:
    """Where the report goes."""
    return Path(os.environ.get("FABRIC_BINDING_REPORT") or Path(tempfile.gettempdir()) / "binding-report.txt")


@dataclass(frozen=True)
class Failure:
    """A call that does not bind, in one script."""

    script: str
    problem: checker.Problem
    source: str  # the script's line

    def __str__(self) -> str:
        return f"{self.script}: {self.problem}\n    | {self.source[:240]}"


@dataclass
class VersionResult:
    """What the check found for one version."""

    version: str
    scripts: int
    refused: int
    calls: int = 0
    shapes: set[tuple[str, frozenset[str], frozenset[str]]] = field(default_factory=set)
    called: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)

    @property
    def vmm_uncalled(self) -> list[str]:
        """VMM cmdlets of the version's table that no script calls."""
        table = load(self.version)
        called = {name.casefold() for name in self.called}
        return sorted(table.cmdlets[n].name for n in table.vmm if n not in called)


def results(generated: generate.Generated) -> dict[str, VersionResult]:
    """Bind every script of every version."""
    out = {}
    for version, rendered in generated.rendered.items():
        r = VersionResult(version, len(rendered.scripts), len(rendered.refused))
        for script in rendered.scripts:
            result = checker.check(script.text, version)
            lines = script.text.splitlines()
            for b in result.bindings:
                r.calls += 1
                r.called[b.call.name] += 1
                r.shapes.add((b.call.name.casefold(), b.sets, b.parameters))
            for p in result.problems:
                source = lines[p.line - 1].strip() if 0 < p.line <= len(lines) else ""
                r.failures.append(Failure(script.name, p, source))
        out[version] = r
    return out


def figures(generated: generate.Generated, found: dict[str, VersionResult]) -> list[str]:
    """The coverage figures, one line each."""
    c = generated.coverage
    ifs = [b for b in c.branches if not b.loop]
    loops = [b for b in c.branches if b.loop]
    both = sum(all(c.outcomes(b)) for b in ifs)
    entered = sum(c.outcomes(b)[0] for b in loops)
    empty = sum(c.outcomes(b)[1] for b in loops)
    templates = len({s.template for s in c.sites})
    pieces = f"{len(c.sites) - len(c.missed())}/{len(c.sites)}"
    calls = f"{len(c.call_sites) - len(c.missed(True))}/{len(c.call_sites)}"
    lines = [
        f"templates: {templates}; pieces of output (jinja `yield`s) reached: {pieces}; "
        f"call sites (template text naming a command) reached: {calls}",
        f"`if` branches taken both ways: {both}/{len(ifs)}; `for` loops entered: {entered}/{len(loops)}, also run "
        f"with no items: {empty}/{len(loops)} (the others loop over constants or lists that cannot be empty there)",
    ]
    for version, r in found.items():
        table = load(version)
        uncalled = r.vmm_uncalled
        lines.append(
            f"{LABELS[version]}: {r.scripts} distinct scripts ({r.refused} renders refused by the target), "
            f"{r.calls} command calls checked, {len(r.shapes)} distinct call shapes, {len(r.called)} distinct "
            f"commands; VMM cmdlets of the table called: {len(table.vmm) - len(uncalled)}/{len(table.vmm)}; "
            f"failures: {len(r.failures)}"
        )
    return lines


def write(generated: generate.Generated, found: dict[str, VersionResult], path: Path | None = None) -> Path:
    """Write the report; return where."""
    path = path or default_path()
    out = [
        "fabric binding check: every command call of every script the scvmm provider renders, bound to a",
        "parameter set of each supported VMM version (tests/scvmm/test_binding.py; signatures in",
        "plugins/scvmm/fabric_scvmm/signatures/). Failures are listed as  script: line N: command: reason.",
        "",
        *figures(generated, found),
    ]
    for version, r in found.items():
        out += ["", f"== {LABELS[version]} ({version}): {len(r.failures)} failure(s)"]
        out += [str(f) for f in r.failures]
        if r.vmm_uncalled:
            out.append(f"(no script calls: {', '.join(r.vmm_uncalled)})")
    missed = generated.coverage.missed()
    if missed:
        out += ["", "== template output no render reached"]
        out += [f"{s.template}:{s.line} {' '.join(s.commands)}" for s in missed]
    outcomes = [(b, why) for b, why in generated.coverage.missed_outcomes() if why != "never empty"]
    if outcomes:
        out += ["", "== branch outcomes no render took"]
        out += [f"{b.template}:{b.line} {why}" for b, why in outcomes]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    """Render, check, write the report, print the figures."""
    gen = generate.generate()
    found = results(gen)
    where = write(gen, found, Path(argv[1]) if len(argv) > 1 else None)
    for line in figures(gen, found):
        print(line)
    print(f"report: {where}")
    return 1 if any(r.failures for r in found.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
