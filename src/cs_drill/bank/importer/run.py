"""Import one document: read, clean, parse, write the bank file; the problems with their document lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cs_drill.bank.importer import clean, emit, parse
from cs_drill.bank.importer.read import read_document
from cs_drill.errors import UsageError
from cs_drill.i18n import _
from cs_drill.text import escape


@dataclass
class Imported:
    """A document's bank file, what is left to settle (``(line, message)``), and its counts."""

    name: str
    encoding: str
    yaml: str
    problems: list[tuple[int, str]]
    counts: emit.Counts
    draft: parse.Draft


def import_lines(raw: list[str], name: str, encoding: str) -> Imported:
    """The bank file of a document's raw lines; :class:`UsageError` when no question is recognised."""
    lines = clean.document_lines(raw)
    draft = parse.parse(lines, name)
    if not draft.sections:
        raise UsageError(
            _("{file}: cannot import: no question csdrill can recognise").format(file=escape(name))
        )
    problems: list[tuple[int, str]] = [(p.line, emit.message(p)) for p in draft.problems]
    for section in draft.sections:
        problems.extend((p.line, emit.message(p)) for p in section.problems)
        for q in section.questions:
            problems.extend((p.line, emit.message(p)) for p in q.problems)
    problems.sort(key=lambda item: item[0])
    text = emit.to_yaml(draft, name, encoding)
    return Imported(name, encoding, text, problems, emit.counts(draft), draft)


def import_document(path: Path) -> Imported:
    """Read and import the document at ``path``."""
    document = read_document(path)
    try:
        return import_lines(document.lines, path.name, document.encoding)
    except UsageError as error:
        raise UsageError(error.message.replace(escape(path.name), escape(str(path)), 1)) from None
