"""The SCVMM scripts: every template renders for every kind and parses as PowerShell; values stay literal."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
import tree_sitter
import tree_sitter_powershell
from fabric_scvmm.provider import read_script
from fabric_scvmm.quoting import PsCode, ps
from fabric_scvmm.scripts import OPERATIONS, UnquotedValue, environment, render

from fabric.model.refs import map_refs
from fabric.model.resources import VMM_KINDS as KINDS  # the DR kinds are the DR backend's, not VMM's
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


def _command_names(tree: tree_sitter.Tree) -> list[str]:
    return [n.text.decode() for n in _nodes(tree.root_node) if n.type == "command_name" and n.text]


def _commands(tree: tree_sitter.Tree) -> set[str]:
    return set(_command_names(tree))


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


def _values(tree: tree_sitter.Tree) -> list[str]:
    """Every string value in the script: single-quoted literals, and the parenthesised concatenations
    of literals and `[char]0x…` casts that `ps` writes for a string with control characters."""
    out = []
    for n in _nodes(tree.root_node):
        if n.type == "parenthesized_expression" and n.text and re.fullmatch(_CONCAT, n.text.decode()):
            out.append(_evaluate(n.text.decode()))
    return _literals(tree) + out


_PIECE = r"'(?:[^']|'')*'|\[char\]0x[0-9A-F]{4}"
_CONCAT = re.compile(rf"\((?:{_PIECE})(?: \+ (?:{_PIECE}))+\)")


def _evaluate(text: str) -> str:
    """What PowerShell makes of such a concatenation."""
    value = ""
    for piece in re.findall(_PIECE, text[1:-1]):
        value += chr(int(piece[8:], 16)) if piece.startswith("[char]") else piece[1:-1].replace("''", "'")
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")  # [char] pairs


def _cases() -> list[tuple[str, str, dict[str, Any]]]:
    fabric = open_stamp(ROOT / "stamps" / "reference")
    out = []
    for address, resource in fabric.resources.items():
        if resource.DOMAIN != "vmm":
            continue  # the DR kinds are the DR backend's, not VMM's
        attrs = map_refs(type(resource), resource.canonical, _id)
        out.append((address, resource.KIND, attrs))
    return out


CASES = _cases()
GRANT = {"name": "web01-nic0", "description": "", "ip_pool": _id("pool"), "vm": "web'01", "adapter": 1, "address": None}
MAC_POOL = {
    "name": "Oslo MACs",
    "description": "",
    "range_start": "00:1D:D8:B7:1C:00",
    "range_end": "00:1D:D8:B7:1F:FF",
    "host_groups": [_id("hg")],
}
# the reference stamp has no MAC pool: that kind is added here, and grants with other shapes
ALL_CASES = [
    *CASES,
    ("mac_pool.oslo", "mac_pool", MAC_POOL),
    ("ip_grant.web01", "ip_grant", GRANT),
    ("ip_grant.web02", "ip_grant", {**GRANT, "address": "10.0.0.5"}),
]
SC_CMDLET = re.compile(r"[A-Za-z]+-SC[A-Za-z0-9]+")


def _parameters(command: tree_sitter.Node) -> dict[str, str]:
    """A command's own named parameters (casefolded) and the text of each value ('' for a switch)."""
    elements = command.child_by_field_name("command_elements")
    args = [c for c in elements.children if c.type != "command_argument_sep"] if elements is not None else []
    out = {}
    for i, arg in enumerate(args):
        if arg.type == "command_parameter" and arg.text:
            value = args[i + 1] if i + 1 < len(args) and args[i + 1].type != "command_parameter" else None
            out[arg.text.decode().casefold()] = value.text.decode() if value is not None and value.text else ""
    return out


def _calls(tree: tree_sitter.Tree, pattern: re.Pattern[str]) -> list[tuple[str, dict[str, str]]]:
    """(name, parameters) of every command whose name matches `pattern`, in script order."""
    out = []
    for node in _nodes(tree.root_node):
        name = node.child_by_field_name("command_name") if node.type == "command" else None
        if name is not None and name.text and pattern.fullmatch(name.text.decode()):
            out.append((name.text.decode(), _parameters(node)))
    return out


def _sc_calls_without_stop(tree: tree_sitter.Tree) -> list[str]:
    """Every `Verb-SCNoun` call in the tree that lacks `-ErrorAction Stop`."""
    return [name for name, params in _calls(tree, SC_CMDLET) if params.get("-erroraction") != "Stop"]


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
        assert _values(tree).count(hostile) >= 3  # name, description, custom property value


def test_quoting_rules() -> None:
    assert ps("it's") == "'it''s'"
    assert ps("a’b") == "('a' + [char]0x2019 + 'b')"  # non-ASCII is never raw (see the ANSI tests below)
    assert ps(True) == "$true" and ps(False) == "$false"
    assert ps(None) == "$null"
    assert ps(42) == "42"
    assert ps(["a", 1, None]) == "@('a', 1, $null)"
    with pytest.raises(TypeError):
        ps({"a": 1})
    with pytest.raises(ValueError):
        ps(float("nan"))


@pytest.mark.parametrize(
    "text", ["line one\nline two", "\r\n", "\u202eevil", "nul\x00", "sep\u2028x", "esc\x1b[2J", "x\ud800y"]
)
def test_characters_that_must_not_appear_raw_become_char_casts(text: str) -> None:
    quoted = ps(text)
    assert quoted.startswith("('") and quoted.endswith(")")  # a literal first: + concatenates strings
    assert all(ch.isprintable() and ch not in "\u2028\u2029" for ch in quoted)
    tree = _parse(f"$x = {quoted}")
    assert not tree.root_node.has_error and _values(tree) == [*_literals(tree), text]
    assert ps("a\nb") == "('a' + [char]0x000A + 'b')"


def test_a_value_without_the_filter_is_refused() -> None:
    env = environment()
    with pytest.raises(UnquotedValue):
        env.from_string("New-SCCloud -Name {{ name }}").render(name="x; Remove-Item C:\\")
    assert env.from_string("New-SCCloud -Name {{ name|ps }}").render(name="x") == "New-SCCloud -Name 'x'"
    assert isinstance(ps("x"), PsCode)


def test_ip_grant_scripts() -> None:
    create = _parse(render("ip_grant", "create", GRANT))
    assert not create.root_node.has_error
    assert {"Grant-SCIPAddress", "Set-SCVirtualNetworkAdapter", "Get-SCVirtualMachine"} <= _commands(create)
    assert "web'01" in _literals(create)
    ((_, grant),) = _calls(create, re.compile("Grant-SCIPAddress"))
    assert "-ipaddress" not in grant  # VMM picks the next free address
    assert grant["-granttoobjecttype"] == "'VirtualNetworkAdapter'" and grant["-description"] == "'web01-nic0'"


def test_ip_grant_passes_the_declared_address_and_sets_the_adapter_static() -> None:
    attrs = {**GRANT, "address": "10.0.0.5"}
    script = render("ip_grant", "create", attrs)
    tree = _parse(script)
    ((_, grant),) = _calls(tree, re.compile("Grant-SCIPAddress"))
    assert grant["-ipaddress"] == "'10.0.0.5'"
    names = [name for name, _ in _calls(tree, SC_CMDLET)]
    assert names.index("Grant-SCIPAddress") < names.index("Set-SCVirtualNetworkAdapter")
    # the adapter gets whatever VMM granted (the declared address, or the one it picked)
    assert "IPv4AddressType = 'Static'; IPv4Addresses = @([string]$obj.Address)" in script


def test_ip_grant_update_renames_and_delete_revokes_then_resets_the_adapter() -> None:
    attrs = {**GRANT, "address": "10.0.0.5"}
    update = _parse(render("ip_grant", "update", attrs, live_id=_id("g")))
    ((_, rename),) = _calls(update, re.compile("Set-SCIPAddress"))
    assert rename["-description"] == "'web01-nic0'"  # VMM keeps the grant's name in its description
    assert "Grant-SCIPAddress" not in _commands(update)
    delete = _parse(render("ip_grant", "delete", {}, live_id=_id("g")))
    assert not delete.root_node.has_error
    names = [name for name, _ in _calls(delete, SC_CMDLET)]
    assert names == [
        "Get-SCIPAddress",
        "Get-SCVirtualNetworkAdapter",
        "Revoke-SCIPAddress",
        "Set-SCVirtualNetworkAdapter",
    ]
    assert "Dynamic" in _literals(delete)


@pytest.mark.parametrize("quote", ["'", "\u2018", "\u2019", "\u201a", "\u201b"])
def test_no_powershell_quote_character_ends_a_literal(quote: str) -> None:
    # the test grammar does not know the typographic quotes; PowerShell does, so check the text itself:
    # `'` is doubled, the typographic ones are never raw (they become [char] casts)
    expected = "'a''b'" if quote == "'" else f"('a' + [char]0x{ord(quote):04X} + 'b')"
    assert ps(f"a{quote}b") == expected


# Windows PowerShell 5.1 reads a script file without a BOM in the ANSI code page; UTF-8 bytes of
# Ñ (C3 91), Ò (C3 92) and Â (C3 82) then read as Ã‘, Ã’ and Ã‚: a PowerShell quote in each
ANSI = ["cp1252", "cp1250", "cp1251"]
NON_ASCII = ["ESPAÑA", "Ò", "Â", "ђ", "Tromsø København", "Malmö ✓", "emoji \U0001f600", "Ñ; Stop-Computer -Force; #"]


@pytest.mark.parametrize("text", NON_ASCII)
def test_values_read_the_same_in_any_ansi_code_page(text: str) -> None:
    quoted = str(ps(text))
    assert quoted.isascii()
    for codepage in ANSI:  # what Windows PowerShell 5.1 reads from the UTF-8 file
        assert quoted.encode("utf-8").decode(codepage) == quoted
    tree = _parse(f"$x = {quoted}")
    assert not tree.root_node.has_error and text in _values(tree)


def test_the_unfixed_quoting_would_run_code_when_read_as_ansi() -> None:
    # what the check above guards against: the literal as written before, read by Windows PowerShell 5.1
    raw = "'Ñ; Stop-Computer -Force; #'".encode().decode("cp1252")
    assert raw == "'Ã\u2018; Stop-Computer -Force; #'"  # ‘ ends the literal after Ã; the rest is code


@pytest.mark.parametrize("operation", OPERATIONS)
def test_rendered_scripts_are_ascii_outside_comments(operation: str) -> None:
    hostile = "Ñ’ København\u202e ✓"
    for address, kind, attrs in ALL_CASES:
        changed = {**attrs, "name": hostile, "description": hostile}
        if kind == "ip_grant":
            changed["vm"] = hostile
        script = render(kind, operation, changed, live_id=_id(address), address=address)
        code = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
        assert all(line.isascii() for line in code), (address, operation)


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
    assert line.endswith("-CAIPAddressPoolType 'IPV4' -PAIPAddressPoolType 'IPV4' -ErrorAction Stop")


def test_every_sc_cmdlet_stops_on_error() -> None:
    """Every kind x create/update/delete on the oldest and a newer target, the read script, the plan
    scripts, the self-test: each SC cmdlet has -ErrorAction Stop."""
    from fabric_scvmm.selftest import selftest_script

    assert {kind for _, kind, _ in ALL_CASES} == set(KINDS)
    scripts = [read_script("vmm01.corp.example"), selftest_script("2016", "vmm01.corp.example")]
    scripts += [golden.read_text() for golden in sorted((Path(__file__).parent / "golden").glob("*.ps1"))]
    for version in ("2012r2", "2016"):
        for address, kind, attrs in ALL_CASES:
            for operation in OPERATIONS:
                scripts.append(render(kind, operation, attrs, _id(address), address, "vmm01.corp.example", version))
    for script in scripts:
        tree = _parse(script)
        assert not tree.root_node.has_error
        assert _sc_calls_without_stop(tree) == []
    sc_calls = sum(SC_CMDLET.fullmatch(name) is not None for s in scripts for name in _command_names(_parse(s)))
    assert sc_calls > 400  # the walk reaches the calls nested in pipelines, script blocks and sub-expressions


def test_the_error_action_check_sees_a_missing_or_wrong_value() -> None:
    assert _sc_calls_without_stop(_parse("Get-SCCloud -ID 'x' -ErrorAction Stop | Out-Null")) == []
    assert _sc_calls_without_stop(_parse("$c = @((Get-SCCloud -ID 'x'))")) == ["Get-SCCloud"]
    assert len(_sc_calls_without_stop(_parse("Remove-SCCloud -Cloud $c -ErrorAction Continue"))) == 1
    assert len(_sc_calls_without_stop(_parse("Get-SCCloud -Name 'ErrorAction Stop'"))) == 1
    assert len(_sc_calls_without_stop(_parse("Get-SCCloud -ErrorAction"))) == 1


def test_a_host_group_moved_to_the_top_goes_back_under_all_hosts() -> None:
    attrs = {"name": "Oslo", "description": "", "parent": None, "inherit_network_settings": True}
    tree = _parse(render("host_group", "update", attrs, live_id=_id("hg")))
    calls = _calls(tree, SC_CMDLET)
    assert [name for name, _ in calls] == [
        "Get-SCVMHostGroup",
        "Get-SCVMHostGroup",
        "Move-SCVMHostGroup",
        "Get-SCVMHostGroup",  # fetched again after the move, never taken from what Move- returns
        "Set-SCVMHostGroup",
    ]
    assert "-id" not in calls[1][1]  # the root, found as the group without a parent


def test_cloud_custom_values_touch_only_properties_for_clouds() -> None:
    attrs = next(a for address, _, a in CASES if address == "cloud.iaas-oslo")
    script = render("cloud", "update", attrs, live_id=_id("c"))
    listed = next(x for x in script.splitlines() if x.strip().startswith("Get-SCCustomProperty -ErrorAction Stop |"))
    assert "Where-Object { @($_.Members | ForEach-Object { [string]$_ }) -contains 'Cloud' }" in listed


def test_network_sites_get_no_description_parameter() -> None:
    # New-/Set-SCLogicalNetworkDefinition have no -Description (VMM 2012 to 2019 cmdlet help)
    attrs = next(a for address, _, a in CASES if address == "network_site.management-oslo")
    for operation in ("create", "update"):
        tree = _parse(render("network_site", operation, {**attrs, "description": "x"}, live_id=_id("s")))
        ((_, params),) = _calls(tree, re.compile("(New|Set)-SCLogicalNetworkDefinition"))
        assert "-description" not in params and "x" not in _literals(tree)
