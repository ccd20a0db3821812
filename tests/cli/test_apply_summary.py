"""The apply summary stays readable at scale: counts, then the first 20 addresses per category."""

from __future__ import annotations

import pytest

from fabric.apply.executor import ApplyResult
from fabric.cli import apply_cmd


def _result(n: int) -> ApplyResult:
    return ApplyResult(
        total=3 * n,
        failed={f"cloud.c{i:04}": "refused" for i in range(n)},
        not_started=[f"cloud.n{i:04}" for i in range(n)],
    )


def test_long_lists_are_cut_at_twenty_unless_verbose(capsys: pytest.CaptureFixture[str]) -> None:
    assert apply_cmd._summary(_result(500), destroy=False, verbose=False) == 1
    out = capsys.readouterr().out
    assert "Apply finished with errors: 0 operation(s) done, 500 failed, 0 skipped, 500 not started." in out
    assert out.count("  failed:  ") == 20 and out.count("  not started: ") == 20
    assert "… and 480 more failed (--verbose lists them all)" in out
    assert len(out.splitlines()) < 50
    apply_cmd._summary(_result(500), destroy=False, verbose=True)
    assert capsys.readouterr().out.count("  failed:  ") == 500


def test_destroy_and_interrupt_wording(capsys: pytest.CaptureFixture[str]) -> None:
    assert apply_cmd._summary(ApplyResult(), destroy=True, verbose=False) == 0
    assert "Destroy complete: 0 operation(s) done" in capsys.readouterr().out
    interrupted = ApplyResult(not_started=["a.b"], interrupted=True)
    assert apply_cmd._summary(interrupted, destroy=True, verbose=False) == 130
    out = capsys.readouterr().out
    assert out.count("Destroy interrupted:") == 1 and "plan again to see what is left" in out
