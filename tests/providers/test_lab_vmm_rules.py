"""The lab refuses what VMM refuses (issue 10): VM subnet shapes, MAC pool overlaps, reserved and
VIP sets apart, and what dependents need of an object (pools on subnets and VM subnets, VLAN VM
networks on site VLANs, HNV VM networks on virtualization); it accepts tenants' HNV VM networks
sharing a name, and names a damaged lab database in one line."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

from fabric.errors import ProviderError
from fabric.providers.lab.provider import LabProvider


@pytest.fixture
def vmm(tmp_path: Path) -> LabProvider:
    return LabProvider(tmp_path / "lab.db")


def _hg(vmm: LabProvider, name: str = "Oslo") -> str:
    attrs = {"name": name, "description": "", "parent": None, "inherit_network_settings": True}
    return vmm.create(f"host_group.{name}", "host_group", attrs).id


def _ln_attrs(name: str, isolation: str = "connected", virtualization: bool = False) -> dict[str, Any]:
    return {"name": name, "description": "", "isolation": isolation, "network_virtualization": virtualization}


def _ln(vmm: LabProvider, name: str, isolation: str = "connected", virtualization: bool = False) -> str:
    return vmm.create(f"logical_network.{name}", "logical_network", _ln_attrs(name, isolation, virtualization)).id


def _site_attrs(name: str, ln_id: str, groups: list[str], *pairs: tuple[str, int]) -> dict[str, Any]:
    subnets = [{"subnet": s, "vlan": v, "secondary_vlan": None} for s, v in pairs]
    return {"name": name, "description": "", "logical_network": ln_id, "host_groups": groups, "subnets": subnets}


def _site(vmm: LabProvider, name: str, ln_id: str, groups: list[str], *pairs: tuple[str, int]) -> str:
    return vmm.create(f"network_site.{name}", "network_site", _site_attrs(name, ln_id, groups, *pairs)).id


def _vmn_attrs(name: str, ln_id: str, isolation: str, subnets: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "description": "", "logical_network": ln_id, "isolation": isolation, "subnets": subnets}


def _vmn(vmm: LabProvider, name: str, ln_id: str, isolation: str, subnets: list[dict[str, Any]]) -> str:
    return vmm.create(f"vm_network.{name}", "vm_network", _vmn_attrs(name, ln_id, isolation, subnets)).id


def _sub(name: str, subnet: str | None, vlan: int = 0, site: str | None = None) -> dict[str, Any]:
    return {"name": name, "subnet": subnet, "vlan": vlan, "network_site": site}


def _pool_attrs(name: str, subnet: str, start: str, end: str, **fields: Any) -> dict[str, Any]:
    """A pool's attributes; `fields`: its parent (network_site, or vm_network and vm_subnet) and others."""
    return {
        "name": name,
        "description": "",
        "network_site": None,
        "vm_network": None,
        "vm_subnet": None,
        "subnet": subnet,
        "range_start": start,
        "range_end": end,
        "gateways": [],
        "dns_servers": [],
        "dns_suffix": "",
        "dns_search_suffixes": [],
        "reserved": [],
        "vips": [],
        **fields,
    }


def _mac_attrs(name: str, start: str, end: str, group: str) -> dict[str, Any]:
    return {"name": name, "description": "", "range_start": start, "range_end": end, "host_groups": [group]}


# --- VM subnets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subnets", "refusal"),
    [
        ([_sub("web", "192.168.0.0/24"), _sub("all", "192.168.0.0/16")], r"VM subnets 'all' \(192\.168\.0\.0/16\) and"),
        ([_sub("web", None)], "VM subnet 'web' has no subnet"),
        ([_sub("web", "192.168.0.0/24", vlan=12)], "HNV VM subnet 'web' cannot have VLAN 12"),
        ([_sub("web", "192.168.0.0/24"), _sub("WEB", "192.168.1.0/24")], "two VM subnets are named 'WEB'"),
    ],
)
def test_hnv_vm_subnets_are_an_address_space_of_their_own(
    vmm: LabProvider, subnets: list[dict[str, Any]], refusal: str
) -> None:
    pa = _ln(vmm, "PA", virtualization=True)
    with pytest.raises(ProviderError, match=f"VMM refused vm_network 'Tenant': .*{refusal}"):
        _vmn(vmm, "Tenant", pa, "hnv", subnets)
    _vmn(vmm, "Tenant", pa, "hnv", [_sub("web", "192.168.0.0/24"), _sub("db", "192.168.1.0/24")])


def test_an_hnv_vm_subnet_is_on_no_site_and_a_no_isolation_network_has_none(vmm: LabProvider) -> None:
    pa = _ln(vmm, "PA", virtualization=True)
    site = _site(vmm, "PA site", pa, [_hg(vmm)], ("10.50.0.0/24", 50))
    with pytest.raises(ProviderError, match="HNV VM subnet 'web' cannot be on a network site"):
        _vmn(vmm, "Tenant", pa, "hnv", [_sub("web", "192.168.0.0/24", site=site)])
    with pytest.raises(ProviderError, match="a no-isolation VM network has no VM subnets"):
        _vmn(vmm, "PA", pa, "no_isolation", [_sub("x", "10.50.0.0/24")])


def test_tenants_hnv_vm_networks_may_share_a_name_other_vm_networks_may_not(vmm: LabProvider) -> None:
    pa = _ln(vmm, "PA", virtualization=True)
    first = _vmn(vmm, "Default", pa, "hnv", [_sub("web", "192.168.0.0/24")])
    second = _vmn(vmm, "default", pa, "hnv", [_sub("web", "192.168.0.0/24")])  # overlapping CA spaces too
    other = _vmn(vmm, "Other", pa, "hnv", [])
    vmm.update("vm_network.other", other, "vm_network", _vmn_attrs("DEFAULT", pa, "hnv", []))  # a rename onto it
    assert len({first, second, other}) == 3
    assert sorted(o.name for o in vmm.read_inventory() if o.kind == "vm_network") == ["DEFAULT", "Default", "default"]
    _vmn(vmm, "Default", pa, "no_isolation", [])  # the tenants' names do not hold it
    tenant = _ln(vmm, "Tenant", "vlan")
    _site(vmm, "Site", tenant, [_hg(vmm)], ("10.0.0.0/24", 10), ("10.0.1.0/24", 11))
    _vmn(vmm, "Web", tenant, "vlan", [_sub("v", "10.0.0.0/24", 10)])
    with pytest.raises(ProviderError, match="a vm_network named 'web' already exists in this scope"):
        _vmn(vmm, "web", tenant, "vlan", [_sub("v", "10.0.1.0/24", 11)])


def test_vm_subnets_change_in_place_except_under_a_pool(vmm: LabProvider) -> None:
    pa = _ln(vmm, "PA", virtualization=True)
    web, db = _sub("web", "192.168.0.0/24"), _sub("db", "192.168.1.0/24")
    tenant = _vmn(vmm, "Tenant", pa, "hnv", [web])
    vmm.update("vm_network.tenant", tenant, "vm_network", _vmn_attrs("Tenant", pa, "hnv", [web, db]))  # added
    pool = _pool_attrs("Web", "192.168.0.0/24", "192.168.0.10", "192.168.0.20", vm_network=tenant, vm_subnet="web")
    pool_id = vmm.create("ip_pool.web", "ip_pool", pool).id
    vmm.update("vm_network.tenant", tenant, "vm_network", _vmn_attrs("Tenant", pa, "hnv", [web]))  # db removed
    with pytest.raises(ProviderError, match="VM subnet 'web' is still used by ip_pool 'Web'"):
        vmm.update("vm_network.tenant", tenant, "vm_network", _vmn_attrs("Tenant", pa, "hnv", [db]))
    moved = _sub("web", "192.168.8.0/24")
    with pytest.raises(
        ProviderError, match=re.escape("VM subnet 'web' cannot change from 192.168.0.0/24 to 192.168.8.0/24")
    ):
        vmm.update("vm_network.tenant", tenant, "vm_network", _vmn_attrs("Tenant", pa, "hnv", [moved]))
    with pytest.raises(ProviderError, match="VM subnet 'web' is still used by ip_pool 'Web'"):
        vmm.edit(tenant, ["subnets"], [])  # fabric lab set: the console obeys the same rule
    vmm.delete("ip_pool.web", pool_id, "ip_pool")
    vmm.update("vm_network.tenant", tenant, "vm_network", _vmn_attrs("Tenant", pa, "hnv", [moved]))


def test_a_pool_on_a_vm_subnet_takes_that_subnet(vmm: LabProvider) -> None:
    pa = _ln(vmm, "PA", virtualization=True)
    tenant = _vmn(vmm, "Tenant", pa, "hnv", [_sub("web", "192.168.0.0/24")])
    other = _pool_attrs("P", "192.168.1.0/24", "192.168.1.10", "192.168.1.20", vm_network=tenant, vm_subnet="web")
    with pytest.raises(ProviderError, match=re.escape("subnet 192.168.1.0/24 is not the subnet of VM subnet 'web'")):
        vmm.create("ip_pool.p", "ip_pool", other)
    with pytest.raises(ProviderError, match="the VM network has no VM subnet named 'db'"):
        vmm.create("ip_pool.p", "ip_pool", {**other, "vm_subnet": "db"})


# --- IP and MAC pools --------------------------------------------------------------------------


def test_an_address_is_reserved_or_a_vip_not_both(vmm: LabProvider) -> None:
    site = _site(vmm, "Site", _ln(vmm, "Mgmt"), [_hg(vmm)], ("10.0.0.0/24", 0))
    pool = _pool_attrs(
        "Pool", "10.0.0.0/24", "10.0.0.10", "10.0.0.99", network_site=site, reserved=["10.0.0.10-10.0.0.19"]
    )
    with pytest.raises(
        ProviderError, match=re.escape("VIP address set 10.0.0.15-10.0.0.25 overlaps reserved address set")
    ):
        vmm.create("ip_pool.p", "ip_pool", {**pool, "vips": ["10.0.0.15-10.0.0.25"]})
    vmm.create("ip_pool.p", "ip_pool", {**pool, "vips": ["10.0.0.20-10.0.0.25"]})


def test_mac_pools_must_not_overlap(vmm: LabProvider) -> None:
    oslo, bergen = _hg(vmm, "Oslo"), _hg(vmm, "Bergen")
    first = vmm.create("mac_pool.a", "mac_pool", _mac_attrs("A", "00:16:3E:10:00:00", "00:16:3E:10:FF:FF", oslo)).id
    for start, end in [("00:16:3E:10:F0:00", "00:16:3E:11:0F:FF"), ("00:16:3E:0F:00:00", "00:16:3E:20:00:00")]:
        with pytest.raises(ProviderError, match=r"MAC address range overlaps mac_pool 'A' \(00:16:3E:10:00:00-"):
            vmm.create("mac_pool.b", "mac_pool", _mac_attrs("B", start, end, bergen))
    second = vmm.create("mac_pool.b", "mac_pool", _mac_attrs("B", "00:16:3E:11:00:00", "00:16:3E:11:FF:FF", bergen)).id
    with pytest.raises(ProviderError, match="overlaps mac_pool 'B'"):  # an update grows into it
        vmm.update("mac_pool.a", first, "mac_pool", _mac_attrs("A", "00:16:3E:10:00:00", "00:16:3E:11:00:00", oslo))
    vmm.update("mac_pool.a", first, "mac_pool", _mac_attrs("A", "00:16:3E:10:00:00", "00:16:3E:10:0F:FF", oslo))
    vmm.delete("mac_pool.b", second, "mac_pool")  # frees its range
    vmm.create("mac_pool.c", "mac_pool", _mac_attrs("C", "00:16:3E:10:F0:00", "00:16:3E:11:0F:FF", bergen))


def test_the_default_mac_pools_range_is_taken_unless_the_lab_holds_that_pool(vmm: LabProvider) -> None:
    oslo = _hg(vmm)
    inside = _mac_attrs("Oslo", "00:1D:D8:B7:20:00", "00:1D:D8:B7:2F:FF", oslo)
    with pytest.raises(ProviderError, match="MAC address range overlaps the built-in 'Default MAC address pool'"):
        vmm.create("mac_pool.oslo", "mac_pool", inside)
    vmm.create("mac_pool.low", "mac_pool", _mac_attrs("Low", "00:1D:D8:00:00:00", "00:1D:D8:00:FF:FF", oslo))
    # declared (adopted) with a narrower range, the default pool frees the rest of it
    default = _mac_attrs("Default MAC address pool", "00:1D:D8:B7:1C:00", "00:1D:D8:B7:1F:FF", oslo)
    vmm.create("mac_pool.default", "mac_pool", default)
    vmm.create("mac_pool.oslo", "mac_pool", inside)


# --- what dependents need ----------------------------------------------------------------------


def test_a_site_keeps_the_subnets_its_pools_are_on(vmm: LabProvider) -> None:
    ln = _ln(vmm, "Mgmt")
    group = _hg(vmm)
    site = _site(vmm, "Site", ln, [group], ("10.0.0.0/24", 5), ("10.0.1.0/24", 6))
    vmm.create("ip_pool.p", "ip_pool", _pool_attrs("Pool", "10.0.0.0/24", "10.0.0.10", "10.0.0.20", network_site=site))
    vmm.update("network_site.site", site, "network_site", _site_attrs("Site", ln, [group], ("10.0.0.0/24", 7)))
    for pairs in ([("10.0.1.0/24", 6)], [("10.0.0.0/25", 5)], []):
        with pytest.raises(ProviderError, match=re.escape("subnet 10.0.0.0/24 is still used by ip_pool 'Pool'")):
            vmm.update("network_site.site", site, "network_site", _site_attrs("Site", ln, [group], *pairs))
    with pytest.raises(ProviderError, match=re.escape("subnet 10.0.0.0/24 is still used by ip_pool 'Pool'")):
        vmm.edit(site, ["subnets"], [])  # `fabric lab set … subnets=[]` could empty it before


def test_a_site_keeps_the_pairs_vlan_vm_networks_use(vmm: LabProvider) -> None:
    tenant = _ln(vmm, "Tenant", "vlan")
    oslo, bergen = _hg(vmm, "Oslo"), _hg(vmm, "Bergen")
    a = _site(vmm, "A", tenant, [oslo], ("10.0.0.0/24", 10), ("10.0.1.0/24", 11))
    vlan10 = _vmn(vmm, "V10", tenant, "vlan", [_sub("v", "10.0.0.0/24", 10)])  # names no site
    with pytest.raises(
        ProviderError, match=re.escape("VMM refused deleting network_site 'A': subnet 10.0.0.0/24 VLAN 10 is ")
    ):
        vmm.delete("network_site.a", a, "network_site")
    _vmn(vmm, "V11", tenant, "vlan", [_sub("v", "10.0.1.0/24", 11, site=a)])  # names it
    for pairs in ([("10.0.1.0/24", 11)], [("10.0.0.0/24", 12), ("10.0.1.0/24", 11)]):  # dropped, or its VLAN changed
        with pytest.raises(
            ProviderError, match=re.escape("subnet 10.0.0.0/24 VLAN 10 is still used by VLAN vm_network 'V10'")
        ):
            vmm.update("network_site.a", a, "network_site", _site_attrs("A", tenant, [oslo], *pairs))
    with pytest.raises(
        ProviderError, match=re.escape("subnet 10.0.1.0/24 VLAN 11 is still used by VLAN vm_network 'V11'")
    ):
        vmm.update("network_site.a", a, "network_site", _site_attrs("A", tenant, [oslo], ("10.0.0.0/24", 10)))
    # stretched: a second site holds the pair too, so the VM network naming no site keeps a site VLAN
    b = _site(vmm, "B", tenant, [bergen], ("10.0.0.0/24", 10))
    vmm.update("network_site.a", a, "network_site", _site_attrs("A", tenant, [oslo], ("10.0.1.0/24", 11)))
    with pytest.raises(ProviderError, match="VLAN vm_network 'V10'"):
        vmm.delete("network_site.b", b, "network_site")  # now the last one holding it
    vmm.delete("vm_network.v10", vlan10, "vm_network")
    vmm.delete("network_site.b", b, "network_site")


def test_virtualization_stays_on_under_an_hnv_vm_network(vmm: LabProvider) -> None:
    pa = _ln(vmm, "PA", virtualization=True)
    tenant = _vmn(vmm, "Tenant", pa, "hnv", [])
    with pytest.raises(ProviderError, match="hnv vm_network 'Tenant' still needs its network virtualization"):
        vmm.update("logical_network.pa", pa, "logical_network", _ln_attrs("PA"))
    with pytest.raises(ProviderError, match="still needs its network virtualization"):
        vmm.edit(pa, ["network_virtualization"], False)
    described = {**_ln_attrs("PA", virtualization=True), "description": "x"}
    vmm.update("logical_network.pa", pa, "logical_network", described)  # other changes go through
    vmm.delete("vm_network.tenant", tenant, "vm_network")
    vmm.update("logical_network.pa", pa, "logical_network", _ln_attrs("PA"))


# --- the database itself -----------------------------------------------------------------------


def test_a_lab_from_before_the_mac_index_is_indexed_when_opened(tmp_path: Path) -> None:
    vmm = LabProvider(tmp_path / "lab.db")
    oslo = _hg(vmm)
    vmm.create("mac_pool.a", "mac_pool", _mac_attrs("A", "00:16:3E:10:00:00", "00:16:3E:10:FF:FF", oslo))
    vmm.close()
    with sqlite3.connect(tmp_path / "lab.db") as db:
        db.execute("DROP TABLE mac_ranges")
    vmm = LabProvider(tmp_path / "lab.db")
    with pytest.raises(ProviderError, match="overlaps mac_pool 'A'"):
        vmm.create("mac_pool.b", "mac_pool", _mac_attrs("B", "00:16:3E:10:80:00", "00:16:3E:10:8F:FF", oslo))
    vmm.close()


def test_a_lab_file_that_is_no_database_is_named_in_one_line(cli: Cli, lab: Path) -> None:
    work = lab / ".fabric"
    work.mkdir(mode=0o700)
    (work / "lab.db").write_bytes(b"this is no SQLite database, just some text " * 200)
    for command in (("plan", lab), ("lab", "show", lab)):
        result = cli(*command)
        assert result.code == 1
        assert result.err.splitlines() == [
            f"error: the lab database {work / 'lab.db'} is damaged or not a database: file is not a database"
        ], result.err


def test_a_damaged_lab_database_is_named_in_one_line(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    path = lab / ".fabric" / "lab.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    data = path.read_bytes()
    path.write_bytes(data[:4096] + b"Z" * (len(data) - 4096))  # the header survives, the pages do not
    with pytest.raises(ProviderError, match=r"the lab database .*lab\.db is damaged or not a database: database disk"):
        LabProvider(path).read_inventory()
    result = cli("plan", lab)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"error: the lab database {path} is damaged or not a database: database disk image is malformed"
    ], result.err
