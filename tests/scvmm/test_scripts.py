"""The SCVMM scripts: every template renders for every kind and parses as PowerShell; values stay literal."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
import tree_sitter
import tree_sitter_powershell
from fabric_scvmm.quoting import PsCode, ps
from fabric_scvmm.scripts import OPERATIONS, UnquotedValue, environment, render

from fabric.model.refs import map_refs
from fabric.model.resources import KINDS
from fabric.project import open_stamp

ROOT = Path(__file__).resolve().parents[2]
PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
HOSTILE = [
    "x'; Remove-SCVMHostGroup -VMHostGroup $null; '",
    "$(Remove-Item C:\\ -Recurse)",
    "back`tick `$env:PATH",
    "line one\nRemove-SCCloud -Cloud $c",
    "typographic ’; Stop-Computer; ‘",
    "unicode Tromsø København ✓",
    "@{ hash = 1 } | Out-Null # not a comment",
]


def _id(address: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, address))


def _parse(script: str) -> tree_sitter.Tree:
    return PARSER.parse(script.encode("utf-8"))


def _nodes(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    yield node
    for child in node.children:
        yield from _nodes(child)


def _commands(tree: tree_sitter.Tree) -> set[str]:
    return {n.text.decode() for n in _nodes(tree.root_node) if n.type == "command_name" and n.text}


def _literals(tree: tree_sitter.Tree) -> list[str]:
    """Every single-quoted string in the script, unquoted."""
    out = []
    for n in _nodes(tree.root_node):
        if n.type == "verbatim_string_characters" and n.text:
            text = n.text.decode()[1:-1]
            for q in "'\u2018\u2019\u201a\u201b":
                text = text.replace(q * 2, q)
            out.append(text)
    return out


def _cases() -> list[tuple[str, str, dict[str, Any]]]:
    fabric = open_stamp(ROOT / "stamps" / "reference")
    out = []
    for address, resource in fabric.resources.items():
        attrs = map_refs(type(resource), resource.canonical, _id)
        out.append((address, resource.KIND, attrs))
    return out


CASES = _cases()


def test_every_kind_is_covered_by_the_reference_stamp_or_a_template() -> None:
    env = environment()
    for kind in KINDS:
        for operation in OPERATIONS:
            assert env.get_template(f"{kind}/{operation}.ps1.j2")


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(("address", "kind", "attrs"), CASES, ids=[c[0] for c in CASES])
def test_rendered_scripts_parse_without_errors(address: str, kind: str, attrs: dict[str, Any], operation: str) -> None:
    script = render(kind, operation, attrs, live_id=_id(address), address=address)
    tree = _parse(script)
    assert not tree.root_node.has_error, script
    assert script.startswith("$ErrorActionPreference = 'Stop'\ntry {")
    assert "ConvertTo-Json -Compress" in script


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_names_stay_literal_strings(hostile: str) -> None:
    attrs = {
        "name": hostile,
        "description": hostile,
        "host_groups": [_id("hg")],
        "logical_networks": [],
        "port_classifications": [],
        "disaster_recovery_supported": False,
        "capacity": {
            "vm_count": None,
            "cpu_count": 4,
            "memory_mb": None,
            "storage_gb": None,
            "custom_quota_count": None,
        },
        "custom_properties": {_id("cp"): hostile},
    }
    for operation in ("create", "update"):
        tree = _parse(render("cloud", operation, attrs, live_id=_id("c")))
        assert not tree.root_node.has_error
        assert not {"Remove-SCVMHostGroup", "Remove-Item", "Remove-SCCloud", "Stop-Computer"} & _commands(tree)
        assert _literals(tree).count(hostile) >= 3  # name, description, custom property value


def test_quoting_rules() -> None:
    assert ps("it's") == "'it''s'"
    assert ps("a’b") == "'a’’b'"
    assert ps(True) == "$true" and ps(False) == "$false"
    assert ps(None) == "$null"
    assert ps(42) == "42"
    assert ps(["a", 1, None]) == "@('a', 1, $null)"
    with pytest.raises(TypeError):
        ps({"a": 1})
    with pytest.raises(ValueError):
        ps(float("nan"))


def test_a_value_without_the_filter_is_refused() -> None:
    env = environment()
    with pytest.raises(UnquotedValue):
        env.from_string("New-SCCloud -Name {{ name }}").render(name="x; Remove-Item C:\\")
    assert env.from_string("New-SCCloud -Name {{ name|ps }}").render(name="x") == "New-SCCloud -Name 'x'"
    assert isinstance(ps("x"), PsCode)


def test_ip_grant_scripts() -> None:
    attrs = {
        "name": "web01-nic0",
        "description": "",
        "ip_pool": _id("pool"),
        "vm": "web'01",
        "adapter": 1,
        "address": None,
    }
    create = render("ip_grant", "create", attrs)
    tree = _parse(create)
    assert not tree.root_node.has_error
    assert {"Grant-SCIPAddress", "Set-SCVirtualNetworkAdapter", "Get-SCVirtualMachine"} <= _commands(tree)
    assert "web'01" in _literals(tree) and "IPAddress =" not in create
    fixed = render("ip_grant", "create", {**attrs, "address": "10.0.0.5"})
    assert "$params.IPAddress = '10.0.0.5'" in fixed
    for operation in ("update", "delete"):
        assert not _parse(render("ip_grant", operation, attrs, live_id=_id("g"))).root_node.has_error


@pytest.mark.parametrize("quote", ["'", "\u2018", "\u2019", "\u201a", "\u201b"])
def test_every_powershell_quote_character_is_doubled(quote: str) -> None:
    # the test grammar does not know the typographic quotes; PowerShell does, so check the text itself
    assert ps(f"a{quote}b") == f"'a{quote}{quote}b'"


@pytest.mark.parametrize(
    "text",
    [
        "{{ name|e }}",
        "{{ name|safe }}",
        "{{ name|escape }}",
        "{{ [name]|join }}",
        "{{ name|tojson }}",
        "{{ name|string }}",
    ],
)
def test_filters_that_could_skip_quoting_are_unavailable_or_refused(text: str) -> None:
    with pytest.raises(Exception) as caught:
        environment().from_string(f"New-SCCloud -Name {text}").render(name="x; Stop-Computer #")
    assert isinstance(caught.value, (UnquotedValue, jinja2.TemplateError))


def test_hnv_vm_networks_get_pool_types_and_the_line_still_ends() -> None:
    attrs = {"name": "t", "description": "", "logical_network": _id("ln"), "isolation": "hnv", "subnets": []}
    script = render("vm_network", "create", attrs)
    line = next(x for x in script.splitlines() if "New-SCVMNetwork" in x)
    assert line.endswith("-CAIPAddressPoolType 'IPV4' -PAIPAddressPoolType 'IPV4'")
