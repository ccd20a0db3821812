"""The lab enforces VMM's rules: parents exist, names unique in scope, no delete in use."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabric.errors import ProviderError
from fabric.providers.lab.provider import LabProvider


@pytest.fixture
def vmm(tmp_path: Path) -> LabProvider:
    return LabProvider(tmp_path / "lab.db")


def hg(vmm: LabProvider, name: str, parent: str | None = None) -> str:
    attrs = {"name": name, "description": "", "parent": parent, "inherit_network_settings": True}
    return vmm.create(f"host_group.{name}", "host_group", attrs).id


def ln(vmm: LabProvider, name: str = "Mgmt") -> str:
    return vmm.create(
        "ln",
        "logical_network",
        {"name": name, "description": "", "isolation": "connected", "network_virtualization": False},
    ).id


def site(vmm: LabProvider, ln_id: str, groups: list[str], subnet: str = "10.0.0.0/24") -> str:
    attrs = {
        "name": "Site",
        "description": "",
        "logical_network": ln_id,
        "host_groups": groups,
        "subnets": [{"subnet": subnet, "vlan": 5, "secondary_vlan": None}],
    }
    return vmm.create("site", "network_site", attrs).id


def pool_attrs(site_id: str, start: str = "10.0.0.10", end: str = "10.0.0.20") -> dict:
    return {
        "name": "Pool",
        "description": "",
        "network_site": site_id,
        "vm_network": None,
        "vm_subnet": None,
        "subnet": "10.0.0.0/24",
        "range_start": start,
        "range_end": end,
        "gateways": ["10.0.0.1"],
        "dns_servers": [],
        "dns_suffix": "",
        "dns_search_suffixes": [],
        "reserved": [],
        "vips": [],
    }


def test_guids_and_inventory(vmm: LabProvider) -> None:
    root = hg(vmm, "Oslo")
    assert len(root) == 36
    inventory = vmm.read_inventory()
    assert inventory.get(root) is not None
    assert inventory.get(root).name == "Oslo"


def test_parent_must_exist(vmm: LabProvider) -> None:
    with pytest.raises(ProviderError, match="no host_group with ID"):
        hg(vmm, "IaaS", "00000000-0000-0000-0000-000000000000")


def test_reference_must_be_the_right_kind(vmm: LabProvider) -> None:
    network = ln(vmm)
    with pytest.raises(ProviderError, match="is a logical_network, not a host_group"):
        hg(vmm, "IaaS", network)


def test_names_unique_among_siblings_only(vmm: LabProvider) -> None:
    oslo, bergen = hg(vmm, "Oslo"), hg(vmm, "Bergen")
    hg(vmm, "IaaS", oslo)
    hg(vmm, "IaaS", bergen)  # same name, other branch: fine
    with pytest.raises(ProviderError, match="already exists in this scope"):
        hg(vmm, "iaas", oslo)  # case-insensitive, like VMM


def test_no_delete_while_in_use(vmm: LabProvider) -> None:
    oslo = hg(vmm, "Oslo")
    child = hg(vmm, "IaaS", oslo)
    network = ln(vmm)
    site_id = site(vmm, network, [oslo])
    with pytest.raises(ProviderError, match="still used by"):
        vmm.delete("ln", network, "logical_network")
    with pytest.raises(ProviderError, match="still used by host_group 'IaaS'"):
        vmm.delete("hg", oslo, "host_group")
    vmm.delete("site", site_id, "network_site")
    vmm.delete("ln", network, "logical_network")
    vmm.delete("hg", child, "host_group")
    vmm.delete("hg", oslo, "host_group")
    assert len(vmm.read_inventory()) == 0


def test_pool_rules_and_grants(vmm: LabProvider) -> None:
    site_id = site(vmm, ln(vmm), [hg(vmm, "Oslo")])
    with pytest.raises(ProviderError, match="outside subnet"):
        vmm.create("p", "ip_pool", pool_attrs(site_id, end="10.0.1.20"))
    bad_subnet = {
        **pool_attrs(site_id),
        "subnet": "10.9.0.0/24",
        "range_start": "10.9.0.1",
        "range_end": "10.9.0.9",
        "gateways": [],
    }
    with pytest.raises(ProviderError, match="not one of the network site's subnets"):
        vmm.create("p", "ip_pool", bad_subnet)
    pool = vmm.create("p", "ip_pool", pool_attrs(site_id)).id
    assert vmm.grant_ip(pool, "vm1") == "10.0.0.10"
    assert vmm.grant_ip(pool, "vm2") == "10.0.0.11"
    with pytest.raises(ProviderError, match="2 address\\(es\\) granted"):
        vmm.delete("p", pool, "ip_pool")


def test_immutable_attributes_refused(vmm: LabProvider) -> None:
    network = ln(vmm)
    with pytest.raises(ProviderError, match="isolation cannot be changed"):
        vmm.update(
            "ln",
            network,
            "logical_network",
            {"name": "Mgmt", "description": "", "isolation": "vlan", "network_virtualization": False},
        )
    assert "isolation" in vmm.immutable_attributes("logical_network")


def test_site_subnets_must_not_overlap(vmm: LabProvider) -> None:
    attrs = {
        "name": "S",
        "description": "",
        "logical_network": ln(vmm),
        "host_groups": [hg(vmm, "Oslo")],
        "subnets": [{"subnet": "10.0.0.0/16", "vlan": 1}, {"subnet": "10.0.5.0/24", "vlan": 2}],
    }
    with pytest.raises(ProviderError, match="overlap"):
        vmm.create("s", "network_site", attrs)


def _site(vmm: LabProvider, name: str, ln_id: str, groups: list[str], *subnets: str) -> str:
    attrs = {
        "name": name,
        "description": "",
        "logical_network": ln_id,
        "host_groups": groups,
        "subnets": [{"subnet": s, "vlan": 0} for s in subnets],
    }
    return vmm.create(name, "network_site", attrs).id


@pytest.mark.parametrize(
    ("first", "second"),
    [("10.0.0.0/16", "10.0.7.0/24"), ("10.0.7.0/24", "10.0.0.0/16"), ("fd00::/48", "FD00:0:0:1::/64")],
)
def test_subnets_must_not_overlap_across_sites_in_related_host_groups(
    vmm: LabProvider, first: str, second: str
) -> None:
    oslo = hg(vmm, "Oslo")
    iaas, bergen = hg(vmm, "IaaS", oslo), hg(vmm, "Bergen")
    mgmt, tenant = ln(vmm, "Mgmt"), ln(vmm, "Tenant")
    _site(vmm, "Oslo mgmt", mgmt, [oslo], first)
    _site(vmm, "Bergen", tenant, [bergen], second)  # unrelated host group: allowed
    for groups in ([oslo], [iaas], [bergen, iaas]):  # same group, a child, one of several
        with pytest.raises(ProviderError, match=r"overlaps subnet .* of network site '.*' in a related host group"):
            _site(vmm, "Tenant IaaS", tenant, groups, second if groups != [oslo] else first)
    _site(vmm, "Other", tenant, [iaas], "192.168.0.0/24")  # no overlap: allowed


def test_a_deleted_site_frees_its_subnets_and_an_updated_site_keeps_only_its_own(vmm: LabProvider) -> None:
    oslo = hg(vmm, "Oslo")
    mgmt, tenant = ln(vmm, "Mgmt"), ln(vmm, "Tenant")
    old = _site(vmm, "Old", mgmt, [oslo], "10.0.0.0/24")
    with pytest.raises(ProviderError, match="overlaps"):
        _site(vmm, "New", tenant, [oslo], "10.0.0.0/24")
    attrs = {"name": "Old", "description": "", "logical_network": mgmt, "host_groups": [oslo]}
    vmm.update("old", old, "network_site", {**attrs, "subnets": [{"subnet": "10.0.0.0/25", "vlan": 0}]})
    with pytest.raises(ProviderError, match="overlaps"):
        _site(vmm, "New", tenant, [oslo], "10.0.0.0/24")
    vmm.delete("old", old, "network_site")
    _site(vmm, "New", tenant, [oslo], "10.0.0.0/24")


def test_a_lab_from_before_the_subnet_index_is_indexed_when_opened(tmp_path: Path) -> None:
    import sqlite3

    vmm = LabProvider(tmp_path / "lab.db")
    oslo = hg(vmm, "Oslo")
    _site(vmm, "Old", ln(vmm, "Mgmt"), [oslo], "10.0.0.0/24")
    vmm.close()
    with sqlite3.connect(tmp_path / "lab.db") as db:
        db.execute("DROP TABLE site_subnets")
    vmm = LabProvider(tmp_path / "lab.db")
    with pytest.raises(ProviderError, match="overlaps"):
        _site(vmm, "New", ln(vmm, "Tenant"), [oslo], "10.0.0.0/16")
    vmm.close()


def test_an_interrupted_indexing_is_redone_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from fabric.providers.lab import indexes as lab

    vmm = LabProvider(tmp_path / "lab.db")
    oslo, mgmt = hg(vmm, "Oslo"), ln(vmm, "Mgmt")
    for i in range(3):
        _site(vmm, f"S{i}", mgmt, [oslo], f"10.{i}.0.0/24")
    vmm.close()
    with sqlite3.connect(tmp_path / "lab.db") as db:
        db.execute("DROP TABLE site_subnets")
    real, calls = lab._index_subnets, []

    def dies_on_the_second(*args: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(lab, "_index_subnets", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        LabProvider(tmp_path / "lab.db")
    monkeypatch.setattr(lab, "_index_subnets", real)
    vmm = LabProvider(tmp_path / "lab.db")
    with pytest.raises(ProviderError, match="overlaps"):
        _site(vmm, "New", ln(vmm, "Tenant"), [oslo], "10.2.0.0/16")  # the last site is indexed too
    vmm.close()


def _vmn(vmm: LabProvider, name: str, ln_id: str, isolation: str, subnets: list[dict] | None = None) -> str:
    attrs = {"name": name, "description": "", "logical_network": ln_id, "isolation": isolation}
    return vmm.create(name, "vm_network", {**attrs, "subnets": subnets or []}).id


def test_vm_network_rules(vmm: LabProvider) -> None:
    oslo, mgmt = hg(vmm, "Oslo"), ln(vmm, "Mgmt")
    first = _vmn(vmm, "Mgmt", mgmt, "no_isolation")
    with pytest.raises(ProviderError, match="is already the no-isolation VM network of"):
        _vmn(vmm, "Mgmt 2", mgmt, "no_isolation")
    with pytest.raises(ProviderError, match="needs network virtualization"):
        _vmn(vmm, "Tenant A", mgmt, "hnv")
    attrs = {"name": "Tenant", "description": "", "isolation": "vlan", "network_virtualization": False}
    tenant = vmm.create("tenant", "logical_network", attrs).id
    site_id = _site(vmm, "Site", tenant, [oslo], "10.5.0.0/24")  # VLAN 0
    pair = {"name": "v", "subnet": "10.5.0.0/24", "vlan": 0, "network_site": site_id}
    with pytest.raises(ProviderError, match="needs a VLAN-based logical network"):
        _vmn(vmm, "On connected", mgmt, "vlan", [pair])
    with pytest.raises(ProviderError, match="no site VLAN"):
        _vmn(vmm, "V5", tenant, "vlan", [{**pair, "vlan": 5}])
    vlan_id = _vmn(vmm, "V0", tenant, "vlan", [pair])
    with pytest.raises(ProviderError, match=r"is already the VLAN VM network for subnet 10\.5\.0\.0/24 VLAN 0"):
        _vmn(vmm, "V0 again", tenant, "vlan", [pair])
    pool = {**pool_attrs(site_id), "network_site": None, "vm_network": vlan_id, "vm_subnet": "v", "gateways": []}
    with pytest.raises(ProviderError, match="only of an hnv VM network, not vlan"):
        vmm.create(
            "p", "ip_pool", {**pool, "subnet": "10.5.0.0/24", "range_start": "10.5.0.5", "range_end": "10.5.0.9"}
        )
    vmm.delete("mgmt", first, "vm_network")  # frees the slot
    _vmn(vmm, "Mgmt 2", mgmt, "no_isolation")


def test_injected_failure_and_console_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FABRIC_LAB_FAIL", "host_group.Oslo")
    vmm = LabProvider(tmp_path / "lab.db")
    with pytest.raises(ProviderError, match="injected failure"):
        hg(vmm, "Oslo")
    bergen = hg(vmm, "Bergen")
    edited = vmm.edit(bergen, ["description"], "edited by hand")
    assert edited.attributes["description"] == "edited by hand"
    assert vmm.read_inventory().get(bergen).attributes["description"] == "edited by hand"
