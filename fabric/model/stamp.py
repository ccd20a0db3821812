"""The stamp itself: `fabric.yaml` settings and the loaded, validated `Fabric`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import networkx as nx
from pydantic import ConfigDict, Field, field_validator

from fabric.model.resources import Resource, Strict


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
    graph: nx.DiGraph[str] | None = None  # the dependency graph, once built
    config_file: str = "fabric.yaml"  # fabric.yaml as shown in messages


@dataclass(frozen=True)
class Finding:
    """A problem in user input at a source path (`at_key`: point at the key, not the value)."""

    source: SourceRef
    message: str
    at_key: bool = False
    address: str | None = None
