"""`fabric import` (adopt one live object into state) and `fabric export` (write YAML for all of them)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from fabric import engine
from fabric.cli.common import HERE, StampDir, StateDir, err, leading_stamp, out, reports_errors
from fabric.errors import FabricError
from fabric.load.fmt import format_yaml
from fabric.plan.adoption import export_documents, exportable, find_live, import_attributes
from fabric.project import open_stamp
from fabric.providers.registry import available
from fabric.scaffold import ensure_schemas
from fabric.secrets import to_references
from fabric.snapshot import StateEntry
from fabric.state.sqlite import SqliteState

_HEADER = "# yaml-language-server: $schema={}/{}\n"


@reports_errors
def import_(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] ADDRESS LIVE",
            help="The stamp (default: the current directory), the resource in code (cloud.iaas-oslo) and the "
            "live object's ID or name.",
            show_default=False,
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Take over an object another stamp's ownership tag names.")
    ] = False,
    state_dir: StateDir = None,
) -> int:
    """Adopt one live object into state for a resource declared in code."""
    stamp, (address, live) = leading_stamp(args, "[STAMP] ADDRESS LIVE", 2, 2)
    with engine.open_session(stamp, state_dir) as session, session.state.lock("import"):
        resource = session.fabric.resources.get(address)
        if resource is None:
            raise FabricError(f"{address} is not declared in {stamp}; declare it first, then import")
        snapshot = session.state.read()
        if address in snapshot.entries:
            raise FabricError(f"{address} is already in state (live ID {snapshot.entries[address].live_id})")
        inventory = engine.read_inventory(session.provider)
        obj = find_live(inventory, resource.KIND, live)
        owner = next((a for a, e in snapshot.entries.items() if e.live_id == obj.id), None)
        if owner:
            raise FabricError(f"{resource.KIND} {obj.name!r} ({obj.id}) is already managed as {owner}")
        if obj.owner not in (None, session.fabric.config.stamp) and not force:
            raise FabricError(
                f"{resource.KIND} {obj.name!r} ({obj.id}) is tagged as managed by stamp {obj.owner!r}; import it "
                "only if that stamp has let go of it (--force takes it over; the next apply re-tags it)"
            )
        attrs = import_attributes(obj, inventory, snapshot)
        session.state.record(StateEntry(address, resource.KIND, obj.id, attrs))
        if obj.owner != session.fabric.config.stamp and engine.take_over(session, address, obj):
            out.print(f"Tagged it as managed by stamp {session.fabric.config.stamp!r}.", markup=False)
    out.print(f"Imported {resource.KIND} {obj.name!r} ({obj.id}) as {address}.", markup=False)
    out.print(f"Run `fabric plan {stamp}` to see how the code differs from it.", markup=False)
    return 0


def _stamp_name(target: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", target.resolve().name).strip("-.") or "exported"


def _write_stamp(target: Path, session: engine.Session, docs: dict[str, Any]) -> None:
    schemas = ensure_schemas(target)
    provider = session.fabric.config.provider.model_dump()
    if provider.get("type") == "lab":  # the same lab VMM, wherever the new stamp is
        given = provider.get("path")
        lab = session.work_dir / "lab.db" if given is None else Path(session.fabric.root) / str(given)
        provider["path"] = str(lab.expanduser().resolve())
    config = {"stamp": _stamp_name(target), "description": f"Exported from {session.fabric.root}", "provider": provider}
    (target / "fabric.yaml").write_text(
        _HEADER.format(schemas, "fabric.schema.json") + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    )
    for kind, entries in sorted(docs.items()):
        # a live value that is one of this stamp's secrets goes back to its ${env:NAME} reference
        body = yaml.safe_dump({kind: to_references(entries)}, sort_keys=False, allow_unicode=True, width=120)
        path = target / f"{kind}.yaml"
        text = _HEADER.format(schemas, "resources.schema.json") + body
        path.write_text(format_yaml(text, str(path)).text or text)  # canonical, as fabric fmt writes it


@reports_errors
def export(
    target: Annotated[Path, typer.Option("--out", metavar="DIR", help="Directory for the exported stamp.")],
    stamp: StampDir = HERE,
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty directory.")] = False,
    state_dir: StateDir = None,
) -> int:
    """Write YAML for every live object (one file per kind) and record them in the new stamp's state."""
    if target.exists() and any(target.iterdir()) and not force:
        raise FabricError(f"{target} exists and is not empty (use --force to overwrite)")
    with engine.open_session(stamp, state_dir) as session:
        inventory, left_out = exportable(engine.read_inventory(session.provider), session.fabric.config.stamp)
        docs, addresses = export_documents(inventory)
        target.mkdir(parents=True, exist_ok=True)
        _write_stamp(target, session, docs)
    if left_out:
        names = ", ".join(f"{o.kind} {o.name!r}" for o in left_out[:10]) + (" …" if len(left_out) > 10 else "")
        err.print(
            f"Left out {len(left_out)} objects other stamps manage (and what refers to them): {names}", markup=False
        )
    exported = open_stamp(target, available())  # proves the YAML is valid and loadable
    ids = {address: live_id for live_id, address in addresses.items()}
    state = SqliteState(target / engine.WORK_DIR)
    try:
        with state.lock("export"):
            for address, resource in exported.resources.items():
                state.record(StateEntry(address, resource.KIND, ids[address], dict(resource.canonical)))
    finally:
        state.close()
    out.print(f"Exported {len(exported.resources)} objects to {target} (state recorded).", markup=False)
    return 0
