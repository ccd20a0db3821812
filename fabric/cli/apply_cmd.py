"""`fabric apply` and `fabric destroy`: plan, confirm, apply with progress, summarise."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from fabric import engine
from fabric.apply.executor import ApplyResult, OpEvent
from fabric.cli.common import (
    EXIT_INTERRUPTED,
    HERE,
    InventoryFile,
    LockTimeout,
    Replace,
    StampDir,
    StateDir,
    VarAssignments,
    VarFiles,
    announce_waits,
    err,
    is_tty,
    out,
    print_plan_text,
    real_console,
    report_warnings,
    reports_errors,
    write,
    write_file,
)
from fabric.cli.plan_cmd import Excludes, Targets
from fabric.engine.dr import refuse_during_failover
from fabric.errors import FabricError, StaleInputError
from fabric.load.stamp import check_stamp_dir
from fabric.plan.action import Action
from fabric.plan.change import Plan
from fabric.providers.protocol import Provider
from fabric.providers.registry import open_provider
from fabric.render.text import plan_compact, plan_text
from fabric.state.protocol import StateBackend

AutoApprove = Annotated[bool, typer.Option("--auto-approve", help="Apply without asking for 'yes'.")]
AutoApproveDestroy = Annotated[bool, typer.Option("--auto-approve", help="Destroy without asking for 'yes'.")]
Parallelism = Annotated[int, typer.Option("--parallelism", metavar="N", min=1, max=256, help="Changes run at once.")]
Compact = Annotated[bool, typer.Option("--compact", help="Show the plan with one line per changed resource.")]
Verbose = Annotated[
    bool, typer.Option("--verbose", help="List every failed, skipped and unstarted address in the summary.")
]
SUMMARY_LIMIT = 20  # addresses listed per category in a summary unless --verbose


class _StopRequest:
    """Ctrl-C (or SIGTERM) asks apply to stop starting changes; the notice is printed once, by the
    main thread when apply next polls, never from inside the signal handler (which may interrupt
    a half-written line of the progress bar)."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.flag = threading.Event()
        self._say = say
        self._said = False

    def __call__(self) -> bool:
        if self.flag.is_set() and not self._said:
            self._said = True
            self._say("Interrupt received: finishing the changes in flight, starting no new ones…")
        return self.flag.is_set()


@contextmanager
def _stop_on_signals(request: _StopRequest) -> Iterator[None]:
    def handler(signum: int, frame: Any) -> None:
        request.flag.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _confirm(question: str, details: list[str]) -> bool:
    """Ask for a typed 'yes' (end of input: no; Ctrl-C raises KeyboardInterrupt: nothing was changed)."""
    for line in details:
        out.print(line, markup=False)
    out.print(f"\n{question}\n  Only 'yes' will be accepted to approve.", markup=False)
    out.print("\n  Enter a value: ", end="", markup=False)
    sys.stdout.flush()
    return sys.stdin.readline().strip() == "yes"


def _destroy_details(plan: Plan) -> list[str]:
    deleted = [c for c in plan.changes if c.action is Action.DELETE and c.live_id]
    forgotten = [c for c in plan.changes if c.action is Action.DELETE and not c.live_id]
    lines = [f"\nfabric will delete {len(deleted)} object(s) from the VMM server, dependents first (listed above)."]
    if forgotten:
        lines.append(f"{len(forgotten)} more are only removed from state (gone already, or built into VMM).")
    lines.append("There is no undo: a deleted object cannot be brought back, and a new one gets a new ID.")
    return lines


class _Reporter:
    """Where apply's live output goes: a progress bar on a terminal, one line per operation otherwise."""

    def __init__(self, console: Console | None, verb: str = "Applying") -> None:
        self.console = console
        self.verb = verb
        self.bar: Any = None
        self.task: Any = None

    def say(self, text: str) -> None:
        if self.console is not None:
            self.console.print(text, markup=False, highlight=False, emoji=False)
        else:
            err.print(text, markup=False)

    def start(self, total: int) -> None:
        if self.bar is not None:
            self.task = self.bar.add_task(self.verb, total=total, last="")

    def event(self, event: OpEvent) -> None:
        if self.bar is None:
            detail = f": {event.error}" if event.error else ""
            write(f"{event.address}: {event.op} {event.status} ({event.seconds:.2f}s){detail}")
            return
        if event.status != "ok":
            line = Text(f"{event.address}: {event.op} {event.status}", style="red")
            self.bar.console.print(line.append(f": {event.error}", style=""), highlight=False, emoji=False)
        self.bar.update(self.task, advance=1, last=event.address)

    def retry(self, address: str, attempt: int, attempts: int, error: BaseException) -> None:
        self.say(f"{address}: transient error, retrying (attempt {attempt} of {attempts} failed): {error}")


def _run(provider: Provider, state: StateBackend, plan: Plan, parallelism: int) -> ApplyResult:
    verb = "Destroying" if plan.destroy else "Applying"
    if not is_tty():
        reporter = _Reporter(None)
        return _execute(provider, state, plan, parallelism, reporter)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    # No redirection of sys.stdout/sys.stderr: everything printed while the bar is live goes
    # through the bar's console explicitly (the redirection looped through the masking stream).
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=real_console(out),
        redirect_stdout=False,
        redirect_stderr=False,
    ) as bar:
        reporter = _Reporter(bar.console, verb)
        reporter.bar = bar
        return _execute(provider, state, plan, parallelism, reporter)


def _execute(provider: Provider, state: StateBackend, plan: Plan, parallelism: int, reporter: _Reporter) -> ApplyResult:
    request = _StopRequest(reporter.say)
    with _stop_on_signals(request):
        return engine.apply(
            provider,
            state,
            plan,
            parallelism=parallelism,
            on_event=reporter.event,
            should_stop=request,
            on_retry=reporter.retry,
            on_start=reporter.start,
        )


def _listed(label: str, items: list[str], verbose: bool) -> list[str]:
    shown = items if verbose else items[:SUMMARY_LIMIT]
    lines = [f"  {label + ':':<8} {item}" for item in shown]
    if len(items) > len(shown):
        lines.append(f"  … and {len(items) - len(shown)} more {label} (--verbose lists them all)")
    return lines


def _summary(result: ApplyResult, *, destroy: bool, verbose: bool) -> int:
    """Print the outcome once and return the exit code."""
    ok = sum(1 for e in result.done if e.status == "ok")
    verb = "Destroy" if destroy else "Apply"
    if result.interrupted:
        outcome = f"{verb} interrupted"
    elif result.ok:
        outcome = f"{verb} complete"
    else:
        outcome = f"{verb} finished with errors"
    out.print(
        f"\n{outcome}: {ok} operation(s) done, {len(result.failed)} failed, {len(result.skipped)} skipped, "
        f"{len(result.not_started)} not started.",
        markup=False,
    )
    lines = _listed("failed", [f"{a}: {e}" for a, e in sorted(result.failed.items())], verbose)
    lines += _listed("skipped", [f"{a} (a dependency failed)" for a in result.skipped], verbose)
    lines += _listed("not started", list(result.not_started), verbose)
    for line in lines:
        out.print(line, markup=False)
    if result.interrupted:
        out.print("State records every change that finished; plan again to see what is left.", markup=False)
        return EXIT_INTERRUPTED
    return 0 if result.ok else 1


def _show(the_plan: Plan, compact: bool) -> None:
    print_plan_text(plan_compact(the_plan) if compact else plan_text(the_plan))


def _apply(stamp: Path, options: _Options, destroy: bool) -> int:
    if stamp.is_file() and stamp.suffix in (".yaml", ".yml"):
        check_stamp_dir(stamp)  # a stamp's file given for its directory: say so
    if stamp.is_file() or stamp.suffix == ".fabricplan":
        if destroy:
            raise FabricError("destroy takes a stamp directory, not a saved plan (use fabric plan --destroy --out)")
        return _apply_saved(stamp, options)
    with (
        engine.open_session(
            stamp, options.state_dir, options.lock_timeout, options.inventory, options.variables
        ) as session,
        announce_waits(session.state).lock("destroy" if destroy else "apply"),
    ):
        report_warnings(session.fabric)
        if options.emit_script is None:
            instead = (
                "fabric plan --destroy --out FILE, then fabric script FILE, writes it as a script"
                if destroy
                else "apply --emit-script FILE writes the change as a script"
            )
            _refuse_offline(session.provider, instead)
        notices: list[str] = []
        full = engine.plan(session, destroy=destroy, replace=options.replace, notices=notices)
        for line in notices:  # what an interrupted run left pending, settled
            err.print(line, markup=False)
        the_plan = engine.target_plan(session, full, options.target, options.exclude)
        refuse_during_failover(the_plan, options.during_failover, session.provider)
        if options.emit_script is not None:
            return _emit(session.provider, the_plan, options.emit_script)
        _show(the_plan, options.compact)
        if not the_plan.has_changes:
            return 0
        if not options.auto_approve:
            if destroy:
                which = "the targeted objects" if options.target else "every object fabric manages"
                question = f"Do you really want to destroy {which} for stamp {the_plan.stamp!r}?"
                details = _destroy_details(the_plan)
            else:
                question, details = "Do you want to apply these changes?", []
            if not _confirm(question, details):
                err.print("\nCancelled; nothing was changed.", markup=False)
                return 1
        result = _run(session.provider, session.state, the_plan, options.parallelism)
        return _summary(result, destroy=destroy, verbose=options.verbose)


def _refuse_offline(provider: Provider, instead: str) -> None:
    """FabricError before anything is planned or changed if the provider cannot reach the
    fabric (the scvmm provider with `script_only`, or planning against a saved inventory)."""
    if getattr(provider, "offline", False):
        raise FabricError(
            f"the {provider.name} provider has no connection to VMM here (script_only or a saved inventory), "
            f"so nothing can be applied; {instead}"
        )


def _apply_saved(path: Path, options: _Options) -> int:
    """Apply a saved plan exactly, refusing it if state or the live inventory moved on."""
    the_plan, context = engine.read_plan_file(path)
    provider, state = engine.saved_plan_backends(the_plan, context, options.lock_timeout)
    try:
        with announce_waits(state).lock("apply"):
            for line in engine.reconcile(provider, state, the_plan.stamp):  # before the staleness check
                err.print(line, markup=False)
            _refuse_offline(provider, f"fabric script {path} writes this plan as a script")
            reason = engine.stale_reason(the_plan, context, provider, state)
            if reason:
                raise StaleInputError(f"saved plan is stale: {reason}; run fabric plan again")
            refuse_during_failover(the_plan, options.during_failover, provider)
            _show(the_plan, options.compact)
            if not the_plan.has_changes:
                return 0
            result = _run(provider, state, the_plan, options.parallelism)
            return _summary(result, destroy=the_plan.destroy, verbose=options.verbose)
    finally:
        provider.close()
        state.close()


def _emit(provider: Provider, the_plan: Plan, path: Path) -> int:
    write_file(path, engine.plan_script(provider, the_plan), bom=True)  # a .ps1 for Windows PowerShell
    steps = engine.provider_steps(the_plan)
    err.print(f"wrote {path}: {steps} operation(s) in dependency order; nothing was applied.", markup=False)
    return 0


@dataclass(frozen=True)
class _Options:
    auto_approve: bool
    parallelism: int
    state_dir: Path | None
    lock_timeout: float
    target: list[str] | None = None
    exclude: list[str] | None = None
    emit_script: Path | None = None
    inventory: Path | None = None
    compact: bool = False
    verbose: bool = False
    replace: tuple[str, ...] = ()
    variables: Mapping[str, Any] | None = None
    during_failover: bool = False


@reports_errors
def apply(
    stamp: Annotated[
        Path,
        typer.Argument(
            help="A stamp directory (default: the current one), or a plan file from fabric plan --out.",
            show_default=False,
            metavar="STAMP|PLANFILE",
        ),
    ] = HERE,
    auto_approve: AutoApprove = False,
    parallelism: Parallelism = 4,
    target: Targets = None,
    exclude: Excludes = None,
    replace: Replace = None,
    compact: Compact = False,
    verbose: Verbose = False,
    emit_script: Annotated[
        Path | None,
        typer.Option("--emit-script", metavar="FILE", help="Write the plan as one script to FILE instead of applying."),
    ] = None,
    inventory: InventoryFile = None,
    state_dir: StateDir = None,
    lock_timeout: LockTimeout = 0.0,
    var: VarAssignments = None,
    var_file: VarFiles = None,
    during_failover: Annotated[
        bool,
        typer.Option(
            "--during-failover", help="Apply disaster-recovery changes although a recovery plan is failed over."
        ),
    ] = False,
) -> int:
    """Plan, ask for 'yes' (unless --auto-approve), then carry the changes out in dependency order.

    Given a saved plan file instead of a stamp, apply exactly that plan (no prompt).
    """
    options = _Options(
        auto_approve,
        parallelism,
        state_dir,
        lock_timeout,
        target,
        exclude,
        emit_script,
        inventory,
        compact,
        verbose,
        tuple(replace or ()),
        None if stamp.is_file() else engine.stamp_variables(stamp, var, var_file),
        during_failover,
    )
    return _apply(stamp, options, destroy=False)


@reports_errors
def script(
    planfile: Annotated[Path, typer.Argument(help="A plan file from fabric plan --out.", metavar="PLANFILE")],
    out_file: Annotated[
        Path | None, typer.Option("--out", metavar="FILE", help="Write to FILE [default: stdout].")
    ] = None,
) -> int:
    """Write a saved plan as one PowerShell script for a change board to review and run by hand."""
    the_plan, context = engine.read_plan_file(planfile)
    # the script needs the provider only: a change board's machine need not reach the state database
    settings = {**context.provider, "script_only": True}
    provider = open_provider(Path(context.stamp_dir), settings, Path(context.state_dir))
    try:
        if out_file is not None:
            return _emit(provider, the_plan, out_file)
        write(engine.plan_script(provider, the_plan))
        return 0
    finally:
        provider.close()


@reports_errors
def destroy(
    stamp: StampDir = HERE,
    auto_approve: AutoApproveDestroy = False,
    parallelism: Parallelism = 4,
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target", metavar="ADDRESS", help="Destroy only this address and what depends on it; repeatable."
        ),
    ] = None,
    compact: Compact = False,
    verbose: Verbose = False,
    state_dir: StateDir = None,
    lock_timeout: LockTimeout = 0.0,
    var: VarAssignments = None,
    var_file: VarFiles = None,
) -> int:
    """Delete every object fabric manages for this stamp (or only --target ones), dependents first."""
    variables = engine.stamp_variables(stamp, var, var_file)
    options = _Options(
        auto_approve,
        parallelism,
        state_dir,
        lock_timeout,
        target,
        compact=compact,
        verbose=verbose,
        variables=variables,
    )
    return _apply(stamp, options, destroy=True)
