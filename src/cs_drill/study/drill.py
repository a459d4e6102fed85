"""The drill engine: a run of cards under a mode's policy, each answer committed before its outcome.

The engine knows nothing of terminals. A view asks :meth:`Drill.next_card` what to
show, hands what was typed to :meth:`Drill.submit` (and, for an open question, the
self-rating to :meth:`Drill.rate`) and draws what comes back. Every answer is
committed to the store before the call that takes it returns, so a view prints
feedback only on what is saved.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from cs_drill.bank.catalog import Catalog
from cs_drill.bank.model import Kind, Question, QuestionRef, Section
from cs_drill.study.card import NEW, CardState, Rating, counts_as_right
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.store import Store

if TYPE_CHECKING:
    from cs_drill.study.assess.grading import Grade
    from cs_drill.study.assess.openanswer import ItemCoverage, Suggestion

__all__ = ["Card", "Clock", "Drill", "Invalid", "Outcome", "Recorder", "Reveal", "Starred", "Undone"]


class Clock:
    """ "Now": a fixed start (``CSDRILL_NOW`` or the clock, read once) plus the time elapsed since.

    ``monotonic`` is the timer (a fake one in tests).
    """

    def __init__(self, start: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.start = start
        self.monotonic = monotonic
        self._t0 = monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.monotonic() - self._t0)

    def elapsed(self) -> float:
        """Seconds since the clock was made."""
        return self.monotonic() - self._t0


class Outcome(NamedTuple):
    """One answered card, as the summary needs it."""

    question: Question
    section: Section
    grade: Grade
    rating: Rating
    answer: str
    duration_ms: int | None
    before: CardState
    after: CardState
    review_id: int = 0
    unknown: bool = False
    """Answered with ``?`` ("I don't know"): the key was shown, the card rated Again."""

    @property
    def right(self) -> bool:
        """Choice and true-false: graded right; open: self-rated Good or Easy."""
        return counts_as_right(self.grade.correct, self.rating)


class Recorder:
    """Grades become ratings and card states; each is committed to the store at once.

    ``states``: the cards' states where the caller has them; any other is read from the store.
    """

    def __init__(
        self,
        store: Store,
        scheduler: Scheduler,
        mode: str,
        states: Mapping[str, CardState],
        *,
        easy_ratio: float = 0.5,
        hard_ratio: float = 2.0,
    ) -> None:
        self.store = store
        self.scheduler = scheduler
        self.mode = mode
        self.states = dict(states)
        self.easy_ratio = easy_ratio
        self.hard_ratio = hard_ratio
        self._typical: dict[Kind, int | None] = {}

    def state(self, question: Question) -> CardState:
        """The card's state: as given, else as the store has it (new when it has none)."""
        state = self.states.get(question.uid)
        if state is None:
            state = self.states[question.uid] = self.store.card_states([question.uid]).get(question.uid, NEW)
        return state

    def typical_ms(self, question: Question, questions: Iterable[QuestionRef | Question]) -> int | None:
        """The user's median time for right answers to ``questions`` of this question's kind.

        Worked out once per kind and session (the answers of this session do not change it).
        """
        if question.kind not in self._typical:
            self._typical[question.kind] = self.store.typical_duration_ms(
                q.uid for q in questions if q.kind is question.kind
            )
        return self._typical[question.kind]

    def rating_for(self, grade: Grade, duration_ms: int | None, typical_ms: int | None) -> Rating:
        """Wrong → Again; right → Good, or Easy/Hard when much faster/slower than usual."""
        if not grade.correct:
            return Rating.AGAIN
        if duration_ms is None or typical_ms is None or typical_ms <= 0:
            return Rating.GOOD
        if duration_ms < self.easy_ratio * typical_ms:
            return Rating.EASY
        if duration_ms > self.hard_ratio * typical_ms:
            return Rating.HARD
        return Rating.GOOD

    def record(
        self,
        question: Question,
        section: Section,
        grade: Grade,
        rating: Rating,
        *,
        answer: str,
        duration_ms: int | None,
        now: datetime,
        place: tuple[str, str | None] | None = None,
    ) -> Outcome:
        """Schedule the card and commit the answer before returning (``practice``: the schedule stays).

        ``place``: where a source-order quiz stands, committed with the answer."""
        before = self.state(question)
        if self.mode == "practice":
            after = before
        else:
            after = self.scheduler.review(question.uid, before, rating, now, duration_ms)
        review_id = self.store.record(
            question.uid,
            after=after,
            now=now,
            rating=rating,
            correct=grade.correct,
            answer=answer,
            duration_ms=duration_ms,
            mode=self.mode,
            content_hash=question.content_hash,
            place=place,
        )
        self.states[question.uid] = after
        return Outcome(question, section, grade, rating, answer, duration_ms, before, after, review_id)

    def undo(self, outcome: Outcome) -> None:
        """Take ``outcome`` back: its review goes, the card's state before it comes back."""
        self.store.undo(outcome.review_id, outcome.question.uid, outcome.before)
        self.states[outcome.question.uid] = outcome.before


# --------------------------------------------------------------------------- the engine


class Card(NamedTuple):
    """A card to show: the question, its section, where it stands in the run, its state."""

    question: Question
    section: Section
    position: int  # 1-based
    total: int
    state: CardState
    mode: str
    again: bool = False
    """Asked again in this session after it was missed."""


class Invalid(NamedTuple):
    """Typed input that is no answer to the card: refused with a hint, never graded."""

    hint: str


class Undone(NamedTuple):
    """``/undo``: the previous answer was taken back; its question is asked again next."""

    outcome: Outcome


class Starred(NamedTuple):
    """``/star`` or ``/unstar``: the card's question is marked (or no longer); it is asked again."""

    on: bool


class Reveal(NamedTuple):
    """An open answer taken: what to show before the self-rating, and the suggested rating."""

    card: Card
    answer: str
    grade: Grade
    coverage: list[ItemCoverage]
    suggestion: Rating
    reason: str = ""
    """Why the suggestion is what it is, when the learner should know (e.g. no model answer to compare with)."""
    best: str | None = None
    """The learner's best answer so far: their latest one self-rated Good or Easy."""
    advice: Suggestion | None = None
    """The suggestion in full: its reason code, covered/total, ``derived`` and ``no_reference`` flags."""


class Drill:
    """A run of questions (``items``: questions, or refs read from ``catalog`` a page at a time).

    ``mode`` is the policy's name as the history records it (``quiz``, ``review``).
    ``refs`` are the session's questions for the typical answer time (default: ``items``).
    ``timed``: answers come from a person at a terminal, so their time counts.
    """

    PAGE = 10

    def __init__(
        self,
        catalog: Catalog,
        recorder: Recorder,
        clock: Clock,
        items: Sequence[Question | QuestionRef],
        *,
        mode: str = "quiz",
        refs: Sequence[Question | QuestionRef] | None = None,
        timed: bool = False,
        again_after: int | None = None,
        place: str | None = None,
        start: int = 0,
    ) -> None:
        self.catalog = catalog
        self.recorder = recorder
        self.clock = clock
        self.items = items
        self.mode = mode
        self.refs = refs if refs is not None else items
        self.timed = timed
        self.again_after = again_after
        self.place = place
        self.outcomes: list[Outcome] = []
        self._next = start
        self._page: dict[str, Question] = {}
        self._shown_at: float | None = None
        self._front: list[tuple[Question, int]] = []  # asked next, in order (an undone answer's question)
        self._later: list[list[Any]] = []  # [cards still to answer first, question, position]: asked again
        self._current: Card | None = None
        self._positions: dict[str, int] = {}

    @property
    def total(self) -> int:
        return len(self.items)

    def _question(self, index: int) -> Question | None:
        item = self.items[index]
        if isinstance(item, Question):
            return item
        if item.uid not in self._page:
            chunk = self.items[index : index + self.PAGE]
            self._page = {q.uid: q for q in self.catalog.questions(i.uid for i in chunk)}
        return self._page.get(item.uid)  # None: the question left the bank meanwhile

    def next_card(self) -> Card | None:
        """The next card to show; None at the end of the run.

        First a question whose answer was taken back, then one missed a few cards ago
        (``again_after``), then the run's next item; at the end, what was missed and not
        yet asked again.
        """
        picked = self._pick()
        if picked is None:
            self._current = None
            return None
        question, position, again = picked
        self._shown_at = self.clock.monotonic()
        section = self.catalog.section_of(question)
        self._current = Card(
            question, section, position, len(self.items), self.recorder.state(question), self.mode, again
        )
        return self._current

    def _pick(self) -> tuple[Question, int, bool] | None:
        if self._front:
            front, position = self._front.pop(0)
            return front, position, False
        for entry in self._later:
            if entry[0] <= 0:
                self._later.remove(entry)
                return entry[1], entry[2], True
        while self._next < len(self.items):
            index = self._next
            self._next += 1
            found = self._question(index)
            if found is not None:
                return found, index + 1, False
        if self._later:
            entry = self._later.pop(0)
            return entry[1], entry[2], True
        return None

    _warming: bool = False

    def shown(self, card: Card) -> None:
        """The card is on screen and the learner reads it: prepare what grading it will need.

        For the first open question, the Chinese text tools load in a background thread
        (after the card is drawn, so they never delay it).
        """
        if card.question.kind is not Kind.OPEN or self._warming:
            return
        self._warming = True
        import threading

        from cs_drill.study.assess import openanswer

        threading.Thread(target=openanswer.warm, name="csdrill-warm", daemon=True).start()

    def _duration_ms(self) -> int | None:
        if not self.timed or self._shown_at is None:
            return None
        return int((self.clock.monotonic() - self._shown_at) * 1000)

    def submit(self, card: Card, text: str) -> Invalid | Reveal | Outcome | Undone | Starred:
        """Take what was typed: a hint to try again, an open answer to reveal, or a recorded outcome;
        or one of the commands of every answer prompt: ``?`` (I don't know: the key is shown and
        the card rated Again), ``/undo`` (the previous answer is taken back and asked again),
        ``/star`` and ``/unstar`` (the question is marked, or no longer, and asked again).
        """
        from cs_drill.study.assess import (
            grading,  # once an answer is typed: not before the first card
        )

        question = card.question
        command = grading.command(text)
        if command == "undo":
            return self._undo(card)
        if command in ("star", "unstar"):
            self.recorder.store.star(question.uid, self.clock.now(), command == "star")
            return Starred(command == "star")
        if command == "unknown":
            grade = grading.Grade(correct=None if question.kind is Kind.OPEN else False)
            outcome = self._record(card, grade, Rating.AGAIN, "?", self._duration_ms())
            self.outcomes[-1] = outcome = outcome._replace(unknown=True)
            return outcome
        try:
            parsed = grading.parse_answer(question, text)
        except grading.InvalidAnswer as exc:
            return Invalid(exc.hint)
        grade = grading.grade(question, parsed)
        duration_ms = self._duration_ms()
        if question.kind is Kind.OPEN:
            from cs_drill.study.assess import openanswer

            feedback = openanswer.feedback(question, text)
            advice = feedback.suggestion
            self._pending = duration_ms
            best = self.recorder.store.best_answer(question.uid)
            return Reveal(card, text, grade, feedback.coverage, advice.rating, advice.message, best, advice)
        typical = self.recorder.typical_ms(question, self.refs)
        rating = self.recorder.rating_for(grade, duration_ms, typical)
        return self._record(card, grade, rating, text, duration_ms)

    def tick_rating(self, reveal: Reveal, ticked: int) -> Rating:
        """The rating that ``ticked`` items of the reveal's checklist stand for (the README's rule)."""
        from cs_drill.study.assess import openanswer

        rating = openanswer.rating_from_ticks(ticked, len(reveal.coverage))
        if rating is None:
            return reveal.suggestion
        if reveal.advice is not None and reveal.advice.reason in openanswer.GUARDS:
            # what the checklist cannot see (a broken rule, blaming the customer) keeps the default down
            return min(rating, reveal.advice.rating)
        return rating

    def rate(self, reveal: Reveal, rating: Rating | None) -> Outcome:
        """Record the self-rating of an open answer (None: the suggestion)."""
        chosen = reveal.suggestion if rating is None else rating
        return self._record(reveal.card, reveal.grade, chosen, reveal.answer, self._pending)

    _pending: int | None = None

    def _undo(self, card: Card) -> Undone | Invalid:
        """Take the session's previous answer back; ask its question again, then this one."""
        from cs_drill.i18n import _

        if not self.outcomes:
            return Invalid(_("Nothing to take back yet: no answer in this session."))
        outcome = self.outcomes.pop()
        self.recorder.undo(outcome)
        uid = outcome.question.uid
        self._later = [entry for entry in self._later if entry[1].uid != uid]
        position = self._positions.get(uid, card.position)
        self._front[:0] = [(outcome.question, position), (card.question, card.position)]
        if self.place is not None:
            self.recorder.store.set_place(self.place, self._place_before(uid), self.clock.now())
        return Undone(outcome)

    def _place_before(self, uid: str) -> str | None:
        """The uid answered before ``uid`` in this run (None: none), for the resume point."""
        answered = [o.question.uid for o in self.outcomes]
        return answered[-1] if answered else None

    def _record(self, card: Card, grade: Grade, rating: Rating, text: str, duration_ms: int | None) -> Outcome:
        for entry in self._later:
            entry[0] -= 1
        place = None
        if self.place is not None:  # saved with the answer: one transaction, one outcome
            last = card.position == len(self.items) and not self._front and not card.again
            place = (self.place, None if last else card.question.uid)
        outcome = self.recorder.record(
            card.question,
            card.section,
            grade,
            rating,
            answer=text,
            duration_ms=duration_ms,
            now=self.clock.now(),
            place=place,
        )
        self.outcomes.append(outcome)
        self._positions[card.question.uid] = card.position
        if self.again_after is not None and rating is Rating.AGAIN:
            self._later.append([self.again_after, card.question, card.position])
        return outcome

    def next_due_in(self, outcome: Outcome) -> timedelta | None:
        """How long until the card of ``outcome`` is due again."""
        due = outcome.after.due
        return None if due is None else due - self.clock.now()
