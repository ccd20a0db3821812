"""The typer app and `main`, which maps every outcome to an exit code (usage errors → 1).

Commands are loaded on first use: the group knows each command's name and module
(`COMMANDS`), and imports the module only when that command runs or help lists it, so
`fabric version` starts without the engine, pydantic or networkx, and `fabric validate` without
the executor. Plug-ins' commands (entry points in `fabric.commands`) are looked up only for a
name fabric itself does not have.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info, get_group_from_info
from typer.models import TyperInfo

from fabric import __version__
from fabric.cli import helpformat
from fabric.cli.entry import EXIT_INTERRUPTED

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

# name → (module, attribute): a command function, or a typer app (`…_app`) for a command group.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("fabric.cli.init_cmd", "init"),
    "validate": ("fabric.cli.validate_cmd", "validate"),
    "fmt": ("fabric.cli.fmt_cmd", "fmt"),
    "plan": ("fabric.cli.plan_cmd", "plan"),
    "apply": ("fabric.cli.apply_cmd", "apply"),
    "destroy": ("fabric.cli.apply_cmd", "destroy"),
    "script": ("fabric.cli.apply_cmd", "script"),
    "drift": ("fabric.cli.drift_cmd", "drift"),
    "diff": ("fabric.cli.diff_cmd", "diff"),
    "import": ("fabric.cli.adopt_cmd", "import_"),
    "export": ("fabric.cli.adopt_cmd", "export"),
    "show": ("fabric.cli.inspect_cmd", "show"),
    "graph": ("fabric.cli.inspect_cmd", "graph"),
    "schema": ("fabric.cli.inspect_cmd", "schema"),
    "force-unlock": ("fabric.cli.state_cmd", "force_unlock"),
    "state": ("fabric.cli.state_cmd", "state_app"),
    "lab": ("fabric.cli.lab_cmd", "lab_app"),
    "dr": ("fabric.cli.dr_cmd", "dr_app"),
}
_MARKUP = None  # plain help: rich markup would swallow "[default: …]" in help texts


def _click_command(name: str, target: Any) -> Any:
    """The click command typer makes of a command function or a typer app, as `add_typer` would."""
    if isinstance(target, typer.Typer):
        return get_group_from_info(
            TyperInfo(target, name=name), pretty_exceptions_short=True, suggest_commands=True, rich_markup_mode=_MARKUP
        )
    holder = typer.Typer(add_completion=False)
    holder.command(name)(target)
    return get_command_from_info(holder.registered_commands[0], pretty_exceptions_short=True, rich_markup_mode=_MARKUP)


def _plugin_commands() -> dict[str, Any]:
    from importlib.metadata import entry_points  # 15 ms: only when a plug-in's command is wanted

    return {plugin.name: plugin for plugin in entry_points(group="fabric.commands")}


class _Commands(MutableMapping[str, Any]):
    """The group's commands: built-in ones made on first use, then plug-ins' (fabric scvmm …)."""

    def __init__(self, made: dict[str, Any]) -> None:
        self._made = made
        self._plugins: dict[str, Any] | None = None

    def _plugin_table(self) -> dict[str, Any]:
        if self._plugins is None:
            self._plugins = {name: ep for name, ep in _plugin_commands().items() if name not in COMMANDS}
        return self._plugins

    def __getitem__(self, name: str) -> Any:
        if name not in self._made:
            if name in COMMANDS:
                module, attribute = COMMANDS[name]
                target = getattr(importlib.import_module(module), attribute)
            elif name in self._plugin_table():
                target = self._plugin_table()[name].load()
            else:
                raise KeyError(name)
            self._made[name] = _click_command(name, target)
        return self._made[name]

    def _names(self) -> list[str]:
        # typer's order, kept by the help snapshots: commands, then groups, then plug-ins' groups
        commands = [name for name, (_, attribute) in COMMANDS.items() if not attribute.endswith("_app")]
        groups = [name for name in COMMANDS if name not in commands]
        return list(dict.fromkeys([*commands, *self._made, *groups, *self._plugin_table()]))

    def __contains__(self, name: object) -> bool:
        return name in self._made or name in COMMANDS or name in self._plugin_table()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __setitem__(self, name: str, command: Any) -> None:
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        del self._made[name]


class LazyGroup(TyperGroup):
    """fabric's command group: its commands are imported when used (see `COMMANDS`)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(dict(self.commands))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command `cmd_name`, its module imported now (None if there is no such command)."""
        try:
            return self.commands[cmd_name]
        except KeyError:
            return None

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command's name, in help order."""
        return list(self.commands)


app = typer.Typer(
    name="fabric",
    cls=LazyGroup,
    help="Fabric-as-code for System Center Virtual Machine Manager.",
    epilog=ENVIRONMENT,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=_MARKUP,
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


@app.command()
def version() -> int:
    """Print fabric's version."""
    typer.echo(__version__)
    return 0


def main(args: list[str] | None = None) -> None:
    """Run the command line (`args`: the arguments, default sys.argv[1:]) and exit with its code."""
    # Ctrl-C keeps `fabric.cli.entry`'s handler (one line, exit 130) while the command's modules
    # load; the command switches to KeyboardInterrupt when it starts (`common.reports_errors`).
    # A run builds millions of long-lived, acyclic objects (YAML nodes, models, dicts); the
    # cyclic collector would rescan them again and again (30-40 % of a 100k-resource plan).
    # The process is short-lived and creates few cycles, so collection is left off.
    gc.disable()
    try:
        code = app(args, standalone_mode=False, prog_name="fabric")
    except KeyboardInterrupt:
        sys.stderr.write("\nInterrupted.\n")
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
