"""The disaster-recovery kinds: replication policies, cloud pairings, network mappings, protected
VMs, recovery plans and the library scripts their actions run.

They describe a recovery design on one VMM server (or two) the way Azure Site Recovery's
VMM-to-VMM scenario and Hyper-V Replica carry it out (`shared/docs/dr-domain.md`); which
backend carries it out is `dr.backend` in fabric.yaml. VMs themselves stay unmanaged: a
protected VM names one, as an `ip_grant` does.

A recovery plan is compared in one normalised form (`normalise_plan`): groups and actions in
their order, failover types and directions as sorted sets, empty lists and nulls alike, and a
plan read back in Azure's shape (one `groups` list with Shutdown, Failover and Boot entries,
the first two injected empty by the service) turned into fabric's.
"""

# No `from __future__ import annotations` in the model modules: pydantic would then evaluate every
# field's annotation from a string at import (a compile each, ~10 ms of every command's start-up).

import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, ClassVar, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from fabric.model.base import IPAddress, Name, Ref, RefPath, Resource, Vlan, Whole
from fabric.model.base import Strict as _Strict

DR_DOMAIN = "dr"
_T = TypeVar("_T")

# the name pattern ASR gives recovery plans (terraform-provider-azurerm's validation): a letter,
# then letters, digits and hyphens, ending in a letter or digit; 3 to 65 characters
PLAN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{1,63}[A-Za-z0-9]")
_DURATION = re.compile(r"(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?")
_DURATION_SCHEMA = r"^\s*(\d+h)?\s*(\d+m)?\s*(\d+s)?\s*$"
SCRIPT_TIMEOUT_MAX = 600  # VMM runs a recovery-plan script for at most 600 s (dr-domain.md §0.8)
MAX_GROUPS = 7
MAX_VMS = 100


def _seconds(value: Any) -> Any:
    """`90`, `"90s"`, `"10m"`, `"1h30m"` → seconds (anything else is left for the type to refuse)."""
    if isinstance(value, bool):
        raise ValueError("expected a duration (90, 90s, 10m, 1h), not a boolean")
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        found = _DURATION.fullmatch(text)
        if not text or found is None or not any(found.groups()):
            raise ValueError(f"{value!r} is not a duration like 90, 90s, 10m or 1h30m")
        hours, minutes, seconds = (int(g or 0) for g in found.groups())
        return hours * 3600 + minutes * 60 + seconds
    return value


Duration = Annotated[
    int,
    BeforeValidator(_seconds),
    Field(ge=0, le=7 * 24 * 3600),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": _DURATION_SCHEMA}]}),
]


def _once(value: _T, keys: list[Any], shown: str) -> _T:
    """`value` if none of `keys` repeats; else ValueError naming the first repeated one (`shown`)."""
    twice = sorted({k for k in keys if keys.count(k) > 1}, key=str)
    if twice:
        raise ValueError(f"{shown.format(twice[0])} is listed twice")
    return value


class Strict(_Strict):
    """`Strict`, its validator built on first use: a stamp without DR never pays for these models."""

    model_config = ConfigDict(defer_build=True)


class DrResource(Resource):
    """What every disaster-recovery kind shares: the domain its backend serves (built on first use)."""

    model_config = ConfigDict(defer_build=True)
    DOMAIN: ClassVar[str] = DR_DOMAIN


def _hhmm(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError(f"{value!r} is not a time of day HH:MM (00:00-23:59)")
    return value


class ReplicationPolicy(DrResource):
    """How VMs of a pairing replicate (`New-AzRecoveryServicesAsrPolicy -VmmToVmm`, or the
    `Enable-VMReplication` settings on the hyperv_replica backend)."""

    KIND: ClassVar[str] = "replication_policy"
    PLURAL: ClassVar[str] = "Replication policies"
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"provider"})

    provider: Literal["hyperv_replica_2012r2", "hyperv_replica_2012"] = Field(
        default="hyperv_replica_2012r2", description="HyperVReplica2012R2 (hosts 2012 R2 and later) or 2012."
    )
    copy_frequency_seconds: Literal[30, 300, 900] = Field(default=300, description="30, 300 or 900 (2012: 300 only).")
    recovery_points: Annotated[Whole, Field(ge=0, le=24)] = Field(
        default=0, description="Extra hourly recovery points kept (0-24)."
    )
    app_consistent_frequency_hours: Annotated[Whole, Field(ge=0, le=12)] = Field(
        default=0, description="Hours between application-consistent snapshots (0-12; below recovery_points)."
    )
    authentication: Literal["kerberos", "certificate"] = "certificate"
    port: Annotated[Whole, Field(ge=1, le=65535)] | None = Field(
        default=None, description="Replication port; default 8083 for kerberos, 8084 for certificate."
    )
    initial_replication: Literal["online", "offline"] = "online"
    initial_replication_start: Annotated[str, AfterValidator(_hhmm)] | None = Field(
        default=None, description="HH:MM (within 24 h); null = at once."
    )
    offline_export_path: str | None = Field(default=None, description="Offline initial replication: where to export.")
    offline_import_path: str | None = Field(default=None, description="Offline initial replication: where to import.")
    compression: bool = False
    delete_replica_on_disable: bool = Field(default=False, description="ReplicaDeletion Required.")

    @model_validator(mode="before")
    @classmethod
    def _default_port(cls, data: Any) -> Any:
        # the portal's defaults; filled here so the compared value is the one the backend gets
        if isinstance(data, dict) and data.get("port") is None:
            data = {**data, "port": 8083 if data.get("authentication") == "kerberos" else 8084}
        return data

    @model_validator(mode="after")
    def _offline_paths(self) -> Self:
        if self.initial_replication == "offline" and not (self.offline_export_path and self.offline_import_path):
            raise ValueError("offline initial replication needs offline_export_path and offline_import_path")
        if self.initial_replication == "online" and (self.offline_export_path or self.offline_import_path):
            raise ValueError("offline_export_path and offline_import_path go with initial_replication: offline")
        return self


class CloudPairing(DrResource):
    """A primary cloud protected to a recovery cloud with a policy (an ASR protection-container
    mapping). Replacing one disables protection of every VM on it: a full initial replication."""

    KIND: ClassVar[str] = "cloud_pairing"
    PLURAL: ClassVar[str] = "Cloud pairings"
    REFS: ClassVar[dict[RefPath, str]] = {
        ("primary_cloud",): "cloud",
        ("recovery_cloud",): "cloud",
        ("policy",): "replication_policy",
    }
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"primary_cloud", "recovery_cloud", "policy"})

    primary_cloud: Ref
    recovery_cloud: Ref
    policy: Ref


class NetworkMapping(DrResource):
    """Where a replica connects after failover: a primary VM network mapped to a recovery one."""

    KIND: ClassVar[str] = "network_mapping"
    PLURAL: ClassVar[str] = "Network mappings"
    IMPLIED: ClassVar[frozenset[str]] = frozenset({"cloud_pairing"})
    ORDER_ONLY: ClassVar[frozenset[str]] = frozenset({"cloud_pairing"})
    REFS: ClassVar[dict[RefPath, str]] = {
        ("primary_vm_network",): "vm_network",
        ("recovery_vm_network",): "vm_network",
        ("pairings", "*"): "cloud_pairing",
    }
    SETS: ClassVar[frozenset[str]] = frozenset({"pairings"})
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"primary_vm_network", "recovery_vm_network"})

    primary_vm_network: Ref
    recovery_vm_network: Ref
    pairings: list[Ref] = Field(
        default_factory=list, description="The pairings it serves; [] = every pairing (checked against their clouds)."
    )

    @field_validator("pairings")
    @classmethod
    def _once_each(cls, value: list[str]) -> list[str]:
        return _once(value, value, "{}")

    @classmethod
    def implied(cls, resources: Mapping[str, Resource]) -> Iterator[tuple[str, str]]:
        """A mapping naming no pairing serves every one: ASR offers only the networks of clouds
        used for protection, so every pairing comes first."""
        pairings = [a for a, r in resources.items() if isinstance(r, CloudPairing)]
        for address, mapping in resources.items():
            if isinstance(mapping, NetworkMapping) and not mapping.pairings:
                yield from ((p, address) for p in pairings)


class FailoverIp(Strict):
    """The Hyper-V failover TCP/IP settings of a replica's adapter (`failover_ip` mode)."""

    address: IPAddress
    prefix: Annotated[Whole, Field(ge=1, le=32)]
    gateway: IPAddress
    dns: list[IPAddress] = Field(default_factory=list)


class AdapterRecovery(Strict):
    """The recovery intent of one network adapter of a protected VM."""

    adapter: Annotated[Whole, Field(ge=0, le=63)] = Field(description="The adapter's slot (0 is the first).")
    mode: Literal["mapped", "keep_ip", "failover_ip", "dhcp"] = Field(
        default="mapped",
        description="mapped (network mapping and recovery pool), keep_ip (stretched VLAN: the guest keeps its "
        "static IP), failover_ip (Hyper-V failover TCP/IP) or dhcp.",
    )
    vm_network: Ref | None = Field(default=None, description="The primary VM network the adapter is on (checked).")
    switch: Name | None = Field(default=None, description="keep_ip: the virtual switch at the recovery hosts.")
    vlan: Vlan | None = Field(default=None, description="keep_ip: the access VLAN (default: the grant's site VLAN).")
    ip_grant: Ref | None = Field(default=None, description="keep_ip: the grant holding the address to keep.")
    failover_ip: FailoverIp | None = None

    @model_validator(mode="after")
    def _mode_fields(self) -> Self:
        if self.mode == "failover_ip" and self.failover_ip is None:
            raise ValueError(
                "mode failover_ip needs failover_ip: {address, prefix, gateway} (enabled and empty: APIPA)"
            )
        if self.mode != "failover_ip" and self.failover_ip is not None:
            raise ValueError(f"failover_ip goes with mode failover_ip, not {self.mode}")
        if self.mode != "keep_ip" and (self.switch is not None or self.vlan is not None or self.ip_grant is not None):
            raise ValueError(f"switch, vlan and ip_grant go with mode keep_ip, not {self.mode}")
        return self


class ProtectedVm(DrResource):
    """Replication enabled for one VM (which fabric does not manage) on a pairing, with the
    recovery intent of each of its adapters."""

    KIND: ClassVar[str] = "protected_vm"
    PLURAL: ClassVar[str] = "Protected VMs"
    IMPLIED: ClassVar[frozenset[str]] = frozenset(
        {"network_mapping", "ip_grant", "logical_switch", "uplink_port_profile"}
    )
    ORDER_ONLY: ClassVar[frozenset[str]] = IMPLIED
    REFS: ClassVar[dict[RefPath, str]] = {
        ("pairing",): "cloud_pairing",
        ("adapters", "*", "vm_network"): "vm_network",
        ("adapters", "*", "ip_grant"): "ip_grant",
    }
    KEYED: ClassVar[dict[str, str]] = {"adapters": "adapter"}
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"vm", "pairing"})
    DETACH_CLEARS: ClassVar[frozenset[RefPath]] = frozenset(
        {("adapters", "*", "vm_network"), ("adapters", "*", "ip_grant")}
    )

    vm: Name = Field(description="The VM's name in VMM (its primary copy); VMs are not managed by fabric.")
    pairing: Ref
    adapters: list[AdapterRecovery] = Field(
        default_factory=list, description="Per adapter slot; an adapter not listed recovers as mapped."
    )
    boot_seconds: Duration = Field(default=120, description="Boot time estimate (RTO input).")
    shutdown_seconds: Duration = Field(default=60, description="Shutdown time estimate (RTO input).")

    @field_validator("adapters")
    @classmethod
    def _one_per_slot(cls, value: list[AdapterRecovery]) -> list[AdapterRecovery]:
        return _once(value, [a.adapter for a in value], "adapter {}")

    @classmethod
    def implied(cls, resources: Mapping[str, Resource]) -> Iterator[tuple[str, str]]:
        """After the mappings of its adapters' declared networks that serve its pairing, the grants
        of its keep_ip adapters (by VM and slot), and the logical switch its keep_ip adapters name
        with that switch's uplinks (they carry the stretched VLAN to the recovery hosts): protection
        reserves recovery addresses, reads the static ones and places the replica where its VLAN
        reaches. Creates only: deleting one of them leaves the protection alone."""
        mappings: dict[str, list[tuple[str, NetworkMapping]]] = {}
        grants: dict[tuple[str, int], list[str]] = {}
        switches: dict[str, list[str]] = {}
        for a, r in resources.items():
            if isinstance(r, NetworkMapping):
                mappings.setdefault(r.primary_vm_network, []).append((a, r))
            if r.KIND == "logical_switch":
                uplinks = [u for u in getattr(r, "uplink_port_profiles", []) if u in resources]
                switches.setdefault(r.name.casefold(), []).extend([a, *uplinks])
            vm, slot = getattr(r, "vm", None), getattr(r, "adapter", None)
            if r.KIND == "ip_grant" and isinstance(vm, str) and isinstance(slot, int):
                grants.setdefault((vm.casefold(), slot), []).append(a)
        for address, pvm in resources.items():
            if not isinstance(pvm, ProtectedVm):
                continue
            for adapter in pvm.adapters:
                for m_address, mapping in mappings.get(adapter.vm_network or "", ()):
                    if not mapping.pairings or pvm.pairing in mapping.pairings:
                        yield m_address, address
                if adapter.mode == "keep_ip" and adapter.ip_grant is None:
                    yield from ((g, address) for g in grants.get((pvm.vm.casefold(), adapter.adapter), ()))
                if adapter.mode == "keep_ip" and adapter.switch is not None:
                    yield from ((s, address) for s in switches.get(adapter.switch.casefold(), ()))


FailoverType = Literal["test", "planned", "unplanned"]
Direction = Literal["primary_to_recovery", "recovery_to_primary"]
ALL_TYPES: tuple[FailoverType, ...] = ("planned", "test", "unplanned")


def _all_types() -> list[FailoverType]:
    return list(ALL_TYPES)


def _forward() -> list[Direction]:
    return ["primary_to_recovery"]


class ManualAction(Strict):
    """A step an operator does while the plan waits (ASR's ManualActionDetails: no location)."""

    instructions: Annotated[str, Field(min_length=1, max_length=4000)]
    estimate: Duration = Field(default=300, description="Expected time (RTO input).")
    max: Duration | None = Field(default=None, description="Worst case; null = unbounded.")

    @model_validator(mode="after")
    def _estimate_within_max(self) -> Self:
        if self.max is not None and self.estimate > self.max:
            raise ValueError(f"estimate ({self.estimate} s) is longer than max ({self.max} s)")
        return self


class ScriptAction(Strict):
    """A PowerShell script VMM runs as its service account, on the primary or recovery side."""

    library_script: Ref | None = Field(default=None, description="A library_script fabric places (its path is used).")
    path: str | None = Field(default=None, description="A library-relative path of a script fabric does not place.")
    external: bool = Field(default=False, description="path names a script placed outside fabric (say so).")
    location: Literal["primary", "recovery"] = "recovery"
    timeout: Annotated[Duration, Field(ge=1, le=SCRIPT_TIMEOUT_MAX)] = Field(
        default=SCRIPT_TIMEOUT_MAX, description="At most 600 s (VMM's limit)."
    )
    estimate: Duration = Field(default=60, description="Expected time (RTO input).")
    gate: bool = Field(default=False, description="Its failure is meant to stop the failover.")

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.library_script is None) == (self.path is None):
            raise ValueError("a script action names exactly one of library_script or path")
        if self.path is not None and not self.external:
            raise ValueError("a path fabric does not place needs external: true (or use library_script)")
        if self.library_script is not None and self.external:
            raise ValueError("external goes with path, not library_script")
        return self


class Action(Strict):
    """One pre or post action of a plan step: manual, script or built-in (exactly one)."""

    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.-]*$")]
    failover_types: list[FailoverType] = Field(
        default_factory=_all_types, description="Failover types it runs for (a set)."
    )
    directions: list[Direction] = Field(default_factory=_forward, description="Directions it runs for (a set).")
    manual: ManualAction | None = None
    script: ScriptAction | None = None
    builtin: Literal["prepare_replica_network"] | None = Field(
        default=None, description="prepare_replica_network: the seed's pre-failover script, generated by fabric."
    )

    @field_validator("failover_types", "directions")
    @classmethod
    def _a_set(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("must name at least one value (an action that runs for none never runs)")
        return sorted(_once(value, value, "{!r}"))

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        kinds = [k for k in ("manual", "script", "builtin") if getattr(self, k) is not None]
        if len(kinds) != 1:
            got = f" (got {', '.join(kinds)})" if kinds else ""
            raise ValueError(f"an action is exactly one of manual, script or builtin{got}")
        return self


class Step(Strict):
    """The shutdown or failover step of a plan: its actions (it holds no VMs)."""

    pre: list[Action] = Field(default_factory=list)
    post: list[Action] = Field(default_factory=list)


def _not_a_step(value: str) -> str:
    if value.casefold() in ("shutdown", "failover"):
        raise ValueError(f"{value!r} names the plan's {value.casefold()} step; a boot group needs another name")
    return value


class Group(Strict):
    """A boot group: its VMs start in parallel once every VM of the previous group is up."""

    name: Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_not_a_step)]
    vms: list[Ref] = Field(min_length=1, description="protected_vm addresses (a set: they start in parallel).")
    pre: list[Action] = Field(default_factory=list)
    post: list[Action] = Field(default_factory=list)


def _action_refs(*prefix: str) -> dict[RefPath, str]:
    return {(*prefix, side, "*", "script", "library_script"): "library_script" for side in ("pre", "post")}


class RecoveryPlan(DrResource):
    """An ordered recovery: the shutdown step, the failover step, then boot groups in order."""

    KIND: ClassVar[str] = "recovery_plan"
    PLURAL: ClassVar[str] = "Recovery plans"
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"name"})  # the plan's ARM resource name
    MEMBERSHIP: ClassVar[frozenset[str]] = frozenset({"protected_vm"})
    REFS: ClassVar[dict[RefPath, str]] = {
        ("groups", "*", "vms", "*"): "protected_vm",
        ("test_network",): "vm_network",
        **_action_refs("shutdown"),
        **_action_refs("failover"),
        **_action_refs("groups", "*"),
    }

    shutdown: Step = Field(default_factory=Step)
    failover: Step = Field(default_factory=Step)
    groups: list[Group] = Field(
        min_length=1, max_length=MAX_GROUPS, description=f"Boot groups, in order (at most {MAX_GROUPS})."
    )
    test_network: Ref | None = Field(default=None, description="The default VM network for drills; null = none.")

    def members(self) -> list[str]:
        """The protected VM addresses of the plan, in group order, each once."""
        return list(dict.fromkeys(v for g in self.groups for v in g.vms))

    def actions(self) -> list[tuple[str, Action]]:
        """Every action as (STEP/NAME, action): the step is shutdown, failover or the group's name."""
        out = [(f"shutdown/{a.name}", a) for a in (*self.shutdown.pre, *self.shutdown.post)]
        out += [(f"failover/{a.name}", a) for a in (*self.failover.pre, *self.failover.post)]
        for g in self.groups:
            out += [(f"{g.name}/{a.name}", a) for a in (*g.pre, *g.post)]
        return out

    @classmethod
    def normalise(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Observed attributes in the one form plans compare (see `normalise_plan`)."""
        return normalise_plan(data)


class LibraryScript(DrResource):
    """A script from the stamp placed on the VMM library share, tracked by its SHA-256."""

    KIND: ClassVar[str] = "library_script"
    PLURAL: ClassVar[str] = "Library scripts"
    COMPUTED: ClassVar[frozenset[str]] = frozenset()

    path: Annotated[str, Field(min_length=2, max_length=260)] = Field(
        description=r"Library-relative path (\RPScripts\fabric\Test-WapPortal.ps1)."
    )
    source: Annotated[str, Field(min_length=1, max_length=1024)] = Field(
        description="The file in the stamp directory it is copied from."
    )
    sha256: str | None = Field(default=None, description="Set by fabric from the source file; not written by hand.")


DR_KINDS: tuple[type[Resource], ...] = (
    ReplicationPolicy,
    CloudPairing,
    NetworkMapping,
    ProtectedVm,
    LibraryScript,
    RecoveryPlan,
)

# Azure's names for what fabric writes as words
_ASR_TYPES = {"TestFailover": "test", "PlannedFailover": "planned", "UnplannedFailover": "unplanned"}
_ASR_DIRECTIONS = {"PrimaryToRecovery": "primary_to_recovery", "RecoveryToPrimary": "recovery_to_primary"}


def _words(values: Any, table: Mapping[str, str]) -> list[Any]:
    return sorted({table.get(v, v) if isinstance(v, str) else v for v in values or []}, key=str)


def _action(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    for field, table in (("failover_types", _ASR_TYPES), ("directions", _ASR_DIRECTIONS)):
        out[field] = _words(out.get(field), table)  # null and [] alike: it runs for none
    for kind in ("manual", "script", "builtin"):
        out.setdefault(kind, None)
    return out


def _actions(raw: Any) -> list[Any]:
    return [_action(a) for a in raw or []]


def _step(raw: Any) -> dict[str, Any]:
    raw = raw if isinstance(raw, dict) else {}
    return {"pre": _actions(raw.get("pre")), "post": _actions(raw.get("post"))}


def normalise_plan(data: dict[str, Any]) -> dict[str, Any]:
    """A recovery plan's attributes as plans compare them, from fabric's shape or Azure's.

    Azure's shape holds every step in `groups` with a `group_type` (or `groupType`): Shutdown and
    Failover first (the service injects them empty), then the Boot groups. Shutdown and failover
    steps that hold nothing are the same as none; `[]` and null are alike; failover types,
    directions and a group's VMs (they start in parallel) are sets; groups and actions keep their order.
    """
    out = dict(data)
    groups = out.get("groups") or []
    typed = [g for g in groups if isinstance(g, dict) and ("group_type" in g or "groupType" in g)]
    if typed:
        boot: list[Any] = []
        for g in groups:
            kind = str(g.get("group_type", g.get("groupType", "Boot"))).casefold() if isinstance(g, dict) else "boot"
            body = {k: v for k, v in g.items() if k not in ("group_type", "groupType")} if isinstance(g, dict) else g
            if kind in ("shutdown", "failover"):
                current = _step(out.get(kind))
                extra = _step(body)
                out[kind] = {"pre": current["pre"] + extra["pre"], "post": current["post"] + extra["post"]}
            else:
                boot.append(body)
        groups = boot
    out["shutdown"] = _step(out.get("shutdown"))
    out["failover"] = _step(out.get("failover"))
    out["groups"] = [
        {
            **g,
            "vms": sorted(g.get("vms") or [], key=str),
            "pre": _actions(g.get("pre")),
            "post": _actions(g.get("post")),
        }
        if isinstance(g, dict)
        else g
        for g in groups
    ]
    out.setdefault("test_network", None)
    return out
