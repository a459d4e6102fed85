"""Simulate `csdrill review` every day under a study plan (issue 13) and check the plan's targets.

Two learners over the bundled bank: one answers right with the probability fsrs predicts
(seeded; a never-seen card is a coin toss), one is always right. Each does one review
session a day, from N days before the date to the day before it, as ``csdrill review``
would: the plan's share of new cards, the interval cap, an Again card asked again after
three others. The library is driven directly (catalog, store in a temporary history,
scheduler, planner), as the command does.

Targets: every question first seen by D-3; 100 % seen again in [D-3, D-1]; the busiest day
at most twice the mean. Exit 1 when one is missed.

    python benchmarks/plan_sim.py                 # 7-, 14- and 30-day plans
    python benchmarks/plan_sim.py --days 14 --seed 1
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from cs_drill.bank.catalog import load_catalog
from cs_drill.bank.files import bundled_bank
from cs_drill.study.card import NEW, Rating
from cs_drill.study.planner import LEAD, capper, current_status, plan_of, the_day_starts
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.select import review_pool
from cs_drill.study.store import connect

HOUR = 4  # the default day_start_hour
AGAIN_AFTER = 3


@dataclass
class Result:
    days: int
    learner: str
    first_seen: dict[str, int] = field(default_factory=dict)  # uid -> days before the date
    seen_in_window: set[str] = field(default_factory=set)
    per_day: Counter[int] = field(default_factory=Counter)  # days before the date -> answers
    recall: float | None = None

    def targets(self, total: int) -> list[tuple[str, bool]]:
        late = [u for u, t in self.first_seen.items() if t < LEAD]
        loads = [self.per_day.get(t, 0) for t in range(self.days, 0, -1)]
        mean = sum(loads) / len(loads)
        return [
            (
                f"first seen by D-{LEAD}: {len(self.first_seen) - len(late)}/{total}",
                not late and len(self.first_seen) == total,
            ),
            (f"seen in [D-{LEAD}, D-1]: {len(self.seen_in_window)}/{total}", len(self.seen_in_window) == total),
            (f"busiest day {max(loads)} <= 2 x mean {mean:.1f}", max(loads) <= 2 * mean),
        ]


def simulate(days: int, learner: str, seed: int, new_per_day: int = 20) -> tuple[Result, int]:
    rng = random.Random(seed)
    catalog = load_catalog([bundled_bank()])
    total = catalog.count()
    result = Result(days, learner)
    start = date(2026, 3, 1)
    the_day = start + timedelta(days=days)
    with tempfile.TemporaryDirectory() as home:
        store = connect(Path(home))
        try:
            now = the_day_starts(start, HOUR) + timedelta(hours=5)
            store.set_plan(the_day.isoformat(), [], now)
            plan = plan_of(store.plan())
            assert plan is not None
            scheduler = Scheduler(cap=capper(plan, HOUR))
            for t in range(days, 0, -1):
                now = the_day_starts(the_day - timedelta(days=t), HOUR) + timedelta(hours=5)
                status = current_status(catalog, store, scheduler, now, HOUR, daily_limit=new_per_day)
                assert status is not None
                pool = review_pool(catalog, store, now, status.new_today, new_exams=plan.exams)
                cards = list(pool.queue().cards)
                states = store.card_states(q.uid for q in cards)
                i = 0
                while i < len(cards):
                    q = cards[i]
                    state = states.get(q.uid, NEW)
                    if learner == "always right":
                        right = True
                    else:
                        p = scheduler.retrievability(state, now)
                        right = rng.random() < (0.5 if p is None else p)
                    rating = Rating.GOOD if right else Rating.AGAIN
                    after = scheduler.review(q.uid, state, rating, now)
                    store.record(
                        q.uid,
                        after=after,
                        now=now,
                        rating=rating,
                        correct=right,
                        answer="",
                        duration_ms=None,
                        mode="review",
                    )
                    states[q.uid] = after
                    result.first_seen.setdefault(q.uid, t)
                    result.per_day[t] += 1
                    if 1 <= t <= LEAD:
                        result.seen_in_window.add(q.uid)
                    if not right:
                        cards.insert(min(len(cards), i + 1 + AGAIN_AFTER), q)
                    now += timedelta(seconds=40)
                    i += 1
            final = current_status(catalog, store, scheduler, now, HOUR)
            assert final is not None
            result.recall = sum((e.recall or 0.0) * e.total for e in final.exams) / total
        finally:
            store.close()
    return result, total


def report(result: Result, total: int, questions: bool = False) -> bool:
    print(f"\n== {result.days}-day plan, learner: {result.learner} ==")
    if questions:
        for uid, t in result.first_seen.items():
            print(f"  first seen D-{t}  {uid}")
    firsts = Counter(result.first_seen.values())
    print(
        "first seen, by days before the date: " + ", ".join(f"D-{t}: {firsts[t]}" for t in sorted(firsts, reverse=True))
    )
    print(
        "cards per day (answers): " + " ".join(f"D-{t}:{result.per_day.get(t, 0)}" for t in range(result.days, 0, -1))
    )
    if result.recall is not None:
        print(f"predicted recall on the day: {100 * result.recall:.0f}%")
    ok = True
    for text, met in result.targets(total):
        print(f"  {'ok  ' if met else 'MISS'} {text}")
        ok &= met
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, action="append", help="plan length in days (repeatable; default 7, 14, 30)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--questions", action="store_true", help="also print each question's first day")
    parser.add_argument("--new-per-day", type=int, default=20, help="the new_per_day setting (default 20)")
    args = parser.parse_args(argv)
    ok = True
    for days in args.days or [7, 14, 30]:
        for learner in ("fsrs-predicted", "always right"):
            result, total = simulate(days, learner, args.seed, args.new_per_day)
            ok &= report(result, total, args.questions)
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
