"""The one runtime interface to a bank: exams, selections, questions by uid.

Sessions read a bank through a :class:`Catalog`. :func:`open_catalog` serves it
from the compiled cache (``cache``), so a large bank costs only the questions a
session shows; :class:`MemoryCatalog` is its twin over validated files in memory
(tests, the importer). Both give the same answers (tests/test_cache.py).

Selection by exam and section is one rule (:func:`check_filter` for the ids,
``in_selection`` for membership); the cached catalog states it in SQL.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import Any, TypeVar

from cs_drill.bank.cache import (
    ProgressFactory,
    decode_exam,
    decode_question,
    decode_section,
    open_cache,
)
from cs_drill.bank.model import Exam, ExamFile, Kind, Question, QuestionRef, Section
from cs_drill.config import NEW_ORDERS
from cs_drill.errors import CsDrillError, UsageError
from cs_drill.i18n import _
from cs_drill.text import clean

__all__ = [
    "Catalog",
    "MemoryCatalog",
    "check_filter",
    "in_selection",
    "load_catalog",
    "new_card_exams",
    "open_catalog",
]

_CHUNK = 500
_KINDS = {k.value: k for k in Kind}


def check_filter(exams: Sequence[Exam], exam: str | None, section: str | None) -> None:
    """Raise a usage error, listing the valid ids, for an unknown ``exam`` or ``section`` id."""
    chosen = list(exams)
    if exam is not None:
        chosen = [e for e in exams if e.id == exam][:1]
        if not chosen:
            valid = ", ".join(e.id for e in exams)
            # TRANSLATORS: {exam} is the --exam value as typed; {ids} lists the exam ids (not translated).
            raise UsageError(_("unknown exam '{exam}'; valid exam ids: {ids}").format(exam=exam, ids=valid))
    if section is not None:
        ids = sorted({s.id for e in chosen for s in e.sections})
        if section not in ids:
            valid = ", ".join(ids)
            if exam:
                # TRANSLATORS: {section} is the --section value as typed, {exam} an exam id;
                # {ids} lists that exam's section ids (not translated).
                message = _("unknown section '{section}' in exam '{exam}'; valid section ids: {ids}")
            else:
                # TRANSLATORS: {section} is the --section value as typed; {ids} lists the section ids (not translated).
                message = _("unknown section '{section}'; valid section ids: {ids}")
            raise UsageError(message.format(section=section, exam=exam, ids=valid))


def in_selection(exam_id: str, section_id: str, exam: str | None, section: str | None) -> bool:
    """Whether a question of ``exam_id`` / ``section_id`` is in the selection ``exam`` / ``section``.

    ``section`` without ``exam`` selects that section of every exam that has it.
    """
    return (exam is None or exam_id == exam) and (section is None or section_id == section)


def new_card_exams(exams: Sequence[Exam], order: str) -> list[Exam]:
    """The exams in the order their new cards are introduced (each exam's cards then in source order).

    ``level``: lower ``level`` first (新人 → 专员 → 经理), exams without a level last, then bank order;
    ``source``: bank order.
    """
    if order == "source":
        return list(exams)
    if order == "level":
        return sorted(exams, key=lambda e: (e.level is None, e.level or 0))  # stable: bank order within a level
    raise ValueError(f"unknown new-card order {order!r}; use one of {', '.join(NEW_ORDERS)}")


class Catalog:
    """A bank: its exams (metadata) and its questions, in source order."""

    def __init__(self) -> None:
        self._by_id: dict[str, Exam] | None = None

    # -- to be provided ----------------------------------------------------------

    def exams(self) -> list[Exam]:
        """Every exam with its sections and their question counts, in bank order."""
        raise NotImplementedError

    def refs(self, exam: str | None = None, section: str | None = None) -> list[QuestionRef]:
        """The selected questions' identity and kind, in source order (no question text is read)."""
        raise NotImplementedError

    def iter_questions(
        self, exam: str | None = None, section: str | None = None, batch: int = 2000
    ) -> Iterator[Question]:
        """The selected questions in source order."""
        raise NotImplementedError

    def questions(self, uids: Iterable[str]) -> list[Question]:
        """The questions with these uids, in the order given (uids not in the bank are left out)."""
        raise NotImplementedError

    def refs_of(self, uids: Iterable[str]) -> list[QuestionRef]:
        """The refs of these uids, in source order (uids not in the bank are left out)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the catalog holds (idempotent)."""

    # -- shared ---------------------------------------------------------------------

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def exam(self, exam_id: str) -> Exam | None:
        if self._by_id is None:
            self._by_id = {e.id: e for e in self.exams()}
        return self._by_id.get(exam_id)

    def section_of(self, question: Question | QuestionRef) -> Section:
        """The section a question belongs to."""
        exam = self.exam(question.exam_id)
        if exam is None:
            raise KeyError(question.exam_id)
        return exam.section(question.section_id)

    def check(self, exam: str | None, section: str | None) -> None:
        """Raise the usage error of an unknown exam or section id."""
        check_filter(self.exams(), exam, section)

    def count_of(self, uids: Iterable[str], exam: str | None = None, section: str | None = None) -> int:
        """How many of ``uids`` are questions of the selection (without reading their refs, where it can)."""
        return sum(1 for r in self.refs_of(uids) if in_selection(r.exam_id, r.section_id, exam, section))

    def count(self, exam: str | None = None, section: str | None = None) -> int:
        """How many questions the selection has."""
        return sum(
            s.question_count for e in self.exams() for s in e.sections if in_selection(e.id, s.id, exam, section)
        )

    def first_refs(
        self, exam: str | None, section: str | None, skip: Skip, limit: int, order: str = "source"
    ) -> list[QuestionRef]:
        """The first ``limit`` refs of the selection whose uids are not in ``skip``, exam by exam in the
        order of :func:`new_card_exams` (``order``), each exam's in source order.

        ``skip`` is a set of uids, or a function that tells which of a batch of uids to skip
        (asked a batch at a time, so a long history need not be read whole to find a few).
        Reads no further into the bank than it needs to.
        """
        self.check(exam, section)
        exams = [e for e in self.exams() if any(in_selection(e.id, s.id, exam, section) for s in e.sections)]
        ranked = new_card_exams(exams, order)
        if ranked == exams:  # bank order: one pass over the selection
            return _first(self._iter_refs(exam, section), skip, limit)
        return _first(chain.from_iterable(self._iter_refs(e.id, section) for e in ranked), skip, limit)

    def iter_refs(self, exam: str | None = None, section: str | None = None) -> Iterator[QuestionRef]:
        """The refs of the selection in source order, read as they are consumed."""
        self.check(exam, section)
        return self._iter_refs(exam, section)

    def _iter_refs(self, exam: str | None, section: str | None) -> Iterator[QuestionRef]:
        """``iter_refs`` of ids known to be valid (``exam`` and ``section`` checked, or ``section`` in ``exam``)."""
        return iter(self.refs(exam, section))

    def select(self, exam: str | None = None, section: str | None = None) -> list[Question]:
        """The selected questions in source order; unknown ids are usage errors."""
        return list(self.iter_questions(exam, section))

    def named(self, names: Sequence[str], exam: str | None = None, section: str | None = None) -> list[QuestionRef]:
        """The questions named ``EXAM-ID/QUESTION-ID``, in the order given (each once), within the selection.

        An unknown exam, or a question id that the exam does not have, is a usage error
        that lists the valid ids.
        """
        self.check(exam, section)
        chosen: dict[str, QuestionRef] = {}
        for name in names:
            exam_id, slash, qid = name.strip().partition("/")
            if not slash or not exam_id or not qid:
                raise UsageError(
                    _("--question: {name!r} is not EXAM-ID/QUESTION-ID (see `csdrill list`)").format(name=clean(name))
                )
            self.check(exam_id, None)
            uid = f"{exam_id}/{qid}"
            found = self.refs_of([uid])
            if not found:
                valid = ", ".join(r.uid.partition("/")[2] for r in self.iter_refs(exam_id, None))
                raise UsageError(
                    _("unknown question {name!r}; the questions of {exam} are: {valid}").format(
                        name=clean(name), exam=exam_id, valid=valid
                    )
                )
            ref = found[0]
            if not in_selection(ref.exam_id, ref.section_id, exam, section):
                raise UsageError(
                    _("--question {name!r} is not in the selection of --exam/--section").format(name=clean(name))
                )
            chosen.setdefault(uid, ref)
        return list(chosen.values())


class MemoryCatalog(Catalog):
    """A catalog over validated files held in memory."""

    def __init__(self, files: Sequence[ExamFile]) -> None:
        super().__init__()
        self._exams = [f.exam for f in files]
        self._questions = [q for f in files for q in f.questions]
        self._index = {q.uid: n for n, q in enumerate(self._questions)}

    def exams(self) -> list[Exam]:
        return list(self._exams)

    def _chosen(self, exam: str | None, section: str | None) -> Iterator[Question]:
        self.check(exam, section)
        return (q for q in self._questions if in_selection(q.exam_id, q.section_id, exam, section))

    def refs(self, exam: str | None = None, section: str | None = None) -> list[QuestionRef]:
        return [_ref(q) for q in self._chosen(exam, section)]

    def iter_questions(
        self, exam: str | None = None, section: str | None = None, batch: int = 2000
    ) -> Iterator[Question]:
        return self._chosen(exam, section)

    def questions(self, uids: Iterable[str]) -> list[Question]:
        return [self._questions[self._index[uid]] for uid in uids if uid in self._index]

    def refs_of(self, uids: Iterable[str]) -> list[QuestionRef]:
        found = sorted(self._index[uid] for uid in set(uids) if uid in self._index)
        return [_ref(self._questions[n]) for n in found]


def _ref(q: Question) -> QuestionRef:
    return QuestionRef(q.uid, q.exam_id, q.section_id, q.kind)


_F = TypeVar("_F", bound=Callable[..., Any])


def _damaged() -> CsDrillError:
    """The cache went bad under a running session (truncated, overwritten): one clear line.

    The answers given so far are in the history already; the next run rebuilds the cache.
    """
    return CsDrillError(_("the bank cache was damaged while in use; run again"), 1)


def _guarded(method: _F) -> _F:
    """A catalog method whose cache errors become ``_damaged``."""

    @functools.wraps(method)
    def plain(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise _damaged() from exc

    return plain  # type: ignore[return-value]


def _guarded_iter(method: _F) -> _F:
    """A catalog generator whose cache errors, as it runs, become ``_damaged``."""

    @functools.wraps(method)
    def generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from method(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise _damaged() from exc

    return generator  # type: ignore[return-value]


class CachedCatalog(Catalog):
    """The active bank as served from the cache (see ``cache``).

    A cache damaged while the catalog is open raises a ``CsDrillError`` ("run again")
    rather than SQLite's own error.
    """

    def __init__(self, conn: sqlite3.Connection, files: Sequence[Path], displays: Sequence[str]) -> None:
        super().__init__()
        self.conn = conn
        self.files = list(files)
        self.displays = list(displays)
        self._exams: list[Exam] | None = None

    def close(self) -> None:
        self.conn.close()

    @_guarded
    def exams(self) -> list[Exam]:
        if self._exams is None:
            sections: dict[int, list[Section]] = {}
            for file_id, count, data in self.conn.execute(
                "SELECT s.file_id, s.count, s.data FROM sections s JOIN active a ON a.file_id = s.file_id "
                "ORDER BY a.pos, s.ord"
            ):
                sections.setdefault(file_id, []).append(decode_section(data, count))
            self._exams = [
                decode_exam(data, tuple(sections.get(file_id, ())), self.displays[pos])
                for pos, file_id, data in self.conn.execute(
                    "SELECT a.pos, f.id, f.data FROM active a JOIN files f ON f.id = a.file_id ORDER BY a.pos"
                )
            ]
        return list(self._exams)

    @staticmethod
    def _where(exam: str | None, section: str | None) -> tuple[str, list[Any]]:
        # in_selection, in SQL
        clauses: list[str] = []
        params: list[Any] = []
        if exam is not None:
            clauses.append("a.exam_id = ?")
            params.append(exam)
        if section is not None:
            clauses.append("q.section_id = ?")
            params.append(section)
        return (" AND " + " AND ".join(clauses) if clauses else ""), params

    @_guarded
    def refs(self, exam: str | None = None, section: str | None = None) -> list[QuestionRef]:
        self.check(exam, section)
        where, params = self._where(exam, section)
        # one string per exam and per section id, not one per question: 100,000 refs are ~6 MB less
        names: dict[str, str] = {}
        return [
            QuestionRef(uid, names.setdefault(exam_id, exam_id), names.setdefault(section_id, section_id), _KINDS[kind])
            for uid, exam_id, section_id, kind in self.conn.execute(
                "SELECT q.uid, a.exam_id, q.section_id, q.kind FROM active a "
                f"CROSS JOIN questions q ON q.file_id = a.file_id WHERE 1{where} ORDER BY a.pos, q.ord",
                params,
            )
        ]

    @_guarded_iter
    def iter_questions(
        self, exam: str | None = None, section: str | None = None, batch: int = 2000
    ) -> Iterator[Question]:
        self.check(exam, section)
        where, params = self._where(exam, section)
        cur = self.conn.execute(
            "SELECT a.exam_id, q.section_id, q.qid, q.kind, q.data "
            "FROM active a CROSS JOIN questions q ON q.file_id = a.file_id "
            f"WHERE 1{where} ORDER BY a.pos, q.ord",
            params,
        )
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                return
            for row in rows:
                yield decode_question(*row)

    def _by_uids(
        self, columns: str, uids: Iterable[str], where: str = "", params: Sequence[Any] = ()
    ) -> Iterator[tuple[Any, ...]]:
        unique = sorted(set(uids))
        for i in range(0, len(unique), _CHUNK):
            chunk = unique[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            yield from self.conn.execute(
                f"SELECT {columns} FROM questions q CROSS JOIN active a ON a.file_id = q.file_id "
                f"WHERE q.uid IN ({marks}){where}",
                [*chunk, *params],
            )

    @_guarded
    def questions(self, uids: Iterable[str]) -> list[Question]:
        wanted = list(uids)
        found = {
            f"{row[0]}/{row[2]}": decode_question(*row)
            for row in self._by_uids("a.exam_id, q.section_id, q.qid, q.kind, q.data", wanted)
        }
        return [found[uid] for uid in wanted if uid in found]

    @_guarded
    def count_of(self, uids: Iterable[str], exam: str | None = None, section: str | None = None) -> int:
        where, params = self._where(exam, section)
        return sum(row[0] for row in self._by_uids("count(*)", uids, where, params))

    @_guarded
    def refs_of(self, uids: Iterable[str]) -> list[QuestionRef]:
        rows = sorted(self._by_uids("a.pos, q.ord, q.uid, a.exam_id, q.section_id, q.kind", uids))
        return [QuestionRef(uid, exam_id, sid, _KINDS[kind]) for _, _, uid, exam_id, sid, kind in rows]

    @_guarded_iter
    def _iter_refs(self, exam: str | None, section: str | None) -> Iterator[QuestionRef]:
        where, params = self._where(exam, section)
        cur = self.conn.execute(
            "SELECT q.uid, a.exam_id, q.section_id, q.kind FROM active a "
            f"CROSS JOIN questions q ON q.file_id = a.file_id WHERE 1{where} ORDER BY a.pos, q.ord",
            params,
        )
        while True:
            rows = cur.fetchmany(256)
            if not rows:
                return
            for uid, exam_id, section_id, kind in rows:
                yield QuestionRef(uid, exam_id, section_id, _KINDS[kind])


Skip = Collection[str] | Callable[[Sequence[str]], Collection[str]]
"""The uids :meth:`Catalog.first_refs` passes over: a set, or a function of a batch of uids giving those to skip."""


def _first(refs: Iterable[QuestionRef], skip: Skip, limit: int) -> list[QuestionRef]:
    out: list[QuestionRef] = []
    if limit <= 0:
        return out
    if not callable(skip):
        for ref in refs:
            if ref.uid not in skip:
                out.append(ref)
                if len(out) >= limit:
                    break
        return out
    it = iter(refs)
    size = 2 * limit
    while batch := list(islice(it, size)):
        skipped = skip([ref.uid for ref in batch])
        for ref in batch:
            if ref.uid not in skipped:
                out.append(ref)
                if len(out) >= limit:
                    return out
        size = min(4 * size, 2_000)  # most of the bank seen: larger batches
    return out


def open_catalog(
    paths: Sequence[Path],
    folder: Path | None,
    progress: ProgressFactory | None = None,
) -> CachedCatalog:
    """The bank under ``paths``, checked against the cache in ``folder`` (built as needed).

    Raise ``BankError`` with every problem of every file when the bank is not valid.
    """
    conn, files, displays = open_cache(paths, folder, progress)
    return CachedCatalog(conn, files, displays)


def load_catalog(paths: Iterable[Path]) -> MemoryCatalog:
    """The bank under ``paths`` validated into memory (no cache); raise ``BankError`` when invalid."""
    from cs_drill.bank.validate import load_files

    return MemoryCatalog(load_files(paths))
