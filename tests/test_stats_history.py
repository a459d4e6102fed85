"""Stats from the store's SQL aggregates and summary equal a plain computation over every review (issue 17)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cs_drill.bank.catalog import MemoryCatalog
from cs_drill.bank.model import Exam, ExamFile, Kind, Question, Section
from cs_drill.study.card import NEW, CardState, Rating, counts_as_right
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.stats import WEAKEST_LIMIT, catalog_stats, is_miss, recall_now, shown_recall, study_date
from cs_drill.study.store import ReviewRow, Store, connect

UTC = timezone.utc
PLUS8 = timezone(timedelta(hours=8))
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
SCHEDULER = Scheduler(fuzz=False)


def _bank() -> MemoryCatalog:
    files = []
    for e in ("ea", "eb"):
        choice = tuple(
            Question(id=f"c{i}", exam_id=e, section_id="choice", kind=Kind.SINGLE, prompt=f"{e} choice {i}")
            for i in range(12)
        )
        opens = tuple(
            Question(id=f"o{i}", exam_id=e, section_id="open", kind=Kind.OPEN, prompt=f"{e} open {i}") for i in range(8)
        )
        exam = Exam(
            id=e,
            title=f"Exam {e}",
            sections=(Section("choice", "Choice", Kind.SINGLE, 12), Section("open", "Open", Kind.OPEN, 8)),
        )
        files.append(ExamFile(exam, choice + opens))
    return MemoryCatalog(files)


def _history(home: Path, seed: int) -> Store:
    """A random history: 600 answers over 50 days (a streak of the last 20), some of a removed question."""
    rng = random.Random(seed)
    store = connect(home)
    uids = [f"{e}/{k}{i}" for e in ("ea", "eb") for k, n in (("c", 12), ("o", 8)) for i in range(n)][:30]
    uids.append("ea/gone")  # no longer in the bank: an orphan
    states: dict[str, CardState] = {}
    for n in range(600):
        day = rng.randrange(0, 50) if n % 3 else rng.randrange(0, 20)
        when = NOW - timedelta(days=day, hours=rng.randrange(0, 20), minutes=rng.randrange(60))
        uid = rng.choice(uids)
        rating = Rating(rng.choice([1, 2, 3, 3, 3, 4]))
        graded = "/c" in uid or uid.endswith("gone")
        correct = (rating >= 3) if graded else None
        before = states.get(uid, NEW)
        after = SCHEDULER.review(uid, before, rating, when)
        states[uid] = after
        mode = "practice" if n % 17 == 0 else "review"
        rid = store.record(
            uid, after=after, now=when, rating=rating, correct=correct, answer=f"a{n}", duration_ms=1000, mode=mode
        )
        if n % 50 == 7:  # an undo: the summary follows deletions too
            store.undo(rid, uid, before)
            if mode != "practice":
                states[uid] = before
    return store


def _plain_weakest(selected: list[str], states: dict[str, CardState], reviews: list[ReviewRow]) -> list[str]:
    """The weakest questions by the rule, computed over every card and every review."""
    last_again: dict[str, datetime] = {}
    for r in reviews:
        if r.rating == Rating.AGAIN:
            last_again[r.uid] = r.reviewed_at
    keyed = []
    for uid in selected:
        state = states.get(uid, NEW)
        if state.is_new:
            continue
        recall = recall_now(SCHEDULER, state, NOW)
        again = last_again.get(uid)
        shown = 101 if recall is None else shown_recall(recall)
        keyed.append(
            (
                (shown, -state.lapses, -again.timestamp() if again else float("inf"), recall or 2.0, uid),
                uid,
            )
        )
    keyed.sort()
    return [uid for _, uid in keyed[:WEAKEST_LIMIT]]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(("exam", "section"), [(None, None), ("ea", None), (None, "open")])
def test_figures_from_the_store_equal_the_plain_computation(
    tmp_path: Path, seed: int, exam: str | None, section: str | None
) -> None:
    catalog = _bank()
    with _history(tmp_path, seed) as store:
        states = store.card_states()
        reviews = store.reviews()
        hashes = store.content_hashes()
        fast = catalog_stats(catalog, exam, section, states, store, hashes, SCHEDULER, NOW, tz=PLUS8)
        plain = catalog_stats(catalog, exam, section, states, reviews, hashes, SCHEDULER, NOW, tz=PLUS8)
    assert fast == plain

    # and both agree with figures counted straight from the log
    selected = [r.uid for r in catalog.refs(exam, section)]
    scope = set(selected) | set(fast.orphans)
    scoped = [r for r in reviews if r.uid in scope]
    assert fast.total_reviews == len(scoped) > 0
    days = {study_date(r.reviewed_at, 4, PLUS8) for r in scoped}
    today = study_date(NOW, 4, PLUS8)
    streak, day = 0, today if today in days else today - timedelta(days=1)
    while day in days:
        streak, day = streak + 1, day - timedelta(days=1)
    assert fast.streak == streak >= 19
    per_day = Counter(study_date(r.reviewed_at, 4, PLUS8) for r in scoped)
    assert fast.reviews_per_day == [(d, per_day[d]) for d, _ in fast.reviews_per_day]
    window = [r for r in reviews if r.uid in set(selected) and r.reviewed_at > NOW - timedelta(days=30)]
    assert sum(s.reviews_30d for s in fast.sections) == len(window)
    assert sum(s.correct_30d for s in fast.sections) == sum(counts_as_right(r.correct, r.rating) for r in window)
    assert [w.uid for w in fast.weakest] == _plain_weakest(selected, states, reviews)
    if exam is None and section is None:
        assert fast.orphans == ["ea/gone"]


def test_the_summary_follows_every_answer_and_undo(tmp_path: Path) -> None:
    with _history(tmp_path, 4) as store:
        reviews = store.reviews()
        counts = Counter(r.uid for r in reviews)
        assert store.review_counts() == counts
        latest = {r.uid: r for r in reviews}
        assert store.latest_reviews() == latest
        misses: dict[str, list[ReviewRow]] = {}
        for r in reviews:
            if is_miss(r):
                misses.setdefault(r.uid, []).append(r)
        assert store.miss_summaries() == {uid: (len(rows), rows[-1]) for uid, rows in misses.items()}
        agains = {r.uid: r.reviewed_at for r in reviews if r.rating == Rating.AGAIN}
        assert store.latest_agains(counts) == agains


def test_the_streak_reaches_back_years(tmp_path: Path) -> None:
    """A streak longer than the chart is read in ever longer windows, and stops at the first day off."""
    with connect(tmp_path) as store:
        state = CardState(state="review", stability=3.0, difficulty=5.0, due=NOW, last_review=NOW)
        for day in range(800):
            if day == 700:
                continue  # a day off, 700 days ago
            when = NOW - timedelta(days=day)
            store.record(
                "ea/c0",
                after=state,
                now=when,
                rating=Rating.GOOD,
                correct=True,
                answer="A",
                duration_ms=None,
                mode="review",
            )
        result = catalog_stats(_bank(), None, None, store.card_states(), store, {}, SCHEDULER, NOW, tz=UTC)
    assert result.streak == 700
    assert result.total_reviews == 799


def test_an_old_history_gets_its_summary_when_upgraded(tmp_path: Path) -> None:
    """Version 5 → 6: the summary is made from the reviews already there (every review kept)."""
    import sqlite3

    from cs_drill.study.store import DB_NAME, MIGRATIONS

    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:5]:
        conn.executescript(script)
    rows = [
        ("ea/c0", "2026-03-01T08:00:00.000000+00:00", 1, 0, "B", 10, "review"),
        ("ea/c0", "2026-03-02T08:00:00.000000+00:00", 3, 1, "A", 10, "review"),
        ("ea/o0", "2026-03-03T08:00:00.000000+00:00", 1, None, "x", 10, "quiz"),
    ]
    conn.executemany(
        "INSERT INTO reviews (uid, reviewed_at, rating, correct, answer, duration_ms, mode) VALUES (?,?,?,?,?,?,?)",
        rows,
    )
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    with connect(tmp_path) as store:
        assert store.review_counts() == {"ea/c0": 2, "ea/o0": 1}
        assert {uid: r.rating for uid, r in store.latest_reviews().items()} == {"ea/c0": 3, "ea/o0": 1}
        assert {uid: (n, r.answer) for uid, (n, r) in store.miss_summaries().items()} == {
            "ea/c0": (1, "B"),
            "ea/o0": (1, "x"),
        }
        assert len(store.reviews()) == 3
    assert (tmp_path / f"{DB_NAME}.bak-v5").is_file()


def test_recall_of_a_card_missed_today_is_not_shown_as_certain() -> None:
    missed = SCHEDULER.review("ea/c0", NEW, Rating.AGAIN, NOW - timedelta(hours=3))
    recall = recall_now(SCHEDULER, missed, NOW)
    assert recall is not None
    assert shown_recall(recall) < 100


def test_only_weak_counts_the_hours_since_the_last_review() -> None:
    """A card of low stability answered 20 hours ago is weak now, though FSRS's whole days say 0 elapsed."""
    from cs_drill.bank.model import QuestionRef
    from cs_drill.study.select import personal_selection

    state = CardState(state="review", stability=0.2, difficulty=5.0, due=NOW, last_review=NOW - timedelta(hours=20))
    whole_days = SCHEDULER.retrievability(state, NOW)
    assert whole_days is not None
    assert whole_days > 0.99
    ref = QuestionRef("ea/c0", "ea", "choice", Kind.SINGLE)
    assert personal_selection("weak", [ref], {"ea/c0": state}, set(), SCHEDULER, NOW) == [ref]


def test_the_weakest_are_found_among_many_cards_of_equal_recall() -> None:
    """Sixty cards show the same recall; the ones with the most lapses come last in uid order yet lead the list."""
    questions = tuple(
        Question(id=f"c{i:02d}", exam_id="ea", section_id="choice", kind=Kind.SINGLE, prompt=f"choice {i}")
        for i in range(60)
    )
    exam = Exam(id="ea", title="Exam ea", sections=(Section("choice", "Choice", Kind.SINGLE, 60),))
    catalog = MemoryCatalog([ExamFile(exam, questions)])
    last = NOW - timedelta(days=3)
    states = {
        q.uid: CardState("review", None, 10.0, 5.0, last + timedelta(days=10), last, 4, 3 if n >= 55 else 0)
        for n, q in enumerate(questions)
    }
    stats = catalog_stats(catalog, None, None, states, [], {}, SCHEDULER, NOW, tz=PLUS8)
    uids = [w.uid for w in stats.weakest]
    assert uids == _plain_weakest([q.uid for q in questions], states, [])
    assert uids[:5] == [f"ea/c{n}" for n in range(55, 60)]
    assert [w.lapses for w in stats.weakest] == [3] * 5 + [0] * 5
