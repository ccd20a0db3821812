"""`ScvmmProvider`: the provider protocol on a real VMM server, through rendered scripts.

Each operation renders one template (`scripts.render`), runs it through a `Runner` and
reads the one JSON object it prints. An offline inventory (`fabric plan --inventory FILE`)
replaces the read script's output when the automation box cannot reach VMM.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fabric.errors import ProviderError
from fabric.inventory import Inventory, ObservedObject
from fabric.model.resources import KINDS
from fabric_scvmm.inventory import PARSERS, parse_inventory
from fabric_scvmm.scripts import environment, render
from fabric_scvmm.transport import Connection, PsrpRunner, Runner

# Attributes with no Set- parameter (scvmm-domain.md, "Immutable" rows): a change is a replace.
IMMUTABLE: dict[str, frozenset[str]] = {kind: cls.IMMUTABLE for kind, cls in KINDS.items()}


SETTINGS = frozenset(
    {
        "type",
        "server",
        "port",
        "ssl",
        "cert_validation",
        "auth",
        "username_env",
        "password_env",
        "vmm_server",
        "inventory",
        "script_only",
    }
)


def read_script(vmm_server: str | None = None) -> str:
    """The one-round-trip inventory script (also what export-inventory-script prints)."""
    template = environment().get_template("read_inventory.ps1.j2")
    return template.render(vmm_server=vmm_server, kinds=list(PARSERS))  # each kind's read.ps1.j2, in turn


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
        self, runner: Runner | None, offline_inventory: Inventory | None = None, vmm_server: str | None = None
    ) -> None:
        self._runner = runner
        self._offline = offline_inventory
        self._vmm = vmm_server

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
        return parse_inventory(self._run(read_script(self._vmm), "reading the inventory", idempotent=True))

    def immutable_attributes(self, kind: str) -> frozenset[str]:
        """See IMMUTABLE."""
        return IMMUTABLE.get(kind, frozenset())

    def create(self, address: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        """New-SC* for the kind."""
        self._connected(f"creating {address}")
        doc = self._run(
            render(kind, "create", attributes, address=address, vmm_server=self._vmm), f"creating {address}"
        )
        observed = dict(attributes)
        for key in KINDS[kind].COMPUTED:  # what VMM chose (the granted address)
            if observed.get(key) is None and doc.get(key):
                observed[key] = doc[key]
        return ObservedObject(str(doc["id"]), kind, str(attributes.get("name")), observed)

    def update(self, address: str, live_id: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        """Set-SC* (and Move-/Add-/Remove- deltas) for the kind."""
        self._connected(f"updating {address}")
        doc = self._run(
            render(kind, "update", attributes, live_id=live_id, address=address, vmm_server=self._vmm),
            f"updating {address}",
        )
        return ObservedObject(str(doc.get("id") or live_id), kind, str(attributes.get("name")), dict(attributes))

    def delete(self, address: str, live_id: str, kind: str) -> None:
        """Remove-SC* for the kind."""
        self._connected(f"deleting {address}")
        self._run(
            render(kind, "delete", {}, live_id=live_id, address=address, vmm_server=self._vmm), f"deleting {address}"
        )

    def close(self) -> None:
        """Nothing to release: each call is one remoting command."""

    def plan_script(self, stamp: str, steps: Sequence[Mapping[str, Any]], live_ids: Mapping[str, str]) -> str:
        """See `write_plan_script`."""
        return write_plan_script(stamp, steps, live_ids, self._vmm)


def load_offline_inventory(path: Path) -> Inventory:
    """An inventory saved from the read script's output."""
    try:
        return parse_inventory(json.loads(path.read_text(encoding="utf-8-sig")))
    except (OSError, json.JSONDecodeError) as exc:
        raise ProviderError(f"{path}: cannot read the inventory: {exc}") from None


def open_scvmm(stamp_dir: Path, settings: Mapping[str, Any], work_dir: Path) -> ScvmmProvider:
    """Provider factory (entry point `fabric.providers: scvmm`)."""
    unknown = sorted(set(settings) - SETTINGS)
    if unknown:  # settings are copied into plan files: refuse anything that could be a secret
        raise ProviderError(
            f"provider scvmm: unknown setting(s) {', '.join(unknown)} (known: {', '.join(sorted(SETTINGS))}); "
            "credentials never go in fabric.yaml, use FABRIC_SCVMM_USERNAME and FABRIC_SCVMM_PASSWORD"
        )
    vmm = str(settings["vmm_server"]) if settings.get("vmm_server") else None
    if settings.get("script_only"):
        return ScvmmProvider(None, vmm_server=vmm)  # writing scripts needs no connection
    offline = settings.get("inventory")
    if offline:
        return ScvmmProvider(None, load_offline_inventory(Path(str(offline))), vmm)
    return ScvmmProvider(PsrpRunner(Connection.from_settings(settings)), vmm_server=vmm)


def _step_script(step: Mapping[str, Any], live_ids: Mapping[str, str], vmm_server: str | None) -> str:
    from fabric.model.refs import map_refs
    from fabric.model.resources import KINDS
    from fabric_scvmm.quoting import PsCode, ps

    def ref(address: str) -> str:
        return live_ids.get(address) or PsCode(f"$ids[{ps(address)}]")  # created earlier in this script

    attributes = map_refs(KINDS[step["kind"]], dict(step["attributes"]), ref) if step["attributes"] else {}
    live_id = step["live_id"] or (PsCode(f"$ids[{ps(step['address'])}]") if step["op"] != "create" else None)
    body = render(step["kind"], step["op"], attributes, live_id=live_id, address=step["address"], vmm_server=vmm_server)
    address = ps(step["address"])
    record = f"$ids[{address}] = $r.id\n" if step["op"] == "create" else ""
    return (
        f"Write-Host ('{step['op']} ' + {address})\n$r = (& {{\n{body}}}) | ConvertFrom-Json\n"
        f"if (-not $r.ok) {{ throw ({address} + ': ' + $r.error) }}\n{record}"
    )


def write_plan_script(
    stamp: str, steps: Sequence[Mapping[str, Any]], live_ids: Mapping[str, str], vmm_server: str | None = None
) -> str:
    """The whole plan as one reviewed script: a header listing the changes, then each step in order."""
    header = [
        f"# fabric plan for stamp {stamp}: {len(steps)} operation(s), in dependency order.",
        "# Review, then run in a PowerShell session with the VMM console module:",
    ]
    header += [f"#   {s['op']:<7} {s['address']}" for s in steps]  # addresses hold no control characters
    lines = [*header, "$ErrorActionPreference = 'Stop'", "$ids = @{}", ""]
    return "\n".join(lines) + "\n".join(_step_script(s, live_ids, vmm_server) for s in steps)
