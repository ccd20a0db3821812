"""What `fabric dr check` reports (the engine fills it; renderers read it)."""

from __future__ import annotations

from dataclasses import dataclass

CHECK_FORMAT = 1  # the JSON document's format_version


@dataclass(frozen=True)
class CheckFinding:
    """One finding of `fabric dr check`: a rule, its severity, its subject and message, and the
    failover types whose simulation found it (empty: found without simulating)."""

    rule: str
    severity: str
    subject: str
    message: str
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    """What `fabric dr check` found, with the posture it read."""

    plans: tuple[str, ...]
    protected: int
    replicating: int
    findings: tuple[CheckFinding, ...]
    not_checked: tuple[str, ...]
