"""The words for `fabric.plan.reason`: how plans, scripts and messages say why."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fabric.plan.reason import Reason, Why


def _names(items: Iterable[str]) -> str:
    return ", ".join(items)


_TEXT: dict[Reason, Callable[[Why], str]] = {
    Reason.CANNOT_UPDATE: lambda w: f"{_names(w.paths)} cannot change in place",
    Reason.REQUESTED: lambda w: "replacement requested with -replace",
    Reason.CASCADE: lambda w: f"replaced because {w.subjects[0]} is replaced and {w.paths[0]} cannot change",
    Reason.CANNOT_LEAVE: lambda w: (
        f"replaced because {w.subjects[0]} is replaced and {w.paths[0]} cannot be left without it while it is replaced"
    ),
    Reason.REJOINS: lambda w: f"leaves {w.subjects[0]} before it is replaced and joins the new one",
    Reason.ADDRESS_DECLARED: lambda w: (
        f"its address {w.detail[0]} is declared by {w.subjects[0]}: granted anew from the pool"
    ),
    Reason.REVERTS_OUTSIDE: lambda w: "reverts changes made outside fabric",
    Reason.DELETED_OUTSIDE: lambda w: "deleted outside fabric",
    Reason.GONE_OUTSIDE: lambda w: "already deleted outside fabric; only state is updated",
    Reason.REMOVED: lambda w: "listed under removed: in fabric.yaml",
    Reason.BUILT_IN: lambda w: "built into VMM: left in place, only removed from state",
    Reason.RENAMED_KEY: lambda w: (
        f"takes the name of {w.subjects[0]}, deleted first; if you renamed the key, "
        f"moved: [{{from: {w.subjects[0]}, to: {w.subjects[1]}}}] keeps it"
    ),
    Reason.SHARED_NAME: lambda w: (
        f"{w.detail[0]} live {w.detail[1]}(s) named {w.detail[2]!r} exist and VMM lets them share it; none is "
        f"adopted by name (fabric import {w.subjects[0]} LIVE_ID takes one)"
    ),
    Reason.TWO_STEP: lambda w: f"in two steps, first: {text_of(w.step) if w.step else ''}",
    Reason.LEAVE: lambda w: f"leave {_names(w.subjects)}",
    Reason.DETACH: lambda w: (
        f"detach from {_names(w.subjects)} before it is deleted; {_names(w.detail)} joined once created"
    ),
}


def text_of(why: Why) -> str:
    """One reason in words."""
    return _TEXT[why.reason](why)


def reason_text(why: Iterable[Why]) -> str:
    """A change's reasons in words, `; `-separated ('' for none)."""
    return "; ".join(text_of(w) for w in why)
