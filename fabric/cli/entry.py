"""The `fabric` command's first module: it makes Ctrl-C safe before anything heavy is imported.

It imports only what the interpreter has loaded already (no `typing`: 2 ms), because the Ctrl-C
handler is not installed while it imports.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType, ModuleType

EXIT_INTERRUPTED = 130


def _interrupted_while_starting(signum: int, frame: FrameType | None) -> None:
    # Nothing has been read or changed yet: say so on one line and leave at once (no traceback
    # from whichever module happened to be importing).
    os.write(2, b"\nInterrupted while starting; nothing was changed.\n")
    os._exit(EXIT_INTERRUPTED)


_PLUGIN_LOADER = "pydantic.plugin._loader"


def _without_pydantic_plugins() -> None:
    """fabric's models use no pydantic plug-ins. pydantic looks for some when it builds its first
    validator, importing importlib.metadata to scan every installed package (10 ms, a tenth of
    `fabric version`): stand in for its loader with one that finds none. Anything else asked of
    the loader loads the real one, so a pydantic release that changes it still works."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if "pydantic" in sys.modules or _PLUGIN_LOADER in sys.modules:
        return
    stand_in = ModuleType(_PLUGIN_LOADER)
    stand_in.get_plugins = lambda: ()  # type: ignore[attr-defined]

    def real(name: str) -> object:
        if name.startswith("__"):  # the import system asking (__path__, __spec__…): not pydantic
            raise AttributeError(name)
        import importlib

        del sys.modules[_PLUGIN_LOADER]
        return getattr(importlib.import_module(_PLUGIN_LOADER), name)

    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[_PLUGIN_LOADER] = stand_in


def main() -> None:
    """Entry point of the `fabric` command."""
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    _without_pydantic_plugins()
    from fabric.cli.app import main as run

    run(sys.argv[1:])
