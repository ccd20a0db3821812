"""Retrying transient provider errors with exponential backoff and jitter (tenacity).

Only a `ProviderError` marked `retryable` is retried: providers mark an error so only when
the change surely did not happen (the request never reached the server) or repeating it is
harmless (a read). Everything else — a cmdlet's own refusal above all — fails at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from fabric.errors import ProviderError

if TYPE_CHECKING:
    from tenacity import RetryCallState

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry: waits grow from `initial` to `max_wait` seconds."""

    attempts: int = 8
    initial: float = 0.05
    max_wait: float = 2.0
    jitter: float = 0.1  # up to this much added at random, so parallel workers don't retry in step


DEFAULT_POLICY = RetryPolicy()
RetryHook = Callable[[int, int, BaseException], None]  # (attempt that failed, attempts, error)


def is_transient(error: BaseException) -> bool:
    """A provider error its provider marked safe to retry."""
    return isinstance(error, ProviderError) and error.retryable


def call_with_retries(
    fn: Callable[[], T], policy: RetryPolicy = DEFAULT_POLICY, on_retry: RetryHook | None = None
) -> T:
    """`fn()`, retried on transient provider errors; the last error is raised as it was.

    The first attempt runs on its own: tenacity is imported only once one has failed (most
    commands never retry, and need not pay for its import)."""
    try:
        return fn()
    except ProviderError as error:
        if not is_transient(error) or policy.attempts < 2:
            raise
        failed = error
    return _retry(fn, failed, policy, on_retry)


def _retry(fn: Callable[[], T], failed: ProviderError, policy: RetryPolicy, on_retry: RetryHook | None) -> T:
    """The attempts after a first one that failed with `failed` (tenacity counts that one as its first)."""
    from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

    pending: list[ProviderError] = [failed]

    def attempt() -> T:
        if pending:
            raise pending.pop()
        return fn()

    def before_sleep(state: RetryCallState) -> None:
        if on_retry is not None and state.outcome is not None:
            error = state.outcome.exception()
            if error is not None:
                on_retry(state.attempt_number, policy.attempts, error)

    retrying = Retrying(
        retry=retry_if_exception(is_transient),
        wait=wait_exponential_jitter(multiplier=policy.initial, max=policy.max_wait, jitter=policy.jitter),
        stop=stop_after_attempt(policy.attempts),
        before_sleep=before_sleep,
        reraise=True,
    )
    return retrying(attempt)
