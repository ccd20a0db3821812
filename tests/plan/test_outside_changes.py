"""Changes made outside fabric in every output: a path fabric never applied (an item or key added
in the console) is written as absent, not as a value; a moved resource's references in what
other resources recorded are read by its new address."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli

from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.plan.diff import MISSING
from fabric.plan.planfile import PlanContext, dump_plan, load_plan
from fabric.render.jsonplan import plan_to_json


def _plan() -> Plan:
    before = {"name": "IaaS", "custom_properties": {"custom_property.a": "1", "custom_property.b": "2"}}
    after = {"name": "IaaS", "custom_properties": {"custom_property.a": "1"}}
    change = Change(
        "cloud.iaas",
        "cloud",
        "IaaS",
        Action.UPDATE,
        before,
        after,
        ('custom_properties["custom_property.b"]',),
        live_id="c-1",
        changed_outside={'custom_properties["custom_property.b"]': MISSING},
    )
    return Plan("s", (change,))


def test_a_path_fabric_never_applied_is_absent_in_the_json_plan() -> None:
    doc = json.loads(json.dumps(plan_to_json(_plan())))
    assert doc["changes"][0]["changed_outside"] == [{"path": 'custom_properties["custom_property.b"]', "absent": True}]


def test_a_saved_plan_keeps_an_absent_path_absent() -> None:
    context = PlanContext("s", "w", {"type": "lab"}, "", "now", "0")
    doc = json.loads(json.dumps(dump_plan(_plan(), context)))
    plan, _ = load_plan(doc)
    assert plan.changes[0].changed_outside == {'custom_properties["custom_property.b"]': MISSING}


def test_after_a_move_other_resources_records_name_the_new_address(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    code = (lab / "lab.yaml").read_text()
    renamed = code.replace("custom_property.CreateHighlyAvailableVMRoles", "custom_property.ha").replace(
        "  CreateHighlyAvailableVMRoles:", "  ha:\n    name: CreateHighlyAvailableVMRoles"
    )
    (lab / "lab.yaml").write_text(renamed)
    moved = "moved:\n  - {from: custom_property.CreateHighlyAvailableVMRoles, to: custom_property.ha}\n"
    (lab / "fabric.yaml").write_text((lab / "fabric.yaml").read_text() + moved)
    assert cli("apply", lab, "--auto-approve").code == 0
    assert cli("drift", lab, "--detailed-exitcode").code == 0  # no false change on the cloud
    (lab / "lab.yaml").write_text(renamed.replace("vm_count: 20", "vm_count: 21"))
    plan = json.loads(cli("plan", lab, "--format", "json").out)
    cloud = next(c for c in plan["changes"] if c["address"] == "cloud.iaas")
    assert cloud["changed_paths"] == ["capacity.vm_count"] and cloud["changed_outside"] == []
