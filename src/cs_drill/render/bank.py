"""What ``validate`` and ``list`` show of a bank."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.text import Text

from cs_drill.bank.model import Exam, Kind
from cs_drill.render.console import literal
from cs_drill.text import plural


def print_validation_summary(console: Console, exams: Sequence[Exam]) -> None:
    """The success summary of ``csdrill validate``."""
    kinds: Counter[Kind] = Counter()
    sections = 0
    for exam in exams:
        for section in exam.sections:
            sections += 1
            kinds[section.kind] += section.question_count
    total = sum(kinds.values())
    by_kind = ", ".join(f"{kind.value} {kinds[kind]}" for kind in Kind if kinds[kind])
    files = len({e.path for e in exams})
    summary = Text(
        f"OK: {plural(files, 'file')}, {plural(len(exams), 'exam')}, {plural(sections, 'section')}, "
        f"{plural(total, 'question')} ({by_kind})"
    )
    console.print(summary, soft_wrap=True)


def print_bank_table(console: Console, exams: Sequence[Exam], due: Mapping[tuple[str, str], int] | None = None) -> None:
    """The table of ``csdrill list``: ids are never truncated or folded."""
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold", pad_edge=False)
    table.add_column("id", no_wrap=True, overflow="ignore")
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("kind", no_wrap=True)
    table.add_column("count", justify="right", no_wrap=True)
    table.add_column("due", justify="right", no_wrap=True)
    for exam in exams:
        exam_due = sum(due.get((exam.id, s.id), 0) for s in exam.sections) if due is not None else None
        table.add_row(
            literal(exam.id, "bold cyan"),
            _exam_title(exam),
            Text("exam"),
            Text(str(exam.question_count), style="bold"),
            Text("-" if exam_due is None else str(exam_due), style="bold"),
        )
        for section in exam.sections:
            count = due.get((exam.id, section.id), 0) if due is not None else None
            table.add_row(
                literal(f"  {section.id}", "cyan"),
                literal(section.title),
                Text(section.kind.value),
                Text(str(section.question_count)),
                Text("-" if count is None else str(count)),
            )
    # ids are never cut: when the terminal is too narrow, the table is wider than it
    ids = [e.id for e in exams] + [f"  {sec.id}" for e in exams for sec in e.sections]
    need = max(map(len, ids), default=2) + len("single-choice") + len("count") + len("due") + 6 * 3 + 4
    if console.width >= need:
        console.print(table)
        return
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
        terms.append(f"{exam.time_limit:g} min")
    if exam.pass_mark is not None:
        terms.append(f"pass {exam.pass_mark:g}%")
    if terms:
        title.append(f" ({', '.join(terms)})", style="dim")
    return title
