"""csdrill import: exam documents (.txt, .md, .docx) as bank files."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from cs_drill.i18n import N_, _, ngettext


def import_documents(
    documents: Annotated[
        list[Path],
        typer.Argument(help=_("Documents to import: .txt or .md (UTF-8 or GBK) and .docx."), metavar="FILE"),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_("Write the bank file here (a file, or a folder for several documents); default: standard output."),
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace an existing file."))] = False,
) -> None:
    from cs_drill.bank.importer import run
    from cs_drill.text import escape

    targets = run.destinations(documents, output, force)
    # every document is read before anything is written: a bad one stops the run with nothing written
    results = []
    for document in documents:
        results.append(run.import_document(document))
    for document, result, target in zip(documents, results, targets, strict=True):
        name = escape(str(document))
        for line, message in result.problems:
            sys.stderr.write(f"{name}:{line}: {escape(message)}\n")
        if target is None:
            sys.stdout.write(result.yaml)
            sys.stdout.flush()
        else:
            run.write(result, target)
        c = result.counts
        summary = ngettext(
            "{file} ({encoding}): {n} question in {sections} sections",
            "{file} ({encoding}): {n} questions in {sections} sections",
            c.questions,
        ).format(file=name, encoding=result.encoding, n=c.questions, sections=c.sections)
        extra = []
        if c.no_key:
            extra.append(ngettext("{n} without a key", "{n} without a key", c.no_key).format(n=c.no_key))
        if c.left_out:
            extra.append(ngettext("{n} left out", "{n} left out", c.left_out).format(n=c.left_out))
        if target is not None:
            extra.append(_("written to {path}").format(path=escape(str(target))))
        # TRANSLATORS: what separates the parts of the summary line: "x.txt: 19 questions; 1 left out".
        separator = _("; ")
        sys.stderr.write(separator.join([summary, *extra]) + "\n")


HELP = N_(
    """\
Turn exam documents (题库: .txt, .md, .docx) into bank files.

Recognises section headings (一、单选题(共10题,每题2分)), numbered questions, options, keys inline, on
their own line or in a later 答案 block, (√)/(×) marks, 解析 and 参考答案. What the document leaves open
is reported as file:line: message and marked in the YAML with a comment: a question without a key is
written without answer (so validate lists it); one cut off in its prompt or options is left out.

Exit 0 when written, 2 for a document that cannot be read."""
)


def register(command: Callable[..., Any]) -> None:
    command(import_documents, name="import", help=_(HELP))
