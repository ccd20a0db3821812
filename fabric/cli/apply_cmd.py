"""`fabric apply` and `fabric destroy`: plan, confirm, apply with progress, summarise."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from fabric import engine
from fabric.apply.executor import ApplyResult, OpEvent
from fabric.cli.common import (
    InventoryFile,
    LockTimeout,
    StampDir,
    StateDir,
    err,
    is_tty,
    out,
    print_plan_text,
    reports_errors,
    write,
    write_file,
)
from fabric.cli.plan_cmd import Excludes, Targets, read_plan_file, targeted
from fabric.errors import FabricError, StaleInputError
from fabric.plan.change import Plan
from fabric.providers.protocol import Provider
from fabric.providers.registry import open_provider
from fabric.render.text import plan_text
from fabric.state.protocol import StateBackend

AutoApprove = Annotated[bool, typer.Option("--auto-approve", help="Apply without asking for 'yes'.")]
Parallelism = Annotated[int, typer.Option("--parallelism", min=1, max=256, help="Changes run at once.")]
EXIT_INTERRUPTED = 130


@contextmanager
def _interrupt_flag() -> Iterator[threading.Event]:
    """Ctrl-C sets a flag (apply stops starting new changes); a second Ctrl-C too."""
    flag = threading.Event()

    def handler(signum: int, frame: Any) -> None:
        if not flag.is_set():
            err.print("\nInterrupt received: finishing changes in flight, starting no new ones…")
        flag.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _confirm(verb: str) -> bool:
    out.print(f"\nDo you want to {verb}? Only 'yes' will be accepted.", markup=False)
    out.print("  Enter a value: ", end="", markup=False)
    line = sys.stdin.readline()
    return line.strip() == "yes"


def _line_reporter(event: OpEvent) -> None:
    detail = f": {event.error}" if event.error else ""
    write(f"{event.address}: {event.op} {event.status} ({event.seconds:.2f}s){detail}")


def _retry_reporter(address: str, attempt: int, attempts: int, error: BaseException) -> None:
    err.print(f"{address}: transient error, retrying (attempt {attempt} of {attempts} failed): {error}", markup=False)


def _run(provider: Provider, state: StateBackend, plan: Plan, parallelism: int) -> ApplyResult:
    with _interrupt_flag() as flag:
        if not is_tty():
            return engine.apply(
                provider,
                state,
                plan,
                parallelism=parallelism,
                on_event=_line_reporter,
                should_stop=flag.is_set,
                on_retry=_retry_reporter,
            )
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}"),
            console=out,
        ) as bar:
            total = sum(2 if c.action.value == "replace" else 1 for c in plan.changes if c.records_state)
            task = bar.add_task("Applying", total=total, last="")

            def report(event: OpEvent) -> None:
                if event.status != "ok":
                    line = Text(f"{event.address}: {event.op} {event.status}", style="red")
                    bar.console.print(line.append(f" {event.error}", style=""), highlight=False, emoji=False)
                bar.update(task, advance=1, last=event.address)

            return engine.apply(
                provider,
                state,
                plan,
                parallelism=parallelism,
                on_event=report,
                should_stop=flag.is_set,
                on_retry=_retry_reporter,
            )


def _summary(result: ApplyResult) -> int:
    ok = sum(1 for e in result.done if e.status == "ok")
    out.print(
        f"\nApply {'interrupted' if result.interrupted else 'complete'}: {ok} operation(s) done, "
        f"{len(result.failed)} failed, {len(result.skipped)} skipped, {len(result.not_started)} not started.",
        markup=False,
    )
    for address, error in sorted(result.failed.items()):
        out.print(f"  failed:  {address}: {error}", markup=False)
    for address in result.skipped:
        out.print(f"  skipped: {address} (a dependency failed)", markup=False)
    for address in result.not_started:
        out.print(f"  not started: {address}", markup=False)
    if result.interrupted:
        return EXIT_INTERRUPTED
    return 0 if result.ok else 1


def _apply(stamp: Path, options: _Options, destroy: bool) -> int:
    if stamp.is_file():
        if destroy:
            raise FabricError("destroy takes a stamp directory, not a saved plan (use fabric plan --destroy --out)")
        return _apply_saved(stamp, options)
    with (
        engine.open_session(stamp, options.state_dir, options.lock_timeout, options.inventory) as session,
        session.state.lock("destroy" if destroy else "apply"),
    ):
        the_plan = targeted(session, engine.plan(session, destroy=destroy), options.target, options.exclude)
        if options.emit_script is not None:
            return _emit(session.provider, the_plan, options.emit_script)
        print_plan_text(plan_text(the_plan))
        if not the_plan.has_changes:
            return 0
        verb = "destroy every managed object" if destroy else "apply these changes"
        if not options.auto_approve and not _confirm(verb):
            err.print("Cancelled; nothing was changed.")
            return 1
        return _summary(_run(session.provider, session.state, the_plan, options.parallelism))


def _apply_saved(path: Path, options: _Options) -> int:
    """Apply a saved plan exactly, refusing it if state or the live inventory moved on."""
    the_plan, context = read_plan_file(path)
    provider, state = engine.saved_plan_backends(the_plan, context, options.lock_timeout)
    try:
        with state.lock("apply"):
            reason = engine.stale_reason(the_plan, context.inventory_fingerprint, provider, state, context.secrets)
            if reason:
                raise StaleInputError(f"saved plan is stale: {reason}; run fabric plan again")
            print_plan_text(plan_text(the_plan))
            if not the_plan.has_changes:
                return 0
            return _summary(_run(provider, state, the_plan, options.parallelism))
    finally:
        provider.close()
        state.close()


def _emit(provider: Provider, the_plan: Plan, path: Path) -> int:
    script = engine.plan_script(provider, the_plan)
    write_file(path, script)
    steps = script.count("\n$r = (& {")
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


@reports_errors
def apply(
    stamp: Annotated[Path, typer.Argument(help="A stamp directory, or a plan file from fabric plan --out.")],
    auto_approve: AutoApprove = False,
    parallelism: Parallelism = 4,
    target: Targets = None,
    exclude: Excludes = None,
    emit_script: Annotated[
        Path | None, typer.Option("--emit-script", help="Write the plan as one script to FILE instead of applying.")
    ] = None,
    inventory: InventoryFile = None,
    state_dir: StateDir = None,
    lock_timeout: LockTimeout = 0.0,
) -> int:
    """Plan, ask for 'yes' (unless --auto-approve), then carry the changes out in dependency order.

    Given a saved plan file instead of a stamp, apply exactly that plan (no prompt).
    """
    options = _Options(auto_approve, parallelism, state_dir, lock_timeout, target, exclude, emit_script, inventory)
    return _apply(stamp, options, destroy=False)


@reports_errors
def script(
    planfile: Annotated[Path, typer.Argument(help="A plan file from fabric plan --out.")],
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to FILE [default: stdout].")] = None,
) -> int:
    """Write a saved plan as one PowerShell script for a change board to review and run by hand."""
    the_plan, context = read_plan_file(planfile)
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
    stamp: StampDir,
    auto_approve: AutoApprove = False,
    parallelism: Parallelism = 4,
    state_dir: StateDir = None,
    lock_timeout: LockTimeout = 0.0,
) -> int:
    """Delete every object fabric manages for this stamp, dependents first."""
    return _apply(stamp, _Options(auto_approve, parallelism, state_dir, lock_timeout), destroy=True)
