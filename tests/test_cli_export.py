"""`csdrill export` through CliRunner: formats, files, filters and personal sheets."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sqlite3
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import app_in
from cs_drill.cli.app import app
from cs_drill.study.card import NEW, Rating
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.store import connect

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"


@pytest.fixture(autouse=True)
def _export_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSDRILL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CSDRILL_BANK", str(FIXTURE))
    monkeypatch.setenv("CSDRILL_NOW", "2026-03-01T09:00:00Z")


def home() -> Path:
    return Path(os.environ["CSDRILL_HOME"])


def run(*args: str, input: str = "") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_markdown_to_standard_output_by_default() -> None:
    code, out, _ = run("export")
    assert code == 0
    assert out.startswith("# 练习卷 \\[bold\\]Drill\\[/\\]")
    for prompt in ("投诉时应记录什么?", "可以随意使用网络流行语。", "你如何调节自己的情绪?"):
        assert prompt in out
    assert "\x1b" not in out
    assert "\x07" not in out


def test_section_filter_and_practice_sheet() -> None:
    code, out, _ = run("export", "--section", "scenario", "--no-answers")
    assert code == 0
    assert "客户情绪激动" in out
    assert "投诉时应记录什么" not in out  # another section
    assert "安抚情绪,表示理解" not in out  # the model answer is hidden


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("sheet.html", b"<!doctype html>"),
        ("sheet.md", "# 练习卷".encode()),
        ("sheet.csv", b"\xef\xbb\xbfexam,section,id"),
    ],
)
def test_the_format_follows_the_output_extension(tmp_path: Path, name: str, check: bytes) -> None:
    target = tmp_path / name
    code, _, err = run("export", "-o", str(target))
    assert code == 0
    assert "wrote 7 questions" in err
    assert target.read_bytes().lower().startswith(check.lower())
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_csv_rows_read_back(tmp_path: Path) -> None:
    target = tmp_path / "bank.csv"
    assert run("export", "-o", str(target))[0] == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == [
        "reply-time",
        "record-info",
        "complaint-info",
        "slang",
        "cross-border-law",
        "angry-customer",
        "no-model",
    ]
    assert rows[2]["answer"] == "ABC"


def test_apkg_has_one_note_per_question_and_needs_a_file(tmp_path: Path) -> None:
    code, _, err = run("export", "--format", "apkg")
    assert code == 2
    assert "--output" in err
    target = tmp_path / "cs.apkg"
    assert run("export", "-o", str(target))[0] == 0
    with zipfile.ZipFile(target) as z:
        (tmp_path / "col.anki2").write_bytes(z.read("collection.anki2"))
    with contextlib.closing(sqlite3.connect(tmp_path / "col.anki2")) as db:
        assert db.execute("select count(*) from notes").fetchone() == (7,)


def test_unknown_extension_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run("export", "-o", str(tmp_path / "sheet.docx"))
    assert code == 2
    assert "cannot tell the format from 'sheet.docx'" in err
    assert not (tmp_path / "sheet.docx").exists()


def test_personal_sheets_from_the_history() -> None:
    # right, wrong, then the open question self-rated Again
    run("quiz", "--order", "source", "--count", "2", input="A\nA\n")
    code, out, _ = run("export", "--only", "wrong")
    assert code == 0
    assert "投诉时应记录什么?" in out  # answered wrong: in the 错题本
    assert "客服回复时效是多少?" not in out  # answered right
    code, out, _ = run("export", "--only", "due")
    assert "投诉时应记录什么?" not in out  # due in a minute, not now
    result = CliRunner().invoke(app, ["export", "--only", "due"], env={"CSDRILL_NOW": "2026-03-01T09:30:00Z"})
    assert "投诉时应记录什么?" in result.stdout
    assert "客服回复时效是多少?" in result.stdout


def test_personal_sheet_without_history_is_empty_not_an_error() -> None:
    code, out, _ = run("export", "--only", "weak")
    assert code == 0
    assert "投诉" not in out


# --- --mine: the learner's own best answers -------------------------------------

ANGRY = "drill/angry-customer"
CSV_HEAD = "exam,section,id,kind,prompt,options,answer,explanation,key_points,tags"


def read_notes(path: Path) -> list[list[str]]:
    """The fields of each note of an Anki package."""
    with zipfile.ZipFile(path) as z:
        db_path = path.with_suffix(".anki2")
        db_path.write_bytes(z.read("collection.anki2"))
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        return [flds.split("\x1f") for (flds,) in db.execute("select flds from notes order by id")]


def test_mine_shows_the_best_answer_and_not_an_again_one(tmp_path: Path) -> None:
    # Answered twice at the prompt: once self-rated Good, then (later) a poor answer rated Again.
    assert run("quiz", "--question", ANGRY, input="先道歉再查物流ALPHA\n3\n")[0] == 0
    assert run("quiz", "--question", ANGRY, input="随便应付一下BETA\n1\n")[0] == 0

    code, out, _ = run("export", "--mine", "--section", "scenario")
    assert code == 0
    assert "**我的回答：**\n\n先道歉再查物流ALPHA\n\n**要点：**" in out
    assert "BETA" not in out
    assert out.count("我的回答") == 1  # no-model has no answer of mine
    assert "ALPHA" not in run("export", "--section", "scenario")[1]  # only with --mine
    assert "ALPHA" not in run("export", "--mine", "--section", "scenario", "--no-answers")[1]

    page = tmp_path / "sheet.html"
    assert run("export", "--mine", "-o", str(page))[0] == 0
    assert '<p class="mine"><span class="label">我的回答：</span></p>\n<p>先道歉再查物流ALPHA</p>' in page.read_text(
        encoding="utf-8"
    )
    assert "BETA" not in page.read_text(encoding="utf-8")

    sheet = tmp_path / "sheet.csv"
    assert run("export", "--mine", "-o", str(sheet))[0] == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert {r["id"]: r["my_answer"] for r in rows} == {
        "reply-time": "",
        "record-info": "",
        "complaint-info": "",
        "slang": "",
        "cross-border-law": "",
        "angry-customer": "先道歉再查物流ALPHA",
        "no-model": "",
    }

    deck = tmp_path / "cs.apkg"
    assert run("export", "--mine", "-o", str(deck))[0] == 0
    answers = [fields[2] for fields in read_notes(deck)]
    assert any('<div class="label">我的回答</div>先道歉再查物流ALPHA' in answer for answer in answers)
    assert not any("BETA" in answer for answer in answers)


def test_mine_without_history_adds_nothing(tmp_path: Path) -> None:
    code, out, _ = run("export", "--mine")
    assert code == 0
    assert "我的回答" not in out
    assert not (home() / "history.sqlite3").exists()  # reading the history never creates one
    sheet = tmp_path / "sheet.csv"
    assert run("export", "--mine", "-o", str(sheet))[0] == 0
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf" + CSV_HEAD.encode() + b",my_answer\r\n")


def test_csv_header_without_mine_is_unchanged(tmp_path: Path) -> None:
    run("quiz", "--question", ANGRY, input="先道歉再查物流ALPHA\n3\n")
    sheet = tmp_path / "sheet.csv"
    assert run("export", "-o", str(sheet))[0] == 0
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + CSV_HEAD.encode() + b"\r\n")
    assert b"my_answer" not in raw
    assert b"ALPHA" not in raw
    assert {len(row) for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")))} == {10}


HOSTILE = "<script>alert(1)</script> [bold]粗体[/] \x1b[2J清屏\x07 *星* OMEGA"


def test_a_hostile_answer_is_shown_as_text_in_every_format(tmp_path: Path) -> None:
    now = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
    with connect(home()) as store:
        after = Scheduler(fuzz=False).review(ANGRY, NEW, Rating.GOOD, now, 1000)
        store.record(
            ANGRY, after=after, now=now, rating=Rating.GOOD, correct=None, answer=HOSTILE, duration_ms=1, mode="quiz"
        )

    code, out, _ = run("export", "--mine")
    assert code == 0
    assert "\\<script\\>alert(1)\\</script\\> \\[bold\\]粗体\\[/\\] 清屏 \\*星\\* OMEGA" in out
    assert "\x1b" not in out
    assert "\x07" not in out

    page = tmp_path / "sheet.html"
    assert run("export", "--mine", "-o", str(page))[0] == 0
    html_text = page.read_text(encoding="utf-8")
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; [bold]粗体[/] 清屏 *星* OMEGA</p>" in html_text
    assert "<script" not in html_text

    sheet = tmp_path / "sheet.csv"
    assert run("export", "--mine", "-o", str(sheet))[0] == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert [r["my_answer"] for r in rows if r["id"] == "angry-customer"] == [
        "<script>alert(1)</script> [bold]粗体[/] 清屏 *星* OMEGA"
    ]
    assert "\x1b" not in sheet.read_text(encoding="utf-8-sig")

    deck = tmp_path / "cs.apkg"
    assert run("export", "--mine", "-o", str(deck))[0] == 0
    fields = "".join("".join(f) for f in read_notes(deck))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [bold]粗体[/] 清屏 *星* OMEGA" in fields
    assert "<script" not in fields
    assert "\x1b" not in fields
    assert "\x07" not in fields


# --- --script ---------------------------------------------------------------------

NEWCOMER = "ecommerce-cs-newcomer-interview"  # the bundled zh-Hant exam


@pytest.fixture
def bundled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CSDRILL_BANK")


@pytest.mark.usefixtures("bundled")
def test_script_hans_converts_the_traditional_exam(tmp_path: Path) -> None:
    code, out, _ = run("export", "--exam", NEWCOMER)
    assert code == 0
    assert "訂單處理、投訴處理" in out  # as the bank has it
    code, out, _ = run("export", "--exam", NEWCOMER, "--script", "hans")
    assert code == 0
    assert "# 2026年新人电商客服面试题集" in out
    assert "## 基础知识题" in out
    assert "订单处理、投诉处理" in out
    assert "處理" not in out
    sheet = tmp_path / "sheet.csv"
    assert run("export", "--exam", NEWCOMER, "--script", "hans", "-o", str(sheet))[0] == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert rows[0]["id"] == "core-duties"  # ids stay as they are
    assert "订单处理" in rows[0]["answer"]
    assert "處理" not in sheet.read_text(encoding="utf-8-sig")


@pytest.mark.usefixtures("bundled")
def test_script_defaults_to_the_setting_in_config_toml() -> None:
    home().mkdir(parents=True, exist_ok=True)
    (home() / "config.toml").write_text('script = "hans"\n', encoding="utf-8")
    out = run("export", "--exam", NEWCOMER)[1]
    assert "订单处理" in out
    assert "處理" not in out
    assert "訂單處理" in run("export", "--exam", NEWCOMER, "--script", "source")[1]


def test_script_hant_leaves_my_answer_as_typed() -> None:
    run("quiz", "--question", ANGRY, input="先处理情绪ALPHA\n3\n")
    out = run("export", "--mine", "--script", "hant", "--section", "scenario")[1]
    assert "客戶情緒激動" in out  # the bank's text, in Traditional characters
    assert "先处理情绪ALPHA" in out  # the learner's own words, as typed


def test_unknown_script_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "sheet.md"
    code, _, err = run("export", "--script", "latin", "-o", str(target))
    assert code == 2
    assert "--script: 'latin' is not one of source, hans, hant" in err
    assert not target.exists()


# --- the 错题本 (--only wrong): the answer given, how often, when ---------------------------

NOON = "2026-03-01T12:00:00Z"  # 2026-03-01 in the local time zone of any machine but ±12 h
NEXT_DAY = "2026-03-02T12:00:00Z"


def run_at(now: str, *args: str, input: str = "") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input, env={"CSDRILL_NOW": now})
    return result.exit_code, result.stdout, result.stderr


def quiz_wrong_twice() -> None:
    """reply-time missed twice (C, then B the next day), record-info right, the multi-choice missed once (AD)."""
    assert run_at(NOON, "quiz", "--order", "source", "--count", "3", input="c\nB\nd a\n")[0] == 0
    assert run_at(NEXT_DAY, "quiz", "--question", "drill/reply-time", input="b\n")[0] == 0


def test_the_wrong_sheet_shows_the_answer_given_how_often_and_when() -> None:
    quiz_wrong_twice()
    code, out, err = run_at(NEXT_DAY, "export", "--only", "wrong")
    assert code == 0, err
    assert (
        "**1.** 客服回复时效是多少? \\[red\\]not red\\[/\\] ESC\n\n"
        "A. 10分钟内  \nB. 2小时内  \nC. 无要求\n\n"
        "**错题记录：** 答错 2 次，最近一次 2026-03-02  \n**最近错答：** B. 2小时内\n\n"
        "**答案：** A. 10分钟内\n\n"
    ) in out
    assert "**错题记录：** 答错 1 次，最近一次 2026-03-01  \n**最近错答：** AD  \nA. 订单号  \nD. 卖家等级\n\n" in out
    assert "投诉时应记录什么?" not in out  # answered right: not in the 错题本
    # a practice 错题本: how often and when, not the answer given
    practice = run_at(NEXT_DAY, "export", "--only", "wrong", "--no-answers")[1]
    assert "**错题记录：** 答错 2 次，最近一次 2026-03-02\n" in practice
    assert "最近错答" not in practice
    # other sheets have no record of misses
    assert "错题记录" not in run_at(NEXT_DAY, "export")[1]
    assert "错题记录" not in run_at(NEXT_DAY, "export", "--only", "due")[1]


def test_the_wrong_sheet_in_every_format(tmp_path: Path) -> None:
    quiz_wrong_twice()
    page = tmp_path / "错题本.html"
    assert run_at(NEXT_DAY, "export", "--only", "wrong", "-o", str(page))[0] == 0
    assert (
        '<p class="misses"><span class="label">错题记录：</span>答错 2 次，最近一次 2026-03-02<br>'
        '<span class="label">最近错答：</span>B. 2小时内</p>'
    ) in page.read_text(encoding="utf-8")
    sheet = tmp_path / "wrong.csv"
    assert run_at(NEXT_DAY, "export", "--only", "wrong", "-o", str(sheet))[0] == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert [(r["id"], r["missed_answer"], r["misses"], r["last_missed"]) for r in rows] == [
        ("reply-time", "B", "2", "2026-03-02"),
        ("complaint-info", "AD", "1", "2026-03-01"),
    ]
    plain = tmp_path / "plain.csv"
    assert run_at(NEXT_DAY, "export", "-o", str(plain))[0] == 0
    assert plain.read_bytes().startswith(b"\xef\xbb\xbf" + CSV_HEAD.encode() + b"\r\n")  # unchanged without it
    deck = tmp_path / "wrong.apkg"
    assert run_at(NEXT_DAY, "export", "--only", "wrong", "-o", str(deck))[0] == 0
    answers = [fields[2] for fields in read_notes(deck)]
    assert any("答错 2 次，最近一次 2026-03-02<br><b>最近错答：</b>B. 2小时内" in a for a in answers)


def test_the_wrong_sheet_counts_again_ratings_and_dont_knows(tmp_path: Path) -> None:
    # the open question self-rated Again, and "?" (I don't know) on the other one
    assert run_at(NOON, "quiz", "--section", "scenario", "--order", "source", input="随便应付\n1\n?\n")[0] == 0
    out = run_at(NOON, "export", "--only", "wrong")[1]
    assert "**错题记录：** 答错 1 次，最近一次 2026-03-01  \n**最近错答：** 随便应付\n\n**参考答案：**" in out
    assert "**错题记录：** 答错 1 次，最近一次 2026-03-01  \n**最近错答：** （不会）" in out


def test_a_hostile_wrong_answer_is_shown_as_text_in_every_format(tmp_path: Path) -> None:
    when = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    with connect(home()) as store:
        after = Scheduler(fuzz=False).review(ANGRY, NEW, Rating.AGAIN, when, 1000)
        store.record(
            ANGRY, after=after, now=when, rating=Rating.AGAIN, correct=None, answer=HOSTILE, duration_ms=1, mode="quiz"
        )
    out = run_at(NOON, "export", "--only", "wrong")[1]
    assert "**最近错答：** \\<script\\>alert(1)\\</script\\> \\[bold\\]粗体\\[/\\] 清屏 \\*星\\* OMEGA" in out
    for name in ("w.html", "w.csv", "w.apkg"):
        target = tmp_path / name
        assert run_at(NOON, "export", "--only", "wrong", "-o", str(target))[0] == 0
        data = "".join("".join(f) for f in read_notes(target)) if name.endswith("apkg") else target.read_text("utf-8")
        assert "OMEGA" in data
        assert "\x1b" not in data
        assert "\x07" not in data
        if not name.endswith("csv"):
            assert "<script" not in data


# --- nothing to export: one message, no file ---------------------------------------------


@pytest.mark.parametrize("only", ["weak", "wrong", "starred", "due"])
def test_nothing_to_export_says_so_once_and_writes_no_file(tmp_path: Path, only: str) -> None:
    run("quiz", "--question", "drill/record-info", input="B\n")  # right: nothing wrong, weak or starred
    result = CliRunner().invoke(app, ["export", "--only", only], env={"CSDRILL_NOW": "2026-03-01T09:00:01Z"})
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"csdrill: no questions to export (no history matches --only {only})\n"
    target = tmp_path / "sheet.md"
    code, out, err = run("export", "--only", only, "-o", str(target))
    assert code == 0
    assert err == f"csdrill: no questions to export (no history matches --only {only})\n"  # no "wrote 0 questions"
    assert not target.exists()
    assert list(tmp_path.glob(".*")) == []  # no temporary file left either


def test_nothing_to_export_without_a_history_creates_none(tmp_path: Path) -> None:
    target = tmp_path / "sheet.html"
    code, _, err = run("export", "--only", "wrong", "-o", str(target))
    assert code == 0
    assert err.count("\n") == 1
    assert not target.exists()
    assert not (home() / "history.sqlite3").exists()


# --- stars (收藏) ---------------------------------------------------------------------------


def star(*uids: str) -> None:
    with connect(home()) as store:
        for uid in uids:
            store.star(uid, datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc))


def test_only_starred_exports_the_starred_questions_seen_or_not(tmp_path: Path) -> None:
    star("drill/slang", "drill/angry-customer")
    code, out, err = run("export", "--only", "starred")
    assert code == 0, err
    assert "**1.** ★ 可以随意使用网络流行语。" in out
    assert "**1.** ★ 客户情绪激动,要求退货,如何处理?" in out
    assert "跨境纠纷需参考两国法律" not in out
    assert "客服回复时效是多少" not in out
    target = tmp_path / "收藏.md"
    code, _, err = run("export", "--only", "starred", "-o", str(target))
    assert err == f"wrote 2 questions to {target}\n"


def test_stars_are_marked_in_every_sheet(tmp_path: Path) -> None:
    assert "★" not in run("export")[1]  # no history: no marks
    star("drill/slang")
    out = run("export")[1]
    assert "**1.** ★ 可以随意使用网络流行语。" in out
    assert out.count("★") == 1
    page = tmp_path / "sheet.html"
    assert run("export", "-o", str(page))[0] == 0
    assert page.read_text(encoding="utf-8").count('<span class="star" title="收藏">★</span>') == 1
    sheet = tmp_path / "sheet.csv"
    assert run("export", "-o", str(sheet))[0] == 0
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert {r["id"]: r["starred"] for r in rows if r["starred"]} == {"slang": "★"}
    deck = tmp_path / "cs.apkg"
    assert run("export", "-o", str(deck))[0] == 0
    with zipfile.ZipFile(deck) as z:
        (tmp_path / "col.anki2").write_bytes(z.read("collection.anki2"))
    with contextlib.closing(sqlite3.connect(tmp_path / "col.anki2")) as db:
        marked = [
            flds.split("\x1f")[0] for flds, tags in db.execute("select flds, tags from notes") if "marked" in tags
        ]
    assert marked == ["可以随意使用网络流行语。"]


def test_the_wrong_sheet_in_chinese() -> None:
    quiz_wrong_twice()
    star("drill/reply-time")
    done = CliRunner().invoke(app_in("zh-Hans"), ["export", "--only", "wrong"], env={"CSDRILL_NOW": NEXT_DAY})
    assert done.exit_code == 0
    assert "**1.** ★ 客服回复时效是多少?" in done.stdout
    assert "**错题记录：** 答错 2 次，最近一次 2026-03-02  \n**最近错答：** B. 2小时内" in done.stdout
    empty = CliRunner().invoke(app_in("zh-Hans"), ["export", "--only", "weak"], env={"CSDRILL_NOW": NOON})
    assert empty.exit_code == 0
    assert empty.stderr == "csdrill: 没有可导出的题目（复习记录中没有符合 --only weak 的题）\n"
