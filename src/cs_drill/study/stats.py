"""Progress figures for ``csdrill stats``, computed from the bank and the review history.

Pure functions of their inputs: no terminal, no database, no clock (``now`` is
passed in). Days are *study days*: a study day starts at ``day_start_hour``
local time (04:00 by default, as in Anki), so a review at 01:30 belongs to the
day before, and each study day is labelled with the local date it starts on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple

from cs_drill.bank.catalog import Catalog
from cs_drill.bank.model import Exam, Question, QuestionRef
from cs_drill.study.card import NEW, CardState, Rating, counts_as_right
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.select import is_due
from cs_drill.study.store import Attempt, ReviewRow

__all__ = [
    "ACCURACY_DAYS",
    "CHART_DAYS",
    "DUE_SOON_DAYS",
    "WEAKEST_LIMIT",
    "MissRecord",
    "SectionStats",
    "Stats",
    "WeakCard",
    "compute_stats",
    "is_miss",
    "miss_records",
    "recall_now",
    "shown_recall",
    "study_date",
]

CHART_DAYS = 14
"""Days in the review history chart and in the due forecast."""
ACCURACY_DAYS = 30
"""The window of the accuracy figure."""
DUE_SOON_DAYS = 7
"""``due_7d`` counts cards due within this many study days (today included)."""
WEAKEST_LIMIT = 10
"""How many of the weakest questions are listed."""


@dataclass(frozen=True, slots=True)
class SectionStats:
    """The cards of one section of one exam (only the selected questions are counted).

    ``learning`` counts learning and relearning cards. ``due_7d`` counts the cards
    due before the end of the 7th study day from today, those due now included.
    The ``*_30d`` figures count reviews in the 30 days up to now; an open answer
    self-rated Good or Easy counts as right, as in the quiz summary.
    """

    exam_id: str
    section_id: str
    title: str
    total: int
    new: int
    learning: int
    review: int
    due_now: int
    due_7d: int
    reviews_30d: int
    correct_30d: int
    exam_title: str = ""

    @property
    def graded_30d(self) -> int:
        """The reviews that accuracy is over: every review (open answers are self-rated)."""
        return self.reviews_30d

    @property
    def accuracy(self) -> float | None:
        """Right / graded over the last 30 days, 0.0–1.0; None when nothing was graded."""
        if not self.graded_30d:
            return None
        return self.correct_30d / self.graded_30d


@dataclass(frozen=True, slots=True)
class WeakCard:
    """A question that is hard to remember: lapses, predicted recall now, last rating, latest Again."""

    uid: str
    prompt: str
    lapses: int
    retrievability: float | None
    last_rating: Rating | None
    last_again: datetime | None = None


@dataclass(frozen=True, slots=True)
class Stats:
    """Everything ``csdrill stats`` shows. Dates are study days (see the module doc)."""

    sections: list[SectionStats]
    reviews_per_day: list[tuple[date, int]]
    forecast: list[tuple[date, int]]
    weakest: list[WeakCard]
    orphans: list[str]
    changed: list[str]
    total_reviews: int
    streak: int

    @property
    def has_history(self) -> bool:
        """True when anything in scope was ever reviewed (or kept from a removed question)."""
        return self.total_reviews > 0 or bool(self.orphans)


_DAY_SECONDS = 86_400.0
#: Whole days that :func:`recall_now` has FSRS measure: the elapsed time is scaled onto them.
_SCALE_DAYS = 1_000


def recall_now(scheduler: Scheduler, state: CardState, now: datetime) -> float | None:
    """The predicted recall of a card at ``now``, by the time elapsed since its last review in fractional days.

    FSRS (``Scheduler.retrievability``) counts whole days, so a card missed an hour ago
    reads 100 %. Its forgetting curve depends on elapsed time over stability only, so the
    same curve is asked at a whole number of days with the stability scaled alike: the
    recall of ``t`` days at stability ``S`` is that of ``K`` days at ``S·K/t``. None for a
    new card.
    """
    if state.is_new or state.stability is None or state.last_review is None:
        return None
    elapsed = (now - state.last_review).total_seconds() / _DAY_SECONDS
    if elapsed <= 0 or state.stability <= 0:
        return scheduler.retrievability(state, now)
    scaled = state._replace(stability=state.stability * _SCALE_DAYS / elapsed)
    return scheduler.retrievability(scaled, state.last_review + timedelta(days=_SCALE_DAYS))


def shown_recall(value: float) -> int:
    """A recall as a whole percentage, rounded down: short of certain never reads 100 %."""
    return min(100, max(0, int(value * 100 + 1e-9)))


def is_miss(review: ReviewRow) -> bool:
    """An answer graded wrong, or self-rated Again (the rule of ``select.last_answered_wrong``)."""
    return review.correct is False or (review.correct is None and review.rating == Rating.AGAIN)


@dataclass(frozen=True, slots=True)
class MissRecord:
    """How often a question was missed (graded wrong or self-rated Again), when last, and what was typed then."""

    count: int
    last_at: datetime
    answer: str


def miss_records(reviews: Iterable[ReviewRow], uids: Iterable[str] | None = None) -> dict[str, MissRecord]:
    """The misses of each question in ``reviews`` (oldest first) that was ever missed (of ``uids`` only, if given)."""
    wanted = None if uids is None else set(uids)
    found: dict[str, MissRecord] = {}
    for r in reviews:
        if (wanted is not None and r.uid not in wanted) or not is_miss(r):
            continue
        before = found.get(r.uid)
        found[r.uid] = MissRecord((before.count if before else 0) + 1, r.reviewed_at, r.answer)
    return found


def study_date(when: datetime, day_start_hour: int = 4, tz: tzinfo | None = None) -> date:
    """The study day that ``when`` (aware) falls in: its local date, shifted back before ``day_start_hour``.

    ``tz`` None means the system's local time zone.
    """
    local = when.astimezone(tz) if tz is not None else when.astimezone()
    return (local - timedelta(hours=day_start_hour)).date()


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _in_scope_orphans(history: Iterable[str], in_bank: set[str], exams: set[str] | None) -> list[str]:
    """Uids with history that the bank no longer has (of the ``exams`` only, when given)."""
    orphans = {uid for uid in history if uid not in in_bank}
    if exams is not None:
        orphans = {uid for uid in orphans if uid.split("/", 1)[0] in exams}
    return sorted(orphans)


def _streak(days: set[date], today: date) -> int:
    """Consecutive study days with reviews, ending today.

    A day not yet studied does not break the streak before it is over: with no
    review today, the streak is the run that ends yesterday.
    """
    day = today if today in days else today - timedelta(days=1)
    n = 0
    while day in days:
        n += 1
        day -= timedelta(days=1)
    return n


def compute_stats(
    exams: Sequence[Exam],
    selected: Sequence[QuestionRef],
    texts: Mapping[str, Question],
    in_bank: set[str],
    states: Mapping[str, CardState],
    reviews: Sequence[ReviewRow],
    hashes: Mapping[str, str],
    scheduler: Scheduler,
    now: datetime,
    *,
    day_start_hour: int = 4,
    tz: tzinfo | None = None,
    partial: bool = False,
) -> Stats:
    """The progress of the ``selected`` questions of the bank of ``exams`` at ``now`` (aware).

    ``texts`` holds the selected questions that have a history (for their prompts and
    content hashes); ``in_bank`` the uids with history that the bank has. ``partial``:
    the selection is part of the bank (``--exam``/``--section``), so only removed
    questions of the selected exams count as orphans.

    ``states``, ``reviews`` and ``hashes`` are the whole history as the store
    returns them (``card_states()``, ``reviews()``, ``content_hashes()``).
    Reviews of the selected questions, and of removed questions of the selected
    exams, make up the review chart, the total and the streak; with no filter
    that is the whole log. ``tz`` None means the system's local time zone.
    """
    if now.tzinfo is None or now.tzinfo.utcoffset(now) is None:
        raise ValueError(f"now must be timezone-aware, got naive {now.isoformat()}")

    def day_of(when: datetime) -> date:
        return study_date(when, day_start_hour, tz)

    today = day_of(now)
    questions = selected
    chosen_exams = {q.exam_id for q in selected} if partial else None
    orphans = _in_scope_orphans(set(states) | {r.uid for r in reviews}, in_bank, chosen_exams)
    by_section: dict[tuple[str, str], list[QuestionRef]] = {}
    for ref in selected:
        by_section.setdefault((ref.exam_id, ref.section_id), []).append(ref)
    selected_uids = {q.uid for q in selected}
    scope = selected_uids | set(orphans)
    scoped = [r for r in reviews if r.uid in scope]

    # -- per section -----------------------------------------------------------
    window_start = now - timedelta(days=ACCURACY_DAYS)
    recent: Counter[str] = Counter()
    right: Counter[str] = Counter()
    last_rating: dict[str, Rating] = {}
    last_again: dict[str, datetime] = {}
    for r in reviews:
        if r.uid not in selected_uids:
            continue
        last_rating[r.uid] = r.rating  # reviews come oldest first
        if r.rating == Rating.AGAIN:
            last_again[r.uid] = r.reviewed_at
        if window_start < r.reviewed_at:  # later than `now` only with a fixed CSDRILL_NOW
            recent[r.uid] += 1
            right[r.uid] += counts_as_right(r.correct, r.rating)  # as in the quiz summary

    soon = today + timedelta(days=DUE_SOON_DAYS - 1)
    sections: list[SectionStats] = []
    for exam in exams:
        for section in exam.sections:
            chosen = by_section.get((exam.id, section.id), [])
            if not chosen:
                continue
            cards = [states.get(q.uid, NEW) for q in chosen]
            sections.append(
                SectionStats(
                    exam_id=exam.id,
                    section_id=section.id,
                    title=section.title,
                    total=len(chosen),
                    new=sum(1 for s in cards if s.is_new),
                    learning=sum(1 for s in cards if s.state in ("learning", "relearning")),
                    review=sum(1 for s in cards if s.state == "review"),
                    due_now=sum(1 for s in cards if is_due(s, now)),
                    due_7d=sum(1 for s in cards if not s.is_new and s.due is not None and day_of(s.due) <= soon),
                    reviews_30d=sum(recent[q.uid] for q in chosen),
                    correct_30d=sum(right[q.uid] for q in chosen),
                    exam_title=exam.title,
                )
            )

    # -- charts ------------------------------------------------------------------
    first_day = today - timedelta(days=CHART_DAYS - 1)
    per_day: Counter[date] = Counter(day_of(r.reviewed_at) for r in scoped)
    reviews_per_day = [
        (first_day + timedelta(days=i), per_day[first_day + timedelta(days=i)]) for i in range(CHART_DAYS)
    ]
    due_per_day: Counter[date] = Counter()
    for q in questions:
        state = states.get(q.uid, NEW)
        if state.is_new or state.due is None:
            continue
        due_per_day[max(day_of(state.due), today)] += 1  # overdue counts today
    forecast = [(today + timedelta(days=i), due_per_day[today + timedelta(days=i)]) for i in range(CHART_DAYS)]
    studied = {day for day, n in per_day.items() if n and day <= today}

    # -- weakest: lowest recall now (as shown), then most lapses, then the latest Again ------------
    weak: list[tuple[tuple[int, int, float, float, str], WeakCard]] = []
    for q in questions:
        state = states.get(q.uid, NEW)
        if state.is_new:
            continue
        recall = recall_now(scheduler, state, now)
        text = texts.get(q.uid)
        again = last_again.get(q.uid)
        card = WeakCard(
            uid=q.uid,
            prompt=_first_line(text.prompt) if text is not None else "",
            lapses=state.lapses,
            retrievability=recall,
            last_rating=last_rating.get(q.uid),
            last_again=again,
        )
        shown = 101 if recall is None else shown_recall(recall)
        latest = -again.timestamp() if again is not None else float("inf")
        weak.append(((shown, -state.lapses, latest, 2.0 if recall is None else recall, q.uid), card))
    weak.sort(key=lambda item: item[0])

    # -- edited questions ----------------------------------------------------------
    changed = [
        q.uid
        for q in questions
        if (text := texts.get(q.uid)) is not None
        and text.content_hash
        and q.uid in hashes
        and hashes[q.uid] != text.content_hash
    ]

    return Stats(
        sections=sections,
        reviews_per_day=reviews_per_day,
        forecast=forecast,
        weakest=[card for _, card in weak[:WEAKEST_LIMIT]],
        orphans=orphans,
        changed=changed,
        total_reviews=len(scoped),
        streak=_streak(studied, today),
    )


def catalog_stats(
    catalog: Catalog,
    exam: str | None,
    section: str | None,
    states: Mapping[str, CardState],
    reviews: Sequence[ReviewRow],
    hashes: Mapping[str, str],
    scheduler: Scheduler,
    now: datetime,
    *,
    day_start_hour: int = 4,
    tz: tzinfo | None = None,
) -> Stats:
    """:func:`compute_stats` of the selection ``exam`` / ``section`` of ``catalog``.

    Only the refs of the selection are read, and the text only of its questions with a history.
    """
    history = set(states) | {r.uid for r in reviews}
    selected = catalog.refs(exam, section)
    chosen = {r.uid for r in selected}
    return compute_stats(
        catalog.exams(),
        selected,
        {q.uid: q for q in catalog.questions(sorted(history & chosen))},
        {r.uid for r in catalog.refs_of(history)},
        states,
        reviews,
        hashes,
        scheduler,
        now,
        day_start_hour=day_start_hour,
        tz=tz,
        partial=exam is not None or section is not None,
    )


# --------------------------------------------------------------------------- mock exams


class AttemptSummary(NamedTuple):
    """The mock-exam sittings of one exam (``csdrill exam``): how many, the last, the best, the trend."""

    exam_id: str
    sittings: int
    last: Attempt
    best: Attempt
    trend: float | None
    """The last sitting's share of the points minus the mean of the (up to three) sittings before it;
    None after a single sitting."""


def attempt_summaries(attempts: Sequence[Attempt]) -> list[AttemptSummary]:
    """One summary per exam, in the order the exams were first sat; ``attempts`` oldest first."""
    by_exam: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_exam.setdefault(attempt.exam_id, []).append(attempt)

    def share(a: Attempt) -> float:
        return a.points / a.possible if a.possible else 0.0

    out = []
    for exam_id, sittings in by_exam.items():
        last = sittings[-1]
        best = max(sittings, key=lambda a: (share(a), a.started_at))
        before = sittings[-4:-1]
        trend = share(last) - sum(map(share, before)) / len(before) if before else None
        out.append(AttemptSummary(exam_id, len(sittings), last, best, trend))
    return out
