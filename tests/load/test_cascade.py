"""Problems that cause others: what loading drops, and follow-ons listed right after their cause."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import STAMPS

from fabric.errors import ConfigError, Diagnostic, SourceLocation
from fabric.load import suggest
from fabric.load.cascade import ANY_KIND
from fabric.load.stamp import load_stamp_details
from fabric.project import open_stamp

FABRIC = "stamp: c\nvariables:\n  locations: [Oslo]\n"


def write(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "fabric.yaml").write_text(FABRIC, encoding="utf-8")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def refused(root: Path) -> list[Diagnostic]:
    with pytest.raises(ConfigError) as caught:
        open_stamp(root)
    return caught.value.diagnostics


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_config_error_lists_a_follow_on_right_after_its_cause() -> None:
    cause = SourceLocation("z.yaml", 5, 3)
    diagnostics = [
        Diagnostic(SourceLocation("z.yaml", 9, 1), "later in z"),
        Diagnostic(SourceLocation("a.yaml", 2, 1), "refers to it", cause=cause),
        Diagnostic(SourceLocation("m.yaml", 1, 1), "in m"),
        Diagnostic(cause, "the cause"),
        Diagnostic(SourceLocation("a.yaml", 1, 1), "first in a"),
    ]
    order = [d.message for d in ConfigError(diagnostics).diagnostics]
    assert order == ["first in a", "in m", "the cause", "refers to it", "later in z"]


def test_a_template_error_declares_the_resource_invalid_and_keeps_its_children(tmp_path: Path) -> None:
    root = write(
        tmp_path / "s",
        {"hosts.yaml": 'host_group:\n  Lab:\n    description: "{{ var.nope }}"\n    children:\n      IaaS: {}\n'},
    )
    loaded = load_stamp_details(root)
    assert loaded.fabric is not None
    assert list(loaded.fabric.resources) == ["host_group.Lab/IaaS"]  # the child is still loaded
    assert loaded.cascade.invalid == {"host_group.Lab": SourceLocation("s/hosts.yaml", 3, 18)}
    assert loaded.known == {"host_group.Lab"}
    assert loaded.cascade.lost == {}


def test_what_is_lost_without_an_address(tmp_path: Path) -> None:
    root = write(
        tmp_path / "s",
        {
            "a.yaml": "clouds:\n  x: {}\n",
            "b.yaml": 'logical_network:\n  "{{ each.nope }}":\n    for_each: [1]\n',
            "c.yaml": "host_group:\n\tLab: {}\n",
        },
    )
    lost = load_stamp_details(root).cascade.lost
    assert lost == {
        "clouds": SourceLocation("s/a.yaml", 1, 1),
        "cloud": SourceLocation("s/a.yaml", 1, 1),  # what the misspelt kind probably meant
        "logical_network": SourceLocation("s/b.yaml", 2, 3),
        ANY_KIND: SourceLocation("s/c.yaml", 2, 1),  # a file that does not parse may have held anything
    }


def test_reference_to_an_invalid_resource_is_a_follow_on(tmp_path: Path) -> None:
    root = write(
        tmp_path / "s",
        {
            "a-clouds.yaml": "cloud:\n  iaas:\n    host_groups: [host_group.Lab, host_group.Lab/IaaS]\n",
            "b-hosts.yaml": "host_group:\n  Lab:\n    inherit_network_settings: maybe\n    children:\n      IaaS: {}\n",
        },
    )
    found = refused(root)
    assert [d.render() for d in found] == [
        "s/b-hosts.yaml:3:31: error: inherit_network_settings: Input should be a valid boolean, unable to "
        "interpret input (got 'maybe') (host_group.Lab)",
        "s/a-clouds.yaml:3:19: error: refers to host_group.Lab, which is invalid (see above) (cloud.iaas)",
    ]
    assert found[1].cause == found[0].location


def test_an_undeclared_reference_with_a_close_match_is_a_typo_even_when_something_was_lost(tmp_path: Path) -> None:
    root = write(
        tmp_path / "s",
        {
            "a.yaml": "cloud:\n  iaas:\n    host_groups: [host_group.Lba, host_group.Far]\n",
            "b.yaml": "host_group:\n  Lab: {}\n",
            "c.yaml": "host_group:\n\tFar: {}\n",
        },
    )
    rendered = [d.render() for d in refused(root)]
    assert rendered == [
        "s/a.yaml:3:19: error: reference to undeclared 'host_group.Lba'; did you mean 'host_group.Lab'? (cloud.iaas)",
        "s/c.yaml:2:1: error: invalid YAML: while scanning for the next token found character that cannot start "
        "any token (a tab: YAML indents with spaces only)",
        "s/a.yaml:3:35: error: reference to undeclared 'host_group.Far' (perhaps lost to the error at s/c.yaml:2:1) "
        "(cloud.iaas)",
    ]


def test_a_valid_stamp_never_builds_the_suggestion_indexes(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an index was built for a valid stamp")

    monkeypatch.setattr(suggest.AddressIndex, "__init__", refuse)
    monkeypatch.setattr(suggest.NameIndex, "__init__", refuse)
    assert len(open_stamp(STAMPS / "reference").resources) == 80  # the DR design included (dr.yaml)


def test_every_repetition_of_an_invalid_repeated_resource_is_known(tmp_path: Path) -> None:
    root = write(
        tmp_path / "s",
        {
            "a.yaml": "cloud:\n  c:\n    host_groups: [host_group.Oslo, host_group.Bergen]\n",
            "b.yaml": 'host_group:\n  "{{ each.value }}":\n    for_each: [Oslo, Bergen]\n'
            "    inherit_network_settings: maybe\n",
        },
    )
    rendered = [d.render() for d in refused(root)]
    assert len(rendered) == 3  # the repeated model error once, then one follow-on per reference
    assert rendered[0].startswith("s/b.yaml:4:31: error: inherit_network_settings:")
    assert rendered[1:] == [
        "s/a.yaml:3:19: error: refers to host_group.Oslo, which is invalid (see above) (cloud.c)",
        "s/a.yaml:3:36: error: refers to host_group.Bergen, which is invalid (see above) (cloud.c)",
    ]
