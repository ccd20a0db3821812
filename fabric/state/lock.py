"""A per-stamp lock on a file with `flock`: the kernel releases it if the holder dies.

The holder writes who it is (pid, host, start time, operation) into the file, so a
second process can say who holds the lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from fabric.errors import StateLockedError


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return "another process"
    return (
        f"pid {info.get('pid')} on {info.get('host')} since {info.get('started')} "
        f"({info.get('operation')}, lock id {info.get('id')})"
    )


@contextmanager
def file_lock(path: Path, operation: str, timeout: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on `path`; wait up to `timeout` seconds, then StateLockedError."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StateLockedError(f"state is locked by {_holder(path)}") from None
                time.sleep(0.1)
        info = {
            "id": str(uuid.uuid4()),
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "operation": operation,
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
