"""A compiled cache of the bank, and the catalog that sessions query instead of the YAML.

The cache is one SQLite file under ``config.cache_dir()`` (``bank.sqlite3``). Each bank
file is keyed by its absolute path, size, modification time and a content digest; a
file whose size or mtime changed is hashed again, and parsed again only when its
digest changed too. Only valid files are stored: a file that fails validation is
parsed (and reported) on every run until it is fixed. The YAML always wins: a cache
that cannot be read, is damaged or was written by another version is deleted and
rebuilt without a word; when no cache can be written at all, an in-memory one is used.

Each question is stored as a compact ``marshal`` blob beside the indexed columns
that sessions query (uid, section, kind, source order), so a session on a large bank
fetches only the questions it shows.

A cold build of many files runs on a small process pool (each worker parses and
validates whole files and returns rows); the parent writes them in one transaction.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from cs_drill import __version__
from cs_drill.bank.files import bank_files, display_name, duplicate_exam_id
from cs_drill.errors import BankError, Problem
from cs_drill.bank.model import Bank, Exam, ExamInfo, KeyPoint, Kind, Question, Section, SectionInfo
from cs_drill._gc import collector_paused

CACHE_NAME = "bank.sqlite3"
#: Bump when the stored rows change meaning (a loader rule, the blob layout).
FORMAT = 1
#: marshal's format and the loader's rules may change with Python and csdrill versions.
FORMAT_KEY = f"{FORMAT}/{sys.version_info[0]}.{sys.version_info[1]}/{__version__}"
BUSY_TIMEOUT_S = 30.0
#: A cold build uses worker processes when it has at least this many files and bytes to parse.
POOL_MIN_FILES = 4
POOL_MIN_BYTES = 2_000_000
POOL_WORKERS = 2
#: An mtime this close to "now" may be followed by a same-size edit in the same clock
#: tick; such a file is stored with mtime -1 so that the next run hashes it again.
RACY_NS = 2_000_000_000
_CHUNK = 500

_KINDS = {k.value: k for k in Kind}

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,
    size        INT NOT NULL,
    mtime_ns    INT NOT NULL,
    digest      TEXT NOT NULL,
    exam_id     TEXT NOT NULL,
    title       TEXT NOT NULL,
    language    TEXT NOT NULL,
    source      TEXT,
    description TEXT
);
CREATE TABLE sections (
    file_id      INT NOT NULL,
    ord          INT NOT NULL,
    section_id   TEXT NOT NULL,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    points,
    instructions TEXT,
    count        INT NOT NULL,
    PRIMARY KEY (file_id, ord)
);
CREATE TABLE questions (
    file_id    INT NOT NULL,
    ord        INT NOT NULL,
    sec_ord    INT NOT NULL,
    section_id TEXT NOT NULL,
    qid        TEXT NOT NULL,
    uid        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    data       BLOB NOT NULL
);
CREATE UNIQUE INDEX questions_order ON questions (file_id, ord);
CREATE INDEX questions_uid ON questions (uid);
"""

Progress = Callable[[int, int], None]
"""Called with (files done, files to parse) while a build runs."""
ProgressFactory = Callable[[int, int], Any]
"""Given the number of files and bytes to parse: a context manager yielding a ``Progress``, or None."""


class QuestionRef(NamedTuple):
    """A question's identity and kind, without its text: enough to order a session."""

    uid: str
    kind: Kind


# --------------------------------------------------------------------------- compiling


class Compiled(NamedTuple):
    """One parsed file: its stat and digest, and its rows (or its problems)."""

    pos: int
    size: int
    mtime_ns: int
    digest: str
    exam: tuple[Any, ...] | None  # (exam_id, title, language, source, description)
    sections: list[tuple[Any, ...]]  # (ord, section_id, title, kind, points, instructions, count)
    questions: list[tuple[Any, ...]]  # (ord, sec_ord, section_id, qid, uid, kind, data)
    problems: list[Problem]


def digest_of(data: bytes) -> str:
    import hashlib  # on first use: a warm start hashes nothing

    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _blob(q: Question) -> bytes:
    return marshal.dumps(
        (
            q.prompt,
            q.options,
            q.correct,
            q.truth,
            q.model_answer,
            tuple((k.point, k.detail) for k in q.key_points),
            q.explanation,
            q.answer_source,
            q.note,
            q.points,
            q.tags,
            q.content_hash,
            q.line,
        )
    )


def _question(exam_id: str, section_id: str, qid: str, kind: str, data: bytes) -> Question:
    (prompt, options, correct, truth, model_answer, kps, explanation, source, note, points, tags, digest, line) = (
        marshal.loads(data)
    )
    return Question(
        id=qid,
        exam_id=exam_id,
        section_id=section_id,
        kind=_KINDS[kind],
        prompt=prompt,
        options=options,
        correct=correct,
        truth=truth,
        model_answer=model_answer,
        key_points=tuple(KeyPoint(p, d) for p, d in kps),
        explanation=explanation,
        answer_source=source,
        note=note,
        points=points,
        tags=tags,
        content_hash=digest,
        line=line,
    )


def compile_file(pos: int, path: str, display: str, size: int, mtime_ns: int) -> Compiled:
    """Parse and validate one file into rows (run in this process or in a worker)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        problem = Problem(display, 0, 0, "", f"cannot read the file: {exc.strerror or exc}")
        return Compiled(pos, size, mtime_ns, "", None, [], [], [problem])
    # imported when a file is (re)parsed: a warm start needs no validator
    from cs_drill.bank.validate import load_data

    exam, problems = load_data(data, display)
    if exam is None or problems:
        return Compiled(pos, size, mtime_ns, "", None, [], [], problems)
    sections: list[tuple[Any, ...]] = []
    questions: list[tuple[Any, ...]] = []
    n = 0
    for s_ord, s in enumerate(exam.sections):
        sections.append((s_ord, s.id, s.title, s.kind.value, s.points, s.instructions, len(s.questions)))
        kind = s.kind.value
        for q in s.questions:
            questions.append((n, s_ord, s.id, q.id, f"{exam.id}/{q.id}", kind, _blob(q)))
            n += 1
    meta = (exam.id, exam.title, exam.language, exam.source, exam.description)
    return Compiled(pos, size, mtime_ns, digest_of(data), meta, sections, questions, [])


def _compile_batch(batch: list[tuple[int, str, str, int, int]]) -> list[Compiled]:
    with collector_paused():  # a worker started by "spawn" has the collector on
        return [compile_file(*item) for item in batch]


def _batches(items: list[tuple[int, str, str, int, int]], workers: int) -> list[list[tuple[int, str, str, int, int]]]:
    """Several batches per worker, of similar size in bytes, largest first."""
    n = max(1, min(len(items), workers * 8))
    bins: list[list[tuple[int, str, str, int, int]]] = [[] for _ in range(n)]
    load = [0] * n
    for item in sorted(items, key=lambda it: -it[3]):
        i = load.index(min(load))
        bins[i].append(item)
        load[i] += item[3] + 1
    return [sorted(b) for b in bins if b]


def _pool_context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker in milliseconds; the parent has no threads at this point
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform.startswith("linux") else None)


def _compile_all(
    items: list[tuple[int, str, str, int, int]], progress: Progress | None
) -> Iterator[Compiled]:
    """Compile ``items`` (pos, path, display, size, mtime_ns), on a pool when there are many.

    When worker processes cannot be started or die, the rest is compiled here.
    """
    total = len(items)
    big = total >= POOL_MIN_FILES and sum(it[3] for it in items) >= POOL_MIN_BYTES
    done: set[int] = set()

    def step(result: Compiled) -> Compiled:
        done.add(result.pos)
        if progress is not None:
            progress(len(done), total)
        return result

    if progress is not None:
        progress(0, total)
    if big and POOL_WORKERS >= 2:
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        try:
            with ProcessPoolExecutor(max_workers=POOL_WORKERS, mp_context=_pool_context()) as pool:
                pending = {pool.submit(_compile_batch, batch) for batch in _batches(items, POOL_WORKERS)}
                while pending:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        for result in future.result():
                            yield step(result)
        except (OSError, BrokenProcessPool):
            pass  # no processes here (a sandbox, no /dev/shm …): do the rest in this one
    for item in items:
        if item[0] not in done:
            yield step(compile_file(*item))


# --------------------------------------------------------------------------- the database


def _open(path: Path | None, *, private: bool = False) -> sqlite3.Connection:
    """Open (creating) the cache at ``path`` (None: in memory); raise sqlite3.Error if unusable.

    ``private``: a file no other process sees yet (a cold build), written without a journal.
    """
    conn = sqlite3.connect(
        ":memory:" if path is None else str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None
    )
    try:
        if private:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
        elif path is not None:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last write is harmless
        conn.execute("PRAGMA temp_store=MEMORY")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("PRAGMA user_version").fetchone()[0] == 0:  # not made meanwhile
                    if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                        raise sqlite3.DatabaseError("not a csdrill cache")
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT_KEY,))
                    conn.execute("PRAGMA user_version = 1")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None or row[0] != FORMAT_KEY:
            raise sqlite3.DatabaseError("a cache of another version")
        conn.execute("CREATE TEMP TABLE active (pos INTEGER PRIMARY KEY, file_id INT, exam_id TEXT)")
    except BaseException:
        conn.close()
        raise
    return conn


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def connect(folder: Path | None) -> sqlite3.Connection | None:
    """The cache in ``folder``; None when there is none yet (a damaged or foreign one is deleted).

    Without a folder, or when it cannot be used, the cache is in memory.
    """
    if folder is None:
        return _open(None)
    path = folder / CACHE_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return _open(None)
    if not path.exists():
        return None
    try:
        return _open(path)
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            return _open(None)  # another process holds it for long: do without
    except sqlite3.DatabaseError:
        pass
    _remove_quietly(path)
    return None if not path.exists() else _open(None)


def _cold_build(
    folder: Path,
    files: Sequence[Path],
    displays: Sequence[str],
    progress: ProgressFactory | None,
) -> tuple[sqlite3.Connection, list[int | None], list[list[Problem]]] | None:
    """Build a new cache in a private file, then move it into place.

    Writing without a journal and moving the finished file into place spares a
    cold build the write-ahead log (which would copy every page twice). None
    when another process put a cache in place first (the caller then refreshes that one).
    """
    final = folder / CACHE_NAME
    for old in folder.glob(f"{CACHE_NAME}.*.tmp"):  # left by a killed build
        with contextlib.suppress(OSError):
            if time.time() - old.stat().st_mtime > 3600:
                old.unlink()
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f"{CACHE_NAME}.", suffix=".tmp", dir=folder)
    os.close(fd)  # an empty file is an empty database to SQLite
    tmp = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o666 & ~umask)  # as SQLite would create it (mkstemp makes it private)
    try:
        conn = _open(tmp, private=True)
        try:
            ids, problems = refresh(conn, files, displays, progress)
            conn.execute("PRAGMA journal_mode=WAL")
        finally:
            conn.close()
        try:
            os.link(tmp, final)  # fails if a cache appeared meanwhile: never replace one in use
        except FileExistsError:
            return None
        except OSError:  # no hard links here
            if final.exists():
                return None
            os.rename(tmp, final)
        return _open(final), ids, problems
    finally:
        _remove_quietly(tmp)  # also when interrupted


def _busy(exc: sqlite3.Error) -> bool:
    """Another process holds the cache (past the busy timeout): not damage."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        _remove(path)


# --------------------------------------------------------------------------- refreshing


class _Cached(NamedTuple):
    id: int
    size: int
    mtime_ns: int
    digest: str


def _stored_mtime(mtime_ns: int) -> int:
    return -1 if time.time_ns() - mtime_ns < RACY_NS else mtime_ns


def _write(conn: sqlite3.Connection, key: str, result: Compiled) -> int | None:
    """Replace the rows of one file (inside the caller's transaction); its id, None when invalid."""
    old = conn.execute("SELECT id FROM files WHERE path = ?", (key,)).fetchone()
    if old is not None:
        conn.execute("DELETE FROM sections WHERE file_id = ?", (old[0],))
        conn.execute("DELETE FROM questions WHERE file_id = ?", (old[0],))
    if result.exam is None:
        if old is not None:
            conn.execute("DELETE FROM files WHERE id = ?", (old[0],))
        return None
    values = (result.size, _stored_mtime(result.mtime_ns), result.digest, *result.exam)
    if old is not None:
        file_id = old[0]
        conn.execute(
            "UPDATE files SET size = ?, mtime_ns = ?, digest = ?, exam_id = ?, title = ?, language = ?, "
            "source = ?, description = ? WHERE id = ?",
            (*values, file_id),
        )
    else:
        cur = conn.execute(
            "INSERT INTO files (path, size, mtime_ns, digest, exam_id, title, language, source, description) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, *values),
        )
        assert cur.lastrowid is not None
        file_id = cur.lastrowid
    conn.executemany(
        "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(file_id, *row) for row in result.sections]
    )
    conn.executemany(
        "INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(file_id, *row) for row in result.questions]
    )
    return int(file_id)


def _forget(conn: sqlite3.Connection, gone: list[int]) -> None:
    """Drop the rows of files that no longer exist (renamed or deleted), to keep the cache small."""
    rows = [(fid,) for fid in gone]
    conn.executemany("DELETE FROM sections WHERE file_id = ?", rows)
    conn.executemany("DELETE FROM questions WHERE file_id = ?", rows)
    conn.executemany("DELETE FROM files WHERE id = ?", rows)


def refresh(
    conn: sqlite3.Connection,
    files: Sequence[Path],
    displays: Sequence[str],
    progress: ProgressFactory | None = None,
) -> tuple[list[int | None], list[list[Problem]]]:
    """Bring the cache up to date with ``files``; return each file's cache id (None: invalid) and problems."""
    keys: list[str] = []
    stats: list[os.stat_result | None] = []
    for path in files:
        try:
            keys.append(str(path.resolve()))
        except OSError:
            keys.append(os.path.abspath(path))
        try:
            stats.append(path.stat())
        except OSError:
            stats.append(None)
    cached = {
        row[0]: _Cached(*row[1:])
        for row in conn.execute("SELECT path, id, size, mtime_ns, digest FROM files").fetchall()
    }
    ids: list[int | None] = [None] * len(files)
    problems: list[list[Problem]] = [[] for _ in files]
    touch: list[tuple[int, int, int]] = []
    todo: list[tuple[int, str, str, int, int]] = []
    for pos, (key, st) in enumerate(zip(keys, stats, strict=True)):
        row = cached.get(key)
        if st is None:
            todo.append((pos, key, displays[pos], 0, 0))  # reports that it cannot be read
            continue
        if row is not None:
            if row.size == st.st_size and row.mtime_ns == st.st_mtime_ns:
                ids[pos] = row.id
                continue
            try:
                same = digest_of(Path(key).read_bytes()) == row.digest
            except OSError:
                same = False
            if same:
                ids[pos] = row.id
                touch.append((st.st_size, _stored_mtime(st.st_mtime_ns), row.id))
                continue
        todo.append((pos, key, displays[pos], st.st_size, st.st_mtime_ns))
    active = set(keys)
    gone = [row.id for key, row in cached.items() if key not in active and not os.path.exists(key)]
    if not todo and not touch and not gone:
        return ids, problems
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", touch)
        _forget(conn, gone)
        if todo:
            show = progress(len(todo), sum(it[3] for it in todo)) if progress is not None else None
            if show is None:
                _build(conn, keys, todo, ids, problems, None)
            else:
                with show as step:
                    _build(conn, keys, todo, ids, problems, step)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return ids, problems


def _build(
    conn: sqlite3.Connection,
    keys: list[str],
    todo: list[tuple[int, str, str, int, int]],
    ids: list[int | None],
    problems: list[list[Problem]],
    step: Progress | None,
) -> None:
    with collector_paused():  # parsing here (or receiving workers' rows) and writing them
        for result in _compile_all(todo, step):
            ids[result.pos] = _write(conn, keys[result.pos], result)
            problems[result.pos] = result.problems


# --------------------------------------------------------------------------- the catalog


class Catalog:
    """The active bank, as served from the cache: metadata, selections, questions by uid."""

    def __init__(self, conn: sqlite3.Connection, files: Sequence[Path], displays: Sequence[str]) -> None:
        self.conn = conn
        self.files = list(files)
        self.displays = list(displays)
        self._exams: list[ExamInfo] | None = None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- metadata ------------------------------------------------------------------

    def exams(self) -> list[ExamInfo]:
        """Every exam with its sections and their question counts, in bank order."""
        if self._exams is None:
            sections: dict[int, list[SectionInfo]] = {}
            for file_id, sid, title, kind, points, instructions, count in self.conn.execute(
                "SELECT s.file_id, s.section_id, s.title, s.kind, s.points, s.instructions, s.count "
                "FROM sections s JOIN active a ON a.file_id = s.file_id ORDER BY a.pos, s.ord"
            ):
                sections.setdefault(file_id, []).append(
                    SectionInfo(sid, title, _KINDS[kind], count, points, instructions)
                )
            exams = []
            for pos, file_id, exam_id, title, language, source, description in self.conn.execute(
                "SELECT a.pos, f.id, f.exam_id, f.title, f.language, f.source, f.description "
                "FROM active a JOIN files f ON f.id = a.file_id ORDER BY a.pos"
            ):
                exams.append(
                    ExamInfo(
                        exam_id,
                        title,
                        tuple(sections.get(file_id, ())),
                        language,
                        source,
                        description,
                        self.displays[pos],
                    )
                )
            self._exams = exams
        return self._exams

    def exam(self, exam_id: str) -> ExamInfo | None:
        for e in self.exams():
            if e.id == exam_id:
                return e
        return None

    def check(self, exam: str | None, section: str | None) -> None:
        """Raise the usage error of ``session.select`` for an unknown exam or section id."""
        from cs_drill.study.select import check_filter

        check_filter(self.exams(), exam, section)

    def count(self, exam: str | None = None, section: str | None = None) -> int:
        return sum(
            s.question_count
            for e in self.exams()
            if exam is None or e.id == exam
            for s in e.sections
            if section is None or s.id == section
        )

    # -- questions -------------------------------------------------------------------

    @staticmethod
    def _where(exam: str | None, section: str | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if exam is not None:
            clauses.append("a.exam_id = ?")
            params.append(exam)
        if section is not None:
            clauses.append("q.section_id = ?")
            params.append(section)
        return (" AND " + " AND ".join(clauses) if clauses else ""), params

    def refs(self, exam: str | None = None, section: str | None = None) -> list[QuestionRef]:
        """Uid and kind of the selected questions, in source order (no question text is read)."""
        self.check(exam, section)
        where, params = self._where(exam, section)
        return [
            QuestionRef(uid, _KINDS[kind])
            for uid, kind in self.conn.execute(
                "SELECT q.uid, q.kind FROM active a CROSS JOIN questions q ON q.file_id = a.file_id "
                f"WHERE 1{where} ORDER BY a.pos, q.ord",
                params,
            )
        ]

    def iter_questions(
        self, exam: str | None = None, section: str | None = None, batch: int = 2000
    ) -> Iterator[Question]:
        """The selected questions in source order, read in batches."""
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
                yield _question(*row)

    def questions(self, uids: Iterable[str]) -> list[Question]:
        """The questions with these uids, in the order given (unknown uids are left out)."""
        wanted = list(uids)
        found: dict[str, Question] = {}
        unique = sorted(set(wanted))
        for i in range(0, len(unique), _CHUNK):
            chunk = unique[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for exam_id, section_id, qid, kind, data in self.conn.execute(
                "SELECT a.exam_id, q.section_id, q.qid, q.kind, q.data FROM questions q "
                f"CROSS JOIN active a ON a.file_id = q.file_id WHERE q.uid IN ({marks})",
                chunk,
            ):
                found[f"{exam_id}/{qid}"] = _question(exam_id, section_id, qid, kind, data)
        return [found[uid] for uid in wanted if uid in found]

    def bank(self) -> Bank:
        """The whole bank as model objects (what ``loader.load_bank`` returns)."""
        exams = self.exams()
        by_section: dict[tuple[str, str], list[Question]] = {}
        for q in self.iter_questions():
            by_section.setdefault((q.exam_id, q.section_id), []).append(q)
        return Bank(
            tuple(
                Exam(
                    id=e.id,
                    title=e.title,
                    sections=tuple(
                        Section(
                            id=s.id,
                            title=s.title,
                            kind=s.kind,
                            questions=tuple(by_section.get((e.id, s.id), ())),
                            points=s.points,
                            instructions=s.instructions,
                        )
                        for s in e.sections
                    ),
                    language=e.language,
                    source=e.source,
                    description=e.description,
                    path=e.path,
                )
                for e in exams
            )
        )

    # -- with the review history -------------------------------------------------------

    def _attach(self, history: Path) -> bool:
        if not history.is_file():
            return False
        self.conn.execute("ATTACH DATABASE ? AS hist", (str(history),))
        return True

    def _detach(self) -> None:
        self.conn.execute("DETACH DATABASE hist")

    def review_pool(
        self,
        history: Path,
        now: datetime,
        new_limit: int,
        exam: str | None = None,
        section: str | None = None,
    ) -> tuple[list[str], list[str], int, datetime | None]:
        """Due uids, the first ``new_limit`` new uids (source order), how many are new, the next due date.

        Due means: reviewed before and due at or before ``now``, as ``session.is_due``.
        """
        self.check(exam, section)
        where, params = self._where(exam, section)
        if not self._attach(history):
            refs = self.refs(exam, section)
            return [], [r.uid for r in refs[: max(0, new_limit)]], len(refs), None
        try:
            stamp = _stamp(now)
            join = (
                "FROM hist.cards c CROSS JOIN questions q ON q.uid = c.uid "
                "JOIN active a ON a.file_id = q.file_id "
            )
            due = [
                uid
                for (uid,) in self.conn.execute(
                    f"SELECT c.uid {join} WHERE c.state != 'new' AND c.due <= ?{where} ORDER BY a.pos, q.ord",
                    [stamp, *params],
                )
            ]
            seen, next_due = self.conn.execute(
                f"SELECT count(*), min(CASE WHEN c.due > ? THEN c.due END) {join} WHERE c.state != 'new'{where}",
                [stamp, *params],
            ).fetchone()
            new = [
                uid
                for (uid,) in self.conn.execute(
                    "SELECT q.uid FROM active a CROSS JOIN questions q ON q.file_id = a.file_id "
                    f"WHERE NOT EXISTS (SELECT 1 FROM hist.cards c WHERE c.uid = q.uid AND c.state != 'new'){where} "
                    "ORDER BY a.pos, q.ord LIMIT ?",
                    [*params, max(0, new_limit)],
                )
            ]
        finally:
            self._detach()
        total = self.count(exam, section)
        return due, new, total - seen, _parse_stamp(next_due)

    def due_counts(self, history: Path, now: datetime) -> dict[tuple[str, str], int]:
        """How many cards are due now in each (exam id, section id), as ``session.due_counts``."""
        counts = {(e.id, s.id): 0 for e in self.exams() for s in e.sections}
        if not self._attach(history):
            return counts
        try:
            for exam_id, section_id, n in self.conn.execute(
                "SELECT a.exam_id, q.section_id, count(*) FROM hist.cards c "
                "CROSS JOIN questions q ON q.uid = c.uid JOIN active a ON a.file_id = q.file_id "
                "WHERE c.state != 'new' AND c.due <= ? GROUP BY a.exam_id, q.section_id",
                (_stamp(now),),
            ):
                counts[(exam_id, section_id)] = n
        finally:
            self._detach()
        return counts


def _stamp(now: datetime) -> str:
    # the store's format: aware UTC, ISO 8601 with microseconds (so text order is time order)
    return now.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _parse_stamp(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(timezone.utc)


def open_catalog(
    paths: Sequence[Path],
    folder: Path | None,
    progress: ProgressFactory | None = None,
) -> Catalog:
    """Check the bank files under ``paths`` against the cache in ``folder`` and open the catalog.

    Raise ``BankError`` with every problem of every file (as ``loader.load_bank``) when the
    bank is not valid: nothing is served from the cache then.
    """
    files, found_problems = bank_files(paths)
    displays = [display_name(p) for p in files]
    conn = connect(folder)
    built = None
    if conn is None and folder is not None:
        try:
            built = _cold_build(folder, files, displays, progress)
        except (OSError, sqlite3.Error):
            built = None
        if built is None:
            conn = connect(folder) or _open(None)
    if built is not None:
        conn, ids, problems = built
    assert conn is not None
    try:
        if built is None:
            try:
                ids, problems = refresh(conn, files, displays, progress)
            except sqlite3.Error as exc:
                conn.close()
                if folder is not None and not _busy(exc):  # damaged: the next run builds a new one
                    _remove_quietly(folder / CACHE_NAME)
                conn = _open(None)  # do without a cache this time
                ids, problems = refresh(conn, files, displays, progress)
        exam_ids: dict[int, str] = {}
        valid = [i for i in ids if i is not None]
        for i in range(0, len(valid), _CHUNK):
            chunk = valid[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            exam_ids.update(conn.execute(f"SELECT id, exam_id FROM files WHERE id IN ({marks})", chunk).fetchall())
        all_problems = list(found_problems)
        seen: dict[str, str] = {}
        rows: list[tuple[int, int, str]] = []
        for pos, file_id in enumerate(ids):
            all_problems.extend(problems[pos])
            if file_id is None:
                continue
            exam_id = exam_ids[file_id]
            duplicate = duplicate_exam_id(seen, exam_id, displays[pos], files[pos])
            if duplicate is not None:
                all_problems.append(duplicate)
                continue
            rows.append((pos, file_id, exam_id))
        if all_problems:
            raise BankError(all_problems)
        conn.executemany("INSERT INTO temp.active VALUES (?, ?, ?)", rows)
    except BaseException:
        conn.close()
        raise
    return Catalog(conn, files, displays)



class LazyQuestions(Sequence[Question]):
    """The questions of ``refs``, read from the catalog a page at a time as they are asked."""

    def __init__(self, catalog: Catalog, refs: Sequence[QuestionRef], page: int = 10) -> None:
        self.catalog = catalog
        self.refs = refs
        self.page = page
        self._pages: dict[int, list[Question]] = {}

    def __len__(self) -> int:
        return len(self.refs)

    def _at(self, index: int) -> Question:
        n = index // self.page
        if n not in self._pages:
            if len(self._pages) > 8:
                self._pages.clear()
            chunk = self.refs[n * self.page : (n + 1) * self.page]
            self._pages[n] = self.catalog.questions(r.uid for r in chunk)
        return self._pages[n][index % self.page]

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._at(index)


# --------------------------------------------------------------------------- a light bank for stats


class LightQuestion(NamedTuple):
    """A question as ``csdrill stats`` needs it; prompt and hash only for cards with history."""

    uid: str
    exam_id: str
    prompt: str = ""
    content_hash: str = ""


class LightSection(NamedTuple):
    id: str
    title: str
    questions: tuple[LightQuestion, ...]


class LightExam(NamedTuple):
    id: str
    title: str
    sections: tuple[LightSection, ...]


class LightBank(NamedTuple):
    """The bank's structure with light questions: the whole of a large bank, in little memory."""

    exams: tuple[LightExam, ...]

    def questions(self) -> list[LightQuestion]:
        return [q for e in self.exams for s in e.sections for q in s.questions]

    def select(self, exam: str | None = None, section: str | None = None) -> list[LightQuestion]:
        """As ``session.select`` (the ids are checked by ``Catalog.check``)."""
        return [
            q
            for e in self.exams
            if exam is None or e.id == exam
            for s in e.sections
            if section is None or s.id == section
            for q in s.questions
        ]


def light_bank(catalog: Catalog, with_text: Iterable[str]) -> LightBank:
    """The active bank as a ``LightBank``; the questions ``with_text`` (uids) carry prompt and hash."""
    full = {q.uid: q for q in catalog.questions(with_text)}
    by_section: dict[tuple[str, str], list[LightQuestion]] = {}
    for exam_id, section_id, uid in catalog.conn.execute(
        "SELECT a.exam_id, q.section_id, q.uid FROM active a CROSS JOIN questions q ON q.file_id = a.file_id "
        "ORDER BY a.pos, q.ord"
    ):
        q = full.get(uid)
        light = LightQuestion(uid, exam_id) if q is None else LightQuestion(uid, exam_id, q.prompt, q.content_hash)
        by_section.setdefault((exam_id, section_id), []).append(light)
    return LightBank(
        tuple(
            LightExam(
                e.id,
                e.title,
                tuple(LightSection(s.id, s.title, tuple(by_section.get((e.id, s.id), ()))) for s in e.sections),
            )
            for e in catalog.exams()
        )
    )
