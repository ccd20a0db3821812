"""`fabric fmt`: canonical layout, kept text and meaning, idempotence, and the command line.

The data-driven cases live in `fmt_cases/<case>/`: `input.yaml` must format to `expected.yaml`
(cases whose name starts with `fabric_yaml` are formatted as a stamp's `fabric.yaml`).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import stat
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import STAMPS, Cli, copy_stamp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stampgen import stamps

from fabric.load import fmt
from fabric.load.fmt import Shape, check_same, first_difference, format_yaml, resource_file_shape
from fabric.load.stamp import load_stamp
from fabric.load.yamlfile import parse_yaml
from fabric.model.resources import KINDS

CASES_DIR = Path(__file__).parent / "fmt_cases"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
SHIPPED = sorted(STAMPS.glob("*/*.yaml"))


def _is_stamp_file(case: str) -> bool:
    return case.startswith("fabric_yaml")


def _case(case: str, name: str) -> str:
    return (CASES_DIR / case / name).read_text(encoding="utf-8")


def formatted(text: str, name: str = "f.yaml", *, stamp_file: bool = False) -> str:
    result = format_yaml(text, name, stamp_file=stamp_file)
    assert result.diagnostics == []
    assert result.text is not None
    return result.text


# -- the cases ------------------------------------------------------------------------------


def test_there_are_cases_of_every_kind_of_problem() -> None:
    assert {"unordered_keys", "nested_models", "comments", "templates", "anchors", "for_each"} <= set(CASES)
    assert {"host_group_children", "fabric_yaml", "indentation", "blank_lines", "already_canonical"} <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_case_formats_to_expected(case: str) -> None:
    text = formatted(_case(case, "input.yaml"), stamp_file=_is_stamp_file(case))
    assert text == _case(case, "expected.yaml")


@pytest.mark.parametrize("case", CASES)
def test_case_expected_is_a_fixed_point(case: str) -> None:
    expected = _case(case, "expected.yaml")
    assert formatted(expected, stamp_file=_is_stamp_file(case)) == expected


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("which", ["input.yaml", "expected.yaml"])
def test_case_loads_to_the_same_data(case: str, which: str) -> None:
    """The property fmt promises: parse_yaml(fmt(x)) == parse_yaml(x), for every case."""
    text = _case(case, which)
    before, problems = parse_yaml(text, which)
    assert problems == []
    after, problems = parse_yaml(formatted(text, stamp_file=_is_stamp_file(case)), which)
    assert problems == []
    assert after == before


@pytest.mark.parametrize("case", CASES)
def test_case_keeps_every_comment(case: str) -> None:
    text = _case(case, "input.yaml")
    comments = sorted(m.group() for m in re.finditer(r"#.*", text))
    result = formatted(text, stamp_file=_is_stamp_file(case))
    assert sorted(m.group() for m in re.finditer(r"#.*", result)) == comments


# -- what canonical means, on small inputs ---------------------------------------------------


def test_body_order_is_for_each_name_description_fields_depends_on_lifecycle() -> None:
    text = (
        "cloud:\n  c:\n    lifecycle: {prevent_destroy: true}\n    depends_on: [host_group.x]\n"
        "    capacity: {vm_count: 1}\n    host_groups: [host_group.x]\n    description: d\n"
        "    name: n\n    for_each: [a]\n"
    )
    data, _ = parse_yaml(formatted(text), "f.yaml")
    keys = list(data["cloud"]["c"])
    assert keys == ["for_each", "name", "description", "host_groups", "capacity", "depends_on", "lifecycle"]


def test_every_kinds_fields_follow_its_model() -> None:
    for kind, model in KINDS.items():
        own = [f.alias or n for n, f in model.model_fields.items() if n not in ("name", "description")]
        own = [k for k in own if k not in ("depends_on", "lifecycle")]
        body = {k: None for k in reversed(own)}
        text = yaml.safe_dump({kind: {"x": body}}, sort_keys=False)
        data, _ = parse_yaml(formatted(text), "f.yaml")
        assert list(data[kind]["x"]) == own, kind


def test_host_group_children_come_last_and_keep_their_order() -> None:
    text = "host_group:\n  A:\n    children:\n      Z: {}\n      B: {}\n    description: d\n"
    assert formatted(text) == "host_group:\n  A:\n    description: d\n    children:\n      Z: {}\n      B: {}\n"


def test_kinds_and_resource_keys_keep_the_written_order() -> None:
    text = "port_classification:\n  z: {}\n  a: {}\ncloud:\n  y:\n    name: y\n  b:\n    name: b\n"
    assert formatted(text) == text


def test_crlf_line_endings_are_kept() -> None:
    text = "cloud:\r\n  a:\r\n    host_groups: [x]\r\n    name: a # c\r\n"
    assert formatted(text) == "cloud:\r\n  a:\r\n    name: a # c\r\n    host_groups: [x]\r\n"


def test_a_byte_order_mark_and_a_missing_final_newline() -> None:
    assert formatted("\ufeffcloud:\n    a: {}") == "\ufeffcloud:\n  a: {}\n"


def test_empty_and_comment_only_files_are_left_alone() -> None:
    for text in ("", "# nothing yet\n", "---\n", "[a, b]\n"):
        assert formatted(text) == text


def test_document_markers_stay() -> None:
    text = "%YAML 1.1\n---\ncloud:\n    a: {}\n...\n# after the end\n"
    assert formatted(text) == "%YAML 1.1\n---\ncloud:\n  a: {}\n...\n# after the end\n"


def test_a_comment_below_the_last_key_stays_with_its_block() -> None:
    text = "cloud:\n  a:\n    capacity:\n      cpu_count: 1\n      # vm_count: later\n    name: a\n"
    expected = "cloud:\n  a:\n    name: a\n    capacity:\n      cpu_count: 1\n      # vm_count: later\n"
    assert formatted(text) == expected


def test_a_comment_above_a_list_items_first_key_goes_above_the_dash() -> None:
    text = "network_site:\n  s:\n    subnets:\n      - vlan: 1\n        # the subnet\n        subnet: 10.0.0.0/24\n"
    expected = "network_site:\n  s:\n    subnets:\n      # the subnet\n      - subnet: 10.0.0.0/24\n        vlan: 1\n"
    assert formatted(text) == expected


def test_an_alias_is_never_moved_above_its_anchor() -> None:
    text = "cloud:\n  a:\n    port_classifications: &p [x]\n    host_groups: *p\n"
    assert formatted(text) == text  # host_groups would come first: the body keeps its order
    flow = "cloud:\n  a:\n    capacity: {memory_mb: &m 5, vm_count: *m}\n"
    assert formatted(flow) == flow


def test_multi_line_strings_keep_their_value() -> None:
    text = (
        'cloud:\n    a:\n        description: "two\n            lines"\n        name: |\n'
        "            line 1\n\n              indented\n        host_groups: [x]\n"
    )
    result = formatted(text)
    assert parse_yaml(result, "f")[0]["cloud"]["a"]["name"] == "line 1\n\n  indented\n"
    assert result.startswith("cloud:\n  a:\n    name: |\n      line 1\n\n        indented\n    description:")


def test_fabric_yaml_follows_stamp_config() -> None:
    text = "variables: {b: 1, a: 2}\nprovider:\n  server: s\n  type: scvmm\nstamp: x\n"
    expected = "stamp: x\nprovider:\n  type: scvmm\n  server: s\nvariables: {b: 1, a: 2}\n"
    assert formatted(text, "fabric.yaml", stamp_file=True) == expected


# -- shipped stamps --------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=[str(p.relative_to(STAMPS)) for p in SHIPPED])
def test_shipped_stamp_files_are_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert formatted(text, path.name, stamp_file=path.name == "fabric.yaml") == text


# -- problems -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "cloud:\n  a: [x,\n",
        "cloud:\n  a: {}\n  a: {}\n",
        "cloud:\n\ta: {}\n",
        "cloud:\n  NO: {}\n",
        "a: &x [*x]\n",
    ],
)
def test_bad_yaml_gives_the_loaders_diagnostics(text: str) -> None:
    result = format_yaml(text, "bad.yaml")
    assert result.text is None
    assert result.diagnostics == parse_yaml(text, "bad.yaml")[1] != []


def test_a_result_that_loads_differently_is_refused() -> None:
    shape = resource_file_shape()
    original = "cloud:\n  a:\n    name: a\n    capacity: {vm_count: 1}\n"
    changed = check_same(original, original.replace("1}", "2}"), "f.yaml", shape)
    assert changed is not None
    message = "refusing to reformat: the result would load differently (at cloud.a.capacity.vm_count)"
    assert changed.render() == f"f.yaml:4:26: error: {message}"
    typed = check_same("cloud:\n  a:\n    name: 'true'\n", "cloud:\n  a:\n    name: true\n", "f.yaml", shape)
    assert typed is not None and "cloud.a.name" in typed.message  # "true" is not true
    reordered = check_same("cloud:\n  b: {}\n  a: {}\n", "cloud:\n  a: {}\n  b: {}\n", "f.yaml", shape)
    assert reordered is not None and "(at cloud)" in reordered.message  # resource order carries meaning
    broken = check_same("cloud: {}\n", "cloud: [\n", "f.yaml", shape)
    assert broken is not None and "would not load" in broken.message
    lost = check_same("cloud: {}  # note\n", "cloud: {}\n", "f.yaml", shape)
    assert lost is not None and "lose or add text" in lost.message
    moved = "cloud:\n  a:\n    capacity: {vm_count: 1}\n    name: a\n"
    assert check_same(original, moved, "f.yaml", shape) is None  # attribute order carries no meaning


def test_format_refuses_its_own_mistake(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fmt._Formatter.format

    def sloppy(self: Any, root: Any, shape: Shape) -> str | None:
        text = real(self, root, shape)
        return None if text is None else text.replace("vm_count: 20", "vm_count: 21")

    monkeypatch.setattr(fmt._Formatter, "format", sloppy)
    result = format_yaml("cloud:\n  a:\n    capacity:\n      vm_count: 20\n    name: a\n", "f.yaml")
    assert result.text is None
    assert [d.render() for d in result.diagnostics] == [
        "f.yaml:4:17: error: refusing to reformat: the result would load differently (at cloud.a.capacity.vm_count)"
    ]


def test_first_difference_is_strict_about_types_and_order() -> None:
    shape = resource_file_shape()
    assert first_difference({"cloud": {"a": {"x": 1}}}, {"cloud": {"a": {"x": True}}}, shape) == ("cloud", "a", "x")
    assert first_difference({"cloud": {"a": 1.0}}, {"cloud": {"a": 1}}, shape) == ("cloud", "a")
    assert first_difference({"v": [1, 2]}, {"v": [2, 1]}, shape) == ("v", 0)
    nan = float("nan")
    assert first_difference({"v": nan}, {"v": nan}, shape) is None


# -- properties on generated stamps ------------------------------------------------------------


def _scramble(value: Any, shape: Shape, rnd: random.Random) -> Any:
    """`value` with the keys fmt puts in order shuffled (everything else as it was)."""
    if isinstance(value, dict):
        items = [(k, _scramble(v, shape.child(k), rnd)) for k, v in value.items()]
        if shape.order is not None:
            rnd.shuffle(items)
        return dict(items)
    if isinstance(value, list):
        return [_scramble(v, shape.child(0), rnd) for v in value]
    return value


def _with_comments(text: str, rnd: random.Random) -> str:
    """Full-line comments sprinkled above random lines, indented like them."""
    out = []
    for n, line in enumerate(text.splitlines(keepends=True)):
        if rnd.random() < 0.2:
            out.append(" " * (len(line) - len(line.lstrip(" "))) + f"# note {n}\n")
        out.append(line)
    return "".join(out)


@settings(
    max_examples=int(os.environ.get("FABRIC_EXPLORE") or 25),
    derandomize=not os.environ.get("FABRIC_EXPLORE"),
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec=stamps(with_lab=False), seed=st.integers(0, 2**32), indent=st.sampled_from([2, 3, 4]))
def test_generated_stamps_format_to_one_canonical_text(spec: Any, seed: int, indent: int) -> None:
    shape = resource_file_shape()
    rnd = random.Random(seed)
    for name, kinds in spec.files.items():
        flow = rnd.choice([False, None])
        plain = yaml.safe_dump(kinds, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=flow)
        scrambled = yaml.safe_dump(
            _scramble(kinds, shape, rnd), allow_unicode=True, sort_keys=False, width=4096, indent=indent,
            default_flow_style=flow,
        )  # fmt: skip
        result = formatted(scrambled, name)
        assert parse_yaml(result, name)[0] == parse_yaml(scrambled, name)[0]
        assert formatted(result, name) == result  # idempotent
        if flow is False:  # a flow collection over several lines keeps its indentation relative to its key
            assert result == formatted(plain, name)  # the written key order and indentation do not matter
        commented = _with_comments(scrambled, rnd)
        before, problems = parse_yaml(commented, name)
        assume(not problems)  # a comment inside a multi-line string can make it invalid
        result = formatted(commented, name)
        assert parse_yaml(result, name)[0] == before
        assert sorted(re.findall(r"# note \d+", result)) == sorted(re.findall(r"# note \d+", commented))
        assert formatted(result, name) == result


# -- size ------------------------------------------------------------------------------------


def test_large_file_formats_in_bounded_time() -> None:
    body = "  r{0}:\n    capacity:\n      memory_mb: {0}\n      vm_count: 1\n"
    body += "    host_groups:\n    - host_group.x\n    name: r{0}\n"
    text = "cloud:\n" + "".join(body.format(i) for i in range(20_000))
    started = time.monotonic()
    result = formatted(text)
    assert time.monotonic() - started < 30  # about 1 s on a laptop; generous for a loaded CI box
    assert result.count("\n    name: r") == 20_000
    assert "    host_groups:\n      - host_group.x\n" in result


# -- the command line ----------------------------------------------------------------------


def _scramble_file(path: Path) -> None:
    """Reverse the body keys of every resource in a resource file and indent it by 4 (same data)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entries in data.values():
        for key, body in list(entries.items()):
            entries[key] = dict(reversed(list(body.items())))
    path.write_text("# edited by hand\n" + yaml.safe_dump(data, sort_keys=False, indent=4), encoding="utf-8")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working directory
    return tmp_path


def test_check_passes_on_the_shipped_stamps(cli: Cli) -> None:
    for stamp in ("reference", "lab"):
        result = cli("fmt", "--check", STAMPS / stamp)
        assert (result.code, result.out, result.err) == (0, "", "")


def test_check_lists_files_that_would_change_and_writes_nothing(cli: Cli, in_tmp: Path) -> None:
    stamp = copy_stamp("reference", in_tmp)
    _scramble_file(stamp / "networking.yaml")
    before = (stamp / "networking.yaml").read_text(encoding="utf-8")
    result = cli("fmt", "--check", "reference")
    assert result.code == 1
    assert result.out == "reference/networking.yaml\n"
    assert "1 file(s) not in canonical form" in result.err
    assert (stamp / "networking.yaml").read_text(encoding="utf-8") == before


def test_fmt_rewrites_in_place_and_the_stamp_loads_the_same(cli: Cli, in_tmp: Path) -> None:
    stamp = copy_stamp("reference", in_tmp)
    original = load_stamp(stamp)[0]
    names = ["clouds.yaml", "host_groups.yaml", "networking.yaml", "switching.yaml"]
    for name in names:
        _scramble_file(stamp / name)
    os.chmod(stamp / "clouds.yaml", 0o640)
    assert cli("validate", "reference").code == 0
    result = cli("fmt", "reference")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [f"reference/{name}" for name in names]
    assert stat.S_IMODE((stamp / "clouds.yaml").stat().st_mode) == 0o640
    assert sorted(p.name for p in stamp.iterdir()) == sorted(p.name for p in (STAMPS / "reference").iterdir())
    assert (
        (stamp / "networking.yaml")
        .read_text(encoding="utf-8")
        .startswith("# edited by hand\nlogical_network:\n  management:\n    name: Management\n")
    )
    reloaded = load_stamp(stamp)[0]
    assert original is not None and reloaded is not None
    assert dict(reloaded.resources) == dict(original.resources)
    assert list(reloaded.resources) == list(original.resources)
    assert cli("fmt", "--check", "reference").code == 0
    assert cli("fmt", "reference").out == ""  # nothing left to change


def test_diff_prints_a_patch_and_writes_nothing(cli: Cli, in_tmp: Path) -> None:
    stamp = copy_stamp("lab", in_tmp)
    path = stamp / "lab.yaml"
    text = path.read_text(encoding="utf-8")
    swapped = "    minimum_bandwidth_weight: 1\n    name: VM Roles\n"
    path.write_text(text.replace("    name: VM Roles\n    minimum_bandwidth_weight: 1\n", swapped), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert before != text
    result = cli("fmt", "--diff", "lab")
    assert result.code == 0
    assert result.out.startswith("--- a/lab/lab.yaml\n+++ b/lab/lab.yaml\n@@ ")
    assert "-    name: VM Roles\n" in result.out and "+    name: VM Roles\n" in result.out
    assert path.read_text(encoding="utf-8") == before
    assert cli("fmt", "--check", "--diff", "lab").code == 1
    assert cli("fmt", "lab").code == 0
    assert path.read_text(encoding="utf-8") == text  # the diff described exactly this change


def test_default_is_the_current_directory_and_files_can_be_named(
    cli: Cli, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp = copy_stamp("lab", in_tmp)
    extra = "cloud:\n    x:\n        host_groups: [host_group.Lab/IaaS]\n        name: X\n"
    (stamp / "extra.yaml").write_text(extra, encoding="utf-8")
    result = cli("fmt", "--check", "lab/extra.yaml", "lab/lab.yaml")
    assert (result.code, result.out) == (1, "lab/extra.yaml\n")
    monkeypatch.chdir(stamp)
    result = cli("fmt")
    assert (result.code, result.out) == (0, "extra.yaml\n")
    canonical = "cloud:\n  x:\n    name: X\n    host_groups: [host_group.Lab/IaaS]\n"
    assert (stamp / "extra.yaml").read_text(encoding="utf-8") == canonical


def test_bad_yaml_is_reported_like_the_loader_and_nothing_is_written(cli: Cli, in_tmp: Path) -> None:
    stamp = copy_stamp("lab", in_tmp)
    _scramble_file(stamp / "lab.yaml")
    scrambled = (stamp / "lab.yaml").read_text(encoding="utf-8")
    (stamp / "broken.yaml").write_text("cloud:\n  a:\n    name: a\n  a: {}\n", encoding="utf-8")
    result = cli("fmt", "lab")
    assert result.code == 1
    validate = cli("validate", "lab")
    first = result.err.splitlines()[0]
    assert first == "lab/broken.yaml:4:3: error: duplicate key 'a'"
    assert first in validate.err.splitlines()
    assert "nothing was changed" in result.err
    assert (stamp / "lab.yaml").read_text(encoding="utf-8") == scrambled


def test_a_refused_file_is_reported_and_left_alone(cli: Cli, in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = copy_stamp("lab", in_tmp)
    _scramble_file(stamp / "lab.yaml")
    scrambled = (stamp / "lab.yaml").read_text(encoding="utf-8")
    real = fmt._Formatter.format

    def sloppy(self: Any, root: Any, shape: Shape) -> str:
        return (real(self, root, shape) or "").replace("vm_count: 20", "vm_count: 21")

    monkeypatch.setattr(fmt._Formatter, "format", sloppy)
    result = cli("fmt", "lab")
    assert result.code == 1
    assert "lab/lab.yaml:" in result.err and "refusing to reformat: the result would load differently" in result.err
    assert (stamp / "lab.yaml").read_text(encoding="utf-8") == scrambled


def test_paths_that_are_not_stamps(cli: Cli, in_tmp: Path) -> None:
    (in_tmp / "empty").mkdir()
    assert cli("fmt", "empty").err == "error: empty is not a stamp (fabric.yaml not found in it)\n"
    assert cli("fmt", "missing.yaml").err == "error: no such file or directory: missing.yaml\n"
    os.mkfifo(in_tmp / "pipe.yaml")
    result = cli("fmt", "pipe.yaml")
    assert (result.code, result.err.splitlines()[0]) == (1, "pipe.yaml:1:1: error: not a regular file")


def test_a_symlinked_file_is_rewritten_through_the_link(cli: Cli, in_tmp: Path) -> None:
    stamp = copy_stamp("lab", in_tmp)
    real = in_tmp / "shared.yaml"
    real.write_text("logical_network:\n    x:\n        isolation: vlan\n        name: X\n", encoding="utf-8")
    (stamp / "shared.yaml").symlink_to(real)
    assert cli("fmt", "lab").code == 0
    assert (stamp / "shared.yaml").is_symlink()
    assert real.read_text(encoding="utf-8") == "logical_network:\n  x:\n    name: X\n    isolation: vlan\n"
    shutil.rmtree(stamp)


def test_large_stamps_are_formatted_on_every_core_with_the_same_result(
    cli: Cli, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = copy_stamp("reference", in_tmp / "serial")
    parallel = copy_stamp("reference", in_tmp / "parallel")
    for stamp in (serial, parallel):
        for name in ("clouds.yaml", "networking.yaml", "switching.yaml"):
            _scramble_file(stamp / name)
    assert cli("fmt", serial).code == 0
    monkeypatch.setattr("fabric.cli.fmt_cmd.PARALLEL_BYTES", 0)
    assert cli("fmt", parallel).code == 0
    for name in ("clouds.yaml", "networking.yaml", "switching.yaml"):
        assert (parallel / name).read_text(encoding="utf-8") == (serial / name).read_text(encoding="utf-8")
