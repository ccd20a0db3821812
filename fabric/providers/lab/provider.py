"""`LabProvider`: VMM objects in SQLite (`lab.db`), with VMM's rules and GUIDs.

Every operation runs in one transaction under a lock, so worker threads see a consistent
lab. `FABRIC_LAB_LATENCY_MS` sleeps before each operation (outside the lock, so
parallel workers overlap like remote calls do); `FABRIC_LAB_FAIL=ADDR[,ADDR]` fails the
operations on those addresses; `FABRIC_LAB_FLAKY=0.2` fails that share of calls with a
transient (retryable) error before touching anything, like a dropped connection;
`FABRIC_LAB_KILL_AFTER=ADDR` kills the process with SIGKILL right after the change to ADDR
is committed in the lab and before fabric can record it (for crash-safety tests).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fabric.errors import ProviderError
from fabric.inventory import Inventory, ObservedObject
from fabric.model.ipmath import parse_range
from fabric.model.refs import iter_refs, map_refs, names_unique, scope_value
from fabric.model.resources import KINDS
from fabric.providers.lab import dr, failover, indexes, rules

SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL,
  attributes TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS objects_identity ON objects(kind, scope, name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS refs (from_id TEXT NOT NULL, to_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS refs_to ON refs(to_id);
CREATE INDEX IF NOT EXISTS refs_from ON refs(from_id);
CREATE TABLE IF NOT EXISTS ip_grants (pool_id TEXT NOT NULL, address TEXT NOT NULL,
  granted_to TEXT NOT NULL, PRIMARY KEY (pool_id, address));
"""

LAB_FILE = "lab.db"


def _check_types(kind: str, attrs: Mapping[str, Any]) -> None:
    """ProviderError if an attribute has a type VMM would not take (a console edit cannot set a
    quota to a word): the object, references stood in for by placeholders, must fit its model."""
    cls = KINDS[kind]
    try:
        cls.model_validate(map_refs(cls, dict(attrs), lambda live_id: f"ref.{live_id}"))
    except (AttributeError, TypeError):  # a value of the wrong shape where references live
        raise ProviderError(f"VMM refused {kind} {attrs.get('name')!r}: wrong type") from None
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']} (got {e.get('input')!r})" for e in exc.errors()]
        raise ProviderError(f"VMM refused {kind} {attrs.get('name')!r}: wrong type: {'; '.join(problems)}") from None


def open_lab(stamp_dir: Path, settings: Mapping[str, Any], work_dir: Path) -> LabProvider:
    """Provider factory: the lab lives in `work_dir/lab.db` unless `settings['path']` says."""
    if settings.get("inventory"):
        raise ProviderError("the lab provider reads its own database; --inventory is for providers of real servers")
    if settings.get("path") is None:
        path = work_dir / LAB_FILE
    else:
        given = Path(str(settings["path"])).expanduser()
        # relative to the stamp, like every other path a stamp names: the same lab from any directory
        path = given if given.is_absolute() else stamp_dir / given
    seed = None
    if settings.get("seed") and not path.exists():  # a new lab: a bad seed must not leave one behind
        from fabric.providers.lab.seedfile import read_seed

        seed = read_seed(stamp_dir / str(settings["seed"]))
    lab = LabProvider(path)
    if settings.get("seed") and not lab.seeded():
        from fabric.providers.lab.seedfile import read_seed

        try:
            lab.seed(seed or read_seed(stamp_dir / str(settings["seed"])))
        except BaseException:
            lab.close()
            raise
    return lab


class LabProvider:
    """A VMM simulator; see the module docstring."""

    name = "lab"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():  # it holds what VMM holds, secrets included: owner only
            path.touch(mode=0o600)
        self._path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            indexes.ensure(self._db)
            dr.ensure(self._db)
            failover.ensure(self._db)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise self._damaged(exc) from None
        self._lock = threading.Lock()
        self._latency = _env_number("FABRIC_LAB_LATENCY_MS", 600_000, "milliseconds") / 1000
        self._fail = {a.strip() for a in os.environ.get("FABRIC_LAB_FAIL", "").split(",") if a.strip()}
        self._flaky = _env_number("FABRIC_LAB_FLAKY", 1, "a share of calls")
        self._kill_after = os.environ.get("FABRIC_LAB_KILL_AFTER", "")
        self._random = random.Random()  # noqa: S311 - fault injection, not secrecy
        # what protecting a VM consults, read once per apply (not once per VM): dropped when this
        # connection writes one of those kinds or rolls back, and when another connection commits
        self._dr_cache: tuple[int, dict[str, tuple[str, dict[str, Any]]]] | None = None

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _dr_lookup(self, db: sqlite3.Connection) -> dict[str, tuple[str, dict[str, Any]]]:
        """`_dr_objects`, cached (see `_dr_cache`); `PRAGMA data_version` tells other connections' commits."""
        version = int(db.execute("PRAGMA data_version").fetchone()[0])
        if self._dr_cache is None or self._dr_cache[0] != version:
            self._dr_cache = (version, _dr_objects(db))
        return self._dr_cache[1]

    def _damaged(self, exc: sqlite3.DatabaseError) -> Exception:
        """A damaged file as the user's one-line error; any other database error as it is."""
        if getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            return ProviderError(f"the lab database {self._path} is damaged or not a database: {exc}")
        return exc

    @contextmanager
    def _tx(self, address: str | None, *, faults: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction; `faults=False` for the lab's own set-up (seeding), which is no VMM call
        and takes no injected latency or failure."""
        if self._latency and faults:
            time.sleep(self._latency)
        if address is not None and address in self._fail:
            raise ProviderError(f"injected failure for {address} (FABRIC_LAB_FAIL)")
        with self._lock:
            if faults and self._flaky and self._random.random() < self._flaky:
                raise ProviderError("transient failure: the lab dropped the call (FABRIC_LAB_FLAKY)", retryable=True)
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except (ValueError, TypeError, KeyError, sqlite3.IntegrityError) as exc:
                self._dr_cache = None
                self._db.execute("ROLLBACK")  # a malformed value, as VMM's own validation would refuse
                raise ProviderError(f"VMM refused the operation: invalid value ({type(exc).__name__}: {exc})") from None
            except sqlite3.DatabaseError as exc:
                self._dr_cache = None
                with suppress(sqlite3.Error):  # a damaged file may refuse the rollback too
                    self._db.execute("ROLLBACK")
                raise self._damaged(exc) from None
            except BaseException:
                self._dr_cache = None
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            if address is not None and address == self._kill_after:
                os.kill(os.getpid(), signal.SIGKILL)

    def is_built_in(self, kind: str, name: str) -> bool:
        """The lab starts empty: it ships no objects, so fabric may delete whatever it made."""
        return False

    def immutable_attributes(self, kind: str) -> frozenset[str]:
        """See `rules.IMMUTABLE`."""
        return rules.IMMUTABLE.get(kind, frozenset())

    def read_inventory(self) -> Inventory:
        """Every object in the lab."""
        with self._tx(None) as db:
            rows = db.execute("SELECT id, kind, name, attributes FROM objects").fetchall()
            posture = dr.posture(db)
        return Inventory(
            {r[0]: ObservedObject(r[0], r[1], r[2], json.loads(r[3]), posture=posture.get(r[0])) for r in rows}
        )

    def create(self, address: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        """Create after checking VMM's rules; assigns a GUID."""
        with self._tx(address) as db:
            live_id = str(uuid.uuid4())
            self._check(db, kind, attributes, None)
            made = _ON_CREATE.get(kind)
            if made is not None:
                attributes = made(self, db, attributes, live_id)
            return self._write(db, live_id, kind, attributes, insert=True)

    def update(self, address: str, live_id: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        """Update in place; immutable attributes must not change."""
        with self._tx(address) as db:
            return self._update(db, live_id, kind, attributes)

    def seed(self, seed: dr.Seed) -> tuple[int, int]:
        """Hosts and VMs from a seed (`fabric lab seed`): (hosts, VMs) written."""
        with self._tx(None, faults=False) as db:
            return dr.apply_seed(db, seed, lambda: str(uuid.uuid4()))

    def seeded(self) -> bool:
        """True once the lab holds a host or a VM."""
        with self._tx(None, faults=False) as db:
            return bool(db.execute("SELECT EXISTS (SELECT 1 FROM lab_hosts UNION SELECT 1 FROM lab_vms)").fetchone()[0])

    def hosts(self) -> list[dict[str, Any]]:
        """The lab's Hyper-V hosts."""
        with self._tx(None) as db:
            return dr.hosts(db)

    def vms(self) -> list[dict[str, Any]]:
        """The lab's VMs (primaries and replicas) with their replication posture."""
        with self._tx(None) as db:
            return dr.vms(db)

    def dr_facts(self) -> dict[str, Any]:
        """What a failover simulation reads (one transaction): hosts, VMs, replication by VM name."""
        with self._tx(None, faults=False) as db:
            grants = [(str(r[0]), str(r[1])) for r in db.execute("SELECT pool_id, address FROM ip_grants")]
            return {"hosts": dr.hosts(db), "vms": dr.vms(db), "replication": dr.replication_by_vm(db), "grants": grants}

    def dr_phases(self) -> dict[str, dict[str, str]]:
        """Protected VM live ID → where it is in a failover (phase, plan, direction, kind)."""
        with self._tx(None, faults=False) as db:
            return failover.phases(db)

    def dr_prepare(self, protected_id: str) -> None:
        """The built-in prepare_replica_network on one protected VM's replica."""
        with self._tx(None) as db:
            failover.prepare(db, protected_id)

    def dr_start(
        self, protected_id: str, plan: str, kind: str, direction: str, test_network: str | None
    ) -> dict[str, Any]:
        """Start one VM of a failing-over plan (a test copy, the replica, or the primary on failback)."""
        with self._tx(None) as db:
            return failover.start(db, protected_id, plan, kind, direction, test_network)

    def dr_cleanup(self, protected_id: str) -> bool:
        """Delete a drill's test copy of a VM; False if there was none."""
        with self._tx(None) as db:
            return failover.cleanup(db, protected_id)

    def dr_commit(self, protected_id: str) -> str:
        """Commit a VM's failover; returns its new phase."""
        with self._tx(None) as db:
            return failover.commit(db, protected_id)

    def dr_reprotect(self, protected_id: str) -> str:
        """Replicate a VM the other way (or, after failback, forward again: home)."""
        with self._tx(None) as db:
            return failover.reprotect(db, protected_id)

    def edit_vm(self, name: str, role: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Change a VM's facts as an admin (or an outage) would."""
        with self._tx(None) as db:
            return dr.edit_vm(db, name, role, changes)

    def set_replication(self, name: str, state: str, health: str) -> None:
        """Break or mend a VM's replication."""
        with self._tx(None) as db:
            dr.set_replication(db, name, state, health)

    def delete(self, address: str, live_id: str, kind: str) -> None:
        """Delete, refused while dependents exist or a pool has granted addresses."""
        with self._tx(address) as db:
            self._get(db, live_id, kind)
            users = db.execute(
                "SELECT o.kind, o.name FROM refs r JOIN objects o ON o.id = r.from_id "
                "WHERE r.to_id = ? ORDER BY o.kind, o.name",
                (live_id,),
            ).fetchall()
            if users:
                names = ", ".join(f"{k} {n!r}" for k, n in users[:5])
                raise ProviderError(f"cannot delete {kind} {live_id}: still used by {names}")
            problems = indexes.delete_problems(db, kind, live_id)
            if problems:
                name = db.execute("SELECT name FROM objects WHERE id = ?", (live_id,)).fetchone()[0]
                raise ProviderError(f"VMM refused deleting {kind} {name!r}: " + "; ".join(problems))
            grants = db.execute("SELECT COUNT(*) FROM ip_grants WHERE pool_id = ?", (live_id,)).fetchone()[0]
            if grants:
                raise ProviderError(f"cannot delete ip_pool {live_id}: {grants} address(es) granted; revoke first")
            db.execute("DELETE FROM objects WHERE id = ?", (live_id,))
            db.execute("DELETE FROM refs WHERE from_id = ?", (live_id,))
            if kind in _DR_LOOKUP:
                self._dr_cache = None
            indexes.forget(db, live_id)
            db.execute("DELETE FROM ip_grants WHERE granted_to = ?", (live_id,))  # Revoke-SCIPAddress
            if kind == "protected_vm":
                dr.unprotect(db, live_id)

    def edit(self, live_id: str, path: list[str | int], value: Any) -> ObservedObject:
        """Change one attribute as an admin would in the VMM console (same rules apply)."""
        return self.edit_many(live_id, [(path, value)])

    def edit_many(self, live_id: str, changes: list[tuple[list[str | int], Any]]) -> ObservedObject:
        """Change several attributes in one console edit: all of them, or (refused) none."""
        with self._tx(None) as db:
            kind, attrs = self._get(db, live_id, None)
            attrs = json.loads(json.dumps(attrs))
            for path, value in changes:
                node: Any = attrs
                try:
                    for step in path[:-1]:
                        node = node[step]
                    if isinstance(node, dict) and path[-1] not in node:
                        raise KeyError(path[-1])
                    node[path[-1]] = value
                except (KeyError, IndexError, TypeError):
                    raise ProviderError(f"{kind} has no attribute {'.'.join(map(str, path))}") from None
            _check_types(kind, attrs)
            return self._update(db, live_id, kind, attrs)

    def grant_ip(self, pool_id: str, granted_to: str) -> str:
        """Grant the next free address of a pool (Grant-SCIPAddress), as VM deployment would."""
        with self._tx(None) as db:
            return self._allocate(db, {"ip_pool": pool_id, "address": None}, granted_to)

    def revoke_ip(self, pool_id: str, address: str) -> str:
        """Give back an address `grant_ip` granted (Revoke-SCIPAddress); returns whom it was granted to.
        An address an `ip_grant` object holds goes with that object, so it is refused here."""
        with self._tx(None) as db:
            self._get(db, pool_id, "ip_pool")
            where = (pool_id, str(parse_range(address).start))
            row = db.execute("SELECT granted_to FROM ip_grants WHERE pool_id = ? AND address = ?", where).fetchone()
            if row is None:
                raise ProviderError(f"address {where[1]} is not granted from ip_pool {pool_id}")
            holder = db.execute("SELECT kind, name FROM objects WHERE id = ?", (row[0],)).fetchone()
            if holder is not None:
                raise ProviderError(
                    f"address {where[1]} is held by {holder[0]} {holder[1]!r} ({row[0]}); delete that object instead"
                )
            db.execute("DELETE FROM ip_grants WHERE pool_id = ? AND address = ?", where)
            return str(row[0])

    def _allocate(self, db: sqlite3.Connection, attrs: Mapping[str, Any], granted_to: str) -> str:
        pool_id = str(attrs["ip_pool"])
        _, pool = self._get(db, pool_id, "ip_pool")
        used = {r[0] for r in db.execute("SELECT address FROM ip_grants WHERE pool_id = ?", (pool_id,))}
        blocked = {str(a) for t in pool.get("reserved", []) + pool.get("vips", []) for a in _expand(t)}
        wanted = attrs.get("address")
        if wanted is not None:
            if (
                wanted in used
                or wanted in blocked
                or not parse_range(wanted).within(parse_range(f"{pool['range_start']}-{pool['range_end']}"))
            ):
                raise ProviderError(f"address {wanted} is not free in the pool's range")
            candidates: Any = [wanted]
        else:
            candidates = (str(c) for c in _expand(f"{pool['range_start']}-{pool['range_end']}"))
        for candidate in candidates:
            if candidate not in used and candidate not in blocked:
                db.execute("INSERT INTO ip_grants VALUES (?, ?, ?)", (pool_id, candidate, granted_to))
                return str(candidate)
        raise ProviderError(f"ip_pool {pool_id} has no free address")

    def _update(self, db: sqlite3.Connection, live_id: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        _, current = self._get(db, live_id, kind)
        for field in self.immutable_attributes(kind):
            if current.get(field) != attributes.get(field):
                raise ProviderError(f"{kind} attribute {field} cannot be changed once created")
        self._check(db, kind, attributes, live_id)
        if kind == "cloud" and not attributes.get("disaster_recovery_supported"):
            paired = dr.paired_clouds(db, live_id)
            if paired:
                raise ProviderError(
                    f"VMM refused cloud {attributes.get('name')!r}: DR002 disaster recovery cannot be turned off while "
                    f"cloud pairing {paired[0]!r} names it; remove the pairing first"
                )
        if kind == "protected_vm":
            dr.update_protection(db, live_id, attributes, self._dr_lookup(db), current)
        return self._write(db, live_id, kind, attributes, insert=False)

    def _get(self, db: sqlite3.Connection, live_id: str, kind: str | None) -> tuple[str, dict[str, Any]]:
        row = db.execute("SELECT kind, attributes FROM objects WHERE id = ?", (live_id,)).fetchone()
        if row is None or (kind is not None and row[0] != kind):
            raise ProviderError(f"no {kind or 'object'} with ID {live_id}")
        return row[0], json.loads(row[1])

    def _check(self, db: sqlite3.Connection, kind: str, attrs: Mapping[str, Any], self_id: str | None) -> None:
        targets = {t for _, t, _ in iter_refs(KINDS[kind].REFS, dict(attrs))}
        lookup: dict[str, tuple[str, dict[str, Any]]] = {}
        for target in targets:
            row = db.execute("SELECT kind, attributes FROM objects WHERE id = ?", (target,)).fetchone()
            if row is not None:
                lookup[target] = (row[0], json.loads(row[1]))
        problems = rules.reference_problems(kind, attrs, lookup)
        if not problems:
            problems = rules.kind_problems(kind, attrs, lookup)
        clash = None
        if names_unique(kind, attrs):
            clash = db.execute(
                "SELECT id FROM objects WHERE kind = ? AND scope = ? AND name = ? COLLATE NOCASE AND id IS NOT ?",
                (kind, scope_value(kind, dict(attrs)), attrs["name"], self_id),
            ).fetchone()
        if clash:
            problems.append(f"a {kind} named {attrs['name']!r} already exists in this scope ({clash[0]})")
        if not problems:
            problems = indexes.problems(db, kind, attrs, self_id)
        if problems:
            raise ProviderError(f"VMM refused {kind} {attrs.get('name')!r}: " + "; ".join(problems))

    def _write(
        self, db: sqlite3.Connection, live_id: str, kind: str, attributes: Mapping[str, Any], *, insert: bool
    ) -> ObservedObject:
        attrs = dict(attributes)
        scope = scope_value(kind, attrs)
        if not names_unique(kind, attrs):  # its own scope: the identity index must let the name repeat
            scope = f"{scope}/{live_id}"
        row = (kind, attrs["name"], scope, json.dumps(attrs, sort_keys=True), live_id)
        if insert:
            db.execute("INSERT INTO objects (kind, name, scope, attributes, id) VALUES (?, ?, ?, ?, ?)", row)
        else:
            db.execute("UPDATE objects SET kind = ?, name = ?, scope = ?, attributes = ? WHERE id = ?", row)
            db.execute("DELETE FROM refs WHERE from_id = ?", (live_id,))
        targets = {t for _, t, _ in iter_refs(KINDS[kind].REFS, attrs)}
        db.executemany("INSERT INTO refs VALUES (?, ?)", [(live_id, t) for t in targets])
        indexes.record(db, live_id, kind, attrs)
        if kind in _DR_LOOKUP:
            self._dr_cache = None
        return ObservedObject(live_id, kind, attrs["name"], attrs)


def _grant(lab: LabProvider, db: sqlite3.Connection, attrs: Mapping[str, Any], live_id: str) -> Mapping[str, Any]:
    """Grant-SCIPAddress: the pool hands out (or reserves) the grant's address."""
    return {**attrs, "address": lab._allocate(db, attrs, live_id)}


# what protecting a VM consults: host groups, clouds, pairings, VM networks, mappings and what carries
# VLANs to hosts (switches, uplinks, sites)
_DR_LOOKUP: tuple[str, ...] = ("host_group", "cloud", "cloud_pairing", "vm_network", "network_mapping")
_DR_LOOKUP += ("logical_switch", "uplink_port_profile", "network_site")


def _dr_objects(db: sqlite3.Connection) -> dict[str, tuple[str, dict[str, Any]]]:
    """Those objects (`_DR_LOOKUP`), by live ID."""
    rows = db.execute("SELECT id, kind, attributes FROM objects WHERE kind IN (?, ?, ?, ?, ?, ?, ?, ?)", _DR_LOOKUP)
    return {r[0]: (r[1], json.loads(r[2])) for r in rows}


def _protect(lab: LabProvider, db: sqlite3.Connection, attrs: Mapping[str, Any], live_id: str) -> Mapping[str, Any]:
    """Enable protection: the P rules, then a replica on a recovery host in initial replication."""
    dr.protect(db, attrs, live_id, lab._dr_lookup(db), lambda: str(uuid.uuid4()))
    return attrs


# What creating an object of a kind does besides writing it (one entry per kind that needs it)
_ON_CREATE: dict[str, Callable[[LabProvider, sqlite3.Connection, Mapping[str, Any], str], Mapping[str, Any]]] = {
    "ip_grant": _grant,
    "protected_vm": _protect,
}


def _env_number(name: str, high: float, unit: str) -> float:
    """The number in environment variable `name` (0 if unset), between 0 and `high`."""
    raw = os.environ.get(name, "")
    try:
        value = float(raw or 0)
    except ValueError:
        value = -1
    if not 0 <= value <= high:
        raise ProviderError(f"{name} must be {unit} between 0 and {high:g}, not {raw!r}")
    return value


def _expand(text: str) -> Iterator[Any]:
    r = parse_range(text)
    current = r.start
    while current <= r.end:  # type: ignore[operator]
        yield current
        current = current + 1
