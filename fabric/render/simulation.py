"""A failover simulation as text (the timeline a reviewer reads), JSON (versioned, for tools) and
markdown (for the change record)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from fabric.dr.simulate import SIMULATION_FORMAT, AdapterOutcome, Event, Simulation, VmOutcome
from fabric.engine.dr import CheckReport


def clock(seconds: int | None) -> str:
    """`T+` offsets and durations as 1h02m03s / 12m05s (None: unbounded)."""
    if seconds is None:
        return "unbounded"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m{rest % 60:02d}s" if hours else f"{rest // 60}m{rest % 60:02d}s"


def _adapter(a: AdapterOutcome) -> str:
    where = a.vm_network or (f"switch {a.switch!r} VLAN {a.vlan}" if a.switch else "not connected")
    ip = a.ip or ("DHCP" if a.rule.startswith("DHCP") else "no address")
    mark = "" if a.ok else "  ✗"
    return f"nic{a.slot} {a.mode}: {where} → {ip} ({a.rule}){mark}"


def _vm_lines(vm: VmOutcome) -> list[str]:
    if vm.status != "up":
        return [f"             {vm.vm}: {vm.status}"]
    lines = [f"             {vm.vm} on {vm.host}, up at T+{clock(vm.up_at)}"]
    lines += [f"               {_adapter(a)}" for a in vm.adapters]
    return lines


def _event_line(e: Event) -> str:
    took = "" if e.status in ("skipped", "not run") else f"  est {clock(e.expected)} (worst {clock(e.worst)})"
    status = {"run": "", "paused": "  [PAUSES for the operator]", "failed": "  [FAILS]"}.get(
        e.status, f"  [{e.status}]"
    )
    detail = f" — {e.detail}" if e.detail else ""
    return f"  T+{clock(e.start):<7}  {e.step}: {e.what}{status}{took}{detail}"


def simulation_text(sim: Simulation) -> str:
    """The timeline, each boot with its VMs' outcomes, the findings and the estimates."""
    test = f", test network: {sim.test_network or 'none'}" if sim.type == "test" else ""
    lines = [f"Simulated {sim.type.upper()} failover of {sim.plan} ({sim.direction}{test})", ""]
    by_group: dict[str, list[VmOutcome]] = {}
    for vm in sim.vms:
        by_group.setdefault(vm.group, []).append(vm)
    for e in sim.events:
        lines.append(_event_line(e))
        if e.kind == "boot" and e.status == "run":
            for vm in by_group.get(e.step, []):
                lines += _vm_lines(vm)
    if sim.stopped_at:
        lines += ["", f"The plan stops at {sim.stopped_at}: what follows does not run."]
    lines += ["", *findings_lines(sim), "", *estimate_lines(sim)]
    return "\n".join(lines) + "\n"


def findings_lines(sim: Simulation) -> list[str]:
    """`Findings:` and one line per finding, errors first (or `No findings.`)."""
    if not sim.findings:
        return ["No findings: every VM comes up as the design intends."]
    ordered = sorted(sim.findings, key=lambda f: f.severity != "error")
    return ["Findings:", *[f"  {f.severity:<7} {f.rule} {f.subject}: {f.message}" for f in ordered]]


def estimate_lines(sim: Simulation) -> list[str]:
    """RTO (expected and worst, with and without manual waiting) and the RPO bound."""
    r = sim.rto
    figures = (
        f"{clock(r.expected)} expected, {clock(r.worst)} worst case; without manual waiting "
        f"{clock(r.expected - r.manual_expected)} expected, {clock(r.automatic_worst)} worst "
        f"(manual: {clock(r.manual_expected)} expected, {clock(r.manual_worst)} worst)"
    )
    if r.reached:
        lines = [f"RTO estimate ({sim.type}): {figures}"]
    else:
        missing = sum(vm.status != "up" for vm in sim.vms)
        why = f"the plan stops at {sim.stopped_at}" if sim.stopped_at else f"{missing} VM(s) do not start"
        lines = [f"RTO ({sim.type}): not reached — {why}; the steps that run take {figures}"]
    if sim.type == "test":
        return lines
    if sim.rpo_seconds is None:
        lines.append(
            f"RPO ({sim.type}): unknown — a VM of the plan is not replicating normally (its last copy may be old)"
        )
    elif sim.rpo_seconds == 0:
        lines.append(f"RPO ({sim.type}): none (the last changes are copied before the failover)")
    else:
        lines.append(
            f"RPO ({sim.type}): at most {clock(sim.rpo_seconds)} of changes (the policy's copy frequency; the lab "
            "observes no lag)"
        )
    return lines


def simulation_json(sim: Simulation) -> str:
    """The simulation as a versioned JSON document."""
    doc: dict[str, Any] = {"format_version": SIMULATION_FORMAT, **asdict(sim)}
    doc["findings"] = [asdict(f) for f in sim.findings]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def simulation_markdown(sim: Simulation) -> str:
    """The simulation for a change record: the timeline, the VMs, the findings, the estimates."""
    test = f", test network `{sim.test_network or 'none'}`" if sim.type == "test" else ""
    lines = [
        f"### Simulated {sim.type} failover of `{sim.plan}` ({sim.direction.replace('_', ' ')}{test})",
        "",
        "| T+ | step | what | status | expected | worst |",
        "|---:|---|---|---|---:|---:|",
    ]
    for e in sim.events:
        what = _cell(e.what + (f" — {e.detail}" if e.detail else ""))
        lines.append(
            f"| {clock(e.start)} | {_cell(e.step)} | {what} | {e.status} | {clock(e.expected)} | {clock(e.worst)} |"
        )
    lines += ["", "| VM | group | host | adapter | lands on | address | rule |", "|---|---|---|---|---|---|---|"]
    for vm in sim.vms:
        if not vm.adapters:
            lines.append(f"| {_cell(vm.vm)} | {_cell(vm.group)} | {vm.host or '—'} | — | — | — | {vm.status} |")
        for a in vm.adapters:
            where = a.vm_network or (f"switch {a.switch} VLAN {a.vlan}" if a.switch else "not connected")
            mark = "" if a.ok else " ✗"
            cells = [_cell(vm.vm), _cell(vm.group), str(vm.host), f"{a.slot} ({a.mode})", _cell(where), a.ip or "—"]
            lines.append("| " + " | ".join(cells) + f" | {_cell(a.rule)}{mark} |")
    lines += ["", *[f"- {line.strip()}" if line.startswith("  ") else line for line in findings_lines(sim)]]
    lines += ["", *[f"- {line}" for line in estimate_lines(sim)]]
    return "\n".join(lines) + "\n"


def check_text(report: CheckReport) -> str:
    """`fabric dr check`: the posture, one line per finding (errors first), what was not checked."""
    plans = ", ".join(report.plans) or "none"
    lines = [
        f"Checked {len(report.plans)} recovery plan(s) ({plans}) in every failover type; "
        f"{report.replicating} of {report.protected} protected VM(s) replicating normally.",
        "",
    ]
    for f in report.findings:
        where = f" [{', '.join(f.types)}]" if f.types else ""
        lines.append(f"  {f.severity:<7} {f.rule} {f.subject}: {f.message}{where}")
    if not report.findings:
        lines.append("No findings.")
    lines += ["", "Not checked:", *[f"  {n}" for n in report.not_checked]]
    return "\n".join(lines) + "\n"


def check_json(report: CheckReport) -> str:
    """`fabric dr check --format json`, versioned."""
    doc: dict[str, Any] = {"format_version": SIMULATION_FORMAT, **asdict(report)}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
