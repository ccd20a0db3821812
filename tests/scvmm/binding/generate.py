"""Every script the scvmm provider can render, for one target version, and which template lines
the renders reached.

Scripts come from:
- generated attributes for every kind (`variants`): from a hand-written sample per shape of the
  kind (an IP pool on a site or on a VM subnet, a VM network of each isolation) holding every
  attribute of the pydantic model (`fabric.model.resources`; `unsampled_fields` says which it
  lacks), then the sample with each optional attribute absent, only the required attributes with
  each optional one present, every value of each enumeration (`Literal`), and list items with each
  of their optional fields absent. Variants the model refuses are dropped, and VM networks that
  `fabric.validate` refuses (a VM subnet without `subnet`, …) too: no plan reaches a template with
  them. Each is rendered as a create and an update (the `vmm_server` line for the full samples);
  each kind's delete once;
- a plan script per sample (`write_plan_script`): create, update, replace (delete and create) and
  a two-step update (its detach, without one reference, then the update), referring to objects
  by `$ids[…]` of the same script or by live ID;
- the read script and the self-test script (`fabric scvmm selftest`), with and without `vmm_server`;
- the golden files (`tests/scvmm/golden/`), for the version their header names and every later one.

A template that refuses the target (`UnsupportedOnTarget`: what the version cannot do) writes
no script; that counts as reached, not as a failure.

Coverage: while rendering, a trace function records the lines run in the code jinja compiled
from each template. Every `yield` of that code is one piece of output (text or a value); a
template's branch that no render took shows as a `yield` never run. A *call site* is a `yield`
of template text naming a command (`Get-SCCloud …`): `Coverage` counts how many of each were
reached, and lists the template lines of those that were not.
"""

from __future__ import annotations

import ast
import re
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from types import FrameType
from typing import Any, Literal, get_args, get_origin

from fabric_scvmm.provider import read_script, write_plan_script
from fabric_scvmm.scripts import TEMPLATE_DIRS, UnsupportedOnTarget, environment, render, template_files
from fabric_scvmm.selftest import selftest_script
from fabric_scvmm.versions import VERSIONS
from pydantic import BaseModel, ValidationError

from fabric.model.refs import detached, map_refs
from fabric.model.resources import VMM_KINDS as KINDS  # the DR kinds are the DR backend's, not VMM's
from fabric.model.resources import LogicalNetwork, NetworkSite, Resource, VmNetwork
from fabric.validate.vm_networks import vm_network_problems

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
VMM_SERVER = "vmm01.corp.example"
_GOLDEN_VERSION = re.compile(r"^# Written for .*\(provider vmm_version: (\w+)\)", re.M)
_COMMAND = re.compile(r"(?<![\w$-])([A-Z][a-z]+-[A-Z][A-Za-z]+)\b")
_SKIPPED = ("depends_on", "lifecycle")


def live_id(address: str) -> str:
    """The made-up live ID of `address` (stable across runs)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fabric-binding:{address}"))


@dataclass(frozen=True)
class Sample:
    """One shape of a kind: every attribute present (`full`), and the fields kept in the
    minimal variant besides the model's required ones (`keep`: one side of an either-or)."""

    kind: str
    label: str
    full: Mapping[str, Any]
    keep: tuple[str, ...] = ()


_HG = ["host_group.a", "host_group.b"]
_POOL = {
    "name": "Pool 'A'",
    "description": "pool",
    "subnet": "10.0.0.0/24",
    "range_start": "10.0.0.10",
    "range_end": "10.0.0.200",
    "gateways": ["10.0.0.1", "10.0.0.2"],
    "dns_servers": ["10.0.0.5", "10.0.0.6"],
    "dns_suffix": "corp.example",
    "dns_search_suffixes": ["corp.example", "example"],
    "reserved": ["10.0.0.11", "10.0.0.20-10.0.0.30"],
    "vips": ["10.0.0.40", "10.0.0.41-10.0.0.45"],
}
_VPP_FLAGS = {  # every flag the opposite of its default
    "enable_vmq": False,
    "enable_ipsec_offload": False,
    "enable_iov": True,
    "enable_vrss": True,
    "allow_mac_spoofing": True,
    "enable_dhcp_guard": True,
    "enable_router_guard": True,
    "allow_teaming": True,
    "allow_ieee_priority_tagging": True,
}
SAMPLES: tuple[Sample, ...] = (
    Sample(
        "host_group",
        "nested",
        {"name": "IaaS", "description": "d", "parent": "host_group.a", "inherit_network_settings": False},
    ),
    Sample(
        "cloud",
        "cloud",
        {
            "name": "IaaS Oslo",
            "description": "d",
            "host_groups": _HG,
            "logical_networks": ["logical_network.a", "logical_network.b"],
            "port_classifications": ["port_classification.a", "port_classification.b"],
            "capacity": {
                "vm_count": 10,
                "cpu_count": 20,
                "memory_mb": 4096,
                "storage_gb": 100,
                "custom_quota_count": 5,
            },
            "custom_properties": {"custom_property.a": "x", "custom_property.b": "it's"},
            "disaster_recovery_supported": True,
        },
    ),
    Sample(
        "logical_network",
        "logical network",
        {"name": "Management", "description": "d", "isolation": "vlan", "network_virtualization": True},
    ),
    Sample(
        "network_site",
        "site",
        {
            "name": "Management Oslo",
            "description": "d",
            "logical_network": "logical_network.a",
            "host_groups": _HG,
            "subnets": [
                {"subnet": "10.0.0.0/24", "vlan": 10, "secondary_vlan": 20},
                {"subnet": "10.0.1.0/24", "vlan": 11, "secondary_vlan": 21},
            ],
        },
    ),
    Sample("ip_pool", "on a site", {**_POOL, "network_site": "network_site.a"}, keep=("network_site",)),
    Sample(
        "ip_pool",
        "on a VM subnet",
        {**_POOL, "vm_network": "vm_network.a", "vm_subnet": "web"},
        keep=("vm_network", "vm_subnet"),
    ),
    Sample("vm_network", "no isolation", {"name": "Flat", "description": "d", "logical_network": "logical_network.a"}),
    Sample(
        "vm_network",
        "vlan",
        {
            "name": "Tenant VLAN",
            "description": "d",
            "logical_network": "logical_network.a",
            "isolation": "vlan",
            "subnets": [{"name": "web", "subnet": "10.0.0.0/24", "vlan": 10, "network_site": "network_site.a"}],
        },
        keep=("isolation", "subnets"),
    ),
    Sample(
        "vm_network",
        "hnv",
        {
            "name": "Tenant HNV",
            "description": "d",
            "logical_network": "logical_network.a",
            "isolation": "hnv",
            "subnets": [{"name": "web", "subnet": "192.168.0.0/24"}, {"name": "db", "subnet": "192.168.1.0/24"}],
        },
        keep=("isolation",),
    ),
    Sample(
        "mac_pool",
        "mac pool",
        {
            "name": "Oslo MACs",
            "description": "d",
            "range_start": "00:1D:D8:B7:1C:00",
            "range_end": "00:1D:D8:B7:1F:FF",
            "host_groups": _HG,
        },
    ),
    Sample("port_classification", "class", {"name": "Gold", "description": "d"}),
    Sample(
        "virtual_port_profile",
        "weight",
        {
            "name": "Gold",
            "description": "d",
            **_VPP_FLAGS,
            "minimum_bandwidth_weight": 50,
            "minimum_bandwidth_absolute_mbps": 0,
            "maximum_bandwidth_mbps": 1000,
        },
    ),
    Sample(
        "virtual_port_profile",
        "absolute",
        {
            "name": "Gold",
            "description": "d",
            **_VPP_FLAGS,
            "minimum_bandwidth_weight": 0,
            "minimum_bandwidth_absolute_mbps": 100,
            "maximum_bandwidth_mbps": 1000,
        },
    ),
    Sample(
        "uplink_port_profile",
        "uplink",
        {
            "name": "Uplink",
            "description": "d",
            "network_sites": ["network_site.a", "network_site.b"],
            "team_mode": "lacp",
            "load_balancing": "dynamic",
            "network_virtualization": True,
        },
    ),
    Sample(
        "logical_switch",
        "switch",
        {
            "name": "Fabric",
            "description": "d",
            "uplink_mode": "no_team",
            "minimum_bandwidth_mode": "absolute",
            "enable_sriov": True,
            "uplink_port_profiles": ["uplink_port_profile.a", "uplink_port_profile.b"],
            "virtual_ports": [
                {"port_classification": "port_classification.a", "profile": "virtual_port_profile.a", "default": True},
                {"port_classification": "port_classification.b", "profile": "virtual_port_profile.b", "default": False},
            ],
        },
    ),
    Sample(
        "custom_property",
        "property",
        {"name": "Tier", "description": "d", "members": ["vm", "template", "vm_host", "cloud", "protection_unit"]},
    ),
    Sample(
        "ip_grant",
        "grant",
        {
            "name": "web01-nic1",
            "description": "d",
            "ip_pool": "ip_pool.a",
            "vm": "web'01",
            "adapter": 1,
            "address": "10.0.0.5",
        },
    ),
)


@dataclass(frozen=True)
class Variant:
    """Attributes of one kind (canonical, references as addresses) and what they vary."""

    kind: str
    label: str
    attributes: Mapping[str, Any]
    valid: bool = True  # False: `fabric.validate` refuses it (a template should refuse it too)


def _literals(annotation: Any) -> tuple[Any, ...]:
    """The values of a `Literal[…]` (also inside `list[…]` or `X | None`), else ()."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    for arg in get_args(annotation):
        found = _literals(arg)
        if found:
            return found
    return ()


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model a field holds (directly or as list items), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _raw_variants(sample: Sample) -> Iterator[tuple[str, dict[str, Any]]]:
    cls = KINDS[sample.kind]
    fields = cls.model_fields
    full = dict(sample.full)
    required = {name for name, f in fields.items() if f.is_required()} | set(sample.keep)
    minimal = {k: v for k, v in full.items() if k in required}
    yield "full", full
    yield "minimal", minimal
    for name in full:
        if name in required:
            continue
        yield f"without {name}", {k: v for k, v in full.items() if k != name}
        yield f"only {name}", {**minimal, name: full[name]}
    for name, f in fields.items():
        values = _literals(f.annotation)
        if values and name in full:
            for value in values:
                choice: Any = [value] if isinstance(full[name], list) else value
                yield f"{name}={value}", {**full, name: choice}
                yield f"minimal {name}={value}", {**minimal, name: choice}
        model = _model_of(f.annotation)
        if model is None or name not in full:
            continue
        inner = full[name]
        for sub in model.model_fields:
            if model.model_fields[sub].is_required():
                continue
            if isinstance(inner, list):
                yield (
                    f"{name}[] without {sub}",
                    {**full, name: [{k: v for k, v in i.items() if k != sub} for i in inner]},
                )
                yield f"{name}[0] only", {**full, name: inner[:1]}
            elif isinstance(inner, dict):
                yield f"{name} without {sub}", {**full, name: {k: v for k, v in inner.items() if k != sub}}


def _refused_by_validation(resource: Resource) -> bool:
    """What `fabric.validate` refuses for the binding's sake: the shape of VM networks and their
    subnets (New-SCVMSubnet needs a SubnetVLan; a VLAN network has one subnet of a site)."""
    if not isinstance(resource, VmNetwork):
        return False
    vlan = resource.isolation == "vlan"
    pairs = [{"subnet": s.subnet, "vlan": s.vlan} for s in resource.subnets if s.subnet is not None]
    context: dict[str, Resource] = {
        "vm_network.x": resource,
        resource.logical_network: LogicalNetwork(
            name="ln", isolation="vlan" if vlan else "connected", network_virtualization=resource.isolation == "hnv"
        ),
    }
    for sub in resource.subnets:
        site = sub.network_site or "network_site.a"
        context[site] = NetworkSite(
            name=site, logical_network=resource.logical_network, host_groups=["host_group.a"], subnets=pairs
        )
    return any(True for _ in vm_network_problems(context))


@cache
def variants(kind: str) -> tuple[Variant, ...]:
    """Every distinct variant of `kind` the model accepts (see the module docstring)."""
    out: dict[str, Variant] = {}
    for sample in SAMPLES:
        if sample.kind != kind:
            continue
        for label, data in _raw_variants(sample):
            try:
                resource = KINDS[kind].model_validate(data)
            except ValidationError:
                continue
            valid = not _refused_by_validation(resource)
            attributes = resource.canonical
            key = repr(sorted(attributes.items()))
            shown = f"{sample.label}: {label}" + ("" if valid else " (refused by validation)")
            out.setdefault(key, Variant(kind, shown, attributes, valid))
    return tuple(out.values())


def unsampled_fields() -> dict[str, set[str]]:
    """Model fields (also of list items and nested models) that no sample holds: a new attribute
    must get a sample value, or its branches would go unchecked."""
    out: dict[str, set[str]] = {}
    for kind, cls in KINDS.items():
        samples = [s.full for s in SAMPLES if s.kind == kind]
        missing = {n for n in cls.model_fields if n not in _SKIPPED and not any(n in s for s in samples)}
        for name, f in cls.model_fields.items():
            model = _model_of(f.annotation)
            if model is None or name in _SKIPPED:
                continue
            held: set[str] = set()
            for s in samples:
                inner = s.get(name)
                for item in inner if isinstance(inner, list) else [inner] if isinstance(inner, dict) else []:
                    held |= set(item)
            missing |= {f"{name}.{sub}" for sub in model.model_fields if sub not in held}
        if missing:
            out[kind] = missing
    return out


# --- scripts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Script:
    """One rendered script and where it comes from."""

    name: str
    text: str


@dataclass
class Rendered:
    """The scripts of one version, and how many renders the target refused."""

    version: str
    scripts: list[Script] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    after_each: Callable[[], None] = lambda: None
    _seen: set[str] = field(default_factory=set)

    def add(self, name: str, make: Callable[[], str]) -> bool:
        """Render one script; False if the target refused it."""
        try:
            text = make()
        except UnsupportedOnTarget as exc:
            self.refused.append(f"{name}: {exc}")
            return False
        finally:
            self.after_each()
        if text not in self._seen:
            self._seen.add(text)
            self.scripts.append(Script(name, text))
        return True


def _ids(kind: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
    return map_refs(KINDS[kind], dict(attributes), live_id)


def _plan_steps(v: Variant) -> list[dict[str, Any]]:
    address = f"{v.kind}.sample"
    attrs = dict(v.attributes)
    refs = sorted(a for a, _ in KINDS[v.kind].model_validate(attrs).typed_references)
    detach = detached(v.kind, attrs, set(refs[-1:])) if refs else None
    step: dict[str, Any] = {"address": address, "kind": v.kind}
    steps: list[dict[str, Any]] = [
        {**step, "op": "create", "attributes": attrs, "live_id": None},
        {**step, "op": "update", "attributes": attrs, "live_id": None},  # the object created above: $ids[…]
        {**step, "op": "delete", "attributes": {}, "live_id": live_id(address)},  # a replace: delete, create
        {**step, "op": "create", "attributes": attrs, "live_id": None},
    ]
    if detach is not None and detach != attrs:  # a two-step update: leave a reference, then take the new one
        steps.append({**step, "op": "update", "attributes": detach, "live_id": live_id(address)})
        steps.append({**step, "op": "update", "attributes": attrs, "live_id": live_id(address)})
    return steps


def golden_version(text: str) -> str:
    """The version a golden file was written for (its header), or the provider's default."""
    from fabric_scvmm.versions import DEFAULT_VERSION

    found = _GOLDEN_VERSION.search(text)
    return found.group(1) if found else DEFAULT_VERSION


def render_all(version: str, after_each: Callable[[], None] = lambda: None) -> Rendered:
    """Every script the provider can render for `version` (`after_each` runs after each render)."""
    out = Rendered(version, after_each=after_each)
    for kind in KINDS:
        planned: set[str] = set()  # samples with a plan script
        at = {"live_id": live_id(kind), "address": f"{kind}.x", "vmm_version": version}
        for v in variants(kind):
            attrs = _ids(kind, v.attributes)
            for op in ("create", "update"):
                out.add(f"{kind}/{op} [{v.label}]", partial(render, kind, op, attrs, **at))
            if v.label.endswith(": full"):
                remote = partial(render, kind, "update", attrs, **at, vmm_server=VMM_SERVER)
                out.add(f"{kind}/update [{v.label}, vmm_server]", remote)
            sample = v.label.split(":")[0]
            if sample not in planned and v.valid:  # the full sample, or the first variant the target takes
                known = {a: live_id(a) for a in sorted(_addresses(v))[::2]}  # half by live ID, half by $ids[…]
                plan = partial(write_plan_script, "binding", _plan_steps(v), known, VMM_SERVER, version)
                if out.add(f"plan {kind} [{v.label}]", plan):
                    planned.add(sample)
        out.add(f"{kind}/delete", partial(render, kind, "delete", {}, **at))
    out.add("read", partial(read_script, None, version))
    out.add("read [vmm_server]", partial(read_script, VMM_SERVER, version))
    out.add("selftest", partial(selftest_script, version, None))
    out.add("selftest [vmm_server]", partial(selftest_script, version, VMM_SERVER))
    order = list(VERSIONS)
    for golden in sorted(GOLDEN.glob("*.ps1")):
        text = golden.read_text(encoding="utf-8")
        if order.index(version) >= order.index(golden_version(text)):  # type: ignore[arg-type]
            out.add(f"golden/{golden.name}", partial(str, text))
    return out


def _addresses(v: Variant) -> set[str]:
    return {a for a, _ in KINDS[v.kind].model_validate(dict(v.attributes)).typed_references}


# --- coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A `yield` of a template's compiled code: the template line it comes from, and the commands
    its text names (empty for values and text without a command)."""

    template: str
    code_line: int
    line: int
    commands: tuple[str, ...]


@dataclass(frozen=True)
class Branch:
    """An `if`/`elif` (outcomes: true, false) or a `for` (outcomes: some items, none) of a
    template's compiled code, with the lines of its body."""

    template: str
    code_line: int
    line: int
    loop: bool
    body: range


@dataclass
class Coverage:
    """The `yield`s and branches of every template, and what the renders ran."""

    sites: list[Site]
    branches: list[Branch]
    ran: set[tuple[str, int]]
    arcs: set[tuple[str, int, int]]  # (template, code line, the next line run in that frame)
    entries: set[tuple[str, int, bool, bool]]  # (template, loop line, came from its body, went into it)

    def reached(self, site: Site) -> bool:
        """Whether a render ran this piece of output."""
        return (site.template, site.code_line) in self.ran

    def _from(self, template: str, line: int) -> list[tuple[str, int, int]]:
        return self._index.get((template, line), [])

    def __post_init__(self) -> None:
        self._index: dict[tuple[str, int], list[tuple[str, int, int]]] = {}
        for arc in self.arcs:
            self._index.setdefault((arc[0], arc[1]), []).append(arc)

    def outcomes(self, b: Branch) -> tuple[bool, bool]:
        """(taken, not taken) for an `if`; (some items, no items) for a `for`."""
        nexts = [c for _, _, c in self._from(b.template, b.code_line)]
        taken = any(c in b.body for c in nexts)
        if b.loop:
            empty = (b.template, b.code_line, False, False) in self.entries
            return taken, empty
        return taken, any(c not in b.body for c in nexts)

    @property
    def call_sites(self) -> list[Site]:
        """The pieces of template text that name a command."""
        return [s for s in self.sites if s.commands]

    def missed(self, calls_only: bool = False) -> list[Site]:
        """What no render reached."""
        return [s for s in (self.call_sites if calls_only else self.sites) if not self.reached(s)]

    def missed_outcomes(self) -> list[tuple[Branch, str]]:
        """Branch outcomes no render took."""
        out = []
        for b in self.branches:
            taken, other = self.outcomes(b)
            if not taken:
                out.append((b, "never entered" if b.loop else "never true"))
            if not other:
                out.append((b, "never empty" if b.loop else "never false"))
        return out


_BOILERPLATE = re.compile(  # jinja's own: macro argument defaults, block inheritance, includes
    r"if l_\d+_\w+ is missing:|if 0: yield None|for event in gen:"
    r"|for name, parent_block in parent_template\.blocks\.items\(\):"
)
_BRANCH = re.compile(r"(if|elif|for) ")


def _compiled(name: str, path: Path) -> tuple[str, str]:
    return name, str(environment().compile(path.read_text(encoding="utf-8"), name, str(path), raw=True))


def _template_line(mapping: Sequence[tuple[int, int]], code_line: int) -> int:
    return max((t for c, t in mapping if c <= code_line), default=1)


def _sites_and_branches() -> tuple[list[Site], list[Branch]]:
    sites, branches = [], []
    for name, path in template_files():
        name, code = _compiled(name, path)
        mapping = _debug_lines(code)
        lines = code.splitlines()
        for number, text in enumerate(lines, start=1):
            stripped = text.strip()
            if stripped.startswith("yield ") and not stripped.startswith("yield from") and "yield None" not in stripped:
                constant = _constant(stripped[len("yield ") :])
                commands = tuple(_COMMAND.findall(constant)) if constant is not None else ()
                sites.append(Site(name, number, _template_line(mapping, number), commands))
            elif _BRANCH.match(stripped) and stripped.endswith(":") and not _BOILERPLATE.fullmatch(stripped):
                indent = len(text) - len(text.lstrip())
                end = number
                while end < len(lines) and (
                    not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
                ):
                    end += 1
                loop = stripped.startswith("for ")
                branches.append(Branch(name, number, _template_line(mapping, number), loop, range(number + 1, end + 1)))
    return sites, branches


def _debug_lines(code: str) -> list[tuple[int, int]]:
    """(code line, template line) pairs from the `debug_info` jinja writes at the end of the module."""
    found = re.search(r"^debug_info = '([^']*)'", code, re.M)
    pairs = []
    for item in found.group(1).split("&") if found and found.group(1) else []:
        template_line, code_line = item.split("=")
        pairs.append((int(code_line), int(template_line)))
    return sorted(pairs)


def _constant(expression: str) -> str | None:
    try:
        value = ast.literal_eval(expression)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


class _Tracer:
    """Records, in code compiled from templates (files ending in .j2), each line run and the line
    run next in the same frame (across the frame's `yield`s), and how each loop was entered."""

    def __init__(self, loops: Mapping[tuple[str, int], range]) -> None:
        self.ran: set[tuple[str, int]] = set()
        self.arcs: set[tuple[str, int, int]] = set()
        self.entries: set[tuple[str, int, bool, bool]] = set()
        self._loops = loops
        self._last: dict[FrameType, int] = {}
        self._pending: dict[FrameType, tuple[int, bool]] = {}  # frame → (loop line, came from its body)
        self._roots = tuple(str(root) + "/" for root in TEMPLATE_DIRS)

    def reset(self) -> None:
        """Forget the frames of a finished render."""
        self._last.clear()
        self._pending.clear()

    def __call__(self, frame: FrameType, event: str, arg: object) -> Any:
        filename = frame.f_code.co_filename
        if not filename.endswith(".j2"):
            return None
        root = next((r for r in self._roots if filename.startswith(r)), "")
        name = filename[len(root) :]
        last, pending, loops = self._last, self._pending, self._loops
        ran, arcs, entries = self.ran, self.arcs, self.entries

        def local(frame: FrameType, event: str, arg: object) -> Any:
            if event != "line":
                return local
            line = frame.f_lineno
            ran.add((name, line))
            before = last.get(frame)
            if before is not None:
                arcs.add((name, before, line))
            waiting = pending.pop(frame, None)
            if waiting is not None:
                entries.add((name, waiting[0], waiting[1], line in loops[(name, waiting[0])]))
            loop = loops.get((name, line))
            if loop is not None:
                pending[frame] = (line, before is not None and before in loop)
            last[frame] = line
            return local

        return local


@dataclass
class Generated:
    """Every version's scripts, and the coverage of all the renders together."""

    rendered: dict[str, Rendered]
    coverage: Coverage


@cache
def generate(versions: Sequence[str] = VERSIONS) -> Generated:
    """Render everything for every version once (traced), for the tests and the report."""
    sites, branches = _sites_and_branches()
    tracer = _Tracer({(b.template, b.code_line): b.body for b in branches if b.loop})
    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        rendered = {v: render_all(v, tracer.reset) for v in versions}
    finally:
        sys.settrace(previous)
    return Generated(rendered, Coverage(sites, branches, tracer.ran, tracer.arcs, tracer.entries))
