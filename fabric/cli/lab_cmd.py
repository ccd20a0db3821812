"""`fabric lab …`: look at and edit the embedded lab VMM, as an admin (or a tenant) in the console would.

Objects made here carry no ownership tag, as anything made in the console: a stamp that later
declares one adopts it (`<= adopt`). References in values may be addresses of resources in
state (turned into their live IDs) or live IDs.
"""

from __future__ import annotations

import copy
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from pydantic import ValidationError

from fabric import engine
from fabric.cli.common import HERE, StampDir, StateDir, leading_stamp, out, reports_errors, write
from fabric.errors import FabricError
from fabric.inventory import Inventory, ObservedObject
from fabric.load.suggest import did_you_mean
from fabric.model.ipmath import ip
from fabric.model.refs import iter_refs, map_refs
from fabric.model.resources import KINDS, default_attributes
from fabric.plan.diff import parse_path
from fabric.providers.lab.provider import LabProvider
from fabric.providers.logged import unwrapped

lab_app = typer.Typer(
    help="The embedded lab VMM: show its inventory, edit it by hand.", no_args_is_help=True, rich_markup_mode=None
)
CONSOLE = "(console)"  # the address the lab is given for hand-made changes (never a resource's)


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


class _Console:
    """The lab as the console sees it: its live objects, and the addresses state gives them."""

    def __init__(self, session: engine.Session) -> None:
        self.session = session
        self.lab = _lab(session)
        self.ids = {a: e.live_id for a, e in session.state.read().entries.items()}
        self.inventory: Inventory = self.lab.read_inventory()

    def find(self, ref: str) -> ObservedObject:
        """The live object an address in state or a live ID names."""
        live_id = self.ids.get(ref, ref)
        obj = self.inventory.get(live_id)
        if obj is not None:
            return obj
        if ref in self.ids:
            raise FabricError(f"{ref}: its object {live_id} is gone from the lab (deleted outside fabric)")
        if ref in self.session.fabric.resources:
            raise FabricError(f"{ref} is not in state; apply it first")
        raise FabricError(f"{ref!r} is not in state, nor a live ID{did_you_mean(ref, self.ids)}")

    def path(self, text: str) -> list[str | int]:
        """A PATH like `capacity.vm_count` or `custom_properties["custom_property.X"]`, addresses as live IDs."""
        return [self.ids.get(p, p) if isinstance(p, str) else p for p in parse_path(text)]

    def resolved(self, kind: str, attributes: dict[str, Any]) -> dict[str, Any]:
        """`attributes` with every reference written as an address in state turned into its live ID.

        Other references are left for VMM to judge (a live ID, or nonsense it refuses), except
        addresses of fabric's kinds that state does not hold: those are refused here, with a hint.
        """
        cls = KINDS[kind]
        if not _well_shaped(kind, attributes):
            return attributes  # VMM's type check (or the model's) says what is wrong
        refs = list(iter_refs(cls.REFS, attributes))
        problems = []
        for where, target, _ in refs:
            written_kind = target.partition(".")[0]
            if target not in self.ids and target not in self.inventory and written_kind in KINDS:
                at = ".".join(map(str, where))
                hint = did_you_mean(target, self.ids)
                problems.append(f"{at}: {target} is not in state (apply it first, or give a live ID){hint}")
        if problems:
            raise FabricError("\n".join(problems))
        return map_refs(cls, attributes, lambda target: self.ids.get(target, target))

    def label(self, obj: ObservedObject) -> str:
        """An object as messages name it: its address if state holds it, else kind, name and ID."""
        for address, live_id in self.ids.items():
            if live_id == obj.id:
                return address
        return f"{obj.kind} {obj.name!r} ({obj.id})"


def _well_shaped(kind: str, attributes: dict[str, Any]) -> bool:
    """True if the attributes that hold references have the shape the kind's references need
    (a list where a list of references goes, a mapping where references are keys)."""
    try:
        map_refs(KINDS[kind], attributes, str)
        list(iter_refs(KINDS[kind].REFS, attributes))
    except (TypeError, AttributeError):
        return False
    return True


def _assignment(text: str) -> tuple[str, Any]:
    """`PATH=VALUE` → (PATH, VALUE read as YAML)."""
    path, sep, raw = text.partition("=")
    if not sep or not path:
        raise FabricError(f"{text!r} is not PATH=VALUE")
    try:
        return path, yaml.safe_load(raw) if raw else ""
    except yaml.YAMLError:
        raise FabricError(f"{text!r}: VALUE is not valid YAML") from None


def _assign(attributes: dict[str, Any], path: list[str | int], value: Any, new_keys: frozenset[str]) -> bool:
    """Set `value` at `path` inside `attributes` (in place) as a console edit would: only where the
    path leads (a top-level key in `new_keys` may be added). False if it leads nowhere."""
    node: Any = attributes
    try:
        for step in path[:-1]:
            node = node[step]
        last = path[-1]
        if isinstance(node, dict) and last not in node and not (node is attributes and last in new_keys):
            return False
        node[last] = value
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _at(attributes: Any, path: list[str | int]) -> Any:
    for step in path:
        attributes = attributes[step]
    return attributes


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
            metavar="[STAMP] ADDRESS|LIVE_ID PATH=VALUE...",
            help="The stamp (default: the current directory), the object (an address in state such as "
            "cloud.iaas-oslo, or a live ID) and assignments (capacity.vm_count=50; VALUE is YAML; "
            "addresses in it, host_groups='[host_group.Lab]', become live IDs).",
            show_default=False,
        ),
    ],
    state_dir: StateDir = None,
) -> int:
    """Change live attributes behind fabric's back, as in the VMM console (VMM's rules still apply)."""
    stamp, (ref, *assignments) = leading_stamp(args, "[STAMP] ADDRESS|LIVE_ID PATH=VALUE...", 2)
    with engine.open_session(stamp, state_dir) as session:
        console = _Console(session)
        obj = console.find(ref)
        edited = copy.deepcopy(dict(obj.attributes))
        changes: list[tuple[list[str | int], Any]] = []
        shown = []
        for assignment in assignments:  # every assignment checked before any is made: all or none
            text, value = _assignment(assignment)
            path = console.path(text)
            if _assign(edited, path, value, frozenset()):  # else the lab says what is wrong with the path
                if not _well_shaped(obj.kind, edited):
                    raise FabricError(f"VMM refused {obj.kind} {obj.name!r}: wrong type: {text} (got {value!r})")
                value = _at(console.resolved(obj.kind, edited), path)
            changes.append((path, value))
            shown.append(f"{ref}: {text} = {json.dumps(value)}")
        console.lab.edit_many(obj.id, changes)
        for line in shown:
            out.print(line, markup=False)
    return 0


@lab_app.command("create")
@reports_errors
def create(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] KIND NAME [PATH=VALUE...]",
            help="The stamp (default: the current directory), the kind (vm_network), the display name and "
            "its attributes (logical_network=logical_network.tenants; VALUE is YAML; references are "
            "addresses in state or live IDs; the rest takes the kind's defaults).",
            show_default=False,
        ),
    ],
    state_dir: StateDir = None,
) -> int:
    """Create a live object by hand, as a tenant or an admin in the VMM console would (no ownership tag)."""
    usage = "[STAMP] KIND NAME [PATH=VALUE...]"
    stamp, (kind, name, *assignments) = leading_stamp(args, usage, 2)
    cls = KINDS.get(kind)
    if cls is None and Path(kind).is_dir():  # the stamp, with KIND or NAME left out
        raise FabricError(f"expected {usage}, got {len(args)} argument(s): {' '.join(args)}")
    if cls is None:
        raise FabricError(f"unknown kind {kind!r}{did_you_mean(kind, KINDS)}")
    settable = frozenset(cls.model_fields) - {"depends_on", "lifecycle"}
    attributes: dict[str, Any] = {**copy.deepcopy(default_attributes(kind)), "name": name}
    with engine.open_session(stamp, state_dir) as session:
        console = _Console(session)
        for assignment in assignments:
            text, value = _assignment(assignment)
            if not _assign(attributes, console.path(text), value, settable):
                raise FabricError(f"{kind} has no attribute {text}")
        attributes = console.resolved(kind, _checked(kind, attributes))
        obj = console.lab.create(CONSOLE, kind, attributes)
    out.print(f"{kind} {name!r}: created, live ID {obj.id}", markup=False)
    return 0


def _checked(kind: str, attributes: dict[str, Any]) -> dict[str, Any]:
    """The attributes as VMM would store them (defaults filled, order-free lists sorted), or one
    line per problem: the kind's model must accept them, references (addresses or live IDs)
    standing in as `ref.REFERENCE`."""
    cls = KINDS[kind]
    # a value of the wrong shape goes to the model as written: it says which
    stand_ins = map_refs(cls, attributes, lambda ref: f"ref.{ref}") if _well_shaped(kind, attributes) else attributes
    try:
        model = cls.model_validate(stand_ins)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            where = ".".join(map(str, e["loc"]))
            if e["type"] == "missing":
                problems.append(f"{kind} {attributes.get('name')!r}: {where} is required (give {where}=VALUE)")
            else:
                text = str(e["msg"]).removeprefix("Value error, ")
                problems.append(f"{kind} {attributes.get('name')!r}: {where}: {text} (got {e.get('input')!r})")
        raise FabricError("\n".join(problems)) from None
    return map_refs(cls, model.attributes(), lambda ref: ref.removeprefix("ref."))


@lab_app.command("delete")
@reports_errors
def delete(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] ADDRESS|LIVE_ID",
            help="The stamp (default: the current directory) and the object: an address in state or a live ID.",
            show_default=False,
        ),
    ],
    state_dir: StateDir = None,
) -> int:
    """Delete a live object by hand, as in the VMM console (refused while anything uses it); state is
    left alone, so a managed object shows as deleted outside fabric."""
    stamp, (ref,) = leading_stamp(args, "[STAMP] ADDRESS|LIVE_ID", 1, 1)
    with engine.open_session(stamp, state_dir) as session:
        console = _Console(session)
        obj = console.find(ref)
        shown = console.label(obj)
        console.lab.delete(CONSOLE, obj.id, obj.kind)
    out.print(f"{shown}: deleted", markup=False)
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
        granted = _lab(session).grant_ip(_live_id(session, address), to)
    out.print(f"{address}: granted {granted} to {to}", markup=False)
    return 0


@lab_app.command("revoke")
@reports_errors
def revoke(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] POOL_ADDRESS IP",
            help="The stamp (default: the current directory), the ip_pool (an address in state or a live ID) "
            "and the address `fabric lab grant` granted.",
            show_default=False,
        ),
    ],
    state_dir: StateDir = None,
) -> int:
    """Give back an address granted with `fabric lab grant` (Revoke-SCIPAddress)."""
    stamp, (ref, text) = leading_stamp(args, "[STAMP] POOL_ADDRESS IP", 2, 2)
    try:
        address = str(ip(text))
    except ValueError:
        raise FabricError(f"{text!r} is not an IP address") from None
    with engine.open_session(stamp, state_dir) as session:
        console = _Console(session)
        pool = console.find(ref)
        if pool.kind != "ip_pool":
            raise FabricError(f"{ref} is a {pool.kind}, not an ip_pool")
        holder = console.lab.revoke_ip(pool.id, address)
    out.print(f"{ref}: revoked {address} (granted to {holder})", markup=False)
    return 0


@lab_app.command("seed")
@reports_errors
def seed(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] FILE",
            help="The stamp (default: the current directory) and a seed file of Hyper-V hosts and VMs "
            "(hosts: {NAME: {host_group: PATH, switches: [...]}}, vms: {NAME: {host, disks_gb, adapters}}).",
            show_default=False,
        ),
    ],
    state_dir: StateDir = None,
) -> int:
    """Load Hyper-V hosts and VMs into the lab (by name: again is the same); VMs are not desired state."""
    from fabric.providers.lab.seedfile import read_seed

    stamp, (file,) = leading_stamp(args, "[STAMP] FILE", 1, 1)
    loaded = read_seed(Path(file))
    with engine.open_session(stamp, state_dir) as session:
        hosts, vms = _lab(session).seed(loaded)
    out.print(f"{file}: {hosts} host(s) and {vms} VM(s) in the lab", markup=False)
    return 0


@lab_app.command("vms")
@reports_errors
def vms(
    stamp: StampDir = HERE,
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    state_dir: StateDir = None,
) -> int:
    """The lab's Hyper-V hosts and VMs: primaries and replicas, their hosts and adapters."""
    with engine.open_session(stamp, state_dir) as session:
        lab = _lab(session)
        hosts, machines = lab.hosts(), lab.vms()
    if fmt is Format.json:
        write(json.dumps({"hosts": hosts, "vms": machines}, indent=2, ensure_ascii=False))
        return 0
    for host in hosts:
        out.print(f"host {host['name']:<20} {host['host_group']:<32} {', '.join(host['switches'])}", markup=False)
    for vm in machines:
        nics = "; ".join(
            f"{a.get('switch') or '-'} vlan {a.get('vlan')} {a.get('ip') or 'dhcp'} failover {_failover(a)}"
            for a in vm.get("adapters", [])
        )
        out.print(f"{vm['role']:<8} {vm['name']:<20} on {vm['host']:<14} {nics}", markup=False)
    out.print(f"{len(hosts)} host(s), {len(machines)} VM(s)", markup=False)
    return 0


def _failover(adapter: dict[str, Any]) -> str:
    setting = adapter.get("failover_ipv4", "disabled")
    return setting if isinstance(setting, str) else str(setting.get("address", "?"))


@lab_app.command("vm")
@reports_errors
def vm(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] NAME PATH=VALUE...",
            help="The stamp (default: the current directory), the VM's name and facts to change "
            "(adapters.0.switch=Other; adapters.0.failover_ipv4=enabled_empty; host=OSL-HV02; VALUE is YAML).",
            show_default=False,
        ),
    ],
    replica: Annotated[bool, typer.Option("--replica", help="Change the replica, not the primary.")] = False,
    state_dir: StateDir = None,
) -> int:
    """Perturb a lab VM as an admin or an outage would: wrong switch, failover IP enabled but empty, …"""
    stamp, (name, *assignments) = leading_stamp(args, "[STAMP] NAME PATH=VALUE...", 2)
    changes = dict(_assignment(a) for a in assignments)
    with engine.open_session(stamp, state_dir) as session:
        _lab(session).edit_vm(name, "replica" if replica else "primary", changes)
    for path, value in changes.items():
        out.print(f"{name}{' (replica)' if replica else ''}: {path} = {json.dumps(value)}", markup=False)
    return 0


class ReplicationState(StrEnum):
    """Replication states the lab can be put in."""

    Replicating = "Replicating"
    Suspended = "Suspended"
    Error = "Error"
    Resynchronizing = "Resynchronizing"


class Health(StrEnum):
    """Hyper-V Replica health."""

    Normal = "Normal"
    Warning = "Warning"
    Critical = "Critical"


@lab_app.command("replication")
@reports_errors
def replication(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] VM", help="The stamp (default: the current directory) and a protected VM's name."
        ),
    ],
    state: Annotated[ReplicationState, typer.Option("--state", help="The replication state.")] = (
        ReplicationState.Error
    ),
    health: Annotated[Health, typer.Option("--health", help="The replication health.")] = Health.Critical,
    state_dir: StateDir = None,
) -> int:
    """Break (or mend) a VM's replication, as a failed link or replica host would."""
    stamp, (name,) = leading_stamp(args, "[STAMP] VM", 1, 1)
    with engine.open_session(stamp, state_dir) as session:
        _lab(session).set_replication(name, state.value, health.value)
    out.print(f"{name}: replication {state.value}, health {health.value}", markup=False)
    return 0
