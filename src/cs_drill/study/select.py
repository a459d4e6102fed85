"""Which cards to ask, and in what order: the one place of due, weak, new, wrong and the study day."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar, overload

from cs_drill.bank.catalog import Catalog, in_selection, new_card_exams
from cs_drill.bank.model import Question, QuestionRef
from cs_drill.errors import UsageError
from cs_drill.i18n import _
from cs_drill.study.card import NEW, CardState, Rating

if TYPE_CHECKING:
    from cs_drill.study.scheduler import Scheduler
    from cs_drill.study.store import ReviewRow, Store

WEAK_RETRIEVABILITY = 0.8
"""Below this predicted recall a card counts as weak."""


class HasUid(Protocol):
    """A question, or a reference to one (``QuestionRef``): ordering needs only the uid."""

    @property
    def uid(self) -> str: ...


Q = TypeVar("Q", bound=HasUid)


# --------------------------------------------------------------------------- selection


def study_day_start(now: datetime, hour: int, tz: tzinfo | None = None) -> datetime:
    """The start (in UTC) of the study day that contains ``now``; days start at ``hour`` local time."""
    local = now.astimezone(tz) if tz is not None else now.astimezone()
    start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(timezone.utc)


def _due_key(state: CardState, now: datetime) -> tuple[float, datetime]:
    """Lowest predicted recall first (FSRS's, by whole days elapsed), then earliest due."""
    assert state.due is not None
    return _order_key(state.due, state.last_review, state.stability, now)


_FIRST = float("-inf")


def _order_key(
    due: datetime, last_review: datetime | None, stability: float | None, now: datetime
) -> tuple[float, datetime]:
    """:func:`_due_key` of a card's parts.

    FSRS's recall falls strictly with elapsed days over stability, so that ratio orders the
    cards as the recall does, without asking FSRS for each of thousands of due cards.
    """
    if stability is None or last_review is None or stability <= 0:
        return (_FIRST, due)  # no recall to predict (FSRS's would be None): first, as 0 %
    days = (now - last_review).days
    return (-(days if days > 0 else 0) / stability, due)


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


def is_due(state: CardState, now: datetime) -> bool:
    return not state.is_new and state.due is not None and state.due <= now


def is_weak(scheduler: Scheduler, state: CardState, now: datetime) -> bool:
    if state.is_new:
        return False
    r = recall_now(scheduler, state, now)
    return state.lapses > 0 or state.state == "relearning" or (r is not None and r < WEAK_RETRIEVABILITY)


def _split(
    questions: Sequence[Q],
    states: Mapping[str, CardState],
    now: datetime,
) -> tuple[list[Q], list[Q], list[tuple[CardState, Q]]]:
    """Due cards (lowest predicted recall, then earliest due, first), new cards in
    source order, and the other cards with their states."""
    due: list[tuple[tuple[float, datetime], Q]] = []
    new: list[Q] = []
    rest: list[tuple[CardState, Q]] = []
    get = states.get
    now = now.astimezone(timezone.utc)  # one tzinfo: compared without asking for offsets
    for q in questions:
        state = get(q.uid)
        if state is None or state.is_new:
            new.append(q)
        elif is_due(state, now):
            due.append((_due_key(state, now), q))
        else:
            rest.append((state, q))
    due.sort(key=itemgetter(0))  # stable: equal keys keep the source order
    return [q for _, q in due], new, rest


def scheduled_order(
    questions: Sequence[Q],
    states: Mapping[str, CardState],
    scheduler: Scheduler,
    now: datetime,
) -> list[Q]:
    """Due cards (lowest predicted recall first), then weak ones, then new ones, then the rest."""
    due, new, others = _split(questions, states, now)
    weak: list[tuple[tuple[float, datetime], Q]] = []
    rest: list[tuple[datetime, Q]] = []
    for state, q in others:
        if is_weak(scheduler, state, now):
            weak.append((_due_key(state, now), q))
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
    # TRANSLATORS: {order} is the value as typed; scheduled, source and random are option values (not translated).
    raise UsageError(_("unknown order '{order}'; use scheduled, source or random").format(order=order))


class ReviewQueue(NamedTuple):
    """The cards of a review session and what is left for later."""

    cards: Sequence[Question | QuestionRef]
    due: int
    new: int
    new_waiting: int
    next_due: datetime | None


def review_queue(
    questions: Sequence[Question | QuestionRef],
    states: Mapping[str, CardState],
    now: datetime,
    *,
    new_limit: int,
    limit: int | None = None,
    new_total: int | None = None,
    next_due: datetime | None = None,
) -> ReviewQueue:
    """Due cards first (most overdue / lowest recall first), then up to ``new_limit`` new cards.

    The plain definition, over questions in hand: ``review_pool(...).queue()`` gives the same
    cards from a catalog and a store, reading only what a session reaches.
    ``questions`` is the selection, or only its due cards and first new cards; then
    ``new_total`` (new cards in the whole selection) and ``next_due`` (the earliest due
    date after ``now``) describe the rest of it.
    """
    cards, new, others = _split(questions, states, now)
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


def due_counts(refs: Iterable[QuestionRef], states: Mapping[str, CardState], now: datetime) -> Counter[tuple[str, str]]:
    """How many of ``refs`` are due now, per (exam id, section id)."""
    return Counter((r.exam_id, r.section_id) for r in refs if is_due(states.get(r.uid, NEW), now))


class _Cards(Sequence[QuestionRef]):
    """A sequence of refs given by ``_item(index)`` for ``0 <= index < len``: slices and negative indices from it."""

    _len = 0

    def __len__(self) -> int:
        return self._len

    def _item(self, index: int) -> QuestionRef:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> QuestionRef: ...
    @overload
    def __getitem__(self, index: slice) -> list[QuestionRef]: ...
    def __getitem__(self, index: int | slice) -> QuestionRef | list[QuestionRef]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        return self._item(index)


class DueCards(_Cards):
    """The due cards of a selection in review order (:func:`_due_key`; equal keys in source
    order), their refs read from the catalog a page at a time as a drill reaches them.

    With a long history thousands of cards are due: their order is known from their states,
    their number from one count in the catalog, and the first card is shown without looking
    every one of them up.
    """

    PAGE = 100

    def __init__(
        self,
        catalog: Catalog,
        keyed: list[tuple[tuple[float, datetime], str]],
        total: int,
        exam: str | None = None,
        section: str | None = None,
    ) -> None:
        self._catalog = catalog
        self._keyed = keyed  # (key, uid), sorted by key
        self._len = total  # how many of them are questions of the selection
        self._exam, self._section = exam, section
        self._refs: list[QuestionRef] = []
        self._read = 0  # entries of _keyed looked up so far

    def _item(self, index: int) -> QuestionRef:
        while len(self._refs) <= index and self._read < len(self._keyed):
            self._read_page()
        if len(self._refs) <= index:  # the catalog changed between the count and the look-up
            raise IndexError(index)
        return self._refs[index]

    def _read_page(self) -> None:
        keyed, start = self._keyed, self._read
        end = min(start + self.PAGE, len(keyed))
        while end < len(keyed) and keyed[end][0] == keyed[end - 1][0]:
            end += 1  # equal keys on one page: their source order decides
        rank = {uid: key for key, uid in keyed[start:end]}
        exam, section = self._exam, self._section
        refs = [r for r in self._catalog.refs_of(rank) if in_selection(r.exam_id, r.section_id, exam, section)]
        refs.sort(key=lambda r: rank[r.uid])  # stable: refs_of gives source order
        self._refs += refs
        self._read = end


def due_cards(
    catalog: Catalog,
    cards: Iterable[tuple[str, datetime, datetime | None, float | None]],
    now: datetime,
    exam: str | None = None,
    section: str | None = None,
) -> DueCards:
    """Those of the seen ``cards`` (uid, due date, last review, stability: ``store.due_keys``) due
    at ``now`` that are questions of the selection, in review order."""
    now = now.astimezone(timezone.utc)  # one tzinfo: compared without asking for offsets
    keyed = [(_order_key(due, last, stability, now), uid) for uid, due, last, stability in cards if due <= now]
    keyed.sort(key=itemgetter(0))
    return DueCards(catalog, keyed, catalog.count_of([uid for _, uid in keyed], exam, section), exam, section)


class ReviewCards(_Cards):
    """The cards of a review: the due ones, then the new ones, at most ``limit`` of them."""

    def __init__(self, due: Sequence[QuestionRef], new: Sequence[QuestionRef], limit: int | None = None) -> None:
        self.due, self.new = due, new
        total = len(due) + len(new)
        self._len = total if limit is None else min(total, max(0, limit))

    def _item(self, index: int) -> QuestionRef:
        n_due = len(self.due)
        return self.due[index] if index < n_due else self.new[index - n_due]


class ReviewPool(NamedTuple):
    """What a review session draws from: the due cards, the first new ones, and the rest in figures."""

    due: DueCards
    new: list[QuestionRef]
    new_total: int | None
    next_due: datetime | None

    def queue(self, limit: int | None = None) -> ReviewQueue:
        """The session: the due cards, then the new ones (``limit``: at most so many in all)."""
        cards = ReviewCards(self.due, self.new, limit)
        n_due = min(len(self.due), len(cards))
        n_new = len(cards) - n_due
        total_new = len(self.new) if self.new_total is None else self.new_total
        return ReviewQueue(cards, n_due, n_new, total_new - n_new, self.next_due)


def review_pool(
    catalog: Catalog,
    store: Store,
    now: datetime,
    new_limit: int,
    exam: str | None = None,
    section: str | None = None,
    new_order: str = "level",
    new_exams: Collection[str] | None = None,
    rest: bool = True,
) -> ReviewPool:
    """The due cards of the selection (in review order, read as they are reached), its first
    ``new_limit`` new cards, how many are new in all, and the earliest due date after ``now``.

    New cards come exam by exam in ``new_order`` (the ``new_order`` setting: ``level``, lower
    levels first, or ``source``; see ``catalog.new_card_exams``), each exam's in source order.
    ``new_exams``: new cards only from these exams (a study plan for some exams).
    ``rest`` False leaves ``new_total`` and ``next_due`` None (see :func:`pool_rest`).
    Only the due cards' order keys, one count of them in the catalog and the first new
    questions of the selection are read; the drill reads the rest as it reaches them.
    """
    catalog.check(exam, section)
    due = due_cards(catalog, store.due_keys(now), now, exam, section)
    # the rest needs every seen uid; the first new cards only those read up to them
    seen: set[str] | None = store.seen_uids() if rest else None
    skip = seen if seen is not None else store.seen_among
    if new_exams is None:
        fresh = catalog.first_refs(exam, section, skip, new_limit, new_order)
    else:
        fresh = []
        for e in new_card_exams(catalog.exams(), new_order):
            if e.id in new_exams and exam in (None, e.id) and any(section in (None, s.id) for s in e.sections):
                fresh += catalog.first_refs(e.id, section, skip, new_limit - len(fresh), new_order)
    if not rest:
        return ReviewPool(due, fresh, None, None)
    new_total, next_due = pool_rest(catalog, store, now, exam, section, seen)
    return ReviewPool(due, fresh, new_total, next_due)


def pool_rest(
    catalog: Catalog,
    store: Store,
    now: datetime,
    exam: str | None = None,
    section: str | None = None,
    seen: set[str] | None = None,
) -> tuple[int, datetime | None]:
    """How many questions of the selection are new, and the earliest due date after ``now`` among
    the others: what a review with nothing to ask says. (Every card with a history is looked up
    in the bank: with a long history it is worth doing only when it is shown.)"""
    seen = store.seen_uids() if seen is None else seen
    seen_here = [r.uid for r in catalog.refs_of(seen) if in_selection(r.exam_id, r.section_id, exam, section)]
    return catalog.count(exam, section) - len(seen_here), store.next_due(now, seen_here)


class PlanCards(NamedTuple):
    """The planned questions: uids per exam (bank order), their card states, how many were first seen today."""

    uids_by_exam: dict[str, list[str]]
    states: dict[str, CardState]
    first_seen_today: int


def plan_cards(
    catalog: Catalog,
    store: Store,
    exams: Collection[str] | None,
    now: datetime,
    day_start_hour: int,
    tz: tzinfo | None = None,
) -> PlanCards:
    """The questions of ``exams`` (None: every exam) with their states, for ``study.planner``."""
    by_exam = {e.id: [r.uid for r in catalog.refs(e.id)] for e in catalog.exams() if exams is None or e.id in exams}
    uids = [u for group in by_exam.values() for u in group]
    today = store.first_seen_since(study_day_start(now, day_start_hour, tz))
    planned = set(uids)
    return PlanCards(by_exam, store.card_states(uids), sum(1 for u in today if u in planned))


class Outlook(NamedTuple):
    """What is left to do, for the end of a session."""

    due_now: int
    """Cards due now: ``csdrill review`` asks them."""
    due_later_today: int
    """Cards that come due before the study day ends (a relearning step, say)."""
    due_tomorrow: int
    new_waiting: int
    """Questions never seen."""
    new_today: int
    """Of those, how many ``review`` would still introduce today (what is left of the daily limit)."""


def outlook(
    catalog: Catalog,
    store: Store,
    now: datetime,
    day_start_hour: int,
    new_per_day: int,
    exam: str | None = None,
    section: str | None = None,
    tz: tzinfo | None = None,
) -> Outlook:
    """Cards of the selection due now, later today, during the next study day; new ones, and today's share."""
    today = study_day_start(now, day_start_hour, tz)
    tomorrow, after = today + timedelta(days=1), today + timedelta(days=2)
    candidates = store.due_states(after)
    now_n = later_n = tomorrow_n = 0
    for ref in catalog.refs_of(candidates):
        if not in_selection(ref.exam_id, ref.section_id, exam, section):
            continue
        state = candidates[ref.uid]
        if is_due(state, now):
            now_n += 1
        elif is_due(state, tomorrow - timedelta(microseconds=1)):
            later_n += 1
        elif is_due(state, after):
            tomorrow_n += 1
    seen = store.seen_uids()
    seen_here = sum(1 for r in catalog.refs_of(seen) if in_selection(r.exam_id, r.section_id, exam, section))
    waiting = catalog.count(exam, section) - seen_here
    left = max(0, new_per_day - len(store.first_seen_since(today)))
    return Outlook(now_n, later_n, tomorrow_n, waiting, min(waiting, left))


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
    starred: set[str] | frozenset[str] = frozenset(),
) -> list[Q]:
    """The questions of a personal selection (a study sheet, a quiz), from the review history.

    ``wrong``: last answered wrong (or self-rated Again) or ever lapsed — a 错题本;
    ``starred``: marked with a star (收藏), seen or not; ``due``: due now; ``weak``:
    predicted recall below 80 %.
    """
    chosen: list[Q] = []
    for q in questions:
        if only == "starred":
            if q.uid in starred:
                chosen.append(q)
            continue
        state = states.get(q.uid, NEW)
        if state.is_new:
            continue
        if only == "wrong":
            keep = q.uid in last_wrong or state.lapses > 0
        elif only == "due":
            keep = is_due(state, now)
        elif only == "weak":
            r = recall_now(scheduler, state, now)  # by fractional days: a card missed an hour ago is weak
            keep = r is not None and r < WEAK_RETRIEVABILITY
        else:
            # TRANSLATORS: {only} is the value as typed; wrong, starred, due, weak are option values (not translated).
            raise UsageError(_("unknown --only '{only}'; use wrong, starred, due or weak").format(only=only))
        if keep:
            chosen.append(q)
    return chosen
