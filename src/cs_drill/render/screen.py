"""What every question screen draws the same way: literal bank text folded to the width, a question's
prompt and options, its note, and its key points and 解析 (drill, browse and exam views share it)."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.text import Text

from cs_drill.bank import spec
from cs_drill.bank.model import Kind, Question, Section
from cs_drill.i18n import _, ngettext
from cs_drill.render.console import fold, literal
from cs_drill.render.labels import points_text

__all__ = ["QuestionScreen", "blanks_prompt"]


def blanks_prompt(prompt: str) -> Text:
    """The prompt of a fill-in question with its blanks in bold; numbered when there are several:
    ``___(1)``, ``（2）``."""
    out = literal(prompt)
    spans = spec.blanks(out.plain)
    numbered = len(spans) > 1
    shown = Text()
    end = 0
    for n, (start, stop) in enumerate(spans, 1):
        shown.append_text(out[end:start])
        marker = out.plain[start:stop]
        if numbered and marker[0] in "（(":
            shown.append(f"{marker[0]}{n}{marker[-1]}", style="bold underline")
        else:
            shown.append(marker, style="bold")
            if numbered:
                shown.append(f"({n})", style="bold underline")
        end = stop
    shown.append_text(out[end:])
    return shown


def _same(text: str) -> str:
    return text


class QuestionScreen:
    """A view on ``console`` that shows bank text through ``show`` (the ``--script`` conversion)."""

    console: Console
    show: Callable[[str], str] = staticmethod(_same)
    asks: bool = True
    """The screen asks for answers: a fill-in question of several blanks says how to type them."""

    def _lit(self, text: str, style: str = "") -> Text:
        return literal(self.show(text), style)

    def _para(self, text: Text, hang: int = 0) -> None:
        """Print ``text`` folded to the console's width (no line starts with 。，、 and the like);
        ``hang``: the lines after the first are indented so far (a list item's text).
        """
        self.console.print(fold(text, self.console.width, hang), soft_wrap=True)

    def _exam_rule(self, title: str) -> None:
        """An exam's title across the screen, after a blank line."""
        from rich.rule import Rule

        self.console.print()
        self.console.print(Rule(self._lit(title, "bold"), style="cyan"))

    def _section_head(self, section: Section, count: bool = True) -> None:
        """A section's title (with its question count and points when ``count``) and its 题型说明."""
        head = self._lit(section.title, "bold magenta")
        if count and section.points is not None:
            n = section.question_count
            head.append("  ")
            head.append(
                ngettext("({n} question × {points})", "({n} questions × {points})", n).format(
                    n=n, points=points_text(section.points)
                )
            )
        self._para(head)
        if section.instructions:
            self._para(self._lit(section.instructions, "dim"))

    def _prompt_and_options(self, question: Question) -> None:
        if question.kind is Kind.FILL_IN:
            self._para(blanks_prompt(self.show(question.prompt)))
            if self.asks and len(question.blanks) > 1:
                from cs_drill.study.assess.grading import fill_in_hint

                self._para(Text(fill_in_hint(len(question.blanks)), style="dim"))
            return
        self._para(self._lit(question.prompt))
        for letter, text in question.options:
            row = Text("  ")
            row.append(f"{letter}. ", style="bold")
            row.append_text(self._lit(text))
            self._para(row, 5)

    def _note(self, question: Question) -> None:
        if question.note:
            note = Text(_("Note: "), style="yellow")
            note.append_text(self._lit(question.note, "yellow"))
            self._para(note)

    def _explain(self, question: Question) -> None:
        """The key points, then the 解析."""
        if question.key_points:
            self.console.print(Text(_("Key points:"), style="bold"))
            for point in question.key_points:
                row = Text("  - ")
                row.append_text(self._lit(point.point, "bold"))
                if point.detail:
                    row.append(_(": "))
                    row.append_text(self._lit(point.detail))
                self._para(row, 4)
        self._explanation(question)

    def _explanation(self, question: Question) -> None:
        if question.explanation:
            exp = Text(_("Explanation: "), style="bold")
            exp.append_text(self._lit(question.explanation))
            self._para(exp)
