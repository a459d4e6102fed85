"""Cards: how well a card was recalled (ratings) and its memory state.

Plain records: the maths behind them is ``study.scheduler``'s (fsrs).
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import NamedTuple

__all__ = ["NEW", "STATES", "CardState", "Rating", "counts_as_right"]


class Rating(IntEnum):
    """How well a card was recalled (the FSRS / Anki scale)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


def counts_as_right(correct: bool | None, rating: Rating) -> bool:
    """An answer graded right, or a self-rated (open) one rated Good or Easy."""
    return correct if correct is not None else rating >= Rating.GOOD


#: The state names a :class:`CardState` can carry.
STATES: tuple[str, ...] = ("new", "learning", "review", "relearning")


class _CardFields(NamedTuple):
    state: str = "new"
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0


class CardState(_CardFields):
    """The memory state of one card. A card never reviewed is ``NEW``.

    ``due`` and ``last_review`` are aware UTC datetimes (None while new).
    ``reps`` counts every review; ``lapses`` counts Again on a card in ``review``.
    """

    __slots__ = ()

    def __new__(
        cls,
        state: str = "new",
        step: int | None = None,
        stability: float | None = None,
        difficulty: float | None = None,
        due: datetime | None = None,
        last_review: datetime | None = None,
        reps: int = 0,
        lapses: int = 0,
    ) -> CardState:
        if state not in STATES:
            raise ValueError(f"unknown card state {state!r}; expected one of {', '.join(STATES)}")
        return super().__new__(cls, state, step, stability, difficulty, due, last_review, reps, lapses)

    @property
    def is_new(self) -> bool:
        """True for a card that has never been reviewed."""
        return self.state == "new"


NEW = CardState()
