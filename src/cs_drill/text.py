"""Keeping bank text literal (no terminal control characters), and counting words."""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte ESC sequences,
# then any remaining C0 control (except tab and newline), DEL and C1 controls.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
    # Unicode format characters (category Cf, as of Unicode 15.1): bidi embeddings, overrides,
    # isolates and marks (U+202A-202E, U+2066-2069, U+200E/200F, U+061C) would let a line show
    # reordered; the zero-width and invisible ones (U+200B, U+2060-2064, U+FEFF, U+00AD, the tag
    # characters...) hide text. Kept: ZWNJ U+200C and ZWJ U+200D, which join or part letters
    # (Persian, Indic scripts) and emoji sequences, and never reorder or hide anything.
    "|[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def clean(text: str) -> str:
    """Return ``text`` without terminal escape sequences, control or invisible format characters.

    Tabs and newlines are kept; carriage returns are dropped (CRLF → LF); bidi controls and
    zero-width characters are dropped (ZWNJ and ZWJ are kept). Printable text (the usual case:
    format characters are not printable) is returned as it is, without a regex pass.
    """
    if text.isprintable():
        return text
    return _ESCAPES.sub("", text)


def plural(n: int, word: str) -> str:
    """'1 file', '3 files' (English only: messages a person reads use ``i18n.ngettext``)."""
    return f"{n} {word}{'' if n == 1 else 's'}"


# Control characters (C0 including tab and newline, DEL, C1), the Unicode line and paragraph
# separators, and the format characters ``clean`` drops: shown escaped rather than written.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: str) -> str:
    """``text`` on one line with control and format characters shown as ``\\x1b``, ``\\n``, ``\\u202e``…

    For bank text in error messages: nothing in it reaches the terminal as a control, and it
    cannot start a new line.
    """
    if text.isprintable():
        return text
    return _UNSAFE.sub(_escaped, text)
