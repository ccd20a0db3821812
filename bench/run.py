"""Benchmark the fabric CLI on synthetic stamps of ~1k, ~10k and ~100k resources.

Usage (from the repository root; `make bench` runs the default):

    python bench/run.py [--sizes 1000,10000,100000] [--out docs/benchmarks.md] [--quick]

For each size it generates a valid stamp (see `bench/stampgen.py`) into a temporary
directory, then runs each phase as a separate `python -m fabric` process:

* validate;
* plan from an empty lab and state;
* apply (no latency, --parallelism 8);
* no-op plan after the apply;
* apply from empty with FABRIC_LAB_LATENCY_MS=20 and --parallelism 8 (at 1k, and at 10k
  when the estimate is under --latency-budget seconds).

Wall time is measured from spawn to reap; peak RSS and CPU time come from the child's own
rusage (`os.wait4`). The 100k no-op plan (the largest size run) is also profiled with
cProfile. The report goes to --out as Markdown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sidebyside import TerraformRun, interactive, run_terraform, terraform_binary, terraform_version
from stampgen import GeneratedStamp, generate

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (1000, 10_000, 100_000)
PARALLELISM = 8
LATENCY_MS = 20
MIB = 1024 * 1024
GIB_KIB = 1024 * 1024  # ru_maxrss is in KiB on Linux

# name, title
PHASES = (
    ("validate", "validate"),
    ("plan", "plan (from empty)"),
    ("apply", f"apply (no latency, -p {PARALLELISM})"),
    ("noop", "no-op plan (after apply)"),
    ("latency", f"apply ({LATENCY_MS} ms latency, -p {PARALLELISM})"),
)
TITLES = dict(PHASES)


@dataclass
class Measurement:
    """One child process: wall seconds, CPU seconds, peak RSS (KiB), exit code."""

    wall: float
    cpu: float
    maxrss_kib: int
    code: int


@dataclass
class Result:
    """A phase at a size: every repetition; the reported wall time is their median."""

    phase: str
    size: int
    resources: int
    runs: list[Measurement] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mib(self) -> float:
        return max(r.maxrss_kib for r in self.runs) / 1024

    @property
    def us_per_resource(self) -> float:
        return self.wall / self.resources * 1e6


@dataclass
class LatencyRun:
    """The latency apply at one size and its ideal."""

    size: int
    operations: int
    critical_path: int
    ideal: float
    result: Result


@dataclass
class Bench:
    """Everything measured in one run of this script."""

    sizes: list[int]
    stamps: dict[int, GeneratedStamp] = field(default_factory=dict)
    yaml_bytes: dict[int, int] = field(default_factory=dict)
    results: dict[tuple[str, int], Result] = field(default_factory=dict)
    latency: dict[int, LatencyRun] = field(default_factory=dict)
    latency_skipped: dict[int, str] = field(default_factory=dict)
    startup: float = 0.0
    version: str = ""  # fabric's version, commit and source fingerprint, taken at the start
    profile: pstats.Stats | None = None
    profile_size: int = 0
    profile_wall: float = 0.0
    started: float = field(default_factory=time.monotonic)
    interactive: dict[str, float] = field(default_factory=dict)  # command → median wall s
    terraform: dict[int, TerraformRun] = field(default_factory=dict)
    terraform_note: str = ""  # its version, or why it did not run
    previous: dict[tuple[str, int], float] = field(default_factory=dict)  # the last report's wall times


def log(message: str) -> None:
    """Progress on stderr, with the elapsed time."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def snapshot_fabric(root: Path) -> tuple[Path, str]:
    """Copy the `fabric` package as it is now, so the whole run measures one version of it.

    The tree may be edited while a long run is in progress; children import the copy
    (PYTHONPATH puts it before the editable install). Returns the copy's directory and a
    fingerprint of its sources.
    """
    target = root / "snapshot"
    shutil.copytree(REPO / "fabric", target / "fabric", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    digest = hashlib.sha256()
    for path in sorted((target / "fabric").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(target)).encode() + b"\0" + path.read_bytes() + b"\0")
    return target, digest.hexdigest()[:12]


_CHILD_PYTHONPATH: list[str] = []
_CHILD_PYCACHE: list[str] = []


def child_env(latency_ms: int = 0) -> dict[str, str]:
    """The environment of a fabric child: no injected latency or failures unless asked."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FABRIC_")}
    env["COLUMNS"] = "120"
    # Bytecode is cached (in the work directory, never in the repository), as for an installed tool.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if _CHILD_PYCACHE:
        env["PYTHONPYCACHEPREFIX"] = _CHILD_PYCACHE[0]
    if _CHILD_PYTHONPATH:
        env["PYTHONPATH"] = os.pathsep.join([*_CHILD_PYTHONPATH, *filter(None, [env.get("PYTHONPATH")])])
    if latency_ms:
        env["FABRIC_LAB_LATENCY_MS"] = str(latency_ms)
    return env


def run_child(cmd: list[str], log_path: Path, env: dict[str, str], expect: set[int]) -> Measurement:
    """Run one command, stdout+stderr to `log_path`; rusage from os.wait4 (this child only)."""
    with log_path.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=log_path.parent)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in expect:
        tail = log_path.read_text(errors="replace")[-2000:]
        raise SystemExit(f"bench: {' '.join(cmd)} exited {code} (expected {sorted(expect)}):\n{tail}")
    return Measurement(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code)


def fabric_cmd(*args: str | Path) -> list[str]:
    """The real CLI, as a module of the interpreter running this script."""
    return [sys.executable, "-m", "fabric", *(str(a) for a in args)]


def measure_startup(work: Path) -> float:
    """Best of three `fabric version`: interpreter start plus importing the CLI."""
    runs = [run_child(fabric_cmd("version"), work / "startup.log", child_env(), {0}) for _ in range(3)]
    return min(r.wall for r in runs)


def run_phase(
    bench: Bench,
    phase: str,
    size: int,
    args: Callable[[int], list[str | Path]],
    work: Path,
    *,
    expect: set[int],
    repeat: int = 1,
    latency_ms: int = 0,
) -> Result:
    """Run a phase `repeat` times (`args(i)` = the CLI arguments of run i) and record it."""
    stamp = bench.stamps[size]
    result = Result(phase, size, stamp.resources)
    for i in range(repeat):
        log_path = work / f"{size}-{phase}-{i}.log"
        result.runs.append(run_child(fabric_cmd(*args(i)), log_path, child_env(latency_ms), expect))
    bench.results[(phase, size)] = result
    log(
        f"{size:>7} {TITLES[phase]:<32} {result.wall:8.2f} s  {result.us_per_resource:8.1f} µs/res  "
        f"{result.rss_mib:7.1f} MiB  (median of {repeat})"
    )
    return result


def ideal_seconds(operations: int, critical_path: int, latency_ms: int, parallelism: int) -> float:
    """The fastest a latency-bound apply can be: chain-bound or worker-bound."""
    latency = latency_ms / 1000
    return max(critical_path * latency, operations * latency / parallelism)


def bench_size(bench: Bench, size: int, root: Path, args: argparse.Namespace) -> None:
    """Generate the stamp of one size and run every phase on it."""
    work = root / f"size-{size}"
    work.mkdir()
    started = time.perf_counter()
    stamp = generate(work / "stamp", size)
    bench.stamps[size] = stamp
    bench.yaml_bytes[size] = sum(p.stat().st_size for p in stamp.root.iterdir())
    log(
        f"generated {stamp.resources} resources in {stamp.files} files "
        f"({time.perf_counter() - started:.1f} s, critical path {stamp.critical_path})"
    )
    repeat = args.repeat if args.repeat else (3 if size <= 10_000 else 1)
    root_arg = stamp.root
    apply_args: list[str | Path] = ["apply", root_arg, "--auto-approve", "--parallelism", str(PARALLELISM)]
    run_phase(bench, "validate", size, lambda i: ["validate", root_arg], work, expect={0}, repeat=repeat)
    empty = work / "state-empty"
    plan_args: list[str | Path] = ["plan", root_arg, "--detailed-exitcode", "--state-dir"]
    run_phase(bench, "plan", size, lambda i: [*plan_args, empty], work, expect={2}, repeat=repeat)
    # Each apply starts from an empty lab and state of its own; the no-op plan uses the last.
    run_phase(
        bench,
        "apply",
        size,
        lambda i: [*apply_args, "--state-dir", work / f"state-{i}"],
        work,
        expect={0},
        repeat=repeat,
    )
    applied = work / f"state-{repeat - 1}"
    run_phase(bench, "noop", size, lambda i: [*plan_args, applied], work, expect={0}, repeat=repeat)
    if args.profile and size == max(bench.sizes):
        profile_noop(bench, size, stamp, applied, work)
    binary = terraform_binary() if args.terraform else None
    if binary is not None and size <= args.terraform_max:
        tf_repeat = repeat if size <= 1000 else 1  # Terraform's own cost grows faster than linearly
        bench.terraform[size] = run_terraform(
            binary, work, stamp.resources, stamp.critical_path, tf_repeat, log, args.terraform_budget
        )

    ideal = ideal_seconds(stamp.resources, stamp.critical_path, LATENCY_MS, PARALLELISM)
    estimate = max(ideal * latency_ratio(bench), bench.results[("apply", size)].wall)
    if size > 1000 and estimate > args.latency_budget:
        reason = f"skipped: estimated {estimate:.0f} s > budget {args.latency_budget:.0f} s"
        bench.latency_skipped[size] = reason
        log(f"{size:>7} latency apply {reason}")
        return
    result = run_phase(
        bench,
        "latency",
        size,
        lambda i: [*apply_args, "--state-dir", work / f"state-latency-{i}"],
        work,
        expect={0},
        repeat=repeat if size <= 1000 else 1,
        latency_ms=LATENCY_MS,
    )
    bench.latency[size] = LatencyRun(size, stamp.resources, stamp.critical_path, ideal, result)


def latency_ratio(bench: Bench) -> float:
    """measured/ideal of the smallest latency apply so far (1.0 before any)."""
    if not bench.latency:
        return 1.0
    run = bench.latency[min(bench.latency)]
    return run.result.wall / run.ideal


def profile_noop(bench: Bench, size: int, stamp: GeneratedStamp, state: Path, work: Path) -> None:
    """cProfile one no-op plan of the stamp."""
    out = work / "noop.prof"
    cmd = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(out),
        "-m",
        "fabric",
        "plan",
        str(stamp.root),
        "--state-dir",
        str(state),
    ]
    m = run_child(cmd, work / f"{size}-profile.log", child_env(), {0})
    bench.profile = pstats.Stats(str(out))
    bench.profile_size = size
    bench.profile_wall = m.wall
    log(f"{size:>7} profiled no-op plan: {m.wall:.2f} s under cProfile")


# --- report -------------------------------------------------------------------------------


def _proc_field(path: str, name: str) -> str:
    """The value of the first `name: value` line of a /proc file ('' if unavailable)."""
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == name:
                    return value.strip()
    except OSError:
        pass
    return ""


def machine(version: str) -> list[tuple[str, str]]:
    """What ran the benchmark."""
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown"
    kib = _proc_field("/proc/meminfo", "MemTotal")
    mem = f"{int(kib.split()[0]) / GIB_KIB:.1f} GiB" if kib else "unknown"
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        import yaml

        libyaml = "with libyaml" if getattr(yaml, "__with_libyaml__", False) else "pure Python"
    except ImportError:
        libyaml = "?"
    libs = ", ".join(f"{name} {_version(name)}" for name in ("pydantic", "PyYAML", "jinja2", "typer"))
    return [
        ("CPU", f"{cpu} ({nproc} CPUs available, `nproc`)"),
        ("Memory", mem),
        ("OS", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("SQLite", sqlite3.sqlite_version),
        ("Libraries", f"{libs} (PyYAML {libyaml})"),
        ("fabric", version),
    ]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _git_version(fingerprint: str) -> str:
    tree = f"; sources sha256 {fingerprint}… (copied at the start of the run)" if fingerprint else ""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "fabric"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return _version("fabric-vmm") + tree
    changes = " with uncommitted changes under fabric/" if dirty else ""
    return f"{_version('fabric-vmm')}, commit {head}{changes}{tree}"


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def verdict(value: float | None, limit: float, unit: str, fmt: str = "{:.2f}") -> tuple[str, str, str]:
    """(measured, PASS/MISS, by how much) for an upper-bound target."""
    if value is None:
        return "not measured", "n/a", ""
    shown = fmt.format(value) + unit
    if value <= limit:
        return shown, "PASS", f"{(limit - value) / limit:.0%} headroom"
    over = value - limit
    excess = fmt.format(over) + ("" if unit == "×" else unit)
    return shown, "**MISS**", f"over by {excess} ({value / limit - 1:.0%} over the limit)"


def previous_walls(report_path: Path) -> dict[tuple[str, int], float]:
    """The wall times of the report this run replaces (its Results table), by (phase, size)."""
    try:
        text = report_path.read_text(encoding="utf-8")
    except OSError:
        return {}
    by_title = {title: phase for phase, title in PHASES}
    found: dict[tuple[str, int], float] = {}
    for line in text.split("## Results", 1)[-1].split("\n## ", 1)[0].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0] in by_title and cells[1].endswith("k"):
            try:
                found[(by_title[cells[0]], int(cells[1][:-1]) * 1000)] = float(cells[2])
            except ValueError:
                continue
    return found


NOISE = 1.10  # "no slower than before": within 10 % of the previous report (runs on a shared machine vary that much)


def targets(bench: Bench) -> list[tuple[str, str, str, str, str]]:
    """Rows: target, limit, measured, verdict, margin."""
    rows = []

    def wall(phase: str, size: int) -> float | None:
        r = bench.results.get((phase, size))
        return r.wall if r else None

    rows.append(("`fabric version` (median of 5)", "≤ 0.10 s", *verdict(bench.interactive.get("version"), 0.10, " s")))
    validate_lab = bench.interactive.get("validate stamps/lab")
    rows.append(("`fabric validate stamps/lab` (median of 5)", "≤ 0.20 s", *verdict(validate_lab, 0.20, " s")))
    rows.append(("no-op plan at 1k", "≤ 0.20 s", *verdict(wall("noop", 1000), 0.20, " s")))
    for phase in ("validate", "plan", "noop"):
        for size in (10_000, 100_000):
            before, now = bench.previous.get((phase, size)), wall(phase, size)
            if before is None or now is None:
                continue
            label = f"{TITLES[phase]} at {size_label(size)}: now / previous report ({before:.2f} s)"
            rows.append((label, f"≤ {NOISE:.2f}×", *verdict(now / before, NOISE, "×")))

    rows.append(("no-op plan at 10k", "≤ 1.5 s", *verdict(wall("noop", 10_000), 1.5, " s")))
    rows.append(("no-op plan at 100k", "≤ 10 s", *verdict(wall("noop", 100_000), 10.0, " s")))
    a, b = bench.results.get(("noop", 10_000)), bench.results.get(("noop", 100_000))
    ratio = b.us_per_resource / a.us_per_resource if a and b else None
    rows.append(("no-op plan per-resource cost, 10k → 100k", "≤ 1.3×", *verdict(ratio, 1.3, "×")))
    at_100k = [r for (_, s), r in bench.results.items() if s == 100_000]
    if at_100k:
        worst = max(at_100k, key=lambda r: r.rss_mib)
        label = f"peak RSS at 100k (max over phases: {TITLES[worst.phase]})"
        rows.append((label, "≤ 1024 MiB", *verdict(worst.rss_mib, 1024, " MiB", "{:.0f}")))
    else:
        rows.append(("peak RSS at 100k", "≤ 1024 MiB", *verdict(None, 1024, " MiB")))
    for size in bench.sizes:
        run = bench.latency.get(size)
        if run:
            ratio = run.result.wall / run.ideal
            rows.append((f"latency apply at {size_label(size)}: measured / ideal", "≤ 1.2×", *verdict(ratio, 1.2, "×")))
        elif size in bench.latency_skipped and size <= 10_000:
            rows.append((f"latency apply at {size_label(size)}", "≤ 1.2×", bench.latency_skipped[size], "n/a", ""))
    return rows


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/fabric/"):
        if marker in filename:
            cut = filename.index(marker)
            return ("fabric/" if marker == "/fabric/" else "") + filename[cut + len(marker) :]
    stdlib = sysconfig.get_paths()["stdlib"] + "/"
    return filename.removeprefix(stdlib)


def _func_label(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name  # a built-in
    return f"{_short(filename)}:{line}({name})"


def profile_tables(stats: pstats.Stats, top: int) -> list[str]:
    """Top-N by cumulative and by own time, as Markdown tables."""
    raw = stats.stats  # type: ignore[attr-defined]
    entries = [(key, nc, tt, ct) for key, (_cc, nc, tt, ct, _callers) in raw.items()]
    lines: list[str] = []
    for title, index in (("cumulative time", 3), ("own time (tottime)", 2)):
        lines += [f"Top {top} by {title}:", "", "| function | calls | tottime s | cumtime s |", "|---|---:|---:|---:|"]
        for key, nc, tt, ct in sorted(entries, key=lambda e: e[index], reverse=True)[:top]:
            lines.append(f"| `{_func_label(key)}` | {nc} | {tt:.2f} | {ct:.2f} |")
        lines.append("")
    return lines


def report(bench: Bench, args: argparse.Namespace) -> str:
    """The Markdown document."""
    sizes = [s for s in bench.sizes if s in bench.stamps]
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# fabric benchmarks",
        "",
        f"Generated by `bench/run.py` on {now} (the whole run took "
        f"{(time.monotonic() - bench.started) / 60:.1f} min). Every figure below is a real measurement "
        "of the `fabric` CLI on this machine; rerun to refresh.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine(bench.version)),
        "",
        "## How to reproduce",
        "",
        "```sh",
        "make bench                                  # sizes 1k, 10k, 100k; writes docs/benchmarks.md",
        "python bench/run.py --quick --out /tmp/b.md  # 1k only, about a minute",
        "python bench/run.py --sizes 1000,10000 --repeat 5 --keep",
        "```",
        "",
        "`bench/stampgen.py` writes a synthetic stamp per size into a temporary directory. Each "
        "phase then runs as its own `python -m fabric …` process with stdout and stderr sent to a "
        "file (so plan text is rendered, as for a user piping output, but no terminal is involved):",
        "",
        "- **validate** — `fabric validate STAMP`;",
        "- **plan (from empty)** — `fabric plan STAMP --state-dir S --detailed-exitcode` on an empty lab "
        "and state (exit 2: every resource to create);",
        f"- **apply** — `fabric apply STAMP --auto-approve --parallelism {PARALLELISM} --state-dir S`, no latency;",
        "- **no-op plan** — the plan again after the apply (exit 0: no changes);",
        f"- **latency apply** — a fresh apply with `FABRIC_LAB_LATENCY_MS={LATENCY_MS}` and "
        f"`--parallelism {PARALLELISM}` (at 1k; at 10k when the estimate fits --latency-budget, "
        f"{args.latency_budget:.0f} s).",
        "",
        "Wall time runs from spawning the child to reaping it; peak RSS and CPU time (user + system) "
        "are the child's own, from `os.wait4`. At sizes ≤ 10k every phase runs three times (each apply "
        "from its own empty lab and state; the 10k latency apply once) and the median wall time is "
        "shown; at 100k once (`--repeat` overrides). µs/resource = wall time / resources, start-up "
        f"included: `fabric version` alone takes **{bench.startup:.2f} s** (interpreter start plus "
        "imports), which is part of every figure and dominates at 1k. The children import a copy of "
        "`fabric/` taken at the start of the run (so edits made meanwhile do not mix versions; "
        "`--no-snapshot` turns this off), with bytecode cached in the work directory.",
        "",
        "### The stamps",
        "",
        "Per region (a top-level host group) ten locations, each with seven host groups written as nested "
        "`children` (`L`, `L/IaaS`, `L/IaaS/Cluster01..02`, `L/Fabric Management`, `L/Edge`, `L/DR`), a "
        "management network site (one /24) and a tenant site (two /25s), two IP pools per site with disjoint "
        "ranges, a VM network, an IaaS and a DR cloud, and an uplink port profile; per region three port "
        "classifications, three virtual port profiles, a MAC pool and a logical switch carrying the region's "
        "uplinks; three logical networks and two custom properties in total. Every subnet is distinct; "
        "everything is written out explicitly (no `for_each`), several regions per file.",
        "",
        "| size | resources | files (with fabric.yaml) | YAML | critical path |",
        "|---|---:|---:|---:|---:|",
    ]
    for s in sizes:
        st = bench.stamps[s]
        lines.append(
            f"| {size_label(s)} | {st.resources:,} | {st.files} | {bench.yaml_bytes[s] / MIB:.1f} MiB | "
            f"{st.critical_path} resources |"
        )
    if sizes:
        kinds = bench.stamps[sizes[-1]].by_kind
        mix = ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
        lines += ["", f"Mix at {size_label(sizes[-1])}: {mix}."]

    lines += [
        "",
        "## Results",
        "",
        "| phase | size | wall s | µs / resource | peak RSS MiB | CPU s | runs |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for phase, title in PHASES:
        for s in sizes:
            r = bench.results.get((phase, s))
            if r:
                lines.append(
                    f"| {title} | {size_label(s)} | {r.wall:.2f} | {r.us_per_resource:,.0f} | "
                    f"{r.rss_mib:.0f} | {r.cpu:.2f} | {len(r.runs)} |"
                )

    if len(sizes) > 1:
        pairs = list(itertools.pairwise(sizes))
        head = " | ".join(f"{size_label(a)} → {size_label(b)}" for a, b in pairs)
        lines += [
            "",
            "### Scaling: per-resource cost ratio (1.0 = linear)",
            "",
            f"| phase | {head} |",
            "|---|" + "---:|" * len(pairs),
        ]
        for phase, title in PHASES[:4]:
            cells = []
            for a, b in pairs:
                ra, rb = bench.results.get((phase, a)), bench.results.get((phase, b))
                cells.append(f"{rb.us_per_resource / ra.us_per_resource:.2f}×" if ra and rb else "—")
            lines.append(f"| {title} | {' | '.join(cells)} |")

    lines += [
        "",
        "### Latency apply",
        "",
        f"ideal = max(critical path × latency, operations × latency / parallelism), with latency "
        f"{LATENCY_MS} ms and parallelism {PARALLELISM}; the critical path is the longest dependency "
        "chain of the generated stamp (known to the generator) and operations = resources (one create "
        "each). The measured time includes start-up, loading, planning and printing the plan; the last "
        "two columns take the plan-from-empty time (the same work, done before the first operation "
        "starts) out, leaving the execution of the operations.",
        "",
        "| size | operations | critical path | ideal s | measured s | measured / ideal | "
        "same apply without latency s | execution only (measured − plan) s | execution / ideal |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        run = bench.latency.get(s)
        if run:
            base = bench.results[("apply", s)].wall
            execution = run.result.wall - bench.results[("plan", s)].wall
            lines.append(
                f"| {size_label(s)} | {run.operations:,} | {run.critical_path} | {run.ideal:.2f} | "
                f"{run.result.wall:.2f} | {run.result.wall / run.ideal:.2f}× | {base:.2f} | "
                f"{execution:.2f} | {execution / run.ideal:.2f}× |"
            )
        elif s in bench.latency_skipped:
            st = bench.stamps[s]
            ideal = ideal_seconds(st.resources, st.critical_path, LATENCY_MS, PARALLELISM)
            lines.append(
                f"| {size_label(s)} | {st.resources:,} | {st.critical_path} | {ideal:.2f} | "
                f"{bench.latency_skipped[s]} | | | | |"
            )

    lines += interactive_section(bench)
    lines += terraform_section(bench, sizes)
    lines += previous_section(bench, sizes)
    lines += ["", "## Targets", "", "| target | limit | measured | verdict | margin |", "|---|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in targets(bench)]

    if bench.profile is not None:
        lines += [
            "",
            f"## Profile: no-op plan at {size_label(bench.profile_size)}",
            "",
            f"`python -m cProfile -o noop.prof -m fabric plan STAMP --state-dir S` took "
            f"{bench.profile_wall:.1f} s under the profiler (profiling overhead included; compare the "
            "unprofiled time above). Paths are relative to the repository or to site-packages.",
            "",
        ]
        lines += profile_tables(bench.profile, args.profile_top)
    return "\n".join(lines).rstrip() + "\n"


def interactive_section(bench: Bench) -> list[str]:
    """Start-up as a person at a terminal feels it."""
    lines = [
        "",
        "## Interactive commands",
        "",
        "Median of five runs each (after one run that fills the bytecode cache); `stamps/lab` is the "
        "repository's lab stamp. A command imports only what it uses (`docs/design.md`, Start-up).",
        "",
        "| command | wall s |",
        "|---|---:|",
    ]
    lines += [f"| `fabric {name}` | {wall:.3f} |" for name, wall in bench.interactive.items()]
    return lines


def terraform_section(bench: Bench, sizes: list[int]) -> list[str]:
    """fabric beside Terraform, phase by phase."""
    lines = ["", "## Side by side with Terraform", ""]
    if not bench.terraform:
        return [*lines, f"Terraform: {bench.terraform_note or 'not run'}."]
    lines += [
        f"{bench.terraform_note}, on the same machine in the same run. Terraform gets the same number of "
        "resources as the fabric stamp, as `terraform_data` resources (the built-in provider: nothing "
        "is downloaded, nothing remote is read) in parent → child chains as long as the stamp's "
        "critical path, each child's `input` its parent's `output`; local state, `-parallelism=8`. "
        "Each phase is a fresh process, median of the same number of runs as fabric's. The work is "
        "not the same — fabric validates VMM's rules and diffs typed attributes against a provider's "
        "inventory, Terraform evaluates HCL and diffs `terraform_data` — so the ratio says how each "
        "tool's fixed costs and per-resource costs compare, not which one does more.",
        "",
        "| phase | size | fabric s | terraform s | fabric / terraform |",
        "|---|---|---:|---:|---:|",
    ]
    for phase in ("validate", "plan", "apply", "noop"):
        for s in sizes:
            tf, fab = bench.terraform.get(s), bench.results.get((phase, s))
            if fab is None or tf is None:
                continue
            theirs = tf.wall(phase)
            if theirs is not None:
                ratio = f"{fab.wall / theirs:.2f}×"
                lines.append(f"| {TITLES[phase]} | {size_label(s)} | {fab.wall:.2f} | {theirs:.2f} | {ratio} |")
            elif phase in tf.stopped:
                cell, bound = f"> {tf.budget:.0f} (stopped)", f"< {fab.wall / tf.budget:.3f}×"
                lines.append(f"| {TITLES[phase]} | {size_label(s)} | {fab.wall:.2f} | {cell} | {bound} |")
            elif tf.stopped:
                lines.append(f"| {TITLES[phase]} | {size_label(s)} | {fab.wall:.2f} | not run (nothing applied) | |")
    lines += [
        "",
        "Terraform runs once at sizes above 1k (its apply grows faster than linearly), and a "
        "command is stopped after the budget (`--terraform-budget`).",
    ]
    return lines


def previous_section(bench: Bench, sizes: list[int]) -> list[str]:
    """This run against the report it replaces."""
    rows = []
    for phase, title in PHASES:
        for s in sizes:
            before, r = bench.previous.get((phase, s)), bench.results.get((phase, s))
            if before is not None and r is not None:
                rows.append(f"| {title} | {size_label(s)} | {before:.2f} | {r.wall:.2f} | {r.wall / before:.2f}× |")
    if not rows:
        return []
    return [
        "",
        "## Against the previous report",
        "",
        "The wall times of the report this one replaced (same machine type; other runs share it, so "
        f"within {NOISE - 1:.0%} is noise).",
        "",
        "| phase | size | previous s | now s | now / previous |",
        "|---|---|---:|---:|---:|",
        *rows,
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated target resource counts (default: %(default)s)",
    )
    p.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md", help="Markdown report to write")
    p.add_argument("--quick", action="store_true", help="only the 1k size")
    p.add_argument(
        "--repeat",
        type=int,
        default=0,
        help="runs of each phase (default: 3 at sizes ≤ 10k, 1 above; a latency apply above 1k runs once)",
    )
    p.add_argument(
        "--latency-budget",
        type=float,
        default=60.0,
        help="run the latency apply above 1k only if estimated under this many seconds",
    )
    p.add_argument("--no-profile", dest="profile", action="store_false", help="skip cProfile of the no-op plan")
    p.add_argument("--profile-top", type=int, default=25, help="rows per profile table")
    p.add_argument(
        "--no-snapshot",
        dest="snapshot",
        action="store_false",
        help="import fabric/ live instead of a copy taken at the start (edits during the run then count)",
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (stamps, logs, profile)")
    p.add_argument("--no-terraform", dest="terraform", action="store_false", help="skip the Terraform side-by-side")
    p.add_argument(
        "--terraform-max", type=int, default=10_000, help="largest size Terraform runs at (default: %(default)s)"
    )
    p.add_argument(
        "--terraform-budget",
        type=float,
        default=180.0,
        help="stop a Terraform command after this many seconds and report it as over budget (default: %(default)s)",
    )
    args = p.parse_args(argv)
    args.sizes = [1000] if args.quick else sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s})
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import fabric  # noqa: F401
    except ImportError:
        sys.exit(f"bench: fabric is not importable by {sys.executable}; run `make install` first")
    bench = Bench(sizes=args.sizes)
    root = Path(tempfile.mkdtemp(prefix="fabric-bench-"))
    log(f"working in {root}")
    try:
        fingerprint = ""
        _CHILD_PYCACHE[:] = [str(root / "pycache")]
        if args.snapshot:
            copy, fingerprint = snapshot_fabric(root)
            _CHILD_PYTHONPATH[:] = [str(copy)]
            log(f"measuring a copy of fabric/ (sources sha256 {fingerprint}) in {copy}")
        bench.version = _git_version(fingerprint)
        bench.startup = measure_startup(root)
        log(f"start-up (`fabric version`): {bench.startup:.2f} s")
        bench.interactive = interactive(fabric_cmd, child_env(), REPO)
        log("interactive: " + ", ".join(f"fabric {k} {v:.3f} s" for k, v in bench.interactive.items()))
        binary = terraform_binary() if args.terraform else None
        if binary is None:
            bench.terraform_note = "not run: " + ("--no-terraform" if not args.terraform else "no terraform on PATH")
        else:
            bench.terraform_note = terraform_version(binary)
        out_path = args.out if args.out.is_absolute() else Path.cwd() / args.out
        bench.previous = previous_walls(out_path)
        for size in args.sizes:
            bench_size(bench, size, root, args)
        text = report(bench, args)
        out = args.out if args.out.is_absolute() else Path.cwd() / args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        log(f"wrote {out} after {(time.monotonic() - bench.started) / 60:.1f} min")
        for row in targets(bench):
            log(f"{row[3]:<8} {row[0]}: {row[2]} (limit {row[1]}) {row[4]}")
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
