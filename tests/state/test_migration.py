"""`fabric state migrate` and state tables from an earlier version: a target with a history is
refused, a migrated state is never written again, a backup left by migration is not migrated
twice, an empty state goes there and back, old tables gain the new columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, copy_stamp, use_postgres

from fabric.model.stamp import StateConfig
from fabric.snapshot import StateEntry, StateSnapshot
from fabric.state.backends import open_state


def test_migrate_refuses_a_target_with_history(tmp_path: Path, backend: str) -> None:
    config = StateConfig.model_validate({"backend": backend, "schema": f"t_hist_{tmp_path.name[-8:].lower()}"})
    state = open_state(config, "s", tmp_path / "s")
    try:
        state.record(StateEntry("cloud.a", "cloud", "id-1", {"name": "c"}))
        state.forget("cloud.a")  # empty again, but with a history
        from fabric.errors import FabricError

        with pytest.raises(FabricError, match="has a history"):
            state.load(StateSnapshot(5, "other", {}))
        assert [e.event for e in state.history()] == ["forget", "record"]
    finally:
        state.close()


def _sqlite_with_schema(stamp: Path) -> str:
    """State on SQLite for now, with a schema of its own for a later migration to PostgreSQL."""
    schema = use_postgres(stamp)
    _switch(stamp, "sqlite")
    return schema


def _switch(stamp: Path, backend: str) -> None:
    other = "postgres" if backend == "sqlite" else "sqlite"
    text = (stamp / "fabric.yaml").read_text(encoding="utf-8")
    (stamp / "fabric.yaml").write_text(text.replace(f"backend: {other}", f"backend: {backend}"), encoding="utf-8")


@pytest.mark.usefixtures("pg_dsn")
def test_a_migrated_state_is_not_written_again(cli: Cli, tmp_path: Path) -> None:
    stamp = copy_stamp("lab", tmp_path)
    _sqlite_with_schema(stamp)
    assert cli("apply", stamp, "--auto-approve").code == 0
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", stamp, "--destroy", "--out", planfile).code == 0
    assert cli("state", "migrate", stamp, "--to", "postgres").code == 0
    refused = cli("apply", planfile)
    assert refused.code == 1 and "was migrated to postgres" in refused.err
    assert cli("plan", stamp).code == 1
    _switch(stamp, "postgres")
    assert cli("plan", stamp, "--detailed-exitcode").code == 0


@pytest.mark.usefixtures("pg_dsn")
def test_tables_from_an_earlier_version_gain_new_columns(tmp_path: Path) -> None:
    import os

    import psycopg

    schema = f"t_old_{tmp_path.name[-8:].lower()}"
    with psycopg.connect(os.environ["FABRIC_PG_DSN"], autocommit=True) as db:
        db.execute(f"CREATE SCHEMA {schema}")
        db.execute(
            f"CREATE TABLE {schema}.stamps (stamp text PRIMARY KEY, serial bigint NOT NULL, lineage text NOT NULL, "
            "format_version int NOT NULL)"
        )
    state = open_state(StateConfig.model_validate({"backend": "postgres", "schema": schema}), "s", tmp_path)
    try:
        assert state.migrated_to() is None
        assert state.record(StateEntry("cloud.a", "cloud", "id-1", {"name": "c"})) == 1
    finally:
        state.close()


@pytest.mark.usefixtures("pg_dsn")
def test_an_empty_state_migrated_there_and_back_stays_usable(cli: Cli, tmp_path: Path) -> None:
    stamp = copy_stamp("lab", tmp_path)
    _sqlite_with_schema(stamp)
    assert cli("state", "migrate", stamp, "--to", "postgres").code == 0
    _switch(stamp, "postgres")
    back = cli("state", "migrate", stamp, "--to", "sqlite")
    assert back.code == 0, back.err
    _switch(stamp, "sqlite")
    assert cli("plan", stamp).code == 0, "the SQLite copy is the live state again"


@pytest.mark.usefixtures("pg_dsn")
def test_a_backup_left_by_migration_is_not_migrated_again(cli: Cli, tmp_path: Path) -> None:
    stamp = copy_stamp("lab", tmp_path)
    _sqlite_with_schema(stamp)
    assert cli("apply", stamp, "--auto-approve").code == 0
    assert cli("state", "migrate", stamp, "--to", "postgres").code == 0
    text = (stamp / "fabric.yaml").read_text(encoding="utf-8")
    (stamp / "fabric.yaml").write_text(text.replace("schema: t_", "schema: t_other_"), encoding="utf-8")
    # a fresh schema: migrating the stale SQLite backup there must be refused
    again = cli("state", "migrate", stamp, "--to", "postgres")
    assert again.code == 1 and "was migrated to postgres" in again.err


@pytest.mark.usefixtures("pg_dsn")
def test_migration_carries_the_dr_operation_log(cli: Cli, tmp_path: Path) -> None:
    from fabric.state.protocol import DrOperation

    stamp = copy_stamp("lab", tmp_path)
    schema = _sqlite_with_schema(stamp)
    assert cli("apply", stamp, "--auto-approve").code == 0
    config = StateConfig.model_validate({"backend": "sqlite"})
    entry = DrOperation("op-1", "drill", "recovery_plan.p", "test", "primary_to_recovery", "completed", "2026-01-01")
    state = open_state(config, "lab", stamp / ".fabric", 0.0)
    try:
        state.log_operation(entry)
    finally:
        state.close()
    assert cli("state", "migrate", stamp, "--to", "postgres").code == 0
    target = open_state(
        StateConfig.model_validate({"backend": "postgres", "schema": schema}), "lab", stamp / ".fabric", 0.0
    )
    try:
        assert target.operations() == [entry]
    finally:
        target.close()
