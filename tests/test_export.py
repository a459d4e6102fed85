"""Export formats: every question appears, answers hide, text stays literal."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cs_drill.bank.catalog import MemoryCatalog
from cs_drill.bank.model import Exam, ExamFile, KeyPoint, Kind, Question, Section
from cs_drill.render.sheets.writers import (
    CSV_HEADER,
    FORMATS,
    Explanation,
    ExportItem,
    Key,
    KeyPoints,
    Misses,
    ModelAnswer,
    MyAnswer,
    Note,
    answer_block,
    csv_cell,
    format_for_path,
    iter_items,
    note_guid,
    write_apkg,
    write_csv,
    write_html,
    write_markdown,
)
from cs_drill.study.assess.chinese import convert_script
from cs_drill.study.card import NEW, Rating
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.stats import MissRecord
from cs_drill.study.store import Store, connect
from cs_drill.text import clean

# Control characters, except tab and newline, that must never reach an export.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

OPEN_ANSWER = "先安抚情绪，再核实订单，最后给出补偿方案MODELANSWER"
NASTY_PROMPT = (
    "编号Q05 客户留言：\n"
    "<script>alert(1)</script>\n"
    "[bold]x[/] 和 *stars* 都要原样显示\n"
    "# heading\n"
    "1. 不是列表\n"
    "\x1b[31m红色\x1b[0m 提醒\x07"
)


def q(exam_id: str, section_id: str, kind: Kind, qid: str, prompt: str, **kw: Any) -> Question:
    return Question(id=qid, exam_id=exam_id, section_id=section_id, kind=kind, prompt=prompt, **kw)


def make_section(
    id: str, title: str, kind: Kind, questions: tuple[Question, ...], **kw: Any
) -> tuple[Section, tuple[Question, ...]]:
    """A section (metadata only, as the model now holds it) and its questions."""
    return Section(id=id, title=title, kind=kind, question_count=len(questions), **kw), questions


def exam_file(sections: tuple[tuple[Section, tuple[Question, ...]], ...], **kw: Any) -> ExamFile:
    """An exam of ``sections`` with their questions, in source order."""
    exam = Exam(sections=tuple(s for s, _ in sections), **kw)
    return ExamFile(exam, tuple(question for _, questions in sections for question in questions))


def build_exams() -> tuple[ExamFile, ...]:
    a = "alibaba-cs"
    single = make_section(
        id="single",
        title="单选题",
        kind=Kind.SINGLE,
        points=2,
        instructions="每题只有一个正确答案",
        questions=(
            q(
                a,
                "single",
                Kind.SINGLE,
                "refund-window",
                "编号Q01 淘宝的七天无理由退货从哪天开始计算？",
                options=(("A", "下单日"), ("B", "签收次日"), ("C", "发货日")),
                correct=("B",),
                explanation="以签收次日起算。",
                tags=("售后 规则", "退货"),
            ),
            q(
                a,
                "single",
                Kind.SINGLE,
                "nasty",
                NASTY_PROMPT,
                options=(("A", "<b>加粗</b>"), ("B", "*星号* & [链接](x)")),
                correct=("A",),
                points=3,
            ),
        ),
    )
    multi = make_section(
        id="multi",
        title="多选题",
        kind=Kind.MULTI,
        questions=(
            q(
                a,
                "multi",
                Kind.MULTI,
                "good-service",
                "编号Q02 以下哪些属于优质服务？",
                options=(("A", "及时响应"), ("B", "推诿"), ("C", "主动跟进"), ("D", "敷衍")),
                correct=("A", "C"),
                answer_source="authored",
            ),
        ),
    )
    tf = make_section(
        id="tf",
        title="判断题",
        kind=Kind.TRUE_FALSE,
        questions=(
            q(
                a,
                "tf",
                Kind.TRUE_FALSE,
                "promise",
                "编号Q03 客服可以承诺平台规则之外的赔偿。",
                truth=False,
            ),
            q(a, "tf", Kind.TRUE_FALSE, "empathy", "编号Q04 先共情再解决问题。", truth=True),
        ),
    )
    scenario = make_section(
        id="scenario",
        title="情景模拟题",
        kind=Kind.OPEN,
        points=10,
        questions=(
            q(
                a,
                "scenario",
                Kind.OPEN,
                "angry-customer",
                "编号Q06 客户因物流延迟非常生气，你会怎么处理？\n请分步骤回答。\n",
                model_answer=OPEN_ANSWER + "\n(2) 跟进物流\n",
                key_points=(KeyPoint("情绪管理", "先共情客户"), KeyPoint("闭环服务")),
                note="原文在此处截断",
                tags=("物流",),
            ),
        ),
    )
    exam_a = exam_file(
        id=a,
        title="2026年阿里巴巴客服专员面试题目详解",
        source="000_c488701fd5db7d88.txt",
        description="涵盖单选、多选、判断与情景模拟。",
        sections=(single, multi, tf, scenario),
    )
    b = "jd-cs"
    open_b = make_section(
        id="scenario",
        title="情景题",
        kind=Kind.OPEN,
        questions=(q(b, "scenario", Kind.OPEN, "no-answer", "编号Q07 客户要求加急发货怎么办？"),),
    )
    single_b = make_section(
        id="single",
        title="单选题",
        kind=Kind.SINGLE,
        questions=(
            q(
                b,
                "single",
                Kind.SINGLE,
                "hotline",
                "编号Q08 京东客服热线是？",
                options=(("A", "950618"), ("B", "10086")),
                correct=("A",),
            ),
        ),
    )
    exam_b = exam_file(id=b, title="京东客服面试题", sections=(open_b, single_b), language="zh-Hans")
    return (exam_a, exam_b)


FILES = build_exams()
EXAMS = tuple(f.exam for f in FILES)
CATALOG = MemoryCatalog(FILES)
QUESTIONS = [question for f in FILES for question in f.questions]
MARKERS = [f"编号Q0{i}" for i in range(1, 9)]


def items() -> list[ExportItem]:
    return list(iter_items(CATALOG))


def render(writer: Callable[..., None], answers: bool = True) -> str:
    buf = io.StringIO()
    writer(items(), buf, answers=answers)
    return buf.getvalue()


def test_format_for_path() -> None:
    assert format_for_path(Path("x.md")) == "markdown"
    assert format_for_path(Path("x.MARKDOWN")) == "markdown"
    assert format_for_path(Path("a/b.htm")) == "html"
    assert format_for_path(Path("b.html")) == "html"
    assert format_for_path(Path("b.csv")) == "csv"
    assert format_for_path(Path("b.apkg")) == "apkg"
    assert format_for_path(Path("b.txt")) is None
    assert format_for_path(Path("b")) is None
    assert set(FORMATS) == {"markdown", "html", "csv", "apkg"}


def test_iter_items_numbers_within_section() -> None:
    got = [(i.exam.id, i.section.id, i.question.id, i.number) for i in items()]
    assert got[:3] == [
        ("alibaba-cs", "single", "refund-window", 1),
        ("alibaba-cs", "single", "nasty", 2),
        ("alibaba-cs", "multi", "good-service", 1),
    ]
    assert len(got) == len(QUESTIONS) == len(MARKERS)


# --- markdown -----------------------------------------------------------------


def test_markdown_has_every_question_and_answers() -> None:
    text = render(write_markdown)
    for marker in MARKERS:
        assert marker in text
    assert text.count("\n# ") + text.startswith("# ") == 2
    assert "# 2026年阿里巴巴客服专员面试题目详解" in text
    assert "来源：000\\_c488701fd5db7d88.txt" in text
    assert "## 单选题" in text
    assert "每题2分" in text
    assert "（3分）" in text  # the question's own points, unlike its section's
    assert "A. 下单日  \nB. 签收次日  \nC. 发货日" in text
    assert "**答案：** B. 签收次日" in text
    assert "**答案：** AC" in text
    assert "**答案：** 错 (×)" in text
    assert "**答案：** 对 (√)" in text
    assert OPEN_ANSWER in text
    assert "（原文无参考答案）" in text
    assert "- **情绪管理**：先共情客户" in text
    assert "- **闭环服务**" in text
    assert "**解析：** 以签收次日起算。" in text
    assert "> 注：原文在此处截断" in text
    assert text.count("答案为编者补充，非原文") == 1
    assert "## 答案" not in text


def test_markdown_without_answers_has_key_at_end() -> None:
    text = render(write_markdown, answers=False)
    for marker in MARKERS:
        assert marker in text
    assert OPEN_ANSWER not in text
    assert "原文无参考答案" not in text
    assert "以签收次日起算" not in text
    assert "情绪管理" not in text
    assert "> 注：原文在此处截断" in text  # the note belongs to the question
    # One answer key per exam, after its questions, with the short keys only.
    assert text.count("## 答案") == 2
    first_key = text.index("## 答案")
    assert text.index("编号Q06") < first_key < text.index("# 京东客服面试题")
    key_a = text[first_key : text.index("# 京东客服面试题")]
    assert "1\\. B  \n2\\. A" in key_a
    assert "1\\. AC" in key_a
    assert "1\\. 错 (×)  \n2\\. 对 (√)" in key_a
    assert "情景模拟题" not in key_a  # open questions have no short key
    key_b = text[text.rindex("## 答案") :]
    assert "### 单选题" in key_b
    assert "1\\. A" in key_b


def test_markdown_escapes_bank_text() -> None:
    text = render(write_markdown)
    assert "\\*stars\\*" in text
    assert "\n\\# heading  \n" in text
    assert "\n1\\. 不是列表  \n" in text
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "\\[bold\\]x\\[/\\]" in text
    assert "\\*星号\\* \\& \\[链接\\](x)" in text


def test_markdown_renders_bank_text_literally() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark")
    rendered = md.render(render(write_markdown))
    # The bank's markup-like text shows as text, never as markup.
    assert "<script>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "*stars*" in rendered
    assert "<em>stars</em>" not in rendered
    assert "<h1>heading</h1>" not in rendered
    assert "# heading" in rendered
    assert "1. 不是列表" in rendered
    assert rendered.count("<h1>") == 2
    assert "<ol" not in rendered
    # Line breaks inside a prompt survive as hard breaks.
    assert "请分步骤回答。" in rendered
    assert re.search(r"怎么处理？<br />\s*请分步骤回答。", rendered)
    # The heading structure is ours: exam titles, section titles.
    assert re.findall(r"<h2>(.*?)</h2>", rendered)[:4] == [
        "单选题",
        "多选题",
        "判断题",
        "情景模拟题",
    ]


# --- html ---------------------------------------------------------------------


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.script_text if self._in_script else self.text).append(data)


def parse(text: str) -> Collector:
    parser = Collector()
    parser.feed(text)
    parser.close()
    return parser


def test_html_is_escaped_and_complete() -> None:
    text = render(write_html)
    assert text.startswith("<!doctype html>\n")
    assert '<meta charset="utf-8">' in text
    assert 'name="viewport"' in text
    assert '<html lang="zh-Hans">' in text
    parsed = parse(text)
    assert "script" not in parsed.tags
    body = "".join(parsed.text)
    assert "<script>alert(1)</script>" in body
    assert "[bold]x[/]" in body
    assert "<b>加粗</b>" in body
    for marker in MARKERS:
        assert marker in body
    assert OPEN_ANSWER in body
    assert "（原文无参考答案）" in body
    assert "答案为编者补充，非原文" in body
    assert "注：原文在此处截断" in body
    # Self-contained: no external resources of any kind.
    for tag, attrs in parsed.attrs:
        names = {name for name, _ in attrs}
        assert not names & {"src", "href"}, tag
    assert "@import" not in text
    assert "url(" not in text
    for font in ("Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei"):
        assert font in text
    assert "@page" in text
    assert "break-inside: avoid" in text
    assert "break-after: avoid" in text


def test_html_escapes_title_and_options() -> None:
    buf = io.StringIO()
    write_html(items(), buf, title="<script>x</script>")
    parsed = parse(buf.getvalue())
    assert "script" not in parsed.tags
    assert "<script>x</script>" in "".join(parsed.text)
    # Option text "<b>加粗</b>" is data, not an element.
    assert parsed.tags.count("b") == sum(1 for question in QUESTIONS for kp in question.key_points)


def test_html_without_answers() -> None:
    text = render(write_html, answers=False)
    body = "".join(parse(text).text)
    for marker in MARKERS:
        assert marker in body
    assert OPEN_ANSWER not in body
    assert "原文无参考答案" not in body
    assert "以签收次日起算" not in body
    assert body.count("答案") >= 2  # the two answer keys
    assert 'class="answer"' not in text


def test_html_empty() -> None:
    buf = io.StringIO()
    write_html([], buf)
    parsed = parse(buf.getvalue())
    assert parsed.tags[0] == "html"
    assert "main" in parsed.tags


# --- csv ----------------------------------------------------------------------


def write_csv_file(path: Path, answers: bool = True) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        write_csv(items(), fh, answers=answers)


def read_csv_file(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == CSV_HEADER
        return list(reader)


def test_csv_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    write_csv_file(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw[3:].startswith(b"exam,section,id,kind,prompt,options,answer,explanation,key_points,tags\r\n")
    rows = read_csv_file(path)
    assert len(rows) == len(QUESTIONS)
    by_id = {(row["exam"], row["id"]): row for row in rows}
    for question in QUESTIONS:
        row = by_id[(question.exam_id, question.id)]
        assert row["section"] == question.section_id
        assert row["kind"] == question.kind.value
        assert row["prompt"] == clean(question.prompt).strip()
    nasty = by_id[("alibaba-cs", "nasty")]
    assert "<script>alert(1)</script>" in nasty["prompt"]
    assert nasty["options"] == "A. <b>加粗</b>\nB. *星号* & [链接](x)"
    assert nasty["answer"] == "A"
    first = by_id[("alibaba-cs", "refund-window")]
    assert first["options"] == "A. 下单日\nB. 签收次日\nC. 发货日"
    assert first["answer"] == "B"
    assert first["explanation"] == "以签收次日起算。"
    assert first["tags"] == "售后 规则, 退货"
    assert by_id[("alibaba-cs", "good-service")]["answer"] == "AC"
    assert by_id[("alibaba-cs", "promise")]["answer"] == "错"
    assert by_id[("alibaba-cs", "empathy")]["answer"] == "对"
    angry = by_id[("alibaba-cs", "angry-customer")]
    assert angry["answer"] == OPEN_ANSWER + "\n(2) 跟进物流"
    assert angry["key_points"] == "情绪管理: 先共情客户\n闭环服务"
    assert angry["options"] == ""
    assert by_id[("jd-cs", "no-answer")]["answer"] == ""


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    """A spreadsheet opening the CSV shows such text as text instead of running it."""
    exam = EXAMS[0]
    section = exam.sections[0]
    risky = (
        FILES[0]
        .questions[0]
        ._replace(
            prompt='=HYPERLINK("http://x.example","点我")',
            explanation="-1 分：回复超时",
            tags=("@mention", "售后"),
        )
    )
    item = ExportItem(exam, section, risky, 1)
    buf = io.StringIO()
    write_csv([item], buf)
    [row] = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert row["prompt"] == '\'=HYPERLINK("http://x.example","点我")'
    assert row["explanation"] == "'-1 分：回复超时"
    assert row["tags"] == "'@mention, 售后"
    assert row["options"].startswith("A. ")  # ordinary text is kept exactly
    assert row["exam"] == exam.id
    assert csv_cell("+86 电话") == "'+86 电话"
    assert csv_cell("退款 = 实付") == "退款 = 实付"


def test_csv_without_answers(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    write_csv_file(path, answers=False)
    rows = read_csv_file(path)
    assert len(rows) == len(QUESTIONS)
    assert all(row["answer"] == row["explanation"] == row["key_points"] == "" for row in rows)
    assert OPEN_ANSWER not in path.read_text(encoding="utf-8-sig")


# --- apkg ---------------------------------------------------------------------


def read_apkg(
    path: Path,
) -> tuple[list[tuple[str, str, str]], dict[str, str], list[dict[str, Any]]]:
    """(guid, fields, tags) of each note; deck names by id; the note types."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert "collection.anki2" in names
        assert "media" in names
        assert json.loads(zf.read("media")) == {}
        db = path.parent / (path.name + ".anki2")
        db.write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        notes = conn.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
        decks_json, models_json = conn.execute("SELECT decks, models FROM col").fetchone()
        deck_of_cards = conn.execute("SELECT did FROM cards ORDER BY nid").fetchall()
    finally:
        conn.close()
    decks = {k: v["name"] for k, v in json.loads(decks_json).items()}
    assert all(str(did) in decks for (did,) in deck_of_cards)
    return notes, decks, list(json.loads(models_json).values())


def test_apkg_one_note_per_question_with_stable_guids(tmp_path: Path) -> None:
    first = tmp_path / "a.apkg"
    second = tmp_path / "b.apkg"
    write_apkg(items(), first, timestamp=1_760_000_000)
    write_apkg(items(), second)
    notes, decks, models = read_apkg(first)
    notes2, decks2, models2 = read_apkg(second)
    assert len(notes) == len(QUESTIONS)
    assert [n[0] for n in notes] == [note_guid(question.uid) for question in QUESTIONS]
    assert [n[0] for n in notes2] == [n[0] for n in notes]
    assert decks == decks2  # same names and ids
    assert [m["id"] for m in models] == [m["id"] for m in models2]
    assert len({n[0] for n in notes}) == len(QUESTIONS)
    names = set(decks.values())
    assert "csdrill::2026年阿里巴巴客服专员面试题目详解" in names
    assert "csdrill::2026年阿里巴巴客服专员面试题目详解::情景模拟题" in names
    assert "csdrill::京东客服面试题::单选题" in names
    for deck_id in decks:
        if deck_id != "1":  # Anki's Default deck
            assert 1 << 30 <= int(deck_id) < 1 << 31
    (model,) = models
    assert [f["name"] for f in model["flds"]] == [
        "Prompt",
        "Options",
        "Answer",
        "KeyPoints",
        "Explanation",
        "Note",
        "Meta",
    ]


def test_apkg_fields_are_escaped_html(tmp_path: Path) -> None:
    path = tmp_path / "a.apkg"
    write_apkg(items(), path)
    notes, _, _ = read_apkg(path)
    fields = {guid: flds.split("\x1f") for guid, flds, _ in notes}
    tags = {guid: tag.split() for guid, _, tag in notes}
    nasty = fields[note_guid("alibaba-cs/nasty")]
    assert len(nasty) == 7
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in nasty[0]
    assert "<script" not in "".join(nasty)
    assert "<br>" in nasty[0]
    assert "&lt;b&gt;加粗&lt;/b&gt;" in nasty[1]
    assert "A" in nasty[2]
    assert "alibaba-cs/nasty" in nasty[6]
    angry = fields[note_guid("alibaba-cs/angry-customer")]
    assert OPEN_ANSWER in angry[2]
    assert "情绪管理" in angry[3]
    assert "原文在此处截断" in angry[5]
    assert tags[note_guid("alibaba-cs/refund-window")] == ["售后_规则", "退货", "single-choice"]
    for flds in fields.values():
        for field in flds:
            assert not CONTROL.search(field)


def test_apkg_is_reproducible_and_hides_answers(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.apkg", tmp_path / "b.apkg", tmp_path / "c.apkg"
    write_apkg(items(), a, timestamp=1_760_000_000)
    write_apkg(items(), b, timestamp=1_760_000_000)
    assert a.read_bytes() == b.read_bytes()
    write_apkg(items(), c, answers=False)
    notes, _, _ = read_apkg(c)
    for _, flds, _ in notes:
        _, _, answer, key_points, explanation, _, _ = flds.split("\x1f")
        assert answer == key_points == explanation == ""


# --- all formats --------------------------------------------------------------


@pytest.mark.parametrize("answers", [True, False])
def test_no_control_characters_anywhere(tmp_path: Path, answers: bool) -> None:
    for writer in (write_markdown, write_html):
        text = render(writer, answers=answers)
        assert not CONTROL.search(text), writer.__name__
        assert "红色" in text
        assert "[31m" not in text
    path = tmp_path / "x.csv"
    write_csv_file(path, answers=answers)
    assert not CONTROL.search(path.read_text(encoding="utf-8-sig").replace("\r\n", "\n"))


def test_text_writers_stream() -> None:
    """The writers consume items lazily and write before the input is exhausted."""
    for writer in (write_markdown, write_html, write_csv):
        buf = io.StringIO()
        seen: list[int] = []

        def source() -> Iterator[ExportItem]:
            for item in items():
                seen.append(len(buf.getvalue()))  # noqa: B023
                yield item

        writer(source(), buf)
        assert seen[-1] > seen[1] > 0, writer.__name__


# --- the learner's own answers (--mine) -----------------------------------------

ANGRY = "alibaba-cs/angry-customer"
# What a learner might have typed: markup of every format and a terminal escape, all to be shown as text.
HOSTILE = "我会先道歉<script>alert(2)</script>\n[bold]加急[/] *跟进* & #1 \x1b[2J清屏\x07MINEANSWER"
MINE = {
    ANGRY: HOSTILE,
    "alibaba-cs/refund-window": "NOT-SHOWN-CHOICE",  # a choice question has a key, not an answer of mine
    "jd-cs/no-answer": "=SUM(A1) 先查库存再回复MINE2",
}


BY_UID = {question.uid: question for question in QUESTIONS}


def render_mine(writer: Callable[..., None], answers: bool = True) -> str:
    buf = io.StringIO()
    writer(items(), buf, answers=answers, mine=MINE)
    return buf.getvalue()


def question_text(text: str, marker: str, next_marker: str | None) -> str:
    """The part of a sheet from one question's marker to the next one's."""
    start = text.index(marker)
    return text[start : text.index(next_marker, start) if next_marker else None]


def test_answer_block_puts_my_answer_after_the_model_answer() -> None:
    angry = BY_UID[ANGRY]
    parts = list(answer_block(angry, mine="我的答案"))
    assert [type(part) for part in parts] == [Note, ModelAnswer, MyAnswer, KeyPoints]
    assert parts[2] == MyAnswer("我的答案")
    # Nothing of mine where it is blank once cleaned, on a choice question, or on a practice sheet.
    assert MyAnswer not in map(type, answer_block(angry, mine=" \x1b[2J \x07 "))
    assert MyAnswer not in map(type, answer_block(BY_UID["alibaba-cs/refund-window"], mine="B"))
    assert list(answer_block(angry, answers=False, mine="我的答案")) == [Note("原文在此处截断")]


def test_markdown_shows_my_answer_escaped() -> None:
    text = render_mine(write_markdown)
    angry = question_text(text, "编号Q06", "# 京东客服面试题")
    assert angry.index(OPEN_ANSWER) < angry.index("**我的回答：**") < angry.index("**要点：**")
    assert (
        "我会先道歉\\<script\\>alert(2)\\</script\\>  \n\\[bold\\]加急\\[/\\] \\*跟进\\* \\& \\#1 清屏MINEANSWER"
        in angry
    )
    assert "**我的回答：**\n\n\\=SUM(A1) 先查库存再回复MINE2" in question_text(text, "编号Q07", "编号Q08")
    assert "NOT-SHOWN-CHOICE" not in text
    assert not CONTROL.search(text)
    assert "[2J" not in text
    assert "我的回答" not in render(write_markdown)  # without --mine
    assert "MINEANSWER" not in render_mine(write_markdown, answers=False)


def test_markdown_my_answer_renders_as_text() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(render_mine(write_markdown))
    assert "&lt;script&gt;alert(2)&lt;/script&gt;<br />" in rendered
    assert "[bold]加急[/] *跟进* &amp; #1 清屏MINEANSWER" in rendered
    assert "<script>" not in rendered


def test_html_shows_my_answer_escaped() -> None:
    text = render_mine(write_html)
    parsed = parse(text)
    assert "script" not in parsed.tags
    body = "".join(parsed.text)
    angry = question_text(body, "编号Q06", "京东客服面试题")
    assert angry.index(OPEN_ANSWER) < angry.index("我的回答：") < angry.index("要点：")
    assert "我会先道歉<script>alert(2)</script>[bold]加急[/] *跟进* & #1 清屏MINEANSWER" in angry
    assert "&lt;script&gt;alert(2)&lt;/script&gt;<br>[bold]" in text
    assert "我的回答：\n=SUM(A1) 先查库存再回复MINE2" in body
    assert "NOT-SHOWN-CHOICE" not in body
    assert not CONTROL.search(text)
    assert "我的回答" not in render(write_html)
    assert "MINEANSWER" not in render_mine(write_html, answers=False)


def test_csv_my_answer_is_a_last_column_only_with_mine() -> None:
    plain = render(write_csv)
    assert plain.startswith("exam,section,id,kind,prompt,options,answer,explanation,key_points,tags\r\n")
    assert "my_answer" not in plain
    rows = list(csv.reader(io.StringIO(render_mine(write_csv))))
    assert tuple(rows[0]) == (*CSV_HEADER, "my_answer")
    assert {len(row) for row in rows} == {len(CSV_HEADER) + 1}
    by_id = {row[2]: row[-1] for row in rows[1:]}
    assert by_id["angry-customer"] == "我会先道歉<script>alert(2)</script>\n[bold]加急[/] *跟进* & #1 清屏MINEANSWER"
    assert by_id["no-answer"] == "'=SUM(A1) 先查库存再回复MINE2"  # never a formula
    assert by_id["refund-window"] == ""
    practice = list(csv.reader(io.StringIO(render_mine(write_csv, answers=False))))
    assert practice[0][-1] == "my_answer"
    assert all(row[-1] == "" for row in practice[1:])


def test_apkg_my_answer_goes_into_the_answer_field_of_the_same_note_type(tmp_path: Path) -> None:
    plain, mine = tmp_path / "plain.apkg", tmp_path / "mine.apkg"
    write_apkg(items(), plain, timestamp=1_760_000_000)
    write_apkg(items(), mine, timestamp=1_760_000_000, mine=MINE)
    notes, decks, models = read_apkg(mine)
    plain_notes, plain_decks, plain_models = read_apkg(plain)
    # The same note type (id, fields, templates) and the same notes: a --mine export updates a plain one.
    assert models == plain_models
    assert [guid for guid, _, _ in notes] == [guid for guid, _, _ in plain_notes]
    assert decks == plain_decks
    fields = {guid: flds.split("\x1f") for guid, flds, _ in notes}
    answer = fields[note_guid(ANGRY)][2]
    assert answer.index(OPEN_ANSWER) < answer.index('<div class="mine"><div class="label">我的回答</div>')
    assert "我会先道歉&lt;script&gt;alert(2)&lt;/script&gt;<br>[bold]加急[/] *跟进* &amp; #1 清屏MINEANSWER" in answer
    assert "<script" not in answer
    assert not CONTROL.search(answer)
    assert "NOT-SHOWN-CHOICE" not in "".join(flds for _, flds, _ in notes)
    assert "我的回答" not in "".join(flds for _, flds, _ in plain_notes)


# --- the script of the bank text (--script) -------------------------------------

TRAD = "trad-cs"


def trad_catalog() -> MemoryCatalog:
    """A Traditional-script exam whose every kind of bank text has 處理 in it."""
    choice = make_section(
        id="single",
        title="單選題（處理）",
        kind=Kind.SINGLE,
        instructions="說明：處理規則",
        questions=(
            q(
                TRAD,
                "single",
                Kind.SINGLE,
                "refund",
                "退貨應如何處理？",
                options=(("A", "立即處理"), ("B", "不處理")),
                correct=("A",),
                explanation="解析：及時處理。",
                tags=("售後處理",),
            ),
        ),
    )
    scenario = make_section(
        id="scenario",
        title="情景題",
        kind=Kind.OPEN,
        questions=(
            q(
                TRAD,
                "scenario",
                Kind.OPEN,
                "complaint",
                "客戶投訴時你會怎麼處理？",
                model_answer="先安撫，再處理問題。",
                key_points=(KeyPoint("情緒處理", "先處理情緒"),),
                note="原文在此處截斷",
            ),
        ),
    )
    return MemoryCatalog(
        (
            exam_file(
                id=TRAD,
                title="新人電商客服面試（處理篇）",
                description="處理投訴的題目",
                language="zh-Hant",
                sections=(choice, scenario),
            ),
        )
    )


def hans(text: str) -> str:
    return convert_script(text, "hans")


def test_script_converts_every_bank_text_but_not_ids_or_my_answer(tmp_path: Path) -> None:
    catalog = trad_catalog()
    mine = {f"{TRAD}/complaint": "我會這樣處理MINE"}
    sheets = []
    for writer in (write_markdown, write_html, write_csv):
        buf = io.StringIO()
        writer(iter_items(catalog, show=hans), buf, mine=mine)
        sheets.append((writer.__name__, buf.getvalue()))
    path = tmp_path / "trad.apkg"
    write_apkg(iter_items(catalog, show=hans), path, mine=mine)
    notes, decks, _ = read_apkg(path)
    sheets.append(("apkg", "\n".join(flds + " " + tags for _, flds, tags in notes) + "\n".join(decks.values())))
    for name, text in sheets:
        without_mine = text.replace("我會這樣處理MINE", "")
        assert "處理" not in without_mine, name
        for converted in ("退货应如何处理", "立即处理", "客户投诉时你会怎么处理", "先安抚，再处理问题"):
            assert converted in text, (name, converted)
        if name != "write_csv":  # CSV has no column for the exam's and section's titles
            assert "新人电商客服面试（处理篇）" in text, name
            assert "单选题（处理）" in text, name
        if name in ("write_markdown", "write_html"):
            assert "说明：处理规则" in text, name
        assert "我會這樣處理MINE" in text, name  # the learner's own words stay as typed
    html_text = dict(sheets)["write_html"]
    assert f'id="{TRAD}/complaint"' in html_text  # ids are never converted
    for converted in ("先处理情绪", "在此处截断", "及时处理", "处理投诉的题目"):
        assert converted in html_text
    assert "售后处理" in dict(sheets)["apkg"]
    assert [guid for guid, _, _ in notes] == [note_guid(f"{TRAD}/refund"), note_guid(f"{TRAD}/complaint")]


def test_script_source_leaves_the_text_as_the_bank_has_it() -> None:
    buf = io.StringIO()
    write_markdown(iter_items(trad_catalog()), buf)
    assert "退貨應如何處理？" in buf.getvalue()
    assert "处理" not in buf.getvalue()


# --- best answers in bulk ---------------------------------------------------------

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def record(store: Store, uid: str, at: datetime, rating: Rating, answer: str, correct: bool | None = None) -> None:
    after = Scheduler(fuzz=False).review(uid, NEW, rating, at, 1000)
    store.record(uid, after=after, now=at, rating=rating, correct=correct, answer=answer, duration_ms=1000, mode="quiz")


def test_best_answers_match_best_answer_per_uid(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        record(store, "e/later-easy", T0, Rating.GOOD, "first good")
        record(store, "e/later-easy", T0 + timedelta(hours=1), Rating.EASY, "later easy")
        record(store, "e/later-easy", T0 + timedelta(hours=2), Rating.AGAIN, "again: not mine")
        record(store, "e/hard-only", T0, Rating.HARD, "hard: not best")
        record(store, "e/graded", T0, Rating.GOOD, "A", correct=True)  # a graded answer, not self-rated
        record(store, "e/blank", T0, Rating.GOOD, "   ")
        record(store, "e/same-time", T0, Rating.GOOD, "one")
        record(store, "e/same-time", T0, Rating.GOOD, "two")  # same time: the later row wins
        # More uids than one query takes (500), so that the chunks are joined.
        many = [f"bulk/q{i:04d}" for i in range(1203)]
        for i, uid in enumerate(many):
            record(store, uid, T0 + timedelta(seconds=i), Rating.GOOD if i % 3 else Rating.AGAIN, f"answer {i}")
        uids = [
            "e/later-easy",
            "e/hard-only",
            "e/graded",
            "e/blank",
            "e/same-time",
            "e/never-seen",
            *many,
            "e/later-easy",
        ]
        got = store.best_answers(uids)
        expected = {uid: answer for uid in uids if (answer := store.best_answer(uid)) is not None}
        assert got == expected
        assert got["e/later-easy"] == "later easy"
        assert got["e/same-time"] == "two"
        assert not {"e/hard-only", "e/graded", "e/blank", "e/never-seen"} & got.keys()
        assert len(got) == 2 + 802
        assert store.best_answers([]) == {}


# --- the 错题本 (export --only wrong) and stars ------------------------------------------

NOON = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)  # the same local date in every time zone but ±12 h


def missed(count: int, answer: str, when: datetime = NOON) -> MissRecord:
    return MissRecord(count, when, answer)


MISSES = {
    "alibaba-cs/refund-window": missed(2, "c"),  # single: the letter and its option
    "alibaba-cs/good-service": missed(1, "d a"),  # multi: letters as the key shows them
    "alibaba-cs/promise": missed(3, "t"),  # true-false
    ANGRY: missed(1, HOSTILE),  # open: the text, shown as text
    "jd-cs/no-answer": missed(1, "？"),  # I don't know
    "jd-cs/hotline": missed(1, "Z"),  # no longer an option: as typed
}


def render_misses(writer: Callable[..., None], answers: bool = True, **kw: Any) -> str:
    buf = io.StringIO()
    writer(items(), buf, answers=answers, misses=MISSES, **kw)
    return buf.getvalue()


def test_answer_block_puts_the_misses_before_the_key() -> None:
    refund = BY_UID["alibaba-cs/refund-window"]
    parts = list(answer_block(refund, missed=MISSES[refund.uid]))
    assert [type(part) for part in parts] == [Misses, Key, Explanation]
    assert parts[0] == Misses(2, date(2026, 3, 1), "C", (("C", "发货日"),))
    angry = list(answer_block(BY_UID[ANGRY], missed=MISSES[ANGRY]))
    assert [type(part) for part in angry] == [Note, Misses, ModelAnswer, KeyPoints]
    # A practice sheet tells how often and when, never the answer given (a wrong 对 would tell the key).
    assert list(answer_block(refund, answers=False, missed=MISSES[refund.uid])) == [Misses(2, date(2026, 3, 1))]
    assert Misses not in map(type, answer_block(refund))


@pytest.mark.parametrize(
    ("uid", "given", "options", "unknown"),
    [
        ("alibaba-cs/good-service", "AD", (("A", "及时响应"), ("D", "敷衍")), False),
        ("alibaba-cs/promise", "对 (√)", (), False),
        ("jd-cs/no-answer", "", (), True),
        ("jd-cs/hotline", "Z", (), False),
    ],
)
def test_the_answer_given_is_read_as_the_sheet_shows_a_key(
    uid: str, given: str, options: tuple[tuple[str, str], ...], unknown: bool
) -> None:
    (part,) = [p for p in answer_block(BY_UID[uid], missed=MISSES[uid]) if isinstance(p, Misses)]
    assert (part.given, part.options, part.unknown) == (given, options, unknown)


def test_markdown_shows_the_misses() -> None:
    text = render_misses(write_markdown)
    refund = question_text(text, "编号Q01", "编号Q05")
    assert (
        "**错题记录：** 答错 2 次，最近一次 2026-03-01  \n**最近错答：** C. 发货日\n\n**答案：** B. 签收次日" in refund
    )
    multi = question_text(text, "编号Q02", "编号Q03")
    assert "**最近错答：** AD  \nA. 及时响应  \nD. 敷衍\n\n**答案：** AC" in multi
    assert "**错题记录：** 答错 3 次，最近一次 2026-03-01  \n**最近错答：** 对 (√)" in text
    angry = question_text(text, "编号Q06", "# 京东客服面试题")
    assert "**最近错答：**\n\n我会先道歉\\<script\\>alert(2)\\</script\\>  \n\\[bold\\]加急\\[/\\]" in angry
    assert "**最近错答：** （不会）" in question_text(text, "编号Q07", "编号Q08")
    assert "**最近错答：** Z" in question_text(text, "编号Q08", None)
    assert "错题记录" not in question_text(text, "编号Q04", "编号Q06")  # never missed
    assert not CONTROL.search(text)
    practice = render_misses(write_markdown, answers=False)
    assert "**错题记录：** 答错 2 次，最近一次 2026-03-01\n" in practice
    assert "最近错答" not in practice
    assert "错题记录" not in render(write_markdown)


def test_html_shows_the_misses_escaped() -> None:
    text = render_misses(write_html)
    assert "script" not in parse(text).tags
    assert (
        '<p class="misses"><span class="label">错题记录：</span>答错 2 次，最近一次 2026-03-01<br>'
        '<span class="label">最近错答：</span>C. 发货日</p>'
    ) in text
    assert '<span class="label">最近错答：</span>AD<br>A. 及时响应<br>D. 敷衍</p>' in text
    assert '<p class="misses-answer">我会先道歉&lt;script&gt;alert(2)&lt;/script&gt;<br>[bold]' in text
    assert not CONTROL.search(text)


def test_csv_misses_columns_only_with_misses() -> None:
    rows = list(csv.DictReader(io.StringIO(render_misses(write_csv))))
    assert list(rows[0])[-3:] == ["missed_answer", "misses", "last_missed"]
    by_id = {row["id"]: (row["missed_answer"], row["misses"], row["last_missed"]) for row in rows}
    assert by_id["refund-window"] == ("C", "2", "2026-03-01")
    assert by_id["good-service"] == ("AD", "1", "2026-03-01")
    assert by_id["promise"] == ("对 (√)", "3", "2026-03-01")
    assert by_id["no-answer"] == ("（不会）", "1", "2026-03-01")
    assert by_id["empathy"] == ("", "", "")
    assert "missed_answer" not in render(write_csv)


def render_starred(writer: Callable[..., None], starred: set[str]) -> str:
    buf = io.StringIO()
    writer(items(), buf, starred=starred)
    return buf.getvalue()


def test_csv_stars_are_a_last_column_only_when_there_are_stars() -> None:
    starred = {"alibaba-cs/promise", "jd-cs/hotline", "gone/question"}
    rows = list(csv.reader(io.StringIO(render_starred(write_csv, starred))))
    assert rows[0][-1] == "starred"
    assert {row[2] for row in rows[1:] if row[-1] == "★"} == {"promise", "hotline"}
    assert {len(row) for row in rows} == {len(CSV_HEADER) + 1}


def test_markdown_and_html_mark_starred_questions() -> None:
    starred = {"alibaba-cs/promise"}
    text = render_starred(write_markdown, starred)
    assert "**1.** ★ 编号Q03" in text
    assert text.count("★") == 1
    page = render_starred(write_html, starred)
    assert '<span class="num">1.</span><span class="star" title="收藏">★</span>编号Q03' in page
    assert page.count("★") == 1


def test_apkg_misses_go_into_the_answer_field_and_stars_are_marked_notes(tmp_path: Path) -> None:
    plain, sheet = tmp_path / "plain.apkg", tmp_path / "wrong.apkg"
    write_apkg(items(), plain, timestamp=1_760_000_000)
    write_apkg(items(), sheet, timestamp=1_760_000_000, misses=MISSES, starred={"alibaba-cs/promise"})
    notes, _, models = read_apkg(sheet)
    plain_notes, _, plain_models = read_apkg(plain)
    assert models == plain_models  # the same note type
    by_guid = {guid: (fields.split("\x1f"), tags) for guid, fields, tags in notes}
    refund, _tags = by_guid[note_guid("alibaba-cs/refund-window")]
    answer = refund[2]
    assert answer.index("答案：") < answer.index('<div class="misses">')
    assert '<div class="label">错题记录</div>答错 2 次，最近一次 2026-03-01<br><b>最近错答：</b>C. 发货日' in answer
    assert "marked" in by_guid[note_guid("alibaba-cs/promise")][1].split()
    assert "marked" not in by_guid[note_guid("alibaba-cs/empathy")][1].split()
    assert not any("misses" in fields for _, fields, _ in plain_notes)
    angry = by_guid[note_guid(ANGRY)][0][2]
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in angry
    assert "<script" not in angry
