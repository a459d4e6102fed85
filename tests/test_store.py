"""The review history: durability, the append-only log, migrations, damaged files."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cs_drill.errors import StoreError
from cs_drill.study.card import NEW, CardState, Rating
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.store import (
    DB_NAME,
    LATEST_VERSION,
    MIGRATIONS,
    SCHEMA_V1,
    ReviewRow,
    Store,
    connect,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
UID = "alibaba-cs-specialist-interview/exchange-after-return-window"
OTHER = "alibaba-cs-specialist-interview/refund-policy"


def _record(
    store: Store,
    uid: str,
    now: datetime,
    rating: Rating = Rating.GOOD,
    *,
    state: CardState = NEW,
    correct: bool | None = True,
    answer: str = "A",
    duration_ms: int | None = 4200,
    mode: str = "quiz",
    content_hash: str = "",
) -> CardState:
    after = Scheduler(fuzz=False).review(uid, state, rating, now, duration_ms)
    store.record(
        uid,
        after=after,
        now=now,
        rating=rating,
        correct=correct,
        answer=answer,
        duration_ms=duration_ms,
        mode=mode,
        content_hash=content_hash,
    )
    return after


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def test_connect_creates_home_and_latest_schema(tmp_path: Path) -> None:
    home = tmp_path / "deep" / "home"
    with connect(home) as store:
        assert store.path == home / DB_NAME
        assert store.path.is_file()
        assert store.card_states() == {}
        assert store.reviews() == []
    raw = _raw(home / DB_NAME)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()
    assert not list(home.glob("*.bak-*"))


def test_connection_pragmas(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        conn = store._conn
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_record_then_read_back_after_reconnect(tmp_path: Path) -> None:
    store = connect(tmp_path)
    after = _record(store, UID, T0, correct=True, answer="ACD", content_hash="h1")
    # Committed before record() returns: another connection sees it at once.
    other = connect(tmp_path)
    assert other.card_states() == {UID: after}
    other.close()
    store.close()

    with connect(tmp_path) as again:
        assert again.card_states() == {UID: after}
        assert again.card_states([UID, OTHER]) == {UID: after}
        assert again.card_states([OTHER]) == {}
        [row] = again.reviews()
        assert row == ReviewRow(
            uid=UID,
            reviewed_at=T0,
            rating=Rating.GOOD,
            correct=True,
            answer="ACD",
            duration_ms=4200,
            mode="quiz",
        )
        assert row.reviewed_at.tzinfo == timezone.utc
        assert again.content_hashes() == {UID: "h1"}


def test_datetimes_stored_as_utc_text(tmp_path: Path) -> None:
    shanghai = timezone(timedelta(hours=8))
    with connect(tmp_path) as store:
        _record(store, UID, T0.astimezone(shanghai))
        [row] = store.reviews()
        assert row.reviewed_at == T0
        assert row.reviewed_at.utcoffset() == timedelta(0)
        state = store.card_states()[UID]
        assert state.due is not None
        assert state.due.tzinfo == timezone.utc
    raw = _raw(tmp_path / DB_NAME)
    try:
        text = raw.execute("SELECT reviewed_at FROM reviews").fetchone()[0]
        due = raw.execute("SELECT due FROM cards").fetchone()[0]
    finally:
        raw.close()
    assert text == "2026-03-01T09:00:00.000000+00:00"
    assert due.endswith("+00:00")


def test_log_is_append_only(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        state = NEW
        now = T0
        ratings = [Rating.AGAIN, Rating.GOOD, Rating.GOOD, Rating.HARD, Rating.EASY]
        for i, rating in enumerate(ratings):
            state = _record(store, UID, now, rating, state=state, answer=f"try {i}", mode="review")
            now += timedelta(days=1)
        _record(store, OTHER, T0, Rating.AGAIN, correct=False, answer="B")

        rows = store.reviews()
        assert len(rows) == 6
        mine = store.reviews(uid=UID)
        assert [r.rating for r in mine] == ratings
        assert [r.answer for r in mine] == [f"try {i}" for i in range(5)]
        assert [r.reviewed_at for r in mine] == [T0 + timedelta(days=i) for i in range(5)]
        assert store.card_states()[UID] == state
        assert store.card_states()[UID].reps == 5

        later = store.reviews(since=T0 + timedelta(days=3))
        assert [r.reviewed_at for r in later] == [T0 + timedelta(days=3), T0 + timedelta(days=4)]
        assert store.reviews(since=T0, uid=OTHER)[0].correct is False


def test_record_rejects_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        after = Scheduler(fuzz=False).review(UID, NEW, Rating.GOOD, T0)
        with pytest.raises(ValueError, match="timezone-aware"):
            store.record(
                UID, after=after, now=datetime(2026, 3, 1), rating=Rating.GOOD,
                correct=True, answer="", duration_ms=None, mode="quiz",
            )  # fmt: skip
        with pytest.raises(ValueError, match="mode"):
            store.record(
                UID, after=after, now=T0, rating=Rating.GOOD,
                correct=True, answer="", duration_ms=None, mode="cram",
            )  # fmt: skip
        assert store.reviews() == []
        assert store.card_states() == {}


def test_content_hash_kept_when_not_given(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        state = _record(store, UID, T0, content_hash="abc")
        _record(store, UID, T0 + timedelta(days=1), state=state)
        assert store.content_hashes() == {UID: "abc"}
        _record(store, UID, T0 + timedelta(days=2), state=state, content_hash="def")
        _record(store, OTHER, T0)
        assert store.content_hashes() == {UID: "def"}


def test_first_seen_since(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        state = _record(store, UID, T0)
        _record(store, UID, T0 + timedelta(days=1), state=state)
        _record(store, OTHER, T0 + timedelta(days=1, hours=2))

        assert store.first_seen_since(T0) == {UID, OTHER}
        assert store.first_seen_since(T0 + timedelta(seconds=1)) == {OTHER}
        assert store.first_seen_since(T0 + timedelta(days=1)) == {OTHER}
        assert store.first_seen_since(T0 + timedelta(days=1, hours=2)) == {OTHER}
        assert store.first_seen_since(T0 + timedelta(days=2)) == set()
        # A review dated earlier than the first one moves first_seen back.
        _record(store, OTHER, T0 - timedelta(days=1))
        assert store.first_seen_since(T0) == {UID}


def test_typical_duration_ms(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        for i, ms in enumerate([1000, 2000, 3000, 4000]):
            _record(store, UID, T0 + timedelta(minutes=i), duration_ms=ms)
        _record(store, UID, T0 + timedelta(minutes=10), correct=False, duration_ms=99_000)
        _record(store, UID, T0 + timedelta(minutes=11), correct=None, duration_ms=99_000)
        _record(store, UID, T0 + timedelta(minutes=12), duration_ms=None)
        assert store.typical_duration_ms([UID]) is None  # four correct answers with a time
        _record(store, OTHER, T0 + timedelta(minutes=20), duration_ms=9000)
        assert store.typical_duration_ms([UID]) is None
        assert store.typical_duration_ms([UID, OTHER]) == 3000
        assert store.typical_duration_ms([]) is None


def test_typical_duration_uses_recent_200(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        for i in range(250):
            ms = 100_000 if i < 50 else 5000
            _record(store, UID, T0 + timedelta(minutes=i), duration_ms=ms)
        assert store.typical_duration_ms([UID]) == 5000


def test_card_states_many_uids(tmp_path: Path) -> None:
    uids = [f"exam/q{i}" for i in range(1200)]
    with connect(tmp_path) as store:
        for uid in uids[::100]:
            _record(store, uid, T0)
        got = store.card_states(uids + ["exam/missing"])
        assert set(got) == set(uids[::100])
        assert store.typical_duration_ms(uids) == 4200


def _make_v1(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO cards (uid, content_hash, state, step, stability, difficulty, due, "
        "last_review, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            UID, "hash-1", "review", None, 3.5, 6.2,
            "2026-03-05T09:00:00.000000+00:00", "2026-03-02T09:00:00.000000+00:00", 2, 0,
        ),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO reviews (uid, reviewed_at, rating, correct, answer, duration_ms, mode) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (UID, "2026-03-02T09:00:00.000000+00:00", 3, 1, "A", 5000, "review"),
            (UID, "2026-03-01T09:00:00.000000+00:00", 1, 0, "B", None, "quiz"),
        ],
    )
    conn.commit()
    conn.close()


def test_migration_from_v1_keeps_data_and_backs_up(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    _make_v1(path)

    with connect(tmp_path) as store:
        state = store.card_states()[UID]
        assert state == CardState(
            state="review",
            stability=3.5,
            difficulty=6.2,
            due=datetime(2026, 3, 5, 9, tzinfo=timezone.utc),
            last_review=datetime(2026, 3, 2, 9, tzinfo=timezone.utc),
            reps=2,
        )
        rows = store.reviews(uid=UID)
        assert [(r.rating, r.correct, r.answer, r.mode) for r in rows] == [
            (Rating.AGAIN, False, "B", "quiz"),
            (Rating.GOOD, True, "A", "review"),
        ]
        assert store.content_hashes() == {UID: "hash-1"}
        # first_seen backfilled from the earliest review.
        assert store.first_seen_since(T0) == {UID}
        assert store.first_seen_since(T0 + timedelta(seconds=1)) == set()
        # The upgraded database takes new answers.
        _record(store, OTHER, T0 + timedelta(days=3))
        assert len(store.reviews()) == 3

    raw = _raw(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        first_seen = raw.execute("SELECT first_seen FROM cards WHERE uid = ?", (UID,)).fetchone()
        assert first_seen[0] == "2026-03-01T09:00:00.000000+00:00"
        indexes = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"reviews_uid", "reviews_reviewed_at", "cards_due", "cards_first_seen"} <= indexes
    finally:
        raw.close()

    backup = tmp_path / f"{DB_NAME}.bak-v1"
    assert backup.is_file()
    old = _raw(backup)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert old.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2
        columns = {r["name"] for r in old.execute("PRAGMA table_info(cards)")}
        assert "first_seen" not in columns
    finally:
        old.close()

    # Connecting again does not migrate or back up again.
    connect(tmp_path).close()
    assert sorted(p.name for p in tmp_path.glob("*.bak-*")) == [f"{DB_NAME}.bak-v1"]


def test_migration_does_not_overwrite_an_existing_backup(tmp_path: Path) -> None:
    _make_v1(tmp_path / DB_NAME)
    existing = tmp_path / f"{DB_NAME}.bak-v1"
    existing.write_bytes(b"an older backup")
    connect(tmp_path).close()
    assert existing.read_bytes() == b"an older backup"
    second = tmp_path / f"{DB_NAME}.bak-v1.1"
    assert second.is_file()
    conn = sqlite3.connect(second)
    try:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2
    finally:
        conn.close()


@pytest.mark.parametrize(
    "junk",
    [
        bytes(range(256)) * 64,
        b"x",  # SQLite alone would take a short file for an empty database
        b"SQLite format 3\x00" + bytes(range(256)) * 16,  # right header, garbage after
    ],
    ids=["random", "short", "bad-pages"],
)
def test_corrupt_file_raises_and_is_left_alone(tmp_path: Path, junk: bytes) -> None:
    path = tmp_path / DB_NAME
    path.write_bytes(junk)
    with pytest.raises(StoreError) as info:
        connect(tmp_path)
    message = info.value.message
    assert str(path) in message
    assert "\n" not in message
    assert path.read_bytes() == junk
    assert sorted(p.name for p in tmp_path.iterdir()) == [DB_NAME]


def test_empty_file_becomes_a_new_history(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"")
    with connect(tmp_path) as store:
        _record(store, UID, T0)
        assert len(store.reviews()) == 1


def test_directory_in_place_of_file_raises(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).mkdir()
    with pytest.raises(StoreError, match=DB_NAME):
        connect(tmp_path)
    assert (tmp_path / DB_NAME).is_dir()


def test_home_that_is_a_file_raises(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    with pytest.raises(StoreError, match="home"):
        connect(home)
    assert home.read_text() == "not a folder"


def test_newer_schema_version_raises(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer") as info:
        connect(tmp_path)
    assert str(path) in info.value.message
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak-*"))


def test_foreign_database_raises(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a csdrill review history"):
        connect(tmp_path)
    assert path.read_bytes() == before


def test_two_connections_write_alternately(tmp_path: Path) -> None:
    first = connect(tmp_path)
    second = connect(tmp_path)
    try:
        states = {UID: NEW, OTHER: NEW}
        for i in range(10):
            writer, uid = (first, UID) if i % 2 == 0 else (second, OTHER)
            states[uid] = _record(writer, uid, T0 + timedelta(hours=i), state=states[uid])
            # Each sees the other's writes at once.
            assert len(first.reviews()) == len(second.reviews()) == i + 1
        assert first.card_states() == second.card_states() == states
    finally:
        first.close()
        second.close()
    with connect(tmp_path) as store:
        assert len(store.reviews()) == 10
        assert {uid: s.reps for uid, s in store.card_states().items()} == {UID: 5, OTHER: 5}


def test_damaged_row_raises_store_error(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        _record(store, UID, T0)
    raw = _raw(tmp_path / DB_NAME)
    raw.execute("UPDATE cards SET due = 'yesterday'")
    raw.commit()
    raw.close()
    with connect(tmp_path) as store, pytest.raises(StoreError, match="damaged row"):
        store.card_states()


def test_recent_reviews_read_in_batches_are_the_review_log_and_a_damaged_time_is_named(tmp_path: Path) -> None:
    """``iter_reviews`` (what stats reads of the last month) gives the rows ``reviews`` gives, times in UTC."""
    with connect(tmp_path) as store:
        state = NEW
        for i in range(5):
            state = _record(store, UID, T0 + timedelta(days=i), state=state)
        since = T0 + timedelta(days=2)
        read = list(store.iter_reviews(since))
        assert read == store.reviews(since=since)
        assert [r.reviewed_at for r in read] == [T0 + timedelta(days=i) for i in (2, 3, 4)]
        assert all(r.reviewed_at.tzinfo is timezone.utc and isinstance(r.rating, Rating) for r in read)
    raw = _raw(tmp_path / DB_NAME)
    raw.execute("UPDATE reviews SET reviewed_at = '2030-01-01 noon' WHERE id = 5")
    raw.commit()
    raw.close()
    with connect(tmp_path) as store, pytest.raises(StoreError, match="damaged row"):
        list(store.iter_reviews(T0))


def test_processes_creating_a_new_history_at_once_all_succeed(tmp_path: Path) -> None:
    """Several sessions starting together on an empty CSDRILL_HOME: none sees half a history."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from cs_drill.study.store import connect\n"
        "for _ in range(3): connect(Path(sys.argv[1])).close()"
    )
    for attempt in range(6):
        home = tmp_path / f"home{attempt}"
        procs = [
            subprocess.Popen([sys.executable, "-c", code, str(home)], stderr=subprocess.PIPE, text=True)
            for _ in range(4)
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err


def _make_v2(path: Path, n: int = 50) -> list[tuple[object, ...]]:
    """A version-2 history (the mode CHECK still in place) with ``n`` reviews; its review rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)
    conn.executescript(MIGRATIONS[1])
    conn.execute("PRAGMA user_version = 2")
    rows: list[tuple[object, ...]] = [
        (i + 1, f"exam/q{i % 7}", f"2026-03-01T09:{i // 60:02d}:{i % 60:02d}.000000+00:00",
         1 + i % 4, i % 2, f"答案{i}", 1000 + i, "quiz" if i % 3 else "review")
        for i in range(n)
    ]  # fmt: skip
    conn.executemany(
        "INSERT INTO reviews (id, uid, reviewed_at, rating, correct, answer, duration_ms, mode) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute(
        "INSERT INTO cards (uid, state, due, last_review, reps, first_seen) VALUES (?, ?, ?, ?, ?, ?)",
        ("exam/q0", "review", "2026-03-05T09:00:00.000000+00:00", "2026-03-01T09:00:00.000000+00:00", 8,
         "2026-03-01T09:00:00.000000+00:00"),
    )  # fmt: skip
    conn.commit()
    conn.close()
    return rows


def test_migration_from_v6_indexes_cards_by_first_review(tmp_path: Path) -> None:
    """Version 7 adds an index only: every review and card state stays; today's new cards are found by it."""
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:6]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 6")
    conn.execute(
        "INSERT INTO reviews (id, uid, reviewed_at, rating, correct, answer, duration_ms, mode) "
        "VALUES (1, 'exam/q0', '2026-03-01T09:00:00.000000+00:00', 3, 1, 'A', 1000, 'review')"
    )
    conn.executemany(
        "INSERT INTO cards (uid, state, due, last_review, reps, first_seen) VALUES (?, 'review', ?, ?, 1, ?)",
        [
            ("exam/q0", "2026-03-05T09:00:00.000000+00:00", "2026-03-01T09:00:00.000000+00:00",
             "2026-03-01T09:00:00.000000+00:00"),
            ("exam/q1", "2026-03-06T09:00:00.000000+00:00", "2026-03-02T09:00:00.000000+00:00",
             "2026-03-02T09:00:00.000000+00:00"),
        ],
    )  # fmt: skip
    conn.commit()
    conn.close()
    with connect(tmp_path) as store:
        assert store.first_seen_since(datetime(2026, 3, 2, tzinfo=timezone.utc)) == {"exam/q1"}
        assert set(store.card_states()) == {"exam/q0", "exam/q1"}
        assert [r.uid for r in store.reviews()] == ["exam/q0"]
    raw = _raw(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 7
        plan = raw.execute("EXPLAIN QUERY PLAN SELECT uid FROM cards WHERE first_seen >= ?", ("x",)).fetchall()
        assert "cards_first_seen" in str([tuple(r) for r in plan])
        due = (
            "SELECT uid, state, step, stability, difficulty, due, last_review, reps, lapses "
            "FROM cards WHERE due <= ? AND state != 'new'"
        )
        plan = raw.execute(f"EXPLAIN QUERY PLAN {due}", ("x",)).fetchall()
        assert "COVERING INDEX cards_due" in str([tuple(r) for r in plan])
        rows = raw.execute(due, ("2026-03-05T09:00:00.000000+00:00",)).fetchall()
        assert [r[0] for r in rows] == ["exam/q0"]
    finally:
        raw.close()


def _review_rows(path: Path) -> list[tuple[object, ...]]:
    raw = _raw(path)
    try:
        return [
            tuple(r)
            for r in raw.execute(
                "SELECT id, uid, reviewed_at, rating, correct, answer, duration_ms, mode FROM reviews ORDER BY id"
            )
        ]
    finally:
        raw.close()


def test_migration_from_v2_keeps_every_review_and_drops_the_mode_check(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    rows = _make_v2(path)
    with connect(tmp_path) as store:
        assert len(store.reviews()) == len(rows)
        assert store.card_states()["exam/q0"].reps == 8
    assert _review_rows(path) == rows  # every review, with its id, intact
    raw = _raw(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION == 7
        sql = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'reviews'").fetchone()[0]
        assert "CHECK (mode" not in sql
        indexes = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"reviews_uid", "reviews_reviewed_at", "cards_due"} <= indexes
        # a mode the old schema refused is now a plain row: later modes need no rebuild
        raw.execute(
            "INSERT INTO reviews (uid, reviewed_at, rating, mode) "
            "VALUES ('exam/q1', '2026-03-02T00:00:00+00:00', 3, 'exam')"
        )
    finally:
        raw.close()
    backup = tmp_path / f"{DB_NAME}.bak-v2"
    assert _review_rows(backup) == rows


def test_migration_from_v1_to_v3_keeps_every_review(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    _make_v1(path)
    before = _review_rows(path)
    with connect(tmp_path) as store:
        assert len(store.reviews()) == 2
    assert _review_rows(path) == before
    assert (tmp_path / f"{DB_NAME}.bak-v1").is_file()


def test_migration_from_v3_adds_stars_and_places_and_keeps_the_history(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    rows = _make_v2(path)
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[2])
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with connect(tmp_path) as store:
        assert store.starred() == set()
        store.star("exam/q1", T0)
        assert store.starred() == {"exam/q1"}
        assert store.card_states()["exam/q0"].reps == 8
    assert _review_rows(path) == rows


def test_undo_takes_the_answer_back_and_restores_the_card(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        first = _record(store, UID, T0, Rating.GOOD)
        after = Scheduler(fuzz=False).review(UID, first, Rating.AGAIN, T0 + timedelta(days=3), 1000)
        review_id = store.record(
            UID, after=after, now=T0 + timedelta(days=3), rating=Rating.AGAIN, correct=False, answer="B",
            duration_ms=1000, mode="quiz",
        )  # fmt: skip
        assert store.card_states()[UID].lapses == after.lapses
        store.undo(review_id, UID, first)
        assert store.card_states()[UID] == first
        assert [r.answer for r in store.reviews()] == ["A"]


def test_undo_of_a_first_answer_makes_the_card_new_again(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        after = Scheduler(fuzz=False).review(UID, NEW, Rating.GOOD, T0, 1000)
        review_id = store.record(
            UID, after=after, now=T0, rating=Rating.GOOD, correct=True, answer="A", duration_ms=1000, mode="quiz"
        )
        store.undo(review_id, UID, NEW)
        assert store.card_states() == {}
        assert store.seen_uids() == set()
        assert store.reviews() == []


def test_seen_among_tells_which_uids_have_been_reviewed(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        after = Scheduler(fuzz=False).review(UID, NEW, Rating.GOOD, T0, 1000)
        store.record(
            UID, after=after, now=T0, rating=Rating.GOOD, correct=True, answer="A", duration_ms=1000, mode="quiz"
        )
        many = [f"x/q{i}" for i in range(1200)]  # more than one query's worth
        assert store.seen_among([*many, UID, UID]) == {UID}
        assert store.seen_among(many) == set()
        assert store.seen_among([]) == set()
        assert store.seen_among([UID]) == store.seen_uids()


def test_the_place_of_a_quiz_is_committed_with_its_answer(tmp_path: Path) -> None:
    after = Scheduler(fuzz=False).review(UID, NEW, Rating.GOOD, T0, 1000)
    answer = dict(now=T0, rating=Rating.GOOD, correct=True, answer="A", duration_ms=1000, mode="quiz")
    with connect(tmp_path) as store:
        store.record(UID, after=after, place=("exam", UID), **answer)  # type: ignore[arg-type]
        assert store.place("exam") == UID
        assert len(store.reviews()) == 1
        store.record(UID, after=after, place=("exam", None), **answer)  # type: ignore[arg-type]
        assert store.place("exam") is None  # the last question: the quiz starts over next time
        assert len(store.reviews()) == 2


def test_practice_answers_are_logged_but_leave_the_schedule(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        first = _record(store, UID, T0, Rating.GOOD)
        _record(store, UID, T0 + timedelta(hours=1), Rating.AGAIN, state=first, correct=False, mode="practice")
        assert store.card_states()[UID] == first
        assert [r.mode for r in store.reviews()] == ["quiz", "practice"]


def test_the_place_of_a_source_order_quiz_is_kept_per_selection(tmp_path: Path) -> None:
    with connect(tmp_path) as store:
        assert store.place("exam=x") is None
        store.set_place("exam=x", UID, T0)
        store.set_place("exam=y", OTHER, T0)
        assert store.place("exam=x") == UID
        store.set_place("exam=x", None, T0)
        assert store.place("exam=x") is None
        assert store.place("exam=y") == OTHER


def test_migration_from_v4_adds_attempts_and_plans(tmp_path: Path) -> None:
    from cs_drill.study.store import MIGRATION_V4, Attempt

    path = tmp_path / DB_NAME
    rows = _make_v2(path)
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[2])
    conn.executescript(MIGRATION_V4)
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with connect(tmp_path) as store:
        assert store.attempts() == []
        assert store.plan() == {}
        sitting = Attempt("x", None, T0, 600.0, 38.0, 45.0, 60.0, True)
        store.add_attempt(sitting)
        store.set_plan("2026-03-20", ["x"], T0)
        assert store.attempts("x") == [sitting]
        assert store.plan() == {"x": "2026-03-20"}
        store.set_plan("2026-03-21", [], T0)
        assert store.plan() == {"*": "2026-03-21"}
        store.clear_plan()
        assert store.plan() == {}
    assert _review_rows(path) == rows
