"""Which stamp owns a live object: a tag fabric writes at the end of the object's VMM description.

VMM has no owner field that every kind shares, but every kind fabric creates has a
description except network sites and IP grants (`Resource.OWNER_TAG`); those belong to their
scope's owner (a site to its logical network's, a grant to its pool's). The tag is
`[fabric stamp=NAME]` after one space at the end of the description, so it reads naturally
in the VMM console and keeps scripts on one line; fabric strips it
before comparing descriptions, so it never shows in plans or drift.
"""

from __future__ import annotations

import re

# VMM's limit on descriptions is not documented; 1,024 characters is the shortest limit seen
# for similar Windows networking objects, so fabric keeps every description it writes within it.
DESCRIPTION_MAX = 1024
_TAG = re.compile(r"(?:\A| )\[fabric stamp=([A-Za-z0-9][A-Za-z0-9_.-]{0,63})\]\Z")
MARKER = "[fabric stamp="


def tag(description: str, stamp: str) -> str:
    """`description` with the stamp's ownership tag at its end (replacing any old tag)."""
    plain, _ = untag(description)
    line = f"{MARKER}{stamp}]"
    return f"{plain} {line}" if plain else line


def untag(description: str) -> tuple[str, str | None]:
    """The description without its ownership tag, and the stamp the tag names (None if untagged)."""
    if MARKER not in description:  # the common case, without a regular expression
        return description, None
    match = _TAG.search(description)
    if match is None:
        return description, None
    return description[: match.start()], match.group(1)


def room(stamp: str) -> int:
    """How long a description may be in code so that, tagged for `stamp`, it fits in VMM."""
    return DESCRIPTION_MAX - len(tag("x", stamp)) + 1
