"""Safe YAML: duplicate keys, tags, alias bombs, deep nesting, positions."""

from __future__ import annotations

import time

from fabric.load.yamlfile import Locator, parse_yaml


def test_plain_document() -> None:
    data, problems = parse_yaml("a: 1\nb: [x, y]\nc: {d: true}\n", "f.yaml")
    assert problems == []
    assert data == {"a": 1, "b": ["x", "y"], "c": {"d": True}}


def test_duplicate_key_is_an_error_with_position() -> None:
    _, problems = parse_yaml("cloud:\n  a: {}\n  a: {}\n", "f.yaml")
    assert [p.render() for p in problems] == ["f.yaml:3:3: error: duplicate key 'a'"]


def test_python_tags_refused() -> None:
    _, problems = parse_yaml("a: !!python/object/apply:os.system ['true']\n", "f.yaml")
    assert len(problems) == 1
    assert "f.yaml:1:4:" in problems[0].render()


def test_billion_laughs_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    started = time.monotonic()
    _, problems = parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert time.monotonic() - started < 5
    assert problems and "aliases expand to more than" in problems[0].message


def test_small_aliases_allowed() -> None:
    data, problems = parse_yaml("base: &b {vlan: 5}\nsite: *b\n", "f.yaml")
    assert problems == []
    assert data["site"] == {"vlan": 5}


def test_deep_nesting_refused() -> None:
    text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    _, problems = parse_yaml(text, "deep.yaml")
    assert problems
    assert problems[0].location.file == "deep.yaml"


def test_tab_indentation_reports_position() -> None:
    _, problems = parse_yaml("cloud:\n\ta: {}\n", "tab.yaml")
    assert problems[0].render().startswith("tab.yaml:2:1: error: invalid YAML")


def test_locator_points_at_values_and_keys() -> None:
    locator = Locator()
    locator.add("f.yaml", "cloud:\n  a:\n    host_groups: [x, y]\n    name: n\n")
    assert str(locator.locate("f.yaml", ("cloud", "a", "host_groups", 1))) == "f.yaml:3:22"
    assert str(locator.locate("f.yaml", ("cloud", "a", "name"), at_key=True)) == "f.yaml:4:5"
    assert str(locator.locate("f.yaml", ("cloud", "a", "missing"))) == "f.yaml:3:5"


def test_libyaml_parser_is_in_use() -> None:
    # falling back to the pure-Python parser silently costs 2-3x on large stamps
    from fabric.load.yamlfile import _NodeLoader

    assert "CParser" in [cls.__name__ for cls in _NodeLoader.__mro__]


def test_merge_keys_override_and_duplicates() -> None:
    data, problems = parse_yaml("a: &a {x: 1, y: 2}\nb:\n  <<: *a\n  y: 3\n", "m.yaml")
    assert problems == []
    assert data["b"] == {"x": 1, "y": 3}
    _, problems = parse_yaml("b:\n  y: 1\n  y: 2\n", "m.yaml")
    assert [p.render() for p in problems] == ["m.yaml:3:3: error: duplicate key 'y'"]
