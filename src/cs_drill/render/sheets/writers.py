"""Study-sheet builders: markdown, self-contained HTML, CSV and an Anki package.

The text writers stream: they write each question as they reach it, and only
the short answer key of the current exam (``answers=False``) is held in memory.
Every string taken from the bank goes through :func:`cs_drill.text.clean` and
is escaped for the target format, so it is always shown literally.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import html
import itertools
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import genanki

from cs_drill.bank.catalog import Catalog
from cs_drill.bank.model import Exam, Kind, Question, Section
from cs_drill.text import clean

__all__ = [
    "CSV_HEADER",
    "FORMATS",
    "ExportItem",
    "answer_key",
    "format_for_path",
    "iter_items",
    "note_guid",
    "write_apkg",
    "csv_cell",
    "write_csv",
    "write_html",
    "write_markdown",
]

FORMATS = ("markdown", "html", "csv", "apkg")

_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".apkg": "apkg",
}

CSV_HEADER = (
    "exam",
    "section",
    "id",
    "kind",
    "prompt",
    "options",
    "answer",
    "explanation",
    "key_points",
    "tags",
)

NO_MODEL_ANSWER = "（原文无参考答案）"
AUTHORED_MARK = "答案为编者补充，非原文"


def format_for_path(path: Path) -> str | None:
    """Return the export format implied by ``path``'s extension, or None."""
    return _SUFFIXES.get(path.suffix.lower())


@dataclass(frozen=True)
class ExportItem:
    """One question to export, with its exam and section; items are written in order."""

    exam: Exam
    section: Section
    question: Question
    number: int  # 1-based number within its section, as in the source


def iter_items(catalog: Catalog, exam: str | None = None, wanted: set[str] | None = None) -> Iterator[ExportItem]:
    """The questions of ``exam`` (default all) in source order, streamed from the catalog.

    Each is numbered within its section; numbers count every question of the
    section, so that a selection (``wanted``: uids) keeps the source's numbers.
    """
    places = {(e.id, s.id): (e, s) for e in catalog.exams() for s in e.sections}
    numbers: dict[tuple[str, str], int] = {}
    for q in catalog.iter_questions(exam):
        key = (q.exam_id, q.section_id)
        numbers[key] = number = numbers.get(key, 0) + 1
        if wanted is None or q.uid in wanted:
            exam_rec, section = places[key]
            yield ExportItem(exam_rec, section, q, number)


def note_guid(uid: str) -> str:
    """Return the Anki note GUID for a question uid (``exam-id/question-id``)."""
    return str(genanki.guid_for(uid))


# --- shared helpers -----------------------------------------------------------


def _text(value: str | None) -> str:
    """Bank text without control characters and surrounding blank space."""
    if value is None:
        return ""
    return clean(value).strip()


def _one_line(value: str | None) -> str:
    """Bank text folded onto one line (for titles and names)."""
    return " ".join(_text(value).split())


def _fmt_points(points: int | float | None) -> str:
    if points is None:
        return ""
    if isinstance(points, float) and points.is_integer():
        return str(int(points))
    return str(points)


def _truth_text(truth: bool | None) -> str:
    return "对 (√)" if truth else "错 (×)"


def answer_key(question: Question) -> str:
    """``Question.key`` as export text: letters for choice kinds, 对/错 for true-false, '' for open."""
    return _one_line(question.key)


def _options(question: Question) -> list[tuple[str, str]]:
    """(letter, bank text) of each option; letters cleaned, text still raw."""
    return [(_one_line(letter), text) for letter, text in question.options]


def _correct(question: Question) -> list[tuple[str, str]]:
    """(letter, bank text) of each correct option of a choice question."""
    return [(_one_line(letter), _option_text(question, letter)) for letter in question.correct]


def _short_key(question: Question) -> str:
    if question.kind is Kind.TRUE_FALSE:
        return _truth_text(question.truth)
    return answer_key(question)


def _option_text(question: Question, letter: str) -> str:
    try:
        return question.option_text(letter)
    except KeyError:
        return ""


def _question_points(item: ExportItem) -> str:
    """The question's own points where they differ from its section's."""
    points = item.question.points
    if points is None or points == item.section.points:
        return ""
    return _fmt_points(points)


class _Grouper:
    """Tells when an item starts a new exam or a new section."""

    def __init__(self) -> None:
        self.exam: Exam | None = None
        self.section: tuple[str, str] | None = None

    def step(self, item: ExportItem) -> tuple[bool, bool]:
        new_exam = self.exam is None or self.exam.id != item.exam.id
        key = (item.exam.id, item.section.id)
        new_section = new_exam or self.section != key
        self.exam = item.exam
        self.section = key
        return new_exam, new_section


# The answer key of one exam, kept for answers=False: (section title, [(number, key)]).
_KeyRows = list[tuple[str, list[tuple[int, str]]]]


def _remember_key(rows: _KeyRows, item: ExportItem, new_section: bool) -> None:
    question = item.question
    if question.kind is Kind.OPEN:
        return
    title = _one_line(item.section.title)
    if new_section or not rows:
        rows.append((title, []))
    rows[-1][1].append((item.number, _short_key(question)))


# --- markdown -----------------------------------------------------------------

# Escaped wherever they occur: they form inline markup (emphasis, code, links,
# raw HTML, entities, GFM tables, strikethrough and math).
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&!#$])")
# Escaped at the start of a line only: block markers (headings, lists, quotes,
# setext underlines). Mid-line they are plain text, and "3-5天" stays readable.
_MD_LINE_START = re.compile(r"^([+\-=])")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def _md_escape_line(line: str) -> str:
    # Leading blanks would make an indented code block; trailing ones a hard break.
    line = line.strip(" \t")
    line = _MD_INLINE.sub(r"\\\1", line)
    line = _MD_LINE_START.sub(r"\\\1", line)
    return _MD_ORDERED.sub(r"\1\\\2", line)


def _md_lines(value: str | None) -> list[str]:
    """Escaped lines of ``value``; single newlines become hard breaks."""
    lines: list[str] = []
    for raw in _text(value).split("\n"):
        line = _md_escape_line(raw)
        if not line and (not lines or not lines[-1]):
            continue
        lines.append(line)
    for i in range(len(lines) - 1):
        if lines[i] and lines[i + 1]:
            lines[i] += "  "
    return lines


def _md_block(value: str | None, first: str = "", rest: str = "") -> str:
    """Escaped ``value`` as one block: ``first`` before line one, ``rest`` before the others."""
    lines = _md_lines(value)
    out = []
    for i, line in enumerate(lines):
        prefix = first if i == 0 else rest
        out.append(prefix + line if line else prefix.rstrip())
    return "\n".join(out)


def _md_inline(value: str | None) -> str:
    return _md_escape_line(_one_line(value))


def _md_answer(question: Question) -> list[str]:
    """Markdown blocks (paragraphs, lists) of the answer part of a question."""
    blocks: list[str] = []
    if question.kind.is_choice:
        chosen = [f"{letter}. {_md_inline(text)}" for letter, text in _correct(question)]
        if len(chosen) == 1:
            blocks.append(f"**答案：** {chosen[0]}")
        else:
            blocks.append("  \n".join([f"**答案：** {answer_key(question)}", *chosen]))
    elif question.kind is Kind.TRUE_FALSE:
        blocks.append(f"**答案：** {_truth_text(question.truth)}")
    elif question.model_answer is None or not _text(question.model_answer):
        blocks.append(f"**参考答案：** {NO_MODEL_ANSWER}")
    else:
        blocks.append("**参考答案：**")
        blocks.append(_md_block(question.model_answer))
    if question.authored:
        blocks.append(f"*{AUTHORED_MARK}*")
    if question.key_points:
        blocks.append("**要点：**")
        items = []
        for kp in question.key_points:
            head = f"- **{_md_inline(kp.point)}**"
            if _text(kp.detail):
                items.append(_md_block(kp.detail, first=head + "：", rest="  "))
            else:
                items.append(head)
        blocks.append("\n".join(items))
    if _text(question.explanation):
        blocks.append(_md_block(question.explanation, first="**解析：** "))
    return blocks


def _md_key_section(out: TextIO, rows: _KeyRows) -> None:
    if not rows:
        return
    out.write("## 答案\n\n")
    for title, keys in rows:
        out.write(f"### {_md_escape_line(title)}\n\n")
        out.write("  \n".join(f"{number}\\. {key}" for number, key in keys))
        out.write("\n\n")


def write_markdown(items: Iterable[ExportItem], out: TextIO, *, answers: bool = True) -> None:
    """Write a markdown study sheet of ``items`` to ``out``, question by question.

    With ``answers=False`` only the questions are written, and each exam ends with
    an answer key ("## 答案") of its choice and true-false questions.
    """
    grouper = _Grouper()
    key_rows: _KeyRows = []
    for item in items:
        new_exam, new_section = grouper.step(item)
        exam, section, question = item.exam, item.section, item.question
        if new_exam:
            if not answers:
                _md_key_section(out, key_rows)
                key_rows = []
            out.write(f"# {_md_inline(exam.title)}\n\n")
            if _text(exam.source):
                out.write(f"来源：{_md_inline(exam.source)}\n\n")
            if _text(exam.description):
                out.write(_md_block(exam.description) + "\n\n")
        if new_section:
            out.write(f"## {_md_inline(section.title)}\n\n")
            if _text(section.instructions):
                out.write(_md_block(section.instructions) + "\n\n")
            if section.points is not None:
                out.write(f"每题{_fmt_points(section.points)}分\n\n")
        points = _question_points(item)
        head = f"**{item.number}.** " + (f"（{points}分）" if points else "")
        blocks = [_md_block(question.prompt, first=head)]
        if question.options:
            blocks.append("  \n".join(f"{letter}. {_md_inline(text)}" for letter, text in _options(question)))
        if _text(question.note):
            blocks.append(_md_block(question.note, first="> 注：", rest="> "))
        if answers:
            blocks.extend(_md_answer(question))
        else:
            _remember_key(key_rows, item, new_section)
        out.write("\n\n".join(blocks) + "\n\n")
    if not answers:
        _md_key_section(out, key_rows)


# --- html ---------------------------------------------------------------------

_FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "Source Han Sans SC", sans-serif'
)

_CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --accent: #0b5cad; --answer-bg: #f1f7ed; --answer-line: #5a9a3a; --note-bg: #fff8e1; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --accent: #6cb6ff;
    --answer-bg: #1b2a1b; --answer-line: #57ab5a; --note-bg: #2e2a1a; }
  body { background: #0d1117; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 46rem; padding: 1rem 1.1rem 3rem;
  font-family: FONTS; font-size: 1rem; line-height: 1.75; color: var(--fg);
  overflow-wrap: anywhere; }
h1 { font-size: 1.45rem; line-height: 1.4; margin: 1.2rem 0 .4rem; }
h2 { font-size: 1.2rem; line-height: 1.4; margin: 2rem 0 .5rem; padding-bottom: .2rem;
  border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1rem 0 .3rem; }
p { margin: .3rem 0; }
.meta, .instructions, .points { color: var(--muted); font-size: .92rem; }
.exam + .exam { margin-top: 3rem; }
.question { margin: .7rem 0; padding: .6rem 0 .1rem; border-top: 1px solid var(--line); }
.section > .question:first-of-type { border-top: 0; padding-top: .2rem; }
.prompt { margin: 0 0 .4rem; }
.num { font-weight: 700; color: var(--accent); margin-right: .3em; }
.qpoints { color: var(--muted); font-size: .9rem; }
.options { list-style: none; margin: .3rem 0 .5rem; padding: 0; }
.options li { padding-left: 1.6em; text-indent: -1.6em; }
.letter { display: inline-block; width: 1.6em; text-indent: 0; font-weight: 700; }
.note { background: var(--note-bg); border-radius: 4px; padding: .2rem .6rem; font-size: .95rem; }
.answer { background: var(--answer-bg); border-left: 4px solid var(--answer-line);
  border-radius: 0 4px 4px 0; padding: .4rem .8rem; margin: .5rem 0; }
.answer .label { font-weight: 700; }
.answer ul { margin: .2rem 0; padding-left: 1.3rem; }
.authored { color: var(--muted); font-size: .9rem; font-style: italic; }
.key { display: flex; flex-wrap: wrap; gap: .2rem 1.4rem; list-style: none; padding: 0; }
.key b { color: var(--accent); }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  :root { --fg: #000; --muted: #444; --line: #bbb; --accent: #000; --answer-bg: #fff;
    --answer-line: #888; --note-bg: #fff; }
  body { max-width: none; padding: 0; font-size: 10.5pt; line-height: 1.6; background: #fff; }
  .question { margin: .4rem 0; padding-top: .4rem; }
  h2 { margin-top: 1.2rem; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .question, .key-block { break-inside: avoid; page-break-inside: avoid; }
  /* A long question may break inside (else it leaves most of a page blank),
     but its prompt and options stay together and with the start of the answer. */
  .question.long { break-inside: auto; page-break-inside: auto; }
  .qhead { break-inside: avoid; page-break-inside: avoid; break-after: avoid; page-break-after: avoid; }
  .answer li { break-inside: avoid; }
  p, li { orphans: 3; widows: 3; }
  .exam + .exam { break-before: page; page-break-before: always; margin-top: 0; }
  .note { border: 1px solid #bbb; }
}
""".replace("FONTS", _FONT_STACK)


# Printed lines above which a question may break across pages: keeping a
# longer one whole can leave a third of a page blank.
_HTML_LONG_QUESTION = 14


def _printed_lines(value: str | None) -> int:
    """About how many lines ``value`` takes on a printed A4 page (≈40 CJK a line)."""
    return sum(-(-len(line) // 40) or 1 for line in _text(value).split("\n")) if value else 0


def _html_lines(question: Question, answers: bool) -> int:
    """About how many lines a question takes when printed."""
    size = _printed_lines(question.prompt) + sum(_printed_lines(t) for _, t in question.options)
    if answers:
        size += 1 + _printed_lines(question.model_answer) + _printed_lines(question.explanation)
        if question.key_points:
            size += 1 + sum(_printed_lines(kp.point + (kp.detail or "")) for kp in question.key_points)
    return size


def _h(value: str | None) -> str:
    """Escaped bank text; newlines become <br>."""
    return html.escape(_text(value)).replace("\n", "<br>")


def _h_inline(value: str | None) -> str:
    return html.escape(_one_line(value))


def _html_answer(question: Question) -> str:
    parts: list[str] = ['<div class="answer">']
    if question.kind.is_choice:
        chosen = [f"{html.escape(letter)}. {_h(text)}" for letter, text in _correct(question)]
        if len(chosen) > 1:
            chosen.insert(0, html.escape(answer_key(question)))
        parts.append(f'<p><span class="label">答案：</span>{"<br>".join(chosen)}</p>')
    elif question.kind is Kind.TRUE_FALSE:
        parts.append(f'<p><span class="label">答案：</span>{_truth_text(question.truth)}</p>')
    elif question.model_answer is None or not _text(question.model_answer):
        parts.append(f'<p><span class="label">参考答案：</span>{NO_MODEL_ANSWER}</p>')
    else:
        parts.append('<p><span class="label">参考答案：</span></p>')
        parts.append(f"<p>{_h(question.model_answer)}</p>")
    if question.authored:
        parts.append(f'<p class="authored">{AUTHORED_MARK}</p>')
    if question.key_points:
        parts.append('<p><span class="label">要点：</span></p><ul>')
        for kp in question.key_points:
            detail = f"：{_h(kp.detail)}" if _text(kp.detail) else ""
            parts.append(f"<li><b>{_h_inline(kp.point)}</b>{detail}</li>")
        parts.append("</ul>")
    if _text(question.explanation):
        parts.append(f'<p><span class="label">解析：</span>{_h(question.explanation)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def _html_key_section(out: TextIO, rows: _KeyRows) -> None:
    if not rows:
        return
    out.write('<section class="answer-key">\n<h2>答案</h2>\n')
    for title, keys in rows:
        out.write(f'<div class="key-block">\n<h3>{html.escape(title)}</h3>\n<ul class="key">\n')
        for number, key in keys:
            out.write(f"<li><b>{number}.</b> {html.escape(key)}</li>\n")
        out.write("</ul>\n</div>\n")
    out.write("</section>\n")


def write_html(
    items: Iterable[ExportItem],
    out: TextIO,
    *,
    answers: bool = True,
    title: str = "csdrill study sheet",
) -> None:
    """Write ``items`` as one self-contained HTML page (inline CSS, print styles).

    With ``answers=False`` only the questions are written, and each exam ends with
    an answer key of its choice and true-false questions.
    """
    iterator = iter(items)
    first = next(iterator, None)
    lang = _one_line(first.exam.language) if first is not None else "zh-Hans"
    out.write(
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang or "zh-Hans")}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="csdrill">\n'
        f"<title>{_h_inline(title)}</title>\n"
        f"<style>{_CSS}</style>\n"
        "</head>\n<body>\n<main>\n"
    )
    grouper = _Grouper()
    key_rows: _KeyRows = []
    in_exam = in_section = False
    rest = iterator if first is None else itertools.chain([first], iterator)
    for item in rest:
        new_exam, new_section = grouper.step(item)
        exam, section, question = item.exam, item.section, item.question
        if new_section and in_section:
            out.write("</section>\n")
        if new_exam:
            if in_exam:
                if not answers:
                    _html_key_section(out, key_rows)
                    key_rows = []
                out.write("</article>\n")
            exam_lang = _one_line(exam.language)
            lang_attr = f' lang="{html.escape(exam_lang)}"' if exam_lang else ""
            out.write(f'<article class="exam" id="{html.escape(_one_line(exam.id))}"{lang_attr}>\n')
            out.write(f"<h1>{_h_inline(exam.title)}</h1>\n")
            if _text(exam.source):
                out.write(f'<p class="meta">来源：{_h_inline(exam.source)}</p>\n')
            if _text(exam.description):
                out.write(f'<p class="description">{_h(exam.description)}</p>\n')
            in_exam = True
        if new_section:
            out.write('<section class="section">\n')
            out.write(f"<h2>{_h_inline(section.title)}</h2>\n")
            if _text(section.instructions):
                out.write(f'<p class="instructions">{_h(section.instructions)}</p>\n')
            if section.points is not None:
                out.write(f'<p class="points">每题{_fmt_points(section.points)}分</p>\n')
            in_section = True
        points = _question_points(item)
        qpoints = f'<span class="qpoints">（{points}分）</span>' if points else ""
        uid = html.escape(_one_line(question.uid))
        long = _html_lines(question, answers) > _HTML_LONG_QUESTION
        out.write(f'<div class="question{" long" if long else ""}" id="{uid}">\n<div class="qhead">\n')
        out.write(f'<p class="prompt"><span class="num">{item.number}.</span>{qpoints}{_h(question.prompt)}</p>\n')
        if question.options:
            out.write('<ul class="options">\n')
            for letter, text in _options(question):
                out.write(f'<li><span class="letter">{html.escape(letter)}.</span>{_h(text)}</li>\n')
            out.write("</ul>\n")
        if _text(question.note):
            out.write(f'<p class="note">注：{_h(question.note)}</p>\n')
        out.write("</div>\n")
        if answers:
            out.write(_html_answer(question) + "\n")
        else:
            _remember_key(key_rows, item, new_section)
        out.write("</div>\n")
    if in_section:
        out.write("</section>\n")
    if in_exam:
        if not answers:
            _html_key_section(out, key_rows)
        out.write("</article>\n")
    out.write("</main>\n</body>\n</html>\n")


# --- csv ----------------------------------------------------------------------


def _plain_answer(question: Question) -> str:
    if question.kind is Kind.OPEN:
        return _text(question.model_answer)
    return answer_key(question)


#: What makes a spreadsheet read a cell as a formula (or a DDE command) when it starts one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Bank text as a CSV cell that a spreadsheet shows as text, never runs as a formula.

    A cell starting with ``= + - @``, a tab or a carriage return gets a leading ``'``
    (the usual guard against CSV formula injection; spreadsheets hide it); any other
    text is kept exactly.
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_csv(items: Iterable[ExportItem], out: TextIO, *, answers: bool = True) -> None:
    """Write one CSV row per question, after a header row (see ``CSV_HEADER``).

    Open ``out`` with ``encoding="utf-8-sig", newline=""`` so that spreadsheet
    programs read the Chinese text as UTF-8. With ``answers=False`` the answer,
    explanation and key_points columns are left empty. Text cells pass through
    :func:`csv_cell`.
    """
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for item in items:
        q = item.question
        options = "\n".join(f"{letter}. {_text(text)}" for letter, text in _options(q))
        key_points = "\n".join(
            f"{_text(kp.point)}: {_text(kp.detail)}" if _text(kp.detail) else _text(kp.point) for kp in q.key_points
        )
        writer.writerow(
            (
                _one_line(item.exam.id),
                _one_line(item.section.id),
                _one_line(q.id),
                q.kind.value,
                csv_cell(_text(q.prompt)),
                csv_cell(options),
                csv_cell(_plain_answer(q)) if answers else "",
                csv_cell(_text(q.explanation)) if answers else "",
                csv_cell(key_points) if answers else "",
                csv_cell(", ".join(_one_line(tag) for tag in q.tags if _one_line(tag))),
            )
        )


# --- apkg ---------------------------------------------------------------------

_ANKI_FIELDS = ("Prompt", "Options", "Answer", "KeyPoints", "Explanation", "Note", "Meta")

_ANKI_FRONT = """\
<div class="prompt">{{Prompt}}</div>
{{#Options}}<div class="options">{{Options}}</div>{{/Options}}
{{#Note}}<div class="note">注：{{Note}}</div>{{/Note}}"""

_ANKI_BACK = """\
{{FrontSide}}
<hr id="answer">
{{#Answer}}<div class="answer">{{Answer}}</div>{{/Answer}}
{{#KeyPoints}}<div class="keypoints"><div class="label">要点</div>{{KeyPoints}}</div>{{/KeyPoints}}
{{#Explanation}}<div class="explanation"><div class="label">解析</div>{{Explanation}}</div>{{/Explanation}}
<div class="meta">{{Meta}}</div>"""

_ANKI_CSS = """\
.card { font-family: FONTS; font-size: 19px; line-height: 1.6; text-align: left;
  color: #1f2328; background: #fff; max-width: 40em; margin: 0 auto; }
.nightMode.card, .night_mode .card { color: #e6edf3; background: #1e1e1e; }
.prompt { margin-bottom: .6em; }
.options .opt { margin: .15em 0 .15em 1.6em; text-indent: -1.6em; }
.note { color: #8a6d00; font-size: .9em; margin-top: .5em; }
.answer { border-left: 4px solid #5a9a3a; padding-left: .6em; margin: .4em 0; }
.authored { color: #777; font-size: .85em; font-style: italic; }
.label { font-weight: bold; margin-top: .6em; }
.answer .label { margin-top: 0; }
.keypoints ul { margin: .2em 0; padding-left: 1.3em; }
.meta { color: #888; font-size: .7em; margin-top: 1.2em; }
""".replace("FONTS", _FONT_STACK)

_ANKI_MODEL_KEY = "csdrill note type v1"


def _stable_id(*parts: str) -> int:
    """An id in genanki's recommended range [2**30, 2**31), stable for ``parts``."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def _anki_model() -> genanki.Model:
    return genanki.Model(
        _stable_id(_ANKI_MODEL_KEY),
        "csdrill question",
        fields=[{"name": name} for name in _ANKI_FIELDS],
        templates=[{"name": "Question", "qfmt": _ANKI_FRONT, "afmt": _ANKI_BACK}],
        css=_ANKI_CSS,
    )


def _deck_part(title: str) -> str:
    # "::" inside a title would make Anki nest one more deck level.
    return _one_line(title).replace("::", ":") or "?"


def _anki_answer(question: Question) -> str:
    if question.kind.is_choice:
        chosen = [f"{html.escape(letter)}. {_h(text)}" for letter, text in _correct(question)]
        if len(chosen) == 1:
            text = f"<b>答案：</b>{chosen[0]}"
        else:
            text = f"<b>答案：{html.escape(answer_key(question))}</b><br>" + "<br>".join(chosen)
    elif question.kind is Kind.TRUE_FALSE:
        text = f"<b>答案：</b>{_truth_text(question.truth)}"
    elif question.model_answer is None or not _text(question.model_answer):
        text = f"<b>参考答案：</b>{NO_MODEL_ANSWER}"
    else:
        text = f'<div class="label">参考答案</div>{_h(question.model_answer)}'
    if question.authored:
        text += f'<div class="authored">{AUTHORED_MARK}</div>'
    return text


def _anki_fields(item: ExportItem, answers: bool) -> list[str]:
    q = item.question
    options = "".join(
        f'<div class="opt"><b>{html.escape(letter)}.</b> {_h(text)}</div>' for letter, text in _options(q)
    )
    key_points = ""
    if q.key_points:
        key_points = (
            "<ul>"
            + "".join(
                f"<li><b>{_h_inline(kp.point)}</b>" + (f"：{_h(kp.detail)}" if _text(kp.detail) else "") + "</li>"
                for kp in q.key_points
            )
            + "</ul>"
        )
    meta = " · ".join(
        html.escape(part) for part in (_one_line(item.exam.title), _one_line(item.section.title), _one_line(q.uid))
    )
    return [
        _h(q.prompt),
        options,
        _anki_answer(q) if answers else "",
        key_points if answers else "",
        _h(q.explanation) if answers else "",
        _h(q.note),
        meta,
    ]


def _anki_tags(question: Question) -> list[str]:
    tags = ["_".join(_text(tag).split()) for tag in question.tags]
    tags.append(question.kind.value)
    return list(dict.fromkeys(tag for tag in tags if tag))


def write_apkg(
    items: Iterable[ExportItem],
    path: Path,
    *,
    answers: bool = True,
    timestamp: float | None = None,
) -> None:
    """Write ``items`` as an Anki package to ``path``.

    One deck per exam ("csdrill::<exam>") with a subdeck per section; one note
    per question whose GUID is :func:`note_guid` of its uid, so that importing a
    newer export updates the notes. ``timestamp`` (seconds since the epoch; default
    now) is the notes' modification time: Anki updates a note on import only when
    the package's is newer. Given the same ``timestamp`` the output is byte-identical.
    """
    model = _anki_model()
    decks: dict[int, genanki.Deck] = {}
    for due, item in enumerate(items):
        exam, section, q = item.exam, item.section, item.question
        exam_name = f"csdrill::{_deck_part(exam.title)}"
        exam_deck_id = _stable_id(exam.id)
        if exam_deck_id not in decks:
            decks[exam_deck_id] = genanki.Deck(exam_deck_id, exam_name, description=_h(exam.description))
        section_deck_id = _stable_id(exam.id, section.id)
        deck = decks.get(section_deck_id)
        if deck is None:
            deck = genanki.Deck(
                section_deck_id,
                f"{exam_name}::{_deck_part(section.title)}",
                description=_h(section.instructions),
            )
            decks[section_deck_id] = deck
        deck.add_note(
            genanki.Note(
                model=model,
                fields=_anki_fields(item, answers),
                tags=_anki_tags(q),
                guid=note_guid(q.uid),
                due=due,
            )
        )
    package = genanki.Package(list(decks.values()))
    now = time.time() if timestamp is None else timestamp
    with tempfile.TemporaryDirectory(prefix="csdrill-apkg-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        with contextlib.closing(sqlite3.connect(db_path)) as conn:
            package.write_to_db(conn.cursor(), now, itertools.count(int(now * 1000)))
            conn.commit()
        # Fixed member dates (from the timestamp) keep the zip reproducible.
        date_time = time.gmtime(max(now, 315532800))[:6]  # zip dates start in 1980
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            member = zipfile.ZipInfo("collection.anki2", date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(member, db_path.read_bytes())
            media = zipfile.ZipInfo("media", date_time=date_time)
            media.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(media, "{}")
