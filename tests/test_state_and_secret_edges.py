"""Edge cases of state and secrets found in review: each once went wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Cli, copy_stamp, stamp_on, use_postgres

from fabric.model.stamp import StateConfig
from fabric.snapshot import StateEntry, StateSnapshot
from fabric.state.backends import open_state


def _secret_lab(tmp_path: Path, backend: str) -> Path:
    stamp = stamp_on("lab", tmp_path, backend)
    text = (stamp / "lab.yaml").read_text(encoding="utf-8").replace(': "true"', ': "${env:LAB_TOKEN}"')
    (stamp / "lab.yaml").write_text(text, encoding="utf-8")
    return stamp


def test_a_rotated_secret_is_masked_where_it_was(
    cli: Cli, tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp = _secret_lab(tmp_path, backend)
    monkeypatch.setenv("LAB_TOKEN", "first-secret-value-1")
    assert cli("apply", stamp, "--auto-approve").code == 0
    monkeypatch.setenv("LAB_TOKEN", "rotated-secret-value-2")
    planfile = tmp_path / "p.fabricplan"
    outputs = [cli("plan", stamp, "--format", fmt).out for fmt in ("text", "json", "markdown")]
    outputs.append(cli("plan", stamp, "--out", planfile).out)
    outputs.append(planfile.read_text(encoding="utf-8"))
    outputs += [cli("drift", stamp, "--format", fmt).out for fmt in ("text", "json", "html")]
    for text in outputs:
        assert "first-secret-value-1" not in text and "rotated-secret-value-2" not in text
    assert json.loads(outputs[1])["summary"]["update"] == 1


def test_a_secret_inside_other_text_does_not_rewrite_data(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp = _secret_lab(tmp_path, "sqlite")
    monkeypatch.setenv("LAB_TOKEN", "location")  # also a word in a description: "The lab location"
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", stamp, "--out", planfile).code == 0
    assert cli("apply", planfile).code == 0
    from fabric.providers.lab.provider import LabProvider
    from fabric.state.sqlite import SqliteState

    state = SqliteState(stamp / ".fabric")
    lab = LabProvider(stamp / ".fabric" / "lab.db")
    try:  # data keeps its text: only whole secret values are replaced in stored data
        assert state.read().entries["host_group.Lab"].attributes["description"] == "The lab location"
        live = next(o for o in lab.read_inventory().owned() if o.kind == "host_group")
        assert live.attributes["description"] == "The lab location"
    finally:
        state.close()
        lab.close()
    assert cli("plan", stamp, "--detailed-exitcode").code == 0


def test_a_short_secret_is_refused(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = _secret_lab(tmp_path, "sqlite")
    monkeypatch.setenv("LAB_TOKEN", "1")
    result = cli("validate", stamp)
    assert result.code == 1
    assert "LAB_TOKEN holds fewer than 8 characters" in result.err


def test_a_secret_in_a_validation_message_is_masked(cli: Cli, tmp_path: Path, monkeypatch) -> None:
    secret = "quote'and\"double-7f3a"
    monkeypatch.setenv("LAB_TOKEN", secret)
    stamp = copy_stamp("lab", tmp_path)
    text = (stamp / "lab.yaml").read_text(encoding="utf-8").replace("vm_count: 20", 'vm_count: "${env:LAB_TOKEN}"')
    (stamp / "lab.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", stamp)
    assert result.code == 1
    assert "quote" not in result.err and "(sensitive)" in result.err


def test_a_move_is_one_state_write(tmp_path: Path, backend: str) -> None:
    config = StateConfig.model_validate({"backend": backend, "schema": f"t_move_{tmp_path.name[-8:].lower()}"})
    state = open_state(config, "s", tmp_path / "s")
    try:
        state.record(StateEntry("cloud.old", "cloud", "id-1", {"name": "c"}))
        serial = state.record(StateEntry("cloud.new", "cloud", "id-1", {"name": "c"}), forget="cloud.old")
        snap = state.read()
        assert serial == 2 and list(snap.entries) == ["cloud.new"]
    finally:
        state.close()


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


def test_an_unparsable_dsn_does_not_echo_its_password(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FABRIC_PG_DSN", "postgresql://fabric:Tr0ub4dor%&3@db/fabric")
    stamp = copy_stamp("lab", tmp_path)
    use_postgres(stamp)
    result = cli("plan", stamp)
    assert result.code == 1
    assert "Tr0ub4dor" not in result.err
    assert "FABRIC_PG_DSN is not a valid PostgreSQL connection string" in result.err


def test_reserved_schema_names_are_diagnostics(cli: Cli, tmp_path: Path) -> None:
    stamp = copy_stamp("lab", tmp_path)
    use_postgres(stamp, "pg_temp")
    result = cli("validate", stamp)
    assert result.code == 1
    assert "fabric.yaml:" in result.err and "reserved by PostgreSQL" in result.err


def test_a_damaged_state_file_is_one_clear_error(cli: Cli, tmp_path: Path) -> None:
    stamp = copy_stamp("lab", tmp_path)
    (stamp / ".fabric").mkdir()
    (stamp / ".fabric" / "state.db").write_bytes(b"not a database at all, " * 100)
    result = cli("plan", stamp)
    assert result.code == 1
    db = stamp / ".fabric" / "state.db"
    assert result.err.strip() == f"error: the state database {db} is damaged or not a database: file is not a database"


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


def test_drift_masks_a_secret_removed_from_code(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEC_A", "old-secret-AAA")
    stamp = copy_stamp("lab", tmp_path)
    lab_yaml = stamp / "lab.yaml"
    lab_yaml.write_text(lab_yaml.read_text().replace(': "true"', ': "${env:SEC_A}"'))
    assert cli("apply", stamp, "--auto-approve").code == 0
    monkeypatch.delenv("SEC_A")
    lab_yaml.write_text(lab_yaml.read_text().replace(': "${env:SEC_A}"', ": public text"))
    for fmt in ("text", "json", "markdown", "html"):
        result = cli("drift", stamp, "--format", fmt)
        assert "old-secret-AAA" not in result.out + result.err, fmt
    assert "old-secret-AAA" not in cli("plan", stamp, "--format", "json").out


def test_a_rotated_secret_under_ignore_changes_stays_masked(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEC_A", "old-secret-AAA")
    stamp = copy_stamp("lab", tmp_path)
    lab_yaml = stamp / "lab.yaml"
    text = lab_yaml.read_text().replace(
        '    name: "IaaS {{ var.location }}"\n',
        '    name: "IaaS {{ var.location }}"\n'
        """    lifecycle: {ignore_changes: ['custom_properties["custom_property.CreateHighlyAvailableVMRoles"]']}\n""",
    )
    text = text.replace(': "true"', ': "${env:SEC_A}"')
    lab_yaml.write_text(text)
    assert cli("apply", stamp, "--auto-approve").code == 0
    monkeypatch.setenv("SEC_A", "new-secret-BBB")
    lab_yaml.write_text(lab_yaml.read_text().replace("vm_count: 20", "vm_count: 30"))
    plan = cli("plan", stamp, "--format", "json")
    assert "old-secret-AAA" not in plan.out and "new-secret-BBB" not in plan.out
    saved = cli("plan", stamp, "--out", tmp_path / "p.fabricplan")
    assert saved.code == 1 and "cannot save this plan" in saved.err
    assert not (tmp_path / "p.fabricplan").exists()
    assert cli("apply", stamp, "--auto-approve").code == 0
    stored = (stamp / ".fabric" / "state.db").read_bytes()
    assert b"old-secret-AAA" not in stored and b"new-secret-BBB" not in stored
    assert "old-secret-AAA" not in cli("show", stamp, "--format", "json").out
