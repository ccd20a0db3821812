"""The work budget of templates, per file and per stamp, without jinja2 (which `templating` loads).

Loading a stamp opens budgets around its files (`budget`); only a file that holds templates
imports jinja2 (`fabric.load.templating`), so a stamp without any starts faster.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# Template work: an operation is a loop iteration, a call, a filter, a `~`, `+`, `*`, `**` or `%`
# (a macro call counts _MACRO_CALL); characters are those (and list items) that operations and
# outputs build. Measured: a file's million operations take 0.2-0.5 s, a stamp's four about 1.5 s.
MAX_OPERATIONS_PER_FILE = 1_000_000
MAX_OPERATIONS_PER_STAMP = 4_000_000
MAX_CHARACTERS_PER_FILE = 20_000_000
MAX_CHARACTERS_PER_STAMP = 50_000_000


class TemplateProblem(Exception):
    """A template failed to compile or render; the message says why."""


class OverBudget(TemplateProblem):
    """A template's work went past its file's or its stamp's budget (`scope`: "file" or "stamp")."""

    def __init__(self, message: str, scope: str) -> None:
        super().__init__(message)
        self.scope = scope


@dataclass
class Budget:
    """What template work is left in one scope; spending also draws on the enclosing scope."""

    operations: int
    characters: int
    scope: str
    parent: Budget | None = None

    def spend(self, operations: int, characters: int = 0) -> None:
        """Draw work from this scope and the ones around it; OverBudget when one runs out."""
        budget: Budget | None = self
        while budget is not None:
            budget.operations -= operations
            budget.characters -= characters
            if budget.operations < 0 or budget.characters < 0:
                raise OverBudget(budget.refusal(), budget.scope)
            budget = budget.parent

    def refusal(self) -> str:
        """The one-line message for running out."""
        where = "this file" if self.scope == "file" else "this stamp"
        if self.operations < 0:
            limit = MAX_OPERATIONS_PER_STAMP if self.scope == "stamp" else MAX_OPERATIONS_PER_FILE
            what = f"take more than {limit:,} operations (loop iterations, calls, filters)"
        else:
            limit = MAX_CHARACTERS_PER_STAMP if self.scope == "stamp" else MAX_CHARACTERS_PER_FILE
            what = f"build more than {limit:,} characters"
        split = "; simplify them or split the file" if self.scope == "file" else "; simplify them"
        return f"the templates in {where} {what}{split}"

    @property
    def exhausted(self) -> bool:
        """True once this scope (or one around it) has run out."""
        budget: Budget | None = self
        while budget is not None:
            if budget.operations < 0 or budget.characters < 0:
                return True
            budget = budget.parent
        return False


_active = threading.local()  # .budget: the Budget renders on this thread draw from


def _current() -> Budget | None:
    return getattr(_active, "budget", None)


def _spend(operations: int, characters: int = 0) -> None:
    budget = _current()
    if budget is not None:  # compile time (no render under way) does no work worth counting
        budget.spend(operations, characters)


@contextmanager
def budget(scope: str) -> Iterator[Budget]:
    """Renders inside draw from a fresh budget for `scope` ("stamp" or "file"), and from the
    budget already active around it (a file's from its stamp's)."""
    if scope == "stamp":
        fresh = Budget(MAX_OPERATIONS_PER_STAMP, MAX_CHARACTERS_PER_STAMP, scope, _current())
    else:
        fresh = Budget(MAX_OPERATIONS_PER_FILE, MAX_CHARACTERS_PER_FILE, scope, _current())
    before = _current()
    _active.budget = fresh
    try:
        yield fresh
    finally:
        _active.budget = before


def is_template(text: str) -> bool:
    """True if `text` contains jinja2 markup."""
    return "{{" in text or "{%" in text
