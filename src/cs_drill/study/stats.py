"""Progress figures for ``csdrill stats``, computed from the bank and the review history.

Pure functions of their inputs: no terminal, no database, no clock (``now`` is
passed in). Days are *study days*: a study day starts at ``day_start_hour``
local time (04:00 by default, as in Anki), so a review at 01:30 belongs to the
day before, and each study day is labelled with the local date it starts on.
"""

from __future__ import annotations

import heapq
import math
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from itertools import repeat
from operator import attrgetter
from typing import NamedTuple, Protocol

from cs_drill.bank.catalog import Catalog
from cs_drill.bank.model import Exam, Question, QuestionRef
from cs_drill.study.card import CardState, Rating, counts_as_right
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.select import recall_now
from cs_drill.study.store import Attempt, ReviewRow, Store

__all__ = [
    "ACCURACY_DAYS",
    "History",
    "ListHistory",
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
    "store_miss_records",
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

_UID = attrgetter("uid")


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


class History(Protocol):
    """What the figures need from the review history, each part bounded by its answer
    (not by the length of the log): ``study.store.Store`` answers from SQL and the summary
    it keeps; :class:`ListHistory` from a list of reviews (the plain computation)."""

    def review_counts(self) -> Mapping[str, int]: ...
    def iter_reviews(self, since: datetime) -> Iterable[ReviewRow]: ...
    def latest_reviews(self, uids: Iterable[str] | None = None) -> Mapping[str, ReviewRow]: ...
    def latest_agains(self, uids: Iterable[str]) -> Mapping[str, datetime]: ...
    def uids_reviewed_between(self, start: datetime, end: datetime) -> set[str]: ...
    def reviewed_in(self, spans: Sequence[tuple[datetime, datetime]]) -> list[bool]: ...


class ListHistory:
    """:class:`History` over the whole review log in memory (oldest first): the plain computation."""

    def __init__(self, reviews: Sequence[ReviewRow]) -> None:
        self._reviews = reviews

    def review_counts(self) -> Mapping[str, int]:
        return Counter(r.uid for r in self._reviews)

    def iter_reviews(self, since: datetime) -> Iterable[ReviewRow]:
        return [r for r in self._reviews if r.reviewed_at >= since]

    def latest_reviews(self, uids: Iterable[str] | None = None) -> Mapping[str, ReviewRow]:
        wanted = None if uids is None else set(uids)
        return {r.uid: r for r in self._reviews if wanted is None or r.uid in wanted}

    def latest_agains(self, uids: Iterable[str]) -> Mapping[str, datetime]:
        wanted = set(uids)
        return {r.uid: r.reviewed_at for r in self._reviews if r.uid in wanted and r.rating == Rating.AGAIN}

    def uids_reviewed_between(self, start: datetime, end: datetime) -> set[str]:
        return {r.uid for r in self._reviews if start <= r.reviewed_at < end}

    def reviewed_in(self, spans: Sequence[tuple[datetime, datetime]]) -> list[bool]:
        return [any(start <= r.reviewed_at < end for r in self._reviews) for start, end in spans]


def store_miss_records(store: Store, uids: Iterable[str]) -> dict[str, MissRecord]:
    """:func:`miss_records` of ``uids`` from the summary the store keeps (not from every review)."""
    return {
        uid: MissRecord(count, last.reviewed_at, last.answer)
        for uid, (count, last) in store.miss_summaries(uids).items()
    }


class _Counted:
    """A :class:`History` whose ``review_counts`` is read once (stats asks twice)."""

    def __init__(self, history: History) -> None:
        self._history = history
        self._counts: Mapping[str, int] | None = None

    def review_counts(self) -> Mapping[str, int]:
        if self._counts is None:
            self._counts = self._history.review_counts()
        return self._counts

    def iter_reviews(self, since: datetime) -> Iterable[ReviewRow]:
        return self._history.iter_reviews(since)

    def latest_reviews(self, uids: Iterable[str] | None = None) -> Mapping[str, ReviewRow]:
        return self._history.latest_reviews(uids)

    def latest_agains(self, uids: Iterable[str]) -> Mapping[str, datetime]:
        return self._history.latest_agains(uids)

    def uids_reviewed_between(self, start: datetime, end: datetime) -> set[str]:
        return self._history.uids_reviewed_between(start, end)

    def reviewed_in(self, spans: Sequence[tuple[datetime, datetime]]) -> list[bool]:
        return self._history.reviewed_in(spans)


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


def _in_scope_orphans(
    states: Mapping[str, object], counts: Mapping[str, int], in_bank: set[str], exams: set[str] | None
) -> list[str]:
    """Uids with history (a card state or reviews) that the bank no longer has (of the ``exams`` only, when given)."""
    orphans = (states.keys() - in_bank) | (counts.keys() - in_bank)  # a few: not a set of every uid with history
    if exams is not None:
        orphans = {uid for uid in orphans if uid.split("/", 1)[0] in exams}
    return sorted(orphans)


def _day_start(day: date, day_start_hour: int, tz: tzinfo | None) -> datetime:
    """When the study day ``day`` starts (aware): ``day_start_hour`` local time on that date."""
    naive = datetime.combine(day, time(day_start_hour))
    local = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    # in UTC, as the store's times are: datetimes of one tzinfo compare without asking it the offset,
    # twenty times faster over the cards of a long history
    return local.astimezone(timezone.utc)


def _streak(studied: Callable[[date], bool], today: date) -> int:
    """Consecutive study days with reviews, ending today.

    A day not yet studied does not break the streak before it is over: with no
    review today, the streak is the run that ends yesterday.
    """
    day = today if studied(today) else today - timedelta(days=1)
    n = 0
    while studied(day):
        n += 1
        day -= timedelta(days=1)
    return n


def _weakest(
    questions: Sequence[QuestionRef],
    states: Mapping[str, CardState],
    scheduler: Scheduler,
    now: datetime,
) -> list[tuple[QuestionRef, CardState, float | None]]:
    """The cards that can be among the weakest: every card whose shown recall is at most the
    ``WEAKEST_LIMIT``-th lowest, with its recall.

    Recall falls with elapsed time over stability alone (see :func:`recall_now`), so the cards
    are taken in that order and only the first ones are asked of FSRS: the walk stops at the
    first card that shows more than the ``WEAKEST_LIMIT``-th lowest so far.
    """
    unknown: list[tuple[QuestionRef, CardState]] = []
    # one walk over the cards: each seen card's place in ``questions`` and its elapsed time over
    # stability, negated (two arrays of numbers, not a tuple per card)
    places, order = array("l"), array("d")
    for n, q in enumerate(questions):
        state = states.get(q.uid)
        if state is None or state.state == "new":
            continue
        stability, last = state.stability, state.last_review
        if stability is None or last is None:
            unknown.append((q, state))
            continue
        elapsed = max(0.0, (now - last).total_seconds())
        places.append(n)
        order.append(-elapsed / stability if stability > 0 else -math.inf)

    # only the first few in that order are ever needed: a bounded heap of them, taken again with a
    # larger bound in the rare case that the walk gets to its end
    bound = 4 * WEAKEST_LIMIT
    while True:
        first = heapq.nsmallest(bound, range(len(order)), key=order.__getitem__)
        found: list[tuple[QuestionRef, CardState, float | None]] = []
        shown: list[int] = []
        stopped = False
        for i in first:
            q = questions[places[i]]
            state = states[q.uid]
            recall = recall_now(scheduler, state, now)
            value = 101 if recall is None else shown_recall(recall)
            if len(shown) >= WEAKEST_LIMIT and value > sorted(shown)[WEAKEST_LIMIT - 1]:
                stopped = True
                break
            found.append((q, state, recall))
            shown.append(value)
        if stopped or len(first) < bound:
            break
        bound *= 8
    if len(found) < WEAKEST_LIMIT:
        found += [(q, state, None) for q, state in unknown]
    return found


def compute_stats(
    exams: Sequence[Exam],
    selected: Sequence[QuestionRef],
    texts: Mapping[str, Question] | Callable[[Sequence[str]], Sequence[Question]],
    in_bank: set[str],
    states: Mapping[str, CardState],
    reviews: Sequence[ReviewRow] | History,
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
    content hashes), or loads the questions of the uids it is given (``catalog.questions``:
    then only the weakest and those with a recorded hash are read);
    ``in_bank`` the uids with history that the bank has. ``partial``: the selection is
    part of the bank (``--exam``/``--section``), so only removed questions of the
    selected exams count as orphans.

    ``states`` and ``hashes`` are the whole history's as the store returns them
    (``card_states()``, ``content_hashes()``); ``reviews`` is the review log (oldest
    first), or a :class:`History` that answers the same questions without it (the store).
    Reviews of the selected questions, and of removed questions of the selected
    exams, make up the review chart, the total and the streak; with no filter
    that is the whole log. ``tz`` None means the system's local time zone.
    """
    if now.tzinfo is None or now.tzinfo.utcoffset(now) is None:
        raise ValueError(f"now must be timezone-aware, got naive {now.isoformat()}")
    history: History = ListHistory(reviews) if isinstance(reviews, Sequence) else reviews
    now = now.astimezone(timezone.utc)  # the store's times are UTC: compared and subtracted without offsets

    def day_of(when: datetime) -> date:
        return study_date(when, day_start_hour, tz)

    today = day_of(now)
    questions = selected
    chosen_exams = {q.exam_id for q in selected} if partial else None
    counts = history.review_counts()
    orphans = _in_scope_orphans(states, counts, in_bank, chosen_exams)
    by_section: dict[tuple[str, str], list[QuestionRef]] = {}
    for ref in selected:
        by_section.setdefault((ref.exam_id, ref.section_id), []).append(ref)
    selected_uids = {q.uid for q in selected}
    removed = set(orphans)

    def in_scope(uid: str) -> bool:
        """The selected questions and the removed ones of the selected exams (not one more set of them all)."""
        return uid in selected_uids or uid in removed

    # -- the recent reviews: the accuracy window and the chart ---------------------------
    window_start = now - timedelta(days=ACCURACY_DAYS)
    first_day = today - timedelta(days=CHART_DAYS - 1)
    # a day early: a change of UTC offset (summer time) cannot move a chart day out of reach
    chart_start = _day_start(first_day - timedelta(days=1), day_start_hour, tz)
    recent_reviews = history.iter_reviews(min(window_start, chart_start))
    recent: Counter[str] = Counter()
    right: Counter[str] = Counter()
    per_day: Counter[date] = Counter()
    # the chart's days (and today), by their starts: a review falls on the day whose start it follows
    chart_days = [first_day + timedelta(days=i) for i in range(CHART_DAYS + 1)]
    chart_starts = [_day_start(day, day_start_hour, tz) for day in chart_days]
    for r in recent_reviews:
        if r.uid in selected_uids and window_start < r.reviewed_at:  # later than `now` only with a fixed CSDRILL_NOW
            recent[r.uid] += 1
            right[r.uid] += counts_as_right(r.correct, r.rating)  # as in the quiz summary
        if in_scope(r.uid):
            i = bisect_right(chart_starts, r.reviewed_at)
            if 0 < i < len(chart_starts):
                per_day[chart_days[i - 1]] += 1

    # a card is due on study day d when due falls before the start of day d + 1
    ends = [
        _day_start(today + timedelta(days=i + 1), day_start_hour, tz) for i in range(max(CHART_DAYS, DUE_SOON_DAYS))
    ]
    soon_end = ends[DUE_SOON_DAYS - 1]

    sections: list[SectionStats] = []
    due_per_day: Counter[int] = Counter()
    for exam in exams:
        for section in exam.sections:
            chosen = by_section.get((exam.id, section.id), [])
            if not chosen:
                continue
            # the section's seen cards (the others are new: neither learning, in review nor due),
            # found with map and filter rather than a loop in Python over every question
            uids = list(map(_UID, chosen))
            cards = [card for card in map(states.get, uids) if card is not None and card.state != "new"]
            reviews_30d = sum(map(recent.get, uids, repeat(0))) if recent else 0
            correct_30d = sum(map(right.get, uids, repeat(0))) if right else 0
            in_review = due_now = due_7d = 0
            for card in cards:
                in_review += card.state == "review"
                if (due := card.due) is not None:
                    due_now += due <= now
                    due_7d += due < soon_end
                    # the study day it falls on, from today (overdue: 0; past the forecast: CHART_DAYS)
                    due_per_day[bisect_right(ends, due)] += 1
            seen = len(cards)
            sections.append(
                SectionStats(
                    exam_id=exam.id,
                    section_id=section.id,
                    title=section.title,
                    total=len(chosen),
                    new=len(chosen) - seen,
                    learning=seen - in_review,
                    review=in_review,
                    due_now=due_now,
                    due_7d=due_7d,
                    reviews_30d=reviews_30d,
                    correct_30d=correct_30d,
                    exam_title=exam.title,
                )
            )

    # -- charts ------------------------------------------------------------------
    reviews_per_day = [
        (first_day + timedelta(days=i), per_day[first_day + timedelta(days=i)]) for i in range(CHART_DAYS)
    ]
    forecast = [(today + timedelta(days=i), due_per_day[i]) for i in range(CHART_DAYS)]

    older: dict[date, bool] = {}  # days before the chart: reviewed or not, read in ever longer windows
    known = [first_day]  # the earliest day read so far

    def studied(day: date) -> bool:
        if day > today:
            return False
        if day >= first_day:
            return per_day[day] > 0
        if partial:
            start = _day_start(day, day_start_hour, tz)
            end = _day_start(day + timedelta(days=1), day_start_hour, tz)
            return any(in_scope(uid) for uid in history.uids_reviewed_between(start, end))
        while day < known[0]:
            width = max(CHART_DAYS, (today - known[0]).days)  # doubling: a streak of n days takes log n reads
            block = [known[0] - timedelta(days=i + 1) for i in range(width)]
            starts = [_day_start(d, day_start_hour, tz) for d in (known[0], *block)]
            spans = [(starts[i + 1], starts[i]) for i in range(width)]
            older.update(zip(block, history.reviewed_in(spans), strict=True))
            known[0] = block[-1]
        return older[day]

    # -- weakest: lowest recall now (as shown), then most lapses, then the latest Again ------------
    candidates = _weakest(questions, states, scheduler, now)
    edited: set[str] | None = None
    if callable(texts):
        # the edited questions, a chunk of texts at a time (only their content hashes are kept),
        # then the texts of the cards that can be among the weakest
        load = texts
        recorded = [q.uid for q in questions if q.uid in hashes]
        edited = set()
        for start in range(0, len(recorded), 500):
            for question in load(recorded[start : start + 500]):
                if question.content_hash and hashes[question.uid] != question.content_hash:
                    edited.add(question.uid)
        texts = {q.uid: q for q in load(sorted({q.uid for q, _, _ in candidates}))}
    last_again = history.latest_agains(q.uid for q, _, _ in candidates)
    weak: list[tuple[tuple[int, int, float, float, str], QuestionRef, CardState, float | None]] = []
    for q, state, recall in candidates:
        again = last_again.get(q.uid)
        shown = 101 if recall is None else shown_recall(recall)
        latest = -again.timestamp() if again is not None else float("inf")
        weak.append(((shown, -state.lapses, latest, 2.0 if recall is None else recall, q.uid), q, state, recall))
    weak.sort(key=lambda item: item[0])
    weak = weak[:WEAKEST_LIMIT]
    last = history.latest_reviews(q.uid for _, q, _, _ in weak)
    weakest = []
    for _, q, state, recall in weak:
        text = texts.get(q.uid)
        weakest.append(
            WeakCard(
                uid=q.uid,
                prompt=_first_line(text.prompt) if text is not None else "",
                lapses=state.lapses,
                retrievability=recall,
                last_rating=last[q.uid].rating if q.uid in last else None,
                last_again=last_again.get(q.uid),
            )
        )

    # -- edited questions ----------------------------------------------------------
    changed = [
        q.uid
        for q in questions
        if (
            q.uid in edited
            if edited is not None
            else (text := texts.get(q.uid)) is not None
            and text.content_hash
            and q.uid in hashes
            and hashes[q.uid] != text.content_hash
        )
    ]

    return Stats(
        sections=sections,
        reviews_per_day=reviews_per_day,
        forecast=forecast,
        weakest=weakest,
        orphans=orphans,
        changed=changed,
        total_reviews=sum(n for uid, n in counts.items() if in_scope(uid)),
        streak=_streak(studied, today),
    )


def catalog_stats(
    catalog: Catalog,
    exam: str | None,
    section: str | None,
    states: Mapping[str, CardState],
    reviews: Sequence[ReviewRow] | History,
    hashes: Mapping[str, str],
    scheduler: Scheduler,
    now: datetime,
    *,
    day_start_hour: int = 4,
    tz: tzinfo | None = None,
) -> Stats:
    """:func:`compute_stats` of the selection ``exam`` / ``section`` of ``catalog``.

    Only the refs of the selection are read, and the text only of its questions with a
    recorded content hash and of those that can be among the weakest.
    """
    history: History = ListHistory(reviews) if isinstance(reviews, Sequence) else _Counted(reviews)
    selected = catalog.refs(exam, section)
    selected_uids = {r.uid for r in selected}
    # the uids with history, split by whether they are selected (set operations over the keys:
    # not a loop in Python over every card with history)
    counts = history.review_counts()
    in_bank = selected_uids.intersection(states)
    in_bank.update(selected_uids.intersection(counts))
    elsewhere = (states.keys() - selected_uids) | (counts.keys() - selected_uids)
    del selected_uids  # compute_stats makes its own
    in_bank.update(r.uid for r in catalog.refs_of(elsewhere))
    return compute_stats(
        catalog.exams(),
        selected,
        catalog.questions,
        in_bank,
        states,
        history,
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
