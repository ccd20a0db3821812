"""Disaster-recovery operations on the lab, for real: drill (a test failover, then cleanup unless
kept), failover (planned or unplanned), commit, reprotect, failback, cleanup, status.

Each runs under the stamp's lock, after a simulation of the same failover (its errors refuse the
run unless forced) and the operator's confirmation, and walks the steps in the simulation's order:
actions (manual ones wait for the operator; the built-in network preparation changes the
replicas; the lab runs no PowerShell, so scripts succeed unless `FABRIC_LAB_FAIL` names
`action:STEP/NAME`), the shutdown and failover steps, and each boot group, whose VMs the lab
starts — working out where they land and which address they get from its own objects. Every step
is written to the operation log before the next starts.
"""

from __future__ import annotations

import getpass
import os
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from fabric.dr.simulate import Direction, Event, FailoverType, Options, Simulation, resolve_plan, simulate
from fabric.engine.dr import RESUMED, dr_facts
from fabric.errors import FabricError, ProviderError
from fabric.model.dr import Action, ProtectedVm, RecoveryPlan
from fabric.providers.logged import unwrapped
from fabric.state.protocol import DrOperation

if TYPE_CHECKING:
    from fabric.engine import Session


class Operator(Protocol):
    """The person at the console: confirms, does the manual steps, reads progress."""

    def confirm(self, prompt: str, expected: str) -> bool:
        """True if they typed `expected` (a typed confirmation)."""
        ...

    def manual(self, step: str, instructions: str) -> tuple[str, str]:
        """(done|abort, comment) once they have done a manual step (or given up)."""
        ...

    def say(self, line: str) -> None:
        """One line of progress."""
        ...


@dataclass(frozen=True)
class Answers:
    """What `--answers FILE` says in advance: the confirmation and each manual step's outcome."""

    confirm: str | None = None
    manual: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def read_answers(path: Path) -> Answers:
    """The answers file (YAML: `confirm: TEXT`, `manual: {NAME or STEP/NAME: {outcome: done|abort,
    comment: TEXT}}`); FabricError naming the first problem."""
    import yaml

    try:
        if path.stat().st_size > MAX_ANSWERS:
            raise FabricError(f"--answers {path}: larger than {MAX_ANSWERS // 1024} KiB")
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FabricError(f"--answers {path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict) or set(data) - {"confirm", "manual"}:
        raise FabricError(f"--answers {path}: a mapping with confirm and manual only")
    manual = data.get("manual") or {}
    if not isinstance(manual, dict):
        raise FabricError(f"--answers {path}: manual is a mapping of action → {{outcome, comment}}")
    out: dict[str, dict[str, str]] = {}
    for name, answer in manual.items():
        answer = {"outcome": answer} if isinstance(answer, str) else answer
        if (
            not isinstance(answer, dict)
            or answer.get("outcome") not in ("done", "abort")
            or set(answer)
            - {
                "outcome",
                "comment",
            }
        ):
            raise FabricError(f"--answers {path}: manual.{name}: outcome done or abort, and an optional comment")
        out[str(name)] = {"outcome": str(answer["outcome"]), "comment": str(answer.get("comment") or "")}
    confirm = data.get("confirm")
    if isinstance(confirm, bool):  # YAML 1.1 reads a bare yes as true
        confirm = "yes" if confirm else "no"
    return Answers(None if confirm is None else str(confirm), out)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _lab(session: Session) -> Any:
    provider = unwrapped(session.provider)
    if not hasattr(provider, "dr_start"):
        backend = session.fabric.config.dr.backend
        how = {"asr": "az-ps (Site Recovery runs them)", "hyperv_replica": "hyperv-ps"}.get(
            backend, "hyperv-ps or az-ps"
        )
        raise FabricError(
            f"fabric dr operations run on the lab only; this stamp's provider is {provider.name}: its {backend} "
            f"backend runs them with the scripts of fabric dr render --format {how}"
        )
    return provider


@dataclass
class _Log:
    """The operation log entry being written, step by step."""

    session: Session
    entry: DrOperation
    resumed: bool = False  # a run that resumes a stopped one: its times measure only part of the work

    def step(self, event: Event, status: str, comment: str = "", started: str = "") -> None:
        record: dict[str, Any] = {
            "step": event.step,
            "what": event.what,
            "status": status,
            "started": started or _now(),
            "ended": _now(),
        }
        if event.vms:
            record["vms"] = sorted(event.vms)  # which VMs the step moved (`--measured` matches them)
        if comment:
            record["comment"] = comment
        if self.resumed:
            record["resumed"] = True
        self.entry = replace(self.entry, steps=(*self.entry.steps, record))
        self.session.state.log_operation(self.entry)

    def vm(self, address: str, outcome: Mapping[str, Any]) -> None:
        self.entry = replace(self.entry, vms={**self.entry.vms, address: dict(outcome)})
        self.session.state.log_operation(self.entry)

    def end(self, outcome: str) -> DrOperation:
        if outcome == "completed" and any(step["status"] == "failed" for step in self.entry.steps):
            outcome = "completed_with_failures"  # an unplanned failover goes on past a failed action
        self.entry = replace(self.entry, outcome=outcome, ended=_now())
        self.session.state.log_operation(self.entry)
        return self.entry


def _live_ids(session: Session) -> dict[str, str]:
    return {a: e.live_id for a, e in session.state.read().entries.items()}


def _action(plan: RecoveryPlan, step: str, name: str) -> Action | None:
    return dict(plan.actions()).get(f"{step}/{name}")


def _injected() -> set[str]:
    return {
        a.strip()[len("action:") :]
        for a in os.environ.get("FABRIC_LAB_FAIL", "").split(",")
        if a.strip().startswith("action:")
    }


def _preflight(sim: Simulation, force: bool, moved: Collection[str] = ()) -> None:
    """Refuse on the simulation's errors (not those of VMs a resumed run moved already)."""
    errors = [f for f in sim.errors() if f.rule != "DR040" and f.subject.split(" ", 1)[0] not in moved]
    if errors and not force:
        shown = "\n".join(f"{f.rule} {f.subject}: {f.message}" for f in errors[:10])
        raise FabricError(
            f"the simulation of this {sim.type} failover finds {len(errors)} error(s); fix them (or --force):\n{shown}"
        )


def _select(
    lab: Any,
    ids: Mapping[str, str],
    vms: list[str],
    plan: str,
    wanted: set[str | None],
    done: set[str | None],
    what: str,
    resume: bool = False,
) -> list[str]:
    """The plan's VMs this operation acts on: those in a `wanted` phase (None: home) — by this plan
    if they are in a failover — skipping those already `done` (a stopped run resumed); FabricError
    for a VM another plan moved, one in any other phase, one not in state, or none to act on."""
    phases = lab.dr_phases()
    missing = [a for a in vms if a not in ids]
    if missing:
        raise FabricError(f"not in state (apply the stamp first): {', '.join(missing[:5])}")
    act, wrong = [], []
    for address in vms:
        row = phases.get(ids[address], {})
        phase, owner = row.get("phase"), row.get("plan")
        if phase is not None and owner != plan:
            wrong.append(f"{address} ({phase} by {owner})")
        elif phase in wanted:
            act.append(address)
        elif phase not in done:
            wrong.append(f"{address} ({phase or 'not failed over'})")
    if wrong:
        raise FabricError(f"{what}: {', '.join(wrong[:5])}")
    if not act and not (resume and vms):  # a resumed failover may have every VM moved already
        raise FabricError(f"{what}: no VM of {plan} is where it needs to be")
    return act


def _run_action(
    lab: Any, plan: RecoveryPlan, ids: Mapping[str, str], event: Event, kind: str, operator: Operator, answers: Answers
) -> tuple[str, str, str]:
    """Carry out one action: (its status, a comment, why the plan stops or "")."""
    action = _action(plan, event.step, event.what)
    qualified = f"{event.step}/{event.what}"
    if action is not None and action.manual is not None:
        folded = {k.casefold(): v for k, v in answers.manual.items()}
        answer = folded.get(qualified.casefold()) or folded.get(event.what.casefold())
        if answer:
            outcome, comment = answer["outcome"], answer.get("comment", "")
        else:
            outcome, comment = operator.manual(qualified, action.manual.instructions)
        operator.say(f"  {qualified}: manual step {outcome}{f' — {comment}' if comment else ''}")
        return outcome, comment, "aborted" if outcome == "abort" else ""
    if qualified in _injected():
        operator.say(f"  {qualified}: failed (FABRIC_LAB_FAIL)")
        return "failed", "injected failure", "" if kind == "unplanned" else "stopped"
    if action is not None and action.builtin == "prepare_replica_network":
        problems = []
        for address in plan.members():
            if address in ids:
                try:
                    lab.dr_prepare(ids[address])
                except ProviderError as exc:  # no replica: the script would fail on it
                    problems.append(f"{address}: {exc}")
        if problems:
            operator.say(f"  {qualified}: failed ({'; '.join(problems)})")
            return "failed", "; ".join(problems), "" if kind == "unplanned" else "stopped"
    operator.say(f"  {qualified}: done")
    return "done", "" if action is None or action.script is None else "the lab runs no PowerShell", ""


def _walk(  # noqa: PLR0913 - the run it carries out: its session, lab, plan, simulation, people, log
    session: Session,
    lab: Any,
    plan_address: str,
    sim: Simulation,
    test_network: str | None,
    operator: Operator,
    answers: Answers,
    log: _Log,
    act: set[str],
    already: frozenset[tuple[str, str]] = frozenset(),
) -> str:
    """Carry out the simulated steps in order, starting the VMs in `act` (the others are there
    already: a stopped run resumed); returns the outcome (completed, stopped, aborted)."""
    plan = session.fabric.resources[plan_address]
    assert isinstance(plan, RecoveryPlan)
    ids = _live_ids(session)
    by_group: dict[str, list[str]] = {}
    for vm in sim.vms:
        by_group.setdefault(vm.group, []).append(vm.address)
    stopped = ""
    for event in sim.events:
        if stopped or event.status == "skipped":
            log.step(event, "not run" if stopped else "skipped", "" if stopped else event.detail)
            continue
        started = _now()
        if event.kind == "action" and (event.step, event.what) in already:  # a resumed run: done before
            log.step(event, "done", RESUMED, started)
            continue
        if event.kind == "action":
            status, comment, stopped = _run_action(lab, plan, ids, event, sim.type, operator, answers)
            log.step(event, status, comment, started)
            continue
        if event.kind == "boot":
            failed = []
            for address in (a for a in by_group.get(event.step, []) if a in ids and a in act):
                test_id = ids.get(test_network) if test_network else None
                try:
                    outcome = lab.dr_start(ids[address], plan_address, sim.type, sim.direction, test_id)
                except ProviderError as exc:
                    if sim.type != "unplanned":
                        raise
                    failed.append(f"{address}: {exc}")  # an unplanned failover goes on with the others
                    operator.say(f"  {event.step}: {address} did not start: {exc}")
                    continue
                log.vm(address, outcome)
                shown = ", ".join(f"nic{a['slot']} {a.get('ip') or 'no address'}" for a in outcome["adapters"])
                operator.say(f"  {event.step}: {outcome.get('vm') or address} up on {outcome['host']} ({shown})")
            log.step(event, "failed" if failed else "done", "; ".join(failed), started)
            continue
        log.step(event, "done", "", started)
    return stopped or "completed"


MAX_ANSWERS = 1 << 20  # bytes: an answers file names a plan's manual steps, not a book


def _check_answers(answers: Answers, plan: RecoveryPlan) -> None:
    """FabricError, before anything starts, for an answer to a manual step the plan does not have
    (a typo would otherwise leave that step unanswered in the middle of a failover)."""
    manual = [q for q, a in plan.actions() if a.manual]
    known = {q.casefold() for q in manual} | {q.rsplit("/", 1)[1].casefold() for q in manual}
    unknown = sorted(k for k in answers.manual if k.casefold() not in known)
    if unknown:
        shown = ", ".join(sorted(manual)) or "none"
        raise FabricError(f"--answers: no manual step {unknown[0]!r} in this plan (its manual steps: {shown})")


def _confirm(operator: Operator, answers: Answers, prompt: str, expected: str) -> None:
    """A typed confirmation (or the answers file's); FabricError if not given: nothing is done."""
    if answers.confirm is not None:
        if answers.confirm != expected:
            raise FabricError(f"--answers: confirm is {answers.confirm!r}, not {expected!r}: nothing was done")
    elif not operator.confirm(prompt, expected):
        raise FabricError("not confirmed: nothing was done")


def _operator() -> str:
    """Who runs the operation (a container may have no passwd entry)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "unknown")


def _begin(session: Session, operation: str, plan: str, kind: str, direction: str, lock_id: str) -> _Log:
    for stale in session.state.operations(limit=1000):  # a run killed outright never ended its entry
        if stale.outcome == "running" and stale.lock_id != lock_id:
            session.state.log_operation(replace(stale, outcome="interrupted", ended=_now()))
    entry = DrOperation(
        str(uuid.uuid4()),
        operation,
        plan,
        kind,
        direction,
        "running",
        _now(),
        operator=getpass.getuser(),
        lock_id=lock_id,
    )
    session.state.log_operation(entry)
    return _Log(session, entry)


def _acting(
    session: Session,
    lab: Any,
    ids: Mapping[str, str],
    vms: list[str],
    plan_address: str,
    name: str,
    kind: str,
    direction: str,
    operator: Operator,
) -> tuple[list[str], frozenset[tuple[str, str]]]:
    """The VMs this run starts, and the actions a run it resumes did already: a run that stopped
    part-way (not one that completed) goes on with the VMs still home."""
    if direction == "recovery_to_primary":
        what = "failback needs the VMs failed over, committed and reprotected"
        return _select(
            lab, ids, vms, plan_address, {"reprotected"}, {"failed_back", "committed_back", None}, what
        ), frozenset()
    last = next((op for op in session.state.operations(limit=1000) if op.plan == plan_address), None)
    resumable = (
        last is not None and last.operation == name and last.outcome in ("stopped", "failed", "interrupted", "aborted")
    )
    started: set[str | None] = ({"test"} if kind == "test" else {"failed_over"}) if resumable else set()
    what = "these VMs are in a failover already (fabric dr status)"
    act = _select(lab, ids, vms, plan_address, {None}, started, what, resume=resumable)
    if not resumable or last is None:
        return act, frozenset()
    operator.say(f"  resuming the {last.outcome} {name} of {last.started}: {len(vms) - len(act)} VM(s) moved already")
    return act, frozenset((str(x["step"]), str(x["what"])) for x in last.steps if x.get("status") == "done")


def run_failover(  # noqa: PLR0913 - what a failover is asked to do, by keyword
    session: Session,
    plan_given: str,
    kind: FailoverType,
    direction: Direction,
    operator: Operator,
    answers: Answers,
    *,
    test_network: str | None = None,
    keep: bool = False,
    force: bool = False,
    confirmed: bool = False,
) -> DrOperation:
    """A drill (`kind` test) or a failover, on the lab; see the module docstring."""
    if kind == "test" and direction == "recovery_to_primary":
        raise FabricError("a drill runs primary to recovery (test the way back after reprotecting, with a new drill)")
    lab = _lab(session)
    plan_address = resolve_plan(session.fabric.resources, plan_given)
    plan = session.fabric.resources[plan_address]
    assert isinstance(plan, RecoveryPlan)
    name = "drill" if kind == "test" else "failback" if direction == "recovery_to_primary" else "failover"
    _check_answers(answers, plan)
    unknown = sorted(_injected() - {q for q, _ in plan.actions()})
    if unknown:  # a typo would fail nothing, and the rehearsal would look like it passed
        known = ", ".join(q for q, _ in plan.actions()) or "none"
        raise FabricError(f"FABRIC_LAB_FAIL: no action {unknown[0]!r} in {plan_address} (its actions: {known})")
    with session.state.lock(f"dr {name}") as info:
        ids = _live_ids(session)
        vms = [a for a in plan.members() if isinstance(session.fabric.resources.get(a), ProtectedVm)]
        act, already = _acting(session, lab, ids, vms, plan_address, name, kind, direction, operator)
        sim = simulate(
            session.fabric.resources, dr_facts(session), Options(plan_address, kind, direction, None, test_network)
        )
        _preflight(sim, force, set(vms) - set(act) if direction == "primary_to_recovery" else set())
        if not confirmed:
            expected = "yes" if kind == "test" else plan.name
            prompt = (
                f"Run a test failover of {plan_address}? Type yes"
                if kind == "test"
                else f"This {kind} failover of {plan_address} ({direction}) moves production. "
                f"Type the plan's name ({plan.name}) to go on"
            )
            _confirm(operator, answers, prompt, expected)
        log = _begin(session, name, plan_address, kind, direction, info.id)
        log.resumed = bool(already) or set(act) != set(vms)
        tested = sim.test_network if kind == "test" else None
        try:
            outcome = _walk(session, lab, plan_address, sim, tested, operator, answers, log, set(act), already)
        except (ProviderError, FabricError) as exc:
            log.end("failed")
            left = _left_running(lab, ids, vms, kind, keep, plan_address)
            raise FabricError(
                f"{name} of {plan_address} failed: {exc} (the operation log has each step){left}"
            ) from None
        except BaseException:
            log.end("interrupted")
            operator.say(_left_running(lab, ids, vms, kind, keep, plan_address).strip("; "))
            raise
        if direction == "recovery_to_primary" and outcome == "completed":  # back home: commit, replicate forward
            _home(lab, ids, vms, log)
            operator.say("  committed, replicating forward again")
        if kind == "test" and not keep:
            for address in vms:
                lab.dr_cleanup(ids[address])
            operator.say("  cleanup: test VMs deleted")
        entry = log.end(outcome)
        return entry


def _left_running(lab: Any, ids: Mapping[str, str], vms: list[str], kind: str, keep: bool, plan: str = "") -> str:
    """A drill that did not finish cleans its test VMs up (unless --keep); what it says about it."""
    if kind != "test" or keep:
        return ""
    try:
        for address in vms:
            lab.dr_cleanup(ids[address])
    except (ProviderError, FabricError):
        return f"; its test VMs are left running: fabric dr cleanup {plan}"
    return "; its test VMs were deleted"


def _home(lab: Any, ids: Mapping[str, str], vms: list[str], log: _Log) -> None:
    """After a failback: commit and replicate forward, each VM logged before the entry ends."""
    phases = lab.dr_phases()
    for address in vms:
        if phases.get(ids[address], {}).get("phase") == "failed_back":
            log.vm(
                address,
                {
                    **log.entry.vms.get(address, {}),
                    "home": [lab.dr_commit(ids[address]), lab.dr_reprotect(ids[address])],
                },
            )


def run_followup(
    session: Session, plan_given: str, operation: str, operator: Operator, answers: Answers, *, confirmed: bool = False
) -> DrOperation:
    """commit, reprotect or cleanup of every VM of a plan."""
    lab = _lab(session)
    plan_address = resolve_plan(session.fabric.resources, plan_given)
    plan = session.fabric.resources[plan_address]
    assert isinstance(plan, RecoveryPlan)
    steps: dict[str, tuple[Callable[[str], Any], set[str | None], set[str | None], str]] = {
        "commit": (
            lab.dr_commit,
            {"failed_over", "failed_back"},
            {"committed", "committed_back"},
            "commit needs VMs failed over (or back) and not committed",
        ),
        "reprotect": (
            lab.dr_reprotect,
            {"committed", "committed_back"},
            {"reprotected"},
            "reprotect needs a committed failover",
        ),
        "cleanup": (
            lab.dr_cleanup,
            {"test"},
            set(),
            "cleanup needs a test failover left running (fabric dr drill --keep)",
        ),
    }
    call, allowed, done, what = steps[operation]
    with session.state.lock(f"dr {operation}") as info:
        ids = _live_ids(session)
        everyone = [a for a in plan.members() if isinstance(session.fabric.resources.get(a), ProtectedVm)]
        # VMs still home (a failover stopped before them) are not in the way of a commit or a cleanup
        vms = _select(
            lab, ids, everyone, plan_address, allowed, {*done, None} if operation != "reprotect" else done, what
        )
        if operation == "commit" and not confirmed:  # DR022: the recovery points go
            prompt = (
                f"Commit the failover of {plan_address}? Its recovery points are deleted. Type its name ({plan.name})"
            )
            _confirm(operator, answers, prompt, plan.name)
        log = _begin(session, operation, plan_address, "", "", info.id)
        try:
            for address in vms:
                result = call(ids[address])
                log.vm(address, {"result": result})
                operator.say(f"  {address}: {operation} {'done' if result is not False else 'nothing to do'}")
        except (ProviderError, FabricError) as exc:
            log.end("failed")
            raise FabricError(f"{operation} of {plan_address} failed: {exc} (the operation log has each VM)") from None
        except BaseException:
            log.end("interrupted")
            raise
        return log.end("completed")


@dataclass(frozen=True)
class VmStatus:
    """One protected VM: its replication, where it is in a failover, and which plan moved it."""

    address: str
    vm: str
    state: str
    health: str
    replica_host: str
    phase: str
    plan: str


@dataclass(frozen=True)
class Status:
    """`fabric dr status`: every protected VM, and each plan's last operation and drill."""

    vms: tuple[VmStatus, ...]
    last: Mapping[str, Mapping[str, str]]
    drills: Mapping[str, Mapping[str, str]]


def status(session: Session) -> Status:
    """Read-only: the lab's replication and failover phases, and the operation log."""
    lab = _lab(session)
    facts = dr_facts(session)
    ids = _live_ids(session)
    phases = lab.dr_phases()
    rows = []
    for address, r in sorted(session.fabric.resources.items()):
        if not isinstance(r, ProtectedVm):
            continue
        rep = facts.replication.get(r.vm.casefold())
        phase = phases.get(ids.get(address, ""), {})
        rows.append(
            VmStatus(
                address,
                r.vm,
                rep.state if rep else "not replicating",
                rep.health if rep else "",
                rep.replica_host if rep else "",
                phase.get("phase", "home"),
                phase.get("plan", ""),
            )
        )
    last: dict[str, dict[str, str]] = {}
    drills: dict[str, dict[str, str]] = {}
    for op in session.state.operations(limit=1000):
        summary = {
            "operation": op.operation,
            "outcome": op.outcome,
            "started": op.started,
            "ended": op.ended,
            "operator": op.operator,
        }
        last.setdefault(op.plan, summary)
        if op.operation == "drill" and op.outcome == "completed":
            drills.setdefault(op.plan, summary)
    return Status(tuple(rows), last, drills)
