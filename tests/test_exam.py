"""`csdrill exam`: scoring in the source's points, order and skipping, the time limit, the result."""

from __future__ import annotations

import io
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import csdrill
from cs_drill.bank.catalog import MemoryCatalog, load_catalog
from cs_drill.bank.model import Kind, Question, Section
from cs_drill.cli.app import app
from cs_drill.study.assess.grading import Grade, grade
from cs_drill.study.card import Rating
from cs_drill.study.drill import Clock, Recorder
from cs_drill.study.exam import Answered, Sitting, Skipped, TimeUp, points, score
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.store import connect
from test_e2e import terminal_env

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"
NOW = "2026-03-01T09:00:00Z"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
SOURCE_ORDER = [
    "drill/reply-time",
    "drill/record-info",
    "drill/complaint-info",
    "drill/slang",
    "drill/cross-border-law",
    "drill/angry-customer",
    "drill/no-model",
]
RIGHT = "a\nB\nc a b\nf\nt\n"  # the choice and true-false questions, all right: 2+2+3+1+1 = 9 points
OPEN = "先安抚客户情绪，表示理解，再提出变通方案，全程跟进\n我会深呼吸，调整心态后再回复\n"


@pytest.fixture(autouse=True)
def _exam_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSDRILL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CSDRILL_BANK", str(FIXTURE))
    monkeypatch.setenv("CSDRILL_NOW", NOW)


@pytest.fixture(scope="module")
def catalog() -> MemoryCatalog:
    return load_catalog([FIXTURE])


def run(*args: str, input: str = "") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["exam", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def history(tmp_path: Path) -> list[tuple[str, Rating, str, str]]:
    with connect(tmp_path / "home") as db:
        return [(r.uid, r.rating, r.answer, r.mode) for r in db.reviews()]


# --------------------------------------------------------------------------- scoring


def _question(kind: Kind, **fields: object) -> Question:
    base: dict[str, object] = {"id": "q", "exam_id": "x", "section_id": "s", "kind": kind, "prompt": "?"}
    if kind.is_choice:
        base["options"] = (("A", "甲"), ("B", "乙"), ("C", "丙"), ("D", "丁"))
    base.update(fields)
    return Question(**base)  # type: ignore[arg-type]


def _section(kind: Kind, pts: float | None) -> Section:
    return Section("s", "题", kind, 1, pts)


def test_points_come_from_the_question_else_the_section_else_one() -> None:
    q = _question(Kind.SINGLE, correct=("A",))
    assert points(q) == 1
    assert points(q, _section(Kind.SINGLE, None)) == 1
    assert points(q, _section(Kind.SINGLE, 2)) == 2
    assert points(q._replace(points=6), _section(Kind.SINGLE, 2)) == 6


def test_single_and_true_false_score_all_or_nothing() -> None:
    single = _question(Kind.SINGLE, correct=("B",), points=2)
    assert score(single, grade(single, "b")) == 2
    assert score(single, grade(single, "a"), partial=True) == 0
    tf = _question(Kind.TRUE_FALSE, truth=False)
    assert score(tf, grade(tf, "错"), section=_section(Kind.TRUE_FALSE, 1.5)) == 1.5
    assert score(tf, grade(tf, "t")) == 0
    assert score(single, None) == 0  # not answered


def test_multi_choice_is_all_or_nothing_unless_partial_gives_half_for_a_subset() -> None:
    multi = _question(Kind.MULTI, correct=("A", "B", "C"), points=3)
    assert score(multi, grade(multi, "abc")) == 3
    assert score(multi, grade(multi, "ab")) == 0
    assert score(multi, grade(multi, "ab"), partial=True) == 1.5  # 少选: half
    assert score(multi, grade(multi, "abd"), partial=True) == 0  # a wrong letter: nothing
    assert score(multi, grade(multi, "abcd"), partial=True) == 0
    assert score(multi, grade(multi, "abc"), partial=True) == 3


@pytest.mark.parametrize(
    ("rating", "earned"), [(Rating.AGAIN, 0), (Rating.HARD, 5), (Rating.GOOD, 10), (Rating.EASY, 10), (None, 0)]
)
def test_open_answers_score_by_their_self_rating(rating: Rating | None, earned: float) -> None:
    q = _question(Kind.OPEN, model_answer="安抚")
    assert score(q, Grade(correct=None, given="…"), section=_section(Kind.OPEN, 10), rating=rating) == earned


# --------------------------------------------------------------------------- the engine, with a fake clock


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _sitting(db_path: Path, catalog: MemoryCatalog, fake: FakeTime, limit: float | None) -> Sitting:
    db = connect(db_path).__enter__()
    exam = catalog.exams()[0]
    sections = {(exam.id, s.id): s for s in exam.sections}
    recorder = Recorder(db, Scheduler(fuzz=False), "exam", {})
    return Sitting(catalog.select(), sections, recorder, Clock(T0, fake), limit=limit)


def test_skipped_questions_come_back_at_the_end_and_a_second_skip_ends_them(
    tmp_path: Path, catalog: MemoryCatalog
) -> None:
    sitting = _sitting(tmp_path, catalog, FakeTime(), None)
    seen = []
    while (item := sitting.next_question()) is not None:
        seen.append(item.position)
        step = sitting.answer(item, "/next" if item.position in (2, 4) and len(seen) < 8 else "")
        if item.position not in (2, 4):
            assert isinstance(step, Skipped)
    # everything skipped once: all come back; a round with nothing answered ends the questions
    assert seen == [1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7]
    assert sitting.result().points == 0


def test_time_running_out_ends_the_exam_and_unanswered_questions_score_zero(
    tmp_path: Path, catalog: MemoryCatalog
) -> None:
    from rich.console import Console

    from cs_drill.render.console import LineReader
    from cs_drill.render.exam import ExamView, print_result

    fake = FakeTime()

    class SlowAnswers(io.StringIO):
        """Each answer takes the candidate 40 seconds (on the fake clock)."""

        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
            fake.t += 40
            return super().readline()

    sitting = _sitting(tmp_path, catalog, fake, 100.0)
    out = io.StringIO()
    console = Console(file=out, width=80, highlight=False)
    reader = LineReader(console, stream=SlowAnswers("a\nB\nabc\nf\nt\n"), interactive=False, monotonic=fake)
    view = ExamView(console, reader, sitting, catalog.exams()[0])
    view.run()
    print_result(view)
    text = out.getvalue()
    assert view.timed_out
    assert "Time is up" in text
    # two answers in 80 s; the third came at 120 s, past the 100 s: not taken
    assert "Points: 4/29" in text
    assert "Result: FAIL" in text
    assert "Time used: 1:40 / 1:40" in text
    assert "[3] 需要收集哪些信息?" in text
    assert "not answered" in text
    assert "1:40 left" in text
    assert "1:00 left" in text
    assert "0:20 left" in text
    with connect(tmp_path) as db:
        assert [r.uid for r in db.reviews()] == SOURCE_ORDER[:2]
    assert isinstance(sitting.answer(sitting.items[2], "abc"), TimeUp)


def test_an_answer_is_recorded_with_mode_exam_when_it_is_given(tmp_path: Path, catalog: MemoryCatalog) -> None:
    sitting = _sitting(tmp_path, catalog, FakeTime(), None)
    item = sitting.next_question()
    assert item is not None
    step = sitting.answer(item, "a")
    assert isinstance(step, Answered)
    with connect(tmp_path) as other:  # committed at once
        assert [(r.uid, r.mode, r.rating) for r in other.reviews()] == [(SOURCE_ORDER[0], "exam", Rating.GOOD)]


# --------------------------------------------------------------------------- piped runs


def test_a_piped_exam_all_right_passes_records_every_answer_and_keeps_the_attempt(tmp_path: Path) -> None:
    code, out, err = run(input=RIGHT + OPEN + "3\n4\n")
    assert code == 0, err
    assert "Points: 29/29" in out
    assert "Result: PASS" in out
    assert "Missed:" not in out
    assert "Right" not in out
    assert "Wrong" not in out
    rows = history(tmp_path)
    assert [r[0] for r in rows] == SOURCE_ORDER
    assert {r[3] for r in rows} == {"exam"}
    assert [r[1] for r in rows[5:]] == [Rating.GOOD, Rating.EASY]
    with connect(tmp_path / "home") as db:
        (attempt,) = db.attempts("drill")
        assert attempt.section_id is None
        assert (attempt.points, attempt.possible, attempt.pass_mark, attempt.passed) == (29, 29, 60, True)
        assert db.card_states()["drill/reply-time"].is_new is False  # fed to the schedule


def test_a_piped_exam_fails_and_lists_the_missed_with_the_answer_key_and_explanation(tmp_path: Path) -> None:
    # reply-time wrong (B), record-info right, complaint-info a subset, tf both right, open: Again and Hard
    code, out, _ = run(input="b\nB\nab\nf\nt\n" + OPEN + "1\n2\n")
    assert code == 0
    assert "Points: 9/29" in out  # 2 + 1 + 1 + 0 + 5
    assert "Result: FAIL" in out
    assert "[1] 客服回复时效是多少?" in out
    assert "you answered B" in out
    assert "Key: A" in out
    assert "及时响应最重要。" in out  # the 解析
    assert "Missing: C" in out
    assert "rated Again" in out
    assert "rated Hard" in out


def test_partial_gives_half_for_a_subset_of_a_multi_choice_key(tmp_path: Path) -> None:
    code, out, _ = run("--partial", "--section", "multi-choice", input="ab\n")
    assert code == 0
    assert "Points: 1.5/3" in out
    assert "Result: FAIL" in out
    code, out, _ = run("--pass", "50", "--partial", "--section", "multi-choice", input="ab\n")
    assert "Result: PASS" in out


def test_an_empty_line_or_next_skips_and_the_skipped_come_back_at_the_end(tmp_path: Path) -> None:
    code, out, _ = run("--pass", "30", input="\n/next\nabc\nf\nt\n" + OPEN + "a\nB\n3\n3\n")
    assert code == 0
    assert "Points: 29/29" in out
    assert "Result: PASS" in out
    assert "skipped before" in out
    order = [r[0] for r in history(tmp_path)]
    # the choice answers are recorded when given; the open ones when rated at the end
    assert order == SOURCE_ORDER[2:5] + SOURCE_ORDER[:2] + SOURCE_ORDER[5:]


def test_empty_rating_lines_take_the_suggestion(tmp_path: Path) -> None:
    code, out, _ = run("--section", "scenario", input="t\n我会深呼吸\n\n\n")
    assert code == 0
    assert "Rate yourself" in out
    ratings = [r[1] for r in history(tmp_path)]
    assert len(ratings) == 2
    assert ratings[0] is Rating.AGAIN


def test_end_of_input_ends_the_exam_with_what_was_answered(tmp_path: Path) -> None:
    code, out, _ = run(input="a\n")
    assert code == 0
    assert "Points: 2/29" in out
    assert "Result: FAIL" in out
    assert [r[0] for r in history(tmp_path)] == SOURCE_ORDER[:1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--time", "0"], "--time: '0' is not a duration"),
        (["--time", "abc"], "--time: 'abc' is not a duration"),
        (["--pass", "120"], "--pass: 120 is not a percent"),
        (["--section", "nope"], "nope"),
        (["--exam", "nope"], "nope"),
    ],
)
def test_bad_options_exit_2_with_one_line(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Points:" not in out


def test_several_exams_and_none_chosen_exit_2_with_the_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(FIXTURE.read_text(encoding="utf-8").replace("id: drill", "id: other", 1), encoding="utf-8")
    monkeypatch.setenv("CSDRILL_BANK", os.pathsep.join([str(FIXTURE), str(other)]))
    code, _, err = run()
    assert code == 2
    assert "--exam" in err
    assert "drill" in err
    assert "other" in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = run("--exam", "other", "--section", "true-false", input="f\nt\n")
    assert code == 0
    assert "Points: 2/2" in out


def test_the_exam_s_time_limit_and_pass_mark_are_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timed = tmp_path / "timed.yaml"
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "source: fixture", "source: fixture\ntime_limit: 45\npass_mark: 80"
    )
    timed.write_text(text, encoding="utf-8")
    monkeypatch.setenv("CSDRILL_BANK", str(timed))
    code, out, _ = run("--section", "true-false", input="f\nf\n")
    assert code == 0
    assert "time 45:00" in out
    assert "45:00 left" in out
    assert "pass mark 80%" in out
    assert "Result: FAIL" in out  # 1/2 = 50% < 80%
    with connect(tmp_path / "home") as db:
        assert [(a.section_id, a.pass_mark, a.passed) for a in db.attempts()] == [("true-false", 80, False)]


def test_a_chinese_exam_run() -> None:
    from conftest import app_in

    result = CliRunner().invoke(app_in("zh-Hans"), ["exam", "--section", "single-choice"], input="a\na\n")
    assert result.exit_code == 0
    assert "得分：2/4" in result.stdout  # Points: x/y in Chinese
    assert "正确答案：" in result.stdout


# --------------------------------------------------------------------------- at a pseudo-terminal


@pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a pseudo-terminal")
def test_a_timed_exam_at_a_terminal_ends_when_the_time_runs_out(tmp_path: Path) -> None:
    import pexpect

    env = terminal_env(tmp_path)
    child = pexpect.spawn(
        csdrill(), ["exam", "--time", "2s"], env=env, encoding="utf-8", timeout=30, dimensions=(40, 80)
    )
    cpr = "\x1b[6n"  # the editor asks the terminal where the cursor is

    def see(text: str) -> None:
        import re

        while child.expect([re.compile(re.escape(cpr)), re.compile(re.escape(text))]) == 0:
            child.send("\x1b[20;1R")

    see("0:02 left")
    see("Answer (A–C):")
    child.send("a\r")
    see("[2/7]")
    # no answer: the time runs out while the answer waits
    child.expect_exact("Time is up")
    child.expect_exact("Points: 2/29")
    child.expect_exact("Result: FAIL")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with connect(tmp_path / "home") as db:
        assert [r.uid for r in db.reviews()] == SOURCE_ORDER[:1]
        (attempt,) = db.attempts()
        assert attempt.points == 2
        assert not attempt.passed
        assert attempt.seconds <= 2.5


def test_stats_shows_the_mock_exams_last_best_and_trend() -> None:
    from datetime import datetime, timedelta, timezone

    from cs_drill.study.stats import attempt_summaries
    from cs_drill.study.store import Attempt

    t0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    sittings = [
        Attempt("a", None, t0 + timedelta(days=i), 600.0, points, 45.0, 60.0, points >= 27)
        for i, points in enumerate([20.0, 30.0, 25.0, 40.0])
    ]
    sittings.append(Attempt("b", None, t0, 60.0, 5.0, 10.0, 60.0, False))
    first, second = attempt_summaries(sittings)
    assert (first.exam_id, first.sittings, first.last.points, first.best.points) == ("a", 4, 40.0, 40.0)
    assert first.trend is not None
    assert round(100 * first.trend) == round(100 * (40 / 45 - (20 + 30 + 25) / 3 / 45))
    assert (second.exam_id, second.sittings, second.trend) == ("b", 1, None)


def test_stats_lists_the_sittings_of_each_exam(monkeypatch: pytest.MonkeyPatch) -> None:
    run("--section", "true-false", input="t\nt\n")  # 1 of 2
    monkeypatch.setenv("CSDRILL_NOW", "2026-03-01T10:00:00Z")
    run("--section", "true-false", input="f\nt\n")  # 2 of 2
    result = CliRunner().invoke(app, ["stats"])
    assert result.exit_code == 0
    assert "Mock exams" in result.stdout
    assert "2 sittings · last 2/2 (pass, 2026-03-01) · best 2/2 · trend ↑ +50%" in result.stdout


def test_a_bad_think_or_speak_time_is_one_line() -> None:
    code, out, err = run("--think", "abc")
    assert code == 2
    assert err.strip().splitlines() == ["csdrill: --think: 'abc' is not a duration such as 30s, 2m or 1m30s"]
