"""A stamp argument that is not a stamp directory: one line saying what it is instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli

from fabric.errors import FabricError, StampPathError
from fabric.load.stamp import MAX_STAMPS_LISTED, check_stamp_dir, load_config, load_stamp, stamps_below
from fabric.project import open_stamp

STAMP = "stamp: s\n"


def refusal(root: Path) -> str:
    with pytest.raises(StampPathError) as caught:
        check_stamp_dir(root)
    return str(caught.value)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working directory


def test_missing_directory() -> None:
    assert refusal(Path("nope")) == "no such directory: nope"


def test_a_file_given_as_the_stamp(tmp_path: Path) -> None:
    (tmp_path / "lab").mkdir()
    (tmp_path / "lab" / "fabric.yaml").write_text(STAMP)
    (tmp_path / "lab" / "clouds.yaml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    assert refusal(Path("lab/clouds.yaml")) == (
        "lab/clouds.yaml is a file; give the stamp directory (the one holding fabric.yaml), here lab"
    )
    assert refusal(Path("notes.txt")) == "notes.txt is a file; give the stamp directory (the one holding fabric.yaml)"


def test_fabric_yml_instead_of_fabric_yaml(tmp_path: Path) -> None:
    (tmp_path / "lab").mkdir()
    (tmp_path / "lab" / "fabric.yml").write_text(STAMP)
    assert refusal(Path("lab")) == "found lab/fabric.yml; fabric reads fabric.yaml — rename it"
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "Fabric.yaml").write_text(STAMP)
    assert refusal(Path("other")) == "found other/Fabric.yaml; fabric reads fabric.yaml — rename it"


def test_a_folder_of_stamps_lists_them_up_to_two_levels_down(tmp_path: Path) -> None:
    for stamp in ("stamps/lab", "stamps/reference", "stamps/sites/oslo", "stamps/a/b/too-deep", "stamps/.hidden"):
        (tmp_path / stamp).mkdir(parents=True)
        (tmp_path / stamp / "fabric.yaml").write_text(STAMP)
    assert stamps_below(Path("stamps")) == ["stamps/lab", "stamps/reference", "stamps/sites/oslo"]
    assert refusal(Path("stamps")) == (
        "stamps is not a stamp; the stamps under it: stamps/lab, stamps/reference, stamps/sites/oslo"
    )


def test_many_stamps_below_are_cut_short(tmp_path: Path) -> None:
    for i in range(MAX_STAMPS_LISTED + 3):
        (tmp_path / "many" / f"s{i:02d}").mkdir(parents=True)
        (tmp_path / "many" / f"s{i:02d}" / "fabric.yaml").write_text(STAMP)
    assert refusal(Path("many")).endswith("many/s09 and 3 more")


def test_an_empty_directory_is_not_a_stamp(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert refusal(Path("empty")) == "empty is not a stamp (fabric.yaml not found in it)"


def test_a_stamp_passes_and_a_fabric_yaml_that_is_no_file_is_left_to_the_reader(tmp_path: Path) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "fabric.yaml").write_text(STAMP)
    check_stamp_dir(Path("ok"))
    (tmp_path / "odd" / "fabric.yaml").mkdir(parents=True)
    check_stamp_dir(Path("odd"))  # reading it reports "not a regular file" at its position
    _, _, diagnostics, _ = load_stamp(Path("odd"))
    assert [d.render() for d in diagnostics] == ["odd/fabric.yaml:1:1: error: not a regular file"]


def test_every_entry_point_checks_the_path() -> None:
    for load in (load_stamp, load_config, open_stamp):
        with pytest.raises(StampPathError, match="no such directory: gone"):
            load(Path("gone"))  # type: ignore[operator]
    assert issubclass(StampPathError, FabricError)  # the CLI prints it as one `error:` line


def test_cli_prints_one_line_and_exits_1(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "lab").mkdir()
    (tmp_path / "lab" / "fabric.yml").write_text(STAMP)
    for command in ("validate", "plan"):
        result = cli(command, "nope")
        assert result.code == 1
        assert result.err.splitlines() == ["error: no such directory: nope"]
        result = cli(command, "lab")
        assert result.err.splitlines() == ["error: found lab/fabric.yml; fabric reads fabric.yaml — rename it"]
    assert not (tmp_path / "nope").exists() and not (tmp_path / "lab" / ".fabric").exists()
