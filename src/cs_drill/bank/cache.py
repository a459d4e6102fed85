"""A compiled cache of the bank: the SQLite file that the catalog serves sessions from.

The cache is one SQLite file under ``config.cache_dir()`` (``bank.sqlite3``). Each bank
file is keyed by its absolute path, size, modification time, change time, inode and a
content digest; a file whose size, mtime, ctime or inode changed is hashed again (a
same-size edit may put its mtime back; its ctime still moves), and parsed again only when its
digest changed too. Only valid files are stored: a file that fails validation is
parsed (and reported) on every run until it is fixed, so its problems are never
stored and always read in the language of the run. The YAML always wins: a cache
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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from cs_drill import __version__, _signals, i18n
from cs_drill._gc import collector_paused
from cs_drill.bank import spec
from cs_drill.bank.model import Exam, KeyPoint, Kind, Question, Section
from cs_drill.errors import Problem
from cs_drill.i18n import _

CACHE_NAME = "bank.sqlite3"
#: Bump when the stored rows change meaning (a loader rule, the blob layout).
FORMAT = 6
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
    ctime_ns    INT NOT NULL,
    inode       INT NOT NULL,
    digest      TEXT NOT NULL,
    exam_id     TEXT NOT NULL,
    data        BLOB NOT NULL
);
CREATE TABLE sections (
    file_id    INT NOT NULL,
    ord        INT NOT NULL,
    section_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    count      INT NOT NULL,
    data       BLOB NOT NULL,
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
-- covering: refs by uid (the due cards of a long history) without reading the rows
CREATE INDEX questions_uid ON questions (uid, file_id, ord, section_id, kind);
"""

Progress = Callable[[int, int], None]
"""Called with (files done, files to parse) while a build runs."""
ProgressFactory = Callable[[int, int], Any]
"""Given the number of files and bytes to parse: a context manager yielding a ``Progress``, or None."""


# --------------------------------------------------------------------------- compiling


class Compiled(NamedTuple):
    """One parsed file: its stat and digest, and its rows (or its problems)."""

    pos: int
    size: int
    mtime_ns: int
    digest: str
    exam: tuple[Any, ...] | None  # (exam_id, data)
    sections: list[tuple[Any, ...]]  # (ord, section_id, kind, count, data)
    questions: list[tuple[Any, ...]]  # (ord, sec_ord, section_id, qid, uid, kind, data)
    problems: list[Problem]


def digest_of(data: bytes) -> str:
    import hashlib  # on first use: a warm start hashes nothing

    return hashlib.blake2b(data, digest_size=16).hexdigest()


_EXAM_KEYS = spec.scalar_keys(spec.EXAM)
_SECTION_KEYS = spec.scalar_keys(spec.SECTION)
#: A question's columns are stored apart (uid, section, kind); the blob holds the other fields.
_QUESTION_KEYS = tuple(k for k in Question._fields if k not in ("id", "exam_id", "section_id", "kind"))


def _plain(value: Any) -> Any:
    """A value as marshal stores it: a kind by its name, key points as pairs."""
    if isinstance(value, Kind):
        return value.value
    if isinstance(value, tuple) and value and isinstance(value[0], KeyPoint):
        return tuple(tuple(k) for k in value)
    return value


def encode(record: Any, names: Sequence[str]) -> bytes:
    """The fields ``names`` of a record (exam, section or question) as one blob."""
    return marshal.dumps(tuple(_plain(getattr(record, n)) for n in names))


def decode_exam(data: bytes, sections: tuple[Section, ...], path: str) -> Exam:
    return Exam(**dict(zip(_EXAM_KEYS, marshal.loads(data), strict=True)), sections=sections, path=path)


def decode_section(data: bytes, count: int) -> Section:
    values = dict(zip(_SECTION_KEYS, marshal.loads(data), strict=True))
    values["kind"] = _KINDS[values["kind"]]
    return Section(question_count=count, **values)


def decode_question(exam_id: str, section_id: str, qid: str, kind: str, data: bytes) -> Question:
    values = dict(zip(_QUESTION_KEYS, marshal.loads(data), strict=True))
    values["key_points"] = tuple(KeyPoint(*k) for k in values["key_points"])
    return Question(id=qid, exam_id=exam_id, section_id=section_id, kind=_KINDS[kind], **values)


def compile_file(pos: int, path: str, display: str, size: int, mtime_ns: int) -> Compiled:
    """Parse and validate one file into rows (run in this process or in a worker)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        # TRANSLATORS: {reason} is the system's reason, e.g. "Permission denied".
        message = _("cannot read the file: {reason}").format(reason=exc.strerror or exc)
        problem = Problem(display, 0, 0, "", message)
        return Compiled(pos, size, mtime_ns, "", None, [], [], [problem])
    # imported when a file is (re)parsed: a warm start needs no validator
    from cs_drill.bank.validate import load_data

    found, problems = load_data(data, display)
    if found is None or problems:
        return Compiled(pos, size, mtime_ns, "", None, [], [], problems)
    exam = found.exam
    sections = [
        (s_ord, s.id, s.kind.value, s.question_count, encode(s, _SECTION_KEYS)) for s_ord, s in enumerate(exam.sections)
    ]
    s_ords = {s.id: n for n, s in enumerate(exam.sections)}
    questions = [
        (
            n,
            s_ords[q.section_id],
            q.section_id,
            q.id,
            q.uid,
            q.kind.value,
            encode(q, _QUESTION_KEYS),
        )
        for n, q in enumerate(found.questions)
    ]
    meta = (exam.id, encode(exam, _EXAM_KEYS))
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


#: How often a worker checks that its parent is still there (where no death signal exists).
WATCH_S = 0.5
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Make this worker end when ``parent`` (the building process) dies, even by kill -9.

    On Linux the kernel sends SIGKILL (prctl PR_SET_PDEATHSIG); everywhere a daemon
    thread also checks the parent's pid and ends the worker when it changed.
    """
    import signal
    import threading

    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_S)
        os._exit(1)

    if os.getppid() != parent:  # died before the death signal was set
        os._exit(1)
    threading.Thread(target=watch, name="csdrill-parent-watch", daemon=True).start()


def _worker_init(parent: int, lang: str | None) -> None:
    """A worker's set-up: end with the parent; write problems in the parent's language.

    ``lang`` is None for a forked worker (it has the parent's); a spawned one starts in English.
    """
    _signals.released_in_worker()
    _die_with(parent)
    if lang is not None:
        i18n.setup(lang)


def _compile_all(items: list[tuple[int, str, str, int, int]], progress: Progress | None) -> Iterator[Compiled]:
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
        from functools import partial

        try:
            context = _pool_context()
            # A problem's message is written in the worker, in the language of the moment: a forked
            # worker has the parent's; a spawned one is told it.
            lang = None if context.get_start_method() == "fork" else i18n.current()
            initializer = partial(_worker_init, os.getpid(), lang)
            with ProcessPoolExecutor(max_workers=POOL_WORKERS, mp_context=context, initializer=initializer) as pool:
                # Submitting starts the workers (fork) and the pool's thread: a signal's exception
                # raised half-way would leave the pool half made; it waits until they run.
                with _signals.held():
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
    conn = sqlite3.connect(":memory:" if path is None else str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
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
    _remove_dead_builds(folder)
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f"{CACHE_NAME}.{os.getpid()}.", suffix=".tmp", dir=folder)
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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True  # another user's process, or cannot tell: alive
    return True


def _remove_dead_builds(folder: Path) -> None:
    """Remove the temporary files of builds that were killed (``bank.sqlite3.<pid>.<random>.tmp``).

    A file whose builder's pid is gone is removed at once; one of unknown or living
    pid (another machine sharing the folder, a reused pid) after an hour.
    """
    for old in folder.glob(f"{CACHE_NAME}.*.tmp"):
        pid_text = old.name[len(CACHE_NAME) + 1 :].split(".", 1)[0]
        with contextlib.suppress(OSError):
            dead = pid_text.isdigit() and int(pid_text) != os.getpid() and not _pid_alive(int(pid_text))
            if dead or time.time() - old.stat().st_mtime > 3600:
                old.unlink()


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
    ctime_ns: int
    inode: int
    digest: str


def _stored_mtime(mtime_ns: int) -> int:
    return -1 if time.time_ns() - mtime_ns < RACY_NS else mtime_ns


def _identity(st: os.stat_result | None) -> tuple[int, int]:
    """A file's ctime and inode as stored: a same-size edit with its mtime put back still changes these."""
    if st is None:
        return -1, -1
    return _stored_mtime(st.st_ctime_ns), st.st_ino


def _write(conn: sqlite3.Connection, key: str, result: Compiled, ident: tuple[int, int] = (-1, -1)) -> int | None:
    """Replace the rows of one file (inside the caller's transaction); its id, None when invalid."""
    old = conn.execute("SELECT id FROM files WHERE path = ?", (key,)).fetchone()
    if old is not None:
        conn.execute("DELETE FROM sections WHERE file_id = ?", (old[0],))
        conn.execute("DELETE FROM questions WHERE file_id = ?", (old[0],))
    if result.exam is None:
        if old is not None:
            conn.execute("DELETE FROM files WHERE id = ?", (old[0],))
        return None
    values = (result.size, _stored_mtime(result.mtime_ns), *ident, result.digest, *result.exam)
    if old is not None:
        file_id = old[0]
        conn.execute(
            "UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, inode = ?, digest = ?, exam_id = ?, data = ? "
            "WHERE id = ?",
            (*values, file_id),
        )
    else:
        cur = conn.execute(
            "INSERT INTO files (path, size, mtime_ns, ctime_ns, inode, digest, exam_id, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, *values),
        )
        assert cur.lastrowid is not None
        file_id = cur.lastrowid
    conn.executemany(
        "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?)",
        [(file_id, *row) for row in result.sections],
    )
    conn.executemany(
        "INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(file_id, *row) for row in result.questions],
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
        for row in conn.execute("SELECT path, id, size, mtime_ns, ctime_ns, inode, digest FROM files").fetchall()
    }
    ids: list[int | None] = [None] * len(files)
    problems: list[list[Problem]] = [[] for _ in files]
    touch: list[tuple[int, int, int, int, int]] = []
    todo: list[tuple[int, str, str, int, int]] = []
    for pos, (key, st) in enumerate(zip(keys, stats, strict=True)):
        row = cached.get(key)
        if st is None:
            todo.append((pos, key, displays[pos], 0, 0))  # reports that it cannot be read
            continue
        if row is not None:
            if (
                row.size == st.st_size
                and row.mtime_ns == st.st_mtime_ns
                and row.ctime_ns == st.st_ctime_ns
                and row.inode == st.st_ino
            ):
                ids[pos] = row.id
                continue
            # size, mtime, ctime or inode changed (a same-size edit may put its mtime back): hash it
            try:
                same = digest_of(Path(key).read_bytes()) == row.digest
            except OSError:
                same = False
            if same:
                ids[pos] = row.id
                touch.append((st.st_size, _stored_mtime(st.st_mtime_ns), *_identity(st), row.id))
                continue
        todo.append((pos, key, displays[pos], st.st_size, st.st_mtime_ns))
    active = set(keys)
    gone = [row.id for key, row in cached.items() if key not in active and not os.path.exists(key)]
    if not todo and not touch and not gone:
        return ids, problems
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, inode = ? WHERE id = ?", touch)
        _forget(conn, gone)
        if todo:
            show = progress(len(todo), sum(it[3] for it in todo)) if progress is not None else None
            if show is None:
                _build(conn, keys, stats, todo, ids, problems, None)
            else:
                with show as step:
                    _build(conn, keys, stats, todo, ids, problems, step)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return ids, problems


def _build(
    conn: sqlite3.Connection,
    keys: list[str],
    stats: list[os.stat_result | None],
    todo: list[tuple[int, str, str, int, int]],
    ids: list[int | None],
    problems: list[list[Problem]],
    step: Progress | None,
) -> None:
    with collector_paused():  # parsing here (or receiving workers' rows) and writing them
        for result in _compile_all(todo, step):
            ids[result.pos] = _write(conn, keys[result.pos], result, _identity(stats[result.pos]))
            problems[result.pos] = result.problems


# --------------------------------------------------------------------------- opening


def open_cache(
    paths: Sequence[Path],
    folder: Path | None,
    progress: ProgressFactory | None = None,
) -> tuple[sqlite3.Connection, list[Path], list[str]]:
    """Check the bank files under ``paths`` against the cache in ``folder``; the open cache.

    The connection's ``temp.active`` table lists the files of this bank (pos, file id,
    exam id) in bank order. Raise ``BankError`` with every problem of every file (as
    ``validate.load_files``) when the bank is not valid: nothing is served from the cache then.
    """
    from cs_drill.bank.files import bank_files, display_name, duplicate_exam_id
    from cs_drill.errors import BankError

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
    return conn, files, displays
