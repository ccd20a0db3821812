"""Secrets stay masked at the edges: rotated since the last apply, removed from code, under
ignore_changes, inside other text (data keeps its text), in validation messages; a secret too
short to mask is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Cli, copy_stamp, stamp_on


def _secret_lab(tmp_path: Path, backend: str) -> Path:
    stamp = stamp_on("lab", tmp_path, backend)
    text = (stamp / "lab.yaml").read_text(encoding="utf-8").replace(': "true"', ': "${env:LAB_TOKEN}"')
    (stamp / "lab.yaml").write_text(text, encoding="utf-8")
    return stamp


def test_a_rotated_secret_is_masked_where_it_was(
    cli: Cli, tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp = _secret_lab(tmp_path, backend)
    monkeypatch.setenv("LAB_TOKEN", "first-secret-value-1")
    assert cli("apply", stamp, "--auto-approve").code == 0
    monkeypatch.setenv("LAB_TOKEN", "rotated-secret-value-2")
    planfile = tmp_path / "p.fabricplan"
    outputs = [cli("plan", stamp, "--format", fmt).out for fmt in ("text", "json", "markdown")]
    outputs.append(cli("plan", stamp, "--out", planfile).out)
    outputs.append(planfile.read_text(encoding="utf-8"))
    outputs += [cli("drift", stamp, "--format", fmt).out for fmt in ("text", "json", "html")]
    for text in outputs:
        assert "first-secret-value-1" not in text and "rotated-secret-value-2" not in text
    assert json.loads(outputs[1])["summary"]["update"] == 1


def test_a_secret_inside_other_text_does_not_rewrite_data(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp = _secret_lab(tmp_path, "sqlite")
    monkeypatch.setenv("LAB_TOKEN", "location")  # also a word in a description: "The lab location"
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", stamp, "--out", planfile).code == 0
    assert cli("apply", planfile).code == 0
    from fabric.providers.lab.provider import LabProvider
    from fabric.state.sqlite import SqliteState

    state = SqliteState(stamp / ".fabric")
    lab = LabProvider(stamp / ".fabric" / "lab.db")
    try:  # data keeps its text: only whole secret values are replaced in stored data
        assert state.read().entries["host_group.Lab"].attributes["description"] == "The lab location"
        live = next(o for o in lab.read_inventory().owned() if o.kind == "host_group")
        assert live.attributes["description"] == "The lab location"
    finally:
        state.close()
        lab.close()
    assert cli("plan", stamp, "--detailed-exitcode").code == 0


def test_a_short_secret_is_refused(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = _secret_lab(tmp_path, "sqlite")
    monkeypatch.setenv("LAB_TOKEN", "1")
    result = cli("validate", stamp)
    assert result.code == 1
    assert "LAB_TOKEN holds fewer than 8 characters" in result.err


def test_a_secret_in_a_validation_message_is_masked(cli: Cli, tmp_path: Path, monkeypatch) -> None:
    secret = "quote'and\"double-7f3a"
    monkeypatch.setenv("LAB_TOKEN", secret)
    stamp = copy_stamp("lab", tmp_path)
    text = (stamp / "lab.yaml").read_text(encoding="utf-8").replace("vm_count: 20", 'vm_count: "${env:LAB_TOKEN}"')
    (stamp / "lab.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", stamp)
    assert result.code == 1
    assert "quote" not in result.err and "(sensitive)" in result.err


def test_drift_masks_a_secret_removed_from_code(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEC_A", "old-secret-AAA")
    stamp = copy_stamp("lab", tmp_path)
    lab_yaml = stamp / "lab.yaml"
    lab_yaml.write_text(lab_yaml.read_text().replace(': "true"', ': "${env:SEC_A}"'))
    assert cli("apply", stamp, "--auto-approve").code == 0
    monkeypatch.delenv("SEC_A")
    lab_yaml.write_text(lab_yaml.read_text().replace(': "${env:SEC_A}"', ": public text"))
    for fmt in ("text", "json", "markdown", "html"):
        result = cli("drift", stamp, "--format", fmt)
        assert "old-secret-AAA" not in result.out + result.err, fmt
    assert "old-secret-AAA" not in cli("plan", stamp, "--format", "json").out


def test_a_rotated_secret_under_ignore_changes_stays_masked(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEC_A", "old-secret-AAA")
    stamp = copy_stamp("lab", tmp_path)
    lab_yaml = stamp / "lab.yaml"
    text = lab_yaml.read_text().replace(
        '    name: "IaaS {{ var.location }}"\n',
        '    name: "IaaS {{ var.location }}"\n'
        """    lifecycle: {ignore_changes: ['custom_properties["custom_property.CreateHighlyAvailableVMRoles"]']}\n""",
    )
    text = text.replace(': "true"', ': "${env:SEC_A}"')
    lab_yaml.write_text(text)
    assert cli("apply", stamp, "--auto-approve").code == 0
    monkeypatch.setenv("SEC_A", "new-secret-BBB")
    lab_yaml.write_text(lab_yaml.read_text().replace("vm_count: 20", "vm_count: 30"))
    plan = cli("plan", stamp, "--format", "json")
    assert "old-secret-AAA" not in plan.out and "new-secret-BBB" not in plan.out
    saved = cli("plan", stamp, "--out", tmp_path / "p.fabricplan")
    assert saved.code == 1 and "cannot save this plan" in saved.err
    assert not (tmp_path / "p.fabricplan").exists()
    assert cli("apply", stamp, "--auto-approve").code == 0
    stored = (stamp / ".fabric" / "state.db").read_bytes()
    assert b"old-secret-AAA" not in stored and b"new-secret-BBB" not in stored
    assert "old-secret-AAA" not in cli("show", stamp, "--format", "json").out
