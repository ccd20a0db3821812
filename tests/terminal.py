"""Run fabric at a real pseudo-terminal and read the screen a person would see.

`Terminal` forks the command onto a new pty (stdlib `pty.fork`: the pty is the child's
controlling terminal, so Ctrl-C typed into it is a real SIGINT from the line discipline to the
foreground process group), feeds keys, and renders everything written to it with `pyte`, a
terminal emulator, so tests assert on the screen's text rather than on escape sequences.

Also a tool: `python tests/terminal.py TIMEOUT COMMAND…` runs a command at a pty, answers nothing,
fails if it has not finished within TIMEOUT seconds, and prints the final screen (`make demo`
runs one apply this way, so a hang at a terminal cannot pass unnoticed).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable

import pyte

ROWS, COLUMNS = 50, 160


class Terminal:
    """One command running at its own pseudo-terminal."""

    def __init__(self, argv: list[str], *, cwd: str | None = None, env: dict[str, str] | None = None) -> None:
        self.raw = b""
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.status: int | None = None
        pid, fd = pty.fork()
        if pid == 0:  # the child: exec the command with the pty as its terminal
            try:
                if cwd:
                    os.chdir(cwd)
                os.execvpe(argv[0], argv, {**(env or os.environ), "TERM": "xterm-256color"})
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))

    def _read(self, timeout: float) -> bool:
        """Read what is there (waiting up to `timeout`); False once the terminal is closed."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed its end
            return False
        if not chunk:
            return False
        self.raw += chunk
        self.stream.feed(chunk)
        return True

    def wait_for(self, condition: Callable[[], bool], timeout: float = 60.0) -> None:
        """Read until `condition()` holds; AssertionError with the screen if it does not in time."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting; the screen shows:\n{self.text()}")
            if not self._read(0.05) and not condition():
                raise AssertionError(f"the command ended first; the screen shows:\n{self.text()}")

    def wait_for_text(self, text: str, timeout: float = 60.0) -> None:
        """Read until `text` is in the output (as text, escape sequences removed)."""
        self.wait_for(lambda: text in self.plain(), timeout)

    def send(self, keys: str) -> None:
        """Type keys (\\r is Enter, \\x03 is Ctrl-C)."""
        os.write(self.fd, keys.encode())

    def finish(self, timeout: float = 120.0) -> int:
        """Read to the end and reap the child; its exit code (-N if a signal N ended it)."""
        deadline = time.monotonic() + timeout
        while self._read(0.05):
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                raise AssertionError(f"still running after {timeout} s; the screen shows:\n{self.text()}")
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def plain(self) -> str:
        """Everything written so far, decoded, with escape sequences and carriage returns removed."""
        text = self.raw.decode("utf-8", "replace")
        import re

        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r", "", text)

    def text(self) -> str:
        """The screen as a person sees it now (trailing blanks removed)."""
        return "\n".join(line.rstrip() for line in self.screen.display).rstrip()

    def colours(self, needle: str) -> set[str]:
        """The foreground colours of the screen cells where `needle` is shown."""
        found: set[str] = set()
        for row, line in enumerate(self.screen.display):
            start = line.find(needle)
            if start >= 0:
                buffer = self.screen.buffer[row]
                found |= {buffer[col].fg for col in range(start, start + len(needle))}
        return found


def main(argv: list[str]) -> int:
    """`terminal.py TIMEOUT COMMAND…`: run COMMAND at a pty within TIMEOUT seconds, print the screen."""
    timeout, command = float(argv[0]), argv[1:]
    term = Terminal(command)
    try:
        code = term.finish(timeout)
    except AssertionError as exc:
        print(f"FAILED at a terminal: {command}\n{exc}", file=sys.stderr)
        return 1
    print(term.text())
    if code != 0:
        print(f"FAILED at a terminal: exit code {code}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
