"""Running scripts on the VMM server over PowerShell remoting (WinRM, through pypsrp).

Credentials come only from environment variables or, on a terminal, a prompt; they are
never written to state, plans or logs. Transport errors (connection refused, timeouts,
HTTP 5xx) are retried with exponential backoff; a cmdlet error is not a transport error:
the script reports it as `{ok: false}` and it is returned as it is.
"""

from __future__ import annotations

import getpass
import os
import random
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from fabric.errors import ProviderError


class Runner(Protocol):
    """Runs one PowerShell script and returns what it printed."""

    def run(self, script: str, idempotent: bool = False) -> str:
        """The script's standard output (the JSON line it prints); reads pass idempotent=True."""
        ...


@dataclass(frozen=True)
class Connection:
    """Where and how to connect: the `provider:` settings of fabric.yaml (no secrets)."""

    server: str
    port: int = 5986
    ssl: bool = True
    cert_validation: bool = True
    auth: str = "negotiate"
    username_env: str = "FABRIC_SCVMM_USERNAME"
    password_env: str = "FABRIC_SCVMM_PASSWORD"  # noqa: S105 - the name of a variable, not a secret
    attempts: int = 4

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Connection:
        """Read and check the settings; ProviderError naming what is wrong."""
        server = settings.get("server")
        if not isinstance(server, str) or not server:
            raise ProviderError("provider scvmm: set server: (the VMM management server's host name)")
        auth = str(settings.get("auth", "negotiate"))
        if auth not in ("negotiate", "ntlm", "kerberos", "credssp"):
            raise ProviderError(f"provider scvmm: auth must be negotiate, ntlm, kerberos or credssp, not {auth!r}")
        return cls(
            server=server,
            port=int(settings.get("port", 5986)),
            ssl=bool(settings.get("ssl", True)),
            cert_validation=bool(settings.get("cert_validation", True)),
            auth=auth,
            username_env=str(settings.get("username_env", cls.username_env)),
            password_env=str(settings.get("password_env", cls.password_env)),
        )


class TransientError(Exception):
    """A transport failure worth retrying."""


def with_retries(call: Callable[[], str], attempts: int, sleep: Callable[[float], None] = time.sleep) -> str:
    """Call, retrying TransientError with exponential backoff and jitter; ProviderError at the end."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except TransientError as exc:
            if attempt == attempts:
                raise ProviderError(
                    f"VMM server unreachable after {attempts} attempts: {exc}", retryable=True
                ) from None
            sleep(min(30.0, 0.5 * 2 ** (attempt - 1)) * (0.5 + random.random() / 2))  # noqa: S311 - jitter
    raise AssertionError("unreachable")


def credentials(connection: Connection) -> tuple[str, str]:
    """From the environment, else asked for on a terminal; never stored anywhere."""
    username = os.environ.get(connection.username_env)
    password = os.environ.get(connection.password_env)
    if (not username or not password) and sys.stdin.isatty():
        username = username or input(f"VMM user for {connection.server} (DOMAIN\\user): ").strip()
        password = password or getpass.getpass(f"Password for {username}: ")
    if not username or not password:
        raise ProviderError(
            f"provider scvmm: set {connection.username_env} and {connection.password_env} "
            "(or run on a terminal to be asked)"
        )
    return username, password


_NOT_SENT = frozenset({"ConnectTimeout", "NewConnectionError", "ConnectionRefusedError"})
_SENT = frozenset({"ReadTimeout", "ConnectionError", "ChunkedEncodingError", "TimeoutError"})


class PsrpRunner:
    """Runs scripts through pypsrp's WinRM client."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        username, password = credentials(connection)
        try:
            from pypsrp.client import Client
        except ImportError:  # pragma: no cover - pypsrp is a dependency
            raise ProviderError("provider scvmm needs pypsrp (pip install pypsrp)") from None
        self._client = Client(
            connection.server,
            port=connection.port,
            ssl=connection.ssl,
            auth=connection.auth,
            username=username,
            password=password,
            cert_validation=connection.cert_validation,
        )

    def _once(self, script: str, idempotent: bool) -> str:
        try:
            output, _streams, _had_errors = self._client.execute_ps(script)
        except Exception as exc:
            name = type(exc).__name__
            # Refused or timed-out connections never reached the server: safe to retry. After the
            # request was sent (read timeouts, dropped connections) only a read is retried: a
            # change may already have been made, and running it twice could duplicate an object.
            if name in _NOT_SENT or (idempotent and name in _SENT):
                raise TransientError(f"{name}: {exc}") from None
            raise ProviderError(f"PowerShell remoting failed: {name}: {exc}") from None
        return str(output)

    def run(self, script: str, idempotent: bool = False) -> str:
        """Run, retrying transport errors that are safe to retry (see `_once`)."""
        return with_retries(lambda: self._once(script, idempotent), self.connection.attempts)
