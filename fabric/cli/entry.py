"""The `fabric` command's first module: it makes Ctrl-C safe before anything heavy is imported."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

EXIT_INTERRUPTED = 130


def _interrupted_while_starting(signum: int, frame: FrameType | None) -> None:
    # Nothing has been read or changed yet: say so on one line and leave at once (no traceback
    # from whichever module happened to be importing).
    os.write(2, b"\nInterrupted while starting; nothing was changed.\n")
    os._exit(EXIT_INTERRUPTED)


def main() -> None:
    """Entry point of the `fabric` command."""
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    # fabric's models use no pydantic plug-ins: skip pydantic's scan of every installed package for one
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from fabric.cli.app import main as run

    run(sys.argv[1:])
