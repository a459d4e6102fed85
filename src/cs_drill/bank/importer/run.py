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


def import_lines(raw: list[str], name: str, encoding: str, marked: frozenset[int] = frozenset()) -> Imported:
    """The bank file of a document's raw lines; :class:`UsageError` when no question is recognised."""
    lines = clean.document_lines(raw, set(marked))
    draft = parse.parse(lines, name)
    if not draft.sections:
        raise UsageError(_("{file}: cannot import: no question csdrill can recognise").format(file=escape(name)))
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
        return import_lines(document.lines, path.name, document.encoding, document.marked)
    except UsageError as error:
        raise UsageError(error.message.replace(escape(path.name), escape(str(path)), 1)) from None


def _is_bank(path: Path) -> bool:
    """Whether ``path`` holds an exam (a YAML mapping with ``id`` and ``sections``), as an import writes."""
    import yaml

    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return False
    return isinstance(data, dict) and "id" in data and "sections" in data


def destinations(documents: list[Path], output: Path | None, force: bool) -> list[Path | None]:
    """Where each document's bank file goes: standard output (``None``), the file ``output``, or into the folder.

    One document: ``output`` a file, or a folder that exists (the file is named after the document).
    Several: ``output`` must be a folder that exists. An existing file is replaced only with ``force``; a
    file that is not a bank never without it.
    """
    if output is None:
        if len(documents) > 1:
            raise UsageError(_("several documents need --output FOLDER (one bank file each)"))
        return [None]
    folder = output.is_dir()
    if len(documents) > 1 and not folder:
        raise UsageError(
            _("--output {path}: not a folder (several documents are written into a folder)").format(
                path=escape(str(output))
            )
        )
    if folder:
        targets = [output / f"{doc.stem}.yaml" for doc in documents]
    else:
        parent = output.parent if str(output.parent) else Path(".")
        if not parent.is_dir():
            raise UsageError(
                _("--output {path}: the folder {folder} does not exist").format(
                    path=escape(str(output)), folder=escape(str(parent))
                )
            )
        targets = [output]
    seen: set[Path] = set()
    for target in targets:
        if target in seen:
            raise UsageError(_("two documents would both be written to {path}").format(path=escape(str(target))))
        seen.add(target)
        if target.exists() and not force:
            if target.is_dir():
                raise UsageError(_("{path} is a folder").format(path=escape(str(target))))
            if _is_bank(target):
                raise UsageError(
                    _("{path} exists: --force replaces it (edits made to it are lost)").format(path=escape(str(target)))
                )
            raise UsageError(
                _("{path} exists and is not a bank file: not replaced (--force replaces it)").format(
                    path=escape(str(target))
                )
            )
    return list(targets)


def write(imported: Imported, target: Path) -> None:
    """Write a bank file atomically (never half a file, even on Ctrl-C)."""
    from cs_drill.fsutil import atomic_path

    with atomic_path(target) as tmp:
        tmp.write_text(imported.yaml, encoding="utf-8")
