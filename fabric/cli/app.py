"""The typer app and `main`, which maps every outcome to an exit code (usage errors → 1)."""

from __future__ import annotations

import gc
import os
import signal
import sys
from importlib.metadata import entry_points

import typer

from fabric import __version__
from fabric.cli import adopt_cmd, apply_cmd, diff_cmd, drift_cmd, init_cmd, inspect_cmd, plan_cmd, state_cmd
from fabric.cli.common import EXIT_INTERRUPTED, err
from fabric.cli.lab_cmd import lab_app

app = typer.Typer(
    name="fabric",
    help="Fabric-as-code for System Center Virtual Machine Manager.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(init_cmd.init)
app.command()(plan_cmd.validate)
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
        code = app(args, standalone_mode=False)
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
