"""The lab's Hyper-V and Site Recovery side: hosts, VMs, replication, and the runtime rules
(the P rules of `shared/docs/dr-domain.md` §4) that protecting a VM must pass.

Hosts and VMs are not desired state: they come from a seed file (`fabric lab seed`, or the lab
setting `seed:`), and `fabric lab vm` perturbs them the way an admin or an outage would. A
`protected_vm` the lab creates starts a replication relationship: a replica of the VM on a host
of the recovery cloud, in initial replication until the lab's copy rate has moved its disks.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fabric.errors import ProviderError

SCHEMA = """
CREATE TABLE IF NOT EXISTS lab_hosts (name TEXT PRIMARY KEY COLLATE NOCASE, host_group TEXT NOT NULL,
  facts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lab_vms (id TEXT PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE,
  role TEXT NOT NULL, host TEXT NOT NULL, facts TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS lab_vms_name ON lab_vms(name);
CREATE TABLE IF NOT EXISTS lab_replication (protected_id TEXT PRIMARY KEY, vm_id TEXT NOT NULL,
  replica_id TEXT NOT NULL, started REAL NOT NULL, size_gb REAL NOT NULL, state TEXT NOT NULL,
  health TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lab_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lab_load (host TEXT PRIMARY KEY COLLATE NOCASE, replicas INTEGER NOT NULL);
"""
MAX_DATA_DISKS = 16  # DR025 (Hyper-V Replica with ASR: VHD/VHDX up to 16 disks)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)  # seeds are rare


FailoverIpv4 = Literal["disabled", "enabled_empty"] | dict[str, Any]


class SeedAdapter(_Strict):
    """One network adapter of a seeded VM, as Hyper-V and VMM see it."""

    mac: str | None = None
    switch: str | None = Field(default=None, description="The Hyper-V virtual switch it is connected to.")
    vlan: Annotated[int, Field(ge=0, le=4094)] = 0
    vm_network: str | None = Field(default=None, description="The VMM VM network's name (null: not connected).")
    ip: str | None = Field(default=None, description="The guest's IPv4 address.")
    static: bool = True
    ipv6: bool = False
    failover_ipv4: FailoverIpv4 = "disabled"


class SeedVm(_Strict):
    """A VM of the seed: where it runs and what Site Recovery needs to know of it."""

    host: str
    disks_gb: list[Annotated[float, Field(gt=0)]] = Field(default_factory=lambda: [40.0])
    shared_disks: bool = False
    kvp: bool = True
    nic_teaming: bool = False
    adapters: list[SeedAdapter] = Field(default_factory=list)


class SeedHost(_Strict):
    """A Hyper-V host in a host group (a path, like Oslo/IaaS) with its virtual switches."""

    host_group: str
    switches: list[str] = Field(default_factory=list)


class Seed(_Strict):
    """A lab seed file: hosts, VMs, and how fast initial replication copies."""

    hosts: dict[str, SeedHost] = Field(default_factory=dict)
    vms: dict[str, SeedVm] = Field(default_factory=dict)
    copy_rate_gb_per_minute: Annotated[float, Field(ge=0)] = Field(
        default=0, description="Initial replication speed; 0 = complete at once."
    )


def ensure(db: sqlite3.Connection) -> None:
    """Create the tables (a replica count per host filled from the replicas of an older lab)."""
    counted = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'lab_load'").fetchone() is not None
    db.executescript(SCHEMA)
    if not counted:
        db.execute(
            "INSERT OR IGNORE INTO lab_load SELECT host, COUNT(*) FROM lab_vms WHERE role = 'replica' GROUP BY host"
        )


def apply_seed(db: sqlite3.Connection, seed: Seed, new_id: Any) -> tuple[int, int]:
    """Hosts and primary VMs as the seed says (by name; replicas are the lab's own); (hosts, VMs)."""
    declared = {h.casefold() for h in seed.hosts}
    for name, vm in seed.vms.items():
        if vm.host.casefold() not in declared and not _host(db, vm.host):
            raise ProviderError(f"seed: VM {name!r} runs on host {vm.host!r}, which the seed does not declare")
    db.executemany(
        "INSERT INTO lab_hosts VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET host_group = excluded.host_group, "
        "facts = excluded.facts",
        [(name, host.host_group, json.dumps({"switches": host.switches})) for name, host in seed.hosts.items()],
    )
    # names compare case-insensitively (the column is NOCASE): a seed names each VM once that way
    primaries = {n.casefold(): i for i, n in db.execute("SELECT id, name FROM lab_vms WHERE role = 'primary'")}
    added, changed = [], []
    dumped = seed.model_dump(mode="json", include={"vms"})["vms"]  # one call: far cheaper than one per VM
    for name, vm in dumped.items():
        host = vm.pop("host")
        facts = json.dumps(vm)
        known = primaries.get(name.casefold())
        if known is None:
            added.append((new_id(), name, host, facts))
        else:
            changed.append((host, facts, known))
    db.executemany("INSERT INTO lab_vms VALUES (?, ?, 'primary', ?, ?)", added)
    db.executemany("UPDATE lab_vms SET host = ?, facts = ? WHERE id = ?", changed)
    _rebase(db, seed.copy_rate_gb_per_minute)
    db.execute(
        "INSERT INTO lab_settings VALUES ('copy_rate', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(seed.copy_rate_gb_per_minute),),
    )
    return len(seed.hosts), len(seed.vms)


def _rate(db: sqlite3.Connection) -> float:
    row = db.execute("SELECT value FROM lab_settings WHERE key = 'copy_rate'").fetchone()
    return float(row[0]) if row else 0.0


def _done(now: float, started: float, size: float, rate: float) -> float:
    """The share of an initial replication copied by `now` (1 = complete)."""
    return 1.0 if rate <= 0 or size <= 0 else min(1.0, (now - started) / 60 * rate / size)


def _rebase(db: sqlite3.Connection, rate: float) -> None:
    """A new copy rate goes on from where each initial replication is (a finished one stays finished)."""
    old, now = _rate(db), time.time()
    if rate == old or rate <= 0:
        return
    rows = db.execute("SELECT protected_id, started, size_gb FROM lab_replication").fetchall()
    for protected_id, started, size in rows:
        share = _done(now, started, size, old)
        db.execute(
            "UPDATE lab_replication SET started = ? WHERE protected_id = ?",
            (now - share * size / rate * 60, protected_id),
        )


def _host(db: sqlite3.Connection, name: str) -> tuple[str, dict[str, Any]] | None:
    row = db.execute("SELECT host_group, facts FROM lab_hosts WHERE name = ?", (name,)).fetchone()
    return (row[0], json.loads(row[1])) if row else None


def hosts(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every host: name, host group path, switches."""
    rows = db.execute("SELECT name, host_group, facts FROM lab_hosts ORDER BY name").fetchall()
    return [{"name": r[0], "host_group": r[1], **json.loads(r[2])} for r in rows]


def vms(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every VM (primaries, replicas): id, name, role, host and its facts."""
    rows = db.execute("SELECT id, name, role, host, facts FROM lab_vms ORDER BY name, role, id").fetchall()
    return [{"id": r[0], "name": r[1], "role": r[2], "host": r[3], **json.loads(r[4])} for r in rows]


def edit_vm(db: sqlite3.Connection, name: str, role: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Change a VM's facts (a perturbation: an adapter on the wrong switch, failover IP enabled and
    empty, a host gone); returns the VM."""
    row = db.execute("SELECT id, host, facts FROM lab_vms WHERE name = ? AND role = ?", (name, role)).fetchone()
    if row is None:
        raise ProviderError(f"the lab has no {role} VM named {name!r}")
    facts = {**json.loads(row[2]), "host": row[1]}
    for path, value in changes.items():
        node: Any = facts
        steps: list[str | int] = [int(p) if p.isdigit() else p for p in path.split(".")]
        try:
            for step in steps[:-1]:
                node = node[step]
            if isinstance(node, dict) and steps[-1] not in node:
                raise KeyError(steps[-1])
            node[steps[-1]] = value
        except (KeyError, IndexError, TypeError):
            raise ProviderError(f"VM {name!r} has no fact {path}") from None
    host = str(facts.pop("host"))
    try:
        checked = SeedVm.model_validate({**facts, "host": host})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']} (got {e.get('input')!r})" for e in exc.errors()
        )
        raise ProviderError(f"VM {name!r}: {problems}") from None
    if _host(db, host) is None:
        raise ProviderError(f"VM {name!r}: the lab has no host {host!r}")
    db.execute(
        "UPDATE lab_vms SET host = ?, facts = ? WHERE id = ?",
        (host, json.dumps(checked.model_dump(mode="json", exclude={"host"})), row[0]),
    )
    if role == "replica" and host.casefold() != str(row[1]).casefold():  # a replica moved: its host's load
        _count(db, str(row[1]), -1)
        _count(db, host, +1)
    return {"name": name, "role": role, "host": host, **checked.model_dump(mode="json", exclude={"host"})}


def set_replication(db: sqlite3.Connection, name: str, state: str, health: str) -> None:
    """Break (or mend) the replication of a protected VM, as a failed link or host would."""
    row = db.execute(
        "SELECT r.protected_id FROM lab_replication r JOIN lab_vms v ON v.id = r.vm_id WHERE v.name = ?", (name,)
    ).fetchone()
    if row is None:
        raise ProviderError(f"VM {name!r} is not replicating in the lab")
    db.execute("UPDATE lab_replication SET state = ?, health = ? WHERE protected_id = ?", (state, health, row[0]))


Lookup = Mapping[str, tuple[str, Mapping[str, Any]]]


def _group_paths(objects: Mapping[str, tuple[str, Mapping[str, Any]]]) -> dict[str, str]:
    """Host group live ID → its path (Oslo/IaaS)."""
    out: dict[str, str] = {}

    def path(live_id: str, depth: int = 0) -> str:
        if live_id in out:
            return out[live_id]
        _, attrs = objects.get(live_id, ("", {}))
        parent = attrs.get("parent")
        here = str(attrs.get("name", ""))
        full = f"{path(str(parent), depth + 1)}/{here}" if parent and depth < 64 else here
        out[live_id] = full
        return full

    for live_id, (kind, _) in objects.items():
        if kind == "host_group":
            path(live_id)
    return out


def _inside(group: str, tops: list[str]) -> bool:
    return any(group.casefold() == t.casefold() or group.casefold().startswith(t.casefold() + "/") for t in tops)


def protect(db: sqlite3.Connection, attrs: Mapping[str, Any], live_id: str, objects: Lookup, new_id: Any) -> None:
    """Enable protection of the VM `attrs` names (ProviderError with every P rule it breaks)."""
    name = str(attrs["vm"])
    rows = db.execute("SELECT id, host, facts FROM lab_vms WHERE name = ? AND role = 'primary'", (name,)).fetchall()
    if not rows:
        raise ProviderError(f"VMM refused protecting {name!r}: the lab has no VM named {name!r} (fabric lab seed)")
    if len(rows) > 1:
        raise ProviderError(f"VMM refused protecting {name!r}: DR026 {len(rows)} primary VMs share that name")
    vm_id, host_name, facts = rows[0][0], rows[0][1], json.loads(rows[0][2])
    if db.execute("SELECT 1 FROM lab_replication WHERE vm_id = ?", (vm_id,)).fetchone() is not None:
        raise ProviderError(
            f"VMM refused protecting {name!r}: it is replicating already (DR036: a VM is protected once)"
        )
    pairing = objects[str(attrs["pairing"])][1]
    primary, recovery = objects[str(pairing["primary_cloud"])][1], objects[str(pairing["recovery_cloud"])][1]
    paths = _group_paths(objects)
    problems = _vm_problems(facts, attrs) + _network_problems(facts, attrs, objects)
    host = _host(db, host_name)
    primary_groups = [paths.get(str(g), "") for g in primary.get("host_groups", [])]
    if host is None or not _inside(host[0], primary_groups):
        where = host[0] if host else "no known host"
        problems.append(f"its host {host_name} ({where}) is not in the primary cloud {primary.get('name')!r}")
    replica_host = _placement(db, recovery, paths, attrs, objects, facts)
    if isinstance(replica_host, str) and replica_host.startswith("!"):
        problems.append(replica_host[1:])
    if problems:
        raise ProviderError(f"VMM refused protecting {name!r}: " + "; ".join(problems))
    replica_facts = {**facts, "adapters": _replica_adapters(facts, attrs)}
    replica_id = new_id()
    row = (replica_id, name, replica_host, json.dumps(replica_facts))
    db.execute("INSERT INTO lab_vms VALUES (?, ?, 'replica', ?, ?)", row)
    _count(db, replica_host, +1)
    size = float(sum(facts.get("disks_gb") or [0]))
    db.execute(
        "INSERT INTO lab_replication VALUES (?, ?, ?, ?, ?, 'Replicating', 'Normal')",
        (live_id, vm_id, replica_id, time.time(), size),
    )


def _vm_problems(facts: Mapping[str, Any], attrs: Mapping[str, Any]) -> list[str]:
    """DR025 (shared disks, disk count, teaming, IPv6), DR013 (failover_ip needs KVP), declared slots."""
    out = []
    if facts.get("shared_disks"):
        out.append("DR025 it uses shared disks, which Site Recovery cannot replicate")
    if len(facts.get("disks_gb") or []) > MAX_DATA_DISKS:
        out.append(f"DR025 it has {len(facts['disks_gb'])} disks; at most {MAX_DATA_DISKS}")
    if facts.get("nic_teaming"):
        out.append("DR025 guest NIC teaming is not supported")
    adapters = facts.get("adapters") or []
    declared = {int(a["adapter"]): a for a in attrs.get("adapters") or []}
    for slot, adapter in enumerate(adapters):
        if adapter.get("ipv6"):
            out.append(f"DR025 adapter {slot} uses IPv6, which is not supported")
        mode = declared.get(slot, {}).get("mode", "mapped")
        if mode == "failover_ip" and not facts.get("kvp", True):
            out.append(f"DR013 adapter {slot}: failover_ip needs the guest's KVP data exchange, which is off")
    for slot in declared:
        if slot >= len(adapters):
            out.append(f"adapter {slot} is declared, and the VM has {len(adapters)} adapter(s)")
    return out


def _network_problems(facts: Mapping[str, Any], attrs: Mapping[str, Any], objects: Lookup) -> list[str]:
    """DR007 in the lab: each mapped adapter's VM network (as the VM really is connected) has a
    mapping serving the pairing; a declared `vm_network` is the one the adapter is on."""
    out = []
    declared = {int(a["adapter"]): a for a in attrs.get("adapters") or []}
    mappings = [m for kind, m in objects.values() if kind == "network_mapping"]
    for slot, adapter in enumerate(facts.get("adapters") or []):
        intent = declared.get(slot, {})
        actual = str(adapter.get("vm_network") or "")
        named = (
            objects.get(str(intent.get("vm_network")), ("", {}))[1].get("name") if intent.get("vm_network") else None
        )
        if named is not None and named.casefold() != actual.casefold():
            out.append(f"adapter {slot} is on VM network {actual or '(none)'!r}, and the code says {named!r}")
        if intent.get("mode", "mapped") != "mapped" or not actual:
            continue
        serving = [
            m
            for m in mappings
            if objects.get(str(m.get("primary_vm_network")), ("", {}))[1].get("name", "").casefold()
            == actual.casefold()
            and (not m.get("pairings") or attrs.get("pairing") in m.get("pairings", []))
        ]
        if not serving:
            out.append(
                f"DR007 adapter {slot} is on VM network {actual!r}, which no network mapping of this pairing maps: "
                "the replica would be connected to no network"
            )
    return out


def _placement(
    db: sqlite3.Connection,
    recovery: Mapping[str, Any],
    paths: Mapping[str, str],
    attrs: Mapping[str, Any],
    objects: Lookup,
    facts: Mapping[str, Any],
) -> str:
    """The recovery host for a replica: in the recovery cloud, with every keep_ip switch and each
    keep_ip VLAN reachable through it, holding the fewest replicas (by name on a tie); `!reason` if
    there is none (DR011)."""
    groups = [paths.get(str(g), "") for g in recovery.get("host_groups", [])]
    keep = [a for a in attrs.get("adapters") or [] if a.get("mode") == "keep_ip"]
    needed = {str(a["switch"]) for a in keep if a.get("switch")}
    vlans = set(_keep_ip_vlans(keep, facts))
    candidates = [h for h in hosts(db) if _inside(h["host_group"], groups)]
    if not candidates:
        return f"!the recovery cloud {recovery.get('name')!r} has no Hyper-V host"
    fit = [h for h in candidates if _has(h, needed)]
    if not fit:
        return f"!DR011 no host of the recovery cloud has virtual switch {', '.join(sorted(needed))}"
    if vlans:
        reach = {h["name"]: reachable_vlans(h, objects, paths) for h in fit}
        fit = [h for h in fit if vlans <= reach[h["name"]]]
        if not fit:
            return (
                f"!DR011 VLAN {', '.join(map(str, sorted(vlans)))} reaches no host of the recovery cloud: put the "
                f"network site holding it on an uplink port profile of logical switch {', '.join(sorted(needed))} "
                "(the site scoped to the recovery host group)"
            )
    # a count per host kept as replicas come and go: counting them here would make protection O(n²)
    load = dict(db.execute("SELECT host, replicas FROM lab_load").fetchall())
    return str(min(fit, key=lambda h: (load.get(h["name"], 0), h["name"]))["name"])


def _keep_ip_vlans(keep: list[Mapping[str, Any]], facts: Mapping[str, Any]) -> list[int]:
    """The VLAN each keep_ip adapter needs at the recovery hosts: declared, else the one the VM's
    adapter is on (its stretched VLAN)."""
    adapters = facts.get("adapters") or []
    out = []
    for a in keep:
        if a.get("vlan") is not None:
            out.append(int(a["vlan"]))
        elif int(a["adapter"]) < len(adapters):
            out.append(int(adapters[int(a["adapter"])].get("vlan") or 0))
    return out


def reachable_vlans(host: Mapping[str, Any], objects: Lookup, paths: Mapping[str, str]) -> set[int]:
    """The VLANs a host's virtual switches carry: each switch named like a logical switch reaches
    the subnets' VLANs of its uplink port profiles' network sites scoped to the host's host group
    or above it (a switch no logical switch names reaches none)."""
    switches = {s.casefold() for s in host.get("switches", [])}
    group = str(host.get("host_group", "")).casefold()
    out: set[int] = set()
    for kind, switch in objects.values():
        if kind != "logical_switch" or str(switch.get("name", "")).casefold() not in switches:
            continue
        for uplink_id in switch.get("uplink_port_profiles") or []:
            uplink = objects.get(str(uplink_id), ("", {}))[1]
            for site_id in uplink.get("network_sites") or []:
                site = objects.get(str(site_id), ("", {}))[1]
                scoped = [paths.get(str(g), "").casefold() for g in site.get("host_groups") or []]
                if any(group == s or group.startswith(s + "/") for s in scoped if s):
                    out |= {int(pair.get("vlan") or 0) for pair in site.get("subnets") or []}
    return out


def _has(host: Mapping[str, Any], switches: set[str]) -> bool:
    have = {s.casefold() for s in host.get("switches", [])}
    return all(s.casefold() in have for s in switches)


def _replica_adapters(facts: Mapping[str, Any], attrs: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The replica's adapters as enabling protection leaves them: the failover TCP/IP setting of a
    failover_ip adapter is the declared one; the others keep the primary's setting."""
    declared = {int(a["adapter"]): a for a in attrs.get("adapters") or []}
    out = []
    for slot, adapter in enumerate(facts.get("adapters") or []):
        intent = declared.get(slot, {})
        copy = dict(adapter)
        if intent.get("mode") == "failover_ip":
            copy["failover_ipv4"] = dict(intent.get("failover_ip") or {})
        out.append(copy)
    return out


def _intents(attrs: Mapping[str, Any]) -> dict[int, tuple[Any, ...]]:
    """Each adapter's recovery intent as the runtime rules see it (a reference cleared while its
    object is replaced is no change of intent)."""
    return {
        int(a["adapter"]): (a.get("mode", "mapped"), a.get("switch"), a.get("vlan"))
        for a in attrs.get("adapters") or []
    }


def update_protection(
    db: sqlite3.Connection, live_id: str, attrs: Mapping[str, Any], objects: Lookup, current: Mapping[str, Any]
) -> None:
    """Adapter settings changed in place: when an adapter's intent changes, the same rules as
    protecting (the VM's networks, its replica's host having every keep_ip switch and VLAN); then
    the replica's failover settings follow."""
    row = db.execute(
        "SELECT v.facts, r.replica_id FROM lab_replication r JOIN lab_vms v ON v.id = r.vm_id WHERE r.protected_id = ?",
        (live_id,),
    ).fetchone()
    if row is None:
        return
    facts = json.loads(row[0])
    problems = _vm_problems(facts, attrs)
    replica = db.execute("SELECT host, facts FROM lab_vms WHERE id = ?", (row[1],)).fetchone()
    changed = _intents(attrs) != _intents(current)
    if changed:
        problems += _network_problems(facts, attrs, objects)
    if replica is not None and changed:
        host = next((h for h in hosts(db) if h["name"].casefold() == str(replica[0]).casefold()), None)
        keep = [a for a in attrs.get("adapters") or [] if a.get("mode") == "keep_ip"]
        switches = {str(a["switch"]) for a in keep if a.get("switch")}
        vlans = set(_keep_ip_vlans(keep, facts))
        paths = _group_paths(objects)
        if host is None or not _has(host, switches) or not vlans <= reachable_vlans(host, objects, paths):
            problems.append(
                f"DR011 its replica's host {replica[0]} lacks switch {', '.join(sorted(switches)) or '-'} or VLAN "
                f"{', '.join(map(str, sorted(vlans))) or '-'} (the replica stays where it is: protect it anew)"
            )
    if problems:
        raise ProviderError(f"VMM refused changing the protection of {attrs.get('vm')!r}: " + "; ".join(problems))
    if replica is not None:
        updated = {**json.loads(replica[1]), "adapters": _replica_adapters(facts, attrs)}
        db.execute("UPDATE lab_vms SET facts = ? WHERE id = ?", (json.dumps(updated), row[1]))


def unprotect(db: sqlite3.Connection, live_id: str) -> None:
    """Disable protection: the replication and the replica VM go."""
    row = db.execute(
        "SELECT r.replica_id, v.host FROM lab_replication r JOIN lab_vms v ON v.id = r.replica_id "
        "WHERE r.protected_id = ?",
        (live_id,),
    ).fetchone()
    if row is not None:
        db.execute("DELETE FROM lab_vms WHERE id = ?", (row[0],))
        _count(db, row[1], -1)
        db.execute("DELETE FROM lab_replication WHERE protected_id = ?", (live_id,))


def _count(db: sqlite3.Connection, host: str, by: int) -> None:
    db.execute(
        "INSERT INTO lab_load VALUES (?, ?) ON CONFLICT(host) DO UPDATE SET replicas = replicas + excluded.replicas",
        (host, by),
    )


def posture(db: sqlite3.Connection, now: float | None = None) -> dict[str, dict[str, Any]]:
    """Protected VM live ID → its observed posture: state, health, initial replication progress,
    the replica's host, and where it is in a failover (`failover`: phase, plan, kind). Neither
    desired nor drift."""
    rate = _rate(db)
    now = time.time() if now is None else now
    out = {}
    rows = db.execute(
        "SELECT r.protected_id, r.started, r.size_gb, r.state, r.health, v.host FROM lab_replication r "
        "JOIN lab_vms v ON v.id = r.replica_id"
    ).fetchall()
    moved = (
        {
            r[0]: {"phase": r[1], "plan": r[2], "kind": r[3]}
            for r in db.execute("SELECT protected_id, phase, plan, kind FROM lab_failover")
        }
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'lab_failover'").fetchone()
        else {}
    )
    for protected_id, started, size, state, health, replica_host in rows:
        done = int(_done(now, started, size, rate) * 100)
        shown = state if done >= 100 or state != "Replicating" else "InitialReplication"
        out[protected_id] = {
            "state": shown,
            "health": health,
            "initial_replication_percent": done,
            "replica_host": replica_host,
        }
        if protected_id in moved:
            out[protected_id]["failover"] = moved[protected_id]
    return out


def replication_by_vm(db: sqlite3.Connection, now: float | None = None) -> dict[str, dict[str, Any]]:
    """Each replicating VM's name → its posture (as `posture` gives it, keyed by the VM)."""
    by_id = posture(db, now)
    query = "SELECT r.protected_id, v.name FROM lab_replication r JOIN lab_vms v ON v.id = r.vm_id"
    rows = db.execute(query).fetchall()
    return {name: by_id[pid] for pid, name in rows if pid in by_id}


def paired_clouds(db: sqlite3.Connection, cloud_id: str) -> list[str]:
    """The names of the pairings that name a cloud (DR002: its DR flag cannot go while they exist)."""
    rows = db.execute(
        "SELECT o.name FROM refs r JOIN objects o ON o.id = r.from_id WHERE r.to_id = ? AND o.kind = 'cloud_pairing'",
        (cloud_id,),
    ).fetchall()
    return [r[0] for r in rows]
