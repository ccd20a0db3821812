"""A per-stamp lock on a file with `flock`: the kernel releases it if the holder dies.

The holder writes who it is (`LockInfo`) into the file, so a second process can say who
holds the lock. `force_unlock_file` breaks a lock held by a hung process by unlinking the
file: the next process locks a fresh file, which is why `file_lock` re-checks, once it has
the lock, that the path still names the file it locked.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from fabric.errors import FabricError, StateLockedError


@dataclass(frozen=True)
class LockInfo:
    """Who holds a state lock."""

    id: str
    pid: int
    host: str
    started: str
    operation: str

    @classmethod
    def mine(cls, operation: str) -> LockInfo:
        """A new lock ID for this process."""
        started = datetime.now(UTC).isoformat(timespec="seconds")
        return cls(str(uuid.uuid4()), os.getpid(), socket.gethostname(), started, operation)

    def describe(self) -> str:
        """`pid P on HOST since T (OPERATION, lock id ID)`."""
        return f"pid {self.pid} on {self.host} since {self.started} ({self.operation}, lock id {self.id})"


def locked_message(holder: LockInfo | None, nobody: str) -> str:
    """`state is locked by …` with what the user can do about it."""
    who = holder.describe() if holder else nobody
    release = f"fabric force-unlock [STAMP] {holder.id}" if holder else "fabric force-unlock [STAMP] LOCK_ID"
    return (
        f"state is locked by {who}. Wait for it with --lock-timeout (e.g. --lock-timeout 5m); if that process "
        f"is gone for good, release the lock with: {release}"
    )


def _parse(text: str) -> LockInfo | None:
    try:
        data = json.loads(text)
        return LockInfo(str(data["id"]), int(data["pid"]), str(data["host"]), str(data["started"]), data["operation"])
    except (ValueError, KeyError, TypeError):
        return None


def read_holder(path: Path) -> LockInfo | None:
    """What the lock file says about its holder (None if empty, missing or unreadable)."""
    try:
        return _parse(path.read_text())
    except OSError:
        return None


def _locked_fd(path: Path) -> int | None:
    """An fd holding the lock on the file `path` names now, or None if someone else holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    try:
        same = os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        same = False
    if not same:  # force-unlocked between open and flock: lock the new file instead
        os.close(fd)
        return _locked_fd(path)
    return fd


WaitNotice = Callable[["LockInfo | None", float], None]  # (who holds it, how long fabric will wait)


@contextmanager
def file_lock(
    path: Path, operation: str, timeout: float = 0.0, on_wait: WaitNotice | None = None
) -> Iterator[LockInfo]:
    """Hold an exclusive lock on `path`; wait up to `timeout` seconds (telling `on_wait` once, when
    the wait begins), then StateLockedError."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    deadline = time.monotonic() + timeout
    told = False
    while (fd := _locked_fd(path)) is None:
        if time.monotonic() >= deadline:
            holder = read_holder(path)
            raise StateLockedError(locked_message(holder, "another process"))
        if on_wait is not None and not told:
            told = True
            on_wait(read_holder(path), timeout)
        time.sleep(0.1)
    info = LockInfo.mine(operation)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(info)).encode(), 0)
        try:
            yield info
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def process_alive(info: LockInfo) -> bool:
    """True if the holder's process runs on this host (False if it is gone or runs elsewhere)."""
    if info.host != socket.gethostname():
        return False
    try:
        os.kill(info.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def file_holder_alive(path: Path) -> str | None:
    """Why the holder of the lock file looks alive (None if the lock is free or its holder is gone)."""
    fd = _locked_fd(path)
    if fd is not None:  # nobody holds the flock: at most a dead holder's note is left
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
        return None
    holder = read_holder(path)
    if holder is not None and process_alive(holder):
        return f"its process (pid {holder.pid}) is running on this host"
    if holder is None or holder.host == socket.gethostname():
        return "a process on this host still holds the lock file"
    return None  # another host's process: the kernel lock proves nothing from here


def force_unlock_file(path: Path, lock_id: str) -> LockInfo:
    """Break the lock whose ID is `lock_id`; FabricError if it is not the current holder's."""
    holder = read_holder(path)
    if holder is None:
        raise FabricError("the state is not locked")
    if holder.id != lock_id:
        raise FabricError(f"lock id {lock_id} is not the current lock; the state is locked by {holder.describe()}")
    fd = _locked_fd(path)
    if fd is not None:  # nobody holds it: the file only kept a dead holder's note
        os.ftruncate(fd, 0)
        os.close(fd)
        return holder
    # the holder may have released and another taken the lock since it was read: check again
    # right before breaking it (a window of microseconds, not of a human typing the command)
    current = read_holder(path)
    if current is None or current.id != lock_id:
        raise FabricError(f"lock id {lock_id} is no longer the current lock; run force-unlock again if needed")
    path.unlink(missing_ok=True)
    return holder
