"""The lab's indexes for VMM rules that span objects, and those rules.

`site_subnets` holds each network site's subnets (first address as fixed-width hex, so text
order is address order for IPv4 and IPv6 alike) for the subnet/host-group rule; `slots`
holds the uniqueness claims of `fabric.model.slots` (one no-isolation VM network per logical
network, one VLAN VM network per site VLAN). Both are kept in the same transaction as the
objects they index, and built in one transaction for a lab made by an earlier version.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from fabric.model.ipmath import Net, network
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


def forget(db: sqlite3.Connection, live_id: str) -> None:
    """Drop a deleted object from the indexes."""
    db.execute("DELETE FROM site_subnets WHERE site_id = ?", (live_id,))
    db.execute("DELETE FROM slots WHERE object_id = ?", (live_id,))


def problems(db: sqlite3.Connection, kind: str, attrs: Mapping[str, Any], self_id: str | None) -> list[str]:
    """What VMM would refuse about writing this object, given the others."""
    if kind == "network_site":
        return _subnet_scope_problems(db, attrs, self_id)
    if kind == "vm_network":
        return _vm_network_problems(db, attrs, self_id)
    if kind == "ip_pool" and attrs.get("vm_network"):
        row = db.execute("SELECT attributes FROM objects WHERE id = ?", (attrs["vm_network"],)).fetchone()
        isolation = json.loads(row[0]).get("isolation") if row else None
        if isolation != "hnv":
            return [f"a pool can be on a VM subnet only of an hnv VM network, not {isolation}"]
    return []


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


def _is_site_vlan(db: sqlite3.Connection, ln_id: str, pair: Mapping[str, Any]) -> bool:
    """True if a site of the logical network has this subnet with this VLAN (and is the site named)."""
    net = network(str(pair["subnet"]))
    rows = db.execute(
        "SELECT o.id, o.attributes FROM site_subnets s JOIN objects o ON o.id = s.site_id "
        "WHERE s.version = ? AND s.first = ? AND s.prefix = ? AND o.scope = ?",
        (net.version, _hex(int(net.network_address)), net.prefixlen, ln_id),
    ).fetchall()
    for site_id, text in rows:
        if pair.get("network_site") not in (None, site_id):
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
