"""Options shared by many commands, and the completion of exam and section ids."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cs_drill.i18n import _


def _complete_exam(incomplete: str) -> list[str]:
    return [e for e in dict.fromkeys(e for e, _ in _ids()) if e.startswith(incomplete)]


def _complete_section(incomplete: str) -> list[str]:
    return sorted({s for _, s in _ids() if s and s.startswith(incomplete)})


def _ids() -> list[tuple[str, str]]:
    """(exam id, section id) pairs of the active bank, for completion; none when it cannot be read."""
    try:
        from cs_drill.cli.workspace import open_workspace

        with open_workspace() as ws:
            return [(e.id, s.id) for e in ws.catalog.exams() for s in e.sections]
    except Exception:  # completion must never print a traceback into the shell
        return []


BankOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--bank",
        metavar="PATH",
        help=_("A bank file or folder (repeatable). Replaces the bundled bank, as CSDRILL_BANK does."),
        show_default=False,
    ),
]
ExamOption = Annotated[
    str | None,
    typer.Option(
        "--exam",
        metavar="ID",
        help=_("Only this exam (an exam id; see `csdrill list`)."),
        autocompletion=_complete_exam,
    ),
]
SectionOption = Annotated[
    str | None,
    typer.Option(
        "--section",
        metavar="ID",
        help=_("Only this section id (from every exam that has it unless --exam is given)."),
        autocompletion=_complete_section,
    ),
]

QuestionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--question",
        metavar="EXAM-ID/QUESTION-ID",
        help=_("Exactly this question (repeatable), in the order given."),
        show_default=False,
    ),
]
ScriptOption = Annotated[
    str | None,
    typer.Option(
        "--script",
        metavar="source|hans|hant",
        help=_("Show bank text as the bank has it (source), in Simplified (hans) or Traditional (hant) characters."),
        show_default=False,
    ),
]
ThinkOption = Annotated[
    str | None,
    typer.Option(
        "--think",
        metavar="DURATION",
        help=_("Open questions at a terminal: time to think before answering, e.g. 30s (default: config.toml)."),
        show_default=False,
    ),
]
SpeakOption = Annotated[
    str | None,
    typer.Option(
        "--speak",
        metavar="DURATION",
        help=_("Open questions at a terminal: time to answer (aloud or typed), e.g. 2m (default: config.toml)."),
        show_default=False,
    ),
]


class Order(str, Enum):
    scheduled = "scheduled"
    source = "source"
    random = "random"


class Format(str, Enum):
    markdown = "markdown"
    html = "html"
    csv = "csv"
    apkg = "apkg"


class Only(str, Enum):
    wrong = "wrong"
    starred = "starred"
    due = "due"
    weak = "weak"
