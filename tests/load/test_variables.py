"""Variables from the command line (`-var NAME=VALUE`, `-var-file FILE`), typed by fabric.yaml."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from fabric.errors import ConfigError
from fabric.load.stamp import load_stamp
from fabric.load.variables import resolve_variables
from fabric.project import open_stamp

DECLARED: dict[str, Any] = {
    "prefix": "10.100",
    "locations": ["Oslo", "Stockholm"],
    "vlan_base": 100,
    "ratio": 1.5,
    "ha": False,
    "tags": {"owner": "fabric"},
    "vlans": [10, 20],
    "anything": None,
}


def problems(declared: dict[str, Any], assignments: Sequence[str] = (), files: Sequence[Path] = ()) -> list[str]:
    """The rendered diagnostics resolve_variables raises (fails if it raises none)."""
    with pytest.raises(ConfigError) as caught:
        resolve_variables(declared, assignments, files)
    return [d.render() for d in caught.value.diagnostics]


def var_file(tmp_path: Path, text: str, name: str = "vars.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_nothing_given_keeps_the_defaults() -> None:
    assert resolve_variables(DECLARED) == DECLARED


def test_var_values_are_typed_as_the_declared_defaults() -> None:
    got = resolve_variables(
        DECLARED,
        [
            "prefix=010",
            "locations=Oslo, Bergen",
            "vlan_base=-7",
            "ratio=2",
            "ha=Yes",
            "tags={owner: me, cost: 5}",
            "vlans=[1, 2]",
            "anything=a=b",
        ],
    )
    assert got == {
        "prefix": "010",  # a string keeps the raw text: not octal 8, not the int 10
        "locations": ["Oslo", "Bergen"],
        "vlan_base": -7,
        "ratio": 2.0,
        "ha": True,
        "tags": {"owner": "me", "cost": 5},
        "vlans": [1, 2],
        "anything": "a=b",  # only the first `=` separates the name
    }
    assert isinstance(got["ratio"], float)


def test_lists_take_comma_items_or_a_flow_list_typed_like_the_default_items() -> None:
    assert resolve_variables(DECLARED, ["locations=[Oslo, Bergen]"])["locations"] == ["Oslo", "Bergen"]
    assert resolve_variables(DECLARED, ["locations=[]"])["locations"] == []
    assert resolve_variables(DECLARED, ["vlans=30,40"])["vlans"] == [30, 40]
    assert resolve_variables(DECLARED, ["locations=010,2"])["locations"] == ["010", "2"]


def test_later_sources_win(tmp_path: Path) -> None:
    first = var_file(tmp_path, "prefix: '10.1'\nvlan_base: 1\nha: true\n", "first.yaml")
    second = var_file(tmp_path, "prefix: '10.2'\n", "second.yaml")
    got = resolve_variables(DECLARED, ["vlan_base=3", "vlan_base=4"], [first, second])
    assert got["prefix"] == "10.2"  # the second file beats the first
    assert got["vlan_base"] == 4  # -var beats files, the last -var the earlier one
    assert got["ha"] is True  # set by the first file, untouched since
    assert got["locations"] == ["Oslo", "Stockholm"]  # the default


def test_bool_accepts_true_false_yes_no_only() -> None:
    for text, value in (("true", True), ("FALSE", False), ("yes", True), ("No", False)):
        assert resolve_variables(DECLARED, [f"ha={text}"])["ha"] is value
    for text in ("on", "off", "1", "0", "y", ""):
        assert problems(DECLARED, [f"ha={text}"]) == [
            f"-var:1:4: error: -var ha={text}: expected a boolean (true, false, yes or no), got {text!r}"
        ]


def test_numbers_are_checked() -> None:
    assert problems(DECLARED, ["vlan_base=1.5", "vlan_base=0x10", "ratio=nan", "ratio=1e999", "ratio=x"]) == [
        "-var:1:11: error: -var vlan_base=1.5: expected a whole number, got '1.5'",
        "-var:2:11: error: -var vlan_base=0x10: expected a whole number, got '0x10'",
        "-var:3:7: error: -var ratio=nan: expected a number, got 'nan'",
        "-var:4:7: error: -var ratio=1e999: expected a number, got '1e999'",
        "-var:5:7: error: -var ratio=x: expected a number, got 'x'",
    ]


def test_var_argument_problems_name_the_argument_and_its_position() -> None:
    assert problems(
        DECLARED,
        [
            "locations",
            "=x",
            "locatons=Oslo",
            "locations=Oslo,,Bergen",
            "locations=[Oslo, Bergen",
            "vlans=10,x",
            "tags=owner",
            "locations=",
            "locations=[Oslo, 5]",
        ],
    ) == [
        "-var:1:1: error: -var locations: expected NAME=VALUE",
        "-var:2:1: error: -var =x: expected NAME=VALUE (the name is empty)",
        "-var:3:1: error: -var locatons=Oslo: no variable 'locatons' is declared in fabric.yaml; "
        "did you mean 'locations'?",
        "-var:4:16: error: -var locations=Oslo,,Bergen: empty item in a comma-separated list",
        "-var:5:11: error: -var 'locations=[Oslo, Bergen': expected a list: invalid YAML: while parsing a flow "
        "sequence did not find expected ',' or ']'",
        "-var:6:10: error: -var vlans=10,x: item 2: expected a whole number, got 'x'",
        "-var:7:6: error: -var tags=owner: expected a mapping, written as a YAML flow mapping: {key: value, …}",
        "-var:8:11: error: -var locations=: expected a list: comma-separated items, or [] for none",
        "-var:9:11: error: -var 'locations=[Oslo, 5]': item 2: expected a string, got an integer 5",
    ]


def test_unknown_variable_without_a_close_name_lists_the_declared_ones() -> None:
    assert problems({"a": 1, "b": 2}, ["zzz=1"]) == [
        "-var:1:1: error: -var zzz=1: no variable 'zzz' is declared in fabric.yaml (declared: a, b)"
    ]
    assert problems({}, ["a=1"]) == ["-var:1:1: error: -var a=1: no variable 'a': fabric.yaml declares no variables"]


def test_var_file_values_must_already_have_the_declared_type(tmp_path: Path) -> None:
    path = var_file(
        tmp_path,
        "prefix: 010\n"
        "locations: Oslo\n"
        "vlan_base: true\n"
        "ratio: '2'\n"
        "ha: 1\n"
        "tags: [a]\n"
        "vlans: [10, ten]\n"
        "locatoins: [Oslo]\n",
    )
    name = str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
    assert problems(DECLARED, files=[path]) == [
        f'{name}:1:9: error: prefix: expected a string, got an integer; quote it to keep the text: "010"',
        f"{name}:2:12: error: locations: expected a list, got a string",
        f"{name}:3:12: error: vlan_base: expected an integer, got a boolean",
        f"{name}:4:8: error: ratio: expected a number, got a string",
        f"{name}:5:5: error: ha: expected a boolean, got an integer",
        f"{name}:6:7: error: tags: expected a mapping, got a list",
        f"{name}:7:13: error: vlans: item 2: expected an integer, got a string 'ten'",
        f"{name}:8:1: error: no variable 'locatoins' is declared in fabric.yaml; did you mean 'locations'?",
    ]


def test_var_file_values_of_the_right_type_are_taken(tmp_path: Path) -> None:
    path = var_file(tmp_path, "prefix: '010'\nratio: 3\nvlans: [1]\nanything: {x: [1]}\n# a comment\n")
    got = resolve_variables(DECLARED, (), [path])
    assert got["prefix"] == "010"
    assert got["ratio"] == 3.0 and isinstance(got["ratio"], float)
    assert got["vlans"] == [1]
    assert got["anything"] == {"x": [1]}  # a null default declares no type


def test_var_file_that_is_not_a_mapping_or_not_yaml_or_missing(tmp_path: Path) -> None:
    listed = var_file(tmp_path, "- a\n- b\n", "list.yaml")
    broken = var_file(tmp_path, "a: [1\n", "broken.yaml")
    empty = var_file(tmp_path, "", "empty.yaml")
    missing = tmp_path / "missing.yaml"
    found = problems(DECLARED, files=[listed, broken, empty, missing])
    assert len(found) == 3
    unclosed = "broken.yaml:1:4: error: invalid YAML: while parsing a flow sequence did not find expected ',' or ']'"
    assert found[0].endswith(unclosed)
    assert "list.yaml:1:1: error: a var file must be a mapping of variable → value, not a list" in found[1]
    assert "missing.yaml:1:1: error: cannot read file" in found[2]


def test_every_problem_at_once(tmp_path: Path) -> None:
    path = var_file(tmp_path, "nope: 1\n")
    assert len(problems(DECLARED, ["ha=on", "vlan_base=x"], [path])) == 3


def test_load_stamp_and_open_stamp_take_the_resolved_variables(tmp_path: Path) -> None:
    (tmp_path / "fabric.yaml").write_text(
        "stamp: vars\nvariables:\n  locations: [Oslo]\n  prefix: '10.1'\n", encoding="utf-8"
    )
    (tmp_path / "hosts.yaml").write_text(
        'host_group:\n  "{{ each.value }}":\n    for_each: "{{ var.locations }}"\n'
        '    description: "{{ var.prefix }}"\n',
        encoding="utf-8",
    )
    default, _, diagnostics, _ = load_stamp(tmp_path)
    assert default is not None and not diagnostics
    assert sorted(default.resources) == ["host_group.Oslo"]
    variables = resolve_variables(default.config.variables, ["locations=Oslo,Bergen", "prefix=010"])
    fabric = open_stamp(tmp_path, variables=variables)
    assert sorted(fabric.resources) == ["host_group.Bergen", "host_group.Oslo"]
    assert fabric.resources["host_group.Bergen"].description == "010"
    assert fabric.config.variables == {"locations": ["Oslo", "Bergen"], "prefix": "010"}
    # None keeps today's behaviour: the defaults from fabric.yaml
    assert sorted(open_stamp(tmp_path, variables=None).resources) == ["host_group.Oslo"]
