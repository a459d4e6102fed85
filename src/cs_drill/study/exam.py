"""The mock exam (模拟考试): source order, skipping, the time limit, scoring in the source's points.

Pure policy and a small engine, :class:`Sitting`, that a view drives: it asks
:meth:`Sitting.next_question` what to show, hands the typed line to
:meth:`Sitting.answer` and, once the questions are done, the self-ratings of the
open ones to :meth:`Sitting.rate`. There is no feedback until the end. Every
choice, true-false and fill-in answer is recorded (mode ``exam``) when it is given, an open
answer when it is rated; a question left unanswered is not recorded and scores 0.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from cs_drill.bank.model import Kind, Question, Section
from cs_drill.study.card import Rating

if TYPE_CHECKING:
    from cs_drill.study.assess.grading import Grade
    from cs_drill.study.drill import Clock, Recorder
    from cs_drill.study.store import Attempt

__all__ = [
    "DEFAULT_PASS",
    "Answered",
    "Refused",
    "Result",
    "SectionScore",
    "Sitting",
    "Skipped",
    "TimeUp",
    "points",
    "rating_share",
    "score",
]

DEFAULT_PASS = 60.0
"""The pass mark (percent of the points) when neither ``--pass`` nor the exam gives one."""

SKIP = frozenset({"", "/next"})


def points(question: Question, section: Section | None = None) -> float:
    """What a question is worth: its own points, else its section's, else 1."""
    if question.points is not None:
        return float(question.points)
    if section is not None and section.points is not None:
        return float(section.points)
    return 1.0


def rating_share(rating: Rating) -> float:
    """The share of an open question's points a self-rating earns: Again 0, Hard half, Good and Easy all."""
    if rating is Rating.AGAIN:
        return 0.0
    if rating is Rating.HARD:
        return 0.5
    return 1.0


def score(
    question: Question,
    grade: Grade | None,
    partial: bool = False,
    *,
    section: Section | None = None,
    rating: Rating | None = None,
) -> float:
    """The points an answer earns (``grade`` None: not answered, 0).

    Single-choice and true-false: all or nothing. Multi-choice: all or nothing, except
    with ``partial`` a strict subset of the key (少选: nothing wrong, something missing)
    earns half. Fill-in: all blanks right, all the points; with ``partial`` the share of
    the blanks that are right. Open: by the self-``rating`` (none yet: 0).
    """
    if grade is None:
        return 0.0
    full = points(question, section)
    if question.kind is Kind.OPEN:
        return 0.0 if rating is None else full * rating_share(rating)
    if grade.correct:
        return full
    if partial and question.kind is Kind.MULTI and grade.missing and not grade.extra and grade.given:
        return full / 2
    if partial and question.kind is Kind.FILL_IN and grade.blanks:
        return round(full * sum(grade.blanks) / len(grade.blanks), 2)
    return 0.0


def is_skip(text: str) -> bool:
    """An empty line or ``/next``: the question is skipped and comes back at the end."""
    return unicodedata.normalize("NFKC", text).strip().casefold() in SKIP


# --------------------------------------------------------------------------- the engine


class Item(NamedTuple):
    """One question of the sitting, where it stands (1-based) and its section."""

    question: Question
    section: Section
    position: int


class Answer(NamedTuple):
    """An answer given; for an open question ``rating`` is set when it is rated at the end."""

    item: Item
    text: str
    grade: Grade
    rating: Rating | None = None
    suggestion: Rating | None = None
    recorded: bool = False


class Refused(NamedTuple):
    """Typed input that is no answer: asked again with ``hint``."""

    hint: str


class Skipped(NamedTuple):
    """Skipped: the question comes back after the others."""


class Answered(NamedTuple):
    """Taken (and, for a choice or true-false question, recorded)."""

    answer: Answer


class TimeUp(NamedTuple):
    """The time ran out before the answer came: it is not taken, the exam is over."""


class SectionScore(NamedTuple):
    section: Section
    points: float
    possible: float
    answered: int
    total: int


class Result(NamedTuple):
    sections: list[SectionScore]
    points: float
    possible: float
    pass_mark: float
    seconds: float

    @property
    def percent(self) -> float:
        return 100 * self.points / self.possible if self.possible else 0.0

    @property
    def passed(self) -> bool:
        return self.possible > 0 and self.percent >= self.pass_mark - 1e-9


class Sitting:
    """One sitting of a mock exam over ``questions`` (in source order).

    ``limit``: seconds allowed (None: untimed), measured on ``clock``'s monotonic timer.
    ``sections``: the section of each question, by ``(exam id, section id)``.
    """

    def __init__(
        self,
        questions: Sequence[Question],
        sections: dict[tuple[str, str], Section],
        recorder: Recorder,
        clock: Clock,
        *,
        limit: float | None = None,
        partial: bool = False,
        pass_mark: float = DEFAULT_PASS,
        timed: bool = False,
    ) -> None:
        self.items = [Item(q, sections[(q.exam_id, q.section_id)], i) for i, q in enumerate(questions, 1)]
        self.recorder = recorder
        self.clock = clock
        self.limit = limit
        self.partial = partial
        self.pass_mark = pass_mark
        self.timed = timed
        self.started_at: datetime = clock.now()
        self._t0 = clock.monotonic()
        self.answers: dict[int, Answer] = {}
        self._round = list(self.items)
        self._skipped: list[Item] = []
        self._round_answered = True  # the first round counts as progress: skipped ones come back at least once
        self._shown_at: float | None = None
        self._ended_at: float | None = None

    @property
    def total(self) -> int:
        return len(self.items)

    # ----------------------------------------------------------------- time

    def elapsed(self) -> float:
        end = self._ended_at if self._ended_at is not None else self.clock.monotonic()
        return end - self._t0

    def left(self) -> float | None:
        """Seconds left (None: untimed)."""
        if self.limit is None:
            return None
        return max(0.0, self.limit - self.elapsed())

    def deadline(self) -> float | None:
        """The end of the time on the clock's monotonic timer (None: untimed)."""
        return None if self.limit is None else self._t0 + self.limit

    def over(self) -> bool:
        left = self.left()
        return left is not None and left <= 0

    def end(self) -> None:
        """The questions are done (or the time is up): the time used stops here."""
        if self._ended_at is None:
            now = self.clock.monotonic()
            self._ended_at = now if self.limit is None else min(now, self._t0 + self.limit)

    # ----------------------------------------------------------------- order

    def next_question(self) -> Item | None:
        """The next question: source order, then the skipped ones; None when done or out of time.

        The skipped ones come back in rounds; a round in which every question is skipped
        again (after the first return) ends the questions.
        """
        if self.over() or self._ended_at is not None:
            return None
        while not self._round:
            if not self._skipped or not self._round_answered:
                return None
            self._round, self._skipped = self._skipped, []
            self._round_answered = False
        item = self._round.pop(0)
        self._shown_at = self.clock.monotonic()
        self._current = item
        return item

    _current: Item | None = None

    def answer(self, item: Item, text: str) -> Refused | Skipped | Answered | TimeUp:
        """Take the line typed for ``item``."""
        from cs_drill.i18n import _
        from cs_drill.study.assess import grading

        if self.over():
            self._round.insert(0, item)
            return TimeUp()
        question = item.question
        if is_skip(text):
            self._skipped.append(item)
            return Skipped()
        command = grading.command(text)
        if command in ("undo", "star", "unstar"):
            self._round.insert(0, item)
            return Refused(_("In a mock exam: an empty line or /next skips, ? for I don't know."))
        if command == "unknown":
            grade = grading.Grade(correct=None if question.kind is Kind.OPEN else False, given="?")
            return self._take(self._record(Answer(item, "?", grade, rating=Rating.AGAIN)))
        try:
            parsed = grading.parse_answer(question, text)
        except grading.InvalidAnswer as exc:
            return Refused(exc.hint)
        grade = grading.grade(question, parsed)
        if question.kind is Kind.OPEN:
            from cs_drill.study.assess import openanswer

            suggestion = openanswer.feedback(question, text).suggestion.rating
            return self._take(Answer(item, text, grade, suggestion=suggestion))
        typical = self.recorder.typical_ms(question, [i.question for i in self.items])
        rating = self.recorder.rating_for(grade, self._duration_ms(), typical)
        return self._take(self._record(Answer(item, text, grade, rating=rating)))

    def _take(self, answer: Answer) -> Answered:
        self.answers[answer.item.position] = answer
        self._round_answered = True
        return Answered(answer)

    def _duration_ms(self) -> int | None:
        if not self.timed or self._shown_at is None:
            return None
        return int((self.clock.monotonic() - self._shown_at) * 1000)

    def _record(self, answer: Answer) -> Answer:
        assert answer.rating is not None
        self.recorder.record(
            answer.item.question,
            answer.item.section,
            answer.grade,
            answer.rating,
            answer=answer.text,
            duration_ms=self._duration_ms() if answer.item.question.kind is not Kind.OPEN else None,
            now=self.clock.now(),
        )
        return answer._replace(recorded=True)

    # ----------------------------------------------------------------- open questions

    def to_rate(self) -> list[Answer]:
        """The open answers still to be rated, in source order."""
        return [a for _, a in sorted(self.answers.items()) if a.item.question.kind is Kind.OPEN and not a.recorded]

    def rate(self, answer: Answer, rating: Rating | None) -> Answer:
        """Rate an open answer (None: the suggestion) and record it."""
        chosen = rating if rating is not None else (answer.suggestion or Rating.AGAIN)
        done = self._record(answer._replace(rating=chosen))
        self.answers[answer.item.position] = done
        return done

    # ----------------------------------------------------------------- result

    def earned(self, item: Item) -> float:
        answer = self.answers.get(item.position)
        if answer is None:
            return 0.0
        return score(item.question, answer.grade, self.partial, section=item.section, rating=answer.rating)

    def result(self) -> Result:
        by_section: dict[tuple[str, str], list[Item]] = {}
        for item in self.items:
            by_section.setdefault((item.question.exam_id, item.section.id), []).append(item)
        rows = [
            SectionScore(
                group[0].section,
                sum(self.earned(i) for i in group),
                sum(points(i.question, i.section) for i in group),
                sum(1 for i in group if i.position in self.answers),
                len(group),
            )
            for group in by_section.values()
        ]
        return Result(
            rows,
            sum(r.points for r in rows),
            sum(r.possible for r in rows),
            self.pass_mark,
            self.elapsed(),
        )

    def missed(self) -> list[tuple[Item, Answer | None]]:
        """The questions that did not earn their full points, with the answer given (None: none)."""
        return [
            (item, self.answers.get(item.position))
            for item in self.items
            if self.earned(item) < points(item.question, item.section)
        ]

    def attempt(self, exam_id: str, section_id: str | None) -> Attempt:
        from cs_drill.study.store import Attempt

        result = self.result()
        return Attempt(
            exam_id,
            section_id,
            self.started_at,
            round(result.seconds, 3),
            result.points,
            result.possible,
            result.pass_mark,
            result.passed,
        )
