"""Spaced-repetition scheduling: the only module that knows the ``fsrs`` package.

A card's memory state is an immutable :class:`CardState`; :meth:`Scheduler.review`
returns the next state and never mutates its input. Every interval comes from
py-fsrs; this module only translates between its ``Card`` and ``CardState``.
``now`` is always passed in and must be timezone-aware.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from cs_drill.study.card import NEW, STATES, CardState, Rating

if TYPE_CHECKING:
    import fsrs

__all__ = ["NEW", "STATES", "CardState", "Scheduler", "card_id"]

_STATE_NAMES = {"learning": "Learning", "review": "Review", "relearning": "Relearning"}


def _fsrs() -> Any:
    # fsrs is imported on first use: a session shows its first card without it
    import fsrs

    return fsrs


def card_id(uid: str) -> int:
    """A stable positive 63-bit id for ``exam-id/question-id`` (from its SHA-256)."""
    import hashlib

    digest = hashlib.sha256(uid.encode("utf-8")).digest()
    return (int.from_bytes(digest[:8], "big") >> 1) or 1


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None or now.tzinfo.utcoffset(now) is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {now.isoformat()}")
    return now.astimezone(timezone.utc)


def _opt_utc(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)


class Scheduler:
    """FSRS scheduling of :class:`CardState` values (a thin wrapper of ``fsrs.Scheduler``).

    ``cap``: when set, ``cap(uid, now)`` is the longest interval in days that a review of
    ``uid`` at ``now`` may give (None: no cap); a study plan sets it (see ``study.planner``).
    """

    def __init__(
        self,
        desired_retention: float = 0.9,
        fuzz: bool = True,
        cap: Callable[[str, datetime], int | None] | None = None,
    ) -> None:
        if not 0.0 < desired_retention < 1.0:
            raise ValueError(f"desired_retention must be between 0 and 1, got {desired_retention}")
        self.desired_retention = desired_retention
        self.fuzz = fuzz
        self.cap = cap
        self._engine: fsrs.Scheduler | None = None
        self._plain_engine: fsrs.Scheduler | None = None
        self._capped: dict[tuple[int, bool], fsrs.Scheduler] = {}

    @property
    def _fsrs(self) -> fsrs.Scheduler:
        if self._engine is None:
            self._engine = _fsrs().Scheduler(desired_retention=self.desired_retention, enable_fuzzing=self.fuzz)
        return self._engine

    @property
    def _plain(self) -> fsrs.Scheduler:
        # Previews show the unfuzzed interval: fuzz is random, so the exact day a
        # fuzzed review lands on cannot be known before the review is made.
        if not self.fuzz:
            return self._fsrs
        if self._plain_engine is None:
            self._plain_engine = _fsrs().Scheduler(desired_retention=self.desired_retention, enable_fuzzing=False)
        return self._plain_engine

    def review(
        self,
        uid: str,
        state: CardState,
        rating: Rating,
        now: datetime,
        duration_ms: int | None = None,
        max_days: int | None = None,
    ) -> CardState:
        """The state after rating the card ``uid`` at ``now`` (``state`` is left as it was).

        ``max_days``: the longest interval a review-state card may get (fsrs's
        ``maximum_interval``); default ``cap(uid, now)`` when a cap is set, else none.
        Raises ValueError when ``now`` is naive.
        """
        when = _utc(now)
        if max_days is None and self.cap is not None:
            max_days = self.cap(uid, when)
        engine = self._fsrs if max_days is None else self._capped_engine(max(1, max_days), self.fuzz)
        return self._review(engine, uid, state, rating, when, duration_ms)

    def replay(self, uid: str, reviews: Iterable[tuple[Rating, datetime, int | None]]) -> CardState:
        """The state of card ``uid`` after ``reviews`` (rating, time, duration in ms), oldest first,
        from a new card: :meth:`review` one after another, without the cap, the fsrs card kept
        from one to the next (a merge replays a 10-year history). NEW when there is none.
        """
        lib = _fsrs()
        engine, review_state, again = self._fsrs, lib.State.Review, lib.Rating.Again
        card: fsrs.Card | None = None
        reps = lapses = 0
        for rating, now, duration_ms in reviews:
            when = _utc(now)
            if card is None:
                card = lib.Card(card_id=card_id(uid), state=lib.State.Learning, step=0, due=when)
            grade = lib.Rating(int(rating))
            if card.state == review_state and grade == again:
                lapses += 1
            card, _log = engine.review_card(card, grade, review_datetime=when, review_duration=duration_ms)
            reps += 1
        if card is None:
            return NEW
        return _from_fsrs(card)._replace(reps=reps, lapses=lapses)

    def _capped_engine(self, max_days: int, fuzz: bool) -> fsrs.Scheduler:
        key = (max_days, fuzz)
        if key not in self._capped:
            self._capped[key] = _fsrs().Scheduler(
                desired_retention=self.desired_retention, enable_fuzzing=fuzz, maximum_interval=max_days
            )
        return self._capped[key]

    def retrievability(self, state: CardState, now: datetime) -> float | None:
        """The predicted probability of recall at ``now``; None for a new card."""
        when = _utc(now)
        if state.is_new or state.stability is None or state.last_review is None:
            return None
        card = _to_fsrs(card_id("retrievability"), state, when)
        return float(self._fsrs.get_card_retrievability(card, current_datetime=when))

    def preview(self, uid: str, state: CardState, now: datetime) -> dict[Rating, datetime]:
        """The due date (aware UTC) that each rating would give at ``now``, without fuzz (and with the cap)."""
        when = _utc(now)
        max_days = self.cap(uid, when) if self.cap is not None else None
        engine = self._plain if max_days is None else self._capped_engine(max(1, max_days), False)
        result: dict[Rating, datetime] = {}
        for rating in Rating:
            after = self._review(engine, uid, state, rating, when, None)
            assert after.due is not None
            result[rating] = after.due
        return result

    @staticmethod
    def _review(
        engine: fsrs.Scheduler,
        uid: str,
        state: CardState,
        rating: Rating,
        now: datetime,
        duration_ms: int | None,
    ) -> CardState:
        card = _to_fsrs(card_id(uid), state, now)
        reviewed, _log = engine.review_card(
            card,
            _fsrs().Rating(int(rating)),
            review_datetime=now,
            review_duration=duration_ms,
        )
        lapsed = state.state == "review" and rating == Rating.AGAIN
        return _from_fsrs(reviewed)._replace(
            reps=state.reps + 1,
            lapses=state.lapses + (1 if lapsed else 0),
        )


def _to_fsrs(cid: int, state: CardState, now: datetime) -> fsrs.Card:
    lib = _fsrs()
    if state.is_new:
        return lib.Card(card_id=cid, state=lib.State.Learning, step=0, due=now)  # type: ignore[no-any-return]
    return lib.Card(  # type: ignore[no-any-return]
        card_id=cid,
        state=getattr(lib.State, _STATE_NAMES[state.state]),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_utc(state.due) if state.due is not None else now,
        last_review=_opt_utc(state.last_review),
    )


def _from_fsrs(card: fsrs.Card) -> CardState:
    lib = _fsrs()
    names = {getattr(lib.State, v): k for k, v in _STATE_NAMES.items()}
    return CardState(
        state=names[lib.State(card.state)],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=_opt_utc(card.last_review),
    )
