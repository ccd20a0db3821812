"""The generated JSON Schemas accept every shipped stamp file and reject unknown keys."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "stamps").glob("*/*.yaml"))


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / name).read_text()))


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_shipped_files_match_their_schema(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    schema = "fabric.schema.json" if path.name == "fabric.yaml" else "resources.schema.json"
    assert first == f"# yaml-language-server: $schema=../../schemas/{schema}"
    errors = [e.message for e in validator(schema).iter_errors(yaml.safe_load(path.read_text()))]
    assert errors == []


def test_schema_rejects_unknown_keys_and_kinds() -> None:
    check = validator("resources.schema.json")
    assert list(check.iter_errors({"cloud": {"x": {"host_groups": ["host_group.a"], "bogus": 1}}}))
    assert list(check.iter_errors({"clouds": {}}))
    templated = {"cloud": {"x": {"host_groups": ["host_group.a"], "capacity": {"vm_count": "{{ var.n }}"}}}}
    assert not list(check.iter_errors(templated))
