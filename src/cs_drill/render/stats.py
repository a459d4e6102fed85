"""Rendering of ``csdrill stats``: tables and bar charts drawn with plain characters.

Every bank string (titles, prompts, ids) goes through :func:`cs_drill.render.console.literal`,
so it is shown as text, never read as Rich markup or terminal control. Every other
string comes from the message catalog, looked up when it is drawn. Widths are
measured in terminal cells, so that Chinese labels and titles (two cells a
character) line up and are never squeezed below a readable width.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cs_drill.i18n import N_, _, ngettext
from cs_drill.render.console import literal
from cs_drill.render.labels import RATING_NAMES
from cs_drill.study.planner import PlanStatus
from cs_drill.study.stats import ACCURACY_DAYS, DUE_SOON_DAYS, AttemptSummary, SectionStats, Stats, shown_recall

__all__ = ["WEEKDAYS", "bar_lines", "day_label", "percent", "plan_lines", "print_stats"]

#: Weekday names, Monday first (``date.weekday()`` order): never the locale's, always the catalog's.
WEEKDAYS = (
    # TRANSLATORS: a short weekday name in the stats charts, after the date: "11-08 Sat" (周六 / 週六).
    N_("Mon"),
    N_("Tue"),
    N_("Wed"),
    N_("Thu"),
    N_("Fri"),
    N_("Sat"),
    N_("Sun"),
)
_BAR = "█"


def percent(value: float | None) -> str:
    """``0.834`` → ``"83%"``; None → ``"-"``."""
    return "-" if value is None else f"{round(100 * value)}%"


def day_label(day: date) -> str:
    """``11-08 Sat`` (the weekday name from the catalog, whatever the locale)."""
    return f"{day:%m-%d} {_(WEEKDAYS[day.weekday()])}"


def bar_lines(
    days: Sequence[tuple[date, int]], width: int, style: str = "green", today: date | None = None
) -> list[Text]:
    """One line per day, ``11-08 Sat ████████ 12``, the longest bar filling ``width`` columns.

    A day with at least one item always gets a bar of at least one block. Day
    labels are padded to the widest (in cells), so the bars start in one column.
    """
    most = max((n for _day, n in days), default=0)
    count_width = len(str(most))
    labels = [day_label(day) for day, _n in days]
    label_width = max((cell_len(label) for label in labels), default=cell_len(day_label(date(2000, 1, 1))))
    room = max(1, width - label_width - count_width - 2)
    lines: list[Text] = []
    for (day, n), label in zip(days, labels, strict=True):
        line = Text(label, style="bold" if day == today else "")
        line.append(" " * (label_width - cell_len(label) + 1))
        length = max(1, round(n * room / most)) if n and most else 0
        if length:
            line.append(_BAR * length, style=style)
            line.append(" ")
        line.append(str(n), style="bold" if n else "dim")
        lines.append(line)
    return lines


def _joined(parts: Sequence[Text], width: int, separator: str = " · ") -> Text:
    """``parts`` on one line, separated by ``separator``; a line break instead where the next would not fit."""
    out = Text()
    used = 0
    for i, part in enumerate(parts):
        size = cell_len(part.plain)
        if i and used + cell_len(separator) + size > width:
            out.append("\n")
            used = 0
        elif i:
            out.append(separator)
            used += cell_len(separator)
        out.append_text(part)
        used += size
    return out


# -- the section table ------------------------------------------------------------

# (header, SectionStats field). Two-line headers keep the numbers narrow, leaving room for titles.
_COUNTS = (
    # TRANSLATORS: a column header of the stats table: how many questions the section has.
    (N_("total"), "total"),
    # TRANSLATORS: a column header of the stats table: cards never reviewed (the card state "new").
    (N_("new"), "new"),
    # TRANSLATORS: a column header of the stats table, kept short: cards in learning or relearning.
    (N_("learn"), "learning"),
    # TRANSLATORS: a column header of the stats table: cards past learning, in review (new + learn + review = total).
    (N_("review"), "review"),
    # TRANSLATORS: a column header of the stats table, on two lines (\n): cards due now.
    (N_("due\nnow"), "due_now"),
    # TRANSLATORS: a column header of the stats table, on two lines (\n): cards due within {days} days.
    (N_("due\n{days}d"), "due_7d"),
)
#: The narrowest title column (in cells: 5 Chinese characters).
_TITLE_MIN = 10
#: A title column narrower than this (in cells: 8 Chinese characters) is hard to read; the ids fold first.
_TITLE_READABLE = 16
#: The narrowest a folded section id gets (in cells).
_ID_MIN = 8
#: Below this many cells for the question column, the weakest questions are shown by their prompts alone.
_UID_ROOM = 24


def _header(message: str) -> str:
    return _(message).format(days=DUE_SOON_DAYS)


def _section_table(rows: Sequence[SectionStats], *, with_title: bool, id_width: int | None = None) -> Table:
    """The counts of ``rows``; ``id_width``: fold the ids to that many cells (else they are never cut)."""
    table = Table(header_style="bold", pad_edge=False)
    # TRANSLATORS: a column header of the stats table: the section's id (as --section takes it).
    section = _("section")
    if id_width is None:
        table.add_column(section, no_wrap=True, overflow="ignore")
    else:
        table.add_column(section, overflow="fold", width=id_width)
    if with_title:
        # TRANSLATORS: a column header of the stats table: the section's title from the bank.
        table.add_column(_("title"), overflow="fold", min_width=_TITLE_MIN)
    for header, _field in _COUNTS:
        table.add_column(_header(header), justify="right", no_wrap=True)
    # TRANSLATORS: a column header of the stats table, on two lines (\n): accuracy over the last {days} days.
    table.add_column(_("acc\n{days}d").format(days=ACCURACY_DAYS), justify="right", no_wrap=True)

    def add(section: Text, title: Text, counts: list[int], accuracy: float | None, style: str) -> None:
        cells = [section, title] if with_title else [section]
        cells += [Text(str(n), style=style) for n in counts]
        cells.append(Text(percent(accuracy), style=style))
        table.add_row(*cells)

    for s in rows:
        add(
            literal(s.section_id if id_width is None else _fold_id(s.section_id, id_width), "cyan"),
            literal(s.title),
            [getattr(s, field) for _msg, field in _COUNTS],
            s.accuracy,
            "",
        )
    if len(rows) > 1:
        graded = sum(s.graded_30d for s in rows)
        table.add_section()
        add(
            # TRANSLATORS: the totals row of the stats table (in the section column).
            Text(_("all"), style="bold"),
            Text(""),
            [sum(getattr(s, field) for s in rows) for _msg, field in _COUNTS],
            sum(s.correct_30d for s in rows) / graded if graded else None,
            "bold",
        )
    return table


def _fold_id(uid: str, width: int) -> str:
    """An id on lines of at most ``width`` cells where it can, broken after a hyphen or a slash.

    A piece longer than ``width`` is left whole here (the table folds it).
    """
    lines = [""]
    for chunk in re.findall(r"[^-/]*[-/]|[^-/]+", uid):
        if lines[-1] and cell_len(lines[-1] + chunk) > width:
            lines.append("")
        lines[-1] += chunk
    return "\n".join(lines)


def _widest(texts: Sequence[str]) -> int:
    return max((cell_len(line) for text in texts for line in text.split("\n")), default=0)


def _fitted_section_table(console: Console, rows: Sequence[SectionStats]) -> Table:
    """The section table for the console's width.

    The title (the name a person knows a section by) keeps at least a readable width
    (``_TITLE_READABLE`` cells, or all of a shorter title): on a narrower terminal the
    section ids fold first (after a hyphen where they can), and only when even that
    leaves too little room do the titles go (the ids are what ``--section`` takes, so
    they are never cut).
    """
    # The table's own width (a measurement within the console's width stops at that width).
    bare = console.measure(_section_table(rows, with_title=False), options=console.options.update_width(10_000)).maximum
    room = console.width - bare - 3  # the title column: its padding (2) and a border
    want = max(_TITLE_MIN, min(_TITLE_READABLE, _widest([_("title"), *(s.title for s in rows)])))
    if room >= want:
        return _section_table(rows, with_title=True)
    id_width = _widest([_("section"), _("all"), *(s.section_id for s in rows)])
    folded = id_width - (want - room)
    if folded >= _ID_MIN:
        return _section_table(rows, with_title=True, id_width=folded)
    over = bare - console.width
    if 0 < over <= id_width - _ID_MIN:
        # Not even the counts fit: fold the ids rather than squeeze the numbers.
        return _section_table(rows, with_title=False, id_width=id_width - over)
    return _section_table(rows, with_title=False)


def _print_sections(console: Console, sections: Sequence[SectionStats]) -> None:
    by_exam: dict[str, list[SectionStats]] = {}
    for s in sections:
        by_exam.setdefault(s.exam_id, []).append(s)
    for exam_id, rows in by_exam.items():
        # The exam's title first, its id after it (on a line of its own when both do not fit).
        parts = [literal(rows[0].exam_title, "bold")] if rows[0].exam_title else []
        parts.append(literal(exam_id, "bold cyan"))
        console.print(_joined(parts, console.width, "  "))
        console.print(_fitted_section_table(console, rows))


# -- charts, weakest questions, removed and edited questions -------------------------


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
    # TRANSLATORS: the heading of the stats table of the questions hardest to remember.
    console.print(Text(_("Weakest questions"), style="bold"))
    headers = (
        # TRANSLATORS: a column header of the weakest-questions table: how many times the card was forgotten.
        _("lapses"),
        # TRANSLATORS: a column header of the weakest-questions table: the predicted chance of recall now.
        _("recall"),
        # TRANSLATORS: a column header of the weakest-questions table: the last self-rating (Again, Good …).
        _("last"),
        # TRANSLATORS: a column header of the weakest-questions table: the question's prompt, its id below.
        _("question"),
    )
    rows = [
        (
            Text(str(card.lapses), style="bold red" if card.lapses else ""),
            Text("-" if card.retrievability is None else f"{shown_recall(card.retrievability)}%"),
            Text(RATING_NAMES[card.last_rating] if card.last_rating is not None else "-"),
        )
        for card in stats.weakest
    ]
    narrow = [max(cell_len(headers[i]), *(cell_len(row[i].plain) for row in rows)) for i in range(3)]
    # Four columns: 5 borders and 6 cells of padding besides the three narrow columns.
    room = max(8, console.width - 5 - 6 - sum(narrow))
    table = Table(header_style="bold", pad_edge=False)
    table.add_column(headers[0], justify="right", no_wrap=True)
    table.add_column(headers[1], justify="right", no_wrap=True)
    table.add_column(headers[2], no_wrap=True)
    table.add_column(headers[3], overflow="fold")
    for card, cells in zip(stats.weakest, rows, strict=True):
        # The prompt leads, cut to one line; the id below it is folded, never cut (it is what --question
        # takes), and left out on a terminal too narrow to show it in a few lines.
        question = literal(card.prompt)
        question.truncate(room, overflow="ellipsis")
        if room >= _UID_ROOM or not question.plain:
            if question.plain:
                question.append("\n")
            question.append_text(literal(_fold_id(card.uid, room), "dim cyan"))
        table.add_row(*cells, question)
    console.print(table)


UIDS_SHOWN = 10
"""How many removed or edited questions are listed by id."""


def _print_uids(console: Console, head: str, uids: Sequence[str]) -> None:
    console.print()
    console.print(Text(head, style="bold"))
    for uid in uids[:UIDS_SHOWN]:
        console.print(literal(f"  {uid}", "dim"), no_wrap=True, overflow="ignore", crop=False)
    if len(uids) > UIDS_SHOWN:
        more = len(uids) - UIDS_SHOWN
        # TRANSLATORS: after a list of question ids cut short: how many more there are.
        console.print(Text("  " + _("… and {n} more").format(n=more), style="dim"))


def print_stats(console: Console, stats: Stats) -> None:
    """Section tables, the review and due charts, the weakest questions, removed and edited ones."""
    if not stats.has_history:
        console.print(Text(_("No reviews yet — start with `{command}`.").format(command="csdrill review")))
        _print_sections(console, stats.sections)
        return
    graded = sum(s.graded_30d for s in stats.sections)
    right = sum(s.correct_30d for s in stats.sections)
    total = stats.total_reviews
    summary = [
        Text(ngettext("{n} review in all", "{n} reviews in all", total).format(n=total), style="bold"),
        Text(ngettext("streak {n} day", "streak {n} days", stats.streak).format(n=stats.streak)),
    ]
    if graded:
        accuracy = ngettext(
            "accuracy, last {days} day {percent} ({right}/{graded})",
            "accuracy, last {days} days {percent} ({right}/{graded})",
            ACCURACY_DAYS,
        )
        summary.append(
            Text(accuracy.format(days=ACCURACY_DAYS, percent=percent(right / graded), right=right, graded=graded))
        )
    console.print(_joined(summary, console.width))
    _print_sections(console, stats.sections)

    today = stats.forecast[0][0] if stats.forecast else None
    recent = sum(n for _day, n in stats.reviews_per_day)
    chart_days = len(stats.reviews_per_day)
    _print_chart(
        console,
        ngettext("Reviews, last {n} day", "Reviews, last {n} days", chart_days).format(n=chart_days),
        ngettext("{n} review", "{n} reviews", recent).format(n=recent),
        stats.reviews_per_day,
        "green",
        today,
    )
    coming = sum(n for _day, n in stats.forecast)
    forecast_days = len(stats.forecast)
    _print_chart(
        console,
        ngettext("Due, next {n} day", "Due, next {n} days", forecast_days).format(n=forecast_days),
        ngettext("{n} card (overdue counted today)", "{n} cards (overdue counted today)", coming).format(n=coming),
        stats.forecast,
        "cyan",
        today,
    )
    _print_weakest(console, stats)
    if stats.orphans:
        orphans = len(stats.orphans)
        _print_uids(
            console,
            ngettext(
                "No longer in the bank: {n} card (history kept)",
                "No longer in the bank: {n} cards (history kept)",
                orphans,
            ).format(n=orphans),
            stats.orphans,
        )
    if stats.changed:
        _print_uids(console, _("Edited since last review: {n}").format(n=len(stats.changed)), stats.changed)


def plan_lines(status: PlanStatus) -> list[Text]:
    """The plan: the date and the days left, each planned exam's new cards and predicted recall on the day,
    and today's share of new cards."""
    day = status.day.isoformat()
    if status.left > 0:
        head = ngettext("Plan: {day}, {n} day left", "Plan: {day}, {n} days left", status.left).format(
            day=day, n=status.left
        )
    elif status.left == 0:
        head = _("Plan: {day} is today").format(day=day)
    else:
        head = _("Plan: {day} has passed (clear it with `{command}`)").format(day=day, command="csdrill plan --clear")
    lines = [Text(head, style="bold")]
    for e in status.exams:
        line = Text("  ")
        line.append_text(literal(e.exam_id))
        # TRANSLATORS: one planned exam: questions never seen / in all, and the predicted share recalled on the date.
        message = _("new {new}/{total}, recalled on the day {recall}")
        line.append("  " + message.format(new=e.new, total=e.total, recall=percent(e.recall)))
        lines.append(line)
    if status.left >= 0:
        share = ngettext("Today's share: {n} new card", "Today's share: {n} new cards", status.new_today)
        lines.append(Text(share.format(n=status.new_today)))
    return lines


def attempt_lines(summaries: Sequence[AttemptSummary], titles: Mapping[str, str]) -> list[Text]:
    """Mock exams (csdrill exam): per exam the sittings, the last and the best result, and the trend."""
    if not summaries:
        return []
    lines = [Text(_("Mock exams"), style="bold")]
    for s in summaries:
        row = Text("  ")
        row.append_text(literal(titles.get(s.exam_id, s.exam_id), "bold"))
        lines.append(row)
        last, best = s.last, s.best
        verdict = _("pass") if last.passed else _("fail")
        detail = ngettext("{n} sitting", "{n} sittings", s.sittings).format(n=s.sittings)
        # TRANSLATORS: the last mock exam: points, pass or fail, and when (a local date).
        detail += " · " + _("last {got}/{possible} ({verdict}, {when})").format(
            got=f"{last.points:g}", possible=f"{last.possible:g}", verdict=verdict,
            when=f"{last.started_at.astimezone():%Y-%m-%d}",
        )  # fmt: skip
        detail += " · " + _("best {got}/{possible}").format(got=f"{best.points:g}", possible=f"{best.possible:g}")
        if s.trend is not None:
            arrow = "↑" if s.trend > 0.005 else "↓" if s.trend < -0.005 else "→"
            # TRANSLATORS: the last sitting's share of the points against the sittings before it, e.g. "trend ↑ +12%".
            detail += " · " + _("trend {arrow} {change}%").format(arrow=arrow, change=f"{100 * s.trend:+.0f}")
        lines.append(Text("    " + detail))
    return lines
