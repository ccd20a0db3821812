"""`fabric dr …`: disaster-recovery operations on the stamp's DR design. `simulate` replays a
recovery plan over the live facts, `check` runs every rule fabric can check (no lock, nothing
changed by either); `drill`, `failover`, `commit`, `reprotect`, `failback` and `cleanup` carry
them out on the lab (locked, confirmed, logged), `status` shows where everything is."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from fabric import engine
from fabric.cli.common import (
    HERE,
    StampDir,
    StateDir,
    VarAssignments,
    VarFiles,
    err,
    leading_stamp,
    out,
    reports_errors,
    write,
)
from fabric.dr.network import Index
from fabric.dr.simulate import Direction as SimDirection
from fabric.dr.simulate import FailoverType, Options
from fabric.engine.dr import check as run_check
from fabric.engine.dr import dr_facts, listed, pending_changes, provider_facts, simulation
from fabric.engine.dr_ops import Answers, read_answers, run_failover, run_followup
from fabric.engine.dr_ops import status as dr_status
from fabric.errors import FabricError
from fabric.render.simulation import (
    check_json,
    check_text,
    simulation_html,
    simulation_json,
    simulation_markdown,
    simulation_text,
)
from fabric.state.protocol import DrOperation

FactsFile = Annotated[
    Path | None,
    typer.Option(
        "--facts",
        metavar="FILE",
        help="Read hosts, VMs and replication from a saved facts document (fabric dr facts) instead of the provider.",
    ),
]

dr_app = typer.Typer(
    help="Disaster recovery: rehearse a recovery plan's failover before the disaster.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class FailoverKind(StrEnum):
    """Site Recovery's failover types."""

    test = "test"
    planned = "planned"
    unplanned = "unplanned"


class Direction(StrEnum):
    """Which way the plan runs."""

    primary_to_recovery = "primary_to_recovery"
    recovery_to_primary = "recovery_to_primary"


class SimulationFormat(StrEnum):
    """Output formats of `fabric dr simulate`."""

    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@dr_app.command("simulate")
@reports_errors
def simulate(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] PLAN",
            help="The stamp (default: the current directory) and a recovery plan (address, key or name).",
        ),
    ],
    kind: Annotated[FailoverKind, typer.Option("--type", help="The failover type to replay.")] = FailoverKind.test,
    direction: Annotated[
        Direction, typer.Option("--direction", help="primary_to_recovery, or recovery_to_primary (failback).")
    ] = Direction.primary_to_recovery,
    fail: Annotated[
        str | None,
        typer.Option("--fail", metavar="ACTION", help="Make this action fail (NAME, or STEP/NAME if names repeat)."),
    ] = None,
    test_network: Annotated[
        str | None,
        typer.Option("--test-network", metavar="NETWORK", help="A vm_network for a test failover, or none."),
    ] = None,
    fmt: Annotated[
        SimulationFormat, typer.Option("--format", help="text, json (versioned), markdown or html (a timeline).")
    ] = SimulationFormat.text,
    measured: Annotated[
        bool,
        typer.Option(
            "--measured",
            help="Take the step times of the plan's last completed drill or failover (its direction) where the "
            "same step ran, instead of the design's estimates.",
        ),
    ] = False,
    facts_file: FactsFile = None,
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """Replay a recovery plan step by step: where each VM lands, the address each adapter gets and
    why, the findings and the RTO/RPO estimate. Exit 0 clean, 2 findings, 1 errors."""
    stamp, (plan,) = leading_stamp(args, "[STAMP] PLAN", 1, 1)
    options = Options(plan, kind.value, direction.value, fail, test_network)
    with engine.open_session(
        stamp, state_dir, variables=engine.stamp_variables(stamp, var, var_file), offline=True
    ) as session:
        facts = dr_facts(session, facts_file) if facts_file is not None else None
        result = simulation(session, options, measured=measured, facts=facts)
    render = {
        "text": simulation_text,
        "json": simulation_json,
        "markdown": simulation_markdown,
        "html": simulation_html,
    }[fmt.value]
    write(render(result).rstrip("\n"))
    return 2 if result.findings else 0


class CheckFormat(StrEnum):
    """Output formats of `fabric dr check`."""

    text = "text"
    json = "json"


@dr_app.command("check")
@reports_errors
def check(
    stamp: StampDir = HERE,
    plan: Annotated[
        str | None, typer.Option("--plan", metavar="PLAN", help="Check one recovery plan and its VMs only.")
    ] = None,
    detailed_exitcode: Annotated[
        bool, typer.Option("--detailed-exitcode", help="Exit 2 when there are findings (0 none, 1 errors).")
    ] = False,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="text or json (versioned).")] = CheckFormat.text,
    facts_file: FactsFile = None,
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """What a nightly job runs: validation, replication posture, changes not applied, and every
    recovery plan simulated in each failover type; one line per finding."""
    with engine.open_session(
        stamp, state_dir, variables=engine.stamp_variables(stamp, var, var_file), offline=True
    ) as session:
        report = run_check(session, plan, saved=facts_file)
    write((check_json(report) if fmt is CheckFormat.json else check_text(report)).rstrip("\n"))
    return 2 if detailed_exitcode and report.findings else 0


class ConsoleOperator:
    """The operator at this terminal (or on standard input): typed confirmations and manual steps
    read a line each; the end of input is a no (and aborts a manual step)."""

    def confirm(self, prompt: str, expected: str) -> bool:
        """Ask for `expected`, typed."""
        out.print(f"\n{prompt}\n  Enter a value: ", end="", markup=False)
        sys.stdout.flush()
        return sys.stdin.readline().strip() == expected

    def manual(self, step: str, instructions: str) -> tuple[str, str]:
        """Show the instructions; wait for `done` (a comment after it, or asked for next) or
        `abort`; anything else is asked again, the end of input is an abort."""
        out.print(f"\nManual step {step}:\n  {instructions}", markup=False)
        for _ in range(20):
            out.print("  Type done when it is done, or abort: ", end="", markup=False)
            sys.stdout.flush()
            line = sys.stdin.readline()
            if not line:
                return "abort", "end of input"
            word, _, rest = line.strip().partition(" ")
            if word.lower() == "abort":
                return "abort", rest.strip()
            if word.lower() == "done":
                if rest.strip():
                    return "done", rest.strip()
                out.print("  Comment for the operation log (optional): ", end="", markup=False)
                sys.stdout.flush()
                return "done", sys.stdin.readline().strip()
            out.print(f"  {line.strip()!r} is neither done nor abort.", markup=False)
        return "abort", "no answer"

    def say(self, line: str) -> None:
        """Progress, one line."""
        out.print(line, markup=False)


AnswersFile = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        metavar="FILE",
        help="YAML: confirm: TEXT, manual: {ACTION: {outcome: done|abort, comment: TEXT}} (for scripts and tests).",
    ),
]


def _answers(path: Path | None) -> Answers:
    return read_answers(path) if path is not None else Answers()


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM ends a DR operation as Ctrl-C does: its log entry says interrupted."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _ended(entry: DrOperation, keep: bool = False) -> int:
    write(f"{entry.operation} of {entry.plan}: {entry.outcome} (operation log entry {entry.id}; fabric dr status)")
    if keep and entry.outcome == "completed":
        write(f"test VMs left running: fabric dr cleanup {entry.plan} deletes them")
    failed = [f"{s['step']}/{s['what']}" for s in entry.steps if s.get("status") == "failed"]
    if failed:
        write(f"failed: {', '.join(failed)}")
    return 0 if entry.outcome == "completed" else 1


@dr_app.command("drill")
@reports_errors
def drill(
    args: Annotated[list[str], typer.Argument(metavar="[STAMP] PLAN", help="The stamp and a recovery plan.")],
    test_network: Annotated[
        str | None,
        typer.Option("--test-network", metavar="NETWORK", help="A vm_network, or none (default: the plan's)."),
    ] = None,
    keep: Annotated[bool, typer.Option("--keep", help="Leave the test VMs running (fabric dr cleanup later).")] = False,
    auto_approve: Annotated[bool, typer.Option("--auto-approve", help="Do not ask before the drill.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Run although the simulation finds errors.")] = False,
    answers: AnswersFile = None,
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """A test failover on the lab for real: test VMs start beside the replicas, then are cleaned up."""
    stamp, (plan,) = leading_stamp(args, "[STAMP] PLAN", 1, 1)
    with (
        engine.open_session(
            stamp, state_dir, variables=engine.stamp_variables(stamp, var, var_file), offline=True
        ) as session,
        _terminate_as_interrupt(),
    ):
        entry = run_failover(
            session,
            plan,
            "test",
            "primary_to_recovery",
            ConsoleOperator(),
            _answers(answers),
            test_network=test_network,
            keep=keep,
            force=force,
            confirmed=auto_approve,
        )
    return _ended(entry, keep)


@dr_app.command("failover")
@reports_errors
def failover(
    args: Annotated[list[str], typer.Argument(metavar="[STAMP] PLAN", help="The stamp and a recovery plan.")],
    planned: Annotated[bool, typer.Option("--planned", help="A planned failover (no data lost).")] = False,
    unplanned: Annotated[
        bool, typer.Option("--unplanned", help="An unplanned failover (the primary is lost).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Run although the simulation finds errors.")] = False,
    answers: AnswersFile = None,
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """Fail a recovery plan over to the recovery site, for real; asks for the plan's name, typed."""
    if planned == unplanned:
        raise FabricError("say --planned or --unplanned")
    stamp, (plan,) = leading_stamp(args, "[STAMP] PLAN", 1, 1)
    kind: FailoverType = "planned" if planned else "unplanned"
    with (
        engine.open_session(
            stamp, state_dir, variables=engine.stamp_variables(stamp, var, var_file), offline=True
        ) as session,
        _terminate_as_interrupt(),
    ):
        entry = run_failover(
            session, plan, kind, "primary_to_recovery", ConsoleOperator(), _answers(answers), force=force
        )
    return _ended(entry)


@dr_app.command("failback")
@reports_errors
def failback(
    args: Annotated[list[str], typer.Argument(metavar="[STAMP] PLAN", help="The stamp and a recovery plan.")],
    force: Annotated[bool, typer.Option("--force", help="Run although the simulation finds errors.")] = False,
    answers: AnswersFile = None,
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """A planned failover back to the primary site, then commit and forward replication: home."""
    stamp, (plan,) = leading_stamp(args, "[STAMP] PLAN", 1, 1)
    with (
        engine.open_session(
            stamp, state_dir, variables=engine.stamp_variables(stamp, var, var_file), offline=True
        ) as session,
        _terminate_as_interrupt(),
    ):
        entry = run_failover(
            session, plan, "planned", "recovery_to_primary", ConsoleOperator(), _answers(answers), force=force
        )
    return _ended(entry)


def _followup(
    operation: str,
    args: list[str],
    answers: Path | None,
    state_dir: Path | None,
    var: list[str] | None,
    var_file: list[Path] | None,
    auto: bool = False,
) -> int:
    stamp, (plan,) = leading_stamp(args, "[STAMP] PLAN", 1, 1)
    with (
        engine.open_session(
            stamp, state_dir, variables=engine.stamp_variables(stamp, var, var_file), offline=True
        ) as session,
        _terminate_as_interrupt(),
    ):
        entry = run_followup(session, plan, operation, ConsoleOperator(), _answers(answers), confirmed=auto)
    return _ended(entry)


@dr_app.command("commit")
@reports_errors
def commit(
    args: Annotated[list[str], typer.Argument(metavar="[STAMP] PLAN", help="The stamp and a recovery plan.")],
    answers: AnswersFile = None,
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """Commit a failover (its recovery points are deleted: DR022); asks for the plan's name."""
    return _followup("commit", args, answers, state_dir, var, var_file)


@dr_app.command("reprotect")
@reports_errors
def reprotect(
    args: Annotated[list[str], typer.Argument(metavar="[STAMP] PLAN", help="The stamp and a recovery plan.")],
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """Replicate a committed failover's VMs back to the primary site (failback needs it)."""
    return _followup("reprotect", args, None, state_dir, var, var_file)


@dr_app.command("cleanup")
@reports_errors
def cleanup(
    args: Annotated[list[str], typer.Argument(metavar="[STAMP] PLAN", help="The stamp and a recovery plan.")],
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """Delete the test VMs a drill left running (--keep)."""
    return _followup("cleanup", args, None, state_dir, var, var_file)


@dr_app.command("status")
@reports_errors
def status(
    stamp: StampDir = HERE,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="text or json.")] = CheckFormat.text,
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """Every protected VM: replication, where it is in a failover; each plan's last operation and drill."""
    with engine.open_session(
        stamp, state_dir, variables=engine.stamp_variables(stamp, var, var_file), offline=True
    ) as session:
        report = dr_status(session)
    if fmt is CheckFormat.json:
        write(json.dumps({"format_version": 1, **asdict(report)}, indent=2, ensure_ascii=False))
        return 0
    lines = [f"{'VM':<16} {'replication':<16} {'health':<8} {'replica on':<12} {'failover':<12} plan"]
    for v in report.vms:
        lines.append(f"{v.vm:<16} {v.state:<16} {v.health:<8} {v.replica_host:<12} {v.phase:<12} {v.plan}")
    lines.append("")
    for plan, last in sorted(report.last.items()):
        drill_at = report.drills.get(plan, {}).get("ended", "never")
        when = last["ended"] or last["started"]
        lines.append(
            f"{plan}: last operation {last['operation']} {last['outcome']} at {when}; last completed drill {drill_at}"
        )
    if not report.last:
        lines.append("No DR operation has run on this stamp.")
    write("\n".join(lines))
    return 0


@dr_app.command("facts")
@reports_errors
def facts_cmd(
    stamp: StampDir = HERE,
    script: Annotated[
        bool,
        typer.Option(
            "--script",
            help="Print the read-only PowerShell script that writes this document on a real VMM server instead.",
        ),
    ] = False,
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """Print the DR facts a simulation reads (hosts, VM copies and their adapters, replication, pool
    grants) as a document for --facts; the provider's (the lab's), or with --script the script."""
    from fabric.dr.export import facts_document, facts_script
    from fabric.project import open_stamp
    from fabric.providers.registry import settings_models

    if script:
        fabric = open_stamp(stamp, settings_models(), engine.stamp_variables(stamp, var, var_file))
        write(facts_script(fabric.resources, fabric.config.stamp).rstrip("\n"))
        return 0
    with engine.open_session(
        stamp, state_dir, variables=engine.stamp_variables(stamp, var, var_file), offline=True
    ) as session:  # the lab's, or none: no connection
        document = facts_document(provider_facts(session), session.fabric.config.stamp)
    write(json.dumps(document, indent=2, ensure_ascii=False))
    return 0


class RenderFormat(StrEnum):
    """Output formats of `fabric dr render`."""

    rp_json = "rp-json"
    runbook_md = "runbook-md"
    az_ps = "az-ps"
    hyperv_ps = "hyperv-ps"
    arm = "arm"


_RUNS: list[tuple[FailoverType, SimDirection]] = [
    ("test", "primary_to_recovery"),
    ("planned", "primary_to_recovery"),
    ("unplanned", "primary_to_recovery"),
    ("planned", "recovery_to_primary"),  # the way home, after reprotection
]


@dr_app.command("render")
@reports_errors
def render(
    stamp: StampDir = HERE,
    fmt: Annotated[
        RenderFormat,
        typer.Option(
            "--format",
            help="rp-json (Site Recovery's recovery plan JSON), runbook-md (for a change board), az-ps (a Site "
            "Recovery script), arm (an ARM template for the vault) or hyperv-ps (scripts for Hyper-V Replica, "
            "written to --out).",
        ),
    ] = RenderFormat.rp_json,
    plan: Annotated[
        str | None, typer.Option("--plan", metavar="PLAN", help="One recovery plan (default: every one).")
    ] = None,
    out_dir: Annotated[
        str | None,  # a str: a Path option would read an empty --out '' as the current folder
        typer.Option("--out", metavar="DIR", help="hyperv-ps: the folder to write its scripts to (made if missing)."),
    ] = None,
    facts_file: FactsFile = None,
    var: VarAssignments = None,
    var_file: VarFiles = None,
    state_dir: StateDir = None,
) -> int:
    """Render the DR design for review, no connection needed (runbook-md and hyperv-ps read the
    lab's facts to simulate each failover type)."""
    from fabric.dr.render import rp_json_text, runbook_md
    from fabric.dr.simulate import resolve_plan
    from fabric.model.dr import RecoveryPlan
    from fabric.project import open_stamp
    from fabric.providers.registry import settings_models
    from fabric.render.simulation import clock

    if out_dir is not None and not out_dir.strip():
        raise FabricError("--out: give a folder")
    if plan is not None and fmt in (RenderFormat.az_ps, RenderFormat.arm):
        raise FabricError(f"--plan: {fmt.value} renders the whole DR design (policies, pairings, mappings, every plan)")
    if facts_file is not None and fmt not in (RenderFormat.hyperv_ps, RenderFormat.runbook_md):
        raise FabricError(f"--facts is for runbook-md and hyperv-ps, which simulate; {fmt.value} reads the code only")
    if (out_dir is None) == (fmt is RenderFormat.hyperv_ps):
        raise FabricError(
            "--format hyperv-ps writes several scripts: give --out DIR"
            if out_dir is None
            else f"--out is for --format hyperv-ps; {fmt.value} is printed (redirect it to a file)"
        )
    if fmt is RenderFormat.az_ps:
        from fabric.dr.azps import az_ps

        fabric = open_stamp(stamp, settings_models(), engine.stamp_variables(stamp, var, var_file))
        _plans(fabric.resources, plan, resolve_plan, RecoveryPlan)  # a stamp without DR has no script
        write(az_ps(fabric.resources, fabric.config.dr, fabric.config.stamp).rstrip("\n"))
        return 0
    if fmt is RenderFormat.arm:
        from fabric.dr.arm import arm_json

        fabric = open_stamp(stamp, settings_models(), engine.stamp_variables(stamp, var, var_file))
        _plans(fabric.resources, plan, resolve_plan, RecoveryPlan)
        write(arm_json(fabric.resources, fabric.config.dr, fabric.config.stamp).rstrip("\n"))
        return 0
    if fmt is RenderFormat.rp_json:
        fabric = open_stamp(stamp, settings_models(), engine.stamp_variables(stamp, var, var_file))
        addresses = _plans(fabric.resources, plan, resolve_plan, RecoveryPlan)
        write(rp_json_text(fabric.resources, addresses, fabric.config.dr).rstrip("\n"))
        return 0
    with engine.open_session(
        stamp, state_dir, variables=engine.stamp_variables(stamp, var, var_file), offline=True
    ) as session:
        resources = session.fabric.resources
        addresses = _plans(resources, plan, resolve_plan, RecoveryPlan)
        pending, index = pending_changes(session), Index.of(resources)  # once for every simulation
        facts = dr_facts(session, facts_file)
        sims = {
            a: [simulation(session, Options(a, kind, way), pending, index, facts=facts) for kind, way in _RUNS]
            for a in addresses
        }
        if fmt is RenderFormat.hyperv_ps:
            assert out_dir is not None
            from fabric.dr.hyperv import hyperv_ps

            every = [s for runs in sims.values() for s in runs]
            scripts = hyperv_ps(resources, facts, every, session.fabric.config.dr, session.fabric.config.stamp)
            _write_scripts(Path(out_dir), scripts, prune=plan is None)  # --plan renders a part: nothing is stale
            return _failing(every)
        books = [runbook_md(runs, resources, session.fabric.config.dr, clock) for runs in sims.values()]
    write("\n".join(books).rstrip("\n"))
    return _failing([s for runs in sims.values() for s in runs])


def _failing(sims: Any) -> int:
    """2 (with a line on stderr) when a rendered simulation has errors: the runbook or scripts show a
    failover that does not work as designed; else 0."""
    broken = [
        f"{s.plan} ({s.type}{', back' if s.direction == 'recovery_to_primary' else ''})" for s in sims if s.errors()
    ]
    if not broken:
        return 0
    err.print(f"warning: the simulation finds errors in {listed(broken)}: see their findings", markup=False)
    return 2


RENDERED = ".fabric-rendered.json"  # in an --out folder: the files the last render wrote there


def _write_scripts(folder: Path, scripts: Any, prune: bool = True) -> None:
    """Each script under `folder`, checked before anything is written (inside the folder, no two
    the same file, nothing in the way); files an earlier render wrote there and this one does not
    are removed (they would be stale), anything else in the folder is left alone; then the list."""
    root = folder.resolve()
    if root.exists() and not root.is_dir():
        raise FabricError(f"--out {folder}: not a folder")
    targets: dict[str, tuple[Path, Any]] = {}
    for script in scripts:
        target = root.joinpath(*script.path.split("/")).resolve()
        if root not in target.parents:
            raise FabricError(f"{script.path}: would be written outside {folder}")
        if str(target).casefold() in targets:
            raise FabricError(f"{script.path}: two scripts would be one file")
        targets[str(target).casefold()] = (target, script)
        for parent in target.relative_to(root).parents:
            where = root / parent
            if where.exists() and not where.is_dir():
                raise FabricError(f"cannot write the scripts to {folder}: {where} is in the way (not a folder)")
        if target.exists() and not target.is_file():
            raise FabricError(f"cannot write the scripts to {folder}: {target} is in the way (not a file)")
    written = {str(t.relative_to(root).as_posix()) for t, _ in targets.values()}
    before = _rendered_before(root)
    stale = [p for p in before if p not in written and (root / p).is_file()] if prune else []
    try:
        for target, script in targets.values():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(script.text, encoding="utf-8")
        for path in stale:
            (root / path).unlink()
        listed_now = written if prune else written | {p for p in before if (root / p).is_file()}
        (root / RENDERED).write_text(json.dumps(sorted(listed_now), indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise FabricError(f"cannot write the scripts to {folder}: {exc.strerror or exc}") from None
    lines = [f"wrote {len(scripts)} scripts to {folder}:", *(f"  {s.path}" for s in scripts)]
    lines += [f"removed {p} (an earlier render's, not written now)" for p in stale]
    write("\n".join(lines))


def _rendered_before(root: Path) -> list[str]:
    """The files an earlier render listed in `root` (inside it, as it said), else none."""
    try:
        listed = json.loads((root / RENDERED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(listed, list):
        return []
    out = []
    for item in listed:
        if isinstance(item, str) and item.endswith(".ps1"):
            path = (root / item).resolve()
            if root in path.parents:
                out.append(path.relative_to(root).as_posix())
    return out


def _plans(resources: Any, given: str | None, resolve: Any, kind: Any) -> list[str]:
    if given is not None:
        return [resolve(resources, given)]
    found = sorted(a for a, r in resources.items() if isinstance(r, kind))
    if not found:
        raise FabricError("the stamp declares no recovery_plan")
    return found
