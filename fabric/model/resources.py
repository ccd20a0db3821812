"""One frozen pydantic model per managed kind, with its reference and identity specs.

`REFS` lists the attribute paths that hold addresses of other resources (`*` = every list
item or mapping value, `<key>` = every mapping key) and the kind they must point at.
`SCOPE` names the attribute whose target scopes the display name (VMM's identity), and
`SETS` the list attributes whose order carries no meaning, and `KEYED` the lists of
items VMM identifies by one of their fields (VM subnets by name): order carries no meaning
there either, and a change is told per key. The shared types live in `fabric.model.base`,
the disaster-recovery kinds in `fabric.model.dr`.
"""

# No `from __future__ import annotations` in the model modules: pydantic would then evaluate every
# field's annotation from a string at import (a compile each, ~10 ms of every command's start-up).

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, BaseModel, Field, field_validator, model_validator

from fabric.model.base import (
    _MAC,
    Count,
    IPAddress,
    IPNetwork,
    Lifecycle,
    Name,
    Quota,
    Ref,
    RefPath,
    Resource,
    Strict,
    Vlan,
    Whole,
    canonical_order,
)
from fabric.model.dr import DR_KINDS
from fabric.model.ipmath import network

__all__ = ["Lifecycle", "Name", "Ref", "RefPath", "Resource", "Strict", "canonical_order"]


def _segment(value: str) -> str:
    if "/" in value or "\\" in value:
        raise ValueError("host-group names must not contain / or \\")
    return value


class HostGroup(Resource):
    """A node of the host-group tree; its key is its path (`Oslo/IaaS`)."""

    KIND: ClassVar[str] = "host_group"
    REFS: ClassVar[dict[RefPath, str]] = {("parent",): "host_group"}
    SCOPE: ClassVar[str | None] = "parent"
    MEMBERSHIP: ClassVar[frozenset[str]] = frozenset({"host_group"})
    PLACED: ClassVar[bool] = True
    PLURAL: ClassVar[str] = "Host groups"
    UNMANAGED_HELP: ClassVar[str] = "Host groups: `all`, names (or paths), or under (the subtree below)."

    name: Annotated[Name, AfterValidator(_segment)]
    parent: Ref | None = Field(default=None, description="Set from the path; None = All Hosts.")
    inherit_network_settings: bool = True


class Capacity(Strict):
    """Cloud quotas; `null` (or `unlimited`) means no limit."""

    vm_count: Quota = None
    cpu_count: Quota = None
    memory_mb: Quota = None
    storage_gb: Quota = None
    custom_quota_count: Quota = None


class Cloud(Resource):
    """A private cloud built from host groups, with exposed resources and quotas."""

    KIND: ClassVar[str] = "cloud"
    MEMBERSHIP: ClassVar[frozenset[str]] = frozenset({"host_group", "logical_network"})
    PLACED: ClassVar[bool] = True
    PLURAL: ClassVar[str] = "Clouds"
    REFS: ClassVar[dict[RefPath, str]] = {
        ("host_groups", "*"): "host_group",
        ("logical_networks", "*"): "logical_network",
        ("port_classifications", "*"): "port_classification",
        ("custom_properties", "<key>"): "custom_property",
    }
    SETS: ClassVar[frozenset[str]] = frozenset({"host_groups", "logical_networks", "port_classifications"})

    host_groups: list[Ref] = Field(min_length=1)
    logical_networks: list[Ref] = Field(default_factory=list)
    port_classifications: list[Ref] = Field(default_factory=list)
    capacity: Capacity = Field(default_factory=Capacity)
    custom_properties: dict[str, str] = Field(
        default_factory=dict, description="custom_property address → value (a string)."
    )
    disaster_recovery_supported: bool = False

    @field_validator("custom_properties", mode="before")
    @classmethod
    def _stringify(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if isinstance(item, bool):
                item = "true" if item else "false"
            elif isinstance(item, (int, float)):
                item = str(item)
            out[key] = item
        return out


class LogicalNetwork(Resource):
    """A logical network and its isolation type."""

    KIND: ClassVar[str] = "logical_network"
    PLURAL: ClassVar[str] = "Logical networks"
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"isolation"})

    isolation: Literal["connected", "vlan", "pvlan"] = "connected"
    network_virtualization: bool = False


class SubnetVlan(Strict):
    """One subnet/VLAN pair of a network site (VLAN 0 = untagged)."""

    subnet: IPNetwork
    vlan: Vlan = 0
    secondary_vlan: Vlan | None = None


class NetworkSite(Resource):
    """A logical network definition: where a logical network exists and with which subnets."""

    KIND: ClassVar[str] = "network_site"
    MEMBERSHIP: ClassVar[frozenset[str]] = frozenset({"host_group"})
    PLACED: ClassVar[bool] = True
    PLACES: ClassVar[bool] = True
    PLURAL: ClassVar[str] = "Network sites"
    OWNER_TAG: ClassVar[bool] = False  # no description in VMM: owned with its logical network
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"logical_network"})
    REFS: ClassVar[dict[RefPath, str]] = {
        ("logical_network",): "logical_network",
        ("host_groups", "*"): "host_group",
    }
    SCOPE: ClassVar[str | None] = "logical_network"
    SETS: ClassVar[frozenset[str]] = frozenset({"host_groups"})
    KEYED: ClassVar[dict[str, str]] = {"subnets": "subnet"}

    logical_network: Ref
    host_groups: list[Ref] = Field(min_length=1)
    subnets: list[SubnetVlan] = Field(default_factory=list)


class IpPool(Resource):
    """A static IP address pool on a network site or on a VM subnet."""

    KIND: ClassVar[str] = "ip_pool"
    PLACED: ClassVar[bool] = True
    PLACES: ClassVar[bool] = True
    PLURAL: ClassVar[str] = "Static IP pools"
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"subnet", "network_site", "vm_network", "vm_subnet"})
    REFS: ClassVar[dict[RefPath, str]] = {
        ("network_site",): "network_site",
        ("vm_network",): "vm_network",
    }
    SCOPE: ClassVar[str | None] = "network_site"
    # default gateways all get an automatic metric, and the reserved and VIP sets are one comma-separated
    # set in VMM: order means nothing; DNS servers and search suffixes are used in the order listed
    SETS: ClassVar[frozenset[str]] = frozenset({"gateways", "reserved", "vips"})

    # where a pool sits: (its reference to the container, its own field, the container's keyed list,
    # the items' key): a site's subnet, or a VM network's VM subnet, which cannot go while the pool is on it
    SITS_ON: ClassVar[tuple[tuple[str, str, str, str], ...]] = (
        ("network_site", "subnet", "subnets", "subnet"),
        ("vm_network", "vm_subnet", "subnets", "name"),
    )

    network_site: Ref | None = None
    vm_network: Ref | None = None
    vm_subnet: str | None = Field(default=None, description="Name of a subnet of vm_network.")
    subnet: IPNetwork
    range_start: IPAddress
    range_end: IPAddress
    gateways: list[IPAddress] = Field(default_factory=list)
    dns_servers: list[IPAddress] = Field(default_factory=list)
    dns_suffix: str = ""
    dns_search_suffixes: list[str] = Field(default_factory=list)
    reserved: list[str] = Field(default_factory=list, description="Addresses or a-b ranges.")
    vips: list[str] = Field(default_factory=list, description="Addresses or a-b ranges.")

    @classmethod
    def scope_key(cls, attributes: Mapping[str, Any]) -> str:
        """A pool on a VM subnet is scoped by the VM network and subnet, else by its site."""
        if attributes.get("vm_network"):
            return f"{attributes['vm_network']}/{attributes.get('vm_subnet')}"
        return super().scope_key(attributes)

    @model_validator(mode="after")
    def _one_parent(self) -> Self:
        if (self.network_site is None) == (self.vm_network is None):
            raise ValueError("exactly one of network_site or vm_network must be set")
        if (self.vm_network is None) != (self.vm_subnet is None):
            raise ValueError("vm_subnet goes with vm_network (and only with it)")
        return self


class VmSubnet(Strict):
    """A subnet of a VM network."""

    name: Name
    subnet: IPNetwork | None = None
    vlan: Vlan = 0
    network_site: Ref | None = None


class VmNetwork(Resource):
    """A VM network on a logical network, with its VM subnets."""

    KIND: ClassVar[str] = "vm_network"
    IMPLIED: ClassVar[frozenset[str]] = frozenset({"network_site"})
    PLACED: ClassVar[bool] = True
    PLACES: ClassVar[bool] = True
    PLURAL: ClassVar[str] = "VM networks"
    # VM subnets are added and removed in place (New-/Remove-SCVMSubnet); a changed CIDR replaces
    # that VM subnet only (see fabric.plan.vm_subnets)
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"logical_network", "isolation"})
    REFS: ClassVar[dict[RefPath, str]] = {
        ("logical_network",): "logical_network",
        ("subnets", "*", "network_site"): "network_site",
    }
    SCOPE: ClassVar[str | None] = "logical_network"
    KEYED: ClassVar[dict[str, str]] = {"subnets": "name"}
    ITEM_IMMUTABLE: ClassVar[dict[str, frozenset[str]]] = {"subnets": frozenset({"subnet"})}

    logical_network: Ref
    isolation: Literal["no_isolation", "vlan", "hnv"] = "no_isolation"
    subnets: list[VmSubnet] = Field(default_factory=list)

    @classmethod
    def slots(cls, attributes: Mapping[str, Any]) -> set[tuple[str, ...]]:
        """A logical network holds at most one no-isolation VM network, and a site VLAN (a subnet
        and VLAN of a network site) at most one VLAN VM network; one that names no site claims the
        pair on its whole logical network."""
        ln = str(attributes.get("logical_network") or "")
        isolation = attributes.get("isolation")
        if isolation == "no_isolation":
            return {("no-isolation VM network", ln)}
        if isolation != "vlan":
            return set()
        out: set[tuple[str, ...]] = set()
        for pair in attributes.get("subnets") or []:
            try:
                subnet = str(network(str(pair["subnet"])))
            except (KeyError, TypeError, ValueError):
                continue  # no subnet (refused elsewhere) or a masked value: holds nothing
            # the site VLAN: of the site named, else of the logical network (whichever site holds it)
            holder = str(pair.get("network_site") or ln)
            out.add(("VLAN VM network", holder, subnet, str(pair.get("vlan", 0))))
        return out

    @classmethod
    def implied(cls, resources: Mapping[str, Resource]) -> Iterator[tuple[str, str]]:
        """A VLAN VM network that names no site still needs the site that holds its subnet and
        VLAN to exist first."""
        from fabric.model.slots import site_vlans  # it reads NetworkSite, defined in this module

        held = site_vlans(resources)
        if not held:
            return
        for address, vmn in resources.items():
            if isinstance(vmn, VmNetwork) and vmn.isolation == "vlan":
                for sub in vmn.subnets:
                    if sub.subnet is not None and sub.network_site is None:
                        key = (vmn.logical_network, str(network(sub.subnet)), sub.vlan)
                        yield from ((site, address) for site in held.get(key, ()))


class MacPool(Resource):
    """A MAC address pool scoped to host groups."""

    KIND: ClassVar[str] = "mac_pool"
    MEMBERSHIP: ClassVar[frozenset[str]] = frozenset({"host_group"})
    BUILT_IN: ClassVar[frozenset[str]] = frozenset(
        n.casefold() for n in ("Default MAC address pool", "Default VMware MAC address pool")
    )
    # the ranges of the pools VMM ships (scvmm-domain.md 1.7): VMM refuses a pool overlapping them
    # while they exist, and fabric never deletes them
    BUILT_IN_RANGES: ClassVar[dict[str, tuple[str, str]]] = {
        "Default MAC address pool": ("00:1D:D8:B7:1C:00", "00:1D:D8:F4:1F:FF"),
        "Default VMware MAC address pool": ("00:50:56:00:00:00", "00:50:56:3F:FF:FF"),
    }
    PLACED: ClassVar[bool] = True
    PLURAL: ClassVar[str] = "MAC pools"
    REFS: ClassVar[dict[RefPath, str]] = {("host_groups", "*"): "host_group"}
    SETS: ClassVar[frozenset[str]] = frozenset({"host_groups"})

    range_start: str
    range_end: str
    host_groups: list[Ref] = Field(min_length=1)

    @field_validator("range_start", "range_end")
    @classmethod
    def _mac(cls, value: str) -> str:
        if not _MAC.fullmatch(value):
            raise ValueError(f"{value!r} is not a MAC address like 00:1D:D8:B7:1C:00")
        return value.replace("-", ":").upper()


# Port classifications and virtual port profiles VMM creates on install (scvmm-domain.md). The list
# is partly documented, so it errs on the side of sparing an object.
_SHIPPED_CLASSES = (
    "SR-IOV",
    "Host management",
    "Network load balancing",
    "Guest dynamic IP",
    "Live migration workload",
    "High bandwidth",
    "Medium bandwidth",
    "Low bandwidth",
    "Host Cluster Workload",
    "iSCSI workload",
)
_SHIPPED_PROFILES = ("High Bandwidth Adapter", "Medium Bandwidth Adapter", "Low Bandwidth Adapter")


class PortClassification(Resource):
    """An abstract port class (e.g. `Gold`) mapped to a profile by each logical switch."""

    KIND: ClassVar[str] = "port_classification"
    BUILT_IN: ClassVar[frozenset[str]] = frozenset(n.casefold() for n in _SHIPPED_CLASSES)
    PLURAL: ClassVar[str] = "Port classifications"


class VirtualPortProfile(Resource):
    """A virtual network adapter (native) port profile."""

    KIND: ClassVar[str] = "virtual_port_profile"
    BUILT_IN: ClassVar[frozenset[str]] = frozenset(n.casefold() for n in (*_SHIPPED_CLASSES, *_SHIPPED_PROFILES))
    PLURAL: ClassVar[str] = "Virtual port profiles"

    enable_vmq: bool = True
    enable_ipsec_offload: bool = True
    enable_iov: bool = False
    enable_vrss: bool = False
    allow_mac_spoofing: bool = False
    enable_dhcp_guard: bool = False
    enable_router_guard: bool = False
    allow_teaming: bool = False
    allow_ieee_priority_tagging: bool = False
    minimum_bandwidth_weight: Annotated[Whole, Field(ge=0, le=100)] = 0
    minimum_bandwidth_absolute_mbps: Count = 0
    maximum_bandwidth_mbps: Count = 0


class UplinkPortProfile(Resource):
    """A native uplink port profile: the network sites a NIC team carries, and teaming."""

    KIND: ClassVar[str] = "uplink_port_profile"
    MEMBERSHIP: ClassVar[frozenset[str]] = frozenset({"network_site"})
    PLACED: ClassVar[bool] = True
    PLURAL: ClassVar[str] = "Uplink port profiles"
    REFS: ClassVar[dict[RefPath, str]] = {("network_sites", "*"): "network_site"}
    SETS: ClassVar[frozenset[str]] = frozenset({"network_sites"})

    network_sites: list[Ref] = Field(default_factory=list)
    team_mode: Literal["static", "switch_independent", "lacp"] = "switch_independent"
    load_balancing: Literal[
        "host_default", "transport_ports", "ip_addresses", "mac_addresses", "hyperv_port", "dynamic"
    ] = "host_default"
    network_virtualization: bool = False


class VirtualPort(Strict):
    """A logical switch's virtual port: classification → virtual port profile."""

    port_classification: Ref
    profile: Ref
    default: bool = False


class LogicalSwitch(Resource):
    """A logical switch with its uplink port profiles and virtual ports."""

    KIND: ClassVar[str] = "logical_switch"
    MEMBERSHIP: ClassVar[frozenset[str]] = frozenset(
        {"uplink_port_profile", "port_classification", "virtual_port_profile"}
    )
    PLURAL: ClassVar[str] = "Logical switches"
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"enable_sriov", "minimum_bandwidth_mode"})
    REFS: ClassVar[dict[RefPath, str]] = {
        ("uplink_port_profiles", "*"): "uplink_port_profile",
        ("virtual_ports", "*", "port_classification"): "port_classification",
        ("virtual_ports", "*", "profile"): "virtual_port_profile",
    }
    SETS: ClassVar[frozenset[str]] = frozenset({"uplink_port_profiles"})
    KEYED: ClassVar[dict[str, str]] = {"virtual_ports": "port_classification"}

    uplink_mode: Literal["no_team", "team", "embedded_team"] = "team"
    minimum_bandwidth_mode: Literal["default", "weight", "absolute", "none"] = "weight"
    enable_sriov: bool = False
    uplink_port_profiles: list[Ref] = Field(default_factory=list)
    virtual_ports: list[VirtualPort] = Field(default_factory=list)


class IpGrant(Resource):
    """A static IP address granted from a pool to a VM's network adapter (the adapter is set to Static)."""

    KIND: ClassVar[str] = "ip_grant"
    PLACED: ClassVar[bool] = True
    PLURAL: ClassVar[str] = "IP grants"
    OWNER_TAG: ClassVar[bool] = False  # VMM keeps the grant's name in its description: owned with its pool
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"ip_pool", "vm", "adapter", "address"})
    REFS: ClassVar[dict[RefPath, str]] = {("ip_pool",): "ip_pool"}
    SCOPE: ClassVar[str | None] = "ip_pool"
    COMPUTED: ClassVar[frozenset[str]] = frozenset({"address"})

    ip_pool: Ref
    vm: Name = Field(description="The VM's name in VMM (VMs are not managed by fabric).")
    adapter: Annotated[Whole, Field(ge=0, le=63)] = Field(
        default=0, description="The slot of the VM's network adapter (its SlotId; 0 is the first)."
    )
    address: IPAddress | None = Field(default=None, description="A fixed address; null = the next free one.")


Member = Literal[
    "vm",
    "template",
    "vm_host",
    "host_cluster",
    "vm_host_group",
    "service_template",
    "service_instance",
    "computer_tier",
    "cloud",
    "protection_unit",
]


def _cloud_only() -> list[Member]:
    return ["cloud"]


class CustomProperty(Resource):
    """A custom property definition and the object types it applies to."""

    KIND: ClassVar[str] = "custom_property"
    PLURAL: ClassVar[str] = "Custom properties"
    SETS: ClassVar[frozenset[str]] = frozenset({"members"})

    members: list[Member] = Field(default_factory=_cloud_only, min_length=1)


@cache
def default_attributes(kind: str) -> dict[str, Any]:
    """The canonical value of every attribute of `kind` that has a default (required ones left out);
    callers must not mutate it."""
    out: dict[str, Any] = {}
    for name, field in KINDS[kind].model_fields.items():
        if field.is_required() or name in ("depends_on", "lifecycle"):
            continue
        value = field.get_default(call_default_factory=True)
        out[name] = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    return out


def fill_computed(kind: type[Resource], wanted: Mapping[str, Any], known: Mapping[str, Any]) -> dict[str, Any]:
    """`wanted` with each attribute left to the provider (null in code) taken from `known`, if set there."""
    out = dict(wanted)
    for key in kind.COMPUTED:
        if out.get(key) is None and known.get(key) is not None:
            out[key] = known[key]
    return out


_VMM_KINDS: tuple[type[Resource], ...] = (
    HostGroup,
    Cloud,
    LogicalNetwork,
    NetworkSite,
    IpPool,
    VmNetwork,
    MacPool,
    PortClassification,
    VirtualPortProfile,
    UplinkPortProfile,
    LogicalSwitch,
    CustomProperty,
    IpGrant,
)
KINDS: dict[str, type[Resource]] = {cls.KIND: cls for cls in (*_VMM_KINDS, *DR_KINDS)}
VMM_KINDS: dict[str, type[Resource]] = {kind: cls for kind, cls in KINDS.items() if cls.DOMAIN == "vmm"}
"""The kinds VMM itself serves (the others are the disaster-recovery backend's)."""
