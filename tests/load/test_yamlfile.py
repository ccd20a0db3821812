"""Safe YAML: duplicate keys, tags, alias bombs, deep nesting, positions."""

from __future__ import annotations

import time

import pytest

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


# --- tags: honoured for their node kind, or refused where they are written ----------------------

SCALAR_TAGS = ["!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp"]
OTHER_TAGS = ["!!binary", "!!set", "!!omap", "!!pairs", "!!merge", "!!value", "!!python/none", "!local", "!<tag:x,1:y>"]
NODES = {  # how a node is written → its kind, as the messages name it
    "scalar": ("10", "a scalar"),
    "list": ("[a, b]", "a list"),
    "mapping": ("{a: 1}", "a mapping"),
    "block-mapping": ("\n    a: 1", "a mapping"),
    "block-list": ("\n    - a", "a list"),
}
WANTED = {"!!map": "a mapping", "!!seq": "a list", **{tag: "a scalar" for tag in SCALAR_TAGS}}


def _plain(value: object) -> bool:
    """True if `value` is data YAML can mean to fabric: no Python objects, no node reprs."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


@pytest.mark.parametrize("node", sorted(NODES))
@pytest.mark.parametrize("tag", [*SCALAR_TAGS, "!!map", "!!seq", *OTHER_TAGS])
def test_every_tag_on_every_node_kind_is_honoured_or_refused_at_the_tag(tag: str, node: str) -> None:
    """`!!map text`, `!!seq {…}`, `!!null {…}` crashed, turned into a repr or dropped data."""
    written, kind = NODES[node]
    data, problems = parse_yaml(f"cloud:\n  x: {tag} {written}\n", "t.yaml")
    fits = WANTED.get(tag) == kind
    if problems:
        assert len(problems) == 1 and str(problems[0].location) == "t.yaml:2:6", problems
        if tag in WANTED and not fits:
            assert problems[0].message == f"YAML tag {tag} needs {WANTED[tag]}, not {kind}"
        elif tag in OTHER_TAGS:
            assert problems[0].message.startswith("unsupported YAML tag")
        return
    assert fits, f"{tag} on a {node} was accepted: {data!r}"
    assert _plain(data), data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!!str 10", "10"),
        ("!!int '10'", 10),
        ("!!int 0x1F", 31),
        ("!!float '1.5'", 1.5),
        ("!!bool 'yes'", True),
        ("!!null ''", None),
        ("!!null ~", None),
        ("!!timestamp 2026-11-25", "2026-11-25"),
        ("!!map {a: 1}", {"a": 1}),
        ("!!seq [a]", ["a"]),
    ],
)
def test_tags_on_their_own_node_kind_mean_what_they_say(text: str, expected: object) -> None:
    data, problems = parse_yaml(f"x: {text}\n", "t.yaml")
    assert problems == []
    assert data == {"x": expected} and type(data["x"]) is type(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("!!int ten", "'ten' is not an integer (YAML tag !!int)"),
        ("!!float many", "'many' is not a number (YAML tag !!float)"),
        ("!!bool maybe", "'maybe' is not a boolean (YAML tag !!bool)"),
        ("!!null text", "'text' is not null (YAML tag !!null)"),
        ("!!timestamp soon", "'soon' is not a timestamp (YAML tag !!timestamp)"),
    ],
)
def test_a_scalar_its_tag_does_not_fit_is_refused(text: str, message: str) -> None:
    _, problems = parse_yaml(f"a:\n  x: {text}\n", "t.yaml")
    assert [p.render() for p in problems] == [f"t.yaml:2:6: error: {message}"]


def test_tags_on_keys_and_merge_sources() -> None:
    _, problems = parse_yaml("? !!seq k\n: v\n", "t.yaml")
    assert [p.render() for p in problems] == ["t.yaml:1:3: error: YAML tag !!seq needs a list, not a scalar"]
    _, problems = parse_yaml("b: &b {x: 1}\nc:\n  <<: !!seq [*b]\n", "t.yaml")
    assert problems == []
    _, problems = parse_yaml("c:\n  <<: [!!set {x: 1}]\n", "t.yaml")
    assert [p.message for p in problems] == [
        "unsupported YAML tag !!set (fabric reads strings, numbers, booleans, null, lists and mappings)"
    ]


# --- positions: characters YAML refuses, aliases ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: x\x00y\n", "1:5"),
        ("a:\n  b: [x, y]\n  c: \x07\n", "3:6"),
        ('a: "Tromsø Åre"\nb: ø\x01\n', "2:5"),  # libyaml counts bytes, columns count characters
        ("a: 1\r\nb: 2\r\nc: \x1b[31m\r\n", "3:4"),
        ("a: x\u2028b: \x00\n", "2:4"),  # YAML counts LS as a line break, as its marks do
        ("# " + "é" * 5000 + "\nx: \ufffe\n", "2:4"),
    ],
)
def test_a_character_yaml_refuses_is_reported_where_it_is(text: str, where: str) -> None:
    """The reader reports a byte offset; it was shown as 1:1."""
    _, problems = parse_yaml(text, "c.yaml")
    assert len(problems) == 1 and str(problems[0].location) == f"c.yaml:{where}", problems
    assert "is not allowed" in problems[0].message and "position" not in problems[0].message


def test_problems_in_an_aliased_body_point_at_the_alias() -> None:
    text = "cloud:\n  a: &body\n    host_groups: [x]\n  b: *body\n  c:\n    <<: *body\n    name: n\n  d: [*body]\n"
    locator = Locator({"f.yaml": text})
    assert str(locator.locate("f.yaml", ("cloud", "a", "host_groups", 0))) == "f.yaml:3:19"  # the anchor's own
    assert str(locator.locate("f.yaml", ("cloud", "b", "host_groups", 0))) == "f.yaml:4:6"
    assert str(locator.locate("f.yaml", ("cloud", "b"), at_key=True)) == "f.yaml:4:3"
    assert str(locator.locate("f.yaml", ("cloud", "c", "host_groups", 0))) == "f.yaml:6:5"  # the merge
    assert str(locator.locate("f.yaml", ("cloud", "c", "name"))) == "f.yaml:7:11"  # written over the merge
    assert str(locator.locate("f.yaml", ("cloud", "d", 0, "host_groups"))) == "f.yaml:8:7"
    assert locator.scalar_text("f.yaml", ("cloud", "b", "host_groups", 0)) == "x"
