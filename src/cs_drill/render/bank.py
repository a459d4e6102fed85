"""What ``validate`` and ``list`` show of a bank."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from cs_drill.bank.model import Exam, Kind
from cs_drill.i18n import _, ngettext
from cs_drill.render.console import fold, literal
from cs_drill.render.labels import KIND_NAMES


def print_validation_summary(console: Console, exams: Sequence[Exam]) -> None:
    """The success summary of ``csdrill validate``."""
    kinds: Counter[Kind] = Counter()
    sections = 0
    for exam in exams:
        for section in exam.sections:
            sections += 1
            kinds[section.kind] += section.question_count
    total = sum(kinds.values())
    by_kind = _(", ").join(f"{KIND_NAMES[kind]} {kinds[kind]}" for kind in Kind if kinds[kind])
    files = len({e.path for e in exams})
    parts = [
        ngettext("{n} file", "{n} files", files).format(n=files),
        ngettext("{n} exam", "{n} exams", len(exams)).format(n=len(exams)),
        ngettext("{n} section", "{n} sections", sections).format(n=sections),
        ngettext("{n} question", "{n} questions", total).format(n=total),
    ]
    # TRANSLATORS: the line validate prints when every file is valid.
    summary = Text(_("OK: {counts} ({kinds})").format(counts=_(", ").join(parts), kinds=by_kind))
    console.print(summary, soft_wrap=True)


def print_bank_table(
    console: Console,
    exams: Sequence[Exam],
    due: Mapping[tuple[str, str], int] | None = None,
    starred: Mapping[tuple[str, str], int] | None = None,
) -> None:
    """What ``csdrill list`` shows: each exam's id and title, then a table of its sections.

    ``due`` and ``starred``: how many questions are due and starred (收藏) per (exam id,
    section id), given when there is a history (and, for ``starred``, when it has stars):
    then the exam's line and a column of the table show them. Ids are never truncated or
    folded (a table too wide for the terminal is printed wider than it); titles fold,
    never starting a line with 。，、 and the like.
    """
    from rich.table import Table

    for n, exam in enumerate(exams):
        if n:
            console.print()
        exam_due = sum(due.get((exam.id, s.id), 0) for s in exam.sections) if due is not None else None
        head = literal(exam.id, "bold cyan")
        head.append("  ")
        count = exam.question_count
        head.append(ngettext("{n} question", "{n} questions", count).format(n=count))
        if exam_due is not None:
            head.append(" · " + _("{n} due").format(n=exam_due))
        if starred is not None:
            exam_starred = sum(starred.get((exam.id, s.id), 0) for s in exam.sections)
            # TRANSLATORS: on an exam's line of `csdrill list`: how many of its questions are starred (收藏).
            head.append(" · " + _("{n} starred").format(n=exam_starred))
        console.print(head, soft_wrap=True)
        title = Text("  ")
        title.append_text(_exam_title(exam))
        console.print(fold(title, console.width), soft_wrap=True)
        table = Table(box=None, header_style="dim", pad_edge=True, padding=(0, 1, 0, 2))
        table.add_column(_("section"), no_wrap=True, overflow="ignore")
        table.add_column(_("title"), overflow="fold", ratio=1, min_width=10)
        table.add_column(_("kind"), no_wrap=True)
        table.add_column(_("count"), justify="right", no_wrap=True)
        table.add_column(_("due"), justify="right", no_wrap=True)
        if starred is not None:
            # TRANSLATORS: a column header of `csdrill list`: how many questions of the section are starred (收藏).
            table.add_column(_("starred"), justify="right", no_wrap=True)
        for section in exam.sections:
            section_due = due.get((exam.id, section.id), 0) if due is not None else None
            cells = [
                literal(section.id, "cyan"),
                literal(section.title),
                Text(KIND_NAMES[section.kind]),
                Text(str(section.question_count)),
                Text("-" if section_due is None else str(section_due)),
            ]
            if starred is not None:
                n = starred.get((exam.id, section.id), 0)
                cells.append(Text(str(n), style="yellow" if n else "dim"))
            table.add_row(*cells)
        need = (
            max((len(s.id) for s in exam.sections), default=2)
            + 10
            + max(cell_len(KIND_NAMES[s.kind]) for s in exam.sections)
        )
        need += 3 * 7 + 6 + (2 + max(cell_len(_("starred")), 3) if starred is not None else 0)
        if console.width >= need:
            console.print(table)
            continue
        narrow = console.width
        console.width = need
        try:
            console.print(table)
        finally:
            console.width = narrow


def _exam_title(exam: Exam) -> Text:
    """The exam's title, with its time limit and pass mark when the bank gives them."""
    title = literal(exam.title, "bold")
    terms = []
    if exam.time_limit is not None:
        terms.append(_("{n:g} min").format(n=exam.time_limit))
    if exam.pass_mark is not None:
        terms.append(_("pass {n:g}%").format(n=exam.pass_mark))
    if terms:
        title.append(_(" ({terms})").format(terms=_(", ").join(terms)), style="dim")
    return title
