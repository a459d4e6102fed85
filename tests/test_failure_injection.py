"""Failure injection through the installed `csdrill` (issue 16, item 3).

Each case runs real ``csdrill`` processes and injects one failure: the history or the
cache damaged, read-only, full (``RLIMIT_FSIZE`` in the child), removed mid-session or
busy (another process holding the write lock); SIGTERM, SIGHUP and SIGINT at each
stage of a session; standard streams closed or not UTF-8. For each:

- no answered review is lost: every answer whose feedback was shown is a row of the
  history (rows are counted in the SQLite file itself);
- one clear line on standard error, never a traceback;
- the next run recovers (exit 0), once the failure is gone.

Stages are waited for by what the child shows (its output, the rows of its history,
its open files in /proc), polling with a deadline; never a fixed sleep.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import csdrill, live_children
from cs_drill.bank.cache import CACHE_NAME
from cs_drill.errors import Terminated
from cs_drill.study.store import DB_NAME, Store, connect

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"
NOW = "2026-03-01T09:00:00Z"
PROMPT = "Answer ("  # what a drill shows when it waits for an answer (English, piped)
FEEDBACK = ("✓ Right", "✗ Wrong")  # what it shows once an answer is saved
DEADLINE = 30.0  # seconds: a stage not reached by then fails the test
QUIZ = ["quiz", "--order", "source"]
# Answers to the fixture's graded questions in source order: right, wrong, right, right, wrong.
ANSWERS = ["A", "A", "ABC", "f", "f"]


def _env(home: Path, **extra: str) -> dict[str, str]:
    drop = ("CSDRILL_", "PYTHONIOENCODING", "PYTHONUNBUFFERED")
    base = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    base.update(CSDRILL_HOME=str(home), CSDRILL_LANG="en", COLUMNS="80", CSDRILL_BANK=str(FIXTURE))
    base.update(CSDRILL_NOW=NOW, LC_ALL="C.UTF-8")
    base.update(extra)
    return base


def rows(home: Path) -> int:
    """Reviews in the history of ``home`` (0 without one)."""
    path = home / DB_NAME
    if not path.exists():
        return 0
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return 0
        raise
    finally:
        conn.close()


def acknowledged(out: str) -> int:
    """Answers whose feedback the child showed: each must be in the history."""
    return sum(out.count(mark) for mark in FEEDBACK)


def one_clear_line(err: str) -> str:
    """Standard error holds one line (a leading empty line aside), no traceback; returns it."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err, err
    assert "Error:" not in err, err
    return lines[0]


def next_run_recovers(home: Path, answers: str = "A\n", **extra: str) -> None:
    before = rows(home)
    done = subprocess.run(
        [csdrill(), *QUIZ, "--restart"],
        input=answers,
        capture_output=True,
        text=True,
        env=_env(home, **extra),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert rows(home) == before + acknowledged(done.stdout) >= before + 1


_started: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_process_left() -> Iterator[None]:
    """A test that fails half-way leaves no csdrill (or its workers) running."""
    yield
    while _started:
        proc = _started.pop()
        with contextlib.suppress(OSError):  # none left: ProcessLookupError
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class Child:
    """A csdrill session in a subprocess; its output is collected as it comes."""

    def __init__(self, home: Path, args: list[str], preexec: Callable[[], None] | None = None, **extra: str) -> None:
        self.home = home
        self.proc = subprocess.Popen(
            [csdrill(), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(home, **extra),
            preexec_fn=preexec,
            start_new_session=True,  # its own process group, as a terminal's job is
        )
        _started.append(self.proc)
        self._out = bytearray()
        self._err = bytearray()
        self._readers = [
            threading.Thread(target=self._drain, args=(self.proc.stdout, self._out), daemon=True),
            threading.Thread(target=self._drain, args=(self.proc.stderr, self._err), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _drain(stream: object, into: bytearray) -> None:
        fd = stream.fileno()  # type: ignore[attr-defined]
        while chunk := os.read(fd, 65536):
            into.extend(chunk)

    @property
    def out(self) -> str:
        return bytes(self._out).decode("utf-8", "replace")

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def wait_for(self, reached: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + DEADLINE
        while not reached():
            assert self.proc.poll() is None, f"csdrill ended ({self.proc.returncode}) before {what}: {self.finish()}"
            assert time.monotonic() < deadline, f"not reached in {DEADLINE} s: {what}"
            time.sleep(0.01)

    def wait_for_prompt(self, n: int = 1) -> None:
        self.wait_for(lambda: self.out.count(PROMPT) >= n, f"prompt {n}")

    def wait_for_rows(self, n: int) -> None:
        self.wait_for(lambda: rows(self.home) >= n, f"{n} rows in the history")

    def wait_for_open_history(self) -> None:
        """Until the child has its history open (its descriptors in /proc)."""
        target = str(self.home / DB_NAME)

        def opened() -> bool:
            fds = Path(f"/proc/{self.proc.pid}/fd")
            try:
                return any(os.readlink(fd) == target for fd in fds.iterdir())
            except OSError:  # a descriptor closed meanwhile
                return False

        self.wait_for(opened, "the history open")

    def stdin_drained(self) -> bool:
        """Whether the child has read everything sent (bytes left in the pipe: FIONREAD)."""
        assert self.proc.stdin is not None
        left = bytearray(4)
        fcntl.ioctl(self.proc.stdin.fileno(), termios.FIONREAD, left)
        return int.from_bytes(left, sys.byteorder) == 0

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        """Close its input, wait for the end; (exit code, standard output, standard error)."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        code = self.proc.wait(timeout)
        for reader in self._readers:
            reader.join(timeout)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code, self.out, bytes(self._err).decode("utf-8", "replace")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def _history(home: Path) -> None:
    connect(home).close()


@pytest.fixture
def locked(home: Path) -> Iterator[sqlite3.Connection]:
    """Another process's connection holding the history's write lock (BEGIN EXCLUSIVE)."""
    _history(home)
    conn = sqlite3.connect(home / DB_NAME, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    yield conn
    conn.close()


# -- signals at each stage of a session --------------------------------------------------------

SIGNALS = {
    "SIGTERM": (signal.SIGTERM, 128 + signal.SIGTERM, "terminated (SIGTERM)"),
    "SIGHUP": (signal.SIGHUP, 128 + signal.SIGHUP, "terminated (SIGHUP)"),
    "SIGINT": (signal.SIGINT, 130, "interrupted"),
}


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the child's open files")
@pytest.mark.parametrize("name", SIGNALS)
def test_a_signal_before_the_first_question(home: Path, locked: sqlite3.Connection, name: str) -> None:
    signum, code, line = SIGNALS[name]
    # The history is busy: the child opens it and waits for the lock, before any question.
    child = Child(home, QUIZ)
    child.wait_for_open_history()
    child.proc.send_signal(signum)
    locked.execute("ROLLBACK")
    returncode, out, err = child.finish()
    assert returncode == code, err
    assert PROMPT not in out
    assert one_clear_line(err) == line
    assert rows(home) == 0
    next_run_recovers(home)


@pytest.mark.parametrize("name", SIGNALS)
def test_a_signal_while_waiting_for_an_answer(home: Path, name: str) -> None:
    signum, code, line = SIGNALS[name]
    child = Child(home, QUIZ)
    child.send(ANSWERS[0])
    child.wait_for_prompt(2)
    child.proc.send_signal(signum)
    returncode, out, err = child.finish()
    assert returncode == code, err
    assert one_clear_line(err) == line
    assert acknowledged(out) == 1
    assert rows(home) == 1
    next_run_recovers(home)


@pytest.mark.parametrize("name", SIGNALS)
def test_a_signal_right_after_an_answer(home: Path, name: str) -> None:
    signum, code, line = SIGNALS[name]
    child = Child(home, QUIZ)
    child.send(ANSWERS[0])
    child.wait_for_prompt(2)
    child.send(ANSWERS[1])
    child.wait_for_rows(2)  # committed; its feedback may or may not be out yet
    child.proc.send_signal(signum)
    returncode, out, err = child.finish()
    assert returncode == code, err
    assert one_clear_line(err) == line
    assert rows(home) == 2 >= acknowledged(out)
    next_run_recovers(home)


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_in_a_mock_exam(home: Path, name: str) -> None:
    signum, code, line = SIGNALS[name]
    child = Child(home, ["exam"])
    child.send(ANSWERS[0])
    child.wait_for_rows(1)
    child.proc.send_signal(signum)
    returncode, _out, err = child.finish()
    assert returncode == code, err
    assert one_clear_line(err) == line
    assert rows(home) == 1
    next_run_recovers(home)


def _big_bank(folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("gen_bank", Path(__file__).parents[1] / "benchmarks" / "gen_bank.py")
    assert spec is not None
    assert spec.loader is not None
    gen_bank = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_bank)
    gen_bank.generate(folder, 20_000, 8)
    return folder


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("name", SIGNALS)
def test_a_signal_during_a_cold_bank_build(tmp_path: Path, home: Path, name: str) -> None:
    signum, code, line = SIGNALS[name]
    bank = _big_bank(tmp_path / "bank")
    child = Child(home, ["quiz"], CSDRILL_BANK=str(bank))
    temporary = home / "cache"
    child.wait_for(lambda: bool(list(temporary.glob(f"{CACHE_NAME}.*.tmp"))), "the cache being built")
    child.wait_for(lambda: len(live_children(child.proc.pid)) >= 2, "its workers started")
    # To the whole process group, as a terminal sends Ctrl-C or a hang-up: the workers get it too.
    os.killpg(child.proc.pid, signum)
    returncode, out, err = child.finish()
    assert returncode == code, err
    assert PROMPT not in out
    assert one_clear_line(err) == line
    assert list(temporary.glob(f"{CACHE_NAME}.*.tmp")) == []  # its temporary file is gone with it
    done = subprocess.run(
        [csdrill(), "list"], capture_output=True, text=True, env=_env(home, CSDRILL_BANK=str(bank)), timeout=120
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_the_terminal_closed_mid_session(home: Path) -> None:
    # The window is closed: the terminal hangs up (SIGHUP) and can no longer be written to.
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        csdrill(), QUIZ, env=_env(home, TERM="xterm"), dimensions=(24, 80), encoding="utf-8", timeout=DEADLINE
    )
    child.expect("A–C")
    child.sendline(ANSWERS[0])
    child.expect("Right")
    child.expect("A–B")  # waiting for the second answer
    os.close(child.child_fd)
    child.child_fd = -1
    _pid, status = os.waitpid(child.pid, 0)
    child.closed = True
    assert os.WIFEXITED(status)
    assert os.WEXITSTATUS(status) == 129
    assert rows(home) == 1
    next_run_recovers(home)


# -- a busy history -------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the child's open files")
def test_a_history_busy_at_the_start_is_waited_for(home: Path, locked: sqlite3.Connection) -> None:
    child = Child(home, QUIZ)
    child.wait_for_open_history()
    assert PROMPT not in child.out  # no question while the history cannot be written
    locked.execute("ROLLBACK")
    child.send(ANSWERS[0])
    returncode, out, err = child.finish()
    assert (returncode, err) == (0, "")
    assert rows(home) == acknowledged(out) == 1


def test_a_history_busy_mid_session_holds_the_answer_until_it_is_saved(home: Path) -> None:
    child = Child(home, QUIZ)
    child.send(ANSWERS[0])
    child.wait_for_rows(1)
    child.wait_for_prompt(2)
    other = sqlite3.connect(home / DB_NAME, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        child.send(ANSWERS[1])
        child.wait_for(child.stdin_drained, "the answer read")
        assert acknowledged(child.out) == 1  # no feedback before the answer is saved
        other.execute("ROLLBACK")
    finally:
        other.close()
    child.wait_for_rows(2)
    returncode, out, err = child.finish()
    assert (returncode, err) == (0, "")
    assert rows(home) == acknowledged(out) == 2


def test_a_history_busy_for_long_is_one_line_before_the_first_question(home: Path, locked: sqlite3.Connection) -> None:
    # The lock is never released: csdrill gives up after its busy timeout (10 s).
    done = subprocess.run([csdrill(), *QUIZ], input="A\n", capture_output=True, text=True, env=_env(home), timeout=60)
    assert done.returncode == 1
    assert PROMPT not in done.stdout
    line = one_clear_line(done.stderr)
    assert str(home / DB_NAME) in line
    assert "locked" in line
    locked.execute("ROLLBACK")
    next_run_recovers(home)


# -- a history or cache damaged -------------------------------------------------------------------


def _answered(home: Path, n: int = 2) -> None:
    done = subprocess.run(
        [csdrill(), *QUIZ],
        input="\n".join(ANSWERS[:n]) + "\n",
        capture_output=True,
        text=True,
        env=_env(home),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert rows(home) == n


@pytest.mark.parametrize("where", ["header", "middle"])
def test_a_damaged_history_is_one_line_and_kept(home: Path, where: str) -> None:
    _answered(home)
    path = home / DB_NAME
    data = bytearray(path.read_bytes())
    at = 0 if where == "header" else len(data) // 2
    data[at : at + 4096] = b"\xde\xad\xbe\xef" * 1024
    path.write_bytes(bytes(data))
    for args in (["stats"], QUIZ, ["review"]):
        done = subprocess.run(
            [csdrill(), *args], input="A\n", capture_output=True, text=True, env=_env(home), timeout=60
        )
        assert "Traceback" not in done.stderr
        if done.returncode != 0:
            assert done.returncode == 1
            assert str(path) in one_clear_line(done.stderr)
    if where == "header":
        assert path.read_bytes() == bytes(data)  # not taken for a blank file and written over
    # Moved away (as the line says to), the next run starts a new history.
    path.rename(home / "damaged.sqlite3")
    next_run_recovers(home)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_cache_is_rebuilt(home: Path, damage: str) -> None:
    _answered(home)
    cache = home / "cache" / CACHE_NAME
    assert cache.is_file()
    size = cache.stat().st_size
    if damage == "garbage":
        cache.write_bytes(os.urandom(size))
    elif damage == "truncated":
        with cache.open("r+b") as f:
            f.truncate(size // 3)
    else:
        cache.write_bytes(b"")
    next_run_recovers(home)
    assert rows(home) == 3


@pytest.mark.parametrize("command", ["quiz", "list"])
def test_a_cache_folder_that_cannot_be_written(home: Path, command: str) -> None:
    _answered(home)
    cache = home / "cache"
    shutil.rmtree(cache)
    cache.mkdir(mode=0o555)
    try:
        done = _run(home, [command, *(["--order", "source", "--restart"] if command == "quiz" else [])])
    finally:
        cache.chmod(0o755)
    # The bank is read without a cache; the history is written as usual.
    assert (done.returncode, done.stderr) == (0, "")
    assert rows(home) == 2 + acknowledged(done.stdout)
    assert list(cache.iterdir()) == []


# -- a read-only home ------------------------------------------------------------------------------


def _as_a_user() -> Callable[[], None] | None:
    """Root is not held back by file modes: its child runs without the powers that override them.

    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER are dropped from the child's
    bounding set before it runs csdrill, so it meets the modes as their owner would.)
    """
    if os.geteuid() != 0:
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    caps = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER

    def drop() -> None:
        for cap in caps:
            if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return drop


def _read_only(home: Path) -> None:
    for path in (*home.rglob("*"), home):
        path.chmod(0o555 if path.is_dir() else 0o444)


def _run(home: Path, args: list[str], answers: str = "A\n") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [csdrill(), *args],
        input=answers,
        capture_output=True,
        text=True,
        env=_env(home),
        timeout=60,
        preexec_fn=_as_a_user(),
    )


@pytest.mark.parametrize("command", ["quiz", "review", "exam"])
def test_a_read_only_home_fails_before_the_first_question(home: Path, command: str) -> None:
    _answered(home)
    _read_only(home)
    done = _run(home, [command])
    assert done.returncode == 1
    assert PROMPT not in done.stdout
    assert str(home / DB_NAME) in one_clear_line(done.stderr)
    assert rows(home) == 2
    home.chmod(0o755)
    (home / DB_NAME).chmod(0o644)
    next_run_recovers(home)


@pytest.mark.parametrize("command", ["list", "stats", "validate", "export"])
def test_a_read_only_home_still_reads(home: Path, command: str) -> None:
    _answered(home)
    _read_only(home)
    done = _run(home, [command])
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.strip()


# -- a full disk (RLIMIT_FSIZE: no file may grow past the limit) -----------------------------------


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_before_the_history_exists(home: Path) -> None:
    # Nothing can be written at all: not the history, not the cache.
    done = subprocess.run(
        [csdrill(), *QUIZ],
        input="A\n",
        capture_output=True,
        text=True,
        env=_env(home),
        timeout=60,
        preexec_fn=_file_size_limit(0),
    )
    assert done.returncode == 1
    assert PROMPT not in done.stdout
    assert str(home / DB_NAME) in one_clear_line(done.stderr)
    next_run_recovers(home)


def test_a_disk_that_fills_up_mid_session(home: Path) -> None:
    _answered(home)  # the history and the cache exist
    size = (home / DB_NAME).stat().st_size
    # Room for a few answers in the write-ahead log (a commit writes some 4 KiB pages), not all.
    child = Child(home, QUIZ, preexec=_file_size_limit(size))
    for answer in ANSWERS:
        child.send(answer)
    returncode, out, err = child.finish()
    assert returncode == 1, (out, err)
    assert "cannot save the answer" in one_clear_line(err)
    assert rows(home) == 2 + acknowledged(out)  # every answer shown as saved is saved
    next_run_recovers(home)


def test_a_full_disk_leaves_the_read_only_commands_working(home: Path) -> None:
    _answered(home)
    # Room for SQLite's shared-memory index of a reader (32 KiB), nothing more.
    for command in (["list"], ["stats"], ["validate"]):
        done = subprocess.run(
            [csdrill(), *command],
            capture_output=True,
            text=True,
            env=_env(home),
            timeout=60,
            preexec_fn=_file_size_limit(64 * 1024),
        )
        assert (done.returncode, done.stderr) == (0, "")


def test_a_failed_creation_on_a_full_disk_says_why(home: Path) -> None:
    # Room for the first page of a new history, not for its tables.
    limit = _file_size_limit(20_000)
    for args in (QUIZ, ["stats"]):
        done = subprocess.run(
            [csdrill(), *args],
            input="A\n",
            capture_output=True,
            text=True,
            env=_env(home),
            timeout=60,
            preexec_fn=limit,
        )
        assert done.returncode == 1
        line = one_clear_line(done.stderr)
        assert line.endswith(": disk I/O error"), line  # SQLite's reason, not a failed clean-up after it
    next_run_recovers(home)


# -- the history removed while a session runs ------------------------------------------------------


def test_the_whole_home_removed_mid_session(home: Path) -> None:
    child = Child(home, QUIZ)
    child.send(ANSWERS[0])
    child.wait_for_rows(1)
    child.wait_for_prompt(2)
    shutil.rmtree(home)
    child.send(ANSWERS[1])
    child.send(ANSWERS[2])
    returncode, out, err = child.finish()
    assert (returncode, err) == (0, "")
    # The answers after the removal are in a new history at the same place.
    assert rows(home) == acknowledged(out) - 1 == 2
    next_run_recovers(home)


# -- standard streams that are not UTF-8 ------------------------------------------------------------


def test_answers_that_are_not_utf8_are_refused_and_asked_again(home: Path) -> None:
    # GBK for 错 ("false"), a stray byte, then a real answer.
    answers = "错".encode("gbk") + b"\n\xff\xfe\n" + b"f\n"
    done = subprocess.run(
        [csdrill(), "quiz", "--question", "drill/slang"],
        input=answers,
        capture_output=True,
        env=_env(home),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    out = done.stdout.decode()
    assert out.count(PROMPT) == 3
    assert rows(home) == acknowledged(out) == 1


@pytest.mark.parametrize("encoding", ["gbk", "big5", "latin-1", "ascii"])
@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_a_session_on_streams_that_are_not_utf8(home: Path, encoding: str, lang: str) -> None:
    env = _env(home, PYTHONIOENCODING=encoding, CSDRILL_LANG=lang)
    done = subprocess.run([csdrill(), *QUIZ], input=b"A\nB\n", capture_output=True, env=env, timeout=60)
    assert (done.returncode, done.stderr) == (0, b"")
    done.stdout.decode(encoding)  # only what the stream can hold
    assert rows(home) == 2
    # An error on such a stream is one line too.
    done = subprocess.run([csdrill(), "quiz", "--section", "没有这节"], capture_output=True, env=env, timeout=60)
    assert done.returncode == 2
    one_clear_line(done.stderr.decode(encoding))


def test_standard_input_closed_mid_session_keeps_what_was_answered(home: Path) -> None:
    child = Child(home, QUIZ)
    child.send(ANSWERS[0])
    child.wait_for_rows(1)
    returncode, out, err = child.finish()  # closes its input: the end of the answers
    assert (returncode, err) == (0, "")
    assert "Score: 1/1" in out
    assert rows(home) == 1


def test_a_signal_in_the_middle_of_a_write_waits_for_its_commit(home: Path) -> None:
    # A signal's handler raises where the program is; inside a write, that would roll the answer back.
    def stop(signum: int, frame: object) -> None:
        raise Terminated(signum)

    insert = (
        "INSERT INTO reviews (uid, reviewed_at, rating, correct, answer, duration_ms, mode)"
        " VALUES ('drill/slang', '2026-03-01T09:00:00+00:00', 3, 1, 'f', 1, 'quiz')"
    )

    def write(store: Store) -> None:
        with store._transaction() as conn:
            conn.execute(insert)
            signal.raise_signal(signal.SIGTERM)  # arrives half-way through the write
            conn.execute(insert)

    before = signal.signal(signal.SIGTERM, stop)
    try:
        with connect(home) as store, pytest.raises(Terminated):
            write(store)
    finally:
        signal.signal(signal.SIGTERM, before)
    assert rows(home) == 2  # committed whole, then stopped
