"""Bringing live objects under a stamp: `fabric import` (one object) and `fabric export` (all)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from fabric.apply.operations import provider_attributes
from fabric.apply.retry import call_with_retries
from fabric.engine.live import read_inventory
from fabric.errors import FabricError
from fabric.inventory import ObservedObject
from fabric.model.resources import KINDS
from fabric.plan.adoption import export_documents, exportable, find_live, import_attributes
from fabric.project import open_stamp
from fabric.providers.registry import available
from fabric.secrets import to_references
from fabric.snapshot import StateEntry
from fabric.state.backends import open_state

if TYPE_CHECKING:
    from fabric.engine import Session

_HEADER = "# yaml-language-server: $schema={}/{}\n"


def take_over(session: Session, address: str, obj: ObservedObject) -> bool:
    """Write this stamp's ownership tag onto a live object (`fabric import --force`), so that the
    stamp that tagged it before sees it as another's from now on. False if its kind carries no tag
    (a site or grant belongs to its logical network's or pool's owner)."""
    if not KINDS[obj.kind].OWNER_TAG:
        return False
    attributes = provider_attributes(obj.kind, dict(obj.attributes), session.fabric.config.stamp)
    call_with_retries(lambda: session.provider.update(address, obj.id, obj.kind, attributes))
    return True


@dataclass(frozen=True)
class Imported:
    """What `import_object` adopted, and whether it re-tagged the object as this stamp's."""

    kind: str
    name: str
    live_id: str
    tagged: bool


def import_object(session: Session, address: str, live: str, force: bool = False) -> Imported:
    """Adopt the live object `live` (ID or name) into state as `address`, which code declares; the
    caller holds the state lock. FabricError for an undeclared address, one already in state, an
    object another address manages, or (without `force`) one another stamp's tag names."""
    resource = session.fabric.resources.get(address)
    if resource is None:
        raise FabricError(f"{address} is not declared in {session.fabric.root}; declare it first, then import")
    snapshot = session.state.read()
    if address in snapshot.entries:
        raise FabricError(f"{address} is already in state (live ID {snapshot.entries[address].live_id})")
    inventory = read_inventory(session.provider)
    obj = find_live(inventory, resource.KIND, live)
    owner = next((a for a, e in snapshot.entries.items() if e.live_id == obj.id), None)
    if owner:
        raise FabricError(f"{resource.KIND} {obj.name!r} ({obj.id}) is already managed as {owner}")
    stamp = session.fabric.config.stamp
    if obj.owner not in (None, stamp) and not force:
        raise FabricError(
            f"{resource.KIND} {obj.name!r} ({obj.id}) is tagged as managed by stamp {obj.owner!r}; import it "
            "only if that stamp has let go of it (--force takes it over; the next apply re-tags it)"
        )
    session.state.record(StateEntry(address, resource.KIND, obj.id, import_attributes(obj, inventory, snapshot)))
    tagged = obj.owner != stamp and take_over(session, address, obj)
    return Imported(resource.KIND, obj.name, obj.id, tagged)


@dataclass(frozen=True)
class Exported:
    """What `export_stamp` wrote: how many objects, and those left out as other stamps'."""

    count: int
    left_out: list[ObservedObject]


def export_stamp(session: Session, target: Path, force: bool = False) -> Exported:
    """Write a new stamp at `target` holding every live object this stamp may see (one file per
    kind, canonical YAML, secrets as their `${env:NAME}` references), check that it loads, and
    record its objects in the new stamp's state (its own `state:` settings: a fresh SQLite file)."""
    if target.exists() and any(target.iterdir()) and not force:
        raise FabricError(f"{target} exists and is not empty (use --force to overwrite)")
    inventory, left_out = exportable(read_inventory(session.provider), session.fabric.config.stamp)
    docs, addresses = export_documents(inventory)
    scripts = _script_sources(session, docs)
    target.mkdir(parents=True, exist_ok=True)
    _write_stamp(target, session, docs)
    for source, origin in scripts.items():
        (target / source).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(origin, target / source)
    exported = open_stamp(target, available())  # proves the YAML is valid and loadable
    ids = {address: live_id for live_id, address in addresses.items()}
    state = open_state(exported.config.state, exported.config.stamp, target / ".fabric")
    try:
        with state.lock("export"):
            for address, resource in exported.resources.items():
                state.record(StateEntry(address, resource.KIND, ids[address], dict(resource.canonical)))
    finally:
        state.close()
    return Exported(len(exported.resources), left_out)


def _script_sources(session: Session, docs: dict[str, Any]) -> dict[str, Path]:
    """The files the exported library scripts need (their `source`, relative path → this stamp's
    file), with the `sha256` fabric sets from the file dropped from the documents. The library
    share's copy cannot be fetched: a script whose source this stamp does not hold is refused."""
    root = Path(session.fabric.root).resolve()
    out: dict[str, Path] = {}
    for key, entry in docs.get("library_script", {}).items():
        entry.pop("sha256", None)
        source = str(entry.get("source", ""))
        origin = (root / source).resolve()
        if not origin.is_relative_to(root) or not origin.is_file():
            raise FabricError(
                f"library_script.{key}: its source {source!r} is not a file of this stamp, and export cannot "
                "read scripts back from the library share; put the file there and export again"
            )
        relative = origin.relative_to(root).as_posix()  # as it sits in the stamp: never outside the export
        entry["source"] = relative
        out[relative] = origin
    return out


def _stamp_name(target: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", target.resolve().name).strip("-.") or "exported"


def _write_stamp(target: Path, session: Session, docs: dict[str, Any]) -> None:
    from fabric.load.fmt import format_yaml  # only export needs them (scaffold loads jinja2)
    from fabric.scaffold import ensure_schemas

    schemas = ensure_schemas(target)
    provider = session.fabric.config.provider.model_dump()
    if provider.get("type") == "lab":  # the same lab VMM, wherever the new stamp is
        given = provider.get("path")
        lab = session.work_dir / "lab.db" if given is None else Path(session.fabric.root) / str(given)
        provider["path"] = str(lab.expanduser().resolve())
        if provider.get("seed"):  # the same seed file, wherever the new stamp is
            provider["seed"] = str((Path(session.fabric.root) / str(provider["seed"])).resolve())
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
