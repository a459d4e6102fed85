"""The study modes of every answer prompt and of `quiz`: ?, /undo, /star, --only wrong|starred,
resuming a source-order quiz, practice that leaves the schedule, Again cards back within a review."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cs_drill.cli.app import app
from cs_drill.study.card import Rating
from cs_drill.study.store import connect

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"
NOW = "2026-03-01T09:00:00Z"


@pytest.fixture(autouse=True)
def _drill_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSDRILL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CSDRILL_BANK", str(FIXTURE))
    monkeypatch.setenv("CSDRILL_NOW", NOW)


def run(*args: str, input: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.output


def reviews(tmp_path: Path) -> list[tuple[str, Rating, str, str]]:
    """The history in the order the answers were given (each run's clock starts at CSDRILL_NOW)."""
    import sqlite3

    conn = sqlite3.connect(tmp_path / "home" / "history.sqlite3")
    try:
        rows = conn.execute("SELECT uid, rating, answer, mode FROM reviews ORDER BY id").fetchall()
    finally:
        conn.close()
    return [(uid, Rating(rating), answer, mode) for uid, rating, answer, mode in rows]


def test_a_question_mark_shows_the_key_and_rates_again_without_a_guess(tmp_path: Path) -> None:
    code, out = run("quiz", "--order", "source", "-n", "2", input="?\n？\n")
    assert code == 0
    assert out.count("Not yet known: remember the answer (rated Again).") == 2
    assert "Key: A" in out
    assert "Wrong" not in out  # no verdict on a guess that was not made
    assert "Score: 0/2 (0%)" in out
    assert reviews(tmp_path) == [
        ("drill/reply-time", Rating.AGAIN, "?", "quiz"),
        ("drill/record-info", Rating.AGAIN, "?", "quiz"),
    ]


def test_a_question_mark_at_an_open_question_needs_no_rating_line(tmp_path: Path) -> None:
    code, out = run("quiz", "--section", "scenario", "--order", "source", input="?\n我会深呼吸\n3\n")
    assert code == 0
    assert "(1)安抚情绪" in out  # the model answer is shown
    assert [r[:2] for r in reviews(tmp_path)] == [
        ("drill/angry-customer", Rating.AGAIN),
        ("drill/no-model", Rating.GOOD),
    ]


def test_undo_takes_the_previous_answer_back_and_asks_it_again(tmp_path: Path) -> None:
    # a wrong answer, taken back at the next prompt, then both answered right
    code, out = run("quiz", "--order", "source", "-n", "2", input="B\n/undo\nA\nB\n")
    assert code == 0
    assert "Answer taken back: the previous question again." in out
    assert "Score: 2/2 (100%)" in out
    rated = [r[:2] for r in reviews(tmp_path)]
    assert rated == [("drill/reply-time", Rating.GOOD), ("drill/record-info", Rating.GOOD)]
    with connect(tmp_path / "home") as db:
        assert db.card_states()["drill/reply-time"].lapses == 0


def test_undo_with_nothing_to_take_back_is_a_hint(tmp_path: Path) -> None:
    code, out = run("quiz", "--order", "source", "-n", "1", input="／undo\nA\n")
    assert code == 0
    assert "Nothing to take back yet" in out
    assert [r[0] for r in reviews(tmp_path)] == ["drill/reply-time"]


def test_a_starred_question_is_asked_again_and_drilled_with_only_starred(tmp_path: Path) -> None:
    code, out = run("quiz", "--order", "source", "-n", "2", input="/star\nA\nB\n")
    assert code == 0
    assert "Starred" in out
    assert out.count("Answer (A–C): ") == 2  # asked again after the star
    with connect(tmp_path / "home") as db:
        assert db.starred() == {"drill/reply-time"}
    code, out = run("quiz", "--only", "starred", input="A\n")
    assert code == 0
    assert "Score: 1/1 (100%)" in out
    run("quiz", "--only", "starred", input="/unstar\nA\n")
    with connect(tmp_path / "home") as db:
        assert db.starred() == set()
    code, out = run("quiz", "--only", "starred")
    assert code == 0
    assert "nothing to drill: no question matches --only starred" in out


def test_only_wrong_asks_a_miss_again_until_it_is_right(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("quiz", "--order", "source", "-n", "3", input="B\nA\nA\n")  # all three wrong
    monkeypatch.setenv("CSDRILL_NOW", "2026-03-01T10:00:00Z")
    code, out = run("quiz", "--only", "wrong", "--order", "source", input="B\nB\nABC\nB\nA\n")
    assert code == 0
    asked = [r[0] for r in reviews(tmp_path)][3:]
    # reply-time missed again (B): back after the other two, missed again, back at the end, right (A)
    assert asked == [
        "drill/reply-time",
        "drill/record-info",
        "drill/complaint-info",
        "drill/reply-time",
        "drill/reply-time",
    ]
    assert out.count("once more") == 2
    monkeypatch.setenv("CSDRILL_NOW", "2026-03-01T11:00:00Z")
    code, out = run("quiz", "--only", "wrong")
    assert code == 0
    assert "nothing to drill: no question matches --only wrong" in out


def test_a_source_order_quiz_goes_on_where_it_stopped(tmp_path: Path) -> None:
    run("quiz", "--order", "source", input="A\nB\n")
    code, out = run("quiz", "--order", "source", "-n", "1", input="ABC\n")
    assert code == 0
    assert "Going on from question 3 (--restart to begin again)." in out
    assert [r[0] for r in reviews(tmp_path)][-1] == "drill/complaint-info"
    code, out = run("quiz", "--order", "source", "--restart", "-n", "1", input="A\n")
    assert "Going on" not in out
    assert [r[0] for r in reviews(tmp_path)][-1] == "drill/reply-time"
    # another selection has its own place
    code, out = run("quiz", "--order", "source", "--section", "true-false", "-n", "1", input="f\n")
    assert "Going on" not in out


def test_undo_moves_the_resume_point_back(tmp_path: Path) -> None:
    run("quiz", "--order", "source", input="A\nB\n/undo\n")
    code, out = run("quiz", "--order", "source", "-n", "1", input="B\n")
    assert "Going on from question 2" in out


def test_practice_counts_in_the_history_but_leaves_the_schedule(tmp_path: Path) -> None:
    run("quiz", "--order", "source", "-n", "1", input="A\n")
    with connect(tmp_path / "home") as db:
        before = db.card_states()
    code, out = run("quiz", "--order", "source", "--restart", "-n", "1", "--no-schedule", input="B\n")
    assert code == 0
    assert "next in" not in out
    with connect(tmp_path / "home") as db:
        assert db.card_states() == before
    assert [r[3] for r in reviews(tmp_path)] == ["quiz", "practice"]


def test_review_asks_a_card_rated_again_once_more_within_the_session(tmp_path: Path) -> None:
    code, out = run("review", "--new", "5", input="B\nB\nABC\nf\nA\nt\n")
    assert code == 0
    assert "once more" in out
    assert [r[0] for r in reviews(tmp_path)] == [
        "drill/reply-time",
        "drill/record-info",
        "drill/complaint-info",
        "drill/slang",
        "drill/reply-time",  # missed first, back after three others
        "drill/cross-border-law",
    ]


def test_quiz_uses_the_default_exam_of_config_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cs_drill.bank.files import bundled_bank

    monkeypatch.setenv("CSDRILL_BANK", str(bundled_bank()))
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('exam = "ecommerce-cs-newcomer-interview"\n', encoding="utf-8")
    code, out = run("quiz", "--order", "source", "-n", "1", input="?\n")
    assert code == 0
    assert [r[0] for r in reviews(tmp_path)][0].startswith("ecommerce-cs-newcomer-interview/")
    (home / "config.toml").write_text('exam = "nope"\n', encoding="utf-8")
    code, out = run("quiz", "-n", "1")
    assert code == 2
    assert "exam:" in out
    assert "nope" in out
