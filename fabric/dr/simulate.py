"""`fabric dr simulate`: a deterministic replay of a recovery plan, before anyone presses the button.

A pure function of the stamp's model, the facts read from the live fabric (hosts, VMs, replicas,
replication) and the options (failover type, direction, an action made to fail, a test network).
It walks the plan as Site Recovery runs it — the shutdown step, the failover step, then each boot
group: pre-actions in order, the group's VMs in parallel, post-actions — and gives a timeline,
per VM and adapter where it lands and which address it gets (and the rule that decided it), the
findings (the S rules), the RTO estimate and the RPO bound. See docs/design.md ("Failover
simulation") for every choice the brief leaves open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from fabric.dr import network
from fabric.dr.facts import Adapter, DrFacts
from fabric.errors import FabricError
from fabric.model.base import Resource
from fabric.model.dr import Action, AdapterRecovery, NetworkMapping, ProtectedVm, RecoveryPlan, ReplicationPolicy
from fabric.model.resources import Cloud, VmNetwork

FailoverType = Literal["test", "planned", "unplanned"]
Direction = Literal["primary_to_recovery", "recovery_to_primary"]
Severity = Literal["error", "warning"]
SIMULATION_FORMAT = 1  # the JSON document's format_version

# estimates fabric assumes where the design gives none (docs/design.md): one VM's disks failing
# over, the built-in network preparation, a planned failover's last synchronisation (worst: twice)
FAILOVER_SECONDS = 120
FAILOVER_WORST_SECONDS = 300
PREPARE_SECONDS = 60
PREPARE_WORST_SECONDS = 600  # it runs as a script: VMM's limit
APIPA = "169.254.x.x"


@dataclass(frozen=True)
class Options:
    """What to simulate: `fail` names an action (NAME or STEP/NAME) that fails; `test_network`
    is a vm_network address or "none" (default: the plan's)."""

    plan: str
    type: FailoverType
    direction: Direction = "primary_to_recovery"
    fail: str | None = None
    test_network: str | None = None


@dataclass(frozen=True)
class Measured:
    """Step durations a completed run of the plan measured (its operation log): (step, what, the
    VMs it moved) → seconds, and which run (`source`, e.g. "drill of 2026-11-30T10:00:00+00:00"). A step the
    simulation shows with the same step and text takes its measured time as the expected one, and
    at least that as the worst case; a step whose text changed since (other VMs, a renamed action)
    keeps the design's estimate."""

    source: str
    seconds: Mapping[tuple[str, str, tuple[str, ...]], int]  # (step, text, the VMs it moved, sorted)


@dataclass(frozen=True)
class AdapterOutcome:
    """Where one adapter lands: VM network (None: not connected), switch, VLAN, address and why."""

    slot: int
    mode: str
    vm_network: str | None
    switch: str | None
    vlan: int | None
    ip: str | None
    rule: str
    was: str | None  # the primary's address
    ok: bool  # the outcome is what the design intends


@dataclass(frozen=True)
class VmOutcome:
    """One VM of the plan: its group, the host it starts on, when it is up, its adapters."""

    address: str
    vm: str
    group: str
    host: str | None
    status: Literal["up", "not started", "no replica"]
    up_at: int | None
    adapters: tuple[AdapterOutcome, ...] = ()


@dataclass(frozen=True)
class Event:
    """One line of the timeline: `start` seconds after the plan starts, expected and worst-case
    durations (None: unbounded), what happens, and its status."""

    start: int
    step: str
    what: str
    kind: Literal["action", "shutdown", "failover", "boot"]
    status: Literal["run", "skipped", "paused", "failed", "not run"]
    expected: int = 0
    worst: int | None = 0
    detail: str = ""
    vms: tuple[str, ...] = ()
    manual: bool = False  # an operator's step: the plan waits for them


@dataclass(frozen=True)
class SimFinding:
    """An S-rule finding: the rule, its severity, what it is about, and what happens."""

    rule: str
    severity: Severity
    subject: str
    message: str


@dataclass(frozen=True)
class Estimate:
    """RTO in seconds: expected and worst case (None: unbounded), and the manual share of each;
    `automatic_worst` is the worst case of everything but the manual steps."""

    expected: int
    worst: int | None
    manual_expected: int
    manual_worst: int | None
    automatic_worst: int = 0
    reached: bool = True  # False: the plan stops, or a VM does not start (what it takes is not an RTO)


@dataclass(frozen=True)
class Simulation:
    """The outcome of `simulate`."""

    plan: str
    name: str
    type: FailoverType
    direction: Direction
    test_network: str | None
    events: tuple[Event, ...]
    vms: tuple[VmOutcome, ...]
    findings: tuple[SimFinding, ...]
    rto: Estimate
    rpo_seconds: int | None
    stopped_at: str | None = None
    measured_from: str | None = None  # the run whose timings replaced estimates (`Measured.source`)
    facts_from: str | None = None  # a saved facts document (file, export time, source); None: live

    def errors(self) -> list[SimFinding]:
        """The findings of severity error."""
        return [f for f in self.findings if f.severity == "error"]


@dataclass
class _Run:
    """The walk's mutable state: the clock, what ran, what the preparation fixed."""

    fabric: Mapping[str, Resource]
    facts: DrFacts
    opts: Options
    plan: RecoveryPlan
    test_network: str | None
    t: int = 0
    stopped: str | None = None
    prepared: bool = False
    events: list[Event] = field(default_factory=list)
    findings: list[SimFinding] = field(default_factory=list)
    outcomes: list[VmOutcome] = field(default_factory=list)
    manual_expected: int = 0
    manual_worst: int | None = 0
    automatic_worst: int = 0
    up: dict[str, int] = field(default_factory=dict)
    started: dict[str, int] = field(default_factory=dict)  # group → when its VMs start
    group_of: dict[str, str] = field(default_factory=dict)  # protected VM → its group
    pools: network.Pools | None = None
    index: network.Index | None = None
    measured: Measured | None = None
    used_measured: bool = False

    def timed(
        self, step: str, what: str, expected: int, worst: int | None, vms: tuple[str, ...] = ()
    ) -> tuple[int, int | None, str]:
        """(expected, worst, a note) for a step: its measured time where a run measured it (the
        same step, text and VMs)."""
        key = (step, what, tuple(sorted(vms)))
        seconds = self.measured.seconds.get(key) if self.measured else None
        if seconds is None:
            return expected, worst, ""
        self.used_measured = True
        assert self.measured is not None
        note = f"measured {clock(seconds)} in the {self.measured.source} (estimate {clock(expected)})"
        return seconds, None if worst is None else max(worst, seconds), note

    def add(self, event: Event) -> None:
        if event.kind != "action" and event.status == "run":  # an action's timing is taken in _action
            expected, worst, note = self.timed(event.step, event.what, event.expected, event.worst, event.vms)
            if note:
                detail = f"{event.detail}; {note}" if event.detail else note
                event = replace(event, expected=expected, worst=worst, detail=detail)
        self.events.append(event)
        if event.status in ("run", "paused", "failed"):
            self.t += event.expected
            if not event.manual:  # a manual step's worst case is counted apart (it may be unbounded)
                self.automatic_worst += event.worst or 0

    def find(self, rule: str, severity: Severity, subject: str, message: str) -> None:
        self.findings.append(SimFinding(rule, severity, subject, message))


def resolve_plan(resources: Mapping[str, Resource], given: str) -> str:
    """The address of the recovery plan `given` names (an address, a key or a display name)."""
    plans = {a: r for a, r in resources.items() if isinstance(r, RecoveryPlan)}
    by_key = [a for a in plans if given in (a, a.split(".", 1)[1])]  # an address or a key first
    by_name = [a for a, r in plans.items() if given.casefold() == r.name.casefold()]
    if by_key or len(by_name) == 1:
        return (by_key or by_name)[0]
    if by_name:
        raise FabricError(f"{given!r} names {len(by_name)} recovery plans; give the address: {', '.join(by_name)}")
    known = ", ".join(sorted(plans)) or "none: the stamp declares no recovery_plan"
    raise FabricError(f"no recovery plan {given!r} in this stamp (recovery plans: {known})")


def _fail_runs(plan: RecoveryPlan, qualified: str | None, opts: Options) -> None:
    """FabricError if `--fail` names an action this failover does not run."""
    action = dict(plan.actions()).get(qualified or "")
    if action is not None and (opts.type not in action.failover_types or opts.direction not in action.directions):
        raise FabricError(
            f"--fail {qualified}: that action does not run in a {opts.type} failover {opts.direction} "
            f"(it runs for {', '.join(action.failover_types)}; {', '.join(action.directions)})"
        )


def _failing(plan: RecoveryPlan, given: str | None) -> str | None:
    """The qualified STEP/NAME of the action `--fail` names (FabricError if none or several)."""
    if given is None:
        return None
    qualified = [q for q, _ in plan.actions()]
    folded = given.casefold()  # action names are unique case-insensitively (DR016)
    matches = [q for q in qualified if folded in (q.casefold(), q.rsplit("/", 1)[1].casefold())]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise FabricError(f"--fail {given!r}: the plan has no such action (actions: {', '.join(qualified) or 'none'})")
    raise FabricError(f"--fail {given!r} names {len(matches)} actions; say which: {', '.join(matches)}")


def simulate(
    resources: Mapping[str, Resource],
    facts: DrFacts,
    opts: Options,
    index: network.Index | None = None,
    measured: Measured | None = None,
) -> Simulation:
    """Replay the recovery plan `opts.plan` (an address in `resources`); see the module docstring.
    FabricError for an option that names nothing. `index`: `network.Index.of(resources)`, when one
    is at hand (several simulations of one stamp); `measured`: step durations of an earlier run of
    the plan, used instead of the estimates where the step is the same."""
    plan = resources.get(opts.plan)
    if not isinstance(plan, RecoveryPlan):
        raise FabricError(f"{opts.plan} is not a recovery plan of this stamp")
    test_network = _test_network(resources, plan, opts)
    failing = _failing(plan, opts.fail)
    _fail_runs(plan, failing, opts)
    run = _Run(resources, facts, replace(opts, fail=failing), plan, test_network)
    run.index = index or network.Index.of(resources)
    run.measured = measured
    run.pools = _pools(run.index, facts)
    _preflight(run)
    _shutdown(run)
    _failover(run)
    for group in plan.groups:
        _group(run, group.name, group.pre, group.vms, group.post)
    _order_findings(run)
    _duplicate_findings(run)
    _unexplained_findings(run)
    worst = None if run.manual_worst is None else run.automatic_worst + run.manual_worst
    reached = run.stopped is None and all(o.status == "up" for o in run.outcomes)
    rto = Estimate(run.t, worst, run.manual_expected, run.manual_worst, run.automatic_worst, reached)
    return Simulation(
        plan=opts.plan,
        name=plan.name,
        type=opts.type,
        direction=opts.direction,
        test_network=test_network if opts.type == "test" else None,
        events=tuple(run.events),
        vms=tuple(run.outcomes),
        findings=tuple(run.findings),
        rto=rto,
        rpo_seconds=_rpo(resources, plan, opts.type, facts),
        stopped_at=run.stopped,
        measured_from=measured.source if measured is not None and run.used_measured else None,
    )


def _test_network(resources: Mapping[str, Resource], plan: RecoveryPlan, opts: Options) -> str | None:
    if opts.test_network is None:
        return plan.test_network
    if opts.type != "test":  # said and ignored would let a reviewer think it mattered
        raise FabricError(f"--test-network is for a test failover; a {opts.type} failover uses the network mappings")
    if opts.test_network.casefold() == "none":
        return None
    address = opts.test_network if "." in opts.test_network else f"vm_network.{opts.test_network}"
    if not isinstance(resources.get(address), VmNetwork):
        networks = ", ".join(sorted(a for a, r in resources.items() if isinstance(r, VmNetwork))[:8])
        raise FabricError(
            f"--test-network {opts.test_network!r} is not a vm_network of this stamp (or none): {networks}"
        )
    return address


def _pools(index: network.Index, facts: DrFacts) -> network.Pools:
    held = [
        (net, a.ip)
        for vm in (*facts.primaries.values(), *facts.replicas.values())
        for a in vm.adapters
        if a.ip and (net := index.network(a.vm_network))
    ]
    return network.Pools(index, facts.grants, held)


def _rpo(resources: Mapping[str, Resource], plan: RecoveryPlan, kind: FailoverType, facts: DrFacts) -> int | None:
    """Unplanned: at most the slowest copy frequency of the plan's pairings' policies (the lab
    observes no lag). Planned: none lost (the last changes are copied first). Test: not asked.
    None also when a VM is not replicating normally: how old its last copy is, is unknown."""
    vms = [resources.get(v) for v in plan.members()]
    for vm in vms:
        state = facts.replication.get(vm.vm.casefold()) if isinstance(vm, ProtectedVm) else None
        if kind != "test" and (state is None or state.state != "Replicating" or state.health != "Normal"):
            return None
    if kind != "unplanned":
        return 0 if kind == "planned" else None
    return slowest_copy(resources, [vm for vm in vms if isinstance(vm, ProtectedVm)])


def slowest_copy(resources: Mapping[str, Resource], vms: list[ProtectedVm]) -> int:
    """The longest copy frequency of these VMs' pairings' policies (seconds; 0 if none)."""
    worst = 0
    for vm in vms:
        pairing = network.pairing_of(resources, vm.pairing)
        policy = resources.get(pairing.policy) if pairing else None
        if isinstance(policy, ReplicationPolicy):
            worst = max(worst, policy.copy_frequency_seconds)
    return worst


def _preflight(run: _Run) -> None:
    """Findings that hold before the first step: VMs not replicating, health before a planned
    failover, a gate an unplanned failover ignores, a drill into production."""
    for vm_address in dict.fromkeys(v for g in run.plan.groups for v in g.vms):
        vm = run.fabric.get(vm_address)
        if not isinstance(vm, ProtectedVm):
            continue
        replication = run.facts.replication.get(vm.vm.casefold())
        if replication is None:
            run.find("DR038", "error", vm_address, f"{vm.vm} is not replicating: there is no replica to fail over")
            continue
        if replication.state != "Replicating" or replication.health != "Normal":
            severity: Severity = "error" if run.opts.type == "planned" else "warning"
            run.find(
                "DR032",
                severity,
                vm_address,
                f"{vm.vm} replication is {replication.state}, health {replication.health}",
            )
    if run.opts.type == "test":
        _test_network_findings(run)


def _test_network_findings(run: _Run) -> None:
    production = {r.recovery_vm_network for r in run.fabric.values() if isinstance(r, NetworkMapping)}
    production |= {net for net, _ in (run.pools.held if run.pools else [])}  # where VMs run now
    keep = [
        (g.name, v)
        for g in run.plan.groups
        for v in g.vms
        if isinstance(vm := run.fabric.get(v), ProtectedVm) and any(a.mode == "keep_ip" for a in vm.adapters)
    ]
    if run.test_network is None:
        if keep:
            run.find(
                "DR020",
                "warning",
                run.opts.plan,
                "test network none: the keep_ip adapters cannot be exercised (use an isolated test VM network that "
                "carries the same subnet)",
            )
    elif run.test_network in production:
        run.find(
            "DR020",
            "warning",
            run.opts.plan,
            f"the drill connects test VMs to {run.test_network}, a production network: two copies of each VM's "
            "identity",
        )


def _runs(run: _Run, action: Action) -> bool:
    return run.opts.type in action.failover_types and run.opts.direction in action.directions


def _action(run: _Run, step: str, action: Action) -> None:
    qualified = f"{step}/{action.name}"
    if run.stopped is not None:
        run.add(Event(run.t, step, action.name, "action", "not run", detail=f"after {run.stopped} failed"))
        return
    if not _runs(run, action):
        why = run.opts.type if run.opts.type not in action.failover_types else run.opts.direction.replace("_", " ")
        run.add(Event(run.t, step, action.name, "action", "skipped", detail=f"not for {why}"))
        return
    expected, worst, detail = _duration(action)
    expected, worst, note = run.timed(step, action.name, expected, worst)
    detail = f"{detail}; {note}" if note else detail
    failed = run.opts.fail == qualified
    status: Literal["run", "paused", "failed"] = "failed" if failed else "paused" if action.manual else "run"
    if failed:
        outcome = "the plan stops" if run.opts.type != "unplanned" else "unplanned: recorded, the plan goes on"
        detail = f"{detail}; fails ({outcome})"
    run.add(
        Event(run.t, step, action.name, "action", status, expected, worst, detail, manual=action.manual is not None)
    )
    if action.manual is not None:
        run.manual_expected += expected
        run.manual_worst = None if run.manual_worst is None or worst is None else run.manual_worst + worst
    if failed and run.opts.type != "unplanned":
        run.stopped = qualified
        run.find(
            "DR040", "error", qualified, f"fails: the {run.opts.type} failover stops here; what follows does not run"
        )
    elif failed:
        run.find("DR019", "warning", qualified, "fails: an unplanned failover records it and goes on")
    if action.builtin == "prepare_replica_network" and not failed:
        run.prepared = True


def _duration(action: Action) -> tuple[int, int | None, str]:
    if action.manual is not None:
        limit = "unbounded" if action.manual.max is None else f"max {clock(action.manual.max)}"
        return action.manual.estimate, action.manual.max, f"manual: {action.manual.instructions} ({limit})"
    if action.script is not None:
        s = action.script
        where = s.library_script or s.path
        return s.estimate, s.timeout, f"script {where} on the {s.location} side (timeout {clock(s.timeout)})"
    return (
        PREPARE_SECONDS,
        PREPARE_WORST_SECONDS,
        "built-in: replica adapters to their switch and VLAN, failover TCP/IP cleared",
    )


def _count(n: int, one: str, text: str, many: str = "") -> str:
    """`text` with `n one` (or `n many`) in its `{}`; one thing is not done "in parallel"."""
    if n == 1:
        return text.replace(" in parallel", "").format(f"1 {one}")
    return text.format(f"{n} {many or one + 's'}")


def clock(seconds: int | None) -> str:
    """`T+` offsets and durations as 1h02m03s / 12m05s (None: unbounded)."""
    if seconds is None:
        return "unbounded"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m{rest % 60:02d}s" if hours else f"{rest // 60}m{rest % 60:02d}s"


def _plan_vms(run: _Run) -> list[ProtectedVm]:
    return [vm for v in run.plan.members() if isinstance(vm := run.fabric.get(v), ProtectedVm)]


def _shutdown(run: _Run) -> None:
    for action in run.plan.shutdown.pre:
        _action(run, "shutdown", action)
    vms = _plan_vms(run)
    if run.stopped is not None:
        run.add(Event(run.t, "shutdown", "shut down the primaries", "shutdown", "not run"))
    elif run.opts.type == "planned" and run.opts.direction == "primary_to_recovery":
        longest = max((v.shutdown_seconds for v in vms), default=0)
        names = tuple(v.vm for v in vms)
        run.add(
            Event(
                run.t,
                "shutdown",
                _count(len(vms), "primary", "shut down {} in parallel", "primaries"),
                "shutdown",
                "run",
                longest,
                longest,
                vms=names,
            )
        )
    elif run.opts.type == "planned":
        longest = max((v.shutdown_seconds for v in vms), default=0)
        run.add(
            Event(
                run.t,
                "shutdown",
                _count(len(vms), "VM", "shut down {} at the recovery site in parallel"),
                "shutdown",
                "run",
                longest,
                longest,
            )
        )
    else:
        why = (
            "test failover: the primaries keep running"
            if run.opts.type == "test"
            else "unplanned: the primary site is assumed lost"
        )
        run.add(Event(run.t, "shutdown", "shut down the primaries", "shutdown", "skipped", detail=why))
    for action in run.plan.shutdown.post:
        _action(run, "shutdown", action)


def _failover(run: _Run) -> None:
    for action in run.plan.failover.pre:
        _action(run, "failover", action)
    vms = _plan_vms(run)
    if run.stopped is not None:
        run.add(Event(run.t, "failover", "fail over the disks", "failover", "not run"))
    else:
        if run.opts.type == "planned":
            sync = slowest_copy(run.fabric, vms)
            run.add(
                Event(
                    run.t,
                    "failover",
                    "copy the last changes (planned: no data lost)",
                    "failover",
                    "run",
                    sync,
                    2 * sync,
                )
            )
        run.add(
            Event(
                run.t,
                "failover",
                _count(len(vms), "VM", "prepare the disks of {} in parallel"),
                "failover",
                "run",
                FAILOVER_SECONDS if vms else 0,
                FAILOVER_WORST_SECONDS if vms else 0,
            )
        )
    for action in run.plan.failover.post:
        _action(run, "failover", action)


def _group(run: _Run, name: str, pre: list[Action], members: list[str], post: list[Action]) -> None:
    for action in pre:
        _action(run, name, action)
    vms = [(a, v) for a in members if isinstance(v := run.fabric.get(a), ProtectedVm)]
    if run.stopped is not None:
        run.add(
            Event(run.t, name, _count(len(vms), "VM", "start {}"), "boot", "not run", vms=tuple(v.vm for _, v in vms))
        )
        for address, vm in vms:
            run.outcomes.append(VmOutcome(address, vm.vm, name, None, "not started", None))
    else:
        longest = max((v.boot_seconds for _, v in vms), default=0)
        label = _count(len(vms), "VM", "start {} in parallel")
        moved = tuple(v.vm for _, v in vms)
        up_at = run.t + run.timed(name, label, longest, longest, moved)[0]  # add() notes the measured time
        run.started[name] = run.t
        for address, vm in vms:
            run.group_of[address] = name
            outcome = _vm_outcome(run, address, vm, name, up_at)
            run.outcomes.append(outcome)
            if outcome.status == "up":
                run.up[address] = up_at
        started = [v.vm for _, v in vms]
        run.add(
            Event(
                run.t,
                name,
                label,
                "boot",
                "run",
                longest,
                longest,
                vms=tuple(started),
            )
        )
    for action in post:
        _action(run, name, action)


def _vm_outcome(run: _Run, address: str, vm: ProtectedVm, group: str, up_at: int) -> VmOutcome:
    key = vm.vm.casefold()
    primary = run.facts.primaries.get(key)
    replica = run.facts.replicas.get(key)
    replication = run.facts.replication.get(key)
    if primary is None or replica is None or replication is None:
        return VmOutcome(address, vm.vm, group, None, "no replica", None)
    back = run.opts.direction == "recovery_to_primary"
    host = primary.host if back else replica.host
    if not back:
        _replica_placement(run, address, vm, host)
    declared = {a.adapter: a for a in vm.adapters}
    for slot in sorted(s for s in declared if s >= len(primary.adapters)):
        run.find(
            "DR044", "warning", _subject(address, slot), f"{vm.vm} has no adapter {slot}: its intent applies to none"
        )
    adapters = []
    for slot, source in enumerate(primary.adapters):
        intent = declared.get(slot, AdapterRecovery(adapter=slot))
        on_replica = replica.adapters[slot] if slot < len(replica.adapters) else source
        if back and run.opts.type != "test":  # a test failover uses the test network either way
            outcome = _failback(slot, intent, source)
        else:
            outcome = _adapter(run, address, vm, intent, source, on_replica, host)
        adapters.append(outcome)
    return VmOutcome(address, vm.vm, group, host, "up", up_at, tuple(adapters))


def _replica_placement(run: _Run, address: str, vm: ProtectedVm, host: str) -> None:
    """DR043: the replica runs on a host outside the recovery cloud's host groups."""
    pairing = network.pairing_of(run.fabric, vm.pairing)
    cloud = run.fabric.get(pairing.recovery_cloud) if pairing else None
    facts = run.facts.hosts.get(host.casefold())
    if not isinstance(cloud, Cloud) or facts is None:
        return
    assert run.index is not None
    paths = run.index.paths
    if not network.inside(facts.host_group, [paths.get(g, "") for g in cloud.host_groups]):
        run.find(
            "DR043",
            "error",
            address,
            f"{vm.vm}'s replica runs on {host} ({facts.host_group}), outside the recovery cloud {cloud.name!r}: "
            "it fails over there, with that site's networks",
        )


def _failback(slot: int, intent: AdapterRecovery, source: Adapter) -> AdapterOutcome:
    """Back to the primary: each adapter returns to its own network and address (the mapping is
    used in reverse; the primary's pool kept the address for it)."""
    rule = "original address (failback)" if source.ip else "not connected (it was not on the primary either)"
    return AdapterOutcome(
        slot, intent.mode, source.vm_network, source.switch, source.vlan, source.ip, rule, source.ip, True
    )


def _adapter(
    run: _Run, address: str, vm: ProtectedVm, intent: AdapterRecovery, source: Adapter, replica: Adapter, host: str
) -> AdapterOutcome:
    failover = replica.failover_ipv4
    if run.prepared and intent.mode == "keep_ip":
        failover = "disabled"  # the preparation cleared it, where the guest keeps its static IP
    if run.opts.type == "test":  # on the test network's subnet (the one holding the address, else the first)
        outcome = _test_adapter(run, address, vm, intent, source, replica, failover)
        net = run.fabric.get(run.test_network or "")
        vlan = network.test_vlan(net, source.ip) if isinstance(net, VmNetwork) and outcome.vm_network else None
        return replace(outcome, switch=None, vlan=vlan)
    if intent.mode == "keep_ip":
        return _keep_ip(run, address, vm, intent, source, replica, failover, host)
    if intent.mode == "failover_ip":
        return _failover_ip(run, address, vm, intent, source, replica, failover)
    return _mapped(run, address, vm, intent, source, failover, host)


def _subject(address: str, slot: int) -> str:
    return f"{address} adapter {slot}"


def _apipa(
    run: _Run,
    address: str,
    vm: ProtectedVm,
    intent: AdapterRecovery,
    source: Adapter,
    network_name: str | None,
    switch: str | None,
    vlan: int | None,
) -> AdapterOutcome:
    prepared = " and no prepare_replica_network runs before its group" if not run.prepared else ""
    run.find(
        "DR012",
        "error",
        _subject(address, intent.adapter),
        f"{vm.vm}: failover TCP/IP is enabled with no address{prepared}: the guest comes up with {APIPA} (APIPA)",
    )
    return AdapterOutcome(
        intent.adapter,
        intent.mode,
        network_name,
        switch,
        vlan,
        APIPA,
        "APIPA (failover TCP/IP enabled and empty)",
        source.ip,
        False,
    )


def _keep_ip(
    run: _Run,
    address: str,
    vm: ProtectedVm,
    intent: AdapterRecovery,
    source: Adapter,
    replica: Adapter,
    failover: object,
    host: str,
) -> AdapterOutcome:
    switch = intent.switch if run.prepared and intent.switch else replica.switch
    vlan = _keep_vlan(run, vm, intent, source) if run.prepared else replica.vlan
    if failover == "enabled_empty":
        return _apipa(run, address, vm, intent, source, None, switch, vlan)
    if isinstance(failover, Mapping):
        given = str(failover.get("address"))
        run.find(
            "DR012",
            "error",
            _subject(address, intent.adapter),
            f"{vm.vm}: failover TCP/IP is set: the guest takes {given} instead of keeping {source.ip}",
        )
        return AdapterOutcome(
            intent.adapter, intent.mode, None, switch, vlan, given, "failover IP (not kept)", source.ip, False
        )
    host_facts = run.facts.hosts.get(host.casefold())
    assert run.index is not None
    reached = run.index.vlans(host_facts.host_group, switch) if host_facts and switch else set()
    has_switch = bool(host_facts and switch and switch.casefold() in {s.casefold() for s in host_facts.switches})
    if (
        has_switch
        and vlan is not None
        and vlan in reached
        and (intent.switch is None or (switch or "").casefold() == intent.switch.casefold())
    ):
        return AdapterOutcome(
            intent.adapter, intent.mode, None, switch, vlan, source.ip, "kept (stretched VLAN)", source.ip, True
        )
    why = (
        f"switch {switch or '(none)'!r} is not on host {host}"
        if not has_switch
        else f"VLAN {vlan} does not reach host {host} through switch {switch!r}"
        if vlan not in reached
        else f"it is on switch {switch!r}, and the design says {intent.switch!r}"
    )
    run.find(
        "DR011",
        "error",
        _subject(address, intent.adapter),
        f"{vm.vm}: {why}: the guest keeps {source.ip} on a network that does not carry it",
    )
    return AdapterOutcome(
        intent.adapter, intent.mode, None, switch, vlan, source.ip, f"isolated ({why})", source.ip, False
    )


def _keep_vlan(run: _Run, vm: ProtectedVm, intent: AdapterRecovery, source: Adapter) -> int:
    if intent.vlan is not None:
        return intent.vlan
    return source.vlan


def _failover_ip(
    run: _Run,
    address: str,
    vm: ProtectedVm,
    intent: AdapterRecovery,
    source: Adapter,
    replica: Adapter,
    failover: object,
) -> AdapterOutcome:
    slot = intent.adapter
    assert run.index is not None
    mapping = run.index.mapping(run.index.network(source.vm_network), vm.pairing)
    target = run.index.target(mapping)
    name = target[1].name if target else None
    vlan = replica.vlan
    if target is not None:  # the replica joins the mapped network: its subnet's VLAN, not the primary's
        source_net = run.fabric.get(run.index.network(source.vm_network) or "")
        chosen = network.recovery_subnet(
            target[1], network.source_subnet_name(source_net if isinstance(source_net, VmNetwork) else None, source.ip)
        )
        vlan = next((sub.vlan for sub in target[1].subnets if chosen and sub.name == chosen[0]), replica.vlan)
    if failover == "enabled_empty":
        return _apipa(run, address, vm, intent, source, name, replica.switch, vlan)
    if not isinstance(failover, Mapping):
        run.find(
            "DR012",
            "error",
            _subject(address, slot),
            f"{vm.vm}: failover TCP/IP is off on the replica: the guest keeps {source.ip}, its primary address",
        )
        return AdapterOutcome(
            slot,
            intent.mode,
            name,
            replica.switch,
            vlan,
            source.ip,
            "primary address (failover TCP/IP off)",
            source.ip,
            False,
        )
    given = str(failover.get("address"))
    declared = intent.failover_ip.address if intent.failover_ip else None
    ok = True
    if declared is not None and given != declared:
        ok = False
        run.find(
            "DR012",
            "error",
            _subject(address, slot),
            f"{vm.vm}: the replica's failover TCP/IP gives {given}, and the design says {declared}",
        )
    if target is not None and target[1].subnets and not network.holds(target[1], given):
        ok = False
        run.find(
            "DR012",
            "warning",
            _subject(address, slot),
            f"{vm.vm}: failover IP {given} is in no subnet of the recovery network {target[1].name!r}",
        )
    assert run.pools is not None
    if target is not None:  # the address is in use there now: no pool of that network gives it again
        run.pools.hold_on(target[0], given)
    switch = None if target is not None else replica.switch  # on the mapped VM network, not a bare switch
    return AdapterOutcome(slot, intent.mode, name, switch, vlan, given, "failover IP", source.ip, ok)


def _mapped(
    run: _Run, address: str, vm: ProtectedVm, intent: AdapterRecovery, source: Adapter, failover: object, host: str
) -> AdapterOutcome:
    slot = intent.adapter
    assert run.index is not None
    primary_net = run.index.network(source.vm_network)
    if source.vm_network is None:
        return AdapterOutcome(
            slot, intent.mode, None, None, None, None, "not connected (not on the primary either)", None, True
        )
    mapping = run.index.mapping(primary_net, vm.pairing)
    if mapping is None:
        run.find(
            "DR007",
            "error",
            _subject(address, slot),
            f"{vm.vm}: VM network {source.vm_network!r} has no mapping for {vm.pairing}: "
            "the replica is connected to no network",
        )
        return AdapterOutcome(
            slot, intent.mode, None, None, None, None, "not connected (no network mapping)", source.ip, False
        )
    found = run.index.target(mapping)
    if found is None:
        return AdapterOutcome(
            slot,
            intent.mode,
            None,
            None,
            None,
            None,
            "not connected (the mapping's network is not in the stamp)",
            source.ip,
            False,
        )
    target_address, target = found
    source_net = run.fabric.get(primary_net or "")
    chosen = network.recovery_subnet(
        target, network.source_subnet_name(source_net if isinstance(source_net, VmNetwork) else None, source.ip)
    )
    vlan = None
    if chosen is not None:
        vlan = next((s.vlan for s in target.subnets if s.name == chosen[0]), None)
    if failover == "enabled_empty":
        return _apipa(run, address, vm, intent, source, target.name, None, vlan)
    if not source.static or intent.mode == "dhcp":  # Site Recovery leaves DHCP adapters to DHCP
        return AdapterOutcome(
            slot, intent.mode, target.name, None, vlan, None, "DHCP on the recovery network", source.ip, True
        )
    assert run.pools is not None
    pool = run.pools.for_subnet(target_address, chosen[0], chosen[1], chosen[2]) if chosen else None
    where = run.facts.hosts.get(host.casefold())
    if pool is None and not target.subnets and where is not None:  # no isolation: its logical network's pools
        pool = run.pools.for_unisolated(target_address, where.host_group, run.index.paths, source.ip)
    if pool is None:
        run.find(
            "DR030",
            "error",
            _subject(address, slot),
            f"{vm.vm}: VM network {target.name!r} has no static IP pool: allocation fails",
        )
        return AdapterOutcome(
            slot, intent.mode, target.name, None, vlan, None, "allocation fails (no static IP pool)", source.ip, False
        )
    if run.pools.can_give(pool, source.ip):
        run.pools.give(pool, str(source.ip))
        return AdapterOutcome(
            slot, intent.mode, target.name, None, vlan, source.ip, f"kept (free in {pool})", source.ip, True
        )
    given = run.pools.next_free(pool)
    if given is None:
        run.find("DR030", "error", _subject(address, slot), f"{vm.vm}: {pool} has no free address: allocation fails")
        return AdapterOutcome(
            slot, intent.mode, target.name, None, vlan, None, f"allocation fails ({pool} is full)", source.ip, False
        )
    if run.pools.in_subnet(pool, source.ip):  # it could have kept it: the pool holds it for the primary
        run.find(
            "DR008",
            "warning",
            _subject(address, slot),
            f"{vm.vm}: gets {given}, not {source.ip}: {pool} holds that address already (the primary's pool, on one "
            "VMM server)",
        )
    return AdapterOutcome(slot, intent.mode, target.name, None, vlan, given, f"new from {pool}", source.ip, True)


def _test_adapter(
    run: _Run,
    address: str,
    vm: ProtectedVm,
    intent: AdapterRecovery,
    source: Adapter,
    replica: Adapter,
    failover: object,
) -> AdapterOutcome:
    slot = intent.adapter
    test_net = run.fabric.get(run.test_network or "")
    if failover == "enabled_empty":
        name = test_net.name if isinstance(test_net, VmNetwork) else None
        return _apipa(run, address, vm, intent, source, name, replica.switch, replica.vlan)
    if run.test_network is None:
        return AdapterOutcome(
            slot,
            intent.mode,
            None,
            None,
            None,
            None,
            "not connected (test network: none)",
            source.ip,
            intent.mode != "keep_ip",
        )
    net = test_net
    assert isinstance(net, VmNetwork) and run.test_network is not None
    if not source.static or intent.mode == "dhcp":
        return AdapterOutcome(
            slot, intent.mode, net.name, None, None, None, "DHCP on the test network", source.ip, True
        )
    assert run.pools is not None
    in_use = any(n == run.test_network and a == source.ip for n, a in run.pools.held)
    if network.holds(net, source.ip) and not in_use:
        return AdapterOutcome(
            slot,
            intent.mode,
            net.name,
            None,
            None,
            source.ip,
            "kept (the test network carries its subnet)",
            source.ip,
            True,
        )
    if in_use and intent.mode == "keep_ip":  # the guest keeps its static address: the primary's
        run.find(
            "DR020",
            "error",
            _subject(address, slot),
            f"{vm.vm}: {source.ip} is in use on test network {net.name!r} (the running primary holds it): "
            "an address conflict with production",
        )
        return AdapterOutcome(
            slot,
            intent.mode,
            net.name,
            None,
            None,
            source.ip,
            "address conflict (the primary holds it)",
            source.ip,
            False,
        )
    if intent.mode == "keep_ip":
        run.find(
            "DR020",
            "warning",
            _subject(address, slot),
            f"{vm.vm}: test network {net.name!r} does not carry {source.ip}: the drill cannot show the address kept",
        )
    first = net.subnets[0] if net.subnets else None
    assert run.pools is not None
    pool = run.pools.for_subnet(run.test_network, first.name, first.subnet, first.network_site) if first else None
    given = run.pools.next_free(pool) if pool else None
    if given is None:
        run.find(
            "DR030",
            "error",
            _subject(address, slot),
            f"{vm.vm}: test network {net.name!r} gives no address: allocation fails",
        )
        return AdapterOutcome(
            slot, intent.mode, net.name, None, None, None, "allocation fails (test network)", source.ip, False
        )
    return AdapterOutcome(
        slot,
        intent.mode,
        net.name,
        None,
        None,
        given,
        f"new from {pool} (test network)",
        source.ip,
        intent.mode != "keep_ip",
    )


def _order_findings(run: _Run) -> None:
    """DR037: a protected VM declared to depend on another starts before it is up."""
    for outcome in run.outcomes:
        vm = run.fabric.get(outcome.address)
        if not isinstance(vm, ProtectedVm) or outcome.status != "up":
            continue
        started = run.started.get(outcome.group, 0)
        for dependency in vm.depends_on:
            if not isinstance(run.fabric.get(dependency), ProtectedVm):
                continue
            ready = run.up.get(dependency)
            if ready is None or ready > started or run.group_of.get(dependency) == outcome.group:
                when = "never comes up in this plan" if ready is None else "is not up yet when it starts"
                run.find("DR037", "warning", outcome.address, f"{outcome.vm} depends on {dependency}, which {when}")


def _duplicate_findings(run: _Run) -> None:
    """DR041: two adapters end up with one address on one network."""
    seen: dict[tuple[str, str], str] = {}
    for outcome in run.outcomes:
        for a in outcome.adapters:
            if not a.ip or a.ip == APIPA:
                continue
            where = a.vm_network or f"{a.switch}/{a.vlan}"
            other = seen.setdefault((where, a.ip), f"{outcome.vm} adapter {a.slot}")
            if other != f"{outcome.vm} adapter {a.slot}":
                run.find(
                    "DR041",
                    "error",
                    _subject(outcome.address, a.slot),
                    f"{outcome.vm} and {other} both get {a.ip} on {where}: an address conflict",
                )


def _unexplained_findings(run: _Run) -> None:
    """DR042: an adapter that does not come up as designed has a finding, always."""
    said = {f.subject for f in run.findings}
    for outcome in run.outcomes:
        for a in outcome.adapters:
            subject = _subject(outcome.address, a.slot)
            if not a.ok and subject not in said and outcome.address not in said and run.opts.plan not in said:
                run.find("DR042", "warning", subject, f"{outcome.vm}: {a.rule}")
