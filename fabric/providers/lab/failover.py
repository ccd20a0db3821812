"""Failovers in the lab, for real: test VMs started beside the replicas, replicas taking over,
commit, reverse replication, failback — worked out from the lab's own objects (network mappings,
VM networks, IP pools and their grants, hosts and the VLANs their switches reach), not from the
simulator, so a drill can check the simulation's predictions.

Each protected VM in a failover has a row in `lab_failover`: its phase (`test`, `failed_over`,
`committed`, `reprotected`; back to no row when it is home and replicating forward again), the
plan that moved it, the direction, and the replica's facts before the failover (restored when the
round trip ends). Addresses the failover takes from pools are grants held by `dr:<protected ID>`,
given back by cleanup and by the end of a round trip.
"""

from __future__ import annotations

import ipaddress
import json
import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from fabric.errors import ProviderError
from fabric.providers.lab import dr

SCHEMA = """
CREATE TABLE IF NOT EXISTS lab_failover (protected_id TEXT PRIMARY KEY, plan TEXT NOT NULL, phase TEXT NOT NULL,
  direction TEXT NOT NULL, kind TEXT NOT NULL, saved TEXT NOT NULL);
"""
APIPA = "169.254.x.x"
Objects = Mapping[str, tuple[str, Mapping[str, Any]]]


def ensure(db: sqlite3.Connection) -> None:
    """Create the table."""
    db.executescript(SCHEMA)


def objects(db: sqlite3.Connection) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every lab object by live ID (a failover is rare: one read of all)."""
    return {r[0]: (r[1], json.loads(r[2])) for r in db.execute("SELECT id, kind, attributes FROM objects")}


def phases(db: sqlite3.Connection) -> dict[str, dict[str, str]]:
    """Protected VM live ID → its failover row (phase, plan, direction, kind)."""
    rows = db.execute("SELECT protected_id, plan, phase, direction, kind FROM lab_failover").fetchall()
    return {r[0]: {"plan": r[1], "phase": r[2], "direction": r[3], "kind": r[4]} for r in rows}


def _vm_rows(db: sqlite3.Connection, protected_id: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(primary facts with host, replica facts with host, replica ID) of a protected VM."""
    row = db.execute(
        "SELECT p.host, p.facts, r.host, r.facts, r.id FROM lab_replication x JOIN lab_vms p ON p.id = x.vm_id "
        "JOIN lab_vms r ON r.id = x.replica_id WHERE x.protected_id = ?",
        (protected_id,),
    ).fetchone()
    if row is None:
        raise ProviderError(f"protected VM {protected_id} is not replicating in the lab")
    return {**json.loads(row[1]), "host": row[0]}, {**json.loads(row[3]), "host": row[2]}, str(row[4])


def prepare(db: sqlite3.Connection, protected_id: str) -> None:
    """The built-in prepare_replica_network on one replica: each keep_ip adapter on its declared
    switch and VLAN (else the primary's), failover TCP/IP cleared."""
    row = db.execute("SELECT attributes FROM objects WHERE id = ?", (protected_id,)).fetchone()
    attrs = json.loads(row[0]) if row else {}
    primary, replica, replica_id = _vm_rows(db, protected_id)
    adapters = [dict(a) for a in replica.get("adapters") or []]
    for intent in attrs.get("adapters") or []:
        slot = int(intent["adapter"])
        if intent.get("mode") != "keep_ip" or slot >= len(adapters):
            continue
        if intent.get("switch"):
            adapters[slot]["switch"] = intent["switch"]
        source = (primary.get("adapters") or [{}])[slot] if slot < len(primary.get("adapters") or []) else {}
        adapters[slot]["vlan"] = intent["vlan"] if intent.get("vlan") is not None else source.get("vlan", 0)
        adapters[slot]["failover_ipv4"] = "disabled"
    facts = {k: v for k, v in replica.items() if k != "host"}
    db.execute("UPDATE lab_vms SET facts = ? WHERE id = ?", (json.dumps({**facts, "adapters": adapters}), replica_id))


def _held(db: sqlite3.Connection, objs: Objects, pool: Mapping[str, Any]) -> set[str]:
    """Every address a lab VM holds on a VM network the pool serves (its own VM network, or those
    with a subnet on its network site, and the no-isolation ones of the site's logical network)."""
    if pool.get("vm_network"):
        served = {str(pool["vm_network"])}
    else:
        site = objs.get(str(pool.get("network_site")), ("", {}))[1]
        served = {
            i
            for i, (k, a) in objs.items()
            if k == "vm_network"
            and (
                any(s.get("network_site") == pool.get("network_site") for s in a.get("subnets") or [])
                or (a.get("isolation") == "no_isolation" and a.get("logical_network") == site.get("logical_network"))
            )
        }
    names = {str(objs[i][1].get("name", "")).casefold() for i in served}
    out = set()
    for (facts,) in db.execute("SELECT facts FROM lab_vms"):
        for a in json.loads(facts).get("adapters") or []:
            if a.get("ip") and str(a.get("vm_network") or "").casefold() in names:
                out.add(str(a["ip"]))
    return out


def _addresses(spec: str) -> Iterator[int]:
    try:
        if "-" in spec:
            first, last = (int(ipaddress.ip_address(p.strip())) for p in spec.split("-", 1))
            yield from range(first, last + 1)
        else:
            yield int(ipaddress.ip_address(spec))
    except ValueError:
        return


def _allocate(
    db: sqlite3.Connection, objs: Objects, pool_id: str, pool: Mapping[str, Any], wanted: str | None, holder: str
) -> str:
    """The address a pool gives the failed-over adapter: `wanted` if the range holds it and nobody
    does, else the lowest free one; granted to `holder`. ProviderError if the pool is full."""
    granted = {r[0] for r in db.execute("SELECT address FROM ip_grants WHERE pool_id = ?", (pool_id,))}
    blocked = {v for spec in [*pool.get("reserved", []), *pool.get("vips", [])] for v in _addresses(str(spec))}
    taken = granted | _held(db, objs, pool)
    first, last = int(ipaddress.ip_address(pool["range_start"])), int(ipaddress.ip_address(pool["range_end"]))

    def free(value: int) -> bool:
        return first <= value <= last and value not in blocked and str(ipaddress.ip_address(value)) not in taken

    chosen = None
    if wanted is not None:
        try:
            value = int(ipaddress.ip_address(wanted))
            chosen = value if free(value) else None
        except ValueError:
            chosen = None
    if chosen is None:
        chosen = next((v for v in range(first, last + 1) if free(v)), None)
    if chosen is None:
        raise ProviderError(f"ip_pool {pool.get('name')!r} has no free address")
    address = str(ipaddress.ip_address(chosen))
    db.execute("INSERT INTO ip_grants VALUES (?, ?, ?)", (pool_id, address, holder))
    return address


def _network_id(objs: Objects, name: str | None) -> str | None:
    if not name:
        return None
    return next(
        (i for i, (k, a) in objs.items() if k == "vm_network" and str(a.get("name", "")).casefold() == name.casefold()),
        None,
    )


def _subnet_of(net: Mapping[str, Any], address: str | None) -> str | None:
    if not address:
        return None
    try:
        value = ipaddress.ip_address(address)
    except ValueError:
        return None
    for s in net.get("subnets") or []:
        try:
            if s.get("subnet") and value in ipaddress.ip_network(s["subnet"], strict=False):
                return str(s.get("name"))
        except ValueError:
            continue
    return None


def _pool_for(objs: Objects, network_id: str, subnet: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]] | None:
    """The pool VMM allocates from on a VM network's subnet: one on that VM subnet, else one on its
    network site with the same subnet."""
    for i, (k, a) in objs.items():
        if k == "ip_pool" and a.get("vm_network") == network_id and a.get("vm_subnet") in (None, subnet.get("name")):
            return i, a
    for i, (k, a) in objs.items():
        if k != "ip_pool" or not subnet.get("network_site") or a.get("network_site") != subnet.get("network_site"):
            continue
        try:
            if ipaddress.ip_network(str(a.get("subnet")), strict=False) == ipaddress.ip_network(
                str(subnet.get("subnet")), strict=False
            ):
                return i, a
        except ValueError:
            continue
    return None


def _unisolated_pool(
    objs: Objects, net: Mapping[str, Any], where: tuple[str, Mapping[str, str]], address: str | None
) -> tuple[str, Mapping[str, Any]] | None:
    found = []
    for i, (k, a) in objs.items():
        site = objs.get(str(a.get("network_site")), ("", {}))[1] if k == "ip_pool" else {}
        scoped = [where[1].get(str(g), "") for g in site.get("host_groups") or []]
        if (
            k == "ip_pool"
            and site.get("logical_network") == net.get("logical_network")
            and dr._inside(where[0], scoped)
        ):
            found.append((i, a))

    def holds(pool: Mapping[str, Any]) -> bool:
        try:
            return address is not None and ipaddress.ip_address(address) in ipaddress.ip_network(
                str(pool.get("subnet")), strict=False
            )
        except ValueError:
            return False

    found.sort(key=lambda p: not holds(p[1]))
    return found[0] if found else None


def _connect(
    db: sqlite3.Connection,
    objs: Objects,
    network_id: str,
    source: Mapping[str, Any],
    mode: str,
    holder: str,
    source_network: Mapping[str, Any] | None,
    where: tuple[str, Mapping[str, str]] = ("", {}),
) -> dict[str, Any]:
    """An adapter connected to VM network `network_id`: DHCP, the address it can keep, or one from
    the subnet's pool (a no-isolation network's: its logical network's pool at the host's group,
    `where` = (host group path, host group paths by ID))."""
    net = objs[network_id][1]
    subnets = net.get("subnets") or []
    wanted_name = _subnet_of(source_network, source.get("ip")) if source_network else None
    subnet = next((s for s in subnets if wanted_name and s.get("name") == wanted_name), subnets[0] if subnets else None)
    out = {"vm_network": net.get("name"), "switch": None, "vlan": subnet.get("vlan") if subnet else None}
    if source.get("failover_ipv4") == "enabled_empty":
        return {**out, "ip": APIPA, "rule": "APIPA"}
    if mode == "dhcp" or not source.get("static", True):
        return {**out, "ip": None, "rule": "DHCP"}
    pool = _pool_for(objs, network_id, subnet) if subnet else None
    if pool is None and not subnets and where[0]:
        pool = _unisolated_pool(objs, net, where, source.get("ip"))
    if pool is None:
        return {**out, "ip": None, "rule": "allocation fails"}
    try:
        address = _allocate(db, objs, pool[0], pool[1], source.get("ip"), holder)
    except ProviderError:
        return {**out, "ip": None, "rule": "allocation fails"}
    return {**out, "ip": address, "rule": "kept" if address == source.get("ip") else "new"}


def _adapter_outcome(  # noqa: PLR0913 - the lab's whole view of one adapter's failover, one outcome each
    db: sqlite3.Connection,
    objs: Objects,
    paths: Mapping[str, str],
    protected: Mapping[str, Any],
    primary: Mapping[str, Any],
    replica: Mapping[str, Any],
    slot: int,
    kind: str,
    test_network: str | None,
    holder: str,
) -> dict[str, Any]:
    source = (primary.get("adapters") or [])[slot]
    on_replica = (replica.get("adapters") or [])[slot] if slot < len(replica.get("adapters") or []) else source
    intent = next((a for a in protected.get("adapters") or [] if int(a["adapter"]) == slot), {"mode": "mapped"})
    mode = str(intent.get("mode", "mapped"))
    effective = {**source, "failover_ipv4": on_replica.get("failover_ipv4", "disabled")}
    source_network_id = _network_id(objs, source.get("vm_network"))
    source_network = objs[source_network_id][1] if source_network_id else None
    if kind == "test":  # on the test network's subnet (the one holding the address, else the first)
        outcome = _test_outcome(db, objs, slot, source, effective, mode, test_network, holder)
        if outcome.get("vm_network") and test_network:
            outcome.update(switch=None, vlan=_test_vlan(objs[test_network][1], source.get("ip")))
        else:
            outcome.update(switch=None, vlan=None)
        return outcome
    return _outcome_at_recovery(
        db,
        objs,
        paths,
        protected,
        primary,
        replica,
        slot,
        intent,
        mode,
        effective,
        source,
        on_replica,
        source_network_id,
        source_network,
        holder,
    )


def _test_vlan(net: Mapping[str, Any], address: str | None) -> Any:
    held = _subnet_of(net, address)
    subnets = net.get("subnets") or []
    chosen = next((x for x in subnets if held and x.get("name") == held), subnets[0] if subnets else None)
    return chosen.get("vlan") if chosen else None


def _test_outcome(
    db: sqlite3.Connection,
    objs: Objects,
    slot: int,
    source: Mapping[str, Any],
    effective: Mapping[str, Any],
    mode: str,
    test_network: str | None,
    holder: str,
) -> dict[str, Any]:
    """A test VM's adapter: on the test network (its address kept where that network carries it
    and nobody holds it there), or on nothing."""
    if effective.get("failover_ipv4") == "enabled_empty":  # connected to the test network, no address
        shown = objs[test_network][1].get("name") if test_network else None
        return {"slot": slot, "ip": APIPA, "vm_network": shown, "rule": "APIPA"}
    if test_network is None:
        return {"slot": slot, "ip": None, "vm_network": None, "rule": "not connected"}
    net = objs[test_network][1]
    in_use = source.get("ip") in _held(db, objs, {"vm_network": test_network})
    if mode != "dhcp" and source.get("static", True) and _subnet_of(net, source.get("ip")) and not in_use:
        return {"slot": slot, "ip": source.get("ip"), "vm_network": net.get("name"), "rule": "kept"}
    if in_use and mode == "keep_ip":  # the guest keeps its static address, which the primary holds
        return {"slot": slot, "ip": source.get("ip"), "vm_network": net.get("name"), "rule": "conflict"}
    return {"slot": slot, **_connect(db, objs, test_network, effective, mode, holder, None)}


def _outcome_at_recovery(  # noqa: PLR0913 - the lab's whole view of one adapter's failover
    db: sqlite3.Connection,
    objs: Objects,
    paths: Mapping[str, str],
    protected: Mapping[str, Any],
    primary: Mapping[str, Any],
    replica: Mapping[str, Any],
    slot: int,
    intent: Mapping[str, Any],
    mode: str,
    effective: Mapping[str, Any],
    source: Mapping[str, Any],
    on_replica: Mapping[str, Any],
    source_network_id: str | None,
    source_network: Mapping[str, Any] | None,
    holder: str,
) -> dict[str, Any]:
    """A replica's adapter after a planned or unplanned failover."""
    if mode == "keep_ip":
        return {"slot": slot, **_keep_ip(objs, paths, db, intent, source, on_replica, str(replica["host"]))}
    mapping = _mapping(objs, source_network_id, str(protected.get("pairing")))
    if mode == "failover_ip":
        return _failover_ip(objs, slot, mapping, on_replica, source, source_network)
    if source_network_id is None or mapping is None:
        return {"slot": slot, "ip": None, "vm_network": None, "rule": "not connected"}
    target = str(objs[mapping][1].get("recovery_vm_network"))
    host = next((h for h in dr.hosts(db) if h["name"].casefold() == str(replica["host"]).casefold()), None)
    where = (str(host["host_group"]) if host else "", paths)
    return {"slot": slot, **_connect(db, objs, target, effective, mode, holder, source_network, where)}


def _failover_ip(
    objs: Objects,
    slot: int,
    mapping: str | None,
    on_replica: Mapping[str, Any],
    source: Mapping[str, Any],
    source_network: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The replica's failover TCP/IP gives the address; the mapped VM network, if any, the
    network and its subnet's VLAN (else the replica's own switch)."""
    given = on_replica.get("failover_ipv4")
    net_name = objs[mapping][1].get("recovery_vm_network") if mapping else None
    shown = objs[str(net_name)][1].get("name") if net_name and str(net_name) in objs else None
    ip = given.get("address") if isinstance(given, Mapping) else source.get("ip")
    out: dict[str, Any] = {"slot": slot, "ip": ip, "vm_network": shown, "rule": "failover IP"}
    if given == "enabled_empty":
        out.update(ip=APIPA, rule="APIPA")
    if net_name and str(net_name) in objs:  # on the mapped network: its subnet's VLAN
        subnets = objs[str(net_name)][1].get("subnets") or []
        wanted = _subnet_of(source_network, source.get("ip")) if source_network else None
        chosen = next((x for x in subnets if wanted and x.get("name") == wanted), subnets[0] if subnets else None)
        if chosen is not None:
            out["vlan"] = chosen.get("vlan")
    else:
        out.update(switch=on_replica.get("switch"), vlan=on_replica.get("vlan"))
    return out


def _mapping(objs: Objects, network_id: str | None, pairing: str) -> str | None:
    for i, (k, a) in objs.items():
        serves = not a.get("pairings") or pairing in a.get("pairings", [])
        if k == "network_mapping" and network_id and a.get("primary_vm_network") == network_id and serves:
            return i
    return None


def _keep_ip(
    objs: Objects,
    paths: Mapping[str, str],
    db: sqlite3.Connection,
    intent: Mapping[str, Any],
    source: Mapping[str, Any],
    replica: Mapping[str, Any],
    host_name: str,
) -> dict[str, Any]:
    switch, vlan = replica.get("switch"), replica.get("vlan")
    failover = replica.get("failover_ipv4", "disabled")
    if failover == "enabled_empty":
        return {"ip": APIPA, "vm_network": None, "switch": switch, "vlan": vlan, "rule": "APIPA"}
    if isinstance(failover, Mapping):
        return {
            "ip": failover.get("address"),
            "vm_network": None,
            "switch": switch,
            "vlan": vlan,
            "rule": "failover IP",
        }
    host = next((h for h in dr.hosts(db) if h["name"].casefold() == host_name.casefold()), None)
    has_switch = bool(host and switch and str(switch).casefold() in {s.casefold() for s in host.get("switches", [])})
    reach = dr.reachable_vlans({**host, "switches": [switch]}, objs, paths) if host and switch else set()
    declared = intent.get("switch")
    if has_switch and vlan in reach and (not declared or str(declared).casefold() == str(switch).casefold()):
        return {"ip": source.get("ip"), "vm_network": None, "switch": switch, "vlan": vlan, "rule": "kept"}
    return {"ip": source.get("ip"), "vm_network": None, "switch": switch, "vlan": vlan, "rule": "isolated"}


def start(
    db: sqlite3.Connection, protected_id: str, plan: str, kind: str, direction: str, test_network: str | None
) -> dict[str, Any]:
    """Start a VM of a plan: a test VM beside its replica (test), the replica taking over
    (planned, unplanned), or the primary again (failback). Returns its outcome: host and adapters."""
    objs = objects(db)
    protected = objs.get(protected_id, ("", {}))[1]
    primary, replica, replica_id = _vm_rows(db, protected_id)
    holder = f"dr:{protected_id}"
    if direction == "recovery_to_primary":
        return _failback(db, protected_id, primary)
    paths = dr._group_paths(objs)
    adapters = [
        _adapter_outcome(db, objs, paths, protected, primary, replica, slot, kind, test_network, holder)
        for slot in range(len(primary.get("adapters") or []))
    ]
    facts = {k: v for k, v in replica.items() if k != "host"}
    landed = [
        {
            **a,
            "ip": o.get("ip"),
            "vm_network": o.get("vm_network"),
            # a test VM with no network is connected to nothing, not to production's switch
            "switch": o.get("switch", None if kind == "test" and not o.get("vm_network") else a.get("switch")),
            "vlan": o.get("vlan", None if kind == "test" and not o.get("vm_network") else a.get("vlan")),
        }
        for a, o in zip(facts.get("adapters") or [], adapters, strict=False)
    ]
    if kind == "test":
        db.execute(
            "INSERT INTO lab_vms VALUES (?, ?, 'test', ?, ?)",
            (f"test-{protected_id}", protected.get("vm"), replica["host"], json.dumps({**facts, "adapters": landed})),
        )
        phase = "test"
    else:
        db.execute("UPDATE lab_vms SET facts = ? WHERE id = ?", (json.dumps({**facts, "adapters": landed}), replica_id))
        db.execute("UPDATE lab_replication SET state = 'FailedOver' WHERE protected_id = ?", (protected_id,))
        phase = "failed_over"
    db.execute(
        "INSERT INTO lab_failover VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(protected_id) DO UPDATE SET "
        "plan = excluded.plan, phase = excluded.phase, direction = excluded.direction, kind = excluded.kind",
        (protected_id, plan, phase, direction, kind, json.dumps(facts)),
    )
    return {"vm": protected.get("vm"), "host": replica["host"], "adapters": adapters}


def _failback(db: sqlite3.Connection, protected_id: str, primary: Mapping[str, Any]) -> dict[str, Any]:
    row = db.execute("SELECT phase FROM lab_failover WHERE protected_id = ?", (protected_id,)).fetchone()
    if row is None or row[0] != "reprotected":
        raise ProviderError("failback needs the VM failed over, committed and reprotected first")
    db.execute(
        "UPDATE lab_failover SET phase = 'failed_back', direction = 'recovery_to_primary' WHERE protected_id = ?",
        (protected_id,),
    )
    db.execute("UPDATE lab_replication SET state = 'FailedOver' WHERE protected_id = ?", (protected_id,))
    adapters = [
        {"slot": i, "ip": a.get("ip"), "vm_network": a.get("vm_network"), "rule": "original address"}
        for i, a in enumerate(primary.get("adapters") or [])
    ]
    row = db.execute("SELECT o.attributes FROM objects o WHERE o.id = ?", (protected_id,)).fetchone()
    name = json.loads(row[0]).get("vm") if row else None
    return {"vm": name, "host": primary["host"], "adapters": adapters}


def cleanup(db: sqlite3.Connection, protected_id: str) -> bool:
    """Delete a VM's test copy and give back what the drill took; False if it had none."""
    row = db.execute("SELECT phase FROM lab_failover WHERE protected_id = ?", (protected_id,)).fetchone()
    if row is None or row[0] != "test":
        return False
    db.execute("DELETE FROM lab_vms WHERE id = ?", (f"test-{protected_id}",))
    db.execute("DELETE FROM ip_grants WHERE granted_to = ?", (f"dr:{protected_id}",))
    db.execute("DELETE FROM lab_failover WHERE protected_id = ?", (protected_id,))
    return True


def commit(db: sqlite3.Connection, protected_id: str) -> str:
    """Commit a failover (its recovery points go): failed_over → committed, or (after failback)
    the round trip's last commit. Returns the new phase."""
    row = db.execute("SELECT phase FROM lab_failover WHERE protected_id = ?", (protected_id,)).fetchone()
    if row is None or row[0] not in ("failed_over", "failed_back"):
        raise ProviderError("commit needs a failover (planned or unplanned) that is not committed yet")
    phase = "committed" if row[0] == "failed_over" else "committed_back"
    db.execute("UPDATE lab_failover SET phase = ? WHERE protected_id = ?", (phase, protected_id))
    db.execute("UPDATE lab_replication SET state = 'Committed' WHERE protected_id = ?", (protected_id,))
    return phase


def reprotect(db: sqlite3.Connection, protected_id: str) -> str:
    """Start replicating the other way: committed → reprotected (recovery → primary); after a
    committed failback, home again: the row goes, the replica's facts and the addresses come back."""
    row = db.execute("SELECT phase, saved FROM lab_failover WHERE protected_id = ?", (protected_id,)).fetchone()
    if row is None or row[0] not in ("committed", "committed_back"):
        raise ProviderError("reprotect needs a committed failover")
    db.execute(
        "UPDATE lab_replication SET state = 'Replicating', health = 'Normal' WHERE protected_id = ?", (protected_id,)
    )
    if row[0] == "committed":
        db.execute("UPDATE lab_failover SET phase = 'reprotected' WHERE protected_id = ?", (protected_id,))
        return "reprotected"
    _, _, replica_id = _vm_rows(db, protected_id)
    db.execute("UPDATE lab_vms SET facts = ? WHERE id = ?", (row[1], replica_id))
    db.execute("DELETE FROM ip_grants WHERE granted_to = ?", (f"dr:{protected_id}",))
    db.execute("DELETE FROM lab_failover WHERE protected_id = ?", (protected_id,))
    return "home"
