"""`fabric scvmm …`: commands of the SCVMM plug-in (registered in `fabric.commands`)."""

from __future__ import annotations

import sys

import typer

app = typer.Typer(help="The SCVMM provider: scripts for offline use.", no_args_is_help=True, rich_markup_mode=None)


@app.command("export-inventory-script")
def export_inventory_script(
    vmm_server: str | None = typer.Option(
        None, "--vmm-server", metavar="NAME", help="Connect to this VMM server first."
    ),
) -> int:
    """Print the script that reads every managed VMM object as one JSON document.

    Run it on a machine with the VMM console (`./Export-FabricInventory.ps1 > inventory.json`),
    then `fabric plan DIR --inventory inventory.json`.
    """
    from fabric_scvmm.provider import read_script

    sys.stdout.write(read_script(vmm_server))
    return 0
