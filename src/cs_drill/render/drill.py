"""What a drill looks like: the card, the feedback, the rehearsal of open questions, the summary.

Every bank string is rendered as ``rich.text.Text`` (through ``show`` when the
learner asked for another script). Every other string comes from the message
catalog. Views draw; the engine (``study.drill``) grades, rates and records.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from rich.console import Console
from rich.text import Text

from cs_drill.bank.model import Exam, Kind, Question
from cs_drill.i18n import _, ngettext
from cs_drill.render.console import LineReader, TimedOut, fold, literal, mark
from cs_drill.render.labels import (
    KIND_LABELS,
    RATING_NAMES,
    STATE_NAMES,
    human_delta,
    points_text,
    rating_choice,
)
from cs_drill.render.screen import QuestionScreen
from cs_drill.study.card import Rating
from cs_drill.study.drill import Card, Drill, Invalid, Outcome, Reveal, Starred, Undone

if TYPE_CHECKING:
    from cs_drill.render.editor import Editor
    from cs_drill.study.assess.grading import Grade
    from cs_drill.study.select import Outlook, ReviewQueue

__all__ = [
    "KIND_LABELS",
    "RATING_NAMES",
    "DrillView",
    "Rehearsal",
    "answer_hint",
    "human_delta",
    "key_text",
    "nothing_due_message",
    "print_summary",
]

Show = Callable[[str], str]
"""Bank text as displayed (the script conversion of ``--script``; the identity by default)."""


def _same(text: str) -> str:
    return text


class Rehearsal(NamedTuple):
    """How open questions are rehearsed at a terminal: the editor, and the think and answer times (seconds)."""

    editor: Editor
    think: float = 0.0
    speak: float = 0.0


def answer_hint(question: Question) -> str:
    """The prompt of a question: what to type."""
    letters = question.letters
    if question.kind is Kind.SINGLE:
        return _("Answer ({first}–{last}): ").format(first=letters[0], last=letters[-1])
    if question.kind is Kind.MULTI:
        example = letters[0] + letters[min(2, len(letters) - 1)]
        return _("Answer (all that apply, e.g. {example}): ").format(example=example)
    if question.kind is Kind.TRUE_FALSE:
        return _("Answer (t/f, 对/错): ")
    if question.kind is Kind.FILL_IN:
        count = len(question.blanks)
        if count <= 1:
            return _("Answer (the blank): ")
        return ngettext("Answer ({n} blank): ", "Answer ({n} blanks, separated by ；): ", count).format(n=count)
    return _("Your answer (one line): ")


def key_text(question: Question, show: Show = _same, marks: Sequence[str] | None = None) -> Text:
    """The right answer of a choice, true-false or fill-in question: the key, then its options; for
    fill-in, each blank's text and its alternatives (several blanks: the key, then one blank a line,
    numbered, after its mark in ``marks`` when given: ✓ or ✗)."""
    if question.kind is Kind.TRUE_FALSE:
        return Text(_("true (√)") if question.truth else _("false (×)"), style="bold")
    if question.kind is Kind.FILL_IN:
        return _blanks_key(question, show, marks)
    out = Text(question.key, style="bold")
    for letter in question.correct:
        out.append("\n  ")
        out.append(f"{letter}. ", style="bold")
        out.append_text(literal(show(question.option_text(letter))))
    return out


def _blanks_key(question: Question, show: Show, marks: Sequence[str] | None) -> Text:
    several = len(question.blanks) > 1
    out = literal(show(question.key), "bold") if several else Text()
    for n, accepted in enumerate(question.blanks, 1):
        if several:
            out.append("\n  ")
            if marks is not None:
                out.append(marks[n - 1] + " ")
            out.append(f"({n}) ", style="bold")
        out.append_text(literal(show(accepted[0]), "bold"))
        if len(accepted) > 1:
            # TRANSLATORS: after a blank's key, the other texts accepted for it, e.g. "签收 (also: 收货 / 已收货)".
            before, _texts, after = _(" (also: {texts})").partition("{texts}")
            out.append(before)
            out.append_text(literal(show(" / ".join(accepted[1:]))))
            out.append(after)
    return out


def blank_marks(grade: Grade, console: Console) -> list[str] | None:
    """✓ or ✗ for each blank of a fill-in answer of several blanks (None: not one)."""
    if len(grade.blanks) < 2:
        return None
    return [mark("✓" if right else "✗", console) for right in grade.blanks]


def wrong_blanks(grade: Grade) -> str | None:
    """``Wrong blanks: 2, 3`` for a fill-in answer of several blanks with some wrong (None: otherwise)."""
    wrong = [str(n) for n, right in enumerate(grade.blanks, 1) if not right]
    if len(grade.blanks) < 2 or not wrong:
        return None
    # TRANSLATORS: {numbers} are the numbers of the blanks answered wrong, e.g. "2, 3".
    return ngettext("Wrong blank: {numbers}", "Wrong blanks: {numbers}", len(wrong)).format(numbers=", ".join(wrong))


def parse_ticks(line: str, total: int, preset: Sequence[int]) -> list[int] | None:
    """The items ticked on a checklist of ``total`` items, 1-based; None when the line is not a list of them.

    Empty: the pre-ticked ``preset``; ``0`` or ``-``: none; ``a`` / ``all`` / ``全``: all; else
    numbers separated by spaces or commas (full-width digits too): ``1 3 4``, ``1,3``, ``134``
    (when every item number is one digit).
    """
    import unicodedata

    text = unicodedata.normalize("NFKC", line).strip().casefold()
    if not text:
        return sorted(preset)
    if text in ("0", "-", "none", "无", "無"):
        return []
    if text in ("a", "all", "全", "全部"):
        return list(range(1, total + 1))
    for sep in ",、;，；":
        text = text.replace(sep, " ")
    parts = text.split()
    if len(parts) == 1 and parts[0].isdigit() and total < 10 and len(parts[0]) > 1:
        parts = list(parts[0])
    ticked: set[int] = set()
    for part in parts:
        if not part.isdigit():
            return None
        n = int(part)
        if not 1 <= n <= total:
            return None
        ticked.add(n)
    return sorted(ticked)


def rating_prompt(suggestion: Rating | None) -> str:
    """The self-rating prompt, with the suggested rating Enter accepts."""
    if suggestion is None:
        return _("Rate yourself {choices}: ").format(choices=rating_choice())
    return _("Rate yourself {choices} [Enter = {n} {name}]: ").format(
        choices=rating_choice(), n=int(suggestion), name=RATING_NAMES[suggestion]
    )


def parse_rating(line: str) -> Rating | None:
    """``1``–``4`` (full-width digits too) as a rating; None for anything else."""
    import unicodedata

    text = unicodedata.normalize("NFKC", line).strip()
    return Rating(int(text)) if text in ("1", "2", "3", "4") else None


class DrillView(QuestionScreen):
    """Draws a drill run and reads its answers; the engine grades, rates and records."""

    def __init__(
        self,
        console: Console,
        reader: LineReader,
        engine: Drill,
        exams: Sequence[Exam],
        *,
        show: Show = _same,
        rehearsal: Rehearsal | None = None,
    ) -> None:
        self.console = console
        self.reader = reader
        self.engine = engine
        self.show = show
        self.rehearsal = rehearsal
        self._by_id = {e.id: e for e in exams}
        self._exam: str | None = None
        self._sections_seen: set[tuple[str, str]] = set()

    def run(self) -> None:
        """Ask every card in turn; return at end of input. Ctrl-C propagates."""
        if self.reader.interactive:
            self.console.print(Text(_("At any answer: ? I don't know · /undo take back · /star mark"), style="dim"))
        while (card := self.engine.next_card()) is not None:
            self._show(card)
            if self.reader.interactive:  # a person reads now; piped answers come at once
                self.engine.shown(card)
            if not self._ask(card):
                return

    # ----------------------------------------------------------------- screen

    def _show(self, card: Card) -> None:
        c = self.console
        question, section = card.question, card.section
        exam = self._by_id[question.exam_id]
        if exam.id != self._exam:
            self._exam = exam.id
            self._exam_rule(exam.title)
        key = (exam.id, section.id)
        if key not in self._sections_seen:
            self._sections_seen.add(key)
            self._section_head(section)
        c.print()
        line = Text(f"[{card.position}/{card.total}] ", style="bold cyan")
        line.append(KIND_LABELS[question.kind], style="cyan")
        if question.points is not None:
            line.append(f" · {points_text(question.points)}", style="cyan")
        if card.again:
            line.append(" · " + _("once more"), style="yellow")
        if card.mode == "review":
            state = STATE_NAMES["new"] if card.state.is_new else STATE_NAMES.get(card.state.state, card.state.state)
            line.append(f" · {state}", style="dim")
        c.print(line)
        self._prompt_and_options(question)
        if question.authored and question.kind is not Kind.OPEN:
            self._para(Text(_("Note: the source gives no key; this one is authored for csdrill."), style="yellow"))
        self._note(question)

    # ----------------------------------------------------------------- answers

    def _ask(self, card: Card) -> bool:
        if card.question.kind is Kind.OPEN and self.rehearsal is not None:
            return self._rehearse(card, self.rehearsal)
        while True:
            line = self.reader.read(answer_hint(card.question))
            if line is None or isinstance(line, TimedOut):
                return False
            step = self.engine.submit(card, line)
            if isinstance(step, Invalid):
                self.console.print(Text(f"  {step.hint}", style="yellow"))
                continue
            if isinstance(step, Starred):
                self._starred(step)
                continue
            break
        if isinstance(step, Undone):
            self._undone(step)
            return True
        if isinstance(step, Reveal):
            self._reveal(step)
            rating = self._self_rate(step.suggestion)
            outcome = self.engine.rate(step, rating)  # committed before anything more is shown
        elif step.unknown:
            outcome = step
            self._unknown(card.question)
        else:
            outcome = step
            self._feedback(card.question, outcome.grade)
        self._next_due(outcome)
        return True

    def _starred(self, step: Starred) -> None:
        text = _("★ Starred (收藏): drill the starred ones with --only starred.") if step.on else _("Star taken off.")
        self.console.print(Text("  " + text, style="yellow"))

    def _undone(self, step: Undone) -> None:
        self.console.print(
            Text(_("Answer taken back: the previous question again."), style="yellow"),
        )

    def _unknown(self, question: Question) -> None:
        """``?``: no verdict, only what to remember."""
        c = self.console
        c.print(Text(_("Not yet known: remember the answer (rated Again)."), style="bold yellow"))
        if question.kind is Kind.OPEN:
            if question.model_answer:
                c.print(Text(_("Model answer:"), style="bold"))
                self._para(self._lit(question.model_answer.rstrip()))
        else:
            key = Text(_("Key: "), style="bold")
            key.append_text(key_text(question, self.show))
            self._para(key)
        self._explain(question)

    def _feedback(self, question: Question, grade: Grade) -> None:
        c = self.console
        if grade.correct:
            c.print(Text(mark("✓", c) + " " + _("Right"), style="bold green"))
        else:
            head = Text(mark("✗", c) + " " + _("Wrong"), style="bold red")
            if grade.given:
                label = _("you answered")
                head.append("  " + label + ("" if label.endswith("：") else " "), style="red")
                given = grade.given
                if question.kind is Kind.TRUE_FALSE:
                    given = _("true") if given == "对" else _("false")
                head.append_text(literal(given, "red"))
            c.print(head)
            key = Text(_("Key: "), style="bold")
            key.append_text(key_text(question, self.show, blank_marks(grade, c)))
            self._para(key)
            diff = []
            blanks = wrong_blanks(grade)
            if blanks:
                diff.append(blanks)
            if grade.missing:
                diff.append(_("Missing: {letters}").format(letters=", ".join(grade.missing)))
            if grade.extra:
                diff.append(_("Not in the key: {letters}").format(letters=", ".join(grade.extra)))
            if diff:
                c.print(Text(" · ".join(diff), style="red"))
        self._explain(question)

    # ----------------------------------------------------------------- open questions

    def _model_answer(self, reveal: Reveal) -> None:
        c = self.console
        question = reveal.card.question
        c.print(Text(_("Model answer:"), style="bold"))
        if question.model_answer:
            self._para(self._lit(question.model_answer.rstrip()))
        else:
            c.print(Text(_("(the source gives no model answer: judge your answer yourself)"), style="dim"))
        best = reveal.best
        if best and best.strip() != reveal.answer.strip():
            c.print(Text(_("Your best answer so far:"), style="bold"))
            self._para(literal(best.rstrip(), "dim"))

    def _checklist(self, reveal: Reveal, marks: Sequence[bool] | None) -> None:
        """The rubric, numbered; ``marks``: ✓ where the answer seems to cover an item (None: no marks)."""
        c = self.console
        items = reveal.coverage
        derived = any(getattr(cov.point, "derived", False) for cov in items)
        title = _("Checklist (derived from the model answer, not from the source):") if derived else _("Key points:")
        c.print(Text(title, style="bold"))
        for i, cov in enumerate(items, 1):
            row = Text(f"  {i}. " if marks is None else f"  {i} ")
            if marks is not None:
                row.append("[" + (mark("✓", c) if marks[i - 1] else " ") + "] ", style="green" if marks[i - 1] else "")
            hang = row.cell_len
            row.append_text(self._lit(cov.point.point, "bold"))
            if cov.point.detail:
                row.append(_(": "))
                row.append_text(self._lit(cov.point.detail))
            self._para(row, hang)
        self._explanation(reveal.card.question)

    def _reveal(self, reveal: Reveal) -> None:
        """The piped form: model answer, key points with ✓ where the answer seems to cover them."""
        c = self.console
        self._model_answer(reveal)
        question = reveal.card.question
        if reveal.coverage:
            c.print(Text(_("Key points:"), style="bold"))
            for cov in reveal.coverage:
                row = Text("  ")
                row.append(mark("✓", c) + " " if cov.covered else "· ", style="green" if cov.covered else "dim")
                row.append_text(self._lit(cov.point.point, "bold"))
                if cov.point.detail:
                    row.append(_(": "))
                    row.append_text(self._lit(cov.point.detail))
                self._para(row, 4)
            self._explanation(question)
            n = sum(1 for cov in reveal.coverage if cov.covered)
            total = len(reveal.coverage)
            c.print(
                Text(
                    ngettext(
                        "Your answer seems to cover {n} of {total} key point (✓).",
                        "Your answer seems to cover {n} of {total} key points (✓).",
                        total,
                    ).format(n=n, total=total),
                    style="dim",
                )
            )
        else:
            self._explanation(question)
        if reveal.reason:
            c.print(Text(reveal.reason, style="dim"))

    def _rehearse(self, card: Card, rehearsal: Rehearsal) -> bool:
        """An open question at a terminal: think, answer (typed or aloud), reveal, tick the checklist, rate."""
        from cs_drill.render.editor import Countdown, clock_text

        editor, c = rehearsal.editor, self.console
        if rehearsal.think > 0:
            c.print(Text(_("Think it through first; Enter to answer now."), style="dim"))
            if not editor.wait(_("Thinking… "), Countdown(rehearsal.think, editor.monotonic)):
                return False
        if rehearsal.speak > 0:  # the countdown takes room on the line: the short form
            help_line = _("Enter: send · Alt+Enter: new line · empty: said aloud")
        else:
            help_line = _("Enter: send · Alt+Enter: new line · Ctrl+X Ctrl+E: editor · empty: said aloud")
        if rehearsal.speak > 0:
            c.print(
                Text(
                    _("Answer within {clock}, aloud or typed; Enter when done.").format(
                        clock=clock_text(rehearsal.speak)
                    ),
                    style="dim",
                )
            )
        countdown = Countdown(rehearsal.speak, editor.monotonic) if rehearsal.speak > 0 else None
        text = editor.answer(_("Your answer: "), help_line, countdown)
        if text is None:
            return False
        if countdown is not None and countdown.over():
            c.print(Text(_("Time is up: your answer was sent."), style="yellow"))
        if not text.strip():
            c.print(Text(_("(answered aloud)"), style="dim"))
        step = self.engine.submit(card, text)
        while isinstance(step, (Starred, Invalid)):
            if isinstance(step, Starred):
                self._starred(step)
            else:
                self.console.print(Text(f"  {step.hint}", style="yellow"))
            text = editor.answer(_("Your answer: "), help_line, countdown)
            if text is None:
                return False
            step = self.engine.submit(card, text)
        if isinstance(step, Undone):
            self._undone(step)
            return True
        if not isinstance(step, Reveal):  # "?": nothing to check
            self._unknown(card.question)
            self._next_due(step)
            return True
        self._model_answer(step)
        suggestion: Rating | None = step.suggestion
        if step.coverage:
            # a tick is a claim about one item: only what the answer says about that item pre-ticks it
            marks = [getattr(cov, "direct", cov.covered) for cov in step.coverage]
            preset = [i for i, mark_ in enumerate(marks, 1) if mark_]
            self._checklist(step, marks)
            ticked = self._ticks(len(step.coverage), preset)
            if ticked is None:
                return False
            suggestion = self.engine.tick_rating(step, len(ticked))
            c.print(
                Text(
                    _("{n} of {total} ticked → {rating}").format(
                        n=len(ticked), total=len(step.coverage), rating=RATING_NAMES[suggestion]
                    ),
                    style="bold",
                )
            )
            if step.reason and text.strip():  # what the checklist cannot see: a broken rule, a denied point …
                c.print(Text(step.reason, style="yellow"))
        else:  # nothing to check against: the learner rates, with no default
            suggestion = None
            self._explanation(card.question)
            if step.reason:
                c.print(Text(step.reason, style="dim"))
        rating = self._self_rate(suggestion)
        if rating is None and suggestion is None:
            return False
        outcome = self.engine.rate(step, rating if rating is not None else suggestion)
        self._next_due(outcome)
        return True

    def _ticks(self, total: int, preset: Sequence[int]) -> list[int] | None:
        prompt = _("Which did you cover? Numbers such as 1 3 (Enter: the ✓ ones, 0: none, a: all): ")
        while True:
            line = self.reader.read(prompt)
            if line is None or isinstance(line, TimedOut):
                return None
            ticked = parse_ticks(line, total, preset)
            if ticked is not None:
                return ticked
            self.console.print(
                Text("  " + _("Type item numbers from 1 to {total}, 0 for none.").format(total=total), style="yellow")
            )

    def _self_rate(self, suggestion: Rating | None) -> Rating | None:
        """The rating typed; None for the suggestion (an empty line or end of input)."""
        prompt = rating_prompt(suggestion)
        while True:
            line = self.reader.read(prompt)
            if line is None or isinstance(line, TimedOut):
                return None
            if not line.strip() and suggestion is not None:
                return None
            rating = parse_rating(line)
            if rating is not None:
                return rating
            hint = _("Type 1, 2, 3 or 4, or press Enter to accept the suggestion.")
            if suggestion is None:
                hint = _("Type 1, 2, 3 or 4.")
            self.console.print(Text(f"  {hint}", style="yellow"))

    def _next_due(self, outcome: Outcome) -> None:
        if self.engine.mode == "practice":  # the schedule is left alone
            return
        delta = self.engine.next_due_in(outcome)
        if delta is None:
            return
        self.console.print(
            Text(
                _("Rated {rating} · next in {delta}").format(
                    rating=RATING_NAMES[outcome.rating], delta=human_delta(delta)
                ),
                style="dim",
            )
        )


# --------------------------------------------------------------------------- summary

WIDE = 120
"""From this terminal width on, summaries show ids beside the titles."""


def print_summary(
    console: Console,
    outcomes: Sequence[Outcome],
    elapsed: float,
    exams: Sequence[Exam] = (),
    outlook: Outlook | None = None,
    show: Show = _same,
) -> None:
    """Score, points, a table per section, the questions missed, time taken, what to do next."""
    console.print()
    answered = len(outcomes)
    right = sum(1 for o in outcomes if o.right)
    if answered:
        # TRANSLATORS: a stable line scripts read in English ("Score: 7/9 (78%)"): keep the numbers' form.
        score = _("Score: {right}/{answered} ({percent}%)").format(
            right=right, answered=answered, percent=round(100 * right / answered)
        )
    else:
        score = _("Score: {right}/{answered}").format(right=right, answered=answered)
    console.print(Text(score, style="bold"))
    if not answered:
        console.print(Text(_("Time: {clock}").format(clock=_clock(elapsed))))
        _print_outlook(console, outlook)
        return
    possible = sum(o.question.points or 0 for o in outcomes)
    if possible:
        got = sum(o.question.points or 0 for o in outcomes if o.right)
        console.print(Text(_("Points: {got}/{possible}").format(got=f"{got:g}", possible=f"{possible:g}")))
    wide = console.width >= WIDE
    titles = {e.id: e.title for e in exams}
    rows: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        rows.setdefault((o.question.exam_id, o.section.id), []).append(o)
    several = len({exam_id for exam_id, _ in rows}) > 1

    from rich import box
    from rich.table import Table

    table = Table(header_style="bold", pad_edge=False, box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column(_("section"), overflow="fold", ratio=1, min_width=8)
    if wide:
        table.add_column(_("id"), no_wrap=True, overflow="ignore")
    table.add_column(_("right"), justify="right", no_wrap=True)
    table.add_column(_("answered"), justify="right", no_wrap=True)
    table.add_column(_("points"), justify="right", no_wrap=True)
    for (exam_id, section_id), group in rows.items():
        sec = group[0].section
        got = sum(o.question.points or 0 for o in group if o.right)
        possible = sum(o.question.points or 0 for o in group)
        title = literal(show(sec.title))
        if several:
            title = literal(show(titles.get(exam_id, exam_id)) + " · ").append_text(title)
        cells = [title]
        if wide:
            cells.append(literal(f"{exam_id}/{section_id}" if several else section_id, "dim"))
        cells += [
            Text(str(sum(1 for o in group if o.right))),
            Text(str(len(group))),
            Text(f"{got:g}/{possible:g}" if possible else "-"),
        ]
        table.add_row(*cells)
    console.print(table)
    missed = [o for o in outcomes if not o.right]
    if missed:
        console.print(Text(_("Missed:"), style="bold"))
        for o in missed:
            row = Text("  ")
            if wide:
                row.append_text(literal(o.question.uid, "cyan"))
                row.append("  ")
            if o.question.kind is Kind.OPEN:
                row.append(_("rated {rating}").format(rating=RATING_NAMES[o.rating]), style="bold")
            else:
                row.append(_("key: "))
                row.append(o.question.key if o.question.kind is not Kind.TRUE_FALSE else key_text(o.question).plain)
            row.append("  ")
            row.append_text(literal(show(" ".join(o.question.prompt.split()))))
            console.print(row, no_wrap=True, overflow="ellipsis")
    console.print(Text(_("Time: {clock}").format(clock=_clock(elapsed))))
    _print_outlook(console, outlook)


def _print_outlook(console: Console, outlook: Outlook | None) -> None:
    """What to do next: the cards due now or later today, tomorrow's estimate, the command to run."""
    if outlook is None:
        return
    parts = []
    if outlook.due_now:
        parts.append(
            ngettext("{n} card is due now.", "{n} cards are due now.", outlook.due_now).format(n=outlook.due_now)
        )
    if outlook.due_later_today:
        n = outlook.due_later_today
        parts.append(ngettext("{n} more comes due later today.", "{n} more come due later today.", n).format(n=n))
    if outlook.due_tomorrow:
        parts.append(
            ngettext("About {n} card tomorrow.", "About {n} cards tomorrow.", outlook.due_tomorrow).format(
                n=outlook.due_tomorrow
            )
        )
    else:
        parts.append(_("Nothing due tomorrow yet."))
    if outlook.new_waiting:
        n = outlook.new_waiting
        if outlook.new_today:
            parts.append(
                ngettext(
                    "{n} new question waits ({today} of them today).",
                    "{n} new questions wait ({today} of them today).",
                    n,
                ).format(n=n, today=outlook.new_today)
            )
        else:
            parts.append(
                ngettext(
                    "{n} new question waits; today's new ones are done.",
                    "{n} new questions wait; today's new ones are done.",
                    n,
                ).format(n=n)
            )
    if outlook.due_now or outlook.new_today:
        parts.append(_("Next: run {command}").format(command="csdrill review"))
    console.print(fold(Text(_sentences(parts), style="dim"), console.width), soft_wrap=True)


def _sentences(parts: Sequence[str]) -> str:
    """Sentences one after another: a space between them in English, none in Chinese."""
    # TRANSLATORS: two sentences one after the other; Chinese needs no space between them.
    return functools.reduce(lambda a, b: _("{first} {second}").format(first=a, second=b), parts)


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    if s >= 60:
        return _("{m}m {s:02d}s").format(m=s // 60, s=s % 60)
    return _("{s}s").format(s=s)


def nothing_due_message(queue: ReviewQueue, now: datetime, held_back: str | None = None) -> str:
    """When the next card is due and how many new cards wait; ``held_back``: the option that keeps them
    back (``--new 0``), when it is that and not today's new-card limit."""
    next_due, waiting = queue.next_due, queue.new_waiting
    parts = []
    if next_due is not None:
        local = next_due.astimezone()
        parts.append(
            _("Next card due in {delta} ({when}).").format(
                delta=human_delta(next_due - now), when=f"{local:%Y-%m-%d %H:%M}"
            )
        )
    else:
        parts.append(_("No card is scheduled yet."))
    if waiting and held_back:
        parts.append(
            ngettext(
                "{n} new card waits: {option} holds it back.",
                "{n} new cards wait: {option} holds them back.",
                waiting,
            ).format(n=waiting, option=held_back)
        )
    elif waiting:
        parts.append(
            ngettext(
                "{n} new card waits; today's new-card limit is reached (use --new N for more).",
                "{n} new cards wait; today's new-card limit is reached (use --new N for more).",
                waiting,
            ).format(n=waiting)
        )
    return _sentences(parts)
