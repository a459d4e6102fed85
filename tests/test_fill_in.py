"""Fill-in questions (填空题), CONTRACT §1 and §2: the format, the loader, grading, the quiz, exams, sheets."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from conftest import FIXTURES, app_in, write_bank
from cs_drill.bank import spec
from cs_drill.bank.catalog import load_catalog, open_catalog
from cs_drill.bank.model import Kind, Question
from cs_drill.bank.schema import bank_schema
from cs_drill.bank.validate import load_data
from cs_drill.errors import BankError
from cs_drill.study.assess import grading
from cs_drill.study.card import Rating
from cs_drill.study.exam import score as exam_score
from cs_drill.study.store import connect

FILL_IN = FIXTURES.resolve() / "good" / "fill-in.yaml"
NOW = "2026-03-01T09:00:00Z"
VALIDATOR = jsonschema.Draft202012Validator(bank_schema())

HEAD = """\
id: exam
title: 试卷
sections:
  - id: blanks
    title: 填空题
    kind: fill-in
    questions:
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path, so that files written there are named relative to it."""
    monkeypatch.chdir(tmp_path)


def fill_in_bank(tmp_path: Path, questions: str) -> Path:
    return write_bank(tmp_path, "bank/x.yaml", HEAD + textwrap.indent(textwrap.dedent(questions), "      "))


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BankError) as info:
        load_catalog([path])
    return [str(p) for p in info.value.problems]


def schema_accepts(path: Path) -> bool:
    return bool(VALIDATOR.is_valid(yaml.safe_load(path.read_text(encoding="utf-8"))))


# --------------------------------------------------------------------------- the format


def test_blanks_are_three_underscores_or_empty_full_width_parentheses() -> None:
    prompt = "a__b___c（ ）d（）e（　）f( )g()h（x）i＿＿＿j"
    found = [prompt[s:e] for s, e in spec.blanks(prompt)]
    assert found == ["___", "（ ）", "（）", "（　）", "( )", "＿＿＿"]


def test_the_fixture_loads_with_its_blanks_and_alternatives() -> None:
    (exam,) = load_catalog([FILL_IN]).exams()
    assert [(s.id, s.kind) for s in exam.sections] == [("blanks", Kind.FILL_IN), ("choice", Kind.SINGLE)]
    questions = {q.id: q for q in load_catalog([FILL_IN]).select()}
    assert questions["reply-time"].blanks == (("30",),)
    assert questions["return-window"].blanks == (("签收", "收货"), ("3",))
    assert questions["service-terms"].blanks == (("Response",), ("態度",), ("闭环", "闭环服务"))
    assert questions["return-window"].key == "签收；3"
    assert questions["return-window"].options == ()
    assert schema_accepts(FILL_IN)


def test_the_cache_gives_the_blanks_back(tmp_path: Path) -> None:
    expected = load_catalog([FILL_IN]).select()
    for _ in range(2):  # built, then read back
        with open_catalog([FILL_IN], tmp_path / "cache") as catalog:
            assert catalog.select() == expected


def test_more_entries_than_blanks_is_an_error_at_the_answer(tmp_path: Path) -> None:
    path = fill_in_bank(
        tmp_path,
        """\
        - id: q
          prompt: 应在___小时内发货
          answer: [24, 48]
        """,
    )
    assert problems_of(path) == [
        os.path.join("bank", "x.yaml") + ":10:17: sections[0].questions[0].answer: "
        "the answer has 2 entries but the prompt has 1 blank (marked ___ or （ ）)"
    ]
    assert schema_accepts(path)  # a rule across fields: the validator's alone


def test_fewer_entries_than_blanks_and_a_prompt_without_blanks(tmp_path: Path) -> None:
    path = fill_in_bank(
        tmp_path,
        """\
        - id: two
          prompt: （ ）天内退货，（ ）天内换货
          answer:
            - 7
        - id: none
          prompt: 没有空的题目
          answer: [x]
        """,
    )
    assert problems_of(path) == [
        os.path.join("bank", "x.yaml") + ":11:11: sections[0].questions[0].answer: "
        "the answer has 1 entry but the prompt has 2 blanks (marked ___ or （ ）)",
        os.path.join("bank", "x.yaml") + ":14:17: sections[0].questions[1].answer: "
        "the answer has 1 entry but the prompt has 0 blanks (marked ___ or （ ）)",
    ]


def test_a_fill_in_question_without_an_answer_has_no_key(tmp_path: Path) -> None:
    path = fill_in_bank(
        tmp_path,
        """\
        - id: q
          prompt: 应在___小时内发货
        """,
    )
    assert problems_of(path) == [
        os.path.join("bank", "x.yaml") + ":8:9: sections[0].questions[0].answer: no key: fill it in "
        "(one entry per blank, in order, e.g. [24, 48]) and mark `answer_source: authored`, or leave the question out"
    ]
    assert not schema_accepts(path)


def test_bad_entries_and_alternatives_are_errors_at_their_place(tmp_path: Path) -> None:
    path = fill_in_bank(
        tmp_path,
        """\
        - id: text
          prompt: ___
          answer: 24
        - id: empty-list
          prompt: ___
          answer: [[]]
        - id: null-alternative
          prompt: ___、___
          answer: [[甲, ~], {a: b}]
        - id: options
          prompt: ___
          options: {A: 甲, B: 乙}
          answer: [甲]
        """,
    )
    name = os.path.join("bank", "x.yaml")
    assert problems_of(path) == [
        f"{name}:10:17: sections[0].questions[0].answer: "
        "must be a list with one entry per blank, in order, e.g. [24, 48], not the number 24",
        f"{name}:13:18: sections[0].questions[1].answer[0]: a list of accepted texts must not be empty",
        f"{name}:16:22: sections[0].questions[2].answer[0][1]: must not be empty",
        f"{name}:16:26: sections[0].questions[2].answer[1]: "
        "must be the text of the blank or a list of accepted texts, not a mapping",
        f"{name}:19:9: sections[0].questions[3].options: a fill-in question has no options",
    ]
    assert not schema_accepts(path)


def test_alternatives_numbers_and_both_markers_load(tmp_path: Path) -> None:
    path = fill_in_bank(
        tmp_path,
        """\
        - id: q
          prompt: "退款（）个工作日到账，运费险___元( )"
          answer: [[3, 三], 10, [yes]]
        """,
    )
    (question,) = load_catalog([path]).select()
    assert question.blanks == (("3", "三"), ("10",), ("yes",))
    assert schema_accepts(path)


def test_a_fill_in_answer_leaves_other_kinds_hashes_alone() -> None:
    """Only a fill-in question's blanks join its content hash: no other question's history sees an edit."""
    text = b"id: x\ntitle: t\nsections: [{id: s, title: t, kind: open, questions: [{id: q, prompt: p, answer: a}]}]\n"
    found, _ = load_data(text, "x.yaml")
    assert found is not None
    assert found.questions[0].content_hash == "f8c5fab3bc760ea6"  # as before fill-in questions


# --------------------------------------------------------------------------- grading


def fill_in_question(qid: str) -> Question:
    return {q.id: q for q in load_catalog([FILL_IN]).select()}[qid]


@pytest.mark.parametrize(
    ("typed", "blanks"),
    [
        ("response；态度；闭环服务", (True, True, True)),  # an alternative, Simplified for Traditional
        ("ＲＥＳＰＯＮＳＥ | 態度 | 闭 环。", (True, True, True)),  # width, case, spaces, punctuation, separators
        ("Response;態度;闭环;", (True, True, True)),  # a separator at the end ends the answer
        ("response；；闭环", (True, False, True)),  # a blank left empty is wrong, not refused
        ("respond｜态度｜闭环服务务", (False, True, False)),
    ],
)
def test_each_blank_is_graded_after_the_open_answers_normalisation(typed: str, blanks: tuple[bool, ...]) -> None:
    grade = grading.grade(fill_in_question("service-terms"), typed)
    assert grade.blanks == blanks
    assert grade.correct is all(blanks)


def test_one_blank_is_the_text_alone_and_alternatives_count() -> None:
    assert grading.grade(fill_in_question("reply-time"), "３０").correct is True
    assert grading.grade(fill_in_question("reply-time"), "30秒").correct is False
    assert grading.parse_answer(fill_in_question("reply-time"), " 30;40 ") == ("30;40",)  # no separators
    window = fill_in_question("return-window")
    assert grading.grade(window, "收貨|３").given == "收貨；３"
    assert grading.grade(window, "收貨|３").correct is True
    assert grading.grade(window, "已签收|3").blanks == (False, True)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("签收", "1 blank typed, not 2. Type the 2 blanks in order, separated by ；, ; or |."),
        ("签收;3;7", "3 blanks typed, not 2. Type the 2 blanks in order, separated by ；, ; or |."),
        (" ； ", "No answer. Type the 2 blanks in order, separated by ；, ; or |."),
        ("", "No answer. Type the 2 blanks in order, separated by ；, ; or |."),
    ],
)
def test_another_number_of_blanks_is_refused_with_a_hint(typed: str, message: str) -> None:
    with pytest.raises(grading.InvalidAnswer) as info:
        grading.parse_answer(fill_in_question("return-window"), typed)
    assert str(info.value) == message


def test_a_blank_of_only_punctuation_is_compared_with_it() -> None:
    question = fill_in_question("reply-time")._replace(blanks=(("%",),))
    assert grading.grade(question, "％").correct is True
    with pytest.raises(grading.InvalidAnswer):  # not an answer: refused before grading
        grading.grade(question, "")
    assert grading.grade(question, "#").correct is False


# --------------------------------------------------------------------------- the quiz


def quiz(runner: CliRunner, lang: str, answers: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app_in(lang),
        ["quiz", "--bank", str(FILL_IN), "--section", "blanks", "--order", "source", *args],
        input=answers,
        env={"CSDRILL_NOW": NOW},
    )
    return result.exit_code, result.stdout


def test_a_fill_in_quiz_piped_in_english(runner: CliRunner, tmp_path: Path) -> None:
    code, out = quiz(runner, "en", "３０\n签收|5\n签收\n?\n")
    assert code == 0
    assert out == textwrap.dedent(
        """\

        ──────────────────────────────────────────── 填空题示例 ────────────────────────────────────────────
        填空题  (3 questions × 4 pts)
        按顺序填写每个空

        [1/3] fill-in · 4 pts
        客户咨询应在___秒内首次响应。
        Answer (the blank): ３０
        ✓ Right
        Explanation: 首响时间是考核指标
        Rated Good · next in 10 min

        [2/3] fill-in · 4 pts
        七天无理由退货从（1）之日起计算，退款一般在（2）个工作日内到账。
        Type the 2 blanks in order, separated by ；, ; or |.
        Answer (2 blanks, separated by ；): 签收|5
        ✗ Wrong  you answered 签收；5
        Key: 签收；3
          ✓ (1) 签收 (also: 收货)
          ✗ (2) 3
        Wrong blank: 2
        Rated Again · next in 1 min

        [3/3] fill-in · 6 pts
        售后服务的三个要素：___(1)、___(2)和___(3)。
        Type the 3 blanks in order, separated by ；, ; or |.
        Answer (3 blanks, separated by ；): 签收
          Type the 3 blanks in order, separated by ；, ; or |.
        Answer (3 blanks, separated by ；): ?
        Not yet known: remember the answer (rated Again).
        Key: Response；態度；闭环
          (1) Response
          (2) 態度
          (3) 闭环 (also: 闭环服务)
        Rated Again · next in 1 min

        Score: 1/3 (33%)
        Points: 4/14
        section    right   answered   points
        ────────────────────────────────────
        填空题         1          3     4/14
        Missed:
          key: 签收；3  七天无理由退货从（ ）之日起计算，退款一般在（ ）个工作日内到账。
          key: Response；態度；闭环  售后服务的三个要素：___、___和___。
        Time: 0s
        3 more come due later today. Nothing due tomorrow yet.
        """
    )
    with connect(tmp_path / "home") as db:
        rows = [(r.uid, r.correct, r.answer, r.rating) for r in db.reviews()]
    assert rows == [
        ("fill-in/reply-time", True, "３０", Rating.GOOD),
        ("fill-in/return-window", False, "签收|5", Rating.AGAIN),
        ("fill-in/service-terms", False, "?", Rating.AGAIN),
    ]


def test_a_fill_in_quiz_piped_in_chinese_with_star_and_undo(runner: CliRunner, tmp_path: Path) -> None:
    code, out = quiz(runner, "zh-Hans", "30\n/star\n收货;3\n/undo\n签收；5\n")
    assert code == 0
    assert out == textwrap.dedent(
        """\

        ──────────────────────────────────────────── 填空题示例 ────────────────────────────────────────────
        填空题  （共 3 题，每题4分）
        按顺序填写每个空

        [1/3] 填空题 · 4分
        客户咨询应在___秒内首次响应。
        请填空：30
        ✓ 正确
        解析：首响时间是考核指标
        评分：良好 · 10 分钟后复习

        [2/3] 填空题 · 4分
        七天无理由退货从（1）之日起计算，退款一般在（2）个工作日内到账。
        请按顺序输入 2 个空，用 ；、; 或 | 隔开。
        请填空（2 个空，用 ； 隔开）：/star
          ★ 已收藏：用 --only starred 专门练收藏的题。
        请填空（2 个空，用 ； 隔开）：收货;3
        ✓ 正确
        评分：良好 · 10 分钟后复习

        [3/3] 填空题 · 6分
        售后服务的三个要素：___(1)、___(2)和___(3)。
        请按顺序输入 3 个空，用 ；、; 或 | 隔开。
        请填空（3 个空，用 ； 隔开）：/undo
        已撤回上一题的回答：请重新作答。

        [2/3] 填空题 · 4分
        七天无理由退货从（1）之日起计算，退款一般在（2）个工作日内到账。
        请按顺序输入 2 个空，用 ；、; 或 | 隔开。
        请填空（2 个空，用 ； 隔开）：签收；5
        ✗ 错误  你的答案：签收；5
        正确答案：签收；3
          ✓ (1) 签收（也可：收货）
          ✗ (2) 3
        答错的空：2
        评分：重来 · 1 分钟后复习

        [3/3] 填空题 · 6分
        售后服务的三个要素：___(1)、___(2)和___(3)。
        请按顺序输入 3 个空，用 ；、; 或 | 隔开。
        请填空（3 个空，用 ； 隔开）：

        答对：1/2（50%）
        得分：4/8
        部分       答对   已答   分数
        ─────────────────────────────
        填空题        1      2    4/8
        答错的题：
          答案：签收；3  七天无理由退货从（ ）之日起计算，退款一般在（ ）个工作日内到账。
        用时：0秒
        今天稍后还有 2 张到期。明天暂时没有到期的卡片。还有 1 道新题（今天可学 1 道）。下一步：运行 csdrill
        review
        """
    )
    with connect(tmp_path / "home") as db:
        rows = [(r.uid, r.correct, r.answer) for r in db.reviews()]
        starred = db.starred()
    assert rows == [("fill-in/reply-time", True, "30"), ("fill-in/return-window", False, "签收；5")]
    assert starred == {"fill-in/return-window"}


# --------------------------------------------------------------------------- the mock exam

EXAM_ANSWERS = "30\n签收|5\n回应；态度；闭环\n\n"


def sit(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(
        app_in("en"), ["exam", "--bank", str(FILL_IN), *args], input=EXAM_ANSWERS, env={"CSDRILL_NOW": NOW}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_an_exam_scores_a_fill_in_question_all_or_nothing(runner: CliRunner, tmp_path: Path) -> None:
    out = sit(runner)
    assert "Points: 4/16\nResult: FAIL\n" in out
    assert "填空题          3/3     4/14\n" in out
    assert (
        "[2] 七天无理由退货从（ ）之日起计算，退款一般在（ ）个工作日内到账。\n"
        "  you answered 签收；5  0/4\n"
        "  Key: 签收；3\n"
        "  ✓ (1) 签收 (also: 收货)\n"
        "  ✗ (2) 3\n"
        "  Wrong blank: 2\n"
    ) in out
    with connect(tmp_path / "home") as db:
        rows = [(r.uid, r.correct, r.mode) for r in db.reviews()]
    assert rows == [
        ("fill-in/reply-time", True, "exam"),
        ("fill-in/return-window", False, "exam"),
        ("fill-in/service-terms", False, "exam"),
    ]


def test_partial_scores_a_fill_in_question_by_the_share_of_its_blanks_right(runner: CliRunner) -> None:
    out = sit(runner, "--partial")
    assert "Points: 10/16\nResult: PASS\n" in out
    assert "填空题          3/3    10/14\n" in out
    assert "  you answered 签收；5  2/4\n" in out
    assert "  you answered 回应；态度；闭环  4/6\n" in out


def test_the_share_of_the_blanks_is_rounded_to_two_decimals() -> None:
    question = fill_in_question("service-terms")._replace(points=4)
    grade = grading.grade(question, "response；x；y")
    assert exam_score(question, grade) == 0.0
    assert exam_score(question, grade, partial=True) == 1.33
    assert exam_score(question, grading.grade(question, "response；態度；闭环服务"), partial=True) == 4.0
    unknown = grading.Grade(correct=False, given="?")
    assert exam_score(question, unknown, partial=True) == 0.0


# --------------------------------------------------------------------------- browse and the study sheets


def test_browse_shows_each_blank_s_key_and_alternatives(runner: CliRunner) -> None:
    result = runner.invoke(app_in("zh-Hant"), ["browse", "--bank", str(FILL_IN), "--question", "fill-in/return-window"])
    assert result.exit_code == 0
    assert result.stdout == textwrap.dedent(
        """\

        ──────────────────────────────────────────── 填空题示例 ────────────────────────────────────────────
        填空题  （共 3 題，每題4分）
        按顺序填写每个空

        [1/1] 填空題 · 4分
        七天无理由退货从（1）之日起计算，退款一般在（2）个工作日内到账。
        正確答案：签收；3
          (1) 签收（也可：收货）
          (2) 3

        已看 1/1 道題；背題不做任何記錄。
        """
    )


NASTY = """\
id: nasty
title: 转义
sections:
  - id: blanks
    title: 填空
    kind: fill-in
    questions:
      - id: one
        prompt: "[bold]a[/]___*b*"
        answer: [["=SUM(A1)", "<b>x</b>"]]
      - id: two
        prompt: "1. （ ）与___"
        answer: ["[sound:x.mp3]", ["*y*", "a|b"]]
"""


def export(runner: CliRunner, bank: Path, *args: str) -> str:
    result = runner.invoke(app_in("zh-Hans"), ["export", "--bank", str(bank), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_markdown_and_html_show_the_blanks_keys_escaped(runner: CliRunner, tmp_path: Path) -> None:
    bank = write_bank(tmp_path, "nasty.yaml", NASTY)
    markdown = export(runner, bank)
    assert "**1.** \\[bold\\]a\\[/\\]\\_\\_\\_\\*b\\*\n\n**答案：** \\=SUM(A1)（也可：\\<b\\>x\\</b\\>）\n" in markdown
    assert (
        "**答案：** \\[sound:x.mp3\\]；\\*y\\*  \n（1）\\[sound:x.mp3\\]  \n（2）\\*y\\*（也可：a\\|b）\n"
    ) in markdown
    page = export(runner, bank, "--format", "html")
    assert '<p><span class="label">答案：</span>=SUM(A1)（也可：&lt;b&gt;x&lt;/b&gt;）</p>' in page
    assert (
        '<p><span class="label">答案：</span>[sound:x.mp3]；*y*<br>（1）[sound:x.mp3]<br>（2）*y*（也可：a|b）</p>'
    ) in page
    assert "<b>x</b>" not in page


def test_a_practice_sheet_lists_the_blanks_in_its_answer_key(runner: CliRunner) -> None:
    markdown = export(runner, FILL_IN, "--no-answers")
    assert markdown.endswith(
        "## 答案\n\n### 填空题\n\n1\\. 30  \n2\\. 签收；3  \n3\\. Response；態度；闭环\n\n### 单选题\n\n1\\. A\n\n"
    )
    assert "签收" not in markdown.split("## 答案")[0]


def test_csv_has_the_blanks_in_the_answer_column_never_a_formula(runner: CliRunner, tmp_path: Path) -> None:
    import csv
    import io

    bank = write_bank(tmp_path, "nasty.yaml", NASTY)
    rows = list(csv.reader(io.StringIO(export(runner, bank, "--format", "csv").lstrip("\ufeff"))))
    assert [(row[3], row[4], row[6]) for row in rows[1:]] == [
        ("fill-in", "[bold]a[/]___*b*", "'=SUM(A1) / <b>x</b>"),
        ("fill-in", "1. （ ）与___", "[sound:x.mp3]；*y* / a|b"),
    ]


def test_apkg_answer_field_has_the_blanks_escaped(runner: CliRunner, tmp_path: Path) -> None:
    import sqlite3
    import zipfile

    bank = write_bank(tmp_path, "nasty.yaml", NASTY)
    export(runner, bank, "--format", "apkg", "--output", str(tmp_path / "x.apkg"))
    with zipfile.ZipFile(tmp_path / "x.apkg") as zf:
        (tmp_path / "c.anki2").write_bytes(zf.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "c.anki2") as conn:
        notes = [row[0].split("\x1f") for row in conn.execute("SELECT flds FROM notes ORDER BY id")]
        tags = [row[0].split() for row in conn.execute("SELECT tags FROM notes ORDER BY id")]
    answers = [fields[2] for fields in notes]
    assert answers == [
        "<b>答案：</b>=SUM(A1)（也可：&lt;b&gt;x&lt;/b&gt;）",
        "<b>答案：</b>&#91;sound:x.mp3]；*y*<br>（1）&#91;sound:x.mp3]<br>（2）*y*（也可：a|b）",
    ]
    assert notes[0][0] == "[bold]a[/]___*b*"  # not markup to Anki: kept
    assert tags == [["fill-in"], ["fill-in"]]


def test_the_error_book_shows_the_blanks_last_given(runner: CliRunner) -> None:
    app = app_in("zh-Hans")
    env = {"CSDRILL_NOW": NOW}
    args = ["--bank", str(FILL_IN), "--section", "blanks", "--order", "source"]
    assert runner.invoke(app, ["quiz", *args], input="30\n签收|5\n", env=env).exit_code == 0
    result = runner.invoke(app, ["export", "--bank", str(FILL_IN), "--only", "wrong"], env=env)
    assert result.exit_code == 0
    assert (
        "**错题记录：** 答错 1 次，最近一次 2026-03-01  \n**最近错答：** 签收；5\n\n**答案：** 签收；3  \n"
        in result.stdout
    )
    assert "客户咨询应在" not in result.stdout


# --------------------------------------------------------------------------- list, stats, schema


@pytest.mark.parametrize(
    ("lang", "row"),
    [
        ("en", "  blanks    填空题       fill-in             3     - "),
        ("zh-Hans", "  blanks   填空题       填空题      3      - "),
        ("zh-Hant", "  blanks   填空题       填空題      3      - "),
    ],
)
def test_list_names_the_fill_in_kind(runner: CliRunner, lang: str, row: str) -> None:
    result = runner.invoke(app_in(lang), ["list", "--bank", str(FILL_IN)])
    assert result.exit_code == 0
    assert row in result.stdout.splitlines()


def test_stats_after_a_fill_in_quiz_counts_its_answers(runner: CliRunner) -> None:
    app = app_in("en")
    env = {"CSDRILL_NOW": NOW}
    runner.invoke(app, ["quiz", "--bank", str(FILL_IN), "--order", "source"], input="30\n签收|5\n", env=env)
    result = runner.invoke(app, ["stats", "--bank", str(FILL_IN)], env=env)
    assert result.exit_code == 0
    assert "2 reviews in all · streak 1 day · accuracy, last 30 days 50% (1/2)" in result.stdout
    assert "七天无理由退货从（ ）之日起计算" in result.stdout


def test_the_schema_command_states_the_fill_in_answer(runner: CliRunner) -> None:
    import json

    result = runner.invoke(app_in("en"), ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    section = schema["properties"]["sections"]["items"]
    assert "fill-in" in section["properties"]["kind"]["enum"]
    (rule,) = [r for r in section["allOf"] if r["if"]["properties"]["kind"]["const"] == "fill-in"]
    question = rule["then"]["properties"]["questions"]["items"]
    assert "options" not in question["properties"]
    assert question["required"] == ["id", "prompt", "answer"]
    assert question["properties"]["answer"]["type"] == "array"


def test_script_conversion_reaches_the_blanks_keys(runner: CliRunner) -> None:
    markdown = export(runner, FILL_IN, "--script", "hant")
    assert "**答案：** 簽收；3  \n（1）簽收（也可：收貨）  \n（2）3\n" in markdown
    result = runner.invoke(
        app_in("en"), ["browse", "--bank", str(FILL_IN), "--question", "fill-in/service-terms", "--script", "hans"]
    )
    assert "Key: Response；态度；闭环\n  (1) Response\n  (2) 态度\n  (3) 闭环 (also: 闭环服务)\n" in result.stdout


@pytest.mark.parametrize(
    ("lang", "command", "phrase"),
    [
        ("en", "quiz", "blanks in order separated by ；, ; or | for fill-in (24；48)"),
        ("zh-Hans", "quiz", "填空题按顺序输入各空，用 ；、; 或 | 隔开（如 24；48）"),
        ("en", "exam", "(fill-in: the blanks in order, separated by ；, ; or |)"),
        ("zh-Hant", "review", "填空題依序輸入各空"),
    ],
)
def test_help_explains_the_fill_in_answer(runner: CliRunner, lang: str, command: str, phrase: str) -> None:
    result = runner.invoke(app_in(lang), [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert phrase in " ".join(result.stdout.split())
