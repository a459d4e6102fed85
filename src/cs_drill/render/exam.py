"""What a mock exam looks like: the questions with the time left, the self-rating at the end, the result.

The view draws and reads; :class:`cs_drill.study.exam.Sitting` orders, scores and records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from cs_drill.bank.model import Exam, Kind
from cs_drill.i18n import _, ngettext
from cs_drill.render.console import LineReader, TimedOut, literal, mark
from cs_drill.render.drill import answer_hint, blank_marks, key_text, parse_rating, rating_prompt, wrong_blanks
from cs_drill.render.labels import KIND_LABELS, RATING_NAMES, points_text
from cs_drill.render.screen import QuestionScreen
from cs_drill.study.exam import Answer, Item, Refused, Sitting, TimeUp, points

if TYPE_CHECKING:
    from cs_drill.render.editor import Editor

__all__ = ["ExamView", "print_result"]

Show = Callable[[str], str]


def _same(text: str) -> str:
    return text


def _num(value: float) -> str:
    return f"{value:g}"


def _clock(seconds: float) -> str:
    from cs_drill.render.editor import clock_text

    return clock_text(seconds)


class ExamView(QuestionScreen):
    """Sits a mock exam: every question in turn, no feedback, then the open answers rated."""

    def __init__(
        self,
        console: Console,
        reader: LineReader,
        sitting: Sitting,
        exam: Exam,
        *,
        show: Show = _same,
        editor: Editor | None = None,
        think: float = 0.0,
        speak: float = 0.0,
    ) -> None:
        self.console = console
        self.reader = reader
        self.sitting = sitting
        self.exam = exam
        self.show = show
        self.editor = editor
        self.think = think
        self.speak = speak
        self._section: tuple[str, str] | None = None
        self.timed_out = False
        self._seen: set[int] = set()

    def run(self) -> None:
        """The questions, then the ratings of the open answers. Ctrl-C propagates."""
        self._intro()
        while (item := self.sitting.next_question()) is not None:
            self._show(item)
            if not self._ask(item):
                break
        self.timed_out = self.sitting.over()
        self.sitting.end()
        if self.timed_out:
            self.console.print(
                Text(_("Time is up: the exam is over; what is unanswered scores 0."), style="bold yellow")
            )
        self._rate_all()

    # ----------------------------------------------------------------- questions

    def _intro(self) -> None:
        from rich.rule import Rule

        c, s = self.console, self.sitting
        c.print()
        c.print(Rule(self._lit(self.exam.title, "bold"), style="cyan"))
        possible = sum(points(i.question, i.section) for i in s.items)
        parts = [
            ngettext("{n} question", "{n} questions", s.total).format(n=s.total),
            _("{points} points").format(points=_num(possible)),
        ]
        if s.limit is not None:
            parts.append(_("time {clock}").format(clock=_clock(s.limit)))
        parts.append(_("pass mark {percent}%").format(percent=_num(s.pass_mark)))
        c.print(Text(" · ".join(parts), style="bold"))
        c.print(
            Text(_("No feedback until the end. Empty line or /next: skip (it comes back at the end)."), style="dim")
        )

    def _show(self, item: Item) -> None:
        c = self.console
        question, section = item.question, item.section
        key = (question.exam_id, section.id)
        if key != self._section:
            self._section = key
            c.print()
            self._section_head(section, count=False)
        c.print()
        line = Text(f"[{item.position}/{self.sitting.total}] ", style="bold cyan")
        line.append(KIND_LABELS[question.kind], style="cyan")
        line.append(f" · {points_text(points(question, section))}", style="cyan")
        left = self.sitting.left()
        if left is not None:
            line.append(" · ")
            line.append(_("{clock} left").format(clock=_clock(left)), style="bold yellow")
        if item.position in self._seen:
            line.append(" · " + _("skipped before"), style="yellow")
        self._seen.add(item.position)
        c.print(line)
        self._prompt_and_options(question)
        self._note(question)

    def _read(self, item: Item) -> str | None:
        """A line for ``item``; None at end of input or when the time ran out.

        At a terminal every answer is typed in the editor, whose bottom line shows the time
        left as it runs and which sends what is typed when the time is up (the sitting then
        refuses it: the exam is over).
        """
        question = item.question
        if self.editor is not None:
            from cs_drill.render.editor import Countdown

            left = self.sitting.left()
            if question.kind is Kind.OPEN and self.think > 0:  # a mock interview: time to think first
                wait = self.think if left is None else min(self.think, left)
                if not self.editor.wait(_("Thinking… "), Countdown(wait, self.sitting.clock.monotonic)):
                    return None
                left = self.sitting.left()
            if question.kind is Kind.OPEN and self.speak > 0:  # … and the time to answer
                left = self.speak if left is None else min(self.speak, left)
            countdown = Countdown(left, self.sitting.clock.monotonic) if left is not None else None
            if question.kind is Kind.OPEN:
                help_line = _("Enter: send · Alt+Enter: new line · empty: skip")
                prompt = _("Your answer: ")
            else:
                help_line = _("Enter: send · empty or /next: skip")
                prompt = answer_hint(question)
            return self.editor.answer(prompt, help_line, countdown)
        line = self.reader.read(answer_hint(question), self.sitting.deadline())
        if line is None or isinstance(line, TimedOut):
            return None
        return line

    def _ask(self, item: Item) -> bool:
        """Ask until an answer or a skip is taken; False when the questions end (input or time)."""
        while True:
            line = self._read(item)
            if line is None:
                return False
            step = self.sitting.answer(item, line)
            if isinstance(step, Refused):
                self.console.print(Text(f"  {step.hint}", style="yellow"))
                continue
            return not isinstance(step, TimeUp)

    # ----------------------------------------------------------------- open answers

    def _rate_all(self) -> None:
        pending = self.sitting.to_rate()
        if not pending:
            return
        from rich.rule import Rule

        c = self.console
        c.print()
        c.print(Rule(Text(_("Rate your open answers"), style="bold"), style="cyan"))
        for answer in pending:
            self._rate(answer)

    def _rate(self, answer: Answer) -> None:
        c, question = self.console, answer.item.question
        c.print()
        c.print(Text(f"[{answer.item.position}/{self.sitting.total}]", style="bold cyan"))
        self._para(self._lit(question.prompt))
        c.print(Text(_("Your answer:"), style="bold"))
        self._para(literal(answer.text.rstrip()))
        c.print(Text(_("Model answer:"), style="bold"))
        if question.model_answer:
            self._para(self._lit(question.model_answer.rstrip()))
        else:
            c.print(Text(_("(the source gives no model answer: judge your answer yourself)"), style="dim"))
        self._explain(question)
        prompt = rating_prompt(answer.suggestion)
        while True:
            line = self.reader.read(prompt)
            if line is None or isinstance(line, TimedOut) or not line.strip():
                rating = None  # end of input or Enter: the suggestion
                break
            rating = parse_rating(line)
            if rating is not None:
                break
            c.print(Text("  " + _("Type 1, 2, 3 or 4, or press Enter to accept the suggestion."), style="yellow"))
        done = self.sitting.rate(answer, rating)
        assert done.rating is not None
        earned = self.sitting.earned(done.item)
        c.print(
            Text(
                _("Rated {rating}: {got}/{possible}").format(
                    rating=RATING_NAMES[done.rating],
                    got=_num(earned),
                    possible=_num(points(question, done.item.section)),
                ),
                style="dim",
            )
        )


# --------------------------------------------------------------------------- the result


def print_result(view: ExamView) -> None:
    """Points per section, ``Points: x/y``, ``Result: PASS|FAIL``, the time used, then what was missed."""
    from rich import box
    from rich.table import Table

    c, sitting, show = view.console, view.sitting, view.show
    result = sitting.result()
    c.print()
    table = Table(header_style="bold", pad_edge=False, box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column(_("section"), overflow="fold", ratio=1, min_width=8)
    table.add_column(_("answered"), justify="right", no_wrap=True)
    table.add_column(_("points"), justify="right", no_wrap=True)
    for row in result.sections:
        table.add_row(
            literal(show(row.section.title)),
            Text(f"{row.answered}/{row.total}"),
            Text(f"{_num(row.points)}/{_num(row.possible)}"),
        )
    c.print(table)
    # TRANSLATORS: a stable line scripts read in English ("Points: 38/45"): keep the numbers' form.
    c.print(
        Text(
            _("Points: {got}/{possible}").format(got=_num(result.points), possible=_num(result.possible)), style="bold"
        )
    )
    if result.passed:
        # TRANSLATORS: a stable line scripts read in English: the mock exam is passed.
        c.print(Text(_("Result: PASS"), style="bold green"))
    else:
        # TRANSLATORS: a stable line scripts read in English: the mock exam is failed.
        c.print(Text(_("Result: FAIL"), style="bold red"))
    c.print(
        Text(
            _("{percent}% of the points; pass mark {mark}%").format(
                percent=_num(round(result.percent, 1)), mark=_num(result.pass_mark)
            ),
            style="dim",
        )
    )
    used = _("Time used: {clock}").format(clock=_clock(result.seconds))
    if sitting.limit is not None:
        used += " / " + _clock(sitting.limit)
    c.print(Text(used))
    missed = sitting.missed()
    if not missed:
        return
    c.print()
    c.print(Text(_("Missed:"), style="bold"))
    for item, answer in missed:
        question = item.question
        head = Text(f"[{item.position}] ", style="bold cyan")
        head.append_text(literal(show(" ".join(question.prompt.split()))))
        c.print(head, no_wrap=True, overflow="ellipsis")
        got = sitting.earned(item)
        worth = points(question, item.section)
        given = Text("  ")
        if answer is None:
            given.append(_("not answered"), style="red")
        elif question.kind is Kind.OPEN:
            assert answer.rating is not None
            given.append(_("rated {rating}").format(rating=RATING_NAMES[answer.rating]), style="red")
        else:
            label = _("you answered")
            given.append(label + ("" if label.endswith("：") else " "), style="red")
            text = answer.grade.given or answer.text
            if question.kind is Kind.TRUE_FALSE and text in ("对", "错"):
                text = _("true") if text == "对" else _("false")
            given.append_text(literal(text, "red"))
        given.append(f"  {_num(got)}/{_num(worth)}", style="dim")
        c.print(given)
        if question.kind is not Kind.OPEN:
            key = Text("  " + _("Key: "), style="bold")
            marks = blank_marks(answer.grade, c) if answer is not None else None
            key.append_text(key_text(question, show, marks))
            view._para(key, 2)
            blanks = wrong_blanks(answer.grade) if answer is not None else None
            if blanks:
                c.print(Text("  " + blanks, style="red"))
            if answer is not None and (answer.grade.missing or answer.grade.extra):
                diff = []
                if answer.grade.missing:
                    diff.append(_("Missing: {letters}").format(letters=", ".join(answer.grade.missing)))
                if answer.grade.extra:
                    diff.append(_("Not in the key: {letters}").format(letters=", ".join(answer.grade.extra)))
                c.print(Text("  " + " · ".join(diff), style="red"))
        elif answer is None and question.model_answer:
            c.print(Text("  " + _("Model answer:"), style="bold"))
            view._para(view._lit("  " + question.model_answer.rstrip().replace("\n", "\n  ")), 2)
        if question.explanation:
            exp = Text("  " + _("Explanation: "), style="bold")
            exp.append_text(view._lit(question.explanation))
            view._para(exp, 2)
    c.print(Text(mark("✓", c) + " " + _("Every answer is saved and feeds the schedule."), style="dim"))
