"""Rich rendering and prompts. Every bank string is rendered as ``rich.text.Text``."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TextIO

from rich.console import Console
from rich.text import Text

from cs_drill.bank.model import ExamInfo, Kind, Question, Rating, SectionInfo
from cs_drill._gc import resume
from cs_drill.text import clean, plural

if TYPE_CHECKING:
    from cs_drill.study.assess import grading
    from cs_drill.study.select import Clock, HasKind, Outcome, Recorder, ReviewQueue


def literal(value: object, style: str = "") -> Text:
    """Bank text as Rich Text: never markup, never a terminal control sequence."""
    return Text(clean(str(value)), style=style)


def print_validation_summary(console: Console, exams: Sequence[ExamInfo]) -> None:
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


def print_bank_table(
    console: Console, exams: Sequence[ExamInfo], due: Mapping[tuple[str, str], int] | None = None
) -> None:
    """The table of ``csdrill list``: ids are never truncated or folded."""
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold", pad_edge=False)
    table.add_column("id", no_wrap=True, overflow="ignore")
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("kind", no_wrap=True)
    table.add_column("count", justify="right", no_wrap=True)
    table.add_column("due", justify="right", no_wrap=True)
    for exam in exams:
        exam_due = (
            sum(due.get((exam.id, s.id), 0) for s in exam.sections) if due is not None else None
        )
        table.add_row(
            literal(exam.id, "bold cyan"),
            literal(exam.title, "bold"),
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


# --------------------------------------------------------------------------- drills

RATING_NAMES = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}
KIND_LABELS = {
    Kind.SINGLE: "single choice",
    Kind.MULTI: "multiple choice",
    Kind.TRUE_FALSE: "true or false",
    Kind.OPEN: "open question",
}


class LineReader:
    """One answer per line from standard input; None at end of input.

    At a terminal the prompt is shown by ``input()`` (line editing works); from a
    pipe the prompt and the answer read are echoed, so that a transcript reads well.
    """

    def __init__(self, console: Console, stream: TextIO | None = None, interactive: bool | None = None) -> None:
        self.console = console
        self.stream = stream if stream is not None else sys.stdin
        if interactive is None:
            try:
                interactive = self.stream.isatty()
            except (AttributeError, ValueError):
                interactive = False
        self.interactive = interactive

    def read(self, prompt: str) -> str | None:
        resume()  # start-up is over: the program waits for the user now
        if self.interactive:
            try:
                return self.console.input(Text(prompt, style="bold"))
            except EOFError:
                self.console.print()
                return None
        self.console.print(Text(prompt, style="bold"), end="")
        line = self.stream.readline()
        if not line:
            self.console.print()
            return None
        line = line.rstrip("\r\n")
        self.console.print(literal(line))
        return line


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


class Drill:
    """A run of questions: show, read, grade, record, explain; the outcomes so far.

    ``refs`` gives the uid and kind of every question (default: ``questions``).
    """

    def __init__(
        self,
        console: Console,
        reader: LineReader,
        recorder: Recorder,
        clock: Clock,
        exams: Sequence[ExamInfo],
        questions: Sequence[Question],
        mode: str = "quiz",
        refs: Sequence[HasKind] | None = None,
    ) -> None:
        self.console = console
        self.reader = reader
        self.recorder = recorder
        self.clock = clock
        self.exams = exams
        self.questions = questions
        self.mode = mode
        self.refs = refs
        self.outcomes: list[Outcome] = []
        self.shown = 0
        self.started = time.monotonic()
        self._exam: str | None = None
        self._sections_seen: set[tuple[str, str]] = set()
        self._by_id: dict[str, ExamInfo] = {}

    def run(self) -> None:
        """Ask every question in turn; return at end of input. Ctrl-C propagates."""
        self._by_id = {e.id: e for e in self.exams}
        total = len(self.questions)
        for index in range(total):
            question = self.questions[index]
            section = self._by_id[question.exam_id].section(question.section_id)
            self._show(question, section, index + 1, total)
            self.shown = index + 1
            if not self._ask(question, section):
                return

    # ----------------------------------------------------------------- screen

    def _show(self, question: Question, section: SectionInfo, index: int, total: int) -> None:
        c = self.console
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
            head.append(f"  ({section.question_count} × {format_points(section.points)})" if section.points is not None else "")
            c.print(head)
            if section.instructions:
                c.print(literal(section.instructions, "dim"))
        c.print()
        line = Text(f"[{index}/{total}] ", style="bold cyan")
        line.append(KIND_LABELS[question.kind], style="cyan")
        if question.points is not None:
            line.append(f" · {format_points(question.points)}", style="cyan")
        if self.mode == "review":
            state = self.recorder.state(question)
            line.append(" · new" if state.is_new else f" · {state.state}", style="dim")
        c.print(line)
        c.print(literal(question.prompt))
        for letter, text in question.options:
            row = Text("  ")
            row.append(f"{letter}. ", style="bold")
            row.append_text(literal(text))
            c.print(row)
        if question.authored and question.kind is not Kind.OPEN:
            c.print(Text("Note: the source gives no key; this one is authored for csdrill.", style="yellow"))
        if question.note:
            note = Text("Note: ", style="yellow")
            note.append_text(literal(question.note, "yellow"))
            c.print(note)

    # ----------------------------------------------------------------- answers

    def _ask(self, question: Question, section: SectionInfo) -> bool:
        shown_at = time.monotonic()
        while True:
            line = self.reader.read(answer_hint(question))
            if line is None:
                return False
            from cs_drill.study.assess import grading  # once an answer is typed: not before the first question

            try:
                parsed = grading.parse_answer(question, line)
            except grading.InvalidAnswer as exc:
                self.console.print(Text(f"  {exc.hint}", style="yellow"))
                continue
            break
        duration_ms = int((time.monotonic() - shown_at) * 1000) if self.reader.interactive else None
        grade = grading.grade(question, parsed)
        if question.kind is Kind.OPEN:
            rating = self._self_rate(question, line)
        else:
            refs = self.refs if self.refs is not None else self.questions
            rating = self.recorder.rating_for(grade, duration_ms, self.recorder.typical_ms(question, refs))
            self._feedback(question, grade)
        outcome = self.recorder.record(
            question, section, grade, rating, answer=line, duration_ms=duration_ms, now=self.clock.now()
        )
        self.outcomes.append(outcome)
        self._next_due(outcome)
        return True

    def _feedback(self, question: Question, grade: grading.Grade) -> None:
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

    def _explain(self, question: Question, marks: Sequence[bool] | None = None) -> None:
        from cs_drill.study.assess import grading

        c = self.console
        points = grading.rubric(question) if marks is not None else question.key_points
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

    def _self_rate(self, question: Question, typed: str) -> Rating:
        from cs_drill.study.assess import grading

        c = self.console
        c.print(Text("Model answer 参考答案:", style="bold"))
        if question.model_answer:
            c.print(literal(question.model_answer.rstrip()))
        else:
            c.print(Text("(no model answer in the source)", style="dim"))
        covered = grading.coverage(question, typed)
        self._explain(question, [cov.covered for cov in covered])
        suggestion = grading.suggest_rating(question, typed, covered)
        if covered:
            n = sum(1 for cov in covered if cov.covered)
            c.print(Text(f"Your answer seems to cover {n} of {len(covered)} key points (✓).", style="dim"))
        prompt = (
            f"Rate yourself 1 Again · 2 Hard · 3 Good · 4 Easy "
            f"[Enter = {int(suggestion)} {RATING_NAMES[suggestion]}]: "
        )
        while True:
            line = self.reader.read(prompt)
            if line is None or not line.strip():
                return suggestion
            choice = line.strip()
            if choice in ("1", "2", "3", "4"):
                return Rating(int(choice))
            c.print(Text("  Type 1, 2, 3 or 4, or press Enter to accept the suggestion.", style="yellow"))

    def _next_due(self, outcome: Outcome) -> None:
        due = outcome.after.due
        if due is None:
            return
        when = human_delta(due - self.clock.now())
        self.console.print(Text(f"Rated {RATING_NAMES[outcome.rating]} · next in {when}", style="dim"))


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
