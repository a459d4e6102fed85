"""`csdrill quiz` and `csdrill review` through CliRunner: grading, summaries, recording."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cs_drill.cli.app import app
from cs_drill.study.card import Rating
from cs_drill.study.store import connect

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"
NOW = "2026-03-01T09:00:00Z"

# The fixture's questions in source order and a right answer for each choice question.
SOURCE_ORDER = [
    "drill/reply-time",
    "drill/record-info",
    "drill/complaint-info",
    "drill/slang",
    "drill/cross-border-law",
    "drill/angry-customer",
    "drill/no-model",
]


@pytest.fixture(autouse=True)
def _drill_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSDRILL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CSDRILL_BANK", str(FIXTURE))
    monkeypatch.setenv("CSDRILL_NOW", NOW)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("CSDRILL_DEBUG", raising=False)


def run(*args: str, input: str = "") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def history(tmp_path: Path) -> list[tuple[str, Rating, bool | None, str, str]]:
    with connect(tmp_path / "home") as db:
        return [(r.uid, r.rating, r.correct, r.answer, r.mode) for r in db.reviews()]


def test_a_whole_quiz_piped_is_graded_scored_and_recorded(tmp_path: Path) -> None:
    answers = "a\nB\nc a b\n错\nf\n先安抚客户情绪，最后跟进闭环\n\n我会深呼吸，调整心态后再回复\n4\n"
    code, out, _ = run("quiz", "--order", "source", input=answers)
    assert code == 0
    assert "Score: 6/7 (86%)" in out
    assert "Points: 28/29" in out
    # every answer is in the history, in order, with the rating the contract gives
    rows = history(tmp_path)
    assert [r[0] for r in rows] == SOURCE_ORDER
    assert [r[1] for r in rows[:5]] == [
        Rating.GOOD,
        Rating.GOOD,
        Rating.GOOD,
        Rating.GOOD,
        Rating.AGAIN,
    ]
    assert [r[2] for r in rows] == [True, True, True, True, False, None, None]
    assert rows[2][3] == "c a b"
    assert rows[6][1] is Rating.EASY  # the typed self-rating
    assert {r[4] for r in rows} == {"quiz"}


def test_wrong_multi_choice_names_missing_and_extra_letters() -> None:
    code, out, _ = run("quiz", "--section", "multi-choice", input="AD\n")
    assert code == 0
    assert "✗ Wrong" in out
    assert "Missing: B, C · Not in the key: D" in out
    assert "Not in the key: D" in out
    assert "Score: 0/1 (0%)" in out
    assert "  key: ABC  需要收集哪些信息?" in out  # the question in its own words (ids only on wide terminals)


def test_invalid_input_is_refused_with_a_hint_and_never_graded(tmp_path: Path) -> None:
    code, out, _ = run("quiz", "--order", "source", "--count", "1", input="Z\nAB\nA\n")
    assert code == 0
    assert out.count("Type one letter: A, B or C.") == 2
    assert "Score: 1/1 (100%)" in out
    assert [r[3] for r in history(tmp_path)] == ["A"]


@pytest.mark.parametrize(
    ("typed", "right"),
    [("t", False), ("F", True), ("对", False), ("×", True), ("0", True), ("n", True)],
)
def test_true_false_spellings(typed: str, right: bool) -> None:
    code, out, _ = run("quiz", "--section", "true-false", "--order", "source", "--count", "1", input=f"{typed}\n")
    assert code == 0
    assert f"Score: {int(right)}/1" in out


def test_end_of_input_counts_only_what_was_answered_and_keeps_the_rest_new(tmp_path: Path) -> None:
    code, out, _ = run("quiz", "--order", "source", input="A\n")
    assert code == 0
    assert "Score: 1/1 (100%)" in out
    with connect(tmp_path / "home") as db:
        states = db.card_states()
    assert set(states) == {"drill/reply-time"}  # the question shown but not answered stays new


def test_bank_text_is_literal_markup_and_control_characters_do_nothing() -> None:
    code, out, _ = run("quiz", "--order", "source", "--count", "1", input="A\n")
    assert code == 0
    assert "[red]not red[/]" in out
    assert "练习卷 [bold]Drill[/]" in out
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "ESC" in out  # the text around the escape sequence stays


def test_authored_keys_and_notes_are_marked() -> None:
    code, out, _ = run("quiz", "--order", "source", "--count", "1", input="A\n")
    assert "the source gives no key; this one is authored" in out
    code, out, _ = run("quiz", "--section", "scenario", "--order", "source", input="x\n1\n我会调整\n\n")
    assert code == 0
    assert "Note: 原文没有答案" in out
    assert "(the source gives no model answer: judge your answer yourself)" in out


def test_open_question_shows_model_answer_key_points_and_suggestion(tmp_path: Path) -> None:
    code, out, _ = run("quiz", "--section", "scenario", "--count", "1", "--order", "source", input="先安抚情绪\n\n")
    assert code == 0
    assert "(1)安抚情绪,表示理解" in out
    assert "✓ 情绪管理: 先共情客户" in out
    assert "· 闭环服务: 承诺全程跟进" in out
    assert "covers 1 of 2 key points" in out.replace("seems to cover", "covers")
    assert "[Enter = 2 Hard]" in out
    assert history(tmp_path)[0][1] is Rating.HARD


def test_self_rating_must_be_1_to_4() -> None:
    code, out, _ = run("quiz", "--section", "scenario", "--count", "1", "--order", "source", input="答\n5\n3\n")
    assert code == 0
    assert "Type 1, 2, 3 or 4" in out
    assert "Rated Good" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--section", "nope"],
            "unknown section 'nope'; valid section ids: multi-choice, scenario, single-choice, true-false",
        ),
        (["--exam", "nope"], "unknown exam 'nope'; valid exam ids: drill"),
    ],
)
def test_unknown_ids_exit_2_and_list_the_valid_ones(args: list[str], message: str) -> None:
    code, out, err = run("quiz", *args)
    assert code == 2
    assert message in err
    assert out == ""


def test_count_and_random_order_with_a_seed_repeat(tmp_path: Path) -> None:
    def order(seed: str) -> list[str]:
        home = tmp_path / f"home-{seed}-{len(list(tmp_path.iterdir()))}"
        result = CliRunner().invoke(
            app,
            ["quiz", "--order", "random", "--seed", seed, "--count", "3"],
            input="",
            env={"CSDRILL_HOME": str(home)},
        )
        assert result.exit_code == 0
        return [line for line in result.stdout.splitlines() if line.startswith("[")]

    first, again = order("7"), order("7")
    assert first == again
    assert len(first) == 1  # end of input right away: only the first question is shown


def test_scheduled_order_puts_a_missed_question_first_next_time() -> None:
    run("quiz", "--section", "single-choice", "--order", "source", input="A\nA\n")  # second is wrong
    later = (datetime(2026, 3, 1, 9, tzinfo=timezone.utc) + timedelta(hours=1)).isoformat()
    result = CliRunner().invoke(
        app,
        ["quiz", "--section", "single-choice", "--count", "1"],
        input="B\n",
        env={"CSDRILL_NOW": later},
    )
    assert result.exit_code == 0
    assert "投诉时应记录什么?" in result.stdout
    assert "Score: 1/1" in result.stdout


def test_review_introduces_new_cards_up_to_the_daily_limit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("new_per_day = 2\n", encoding="utf-8")
    code, out, _ = run("review", input="A\nB\n")
    assert code == 0
    assert "Review: 0 due, 2 new." in out
    assert "Score: 2/2 (100%)" in out
    # the same study day: the limit is used up, nothing is due yet
    code, out, _ = run("review", input="")
    assert code == 0
    assert "Nothing to review now." in out
    assert "5 new cards wait" in out
    assert "Next card due in 10 min" in out


def test_review_brings_back_a_missed_card_when_due(tmp_path: Path) -> None:
    run("review", "--section", "single-choice", "--new", "1", input="B\n")  # wrong
    later = "2026-03-01T09:30:00Z"
    result = CliRunner().invoke(app, ["review", "--new", "0"], input="A\n", env={"CSDRILL_NOW": later})
    assert result.exit_code == 0
    assert "Review: 1 due, 0 new." in result.stdout
    assert "客服回复时效是多少?" in result.stdout
    rows = history(tmp_path)
    assert [(r[0], r[1], r[4]) for r in rows] == [
        ("drill/reply-time", Rating.AGAIN, "review"),
        ("drill/reply-time", Rating.GOOD, "review"),
    ]
    # scheduled from the card's state, as the store had it: its second review, not a first
    with connect(tmp_path / "home") as db:
        assert db.card_states()["drill/reply-time"].reps == 2


def test_review_with_nothing_due_and_no_new_cards_allowed() -> None:
    code, out, _ = run("review", "--new", "0")
    assert code == 0
    assert "Nothing to review now." in out
    assert "No card is scheduled yet." in out
    assert "7 new cards wait" in out


def test_bad_config_is_a_one_line_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("desired_retention = 2\n", encoding="utf-8")
    code, out, err = run("review")
    assert code == 2
    assert "desired_retention must be a number from 0.7 to 0.99" in err
    assert "Traceback" not in err + out


def test_corrupt_history_is_a_one_line_error_and_is_not_overwritten(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "history.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    code, out, err = run("quiz", input="A\n")
    assert code == 1
    assert str(db) in err
    assert len(err.strip().splitlines()) == 1
    assert db.read_bytes() == b"this is not a database" * 100


def test_stats_after_a_quiz_shows_accuracy_and_the_review_chart() -> None:
    run("quiz", "--order", "source", input="A\nA\n")  # one right, one wrong
    code, out, _ = run("stats")
    assert code == 0
    assert "2 reviews in all" in out
    assert "│single-choice │ 单选题     │     2 │   0 │     2 │      0 │   0 │   2 │ 50%│" in out  # new, learn, review
    assert "03-01 Sun ██" in out


def test_list_shows_due_counts_once_there_is_a_history() -> None:
    code, out, _ = run("list")
    assert "drill  7 questions\n" in out  # no history yet: no due counts
    run("quiz", "--order", "source", input="B\n")  # wrong: due again in a minute
    result = CliRunner().invoke(app, ["list"], env={"CSDRILL_NOW": "2026-03-01T09:05:00Z"})
    assert "drill  7 questions · 1 due\n" in result.stdout
    assert re.search(r"\n  single-choice +单选题 +single-choice +2 +1 *\n", result.stdout), result.stdout


# --- stars in `list`, review --new 0, stats' weakest and its section table -------------------


def _star(tmp_path: Path, *uids: str) -> None:
    with connect(tmp_path / "home") as db:
        for uid in uids:
            db.star(uid, datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc))


def test_list_counts_stars_per_exam_and_section_once_there_are_stars(tmp_path: Path) -> None:
    assert "starred" not in run("list")[1]  # no history
    run("quiz", "--question", "drill/slang", input="f\n")
    assert "starred" not in run("list")[1]  # a history without stars: no column of zeros
    _star(tmp_path, "drill/slang", "drill/cross-border-law", "drill/reply-time", "gone/question")
    code, out, _ = run("list")
    assert code == 0
    assert "drill  7 questions · 0 due · 3 starred\n" in out
    assert re.search(r"\n  section +title +kind +count +due +starred *\n", out), out
    assert re.search(r"\n  single-choice +单选题 +single-choice +2 +0 +1 *\n", out), out
    assert re.search(r"\n  multi-choice +多选题 +multi-choice +1 +0 +0 *\n", out), out
    assert re.search(r"\n  true-false +判断题 +true-false +2 +0 +2 *\n", out), out


def test_list_counts_stars_in_chinese(tmp_path: Path) -> None:
    from conftest import app_in

    run("quiz", "--question", "drill/slang", input="f\n")
    _star(tmp_path, "drill/slang", "drill/angry-customer")
    done = CliRunner().invoke(app_in("zh-Hans"), ["list"])
    assert done.exit_code == 0
    assert re.search(r"\n  true-false +判断题 +判断题 +2 +0 +1 *\n", done.stdout), done.stdout
    assert re.search(r"\n  scenario +情景模拟题 +简答题 +2 +0 +1 *\n", done.stdout), done.stdout
    assert done.stdout.startswith("drill  7 道题 · 0 道到期 · ")


def test_review_new_0_says_that_new_0_holds_the_new_cards_back() -> None:
    from conftest import app_in

    code, out, _ = run("review", "--new", "0")
    assert code == 0
    assert "No card is scheduled yet. 7 new cards wait: --new 0 holds them back.\n" in out
    assert "limit is reached" not in out  # the limit was not what kept them back
    done = CliRunner().invoke(app_in("zh-Hans"), ["review", "--new", "0"])
    assert done.exit_code == 0
    assert "现在没有要复习的卡片。" in done.stdout
    assert "--new 0" in done.stdout


def test_stats_weakest_puts_a_card_missed_today_first_and_never_at_100_percent() -> None:
    run("quiz", "--order", "source", input="A\nA\n")  # reply-time right (Good), record-info wrong (Again)
    result = CliRunner().invoke(app, ["stats"], env={"CSDRILL_NOW": "2026-03-01T11:00:00Z"})
    assert result.exit_code == 0
    weakest = result.stdout.split("Weakest questions")[1]
    rows = [line for line in weakest.splitlines() if re.search(r"\d+%", line)]
    assert [re.findall(r"(\d+)% │ (\w+)", row)[0][1] for row in rows] == ["Again", "Good"]  # Good below Again
    missed, right = (int(re.findall(r"(\d+)%", row)[0]) for row in rows)
    assert missed < right < 100  # two hours after an answer, recall is no longer certain
    assert "drill/record-info" in weakest.split("Good")[0]


def test_stats_section_table_has_a_review_column_so_that_it_adds_up() -> None:
    from conftest import app_in

    run("quiz", "--order", "source", input="A\nA\n")
    out = run("stats")[1]
    assert re.search(r"┃section\s+┃ title\s+┃ total ┃ new ┃ learn ┃ review ┃ now ┃  7d ┃ 30d┃", out), out
    assert "│single-choice │ 单选题     │     2 │   0 │     2 │      0 │   0 │   2 │ 50%│" in out
    assert "│all           │            │     7 │   5 │     2 │      0 │   0 │   2 │ 50%│" in out
    done = CliRunner().invoke(app_in("zh-Hans"), ["stats"])
    assert done.exit_code == 0
    assert re.search(r"┃\s*题数\s*┃\s*新\s*┃\s*学习\s*┃\s*复习\s*┃", done.stdout), done.stdout
    assert "最薄弱的题目" in done.stdout
