"""`fabric lab …`: look at and edit the embedded lab VMM, as an admin in the console would."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
import yaml

from fabric import engine
from fabric.cli.common import HERE, StampDir, StateDir, leading_stamp, out, reports_errors, write
from fabric.errors import FabricError
from fabric.plan.diff import parse_path
from fabric.providers.lab.provider import LabProvider
from fabric.providers.logged import unwrapped

lab_app = typer.Typer(
    help="The embedded lab VMM: show its inventory, edit it by hand.", no_args_is_help=True, rich_markup_mode=None
)


class Format(StrEnum):
    """text or json."""

    text = "text"
    json = "json"


def _lab(session: engine.Session) -> LabProvider:
    provider = unwrapped(session.provider)
    if not isinstance(provider, LabProvider):
        raise FabricError(f"stamp uses provider {session.provider.name!r}, not the lab")
    return provider


def _live_id(session: engine.Session, address: str) -> str:
    entry = session.state.read().entries.get(address)
    if entry is None:
        raise FabricError(f"{address} is not in state; apply it first")
    return entry.live_id


def _path(text: str, session: engine.Session) -> list[str | int]:
    """A PATH like `capacity.vm_count` or `custom_properties["custom_property.X"]`, addresses as live IDs."""
    ids = {a: e.live_id for a, e in session.state.read().entries.items()}
    return [ids.get(p, p) if isinstance(p, str) else p for p in parse_path(text)]


@lab_app.command("show")
@reports_errors
def show(
    stamp: StampDir = HERE,
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    state_dir: StateDir = None,
) -> int:
    """The lab's live inventory (IDs, names, attributes)."""
    with engine.open_session(stamp, state_dir) as session:
        inventory = _lab(session).read_inventory()
    if fmt is Format.json:
        write(json.dumps({"objects": inventory.to_json()}, indent=2, ensure_ascii=False))
        return 0
    for obj in inventory.to_json():
        out.print(f"{obj['kind']:<22} {obj['name']:<40} {obj['id']}", markup=False)
    out.print(f"{len(inventory)} objects", markup=False)
    return 0


@lab_app.command("set")
@reports_errors
def set_(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] ADDRESS PATH=VALUE...",
            help="The stamp (default: the current directory), the resource (cloud.iaas-oslo) and assignments "
            "(capacity.vm_count=50; VALUE is YAML).",
            show_default=False,
        ),
    ],
    state_dir: StateDir = None,
) -> int:
    """Change live attributes behind fabric's back, as in the VMM console (VMM's rules still apply)."""
    stamp, (address, *assignments) = leading_stamp(args, "[STAMP] ADDRESS PATH=VALUE...", 2)
    with engine.open_session(stamp, state_dir) as session:
        lab, live_id = _lab(session), _live_id(session, address)
        for assignment in assignments:
            path, sep, raw = assignment.partition("=")
            if not sep or not path:
                raise FabricError(f"{assignment!r} is not PATH=VALUE")
            try:
                value: Any = yaml.safe_load(raw) if raw else ""
            except yaml.YAMLError:
                raise FabricError(f"{assignment!r}: VALUE is not valid YAML") from None
            lab.edit(live_id, _path(path, session), value)
            out.print(f"{address}: {path} = {json.dumps(value)}", markup=False)
    return 0


@lab_app.command("grant")
@reports_errors
def grant(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] ADDRESS",
            help="The stamp (default: the current directory) and an ip_pool address.",
            show_default=False,
        ),
    ],
    to: Annotated[str, typer.Option("--to", metavar="NAME", help="What the address is granted to.")] = "vm-nic",
    state_dir: StateDir = None,
) -> int:
    """Grant the next free address of a pool (Grant-SCIPAddress), as VM deployment would."""
    stamp, (address,) = leading_stamp(args, "[STAMP] ADDRESS", 1, 1)
    with engine.open_session(stamp, state_dir) as session:
        ip = _lab(session).grant_ip(_live_id(session, address), to)
    out.print(f"{address}: granted {ip} to {to}", markup=False)
    return 0
