"""csdrill export: study sheets."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_drill.cli.options import BankOption, ExamOption, Format, Only, ScriptOption, SectionOption
from cs_drill.errors import CsDrillError
from cs_drill.i18n import _, ngettext

if TYPE_CHECKING:
    from cs_drill.bank.model import QuestionRef
    from cs_drill.cli.workspace import Workspace
    from cs_drill.study.store import ReviewRow, Store


def export(
    exam: ExamOption = None,
    section: SectionOption = None,
    format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help=_("markdown, html, csv or apkg (Anki). Default: from the output's extension, else markdown."),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help=_("Write to this file (atomically) instead of standard output."),
        ),
    ] = None,
    no_answers: Annotated[
        bool,
        typer.Option("--no-answers", help=_("A practice sheet: questions only, short keys at the end.")),
    ] = False,
    only: Annotated[
        Only | None,
        typer.Option(
            "--only",
            help=_(
                "A personal sheet from your history: wrong (the 错题本: last answered wrong or lapsed, with "
                "your wrong answer, how often and when), starred (收藏), due (due now), weak (recall below 80%)."
            ),
        ),
    ] = None,
    mine: Annotated[
        bool,
        typer.Option(
            "--mine",
            help=_(
                "Add your own best answer to each open question (your latest answer self-rated Good or Easy); "
                "CSV: a last column my_answer."
            ),
        ),
    ] = False,
    script: ScriptOption = None,
    bank: BankOption = None,
) -> None:
    from cs_drill.cli.drilling import display_script
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.render.sheets import writers as ex

    fmt = format.value if format is not None else None
    if fmt is None and output is not None:
        fmt = ex.format_for_path(output)
        if fmt is None:
            message = _("cannot tell the format from '{name}': use --format {formats}")
            raise CsDrillError(message.format(name=output.name, formats="markdown|html|csv|apkg"), 2)
    fmt = fmt or "markdown"
    if fmt == "apkg" and output is None:
        message = _("an Anki package is a file: give it with {option} (e.g. {example})")
        raise CsDrillError(message.format(option="--output PATH", example="-o cs.apkg"), 2)
    with open_workspace(bank) as ws:
        show = display_script(ws, script)
        catalog = ws.catalog
        refs = catalog.refs(exam, section)
        history = ws.existing_store()  # reading the history never creates one
        # the latest review of each card decides "last answered wrong" (see select.last_answered_wrong)
        reviews = list(history.latest_reviews().values()) if history is not None and only is Only.wrong else []
        if only is not None:
            refs = _personal(ws, history, reviews, refs, only.value)
        wanted = {r.uid for r in refs}
        if not wanted:
            if only is None:
                message = _("no questions to export")
            else:
                message = _("no questions to export (no history matches --only {only})").format(only=only.value)
            # one message, and no file: an empty sheet is nothing to keep
            sys.stderr.write(f"csdrill: {message}\n")
            return
        answers = not no_answers
        options: dict[str, Any] = {"answers": answers}
        if mine:
            options["mine"] = _best_answers(ws, refs) if answers else {}
        if only is Only.wrong and history is not None:
            from cs_drill.study.stats import store_miss_records

            options["misses"] = store_miss_records(history, wanted)
        stars = history.starred() if history is not None else set()
        if stars:
            options["starred"] = stars
        items = ex.iter_items(catalog, exam, wanted, show=show)
        if output is None:
            out = sys.stdout
            if fmt == "csv":
                out.reconfigure(encoding="utf-8-sig", newline="")  # type: ignore[union-attr]
            _write_text(ex, fmt, items, out, options)
            out.flush()
            return
        _write_file(ex, fmt, items, output, options)
    count = len(wanted)
    wrote = ngettext("wrote {n} question to {path}", "wrote {n} questions to {path}", count)
    sys.stderr.write(wrote.format(n=count, path=output) + "\n")


def _personal(
    ws: Workspace, history: Store | None, reviews: list[ReviewRow], refs: list[QuestionRef], only: str
) -> list[QuestionRef]:
    """The questions of ``refs`` that ``--only`` selects from the history (none without one)."""
    from cs_drill.study.select import last_answered_wrong, personal_selection

    if history is None:
        return []
    states = history.card_states()
    wrong = last_answered_wrong(reviews) if only == "wrong" else set()
    starred = history.starred() if only == "starred" else set()
    return personal_selection(only, refs, states, wrong, ws.scheduler, ws.now, starred=starred)


def _best_answers(ws: Workspace, refs: list[QuestionRef]) -> dict[str, str]:
    """The learner's best answer to each open question among ``refs`` that has one (one query per chunk)."""
    from cs_drill.bank.model import Kind

    history = ws.existing_store()
    if history is None:
        return {}
    return history.best_answers(r.uid for r in refs if r.kind is Kind.OPEN)


def _write_text(ex: Any, fmt: str, items: Any, out: Any, options: dict[str, Any]) -> None:
    writers = {"markdown": ex.write_markdown, "html": ex.write_html, "csv": ex.write_csv}
    writers[fmt](items, out, **options)


def _write_file(ex: Any, fmt: str, items: Any, output: Path, options: dict[str, Any]) -> None:
    """Write to a temporary file beside ``output``, then rename: never half a file."""
    import os

    from cs_drill.fsutil import atomic_path

    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise CsDrillError(_("no such folder: {folder}").format(folder=folder), 2)
    with atomic_path(output) as tmp:
        if fmt == "apkg":
            ex.write_apkg(items, tmp, **options)
            return
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        with open(tmp, "w", encoding=encoding, newline="" if fmt == "csv" else None) as out:
            _write_text(ex, fmt, items, out, options)
            out.flush()
            os.fsync(out.fileno())


def register(command: Callable[..., Any]) -> None:
    command(export, help=_("Print a study sheet (markdown by default) or write HTML, CSV or an Anki package."))
