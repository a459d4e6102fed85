"""Rich rendering and prompts. Every bank string is rendered as ``rich.text.Text``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cs_drill.model import Bank, Kind
from cs_drill.text import clean


def literal(value: object, style: str = "") -> Text:
    """Bank text as Rich Text: never markup, never a terminal control sequence."""
    return Text(clean(str(value)), style=style)


def print_validation_summary(console: Console, bank: Bank) -> None:
    """The success summary of ``csdrill validate``."""
    kinds: Counter[Kind] = Counter()
    sections = 0
    for exam in bank.exams:
        for section in exam.sections:
            sections += 1
            kinds[section.kind] += len(section.questions)
    total = sum(kinds.values())
    by_kind = ", ".join(f"{kind.value} {kinds[kind]}" for kind in Kind if kinds[kind])
    files = len({e.path for e in bank.exams})
    console.print(
        Text(
            f"OK: {files} file{'s' if files != 1 else ''}, {len(bank.exams)} exam"
            f"{'s' if len(bank.exams) != 1 else ''}, {sections} section{'s' if sections != 1 else ''}, "
            f"{total} question{'s' if total != 1 else ''} ({by_kind})"
        )
    )


def print_bank_table(
    console: Console, bank: Bank, due: Mapping[tuple[str, str], int] | None = None
) -> None:
    """The table of ``csdrill list``: ids are never truncated or folded."""
    table = Table(show_lines=False, header_style="bold", pad_edge=False)
    table.add_column("exam", no_wrap=True, overflow="ignore", min_width=4)
    table.add_column("section", no_wrap=True, overflow="ignore")
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("kind", no_wrap=True)
    table.add_column("questions", justify="right", no_wrap=True)
    table.add_column("due", justify="right", no_wrap=True)
    for exam in bank.exams:
        table.add_row(literal(exam.id, "bold cyan"), Text(""), literal(exam.title, "bold"), Text(""), Text(str(len(exam.questions()))), Text(""))
        for section in exam.sections:
            count = due.get((exam.id, section.id), 0) if due is not None else None
            table.add_row(
                Text(""),
                literal(section.id, "cyan"),
                literal(section.title),
                Text(section.kind.value),
                Text(str(len(section.questions))),
                Text("-" if count is None else str(count)),
            )
    console.print(table)
