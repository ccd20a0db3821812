"""`FABRIC_LOG=debug`: a provider wrapper that logs every call and its duration (secrets masked).

The log goes to stderr, or to the file `FABRIC_LOG_FILE` names (appended, owner-only). Each
line: time, the call, the address and kind, the outcome and the seconds it took.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO, TypeVar

from fabric.inventory import Inventory, ObservedObject
from fabric.providers.protocol import Provider
from fabric.secrets import redact_text

T = TypeVar("T")
LEVELS = ("debug",)


class CallLog:
    """Where log lines go (thread-safe: providers are called from worker threads)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def line(self, text: str) -> None:
        """Write one line, stamped with the time, secrets masked."""
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        with self._lock:
            self._stream.write(redact_text(f"{now} fabric: {text}") + "\n")
            self._stream.flush()


def call_log_from_env() -> CallLog | None:
    """The log `FABRIC_LOG` asks for (None if unset or not a known level)."""
    level = os.environ.get("FABRIC_LOG", "").strip().lower()
    if level not in LEVELS:
        return None
    target = os.environ.get("FABRIC_LOG_FILE")
    if not target:
        return CallLog(sys.stderr)
    path = Path(target)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    return CallLog(os.fdopen(fd, "a", encoding="utf-8"))


class LoggedProvider:
    """A provider whose calls are logged; everything else passes through to the wrapped one."""

    def __init__(self, inner: Provider, log: CallLog) -> None:
        self.inner = inner
        self._inner = inner
        self._log = log
        self.name = inner.name

    def __getattr__(self, name: str) -> Any:  # plan_script and other optional capabilities
        return getattr(self._inner, name)

    def _timed(self, what: str, call: Callable[[], T], outcome: Callable[[T], str]) -> T:
        started = time.monotonic()
        try:
            result = call()
        except BaseException as exc:
            self._log.line(f"provider {self.name} {what}: failed in {time.monotonic() - started:.3f}s: {exc}")
            raise
        self._log.line(f"provider {self.name} {what}: {outcome(result)} in {time.monotonic() - started:.3f}s")
        return result

    def read_inventory(self) -> Inventory:
        """Logged `read_inventory`."""
        return self._timed("read_inventory", self._inner.read_inventory, lambda inv: f"{len(inv)} objects")

    def immutable_attributes(self, kind: str) -> frozenset[str]:
        """Passed through (not logged: no call to the server)."""
        return self._inner.immutable_attributes(kind)

    def is_built_in(self, kind: str, name: str) -> bool:
        """Passed through (not logged: no call to the server)."""
        return self._inner.is_built_in(kind, name)

    def create(self, address: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        """Logged `create`."""
        return self._timed(
            f"create {address} ({kind})", lambda: self._inner.create(address, kind, attributes), _created
        )

    def update(self, address: str, live_id: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        """Logged `update`."""
        return self._timed(
            f"update {address} ({kind}, {live_id})",
            lambda: self._inner.update(address, live_id, kind, attributes),
            lambda obj: "ok",
        )

    def delete(self, address: str, live_id: str, kind: str) -> None:
        """Logged `delete`."""
        self._timed(f"delete {address} ({kind}, {live_id})", lambda: self._inner.delete(address, live_id, kind), _ok)

    def close(self) -> None:
        """Close the wrapped provider."""
        self._inner.close()


def unwrapped(provider: Provider) -> Provider:
    """The provider itself, without the logging wrapper."""
    return provider.inner if isinstance(provider, LoggedProvider) else provider


def _created(obj: ObservedObject) -> str:
    return f"ok, id {obj.id}"


def _ok(result: object) -> str:
    return "ok"
