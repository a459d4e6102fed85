"""The words of the interface that several views share: ratings, kinds, card states, durations, points.

Each is looked up in the message catalog when it is shown, so it follows the
language chosen at start-up (the rating names are the ones Chinese Anki users
know: 重来 / 困难 / 良好 / 简单).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import TypeVar

from cs_drill.bank.model import Kind
from cs_drill.i18n import N_, _, ngettext
from cs_drill.study.card import Rating

__all__ = [
    "KIND_LABELS",
    "KIND_NAMES",
    "RATING_NAMES",
    "STATE_NAMES",
    "human_delta",
    "points_text",
    "rating_choice",
]

K = TypeVar("K")


class Labels(Mapping[K, str]):
    """A table of catalog messages, translated when read."""

    def __init__(self, messages: dict[K, str]) -> None:
        self._messages = messages

    def __getitem__(self, key: K) -> str:
        return _(self._messages[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)


RATING_NAMES: Labels[Rating] = Labels(
    {
        # TRANSLATORS: the four self-ratings, as Anki names them (重来 / 困难 / 良好 / 简单).
        Rating.AGAIN: N_("Again"),
        Rating.HARD: N_("Hard"),
        Rating.GOOD: N_("Good"),
        Rating.EASY: N_("Easy"),
    }
)
KIND_LABELS: Labels[Kind] = Labels(
    {
        Kind.SINGLE: N_("single choice"),
        Kind.MULTI: N_("multiple choice"),
        Kind.TRUE_FALSE: N_("true or false"),
        # TRANSLATORS: the kind of a question whose answer fills the blanks of its prompt (填空题).
        Kind.FILL_IN: N_("fill-in"),
        Kind.OPEN: N_("open question"),
    }
)
KIND_NAMES: Labels[Kind] = Labels(
    {
        # TRANSLATORS: a section's kind as `list` and `validate` show it; English keeps the bank's own word.
        Kind.SINGLE: N_("single-choice"),
        Kind.MULTI: N_("multi-choice"),
        Kind.TRUE_FALSE: N_("true-false"),
        Kind.FILL_IN: N_("fill-in"),
        Kind.OPEN: N_("open"),
    }
)
STATE_NAMES: Labels[str] = Labels(
    {
        # TRANSLATORS: card states of the scheduler (FSRS).
        "new": N_("new"),
        "learning": N_("learning"),
        "review": N_("review"),
        "relearning": N_("relearning"),
    }
)


def rating_choice() -> str:
    """``1 Again · 2 Hard · 3 Good · 4 Easy``."""
    return " · ".join(f"{int(r)} {RATING_NAMES[r]}" for r in Rating)


def human_delta(delta: timedelta) -> str:
    """'10 min', '3 h', '4 days', '2 months' (``10 分钟``, ``3 小时``, ``4 天`` …)."""
    seconds = max(0, int(round(delta.total_seconds())))
    if seconds < 60:
        return _("{n} s").format(n=seconds) if seconds else _("now")
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("{n} min").format(n=minutes)
    hours = round(seconds / 3600)
    if hours < 24:
        return _("{n} h").format(n=hours)
    days = round(seconds / 86400)
    if days < 31:
        return ngettext("{n} day", "{n} days", days).format(n=days)
    months = round(days / 30.4)
    if months < 12:
        return ngettext("{n} month", "{n} months", months).format(n=months)
    return _("{n:.1f} years").format(n=days / 365.25)


def points_text(points: int | float | None) -> str:
    """``6 pts`` / ``6分``; empty when the question carries no points."""
    if points is None:
        return ""
    # TRANSLATORS: a question's points in the source's scoring, e.g. "6分".
    return _("{points:g} pts").format(points=points)
