"""Plan text shows characters that could rewrite a terminal line escaped, not raw."""

from __future__ import annotations

from fabric.render.text import value


def test_terminal_control_and_bidi_characters_are_escaped() -> None:
    shown = value("Gold\u202e\x9b2J\u2028next\u2066")
    assert shown == '"Gold\\u202e\\u009b2J\\u2028next\\u2066"'
    assert all(ord(ch) < 0x7F or ord(ch) > 0x9F for ch in shown)


def test_ordinary_unicode_stays_readable() -> None:
    assert value("Tromsø – 東京") == '"Tromsø – 東京"'
