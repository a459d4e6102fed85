"""The review history against hostile, damaged and half-created files (issue 16: F16, F18).

A file that is not csdrill's own history is refused before anything is changed
(no journal mode switch, no backup, no migration); a failed upgrade leaves one backup
per version however often it is tried; an empty or half-created file from a failed
creation is recreated; the history is opened before the first question is shown.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import child_env, csdrill
from cs_drill.cli.app import app
from cs_drill.errors import StoreError
from cs_drill.study import store as store_module
from cs_drill.study.store import DB_NAME, LATEST_VERSION, MIGRATIONS, connect

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"
NOW = "2026-03-01T09:00:00Z"


def _env(home: Path) -> dict[str, str]:
    return child_env(CSDRILL_HOME=str(home), CSDRILL_LANG="en", COLUMNS="80")


def _foreign(path: Path, version: int, tables: str) -> bytes:
    conn = sqlite3.connect(path)
    conn.executescript(tables)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path.read_bytes()


def _journal_mode_byte(path: Path) -> int:
    # Bytes 18 and 19 of the header: 1 for a rollback journal, 2 for WAL.
    return path.read_bytes()[18]


OTHER_TABLES = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me');"
# Tables named as csdrill's, with other columns.
LOOKALIKE = "CREATE TABLE cards (uid TEXT PRIMARY KEY, colour TEXT); CREATE TABLE reviews (id INTEGER PRIMARY KEY);"


# -- F16: another program's database -----------------------------------------------------------


@pytest.mark.parametrize("version", [1, 2, LATEST_VERSION])
@pytest.mark.parametrize("tables", [OTHER_TABLES, LOOKALIKE], ids=["other", "lookalike"])
def test_foreign_database_with_a_version_is_refused_untouched(tmp_path: Path, version: int, tables: str) -> None:
    path = tmp_path / DB_NAME
    before = _foreign(path, version, tables)
    for _attempt in range(2):
        with pytest.raises(StoreError, match="not a csdrill review history") as info:
            connect(tmp_path)
        assert str(path) in info.value.message
        assert "\n" not in info.value.message
    assert path.read_bytes() == before
    assert _journal_mode_byte(path) == 1  # never switched to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == [DB_NAME]  # no backup, no -wal


@pytest.mark.parametrize("version", [1, 2])
def test_list_on_a_foreign_database_is_one_line(tmp_path: Path, version: int) -> None:
    path = tmp_path / DB_NAME
    before = _foreign(path, version, OTHER_TABLES)
    done = subprocess.run([csdrill(), "list"], capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert str(path) in done.stderr
    assert "OperationalError" not in done.stderr
    assert path.read_bytes() == before


def test_csdrills_own_old_versions_are_recognised(tmp_path: Path) -> None:
    for version in range(1, LATEST_VERSION):
        home = tmp_path / f"v{version}"
        home.mkdir()
        conn = sqlite3.connect(home / DB_NAME)
        for script in MIGRATIONS[:version]:
            conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
        conn.close()
        with connect(home) as store:
            assert store.reviews() == []
        assert (home / f"{DB_NAME}.bak-v{version}").exists()


def test_a_failed_upgrade_leaves_one_backup_per_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    broken = (*MIGRATIONS[:2], "CREATE TABLE reviews (id INTEGER);", *MIGRATIONS[3:])
    monkeypatch.setattr(store_module, "MIGRATIONS", broken)
    for _attempt in range(3):
        with pytest.raises(StoreError, match="cannot upgrade"):
            connect(tmp_path)
    assert [p.name for p in tmp_path.glob("*.bak-*")] == [f"{DB_NAME}.bak-v1"]
    monkeypatch.undo()
    with connect(tmp_path) as store:
        assert store.reviews() == []
    assert [p.name for p in tmp_path.glob("*.bak-*")] == [f"{DB_NAME}.bak-v1"]


# -- F18: a history that cannot be written, or was left half-created ----------------------------


def _read_only(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """The home and the files in it not writable, as for a user after ``chmod -R a-w`` (root is not restricted)."""
    real = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(str(path)).resolve().is_relative_to(home.resolve()):
            return False
        return real(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


@pytest.mark.parametrize("command", ["quiz", "review"])
@pytest.mark.parametrize("existing", [True, False], ids=["history", "none-yet"])
def test_a_read_only_home_fails_before_the_first_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, existing: bool
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    if existing:
        connect(home).close()
    monkeypatch.setenv("CSDRILL_HOME", str(home))
    monkeypatch.setenv("CSDRILL_BANK", str(FIXTURE))
    monkeypatch.setenv("CSDRILL_NOW", NOW)
    _read_only(monkeypatch, home)
    result = CliRunner().invoke(app, [command], input="a\nB\n")
    assert result.exit_code == 1
    # No question was shown, so no answer was taken (review says first what is due).
    assert [line for line in result.stdout.splitlines() if not line.startswith("Review: ")] == []
    assert result.stderr.count("\n") == 1, result.stderr
    assert str(home / DB_NAME) in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="chmod does not restrict root")
def test_a_chmod_read_only_home_fails_before_the_first_question(tmp_path: Path) -> None:
    connect(tmp_path).close()
    for path in (tmp_path / DB_NAME, tmp_path):
        path.chmod(0o555)
    try:
        env = {**_env(tmp_path), "CSDRILL_BANK": str(FIXTURE), "CSDRILL_NOW": NOW}
        done = subprocess.run([csdrill(), "quiz"], input="a\n", capture_output=True, text=True, env=env, timeout=60)
    finally:
        tmp_path.chmod(0o755)
        (tmp_path / DB_NAME).chmod(0o644)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr


def test_the_history_is_opened_before_the_first_question(tmp_path: Path) -> None:
    # The history cannot be created (a folder stands in its place): the failure comes first.
    (tmp_path / DB_NAME).mkdir()
    env = {**_env(tmp_path), "CSDRILL_BANK": str(FIXTURE), "CSDRILL_NOW": NOW}
    done = subprocess.run([csdrill(), "quiz"], input="a\n", capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr


HALF_CREATED = {
    "empty": b"",
    "header-only": b"SQLite format 3\x00",
    "short-page": b"SQLite format 3\x00" + bytes([16, 0, 1, 1]) + bytes(80),
}


@pytest.mark.parametrize("content", HALF_CREATED.values(), ids=HALF_CREATED.keys())
def test_a_half_created_history_is_recreated(tmp_path: Path, content: bytes) -> None:
    (tmp_path / DB_NAME).write_bytes(content)
    # `list` only reads: it works as with no history, and needs no space to do so.
    env = {**_env(tmp_path), "CSDRILL_BANK": str(FIXTURE), "CSDRILL_NOW": NOW}
    done = subprocess.run([csdrill(), "list"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    # A command that writes makes a new history in its place.
    done = subprocess.run([csdrill(), "quiz"], input="a\n", capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    with connect(tmp_path) as store:
        assert len(store.reviews()) == 1


def test_a_short_file_that_is_not_sqlite_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    path.write_bytes(b"my notes\n")
    with pytest.raises(StoreError, match="not a database"):
        connect(tmp_path)
    assert path.read_bytes() == b"my notes\n"


# -- issue item 3: a history damaged in the middle -----------------------------------------------


def _damaged_history(home: Path) -> None:
    with connect(home) as store:
        conn = store._conn
        conn.execute("BEGIN")
        for i in range(2000):
            conn.execute(
                "INSERT INTO reviews (uid, reviewed_at, rating, correct, answer, duration_ms, mode)"
                " VALUES (?, '2026-03-01T09:00:00+00:00', 3, 1, ?, 1, 'quiz')",
                (f"u{i}", "x" * 200),
            )
        conn.execute("COMMIT")
    path = home / DB_NAME
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = b"\xde\xad\xbe\xef" * 2048
    path.write_bytes(bytes(data))


def test_a_history_damaged_in_the_middle_is_one_clear_line(tmp_path: Path) -> None:
    _damaged_history(tmp_path)
    env = {**_env(tmp_path), "CSDRILL_BANK": str(FIXTURE), "CSDRILL_NOW": NOW}
    done = subprocess.run([csdrill(), "stats"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert str(tmp_path / DB_NAME) in done.stderr
    assert "Error" not in done.stderr  # no exception class names, no traceback
    # A drill either records its answer or stops with one line; never a traceback.
    done = subprocess.run([csdrill(), "quiz"], input="a\n", capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode in (0, 1)
    assert "Traceback" not in done.stderr
    if done.returncode == 1:
        assert done.stderr.count("\n") == 1, done.stderr


# -- issue item 3: the history removed while a session runs ---------------------------------------


def _reviews(home: Path) -> int:
    if not (home / DB_NAME).exists():
        return 0
    conn = sqlite3.connect(f"{(home / DB_NAME).as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def _uids(home: Path) -> list[str]:
    conn = sqlite3.connect(f"{(home / DB_NAME).as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT uid FROM reviews ORDER BY id")]
    finally:
        conn.close()


def _after_the_first_answer(home: Path, change: Callable[[], None]) -> tuple[int, str]:
    """A source-order quiz answers its first question; then ``change`` runs; then the second is answered."""
    env = {**_env(home), "CSDRILL_BANK": str(FIXTURE), "CSDRILL_NOW": NOW}
    with subprocess.Popen(
        [csdrill(), "quiz", "--order", "source"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    ) as child:
        assert child.stdin is not None
        child.stdin.write("a\n")
        child.stdin.flush()
        deadline = time.monotonic() + 30
        while _reviews(home) < 1 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.02)
        assert _reviews(home) == 1
        change()
        _out, err = child.communicate("B\n", timeout=60)
    return child.returncode, err


def test_a_history_removed_mid_session_is_recreated(tmp_path: Path) -> None:
    def remove() -> None:
        for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
            (tmp_path / name).unlink(missing_ok=True)

    code, err = _after_the_first_answer(tmp_path, remove)
    assert code == 0, err
    assert err == ""
    # The answer after the removal went to a new history, not to the removed file.
    assert _uids(tmp_path) == ["drill/record-info"]
    # The next run goes on with it.
    env = {**_env(tmp_path), "CSDRILL_BANK": str(FIXTURE), "CSDRILL_NOW": NOW}
    done = subprocess.run([csdrill(), "stats"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_history_replaced_mid_session_gets_the_next_answer(tmp_path: Path) -> None:
    # Another history put in its place (a copy restored from elsewhere) holds one review.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with connect(elsewhere) as store:
        store._conn.execute(
            "INSERT INTO reviews (uid, reviewed_at, rating, correct, answer, duration_ms, mode)"
            " VALUES ('drill/slang', '2026-02-01T09:00:00+00:00', 3, 1, 'f', 1, 'quiz')"
        )

    def replace() -> None:
        os.replace(elsewhere / DB_NAME, tmp_path / DB_NAME)

    code, err = _after_the_first_answer(tmp_path, replace)
    assert code == 0, err
    assert _uids(tmp_path) == ["drill/slang", "drill/record-info"]
