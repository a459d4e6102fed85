"""Generate a long synthetic review history for benchmarks (issue 17).

    python benchmarks/gen_history.py HOME BANK_DIR [--reviews 730000] [--cards 40000]
                                     [--years 10] [--now 2026-04-05T01:00:00+00:00] [--seed 1]

Writes ``HOME/history.sqlite3`` with the store's own schema (``study.store.connect``
creates and migrates it), then fills the review log and the card states directly
with SQLite in one transaction, so 730,000 reviews take seconds.

The history is drawn like a real learner's: ``--cards`` questions of the bank
(picked at random) are each reviewed a number of times around ``reviews / cards``;
most answers are right (88 % after the first), each right answer makes the next
interval 1.6–2.6 times longer (up to a year), a lapse (Again) starts it over at a
day. Each card's reviews end within about one interval before ``--now`` (as for a
learner who keeps at it: some cards are due, most are not); the first review is
drawn over ``--years`` and the card's pace stretched or squeezed to fit; reviews fall between 08:00 and 22:00
China time. The card state left after the last review is what the reviews imply:
``review`` with its stability about the last interval and due then, or
``relearning`` due ten minutes after a lapse. Choice and true-false answers are
graded (``correct`` 0/1), open ones self-rated (``correct`` NULL). The output
depends only on the arguments and the bank.
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

__all__ = ["bank_cards", "generate_history", "main", "trim_history"]

DEFAULT_NOW = "2026-04-05T01:00:00+00:00"
_EXAM = re.compile(r"^id: (\S+)\s*$")
_KIND = re.compile(r"^    kind: (\S+)\s*$")
_QUESTION = re.compile(r"^      - id: (\S+)\s*$")
_ANSWERS = {
    "single-choice": ("A", "B", "C", "D"),
    "multi-choice": ("AC", "ABD", "BC", "ACD"),
    "true-false": ("true", "false"),
}
_OPEN_ANSWERS = ("先安抚客户情绪，再核实订单信息", "说明平台规则，提出解决方案", "记录问题并跟进处理结果", "")


def bank_cards(bank: Path) -> list[tuple[str, str]]:
    """``(uid, kind)`` of every question of a bank written by ``gen_bank.py``, in file order."""
    found: list[tuple[str, str]] = []
    for path in sorted(p for p in bank.rglob("*") if p.suffix in (".yaml", ".yml")):
        exam = kind = ""
        with path.open(encoding="utf-8") as f:
            for line in f:
                if m := _QUESTION.match(line):
                    found.append((f"{exam}/{m.group(1)}", kind))
                elif m := _KIND.match(line):
                    kind = m.group(1)
                elif m := _EXAM.match(line):
                    exam = m.group(1)
    return found


def _text(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _simulate(rng: random.Random, age: float, cap: float) -> tuple[list[tuple[float, int]], float, str, int]:
    """One card's reviews from ``age`` days ago until now: (offset in days, rating) each, and what is left.

    Most answers right (70 % the first time, 88 % later); a right answer makes the next interval
    1.6–2.6 times longer, up to ``cap`` days; a lapse starts it over (ten minutes, then a day).
    The learner comes back a little late (0.9–1.4 intervals). Returns the events, the last
    interval, the state and the lapses.
    """
    events: list[tuple[float, int]] = []
    t, interval, lapses, state = 0.0, 0.0, 0, "learning"
    while t < age:
        right = rng.random() < (0.7 if not events else 0.88)
        if right:
            rating = 4 if rng.random() < 0.1 else 3 if rng.random() < 0.85 else 2
            interval = 1.0 if interval < 1.0 else min(cap, interval * rng.uniform(1.6, 2.6))
            state = "review"
        else:
            rating = 1
            if state == "review":
                lapses += 1
            state = "relearning" if state == "review" else "learning"
            interval = 10 / 1440
        events.append((t, rating))
        t += interval * rng.uniform(0.9, 1.4)
    return events, interval, state, lapses


def _calibrate(ages: Sequence[float], reviews: int, seed: int) -> float:
    """The longest interval cap (days) at which the cards of ``ages`` get at least ``reviews`` reviews."""
    sample = ages[:: max(1, len(ages) // 2000)]
    factor = len(ages) / len(sample)
    for cap in (365.0, 270.0, 180.0, 120.0, 90.0, 60.0, 45.0, 30.0, 21.0, 14.0, 10.0, 7.0):
        rng = random.Random(seed)
        total = sum(len(_simulate(rng, age, cap)[0]) for age in sample) * factor
        if total >= reviews * 1.03:
            return cap
    return 7.0


def generate_history(
    home: Path,
    bank: Path,
    reviews: int = 730_000,
    cards: int = 40_000,
    years: float = 10.0,
    now: datetime | None = None,
    seed: int = 1,
) -> dict[str, int]:
    """Write the history into ``home`` (which must not have one yet); return a few figures of it."""
    from cs_drill.study import store

    now = now or datetime.fromisoformat(DEFAULT_NOW)
    path = home / store.DB_NAME
    if path.exists():
        raise SystemExit(f"gen_history.py: {path} exists; give an empty home")
    pool = bank_cards(bank)
    if not pool:
        raise SystemExit(f"gen_history.py: no questions found under {bank}")
    cards = min(cards, len(pool), reviews)
    rng = random.Random(seed)
    chosen = rng.sample(pool, cards)
    store.connect(home).close()  # the schema, as csdrill makes it
    horizon = years * 365.0
    review_rows: list[tuple[str, str, int, int | None, str, int, str]] = []
    card_rows: list[list[object]] = []
    ages = [rng.uniform(0.5, horizon) for _ in chosen]  # cards were added evenly over the years
    cap = _calibrate(ages, reviews, seed)
    sim = random.Random(seed + 1)
    for (uid, kind), age in zip(chosen, ages, strict=True):
        events, interval, state, lapses = _simulate(sim, age, cap)
        start = now - timedelta(days=age)
        last = start
        stamps: list[datetime] = []
        for offset, _rating in events:
            when = start + timedelta(days=offset)
            # at a time of day a learner studies: 08:00–22:00 in China (00:00–14:00 UTC)
            when = when.replace(hour=rng.randrange(0, 14), minute=rng.randrange(60), second=rng.randrange(60))
            when = max(when, last + timedelta(seconds=30))
            if when >= now:
                when = now - timedelta(minutes=rng.randrange(1, 600))
            last = when
            stamps.append(when)
        for when, (_offset, rating) in zip(stamps, events, strict=True):
            if kind in _ANSWERS:
                options = _ANSWERS[kind]
                correct: int | None = int(rating >= 3)
                answer = options[0] if correct else rng.choice(options[1:])
            else:
                correct = None
                answer = rng.choice(_OPEN_ANSWERS)
            mode = "review" if rng.random() < 0.85 else "quiz"
            review_rows.append((uid, _text(when), rating, correct, answer, rng.randrange(2_000, 60_000), mode))
        stability = max(0.1, interval) if state == "review" else max(0.1, rng.uniform(0.2, 2.0))
        due = last + timedelta(days=interval) if state == "review" else last + timedelta(minutes=10)
        step = None if state == "review" else 0
        difficulty = min(10.0, max(1.0, rng.gauss(5.0 + lapses, 1.5)))
        card_rows.append([uid, "", state, step, stability, difficulty, _text(due), _text(last), 0, lapses, ""])
    # The log holds exactly ``reviews``: the oldest ones beyond that are left out (the learner's
    # history starts there); each card's count and first review are those kept.
    review_rows.sort(key=lambda r: r[1])
    review_rows = review_rows[max(0, len(review_rows) - reviews) :]
    kept: dict[str, list[str]] = {}
    for row in review_rows:
        kept.setdefault(row[0], []).append(row[1])
    card_rows = [row for row in card_rows if str(row[0]) in kept]
    lapses_total = sum(int(str(row[9])) for row in card_rows)  # of the cards kept
    for row in card_rows:
        times = kept[str(row[0])]
        row[8], row[10] = len(times), times[0]
    # ids in time order, as a real log has them (sorted above)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO reviews (uid, reviewed_at, rating, correct, answer, duration_ms, mode) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            review_rows,
        )
        conn.executemany(
            "INSERT INTO cards (uid, content_hash, state, step, stability, difficulty, due, last_review, "
            "reps, lapses, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            card_rows,
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    due_now = sum(1 for row in card_rows if str(row[6]) <= _text(now))
    return {"reviews": len(review_rows), "cards": len(card_rows), "lapses": lapses_total, "due": due_now}


def trim_history(source: Path, target: Path) -> int:
    """Copy the history of home ``source`` into home ``target`` keeping only each card's latest review.

    The card states stay as they are, so every selection (due, weak, wrong, starred)
    is the same; only the log is short. Returns the reviews kept.
    """
    from cs_drill.study import store

    src = sqlite3.connect(source / store.DB_NAME)
    dst = sqlite3.connect(target / store.DB_NAME)
    try:
        src.backup(dst)
    finally:
        src.close()
    try:
        dst.execute("DELETE FROM reviews WHERE id NOT IN (SELECT max(id) FROM reviews GROUP BY uid)")
        dst.commit()
        dst.execute("VACUUM")
        return int(dst.execute("SELECT count(*) FROM reviews").fetchone()[0])
    finally:
        dst.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a long synthetic review history into a CSDRILL_HOME.")
    parser.add_argument("home", type=Path, help="the CSDRILL_HOME to write history.sqlite3 into (created)")
    parser.add_argument("bank", type=Path, help="a bank written by gen_bank.py (its question ids are used)")
    parser.add_argument("--reviews", type=int, default=730_000, help="reviews in all (default 730000)")
    parser.add_argument("--cards", type=int, default=40_000, help="cards reviewed (default 40000)")
    parser.add_argument("--years", type=float, default=10.0, help="years the history spans (default 10)")
    parser.add_argument("--now", default=DEFAULT_NOW, help=f"the history ends before this (default {DEFAULT_NOW})")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.reviews < 1 or args.cards < 1 or args.years <= 0:
        parser.error("need --reviews >= 1, --cards >= 1 and --years > 0")
    args.home.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    figures = generate_history(
        args.home, args.bank, args.reviews, args.cards, args.years, datetime.fromisoformat(args.now), args.seed
    )
    took = time.perf_counter() - started
    print(
        f"wrote {figures['reviews']} reviews of {figures['cards']} cards ({figures['lapses']} lapses, "
        f"{figures['due']} due at {args.now}) to {args.home / 'history.sqlite3'} in {took:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
