"""The stamp itself: `fabric.yaml` settings and the loaded, validated `Fabric`."""

# No `from __future__ import annotations` in the model modules: pydantic would then evaluate every
# field's annotation from a string at import (a compile each, ~10 ms of every command's start-up).

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, create_model, field_validator

from fabric import digraph
from fabric.errors import Diagnostic
from fabric.model.resources import KINDS, Name, Ref, Resource, Strict


class ProviderConfig(Strict):
    """Which provider manages the stamp; other keys are the provider's own settings."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str = Field(default="lab", description="Provider name from the registry.")


class StateConfig(Strict):
    """Where the stamp's state lives: a SQLite file beside it, or a shared PostgreSQL database."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    backend: Literal["sqlite", "postgres"] = Field(default="sqlite", description="sqlite or postgres.")
    dsn_env: str = Field(
        default="FABRIC_PG_DSN",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="postgres: the environment variable holding the connection string (never the DSN itself).",
    )
    db_schema: str = Field(
        default="fabric",
        alias="schema",
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description="postgres: the database schema holding fabric's tables (created if missing).",
    )

    @field_validator("db_schema")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value.startswith("pg_") or value == "information_schema":
            raise ValueError(f"{value!r} is reserved by PostgreSQL; choose another schema name")
        return value


class Moved(Strict):
    """A resource renamed in code: its state (and live object) moves instead of delete/create."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str = Field(alias="from", pattern=r"^[a-z_]+\..+$", description="The old address.")
    to: str = Field(pattern=r"^[a-z_]+\..+$", description="The new address.")


class Removed(Strict):
    """A resource taken out of code that fabric should stop managing without deleting it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str = Field(alias="from", pattern=r"^[a-z_]+\.\S.*$", description="The address to forget.")


# Kinds whose objects sit in host groups: host groups themselves, objects naming host groups
# (clouds, sites, MAC pools) and objects placed through the sites, pools and VM networks they use
# (pools, VM networks, uplink port profiles, grants), as each kind's model says (`PLACED`).
# `under:` means something only for these.
PLACED_KINDS = frozenset(kind for kind, cls in KINDS.items() if cls.PLACED)


class UnmanagedRule(Strict):
    """Which live objects of one kind, made outside fabric, drift expects: by name or by where they sit.

    An object is expected if its name matches one of `names` or it sits under one of `under`.
    """

    names: list[Name] = Field(
        default_factory=list,
        description="Name patterns (globs: * any text, ? one character, [abc] one of them), compared "
        "case-insensitively as VMM compares names. For host groups a pattern holding / is matched "
        "against the path (Oslo/Tenants/*), one without against the name.",
    )
    under: list[Ref] = Field(
        default_factory=list,
        description="Addresses of host groups declared in code (host_group.Oslo/Tenants). A host group is "
        "expected if it is below one of them (at any depth); any other object if every host group it sits "
        "in is one of them or below one: a cloud's, site's or MAC pool's own host groups, a pool's or "
        "uplink port profile's sites' host groups, a VM network's subnets' sites' host groups (for a VM "
        "network naming no site — HNV, no isolation —, the host groups of its logical network's sites).",
    )


def _all_is_every_name(value: Any) -> Any:
    """`all` stands for every name (`names: ["*"]`); anything else must be the mapping form."""
    if value == "all":
        return {"names": ["*"]}
    if not isinstance(value, dict | UnmanagedRule):
        raise ValueError("write `all`, or a mapping with names and/or under")
    return value


UnmanagedEntry = Annotated[
    UnmanagedRule, BeforeValidator(_all_is_every_name, json_schema_input_type=Literal["all"] | UnmanagedRule)
]
_GLOBAL = "`all` or names (global: it sits in no host group)."


class _UnmanagedRules(Strict):
    """Live objects no code declares that drift should expect (say, what tenants make through
    Windows Azure Pack), per kind: `all`, or `{names: [PATTERN…], under: [HOST_GROUP…]}`."""

    def rules(self) -> dict[str, UnmanagedRule]:
        """The rule of each kind that has one, by kind."""
        found = {kind: getattr(self, kind) for kind in type(self).model_fields}
        return {kind: rule for kind, rule in found.items() if rule is not None}


def _unmanaged_help(cls: type[Resource]) -> str:
    if cls.UNMANAGED_HELP:
        return cls.UNMANAGED_HELP
    return f"{cls.PLURAL}: `all`, names, or under." if cls.PLACED else f"{cls.PLURAL}: {_GLOBAL}"


# one optional entry per kind, made from the kinds' models: a new kind needs no line here
_UNMANAGED_FIELDS: dict[str, Any] = {
    kind: (UnmanagedEntry | None, Field(default=None, description=_unmanaged_help(cls))) for kind, cls in KINDS.items()
}
if TYPE_CHECKING:
    Unmanaged = _UnmanagedRules
else:
    Unmanaged = create_model(
        "Unmanaged", __base__=_UnmanagedRules, __module__=__name__, __doc__=_UnmanagedRules.__doc__, **_UNMANAGED_FIELDS
    )


class DrLibrary(Strict):
    """Where recovery-plan scripts live on the VMM library share (ScriptLibraryPath)."""

    root: str | None = Field(
        default=None,
        description="The share root as VMM's ScriptLibraryPath holds it (an FQDN UNC path ending in \\); "
        "null = the default MSSCVMMLibrary share.",
    )
    scripts_folder: str = Field(default="\\RPScripts\\fabric", description="Where fabric places library_scripts.")

    @field_validator("scripts_folder")
    @classmethod
    def _inside_the_share(cls, value: str) -> str:
        # a folder of the library share: `..` or a drive would leave it (and a rendering's --out folder)
        parts = [p for p in value.replace("/", "\\").split("\\") if p]
        if not parts or any(p in (".", "..") or ":" in p for p in parts):
            raise ValueError("a folder inside the library share, like \\RPScripts\\fabric (no '..', '.' or drive)")
        return value


class DrConfig(Strict):
    """How the stamp's disaster-recovery design is carried out (`dr:` in fabric.yaml)."""

    backend: Literal["lab", "asr", "hyperv_replica"] = Field(
        default="lab",
        description="lab (the simulator), asr (existing Azure Site Recovery vaults) or hyperv_replica "
        "(fabric's own runner over Hyper-V Replica); the YAML is the same for all three.",
    )
    orchestrator_vms: list[Name] = Field(
        default_factory=list,
        description="The VMs of the VMM server and its SQL: never in a recovery plan VMM itself runs (DR024).",
    )
    library: DrLibrary = Field(default_factory=DrLibrary)


class StampConfig(Strict):
    """The contents of `fabric.yaml`."""

    stamp: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    description: str = ""
    provider: ProviderConfig = Field(default_factory=ProviderConfig)
    state: StateConfig = Field(default_factory=StateConfig)
    variables: dict[str, Any] = Field(default_factory=dict, description="Values templates reach as var.NAME.")
    moved: list[Moved] = Field(default_factory=list, description="Renamed addresses: [{from: OLD, to: NEW}].")
    removed: list[Removed] = Field(
        default_factory=list, description="Addresses to forget without deleting their objects: [{from: ADDRESS}]."
    )
    unmanaged: Unmanaged = Field(
        default_factory=Unmanaged,
        description="Objects made outside fabric that drift expects (reported apart, not drift), per kind.",
    )
    dr: DrConfig = Field(default_factory=DrConfig, description="The disaster-recovery backend and its settings.")


@dataclass(frozen=True)
class SourceRef:
    """Where a resource (or a value inside it) was written: a file and a key path."""

    file: str
    path: tuple[str | int, ...]


@dataclass(frozen=True)
class Fabric:
    """A loaded stamp: its settings and its resources by address, in source order."""

    root: str
    config: StampConfig
    resources: Mapping[str, Resource]
    sources: Mapping[str, SourceRef]
    graph: digraph.DiGraph[str] | None = None  # the dependency graph, once built
    config_file: str = "fabric.yaml"  # fabric.yaml as shown in messages
    warnings: tuple[Diagnostic, ...] = ()  # what validation reports without refusing the stamp


@dataclass(frozen=True)
class Finding:
    """A problem in user input at a source path (`at_key`: point at the key, not the value)."""

    source: SourceRef
    message: str
    at_key: bool = False
    address: str | None = None
    severity: str = "error"  # or "warning": reported, and nothing is refused for it
