"""Saved plans and targeting: what `plan --out`, `apply FILE`, `show FILE` and `--target` share."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fabric import __version__
from fabric.engine.managed import backend_message, managed
from fabric.errors import FabricError
from fabric.plan.change import Plan
from fabric.plan.lifecycle import refuse_plan
from fabric.plan.planfile import PlanContext, dump_plan, load_plan
from fabric.plan.targeting import select

if TYPE_CHECKING:
    from fabric.engine import Basis, Session


def target_plan(session: Session, the_plan: Plan, targets: list[str] | None, excludes: list[str] | None) -> Plan:
    """Apply --target/--exclude to a plan (all of it if neither is given), then refuse it if what is
    left must not be applied (prevent_destroy, another stamp's objects, an adoption that destroys)."""
    if targets or excludes:
        for address in [*(targets or []), *(excludes or [])]:
            said = backend_message(session.fabric, session.provider, address)
            if said:
                raise FabricError(said)
        _, graph = managed(session.fabric, session.provider)
        assert graph is not None
        the_plan = select(the_plan, graph, targets or [], excludes or [])
    refuse_plan(the_plan.changes)
    return the_plan


def save_plan(path: Path, session: Session, the_plan: Plan, basis: Basis) -> None:
    """Write a plan file that `fabric apply FILE` will carry out exactly (readable by its owner only)."""
    context = PlanContext(
        stamp_dir=str(Path(session.fabric.root).resolve()),
        state_dir=str(session.work_dir.resolve()),
        provider=session.fabric.config.provider.model_dump(),
        inventory_fingerprint=basis.fingerprint,
        footprint=basis.footprint.to_json(),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        fabric_version=__version__,
        desired={
            a: {"kind": r.KIND, "attributes": r.canonical}
            for a, r in managed(session.fabric, session.provider)[0].items()
        },
        state_backend=session.fabric.config.state.model_dump(by_alias=True),
    )
    path.write_text(json.dumps(dump_plan(the_plan, context), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.chmod(path, 0o600)


def read_plan_file(path: Path) -> tuple[Plan, PlanContext]:
    """Load a saved plan file (FabricError if unreadable or not a plan)."""
    if not path.exists():
        raise FabricError(f"no such plan file: {path} (fabric plan --out {path} saves one)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FabricError(f"{path}: cannot read plan file: {exc}") from None
    return load_plan(doc)
