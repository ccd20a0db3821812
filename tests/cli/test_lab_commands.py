"""`fabric lab create`, `delete`, `revoke` and addresses in `lab set` values: the console actions a
test needs to change the live fabric behind fabric's back, with VMM's rules and one line per refusal."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import Cli


def _objects(cli: Cli, stamp: Path) -> list[dict[str, Any]]:
    result = cli("lab", "show", stamp, "--format", "json")
    assert result.code == 0, result.err
    objects: list[dict[str, Any]] = json.loads(result.out)["objects"]
    return objects


def _live(cli: Cli, stamp: Path, live_id: str) -> dict[str, Any]:
    return next(o for o in _objects(cli, stamp) if o["id"] == live_id)


def _state_ids(cli: Cli, stamp: Path) -> dict[str, str]:
    entries = json.loads(cli("show", stamp, "--format", "json").out)
    return {e["address"]: e["live_id"] for e in entries["resources"]}


def _new_id(text: str) -> str:
    found = re.search(r"created, live ID (\S+)$", text.strip())
    assert found, text
    return found.group(1)


def _refused(cli: Cli, *args: str | Path) -> str:
    """The one-line refusal of a command (exit 1, no traceback)."""
    result = cli(*args)
    assert result.code == 1, (args, result.out, result.err)
    assert "Traceback" not in result.err + result.out
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert all(line.startswith("error: ") for line in lines), result.err
    return result.err


def test_create_makes_an_untagged_object_with_references_resolved(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    ids = _state_ids(cli, lab)
    made = cli("lab", "create", lab, "host_group", "Tenants", "parent=host_group.Lab", "description=by a tenant")
    assert made.code == 0, made.err
    tenants = _new_id(made.out)
    assert made.out.strip() == f"host_group 'Tenants': created, live ID {tenants}"
    obj = _live(cli, lab, tenants)
    # the address became the live ID; defaults filled in; no ownership tag (made by hand)
    assert obj["attributes"] == {
        "name": "Tenants",
        "description": "by a tenant",
        "parent": ids["host_group.Lab"],
        "inherit_network_settings": True,
    }
    # a reference may be a live ID too; lists of references are resolved item by item
    cloud = _new_id(cli("lab", "create", lab, "cloud", "Tenant Cloud", f"host_groups=[{tenants}]").out)
    assert _live(cli, lab, cloud)["attributes"]["host_groups"] == [tenants]
    pool = cli(
        "lab",
        "create",
        lab,
        "mac_pool",
        "Tenant MACs",
        "range_start=00:1d:d8:f5:00:00",
        "range_end=00:1d:d8:f5:00:ff",
        "host_groups=[host_group.Lab/IaaS, host_group.Lab]",
    )
    assert pool.code == 0, pool.err
    attributes = _live(cli, lab, _new_id(pool.out))["attributes"]
    assert attributes["range_start"] == "00:1D:D8:F5:00:00"  # as VMM stores it, as fabric would write it
    assert sorted(attributes["host_groups"]) == sorted([ids["host_group.Lab/IaaS"], ids["host_group.Lab"]])
    # the stamp sees them as unmanaged (nothing claims them) and the plan leaves them alone
    report = json.loads(cli("drift", lab, "--format", "json").out)
    assert report["summary"]["unmanaged"] == 3
    assert "No changes." in cli("plan", lab).out


def test_create_nested_values_and_a_pool_grants_like_vmm(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    cloud = cli(
        "lab", "create", lab, "cloud", "Quota Cloud", "host_groups=[host_group.Lab/IaaS]", "capacity.vm_count=5"
    )
    assert cloud.code == 0, cloud.err
    assert _live(cli, lab, _new_id(cloud.out))["attributes"]["capacity"]["vm_count"] == 5
    grant = cli("lab", "create", lab, "ip_grant", "web-01", "ip_pool=ip_pool.management", "vm=web-01")
    assert grant.code == 0, grant.err
    assert _live(cli, lab, _new_id(grant.out))["attributes"]["address"] == "192.168.50.10"  # the next free one


def test_create_refusals_are_one_line_each(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    assert "unknown kind 'vm_netwrok'; did you mean 'vm_network'?" in _refused(
        cli, "lab", "create", lab, "vm_netwrok", "X"
    )
    missing = _refused(cli, "lab", "create", lab, "cloud", "X")
    assert "error: cloud 'X': host_groups is required (give host_groups=VALUE)" in missing
    assert "cloud has no attribute hostgroups" in _refused(
        cli, "lab", "create", lab, "cloud", "X", "hostgroups=[host_group.Lab]"
    )
    typed = _refused(cli, "lab", "create", lab, "cloud", "X", "host_groups=[host_group.Lab]", "capacity.vm_count=lots")
    assert "cloud 'X': capacity.vm_count:" in typed and "'lots'" in typed
    shape = _refused(cli, "lab", "create", lab, "cloud", "X", "host_groups=5")
    assert "cloud 'X': host_groups: Input should be a valid list (got 5)" in shape
    keys = _refused(cli, "lab", "create", lab, "cloud", "X", "host_groups=[host_group.Lab]", "custom_properties=[a]")
    assert "cloud 'X': custom_properties:" in keys
    not_applied = _refused(cli, "lab", "create", lab, "cloud", "X", "host_groups=[host_group.Lab/IaaZ]")
    assert "host_groups.0: host_group.Lab/IaaZ is not in state (apply it first, or give a live ID)" in not_applied
    assert "did you mean 'host_group.Lab/IaaS'?" in not_applied
    # VMM's own rules: a second object of one name in one scope, a parent that does not exist
    clash = _refused(cli, "lab", "create", lab, "host_group", "iaas", "parent=host_group.Lab")
    assert "VMM refused host_group 'iaas'" in clash and "already exists in this scope" in clash
    nowhere = "00000000-0000-0000-0000-000000000000"
    assert f"no host_group with ID {nowhere}" in _refused(
        cli, "lab", "create", lab, "host_group", "X", f"parent={nowhere}"
    )
    assert "is not PATH=VALUE" in _refused(cli, "lab", "create", lab, "host_group", "X", "parent")
    assert "VALUE is not valid YAML" in _refused(cli, "lab", "create", lab, "host_group", "X", "description=[")
    assert "expected [STAMP] KIND NAME" in _refused(cli, "lab", "create", lab, "host_group")
    assert len(_objects(cli, lab)) == 12  # nothing was made


def test_delete_by_address_or_live_id_and_vmm_refuses_what_is_in_use(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    in_use = _refused(cli, "lab", "delete", lab, "host_group.Lab/IaaS")
    assert "cannot delete host_group" in in_use and "still used by cloud 'IaaS Lab'" in in_use
    gone = cli("lab", "delete", lab, "host_group.Lab/Fabric Management")
    assert gone.code == 0, gone.err
    assert gone.out.strip() == "host_group.Lab/Fabric Management: deleted"
    report = json.loads(cli("drift", lab, "--format", "json").out)  # state is left alone
    assert [i["address"] for i in report["items"] if i["category"] == "deleted_outside"] == [
        "host_group.Lab/Fabric Management"
    ]
    rogue = _new_id(cli("lab", "create", lab, "host_group", "Rogue", "parent=host_group.Lab").out)
    by_id = cli("lab", "delete", lab, rogue)
    assert by_id.code == 0 and by_id.out.strip() == f"host_group 'Rogue' ({rogue}): deleted"
    assert all(o["id"] != rogue for o in _objects(cli, lab))
    assert "did you mean 'cloud.iaas'?" in _refused(cli, "lab", "delete", lab, "cloud.iaass")
    again = _refused(cli, "lab", "delete", lab, "host_group.Lab/Fabric Management")
    assert "is gone from the lab (deleted outside fabric)" in again


def test_revoke_undoes_a_grant(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    granted = cli("lab", "grant", lab, "ip_pool.management", "--to", "vm-01")
    assert granted.out.strip() == "ip_pool.management: granted 192.168.50.10 to vm-01"
    held = _refused(cli, "lab", "delete", lab, "ip_pool.management")
    assert "1 address(es) granted; revoke first" in held
    assert "is not granted from ip_pool" in _refused(cli, "lab", "revoke", lab, "ip_pool.management", "192.168.50.11")
    assert "'192.168.50' is not an IP address" in _refused(
        cli, "lab", "revoke", lab, "ip_pool.management", "192.168.50"
    )
    assert "is a cloud, not an ip_pool" in _refused(cli, "lab", "revoke", lab, "cloud.iaas", "192.168.50.10")
    revoked = cli("lab", "revoke", lab, "ip_pool.management", "192.168.50.10")
    assert revoked.code == 0, revoked.err
    assert revoked.out.strip() == "ip_pool.management: revoked 192.168.50.10 (granted to vm-01)"
    again = cli("lab", "grant", lab, "ip_pool.management")
    assert "granted 192.168.50.10" in again.out  # free again
    assert cli("lab", "revoke", lab, "ip_pool.management", "192.168.50.10").code == 0
    assert cli("lab", "delete", lab, "ip_pool.management").code == 0  # nothing granted: VMM lets it go


def test_revoke_refuses_an_address_an_ip_grant_holds(cli: Cli, lab: Path) -> None:
    doc = lab / "lab.yaml"
    doc.write_text(doc.read_text() + "\nip_grant:\n  web:\n    ip_pool: ip_pool.management\n    vm: web-01\n")
    assert cli("apply", lab, "--auto-approve").code == 0
    refusal = _refused(cli, "lab", "revoke", lab, "ip_pool.management", "192.168.50.10")
    assert "is held by ip_grant 'web'" in refusal and "delete that object instead" in refusal


def test_set_resolves_addresses_in_values(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    ids = _state_ids(cli, lab)
    edited = cli("lab", "set", lab, "cloud.iaas", "host_groups=[host_group.Lab, host_group.Lab/IaaS]")
    assert edited.code == 0, edited.err
    live = _live(cli, lab, ids["cloud.iaas"])["attributes"]["host_groups"]
    assert sorted(live) == sorted([ids["host_group.Lab"], ids["host_group.Lab/IaaS"]])
    plan = cli("plan", lab).out
    # the plan reads the live references back as addresses, not as the text that was typed
    assert "host_groups" in plan and "host_group.Lab" in plan and "<missing" not in plan
    assert cli("lab", "set", lab, "ip_pool.management", "network_site=network_site.management").code == 0
    assert _refused(cli, "lab", "set", lab, "cloud.iaas", "host_groups=5").startswith("error: VMM refused")
    assert _refused(cli, "lab", "set", lab, "cloud.iaas", "custom_properties=[x]").startswith("error: VMM refused")
    not_applied = _refused(cli, "lab", "set", lab, "cloud.iaas", "logical_networks=[logical_network.managment]")
    assert "logical_network.managment is not in state" in not_applied
    assert "did you mean 'logical_network.management'?" in not_applied


def test_set_edits_an_object_fabric_does_not_manage_by_its_live_id(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    rogue = _new_id(cli("lab", "create", lab, "host_group", "Rogue", "parent=host_group.Lab").out)
    assert cli("lab", "set", lab, rogue, "parent=host_group.Lab/IaaS").code == 0
    assert _live(cli, lab, rogue)["attributes"]["parent"] == _state_ids(cli, lab)["host_group.Lab/IaaS"]
    assert "'nonsense' is not in state, nor a live ID" in _refused(cli, "lab", "set", lab, "nonsense", "name=x")


def test_lab_set_is_all_or_nothing(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    before = cli("lab", "show", lab, "--format", "json").out
    refused = cli("lab", "set", lab, "port_classification.vm-roles", 'description="A"', "nosuch=1")
    assert refused.code == 1 and "no attribute nosuch" in refused.err
    assert cli("lab", "show", lab, "--format", "json").out == before
