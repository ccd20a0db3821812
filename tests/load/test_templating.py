"""The sandboxed jinja2 evaluation of YAML values."""

from __future__ import annotations

import pytest

from fabric.load.templating import TemplateProblem, render


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
