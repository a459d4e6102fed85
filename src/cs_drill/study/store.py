"""The review history in SQLite: schema migrations, card states, the append-only review log.

One entry point, :func:`connect`. Every answer is written by :meth:`Store.record`
in one transaction that is committed (WAL, ``synchronous=FULL``) before it
returns. Datetimes are stored as ISO-8601 UTC text with ``+00:00`` and always
returned as aware UTC datetimes. The history is never dropped: schema changes
are ordered migrations recorded in ``PRAGMA user_version``, and an existing
database is copied to ``history.sqlite3.bak-v{old}`` before it is upgraded.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from cs_drill import _signals
from cs_drill.errors import StoreError
from cs_drill.i18n import N_, _
from cs_drill.study.card import STATES, CardState, Rating

__all__ = [
    "DB_NAME",
    "LATEST_VERSION",
    "MIGRATIONS",
    "MODES",
    "SCHEMA_V1",
    "Attempt",
    "ReviewRow",
    "Store",
    "connect",
    "has_history",
]

DB_NAME = "history.sqlite3"
MODES = ("quiz", "review", "practice", "exam")
"""How answers are recorded: ``practice`` answers count in stats but leave the schedule alone."""
BUSY_TIMEOUT_MS = 10_000
_CHUNK = 500  # uids per query, well under SQLite's bound-parameter limit

#: Version 1: the first schema.
SCHEMA_V1 = """
CREATE TABLE cards (
    uid          TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('new', 'learning', 'review', 'relearning')),
    step         INT,
    stability    REAL,
    difficulty   REAL,
    due          TEXT,
    last_review  TEXT,
    reps         INT NOT NULL DEFAULT 0,
    lapses       INT NOT NULL DEFAULT 0
);
CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    rating      INT NOT NULL CHECK (rating BETWEEN 1 AND 4),
    correct     INT CHECK (correct IN (0, 1)),
    answer      TEXT NOT NULL DEFAULT '',
    duration_ms INT,
    mode        TEXT NOT NULL CHECK (mode IN ('quiz', 'review'))
);
"""

#: Version 2: indexes for the common lookups, and when each card was first seen.
MIGRATION_V2 = """
ALTER TABLE cards ADD COLUMN first_seen TEXT;
UPDATE cards SET first_seen = (
    SELECT MIN(reviews.reviewed_at) FROM reviews WHERE reviews.uid = cards.uid
);
CREATE INDEX reviews_uid ON reviews (uid);
CREATE INDEX reviews_reviewed_at ON reviews (reviewed_at);
CREATE INDEX cards_due ON cards (due);
"""

#: Version 3: the review log without a CHECK on its mode, so that a new mode (exam, …)
#: needs no table rebuild; the mode is checked where a review is recorded (``MODES``).
MIGRATION_V3 = """
CREATE TABLE reviews_v3 (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    rating      INT NOT NULL CHECK (rating BETWEEN 1 AND 4),
    correct     INT CHECK (correct IN (0, 1)),
    answer      TEXT NOT NULL DEFAULT '',
    duration_ms INT,
    mode        TEXT NOT NULL
);
INSERT INTO reviews_v3 (id, uid, reviewed_at, rating, correct, answer, duration_ms, mode)
    SELECT id, uid, reviewed_at, rating, correct, answer, duration_ms, mode FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_v3 RENAME TO reviews;
CREATE INDEX reviews_uid ON reviews (uid);
CREATE INDEX reviews_reviewed_at ON reviews (reviewed_at);
"""

#: Version 4: stars (收藏), and where a source-order quiz of a selection stopped (to resume there).
MIGRATION_V4 = """
CREATE TABLE stars (
    uid        TEXT PRIMARY KEY,
    starred_at TEXT NOT NULL
);
CREATE TABLE places (
    selection  TEXT PRIMARY KEY,
    uid        TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

#: Version 5: mock-exam attempts, and the date of the interview or test (a plan).
MIGRATION_V5 = """
CREATE TABLE attempts (
    id         INTEGER PRIMARY KEY,
    exam_id    TEXT NOT NULL,
    section_id TEXT,
    started_at TEXT NOT NULL,
    seconds    REAL NOT NULL,
    points     REAL NOT NULL,
    possible   REAL NOT NULL,
    pass_mark  REAL NOT NULL,
    passed     INT NOT NULL CHECK (passed IN (0, 1))
);
CREATE INDEX attempts_exam ON attempts (exam_id, started_at);
CREATE TABLE plans (
    exam_id TEXT PRIMARY KEY,
    date    TEXT NOT NULL,
    set_at  TEXT NOT NULL
);
"""

#: A review that is a miss: graded wrong, or self-rated Again (``stats.is_miss`` is its Python twin).
_MISS = "coalesce({r}.correct = 0 OR ({r}.correct IS NULL AND {r}.rating = 1), 0)"
#: The latest review of ``{uid}`` (later ``reviewed_at``, then later id) that meets ``{cond}``.
_LATEST = "(SELECT id FROM reviews x WHERE x.uid = {uid} AND {cond} ORDER BY x.reviewed_at DESC, x.id DESC LIMIT 1)"


def _summary_of(uid: str) -> str:
    """The columns of ``review_summary`` for the uid expression ``uid``, from the reviews table ``r``."""
    return (
        f"count(*), {_LATEST.format(uid=uid, cond='1')}, sum({_MISS.format(r='r')}), "
        f"{_LATEST.format(uid=uid, cond=_MISS.format(r='x'))}, {_LATEST.format(uid=uid, cond='x.rating = 1')}"
    )


#: Version 6: a summary of each card's reviews, kept up to date by triggers as reviews are added
#: and removed, so that stats and personal sheets never read the whole log: how many reviews,
#: the latest one, how many misses and the latest, the latest Again (ids into ``reviews``).
MIGRATION_V6 = f"""
CREATE TABLE review_summary (
    uid           TEXT PRIMARY KEY,
    reviews       INT NOT NULL,
    last_id       INT,
    misses        INT NOT NULL,
    last_miss_id  INT,
    last_again_id INT
);
INSERT INTO review_summary (uid, reviews, last_id, misses, last_miss_id, last_again_id)
    SELECT r.uid, {_summary_of("r.uid")} FROM reviews r GROUP BY r.uid;
CREATE TRIGGER review_summary_insert AFTER INSERT ON reviews BEGIN
    INSERT OR IGNORE INTO review_summary (uid, reviews, misses) VALUES (NEW.uid, 0, 0);
    UPDATE review_summary SET
        reviews = reviews + 1,
        last_id = CASE WHEN last_id IS NULL
                         OR NEW.reviewed_at >= (SELECT reviewed_at FROM reviews WHERE id = last_id)
                       THEN NEW.id ELSE last_id END,
        misses = misses + {_MISS.format(r="NEW")},
        last_miss_id = CASE WHEN {_MISS.format(r="NEW")} AND (last_miss_id IS NULL
                              OR NEW.reviewed_at >= (SELECT reviewed_at FROM reviews WHERE id = last_miss_id))
                            THEN NEW.id ELSE last_miss_id END,
        last_again_id = CASE WHEN NEW.rating = 1 AND (last_again_id IS NULL
                               OR NEW.reviewed_at >= (SELECT reviewed_at FROM reviews WHERE id = last_again_id))
                             THEN NEW.id ELSE last_again_id END
    WHERE uid = NEW.uid;
END;
CREATE TRIGGER review_summary_delete AFTER DELETE ON reviews BEGIN
    DELETE FROM review_summary WHERE uid = OLD.uid;
    INSERT INTO review_summary (uid, reviews, last_id, misses, last_miss_id, last_again_id)
        SELECT OLD.uid, {_summary_of("OLD.uid")} FROM reviews r WHERE r.uid = OLD.uid HAVING count(*) > 0;
END;
"""

#: Version 7: cards by first review, for the daily new-card limit (``first_seen_since``): with
#: a long history every ``review`` read all its cards to count today's new ones; and the due
#: cards' states read from the due index alone (``due_states``: thousands of cards before the
#: first one is shown), not a row look-up each.
MIGRATION_V7 = """
CREATE INDEX cards_first_seen ON cards (first_seen);
DROP INDEX cards_due;
CREATE INDEX cards_due ON cards (due, state, uid, step, stability, difficulty, last_review, reps, lapses);
"""

#: Migration ``n`` (1-based) brings a database from version ``n - 1`` to ``n``.
MIGRATIONS: tuple[str, ...] = (
    SCHEMA_V1,
    MIGRATION_V2,
    MIGRATION_V3,
    MIGRATION_V4,
    MIGRATION_V5,
    MIGRATION_V6,
    MIGRATION_V7,
)
LATEST_VERSION = len(MIGRATIONS)


class Attempt(NamedTuple):
    """One sitting of a mock exam (``csdrill exam``)."""

    exam_id: str
    section_id: str | None
    started_at: datetime
    seconds: float
    points: float
    possible: float
    pass_mark: float
    passed: bool


class ReviewRow(NamedTuple):
    """One entry of the append-only review log."""

    uid: str
    reviewed_at: datetime
    rating: Rating
    correct: bool | None
    answer: str
    duration_ms: int | None
    mode: str


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _at(path: Path, message: str) -> str:
    """A message about the history file: ``path: message`` (the path is not translated)."""
    return f"{path}: {message}"


# TRANSLATORS: {error} is the reason (English, from SQLite or the system).
_READ = N_("cannot read the review history: {error}")
# TRANSLATORS: {error} is SQLite's reason (English).
_OPEN = N_("cannot open the review history: {error}")


def _to_text(value: datetime) -> str:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _opt_text(value: datetime | None) -> str | None:
    return None if value is None else _to_text(value)


def _from_text(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is timezone.utc:  # as csdrill stores them: nothing to convert
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _opt_from_text(text: str | None) -> datetime | None:
    return None if text is None else _from_text(text)


def _statements(script: str) -> list[str]:
    """Split a migration script into complete SQL statements."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buf.strip()!r}")
    return out


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _backup_path(path: Path, version: int) -> Path:
    candidate = path.with_name(f"{path.name}.bak-v{version}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak-v{version}.{n}")
        n += 1
    return candidate


class Store:
    """An open review history. Make one with :func:`connect`; close it (or use ``with``)."""

    path: Path

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        # (st_dev, st_ino) of the file the connection has open, and of its -wal and -shm files
        self._file: tuple[int, int] | None = None
        self._logs: list[tuple[Path, tuple[int, int] | None]] = []

    # -- lifecycle -------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _errors(self, message: str) -> Iterator[None]:
        """Turn SQLite's errors into a StoreError: ``message`` (marked with ``N_``) has an ``{error}``."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(_at(self.path, _(message).format(error=_one_line(exc)))) from exc

    @contextmanager
    def _damaged(self) -> Iterator[None]:
        try:
            yield
        except (ValueError, TypeError) as exc:
            # TRANSLATORS: {error} is the reason (English, from Python).
            message = _("the review history holds a damaged row: {error}").format(error=_one_line(exc))
            raise StoreError(_at(self.path, message)) from exc

    def _follow(self) -> None:
        """Before a write: open the history again if its file was removed or replaced meanwhile.

        A connection keeps writing to the file it opened, even after that file was
        removed (``rm``) or another took its place (a restored copy): such a write
        would be lost without a word. One ``stat`` (microseconds, against a commit's
        millisecond) tells: the file at the path is no longer the one open here. The
        connection is closed and the history at the path opened, or created, as
        :func:`connect` does; the write goes there. The old file's -wal and -shm, which
        SQLite leaves behind for a file that was moved, are removed first when they are
        still the ones it had: SQLite would read their pages as the new file's.
        """
        if self._file is None or _identity(self.path) == self._file:
            return
        self._conn.close()
        for log, identity in self._logs:
            if identity is not None and _identity(log) == identity:
                log.unlink(missing_ok=True)
        fresh = connect(self.path.parent)
        self._conn, self._file, self._logs = fresh._conn, fresh._file, fresh._logs

    @contextmanager
    def _transaction(self, hold: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction; ``hold`` False lets Ctrl-C, SIGTERM and SIGHUP roll it back
        (long work that is all or nothing: a merge) instead of waiting for its end."""
        self._follow()
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Ctrl-C, SIGTERM and SIGHUP wait until the answer is committed (or rolled back on an
            # error), then act; the lock is taken before, so they still work while it is awaited.
            with _signals.held() if hold else nullcontext():
                yield conn
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._errors(_READ):
            return self._conn.execute(sql, params).fetchall()

    # -- opening and migrating ----------------------------------------------

    def _open(self) -> None:
        # Switching a new file to WAL and creating the schema take locks that SQLite's
        # busy handler does not always wait for (it returns "locked" at once rather
        # than risk a deadlock); several sessions starting together retry instead.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._open_once()
                return
            except StoreError as exc:
                cause = exc.__cause__
                busy = isinstance(cause, sqlite3.OperationalError) and ("locked" in str(cause) or "busy" in str(cause))
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _open_once(self) -> None:
        conn = self._conn
        with self._errors(_READ):
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Reading the header first: a file that is not a database fails
            # here, before any pragma below could write to it.
            # One statement, so one snapshot: another process creating the history
            # at this moment commits its tables and version together.
            # The version and the tables are read in one read transaction, so one snapshot:
            # another process creating or upgrading the history at this moment is seen
            # before or after, never half-way. Nothing is changed before the file is
            # recognised as csdrill's own (no journal mode switch, no backup, no migration).
            conn.execute("BEGIN")
            try:
                version = self._user_version()
                self._check_version(version)
                tables = _tables(conn)
            finally:
                if conn.in_transaction:  # SQLite rolls back itself on some errors (I/O, a full disk)
                    conn.execute("ROLLBACK")
            if tables != (_expected_tables(version) if version else {}):
                message = _("not a csdrill review history (it holds other tables); move it away or set CSDRILL_HOME")
                raise StoreError(_at(self.path, message))
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
        if version < LATEST_VERSION:
            # TRANSLATORS: {error} is SQLite's reason (English).
            with self._errors(N_("cannot upgrade the review history: {error}")):
                self._migrate()

    def check_writable(self) -> None:
        """Fail now, not at the first answer, when the history cannot be written.

        A read-only file, folder or file system is a StoreError naming the file: a
        drill checks this before its first question, so no answer is taken and lost.
        """
        for target in (self.path, self.path.parent):
            if not os.access(target, os.W_OK):
                reason = f"{os.strerror(errno.EACCES)}: {target}"
                raise StoreError(_at(self.path, _(_OPEN).format(error=reason)))
        conn = self._conn
        with self._errors(_OPEN):
            # A write that is rolled back: SQLite says here whether it may write at all.
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(f"PRAGMA user_version = {self._user_version()}")
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")

    def _user_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _check_version(self, version: int) -> None:
        if version > LATEST_VERSION:
            # TRANSLATORS: {version} and {latest} are schema version numbers.
            message = _("schema version {version} is newer than this csdrill knows ({latest}); upgrade csdrill")
            raise StoreError(_at(self.path, message.format(version=version, latest=LATEST_VERSION)))

    def _migrate(self) -> None:
        with self._transaction() as conn:
            # Re-read under the write lock: another process may have migrated already.
            version = self._user_version()
            self._check_version(version)
            if version == LATEST_VERSION:
                return
            if version > 0 and not self._backed_up(version):
                self._backup(version)
            for script in MIGRATIONS[version:]:
                for statement in _statements(script):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {LATEST_VERSION}")

    def _backed_up(self, version: int) -> bool:
        """Whether ``history.sqlite3.bak-v{version}`` already holds this history (an earlier, failed upgrade).

        A backup is made once per version, not again on every failed attempt; it counts
        as this history's when its version and its review log (count and last id) match.
        """
        target = self.path.with_name(f"{self.path.name}.bak-v{version}")
        if not target.is_file():
            return False
        mine = tuple(self._conn.execute("SELECT count(*), max(id) FROM reviews").fetchone())
        try:
            other = sqlite3.connect(f"{target.as_uri()}?immutable=1", uri=True)
            try:
                theirs = tuple(other.execute("SELECT count(*), max(id) FROM reviews").fetchone())
                other_version = int(other.execute("PRAGMA user_version").fetchone()[0])
            finally:
                other.close()
        except sqlite3.Error:
            return False
        return other_version == version and theirs == mine

    def _backup(self, version: int) -> Path:
        # Called while this connection holds the write lock, so that the copy is
        # exactly what gets migrated. SQLite refuses to back up from a connection
        # that is writing, so a second connection reads (a write lock allows readers).
        target = _backup_path(self.path, version)
        source = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dest = sqlite3.connect(target)
            try:
                source.backup(dest)
            except BaseException:
                dest.close()
                target.unlink(missing_ok=True)
                raise
            dest.close()
        finally:
            source.close()
        return target

    # -- reading ---------------------------------------------------------------

    def card_states(self, uids: Iterable[str] | None = None) -> dict[str, CardState]:
        """The state of every card with history (or of those among ``uids``); a missing uid is new."""
        select = "SELECT uid, state, step, stability, difficulty, due, last_review, reps, lapses FROM cards"
        if uids is None:
            return self._states(select)
        else:
            wanted = sorted(set(uids))
            rows = []
            for chunk in _chunks(wanted):
                marks = ",".join("?" * len(chunk))
                rows.extend(self._query(f"{select} WHERE uid IN ({marks})", chunk))
        with self._damaged():
            return {row["uid"]: _card_state(row) for row in rows}

    def _states(self, sql: str, params: Sequence[Any] = ()) -> dict[str, CardState]:
        """Card states by uid from ``sql`` (selecting uid and the state's columns in order)."""
        found: dict[str, CardState] = {}
        with self._errors(_READ):
            cur = self._conn.cursor()
            cur.row_factory = None  # plain tuples: every card of a long history, read fast
            cur.execute(sql, params)
            make, parse, utc = tuple.__new__, datetime.fromisoformat, timezone.utc
            names = {name: name for name in STATES}  # each state's one string, not one per card
            while batch := cur.fetchmany(2000):  # not every row at once: 40,000 cards are 10 MB less
                with self._damaged():
                    for uid, stored, step, stability, difficulty, due, last, reps, lapses in batch:
                        state = names.get(stored)
                        if state is None:
                            raise ValueError(f"unknown card state {stored!r}")
                        # as csdrill stores times (UTC), parsed in place; any other through _from_text
                        due_at = None if due is None else parse(due)
                        if due_at is not None and due_at.tzinfo is not utc:
                            due_at = _from_text(due)
                        last_at = None if last is None else parse(last)
                        if last_at is not None and last_at.tzinfo is not utc:
                            last_at = _from_text(last)
                        # the record without CardState's own check again: thousands of cards
                        found[uid] = make(
                            CardState, (state, step, stability, difficulty, due_at, last_at, reps, lapses)
                        )
        return found

    def reviews(self, since: datetime | None = None, uid: str | None = None) -> list[ReviewRow]:
        """The review log, oldest first; only reviews at/after ``since`` and of ``uid`` if given."""
        where: list[str] = []
        params: list[Any] = []
        if since is not None:
            where.append("reviewed_at >= ?")
            params.append(_to_text(since))
        if uid is not None:
            where.append("uid = ?")
            params.append(uid)
        sql = "SELECT uid, reviewed_at, rating, correct, answer, duration_ms, mode FROM reviews"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY reviewed_at, id"
        rows = self._query(sql, params)
        with self._damaged():
            return [_review_row(row) for row in rows]

    def due_states(self, now: datetime) -> dict[str, CardState]:
        """The cards that have been seen and whose due date is at or before ``now``, with their states.

        A pre-filter by the ``cards_due`` index: ``select.is_due`` is the rule.
        """
        return self._states(
            "SELECT uid, state, step, stability, difficulty, due, last_review, reps, lapses "
            "FROM cards WHERE due <= ? AND state != 'new'",
            (_to_text(now),),
        )

    def due_keys(self, now: datetime) -> list[tuple[str, datetime, datetime | None, float | None]]:
        """The uid, due date, last review and stability of the cards that have been seen and are due
        by ``now``: what the review order needs of thousands of due cards, without their whole states.

        A pre-filter by the ``cards_due`` index: ``select.is_due`` is the rule.
        """
        with self._errors(_READ):
            cur = self._conn.cursor()
            cur.row_factory = None  # plain tuples: thousands of cards
            cur.execute(
                "SELECT uid, due, last_review, stability FROM cards WHERE due <= ? AND state != 'new'",
                (_to_text(now),),
            )
            with self._damaged():
                return [
                    (uid, _from_text(due), None if last is None else _from_text(last), stability)
                    for uid, due, last, stability in cur
                ]

    def seen_uids(self) -> set[str]:
        """The uids of every card that has been reviewed (a card not among them is new)."""
        with self._errors(_READ):
            cur = self._conn.cursor()
            cur.row_factory = None  # plain tuples: every card of a long history
            return {uid for (uid,) in cur.execute("SELECT uid FROM cards WHERE state != 'new'")}

    def seen_among(self, uids: Iterable[str]) -> set[str]:
        """Those of ``uids`` that have been reviewed (``seen_uids`` for a few uids, without reading every card)."""
        found: set[str] = set()
        for chunk in _chunks(sorted(set(uids))):
            marks = ",".join("?" * len(chunk))
            rows = self._query(f"SELECT uid FROM cards WHERE state != 'new' AND uid IN ({marks})", chunk)
            found.update(row["uid"] for row in rows)
        return found

    def next_due(self, now: datetime, uids: Iterable[str]) -> datetime | None:
        """The earliest due date after ``now`` among the cards ``uids``; None when none is due later."""
        stamp = _to_text(now)
        found: list[str] = []
        for chunk in _chunks(sorted(set(uids))):
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                f"SELECT min(due) AS due FROM cards WHERE due > ? AND state != 'new' AND uid IN ({marks})",
                (stamp, *chunk),
            )
            found.extend(row["due"] for row in rows if row["due"] is not None)
        with self._damaged():
            return _from_text(min(found)) if found else None

    def first_seen_since(self, since: datetime) -> set[str]:
        """The uids whose first-ever review is at or after ``since`` (for daily new-card limits)."""
        rows = self._query("SELECT uid FROM cards WHERE first_seen >= ?", (_to_text(since),))
        return {row["uid"] for row in rows}

    def content_hashes(self) -> dict[str, str]:
        """The content hash recorded with each card's latest review (cards without one left out)."""
        rows = self._query("SELECT uid, content_hash FROM cards WHERE content_hash != ''")
        return {row["uid"]: row["content_hash"] for row in rows}

    def typical_duration_ms(self, uids: Iterable[str]) -> int | None:
        """The median time of the recent 200 correct answers among ``uids``; None if fewer than 5."""
        wanted = sorted(set(uids))
        found: list[tuple[str, int, int]] = []
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                "SELECT reviewed_at, id, duration_ms FROM reviews "
                f"WHERE correct = 1 AND duration_ms IS NOT NULL AND uid IN ({marks}) "
                "ORDER BY reviewed_at DESC, id DESC LIMIT 200",
                chunk,
            )
            found.extend((row["reviewed_at"], row["id"], row["duration_ms"]) for row in rows)
        found.sort(reverse=True)
        durations = [duration for _, _, duration in found[:200]]
        if len(durations) < 5:
            return None
        import statistics

        return round(statistics.median(durations))

    # -- summaries (stats and personal sheets: never the whole log) ---------------------

    def review_total(self) -> int:
        """How many reviews the history holds."""
        return int(self._query("SELECT count(*) FROM reviews")[0][0])

    def review_counts(self) -> dict[str, int]:
        """How many reviews each uid with any has (from the summary kept by triggers)."""
        with self._errors(_READ):
            cur = self._conn.cursor()
            cur.row_factory = None  # (uid, count) pairs straight into the dict: every card of a long history
            return dict(cur.execute("SELECT uid, reviews FROM review_summary"))

    def _summary_reviews(self, column: str, uids: Iterable[str] | None) -> dict[str, ReviewRow]:
        select = (
            "SELECT r.uid, r.reviewed_at, r.rating, r.correct, r.answer, r.duration_ms, r.mode "
            f"FROM review_summary s CROSS JOIN reviews r ON r.id = s.{column}"
        )
        rows: list[sqlite3.Row] = []
        if uids is None:
            rows = self._query(select)
        else:
            for chunk in _chunks(sorted(set(uids))):
                marks = ",".join("?" * len(chunk))
                rows.extend(self._query(f"{select} WHERE s.uid IN ({marks})", chunk))
        with self._damaged():
            return {row["uid"]: _review_row(row) for row in rows}

    def latest_reviews(self, uids: Iterable[str] | None = None) -> dict[str, ReviewRow]:
        """The latest review of each uid (of ``uids`` only, if given) that has one."""
        return self._summary_reviews("last_id", uids)

    def latest_agains(self, uids: Iterable[str]) -> dict[str, datetime]:
        """When each of ``uids`` was last rated Again (those never rated Again left out)."""
        return {uid: r.reviewed_at for uid, r in self._summary_reviews("last_again_id", uids).items()}

    def miss_summaries(self, uids: Iterable[str] | None = None) -> dict[str, tuple[int, ReviewRow]]:
        """For each uid ever missed (graded wrong or self-rated Again): how often, and its latest miss."""
        latest = self._summary_reviews("last_miss_id", uids)
        counts = {row["uid"]: int(row["misses"]) for row in self._query("SELECT uid, misses FROM review_summary")}
        return {uid: (counts[uid], review) for uid, review in latest.items()}

    def uids_reviewed_between(self, start: datetime, end: datetime) -> set[str]:
        """The uids reviewed at or after ``start`` and before ``end`` (by the ``reviewed_at`` index)."""
        rows = self._query(
            "SELECT DISTINCT uid FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ?",
            (_to_text(start), _to_text(end)),
        )
        return {row["uid"] for row in rows}

    def iter_reviews(self, since: datetime) -> Iterator[ReviewRow]:
        """The reviews at or after ``since``, oldest first, read in batches (memory bounded by a batch)."""
        with self._errors(_READ):
            cur = self._conn.cursor()
            cur.row_factory = None  # plain tuples: a month of a long history is thousands of rows
            cur.execute(
                "SELECT uid, reviewed_at, rating, correct, answer, duration_ms, mode FROM reviews "
                "WHERE reviewed_at >= ? ORDER BY reviewed_at, id",
                (_to_text(since),),
            )
            make, parse, utc = tuple.__new__, datetime.fromisoformat, timezone.utc
            ratings = {int(r): r for r in Rating}
            while rows := cur.fetchmany(2000):
                batch = []
                with self._damaged():
                    for uid, at, rating, correct, answer, duration_ms, mode in rows:
                        when = parse(at)
                        if when.tzinfo is not utc:  # as csdrill stores times (UTC); any other through _from_text
                            when = _from_text(at)
                        if rating not in ratings:
                            raise ValueError(f"{rating!r} is not a valid Rating")
                        graded = None if correct is None else bool(correct)
                        batch.append(make(ReviewRow, (uid, when, ratings[rating], graded, answer, duration_ms, mode)))
                yield from batch

    def reviewed_in(self, spans: Sequence[tuple[datetime, datetime]]) -> list[bool]:
        """For each ``(start, end)``: whether anything was reviewed at or after ``start`` and before ``end``.

        One query, one seek of the ``reviewed_at`` index per span: a streak of years costs milliseconds.
        """
        import json

        if not spans:
            return []
        bounds = json.dumps([[_to_text(start), _to_text(end)] for start, end in spans])
        rows = self._query(
            "SELECT EXISTS (SELECT 1 FROM reviews WHERE reviewed_at >= b.value ->> 0 AND reviewed_at < b.value ->> 1) "
            "AS hit FROM json_each(?) b ORDER BY b.key",
            (bounds,),
        )
        return [bool(row["hit"]) for row in rows]

    def best_answer(self, uid: str) -> str | None:
        """The learner's best answer to ``uid``: their latest open answer self-rated Good or Easy, not empty.

        (Self-rated answers are those without a grade: ``correct`` is NULL.)
        """
        rows = self._query(
            "SELECT answer FROM reviews WHERE uid = ? AND correct IS NULL AND rating >= 3 AND TRIM(answer) != '' "
            "ORDER BY reviewed_at DESC, id DESC LIMIT 1",
            (uid,),
        )
        return str(rows[0]["answer"]) if rows else None

    def best_answers(self, uids: Iterable[str]) -> dict[str, str]:
        """:meth:`best_answer` of each of ``uids`` that has one, in one query per chunk of uids (for exports)."""
        found: dict[str, str] = {}
        for chunk in _chunks(sorted(set(uids))):
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                "SELECT uid, answer FROM reviews "
                f"WHERE correct IS NULL AND rating >= 3 AND TRIM(answer) != '' AND uid IN ({marks}) "
                "ORDER BY reviewed_at, id",
                chunk,
            )
            for row in rows:  # oldest first: the latest answer of each uid is the one kept
                found[row["uid"]] = str(row["answer"])
        return found

    # -- writing ---------------------------------------------------------------

    def record(
        self,
        uid: str,
        *,
        after: CardState,
        now: datetime,
        rating: Rating,
        correct: bool | None,
        answer: str,
        duration_ms: int | None,
        mode: str,
        content_hash: str = "",
        place: tuple[str, str | None] | None = None,
    ) -> int:
        """Save one answer: upsert the card's state and append to the log, in one committed transaction.

        An empty ``content_hash`` keeps the hash already recorded for the card. In
        ``practice`` mode only the log is written: the card's schedule stays as it was.
        ``place``: (selection, uid) of a source-order quiz, saved with the answer (see
        :meth:`set_place`), so that an answer is never saved without it nor it without the answer.
        Returns the review's id (for :meth:`undo`). Raises ValueError for a naive
        ``now`` or an unknown ``mode``.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        when = _to_text(now)
        card = (
            uid,
            content_hash,
            after.state,
            after.step,
            after.stability,
            after.difficulty,
            _opt_text(after.due),
            _opt_text(after.last_review),
            after.reps,
            after.lapses,
            when,
        )
        review = (
            uid,
            when,
            int(Rating(rating)),
            None if correct is None else int(correct),
            answer,
            duration_ms,
            mode,
        )
        # TRANSLATORS: {error} is SQLite's reason (English).
        with self._errors(N_("cannot save the answer: {error}")), self._transaction() as conn:
            if place is not None:
                _write_place(conn, place[0], place[1], when)
            if mode == "practice":
                cur = conn.execute(
                    "INSERT INTO reviews (uid, reviewed_at, rating, correct, answer, duration_ms, mode) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    review,
                )
                return int(cur.lastrowid or 0)
            conn.execute(
                """
                INSERT INTO cards (uid, content_hash, state, step, stability, difficulty,
                                   due, last_review, reps, lapses, first_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (uid) DO UPDATE SET
                    content_hash = CASE WHEN excluded.content_hash = ''
                                        THEN cards.content_hash ELSE excluded.content_hash END,
                    state = excluded.state,
                    step = excluded.step,
                    stability = excluded.stability,
                    difficulty = excluded.difficulty,
                    due = excluded.due,
                    last_review = excluded.last_review,
                    reps = excluded.reps,
                    lapses = excluded.lapses,
                    first_seen = CASE WHEN cards.first_seen IS NULL
                                        OR excluded.first_seen < cards.first_seen
                                      THEN excluded.first_seen ELSE cards.first_seen END
                """,
                card,
            )
            cur = conn.execute(
                "INSERT INTO reviews (uid, reviewed_at, rating, correct, answer, duration_ms, mode) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                review,
            )
            return int(cur.lastrowid or 0)

    def undo(self, review_id: int, uid: str, before: CardState) -> None:
        """Take an answer back: delete its review and put the card's state back to ``before``
        (a card that was new before it is new again). One committed transaction.
        """
        with self._errors(N_("cannot take the answer back: {error}")), self._transaction() as conn:
            mode = conn.execute("SELECT mode FROM reviews WHERE id = ? AND uid = ?", (review_id, uid)).fetchone()
            if mode is None:
                return
            conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            if mode[0] == "practice":
                return  # the schedule was not moved
            if before.is_new:
                conn.execute("DELETE FROM cards WHERE uid = ?", (uid,))
                return
            conn.execute(
                "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, last_review = ?, "
                "reps = ?, lapses = ? WHERE uid = ?",
                (
                    before.state,
                    before.step,
                    before.stability,
                    before.difficulty,
                    _opt_text(before.due),
                    _opt_text(before.last_review),
                    before.reps,
                    before.lapses,
                    uid,
                ),
            )

    # -- moving the history between machines (``csdrill history``) --------------------

    def iter_log(self) -> Iterator[tuple[ReviewRow, str]]:
        """Every review, oldest first, with its card's content hash ('' when none), read in batches."""
        with self._errors(_READ):
            cur = self._conn.execute(
                "SELECT r.uid, r.reviewed_at, r.rating, r.correct, r.answer, r.duration_ms, r.mode, "
                "coalesce(c.content_hash, '') AS content_hash "
                "FROM reviews r LEFT JOIN cards c ON c.uid = r.uid ORDER BY r.reviewed_at, r.id"
            )
            while rows := cur.fetchmany(2000):
                with self._damaged():
                    batch = [(_review_row(row), str(row["content_hash"])) for row in rows]
                yield from batch

    def merge(
        self,
        reviews: Iterable[tuple[ReviewRow, str]],
        replay: Callable[[str, Sequence[ReviewRow]], CardState | None],
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, int]:
        """Add the ``reviews`` this history lacks (the same card at the same moment is the same review),
        then set every card's state to ``replay(uid, its reviews oldest first)`` (None: no card).

        ``reviews`` come with their card's content hash ('' for none; the last one given counts),
        which a card without one here takes. They are read as they come, a batch at a time, so a
        10-year file is never in memory. One transaction: interrupted (Ctrl-C, SIGTERM, SIGHUP
        roll it back at once) or failing (a damaged line raised by ``reviews``), nothing is merged.
        ``progress(cards replayed, cards)`` is told as the replay goes. Returns how many reviews
        were read and how many of them were added.
        """
        # TRANSLATORS: {error} is SQLite's reason (English).
        with self._errors(N_("cannot merge the review history: {error}")), self._transaction(hold=False) as conn:
            hashes: dict[str, str] = {}
            read = added = 0
            batch: list[tuple[Any, ...]] = []
            keys: set[tuple[str, str]] = set()  # of the batch: a line twice is one review

            def insert() -> None:
                nonlocal added
                added += len(batch)
                conn.executemany(
                    "INSERT INTO reviews (uid, reviewed_at, rating, correct, answer, duration_ms, mode) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    batch,
                )
                batch.clear()
                keys.clear()

            here = "SELECT 1 FROM reviews WHERE uid = ? AND reviewed_at = ? LIMIT 1"  # by the uid index
            for r, content_hash in reviews:
                read += 1
                if content_hash:
                    hashes[r.uid] = content_hash
                key = (r.uid, _to_text(r.reviewed_at))
                if key in keys or conn.execute(here, key).fetchone() is not None:
                    continue
                keys.add(key)
                correct = None if r.correct is None else int(r.correct)
                batch.append((r.uid, key[1], int(r.rating), correct, r.answer, r.duration_ms, r.mode))
                if len(batch) >= 2000:
                    insert()
            insert()
            cards = 0  # how many the replay goes through: counted only for the progress shown
            if progress is not None:
                cards = int(conn.execute("SELECT count(DISTINCT uid) FROM reviews").fetchone()[0])
            cur = conn.execute(
                "SELECT uid, reviewed_at, rating, correct, answer, duration_ms, mode FROM reviews "
                "ORDER BY uid, reviewed_at, id"
            )
            uid: str | None = None
            group: list[ReviewRow] = []
            done = 0

            def flush() -> None:
                if uid is None:
                    return
                state = replay(uid, group)
                if state is None:
                    conn.execute("DELETE FROM cards WHERE uid = ?", (uid,))
                    return
                first = min((r.reviewed_at for r in group if r.mode != "practice"), default=None)
                conn.execute(
                    """
                    INSERT INTO cards (uid, content_hash, state, step, stability, difficulty,
                                       due, last_review, reps, lapses, first_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (uid) DO UPDATE SET
                        content_hash = CASE WHEN cards.content_hash = ''
                                            THEN excluded.content_hash ELSE cards.content_hash END,
                        state = excluded.state, step = excluded.step, stability = excluded.stability,
                        difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review,
                        reps = excluded.reps, lapses = excluded.lapses, first_seen = excluded.first_seen
                    """,
                    (
                        uid,
                        hashes.get(uid, ""),
                        state.state,
                        state.step,
                        state.stability,
                        state.difficulty,
                        _opt_text(state.due),
                        _opt_text(state.last_review),
                        state.reps,
                        state.lapses,
                        _opt_text(first),
                    ),
                )

            while rows := cur.fetchmany(2000):
                with self._damaged():
                    batch_rows = [_review_row(row) for row in rows]
                for r in batch_rows:
                    if r.uid != uid:
                        flush()
                        uid, group = r.uid, []
                        done += 1
                        if progress is not None and done % 500 == 0:
                            progress(done, cards)
                    group.append(r)
            flush()
            if progress is not None:
                progress(cards, cards)
            return read, added

    # -- mock exams and plans -----------------------------------------------------

    def add_attempt(self, attempt: Attempt) -> None:
        """Keep one sitting of a mock exam."""
        with self._errors(N_("cannot save the exam result: {error}")), self._transaction() as conn:
            conn.execute(
                "INSERT INTO attempts (exam_id, section_id, started_at, seconds, points, possible, pass_mark, passed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    attempt.exam_id,
                    attempt.section_id,
                    _to_text(attempt.started_at),
                    attempt.seconds,
                    attempt.points,
                    attempt.possible,
                    attempt.pass_mark,
                    int(attempt.passed),
                ),
            )

    def attempts(self, exam_id: str | None = None) -> list[Attempt]:
        """The sittings of mock exams (of ``exam_id``), oldest first."""
        sql = "SELECT * FROM attempts"
        params: tuple[str, ...] = ()
        if exam_id is not None:
            sql += " WHERE exam_id = ?"
            params = (exam_id,)
        rows = self._query(sql + " ORDER BY started_at, id", params)
        with self._damaged():
            return [_attempt(row) for row in rows]

    def set_plan(self, day: str, exam_ids: Sequence[str], now: datetime) -> None:
        """Plan the interview or test on ``day`` (``YYYY-MM-DD``) for ``exam_ids`` (empty: every exam, ``*``).

        A new plan replaces the old one.
        """
        with self._errors(N_("cannot save the plan: {error}")), self._transaction() as conn:
            conn.execute("DELETE FROM plans")
            conn.executemany(
                "INSERT INTO plans (exam_id, date, set_at) VALUES (?, ?, ?)",
                [(exam_id, day, _to_text(now)) for exam_id in (exam_ids or ["*"])],
            )

    def plan(self) -> dict[str, str]:
        """The plan: exam id (``*`` for every exam) → its date ``YYYY-MM-DD``; empty when none is set."""
        return {row["exam_id"]: row["date"] for row in self._query("SELECT exam_id, date FROM plans")}

    def clear_plan(self) -> None:
        with self._errors(N_("cannot save the plan: {error}")), self._transaction() as conn:
            conn.execute("DELETE FROM plans")

    # -- stars and places ---------------------------------------------------------

    def star(self, uid: str, now: datetime, starred: bool = True) -> None:
        """Mark ``uid`` (收藏), or take the mark off."""
        with self._errors(N_("cannot save the star: {error}")), self._transaction() as conn:
            if starred:
                conn.execute("INSERT OR IGNORE INTO stars (uid, starred_at) VALUES (?, ?)", (uid, _to_text(now)))
            else:
                conn.execute("DELETE FROM stars WHERE uid = ?", (uid,))

    def starred(self) -> set[str]:
        """The uids marked with a star."""
        return {row["uid"] for row in self._query("SELECT uid FROM stars")}

    def place(self, selection: str) -> str | None:
        """The uid answered last in a source-order quiz of ``selection`` (None: never, or restarted)."""
        rows = self._query("SELECT uid FROM places WHERE selection = ?", (selection,))
        return str(rows[0]["uid"]) if rows else None

    def set_place(self, selection: str, uid: str | None, now: datetime) -> None:
        """Remember where a source-order quiz of ``selection`` stopped (None: forget it)."""
        with self._errors(N_("cannot save the answer: {error}")), self._transaction() as conn:
            _write_place(conn, selection, uid, _to_text(now))


def _write_place(conn: sqlite3.Connection, selection: str, uid: str | None, when: str) -> None:
    if uid is None:
        conn.execute("DELETE FROM places WHERE selection = ?", (selection,))
    else:
        conn.execute(
            "INSERT INTO places (selection, uid, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (selection) DO UPDATE SET uid = excluded.uid, updated_at = excluded.updated_at",
            (selection, uid, when),
        )


def _attempt(row: sqlite3.Row) -> Attempt:
    return Attempt(
        row["exam_id"],
        row["section_id"],
        _from_text(row["started_at"]),
        float(row["seconds"]),
        float(row["points"]),
        float(row["possible"]),
        float(row["pass_mark"]),
        bool(row["passed"]),
    )


def _review_row(row: sqlite3.Row) -> ReviewRow:
    return ReviewRow(
        uid=row["uid"],
        reviewed_at=_from_text(row["reviewed_at"]),
        rating=Rating(row["rating"]),
        correct=None if row["correct"] is None else bool(row["correct"]),
        answer=row["answer"],
        duration_ms=row["duration_ms"],
        mode=row["mode"],
    )


def _card_state(row: sqlite3.Row) -> CardState:
    return CardState(
        state=row["state"],
        step=row["step"],
        stability=row["stability"],
        difficulty=row["difficulty"],
        due=_opt_from_text(row["due"]),
        last_review=_opt_from_text(row["last_review"]),
        reps=row["reps"],
        lapses=row["lapses"],
    )


def _tables(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """The tables of a database and the names of their columns."""
    names = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {
        name: frozenset(row[0] for row in conn.execute("SELECT name FROM pragma_table_info(?)", (name,)))
        for name in names
    }


_EXPECTED: dict[tuple[str, ...], dict[str, frozenset[str]]] = {}


def _expected_tables(version: int) -> dict[str, frozenset[str]]:
    """The tables and columns of csdrill's history at ``version``, as the migrations make them."""
    key = MIGRATIONS[:version]
    if key not in _EXPECTED:
        conn = sqlite3.connect(":memory:")
        try:
            for script in key:
                conn.executescript(script)
            _EXPECTED[key] = _tables(conn)
        finally:
            conn.close()
    return _EXPECTED[key]


_HEADER = b"SQLite format 3\x00"


_MIN_PAGE = 512  # SQLite's smallest page: a shorter file holds no database at all


def _check_header(path: Path) -> bool:
    """Whether ``path`` is blank: missing, empty, or half-created (a failed creation: a disk full, a kill).

    Half-created is SQLite's header, or the start of it, in a file shorter than one
    page, with no write-ahead log beside it: no history can be in it. Any other short
    file is refused: SQLite would take it for an empty database and write over it.
    """
    try:
        with path.open("rb") as f:
            head = f.read(_MIN_PAGE)
    except FileNotFoundError:
        return True
    except OSError as exc:
        raise StoreError(_at(path, _(_READ).format(error=_one_line(exc)))) from exc
    if not head:
        return True
    magic = head[: len(_HEADER)]
    if not _HEADER.startswith(magic):
        raise StoreError(_at(path, _("cannot read the review history: file is not a database")))
    wal = path.with_name(path.name + "-wal")
    return len(head) < _MIN_PAGE and not (wal.exists() and wal.stat().st_size > 0)


def has_history(home: Path) -> bool:
    """Whether ``home`` has a review history; a blank file (see :func:`_check_header`) is none yet.

    Commands that only read use this, so that a file left empty by a failed creation
    (a full disk) does not break them; a file that cannot be read counts as one (to
    be reported when it is opened).
    """
    path = Path(home) / DB_NAME
    if not path.exists():
        return False
    try:
        return not (path.is_file() and _check_header(path))
    except StoreError:
        return True


def connect(home: Path) -> Store:
    """Open (creating and migrating as needed) the review history ``home / "history.sqlite3"``.

    Raises StoreError, naming the file, when it cannot be created, read or upgraded;
    a file that is not a usable history is never overwritten or deleted.
    """
    path = Path(home) / DB_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        # TRANSLATORS: {folder} is a path; {error} the system's reason (English).
        message = _("cannot create the folder {folder}: {error}").format(folder=path.parent, error=_one_line(exc))
        raise StoreError(_at(path, message)) from exc
    if path.exists() and not path.is_file():
        raise StoreError(_at(path, _("cannot open the review history: it is not a file")))
    if _check_header(path) and path.exists() and path.stat().st_size > 0:
        # Left half-created by a failed creation: it becomes a new history.
        try:
            with path.open("r+b") as f:
                f.truncate(0)
        except OSError as exc:
            raise StoreError(_at(path, _(_OPEN).format(error=_one_line(exc)))) from exc
    try:
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(_at(path, _(_OPEN).format(error=_one_line(exc)))) from exc
    conn.row_factory = sqlite3.Row
    store = Store(conn, path)
    try:
        store._open()
    except BaseException:
        conn.close()
        raise
    store._file = _identity(path)
    store._logs = [
        (log, _identity(log)) for log in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
    ]
    return store


def _identity(path: Path) -> tuple[int, int] | None:
    """The file at ``path`` as (device, inode); None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)
