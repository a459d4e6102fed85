"""What to ask next: selection, scheduled order, review queues, study days, ratings from timing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cs_drill.bank.catalog import MemoryCatalog, load_catalog
from cs_drill.errors import UsageError
from cs_drill.study.assess.grading import Grade
from cs_drill.study.card import NEW, CardState, Rating
from cs_drill.study.drill import Recorder
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.select import (
    DueCards,
    due_cards,
    quiz_order,
    review_queue,
    scheduled_order,
    study_day_start,
)
from cs_drill.study.store import connect

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
CST = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def catalog() -> MemoryCatalog:
    return load_catalog([FIXTURE])


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler(fuzz=False)


def reviewed(scheduler: Scheduler, uid: str, *ratings_at: tuple[Rating, datetime]) -> CardState:
    state = NEW
    for rating, when in ratings_at:
        state = scheduler.review(uid, state, rating, when)
    return state


def test_section_without_exam_takes_it_from_every_exam(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(
        FIXTURE.read_text(encoding="utf-8").replace("id: drill\n", "id: other\n", 1),
        encoding="utf-8",
    )
    both = load_catalog([FIXTURE, other])
    picked = both.select(section="true-false")
    assert [q.uid for q in picked] == [
        "drill/slang",
        "drill/cross-border-law",
        "other/slang",
        "other/cross-border-law",
    ]
    assert [q.uid for q in both.select(exam="other", section="true-false")] == [
        "other/slang",
        "other/cross-border-law",
    ]


def test_unknown_section_within_an_exam_lists_that_exams_sections(catalog: MemoryCatalog) -> None:
    with pytest.raises(UsageError, match="valid section ids: multi-choice, scenario, single-choice, true-false"):
        catalog.select(exam="drill", section="behavioral")


def test_scheduled_order_due_then_weak_then_new_then_the_rest(catalog: MemoryCatalog, scheduler: Scheduler) -> None:
    qs = catalog.select()
    now = T0 + timedelta(days=1)
    states = {
        # answered right long ago: due by now
        "drill/record-info": reviewed(
            scheduler,
            "drill/record-info",
            (Rating.GOOD, T0 - timedelta(days=30)),
            (Rating.GOOD, T0 - timedelta(days=29)),
        ),
        # answered right just now and again: not due, strong
        "drill/slang": reviewed(scheduler, "drill/slang", (Rating.EASY, now - timedelta(minutes=1))),
        # missed, then right: relearning/learning and due within minutes — due by `now`
        "drill/reply-time": reviewed(scheduler, "drill/reply-time", (Rating.AGAIN, T0)),
    }
    order = [q.uid for q in scheduled_order(qs, states, scheduler, now)]
    assert set(order[:2]) == {"drill/reply-time", "drill/record-info"}
    assert order[-1] == "drill/slang"
    assert order[2:-1] == [q.uid for q in qs if q.uid not in states]  # new ones in source order


def test_random_order_repeats_with_a_seed_and_source_order_is_the_file(
    catalog: MemoryCatalog,
) -> None:
    qs = catalog.select()
    assert quiz_order(qs, "random", seed=3) == quiz_order(qs, "random", seed=3)
    assert sorted(q.uid for q in quiz_order(qs, "random", seed=3)) == sorted(q.uid for q in qs)
    assert quiz_order(qs, "source") == qs


def test_review_queue_due_first_lowest_recall_first_then_limited_new(
    catalog: MemoryCatalog, scheduler: Scheduler
) -> None:
    qs = catalog.select()
    now = T0 + timedelta(days=60)
    states = {
        "drill/slang": reviewed(scheduler, "drill/slang", (Rating.GOOD, T0), (Rating.GOOD, T0 + timedelta(minutes=10))),
        "drill/record-info": reviewed(
            scheduler,
            "drill/record-info",
            (Rating.GOOD, T0),
            (Rating.GOOD, T0 + timedelta(minutes=10)),
            (Rating.GOOD, T0 + timedelta(days=3)),
        ),
    }
    queue = review_queue(qs, states, now, new_limit=2)
    r_slang = scheduler.retrievability(states["drill/slang"], now)
    r_record = scheduler.retrievability(states["drill/record-info"], now)
    assert r_slang is not None
    assert r_record is not None
    assert r_slang < r_record
    assert [q.uid for q in queue.cards] == [
        "drill/slang",
        "drill/record-info",
        "drill/reply-time",
        "drill/complaint-info",
    ]
    assert (queue.due, queue.new, queue.new_waiting) == (2, 2, 3)
    limited = review_queue(qs, states, now, new_limit=2, limit=1)
    assert [q.uid for q in limited.cards] == ["drill/slang"]


@pytest.mark.parametrize("page", [1, 2, 3, 100])
def test_due_cards_lowest_recall_first_equal_ones_in_source_order_a_page_at_a_time(
    catalog: MemoryCatalog, scheduler: Scheduler, page: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DueCards, "PAGE", page)
    source = [q.uid for q in catalog.select()]
    now = T0 + timedelta(days=3)
    # answered together, alike: equally due; written in reverse order, and one is not in the bank
    states = {uid: reviewed(scheduler, uid, (Rating.GOOD, T0)) for uid in [*reversed(source[1:]), "gone/q1"]}
    # missed long before them: lowest recall, first
    states[source[0]] = reviewed(scheduler, source[0], (Rating.AGAIN, T0 - timedelta(days=8)))
    assert len({s for u, s in states.items() if u != source[0]}) == 1  # equally due: alike
    cards = [(uid, state.due or T0, state.last_review, state.stability) for uid, state in states.items()]
    assert all(state.due is not None for state in states.values())
    due = due_cards(catalog, cards, now)
    assert len(due) == len(source)  # the question gone from the bank is not counted
    assert list(due) == [q for q in catalog.refs() if q.uid == source[0]] + [
        q for q in catalog.refs() if q.uid in source[1:]
    ]
    assert due[-1].uid == source[-1]
    assert [r.uid for r in due[1:3]] == source[1:3]
    with pytest.raises(IndexError):
        due[len(source)]
    picked = due_cards(catalog, cards, now, section="true-false")
    assert [r.uid for r in picked] == [u for u in source if u in {"drill/slang", "drill/cross-border-law"}]


def test_nothing_due_tells_when_the_next_card_is(catalog: MemoryCatalog, scheduler: Scheduler) -> None:
    state = reviewed(scheduler, "drill/slang", (Rating.GOOD, T0))
    queue = review_queue(catalog.select(), {"drill/slang": state}, T0, new_limit=0)
    assert queue.cards == []
    assert queue.next_due == state.due
    assert queue.new_waiting == 6


@pytest.mark.parametrize(
    ("now", "tz", "start"),
    [
        # 09:00 UTC is 17:00 in UTC+8: the study day began at 04:00 UTC+8 = 20:00 UTC the day before
        (
            datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc),
            CST,
            datetime(2026, 2, 28, 20, 0, tzinfo=timezone.utc),
        ),
        # 19:59 UTC is 03:59 in UTC+8 the next day: still the same study day
        (
            datetime(2026, 3, 1, 19, 59, tzinfo=timezone.utc),
            CST,
            datetime(2026, 2, 28, 20, 0, tzinfo=timezone.utc),
        ),
        # 20:00 UTC is 04:00 in UTC+8: a new study day
        (
            datetime(2026, 3, 1, 20, 0, tzinfo=timezone.utc),
            CST,
            datetime(2026, 3, 1, 20, 0, tzinfo=timezone.utc),
        ),
        (
            datetime(2026, 3, 1, 3, 59, tzinfo=timezone.utc),
            timezone.utc,
            datetime(2026, 2, 28, 4, 0, tzinfo=timezone.utc),
        ),
    ],
)
def test_study_day_starts_at_4_local(now: datetime, tz: timezone, start: datetime) -> None:
    assert study_day_start(now, 4, tz) == start


def test_new_card_limit_counts_cards_first_seen_this_study_day(tmp_path: Path, scheduler: Scheduler) -> None:
    with connect(tmp_path) as db:
        for uid, when in [
            (
                "a/1",
                datetime(2026, 3, 1, 3, 30, tzinfo=timezone.utc),
            ),  # the previous study day (before 04:00)
            ("a/2", datetime(2026, 3, 1, 4, 30, tzinfo=timezone.utc)),
            ("a/3", datetime(2026, 3, 1, 23, 0, tzinfo=timezone.utc)),
        ]:
            after = scheduler.review(uid, NEW, Rating.GOOD, when)
            db.record(
                uid,
                after=after,
                now=when,
                rating=Rating.GOOD,
                correct=True,
                answer="A",
                duration_ms=None,
                mode="review",
            )
        # a second review of a/1 today does not make it new today
        later = datetime(2026, 3, 1, 5, 0, tzinfo=timezone.utc)
        again = scheduler.review("a/1", db.card_states()["a/1"], Rating.GOOD, later)
        db.record(
            "a/1",
            after=again,
            now=later,
            rating=Rating.GOOD,
            correct=True,
            answer="A",
            duration_ms=None,
            mode="review",
        )
        day = study_day_start(datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc), 4, timezone.utc)
        assert db.first_seen_since(day) == {"a/2", "a/3"}


@pytest.mark.parametrize(
    ("correct", "duration", "typical", "rating"),
    [
        (False, 1000, 10000, Rating.AGAIN),
        (True, None, 10000, Rating.GOOD),  # piped: timing unknown
        (True, 4000, None, Rating.GOOD),  # no usual time yet
        (True, 4000, 10000, Rating.EASY),  # faster than 0.5 × usual
        (True, 10000, 10000, Rating.GOOD),
        (True, 25000, 10000, Rating.HARD),  # slower than 2 × usual
    ],
)
def test_rating_from_correctness_and_timing(
    tmp_path: Path,
    scheduler: Scheduler,
    correct: bool,
    duration: int | None,
    typical: int | None,
    rating: Rating,
) -> None:
    with connect(tmp_path) as db:
        recorder = Recorder(db, scheduler, "quiz", {}, easy_ratio=0.5, hard_ratio=2.0)
        assert recorder.rating_for(Grade(correct=correct), duration, typical) is rating


def test_recorder_commits_each_answer_at_once(tmp_path: Path, catalog: MemoryCatalog, scheduler: Scheduler) -> None:
    q = catalog.select()[0]
    with connect(tmp_path) as db:
        recorder = Recorder(db, scheduler, "quiz", {})
        outcome = recorder.record(
            q,
            catalog.section_of(q),
            Grade(correct=True, given="A"),
            Rating.GOOD,
            answer="a",
            duration_ms=1200,
            now=T0,
        )
        assert outcome.right
        assert outcome.before.is_new
        assert not outcome.after.is_new
    with connect(tmp_path) as other:  # a second connection sees it: committed, not pending
        rows = other.reviews()
        assert [(r.uid, r.answer, r.duration_ms, r.mode) for r in rows] == [(q.uid, "a", 1200, "quiz")]
        assert other.content_hashes()[q.uid] == q.content_hash


def test_ticks_cannot_overrule_an_answer_that_breaks_a_rule() -> None:
    """At a terminal the default after ticking is the checklist's rating, unless the answer itself is flagged."""
    from cs_drill.bank.files import bundled_bank
    from cs_drill.study.assess import openanswer
    from cs_drill.study.drill import Card, Drill, Reveal

    catalog = load_catalog([bundled_bank()])
    question = catalog.questions(["alibaba-cs-manager-interview/contradictory-replies"])[0]
    section = catalog.section_of(question)
    card = Card(question, section, 1, 1, NEW, "quiz")

    def reveal(text: str) -> Reveal:
        fb = openanswer.feedback(question, text)
        grade = Grade(correct=None, given=text)
        return Reveal(card, text, grade, fb.coverage, fb.suggestion.rating, advice=fb.suggestion)

    good = "先内部复盘核对规范，统一口径制定标准流程并培训，回访客户道歉"
    engine = Drill.__new__(Drill)  # tick_rating needs no catalog or store
    assert engine.tick_rating(reveal(good), 2) is Rating.GOOD
    assert engine.tick_rating(reveal(good + "。我直接私下给客户钱"), 2) is Rating.AGAIN
    assert engine.tick_rating(reveal(good), 1) is Rating.HARD
