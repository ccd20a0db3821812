"""Choosing a state backend from a stamp's `state:` settings."""

from __future__ import annotations

from pathlib import Path

from fabric.model.stamp import StateConfig
from fabric.state.protocol import StateBackend
from fabric.state.sqlite import SqliteState


def open_state(config: StateConfig, stamp: str, state_dir: Path, lock_timeout: float = 0.0) -> StateBackend:
    """The stamp's state: SQLite in `state_dir`, or its rows in the PostgreSQL schema."""
    if config.backend == "postgres":
        from fabric.state.postgres import PostgresState  # psycopg loads only when it is used

        return PostgresState(config.dsn_env, config.db_schema, stamp, lock_timeout)
    return SqliteState(state_dir, lock_timeout)


def describe(config: StateConfig, state_dir: Path) -> str:
    """Where the state lives, for messages (never the DSN)."""
    if config.backend == "postgres":
        return f"PostgreSQL schema {config.db_schema!r} (DSN from ${config.dsn_env})"
    return str(state_dir / "state.db")
