"""`csdrill browse` (背题): every question with its answer, one after another; nothing is recorded."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pexpect
import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import app_in
from cs_drill.bank.catalog import load_catalog
from cs_drill.cli.app import app
from cs_drill.render.browse import BrowseView, is_stop
from cs_drill.render.console import LineReader
from test_e2e import see, spawn, terminal_env

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"


@pytest.fixture(autouse=True)
def _browse_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSDRILL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CSDRILL_BANK", str(FIXTURE))
    monkeypatch.setenv("CSDRILL_NOW", "2026-03-01T09:00:00Z")
    monkeypatch.setenv("COLUMNS", "80")


def history_file() -> Path:
    return Path(os.environ["CSDRILL_HOME"]) / "history.sqlite3"


def run(*args: str, input: str = "") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_piped_every_question_is_printed_with_its_answer_without_waiting() -> None:
    code, out, err = run("browse", input="q\n")  # piped: nothing is read, so q stops nothing
    assert code == 0, err
    positions = [out.index(f"[{n}/7] ") for n in range(1, 8)]
    assert positions == sorted(positions)  # source order
    # choice: the letters, then the options' text
    assert "Key: B\n  B. 订单号、问题描述及截图\n" in out
    assert "Key: ABC\n  A. 订单号\n  B. 截图证据\n  C. 联系方式\n" in out
    assert "Note: the source gives no key; this one is authored for csdrill." in out
    assert "Explanation: 及时响应最重要。" in out
    # open: the model answer, key points, 解析; the note; no model answer said so
    assert "Model answer:\n(1)安抚情绪,表示理解\n(2)提出变通方案\n" in out
    assert "Key points:\n  - 情绪管理: 先共情客户\n  - 闭环服务: 承诺全程跟进\n" in out
    assert "Explanation: 先处理情绪再处理事情。" in out
    assert "Note: 原文没有答案\nModel answer:\n(the source gives no model answer)\n" in out
    assert out.rstrip().endswith("7 of 7 questions shown; browsing records nothing.")
    assert "Enter" not in out  # no prompt when nobody is there to press it
    assert not history_file().exists()  # browsing records nothing, not even an empty history


def test_one_section_looks_like_this() -> None:
    code, out, _ = run("browse", "--section", "true-false")
    assert code == 0
    body = out[out.index("判断题") :]
    assert body == (
        "判断题  (2 questions × 1 pts)\n"
        "\n"
        "[1/2] true or false · 1 pts\n"
        "可以随意使用网络流行语。\n"
        "Key: false (×)\n"
        "\n"
        "[2/2] true or false · 1 pts\n"
        "跨境纠纷需参考两国法律。\n"
        "Key: true (√)\n"
        "\n"
        "2 of 2 questions shown; browsing records nothing.\n"
    )
    assert "练习卷 [bold]Drill[/]" in out  # the exam's title, as text


def test_questions_named_come_in_the_order_given() -> None:
    code, out, _ = run("browse", "--question", "drill/cross-border-law", "--question", "drill/reply-time")
    assert code == 0
    assert out.index("跨境纠纷需参考两国法律。") < out.index("客服回复时效是多少?")
    assert "[1/2] true or false" in out
    assert "[2/2] single choice" in out
    assert "投诉时应记录什么?" not in out
    assert "2 of 2 questions shown" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exam", "nope"], "unknown exam 'nope'; valid exam ids: drill"),
        (["--section", "nope"], "unknown section 'nope'"),
        (["--question", "drill/nope"], "unknown question 'drill/nope'"),
    ],
)
def test_unknown_ids_exit_2(args: list[str], message: str) -> None:
    code, out, err = run("browse", *args)
    assert code == 2
    assert message in err
    assert out == ""
    assert not history_file().exists()


def test_bank_text_is_literal() -> None:
    out = run("browse", "--section", "single-choice")[1]
    assert "客服回复时效是多少? [red]not red[/] ESC" in out
    assert "\x1b" not in out
    assert "\x07" not in out


def test_script_converts_the_bank_text() -> None:
    out = run("browse", "--section", "scenario", "--script", "hant")[1]
    assert "客戶情緒激動" in out
    assert "(1)安撫情緒,表示理解" in out
    code, _, err = run("browse", "--script", "latin")
    assert code == 2
    assert "--script: 'latin' is not one of source, hans, hant" in err


def test_help() -> None:
    code, out, _ = run("browse", "--help")
    assert code == 0
    assert "Browse questions with their answers" in out
    assert "--question" in out


def test_in_chinese() -> None:
    done = CliRunner().invoke(app_in("zh-Hans"), ["browse", "--section", "multi-choice", "--section", "scenario"])
    assert done.exit_code == 0
    out = done.stdout
    assert "情景模拟题  （共 2 题，每题10分）" in out
    assert "[1/2] 简答题 · 10分" in out
    assert "参考答案：\n(1)安抚情绪,表示理解\n(2)提出变通方案\n" in out
    assert "要点：\n  - 情绪管理：先共情客户\n  - 闭环服务：承诺全程跟进\n" in out
    assert "解析：先处理情绪再处理事情。" in out
    assert "注：原文没有答案" in out
    done = CliRunner().invoke(app_in("zh-Hans"), ["browse", "--section", "true-false"])
    assert "正确答案：错 (×)" in done.stdout
    assert "正确答案：对 (√)" in done.stdout


# --------------------------------------------------------------------------- waiting between questions


def _view(typed: str) -> tuple[BrowseView, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, width=80, highlight=False)
    catalog = load_catalog([FIXTURE])
    reader = LineReader(console, stream=io.StringIO(typed), interactive=False)
    return BrowseView(console, catalog.exams(), reader=reader), out


@pytest.mark.parametrize(("typed", "shown"), [("\nq\n", 2), ("\n\nＱ\n", 3), ("", 1), ("\n" * 9, 7), ("\nquit\n", 2)])
def test_with_a_reader_enter_moves_on_and_q_or_end_of_input_stops(typed: str, shown: int) -> None:
    view, out = _view(typed)
    questions = load_catalog([FIXTURE]).select()
    assert view.run(questions, len(questions)) == shown
    text = out.getvalue()
    assert f"[{shown}/7]" in text
    assert f"[{shown + 1}/7]" not in text
    assert f"{shown} of 7 questions shown; browsing records nothing." in text
    # the prompt comes between two questions, never after the last one shown
    assert text.count("Enter: next question · q: stop") == min(shown, 6)


def test_stop_words() -> None:
    assert is_stop("q")
    assert is_stop(" Q ")
    assert is_stop("ｑ")
    assert is_stop("退出")
    assert not is_stop("")
    assert not is_stop("next")


# --------------------------------------------------------------------------- at a terminal


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return terminal_env(tmp_path)


def test_a_person_presses_enter_for_the_next_question_and_q_to_stop(env: dict[str, str], tmp_path: Path) -> None:
    child = spawn(env, "browse")
    see(child, "[1/7]")  # (the screen has styles between the parts of a line)
    see(child, "Key: ")
    see(child, "10分钟内")
    see(child, "Enter: next question · q: stop ")
    with pytest.raises(pexpect.TIMEOUT):  # it waits for Enter
        child.expect_exact("[2/7]", timeout=1)
    child.sendline("")
    see(child, "[2/7]")
    see(child, "投诉时应记录什么?")
    see(child, "订单号、问题描述及截图")
    see(child, "Enter: next question · q: stop ")
    child.sendline("q")
    see(child, "2 of 7 questions shown; browsing records nothing.")
    child.expect(pexpect.EOF)
    assert "[3/7]" not in (child.before or "")
    child.close()
    assert child.exitstatus == 0
    assert not (tmp_path / "home" / "history.sqlite3").exists()


def test_ctrl_c_at_a_terminal_stops_with_exit_130(env: dict[str, str]) -> None:
    child = spawn(env, "browse", "--section", "true-false")
    see(child, "Enter: next question · q: stop ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
