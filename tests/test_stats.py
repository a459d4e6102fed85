"""`csdrill stats` on a known history: counts, accuracy, charts, weakest, orphans, edits."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.console import Console

from cs_drill.bank.catalog import MemoryCatalog
from cs_drill.bank.model import Exam, ExamFile, Kind, Question, Section
from cs_drill.render.stats import bar_lines, print_stats
from cs_drill.study.card import NEW, CardState, Rating
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.stats import SectionStats, Stats, catalog_stats, recall_now, shown_recall, study_date
from cs_drill.study.store import Store, connect

UTC = timezone.utc
PLUS8 = timezone(timedelta(hours=8))
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # a Friday
TODAY = date(2026, 3, 20)
SCHEDULER = Scheduler(fuzz=False)


def _q(exam: str, section: str, qid: str, kind: Kind, prompt: str, content_hash: str = "") -> Question:
    return Question(
        id=qid,
        exam_id=exam,
        section_id=section,
        kind=kind,
        prompt=prompt,
        content_hash=content_hash,
    )


def _bank() -> MemoryCatalog:
    choice = (
        _q("ex", "choice", "a", Kind.SINGLE, "\nA [bold]not markup[/] prompt\nsecond line", "h-a"),
        _q("ex", "choice", "b", Kind.SINGLE, "Question b", "h-b"),
        _q("ex", "choice", "c", Kind.SINGLE, "Question c", "h-c"),
        _q("ex", "choice", "d", Kind.SINGLE, "Question d", "h-d"),
    )
    open_ = (
        _q("ex", "open", "o1", Kind.OPEN, "Open one", "h-o1"),
        _q("ex", "open", "o2", Kind.OPEN, "Open two", "h-o2"),
    )
    tf = (_q("ex2", "tf", "t1", Kind.TRUE_FALSE, "True or false", "h-new"),)
    return MemoryCatalog(
        [
            ExamFile(
                Exam(
                    id="ex",
                    title="Exam [bold]one[/]",
                    sections=(
                        Section("choice", "Choice [red]title[/]", Kind.SINGLE, len(choice)),
                        Section("open", "Open", Kind.OPEN, len(open_)),
                    ),
                ),
                choice + open_,
            ),
            ExamFile(
                Exam(
                    id="ex2",
                    title="Exam two",
                    sections=(Section("tf", "TF", Kind.TRUE_FALSE, len(tf)),),
                ),
                tf,
            ),
        ]
    )


def _state(
    state: str,
    *,
    due: timedelta,
    last: timedelta,
    stability: float,
    lapses: int = 0,
    reps: int = 1,
) -> CardState:
    return CardState(
        state=state,
        step=0 if state in ("learning", "relearning") else None,
        stability=stability,
        difficulty=5.0,
        due=NOW + due,
        last_review=NOW - last,
        reps=reps,
        lapses=lapses,
    )


def _record(
    store: Store,
    uid: str,
    when: datetime,
    after: CardState,
    *,
    rating: Rating = Rating.GOOD,
    correct: bool | None = True,
    content_hash: str = "",
) -> None:
    store.record(
        uid,
        after=after,
        now=when,
        rating=rating,
        correct=correct,
        answer="",
        duration_ms=None,
        mode="review",
        content_hash=content_hash,
    )


def _scheduled(store: Store, uid: str, when: datetime, rating: Rating) -> None:
    """A review scheduled by FSRS (no fuzz) from the card's current state."""
    before = store.card_states([uid]).get(uid, NEW)
    after = SCHEDULER.review(uid, before, rating, when)
    _record(store, uid, when, after, rating=rating, correct=rating != Rating.AGAIN)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = connect(tmp_path)
    yield db
    db.close()


@pytest.fixture
def history(store: Store) -> Store:
    """A known history at NOW (see each card's comment)."""
    # a: review card, 2 lapses, overdue by a day. The 40-day-old wrong answer is
    # outside the accuracy window; the one 6 days ago is inside.
    a = _state("review", due=-timedelta(days=1), last=timedelta(days=6), stability=5.0, lapses=2)
    _record(store, "ex/a", NOW - timedelta(days=40), a, rating=Rating.AGAIN, correct=False)
    _record(store, "ex/a", NOW - timedelta(days=6), a, rating=Rating.HARD, content_hash="h-a")
    # b: review card, 2 lapses, due in 3 days, wrong 2 days ago.
    b = _state("review", due=timedelta(days=3), last=timedelta(days=2), stability=20.0, lapses=2)
    _record(store, "ex/b", NOW - timedelta(days=2), b, rating=Rating.AGAIN, correct=False)
    # c: learning, due in 10 minutes (not due now, but today).
    c = _state("learning", due=timedelta(minutes=10), last=timedelta(hours=1), stability=1.0)
    _record(store, "ex/c", NOW - timedelta(hours=1), c)
    # o1: open card relearning, due in 10 days; self-rated, so not graded.
    o1 = _state("relearning", due=timedelta(days=10), last=timedelta(days=3), stability=3.0, lapses=1)
    _record(store, "ex/o1", NOW - timedelta(days=3), o1, rating=Rating.AGAIN, correct=None)
    # t1: edited since its review (stored hash differs from the bank's), due in 20 days.
    t1 = _state("review", due=timedelta(days=20), last=timedelta(days=5), stability=2.0)
    _record(store, "ex2/t1", NOW - timedelta(days=5), t1, content_hash="h-old")
    # Gone from the bank: one of exam ex, one of an exam that no longer exists.
    gone = _state("review", due=timedelta(days=1), last=timedelta(days=13), stability=9.0)
    _record(store, "ex/removed", NOW - timedelta(days=13), gone)
    _record(store, "gone/x", NOW - timedelta(days=1), gone)
    return store


def _stats(
    store: Store,
    exam: str | None = None,
    section: str | None = None,
    *,
    bank: MemoryCatalog | None = None,
    now: datetime = NOW,
    tz: timezone = UTC,
) -> Stats:
    catalog = bank or _bank()
    states = store.card_states()
    reviews = store.reviews()
    return catalog_stats(
        catalog, exam, section, states, reviews, store.content_hashes(), SCHEDULER, now, day_start_hour=4, tz=tz
    )


def _section(stats: Stats, exam_id: str, section_id: str) -> SectionStats:
    (found,) = [s for s in stats.sections if (s.exam_id, s.section_id) == (exam_id, section_id)]
    return found


def _render(stats: Stats, width: int = 100) -> str:
    out = io.StringIO()
    print_stats(Console(file=out, width=width), stats)
    return out.getvalue()


# --------------------------------------------------------------------------- core


def test_counts_per_section(history: Store) -> None:
    stats = _stats(history)
    assert all(s.new + s.learning + s.review == s.total for s in stats.sections)
    assert [(s.exam_id, s.section_id) for s in stats.sections] == [
        ("ex", "choice"),
        ("ex", "open"),
        ("ex2", "tf"),
    ]
    choice = _section(stats, "ex", "choice")
    assert (choice.total, choice.new, choice.learning, choice.review) == (4, 1, 1, 2)
    assert (choice.due_now, choice.due_7d) == (1, 3)  # a now; a, b, c within 7 days
    assert choice.title == "Choice [red]title[/]"
    assert choice.exam_title == "Exam [bold]one[/]"
    open_ = _section(stats, "ex", "open")
    assert (open_.total, open_.new, open_.learning, open_.review) == (2, 1, 1, 0)
    assert (open_.due_now, open_.due_7d) == (0, 0)
    tf = _section(stats, "ex2", "tf")
    assert (tf.total, tf.new, tf.learning, tf.review, tf.due_now, tf.due_7d) == (1, 0, 0, 1, 0, 0)


def test_accuracy_over_the_last_30_days(history: Store) -> None:
    stats = _stats(history)
    choice = _section(stats, "ex", "choice")
    # a right 6 days ago, b wrong 2 days ago, c right an hour ago; a's wrong answer
    # 40 days ago is outside the window.
    assert (choice.reviews_30d, choice.graded_30d, choice.correct_30d) == (3, 3, 2)
    assert choice.accuracy == pytest.approx(2 / 3)
    open_ = _section(stats, "ex", "open")
    # an open answer self-rated Again counts as wrong, as in the quiz summary
    assert (open_.reviews_30d, open_.graded_30d, open_.correct_30d) == (1, 1, 0)
    assert open_.accuracy == 0
    # 41 days later nothing is left in the window.
    later = _stats(history, now=NOW + timedelta(days=41))
    assert _section(later, "ex", "choice").accuracy is None


def test_totals_streak_and_reviews_per_day_utc(history: Store) -> None:
    stats = _stats(history)
    assert stats.total_reviews == 8
    days = dict(stats.reviews_per_day)
    assert len(stats.reviews_per_day) == 14
    assert stats.reviews_per_day[0][0] == date(2026, 3, 7)
    assert stats.reviews_per_day[-1][0] == TODAY
    assert [d for d, _ in stats.reviews_per_day] == sorted(days)
    assert {d: n for d, n in days.items() if n} == {
        date(2026, 3, 7): 1,  # ex/removed: history of a removed question still counts
        date(2026, 3, 14): 1,
        date(2026, 3, 15): 1,
        date(2026, 3, 17): 1,
        date(2026, 3, 18): 1,
        date(2026, 3, 19): 1,
        date(2026, 3, 20): 1,
    }
    assert stats.streak == 4  # 03-17 … 03-20


def test_streak_is_not_broken_before_the_day_is_over(history: Store) -> None:
    # Tomorrow at 09:00 nothing has been reviewed yet: the streak up to yesterday stands.
    assert _stats(history, now=NOW + timedelta(days=1)).streak == 4
    assert _stats(history, now=NOW + timedelta(days=2)).streak == 0


def test_reviews_per_day_across_the_day_start_in_two_time_zones(store: Store) -> None:
    state = _state("review", due=timedelta(days=5), last=timedelta(days=1), stability=5.0)
    # 19:30 UTC = 03:30 next day at +08:00 (before the 04:00 day start there);
    # 20:30 UTC = 04:30 at +08:00 (a new study day there, the same day in UTC);
    # 02:00 UTC = before 04:00 in UTC (the previous study day), 10:00 at +08:00.
    for when in (
        datetime(2026, 3, 18, 19, 30, tzinfo=UTC),
        datetime(2026, 3, 18, 20, 30, tzinfo=UTC),
        datetime(2026, 3, 19, 2, 0, tzinfo=UTC),
    ):
        _record(store, "ex/a", when, state)
    in_utc = {d: n for d, n in _stats(store, tz=UTC).reviews_per_day if n}
    assert in_utc == {date(2026, 3, 18): 3}
    in_plus8 = {d: n for d, n in _stats(store, tz=PLUS8).reviews_per_day if n}
    assert in_plus8 == {date(2026, 3, 18): 1, date(2026, 3, 19): 2}
    # 12:00 UTC is 20:00 at +08:00: the same study day, and the last one charted.
    assert _stats(store, tz=PLUS8).reviews_per_day[-1][0] == TODAY


def test_study_date() -> None:
    assert study_date(datetime(2026, 3, 19, 3, 59, tzinfo=UTC), 4, UTC) == date(2026, 3, 18)
    assert study_date(datetime(2026, 3, 19, 4, 0, tzinfo=UTC), 4, UTC) == date(2026, 3, 19)
    assert study_date(datetime(2026, 3, 18, 19, 59, tzinfo=UTC), 4, PLUS8) == date(2026, 3, 18)
    assert study_date(datetime(2026, 3, 18, 20, 0, tzinfo=UTC), 4, PLUS8) == date(2026, 3, 19)
    assert study_date(datetime(2026, 3, 19, 0, 30, tzinfo=UTC), 0, UTC) == date(2026, 3, 19)


def test_forecast_counts_overdue_cards_today(history: Store) -> None:
    stats = _stats(history)
    assert len(stats.forecast) == 14
    assert stats.forecast[0][0] == TODAY
    assert stats.forecast[-1][0] == TODAY + timedelta(days=13)
    assert {d: n for d, n in stats.forecast if n} == {
        TODAY: 2,  # a (overdue) and c (in 10 minutes)
        TODAY + timedelta(days=3): 1,  # b
        TODAY + timedelta(days=10): 1,  # o1; t1 (20 days) is beyond the chart
    }


def test_forecast_uses_local_study_days(store: Store) -> None:
    # Due at 21:00 UTC = 05:00 next day at +08:00.
    due = datetime(2026, 3, 22, 21, 0, tzinfo=UTC)
    state = _state("review", due=due - NOW, last=timedelta(days=1), stability=5.0)
    _record(store, "ex/a", NOW - timedelta(days=1), state)
    assert [d for d, n in _stats(store, tz=UTC).forecast if n] == [date(2026, 3, 22)]
    assert [d for d, n in _stats(store, tz=PLUS8).forecast if n] == [date(2026, 3, 23)]


def test_weakest_lowest_recall_then_most_lapses_then_latest_again(history: Store) -> None:
    stats = _stats(history)
    # recall now: t1 (5 days at stability 2) < a (6 days at 5) < o1 (3 at 3) < b (2 at 20) < c (1 h at 1)
    assert [w.uid for w in stats.weakest] == ["ex2/t1", "ex/a", "ex/o1", "ex/b", "ex/c"]
    recalls = [w.retrievability if w.retrievability is not None else 2.0 for w in stats.weakest]
    assert recalls == sorted(recalls)
    assert max(recalls) < 1
    by_uid = {w.uid: w for w in stats.weakest}
    a, b, c = by_uid["ex/a"], by_uid["ex/b"], by_uid["ex/c"]
    assert (a.lapses, b.lapses, by_uid["ex/o1"].lapses) == (2, 2, 1)
    assert a.prompt == "A [bold]not markup[/] prompt"  # the first non-empty line
    assert a.last_rating is Rating.HARD  # the latest review, not the old Again
    assert a.last_again == NOW - timedelta(days=40)
    assert b.last_rating is Rating.AGAIN
    assert c.last_again is None
    # c was reviewed an hour ago: fractional days, not "0 days, so 100 %"
    assert c.retrievability is not None
    assert 0.98 < c.retrievability < 1


def test_recall_is_measured_in_fractional_days(store: Store) -> None:
    # missed a few hours ago (today): FSRS's whole days would say 100 %
    _scheduled(store, "ex/a", NOW - timedelta(hours=3), Rating.AGAIN)
    state = store.card_states()["ex/a"]
    assert SCHEDULER.retrievability(state, NOW) == 1.0  # the whole-day reading
    recall = recall_now(SCHEDULER, state, NOW)
    assert recall is not None
    assert recall < 0.99
    (weak,) = _stats(store).weakest
    assert weak.retrievability == recall
    row = [line for line in _render(_stats(store)).splitlines() if "Again" in line and "│" in line]
    assert len(row) == 1
    assert f"{shown_recall(recall)}%" in row[0]
    assert "100%" not in row[0]
    # at whole days it agrees with FSRS; right after a review it is 100 %; a new card has none
    later = NOW + timedelta(days=2) - timedelta(hours=3)
    assert recall_now(SCHEDULER, state, later) == pytest.approx(SCHEDULER.retrievability(state, later))
    assert state.last_review is not None
    assert recall_now(SCHEDULER, state, state.last_review) == 1.0
    assert recall_now(SCHEDULER, NEW, NOW) is None


def test_shown_recall_never_rounds_up_to_certain() -> None:
    assert shown_recall(0.9996) == 99
    assert shown_recall(1.0) == 100
    assert shown_recall(0.905) == 90
    assert shown_recall(0.0) == 0


def test_weakest_ties_go_to_most_lapses_then_the_latest_again(store: Store) -> None:
    # the same recall now (same stability, reviewed at the same time): lapses, then when Again was last
    same = _state("review", due=timedelta(days=1), last=timedelta(days=2), stability=4.0)
    _record(store, "ex/a", NOW - timedelta(days=5), same, rating=Rating.AGAIN, correct=False)
    _record(store, "ex/a", NOW - timedelta(days=2), same)
    _record(store, "ex/b", NOW - timedelta(days=3), same, rating=Rating.AGAIN, correct=False)
    _record(store, "ex/b", NOW - timedelta(days=2), same)
    _record(store, "ex/c", NOW - timedelta(days=2), same._replace(lapses=1))
    _record(store, "ex/d", NOW - timedelta(days=2), same)  # never Again
    assert [w.uid for w in _stats(store).weakest] == ["ex/c", "ex/b", "ex/a", "ex/d"]


def test_weakest_lists_at_most_ten_cards_with_history(store: Store) -> None:
    questions = tuple(_q("big", "s", f"q{i:02d}", Kind.SINGLE, f"Q{i}") for i in range(15))
    bank = MemoryCatalog([ExamFile(Exam("big", "Big", (Section("s", "S", Kind.SINGLE, len(questions)),)), questions)])
    for i, q in enumerate(questions[:12]):
        _scheduled(store, q.uid, NOW - timedelta(days=3, minutes=i), Rating.GOOD)
    stats = _stats(store, bank=bank)
    assert len(stats.weakest) == 10
    assert all(not w.uid.endswith(("q12", "q13", "q14")) for w in stats.weakest)  # new cards


def test_orphans_and_edited_questions(history: Store) -> None:
    stats = _stats(history)
    assert stats.orphans == ["ex/removed", "gone/x"]
    assert stats.changed == ["ex2/t1"]
    # With a filter, only removed questions of the selected exams are reported.
    only_ex = _stats(history, exam="ex")
    assert only_ex.orphans == ["ex/removed"]
    assert only_ex.changed == []
    assert only_ex.total_reviews == 6  # a ×2, b, c, o1, ex/removed
    only_tf = _stats(history, section="tf")
    assert only_tf.orphans == []
    assert only_tf.changed == ["ex2/t1"]
    assert [(s.exam_id, s.section_id) for s in only_tf.sections] == [("ex2", "tf")]


def test_a_selection_counts_only_its_questions(history: Store) -> None:
    stats = _stats(history, exam="ex", section="open")
    assert [s.section_id for s in stats.sections] == ["open"]
    assert [w.uid for w in stats.weakest] == ["ex/o1"]
    assert {d: n for d, n in stats.forecast if n} == {TODAY + timedelta(days=10): 1}


def test_empty_history(store: Store) -> None:
    stats = _stats(store)
    assert not stats.has_history
    assert stats.total_reviews == 0
    assert stats.streak == 0
    assert [s.new for s in stats.sections] == [4, 2, 1]
    assert all(n == 0 for _, n in stats.reviews_per_day + stats.forecast)
    assert stats.weakest == []
    assert stats.orphans == []
    assert stats.changed == []


def test_naive_now_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _stats(store, now=NOW.replace(tzinfo=None))


# --------------------------------------------------------------------------- rendering


def test_print_stats_shows_tables_charts_and_literal_bank_text(history: Store) -> None:
    text = _render(_stats(history))
    for section_id in ("choice", "open", "tf"):
        assert re.search(rf"│{section_id}\s", text)
    assert "Exam [bold]one[/]" in text
    assert "Choice [red]title[/]" in text
    assert "A [bold]not markup[/] prompt" in text
    assert "67%" in text  # accuracy of the choice section
    assert "Reviews, last 14 days" in text
    assert "Due, next 14 days" in text
    assert re.search(r"^03-07 Sat █+ 1$", text, re.MULTILINE)
    assert re.search(r"^03-16 Mon 0$", text, re.MULTILINE)
    assert re.search(r"^03-20 Fri █+ 2$", text.split("Due, next 14 days")[1], re.MULTILINE)
    assert "Weakest questions" in text
    assert "ex/a" in text
    assert "No longer in the bank: 2 cards (history kept)" in text
    assert "gone/x" in text
    assert "Edited since last review: 1" in text
    assert "ex2/t1" in text
    assert "No reviews yet" not in text


def test_bars_are_scaled_to_the_console_width(history: Store) -> None:
    for width in (60, 100, 140):
        text = _render(_stats(history), width)
        forecast = text.split("Due, next 14 days")[1].split("Weakest questions")[0]
        lines = [line for line in forecast.splitlines() if re.match(r"\d\d-\d\d ", line)]
        assert len(lines) == 14
        assert max(len(line) for line in lines) == width  # the longest bar fills the line
        assert lines[0].count("█") == width - len("03-20 Fri ") - len(" 2")
        assert lines[3].count("█") == round(lines[0].count("█") / 2)


def test_bar_lines_directly() -> None:
    days = [(date(2026, 11, 7), 0), (date(2026, 11, 8), 12), (date(2026, 11, 9), 1)]
    lines = [line.plain for line in bar_lines(days, 40)]
    assert lines[0] == "11-07 Sat 0"
    assert lines[1] == "11-08 Sun " + "█" * 27 + " 12"
    assert lines[2] == "11-09 Mon " + "█" * 2 + " 1"
    assert [line.plain for line in bar_lines([(date(2026, 11, 7), 0)], 40)] == ["11-07 Sat 0"]


def test_print_stats_without_history(store: Store) -> None:
    text = _render(_stats(store))
    assert text.startswith("No reviews yet — start with `csdrill review`.\n")
    assert "choice" in text
    assert "Choice [red]title[/]" in text
    assert "Reviews, last 14 days" not in text
    assert "Weakest" not in text


def test_narrow_terminal_drops_titles_not_ids(history: Store) -> None:
    text = _render(_stats(history), 55)
    assert re.search(r"│choice\s", text)
    assert "Choice [red]title[/]" not in text
    assert "Exam [bold]one[/]" in text  # the exam heading stays


def test_the_section_table_adds_up(history: Store) -> None:
    text = _render(_stats(history), 120)
    header = next(line for line in text.splitlines() if "total" in line)
    assert re.search(r"total\s*┃\s*new\s*┃\s*learn\s*┃\s*review\s*┃", header), header
    # choice: 4 = 1 new + 1 learning + 2 review; open: 2 = 1 + 1 + 0; exam ex in all: 6 = 2 + 2 + 2; tf: 1 = 0 + 0 + 1
    for section, counts in (("choice", "4 1 1 2"), ("open", "2 1 1 0"), ("all", "6 2 2 2"), ("tf", "1 0 0 1")):
        row = next(line for line in text.splitlines() if line.startswith(f"│{section} "))
        assert " ".join(re.findall(r"\d+", row)[:4]) == counts, row
