"""The quoting filter lives in fabric core (`fabric.render.powershell`), where the DR renderings use
it too; re-exported here for the plug-in's templates and tests."""

from __future__ import annotations

from fabric.render.powershell import PsCode, ps, secrets_as_env

__all__ = ["PsCode", "ps", "secrets_as_env"]
