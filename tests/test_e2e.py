"""The installed `csdrill` driven as a person (a real pseudo-terminal) and a script (a pipe) would."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pexpect
import pytest

from conftest import child_env, csdrill
from cs_drill.study.card import Rating
from cs_drill.study.store import connect

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return terminal_env(tmp_path)


def terminal_env(tmp_path: Path) -> dict[str, str]:
    """A child at an 80×40 terminal, in English: the drill fixture, a home in ``tmp_path``, a fixed clock."""
    return child_env(
        CSDRILL_HOME=str(tmp_path / "home"),
        CSDRILL_BANK=str(FIXTURE),
        CSDRILL_NOW="2026-03-01T09:00:00Z",
        TERM="xterm-256color",
        CSDRILL_LANG="en",
        COLUMNS="80",
        LINES="40",
    )


def spawn(env: dict[str, str], *args: str) -> pexpect.spawn:
    child = pexpect.spawn(csdrill(), list(args), env=env, encoding="utf-8", timeout=30, dimensions=(40, 80))
    return child


CPR = "\x1b[6n"  # the editor asks the terminal where the cursor is


def see(child: pexpect.spawn, text: str, *, regex: bool = False) -> None:
    """Wait for ``text`` on the screen, answering the editor's cursor position requests as a terminal would."""
    import re

    pattern = re.compile(text if regex else re.escape(text))
    while child.expect([re.compile(re.escape(CPR)), pattern]) == 0:
        child.send("\x1b[20;1R")


def uids(home: Path) -> list[tuple[str, Rating]]:
    with connect(home) as db:
        return [(r.uid, r.rating) for r in db.reviews()]


def test_a_person_answers_in_a_terminal_and_presses_ctrl_c(env: dict[str, str], tmp_path: Path) -> None:
    child = spawn(env, "quiz", "--order", "source")
    child.expect_exact("Answer (A–C): ")
    child.sendline("a")
    child.expect_exact("Right")
    child.expect_exact("Answer (A–B): ")
    child.sendline("A")
    child.expect_exact("Wrong")
    child.expect_exact("Answer (all that apply, e.g. AC): ")
    child.sendintr()  # Ctrl-C at the third question
    child.expect_exact("Score: 1/2 (50%)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert uids(tmp_path / "home") == [
        ("drill/reply-time", Rating.GOOD),
        ("drill/record-info", Rating.AGAIN),
    ]


def test_a_person_rehearses_open_answers_ticks_the_checklist_and_rates(env: dict[str, str], tmp_path: Path) -> None:
    child = spawn(env, "quiz", "--section", "scenario", "--order", "source")
    see(child, "Your answer:")
    # a pasted answer of two paragraphs (bracketed paste, as terminals send it) stays one answer
    child.send("\x1b[200~先安抚客户情绪，表示理解。\n\n再提出变通方案，全程跟进到底。\x1b[201~")
    child.send("\r")
    see(child, "Key points:")
    see(child, "Which did you cover?")
    child.sendline("1 2")
    see(child, "2 of 2 ticked → Good")
    see(child, "[Enter = 3 Good]")
    child.sendline("")
    see(child, "Rated Good")
    # the second question has no model answer and no key points: no suggestion, the learner rates
    see(child, "Your answer:")
    child.send("深呼吸\r")
    see(child, "judge your answer yourself")
    see(child, "Rate yourself 1 Again · 2 Hard · 3 Good · 4 Easy: ")
    child.sendline("")
    see(child, "Type 1, 2, 3 or 4.")
    child.sendline("２")  # full-width digits count
    see(child, "Score: ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    home = tmp_path / "home"
    assert uids(home) == [("drill/angry-customer", Rating.GOOD), ("drill/no-model", Rating.HARD)]
    with connect(home) as db:
        assert db.reviews()[0].answer == "先安抚客户情绪，表示理解。\n\n再提出变通方案，全程跟进到底。"


def test_the_think_timer_counts_down_and_enter_starts_the_answer(env: dict[str, str], tmp_path: Path) -> None:
    child = spawn(env, "quiz", "--section", "scenario", "--order", "source", "--think", "5m", "--speak", "2m")
    see(child, "Think it through first")
    see(child, r"[45]:\d\d left", regex=True)
    child.send("\r")
    see(child, "Answer within 2:00")
    see(child, "Your answer:")
    child.send("\r")  # answered aloud: nothing typed
    see(child, "Which did you cover?")
    child.sendline("0")
    see(child, "0 of 2 ticked → Again")
    child.sendline("")
    see(child, "Rated Again")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert uids(tmp_path / "home") == [("drill/angry-customer", Rating.AGAIN)]


def test_end_of_input_in_a_terminal_ends_cleanly(env: dict[str, str]) -> None:
    child = spawn(env, "quiz", "--order", "source")
    child.expect_exact("Answer (A–C): ")
    child.sendline("A")
    child.expect_exact("Answer (A–B): ")
    child.sendeof()
    child.expect_exact("Score: 1/1 (100%)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_script_pipes_answers(env: dict[str, str], tmp_path: Path) -> None:
    done = subprocess.run(
        [csdrill(), "quiz", "--section", "single-choice", "--order", "source"],
        input="A\nB\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Score: 2/2 (100%)" in done.stdout
    assert "\x1b" not in done.stdout  # no colour codes into a pipe
    assert uids(tmp_path / "home") == [
        ("drill/reply-time", Rating.GOOD),
        ("drill/record-info", Rating.GOOD),
    ]


def test_kill_9_right_after_an_answer_loses_nothing(env: dict[str, str], tmp_path: Path) -> None:
    child = spawn(env, "review")
    child.expect_exact("Answer (A–C): ")
    child.sendline("A")
    child.expect_exact("next in")  # printed after the answer is committed
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert uids(tmp_path / "home") == [("drill/reply-time", Rating.GOOD)]


def test_two_sessions_at_once_on_one_history_both_finish(env: dict[str, str], tmp_path: Path) -> None:
    first = spawn(env, "quiz", "--section", "single-choice", "--order", "source")
    second = spawn(env, "quiz", "--section", "true-false", "--order", "source")
    first.expect_exact("Answer (A–C): ")
    second.expect_exact("Answer (t/f, 对/错): ")
    first.sendline("A")
    second.sendline("f")
    first.expect_exact("Answer (A–B): ")
    second.expect_exact("Answer (t/f, 对/错): ")
    second.sendline("t")
    first.sendline("B")
    for child in (first, second):
        child.expect_exact("Score: 2/2 (100%)")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        assert "locked" not in (child.before or "")
    assert sorted(u for u, _ in uids(tmp_path / "home")) == [
        "drill/cross-border-law",
        "drill/record-info",
        "drill/reply-time",
        "drill/slang",
    ]


def test_a_person_in_a_chinese_locale_meets_a_chinese_screen(env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "LANG": "zh_CN.UTF-8"}
    del env["CSDRILL_LANG"]
    child = spawn(env, "quiz", "--order", "source")
    child.expect_exact("请作答（A–C）：")
    child.sendline("Ｂ")  # a full-width letter
    child.expect_exact("✗ 错误")
    child.expect_exact("你的答案：")
    child.expect_exact("正确答案：")
    child.expect_exact("评分：重来 · 1 分钟后复习")
    child.expect_exact("请作答（A–B）：")
    child.sendline("b")
    child.expect_exact("✓ 正确")
    child.expect_exact("请作答（可多选，如 AC）：")
    child.sendeof()
    child.expect_exact("答对：1/2（50%）")
    child.expect_exact("下一步：运行 csdrill review")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert [u for u, _ in uids(tmp_path / "home")] == ["drill/reply-time", "drill/record-info"]


def test_a_person_in_taiwan_rehearses_in_traditional_characters(env: dict[str, str]) -> None:
    env = {**env, "LANG": "zh_TW.UTF-8"}
    del env["CSDRILL_LANG"]
    child = spawn(env, "quiz", "--section", "scenario", "--order", "source")
    see(child, "你的回答：")
    child.send("先安撫客戶情緒，再提出變通方案並全程跟進\r")  # typed in Traditional, the bank is Simplified
    see(child, "要點：")
    see(child, "[✓]")
    see(child, "情绪管理")
    see(child, "你答到了哪幾條？")
    child.sendline("")
    see(child, "勾選了 2 項中的 2 項 → 良好")
    see(child, "（Enter = 3 良好）：")
    child.sendline("")
    see(child, "評分：良好")
    see(child, "你的回答：")
    child.sendcontrol("d")  # end of input in the editor ends the session
    see(child, "答對：1/1（100%）")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_person_uses_dont_know_undo_and_star_at_a_terminal(env: dict[str, str], tmp_path: Path) -> None:
    child = spawn(env, "quiz", "--order", "source", "-n", "3")
    child.expect_exact("At any answer: ? I don't know · /undo take back · /star mark")
    child.expect_exact("Answer (A–C): ")
    child.sendline("?")
    child.expect_exact("Not yet known: remember the answer (rated Again).")
    child.expect_exact("Answer (A–B): ")
    child.sendline("A")  # a slip: the key is B
    child.expect_exact("Wrong")
    child.expect_exact("Answer (all that apply, e.g. AC): ")
    child.sendline("/undo")
    child.expect_exact("Answer taken back: the previous question again.")
    child.expect_exact("Answer (A–B): ")
    child.sendline("/star")
    child.expect_exact("Starred")
    child.expect_exact("Answer (A–B): ")  # asked again after the star
    child.sendline("b")
    child.expect_exact("Right")
    child.expect_exact("Answer (all that apply, e.g. AC): ")
    child.sendline("abc")
    child.expect_exact("Score: 2/3 (67%)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    home = tmp_path / "home"
    assert uids(home) == [
        ("drill/reply-time", Rating.AGAIN),
        ("drill/record-info", Rating.GOOD),
        ("drill/complaint-info", Rating.GOOD),
    ]
    with connect(home) as db:
        assert db.starred() == {"drill/record-info"}


def test_a_person_fills_in_blanks_at_a_terminal(env: dict[str, str], tmp_path: Path) -> None:
    env["CSDRILL_BANK"] = str(Path(__file__).parent / "fixtures" / "good" / "fill-in.yaml")
    child = spawn(env, "quiz", "--order", "source")
    see(child, "Answer (the blank): ")
    child.sendline("３０")  # full-width digits, as a Chinese input method types them
    see(child, "Right")
    see(child, "Answer (2 blanks, separated by ；): ")
    child.sendline("收货；3")  # an accepted alternative for the first blank
    see(child, "Right")
    see(child, "Answer (3 blanks, separated by ；): ")
    child.sendline("态度")  # one blank of three: refused, asked again, never graded
    see(child, "Type the 3 blanks in order")
    see(child, "Answer (3 blanks, separated by ；): ")
    child.sendintr()
    child.expect_exact("Score: 2/2 (100%)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert [uid for uid, _rating in uids(tmp_path / "home")] == ["fill-in/reply-time", "fill-in/return-window"]
