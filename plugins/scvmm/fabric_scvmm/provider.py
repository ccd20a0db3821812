"""`ScvmmProvider`: the provider protocol on a real VMM server, through rendered scripts.

Each operation renders one template (`scripts.render`) for the stamp's target VMM version
(`provider: {vmm_version: …}`, see `fabric_scvmm.versions`), runs it through a `Runner` and
reads the one JSON object it prints. An offline inventory (`fabric plan --inventory FILE`)
replaces the read script's output when the automation box cannot reach VMM.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fabric import secrets
from fabric.errors import ProviderError
from fabric.inventory import Inventory, ObservedObject
from fabric.model.builtins import is_built_in
from fabric.model.refs import map_refs
from fabric.model.resources import KINDS
from fabric.plan.diff import MISSING, Entry, entry_from_json
from fabric.render.text import entry_line
from fabric_scvmm.inventory import PARSERS, parse_inventory
from fabric_scvmm.quoting import PsCode, ps, secrets_as_env
from fabric_scvmm.scripts import render, render_named, target
from fabric_scvmm.settings import ScvmmSettings, check_settings
from fabric_scvmm.transport import Connection, PsrpRunner, Runner
from fabric_scvmm.versions import DEFAULT_VERSION, LABELS

# Attributes with no Set- parameter (scvmm-domain.md, "Immutable" rows): a change is a replace.


SETTINGS_MODEL = ScvmmSettings  # the registry hands it to `fabric validate` for fabric.yaml's provider block


def read_script(vmm_server: str | None = None, vmm_version: str = DEFAULT_VERSION) -> str:
    """The one-round-trip inventory script for `vmm_version` (also what export-inventory-script prints)."""
    # each kind's read.ps1.j2, in turn
    return render_named("read_inventory.ps1.j2", kinds=list(PARSERS), **target(vmm_version, vmm_server))


def _result(output: str, what: str) -> dict[str, Any]:
    line = next((x for x in reversed(output.strip().splitlines()) if x.strip().startswith("{")), "")
    try:
        doc = json.loads(line)
    except json.JSONDecodeError:
        raise ProviderError(f"{what}: the script printed no JSON result") from None
    if not isinstance(doc, dict):
        raise ProviderError(f"{what}: unexpected result {doc!r}")
    if doc.get("ok") is False:
        raise ProviderError(f"{what}: {doc.get('error')}")
    return doc


class ScvmmProvider:
    """VMM through PowerShell; `runner` is None when only an offline inventory is used."""

    name = "scvmm"

    def __init__(
        self,
        runner: Runner | None,
        offline_inventory: Inventory | None = None,
        vmm_server: str | None = None,
        vmm_version: str = DEFAULT_VERSION,
    ) -> None:
        self._runner = runner
        self._offline = offline_inventory
        self._vmm = vmm_server
        self.vmm_version = vmm_version

    @property
    def offline(self) -> bool:
        """True without a connection to VMM (script_only, or a saved inventory): it can plan and
        write scripts, but apply refuses before it starts (`fabric.cli.apply_cmd`)."""
        return self._runner is None

    def _connected(self, what: str) -> Runner:
        if self._runner is None:
            raise ProviderError(f"{what}: no connection to VMM (offline inventory only)")
        return self._runner

    def _run(self, script: str, what: str, idempotent: bool = False) -> dict[str, Any]:
        return _result(self._connected(what).run(script, idempotent=idempotent), what)

    def read_inventory(self) -> Inventory:
        """The offline inventory if one was given, else one read script on the server."""
        if self._offline is not None:
            return self._offline
        if self._runner is None:
            raise ProviderError(
                "reading the inventory: no connection to VMM (script_only): plan against a saved inventory, "
                "--inventory FILE, written by the script `fabric scvmm export-inventory-script` prints"
            )
        script = read_script(self._vmm, self.vmm_version)
        return parse_inventory(self._run(script, "reading the inventory", idempotent=True))

    def is_built_in(self, kind: str, name: str) -> bool:
        """Port classifications and MAC pools VMM ships (see fabric.model.builtins)."""
        return is_built_in(kind, name)

    def immutable_attributes(self, kind: str) -> frozenset[str]:
        """What VMM cannot change in place: the kind's model says (`Resource.IMMUTABLE`)."""
        return KINDS[kind].IMMUTABLE if kind in KINDS else frozenset()

    def create(self, address: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        """New-SC* for the kind."""
        self._connected(f"creating {address}")
        script = render(kind, "create", attributes, address=address, **self._target())
        doc = self._run(script, f"creating {address}")
        observed = dict(attributes)
        for key in KINDS[kind].COMPUTED:  # what VMM chose (the granted address)
            if observed.get(key) is None and doc.get(key):
                observed[key] = doc[key]
        return ObservedObject(str(doc["id"]), kind, str(attributes.get("name")), observed)

    def update(self, address: str, live_id: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        """Set-SC* (and Move-/Add-/Remove- deltas) for the kind."""
        self._connected(f"updating {address}")
        script = render(kind, "update", attributes, live_id=live_id, address=address, **self._target())
        doc = self._run(script, f"updating {address}")
        return ObservedObject(str(doc.get("id") or live_id), kind, str(attributes.get("name")), dict(attributes))

    def delete(self, address: str, live_id: str, kind: str) -> None:
        """Remove-SC* for the kind."""
        self._connected(f"deleting {address}")
        self._run(render(kind, "delete", {}, live_id=live_id, address=address, **self._target()), f"deleting {address}")

    def _target(self) -> dict[str, Any]:
        return {"vmm_server": self._vmm, "vmm_version": self.vmm_version}

    def close(self) -> None:
        """Nothing to release: each call is one remoting command."""

    def plan_script(self, stamp: str, steps: Sequence[Mapping[str, Any]], live_ids: Mapping[str, str]) -> str:
        """See `write_plan_script`."""
        return write_plan_script(stamp, steps, live_ids, self._vmm, self.vmm_version)


def _inventory_text(data: bytes) -> str:
    """A saved inventory's text: UTF-16 with its byte-order mark (what `> inventory.json` writes in
    Windows PowerShell 5.1), else UTF-8 with or without one (PowerShell 7, a file written elsewhere)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def load_offline_inventory(path: Path) -> Inventory:
    """An inventory saved from the read script's output."""
    try:
        return parse_inventory(json.loads(_inventory_text(path.read_bytes())))
    except UnicodeDecodeError:
        raise ProviderError(f"{path}: cannot read the inventory: not UTF-8 or UTF-16 text") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ProviderError(f"{path}: cannot read the inventory: {exc}") from None


def open_scvmm(stamp_dir: Path, settings: Mapping[str, Any], work_dir: Path) -> ScvmmProvider:
    """Provider factory (entry point `fabric.providers: scvmm`)."""
    checked = check_settings(settings)  # also for settings read back from a saved plan
    vmm, version = checked.vmm_server, checked.vmm_version
    if checked.inventory:  # planning against a saved inventory needs no connection either
        return ScvmmProvider(None, load_offline_inventory(Path(checked.inventory)), vmm, version)
    if checked.script_only:
        return ScvmmProvider(None, vmm_server=vmm, vmm_version=version)  # writing scripts needs no connection
    return ScvmmProvider(PsrpRunner(Connection.from_settings(settings)), vmm_server=vmm, vmm_version=version)


def _step_script(step: Mapping[str, Any], live_ids: Mapping[str, str], vmm_server: str | None, vmm_version: str) -> str:
    def ref(address: str) -> str:
        return live_ids.get(address) or PsCode(f"$ids[{ps(address)}]")  # created earlier in this script

    attributes = map_refs(KINDS[step["kind"]], dict(step["attributes"]), ref) if step["attributes"] else {}
    live_id = step["live_id"] or (PsCode(f"$ids[{ps(step['address'])}]") if step["op"] != "create" else None)
    body = render(
        step["kind"],
        step["op"],
        attributes,
        live_id=live_id,
        address=step["address"],
        vmm_server=vmm_server,
        vmm_version=vmm_version,
    )
    address = ps(step["address"])
    record = f"$ids[{address}] = $r.id\n" if step["op"] == "create" else ""
    return (
        f"Write-Host ('{step['op']} ' + {address})\n$r = (& {{\n{body}}}) | ConvertFrom-Json\n"
        f"if (-not $r.ok) {{ throw ({address} + ': ' + $r.error) }}\n{record}"
    )


def _comment(text: str) -> str:
    """`text` safe to end a `#` comment line with: a line break in it would start a line of code."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _masked(value: Any, other: Any) -> Any:
    """`value` as a header may show it: a secret (or the old value where the new one is a secret) masked."""
    return value if value is MISSING else secrets.redact_value(secrets.redact_like(value, other))


def _details(step: Mapping[str, Any]) -> list[str]:
    """The step's changes as plans show them (`~ network_sites: + network_site.b`), from the
    structured `changes` (`fabric.plan.diff.Entry.to_json`) if the engine passes them."""
    if step["op"] == "delete":
        return []
    kind = str(step["kind"])
    out = []
    for data in step.get("changes") or ():
        e = entry_from_json(kind, data)
        shown = Entry(e.path, e.op, _masked(e.before, e.after), _masked(e.after, e.before), e.member)
        out.append(entry_line(kind, shown))
    return out


def _note(step: Mapping[str, Any], replaced: bool) -> str:
    """What a header line says after op and address: a replace and its reason, the changed attributes
    (their paths, when the step carries no structured `changes` to list below it).

    `reason`, `changed_paths` and `changes` are read if the engine passes them (the ScriptWriter
    protocol promises none); a replace shows from the steps alone, as a delete and a create of one address.
    """
    why = str(step.get("reason") or "")
    notes = []
    if replaced:
        notes.append(f"replace: {why}" if why else "replace")
    elif why:
        notes.append(why)
    paths = [str(path) for path in step.get("changed_paths") or ()]
    if paths and step["op"] != "delete" and not step.get("changes"):
        notes.append("changes: " + ", ".join(paths))
    return f"  ({'; '.join(notes)})" if notes else ""


def plan_header(stamp: str, steps: Sequence[Mapping[str, Any]], vmm_version: str | None = None) -> list[str]:
    """The comment lines that open a plan script: the target version (if given), one line per step,
    with why, then what changes (one line each, as plans show it)."""
    ops: dict[str, set[str]] = {}
    for step in steps:
        ops.setdefault(step["address"], set()).add(step["op"])
    replaced = {address for address, kinds in ops.items() if {"delete", "create"} <= kinds}
    header = [
        f"# fabric plan for stamp {stamp}: {len(steps)} operation(s), in dependency order.",
        "# Review, then run in a PowerShell session with the VMM console module:",
    ]
    if vmm_version is not None:
        header.insert(1, f"# Written for {LABELS[vmm_version]} (provider vmm_version: {vmm_version}).")
    if replaced:
        header.append("# (a replaced object is deleted, then created again: it gets a new ID)")
    lines = []
    for s in steps:
        lines.append(f"#   {s['op']:<7} {s['address']}{_note(s, s['address'] in replaced)}")
        lines += [f"#{' ' * 13}{detail}" for detail in _details(s)]
    return [_comment(line) for line in [*header, *lines]]


def write_plan_script(
    stamp: str,
    steps: Sequence[Mapping[str, Any]],
    live_ids: Mapping[str, str],
    vmm_server: str | None = None,
    vmm_version: str = DEFAULT_VERSION,
) -> str:
    """The whole plan as one reviewed script for `vmm_version`: a header listing the changes, then each step."""
    lines = [*plan_header(stamp, steps, vmm_version), "$ErrorActionPreference = 'Stop'", "$ids = @{}", ""]
    with secrets_as_env():
        return "\n".join(lines) + "\n".join(_step_script(s, live_ids, vmm_server, vmm_version) for s in steps)
