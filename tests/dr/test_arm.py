"""`fabric dr render --format arm`: the ARM template of the DR design, against a golden file
(FABRIC_REGENERATE=1 rewrites it), and checked by reading it the way Resource Manager does: every
expression parsed (a small parser of ARM's expression language below), every parameter declared
and used, every dependsOn a resource of the template in the order Site Recovery needs, the plans'
groups the recovery plan JSON's, the policies the YAML's, and no name turned into an expression."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import STAMPS

from fabric.dr.arm import (
    API_VERSION,
    CONTAINER_MAPPING,
    DEPLOYED,
    NETWORK_MAPPING,
    POLICY,
    PROTECTED_ITEM,
    RECOVERY_PLAN,
    Expr,
    _Parameters,
    arm_json,
    arm_template,
    escape,
)
from fabric.dr.azps import az_ps
from fabric.dr.render import rp_json
from fabric.errors import FabricError
from fabric.model.dr import CloudPairing, NetworkMapping, ProtectedVm, RecoveryPlan, ReplicationPolicy
from fabric.project import open_stamp
from fabric.providers.registry import settings_models

GOLDEN = Path(__file__).parent / "golden" / "reference-arm.json"
NORDIC = Path(__file__).parent.parent / "engine" / "stamps" / "nordic"
STAMP_DIRS = [STAMPS / "reference", NORDIC]
FUNCTIONS = {"parameters", "format", "resourceId", "reference"}  # all the template may call

# ---- ARM's expression language, as much as a template fabric writes could use ----------------

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<id>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[(),.\[\]]))")


def _tokens(text: str) -> list[tuple[str, str]]:
    out, at = [], 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        found = _TOKEN.match(text, at)
        assert found, f"cannot read {text[at:]!r} in {text!r}"
        kind = found.lastgroup
        assert kind is not None
        out.append((kind, found.group(kind)))
        at = found.end()
    return out


def parse(expression: str) -> Any:
    """`[…]` → a tree: ("str", s) | ("int", n) | ("call", name, args) | ("prop", tree, name) | ("index", tree, tree)."""
    assert expression.startswith("[") and expression.endswith("]") and not expression.startswith("[[")
    tokens = _tokens(expression[1:-1])
    at = 0

    def take(kind: str, value: str | None = None) -> str:
        nonlocal at
        assert at < len(tokens), f"{expression!r} ends early"
        k, v = tokens[at]
        assert k == kind and (value is None or v == value), f"{expression!r}: expected {value or kind}, got {v!r}"
        at += 1
        return v

    def peek(value: str) -> bool:
        return at < len(tokens) and tokens[at][1] == value and tokens[at][0] == "op"

    def term() -> Any:
        kind, value = tokens[at]
        if kind == "str":
            take("str")
            node: Any = ("str", value[1:-1].replace("''", "'"))
        elif kind == "num":
            node = ("int", int(take("num")))
        else:
            name = take("id")
            take("op", "(")
            args = []
            while not peek(")"):
                args.append(term())
                if not peek(")"):
                    take("op", ",")
            take("op", ")")
            node = ("call", name, args)
        while peek(".") or peek("["):
            if peek("."):
                take("op", ".")
                node = ("prop", node, take("id"))
            else:
                take("op", "[")
                node = ("index", node, term())
                take("op", "]")
        return node

    tree = term()
    assert at == len(tokens), f"{expression!r}: trailing {tokens[at:]}"
    return tree


def arm_reads(value: str) -> tuple[str, Any]:
    """How Resource Manager reads a template string: ("expr", tree) or ("literal", text)."""
    if value.startswith("[") and value.endswith("]"):
        if value.startswith("[["):
            return "literal", value[1:]
        return "expr", parse(value)
    return "literal", value


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, f"{path}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, f"{path}/{i}")


def calls(tree: Any) -> Iterator[tuple[str, list[Any]]]:
    if tree[0] == "call":
        yield tree[1], tree[2]
        for arg in tree[2]:
            yield from calls(arg)
    elif tree[0] == "prop":
        yield from calls(tree[1])
    elif tree[0] == "index":
        yield from calls(tree[1])
        yield from calls(tree[2])


def evaluate(tree: Any) -> str:
    """A symbolic value: parameters as <name>, resourceId as TYPE:seg/seg, reference as ref(…)."""
    kind = tree[0]
    if kind == "str":
        return str(tree[1])
    if kind == "int":
        return str(tree[1])
    if kind == "prop":
        return f"{evaluate(tree[1])}.{tree[2]}"
    assert kind == "call", tree
    name, args = tree[1], [evaluate(a) for a in tree[2]]
    if name == "parameters":
        return f"<{args[0]}>"
    if name == "format":
        return re.sub(r"\{(\d+)\}", lambda m: args[1 + int(m.group(1))], args[0])
    if name == "resourceId":
        return f"{args[0]}:{'/'.join(args[1:])}"
    if name == "reference":
        return f"ref({args[0]}@{args[1]})"
    raise AssertionError(f"unexpected function {name}")


def resource_id(resource: dict[str, Any]) -> str:
    kind, name = arm_reads(resource["name"])
    assert kind == "expr"
    return f"{resource['type']}:{evaluate(name)}"


def dependency(text: str) -> str:
    kind, tree = arm_reads(text)
    assert kind == "expr" and tree[0] == "call" and tree[1] == "resourceId", text
    return evaluate(tree)


def unescaped(value: Any) -> Any:
    """The template's values with its literals as ARM reads them (expressions kept as written)."""
    if isinstance(value, str):
        kind, read = arm_reads(value)
        return read if kind == "literal" else value
    if isinstance(value, dict):
        return {k: unescaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unescaped(v) for v in value]
    return value


# ---- fixtures -------------------------------------------------------------------------------


def _render(stamp: Path) -> tuple[Any, dict[str, Any]]:
    fabric = open_stamp(stamp, settings_models(), None)
    return fabric, arm_template(fabric.resources, fabric.config.dr, fabric.config.stamp)


def _described(template: dict[str, Any], parameter: str) -> str:
    return str(template["parameters"][parameter]["metadata"]["description"])


def _param_of(tree: Any) -> str:
    assert tree[0] == "call" and tree[1] == "parameters", tree
    return str(tree[2][0][1])


# ---- tests ----------------------------------------------------------------------------------


def test_the_reference_template_matches_golden() -> None:
    fabric = open_stamp(STAMPS / "reference", settings_models(), None)
    text = arm_json(fabric.resources, fabric.config.dr, fabric.config.stamp)
    assert text.endswith("}\n") and text == arm_json(fabric.resources, fabric.config.dr, fabric.config.stamp)
    if os.environ.get("FABRIC_REGENERATE"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), "reference-arm.json changed; regenerate: FABRIC_REGENERATE=1"
    doc = json.loads(text)
    assert doc["$schema"] == "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
    assert doc["contentVersion"] == "1.0.0.0"


@pytest.mark.parametrize("stamp", STAMP_DIRS, ids=["reference", "nordic"])
def test_every_parameter_used_is_declared_and_every_declared_one_used(stamp: Path) -> None:
    _, template = _render(stamp)
    used: set[str] = set()
    for path, value in strings(template):
        kind, tree = arm_reads(value)
        if kind != "expr":
            continue
        for name, args in calls(tree):
            assert name in FUNCTIONS, f"{path}: {name}()"
            if name == "parameters":
                assert len(args) == 1 and args[0][0] == "str", path
                used.add(args[0][1])
    declared = template["parameters"]
    assert used == set(declared)
    assert {"vaultName", "fabricName", "recoveryFabricName"} <= used
    assert len({n.casefold() for n in declared}) == len(declared)  # ARM compares them ignoring case
    for name, body in declared.items():
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name), name
        assert body["type"] == "string" and body["metadata"]["description"], name
    assert declared["recoveryFabricName"]["defaultValue"] == "[parameters('fabricName')]"
    assert "defaultValue" not in declared["vaultName"] and "defaultValue" not in declared["fabricName"]


@pytest.mark.parametrize("stamp", STAMP_DIRS, ids=["reference", "nordic"])
def test_only_the_four_kinds_are_deployed_never_a_protected_item(stamp: Path) -> None:
    fabric, template = _render(stamp)
    kinds = [r["type"] for r in template["resources"]]
    assert set(kinds) <= set(DEPLOYED) and PROTECTED_ITEM not in kinds
    assert not any(k.casefold().endswith("replicationprotecteditems") for k in kinds)
    assert all(r["apiVersion"] == API_VERSION for r in template["resources"])
    counts = {
        POLICY: ReplicationPolicy,
        CONTAINER_MAPPING: CloudPairing,
        NETWORK_MAPPING: NetworkMapping,
        RECOVERY_PLAN: RecoveryPlan,
    }
    for kind, model in counts.items():
        assert kinds.count(kind) == sum(isinstance(r, model) for r in fabric.resources.values()), kind
    ids = [resource_id(r) for r in template["resources"]]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("stamp", STAMP_DIRS, ids=["reference", "nordic"])
def test_depends_on_names_template_resources_in_site_recoverys_order(stamp: Path) -> None:
    fabric, template = _render(stamp)
    resources = template["resources"]
    index = {resource_id(r): i for i, r in enumerate(resources)}
    by_address = {r["comments"].removeprefix("fabric: "): resource_id(r) for r in resources}
    rank = {kind: i for i, kind in enumerate(DEPLOYED)}
    for i, resource in enumerate(resources):
        for text in resource.get("dependsOn", []):
            target = dependency(text)
            assert target in index, f"{resource['name']} depends on {target}, not in the template"
            assert index[target] < i  # listed after what it needs
            assert rank[resources[index[target]]["type"]] < rank[resource["type"]]
    model = fabric.resources

    def after(address: str) -> set[str]:
        resource = resources[index[by_address[address]]]
        return {dependency(t) for t in resource.get("dependsOn", [])}

    pairings = [a for a, r in model.items() if isinstance(r, CloudPairing)]
    for address in pairings:
        assert after(address) == {by_address[model[address].policy]}
        policy = resources[index[by_address[model[address].policy]]]
        assert evaluate(arm_reads(resources[index[by_address[address]]]["properties"]["policyId"])[1]) == (
            resource_id(policy)
        )
    for address, mapping in model.items():
        if isinstance(mapping, NetworkMapping):  # after every pairing it serves ([] = all)
            assert after(address) == {by_address[p] for p in (mapping.pairings or pairings)}
    for address, plan in model.items():
        if isinstance(plan, RecoveryPlan):
            needed = {by_address[model[v].pairing] for v in plan.members()}
            assert needed <= after(address)
            assert {resources[index[t]]["type"] for t in after(address)} <= {CONTAINER_MAPPING, NETWORK_MAPPING}


@pytest.mark.parametrize("stamp", STAMP_DIRS, ids=["reference", "nordic"])
def test_each_plan_is_the_recovery_plan_json_with_items_as_resource_ids(stamp: Path) -> None:
    fabric, template = _render(stamp)
    model = fabric.resources
    plans = {r["comments"].removeprefix("fabric: "): r for r in template["resources"] if r["type"] == RECOVERY_PLAN}
    assert set(plans) == {a for a, r in model.items() if isinstance(r, RecoveryPlan)}
    for address, resource in plans.items():
        plan = model[address]
        wanted = rp_json(model, address, fabric.config.dr)
        assert evaluate(arm_reads(resource["name"])[1]) == f"<vaultName>/{plan.name}"
        props = resource["properties"]
        assert props["failoverDeploymentModel"] == wanted["properties"]["failoverDeploymentModel"] == "NotApplicable"
        assert evaluate(arm_reads(props["primaryFabricId"])[1]).endswith(":<vaultName>/<fabricName>")
        assert evaluate(arm_reads(props["recoveryFabricId"])[1]).endswith(":<vaultName>/<recoveryFabricName>")
        groups = unescaped(props["groups"])

        def without_items(gs: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{k: v for k, v in g.items() if k != "replicationProtectedItems"} for g in gs]

        assert without_items(groups) == without_items(wanted["properties"]["groups"])
        boot = [g for g in props["groups"] if g["groupType"] == "Boot"]
        assert len(boot) == len(plan.groups)
        for group, declared in zip(boot, plan.groups, strict=True):
            assert len(group["replicationProtectedItems"]) == len(declared.vms)
            for item, vm_address in zip(group["replicationProtectedItems"], declared.vms, strict=True):
                vm = model[vm_address]
                assert isinstance(vm, ProtectedVm)
                cloud = model[model[vm.pairing].primary_cloud]
                tree = arm_reads(item["id"])[1]
                assert tree[:2] == ("call", "resourceId")
                kind, vault, fab, container, name = tree[2]
                assert kind == ("str", PROTECTED_ITEM)
                assert [_param_of(vault), _param_of(fab)] == ["vaultName", "fabricName"]
                assert f"'{vm.vm}' ({vm_address})" in _described(template, _param_of(name))
                assert f"cloud '{cloud.name}'" in _described(template, _param_of(container))
                vm_id = arm_reads(item["virtualMachineId"])[1]
                assert evaluate(vm_id) == f"ref({evaluate(tree)}@{API_VERSION}).providerSpecificDetails.vmId"


def _policies(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        r["comments"].removeprefix("fabric: "): r["properties"]["providerSpecificInput"]
        for r in template["resources"]
        if r["type"] == POLICY
    }


@pytest.mark.parametrize("stamp", STAMP_DIRS, ids=["reference", "nordic"])
def test_each_policy_is_the_yaml_and_what_az_ps_creates(stamp: Path) -> None:
    fabric, template = _render(stamp)
    script = az_ps(fabric.resources, fabric.config.dr, fabric.config.stamp)
    for address, body in _policies(template).items():
        policy = fabric.resources[address]
        assert isinstance(policy, ReplicationPolicy)
        assert body["instanceType"] == "HyperVReplica2012R2"
        assert body["replicationFrequencyInSeconds"] == policy.copy_frequency_seconds
        assert body["recoveryPoints"] == policy.recovery_points
        assert body["applicationConsistentSnapshotFrequencyInHours"] == policy.app_consistent_frequency_hours
        assert body["allowedAuthenticationType"] == {"kerberos": 1, "certificate": 2}[policy.authentication]
        port = {"kerberos": 8083, "certificate": 8084}[policy.authentication] if policy.port is None else policy.port
        assert body["replicationPort"] == port
        assert body["initialReplicationMethod"] == "OverNetwork"
        assert body["compression"] == ("Enable" if policy.compression else "Disable")
        assert body["replicaDeletion"] == ("Required" if policy.delete_replica_on_disable else "NotRequired")
        start = policy.initial_replication_start
        assert body.get("onlineReplicationStartTime") == (None if start is None else f"{start}:00")
        # the same values as the script's New-AzRecoveryServicesAsrPolicy for that policy
        line = next(x for x in script.splitlines() if "New-AzRecoveryServicesAsrPolicy" in x and policy.name in x)
        assert f"-ReplicationFrequencyInSeconds '{body['replicationFrequencyInSeconds']}'" in line
        assert f"-NumberOfRecoveryPointsToRetain {body['recoveryPoints']} " in line
        assert f"-ReplicationPort {body['replicationPort']} " in line
        assert f"-Authentication '{policy.authentication.capitalize()}'" in line
        assert f"-Compression '{body['compression']}'" in line
        assert f"-ReplicaDeletion '{body['replicaDeletion']}'" in line


def test_the_policies_as_the_yaml_writes_them() -> None:
    _, reference = _render(STAMPS / "reference")
    assert _policies(reference)["replication_policy.hvr-5min"] == {
        "instanceType": "HyperVReplica2012R2",
        "replicationFrequencyInSeconds": 300,
        "recoveryPoints": 24,
        "applicationConsistentSnapshotFrequencyInHours": 4,
        "allowedAuthenticationType": 2,
        "replicationPort": 8084,  # certificate's default
        "initialReplicationMethod": "OverNetwork",
        "compression": "Disable",
        "replicaDeletion": "NotRequired",
    }
    _, nordic = _render(NORDIC)
    fast, slow = _policies(nordic)["replication_policy.fast"], _policies(nordic)["replication_policy.slow"]
    assert (fast["replicationFrequencyInSeconds"], fast["recoveryPoints"]) == (30, 12)
    assert (fast["allowedAuthenticationType"], fast["replicationPort"], fast["compression"]) == (1, 8083, "Enable")
    assert fast["applicationConsistentSnapshotFrequencyInHours"] == 2 and "onlineReplicationStartTime" not in fast
    assert (slow["replicationFrequencyInSeconds"], slow["allowedAuthenticationType"], slow["replicationPort"]) == (
        900,
        2,
        8084,
    )
    assert slow["onlineReplicationStartTime"] == "23:30:00" and slow["compression"] == "Disable"


def test_a_2012_policy_has_no_frequency_and_an_offline_one_its_paths(tmp_path: Path) -> None:
    stamp = tmp_path / "nordic"
    shutil.copytree(NORDIC, stamp, ignore=shutil.ignore_patterns(".fabric"))
    dr = stamp / "dr.yaml"
    text = dr.read_text().replace(
        "    copy_frequency_seconds: 900\n",
        "    provider: hyperv_replica_2012\n    copy_frequency_seconds: 300\n",
    )
    text = text.replace(
        '    initial_replication: online\n    initial_replication_start: "23:30"\n',
        "    initial_replication: offline\n"
        "    offline_export_path: 'D:\\Export'\n    offline_import_path: 'E:\\Import'\n",
    )
    dr.write_text(text)
    _, template = _render(stamp)
    slow = _policies(template)["replication_policy.slow"]
    assert slow["instanceType"] == "HyperVReplica2012" and "replicationFrequencyInSeconds" not in slow
    assert slow["initialReplicationMethod"] == "Offline" and "onlineReplicationStartTime" not in slow
    assert (slow["offlineReplicationExportPath"], slow["offlineReplicationImportPath"]) == ("D:\\Export", "E:\\Import")


def test_hostile_names_stay_literals(tmp_path: Path) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(STAMPS / "reference", stamp, ignore=shutil.ignore_patterns(".fabric"))
    policy, pairing, mapping = "[x'] ]", "[parameters('vaultName')]", "it's ]['a'"
    instructions = "[reference('x').secret]"
    vm = "[APP'01]"
    dr = stamp / "dr.yaml"
    text = dr.read_text()
    for old, new in (
        ("    name: Hyper-V Replica 5 min\n", f"    name: {json.dumps(policy)}\n"),
        (
            '    name: "Fabric Management {{ var.main_location }} to DR {{ var.management_dr_location }}"\n',
            f"    name: {json.dumps(pairing)}\n",
        ),
        (
            '    name: "Tenants {{ each.value }} to '
            '{{ var.locations[(each.index + 1) % (var.locations | length)] }}"\n',
            f'    name: "{mapping} {{{{ each.value }}}}"\n',
        ),
        (
            '"Fail the System Center SQL availability group over to the DR-site replica (SQL02) and check that '
            'VMM01 runs in {{ var.management_dr_location }}; then resume."',
            json.dumps(instructions),
        ),
        ('    vm: "{{ each.value | upper }}-APP01"\n', f'    vm: "{vm}{{{{ each.value | upper }}}}"\n'),
    ):
        assert old in text, old
        text = text.replace(old, new)
    dr.write_text(text)
    fabric, template = _render(stamp)
    _, plain = _render(STAMPS / "reference")

    def expressions(doc: dict[str, Any]) -> set[str]:
        return {path for path, value in strings(doc) if arm_reads(value)[0] == "expr"}

    assert expressions(template) == expressions(plain)  # the same expressions where the names were plain
    literals_in_expressions: set[str] = set()
    for path, value in strings(template):
        kind, tree = arm_reads(value)
        if kind == "expr":
            for name, args in calls(tree):
                assert name in FUNCTIONS, path
                literals_in_expressions |= {a[1] for a in args if a[0] == "str"}
    names = {policy, pairing} | {f"{mapping} {c}" for c in ("Oslo", "Stockholm", "Copenhagen")}
    assert names <= literals_in_expressions  # each hostile name is one quoted literal, read back whole
    ids = {resource_id(r) for r in template["resources"]}
    assert f"{POLICY}:<vaultName>/{policy}" in ids
    assert f"{CONTAINER_MAPPING}:<vaultName>/<fabricName>/<container_management>/{pairing}" in ids
    text = json.dumps(template)
    assert json.dumps("[" + instructions) in text  # escaped as ARM requires: [[…]
    plan = next(r for r in template["resources"] if r["comments"] == "fabric: recovery_plan.management-stamp")
    action = plan["properties"]["groups"][2]["startGroupActions"][0]
    assert action["customDetails"]["description"] == "[" + instructions
    assert arm_reads(action["customDetails"]["description"]) == ("literal", instructions)
    wanted = rp_json(fabric.resources, "recovery_plan.management-stamp", fabric.config.dr)["properties"]["groups"]
    assert unescaped(plan["properties"]["groups"])[2]["startGroupActions"] == wanted[2]["startGroupActions"]
    items = [p for p in template["parameters"] if p.startswith("item_app")]
    assert items and all(f"VM '{vm}" in _described(template, p) for p in items)


def test_escape_follows_arms_rule() -> None:
    assert escape("[x]") == "[[x]" and escape("[[x]") == "[[[x]"
    assert escape("[x") == "[x" and escape("x]") == "x]" and escape("[x] y") == "[x] y"
    assert escape(Expr("[parameters('a')]")) == "[parameters('a')]"
    assert escape({"a": ["[b]", 1, {"c": "[d]"}]}) == {"a": ["[[b]", 1, {"c": "[[d]"}]}
    for text in ("[x]", "[[x]", "[x", "x]", "", "[]", "[[]]"):
        assert arm_reads(escape(text)) == ("literal", text), text


def test_parameter_names_never_collide() -> None:
    params = _Parameters()
    params.fixed("vaultName", "the vault")
    got = [params.named("container", a, f"cloud {a}") for a in ("cloud.a-b", "cloud.a_b", "cloud.A-B", "cloud.a_b_2")]
    assert len({g.casefold() for g in got}) == 4
    assert params.named("container", "cloud.a-b", "again") == got[0]  # one parameter per address
    names = list(params.declared())
    assert names[0] == "vaultName" and len({n.casefold() for n in names}) == 5
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n) for n in names)


def test_a_stamp_without_dr_kinds_is_refused() -> None:
    fabric = open_stamp(STAMPS / "lab", settings_models(), None)
    with pytest.raises(FabricError, match="declares no DR design"):
        arm_template(fabric.resources, fabric.config.dr, fabric.config.stamp)


def test_a_name_with_a_slash_is_refused(tmp_path: Path) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(STAMPS / "reference", stamp, ignore=shutil.ignore_patterns(".fabric"))
    dr = stamp / "dr.yaml"
    dr.write_text(dr.read_text().replace("    name: Hyper-V Replica 5 min\n", "    name: HVR/5\n"))
    fabric = open_stamp(stamp, settings_models(), None)
    with pytest.raises(FabricError, match=r"replication_policy\.hvr-5min: an ARM resource name cannot hold '/'"):
        arm_template(fabric.resources, fabric.config.dr, fabric.config.stamp)


def test_the_command_prints_the_template(cli: Any) -> None:
    """`fabric dr render --format arm` prints the golden template; --out is refused for it."""
    result = cli("dr", "render", STAMPS / "reference", "--format", "arm")
    assert result.code == 0, result.err
    assert json.loads(result.out) == json.loads(GOLDEN.read_text(encoding="utf-8"))
    refused = cli("dr", "render", STAMPS / "reference", "--format", "arm", "--out", "somewhere")
    assert refused.code == 1 and "--out is for --format hyperv-ps" in refused.err
