"""A bad state setting or state file is one clear error: an unparsable DSN (without echoing its
password), a schema name PostgreSQL reserves, a damaged SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, copy_stamp, use_postgres


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
