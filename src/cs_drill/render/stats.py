"""Rendering of ``csdrill stats``: tables and bar charts drawn with plain characters.

Every bank string (titles, prompts, ids) goes through :func:`cs_drill.ui.literal`,
so it is shown as text, never read as Rich markup or terminal control.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cs_drill.render.console import literal
from cs_drill.render.drill import RATING_NAMES
from cs_drill.study.stats import SectionStats, Stats
from cs_drill.text import plural

__all__ = ["bar_lines", "day_label", "percent", "print_stats"]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_BAR = "█"


def percent(value: float | None) -> str:
    """``0.834`` → ``"83%"``; None → ``"-"``."""
    return "-" if value is None else f"{round(100 * value)}%"


def day_label(day: date) -> str:
    """``11-08 Sat`` (weekday names in English whatever the locale)."""
    return f"{day:%m-%d} {_WEEKDAYS[day.weekday()]}"


def bar_lines(
    days: Sequence[tuple[date, int]], width: int, style: str = "green", today: date | None = None
) -> list[Text]:
    """One line per day, ``11-08 Sat ████████ 12``, the longest bar filling ``width`` columns.

    A day with at least one item always gets a bar of at least one block.
    """
    most = max((n for _, n in days), default=0)
    count_width = len(str(most))
    room = max(1, width - len(day_label(date(2000, 1, 1))) - count_width - 2)
    lines: list[Text] = []
    for day, n in days:
        line = Text(day_label(day), style="bold" if day == today else "")
        line.append(" ")
        length = max(1, round(n * room / most)) if n and most else 0
        if length:
            line.append(_BAR * length, style=style)
            line.append(" ")
        line.append(str(n), style="bold" if n else "dim")
        lines.append(line)
    return lines


_COUNTS = (
    ("total", "total"),
    ("new", "new"),
    ("learn", "learning"),
    ("due\nnow", "due_now"),
    ("due\n7d", "due_7d"),
)
_TITLE_MIN = 10


def _section_table(rows: Sequence[SectionStats], *, with_title: bool) -> Table:
    table = Table(header_style="bold", pad_edge=False)
    table.add_column("section", no_wrap=True, overflow="ignore")
    if with_title:
        table.add_column("title", overflow="fold", min_width=_TITLE_MIN)
    # Two-line headers keep the numbers narrow, leaving room for titles at 80 columns.
    for header, _ in _COUNTS:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("acc\n30d", justify="right", no_wrap=True)

    def add(section: Text, title: Text, counts: list[int], accuracy: float | None, style: str) -> None:
        cells = [section, title] if with_title else [section]
        cells += [Text(str(n), style=style) for n in counts]
        cells.append(Text(percent(accuracy), style=style))
        table.add_row(*cells)

    for s in rows:
        add(
            literal(s.section_id, "cyan"),
            literal(s.title),
            [getattr(s, field) for _, field in _COUNTS],
            s.accuracy,
            "",
        )
    if len(rows) > 1:
        graded = sum(s.graded_30d for s in rows)
        table.add_section()
        add(
            Text("all", style="bold"),
            Text(""),
            [sum(getattr(s, field) for s in rows) for _, field in _COUNTS],
            sum(s.correct_30d for s in rows) / graded if graded else None,
            "bold",
        )
    return table


def _print_sections(console: Console, sections: Sequence[SectionStats]) -> None:
    by_exam: dict[str, list[SectionStats]] = {}
    for s in sections:
        by_exam.setdefault(s.exam_id, []).append(s)
    for exam_id, rows in by_exam.items():
        head = Text()
        if rows[0].exam_title:
            head.append_text(literal(rows[0].exam_title, "bold"))
            head.append("  ")
        head.append_text(literal(exam_id, "bold cyan"))
        console.print(head)
        # Section ids are never cut: on a narrow terminal the titles go instead.
        bare = console.measure(_section_table(rows, with_title=False)).maximum
        fits = console.width - bare >= _TITLE_MIN + 3  # the column, its padding, a border
        console.print(_section_table(rows, with_title=fits))


def _print_chart(
    console: Console,
    title: str,
    note: str,
    days: Sequence[tuple[date, int]],
    style: str,
    today: date | None,
) -> None:
    console.print()
    head = Text(title, style="bold")
    head.append(f"  {note}", style="dim")
    console.print(head)
    for line in bar_lines(days, console.width, style, today):
        console.print(line, no_wrap=True, overflow="crop")


def _print_weakest(console: Console, stats: Stats) -> None:
    if not stats.weakest:
        return
    console.print()
    console.print(Text("Weakest questions", style="bold"))
    table = Table(header_style="bold", pad_edge=False)
    table.add_column("lapses", justify="right", no_wrap=True)
    table.add_column("recall", justify="right", no_wrap=True)
    table.add_column("last", no_wrap=True, min_width=5)
    # The id is folded, never cut, on a narrow terminal; the prompt below it is shortened.
    table.add_column("question", overflow="fold")
    # Four columns: 5 borders, 6 of padding, and the three narrow columns (6, 6, 5).
    room = max(8, console.width - 5 - 6 - 6 - 6 - 5)
    for card in stats.weakest:
        question = literal(card.uid, "cyan")
        question.append("\n")
        prompt = literal(card.prompt, "dim")
        prompt.truncate(room, overflow="ellipsis")
        question.append_text(prompt)
        table.add_row(
            Text(str(card.lapses), style="bold red" if card.lapses else ""),
            Text(percent(card.retrievability)),
            Text(RATING_NAMES[card.last_rating] if card.last_rating is not None else "-"),
            question,
        )
    console.print(table)


UIDS_SHOWN = 10
"""How many removed or edited questions are listed by id."""


def _print_uids(console: Console, head: str, uids: Sequence[str]) -> None:
    console.print()
    console.print(Text(head, style="bold"))
    for uid in uids[:UIDS_SHOWN]:
        console.print(literal(f"  {uid}", "dim"), no_wrap=True, overflow="ignore", crop=False)
    if len(uids) > UIDS_SHOWN:
        console.print(Text(f"  … and {len(uids) - UIDS_SHOWN} more", style="dim"))


def print_stats(console: Console, stats: Stats) -> None:
    """Section tables, the review and due charts, the weakest questions, removed and edited ones."""
    if not stats.has_history:
        console.print(Text("No reviews yet — start with `csdrill review`."))
        _print_sections(console, stats.sections)
        return
    graded = sum(s.graded_30d for s in stats.sections)
    right = sum(s.correct_30d for s in stats.sections)
    summary = Text(f"{plural(stats.total_reviews, 'review')} in all", style="bold")
    summary.append(f" · streak {plural(stats.streak, 'day')}")
    if graded:
        summary.append(f" · accuracy, last 30 days {percent(right / graded)} ({right}/{graded})")
    console.print(summary)
    _print_sections(console, stats.sections)

    today = stats.forecast[0][0] if stats.forecast else None
    recent = sum(n for _, n in stats.reviews_per_day)
    _print_chart(
        console,
        f"Reviews, last {len(stats.reviews_per_day)} days",
        plural(recent, "review"),
        stats.reviews_per_day,
        "green",
        today,
    )
    coming = sum(n for _, n in stats.forecast)
    _print_chart(
        console,
        f"Due, next {len(stats.forecast)} days",
        f"{plural(coming, 'card')} (overdue counted today)",
        stats.forecast,
        "cyan",
        today,
    )
    _print_weakest(console, stats)
    if stats.orphans:
        _print_uids(
            console,
            f"No longer in the bank: {plural(len(stats.orphans), 'card')} (history kept)",
            stats.orphans,
        )
    if stats.changed:
        _print_uids(console, f"Edited since last review: {len(stats.changed)}", stats.changed)
