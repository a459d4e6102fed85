"""What a drill looks like: the card, the feedback, the self-rating prompt, the summary.

Every bank string is rendered as ``rich.text.Text``. Views draw; the engine
(``study.drill``) grades, rates and records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from cs_drill.bank.model import Exam, Kind, Question
from cs_drill.render.console import LineReader, TimedOut, literal
from cs_drill.study.card import Rating
from cs_drill.study.drill import Card, Drill, Invalid, Outcome, Reveal
from cs_drill.text import plural

if TYPE_CHECKING:
    from cs_drill.study.assess.grading import Coverage, Grade
    from cs_drill.study.select import ReviewQueue


# --------------------------------------------------------------------------- drills

RATING_NAMES = {
    Rating.AGAIN: "Again",
    Rating.HARD: "Hard",
    Rating.GOOD: "Good",
    Rating.EASY: "Easy",
}
KIND_LABELS = {
    Kind.SINGLE: "single choice",
    Kind.MULTI: "multiple choice",
    Kind.TRUE_FALSE: "true or false",
    Kind.OPEN: "open question",
}


def human_delta(delta: timedelta) -> str:
    """'10 min', '3 h', '4 days', '2 months'."""
    seconds = max(0, int(round(delta.total_seconds())))
    if seconds < 60:
        return f"{seconds} s" if seconds else "now"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours = round(seconds / 3600)
    if hours < 24:
        return f"{hours} h"
    days = round(seconds / 86400)
    if days < 31:
        return plural(days, "day")
    months = round(days / 30.4)
    if months < 12:
        return plural(months, "month")
    years = days / 365.25
    return f"{years:.1f} years"


def format_points(points: int | float | None) -> str:
    if points is None:
        return ""
    return f"{points:g}分"


def answer_hint(question: Question) -> str:
    letters = question.letters
    if question.kind is Kind.SINGLE:
        return f"Answer ({letters[0]}–{letters[-1]}): "
    if question.kind is Kind.MULTI:
        example = letters[0] + letters[min(2, len(letters) - 1)]
        return f"Answer (all that apply, e.g. {example}): "
    if question.kind is Kind.TRUE_FALSE:
        return "Answer (t/f, 对/错): "
    return "Your answer (one line): "


def key_text(question: Question) -> Text:
    """The right answer of a choice or true-false question: the key, then its options."""
    if question.kind is Kind.TRUE_FALSE:
        return Text("对 (√)" if question.truth else "错 (×)", style="bold")
    out = Text(question.key, style="bold")
    for letter in question.correct:
        out.append("\n  ")
        out.append(f"{letter}. ", style="bold")
        out.append_text(literal(question.option_text(letter)))
    return out


class DrillView:
    """Draws a drill run and reads its answers; the engine grades, rates and records."""

    def __init__(self, console: Console, reader: LineReader, engine: Drill, exams: Sequence[Exam]) -> None:
        self.console = console
        self.reader = reader
        self.engine = engine
        self._by_id = {e.id: e for e in exams}
        self._exam: str | None = None
        self._sections_seen: set[tuple[str, str]] = set()

    def run(self) -> None:
        """Ask every card in turn; return at end of input. Ctrl-C propagates."""
        while (card := self.engine.next_card()) is not None:
            self._show(card)
            if not self._ask(card):
                return

    # ----------------------------------------------------------------- screen

    def _show(self, card: Card) -> None:
        c = self.console
        question, section = card.question, card.section
        exam = self._by_id[question.exam_id]
        if exam.id != self._exam:
            self._exam = exam.id
            c.print()
            from rich.rule import Rule

            c.print(Rule(literal(exam.title, "bold"), style="cyan"))
        key = (exam.id, section.id)
        if key not in self._sections_seen:
            self._sections_seen.add(key)
            head = literal(section.title, "bold magenta")
            head.append(
                f"  ({section.question_count} × {format_points(section.points)})" if section.points is not None else ""
            )
            c.print(head)
            if section.instructions:
                c.print(literal(section.instructions, "dim"))
        c.print()
        line = Text(f"[{card.position}/{card.total}] ", style="bold cyan")
        line.append(KIND_LABELS[question.kind], style="cyan")
        if question.points is not None:
            line.append(f" · {format_points(question.points)}", style="cyan")
        if card.mode == "review":
            line.append(" · new" if card.state.is_new else f" · {card.state.state}", style="dim")
        c.print(line)
        c.print(literal(question.prompt))
        for letter, text in question.options:
            row = Text("  ")
            row.append(f"{letter}. ", style="bold")
            row.append_text(literal(text))
            c.print(row)
        if question.authored and question.kind is not Kind.OPEN:
            c.print(
                Text(
                    "Note: the source gives no key; this one is authored for csdrill.",
                    style="yellow",
                )
            )
        if question.note:
            note = Text("Note: ", style="yellow")
            note.append_text(literal(question.note, "yellow"))
            c.print(note)

    # ----------------------------------------------------------------- answers

    def _ask(self, card: Card) -> bool:
        while True:
            line = self.reader.read(answer_hint(card.question))
            if line is None or isinstance(line, TimedOut):
                return False
            step = self.engine.submit(card, line)
            if isinstance(step, Invalid):
                self.console.print(Text(f"  {step.hint}", style="yellow"))
                continue
            break
        if isinstance(step, Reveal):
            self._reveal(step)
            rating = self._self_rate(step.suggestion)
            outcome = self.engine.rate(step, rating)  # committed before anything more is shown
        else:
            outcome = step
            self._feedback(card.question, outcome.grade)
        self._next_due(outcome)
        return True

    def _feedback(self, question: Question, grade: Grade) -> None:
        c = self.console
        if grade.correct:
            c.print(Text("✓ Right 正确", style="bold green"))
        else:
            head = Text("✗ Wrong 错误", style="bold red")
            if grade.given:
                head.append("  you answered ", style="red")
                head.append_text(literal(grade.given, "red"))
            c.print(head)
            key = Text("Key: ", style="bold")
            key.append_text(key_text(question))
            c.print(key)
            diff = []
            if grade.missing:
                diff.append(f"Missing: {', '.join(grade.missing)}")
            if grade.extra:
                diff.append(f"Not in the key: {', '.join(grade.extra)}")
            if diff:
                c.print(Text(" · ".join(diff), style="red"))
        self._explain(question)

    def _explain(self, question: Question, coverage: Sequence[Coverage] | None = None) -> None:
        c = self.console
        points = [cov.point for cov in coverage] if coverage is not None else list(question.key_points)
        marks = [cov.covered for cov in coverage] if coverage is not None else None
        if points:
            c.print(Text("Key points 要点:", style="bold"))
            for i, point in enumerate(points):
                row = Text("  ")
                if marks is not None:
                    row.append("✓ " if marks[i] else "· ", style="green" if marks[i] else "dim")
                else:
                    row.append("- ")
                row.append_text(literal(point.point, "bold"))
                if point.detail:
                    row.append(": ")
                    row.append_text(literal(point.detail))
                c.print(row)
        if question.explanation:
            exp = Text("解析：", style="bold")
            exp.append_text(literal(question.explanation))
            c.print(exp)

    def _reveal(self, reveal: Reveal) -> None:
        c = self.console
        question = reveal.card.question
        c.print(Text("Model answer 参考答案:", style="bold"))
        if question.model_answer:
            c.print(literal(question.model_answer.rstrip()))
        else:
            c.print(Text("(no model answer in the source)", style="dim"))
        self._explain(question, reveal.coverage)
        if reveal.coverage:
            n = sum(1 for cov in reveal.coverage if cov.covered)
            c.print(
                Text(
                    f"Your answer seems to cover {n} of {len(reveal.coverage)} key points (✓).",
                    style="dim",
                )
            )

    def _self_rate(self, suggestion: Rating) -> Rating | None:
        """The rating typed; None for the suggestion (an empty line or end of input)."""
        prompt = (
            f"Rate yourself 1 Again · 2 Hard · 3 Good · 4 Easy [Enter = {int(suggestion)} {RATING_NAMES[suggestion]}]: "
        )
        while True:
            line = self.reader.read(prompt)
            if line is None or isinstance(line, TimedOut) or not line.strip():
                return None
            choice = line.strip()
            if choice in ("1", "2", "3", "4"):
                return Rating(int(choice))
            self.console.print(Text("  Type 1, 2, 3 or 4, or press Enter to accept the suggestion.", style="yellow"))

    def _next_due(self, outcome: Outcome) -> None:
        delta = self.engine.next_due_in(outcome)
        if delta is None:
            return
        self.console.print(Text(f"Rated {RATING_NAMES[outcome.rating]} · next in {human_delta(delta)}", style="dim"))


# --------------------------------------------------------------------------- summary


def print_summary(console: Console, outcomes: Sequence[Outcome], elapsed: float) -> None:
    """Score, points, a table per section, the questions missed, time taken."""
    console.print()
    answered = len(outcomes)
    right = sum(1 for o in outcomes if o.right)
    pct = f" ({round(100 * right / answered)}%)" if answered else ""
    console.print(Text(f"Score: {right}/{answered}{pct}", style="bold"))
    if not answered:
        console.print(Text(f"Time: {_clock(elapsed)}"))
        return
    possible = sum(o.question.points or 0 for o in outcomes)
    if possible:
        got = sum(o.question.points or 0 for o in outcomes if o.right)
        console.print(Text(f"Points: {got:g}/{possible:g}"))
    from rich.table import Table

    table = Table(header_style="bold", pad_edge=False)
    table.add_column("section", no_wrap=True, overflow="ignore")
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("right", justify="right", no_wrap=True)
    table.add_column("answered", justify="right", no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    rows: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        rows.setdefault((o.question.exam_id, o.section.id), []).append(o)
    several = len({exam_id for exam_id, _ in rows}) > 1
    for (exam_id, section_id), group in rows.items():
        sec = group[0].section
        got = sum(o.question.points or 0 for o in group if o.right)
        possible = sum(o.question.points or 0 for o in group)
        table.add_row(
            literal(f"{exam_id}/{section_id}" if several else section_id),
            literal(sec.title),
            Text(str(sum(1 for o in group if o.right))),
            Text(str(len(group))),
            Text(f"{got:g}/{possible:g}" if possible else "-"),
        )
    console.print(table)
    missed = [o for o in outcomes if not o.right]
    if missed:
        console.print(Text("Missed:", style="bold"))
        for o in missed:
            row = Text("  ")
            row.append_text(literal(o.question.uid, "cyan"))
            if o.question.kind is Kind.OPEN:
                row.append(f"  rated {RATING_NAMES[o.rating]}")
            else:
                row.append("  key: ")
                row.append(o.question.key, style="bold")
            row.append("  ")
            row.append_text(literal(_first_line(o.question.prompt)))
            console.print(row, no_wrap=True, overflow="ellipsis")
    console.print(Text(f"Time: {_clock(elapsed)}"))


def _first_line(text: str, width: int = 40) -> str:
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 1] + "…"


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 60}m {s % 60:02d}s" if s >= 60 else f"{s}s"


def nothing_due_message(queue: ReviewQueue, now: datetime) -> str:
    """When the next card is due and how many new cards wait."""
    next_due, waiting = queue.next_due, queue.new_waiting
    parts = []
    if next_due is not None:
        local = next_due.astimezone()
        parts.append(f"Next card due in {human_delta(next_due - now)} ({local:%Y-%m-%d %H:%M}).")
    else:
        parts.append("No card is scheduled yet.")
    if waiting:
        parts.append(f"{plural(waiting, 'new card')} wait; today's new-card limit is reached (use --new N for more).")
    return " ".join(parts)
