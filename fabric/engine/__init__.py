"""The engine: open a stamp with its state and provider, plan, and apply.

This is what the CLI drives. It owns the wiring (which state directory, which provider)
but no output: results come back as values. Saved plans and targeting are in
`fabric.engine.planfiles`, import and export in `fabric.engine.adopt`; both are re-exported here,
so a command needs only `engine`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fabric import secrets
from fabric.apply.operations import ensure_orderable, needs_order_check, operations_of, ordered_steps
from fabric.apply.reconcile import settle
from fabric.engine.adopt import Exported, Imported, export_stamp, import_object, take_over
from fabric.engine.live import read_inventory
from fabric.engine.managed import backend_message, left_to_backend, managed, managed_state
from fabric.engine.planfiles import read_plan_file, save_plan, target_plan
from fabric.errors import FabricError
from fabric.inventory import Inventory
from fabric.load.stamp import load_config as load_config  # re-exported: the CLI reads fabric.yaml alone
from fabric.load.variables import stamp_variables as stamp_variables  # re-exported for the CLI
from fabric.model.stamp import Fabric, StateConfig
from fabric.plan.action import Action
from fabric.plan.adoption import import_attributes
from fabric.plan.change import Plan
from fabric.plan.drift import DriftReport, drift_report
from fabric.plan.lifecycle import apply_moves
from fabric.plan.planfile import PlanContext
from fabric.plan.planner import make_plan
from fabric.plan.reason import Reason, Why
from fabric.plan.staleness import Footprint, footprint, moved_on
from fabric.project import open_stamp
from fabric.providers.protocol import Provider, ScriptWriter
from fabric.providers.registry import open_provider, settings_models
from fabric.snapshot import StateSnapshot
from fabric.state.backends import open_state
from fabric.state.protocol import StateBackend

if TYPE_CHECKING:  # the executor (threads, futures) is imported by `apply`, not by every command
    from fabric.apply.executor import ApplyResult, OpEvent, RetryEventHook

WORK_DIR = ".fabric"

__all__ = [  # what the commands use from the submodules
    "Exported",
    "Imported",
    "export_stamp",
    "import_object",
    "read_inventory",
    "read_plan_file",
    "save_plan",
    "take_over",
    "target_plan",
]


@dataclass
class Session:
    """A stamp opened for work: its fabric, state backend and provider."""

    fabric: Fabric
    work_dir: Path
    state: StateBackend
    provider: Provider

    def close(self) -> None:
        """Close the provider and the state."""
        self.provider.close()
        self.state.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def work_dir_for(root: Path, state_dir: Path | None) -> Path:
    """`--state-dir` if given, else `STAMP/.fabric`."""
    return state_dir if state_dir is not None else root / WORK_DIR


def open_backends(
    root: Path, settings: Mapping[str, Any], where: StateWhere, lock_timeout: float = 0.0
) -> tuple[Provider, StateBackend]:
    """The provider and state for a stamp, without loading its code (for saved plans)."""
    provider = open_provider(root, settings, where.work_dir)
    try:
        state = open_state(where.config, where.stamp, where.work_dir, lock_timeout)
    except BaseException:
        provider.close()
        raise
    try:
        refuse_migrated(state)
    except BaseException:
        state.close()
        provider.close()
        raise
    return provider, state


@dataclass(frozen=True)
class StateWhere:
    """Where a stamp's state lives: its settings, the stamp's name and the local work directory."""

    config: StateConfig
    stamp: str
    work_dir: Path


def saved_plan_backends(
    the_plan: Plan, context: PlanContext, lock_timeout: float = 0.0, **extra: Any
) -> tuple[Provider, StateBackend]:
    """The provider and state a saved plan was made against (`extra`: provider settings to add)."""
    where = StateWhere(StateConfig.model_validate(context.state_backend), the_plan.stamp, Path(context.state_dir))
    return open_backends(Path(context.stamp_dir), {**context.provider, **extra}, where, lock_timeout)


def refuse_migrated(state: StateBackend) -> None:
    """FabricError if `state` was migrated away (working on it would split the stamp's state)."""
    to = state.migrated_to()
    if to is not None:
        raise FabricError(
            f"this stamp's {state.name} state was migrated to {to}: set state.backend: {to} in fabric.yaml "
            f"(the {state.name} copy is kept only as a backup), and plan again"
        )


def open_session(
    root: Path,
    state_dir: Path | None = None,
    lock_timeout: float = 0.0,
    inventory: Path | None = None,
    variables: Mapping[str, Any] | None = None,
    offline: bool = False,
) -> Session:
    """Validate the stamp (ConfigError if invalid), then open state and provider.

    `inventory`: a saved inventory document to plan against instead of reading the server;
    `variables`: the stamp's variables as `stamp_variables` gives them (None: fabric.yaml's);
    `offline`: no connection is needed (a provider whose settings have `script_only` opens so).
    """
    models = settings_models()
    fabric = open_stamp(root, models, variables)
    work = work_dir_for(root, state_dir)
    settings = fabric.config.provider.model_dump()
    if inventory is not None:
        settings["inventory"] = str(inventory.resolve())
    model = models.get(str(settings.get("type", "lab")))
    if offline and model is not None and "script_only" in model.model_fields and inventory is None:
        settings["script_only"] = True
    where = StateWhere(fabric.config.state, fabric.config.stamp, work)
    provider, state = open_backends(root, settings, where, lock_timeout)
    return Session(fabric, work, state, provider)


def state_settings(root: Path, backend: str | None = None) -> tuple[StateConfig, str]:
    """The stamp's `state:` settings (with `backend` swapped in, if given) and its name."""
    config = load_config(root)
    settings = config.state if backend is None else config.state.model_copy(update={"backend": backend})
    return settings, config.stamp


def open_stamp_state(
    root: Path, state_dir: Path | None = None, lock_timeout: float = 0.0, backend: str | None = None
) -> StateBackend:
    """Only the stamp's state (reads fabric.yaml, not the resources)."""
    settings, stamp = state_settings(root, backend)
    return open_state(settings, stamp, work_dir_for(root, state_dir), lock_timeout)


def migrate_state(root: Path, to: str, state_dir: Path | None = None, lock_timeout: float = 0.0) -> StateSnapshot:
    """Copy the stamp's state from the other backend into `to` (which must be empty); both locked."""
    source_backend = "sqlite" if to == "postgres" else "postgres"
    settings, _ = state_settings(root)
    if not os.environ.get(settings.dsn_env):
        way = "into" if to == "postgres" else "out of"
        raise FabricError(
            f"state migrate --to {to} copies the state {way} PostgreSQL: set {settings.dsn_env} to the database's "
            "connection string (state.dsn_env in fabric.yaml names another variable if you prefer)"
        )
    source = open_stamp_state(root, state_dir, lock_timeout, source_backend)
    try:
        refuse_migrated(source)  # a backup left by an earlier migration is not the state any more
        target = open_stamp_state(root, state_dir, lock_timeout, to)
        try:
            with source.lock("state migrate"), target.lock("state migrate"):
                if source.pending():
                    raise FabricError(
                        "an interrupted run left operations pending in this state; run fabric plan --lock first "
                        "(it settles them), then migrate"
                    )
                snapshot = source.read()
                target.load(snapshot)
                for operation in reversed(source.operations(limit=None)):  # the DR operation log goes too
                    target.log_operation(operation)
                source.mark_migrated(to)  # from now on only a backup: writing it would split the state
                return snapshot
        finally:
            target.close()
    finally:
        source.close()


def forget(state: StateBackend, addresses: list[str]) -> list[str]:
    """`fabric state rm`: drop these entries from state (their objects stay), in one locked run;
    FabricError naming any address state does not hold. Returns the addresses forgotten."""
    with state.lock("state rm"):
        entries = state.read().entries
        unknown = [a for a in addresses if a not in entries]
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(entries), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise FabricError(f"not in state: {', '.join(unknown)}{hint}")
        for address in dict.fromkeys(addresses):
            state.forget(address)
    return list(dict.fromkeys(addresses))


def accept_drift(session: Session, addresses: list[str]) -> list[str]:
    """`fabric drift --accept`: record the live values of these resources in state as what fabric
    last applied (the console edit is right), so drift no longer reports them. Returns those that
    had drifted (the others already matched: nothing is written for them)."""
    with session.state.lock("drift accept"):
        snapshot = session.state.read()
        inventory = read_inventory(session.provider)
        problems = []
        for address in addresses:
            entry = snapshot.entries.get(address)
            if entry is None:
                close = difflib.get_close_matches(address, list(snapshot.entries), n=1)
                hint = f"; did you mean {close[0]}?" if close else " (only what fabric manages can drift)"
                problems.append(f"{address}: not in state{hint}")
            elif entry.live_id not in inventory:
                problems.append(f"{address}: its object was deleted outside fabric; nothing to accept")
        if problems:
            raise FabricError("\n".join(problems))
        accepted = []
        for address in dict.fromkeys(addresses):
            entry = snapshot.entries[address]
            obj = inventory.objects[entry.live_id]
            live = import_attributes(obj, inventory, snapshot)
            attributes = {k: live.get(k) for k in entry.attributes} if entry.attributes else live
            if attributes == dict(entry.attributes):
                continue  # nothing drifted: nothing to record
            session.state.record(replace(entry, attributes=attributes))
            accepted.append(address)
    return accepted


def _backend_notice(session: Session, notices: list[str] | None) -> None:
    """A line for the DR resources this provider does not plan (`fabric.engine.managed`)."""
    left = left_to_backend(session.fabric, session.provider)
    if notices is None or not left:
        return
    backend = session.fabric.config.dr.backend
    hint = " (dr.backend is lab: set asr or hyperv_replica)" if backend == "lab" else ""
    notices.append(
        f"{len(left)} disaster-recovery resource(s) are not planned by the {session.provider.name} provider: "
        f"the {backend} backend{hint} carries them out through the scripts fabric dr render writes"
    )


def _settled(session: Session, inventory: Inventory, notices: list[str] | None) -> StateSnapshot:
    """State with what an interrupted run left pending settled (written if the session holds the
    lock, else only planned against); one line per settled operation appended to `notices`."""
    moves = {m.from_: m.to for m in session.fabric.config.moved}
    _backend_notice(session, notices)
    snapshot, said = settle(session.state, lambda: inventory, session.fabric.config.stamp, moves)
    if notices is not None:
        notices.extend(said)
    return managed_state(snapshot, session.provider)


def plan(
    session: Session, *, destroy: bool = False, replace: Collection[str] = (), notices: list[str] | None = None
) -> Plan:
    """Read the live inventory and state once, settle the operations an interrupted run left pending
    (`notices` gets a line for each), then plan purely (`replace`: -replace addresses)."""
    inventory = read_inventory(session.provider)
    return _plan(session, inventory, _settled(session, inventory, notices), destroy, frozenset(replace))


def plan_with_fingerprint(
    session: Session,
    *,
    destroy: bool = False,
    fingerprint: bool = True,
    replace: Collection[str] = (),
    notices: list[str] | None = None,
) -> tuple[Plan, Basis]:
    """The plan and what it was made against in the live fabric (empty if not asked for): the whole
    inventory's fingerprint, and what of it the plan relies on (for a saved plan's staleness).
    Pending operations are settled first, as in `plan`."""
    inventory = read_inventory(session.provider)
    snapshot = _settled(session, inventory, notices)
    the_plan = _plan(session, inventory, snapshot, destroy, frozenset(replace))
    if not fingerprint:
        return the_plan, Basis("", Footprint())
    return the_plan, Basis(inventory.fingerprint(), footprint(the_plan, inventory))


@dataclass(frozen=True)
class Basis:
    """What a plan was made against in the live fabric."""

    fingerprint: str  # of the whole inventory: unchanged means nothing moved at all
    footprint: Footprint  # what the plan relies on: only a change there makes it stale


def plan_script(provider: Provider, the_plan: Plan) -> str:
    """The plan as one script for review (providers that can write scripts only)."""
    if not isinstance(provider, ScriptWriter):
        raise FabricError(f"the {provider.name} provider cannot write scripts (the scvmm provider can)")
    live_ids = {c.address: c.live_id for c in the_plan.changes if c.live_id and c.action is not Action.REPLACE}
    return provider.plan_script(the_plan.stamp, ordered_steps(the_plan), live_ids)


def provider_steps(the_plan: Plan) -> int:
    """How many operations of the plan reach the provider (a script's steps; a two-step update
    counts twice), from the plan's one operation graph."""
    return len(operations_of(the_plan).provider_steps())


def drift(session: Session, notices: list[str] | None = None) -> DriftReport:
    """Compare state with the live inventory (drift) and with the code (pending changes), once the
    operations an interrupted run left pending are settled (`notices` gets a line for each)."""
    inventory = read_inventory(session.provider)
    config = session.fabric.config
    # state as plans see it: what other resources recorded of a moved one names its new address
    snapshot, _ = apply_moves(_settled(session, inventory, notices), {m.from_: m.to for m in config.moved})
    resources, _ = managed(session.fabric, session.provider)
    return drift_report(config.stamp, resources, inventory, snapshot, config.unmanaged)


def stale_reason(the_plan: Plan, context: PlanContext, provider: Provider, state: StateBackend) -> str | None:
    """Why a saved plan no longer matches state, the live fabric it relies on or its secrets (None if
    it still does). Live objects the plan neither changes nor relies on may come and go (tenants)."""
    changed = secrets.changed_since(context.secrets)
    if changed:
        return f"the secret in {', '.join(changed)} changed since the plan was made"
    snapshot = state.read()
    if snapshot.lineage != the_plan.state_lineage:
        return "the state is not the one the plan was made against (different lineage)"
    if snapshot.serial != the_plan.state_serial:
        return f"state changed since the plan was made (serial {the_plan.state_serial} → {snapshot.serial})"
    inventory = read_inventory(provider)
    if inventory.fingerprint() == context.inventory_fingerprint:
        return None
    moved = moved_on(the_plan, Footprint.from_json(context.footprint), inventory)
    if moved:
        shown = "; ".join(moved[:5]) + (f"; and {len(moved) - 5} more" if len(moved) > 5 else "")
        return f"the live inventory changed since the plan was made: {shown}"
    return None


def _plan(
    session: Session, inventory: Inventory, snapshot: StateSnapshot, destroy: bool, forced: frozenset[str]
) -> Plan:
    the_plan = _make(session, inventory, snapshot, destroy, forced)
    # creates and updates follow the (validated, acyclic) dependency graph; only deletes and
    # replaces (and renames, which wait for the name to be free) add orderings that can contradict it
    if needs_order_check(the_plan):
        first_steps = ensure_orderable(the_plan)
        if first_steps:  # say so in the plan: the object passes through an intermediate state
            changes = tuple(
                c.because(Why(Reason.TWO_STEP, step=first_steps[c.address]))
                if c.address in first_steps and not c.rejoins  # a rejoin's reason says so already
                else c
                for c in the_plan.changes
            )
            planned = the_plan
            the_plan = replace(the_plan, changes=changes)
            operations_of(planned).for_plan(the_plan)  # the graph is handed on, not built again
    return the_plan


def _make(
    session: Session, inventory: Inventory, snapshot: StateSnapshot, destroy: bool, forced: frozenset[str]
) -> Plan:
    removed = frozenset(r.from_ for r in session.fabric.config.removed)  # validated: none still in code
    resources, graph = managed(session.fabric, session.provider)
    for address in sorted(forced):
        said = backend_message(session.fabric, session.provider, address)
        if said:
            raise FabricError(f"-replace {said}")
    unknown = sorted(forced - set(resources))
    if unknown:
        raise FabricError(f"-replace {', '.join(unknown)}: not declared in code{_did_you_mean(unknown[0], session)}")
    return make_plan(
        session.fabric.config.stamp,
        resources,
        inventory,
        snapshot,
        session.provider.immutable_attributes,
        destroy=destroy,
        graph=graph,
        moves={m.from_: m.to for m in session.fabric.config.moved},
        built_in=session.provider.is_built_in,
        replace_addresses=forced,
        removed=removed,
        refuse=False,  # refused once cut to its targets: `planfiles.target_plan`
    )


def _did_you_mean(address: str, session: Session) -> str:
    close = difflib.get_close_matches(address, list(session.fabric.resources), n=1)
    return f"; did you mean {close[0]}?" if close else ""


def apply(
    provider: Provider,
    state: StateBackend,
    the_plan: Plan,
    *,
    parallelism: int,
    on_event: Callable[[OpEvent], None],
    should_stop: Callable[[], bool],
    on_retry: RetryEventHook | None = None,
    on_start: Callable[[int], None] = lambda total: None,
) -> ApplyResult:
    """Apply a plan; the caller holds the state lock (across plan and apply). `on_retry`: told of
    each retried operation (default: nobody)."""
    from fabric.apply.executor import apply_plan, ignore_retries

    return apply_plan(
        the_plan,
        provider,
        state,
        parallelism=parallelism,
        on_event=on_event,
        should_stop=should_stop,
        on_retry=on_retry if on_retry is not None else ignore_retries,
        on_start=on_start,
    )


def reconcile(provider: Provider, state: StateBackend, stamp: str) -> list[str]:
    """Settle the operations an interrupted run left pending, for a run that does not plan (a saved
    plan's apply: the caller holds the lock, so the result is written). One line per operation;
    the live inventory is read only if there are any."""
    return settle(state, lambda: read_inventory(provider), stamp)[1]
