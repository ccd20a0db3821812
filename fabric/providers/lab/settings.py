"""The lab provider's settings: what `provider:` in fabric.yaml may hold besides `type: lab`.

`fabric validate` checks the block against `LabSettings` (through the registry), so a wrong
setting is reported at its line before anything opens the lab.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _path(value: str) -> str:
    if not value.strip():
        raise ValueError("the lab's path must name a file, not be empty")
    if _CONTROL.search(value):
        raise ValueError("the lab's path must not contain control characters")
    if value.endswith(("/", "\\")):
        raise ValueError("the lab's path must name a file, not a directory")
    if "${" in value:
        raise ValueError("the lab's path is a plain file name (relative to the stamp directory); ${…} is not expanded")
    return value


class LabSettings(BaseModel):
    """`provider: {type: lab, path: …}`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Annotated[str, AfterValidator(_path)] | None = Field(
        default=None,
        description="The lab database file, relative to the stamp directory if not absolute "
        "(default: lab.db in the stamp's .fabric directory or --state-dir).",
    )
    seed: Annotated[str, AfterValidator(_path)] | None = Field(
        default=None,
        description="A seed file of Hyper-V hosts and VMs (relative to the stamp directory), loaded into a lab "
        "that has none yet (fabric lab seed loads one at any time).",
    )
