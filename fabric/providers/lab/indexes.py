"""The lab's indexes for VMM rules that span objects, and those rules.

`site_subnets` holds each network site's subnets (first address as fixed-width hex, so text
order is address order for IPv4 and IPv6 alike) for the subnet/host-group rule; `slots`
holds the uniqueness claims of `fabric.model.slots` (one no-isolation VM network per logical
network, one VLAN VM network per site VLAN); `mac_ranges` each MAC pool's range as integers,
for the no-overlap rule. All are kept in the same transaction as the objects they index, and
built in one transaction for a lab made by an earlier version.

Besides those, what an object's dependents need of it: a site keeps the subnets its pools
are on and the subnet/VLAN pairs VLAN VM networks use, a VM network the VM subnets its pools
are on, a logical network the virtualization its HNV VM networks need.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from fabric.model.builtins import BUILT_IN_MAC_RANGES
from fabric.model.ipmath import Net, mac_to_int, network
from fabric.model.overlap import related_groups
from fabric.model.slots import describe, slots

TABLES = {
    "site_subnets": """
CREATE TABLE site_subnets (site_id TEXT NOT NULL, version INTEGER NOT NULL,
  first TEXT NOT NULL, prefix INTEGER NOT NULL, subnet TEXT NOT NULL);
CREATE INDEX site_subnets_first ON site_subnets(version, first);
CREATE INDEX site_subnets_site ON site_subnets(site_id)""",
    "slots": """
CREATE TABLE slots (slot TEXT PRIMARY KEY, object_id TEXT NOT NULL);
CREATE INDEX slots_object ON slots(object_id)""",
    "mac_ranges": """
CREATE TABLE mac_ranges (pool_id TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL);
CREATE INDEX mac_ranges_first ON mac_ranges(first)""",
}


def ensure(db: sqlite3.Connection) -> None:
    """Create missing index tables and fill them from the objects, each in one transaction, so
    an interrupted or concurrent opening never leaves an object unindexed."""
    for table, script in TABLES.items():
        if _exists(db, table):
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            if not _exists(db, table):  # another process may have built it meanwhile
                for statement in script.split(";"):
                    db.execute(statement)
                for live_id, kind, text in db.execute("SELECT id, kind, attributes FROM objects").fetchall():
                    _record(db, table, live_id, kind, json.loads(text))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _exists(db: sqlite3.Connection, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None


def record(db: sqlite3.Connection, live_id: str, kind: str, attrs: Mapping[str, Any]) -> None:
    """Index an object just written (replacing what was indexed for it)."""
    for table in TABLES:
        _record(db, table, live_id, kind, attrs)


def _record(db: sqlite3.Connection, table: str, live_id: str, kind: str, attrs: Mapping[str, Any]) -> None:
    if table == "site_subnets" and kind == "network_site":
        _index_subnets(db, live_id, attrs)
    elif table == "slots" and kind == "vm_network":
        db.execute("DELETE FROM slots WHERE object_id = ?", (live_id,))
        # OR IGNORE: a lab from before the rule may hold two claims to one slot; the first stays
        rows = [(json.dumps(s), live_id) for s in slots(kind, attrs)]
        db.executemany("INSERT OR IGNORE INTO slots VALUES (?, ?)", rows)
    elif table == "mac_ranges" and kind == "mac_pool":
        db.execute("DELETE FROM mac_ranges WHERE pool_id = ?", (live_id,))
        try:
            first, last = mac_to_int(str(attrs["range_start"])), mac_to_int(str(attrs["range_end"]))
        except (KeyError, ValueError):
            return  # not a range (a lab from before the rules): it holds none
        db.execute("INSERT INTO mac_ranges VALUES (?, ?, ?)", (live_id, first, last))


def forget(db: sqlite3.Connection, live_id: str) -> None:
    """Drop a deleted object from the indexes."""
    db.execute("DELETE FROM site_subnets WHERE site_id = ?", (live_id,))
    db.execute("DELETE FROM slots WHERE object_id = ?", (live_id,))
    db.execute("DELETE FROM mac_ranges WHERE pool_id = ?", (live_id,))


def problems(db: sqlite3.Connection, kind: str, attrs: Mapping[str, Any], self_id: str | None) -> list[str]:
    """What VMM would refuse about writing this object, given the others (`self_id`: the object
    updated, None for a create)."""
    if kind == "network_site":
        out = _subnet_scope_problems(db, attrs, self_id)
        if self_id is not None:
            out += _site_subnets_in_use(
                db, self_id, _subnet_vlans(attrs), {network(s["subnet"]) for s in attrs.get("subnets", [])}
            )
        return out
    if kind == "vm_network":
        out = _vm_network_problems(db, attrs, self_id)
        return out + (_vm_subnets_in_use(db, attrs, self_id) if self_id is not None else [])
    if kind == "mac_pool":
        return _mac_range_problems(db, attrs, self_id)
    if kind == "logical_network" and self_id is not None and not attrs.get("network_virtualization"):
        users = _users(db, self_id, "vm_network")
        return [
            f"hnv vm_network {name!r} still needs its network virtualization"
            for name, a in users
            if a.get("isolation") == "hnv"
        ]
    if kind == "ip_pool" and attrs.get("vm_network"):
        row = db.execute("SELECT attributes FROM objects WHERE id = ?", (attrs["vm_network"],)).fetchone()
        isolation = json.loads(row[0]).get("isolation") if row else None
        if isolation != "hnv":
            return [f"a pool can be on a VM subnet only of an hnv VM network, not {isolation}"]
    return []


def delete_problems(db: sqlite3.Connection, kind: str, live_id: str) -> list[str]:
    """What VMM would refuse about deleting this object besides plain references to it (which the
    caller checks): a site that is the last to hold a subnet/VLAN pair a VLAN VM network uses."""
    if kind == "network_site":
        return _site_subnets_in_use(db, live_id, set(), set())
    return []


def _users(db: sqlite3.Connection, target: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(name, attributes) of the objects of `kind` that reference `target`, by name."""
    rows = db.execute(
        "SELECT DISTINCT o.id, o.name, o.attributes FROM refs r JOIN objects o ON o.id = r.from_id "
        "WHERE r.to_id = ? AND o.kind = ? ORDER BY o.name, o.id",
        (target, kind),
    ).fetchall()
    return [(name, json.loads(text)) for _, name, text in rows]


SubnetVlan = tuple[Net, int]


def _subnet_vlans(attrs: Mapping[str, Any]) -> set[SubnetVlan]:
    return {(network(s["subnet"]), int(s.get("vlan", 0))) for s in attrs.get("subnets", [])}


def _site_subnets_in_use(
    db: sqlite3.Connection, site_id: str, kept_pairs: set[SubnetVlan], kept_subnets: set[Net]
) -> list[str]:
    """Why the site cannot keep only these subnet/VLAN pairs and subnets (none: it is deleted): a pool
    on a subnet it drops (named: the pool), a VLAN VM network on a pair it is the last to hold."""
    row = db.execute("SELECT attributes FROM objects WHERE id = ?", (site_id,)).fetchone()
    if row is None:
        return []
    current = json.loads(row[0])
    out = []
    for name, pool in _users(db, site_id, "ip_pool"):
        net = network(str(pool.get("subnet")))
        if net not in kept_subnets:
            out.append(f"subnet {net} is still used by ip_pool {name!r}")
    logical = str(current.get("logical_network"))
    for net, vlan in sorted(_subnet_vlans(current) - kept_pairs, key=lambda p: (p[0].version, str(p[0]), p[1])):
        pair = {"subnet": str(net), "vlan": vlan}
        for holder in (site_id, logical):  # a VM network naming this site, or one on any site of the network
            slot = json.dumps(["VLAN VM network", holder, str(net), str(vlan)])
            user = db.execute(
                "SELECT o.name FROM slots s JOIN objects o ON o.id = s.object_id WHERE s.slot = ?", (slot,)
            ).fetchone()
            if user is not None and (holder == site_id or not _is_site_vlan(db, logical, pair, besides=site_id)):
                out.append(f"subnet {net} VLAN {vlan} is still used by VLAN vm_network {user[0]!r}")
    return out


def _vm_subnets_in_use(db: sqlite3.Connection, attrs: Mapping[str, Any], self_id: str) -> list[str]:
    """A VM subnet a pool sits on can be neither removed nor given another subnet (named: the pool)."""
    subnets = {str(s.get("name")): s.get("subnet") for s in attrs.get("subnets") or []}
    out = []
    for name, pool in _users(db, self_id, "ip_pool"):
        sub, net = str(pool.get("vm_subnet")), network(str(pool.get("subnet")))
        if sub not in subnets:
            out.append(f"VM subnet {sub!r} is still used by ip_pool {name!r}")
        elif not subnets[sub] or network(str(subnets[sub])) != net:
            out.append(f"VM subnet {sub!r} cannot change from {net} to {subnets[sub]} while ip_pool {name!r} is on it")
    return out


def _mac_range_problems(db: sqlite3.Connection, attrs: Mapping[str, Any], self_id: str | None) -> list[str]:
    """MAC pools must not overlap one another, nor the pools VMM ships while the lab holds none of that name."""
    first, last = mac_to_int(str(attrs["range_start"])), mac_to_int(str(attrs["range_end"]))
    out = []
    # ranges in the index are disjoint, so only the one starting last before our end can overlap
    row = db.execute(
        "SELECT o.name, m.first, m.last FROM mac_ranges m JOIN objects o ON o.id = m.pool_id "
        "WHERE m.first <= ? AND m.pool_id IS NOT ? ORDER BY m.first DESC LIMIT 1",
        (last, self_id),
    ).fetchone()
    if row is not None and row[2] >= first:
        out.append(f"MAC address range overlaps mac_pool {row[0]!r} ({_mac(row[1])}-{_mac(row[2])})")
    for name, (start, end) in BUILT_IN_MAC_RANGES.items():
        if str(attrs.get("name", "")).casefold() == name.casefold() or not (
            mac_to_int(start) <= last and first <= mac_to_int(end)
        ):
            continue
        held = db.execute(
            "SELECT 1 FROM objects WHERE kind = 'mac_pool' AND name = ? COLLATE NOCASE AND id IS NOT ?",
            (name, self_id),
        ).fetchone()
        if held is None:  # VMM's own pool holds the range (the lab keeps it free as if it were there)
            out.append(f"MAC address range overlaps the built-in {name!r} ({start}-{end})")
    return out


def _mac(value: int) -> str:
    text = f"{value:012X}"
    return ":".join(text[i : i + 2] for i in range(0, 12, 2))


def _vm_network_problems(db: sqlite3.Connection, attrs: Mapping[str, Any], self_id: str | None) -> list[str]:
    out = []
    row = db.execute("SELECT attributes FROM objects WHERE id = ?", (attrs.get("logical_network"),)).fetchone()
    ln = json.loads(row[0]) if row else {}
    if attrs.get("isolation") == "hnv" and not ln.get("network_virtualization"):
        out.append("an hnv VM network needs network virtualization on its logical network")
    if attrs.get("isolation") == "vlan" and ln.get("isolation") not in ("vlan", "pvlan"):
        out.append("a VLAN VM network needs a VLAN-based logical network")
    elif attrs.get("isolation") == "vlan":
        subnets = attrs.get("subnets") or []
        if len(subnets) != 1 or not subnets[0].get("subnet"):
            out.append("a VLAN VM network has exactly one subnet, one of its logical network's site VLANs")
        elif not _is_site_vlan(db, str(attrs.get("logical_network")), subnets[0]):
            out.append(
                f"subnet {subnets[0]['subnet']} VLAN {subnets[0].get('vlan', 0)} is no site VLAN of the logical network"
            )
    for slot in sorted(slots("vm_network", attrs)):
        holder = db.execute(
            "SELECT object_id FROM slots WHERE slot = ? AND object_id IS NOT ?", (json.dumps(slot), self_id)
        ).fetchone()
        if holder:
            out.append(f"{holder[0]} is already {describe(slot)}")
    return out


def _is_site_vlan(db: sqlite3.Connection, ln_id: str, pair: Mapping[str, Any], besides: str | None = None) -> bool:
    """True if a site of the logical network (other than `besides`) has this subnet with this VLAN
    (and is the site named)."""
    net = network(str(pair["subnet"]))
    rows = db.execute(
        "SELECT o.id, o.attributes FROM site_subnets s JOIN objects o ON o.id = s.site_id "
        "WHERE s.version = ? AND s.first = ? AND s.prefix = ? AND o.scope = ?",
        (net.version, _hex(int(net.network_address)), net.prefixlen, ln_id),
    ).fetchall()
    for site_id, text in rows:
        if pair.get("network_site") not in (None, site_id) or site_id == besides:
            continue
        for other in json.loads(text).get("subnets", []):
            if network(other["subnet"]) == net and int(other.get("vlan", 0)) == int(pair.get("vlan", 0)):
                return True
    return False


def _hex(address: int) -> str:
    return f"{address:032x}"


def _index_subnets(db: sqlite3.Connection, site_id: str, attrs: Mapping[str, Any]) -> None:
    db.execute("DELETE FROM site_subnets WHERE site_id = ?", (site_id,))
    rows = []
    for pair in attrs.get("subnets", []):
        net = network(pair["subnet"])
        rows.append((site_id, net.version, _hex(int(net.network_address)), net.prefixlen, str(net)))
    db.executemany("INSERT INTO site_subnets VALUES (?, ?, ?, ?, ?)", rows)


def _overlapping_sites(db: sqlite3.Connection, net: Net) -> list[tuple[str, str]]:
    """(site ID, subnet) of every indexed subnet that overlaps `net`: its supernets and those inside it."""
    first, bits, length = int(net.network_address), net.max_prefixlen, net.prefixlen
    supernets = {(first >> (bits - p) << (bits - p), p) for p in range(length + 1)}
    starts = sorted({_hex(start) for start, _ in supernets})
    marks = ",".join("?" * len(starts))  # placeholders only: values are bound, not formatted in
    rows = db.execute(
        f"SELECT site_id, subnet, first, prefix FROM site_subnets WHERE version = ? AND first IN ({marks})",  # noqa: S608
        (net.version, *starts),
    ).fetchall()
    found = [(r[0], r[1]) for r in rows if (int(r[2], 16), r[3]) in supernets]
    last = _hex(first | ((1 << (bits - length)) - 1))
    inside = db.execute(
        "SELECT site_id, subnet FROM site_subnets WHERE version = ? AND first BETWEEN ? AND ? AND prefix > ?",
        (net.version, _hex(first), last, length),
    ).fetchall()
    return found + [(r[0], r[1]) for r in inside]


def _subnet_scope_problems(db: sqlite3.Connection, attrs: Mapping[str, Any], self_id: str | None) -> list[str]:
    """VMM's rule 5: no subnet may overlap another site's subnet in the same host group or a
    parent or child of it."""

    def parent_of(group: str) -> str | None:
        row = db.execute("SELECT attributes FROM objects WHERE id = ?", (group,)).fetchone()
        return json.loads(row[0]).get("parent") if row else None

    out = []
    for pair in attrs.get("subnets", []):
        net = network(pair["subnet"])
        for site_id, subnet in _overlapping_sites(db, net):
            if site_id == self_id:
                continue
            row = db.execute("SELECT name, attributes FROM objects WHERE id = ?", (site_id,)).fetchone()
            groups = json.loads(row[1]).get("host_groups", []) if row else []
            if related_groups(attrs.get("host_groups", []), groups, parent_of):
                out.append(f"subnet {net} overlaps subnet {subnet} of network site {row[0]!r} in a related host group")
                break
    return out
