"""The study plan: pacing new cards and capping intervals so that the work ends on the day.

Pure functions of their inputs (no clock, no database). Days are counted in study
days: ``days_left`` is 0 on the day of the interview or test, 3 three days before it.

The rules (CONTRACT §2, issue 13):

- every planned question is first seen no later than ``D - LEAD`` (three days before
  the date): the new cards left are shared evenly over the days until then (or
  faster, as ``new_per_day`` allows, up to three times that share);
- a card reviewed ``t`` days before the date is due again within 20–40 %
  (``SPACING_RANGE``, a share of its own for each card) of the time left — the best gap for a test a week or more away
  (Cepeda et al. 2008) — so intervals shrink as the date nears; and never past
  ``D - 1``;
- the last review before the final pass is capped so the card lands on ``D - 3`` or
  ``D - 2``, chosen by the card's id, so the final pass is spread over the last days
  instead of piled onto the eve (``D - 1`` takes the cards that slip a day);
- in the last ``LEAD`` days (the final pass) intervals are not capped: the card has
  been seen again, and fsrs decides.

The intervals themselves come from fsrs (:meth:`Scheduler.review` with a maximum interval);
this module only says how long they may be.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timezone, tzinfo
from typing import TYPE_CHECKING, NamedTuple

from cs_drill.study.card import NEW, CardState
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.select import plan_cards, study_day_start

if TYPE_CHECKING:
    from cs_drill.bank.catalog import Catalog
    from cs_drill.study.store import Store

__all__ = [
    "LEAD",
    "SPACING_RANGE",
    "FRONT_LOAD",
    "ExamOutlook",
    "Plan",
    "PlanStatus",
    "capper",
    "current_status",
    "days_left",
    "interval_cap",
    "new_today",
    "parse_day",
    "plan_of",
    "plan_status",
    "planned_exams",
    "predicted_recall",
    "the_day_starts",
]

LEAD = 3
"""Every planned question is first seen, and seen again, within the last ``LEAD`` days before the date."""
FRONT_LOAD = 3
"""The ``new_per_day`` setting is kept up to this many times the even share of new cards."""
SPACING_RANGE = (0.2, 0.4)
"""The largest gap, as a share of the days left (Cepeda et al. 2008: about 20–40 %); each card
has its own share in this range, so that the cards of one day spread over the days after it."""


class Plan(NamedTuple):
    """The date of the interview or test, and the exams it is for (None: every exam)."""

    day: date
    exams: frozenset[str] | None

    def covers(self, uid_or_exam: str) -> bool:
        """Whether the plan covers this exam id (or ``exam-id/question-id``)."""
        return self.exams is None or uid_or_exam.split("/", 1)[0] in self.exams


def parse_day(text: str) -> date | None:
    """``YYYY-MM-DD`` as a date; None when it is not one."""
    try:
        if len(text) != 10:
            return None
        return date.fromisoformat(text)
    except ValueError:
        return None


def plan_of(rows: Mapping[str, str]) -> Plan | None:
    """The plan from the store's rows (exam id or ``*`` → ``YYYY-MM-DD``); None when none is set.

    One plan has one date; should rows disagree, the earliest date counts.
    """
    days = [d for d in (parse_day(v) for v in rows.values()) if d is not None]
    if not days:
        return None
    exams = None if "*" in rows else frozenset(rows)
    return Plan(min(days), exams)


def _today(now: datetime, day_start_hour: int, tz: tzinfo | None) -> date:
    start = study_day_start(now, day_start_hour, tz)
    local = start.astimezone(tz) if tz is not None else start.astimezone()
    return local.date()


def days_left(day: date, now: datetime, day_start_hour: int = 4, tz: tzinfo | None = None) -> int:
    """Study days from today to ``day`` (0 on the day itself, negative after it)."""
    return (day - _today(now, day_start_hour, tz)).days


def the_day_starts(day: date, day_start_hour: int = 4, tz: tzinfo | None = None) -> datetime:
    """When the study day ``day`` starts (aware UTC): the moment the predicted recall is for."""
    local = datetime.combine(day, time(hour=day_start_hour))
    aware = local.replace(tzinfo=tz) if tz is not None else local.astimezone()
    return aware.astimezone(timezone.utc)


def new_today(left: int, new_remaining: int, introduced_today: int, daily_limit: int = 0) -> int:
    """How many more new cards to introduce today, ``left`` days before the date.

    ``new_remaining``: planned questions never seen; ``introduced_today``: planned
    questions first seen today already (so a second session the same day does not
    raise the day's share). What is left is shared evenly over the days up to
    ``D - LEAD`` (today included): ``ceil(left new / days)``; from ``D - LEAD`` on,
    and after the date, everything that is left.

    ``daily_limit`` (the ``new_per_day`` setting) is kept when it is faster, up to
    ``FRONT_LOAD`` times the even share: a question seen earlier gets more reviews
    before the date, and the load of the last days is set by the number of questions,
    so an early start evens the days out; but a day of every new card and its Again
    repeats would be the busiest of the plan.
    """
    remaining = max(0, new_remaining)
    done = max(0, introduced_today)
    days = left - LEAD + 1
    if days <= 1:
        return remaining
    share = math.ceil((remaining + done) / days)
    return max(0, min(remaining, max(share, min(daily_limit, FRONT_LOAD * share)) - done))


def _digest(uid: str) -> bytes:
    return hashlib.sha256(uid.encode("utf-8")).digest()


def _landing(uid: str) -> int:
    # A stable choice among the days D-3 and D-2 for this card's final pass. D-1 is left
    # for cards that slip a day: a card due at 9:20 is not due yet at a 9:00 session.
    return LEAD - _digest(uid)[0] % (LEAD - 1)


def _spacing(uid: str) -> float:
    # A stable share of the days left between SPACING_RANGE's ends for this card, so
    # that cards reviewed on the same day do not all come back on the same day.
    low, high = SPACING_RANGE
    return low + (high - low) * _digest(uid)[1] / 255


def interval_cap(left: int, uid: str) -> int | None:
    """The longest interval (days) for a planned card reviewed ``left`` days before the date.

    About 20–40 % of the days left (``SPACING_RANGE``); when the next review would be the final pass,
    the interval that lands the card on its day among the last ``LEAD`` (so the final
    pass is spread, not piled on the eve). None: no cap (the final pass itself, or the
    date has passed).
    """
    if left <= LEAD:
        return None
    gap = max(1, round(_spacing(uid) * left))
    if left - gap > LEAD:
        return gap
    return max(1, left - _landing(uid))


def predicted_recall(
    scheduler: Scheduler, states: Mapping[str, CardState], uids: Iterable[str], when: datetime
) -> float | None:
    """The mean predicted recall of ``uids`` at ``when`` (a new card counts 0); None for no cards."""
    values = [scheduler.retrievability(states.get(uid, NEW), when) or 0.0 for uid in uids]
    return sum(values) / len(values) if values else None


def planned_exams(plan: Plan, exam_ids: Collection[str]) -> list[str]:
    """The exams of the bank (``exam_ids``, in bank order) that the plan covers."""
    return [e for e in exam_ids if plan.covers(e)]


def capper(plan: Plan, day_start_hour: int = 4, tz: tzinfo | None = None) -> Callable[[str, datetime], int | None]:
    """``Scheduler.cap`` for a plan: :func:`interval_cap` for the planned cards, no cap for the others."""

    def cap(uid: str, now: datetime) -> int | None:
        if not plan.covers(uid):
            return None
        return interval_cap(days_left(plan.day, now, day_start_hour, tz), uid)

    return cap


class ExamOutlook(NamedTuple):
    """One planned exam: its questions, how many are still new, the predicted share recalled on the day."""

    exam_id: str
    total: int
    new: int
    recall: float | None


class PlanStatus(NamedTuple):
    """What ``plan``, ``review`` and ``stats`` say about the plan."""

    day: date
    left: int
    """Study days left (0: the day itself; negative: it has passed)."""
    new_today: int
    """New cards ``review`` would still introduce today."""
    exams: list[ExamOutlook]


def plan_status(
    plan: Plan,
    uids_by_exam: Mapping[str, Sequence[str]],
    states: Mapping[str, CardState],
    scheduler: Scheduler,
    now: datetime,
    first_seen_today: int,
    day_start_hour: int = 4,
    tz: tzinfo | None = None,
    daily_limit: int = 0,
) -> PlanStatus:
    """The plan's figures from the planned exams' uids (bank order) and the card states."""
    left = days_left(plan.day, now, day_start_hour, tz)
    when = the_day_starts(plan.day, day_start_hour, tz)
    exams = [
        ExamOutlook(
            exam_id,
            len(uids),
            sum(1 for u in uids if states.get(u, NEW).is_new),
            predicted_recall(scheduler, states, uids, when),
        )
        for exam_id, uids in uids_by_exam.items()
    ]
    waiting = sum(e.new for e in exams)
    share = new_today(left, waiting, first_seen_today, daily_limit) if left >= 0 else 0
    return PlanStatus(plan.day, left, share, exams)


def current_status(
    catalog: Catalog,
    store: Store,
    scheduler: Scheduler,
    now: datetime,
    day_start_hour: int = 4,
    tz: tzinfo | None = None,
    daily_limit: int = 0,
) -> PlanStatus | None:
    """The plan in the history and its figures now; None when no plan is set.

    ``daily_limit``: the ``new_per_day`` setting (see :func:`new_today`).
    """
    plan = plan_of(store.plan())
    if plan is None:
        return None
    cards = plan_cards(catalog, store, plan.exams, now, day_start_hour, tz)
    return plan_status(
        plan, cards.uids_by_exam, cards.states, scheduler, now, cards.first_seen_today, day_start_hour, tz, daily_limit
    )
