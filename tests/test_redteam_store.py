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
import sys
from pathlib import Path

import pytest

from cs_drill.errors import StoreError
from cs_drill.study import store as store_module
from cs_drill.study.store import DB_NAME, LATEST_VERSION, MIGRATIONS, connect


def csdrill() -> str:
    exe = Path(sys.executable).parent / "csdrill"
    assert exe.exists(), f"the csdrill script is not installed next to {sys.executable}"
    return str(exe)


def _env(home: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CSDRILL_")}
    base.update(CSDRILL_HOME=str(home), CSDRILL_LANG="en", COLUMNS="80")
    return base


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
