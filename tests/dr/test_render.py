"""`fabric dr render`: Site Recovery's recovery plan JSON and the runbook, against golden files
(FABRIC_REGENERATE=1 rewrites them); the JSON read back through the normaliser gives the same plan
Site Recovery would hold, and never loses an action's failover types (Terraform's #12837)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import STAMPS, Cli

from fabric.dr.render import asr_view, read_rp_json, rp_json
from fabric.model.dr import RecoveryPlan, normalise_plan
from fabric.project import open_stamp
from fabric.providers.registry import settings_models

GOLDEN = Path(__file__).parent / "golden"
NORDIC = Path(__file__).parent.parent / "engine" / "stamps" / "nordic"


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("FABRIC_REGENERATE"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; regenerate: FABRIC_REGENERATE=1"


def test_recovery_plan_json_matches_golden(cli: Cli) -> None:
    result = cli("dr", "render", STAMPS / "reference", "--format", "rp-json")
    assert result.code == 0, result.err
    docs = json.loads(result.out)
    assert [d["name"] for d in docs] == ["apps-copenhagen", "apps-oslo", "apps-stockholm", "management-stamp"]
    _golden("reference-rp.json", result.out)


def test_the_runbook_matches_golden(cli: Cli, applied: Path) -> None:
    result = cli("dr", "render", applied, "--format", "runbook-md", "--plan", "management-stamp")
    assert result.code == 0, result.err
    assert "Fail the System Center SQL availability group over" in result.out  # instructions verbatim
    assert "**Step 0, before any plan:** fail over the VMM server and its SQL (VMM01, SQL01, SQL02)" in result.out
    _golden("management-stamp-runbook.md", result.out)


@pytest.mark.parametrize("stamp", [STAMPS / "reference", NORDIC], ids=["reference", "nordic"])
def test_the_json_read_back_is_the_plan_site_recovery_holds(stamp: Path) -> None:
    fabric = open_stamp(stamp, settings_models(), None)
    plans = [a for a, r in fabric.resources.items() if isinstance(r, RecoveryPlan)]
    assert plans
    for address in plans:
        plan = fabric.resources[address]
        doc = json.loads(json.dumps(rp_json(fabric.resources, address, fabric.config.dr)))
        back = normalise_plan(read_rp_json(doc, fabric.resources, fabric.config.dr))
        wanted = normalise_plan(plan.model_dump(mode="json"))
        assert asr_view(back) == asr_view(wanted), address
        for group in doc["properties"]["groups"]:  # every action says when it runs: none lost its types
            for action in group["startGroupActions"] + group["endGroupActions"]:
                assert action["failoverTypes"] and action["failoverDirections"], action


def test_render_needs_a_recovery_plan(cli: Cli) -> None:
    for fmt in ("rp-json", "az-ps"):
        result = cli("dr", "render", STAMPS / "lab", "--format", fmt)
        assert result.code == 1 and "declares no recovery_plan" in result.err, fmt
    unknown = cli("dr", "render", STAMPS / "reference", "--plan", "nosuch")
    assert unknown.code == 1 and "no recovery plan 'nosuch'" in unknown.err
