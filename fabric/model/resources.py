"""One frozen pydantic model per managed kind, with its reference and identity specs.

`REFS` lists the attribute paths that hold addresses of other resources (`*` = every list
item or mapping value, `<key>` = every mapping key) and the kind they must point at.
`SCOPE` names the attribute whose target scopes the display name (VMM's identity), and
`SETS` the list attributes whose order carries no meaning, and `KEYED` the lists of
items VMM identifies by one of their fields (VM subnets by name): order carries no meaning
there either, and a change is told per key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache, cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from fabric.model.ipmath import ip, network

RefPath = tuple[str, ...]
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # C0, DEL, C1 (CSI, NEL, …), line separators
_REF = re.compile(r"[a-z_]+\.\S.*")  # the whole value (fullmatch): `$` would let a trailing newline through


def _name(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("names must not contain control characters (newline, tab, …)")
    return value


def _ref(value: str) -> str:
    if not _REF.fullmatch(value):
        raise ValueError(f"{value!r} is not an address of the form KIND.KEY (e.g. host_group.Oslo/IaaS)")
    return value


def _unlimited(value: Any) -> Any:
    return None if value == "unlimited" else value


Name = Annotated[str, Field(min_length=1, max_length=256), AfterValidator(_name)]
Ref = Annotated[str, AfterValidator(_ref)]


def _whole_number(value: Any) -> Any:
    # YAML 1.1 reads on/off/yes/no as booleans and pydantic takes True as 1: `vlan: on` would be VLAN 1
    if isinstance(value, bool):
        raise ValueError("expected a whole number, not a boolean (YAML reads on, off, yes and no as booleans)")
    return value


Whole = Annotated[int, BeforeValidator(_whole_number)]
Vlan = Annotated[Whole, Field(ge=0, le=4094)]
Count = Annotated[Whole, Field(ge=0, le=1_000_000_000)]
Quota = Annotated[
    Count | None,
    BeforeValidator(_unlimited),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": 1_000_000_000},
                {"type": "null"},
                {"const": "unlimited"},
            ]
        }
    ),
]


def _network(value: str) -> str:
    try:
        return str(network(value))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid subnet in CIDR form ({exc})") from None


def _address(value: str) -> str:
    try:
        return str(ip(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a valid IP address") from None


IPAddress = Annotated[str, AfterValidator(_address)]
IPNetwork = Annotated[str, AfterValidator(_network)]
_MAC = re.compile(r"[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}")  # the whole value: fullmatch


class Strict(BaseModel):
    """Base for every model: unknown keys refused, instances immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _collect(node: Any, pattern: RefPath, out: set[str]) -> None:
    """Add the strings found at `pattern` (see REFS) inside `node` to `out`."""
    if node is None:
        return
    if not pattern:
        if isinstance(node, str):
            out.add(node)
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*":
        for child in node.values() if isinstance(node, dict) else node:
            _collect(child, rest, out)
    elif step == "<key>":
        out.update(node)
    elif isinstance(node, dict):
        _collect(node.get(step), rest, out)


class Lifecycle(Strict):
    """How fabric treats a resource beyond its attributes."""

    prevent_destroy: bool = Field(default=False, description="Refuse any plan that deletes or replaces it.")
    ignore_changes: list[str] = Field(
        default_factory=list, description="Attribute paths (capacity.vm_count) whose live value is left alone."
    )
    replace_adopted: bool = Field(
        default=False,
        description="Allow a plan to replace (delete and re-create) the existing object this resource adopts.",
    )


_NO_LIFECYCLE = Lifecycle()


class Resource(Strict):
    """Fields and specs shared by every kind."""

    KIND: ClassVar[str] = ""
    REFS: ClassVar[dict[RefPath, str]] = {}
    SCOPE: ClassVar[str | None] = None
    SETS: ClassVar[frozenset[str]] = frozenset()
    KEYED: ClassVar[dict[str, str]] = {}  # list attribute → the field of its items that identifies them
    # keyed list → item fields that cannot change in place: a change re-creates that item (VM subnet CIDR)
    ITEM_IMMUTABLE: ClassVar[dict[str, frozenset[str]]] = {}
    SITS_ON: ClassVar[tuple[tuple[str, str, str, str], ...]] = ()  # see IpPool
    COMPUTED: ClassVar[frozenset[str]] = frozenset()  # left to the provider when not set (null)
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset()  # no Set- parameter in VMM (scvmm-domain.md)
    OWNER_TAG: ClassVar[bool] = True  # the VMM object has a description to carry fabric's ownership tag
    # referenced kinds it is only a member of: valid whatever their attributes, so its update need
    # not wait for theirs (what apply may loosen to break a cycle)
    MEMBERSHIP: ClassVar[frozenset[str]] = frozenset()
    BUILT_IN: ClassVar[frozenset[str]] = frozenset()  # names (casefolded) of the objects VMM ships: never deleted
    IMPLIED: ClassVar[frozenset[str]] = frozenset()  # kinds it depends on that no attribute names (`implied`)
    PLACED: ClassVar[bool] = False  # sits in host groups (directly or through what it uses): `unmanaged: under`
    PLACES: ClassVar[bool] = False  # what refers to it sits where it sits (a site, a pool, a VM network)
    PLURAL: ClassVar[str] = ""  # "Host groups": for help and messages
    UNMANAGED_HELP: ClassVar[str] = ""  # the `unmanaged:` entry's help, if not the usual one

    @classmethod
    def scope_key(cls, attributes: Mapping[str, Any]) -> str:
        """What scopes the display name (VMM identity), from attributes whose references are
        addresses or live IDs alike: the `SCOPE` attribute's value."""
        return str(attributes.get(cls.SCOPE) or "") if cls.SCOPE else ""

    @classmethod
    def slots(cls, attributes: Mapping[str, Any]) -> set[tuple[str, ...]]:
        """What VMM lets only one object hold besides its name (`fabric.model.slots`)."""
        return set()

    @classmethod
    def implied(cls, resources: Mapping[str, Resource]) -> Iterator[tuple[str, str]]:
        """(dependency, dependent) pairs among `resources` that no attribute names, for kinds
        with `IMPLIED`: the dependent of this kind still needs the dependency first."""
        return iter(())

    name: Name = Field(description="VMM display name; defaults to the resource key.")
    description: str = ""
    depends_on: list[Ref] = Field(default_factory=list, description="Extra ordering dependencies (addresses).")
    lifecycle: Lifecycle | None = None

    @cached_property
    def canonical(self) -> dict[str, Any]:
        """Canonical JSON-ready attributes, computed once; callers must not mutate it."""
        data = self.model_dump(mode="json", exclude={"depends_on", "lifecycle"})
        return canonical_order(type(self), data)

    @cached_property
    def typed_references(self) -> frozenset[tuple[str, str]]:
        """(address, kind it must be) for every reference held in attributes."""
        found: set[tuple[str, str]] = set()
        for pattern, kind in self.REFS.items():
            targets: set[str] = set()
            _collect(self.canonical, pattern, targets)
            found.update((t, kind) for t in targets)
        return frozenset(found)

    @cached_property
    def references(self) -> frozenset[str]:
        """Every address this resource points at, through attributes and `depends_on`."""
        return frozenset({a for a, _ in self.typed_references} | set(self.depends_on))

    @property
    def guards(self) -> Lifecycle:
        """The resource's lifecycle settings (the shared defaults when none are written)."""
        return self.lifecycle or _NO_LIFECYCLE

    def attributes(self) -> dict[str, Any]:
        """Canonical JSON-ready attributes: what is compared with the live object (a copy)."""
        return dict(self.canonical)


def canonical_order(kind: type[Resource], data: dict[str, Any]) -> dict[str, Any]:
    """`data` (changed in place and returned) with its order-free lists sorted: sets by value,
    keyed lists by their key (so reordering items in code or in VMM is never a change)."""
    for field in kind.SETS:
        if isinstance(data.get(field), list):
            data[field] = sorted(data[field])
    for field, key in kind.KEYED.items():
        items = data.get(field)
        if isinstance(items, list) and all(isinstance(i, dict) for i in items):
            data[field] = sorted(items, key=lambda item: str(item.get(key)))
    return data


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
    def _one_parent(self) -> IpPool:
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


KINDS: dict[str, type[Resource]] = {
    cls.KIND: cls
    for cls in (
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
}
