"""A failover simulation as text (the timeline a reviewer reads), JSON (versioned, for tools) and
markdown (for the change record)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from fabric.dr.check import CHECK_FORMAT, CheckReport
from fabric.dr.simulate import SIMULATION_FORMAT, AdapterOutcome, Event, Simulation, VmOutcome
from fabric.dr.simulate import clock as clock  # the CLI's runbook takes it from here


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
    if sim.facts_from:
        lines[1:1] = [f"Facts: {sim.facts_from}"]
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
    if sim.measured_from:
        lines.append(f"  (steps the {sim.measured_from} ran take its measured times)")
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
    """Text for a markdown table cell: one line, pipes escaped, no raw HTML."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ").replace("<", "&lt;")


def simulation_markdown(sim: Simulation) -> str:
    """The simulation for a change record: the timeline, the VMs, the findings, the estimates."""
    test = f", test network `{sim.test_network or 'none'}`" if sim.type == "test" else ""
    lines = [
        f"### Simulated {sim.type} failover of `{sim.plan}` ({sim.direction.replace('_', ' ')}{test})",
        *([f"Facts: {_cell(sim.facts_from)}", ""] if sim.facts_from else []),
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
    doc: dict[str, Any] = {"format_version": CHECK_FORMAT, **asdict(report)}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


COLOURS = {"action": "#4c78a8", "manual": "#f58518", "boot": "#54a24b", "failed": "#e45756", "other": "#72b7b2"}
_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; } td, th { padding: 3px 8px; text-align: left; vertical-align: top; }
.gantt { width: 100%; } .gantt td.label { width: 34%; white-space: nowrap; overflow: hidden; }
.gantt td.lane { position: relative; width: 66%; height: 18px; padding: 0; border-left: 1px solid #ccc; }
.bar { position: absolute; top: 3px; height: 12px; min-width: 3px; }
.worst { position: absolute; top: 7px; height: 4px; opacity: 0.35; }
.skipped td.label { color: #999; } .tick { position: absolute; top: 0; height: 18px; width: 1px; background: #bbb; }
.vms td, .vms th { border-bottom: 1px solid #eee; } .bad { color: #c0392b; font-weight: 600; }
.error { color: #c0392b; } .warning { color: #b9770e; }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; }
"""


def _colour(e: Event) -> str:
    if e.status == "failed":
        return COLOURS["failed"]
    if e.manual:
        return COLOURS["manual"]
    if e.kind == "boot":
        return COLOURS["boot"]
    return COLOURS["action"] if e.kind == "action" else COLOURS["other"]


def simulation_html(sim: Simulation) -> str:
    """A page (no script): the timeline as a Gantt chart — a bar per step from its start for its
    expected duration, a faint tail to its worst case — then the VMs, the findings, the estimates."""
    import html as h

    total = max([e.start + max(e.expected, e.worst or 0) for e in sim.events] + [1])
    rows = []
    for e in sim.events:
        label = h.escape(f"T+{clock(e.start)}  {e.step}: {e.what}")
        ran = e.status in ("run", "paused", "failed")
        cls = "" if ran else ' class="skipped"'
        lane = ""
        if ran:
            left, width = 100 * e.start / total, 100 * e.expected / total
            worst = 100 * ((e.worst if e.worst is not None else total - e.start) - e.expected) / total
            colour = _colour(e)
            lane = (
                f'<div class="bar" style="left:{left:.3f}%;width:{width:.3f}%;background:{colour}" '
                f'title="{h.escape(e.what)}"></div>'
            )
            if worst > 0:
                lane += (
                    f'<div class="worst" style="left:{left + width:.3f}%;width:{worst:.3f}%;background:{colour}"></div>'
                )
        else:
            lane = f'<div class="tick" style="left:{100 * e.start / total:.3f}%"></div>'
        status = "" if e.status == "run" else f" [{h.escape(e.status)}]"
        rows.append(
            f'<tr{cls} data-step="{h.escape(e.step)}" data-kind="{e.kind}" data-status="{e.status}" '
            f'data-start="{e.start}" '
            f'data-expected="{e.expected}"><td class="label">{label}{status}</td><td class="lane">{lane}</td></tr>'
        )
    vms = []
    for vm in sim.vms:
        for a in vm.adapters or [None]:
            if a is None:
                vms.append(
                    f"<tr><td>{h.escape(vm.vm)}</td><td>{h.escape(vm.group)}</td><td colspan=4>{vm.status}</td></tr>"
                )
                continue
            where = a.vm_network or (f"switch {a.switch} VLAN {a.vlan}" if a.switch else "not connected")
            bad = "" if a.ok else ' class="bad"'
            vms.append(
                f'<tr{bad} data-vm="{h.escape(vm.vm)}"><td>{h.escape(vm.vm)}</td><td>{h.escape(vm.group)}</td>'
                f"<td>{h.escape(vm.host or '')}</td><td>nic{a.slot} {h.escape(a.mode)}</td><td>{h.escape(where)}</td>"
                f"<td>{h.escape(a.ip or '—')}</td><td>{h.escape(a.rule)}</td></tr>"
            )
    findings = (
        "".join(
            f'<li class="{f.severity}">{f.severity} {h.escape(f"{f.rule} {f.subject}: {f.message}")}</li>'
            for f in sim.findings
        )
        or "<li>No findings: every VM comes up as the design intends.</li>"
    )
    legend = "".join(
        f'<span style="background:{c}"></span>{name}'
        for name, c in (
            ("action", COLOURS["action"]),
            ("manual step", COLOURS["manual"]),
            ("VMs starting", COLOURS["boot"]),
            ("failed", COLOURS["failed"]),
            ("shutdown/failover", COLOURS["other"]),
        )
    )
    estimates = "".join(f"<p>{h.escape(line)}</p>" for line in estimate_lines(sim))
    test = f", test network {sim.test_network or 'none'}" if sim.type == "test" else ""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{h.escape(sim.plan)}: {sim.type} failover'
        f"</title><style>{_CSS}</style></head><body>"
        f"<h1>Simulated {sim.type} failover of {h.escape(sim.plan)} ({h.escape(sim.direction)}{h.escape(test)})</h1>"
        f'<p class="legend">{legend}</p>'
        f'<table class="gantt">{"".join(rows)}</table>'
        f'<h2>VMs</h2><table class="vms"><tr><th>VM</th><th>group</th><th>host</th><th>adapter</th>'
        f"<th>lands on</th><th>address</th><th>rule</th></tr>{''.join(vms)}</table>"
        f'<h2>Findings</h2><ul class="findings">{findings}</ul><h2>Estimates</h2>{estimates}</body></html>\n'
    )
