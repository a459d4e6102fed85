"""csdrill browse (背题): questions with their answers, nothing graded or recorded."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from cs_drill.cli.options import BankOption, ExamOption, QuestionOption, ScriptOption, SectionOption
from cs_drill.i18n import N_, _

if TYPE_CHECKING:
    from cs_drill.bank.model import Question


def browse(
    exam: ExamOption = None,
    section: SectionOption = None,
    question: QuestionOption = None,
    script: ScriptOption = None,
    bank: BankOption = None,
) -> None:
    from cs_drill.cli.drilling import display_script
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.render.browse import BrowseView
    from cs_drill.render.console import LineReader, out_console

    with open_workspace(bank) as ws:  # the history is never opened: browsing records nothing
        show = display_script(ws, script)
        catalog = ws.catalog
        if question:
            refs = catalog.named(question, exam, section)
            questions: Iterable[Question] = catalog.questions([r.uid for r in refs])
            total = len(refs)
        else:
            catalog.check(exam, section)
            questions = catalog.iter_questions(exam, section)
            total = catalog.count(exam, section)
        console = out_console()
        reader = LineReader(console, interactive=True) if _at_terminal() else None
        BrowseView(console, catalog.exams(), show=show, reader=reader).run(questions, total)


def _at_terminal() -> bool:
    """Whether a person reads and types at a terminal (both standard input and output): then Enter moves on."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


HELP = N_(
    """\
Browse questions with their answers (背题): the key, model answer, key points and explanation of each.

At a terminal Enter shows the next question and q stops; piped, every question is
printed at once. Nothing is graded or recorded."""
)


def register(command: Callable[..., Any]) -> None:
    command(browse, help=_(HELP))
