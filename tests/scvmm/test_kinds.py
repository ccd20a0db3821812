"""In the scvmm plug-in a kind is one folder: its scripts, its inventory parser and the VMM
properties its read uses, side by side (`fabric_scvmm/kinds/<kind>/`); nothing else lists kinds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fabric_scvmm.kinds import KINDS_DIR, kind_module
from fabric_scvmm.scripts import OPERATIONS

from fabric.model.resources import VMM_KINDS as KINDS

PLUGIN = KINDS_DIR.parent


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_is_one_folder_with_its_scripts_parser_and_properties(kind: str) -> None:
    folder = KINDS_DIR / kind
    for operation in (*OPERATIONS, "read"):
        assert (folder / f"{operation}.ps1.j2").is_file(), f"{kind}: no {operation}.ps1.j2"
    module = kind_module(kind)
    assert callable(module.parse)
    assert module.PROPERTIES and {p.kind for p in module.PROPERTIES} == {kind}


def test_no_folder_holds_anything_but_known_kinds() -> None:
    folders = {p.name for p in KINDS_DIR.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(KINDS)


def test_no_other_module_of_the_plug_in_lists_kinds() -> None:
    """A table keyed by kind outside the kinds' folders would be one more place to touch."""
    for path in sorted(PLUGIN.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in KINDS}
        assert len(named) <= 1, f"{path.name} names kinds {sorted(named)}: keep kind facts in kinds/<kind>/"


def test_templates_outside_the_kinds_are_shared_ones() -> None:
    shared = sorted(p.name for p in (PLUGIN / "templates").iterdir())
    assert all(name.startswith("_") or name in ("read_inventory.ps1.j2", "selftest.ps1.j2") for name in shared)
    assert not [p for p in (PLUGIN / "templates").iterdir() if p.is_dir()]


def test_the_kinds_package_data_is_installed() -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"kinds/*/*.j2"' in pyproject
