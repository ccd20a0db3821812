"""Shared fixtures: run the real CLI in-process, copy stamps into a temp directory."""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fabric.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
STAMPS = ROOT / "stamps"


@dataclass
class Result:
    code: int
    out: str
    err: str


Cli = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run `fabric ARGS…` in-process; `stdin=` feeds the confirmation prompt."""

    def run(*args: str, stdin: str = "") -> Result:
        import io

        from fabric import secrets

        secrets.reset()  # each command starts with what a new process knows
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = app([str(a) for a in args], standalone_mode=False, prog_name="fabric")
        except SystemExit as exc:  # typer may exit for --help and the like
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(int(code or 0), captured.out, captured.err)

    return run


def copy_stamp(name: str, dest: Path) -> Path:
    """Copy stamps/NAME (without any .fabric work dir) to dest/NAME."""
    target = dest / name
    shutil.copytree(STAMPS / name, target, ignore=shutil.ignore_patterns(".fabric"))
    return target


def scvmm_reference(dest: Path, settings: str = "  server: vmm01.corp.example") -> Path:
    """stamps/reference copied to dest/reference for the scvmm provider (`settings`: its lines
    under `provider:`), without its disaster-recovery kinds (dr.yaml: the DR backend's, which the
    scvmm provider does not apply) and the lab's seed."""
    target = copy_stamp("reference", dest)
    (target / "dr.yaml").unlink()
    cfg = target / "fabric.yaml"
    text = cfg.read_text().replace("  seed: lab/seed.yaml", "").replace("  type: lab", "  type: scvmm\n" + settings)
    cfg.write_text(text)
    return target


def resource_count(stamp: Path = STAMPS / "reference", domain: str | None = None) -> int:
    """How many resources `stamp` declares once expanded (only `domain`'s: "vmm" or "dr", if given)."""
    from fabric.project import open_stamp

    resources = open_stamp(stamp).resources.values()
    return sum(1 for r in resources if domain in (None, r.DOMAIN))


_PREVENT_DESTROY = re.compile(r"^[ \t]*lifecycle: \{prevent_destroy: true\}.*\n", re.M)


def without_prevent_destroy(stamp: Path) -> Path:
    """Strip every `lifecycle: {prevent_destroy: true}` line from a private copy of a stamp (the
    reference stamp's cloud pairings carry it), for tests that mean to delete or replace them."""
    stripped = 0
    for path in sorted(stamp.glob("*.yaml")):
        text, n = _PREVENT_DESTROY.subn("", path.read_text(encoding="utf-8"))
        if n:
            path.write_text(text, encoding="utf-8")
            stripped += n
    assert stripped, f"no prevent_destroy line in {stamp}: the helper's pattern is out of date"
    return stamp


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    """A private copy of stamps/reference."""
    return copy_stamp("reference", tmp_path)


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """stamps/reference applied once per module, one operation at a time (replica placement
    depends on the order protections arrive in): copy it before changing it."""
    stamp = copy_stamp("reference", tmp_path_factory.mktemp("applied"))
    code = app(["apply", str(stamp), "--auto-approve", "--parallelism", "1", "--compact"], standalone_mode=False)
    assert code == 0
    return stamp


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    """A private copy of stamps/lab."""
    return copy_stamp("lab", tmp_path)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The session's PostgreSQL server (started on first use); its DSN."""
    from pgserver import postgres_server

    with postgres_server() as dsn:
        yield dsn


@pytest.fixture
def pg_dsn(pg_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """FABRIC_PG_DSN set to the session's server, for this test (and its subprocesses)."""
    monkeypatch.setenv("FABRIC_PG_DSN", pg_server)
    return pg_server


def use_postgres(stamp: Path, schema: str | None = None) -> str:
    """Point a stamp's state at PostgreSQL (a schema of its own unless given); the schema name."""
    schema = schema or f"t_{uuid.uuid4().hex[:12]}"
    with (stamp / "fabric.yaml").open("a", encoding="utf-8") as f:
        f.write(f"\nstate:\n  backend: postgres\n  schema: {schema}\n")
    return schema


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs once per state backend."""
    if request.param == "postgres":
        request.getfixturevalue("pg_dsn")
    return str(request.param)


def stamp_on(name: str, dest: Path, backend: str) -> Path:
    """A private copy of stamps/NAME with its state on `backend`."""
    stamp = copy_stamp(name, dest)
    if backend == "postgres":
        use_postgres(stamp)
    return stamp


def lose_state(stamp: Path) -> None:
    """Throw the stamp's state away (as if every state write had been lost), keeping the lab."""
    config = (stamp / "fabric.yaml").read_text(encoding="utf-8")
    if "backend: postgres" in config:
        fresh = f"schema: t_{uuid.uuid4().hex[:12]}"
        (stamp / "fabric.yaml").write_text(re.sub(r"schema: t_[0-9a-f]+", fresh, config), encoding="utf-8")
    else:
        (stamp / ".fabric" / "state.db").unlink()
