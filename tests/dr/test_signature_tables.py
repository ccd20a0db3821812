"""The cmdlet tables kept for the DR renderings to come (fabric/dr/signatures/): every entry loads
as the binding checker reads a cmdlet, names its source, and each set's parameters exist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fabric_scvmm.signatures import _cmdlet

TABLES = Path(__file__).parent.parent.parent / "fabric" / "dr" / "signatures"


@pytest.mark.parametrize("name", ["az-recoveryservices.json", "hyperv.json"])
def test_every_cmdlet_loads_and_names_its_source(name: str) -> None:
    data = json.loads((TABLES / name).read_text(encoding="utf-8"))
    assert data["cmdlets"]
    for cmdlet, body in data["cmdlets"].items():
        assert body["source"], cmdlet
        loaded = _cmdlet(cmdlet, body)
        assert loaded.sets, cmdlet
        for set_name, spec in body["sets"].items():
            for parameter in [*spec.get("mandatory", []), *spec.get("optional", [])]:
                assert parameter in body["parameters"], (cmdlet, set_name, parameter)


def test_the_policy_facts_a_script_relies_on() -> None:
    az = json.loads((TABLES / "az-recoveryservices.json").read_text(encoding="utf-8"))["cmdlets"]
    policy = az["New-AzRecoveryServicesAsrPolicy"]["sets"]["EnterpriseToEnterprise"]
    assert {"Name", "ReplicationProvider", "ReplicationFrequencyInSeconds", "ReplicationPort"} <= set(
        policy["mandatory"]
    )
