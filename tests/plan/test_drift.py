"""fabric drift: the four categories on a scripted lab edit, exit codes, formats, the HTML page in Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Cli

from fabric.providers.lab.provider import LabProvider


def _script_drift(cli: Cli, lab: Path) -> None:
    """Apply, then change things by hand: edit two objects, delete one, add one, edit the code."""
    assert cli("apply", lab, "--auto-approve").code == 0
    assert cli("lab", "set", lab, "cloud.iaas", "capacity.vm_count=7").code == 0
    assert cli("lab", "set", lab, "host_group.Lab/IaaS", "description=by hand").code == 0
    vmm = LabProvider(lab / ".fabric" / "lab.db")
    groups = {o.name: o for o in vmm.read_inventory() if o.kind == "host_group"}
    vmm.create(
        "-",
        "host_group",
        {"name": "Rogue", "description": "", "parent": groups["Lab"].id, "inherit_network_settings": True},
    )
    vmm.delete("-", groups["Fabric Management"].id, "host_group")
    vmm.close()
    doc = lab / "lab.yaml"
    doc.write_text(doc.read_text().replace("vm_count: 20", "vm_count: 21"))


def test_no_drift_right_after_apply(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    result = cli("drift", lab, "--detailed-exitcode")
    assert result.code == 0, result.out
    assert "no drift" in result.out


def test_pending_changes_alone_are_not_drift(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    doc = lab / "lab.yaml"
    doc.write_text(doc.read_text().replace("vm_count: 20", "vm_count: 21"))
    report = json.loads(cli("drift", lab, "--format", "json").out)
    assert report["summary"] == {
        "changed_outside": 0,
        "deleted_outside": 0,
        "unmanaged": 0,
        "expected_outside": 0,
        "pending": 1,
    }
    assert cli("drift", lab, "--detailed-exitcode").code == 0


def test_categories_are_kept_apart(cli: Cli, lab: Path) -> None:
    _script_drift(cli, lab)
    result = cli("drift", lab, "--format", "json", "--detailed-exitcode")
    assert result.code == 2
    report = json.loads(result.out)
    assert report["format_version"] == "3" and report["has_drift"] is True
    assert report["summary"] == {
        "changed_outside": 2,
        "deleted_outside": 1,
        "unmanaged": 1,
        "expected_outside": 0,
        "pending": 1,
    }
    by = {(i["category"], i["address"] or i["name"]): i for i in report["items"]}
    changed = by[("changed_outside", "cloud.iaas")]
    assert changed["changes"] == [{"path": "capacity.vm_count", "live": 7, "code": 20}]  # live → last applied
    assert by[("changed_outside", "host_group.Lab/IaaS")]["changed_paths"] == ["description"]
    assert ("deleted_outside", "host_group.Lab/Fabric Management") in by
    assert by[("unmanaged", "Rogue")]["kind"] == "host_group"
    assert by[("unmanaged", "Rogue")]["host_group_path"] == "Lab/Rogue"
    pending = by[("pending", "cloud.iaas")]
    assert pending["changes"] == [{"path": "capacity.vm_count", "live": 7, "code": 21}]  # live → code
    text = cli("drift", lab).out
    assert "Deleted outside fabric (1):\n  host_group.Lab/Fabric Management" in text
    assert "Values read live → code (what apply would set)" in text
    assert "  cloud.iaas\n      ~ capacity.vm_count: 7 → 20\n" in text  # changed outside: live → last applied
    markdown = cli("drift", lab, "--format", "markdown").out
    assert "| Unmanaged | 1 |" in markdown
    assert "Values read live → code" in markdown and "`capacity.vm_count`: `7` → `20`" in markdown


def test_ignore_changes_silences_drift(cli: Cli, lab: Path) -> None:
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace("    capacity:\n", "    lifecycle: {ignore_changes: [capacity]}\n    capacity:\n")
    )
    assert cli("apply", lab, "--auto-approve").code == 0
    assert cli("lab", "set", lab, "cloud.iaas", "capacity.vm_count=7").code == 0
    assert cli("drift", lab, "--detailed-exitcode").code == 0


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="needs Debian's chromium (.ci/run installs it)"
)
def test_html_report_in_headless_chromium(cli: Cli, lab: Path, tmp_path: Path) -> None:
    _script_drift(cli, lab)
    page = tmp_path / "drift.html"
    assert cli("drift", lab, "--format", "html", "--out", page).code == 0
    html = page.read_text()
    assert "<script" not in html and "http" not in html.split("<body>")[1]  # self-contained
    assert CHROMIUM is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert 'data-address="host_group.Lab/IaaS" data-category="changed_outside"' in dom
    assert 'data-address="host_group.Lab/Fabric Management" data-category="deleted_outside"' in dom
    assert 'data-address="Rogue" data-category="unmanaged"' in dom
    assert 'data-address="host_group.Lab" data-category="none"' in dom
    assert dom.count('class="changed_outside-row"') == 2
    shot = tmp_path / "drift.png"
    subprocess.run(
        [CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1200,1400", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 10_000


def test_markdown_report_cannot_be_broken_out_of_by_live_text(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    evil = "x` </details> **No drift** <details><summary>"
    assert cli("lab", "set", lab, "port_classification.vm-roles", f"description={json.dumps(evil)}").code == 0
    text = cli("drift", lab, "--format", "markdown").out
    # inside one code span (markdown shows it literally, tags and all): the backtick cannot end it
    assert """`"x' </details> **No drift** <details><summary>"`""" in text
