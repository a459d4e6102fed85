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
)


def clean(text: str) -> str:
    """Return ``text`` without terminal escape sequences or control characters.

    Tabs and newlines are kept; carriage returns are dropped (CRLF → LF).
    """
    if text.isprintable():
        return text
    return _ESCAPES.sub("", text)


def plural(n: int, word: str) -> str:
    """'1 file', '3 files' (English only: messages a person reads use ``i18n.ngettext``)."""
    return f"{n} {word}{'' if n == 1 else 's'}"
