"""What to ask next, and recording each answer the moment it is given."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar

from cs_drill.errors import UsageError
from cs_drill.bank.model import (
    Bank,
    Exam,
    ExamInfo,
    Kind,
    Question,
    Rating,
    Section,
    SectionInfo,
    counts_as_right,
)
from cs_drill.study.scheduler import NEW, CardState, Scheduler

if TYPE_CHECKING:
    from cs_drill.study.assess.grading import Grade
    from cs_drill.study.store import ReviewRow, Store

WEAK_RETRIEVABILITY = 0.8
"""Below this predicted recall a card counts as weak."""


class HasUid(Protocol):
    """A question, or a lighter reference to one (``cache.QuestionRef``): ordering needs only the uid."""

    @property
    def uid(self) -> str: ...


Q = TypeVar("Q", bound=HasUid)


class HasKind(HasUid, Protocol):
    @property
    def kind(self) -> Kind: ...


# --------------------------------------------------------------------------- selection


def check_filter(exams: Sequence[Exam | ExamInfo], exam: str | None, section: str | None) -> None:
    """Raise a usage error, listing the valid ids, for an unknown ``exam`` or ``section`` id."""
    chosen = list(exams)
    if exam is not None:
        chosen = [e for e in exams if e.id == exam][:1]
        if not chosen:
            valid = ", ".join(e.id for e in exams)
            raise UsageError(f"unknown exam '{exam}'; valid exam ids: {valid}")
    if section is not None:
        ids = sorted({s.id for e in chosen for s in e.sections})
        if section not in ids:
            where = f" in exam '{exam}'" if exam else ""
            raise UsageError(f"unknown section '{section}'{where}; valid section ids: {', '.join(ids)}")


def select(bank: Bank, exam: str | None = None, section: str | None = None) -> list[Question]:
    """The questions of ``exam`` / ``section`` in source order; unknown ids are usage errors."""
    check_filter(bank.exams, exam, section)
    exams = [e for e in bank.exams if exam is None or e.id == exam][:1 if exam is not None else None]
    return [
        q
        for e in exams
        for s in e.sections
        if section is None or s.id == section
        for q in s.questions
    ]


def study_day_start(now: datetime, hour: int, tz: tzinfo | None = None) -> datetime:
    """The start (in UTC) of the study day that contains ``now``; days start at ``hour`` local time."""
    local = now.astimezone(tz) if tz is not None else now.astimezone()
    start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(timezone.utc)


def _due_key(scheduler: Scheduler, state: CardState, now: datetime) -> tuple[float, datetime]:
    r = scheduler.retrievability(state, now)
    assert state.due is not None
    return (r if r is not None else 0.0, state.due)


def is_due(state: CardState, now: datetime) -> bool:
    return not state.is_new and state.due is not None and state.due <= now


def is_weak(scheduler: Scheduler, state: CardState, now: datetime) -> bool:
    if state.is_new:
        return False
    r = scheduler.retrievability(state, now)
    return state.lapses > 0 or state.state == "relearning" or (r is not None and r < WEAK_RETRIEVABILITY)


def _split(
    questions: Sequence[Q],
    states: Mapping[str, CardState],
    scheduler: Scheduler,
    now: datetime,
) -> tuple[list[Q], list[Q], list[tuple[CardState, Q]]]:
    """Due cards (lowest predicted recall, then earliest due, first), new cards in
    source order, and the other cards with their states."""
    due: list[tuple[tuple[float, datetime], Q]] = []
    new: list[Q] = []
    rest: list[tuple[CardState, Q]] = []
    for q in questions:
        state = states.get(q.uid, NEW)
        if state.is_new:
            new.append(q)
        elif is_due(state, now):
            due.append((_due_key(scheduler, state, now), q))
        else:
            rest.append((state, q))
    due.sort(key=lambda item: item[0])
    return [q for _, q in due], new, rest


def scheduled_order(
    questions: Sequence[Q],
    states: Mapping[str, CardState],
    scheduler: Scheduler,
    now: datetime,
) -> list[Q]:
    """Due cards (lowest predicted recall first), then weak ones, then new ones, then the rest."""
    due, new, others = _split(questions, states, scheduler, now)
    weak: list[tuple[tuple[float, datetime], Q]] = []
    rest: list[tuple[datetime, Q]] = []
    for state, q in others:
        if is_weak(scheduler, state, now):
            weak.append((_due_key(scheduler, state, now), q))
        else:
            assert state.due is not None
            rest.append((state.due, q))
    weak.sort(key=lambda item: item[0])
    rest.sort(key=lambda item: item[0])
    return due + [q for _, q in weak] + new + [q for _, q in rest]


def quiz_order(
    questions: Sequence[Q],
    order: str,
    *,
    states: Mapping[str, CardState] | None = None,
    scheduler: Scheduler | None = None,
    now: datetime | None = None,
    seed: int | None = None,
) -> list[Q]:
    """The questions of a quiz in ``order``: scheduled, source or random (``seed`` repeats it)."""
    if order == "source":
        return list(questions)
    if order == "random":
        shuffled = list(questions)
        random.Random(seed).shuffle(shuffled)
        return shuffled
    if order == "scheduled":
        assert states is not None
        assert scheduler is not None
        assert now is not None
        return scheduled_order(questions, states, scheduler, now)
    raise UsageError(f"unknown order '{order}'; use scheduled, source or random")


class ReviewQueue(NamedTuple):
    """The cards of a review session and what is left for later."""

    cards: list[Question]
    due: int
    new: int
    new_waiting: int
    next_due: datetime | None


def review_queue(
    questions: Sequence[Question],
    states: Mapping[str, CardState],
    scheduler: Scheduler,
    now: datetime,
    *,
    new_limit: int,
    limit: int | None = None,
    new_total: int | None = None,
    next_due: datetime | None = None,
) -> ReviewQueue:
    """Due cards first (most overdue / lowest recall first), then up to ``new_limit`` new cards.

    ``questions`` is the selection, or only its due cards and first new cards (as the
    bank cache gives them); then ``new_total`` (new cards in the whole selection) and
    ``next_due`` (the earliest due date after ``now``) describe the rest of it.
    """
    cards, new, others = _split(questions, states, scheduler, now)
    soonest = min((state.due for state, _ in others if state.due is not None), default=None)
    take_new = new[: max(0, new_limit)]
    cards += take_new
    if limit is not None:
        cards = cards[: max(0, limit)]
    n_due = sum(1 for q in cards if not states.get(q.uid, NEW).is_new)
    n_new = len(cards) - n_due
    total_new = len(new) if new_total is None else new_total
    if new_total is not None:
        soonest = next_due
    return ReviewQueue(cards, n_due, n_new, total_new - n_new, soonest)


def due_counts(bank: Bank, states: Mapping[str, CardState], now: datetime) -> dict[tuple[str, str], int]:
    """How many cards are due now in each (exam id, section id)."""
    counts: dict[tuple[str, str], int] = {}
    for exam in bank.exams:
        for section in exam.sections:
            counts[(exam.id, section.id)] = sum(
                1 for q in section.questions if is_due(states.get(q.uid, NEW), now)
            )
    return counts


# --------------------------------------------------------------------------- recording


class Clock:
    """"Now": a fixed start (``CSDRILL_NOW`` or the clock, read once) plus the time elapsed since."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._t0)


class Outcome(NamedTuple):
    """One answered card, as the summary needs it."""

    question: Question
    section: Section | SectionInfo
    grade: Grade
    rating: Rating
    answer: str
    duration_ms: int | None
    before: CardState
    after: CardState

    @property
    def right(self) -> bool:
        """Choice and true-false: graded right; open: self-rated Good or Easy."""
        return counts_as_right(self.grade.correct, self.rating)


class Recorder:
    """Grades become ratings and card states; each is committed to the store at once."""

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
        return self.states.get(question.uid, NEW)

    def typical_ms(self, question: Question, questions: Iterable[HasKind]) -> int | None:
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
        section: Section | SectionInfo,
        grade: Grade,
        rating: Rating,
        *,
        answer: str,
        duration_ms: int | None,
        now: datetime,
    ) -> Outcome:
        """Schedule the card and commit the answer before returning."""
        before = self.state(question)
        after = self.scheduler.review(question.uid, before, rating, now, duration_ms)
        self.store.record(
            question.uid,
            after=after,
            now=now,
            rating=rating,
            correct=grade.correct,
            answer=answer,
            duration_ms=duration_ms,
            mode=self.mode,
            content_hash=question.content_hash,
        )
        self.states[question.uid] = after
        return Outcome(question, section, grade, rating, answer, duration_ms, before, after)


# --------------------------------------------------------------------------- personal sheets


def last_answered_wrong(reviews: Iterable[ReviewRow]) -> set[str]:
    """The uids whose last review (``reviews`` oldest first) was graded wrong or self-rated Again."""
    last: dict[str, bool] = {}
    for r in reviews:
        last[r.uid] = r.correct is False or (r.correct is None and r.rating == Rating.AGAIN)
    return {uid for uid, wrong in last.items() if wrong}


def personal_selection(
    only: str,
    questions: Sequence[Q],
    states: Mapping[str, CardState],
    last_wrong: set[str],
    scheduler: Scheduler,
    now: datetime,
) -> list[Q]:
    """The questions of a personal study sheet, from the review history.

    ``wrong``: last answered wrong (or self-rated Again) or ever lapsed — a 错题本;
    ``due``: due now; ``weak``: predicted recall below 80 %.
    """
    chosen: list[Q] = []
    for q in questions:
        state = states.get(q.uid, NEW)
        if state.is_new:
            continue
        if only == "wrong":
            keep = q.uid in last_wrong or state.lapses > 0
        elif only == "due":
            keep = is_due(state, now)
        elif only == "weak":
            r = scheduler.retrievability(state, now)
            keep = r is not None and r < WEAK_RETRIEVABILITY
        else:
            raise UsageError(f"unknown --only '{only}'; use wrong, due or weak")
        if keep:
            chosen.append(q)
    return chosen
