"""A secret given as `${env:NAME}` reaches the provider but no output: every format is grepped."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import Cli, stamp_on

SECRET = "pl4nted-Secret'\"<&>\\ü-7f3a"  # quotes, markup and a backslash: escaped forms are masked too
SHAPES = [SECRET, json.dumps(SECRET)[1:-1], json.dumps(SECRET, ensure_ascii=True)[1:-1], "pl4nted-Secret"]


def _assert_clean(label: str, text: str | bytes) -> None:
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
    for shape in SHAPES:
        assert shape.encode() not in data, f"{label} leaks the secret ({shape!r})"


@pytest.fixture
def secret_stamp(tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LAB_TOKEN", SECRET)
    stamp = stamp_on("lab", tmp_path, backend)
    text = (stamp / "lab.yaml").read_text(encoding="utf-8")
    text = text.replace(': "true"', ': "${env:LAB_TOKEN}"')
    (stamp / "lab.yaml").write_text(text, encoding="utf-8")
    return stamp


def test_secret_reaches_the_provider_and_no_output(cli: Cli, secret_stamp: Path, tmp_path: Path) -> None:
    outputs: dict[str, str | bytes] = {}

    def run(label: str, *args: object, code: int = 0) -> str:
        result = cli(*args)
        assert result.code == code, f"{label}: {result.out}{result.err}"
        outputs[label] = result.out + result.err
        return result.out

    stamp = secret_stamp
    run("validate", "validate", stamp)
    for fmt in ("text", "json", "markdown"):
        run(f"plan {fmt}", "plan", stamp, "--format", fmt)
    run("plan compact", "plan", stamp, "--compact")
    planfile = tmp_path / "p.fabricplan"
    run("plan --out", "plan", stamp, "--out", planfile)
    outputs["plan file"] = planfile.read_bytes()
    assert b"${env:LAB_TOKEN}" in outputs["plan file"]  # a saved plan names the variable instead
    run("show plan", "show", planfile)
    run("show plan json", "show", planfile, "--format", "json")
    run("apply plan file", "apply", planfile)
    run("show", "show", stamp)
    shown = run("show json", "show", stamp, "--format", "json")
    assert "(sensitive)" in shown
    run("state history", "state", "history", stamp)
    # the lab (VMM) holds the real value: the secret did reach the provider
    from fabric.providers.lab.provider import LabProvider

    lab = LabProvider(stamp / ".fabric" / "lab.db")
    try:
        cloud = next(o for o in lab.read_inventory() if o.kind == "cloud")
    finally:
        lab.close()
    assert SECRET in cloud.attributes["custom_properties"].values()
    run("lab show json", "lab", "show", stamp, "--format", "json")
    run("plan after apply", "plan", stamp, "--detailed-exitcode")
    for fmt, suffix in (("text", "txt"), ("json", "json"), ("markdown", "md"), ("html", "html")):
        report = tmp_path / f"drift.{suffix}"
        run(f"drift {fmt}", "drift", stamp, "--format", fmt, "--out", report)
        outputs[f"drift file {fmt}"] = report.read_bytes()
        run(f"drift {fmt} stdout", "drift", stamp, "--format", fmt)
    run("destroy", "destroy", stamp, "--auto-approve")
    for path in (stamp / ".fabric").rglob("state*"):
        outputs[f"state file {path.name}"] = path.read_bytes()
    for label, text in outputs.items():
        _assert_clean(label, text)
    assert "(sensitive)" in str(outputs["plan json"])


def test_changed_secret_in_the_provider_is_drift_and_an_update(cli: Cli, secret_stamp: Path) -> None:
    assert cli("apply", secret_stamp, "--auto-approve").code == 0
    edited = cli("lab", "set", secret_stamp, "cloud.iaas", "custom_properties={}")
    assert edited.code == 0, edited.err
    drift = cli("drift", secret_stamp, "--format", "json", "--detailed-exitcode")
    assert drift.code == 2, drift.out + drift.err
    plan = json.loads(cli("plan", secret_stamp, "--format", "json").out)
    assert plan["summary"]["update"] == 1
    _assert_clean("drift", drift.out)


def test_unset_secret_is_a_located_error(cli: Cli, secret_stamp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAB_TOKEN")
    result = cli("plan", secret_stamp)
    assert result.code == 1
    line = result.err.splitlines()[0]
    assert line.startswith("lab.yaml:23:53: error: environment variable LAB_TOKEN is not set") or (
        ":23:" in line and "LAB_TOKEN is not set" in line
    ), result.err


def test_a_secret_cannot_be_a_name(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAB_TOKEN", SECRET)
    stamp = stamp_on("lab", tmp_path, "sqlite")
    text = (stamp / "lab.yaml").read_text(encoding="utf-8")
    (stamp / "lab.yaml").write_text(text.replace("name: Management\n", "name: ${env:LAB_TOKEN}\n", 1), encoding="utf-8")
    result = cli("validate", stamp)
    assert result.code == 1
    assert "a name cannot be a secret" in result.err
    _assert_clean("validate", result.out + result.err)


def test_saved_plan_needs_the_secret_again(cli: Cli, secret_stamp: Path, tmp_path: Path, monkeypatch) -> None:
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", secret_stamp, "--out", planfile).code == 0
    monkeypatch.delenv("LAB_TOKEN")
    result = cli("apply", planfile)
    assert result.code == 1
    assert "the secret environment variable LAB_TOKEN is not set" in result.err


def test_saved_plan_is_refused_when_the_secret_changed_since(
    cli: Cli, secret_stamp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", secret_stamp, "--out", planfile).code == 0
    doc = json.loads(planfile.read_text(encoding="utf-8"))
    assert list(doc["secrets"]) == ["LAB_TOKEN"] and doc["secrets"]["LAB_TOKEN"].startswith("scrypt$")
    monkeypatch.setenv("LAB_TOKEN", SECRET + "-rotated")
    result = cli("apply", planfile)
    assert result.code == 1
    assert "saved plan is stale: the secret in LAB_TOKEN changed since the plan was made" in result.err
    assert cli("lab", "show", secret_stamp, "--format", "json").out.count('"id"') == 0  # nothing applied
    monkeypatch.setenv("LAB_TOKEN", SECRET)
    assert cli("apply", planfile).code == 0


def test_a_saved_plan_without_a_fingerprint_for_a_secret_is_refused(
    cli: Cli, secret_stamp: Path, tmp_path: Path
) -> None:
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", secret_stamp, "--out", planfile).code == 0
    doc = json.loads(planfile.read_text(encoding="utf-8"))
    for damaged, message in [
        ({**doc, "secrets": {}}, "no fingerprint for the secret in LAB_TOKEN"),
        ({k: v for k, v in doc.items() if k != "secrets"}, "secrets is not a map of fingerprints"),
        ({**doc, "format_version": 1}, "format version 1 is not supported"),
    ]:
        planfile.write_text(json.dumps(damaged), encoding="utf-8")
        result = cli("apply", planfile)
        assert result.code == 1 and message in result.err, result.err


def test_secret_fingerprints_are_salted_and_check_the_value() -> None:
    from fabric.secrets import fingerprint, matches

    first, second = fingerprint(SECRET), fingerprint(SECRET)
    assert first != second  # salted: equal secrets do not show as equal
    assert matches(SECRET, first) and matches(SECRET, second)
    assert not matches(SECRET + "x", first) and not matches("", first)
    assert not matches(SECRET, "scrypt$zz$00") and not matches(SECRET, "md5$" + first.partition("$")[2])


def test_review_diff_masks_secrets(cli: Cli, secret_stamp: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=secret_stamp, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    text = (secret_stamp / "lab.yaml").read_text(encoding="utf-8").replace("vm_count: 20", "vm_count: 30")
    (secret_stamp / "lab.yaml").write_text(text, encoding="utf-8")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "head")
    for fmt in ("text", "json", "markdown"):
        result = cli("diff", secret_stamp, "--base", "HEAD~1", "--format", fmt)
        assert result.code == 0, result.err
        _assert_clean(f"diff {fmt}", result.out + result.err)


def test_export_writes_the_reference_not_the_value(cli: Cli, secret_stamp: Path, tmp_path: Path) -> None:
    assert cli("apply", secret_stamp, "--auto-approve").code == 0
    target = tmp_path / "exported"
    result = cli("export", secret_stamp, "--out", target)
    assert result.code == 0, result.err
    written = b"".join(p.read_bytes() for p in target.rglob("*") if p.is_file())
    _assert_clean("export", written)
    assert b"${env:LAB_TOKEN}" in (target / "cloud.yaml").read_bytes()


def test_reviewed_scripts_read_the_secret_from_the_environment(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAP_TOKEN", SECRET + "-wap")
    stamp = tmp_path / "offline"
    stamp.mkdir()
    (stamp / "fabric.yaml").write_text("stamp: offline\nprovider:\n  type: scvmm\n  server: vmm01.fabric.local\n")
    (stamp / "objects.yaml").write_text(
        "host_group:\n  Lab: {}\ncustom_property:\n  Token: {}\n"
        "cloud:\n  c:\n    host_groups: [host_group.Lab]\n"
        "    custom_properties: {custom_property.Token: '${env:WAP_TOKEN}'}\n"
    )
    inventory = Path(__file__).parents[1] / "scvmm" / "fixtures" / "inventory_empty.json"
    emitted = tmp_path / "change.ps1"
    assert cli("apply", stamp, "--emit-script", emitted, "--inventory", inventory).code == 0
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", stamp, "--inventory", inventory, "--out", planfile).code == 0
    from_plan = cli("script", planfile)
    assert from_plan.code == 0, from_plan.err
    for label, text in (("emit-script", emitted.read_text(encoding="utf-8")), ("script", from_plan.out)):
        _assert_clean(label, text)
        assert "$env:WAP_TOKEN" in text, label


def test_a_description_cannot_be_a_secret(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A description is shown to everyone in the VMM console and carries the ownership tag."""
    monkeypatch.setenv("DESC_TOKEN", SECRET)
    stamp = stamp_on("lab", tmp_path, "sqlite")
    doc = stamp / "lab.yaml"
    doc.write_text(doc.read_text().replace("description: The lab location", 'description: "${env:DESC_TOKEN}"'))
    result = cli("validate", stamp)
    assert result.code == 1
    assert "lab.yaml:4:18: error: a description cannot be a secret" in result.err
    _assert_clean("validate", result.out + result.err)
