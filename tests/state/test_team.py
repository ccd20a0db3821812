"""Running fabric as a team: locks across processes, backends side by side, migration, retries."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Cli, copy_stamp, resource_count, stamp_on, use_postgres

from fabric import engine

FABRIC = [sys.executable, "-m", "fabric"]


def _wait_for_holder(cli: Cli, stamp: Path, proc: subprocess.Popen[str]) -> str:
    """The lock id of the apply running in `proc`, once it holds the lock (asked without locking)."""
    state = engine.open_stamp_state(stamp)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            holder = state.lock_holder()
            if holder is not None and holder.pid == proc.pid:
                return holder.id
            assert proc.poll() is None, "the apply finished before it was seen holding the lock"
            time.sleep(0.05)
    finally:
        state.close()
    raise AssertionError("the apply never took the lock")


@pytest.fixture
def lab_stamp(tmp_path: Path, backend: str) -> Path:
    return stamp_on("lab", tmp_path, backend)


def _slow_apply(stamp: Path, latency_ms: int = 150) -> subprocess.Popen[str]:
    env = {**os.environ, "FABRIC_LAB_LATENCY_MS": str(latency_ms)}
    cmd = [*FABRIC, "apply", str(stamp), "--auto-approve", "--parallelism", "1"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_second_apply_fails_at_once_naming_pid_host_and_start(cli: Cli, lab_stamp: Path) -> None:
    first = _slow_apply(lab_stamp)
    try:
        _wait_for_holder(cli, lab_stamp, first)
        second = cli("apply", lab_stamp, "--auto-approve")
        assert second.code == 1
        assert f"state is locked by pid {first.pid} on {socket.gethostname()} since 20" in second.err
        assert "(apply, lock id " in second.err
        assert "Traceback" not in second.err
    finally:
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, out + err
    assert "12 operation(s) done" in out


def test_plan_takes_no_lock_unless_asked(cli: Cli, lab_stamp: Path) -> None:
    first = _slow_apply(lab_stamp)
    try:
        _wait_for_holder(cli, lab_stamp, first)
        assert cli("plan", lab_stamp).code == 0
        locked = cli("plan", lab_stamp, "--lock")
        assert locked.code == 1 and f"pid {first.pid}" in locked.err
        waited = cli("plan", lab_stamp, "--lock", "--lock-timeout", "2m", "--detailed-exitcode")
        assert waited.code == 0, waited.err  # it waited for the apply, then found nothing to do
    finally:
        first.communicate(timeout=120)
    assert first.returncode == 0


def test_lock_timeout_waits_then_applies(cli: Cli, lab_stamp: Path) -> None:
    first = _slow_apply(lab_stamp, latency_ms=60)
    try:
        _wait_for_holder(cli, lab_stamp, first)
        result = cli("apply", lab_stamp, "--auto-approve", "--lock-timeout", "60s")
    finally:
        first.communicate(timeout=120)
    assert result.code == 0, result.err
    assert "No changes" in result.out


@pytest.mark.parametrize("backend", ["sqlite"])
def test_lock_timeout_rejects_nonsense(lab_stamp: Path) -> None:
    cmd = [*FABRIC, "apply", str(lab_stamp), "--auto-approve", "--lock-timeout", "soon"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "'soon' is not a duration" in result.stderr
    assert "Traceback" not in result.stderr


def test_killed_holder_releases_the_lock(cli: Cli, lab_stamp: Path) -> None:
    first = _slow_apply(lab_stamp)
    _wait_for_holder(cli, lab_stamp, first)
    first.kill()
    first.wait(30)
    result = cli("apply", lab_stamp, "--auto-approve")
    assert result.code == 0, result.err
    assert cli("plan", lab_stamp, "--detailed-exitcode").code == 0


_HOLD = """
import sys, time
from pathlib import Path
from fabric import engine
state = engine.open_stamp_state(Path(sys.argv[1]))
with state.lock("apply") as info:
    print(info.id, flush=True)
    time.sleep(600)
"""


def test_force_unlock_frees_a_hung_holder(cli: Cli, lab_stamp: Path) -> None:
    hung = subprocess.Popen([sys.executable, "-c", _HOLD, str(lab_stamp)], stdout=subprocess.PIPE, text=True)
    try:
        assert hung.stdout is not None
        lock_id = hung.stdout.readline().strip()
        refused = cli("apply", lab_stamp, "--auto-approve")
        assert refused.code == 1 and f"lock id {lock_id}" in refused.err
        wrong = cli("force-unlock", lab_stamp, "00000000-0000-0000-0000-000000000000")
        assert wrong.code == 1 and "is not the current lock" in wrong.err
        alive = cli("force-unlock", lab_stamp, lock_id)  # its process runs on this host
        assert alive.code == 1 and f"pid {hung.pid}) is running on this host" in alive.err
        assert "--force" in alive.err
        refused_again = cli("apply", lab_stamp, "--auto-approve")
        assert refused_again.code == 1, "the refused force-unlock must leave the lock in place"
        released = cli("force-unlock", lab_stamp, lock_id, "--force")
        assert released.code == 0, released.err
        assert f"Released the lock held by pid {hung.pid}" in released.out
        done = cli("apply", lab_stamp, "--auto-approve")
        assert done.code == 0, done.err
    finally:
        hung.kill()
        hung.wait(30)


@pytest.mark.usefixtures("pg_dsn")
def test_two_stamps_on_one_database_proceed_in_parallel(cli: Cli, tmp_path: Path) -> None:
    schema = f"shared_{os.getpid()}"
    one = copy_stamp("lab", tmp_path / "one")
    other = copy_stamp("reference", tmp_path / "other")
    use_postgres(one, schema)
    use_postgres(other, schema)
    first = _slow_apply(one)
    try:
        _wait_for_holder(cli, one, first)
        result = cli("apply", other, "--auto-approve", "--parallelism", "8")
        assert result.code == 0, result.err
        assert f"{resource_count(other)} operation(s) done" in result.out
        assert first.poll() is None, "the other stamp's apply should still hold its own lock"
    finally:
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, out + err


@pytest.mark.usefixtures("pg_dsn")
def test_state_migrates_to_postgres_and_back(cli: Cli, tmp_path: Path) -> None:
    stamp = copy_stamp("reference", tmp_path)
    use_postgres(stamp)
    config = stamp / "fabric.yaml"
    config.write_text(config.read_text().replace("backend: postgres", "backend: sqlite"))
    assert cli("apply", stamp, "--auto-approve").code == 0
    before = json.loads(cli("show", stamp, "--format", "json").out)
    moved = cli("state", "migrate", stamp, "--to", "postgres")
    assert moved.code == 0, moved.err
    assert f"Copied {resource_count(stamp)} entries" in moved.out
    assert "fabric.yaml still says state.backend: sqlite" in moved.err
    config.write_text(config.read_text().replace("backend: sqlite", "backend: postgres"))
    after = json.loads(cli("show", stamp, "--format", "json").out)
    assert after == before  # same lineage, serial and entries
    assert cli("plan", stamp, "--detailed-exitcode").code == 0
    again = cli("state", "migrate", stamp, "--to", "postgres")
    assert again.code == 1 and "was migrated to postgres" in again.err  # the SQLite copy is a backup now
    back = cli("state", "migrate", stamp, "--to", "sqlite")
    assert back.code == 1 and "not empty" in back.err  # the SQLite backup is still there
    (stamp / ".fabric" / "state.db").unlink()
    back = cli("state", "migrate", stamp, "--to", "sqlite")
    assert back.code == 0, back.err
    history = cli("state", "history", stamp, "--json")
    assert json.loads(history.out.splitlines()[0])["event"] == "migrate"


def test_postgres_without_dsn_is_one_clear_error(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FABRIC_PG_DSN", raising=False)
    stamp = copy_stamp("lab", tmp_path)
    use_postgres(stamp)
    result = cli("plan", stamp)
    assert result.code == 1
    expected = "error: state.backend is postgres but the environment variable FABRIC_PG_DSN is not set"
    assert result.err.strip() == expected


def test_unreachable_postgres_is_one_clear_error_without_password(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FABRIC_PG_DSN", "postgresql://fabric:s3cret-pw@127.0.0.1:1/postgres")
    stamp = copy_stamp("lab", tmp_path)
    use_postgres(stamp)
    result = cli("apply", stamp, "--auto-approve")
    assert result.code == 1
    assert result.err.startswith("error: cannot connect to the PostgreSQL state database (FABRIC_PG_DSN)")
    assert "s3cret-pw" not in result.err + result.out
    assert not (stamp / ".fabric" / "state.db").exists()


def test_transient_errors_are_retried_until_apply_converges(cli: Cli, tmp_path: Path, backend: str) -> None:
    stamp = stamp_on("reference", tmp_path, backend)
    desired = resource_count(stamp)  # the lab seeds its hosts and VMs first: no VMM call, no injected fault
    env = {**os.environ, "FABRIC_LAB_FLAKY": "0.2"}
    cmd = [*FABRIC, "apply", str(stamp), "--auto-approve", "--parallelism", "8"]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{desired} operation(s) done, 0 failed" in result.stdout
    # a 20 % failure rate over each of the stamp's 74 changes: P(no retry at all) = 0.8**74 < 1e-7
    assert "transient error, retrying (attempt 1 of 8 failed)" in result.stderr
    plan = subprocess.run([*FABRIC, "plan", str(stamp), "--detailed-exitcode"], env=env, capture_output=True)
    assert plan.returncode == 0
    assert len(json.loads(cli("lab", "show", stamp, "--format", "json").out)["objects"]) == desired


def test_permanent_errors_are_not_retried(cli: Cli, lab_stamp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FABRIC_LAB_FAIL", "host_group.Lab")
    result = cli("apply", lab_stamp, "--auto-approve")
    assert result.code == 1
    assert "retrying" not in result.err
    assert "host_group.Lab: create failed" in result.out


def test_plan_whose_read_fails_reports_it_and_writes_nothing(
    cli: Cli, lab_stamp: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert cli("apply", lab_stamp, "--auto-approve").code == 0
    state_before = cli("show", lab_stamp, "--format", "json").out
    monkeypatch.setenv("FABRIC_LAB_FLAKY", "1")
    planfile = tmp_path / "x.fabricplan"
    result = cli("plan", lab_stamp, "--out", planfile)
    assert result.code == 1
    assert result.err.strip() == "error: transient failure: the lab dropped the call (FABRIC_LAB_FLAKY)"
    assert not planfile.exists()
    monkeypatch.delenv("FABRIC_LAB_FLAKY")
    assert cli("show", lab_stamp, "--format", "json").out == state_before


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("FABRIC_LAB_FLAKY", "1.5", "error: FABRIC_LAB_FLAKY must be a share of calls between 0 and 1, not '1.5'"),
        (
            "FABRIC_LAB_LATENCY_MS",
            "soon",
            "error: FABRIC_LAB_LATENCY_MS must be milliseconds between 0 and 600000, not 'soon'",
        ),
    ],
)
def test_bad_lab_fault_settings_are_one_error_line(
    cli: Cli, lab_stamp: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    result = cli("plan", lab_stamp)
    assert result.code == 1
    assert result.err.strip() == message


def test_a_read_only_role_can_plan_show_and_drift_but_not_apply(cli: Cli, tmp_path: Path, pg_dsn: str) -> None:
    import psycopg

    stamp = copy_stamp("lab", tmp_path)
    schema = use_postgres(stamp)
    assert cli("apply", stamp, "--auto-approve").code == 0
    reader = f"reader_{os.getpid()}"
    with psycopg.connect(pg_dsn, autocommit=True) as db:
        db.execute(f"CREATE ROLE {reader} LOGIN")
        db.execute(f"GRANT USAGE ON SCHEMA {schema} TO {reader}")
        db.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {reader}")
    os.environ["FABRIC_PG_DSN"] = pg_dsn.replace("fabric@", f"{reader}@")  # monkeypatch restores it
    assert cli("plan", stamp, "--detailed-exitcode").code == 0
    assert cli("drift", stamp).code == 0
    assert '"resources"' in cli("show", stamp, "--format", "json").out
    assert cli("state", "history", stamp).code == 0
    config = stamp / "fabric.yaml"
    config.write_text(config.read_text().replace('location: "Lab"', 'location: "Lab2"'))
    assert cli("plan", stamp, "--detailed-exitcode").code == 2
    denied = cli("apply", stamp, "--auto-approve")
    assert denied.code == 1 and "permission denied" in denied.err and "Traceback" not in denied.err, denied.err
    assert len(denied.err.strip().splitlines()) == 1
