"""Values as plans and outputs show them: a custom property's change named by its key, and text kept
verbatim in JSON outputs (no markup or emoji codes read into it)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli


def _apply(cli: Cli, stamp: Path) -> None:
    result = cli("apply", stamp, "--auto-approve")
    assert result.code == 0, result.out + result.err


def test_custom_property_changes_are_shown_with_their_key(cli: Cli, lab: Path) -> None:
    _apply(cli, lab)
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace('CreateHighlyAvailableVMRoles: "true"', 'CreateHighlyAvailableVMRoles: "false"')
    )
    text = cli("plan", lab).out
    assert '~ custom_properties["custom_property.CreateHighlyAvailableVMRoles"]: "true" → "false"' in text
    _apply(cli, lab)
    assert cli("plan", lab, "--detailed-exitcode").code == 0


def test_json_outputs_keep_text_verbatim(cli: Cli, lab: Path) -> None:
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace(
            "    name: VM Roles\n", "    name: VM Roles\n    description: 'see :warning: [red]x[/red]'\n", 1
        )
    )
    _apply(cli, lab)
    state = json.loads(cli("show", lab, "--format", "json").out)
    descriptions = {r["attributes"].get("description") for r in state["resources"]}
    assert "see :warning: [red]x[/red]" in descriptions
    live = json.loads(cli("lab", "show", lab, "--format", "json").out)["objects"]
    assert "see :warning: [red]x[/red] [fabric stamp=lab]" in {o["attributes"].get("description") for o in live}
