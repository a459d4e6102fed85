"""A draft exam as a bank file a person will edit: readable ids, literal blocks, comments where work is left.

The YAML is written by hand rather than by a dumper so that comments can stand next to the questions they
are about; every scalar goes through :func:`scalar`, which picks a plain, double-quoted or literal form that
reads back as the same string (hypothesis tests hold it to that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cs_drill.bank.importer.parse import (
    CUT_OPTIONS,
    CUT_PROMPT,
    FEW_OPTIONS,
    NO_KEY,
    Draft,
    DraftQuestion,
    DraftSection,
    Problem,
)
from cs_drill.i18n import _, ngettext

# Words a YAML 1.1 reader (PyYAML's) takes for something other than a string, and the characters a plain
# scalar may not start with.
_SPECIAL = re.compile(
    r"^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|[-+]?(?:\d[\d_]*)?\.?\d[\d_.:eE+-]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0x[0-9a-fA-F_]+|0o?[0-7_]+"
    r"|[-+]?0b[01_]+|=|<<)$"
)
_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`")
#: Characters that must be escaped in a double-quoted scalar (everything not printable, and the line breaks
#: YAML 1.1 knows beyond \n: NEL, LS, PS).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def _is_plain(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or _UNPRINTABLE.search(text):
        return False
    if text[0] in _PLAIN_START or _SPECIAL.match(text):
        return False
    return not (": " in text or " #" in text or text.endswith(":") or "\t" in text)


def _quoted(text: str) -> str:
    out = ['"']
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif _UNPRINTABLE.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _literal_ok(text: str) -> bool:
    lines = text.split("\n")
    return (
        "\n" in text
        and not _UNPRINTABLE.search(text.replace("\n", ""))
        and all(line == line.rstrip() for line in lines)
        and bool(lines[0].strip())
        and not lines[0][0].isspace()
        and bool(lines[-1].strip())
    )


def scalar(text: str, indent: int) -> str:
    """``text`` as a YAML scalar after a ``key:``; multi-line text as a literal block indented ``indent``."""
    if _is_plain(text):
        return text
    if _literal_ok(text):
        pad = " " * indent
        return "|-\n" + "\n".join(f"{pad}{line}" if line else "" for line in text.split("\n"))
    return _quoted(text)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


_SECTION_IDS: tuple[tuple[str, str], ...] = (
    (r"情景|情境|[场場]景|模[拟擬]", "scenario"),
    (r"行[为為]", "behavioral"),
    (r"[产產]品", "product-knowledge"),
    (r"[专專]业知[识識]|[专專]業知[识識]|知[识識]", "knowledge"),
    (r"[沟溝]通", "communication"),
    (r"[数數]据|[数數]據", "data-analysis"),
    (r"[销銷]售", "sales"),
    (r"[应應]急", "emergency"),
    (r"行[业業]", "industry"),
    (r"自我", "self-awareness"),
    (r"案例", "case"),
    (r"[简簡]答", "short-answer"),
    (r"[问問]答", "questions"),
    (r"[论論]述", "essay"),
    (r"基[础礎]", "basics"),
    (r"[综綜]合", "general"),
)


def section_id(section: DraftSection, taken: set[str]) -> str:
    """A slug saying what the section is: the kind's for a keyed kind, else one from its title's words."""
    slug = section.kind if section.kind != "open" else ""
    if not slug:
        for words, name in _SECTION_IDS:
            if re.search(words, section.title):
                slug = name
                break
        else:
            slug = "open"
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def exam_id(name: str) -> str:
    """A slug from the document's file name (``2026客服笔试.docx`` → ``imported-2026``)."""
    stem = re.sub(r"\.[^.]*$", "", name).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    if not slug or not re.match(r"^[a-z0-9]", slug):
        slug = "imported" + (f"-{slug}" if slug else "")
    elif not re.search(r"[a-z]", slug):
        slug = f"imported-{slug}"
    return slug[:60].rstrip("-")


def message(problem: Problem) -> str:
    """A problem in the interface's language."""
    return _(problem.message).format(**problem.args)


def _comment(text: str, pad: str) -> str:
    return "\n".join(f"{pad}# {line}" for line in text.split("\n"))


@dataclass
class Counts:
    questions: int
    sections: int
    no_key: int
    left_out: int


def counts(draft: Draft) -> Counts:
    no_key = sum(1 for s in draft.sections for q in s.questions for p in q.problems if p.message == NO_KEY)
    left = sum(1 for s in draft.sections for p in s.problems if p.message in (CUT_PROMPT, CUT_OPTIONS, FEW_OPTIONS))
    return Counts(sum(len(s.questions) for s in draft.sections), len(draft.sections), no_key, left)


def _question_lines(q: DraftQuestion, qid: str, kind: str, out: list[str], section_points: float | None) -> None:
    pad, inner = "      ", "        "
    for problem in q.problems:
        out.append(_comment(message(problem), pad))
    out.append(f"{pad}- id: {qid}")
    out.append(f"{inner}prompt: {scalar(q.prompt, 10)}")
    if kind in ("single-choice", "multi-choice"):
        out.append(f"{inner}options:")
        for letter, text in q.options.items():
            out.append(f"{inner}  {letter}: {scalar(text or '?', 12)}")
    if q.answer is not None:
        if kind == "multi-choice":
            letters = q.answer if isinstance(q.answer, list) else [q.answer]
            out.append(f"{inner}answer: [{', '.join(letters)}]")
        elif kind == "single-choice":
            out.append(f"{inner}answer: {q.answer}")
        elif kind == "true-false":
            out.append(f"{inner}answer: {'true' if q.answer else 'false'}")
        elif kind == "fill-in":
            out.append(f"{inner}answer:")
            for entry in q.answer:
                if isinstance(entry, list):
                    out.append(f"{inner}  - [{', '.join(_quoted(e) for e in entry)}]")
                else:
                    out.append(f"{inner}  - {scalar(entry, 12)}")
        else:
            out.append(f"{inner}answer: {scalar(q.answer, 10)}")
    if q.key_points:
        out.append(f"{inner}key_points:")
        for point, detail in q.key_points:
            out.append(f"{inner}  - point: {scalar(point, 14)}")
            if detail:
                out.append(f"{inner}    detail: {scalar(detail, 14)}")
    if q.explanation:
        out.append(f"{inner}explanation: {scalar(q.explanation, 10)}")
    if q.note:
        out.append(f"{inner}note: {scalar(q.note, 10)}")
    if q.points is not None and q.points != section_points and q.points > 0:
        out.append(f"{inner}points: {_number(q.points)}")


def to_yaml(draft: Draft, name: str, encoding: str) -> str:
    """The bank file of ``draft`` (imported from the document ``name`` read as ``encoding``)."""
    c = counts(draft)
    head = [
        ngettext(
            "Imported by csdrill from {name} ({encoding}): {questions} question in {sections} sections.",
            "Imported by csdrill from {name} ({encoding}): {questions} questions in {sections} sections.",
            c.questions,
        ).format(name=name, encoding=encoding, questions=c.questions, sections=c.sections)
    ]
    for section in draft.sections:
        n = len(section.questions)
        head.append(
            "  "
            + ngettext("{title} ({kind}): {n} question", "{title} ({kind}): {n} questions", n).format(
                title=section.title or "-", kind=section.kind, n=n
            )
        )
    if c.no_key:
        head.append(
            ngettext(
                "{n} question has no key in the document: `csdrill validate` lists it.",
                "{n} questions have no key in the document: `csdrill validate` lists them.",
                c.no_key,
            ).format(n=c.no_key)
        )
    if c.left_out:
        head.append(
            ngettext(
                "{n} question was left out (cut off in the document).",
                "{n} questions were left out (cut off in the document).",
                c.left_out,
            ).format(n=c.left_out)
        )
    head.append(_("Check the comments below, then run: csdrill validate FILE"))
    out = [_comment("\n".join(head), "")]
    for problem in draft.problems:
        out.append(_comment(message(problem), ""))
    out.append(f"id: {exam_id(name)}")
    out.append(f"title: {scalar(draft.title, 2)}")
    out.append(f"language: {draft.language}")
    out.append(f"source: {scalar(name, 2)}")
    out.append("sections:")
    taken: set[str] = set()
    for section in draft.sections:
        sid = section_id(section, taken)
        for problem in section.problems:
            out.append(_comment(message(problem), "  "))
        out.append(f"  - id: {sid}")
        out.append(f"    title: {scalar(section.title or sid, 6)}")
        out.append(f"    kind: {section.kind}")
        if section.points is not None:
            out.append(f"    points: {_number(section.points)}")
        if section.instructions:
            out.append(f"    instructions: {scalar(section.instructions, 6)}")
        out.append("    questions:")
        qids: set[str] = set()
        for q in section.questions:
            qid = f"{sid}-q{q.number}"
            n = 2
            while qid in qids:
                qid, n = f"{sid}-q{q.number}-{n}", n + 1
            qids.add(qid)
            _question_lines(q, qid, section.kind, out, section.points)
    return "\n".join(out) + "\n"
