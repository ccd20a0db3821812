"""The typer app and `main`, which maps every outcome to an exit code (usage errors → 1)."""

from __future__ import annotations

import gc
import os
import signal
import sys
from importlib.metadata import entry_points

import typer

from fabric import __version__
from fabric.cli import (
    adopt_cmd,
    apply_cmd,
    diff_cmd,
    drift_cmd,
    fmt_cmd,
    helpformat,
    init_cmd,
    inspect_cmd,
    plan_cmd,
    state_cmd,
)
from fabric.cli.common import EXIT_INTERRUPTED, err
from fabric.cli.lab_cmd import lab_app

helpformat.install()
ENVIRONMENT = """Environment variables:

\b
  FABRIC_LOG=debug         log provider calls and their timings to stderr (secrets masked)
  FABRIC_LOG_FILE=PATH     write that log to PATH instead
  FABRIC_DEBUG=1           show the traceback of an internal error
  FABRIC_PG_DSN            the PostgreSQL connection string (or the variable state.dsn_env names)
  FABRIC_SCVMM_USERNAME, FABRIC_SCVMM_PASSWORD   credentials of the scvmm provider
  FABRIC_LAB_LATENCY_MS, FABRIC_LAB_FAIL, FABRIC_LAB_FLAKY, FABRIC_LAB_KILL_AFTER   lab fault injection (tests)
  NO_COLOR                 no colours on a terminal

Exit codes: 0 success, 1 error, 2 changes or drift (with --detailed-exitcode), 130 interrupted."""

app = typer.Typer(
    name="fabric",
    help="Fabric-as-code for System Center Virtual Machine Manager.",
    epilog=ENVIRONMENT,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich markup would swallow "[default: …]" in help texts
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"fabric {__version__}")
        raise typer.Exit(0)


@app.callback()
def _options(
    show_version: bool = typer.Option(
        False, "--version", help="Print fabric's version and exit.", callback=_print_version, is_eager=True
    ),
) -> None:
    """Fabric-as-code for System Center Virtual Machine Manager: validate, plan and apply YAML stamps."""


app.command()(init_cmd.init)
app.command()(plan_cmd.validate)
app.command()(fmt_cmd.fmt)
app.command()(plan_cmd.plan)
app.command()(apply_cmd.apply)
app.command()(apply_cmd.destroy)
app.command()(apply_cmd.script)
app.command()(drift_cmd.drift)
app.command()(diff_cmd.diff)
app.command("import")(adopt_cmd.import_)
app.command()(adopt_cmd.export)
app.command()(inspect_cmd.show)
app.command()(inspect_cmd.graph)
app.command()(inspect_cmd.schema)
app.command("force-unlock")(state_cmd.force_unlock)
app.add_typer(state_cmd.state_app, name="state")
app.add_typer(lab_app, name="lab")
for _plugin in entry_points(group="fabric.commands"):  # plug-ins' own subcommands (fabric scvmm …)
    app.add_typer(_plugin.load(), name=_plugin.name)


@app.command()
def version() -> int:
    """Print fabric's version."""
    typer.echo(__version__)
    return 0


def main(args: list[str] | None = None) -> None:
    """Run the command line (`args`: the arguments, default sys.argv[1:]) and exit with its code."""
    # From here on Ctrl-C raises KeyboardInterrupt, so that open files, transactions and locks are
    # released on the way out; apply and destroy trap it themselves to finish changes in flight.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # A run builds millions of long-lived, acyclic objects (YAML nodes, models, dicts); the
    # cyclic collector would rescan them again and again (30-40 % of a 100k-resource plan).
    # The process is short-lived and creates few cycles, so collection is left off.
    gc.disable()
    try:
        code = app(args, standalone_mode=False, prog_name="fabric")
    except KeyboardInterrupt:
        err.print("\nInterrupted.", markup=False)
        _exit(EXIT_INTERRUPTED)
    except Exception as exc:  # typer vendors its own click: match its usage errors by shape
        show = getattr(exc, "show", None)
        if show is None or not hasattr(exc, "exit_code"):
            raise
        show()
        sys.exit(0 if type(exc).__name__ == "NoArgsIsHelpError" else 1)
    _exit(code if isinstance(code, int) else 0)


def _exit(code: int) -> None:
    """Exit without tearing down the heap object by object: after a large plan that alone takes
    about a second, and every file, database and thread is already closed by then."""
    sys.stdout.flush()
    sys.stderr.flush()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or coverage tool writes its results at a normal exit
    os._exit(code)
