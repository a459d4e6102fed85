"""Study-sheet builders: markdown, self-contained HTML, CSV and an Anki package.

The text writers stream: they write each question as they reach it, and only
the short answer key of the current exam (``answers=False``) is held in memory.
Every string taken from the bank goes through :func:`cs_drill.text.clean` and
is escaped for the target format, so it is always shown literally.

What follows a question's prompt and options (its note, key or model answer,
the learner's own answer, key points, explanation) is decided once, by
:func:`answer_block`; each format only draws the parts it yields. The script of
the bank text (``--script``) is decided once too: :func:`iter_items` converts
the records' text before any writer sees them. The sheets' labels come from the message
catalog: they are Chinese in its source, like the questions they label, and the
English catalog keeps them so.
"""

from __future__ import annotations

import csv
import hashlib
import html
import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeAlias

import genanki

from cs_drill.bank.catalog import Catalog
from cs_drill.bank.model import Exam, Kind, Question, Section
from cs_drill.i18n import N_, _, current, ngettext
from cs_drill.text import clean

if TYPE_CHECKING:
    from cs_drill.study.stats import MissRecord

__all__ = [
    "CSV_HEADER",
    "FORMATS",
    "Authored",
    "Blanks",
    "Explanation",
    "ExportItem",
    "Key",
    "KeyPoints",
    "Misses",
    "ModelAnswer",
    "MyAnswer",
    "Note",
    "Part",
    "Show",
    "Truth",
    "answer_block",
    "answer_key",
    "csv_cell",
    "csv_header",
    "format_for_path",
    "iter_items",
    "note_guid",
    "write_apkg",
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
    # TRANSLATORS: the header row of the CSV export: one short column name each (exam id, section id,
    # question id, kind, prompt, options, answer, explanation, key points, tags).
    N_("exam"),
    N_("section"),
    N_("id"),
    N_("kind"),
    N_("prompt"),
    N_("options"),
    N_("answer"),
    N_("explanation"),
    N_("key_points"),
    N_("tags"),
)
"""The CSV export's column names as the catalog has them (English); :func:`csv_header` translates them."""

# TRANSLATORS: the column of the CSV export (`export --mine`) that holds the learner's own best answer.
_MY_ANSWER_COLUMN = N_("my_answer")
_MISSES_COLUMNS = (
    # TRANSLATORS: columns of the CSV export of the 错题本 (`export --only wrong`): the answer given at the
    # latest miss, how many times the question was missed, and the (local) date of the latest miss.
    N_("missed_answer"),
    N_("misses"),
    N_("last_missed"),
)
# TRANSLATORS: the column of the CSV export that marks starred questions (收藏) with ★ (only when there are stars).
_STARRED_COLUMN = N_("starred")
#: The mark of a starred question (收藏) in every sheet.
STAR = "★"

# TRANSLATORS: study-sheet labels are Chinese, like the questions they label (zh-Hant: in Traditional
# characters); the English catalog keeps them as they are. This one stands for a missing model answer.
NO_MODEL_ANSWER = N_("（原文无参考答案）")
# TRANSLATORS: study-sheet label: the key was written by the editors, it is not in the source.
AUTHORED_MARK = N_("答案为编者补充，非原文")
# TRANSLATORS: study-sheet label before the file an exam was taken from (the text follows the colon).
_SOURCE_LABEL = N_("来源：")
# TRANSLATORS: study-sheet label before the source's note on a question.
_NOTE_LABEL = N_("注：")
# TRANSLATORS: study-sheet label before the key of a question.
_KEY_LABEL = N_("答案：")
# TRANSLATORS: study-sheet text after the key of a blank (填空题): the other texts accepted for it.
_ALSO_LABEL = N_("（也可：{texts}）")
# TRANSLATORS: study-sheet label before the model answer of an open question.
_MODEL_LABEL = N_("参考答案：")
# TRANSLATORS: study-sheet label before the learner's own best answer to an open question (export --mine).
_MINE_LABEL = N_("我的回答：")
# TRANSLATORS: study-sheet label before the key points of an answer.
_POINTS_LABEL = N_("要点：")
# TRANSLATORS: study-sheet label of the 错题本 (export --only wrong) before how often and when a question was missed.
_MISSES_LABEL = N_("错题记录：")
# TRANSLATORS: study-sheet label of the 错题本 before the answer the learner gave when they last missed the question.
_MISSED_ANSWER_LABEL = N_("最近错答：")
# TRANSLATORS: study-sheet text of the 错题本: the last wrong answer was "?" (I don't know).
_UNKNOWN_ANSWER = N_("（不会）")
# TRANSLATORS: study-sheet word for a starred question (收藏), e.g. the tooltip of its ★ mark.
_STARRED_LABEL = N_("收藏")
# TRANSLATORS: study-sheet label before the explanation of an answer.
_EXPLANATION_LABEL = N_("解析：")
# TRANSLATORS: study-sheet heading of the answer key at the end of a practice sheet (--no-answers).
_KEY_HEADING = N_("答案")
# TRANSLATORS: study-sheet heading above the model answer, on the back of an Anki card.
_MODEL_HEADING = N_("参考答案")
# TRANSLATORS: study-sheet heading above the learner's own best answer, on the back of an Anki card.
_MINE_HEADING = N_("我的回答")
# TRANSLATORS: study-sheet heading above the key points, on the back of an Anki card.
_POINTS_HEADING = N_("要点")
# TRANSLATORS: study-sheet heading above how a question was missed (错题本), on the back of an Anki card.
_MISSES_HEADING = N_("错题记录")
# TRANSLATORS: study-sheet heading above the explanation, on the back of an Anki card.
_EXPLANATION_HEADING = N_("解析")


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


Show: TypeAlias = Callable[[str], str]
"""How bank text is shown: as the bank has it, or in another script (``export --script``)."""


def iter_items(
    catalog: Catalog,
    exam: str | None = None,
    wanted: set[str] | None = None,
    *,
    show: Show | None = None,
) -> Iterator[ExportItem]:
    """The questions of ``exam`` (default all) in source order, streamed from the catalog.

    Each is numbered within its section; numbers count every question of the
    section, so that a selection (``wanted``: uids) keeps the source's numbers.
    With ``show``, the bank text of the records (see :func:`shown_question`) comes
    through it, so every format shows it alike.
    """
    places = {
        (e.id, s.id): (_shown_exam(e, show), _shown_section(s, show)) if show else (e, s)
        for e in catalog.exams()
        for s in e.sections
    }
    numbers: dict[tuple[str, str], int] = {}
    for q in catalog.iter_questions(exam):
        key = (q.exam_id, q.section_id)
        numbers[key] = number = numbers.get(key, 0) + 1
        if wanted is None or q.uid in wanted:
            exam_rec, section = places[key]
            yield ExportItem(exam_rec, section, shown_question(q, show) if show else q, number)


def _shown_opt(value: str | None, show: Show) -> str | None:
    return None if value is None else show(value)


def _shown_exam(exam: Exam, show: Show) -> Exam:
    # The source is a file name and the language a tag: neither is text to convert.
    return exam._replace(title=show(exam.title), description=_shown_opt(exam.description, show))


def _shown_section(section: Section, show: Show) -> Section:
    return section._replace(title=show(section.title), instructions=_shown_opt(section.instructions, show))


def shown_question(question: Question, show: Show) -> Question:
    """``question`` with its bank text through ``show``: prompt, options, model answer, key points,
    explanation, note and tags; its ids, kind, letters and key stay as they are."""
    return question._replace(
        prompt=show(question.prompt),
        options=tuple((letter, show(text)) for letter, text in question.options),
        blanks=tuple(tuple(show(text) for text in accepted) for accepted in question.blanks),
        model_answer=_shown_opt(question.model_answer, show),
        key_points=tuple(
            kp._replace(point=show(kp.point), detail=_shown_opt(kp.detail, show)) for kp in question.key_points
        ),
        explanation=_shown_opt(question.explanation, show),
        note=_shown_opt(question.note, show),
        tags=tuple(show(tag) for tag in question.tags),
    )


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
    # TRANSLATORS: study-sheet label: the answer of a true-false question (true / false).
    return _("对 (√)") if truth else _("错 (×)")


def answer_key(question: Question) -> str:
    """``Question.key`` as export text: letters for choice kinds, 对/错 for true-false, the blanks' keys
    separated by ``；`` for fill-in, '' for open."""
    return _one_line(question.key)


def _options(question: Question) -> list[tuple[str, str]]:
    """(letter, bank text) of each option; letters cleaned, text still raw."""
    return [(_one_line(letter), text) for letter, text in question.options]


def _correct(question: Question) -> list[tuple[str, str]]:
    """(letter, bank text) of each correct option of a choice question."""
    return [(_one_line(letter), _option_text(question, letter)) for letter in question.correct]


def _option_text(question: Question, letter: str) -> str:
    try:
        return question.option_text(letter)
    except KeyError:
        return ""


def _section_points(points: int | float) -> str:
    # TRANSLATORS: study-sheet line under a section's title: every question of it is worth {points} points.
    return _("每题{points}分").format(points=_fmt_points(points))


def _own_points(points: str) -> str:
    # TRANSLATORS: study-sheet mark before a question worth other points than its section's others.
    return _("（{points}分）").format(points=points)


def _question_points(item: ExportItem) -> str:
    """The question's own points where they differ from its section's."""
    points = item.question.points
    if points is None or points == item.section.points:
        return ""
    return _fmt_points(points)


# --- the answer block -----------------------------------------------------------
#
# One rule for every format: which parts follow a question's prompt and options,
# and in which order. The parts carry bank text as the bank has it; each format's
# renderer below cleans and escapes it.


@dataclass(frozen=True, slots=True)
class Note:
    """The source's note on a question: shown with the question, answers or not."""

    text: str


@dataclass(frozen=True, slots=True)
class Key:
    """The key of a choice question: its letters ("AC") and the correct options, (letter, bank text)."""

    letters: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Truth:
    """The answer of a true-false question; ``key`` is its short form as the bank has it (对 or 错)."""

    truth: bool | None
    key: str


@dataclass(frozen=True, slots=True)
class Blanks:
    """The key of a fill-in question: for each blank of its prompt, in order, the accepted texts as the
    bank has them (the first is the key, the others alternatives); ``key`` is the short form ("24；48")."""

    blanks: tuple[tuple[str, ...], ...]
    key: str


@dataclass(frozen=True, slots=True)
class ModelAnswer:
    """The model answer of an open question; ``text`` is empty when the source gives none."""

    text: str


@dataclass(frozen=True, slots=True)
class MyAnswer:
    """The learner's own best answer to an open question (``export --mine``): their text, never the bank's."""

    text: str


@dataclass(frozen=True, slots=True)
class Misses:
    """How the learner missed a question (the 错题本, ``export --only wrong``).

    ``count``: the answers graded wrong or self-rated Again; ``last``: the local date of the
    latest of them; ``given``: the answer given then, as the sheet shows it (letters, 对/错 or
    the learner's text; '' when it is not shown); ``options``: the (letter, bank text) of the
    options it chose (choice questions); ``unknown``: the answer was ``?`` (I don't know).
    """

    count: int
    last: date
    given: str = ""
    options: tuple[tuple[str, str], ...] = ()
    unknown: bool = False


@dataclass(frozen=True, slots=True)
class Authored:
    """The mark of a key that the editors wrote (the source has none)."""


@dataclass(frozen=True, slots=True)
class KeyPoints:
    """The key points of an answer: (point, detail), the detail empty when there is none."""

    points: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why the answer is what it is."""

    text: str


Part: TypeAlias = Note | Misses | Key | Truth | Blanks | ModelAnswer | Authored | MyAnswer | KeyPoints | Explanation
"""One part of an answer block."""


def _key_part(question: Question) -> Key | Truth | Blanks | None:
    """The key of a choice, true-false or fill-in question; None for an open one."""
    if question.kind.is_choice:
        return Key(answer_key(question), tuple(_correct(question)))
    if question.kind is Kind.TRUE_FALSE:
        return Truth(question.truth, answer_key(question))
    if question.kind is Kind.FILL_IN:
        return Blanks(question.blanks, answer_key(question))
    return None


def _blank_lines(part: Blanks) -> list[tuple[str, str, str]]:
    """(number, key, alternatives) of each blank as plain text: ``（1）``, its key, ``（也可：收货）``
    (the number empty for a single blank, the alternatives empty when there are none); bank text raw."""
    several = len(part.blanks) > 1
    out = []
    for n, accepted in enumerate(part.blanks, 1):
        also = _(_ALSO_LABEL).format(texts=" / ".join(_one_line(t) for t in accepted[1:])) if accepted[1:] else ""
        out.append((f"（{n}）" if several else "", accepted[0] if accepted else "", also))
    return out


def answer_block(
    question: Question, *, answers: bool = True, mine: str | None = None, missed: MissRecord | None = None
) -> Iterator[Part]:
    """The parts that follow ``question``'s prompt and options, in the order every sheet shows them.

    First its note (answers or not), then how the learner missed it (``missed``, the
    错题本: the answer given only with ``answers``, since a wrong 对 tells the key). Then,
    with ``answers``: the key (choice, true-false, fill-in) or the model answer (open), the
    authored mark, the learner's own answer (``mine``, open questions only), the key
    points, the explanation. A part whose text is blank is left out; an open question
    always has its model answer part (empty when the source gives none).
    """
    if _text(question.note):
        yield Note(question.note or "")
    if missed is not None and missed.count:
        yield _misses(question, missed) if answers else Misses(missed.count, _local_date(missed))
    if not answers:
        return
    key = _key_part(question)
    if key is not None:
        yield key
    else:
        model = question.model_answer or ""
        yield ModelAnswer(model if _text(model) else "")
    if question.authored:
        yield Authored()
    if question.kind is Kind.OPEN and mine is not None and _text(mine):
        yield MyAnswer(mine)
    if question.key_points:
        yield KeyPoints(
            tuple((kp.point, kp.detail if kp.detail and _text(kp.detail) else "") for kp in question.key_points)
        )
    if _text(question.explanation):
        yield Explanation(question.explanation or "")


def _local_date(missed: MissRecord) -> date:
    return missed.last_at.astimezone().date()


def _misses(question: Question, missed: MissRecord) -> Misses:
    """The 错题本 part of ``question``: the answer typed at the latest miss, read as the sheet shows it."""
    from cs_drill.study.assess import grading

    typed, last = missed.answer, _local_date(missed)
    if grading.command(typed) == "unknown":
        return Misses(missed.count, last, unknown=True)
    if question.kind is Kind.OPEN:
        return Misses(missed.count, last, typed if _text(typed) else "")
    try:
        parsed = grading.parse_answer(question, typed)
    except grading.InvalidAnswer:  # the bank changed since: the answer as typed
        return Misses(missed.count, last, _one_line(typed))
    if question.kind is Kind.FILL_IN:  # the blanks given, separated by ；
        return Misses(missed.count, last, _one_line(grading.grade(question, parsed).given))
    if isinstance(parsed, bool):
        return Misses(missed.count, last, _truth_text(parsed))
    letters = grading.grade(question, parsed).given
    chosen = tuple((letter, _option_text(question, letter)) for letter in letters)
    return Misses(missed.count, last, letters, chosen)


def _misses_text(part: Misses) -> str:
    """``答错 2 次，最近一次 2026-03-01``."""
    return ngettext(
        # TRANSLATORS: study-sheet text of the 错题本: how many times a question was missed, and when last.
        "答错 {n} 次，最近一次 {date}",
        "答错 {n} 次，最近一次 {date}",
        part.count,
    ).format(n=part.count, date=f"{part.last:%Y-%m-%d}")


def _given_text(part: Misses) -> str:
    """The wrong answer in one line, for CSV: ``A``, ``AD``, ``对 (√)``, the text, or （不会）."""
    if part.unknown:
        return _(_UNKNOWN_ANSWER)
    return _text(part.given)


def _mine_of(mine: Mapping[str, str] | None, question: Question) -> str | None:
    """The learner's best answer to ``question`` among ``mine`` (uid → answer), if any."""
    return None if mine is None else mine.get(question.uid)


def _missed(misses: Mapping[str, MissRecord] | None, question: Question) -> MissRecord | None:
    """How the learner missed ``question`` among ``misses`` (uid → record), if they did."""
    return None if misses is None else misses.get(question.uid)


def _is_starred(starred: Set[str] | None, question: Question) -> bool:
    return starred is not None and question.uid in starred


def _short_key(key: Key | Truth | Blanks) -> str:
    """The key as the answer key at the end of a practice sheet lists it."""
    if isinstance(key, Blanks):
        return _one_line(key.key)
    return key.letters if isinstance(key, Key) else _truth_text(key.truth)


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
    key = _key_part(item.question)
    if key is None:  # open questions have no short key
        return
    title = _one_line(item.section.title)
    if new_section or not rows:
        rows.append((title, []))
    rows[-1][1].append((item.number, _short_key(key)))


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


def _md_label(message: str) -> str:
    """A label of the catalog, translated and escaped like bank text (a translation is text, never markup)."""
    return _md_escape_line(_(message))


def _md_parts(parts: Iterable[Part]) -> list[str]:
    """Markdown blocks (paragraphs, lists) of the parts of an answer block."""
    blocks: list[str] = []
    for part in parts:
        match part:
            case Note(text):
                blocks.append(_md_block(text, first=f"> {_md_label(_NOTE_LABEL)}", rest="> "))
            case Misses():
                blocks.extend(_md_misses(part))
            case Key(letters, options):
                chosen = [f"{letter}. {_md_inline(text)}" for letter, text in options]
                if len(chosen) == 1:
                    blocks.append(f"**{_md_label(_KEY_LABEL)}** {chosen[0]}")
                else:
                    blocks.append("  \n".join([f"**{_md_label(_KEY_LABEL)}** {letters}", *chosen]))
            case Truth(truth):
                blocks.append(f"**{_md_label(_KEY_LABEL)}** {_md_escape_line(_truth_text(truth))}")
            case Blanks():
                rows = [f"{number}{_md_inline(key)}{_md_escape_line(also)}" for number, key, also in _blank_lines(part)]
                if len(rows) == 1:
                    blocks.append(f"**{_md_label(_KEY_LABEL)}** {rows[0]}")
                else:
                    blocks.append("  \n".join([f"**{_md_label(_KEY_LABEL)}** {_md_inline(part.key)}", *rows]))
            case ModelAnswer(text):
                if text:
                    blocks.extend([f"**{_md_label(_MODEL_LABEL)}**", _md_block(text)])
                else:
                    blocks.append(f"**{_md_label(_MODEL_LABEL)}** {_md_label(NO_MODEL_ANSWER)}")
            case Authored():
                blocks.append(f"*{_md_label(AUTHORED_MARK)}*")
            case MyAnswer(text):
                blocks.extend([f"**{_md_label(_MINE_LABEL)}**", _md_block(text)])
            case KeyPoints(points):
                items = []
                for point, detail in points:
                    head = f"- **{_md_inline(point)}**"
                    items.append(_md_block(detail, first=head + "：", rest="  ") if detail else head)
                blocks.extend([f"**{_md_label(_POINTS_LABEL)}**", "\n".join(items)])
            case Explanation(text):
                blocks.append(_md_block(text, first=f"**{_md_label(_EXPLANATION_LABEL)}** "))
    return blocks


def _md_misses(part: Misses) -> list[str]:
    """The 错题本 lines: how often and when, then the answer given (a choice's options as the key shows them)."""
    lines = [f"**{_md_label(_MISSES_LABEL)}** {_md_escape_line(_misses_text(part))}"]
    label = f"**{_md_label(_MISSED_ANSWER_LABEL)}**"
    if part.unknown:
        lines.append(f"{label} {_md_label(_UNKNOWN_ANSWER)}")
    elif len(part.options) == 1:
        letter, text = part.options[0]
        lines.append(f"{label} {letter}. {_md_inline(text)}".rstrip())
    elif part.options:
        lines.append(f"{label} {part.given}")
        lines.extend(f"{letter}. {_md_inline(text)}".rstrip() for letter, text in part.options)
    elif "\n" in _text(part.given):  # an open answer of several lines: a block of its own
        return ["  \n".join([*lines, label]), _md_block(part.given)]
    elif _text(part.given):
        lines.append(f"{label} {_md_inline(part.given)}")
    return ["  \n".join(lines)]


def _md_key_section(out: TextIO, rows: _KeyRows) -> None:
    if not rows:
        return
    out.write(f"## {_md_label(_KEY_HEADING)}\n\n")
    for title, keys in rows:
        out.write(f"### {_md_escape_line(title)}\n\n")
        out.write("  \n".join(f"{number}\\. {key}" for number, key in keys))
        out.write("\n\n")


def write_markdown(
    items: Iterable[ExportItem],
    out: TextIO,
    *,
    answers: bool = True,
    mine: Mapping[str, str] | None = None,
    misses: Mapping[str, MissRecord] | None = None,
    starred: Set[str] | None = None,
) -> None:
    """Write a markdown study sheet of ``items`` to ``out``, question by question.

    With ``answers=False`` only the questions are written, and each exam ends with
    an answer key ("## 答案") of its choice and true-false questions. The parts
    after a question's prompt and options are :func:`answer_block`'s; ``mine``
    (uid → the learner's best answer) adds theirs to open questions, ``misses``
    (uid → how it was missed) the 错题本's record. A question among ``starred``
    (uids) has a ★ after its number.
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
                out.write(f"{_md_label(_SOURCE_LABEL)}{_md_inline(exam.source)}\n\n")
            if _text(exam.description):
                out.write(_md_block(exam.description) + "\n\n")
        if new_section:
            out.write(f"## {_md_inline(section.title)}\n\n")
            if _text(section.instructions):
                out.write(_md_block(section.instructions) + "\n\n")
            if section.points is not None:
                out.write(_md_escape_line(_section_points(section.points)) + "\n\n")
        points = _question_points(item)
        head = f"**{item.number}.** " + (f"{STAR} " if _is_starred(starred, question) else "")
        head += _md_escape_line(_own_points(points)) if points else ""
        blocks = [_md_block(question.prompt, first=head)]
        if question.options:
            blocks.append("  \n".join(f"{letter}. {_md_inline(text)}" for letter, text in _options(question)))
        parts = answer_block(question, answers=answers, mine=_mine_of(mine, question), missed=_missed(misses, question))
        blocks.extend(_md_parts(parts))
        if not answers:
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
  --accent: #0b5cad; --answer-bg: #f1f7ed; --answer-line: #5a9a3a; --note-bg: #fff8e1;
  --miss-line: #c0392b; --star: #d4a017; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --accent: #6cb6ff;
    --answer-bg: #1b2a1b; --answer-line: #57ab5a; --note-bg: #2e2a1a; --miss-line: #e5534b; --star: #e3b341; }
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
.misses { border-left: 4px solid var(--miss-line); padding: .2rem .6rem; margin: .4rem 0; font-size: .95rem; }
.misses .label { font-weight: 700; }
.misses-answer { padding: 0 .6rem 0 calc(.6rem + 4px); }
.star { color: var(--star); margin-right: .3em; }
.key { display: flex; flex-wrap: wrap; gap: .2rem 1.4rem; list-style: none; padding: 0; }
.key b { color: var(--accent); }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  :root { --fg: #000; --muted: #444; --line: #bbb; --accent: #000; --answer-bg: #fff;
    --answer-line: #888; --note-bg: #fff; --miss-line: #444; --star: #000; }
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


def _label(message: str) -> str:
    """A label of the catalog, translated and escaped for HTML (a translation is text, never markup)."""
    return html.escape(_(message))


def _html_parts(parts: Iterable[Part]) -> tuple[list[str], list[str]]:
    """HTML lines of the parts of an answer block: (those of the question's head, those of its answer box)."""
    head: list[str] = []
    answer: list[str] = []
    for part in parts:
        match part:
            case Note(text):
                head.append(f'<p class="note">{_label(_NOTE_LABEL)}{_h(text)}</p>')
            case Misses():
                head.extend(_html_misses(part))
            case Key(letters, options):
                chosen = [f"{html.escape(letter)}. {_h(text)}" for letter, text in options]
                if len(chosen) > 1:
                    chosen.insert(0, html.escape(letters))
                answer.append(f'<p><span class="label">{_label(_KEY_LABEL)}</span>{"<br>".join(chosen)}</p>')
            case Truth(truth):
                truth_text = html.escape(_truth_text(truth))
                answer.append(f'<p><span class="label">{_label(_KEY_LABEL)}</span>{truth_text}</p>')
            case Blanks():
                answer.append(f'<p><span class="label">{_label(_KEY_LABEL)}</span>{_html_blanks(part)}</p>')
            case ModelAnswer(text):
                label = f'<span class="label">{_label(_MODEL_LABEL)}</span>'
                if text:
                    answer.extend([f"<p>{label}</p>", f"<p>{_h(text)}</p>"])
                else:
                    answer.append(f"<p>{label}{_label(NO_MODEL_ANSWER)}</p>")
            case Authored():
                answer.append(f'<p class="authored">{_label(AUTHORED_MARK)}</p>')
            case MyAnswer(text):
                answer.extend(
                    [f'<p class="mine"><span class="label">{_label(_MINE_LABEL)}</span></p>', f"<p>{_h(text)}</p>"]
                )
            case KeyPoints(points):
                answer.append(f'<p><span class="label">{_label(_POINTS_LABEL)}</span></p><ul>')
                for point, detail in points:
                    answer.append(f"<li><b>{_h_inline(point)}</b>{'：' + _h(detail) if detail else ''}</li>")
                answer.append("</ul>")
            case Explanation(text):
                answer.append(f'<p><span class="label">{_label(_EXPLANATION_LABEL)}</span>{_h(text)}</p>')
    return head, answer


def _html_blanks(part: Blanks) -> str:
    """The blanks' keys as HTML: one blank alone; several, the short key then one blank a line."""
    rows = [f"{number}{_h_inline(key)}{html.escape(also)}" for number, key, also in _blank_lines(part)]
    return rows[0] if len(rows) == 1 else "<br>".join([_h_inline(part.key), *rows])


def _html_misses(part: Misses) -> list[str]:
    """The 错题本 paragraph: how often and when, then the answer given (a choice's options as the key shows them)."""
    lines = [f'<span class="label">{_label(_MISSES_LABEL)}</span>{html.escape(_misses_text(part))}']
    label = f'<span class="label">{_label(_MISSED_ANSWER_LABEL)}</span>'
    after: list[str] = []
    if part.unknown:
        lines.append(label + _label(_UNKNOWN_ANSWER))
    elif part.options:
        chosen = [f"{html.escape(letter)}. {_h(text)}".rstrip() for letter, text in part.options]
        if len(chosen) > 1:
            chosen.insert(0, html.escape(part.given))
        lines.append(label + "<br>".join(chosen))
    elif "\n" in _text(part.given):  # an open answer of several lines: a paragraph of its own
        lines.append(label)
        after.append(f'<p class="misses-answer">{_h(part.given)}</p>')
    elif _text(part.given):
        lines.append(label + _h(part.given))
    return [f'<p class="misses">{"<br>".join(lines)}</p>', *after]


def _html_key_section(out: TextIO, rows: _KeyRows) -> None:
    if not rows:
        return
    out.write(f'<section class="answer-key">\n<h2>{_label(_KEY_HEADING)}</h2>\n')
    for title, keys in rows:
        out.write(f'<div class="key-block">\n<h3>{html.escape(title)}</h3>\n<ul class="key">\n')
        for number, key in keys:
            out.write(f"<li><b>{number}.</b> {html.escape(key)}</li>\n")
        out.write("</ul>\n</div>\n")
    out.write("</section>\n")


def _page_lang(first: ExportItem | None) -> str:
    """The ``lang`` of a sheet's page: the interface language's.

    In English the sheet's labels stay Chinese (the catalog's source; the English
    catalog keeps them), so the page keeps the language of its first exam, as the
    sheets always had it.
    """
    lang = current()
    if lang == "en":
        lang = _one_line(first.exam.language) if first is not None else ""
    return lang or "zh-Hans"


def write_html(
    items: Iterable[ExportItem],
    out: TextIO,
    *,
    answers: bool = True,
    title: str | None = None,
    mine: Mapping[str, str] | None = None,
    misses: Mapping[str, MissRecord] | None = None,
    starred: Set[str] | None = None,
) -> None:
    """Write ``items`` as one self-contained HTML page (inline CSS, print styles).

    With ``answers=False`` only the questions are written, and each exam ends with
    an answer key of its choice and true-false questions. ``title`` defaults to
    "csdrill study sheet" in the interface language. The page's ``lang`` is the
    interface language's (in English, that of the sheet's labels: see
    :func:`_page_lang`); each exam's ``<article>`` carries its bank's language.
    ``mine`` (uid → the learner's best answer) adds theirs to open questions, ``misses``
    (uid → how it was missed) the 错题本's record; a question among ``starred`` (uids)
    has a ★ before its prompt.
    """
    if title is None:
        # TRANSLATORS: the title of an HTML study sheet (the browser's tab).
        title = _("csdrill study sheet")
    iterator = iter(items)
    first = next(iterator, None)
    out.write(
        "<!doctype html>\n"
        f'<html lang="{html.escape(_page_lang(first))}">\n'
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
                out.write(f'<p class="meta">{_label(_SOURCE_LABEL)}{_h_inline(exam.source)}</p>\n')
            if _text(exam.description):
                out.write(f'<p class="description">{_h(exam.description)}</p>\n')
            in_exam = True
        if new_section:
            out.write('<section class="section">\n')
            out.write(f"<h2>{_h_inline(section.title)}</h2>\n")
            if _text(section.instructions):
                out.write(f'<p class="instructions">{_h(section.instructions)}</p>\n')
            if section.points is not None:
                out.write(f'<p class="points">{html.escape(_section_points(section.points))}</p>\n')
            in_section = True
        points = _question_points(item)
        qpoints = f'<span class="qpoints">{html.escape(_own_points(points))}</span>' if points else ""
        if _is_starred(starred, question):
            qpoints = f'<span class="star" title="{_label(_STARRED_LABEL)}">{STAR}</span>' + qpoints
        uid = html.escape(_one_line(question.uid))
        own = _mine_of(mine, question)
        long = _html_lines(question, answers) + (_printed_lines(own) if answers else 0) > _HTML_LONG_QUESTION
        out.write(f'<div class="question{" long" if long else ""}" id="{uid}">\n<div class="qhead">\n')
        out.write(f'<p class="prompt"><span class="num">{item.number}.</span>{qpoints}{_h(question.prompt)}</p>\n')
        if question.options:
            out.write('<ul class="options">\n')
            for letter, text in _options(question):
                out.write(f'<li><span class="letter">{html.escape(letter)}.</span>{_h(text)}</li>\n')
            out.write("</ul>\n")
        head, answer = _html_parts(answer_block(question, answers=answers, mine=own, missed=_missed(misses, question)))
        out.writelines(line + "\n" for line in head)
        out.write("</div>\n")
        if answer:
            out.write("\n".join(['<div class="answer">', *answer, "</div>"]) + "\n")
        if not answers:
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


def csv_header(*, mine: bool = False, misses: bool = False, starred: bool = False) -> tuple[str, ...]:
    """The header row of the CSV export, in the interface language (:data:`CSV_HEADER` in English).

    With ``mine`` (``export --mine``) a column ``my_answer`` follows the others; with ``misses``
    (the 错题本, ``export --only wrong``) the columns ``missed_answer``, ``misses`` and
    ``last_missed``; with ``starred`` (the history has stars) a last column ``starred``.
    """
    names = list(CSV_HEADER)
    if mine:
        names.append(_MY_ANSWER_COLUMN)
    if misses:
        names.extend(_MISSES_COLUMNS)
    if starred:
        names.append(_STARRED_COLUMN)
    return tuple(_(name) for name in names)


def _csv_parts(parts: Iterable[Part]) -> tuple[str, str, str, str]:
    """The answer, explanation, key_points and my_answer cells of the parts of an answer block, as plain text.

    The answer of a choice or true-false question is its short key, that of a fill-in question
    its blanks separated by ``；`` (alternatives after `` / ``); the note and the authored mark have
    no column.
    """
    answer = explanation = key_points = my_answer = ""
    for part in parts:
        match part:
            case Key(letters):
                answer = letters
            case Truth(key=key):
                answer = key
            case Blanks(blanks):  # the blanks separated by ；, each with its alternatives after " / "
                answer = "；".join(" / ".join(_one_line(t) for t in accepted) for accepted in blanks)
            case ModelAnswer(text):
                answer = _text(text)
            case KeyPoints(points):
                key_points = "\n".join(
                    f"{_text(point)}: {_text(detail)}" if detail else _text(point) for point, detail in points
                )
            case Explanation(text):
                explanation = _text(text)
            case MyAnswer(text):
                my_answer = _text(text)
    return answer, explanation, key_points, my_answer


#: What makes a spreadsheet read a cell as a formula (or a DDE command) when it starts one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Bank text as a CSV cell that a spreadsheet shows as text, never runs as a formula.

    A cell starting with ``= + - @``, a tab or a carriage return gets a leading ``'``
    (the usual guard against CSV formula injection; spreadsheets hide it); any other
    text is kept exactly.
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_misses(parts: Iterable[Part]) -> tuple[str, str, str]:
    """The missed_answer, misses and last_missed cells of an answer block (empty: never missed)."""
    for part in parts:
        if isinstance(part, Misses):
            return _given_text(part), str(part.count), f"{part.last:%Y-%m-%d}"
    return "", "", ""


def write_csv(
    items: Iterable[ExportItem],
    out: TextIO,
    *,
    answers: bool = True,
    mine: Mapping[str, str] | None = None,
    misses: Mapping[str, MissRecord] | None = None,
    starred: Set[str] | None = None,
) -> None:
    """Write one CSV row per question, after a header row (see :func:`csv_header`).

    Open ``out`` with ``encoding="utf-8-sig", newline=""`` so that spreadsheet
    programs read the Chinese text as UTF-8. With ``answers=False`` the answer,
    explanation and key_points columns are left empty. Text cells pass through
    :func:`csv_cell`. With ``mine`` (uid → the learner's best answer) a last column,
    my_answer, holds it for open questions; without it the columns are as they always were.
    With ``misses`` (uid → how it was missed: the 错题本) the columns missed_answer, misses
    and last_missed follow; with ``starred`` (uids; None: no stars) a last column marks
    the starred questions with ★.
    """
    writer = csv.writer(out)
    writer.writerow(csv_header(mine=mine is not None, misses=misses is not None, starred=starred is not None))
    for item in items:
        q = item.question
        options = "\n".join(f"{letter}. {_text(text)}" for letter, text in _options(q))
        parts = list(answer_block(q, answers=answers, mine=_mine_of(mine, q), missed=_missed(misses, q)))
        answer, explanation, key_points, my_answer = _csv_parts(parts)
        row = (
            _one_line(item.exam.id),
            _one_line(item.section.id),
            _one_line(q.id),
            q.kind.value,
            csv_cell(_text(q.prompt)),
            csv_cell(options),
            csv_cell(answer),
            csv_cell(explanation),
            csv_cell(key_points),
            csv_cell(", ".join(_one_line(tag) for tag in q.tags if _one_line(tag))),
        )
        cells = list(row)
        if mine is not None:
            cells.append(csv_cell(my_answer))
        if misses is not None:
            cells.extend(csv_cell(cell) for cell in _csv_misses(parts))
        if starred is not None:
            cells.append(STAR if q.uid in starred else "")
        writer.writerow(cells)


# --- apkg ---------------------------------------------------------------------

_ANKI_FIELDS = ("Prompt", "Options", "Answer", "KeyPoints", "Explanation", "Note", "Meta")

# The card's two sides. The field names ({{Prompt}} …) are the note type's: they never change, so
# that a newer export updates the notes; the labels (NOTE_LABEL …) are put in when a package is written.
_ANKI_FRONT = """\
<div class="prompt">{{Prompt}}</div>
{{#Options}}<div class="options">{{Options}}</div>{{/Options}}
{{#Note}}<div class="note">NOTE_LABEL{{Note}}</div>{{/Note}}"""

_ANKI_BACK = """\
{{FrontSide}}
<hr id="answer">
{{#Answer}}<div class="answer">{{Answer}}</div>{{/Answer}}
{{#KeyPoints}}<div class="keypoints"><div class="label">KEY_POINTS_LABEL</div>{{KeyPoints}}</div>{{/KeyPoints}}
{{#Explanation}}<div class="explanation"><div class="label">EXPLANATION_LABEL</div>{{Explanation}}</div>{{/Explanation}}
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
.mine { border-top: 1px dashed #aaa; margin-top: .5em; padding-top: .3em; }
.misses { border-top: 1px dashed #c0392b; margin-top: .5em; padding-top: .3em; }
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


def _anki_templates() -> tuple[str, str]:
    """The front and back templates, their labels in the interface language."""
    front = _ANKI_FRONT.replace("NOTE_LABEL", _label(_NOTE_LABEL))
    back = _ANKI_BACK.replace("KEY_POINTS_LABEL", _label(_POINTS_HEADING))
    back = back.replace("EXPLANATION_LABEL", _label(_EXPLANATION_HEADING))
    return front, back


def _anki_model() -> genanki.Model:
    # The note type's name, its card's name and its fields stay as they are in every language: one
    # note type, whatever the language of the export, whose notes a newer export updates.
    front, back = _anki_templates()
    return genanki.Model(
        _stable_id(_ANKI_MODEL_KEY),
        "csdrill question",
        fields=[{"name": name} for name in _ANKI_FIELDS],
        templates=[{"name": "Question", "qfmt": front, "afmt": back}],
        css=_ANKI_CSS,
    )


def _deck_part(title: str) -> str:
    # "::" inside a title would make Anki nest one more deck level.
    return _one_line(title).replace("::", ":") or "?"


# Anki reads markup in a note's HTML source, before any entity is decoded: "[sound:…]" (a media
# reference, played), "[anki:tts …]…[/anki:tts]" (read aloud), "[latex]…[/latex]", "[$]…[/$]" and
# "[$$]…[/$$]" (LaTeX, made into images). Their "[" as "&#91;" is shown as "[" but starts none of
# them. MathJax ("\(…\)", "\[…\]") reads the page's text, entities decoded, but never across an
# element: "&#92;<span></span>" is a backslash no delimiter starts with. Any other text keeps its
# bytes (and so the notes stay as they were).
_ANKI_MARKUP = re.compile(r"\[(?=sound:|/?anki:|/?latex\]|/?\$\$?\])|\\(?=[()\[\]])", re.IGNORECASE)


def _anki_entity(match: re.Match[str]) -> str:
    return "&#91;" if match.group() == "[" else "&#92;<span></span>"


def _anki_literal(field: str) -> str:
    """An Anki field (escaped HTML, its markup csdrill's own) with no bank text Anki reads as markup."""
    if "[" not in field and "\\" not in field:
        return field
    return _ANKI_MARKUP.sub(_anki_entity, field)


def _anki_parts(parts: Iterable[Part]) -> dict[str, str]:
    """The note's fields (Answer, KeyPoints, Explanation, Note) of the parts of an answer block, as HTML."""
    fields = dict.fromkeys(("Answer", "KeyPoints", "Explanation", "Note"), "")
    misses = ""
    for part in parts:
        match part:
            case Note(text):
                fields["Note"] = _h(text)
            case Misses():
                # At the end of the Answer field, as --mine's answer is: the note type stays the same.
                misses = _anki_misses(part)
            case Key(letters, options):
                chosen = [f"{html.escape(letter)}. {_h(text)}" for letter, text in options]
                if len(chosen) == 1:
                    fields["Answer"] = f"<b>{_label(_KEY_LABEL)}</b>{chosen[0]}"
                else:
                    fields["Answer"] = f"<b>{_label(_KEY_LABEL)}{html.escape(letters)}</b><br>" + "<br>".join(chosen)
            case Truth(truth):
                fields["Answer"] = f"<b>{_label(_KEY_LABEL)}</b>{html.escape(_truth_text(truth))}"
            case Blanks():
                fields["Answer"] = f"<b>{_label(_KEY_LABEL)}</b>{_html_blanks(part)}"
            case ModelAnswer(text):
                if text:
                    fields["Answer"] = f'<div class="label">{_label(_MODEL_HEADING)}</div>{_h(text)}'
                else:
                    fields["Answer"] = f"<b>{_label(_MODEL_LABEL)}</b>{_label(NO_MODEL_ANSWER)}"
            case Authored():
                fields["Answer"] += f'<div class="authored">{_label(AUTHORED_MARK)}</div>'
            case MyAnswer(text):
                # In the Answer field, not a field of its own: the note type stays the same with or
                # without --mine, so a newer export (either way) still updates the notes.
                fields["Answer"] += (
                    f'<div class="mine"><div class="label">{_label(_MINE_HEADING)}</div>{_h(text)}</div>'
                )
            case KeyPoints(points):
                items = "".join(
                    f"<li><b>{_h_inline(point)}</b>" + (f"：{_h(detail)}" if detail else "") + "</li>"
                    for point, detail in points
                )
                fields["KeyPoints"] = f"<ul>{items}</ul>"
            case Explanation(text):
                fields["Explanation"] = _h(text)
    fields["Answer"] += misses
    return fields


def _anki_misses(part: Misses) -> str:
    """The 错题本 record on the back of an Anki card: how often and when, then the answer given."""
    rows = [html.escape(_misses_text(part))]
    if part.unknown:
        given = _label(_UNKNOWN_ANSWER)
    elif part.options:
        chosen = [f"{html.escape(letter)}. {_h(text)}".rstrip() for letter, text in part.options]
        given = "<br>".join([html.escape(part.given), *chosen] if len(chosen) > 1 else chosen)
    else:
        given = _h(part.given)
    if given:
        rows.append(f"<b>{_label(_MISSED_ANSWER_LABEL)}</b>{given}")
    return f'<div class="misses"><div class="label">{_label(_MISSES_HEADING)}</div>{"<br>".join(rows)}</div>'


def _anki_fields(
    item: ExportItem, answers: bool, mine: str | None = None, missed: MissRecord | None = None
) -> list[str]:
    q = item.question
    options = "".join(
        f'<div class="opt"><b>{html.escape(letter)}.</b> {_h(text)}</div>' for letter, text in _options(q)
    )
    meta = " · ".join(
        html.escape(part) for part in (_one_line(item.exam.title), _one_line(item.section.title), _one_line(q.uid))
    )
    parts = _anki_parts(answer_block(q, answers=answers, mine=mine, missed=missed))
    fields = {"Prompt": _h(q.prompt), "Options": options, "Meta": meta, **parts}
    return [_anki_literal(fields[name]) for name in _ANKI_FIELDS]


def _anki_tags(question: Question, starred: bool = False) -> list[str]:
    tags = ["_".join(_text(tag).split()) for tag in question.tags]
    tags.append(question.kind.value)
    if starred:
        tags.append("marked")  # Anki's own mark (its ★): a starred question is a marked note
    return list(dict.fromkeys(tag for tag in tags if tag))


def write_apkg(
    items: Iterable[ExportItem],
    path: Path,
    *,
    answers: bool = True,
    timestamp: float | None = None,
    mine: Mapping[str, str] | None = None,
    misses: Mapping[str, MissRecord] | None = None,
    starred: Set[str] | None = None,
) -> None:
    """Write ``items`` as an Anki package to ``path``.

    One deck per exam ("csdrill::<exam>") with a subdeck per section; one note
    per question whose GUID is :func:`note_guid` of its uid, so that importing a
    newer export updates the notes. ``timestamp`` (seconds since the epoch; default
    now) is the notes' modification time: Anki updates a note on import only when
    the package's is newer. Given the same ``timestamp`` the output is byte-identical.
    ``mine`` (uid → the learner's best answer) adds theirs to the Answer field of open
    questions; the note type (its id and fields) is the same with or without it. ``misses``
    (uid → how it was missed: the 错题本) adds that record to the Answer field too; a
    question among ``starred`` (uids) is a marked note (Anki's tag ``marked``).
    """
    from cs_drill.render.sheets.apkg import Collection, write_package

    model = _anki_model()

    def fill(collection: Collection) -> None:
        # note by note into the collection (render/sheets/apkg.py): memory stays bounded
        for due, item in enumerate(items):
            exam, section, q = item.exam, item.section, item.question
            exam_name = f"csdrill::{_deck_part(exam.title)}"
            exam_deck_id = _stable_id(exam.id)
            collection.deck(exam_deck_id, exam_name, _anki_literal(_h(exam.description)), notes=False)
            section_deck_id = _stable_id(exam.id, section.id)
            section_name = f"{exam_name}::{_deck_part(section.title)}"
            collection.deck(section_deck_id, section_name, _anki_literal(_h(section.instructions)))
            note = genanki.Note(
                model=model,
                fields=_anki_fields(item, answers, _mine_of(mine, q), _missed(misses, q)),
                tags=_anki_tags(q, _is_starred(starred, q)),
                guid=note_guid(q.uid),
                due=due,
            )
            collection.add(section_deck_id, note)

    write_package(path, model, time.time() if timestamp is None else timestamp, fill)
