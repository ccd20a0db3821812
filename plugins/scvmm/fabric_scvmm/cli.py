"""`fabric scvmm …`: commands of the SCVMM plug-in (registered in `fabric.commands`).

Both commands render for a target VMM version: `--vmm-version`, else the `vmm_version` of the
stamp given as STAMP (its `provider:` block, which must be `type: scvmm`), else the default
(`fabric_scvmm.versions.DEFAULT_VERSION`). `--vmm-server` likewise overrides the stamp's.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from fabric.errors import ConfigError, FabricError
from fabric_scvmm.versions import DEFAULT_VERSION, VERSIONS, normalise

app = typer.Typer(help="The SCVMM provider: scripts for offline use.", no_args_is_help=True, rich_markup_mode=None)

_STAMP = typer.Argument(
    None, metavar="[STAMP]", help="A stamp directory whose provider block gives the VMM version and server."
)
_SERVER = typer.Option(None, "--vmm-server", metavar="NAME", help="Connect to this VMM server first.")
_VERSION = typer.Option(
    None,
    "--vmm-version",
    metavar="VERSION",
    help=f"The target VMM: {', '.join(VERSIONS)} (default: the stamp's vmm_version, else {DEFAULT_VERSION}).",
)


def _target(stamp: Path | None, vmm_server: str | None, vmm_version: str | None) -> dict[str, Any]:
    """The server and version to render for; FabricError naming what is wrong."""
    from fabric.load.stamp import load_config
    from fabric_scvmm.settings import check_settings

    settings: dict[str, Any] = {}
    if stamp is not None:
        provider = load_config(stamp).provider
        if provider.type != "scvmm":
            raise FabricError(f"{stamp}: the stamp's provider is {provider.type}, not scvmm")
        settings = dict(provider.model_extra or {})
    if vmm_version is not None:
        settings["vmm_version"] = normalise(vmm_version)
    if vmm_server is not None:
        settings["vmm_server"] = vmm_server
    checked = check_settings(settings)
    return {"vmm_server": checked.vmm_server, "vmm_version": checked.vmm_version}


def _failed(exc: FabricError) -> int:
    lines = [d.render() for d in exc.diagnostics] if isinstance(exc, ConfigError) else str(exc).splitlines()
    for line in lines:
        sys.stderr.write(f"error: {line}\n")
    return 1


def _write(script: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(script)
    else:
        out.write_text(script, encoding="utf-8-sig")  # with a BOM: Windows PowerShell 5.1 then reads UTF-8
        sys.stderr.write(f"wrote {out}\n")


@app.command("export-inventory-script")
def export_inventory_script(
    stamp: Path | None = _STAMP,
    vmm_server: str | None = _SERVER,
    vmm_version: str | None = _VERSION,
) -> int:
    """Print the script that reads every managed VMM object as one JSON document.

    Run it on a machine with the VMM console (`./Export-FabricInventory.ps1 > inventory.json`),
    then `fabric plan DIR --inventory inventory.json`.
    """
    from fabric_scvmm.provider import read_script

    try:
        where = _target(stamp, vmm_server, vmm_version)
    except FabricError as exc:
        return _failed(exc)
    sys.stdout.write(read_script(where["vmm_server"], where["vmm_version"]))
    return 0


@app.command("selftest")
def selftest(
    stamp: Path | None = _STAMP,
    vmm_server: str | None = _SERVER,
    vmm_version: str | None = _VERSION,
    out: Path | None = typer.Option(None, "--out", metavar="FILE", help="Write the script to FILE."),
) -> int:
    """Print a script that checks, on a lab VMM, what fabric could not confirm from the cmdlet reference.

    It creates objects under a scratch host group, reads them back, compares, removes them all
    and prints a pass/fail table (docs/scvmm-lab-checklist.md has the same checks as single
    commands). Run it first on a lab VMM, as a VMM administrator: `fabric scvmm selftest --out
    selftest.ps1`, then `powershell -File selftest.ps1` where the VMM console is installed.
    """
    from fabric_scvmm.selftest import selftest_script

    try:
        where = _target(stamp, vmm_server, vmm_version)
        _write(selftest_script(where["vmm_version"], where["vmm_server"]), out)
    except FabricError as exc:
        return _failed(exc)
    except OSError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    return 0
