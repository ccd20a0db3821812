"""The sandboxed jinja2 evaluation of YAML values."""

from __future__ import annotations

import time

import pytest

from fabric.load.templating import (
    MAX_OPERATIONS_PER_FILE,
    MAX_OPERATIONS_PER_STAMP,
    OverBudget,
    TemplateProblem,
    budget,
    render,
)


def test_whole_expression_keeps_native_type() -> None:
    assert render("{{ var.n + 1 }}", {"var": {"n": 4}}) == 5
    assert render("{{ var.xs }}", {"var": {"xs": [1, 2]}}) == [1, 2]
    assert render("vlan-{{ var.n }}", {"var": {"n": 4}}) == "vlan-4"


def test_undefined_is_an_error() -> None:
    with pytest.raises(TemplateProblem, match="undefined"):
        render("{{ var.nope }}", {"var": {}})
    with pytest.raises(TemplateProblem, match="undefined"):
        render("x-{{ nope }}", {})


@pytest.mark.parametrize(
    "text",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ var.__init__.__globals__ }}",
        "{% for c in ''.__class__.__mro__ %}{{ c }}{% endfor %}",
    ],
)
def test_python_internals_are_out_of_reach(text: str) -> None:
    with pytest.raises(TemplateProblem):
        render(text, {"var": {}})


def test_syntax_error_and_runtime_error() -> None:
    with pytest.raises(TemplateProblem, match="syntax"):
        render("{{ 1 + }}", {})
    with pytest.raises(TemplateProblem, match="ZeroDivisionError"):
        render("{{ 1 / 0 }}", {})


def _plain(value: object) -> bool:
    if value is None or isinstance(value, (str, bool, int, float)):
        return type(value) in (str, bool, int, float, type(None))
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


CONTEXT = {
    "var": {"items": [1, 2], "xs": ["a", "b"], "d": {"k": 1}, "n": 4},
    "each": {"key": "k", "value": "v", "index": 0},
}


@pytest.mark.parametrize(
    "text",
    [
        "{{ each.values }}",
        "x {{ each.keys }}",
        "{{ var.get }}",
        "{{ range }}",
        "{{ range|string }}",
        "{{ [range] }}",
        "x{{ [range] }}",
        "{{ 'a' ~ dict }}",
        "{{ '%s' % range }}",
        "{{ '{}'.format(range) }}",
        "{{ lipsum }}",
        "{{ lipsum() }}",
        "{{ cycler }}",
        "{{ cycler(1, 2) }}",
        "{{ [cycler(1, 2)] | join }}",
        "{{ joiner() }}",
        "{{ namespace(a=1) }}",
        "{{ var.xs | random }}",
        "{{ 'x'.upper }}",
        "{{ var.xs.index }}",
        "{{ var | attr('get') }}",
        "{{ var.d.items | string }}",
        "{% macro m() %}{% endmacro %}{{ m }}",
        "{% for x in var.xs %}{{ loop }}{% endfor %}",
        "{% for x in var.xs %}{{ loop.cycle }}{% endfor %}",
        "{{ 'x'.encode() }}",
        "{{ [var.nope, 1] }}",
        "{{ {'a': var.nope} }}",
        "{{ (var.items.values, 1) }}",
        "{{ var.xs | map('upper') | list | string ~ range }}",
    ],
)
def test_only_values_come_out_of_a_template(text: str) -> None:
    """A function, method or jinja2 object printed its repr, with an address that changes every run."""
    try:
        value = render(text, CONTEXT)
    except TemplateProblem as exc:
        assert " at 0x" not in str(exc) and "\n" not in str(exc)
        return
    raise AssertionError(f"{text} gave {value!r}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ var.items }}", [1, 2]),  # a declared variable named like a mapping's method is the variable
        ("{{ var.d.items() }}", [["k", 1]]),
        ("{{ var.d.keys() | list }}", ["k"]),
        ("{{ var.xs | map('upper') }}", ["A", "B"]),  # a generator becomes a list
        ("{{ (1, 2) }}", [1, 2]),
        ("{{ range(3) }}", [0, 1, 2]),
        ("n{{ range(2) }}", "n[0, 1]"),
        ("{{ dict(a=1) }}", {"a": 1}),
        ("{% set ns = namespace(s=0) %}{% for x in var.xs %}{% set ns.s = ns.s + 1 %}{% endfor %}{{ ns.s }}", "2"),
        ("{{ var.n + each.index }}", 4),
        ("{{ 'a b' | replace(' ', '-') | upper }}", "A-B"),
        ("{{ var.xs | join(', ') }}", "a, b"),
        ("{{ '%03d' | format(7) }}", "007"),
        ("{{ each.value ~ '-' ~ each.index }}", "v-0"),
    ],
)
def test_values_still_come_out(text: str, expected: object) -> None:
    value = render(text, CONTEXT)
    assert value == expected and _plain(value)


@pytest.mark.parametrize(
    "text",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% macro m(n) %}{% if n %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}{% endmacro %}{{ m(60) }}",
        "{% set ns = namespace(s='x') %}{% for i in range(80) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        "{% set ns = namespace(s=[1]) %}{% for i in range(80) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ 1 }}",
        "{% set ns = namespace(n=3) %}{% for i in range(100000) %}{% set ns.n = ns.n + ns.n %}{% endfor %}{{ 1 }}",
        "{% for i in range(100000) %}{{ 'y' * 999999 }}{% endfor %}",
        "{% set x %}{% for i in range(100000) %}{{ 'y' * 999999 }}{% endfor %}{% endset %}{{ 1 }}",
        "{{ (['x' * 999999] * 999999) | join }}",
        "{{ ('x' * 999999) | replace('x', 'yy') }}",
        "{{ 'x' | center(1000000000) }}",
        "{{ 'x'.ljust(1000000000) }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ '%0999999999d' % 1 }}",
        "{{ '%s' | format('x') | indent(1000000000) }}",
        "{{ range(100000) | batch(1000000000) | list }}",
        "{{ range(10) | slice(1000000000) | list }}",
        "{% for i in range(100000) %}{{ range(100000) | length }}{% endfor %}",
        "{{ ''.join(['x' * 999999] * 999999) }}",
    ],
)
def test_unbounded_work_is_refused_in_bounded_time(text: str) -> None:
    started = time.monotonic()
    with pytest.raises(TemplateProblem):
        render(text, CONTEXT)
    assert time.monotonic() - started < 5  # measured: 0.7 s at most on the development machine


def test_the_budget_spans_the_templates_of_a_file_and_of_a_stamp() -> None:
    loop = "{% for i in range(1000) %}{% for j in range(300) %}{% endfor %}{% endfor %}"  # 301,000 operations
    renders = 0
    with budget("stamp") as stamp, pytest.raises(OverBudget) as refused:
        for _ in range(100):
            with budget("file"):
                for _ in range(3):  # 903,000: under a file's million
                    render(loop, {})
                    renders += 1
    assert refused.value.scope == "stamp" and stamp.exhausted
    assert renders == MAX_OPERATIONS_PER_STAMP // 301_000
    with budget("file"):
        for _ in range(3):
            render(loop, {})
        with pytest.raises(OverBudget) as refused:
            render(loop, {})
    assert refused.value.scope == "file"
    assert str(refused.value) == (
        f"the templates in this file take more than {MAX_OPERATIONS_PER_FILE:,} operations "
        "(loop iterations, calls, filters); simplify them or split the file"
    )
    render(loop, {})  # outside any budget, a render gets a file's worth of its own


def test_templates_are_not_folded_at_compile_time() -> None:
    """A constant filter call in a loop would be computed once and printed without being counted."""
    with pytest.raises(TemplateProblem, match="characters"):
        render("{% for i in range(100000) %}{{ 'x' | center(999999) }}{% endfor %}", {})
