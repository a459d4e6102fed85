"""What ``csdrill browse`` (背题) looks like: each question with its answer, one after another.

Nothing is asked, graded or recorded: a question is drawn with its key (the letters
and the options' text), or its model answer, its key points, its 解析 and its note.
At a terminal the learner presses Enter for the next one (``q`` or end of input
stops); otherwise every question is printed without waiting. The pieces a drill
shows (the key, folding, literal bank text, the labels) are ``render.drill``'s.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence

from rich.console import Console
from rich.text import Text

from cs_drill.bank.model import Exam, Kind, Question
from cs_drill.i18n import _, ngettext
from cs_drill.render.console import LineReader, TimedOut
from cs_drill.render.drill import KIND_LABELS, key_text
from cs_drill.render.labels import points_text
from cs_drill.render.screen import QuestionScreen

__all__ = ["STOP_WORDS", "BrowseView", "is_stop"]

Show = Callable[[str], str]
"""Bank text as displayed (the script conversion of ``--script``; the identity by default)."""

#: What stops browsing at the prompt between two questions (after NFKC and case folding: ｑ, Q).
STOP_WORDS = frozenset({"q", "quit", "exit", "退出"})


def _same(text: str) -> str:
    return text


def is_stop(line: str) -> bool:
    """Whether the line typed between two questions stops browsing (``q``, full-width ``ｑ`` too)."""
    return unicodedata.normalize("NFKC", line).strip().casefold() in STOP_WORDS


class BrowseView(QuestionScreen):
    """Draws questions with their answers; with a ``reader``, waits for Enter between them."""

    asks = False

    def __init__(
        self,
        console: Console,
        exams: Sequence[Exam],
        *,
        show: Show = _same,
        reader: LineReader | None = None,
    ) -> None:
        self.console = console
        self.show = show
        self.reader = reader
        self._by_id = {e.id: e for e in exams}
        self._exam: str | None = None
        self._section: tuple[str, str] | None = None

    def run(self, questions: Iterable[Question], total: int) -> int:
        """Draw ``questions`` (``total`` of them) in turn; return how many were shown.

        With a reader, the learner moves on with Enter after each question but the last,
        and stops with ``q`` or at end of input (Ctrl-D). Ctrl-C propagates.
        """
        shown = 0
        for question in questions:
            if shown and self.reader is not None and not self._go_on():
                break
            shown += 1
            self.draw(question, shown, total)
        self.console.print()
        self.console.print(
            Text(
                ngettext(
                    "{n} of {total} question shown; browsing records nothing.",
                    "{n} of {total} questions shown; browsing records nothing.",
                    total,
                ).format(n=shown, total=total),
                style="dim",
            )
        )
        return shown

    def _go_on(self) -> bool:
        assert self.reader is not None
        line = self.reader.read(_("Enter: next question · q: stop "))
        return line is not None and not isinstance(line, TimedOut) and not is_stop(line)

    # ----------------------------------------------------------------- one question

    def _heading(self, question: Question) -> None:
        c = self.console
        exam = self._by_id.get(question.exam_id)
        if exam is None:
            return
        if exam.id != self._exam:
            self._exam = exam.id
            self._section = None
            self._exam_rule(exam.title)
        key = (exam.id, question.section_id)
        if key == self._section:
            return
        if self._section is not None:
            c.print()
        self._section = key
        try:
            section = exam.section(question.section_id)
        except KeyError:
            return
        self._section_head(section)

    def draw(self, question: Question, position: int, total: int) -> None:
        """One question: its place, prompt and options, then its note, key or model answer, key points, 解析."""
        c = self.console
        self._heading(question)
        c.print()
        line = Text(f"[{position}/{total}] ", style="bold cyan")
        line.append(KIND_LABELS[question.kind], style="cyan")
        if question.points is not None:
            line.append(f" · {points_text(question.points)}", style="cyan")
        c.print(line)
        self._prompt_and_options(question)
        self._note(question)
        if question.kind is Kind.OPEN:
            c.print(Text(_("Model answer:"), style="bold green"))
            if question.model_answer and question.model_answer.strip():
                self._para(self._lit(question.model_answer.rstrip()))
            else:
                c.print(Text(_("(the source gives no model answer)"), style="dim"))
        else:
            key = Text(_("Key: "), style="bold green")
            key.append_text(key_text(question, self.show))
            self._para(key)
            if question.authored:
                self._para(Text(_("Note: the source gives no key; this one is authored for csdrill."), style="yellow"))
        self._explain(question)
