"""`fabric dr …` in the engine: the facts a simulation reads, gathered from the provider, the plan's
pending changes, which a simulation warns about (it replays what the code says), and `check`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fabric.dr.check import CheckFinding, CheckReport
from fabric.dr.facts import DrFacts, facts_from
from fabric.dr.network import Index
from fabric.dr.simulate import Measured, Options, SimFinding, Simulation, resolve_plan, simulate
from fabric.engine.managed import manages_dr
from fabric.errors import FabricError
from fabric.model.base import Resource
from fabric.model.dr import ProtectedVm, RecoveryPlan
from fabric.model.resources import KINDS
from fabric.plan.action import Action
from fabric.plan.change import Plan
from fabric.providers.logged import unwrapped

if TYPE_CHECKING:
    from fabric.engine import Session


def provider_facts(session: Session) -> dict[str, Any]:
    """The provider's raw DR facts (the lab's); FabricError for a provider that cannot read them."""
    provider = unwrapped(session.provider)
    reader = getattr(provider, "dr_facts", None)
    if reader is None:
        raise FabricError(
            f"the {provider.name} provider cannot read Hyper-V hosts, VMs and replicas: run the script "
            "`fabric dr facts --script` prints on the VMM server (.\\dr-facts.ps1 > dr-facts.json) and give "
            "--facts dr-facts.json"
        )
    raw: dict[str, Any] = reader()
    return raw


def dr_facts(session: Session, saved: Path | None = None) -> DrFacts:
    """Hosts, VMs and replication from the provider, or from a saved facts document (`saved`: what
    the script of `fabric dr facts --script` printed on a real fabric, or `fabric dr facts` saved
    from the lab); FabricError if the provider cannot tell them, ConfigError for a bad document."""
    origin = None
    if saved is not None:
        from fabric.dr.export import load_facts

        raw = load_facts(saved, stamp=session.fabric.config.stamp)
        when, where = raw.get("exported_at") or "at an unknown time", raw.get("source") or "an unknown server"
        origin = f"{saved} (exported {when} from {where})"
    else:
        raw = provider_facts(session)
    entries = session.state.read().entries
    addresses = {e.live_id: a for a, e in entries.items()}
    grants: dict[str, list[str]] = {}
    unknown: set[str] = set()
    for pool_id, address in raw.get("grants", []):
        if pool_id in addresses:  # a pool made in the console is none of the stamp's
            grants.setdefault(addresses[pool_id], []).append(address)
        else:
            unknown.add(pool_id)
    facts = replace(facts_from(raw["hosts"], raw["vms"], raw["replication"], grants), origin=origin)
    unrecorded = sorted(a for a, r in session.fabric.resources.items() if r.KIND == "ip_pool" and a not in entries)
    if unknown and unrecorded:  # some of those grants may be the stamp's pools': state cannot tell
        note = (
            f"the facts name {len(unknown)} pool(s) state does not know, and state records no live ID for "
            f"{listed(unrecorded)}: their granted addresses are not counted, so a simulated address may be "
            "one VMM has granted already (fabric apply, or import the pools, first)"
        )
        facts = replace(facts, notes=(note,))
    return facts


def pending_changes(session: Session) -> list[str]:
    """The addresses the stamp's plan would change (what a simulation replays ahead of the lab);
    none known for a provider that does not carry the DR kinds out (its facts come from a file)."""
    from fabric.engine import plan

    if not manages_dr(session.provider):
        return []
    return [c.address for c in plan(session).changes if c.action is not Action.NOOP]


def listed(items: list[str], shown: int = 5) -> str:
    """The first few of `items`, and how many more."""
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


MEASURING = ("drill", "failover", "failback")  # operations whose step times are a plan's timings
RESUMED = "done by the run this one resumes"  # the log's comment on a step a resumed run skipped


def measured_timings(session: Session, plan: str, direction: str) -> Measured | None:
    """The step durations of the plan's latest completed drill or failover in `direction` (the
    operation log); None if none ran. A run that resumed a stopped one is passed over (it did part
    of the work), and a step the log cannot tell the time of measures nothing."""
    for op in session.state.operations(limit=None):
        if op.plan != plan or op.operation not in MEASURING or op.outcome != "completed" or op.direction != direction:
            continue
        steps = [s for s in op.steps if isinstance(s, Mapping)]
        if any(s.get("resumed") or s.get("comment") == RESUMED for s in steps):
            continue  # it did part of the work: an earlier complete run measures better
        seconds: dict[tuple[str, str, tuple[str, ...]], int] = {}
        for step in steps:
            took = _took(step)
            if step.get("status") == "done" and took is not None:
                vms = tuple(sorted(str(v) for v in step.get("vms") or ()))
                seconds[(str(step.get("step")), str(step.get("what")), vms)] = took
        return Measured(f"{op.operation} of {op.started}", seconds)
    return None


def _took(step: Mapping[str, Any]) -> int | None:
    """Whole seconds from a logged step's start to its end; None if they cannot be read."""
    try:
        took = datetime.fromisoformat(str(step["ended"])) - datetime.fromisoformat(str(step["started"]))
    except (KeyError, ValueError, TypeError):  # TypeError: one time with a zone, one without
        return None
    return max(0, round(took.total_seconds()))


def simulation(
    session: Session,
    options: Options,
    pending: list[str] | None = None,
    index: Index | None = None,
    measured: bool = False,
    facts: DrFacts | None = None,
) -> Simulation:
    """Simulate the recovery plan `options.plan` names (an address, key or name) over the live
    facts; a warning finding when the stamp has changes not applied yet. `pending` and `index`,
    when a caller simulates several times (`pending_changes`, `Index.of`); `measured`: the step
    times of the plan's last completed drill or failover instead of the estimates where they ran;
    `facts`: read already (`dr_facts`), else read from the provider."""
    address = resolve_plan(session.fabric.resources, options.plan)
    lab = manages_dr(session.provider)  # the operation log holds the lab's runs only
    timings = measured_timings(session, address, options.direction) if measured and lab else None
    facts = dr_facts(session) if facts is None else facts
    result = simulate(
        session.fabric.resources,
        facts,
        Options(address, options.type, options.direction, options.fail, options.test_network),
        index,
        timings,
    )
    for text in facts.notes:
        result = replace(result, findings=(*result.findings, SimFinding("DR046", "warning", result.plan, text)))
    if facts.origin is not None:
        result = replace(result, facts_from=facts.origin)
    if measured and timings is None:
        why = (
            f"no completed drill or failover {options.direction.replace('_', ' ')} of this plan in the operation log"
            if lab
            else f"the operation log holds the lab's runs only, not the {session.provider.name} provider's"
        )
        note = SimFinding("DR045", "warning", result.plan, f"--measured: {why}; the design's estimates are used")
        result = replace(result, findings=(*result.findings, note))
    pending = pending_changes(session) if pending is None else pending
    if pending:
        note = SimFinding(
            "DR039",
            "warning",
            result.plan,
            f"{len(pending)} change(s) not applied yet ({listed(pending)}): simulated as the code says; "
            "fabric apply first",
        )
        result = replace(result, findings=(note, *result.findings))
    return result


NOT_CHECKED = ("DR032 replication lag: the lab observes no last-replication time",)
NOT_CHECKED_SAVED = ("DR032 replication lag: the facts hold no last-replication time",)
NOT_CHECKED_BACKEND = (
    "DR033 drills: the operation log holds the lab's drills only; this provider's are run by the DR backend",
)
DRILL_DAYS = 90  # DR033: a plan's last good drill at most a quarter ago


def _posture_findings(session: Session, facts: DrFacts, vms: list[str]) -> tuple[list[SimFinding], int]:
    """Per protected VM: failed over (DR023), not replicating (DR038), not Replicating/Normal
    (DR032); and how many replicate normally."""
    resources = session.fabric.resources
    phases: dict[str, dict[str, str]] = getattr(unwrapped(session.provider), "dr_phases", dict)()
    ids = {a: e.live_id for a, e in session.state.read().entries.items()}
    out: list[SimFinding] = []
    replicating = 0
    for address in vms:
        vm = resources[address]
        assert isinstance(vm, ProtectedVm)
        state = facts.replication.get(vm.vm.casefold())
        moved = phases.get(ids.get(address, ""), {})
        if moved.get("phase") == "reprotected":  # replicating back: protected, away from home
            message = (
                f"{vm.vm} runs at the recovery site ({moved.get('plan')}), replicating back: fail back to come home"
            )
            out.append(SimFinding("DR023", "warning", address, message))
            if state is not None and state.state == "Replicating" and state.health == "Normal":
                replicating += 1
        elif moved.get("phase") not in (None, "test"):
            message = (
                f"{vm.vm} is failed over by {moved.get('plan')} ({moved.get('phase')}): not protected until "
                "reprotected, and its failover replays from there"
            )
            out.append(SimFinding("DR023", "warning", address, message))
        elif state is None:
            out.append(SimFinding("DR038", "error", address, f"{vm.vm} is not replicating (apply the stamp)"))
        elif state.state != "Replicating" or state.health != "Normal":
            message = f"{vm.vm} replication is {state.state}, health {state.health}"
            out.append(SimFinding("DR032", "error", address, message))
        else:
            replicating += 1
    return out, replicating


def _drill_findings(session: Session, plans: list[str], now: datetime) -> list[SimFinding]:
    """DR033: each plan's last completed drill within DRILL_DAYS, and no test failover left running."""
    last: dict[str, datetime] = {}
    for op in session.state.operations(limit=100_000):
        if op.operation == "drill" and op.outcome == "completed" and op.plan not in last:
            try:
                last[op.plan] = datetime.fromisoformat(op.ended or op.started)
            except ValueError:
                continue
    out = []
    for address in plans:
        when = last.get(address)
        if when is None:
            out.append(SimFinding("DR033", "warning", address, "never drilled (fabric dr drill)"))
        elif (age := (now - when).days) > DRILL_DAYS:
            out.append(SimFinding("DR033", "warning", address, f"last drilled {age} days ago (at most {DRILL_DAYS})"))
    phases: dict[str, dict[str, str]] = getattr(unwrapped(session.provider), "dr_phases", dict)()
    running = sorted({p["plan"] for p in phases.values() if p.get("phase") == "test"} & set(plans))
    out += [
        SimFinding("DR033", "warning", a, "a test failover is left running (fabric dr cleanup; ASR ends it at 14 days)")
        for a in running
    ]
    return out


def check(
    session: Session, plan_address: str | None = None, now: datetime | None = None, saved: Path | None = None
) -> CheckReport:
    """Every rule fabric can check now over the stamp and the live facts: validation's warnings (its
    errors stop the stamp loading), replication posture (DR038, DR032), changes not applied (DR039)
    and each recovery plan simulated in every failover type (the S rules), drills (DR033)."""

    resources = session.fabric.resources
    plans = (
        [resolve_plan(resources, plan_address)]
        if plan_address
        else sorted(a for a, r in resources.items() if isinstance(r, RecoveryPlan))
    )
    facts = dr_facts(session, saved)
    found: dict[tuple[str, str, str], list[str]] = {}
    severity: dict[tuple[str, str, str], str] = {}

    def note(f: SimFinding, kind: str = "") -> None:
        key = (f.rule, f.subject, f.message)
        found.setdefault(key, [])
        if kind:
            found[key].append(kind)
        severity[key] = "error" if "error" in (severity.get(key), f.severity) else f.severity

    validated = {(w.message.split(" ", 1)[0], w.address) for w in session.fabric.warnings}
    for warning in session.fabric.warnings:
        rule = warning.message.split(" ", 1)[0] if warning.message.startswith("DR") else "validate"
        note(
            SimFinding(
                rule, "warning", warning.address or str(warning.location), f"{warning.location}: {warning.message}"
            )
        )
    in_scope = (
        _vms_of(resources, plans) if plan_address else {a for a, r in resources.items() if isinstance(r, ProtectedVm)}
    )
    for text in facts.notes:
        note(SimFinding("DR046", "warning", session.fabric.config.stamp, text))
    posture, replicating = _posture_findings(session, facts, sorted(in_scope))
    for finding in posture:
        note(finding)
    pending = pending_changes(session)
    if pending:
        note(
            SimFinding(
                "DR039",
                "warning",
                session.fabric.config.stamp,
                f"{len(pending)} change(s) not applied: {listed(pending)}",
            )
        )
    index = Index.of(resources)  # one for every simulation of the stamp
    for address in plans:
        for kind in ("test", "planned", "unplanned"):
            sim = simulate(resources, facts, Options(address, kind), index)
            for f in sim.findings:
                # posture is reported once above, and what validation warned about once
                if f.rule not in ("DR032", "DR038") and (f.rule, f.subject) not in validated:
                    note(f, kind)
    lab = manages_dr(session.provider)
    for finding in _drill_findings(session, plans, now or datetime.now(UTC)) if lab else []:
        note(finding)
    findings = tuple(
        CheckFinding(rule, severity[(rule, subject, message)], subject, message, tuple(kinds))
        for (rule, subject, message), kinds in sorted(found.items(), key=lambda kv: (severity[kv[0]] != "error", kv[0]))
    )
    unchecked = (NOT_CHECKED if saved is None else NOT_CHECKED_SAVED) + (() if lab else NOT_CHECKED_BACKEND)
    return CheckReport(tuple(plans), len(in_scope), replicating, findings, unchecked)


def _vms_of(resources: Mapping[str, Resource], plans: list[str]) -> set[str]:
    out: set[str] = set()
    for address in plans:
        plan = resources[address]
        assert isinstance(plan, RecoveryPlan)
        out |= {v for v in plan.members() if isinstance(resources.get(v), ProtectedVm)}
    return out


def _failed_over(posture: Mapping[str, Any] | None) -> bool:
    moved = (posture or {}).get("failover")
    return isinstance(moved, Mapping) and moved.get("phase") != "test"


def refuse_during_failover(the_plan: Plan, allowed: bool, provider: Any = None) -> None:
    """FabricError if the plan changes disaster-recovery resources while a protected VM is failed
    over (a test failover does not count), unless `allowed` (`apply --during-failover`): the design
    must not move under a running recovery."""
    moved = sorted(c.address for c in the_plan.changes if _failed_over(c.posture))
    reader = getattr(unwrapped(provider), "dr_phases", None) if provider is not None else None
    if reader is not None:  # a destroy's deletes carry no posture: ask the lab itself
        ids = {c.live_id: c.address for c in the_plan.changes if c.live_id}
        moved = sorted({*moved, *(ids.get(i, i) for i, p in reader().items() if p.get("phase") != "test")})
    changing = sorted(
        c.address for c in the_plan.changes if c.action is not Action.NOOP and KINDS[c.kind].DOMAIN == "dr"
    )
    if moved and changing and not allowed:
        shown = listed(changing)
        raise FabricError(
            f"{len(moved)} protected VM(s) are failed over ({', '.join(moved[:3])}…; fabric dr status): this plan "
            f"changes disaster-recovery resources ({shown}); finish the failover (failback) first, or apply "
            "--during-failover"
        )
