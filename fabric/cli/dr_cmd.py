"""`fabric dr …`: disaster-recovery operations on the stamp's DR design. `simulate` replays a
recovery plan over the live facts, `check` runs every rule fabric can check (no lock, nothing
changed by either)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from fabric import engine
from fabric.cli.common import HERE, StampDir, StateDir, leading_stamp, reports_errors, write
from fabric.dr.simulate import Options
from fabric.engine.dr import check as run_check
from fabric.engine.dr import simulation
from fabric.render.simulation import check_json, check_text, simulation_json, simulation_markdown, simulation_text

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
        SimulationFormat, typer.Option("--format", help="text, json (versioned) or markdown.")
    ] = SimulationFormat.text,
    state_dir: StateDir = None,
) -> int:
    """Replay a recovery plan step by step: where each VM lands, the address each adapter gets and
    why, the findings and the RTO/RPO estimate. Exit 0 clean, 2 findings, 1 errors."""
    stamp, (plan,) = leading_stamp(args, "[STAMP] PLAN", 1, 1)
    options = Options(plan, kind.value, direction.value, fail, test_network)
    with engine.open_session(stamp, state_dir) as session:
        result = simulation(session, options)
    render = {"text": simulation_text, "json": simulation_json, "markdown": simulation_markdown}[fmt.value]
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
    state_dir: StateDir = None,
) -> int:
    """What a nightly job runs: validation, replication posture, changes not applied, and every
    recovery plan simulated in each failover type; one line per finding."""
    with engine.open_session(stamp, state_dir) as session:
        report = run_check(session, plan)
    write((check_json(report) if fmt is CheckFormat.json else check_text(report)).rstrip("\n"))
    return 2 if detailed_exitcode and report.findings else 0
