"""A provider's own resource checks (`fabric.load.provider_settings.ResourceChecks`): run by
`open_stamp` with the stamp's validated settings, reported at their line like every other problem."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from fabric.errors import ConfigError
from fabric.load.provider_settings import ResourceChecks, resource_findings
from fabric.model.resources import PortClassification
from fabric.model.stamp import Fabric, Finding, SourceRef
from fabric.project import open_stamp

STAMP = "stamp: s\nprovider:\n  type: thing\n  forbidden: Gold\n"
RESOURCES = "port_classification:\n  silver: {}\n  gold:\n    name: Gold\n"


class _Checking(BaseModel):
    """A plug-in that cannot manage port classifications of one name."""

    model_config = ConfigDict(extra="forbid")
    forbidden: str = ""

    def resource_findings(self, fabric: Fabric) -> Iterable[Finding]:
        for address, resource in fabric.resources.items():
            if isinstance(resource, PortClassification) and resource.name == self.forbidden:
                src = fabric.sources[address]
                yield Finding(
                    SourceRef(src.file, (*src.path, "name")), f"thing cannot hold {resource.name}", False, address
                )


class _Plain(BaseModel):
    forbidden: str = ""


@pytest.fixture
def stamp(tmp_path: Path) -> Path:
    (tmp_path / "fabric.yaml").write_text(STAMP)
    (tmp_path / "pcs.yaml").write_text(RESOURCES)
    return tmp_path


def test_the_checks_of_the_settings_model_are_reported_at_their_line(stamp: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        open_stamp(stamp, {"thing": _Checking})
    (diagnostic,) = caught.value.diagnostics
    assert Path(diagnostic.location.file).name == "pcs.yaml"
    assert (diagnostic.location.line, diagnostic.location.column) == (4, 11)
    assert diagnostic.message == "thing cannot hold Gold" and diagnostic.address == "port_classification.gold"


def test_a_model_without_checks_or_with_invalid_settings_adds_none(stamp: Path) -> None:
    assert isinstance(_Checking(), ResourceChecks) and not isinstance(_Plain(), ResourceChecks)
    assert sorted(open_stamp(stamp, {"thing": _Plain}).resources) == [
        "port_classification.gold",
        "port_classification.silver",
    ]
    (stamp / "fabric.yaml").write_text(STAMP.replace("forbidden: Gold", "forbidden: [1]"))
    with pytest.raises(ConfigError) as caught:
        open_stamp(stamp, {"thing": _Checking})
    assert [d.message for d in caught.value.diagnostics] == [
        "provider thing: forbidden: Input should be a valid string (got [1])"
    ]  # only the settings problem: the checks need valid settings
    assert resource_findings(open_stamp(stamp), None) == []
