"""for_each expansion: bounded by MAX_RESOURCES before the work is done, and stopped for good."""

from __future__ import annotations

import time

import pytest

from fabric.load import expand
from fabric.load.cascade import Dropped
from fabric.load.expand import Work, expand_file
from fabric.load.templating import budget
from fabric.load.yamlfile import parse_yaml
from fabric.model.resources import KINDS


def _expand(text: str, work: Work | None = None) -> tuple[int, list[tuple[tuple[str | int, ...], str]]]:
    data, problems = parse_yaml(text, "f.yaml")
    assert problems == []
    with budget("stamp"):
        raws, found = expand_file("f.yaml", data, set(KINDS), {}, work=work)
    return len(raws), [(p.source.path, p.message) for p in found]


def test_a_product_of_a_billion_is_refused_before_anything_is_expanded() -> None:
    levels = 9  # ten host groups at each of nine levels: 10**9
    text = "host_group:\n"
    for depth in range(levels):
        indent = "  " * (2 * depth + 1)
        text += f'{indent}"g{depth}-{{{{ each.value }}}}":\n{indent}  for_each: "{{{{ range(10) }}}}"\n'
        if depth < levels - 1:
            text += f"{indent}  children:\n"
    started = time.monotonic()
    made, problems = _expand(text)
    assert time.monotonic() - started < 2
    assert made < 10_000
    [(path, message)] = problems
    assert path[-1] == "for_each" and path.count("children") == 5  # 10 + 100 + … + 10**6 passes 10**6
    assert message.startswith("for_each would expand the stamp to more than 1,000,000 resources (10 items here")


def test_a_nested_for_each_counts_for_every_item_left_of_the_one_around_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check comes before each nested for_each is expanded: its size times the outer items still
    to come (this one included), on top of what is made so far."""
    monkeypatch.setattr(expand, "MAX_RESOURCES", 30)
    outer = 'host_group:\n  "o{{ each.value }}":\n    for_each: "{{ range(4) }}"\n    children:\n'
    uniform = outer + '      "i{{ each.value }}":\n        for_each: "{{ range(6) }}"\n'
    assert _expand(uniform) == (28, [])  # 4 + 4 × 6: at the limit, not past it
    made, problems = _expand(uniform, Work(resources=3))
    assert made == 22  # o3's six children would make 31
    assert [path[1:] for path, _ in problems] == [("o{{ each.value }}", "children", "i{{ each.value }}", "for_each")]
    assert "(6 items here)" in problems[0][1]
    shrinking = outer + '      "i{{ each.value }}":\n        for_each: "{{ range(10 - 3 * each.value) }}"\n'
    made, problems = _expand(shrinking)  # 4 + 10 + 7 + 4 + 1 = 26, but o0's ten count four times
    assert made == 1 and "(10 items here, each repeated 4 times by the for_each around it)" in problems[0][1]


def test_across_files_the_stamp_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(expand, "MAX_RESOURCES", 5)
    work = Work()
    assert _expand("port_classification:\n  a: {}\n  b: {}\n  c: {}\n", work) == (3, [])
    made, problems = _expand("port_classification:\n  d: {}\n  e: {}\n  f: {}\n  g: {}\n", work)
    assert made == 2
    assert problems == [
        (("port_classification", "f"), "more than 5 resources in the stamp; split it into several stamps")
    ]
    assert isinstance(work.stopped, Dropped) and work.stopped_for_resources


def test_template_budget_stops_the_file_with_one_problem() -> None:
    loop = "{% for i in range(1000) %}{% for j in range(400) %}{% endfor %}{% endfor %}"
    text = "logical_network:\n" + "".join(f'  n{i}:\n    description: "{loop}"\n' for i in range(6))
    work = Work()
    made, problems = _expand(text, work)
    assert made == 2  # n0 and n1 spend 802,000 operations; n2 passes the million
    assert problems == [
        (
            ("logical_network", "n2", "description"),
            "the templates in this file take more than 1,000,000 operations (loop iterations, calls, filters); "
            "simplify them or split the file",
        )
    ]
    assert work.stopped is None  # the file's budget, not the stamp's: other files go on
