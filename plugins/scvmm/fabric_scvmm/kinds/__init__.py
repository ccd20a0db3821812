"""One folder per kind: everything the scvmm provider knows about it.

`kinds/<kind>/` holds the kind's scripts (`create`, `update`, `delete` and `read.ps1.j2`, found
by the template loader beside the shared macros in `templates/`), its inventory parser
(`parse`, from the read script's JSON to fabric's attributes) and the VMM properties its read
uses, each with its source (`PROPERTIES`). A kind fabric models must have a folder here (a test
checks it); nothing else in the plug-in lists kinds.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from fabric.model.resources import VMM_KINDS
from fabric_scvmm.reading import Property, Raw

KINDS_DIR = Path(__file__).parent


@cache
def kind_module(kind: str) -> ModuleType:
    """The plug-in's module for `kind` (ModuleNotFoundError if it has no folder)."""
    return importlib.import_module(f"fabric_scvmm.kinds.{kind}")


def parser(kind: str) -> Callable[[Raw], dict[str, Any]]:
    """The kind's inventory parser."""
    return cast(Callable[[Raw], dict[str, Any]], kind_module(kind).parse)


def properties(kind: str) -> Sequence[Property]:
    """The VMM properties the kind's read uses."""
    return cast(Sequence[Property], kind_module(kind).PROPERTIES)


def kinds() -> list[str]:
    """Every kind VMM serves, in fabric's order (each has a folder here); the disaster-recovery
    kinds are the DR backend's, not VMM's."""
    return list(VMM_KINDS)
