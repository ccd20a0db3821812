"""The DR facts of a real fabric: a read-only PowerShell script to run on the VMM server, which prints
what `fabric dr simulate` reads (`fabric.dr.facts`) as one JSON document, and the reader of a saved
document.

- `facts_script(resources, stamp)`: the script (`templates/dr-facts.ps1.j2`), rendered in the
  sandboxed environment of `fabric.dr.azps` (strict undefined, every value through the quoting
  filter). It reads the stamp's protected VMs (primary and replica copy, their hosts and adapters)
  through VMM and Hyper-V, their replication, and every static IP pool's granted addresses.
- `load_facts(path)`: a saved document (UTF-16 with a byte-order mark as Windows PowerShell 5.1's
  `>` writes it, or UTF-8), validated strictly; the raw facts `facts_from` takes. Every problem is
  a `Diagnostic` at the document's `line:column`, all of them in one `ConfigError` (a key given
  twice and NaN are problems too: Python's reader would take them). The shapes PowerShell gives
  lists are read as the lists they are: a lone item for a one-item list, null for an empty one,
  `{"value": [...], "Count": n}` (Windows PowerShell 5.1's `ConvertTo-Json` of a wrapped array).
- `facts_document(raw, stamp)`: the lab's raw facts as the same document, so that saved lab facts
  load back as they were.

The document: `{"format": "fabric-dr-facts", "format_version": 1, "stamp", "hosts": [{name,
host_group, switches}], "vms": [{name, role, host, adapters: [{switch, vlan, vm_network, ip,
static, failover_ipv4}]}], "replication": {vm: {state, health, replica_host}}, "grants": [[pool
ID, address]]}`; the lab's extra keys (a VM's `id`, `disks_gb`, `kvp`…, an adapter's `mac`, `ipv6`;
a drill's copies, role `test`, on no VLAN: `vlan` null) and the script's (an adapter's `slot`,
`mac`, `vlan_mode`) are allowed. A VM copy's adapters are in slot order (by `slot` where given).
"""

from __future__ import annotations

import codecs
import ipaddress
import json
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from fabric.dr.azps import environment
from fabric.errors import ConfigError, Diagnostic, SourceLocation
from fabric.load.stamp import display_path, pydantic_findings
from fabric.model.base import Resource
from fabric.model.dr import ProtectedVm
from fabric.model.stamp import SourceRef

FORMAT = "fabric-dr-facts"
FORMAT_VERSION = 1
TEMPLATE = "dr-facts.ps1.j2"
MAX_BYTES = 32 * 1024 * 1024  # 20,000 protected VMs (primary and replica, an adapter each) are 10 MiB
MAX_VALUES = 2_000_000  # separators counted before parsing: 20,000 protected VMs hold ~700,000
MAX_PROBLEMS = 200  # listed one by one; validation stops after them
MAX_MESSAGE = 300  # characters of a problem's message (a huge value is not echoed whole)
FAILOVER_NAMES = ("disabled", "enabled_empty")

JsonPath = tuple[str | int, ...]


def facts_script(resources: Mapping[str, Resource], stamp: str) -> str:
    """The read-only script that prints the DR facts of `stamp`'s protected VMs (module docstring)."""
    names: dict[str, str] = {}
    for r in resources.values():
        if isinstance(r, ProtectedVm):
            names.setdefault(r.vm.casefold(), r.vm)  # VMM compares names case-insensitively
    vms = sorted(names.values(), key=lambda n: (n.casefold(), n))
    return environment().get_template(TEMPLATE).render(stamp=stamp, vms=vms)


def facts_document(raw: Mapping[str, Any], stamp: str) -> dict[str, Any]:
    """The lab's raw facts (`LabProvider.dr_facts`) as a facts document, JSON values only."""
    plain: dict[str, Any] = json.loads(
        json.dumps(
            {
                "hosts": list(raw.get("hosts") or []),
                "vms": list(raw.get("vms") or []),
                "replication": dict(raw.get("replication") or {}),
                "grants": [[str(pool), str(address)] for pool, address in raw.get("grants") or []],
            }
        )
    )
    when = datetime.now(UTC).isoformat(timespec="seconds")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "stamp": stamp,
        "exported_at": when,
        "source": "lab",
        **plain,
    }


# ---------------------------------------------------------------------------------------------
# The document's models: strict JSON types, no unknown keys, PowerShell's list shapes accepted.

T = TypeVar("T")


def _listish(value: Any) -> Any:
    """A list as PowerShell may write one: null is empty, `{"value": [...], "Count": n}` is its
    value, a lone object is a one-item list (anything else is left to fail as it is)."""
    if value is None:
        return []
    if isinstance(value, dict):
        if set(value) == {"value", "Count"} and isinstance(value["value"], list):
            return value["value"]
        return [value]
    return value


def _strings(value: Any) -> Any:
    """A list of strings as PowerShell may write one: also a lone string."""
    value = _listish(value)
    return [value] if isinstance(value, str) else value


def _grants(value: Any) -> Any:
    """The grants as PowerShell may write them: also one grant ([pool, address]) on its own."""
    value = _listish(value)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return [value]
    return value


def _mapping(value: Any) -> Any:
    """A mapping as PowerShell may write an empty one: null (or an empty list)."""
    return {} if value is None or value == [] else value


PsList = Annotated[list[T], BeforeValidator(_listish)]
Strings = Annotated[list[str], BeforeValidator(_strings)]
Name = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class FailoverIp(_Strict):
    """A failover TCP/IP setting with an address."""

    address: str
    prefix: Annotated[int, Field(ge=0, le=32)] | None = None
    gateway: str | None = None
    dns: Strings = Field(default_factory=list)


class AdapterFacts(_Strict):
    """A VM copy's adapter."""

    switch: str | None = None
    vlan: Annotated[int, Field(ge=0, le=4094)] | None = 0  # None (the lab's test copy on no network): untagged
    vm_network: str | None = None
    ip: str | None = None
    static: bool = True
    failover_ipv4: Any = "disabled"  # checked after: disabled, enabled_empty, or a FailoverIp
    mac: str | None = None  # the lab's and the export's
    ipv6: bool = False  # the lab's
    slot: Annotated[int, Field(ge=0, le=255)] | None = None  # the export's: VMM's SlotId
    vlan_mode: str | None = None  # the export's: Hyper-V's OperationMode (vlan is the access VLAN, else 0)


class VmFacts(_Strict):
    """A VM copy: a primary or a replica (or the lab's copy in a drill, which the simulation skips)."""

    name: Name
    role: Literal["primary", "replica", "test"]
    host: Name
    adapters: PsList[AdapterFacts] = Field(default_factory=list)
    id: str | None = None  # the lab's, from here on
    disks_gb: PsList[float] = Field(default_factory=list)
    shared_disks: bool = False
    kvp: bool = True
    nic_teaming: bool = False


class HostFacts(_Strict):
    """A Hyper-V host."""

    name: Name
    host_group: str
    switches: Strings = Field(default_factory=list)


class ReplicationFacts(_Strict):
    """A VM's replication."""

    state: Name
    health: Name
    replica_host: Name
    initial_replication_percent: Annotated[float, Field(ge=0, le=100)] | None = None  # the lab's
    failover: dict[str, Any] | None = None  # the lab's: where the VM is in a failover (not simulated from)


Grant = Annotated[list[str], BeforeValidator(_listish), Field(min_length=2, max_length=2)]


class FactsDocument(_Strict):
    """A saved DR facts document."""

    format: Literal["fabric-dr-facts"]
    format_version: Literal[1]
    stamp: str
    exported_at: str | None = None  # when and where the facts were read (shown with a simulation of them)
    source: str | None = None
    hosts: PsList[HostFacts] = Field(default_factory=list)
    vms: PsList[VmFacts] = Field(default_factory=list)
    replication: Annotated[dict[str, ReplicationFacts], BeforeValidator(_mapping)] = Field(default_factory=dict)
    grants: Annotated[list[Grant], BeforeValidator(_grants)] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading a saved document.


@dataclass(frozen=True)
class _Problem:
    """A problem at a JSON path (`at_key`: at the key of its last step; `occurrence`: which of
    a repeated key)."""

    path: JsonPath
    message: str
    at_key: bool = False
    occurrence: int = -1


def load_facts(path: Path, *, stamp: str | None = None) -> dict[str, Any]:
    """The raw facts (`hosts`, `vms`, `replication`, `grants`: what `facts_from` and the engine's
    grant mapping take) of the document saved at `path`; ConfigError with one diagnostic per
    problem (`stamp`: the stamp it must be of, when given)."""
    name = display_path(path)
    text = _read(path, name)
    if text.count(",") + text.count("[") + text.count("{") > MAX_VALUES:
        message = f"more than {MAX_VALUES:,} values: not the DR facts of one stamp"
        raise ConfigError([Diagnostic(SourceLocation(name, 1, 1), message)])
    data, repeated, _kept = _parse(text, name)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else _shown(data)
        raise ConfigError([_at(name, text, 0, f"a DR facts document is a JSON object, not {kind}")])
    locator = _Locator(text)
    problems = _header(data, stamp)
    if not problems and (repeated or _CONSTANTS in text):
        problems = _not_json(data, repeated)
    if not problems:
        problems = _validated(data)
    if not problems:
        document = FactsDocument.model_validate(data)  # every part valid: this cannot fail
        problems = _consistency(document, data)
        if not problems:
            return _raw(document)
    raise ConfigError(_diagnostics(name, text, locator, problems))


_CONSTANTS = "N"  # NaN, Infinity and -Infinity all hold an N: without one there is none to look for
_SECTIONS: dict[str, Any] = {}


def _section_types() -> dict[str, tuple[Callable[[Any], Any], Any]]:
    """Per list or mapping of the document: how PowerShell's shapes of it are read, and the
    adapter that validates one item."""
    from pydantic import TypeAdapter

    if not _SECTIONS:
        _SECTIONS.update(
            {
                "hosts": (_listish, TypeAdapter(HostFacts)),
                "vms": (_listish, TypeAdapter(VmFacts)),
                "grants": (_grants, TypeAdapter(Grant)),
                "replication": (_mapping, TypeAdapter(ReplicationFacts)),
            }
        )
    return _SECTIONS


def _validated(data: Mapping[str, Any]) -> list[_Problem]:
    """The document validated part by part, item by item, stopping after MAX_PROBLEMS problems
    (a document of a million bad items does not build a million errors). The problems are those
    validating the whole document would give, at the same paths."""
    sections = _section_types()
    problems = _errors(lambda: FactsDocument.model_validate({k: v for k, v in data.items() if k not in sections}), ())
    for section, (shape, adapter) in sections.items():
        if section not in data or len(problems) > MAX_PROBLEMS:
            continue
        value = shape(data[section])
        if not isinstance(value, dict if section == "replication" else list):
            header = {k: data[k] for k in ("format", "format_version", "stamp") if k in data}
            problems += _errors(partial(FactsDocument.model_validate, {**header, section: data[section]}), ())
            continue
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in pairs:
            problems += _errors(partial(adapter.validate_python, item), (section, key))
            if len(problems) > MAX_PROBLEMS:
                break
    return problems


def _errors(validate: Callable[[], Any], prefix: JsonPath) -> list[_Problem]:
    """The problems of one validation, at the paths validating the whole document gives them."""
    try:
        validate()
    except ValidationError as exc:
        found = pydantic_findings(exc, SourceRef("", ()), None, FactsDocument, prefix)
        return [_Problem(f.source.path, f.message, f.at_key) for f in found]
    return []


def _shown(value: Any) -> str:
    """A JSON value as a message shows it (short)."""
    text = value.text if isinstance(value, _Constant) else json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _read(path: Path, name: str) -> str:
    """The document's text: UTF-16 with its byte-order mark (`>` in Windows PowerShell 5.1), else
    UTF-8 with or without one; its size checked before it is read."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block, /dev/zero never end
            raise ConfigError([Diagnostic(SourceLocation(name, 1, 1), "not a regular file")])
        if info.st_size > MAX_BYTES:
            raise ConfigError([Diagnostic(SourceLocation(name, 1, 1), _too_large())])
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)  # it may have grown since stat
    except OSError as exc:
        raise ConfigError([Diagnostic(SourceLocation(name, 1, 1), f"cannot read the DR facts: {exc}")]) from None
    if len(data) > MAX_BYTES:
        raise ConfigError([Diagnostic(SourceLocation(name, 1, 1), _too_large())])
    encoding = "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif len(data) >= 2 and (data[0] == 0) != (data[1] == 0):  # UTF-16 without its mark: `{` and a NUL
        encoding = "utf-16-le" if data[1] == 0 else "utf-16-be"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        where = _decode_location(name, data, exc, encoding)
        raise ConfigError([Diagnostic(where, f"not {encoding.upper().removesuffix('-SIG')} text")]) from None


def _too_large() -> str:
    return f"file larger than {MAX_BYTES // (1024 * 1024)} MiB: not a DR facts document"


def _decode_location(name: str, data: bytes, exc: UnicodeDecodeError, encoding: str) -> SourceLocation:
    """Where an undecodable byte sits, as line:column of the text before it."""
    before = data[: exc.start].decode(encoding, errors="replace").removeprefix("\ufeff")
    return _text_location(name, before, len(before))


@dataclass(frozen=True)
class _Constant:
    """NaN, Infinity or -Infinity, which Python's reader takes and JSON has not: refused where it is."""

    text: str


def _parse(text: str, name: str) -> tuple[Any, dict[int, list[str]], list[Any]]:
    """The JSON value of `text` (ConfigError at the position of a syntax error), the keys given
    twice in an object by the object's id, and those objects (kept alive, so that no id is reused)."""
    if not text.strip():
        message = "empty: no DR facts (did the export script fail? its error is on its console)"
        raise ConfigError([Diagnostic(SourceLocation(name, 1, 1), message)])
    repeated: dict[int, list[str]] = {}
    kept: list[Any] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            seen: set[str] = set()
            repeated[id(obj)] = [key for key, _ in items if key in seen or seen.add(key)]  # type: ignore[func-returns-value]
            kept.append(obj)
        return obj

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=_Constant)
    except json.JSONDecodeError as exc:
        where = SourceLocation(name, exc.lineno, exc.colno)
        raise ConfigError([Diagnostic(where, f"invalid JSON: {exc.msg}")]) from None
    except ValueError:  # a number too long to read
        found = re.search(r"[0-9]{4301}", text)
        where = _text_location(name, text, found.start()) if found else SourceLocation(name, 1, 1)
        raise ConfigError([Diagnostic(where, "invalid JSON: a number too long to read")]) from None
    except RecursionError:
        raise ConfigError([Diagnostic(SourceLocation(name, 1, 1), "invalid JSON: nested too deeply")]) from None
    return data, repeated, kept


def _not_json(data: Any, repeated: Mapping[int, list[str]]) -> list[_Problem]:
    """What Python's reader takes and a JSON document must not have: a key given twice in one
    object (readers keep one of them, silently), NaN and the infinities."""
    out: list[_Problem] = []
    stack: list[tuple[Any, JsonPath]] = [(data, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, _Constant):
            out.append(_Problem(where, f"{node.text} is not a JSON number"))
        elif isinstance(node, dict):
            for key in dict.fromkeys(repeated.get(id(node), [])):
                out.append(_Problem((*where, key), f"key {key!r} is given twice", at_key=True, occurrence=1))
            stack.extend((value, (*where, key)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, (*where, i)) for i, value in enumerate(node))
    return out


def _header(data: Mapping[str, Any], stamp: str | None) -> list[_Problem]:
    """What the document is, before what it holds: its format and version (and stamp)."""
    shown = data.get("format")
    if shown != FORMAT:
        what = f"its format is {shown!r}" if "format" in data else "it has no format"
        where: JsonPath = ("format",) if "format" in data else ()
        return [_Problem(where, f"not a fabric DR facts document: {what} ({FORMAT!r} expected)")]
    version = data.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:
        where = ("format_version",) if "format_version" in data else ()
        what = f"format_version {version!r}" if "format_version" in data else "no format_version"
        return [_Problem(where, f"{what}: this fabric reads DR facts of format_version {FORMAT_VERSION}")]
    if stamp is not None and isinstance(data.get("stamp"), str) and data["stamp"] != stamp:
        return [_Problem(("stamp",), f"the DR facts of stamp {data['stamp']!r}, not of {stamp!r}")]
    return []


def _ip(value: str | None, version: int | None = 4) -> bool:
    """Whether `value` is an IP address (of `version`, if given); None is no address."""
    if value is None:
        return True
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return version is None or address.version == version


def _shape(data: Mapping[str, Any], field: str) -> Callable[[int], JsonPath]:
    """The JSON path of item i of a list field as written (a lone item is the field itself)."""
    written = data.get(field)

    def path(i: int) -> JsonPath:
        if isinstance(written, dict) and set(written) == {"value", "Count"}:
            return (field, "value", i)
        return (field,) if isinstance(written, dict) else (field, i)

    return path


def _consistency(document: FactsDocument, data: Mapping[str, Any]) -> list[_Problem]:
    """What the models cannot say: names given twice, references between hosts, VM copies and
    replications, addresses, failover settings and slots."""
    out: list[_Problem] = []
    host_at, vm_at = _shape(data, "hosts"), _shape(data, "vms")
    hosts: dict[str, int] = {}
    for i, h in enumerate(document.hosts):
        if hosts.setdefault(h.name.casefold(), i) != i:
            out.append(_Problem((*host_at(i), "name"), f"host {h.name!r} is listed twice (names are case-insensitive)"))
    copies: dict[tuple[str, str], int] = {}
    for i, vm in enumerate(document.vms):
        if len(out) > MAX_PROBLEMS:
            return out  # enough to list: the rest are not looked for
        if copies.setdefault((vm.name.casefold(), vm.role), i) != i:
            message = f"VM {vm.name!r} has a second {vm.role} copy (names are case-insensitive)"
            out.append(_Problem((*vm_at(i), "name"), message))
        if vm.host.casefold() not in hosts:
            out.append(_Problem((*vm_at(i), "host"), f"VM {vm.name!r} runs on {vm.host!r}, which is not in hosts"))
        out += _adapters(vm, vm_at(i), data)
    out += _replication(document, {name for name, role in copies if role == "primary"}, set(hosts))
    replicas = {name for name, role in copies if role == "replica"}
    primaries = {name for name, role in copies if role == "primary"}
    for name, r in document.replication.items():
        if len(out) > MAX_PROBLEMS:
            return out
        if name.casefold() not in replicas and name.casefold() in primaries:
            message = f"VM {name!r} replicates to {r.replica_host!r}, but vms holds no replica copy of it"
            out.append(_Problem(("replication", name), message, at_key=True))
    for i, vm in enumerate(document.vms):
        if len(out) > MAX_PROBLEMS:
            return out
        if vm.role == "replica" and vm.name.casefold() not in primaries:
            out.append(_Problem((*vm_at(i), "role"), f"a replica copy of VM {vm.name!r}, which has no primary copy"))
    return out + _grant_problems(document, data)


def _replication(document: FactsDocument, primaries: set[str], hosts: set[str]) -> list[_Problem]:
    """Each replication: of a primary copy in vms, once, to a listed host."""
    out: list[_Problem] = []
    seen: dict[str, str] = {}
    for name, r in document.replication.items():
        if len(out) > MAX_PROBLEMS:
            break
        if seen.setdefault(name.casefold(), name) != name:
            out.append(_Problem(("replication", name), f"the replication of VM {name!r} is given twice", at_key=True))
        if name.casefold() not in primaries:
            message = f"the replication of VM {name!r}, which has no primary copy in vms"
            out.append(_Problem(("replication", name), message, at_key=True))
        if r.replica_host.casefold() not in hosts:
            message = f"VM {name!r} replicates to {r.replica_host!r}, which is not in hosts"
            out.append(_Problem(("replication", name, "replica_host"), message))
    return out


def _grant_problems(document: FactsDocument, data: Mapping[str, Any]) -> list[_Problem]:
    """Each grant's address is an IP address."""
    written = data.get("grants")
    lone = isinstance(written, list) and len(written) == 2 and all(isinstance(g, str) for g in written)
    grant_at = _shape(data, "grants")
    out: list[_Problem] = []
    for i, (pool, address) in enumerate(document.grants):
        if len(out) > MAX_PROBLEMS:
            break
        if not _ip(address, None) or "%" in address:
            at: JsonPath = ("grants", 1) if lone else (*grant_at(i), 1)
            out.append(_Problem(at, f"grant {i}: {address!r} is not an IP address"))
        if not pool.strip():
            out.append(_Problem(("grants", 0) if lone else (*grant_at(i), 0), f"grant {i}: the pool ID is empty"))
    return out


def _adapters(vm: VmFacts, at: JsonPath, data: Mapping[str, Any]) -> list[_Problem]:
    """A VM copy's adapters: addresses, failover TCP/IP, and slots (0 up, none missing) if given."""
    out: list[_Problem] = []
    written = _node(data, at)
    adapter_at = _shape(written if isinstance(written, dict) else {}, "adapters")
    for i, a in enumerate(vm.adapters):
        here = (*at, *adapter_at(i))
        if not _ip(a.ip):
            out.append(_Problem((*here, "ip"), f"VM {vm.name!r}: {a.ip!r} is not an IPv4 address"))
        out += _failover(vm.name, a.failover_ipv4, (*here, "failover_ipv4"))
    slots = [a.slot for a in vm.adapters]
    if any(s is not None for s in slots) and sorted(-1 if s is None else s for s in slots) != list(range(len(slots))):
        shown = ", ".join("none" if s is None else str(s) for s in slots)
        message = f"VM {vm.name!r}: adapters in slots {shown}: the facts take slots 0 up, each once, none missing"
        out.append(_Problem((*at, "adapters"), message))
    return out


def _failover(vm: str, value: Any, at: JsonPath) -> list[_Problem]:
    """failover_ipv4: disabled, enabled_empty, or {address, prefix, gateway} with IPv4 addresses."""
    if isinstance(value, str) and value in FAILOVER_NAMES:
        return []
    if not isinstance(value, dict):
        shown = _shown(value)
        wanted = "'disabled', 'enabled_empty' or {address, prefix, gateway}"
        return [_Problem(at, f"VM {vm!r}: failover_ipv4 is {wanted}, not {shown}")]
    try:
        setting = FailoverIp.model_validate(value)
    except ValidationError as exc:
        return [
            _Problem((*at, *f.source.path), f"failover_ipv4: {f.message}", f.at_key)
            for f in pydantic_findings(exc, SourceRef("", ()), None, FailoverIp)
        ]
    out = []
    for key, address in (("address", setting.address), ("gateway", setting.gateway)):
        if not _ip(address):
            out.append(_Problem((*at, key), f"VM {vm!r}: failover {key} {address!r} is not an IPv4 address"))
    for i, server in enumerate(setting.dns):
        if not _ip(server):
            out.append(_Problem((*at, "dns", i), f"VM {vm!r}: failover DNS server {server!r} is not an IPv4 address"))
    return out


def _node(data: Any, at: JsonPath) -> Any:
    for step in at:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        elif not (isinstance(data, dict) and step == 0):  # a lone object: item 0 is itself
            return None
    return data


def _raw(document: FactsDocument) -> dict[str, Any]:
    """The raw facts as `facts_from` and the engine take them; adapters in slot order."""
    dumped = document.model_dump(mode="json", exclude_unset=True, include={"hosts", "vms", "replication", "grants"})
    for vm in dumped.get("vms", []):
        if any("slot" in a for a in vm.get("adapters", [])):
            vm["adapters"].sort(key=lambda a: a["slot"])
    return {
        "hosts": dumped.get("hosts", []),
        "vms": dumped.get("vms", []),
        "replication": dumped.get("replication", {}),
        "grants": dumped.get("grants", []),
        **{k: v for k, v in (("exported_at", document.exported_at), ("source", document.source)) if v is not None},
    }


# ---------------------------------------------------------------------------------------------
# Positions: a JSON path to line:column, by scanning the (already parsed, so valid) text.

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)
_SCALAR = re.compile(r"[^,\]}\s]+")


class _Locator:
    """Offsets of the values (and keys) at JSON paths; each container read at most once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._members: dict[int, list[tuple[str, int, int]]] = {}  # object offset → (key, key at, value at)
        self._items: dict[int, list[int]] = {}  # array offset → item offsets

    def _ws(self, i: int) -> int:
        match = _WS.match(self.text, i)
        return match.end() if match else i

    def _end(self, i: int) -> int:
        """Where the value starting at i ends."""
        ch = self.text[i]
        if ch == '"':
            match = _STRING.match(self.text, i)
            return match.end() if match else len(self.text)
        if ch in "[{":
            depth = 0
            for token in _TOKEN.finditer(self.text, i):
                t = token.group()
                if t in "[{":
                    depth += 1
                elif t in "]}":
                    depth -= 1
                    if depth == 0:
                        return token.end()
            return len(self.text)
        match = _SCALAR.match(self.text, i)
        return match.end() if match else i + 1

    def members(self, i: int) -> list[tuple[str, int, int]]:
        """The object at i: each key, where it is written, and where its value starts."""
        if i not in self._members:
            out: list[tuple[str, int, int]] = []
            j = self._ws(i + 1)
            while j < len(self.text) and self.text[j] == '"':
                key = _STRING.match(self.text, j)
                assert key is not None
                value = self._ws(self._ws(key.end()) + 1)  # past the colon
                out.append((json.loads(key.group()), j, value))
                j = self._ws(self._end(value))
                j = self._ws(j + 1) if j < len(self.text) and self.text[j] == "," else len(self.text)
            self._members[i] = out
        return self._members[i]

    def items(self, i: int) -> list[int]:
        """The array at i: where each item starts."""
        if i not in self._items:
            out: list[int] = []
            j = self._ws(i + 1)
            while j < len(self.text) and self.text[j] != "]":
                out.append(j)
                j = self._ws(self._end(j))
                j = self._ws(j + 1) if j < len(self.text) and self.text[j] == "," else len(self.text)
            self._items[i] = out
        return self._items[i]

    def offset(self, problem: _Problem) -> int:
        """Where a problem is: the deepest node its path reaches (at its key if it says so)."""
        at = self._ws(0)
        key_at: int | None = None
        path = problem.path
        for n, step in enumerate(path):
            last = n == len(path) - 1
            ch = self.text[at] if at < len(self.text) else ""
            key_at = None
            if ch == "{" and isinstance(step, str):
                found = [(k, v) for name, k, v in self.members(at) if name == step]
                if not found:
                    break
                key_at, at = found[problem.occurrence if last and len(found) > 1 else -1]
            elif ch == "{" and isinstance(step, int):
                members = {name: v for name, _, v in self.members(at)}
                if set(members) == {"value", "Count"} and self.text[members["value"]] == "[":
                    at = members["value"]  # {"value": [...], "Count": n}: the list inside
                    items = self.items(at)
                    if step >= len(items):
                        break
                    at = items[step]
                elif step != 0:  # a lone object stands for item 0
                    break
            elif ch == "[" and isinstance(step, int):
                items = self.items(at)
                if step >= len(items):
                    break
                at = items[step]
            elif not (ch not in "[{n" and step == 0):  # a lone scalar stands for item 0 too
                break
        return key_at if problem.at_key and key_at is not None else at


def _text_location(name: str, text: str, offset: int) -> SourceLocation:
    """line:column of an offset, counted as Python's JSON reader counts them (lines end at \\n)."""
    line = text.count("\n", 0, offset) + 1
    return SourceLocation(name, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _at(name: str, text: str, offset: int, message: str) -> Diagnostic:
    skipped = _WS.match(text, offset)
    return Diagnostic(_text_location(name, text, skipped.end() if skipped else offset), message)


def _diagnostics(name: str, text: str, locator: _Locator, problems: list[_Problem]) -> list[Diagnostic]:
    """Each problem at its line:column: the first MAX_PROBLEMS in the file, the rest counted in a
    line after them."""
    # only those listed are located (each is a scan of the text)
    located = [
        Diagnostic(_text_location(name, text, locator.offset(p)), _short(p.message))
        for p in problems[: MAX_PROBLEMS + 1]
    ]
    out = sorted(located, key=lambda d: (d.location, d.message))
    if len(problems) <= MAX_PROBLEMS:
        return out
    last = out[MAX_PROBLEMS - 1].location
    more = Diagnostic(last, f"and more problems: the first {MAX_PROBLEMS} are listed", cause=last)
    return [*out[:MAX_PROBLEMS], more]


def _short(message: str) -> str:
    """A message of at most MAX_MESSAGE characters (a value can be megabytes long)."""
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 3] + "..."
