"""Measure every row of the performance tables of issues 6 and 17, both sides in the same run.

    python benchmarks/run.py [--questions 100000] [--files 100] [--repeat 5] [--quick]
                             [--skip-slow] [--rows startup,big,commit,memory,history]
                             [--history-reviews 730000] [--history-cards 40000]
                             [--bank-dir DIR] [--json PATH]

Prints one table: figure | measured | baseline | ratio | target | PASS/FAIL.
Figures are medians over ``--repeat`` runs; the two sides of a ratio are measured
alternately (A, B, A, B, …) after an untimed warm-up of each, so that drift in
the machine's speed hits both alike. Progress goes to standard error, the table
to standard output. See benchmarks/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_bank import edit_prompt, generate  # noqa: E402
from gen_history import trim_history  # noqa: E402

BARE_TYPER = HERE / "bare_typer.py"

#: What csdrill prints when it waits for the answer to a question (any kind).
ANSWER_MARKERS = (b"Answer (", b"Your answer")
#: The same prompts in 简体中文 ("请作答（A–D）：", "你的回答（一行）："), as UTF-8.
ZH_MARKERS = ("请作答".encode(), "你的回答".encode())
BARE_MARKER = b"Hello, world!"

NOW_EARLY = "2026-01-05T09:00:00+08:00"  # when the history is made
NOW_LATE = "2026-04-05T09:00:00+08:00"  # when it is reviewed: every card answered early is due

# Enough alternating lines to get through any card: a letter answers single and
# multi choice; '1' answers true-false and is a self-rating for open cards (an
# invalid line is refused and asked again, never graded).
PREP_ANSWERS = "A\n1\n"

LIBYAML_SCRIPT = r"""
import gc, sys, time
from pathlib import Path
import yaml
files = sorted(p for p in Path(sys.argv[1]).rglob("*") if p.suffix in (".yaml", ".yml"))
started = time.perf_counter()
for path in files:
    with open(path, "rb") as stream:
        yaml.load(stream, Loader=yaml.CSafeLoader)
print(time.perf_counter() - started)
"""

ROW1 = "first question, bundled bank: `csdrill quiz` vs bare Typer app"
#: Row 1's runs are short and single samples vary by ±10 ms: it takes this many times ``repeat``.
ROW1_TIMES = 3
ROW1B = "the same vs a bare Typer app printing through Rich (informational)"
ROW1C = "loading the 简体中文 message catalog at start-up (`i18n.setup`, a fresh interpreter)"
CATALOG_SNIPPET = """
import time, typer, typer.core
started = time.perf_counter()
from cs_drill import i18n
i18n.setup("zh-Hans")
i18n._("Score: {right}/{answered}")
print(time.perf_counter() - started)
"""
ROW2 = "big bank, cache warm: `csdrill review` to first due card vs bundled bank"
ROW3 = "big bank, cold (empty home): `csdrill validate` vs libyaml parse"
ROW3B = "big bank, cold (empty home): `csdrill review` to first card vs libyaml"
ROW4 = "one file edited, then `csdrill review` to first due card"
ROW5 = "one answer committed durably: `Store.record` (synchronous=FULL)"
ROW6 = "peak memory of a review session on the big bank"
ROWH1 = "10-year history: `csdrill stats` vs a one-review history, same bank"
ROWH1M = "peak memory of `csdrill stats` with the 10-year history"
ROWH2 = "10-year history: `csdrill review` to the first card vs a one-review history"
ROWH3 = "10-year history: `csdrill export --only {only}` vs the same cards, one review each"
ROWH4 = "peak memory of `csdrill export -o x.apkg` of the big bank"
ROWH5 = "one answer committed with the 10-year history: `Store.record`"
ROWH6 = "peak memory of `csdrill history merge` of the 10-year history into a one-review one"
#: Which rows ``--rows`` can pick: startup (1, 1b, 1c), big (2, 3, 3b, 4), commit (5), memory (6), history (H*).
ROW_GROUPS = ("startup", "big", "commit", "memory", "history")

_T0 = time.perf_counter()


def progress(message: str) -> None:
    sys.stderr.write(f"[{time.perf_counter() - _T0:6.1f}s] {message}\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------- running a child


class ChildError(RuntimeError):
    """A child process failed, timed out or never showed what we waited for."""


@dataclass
class ChildRun:
    """One run of a child process, timed from just before it was started."""

    marker_s: float | None  # until the first marker appeared on stdout (None: never)
    exit_s: float  # until stdout closed and the process was reaped
    maxrss_bytes: int  # the child's peak resident set size (wait4 rusage)
    returncode: int
    stdout: bytes
    stderr: bytes

    def text(self) -> str:
        return self.stdout.decode("utf-8", "replace")


#: How much of a child's standard output ``run_child`` keeps (what the rows read is near its start).
KEEP_STDOUT = 1 << 20


def run_child(
    cmd: Sequence[str],
    env: dict[str, str],
    stdin_text: str = "",
    markers: Sequence[bytes] = (),
    timeout: float = 300.0,
) -> ChildRun:
    """Run ``cmd`` with ``stdin_text`` in a pipe (then end of input); time stdout's first marker.

    The peak memory comes from ``os.wait4`` for this very child, so runs do not
    mix (``RUSAGE_CHILDREN`` would give the maximum over every child so far). On Linux it
    is at least this process's own peak at the time (the kernel carries the parent's
    high-water mark across fork and exec), so this process stays small: see ``KEEP_STDOUT``.
    """
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env)
        assert proc.stdin is not None
        assert proc.stdout is not None
        try:
            proc.stdin.write(stdin_text.encode("utf-8"))
            proc.stdin.close()
        except BrokenPipeError:
            pass
        fd = proc.stdout.fileno()
        out = bytearray()
        tail = b""
        marker_s: float | None = None
        deadline = started + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                proc.kill()
                proc.wait()
                raise ChildError(f"timed out after {timeout:.0f} s: {' '.join(cmd)}")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            # Only the start of the output is kept: a child's peak RSS (wait4) counts this
            # process's own peak, so holding an export of 30 MB here would inflate every
            # memory figure measured after it.
            out += chunk[: max(0, KEEP_STDOUT - len(out))]
            if marker_s is None and markers:
                window = tail + chunk
                if any(m in window for m in markers):
                    marker_s = time.perf_counter() - started
                tail = window[-32:]
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        exit_s = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    return ChildRun(
        marker_s=marker_s,
        exit_s=exit_s,
        maxrss_bytes=usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024),
        returncode=proc.returncode,
        stdout=bytes(out),
        stderr=stderr,
    )


def checked(run: ChildRun, what: str, need_marker: bool = True) -> ChildRun:
    """Fail loudly when a child exited non-zero or never reached its marker."""
    if run.returncode != 0 or (need_marker and run.marker_s is None):
        tail = (run.stderr or run.stdout).decode("utf-8", "replace").strip().splitlines()[-8:]
        reason = f"exit code {run.returncode}" if run.returncode else "the marker never appeared"
        raise ChildError(f"{what}: {reason}\n  " + "\n  ".join(tail))
    return run


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    """One row of the table: a ratio to a baseline measured in the same run, or an absolute bound."""

    key: str
    figure: str
    unit: str  # "s", "ms" or "MB"
    target: float  # a ratio (relative) or a bound in ``unit`` (absolute)
    relative: bool
    measured: float | None = None
    baseline: float | None = None
    samples: list[float] = field(default_factory=list)
    baseline_samples: list[float] = field(default_factory=list)
    note: str = ""
    skipped: str = ""

    @property
    def ratio(self) -> float | None:
        """measured / baseline for a relative target, measured / target for an absolute one."""
        if self.measured is None:
            return None
        if self.relative:
            return self.measured / self.baseline if self.baseline else None
        return self.measured / self.target

    @property
    def passed(self) -> bool | None:
        ratio = self.ratio
        return None if ratio is None else ratio <= (self.target if self.relative else 1.0)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ratio=self.ratio, passed=self.passed)
        return data


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.3f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}"


def render_table(rows: Sequence[Row]) -> str:
    header = ("#", "figure", "measured", "baseline", "ratio", "target", "result")
    lines: list[tuple[str, ...]] = []
    for r in rows:
        if r.skipped:
            lines.append((r.key, r.figure, "—", "—", "—", _target_text(r), f"skipped ({r.skipped})"))
            continue
        ratio = r.ratio
        result = {True: "PASS", False: "FAIL", None: "—"}[r.passed]
        lines.append(
            (
                r.key,
                r.figure,
                fmt(r.measured, r.unit),
                fmt(r.baseline, r.unit) if r.relative else "(absolute)",
                "—" if ratio is None else f"{ratio:.2f}×" if r.relative else f"{ratio:.2f} of target",
                _target_text(r),
                result,
            )
        )
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def join(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [join(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(join(line) for line in lines)
    return "\n".join(out)


def _target_text(r: Row) -> str:
    if r.relative:
        return f"≤ {r.target:g}×"
    return f"≤ {fmt(r.target, r.unit)}"


# --------------------------------------------------------------------------- environment


#: Where children write bytecode (set by Bench): see base_env.
PYCACHE: Path | None = None


def base_env() -> dict[str, str]:
    """The inherited environment minus what would skew a measurement.

    No ``CSDRILL_*`` variable, no forced colours or unbuffered output. Bytecode
    is written to (and read from) ``PYCACHE`` in the work folder even where
    ``PYTHONDONTWRITEBYTECODE`` is set, as an installed package has its .pyc files:
    otherwise the project's own modules would be compiled afresh on every run.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSDRILL_")}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "PYTHONUNBUFFERED"):
        env.pop(name, None)
    if PYCACHE is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def child_env(home: Path, bank: Path | None = None, now: str | None = None) -> dict[str, str]:
    """The environment of a csdrill child: our own home, bank and clock."""
    env = base_env()
    env["CSDRILL_HOME"] = str(home)
    if bank is not None:
        env["CSDRILL_BANK"] = str(bank)
    if now is not None:
        env["CSDRILL_NOW"] = now
    return env


def find_csdrill(explicit: str | None) -> str:
    if explicit:
        return explicit
    beside = Path(sys.executable).with_name("csdrill")
    if beside.exists():
        return str(beside)
    found = shutil.which("csdrill")
    if not found:
        sys.exit("run.py: cannot find the csdrill executable (use --csdrill PATH)")
    return found


def is_tmpfs(path: Path) -> bool:
    """True when ``path`` is on a RAM file system (fsync would cost nothing there)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return False
    best, kind = "", ""
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3 or len(parts[1]) <= len(best):
            continue
        if resolved == parts[1] or resolved.startswith(parts[1].rstrip("/") + "/"):
            best, kind = parts[1], parts[2]
    return kind in ("tmpfs", "ramfs")


# --------------------------------------------------------------------------- the benchmark


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.repeat: int = args.repeat
        self.timeout: float = args.timeout
        self.csdrill = find_csdrill(args.csdrill)
        self.work = Path(tempfile.mkdtemp(prefix="csdrill-bench-", dir=args.work_dir))
        global PYCACHE
        if not args.no_pycache:
            PYCACHE = self.work / "pycache"
        self.bank: Path = args.bank_dir or self.work / "bank"
        self.big_rss: list[int] = []
        self.notes: list[str] = []
        self._homes = 0

    def home(self, name: str) -> Path:
        self._homes += 1
        path = self.work / f"home-{self._homes:02d}-{name}"
        path.mkdir()
        return path

    def alternate(
        self,
        label: str,
        sides: Sequence[tuple[str, Callable[[], float]]],
        warmup: bool = True,
        times: int | None = None,
    ) -> list[list[float]]:
        """Run each side ``times`` (default ``repeat``) times, alternating, after one untimed warm-up of each."""
        times = self.repeat if times is None else times
        if warmup:
            for name, fn in sides:
                progress(f"{label}: warm-up {name}")
                fn()
        results: list[list[float]] = [[] for _ in sides]
        for i in range(times):
            for j, (name, fn) in enumerate(sides):
                value = fn()
                results[j].append(value)
                progress(f"{label}: {name} {i + 1}/{times}: {value * 1000:.0f} ms")
        return results

    # -- the bank --------------------------------------------------------------

    def prepare_bank(self) -> None:
        if self.args.bank_dir:
            files = self.bank_files()
            if not files:
                sys.exit(f"run.py: no .yaml/.yml files under {self.bank}")
            progress(f"reusing the bank in {self.bank} ({len(files)} files)")
            return
        progress(f"generating {self.args.questions} questions in {self.args.files} files")
        generate(self.bank, self.args.questions, self.args.files, self.args.seed)

    def bank_files(self) -> list[Path]:
        return sorted(p for p in self.bank.rglob("*") if p.suffix in (".yaml", ".yml"))

    # -- csdrill children ----------------------------------------------------------

    def csdrill_run(
        self,
        args: Sequence[str],
        env: dict[str, str],
        stdin_text: str = "A\n",
        markers: Sequence[bytes] = ANSWER_MARKERS,
    ) -> ChildRun:
        what = f"csdrill {' '.join(args)} (CSDRILL_HOME={env['CSDRILL_HOME']})"
        run = run_child([self.csdrill, *args], env, stdin_text, markers, self.timeout)
        return checked(run, what, need_marker=bool(markers))

    def make_history(self, home: Path, bank: Path | None) -> None:
        """Answer some cards at NOW_EARLY, so that they are all due at NOW_LATE."""
        cards = max(20, 2 * self.repeat + 6)
        env = child_env(home, bank, NOW_EARLY)
        lines = PREP_ANSWERS * (cards * 3)
        # a quiz, not a review: a review asks a card rated Again once more within the session,
        # which would spend the piped answers on fewer cards
        run = self.csdrill_run(["quiz", "--count", str(cards)], env, lines, ())
        if "Score:" not in run.text():
            self.notes.append(f"history preparation printed no score in {home}")

    def review_first_card(
        self, env: dict[str, str], bank_name: str, record_rss: bool = False, due: bool = True
    ) -> float:
        run = self.csdrill_run(["review"], env)
        match = re.search(r"Review: (\d+) due", run.text())
        if due and (not match or match.group(1) == "0"):
            self.notes.append(f"a review on the {bank_name} bank started without a due card")
        if record_rss:
            self.big_rss.append(run.maxrss_bytes)
        assert run.marker_s is not None
        return run.marker_s

    # -- row 1 -------------------------------------------------------------------

    def rows_first_question(self) -> list[Row]:
        row = Row("1", ROW1, "s", 1.1, relative=True)
        row_rich = Row("1b", ROW1B, "s", 1.1, relative=True)
        row_lang = Row("1c", ROW1C, "ms", 2.0, relative=False)
        env = child_env(self.home("quiz"))
        env["CSDRILL_LANG"] = "en"
        bare_env = dict(env)
        zh_env = child_env(self.home("quiz-zh"))
        zh_env["CSDRILL_LANG"] = "zh-Hans"

        def quiz() -> float:
            run = self.csdrill_run(["quiz"], env)
            assert run.marker_s is not None
            return run.marker_s

        def quiz_zh() -> float:
            run = self.csdrill_run(["quiz"], zh_env, markers=ZH_MARKERS)
            assert run.marker_s is not None
            return run.marker_s

        def bare(*extra: str) -> Callable[[], float]:
            argv = [sys.executable, str(BARE_TYPER), "hello", *extra]

            def measure() -> float:
                run = checked(
                    run_child(argv, bare_env, "", (BARE_MARKER,), self.timeout),
                    " ".join(["bare_typer.py", "hello", *extra]),
                )
                assert run.marker_s is not None
                return run.marker_s

            return measure

        a, b, c, d = self.alternate(
            "row 1",
            [
                ("csdrill quiz", quiz),
                ("bare Typer", bare()),
                ("bare Typer + Rich", bare("--rich")),
                ("csdrill quiz in 简体中文", quiz_zh),
            ],
            times=ROW1_TIMES * self.repeat,
        )
        row.samples, row.baseline_samples = a, b
        row.measured, row.baseline = median(a), median(b)
        row_rich.samples, row_rich.baseline_samples = a, c
        row_rich.measured, row_rich.baseline = median(a), median(c)
        loads = [self.catalog_load() for _ in range(ROW1_TIMES * self.repeat)]
        row_lang.samples = [x * 1000 for x in loads]
        row_lang.measured = median(loads) * 1000
        row_lang.note = (
            f"whole command to the first question: {median(d) * 1000:.0f} ms in 简体中文, "
            f"{median(a) * 1000:.0f} ms in English (a difference within the runs' noise)"
        )
        return [row, row_rich, row_lang]

    def catalog_load(self) -> float:
        """Seconds that importing the catalog module and loading the Chinese catalog take, in a fresh interpreter."""
        done = subprocess.run(
            [sys.executable, "-c", CATALOG_SNIPPET], env=base_env(), capture_output=True, text=True, check=True
        )
        return float(done.stdout.strip())

    # -- rows 2, 4 and 6 -------------------------------------------------------------

    def row_review_warm(self) -> Row:
        row = Row("2", ROW2, "s", 1.25, relative=True)
        self.big_home = self.home("big")
        small_home = self.home("bundled")
        progress("row 2: making a review history on the big bank (untimed)")
        self.make_history(self.big_home, self.bank)
        progress("row 2: making a review history on the bundled bank (untimed)")
        self.make_history(small_home, None)
        big_env = child_env(self.big_home, self.bank, NOW_LATE)
        small_env = child_env(small_home, None, NOW_LATE)
        a, b = self.alternate(
            "row 2",
            [
                ("big bank", lambda: self.review_first_card(big_env, "big", record_rss=True)),
                ("bundled bank", lambda: self.review_first_card(small_env, "bundled")),
            ],
        )
        row.samples, row.baseline_samples = a, b
        row.measured, row.baseline = median(a), median(b)
        return row

    def row_edited(self) -> Row:
        row = Row("4", ROW4, "s", 0.5, relative=False)
        files = self.bank_files()
        target = files[len(files) // 2]
        env = child_env(self.big_home, self.bank, NOW_LATE)
        row.note = f"edited {target.name} before each run"
        samples: list[float] = []
        for i in range(self.repeat):
            edit_prompt(target, revision=i + 1)
            value = self.review_first_card(env, "big", record_rss=True)
            samples.append(value)
            progress(f"row 4: edit + review {i + 1}/{self.repeat}: {value * 1000:.0f} ms")
        row.samples = samples
        row.measured = median(samples)
        return row

    def row_memory(self) -> Row:
        row = Row("6", ROW6, "MB", 100.0, relative=False)
        if not self.big_rss:
            progress("row 6: review session on the big bank (one warm-up, one measured)")
            env = child_env(self.home("memory"), self.bank, NOW_LATE)
            self.review_first_card(env, "big", due=False)
            self.review_first_card(env, "big", record_rss=True, due=False)
            row.note = "no history (new cards only)"
        row.samples = [b / 1e6 for b in self.big_rss]
        row.measured = max(row.samples)
        row.note = (
            row.note + "; " if row.note else ""
        ) + f"max RSS over {len(self.big_rss)} session(s), MB = 10^6 bytes"
        return row

    # -- row 3 -----------------------------------------------------------------------

    def libyaml_parse(self) -> float:
        run = checked(
            run_child(
                [sys.executable, "-c", LIBYAML_SCRIPT, str(self.bank)],
                base_env(),
                "",
                (),
                self.timeout,
            ),
            "libyaml parse",
            need_marker=False,
        )
        return float(run.text().strip().splitlines()[-1])

    def rows_cold(self) -> list[Row]:
        validate = Row("3", ROW3, "s", 0.6, relative=True)
        review = Row("3b", ROW3B, "s", 0.6, relative=True)
        review.note = "informational: the learner's cold path (the cache is built on first use)"

        def cold_validate() -> float:
            env = child_env(self.home("cold-validate"), self.bank)
            return self.csdrill_run(["validate"], env, "", ()).exit_s

        def cold_review() -> float:
            env = child_env(self.home("cold-review"), self.bank, NOW_LATE)
            run = self.csdrill_run(["review"], env)
            assert run.marker_s is not None
            return run.marker_s

        a, b, c = self.alternate(
            "row 3",
            [
                ("csdrill validate", cold_validate),
                ("libyaml", self.libyaml_parse),
                ("csdrill review", cold_review),
            ],
        )
        base = median(b)
        validate.samples, validate.baseline_samples = a, b
        validate.measured, validate.baseline = median(a), base
        review.samples, review.baseline_samples = c, b
        review.measured, review.baseline = median(c), base
        return [validate, review]

    # -- row 5 -----------------------------------------------------------------------

    def row_commit(self, home: Path | None = None, key: str = "5", figure: str = ROW5) -> Row:
        from cs_drill.study import store
        from cs_drill.study.card import CardState, Rating

        row = Row(key, figure, "ms", 1.0, relative=False)
        home = home or self.home("store")
        if is_tmpfs(home):
            self.notes.append(f"{home} is on tmpfs: fsync costs nothing there; use --work-dir on a disk")
        per_run = 200
        now = datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc)
        samples: list[float] = []
        with store.connect(home) as db:
            conn = db._conn
            sync = conn.execute("PRAGMA synchronous").fetchone()[0]
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
            row.note = f"PRAGMA synchronous={sync} (2 = FULL), journal_mode={journal}"
            if sync != 2:
                self.notes.append(f"the store's synchronous is {sync}, not 2 (FULL)")

            def one(i: int) -> float:
                when = now + timedelta(seconds=i)
                after = CardState(
                    state="review",
                    stability=4.2,
                    difficulty=5.1,
                    due=when + timedelta(days=4),
                    last_review=when,
                    reps=2,
                )
                started = time.perf_counter()
                db.record(
                    f"bench-0001/q{i % 1000:05d}",
                    after=after,
                    now=when,
                    rating=Rating.GOOD,
                    correct=True,
                    answer="A",
                    duration_ms=4321,
                    mode="review",
                )
                return time.perf_counter() - started

            for i in range(20):  # warm-up
                one(i)
            for r in range(self.repeat):
                for i in range(per_run):
                    samples.append(one(1000 + r * per_run + i) * 1000)
                progress(
                    f"row {key}: {per_run} commits {r + 1}/{self.repeat}: median {median(samples[-per_run:]):.3f} ms"
                )
        row.samples = samples
        row.measured = median(samples)
        raw = raw_sqlite_commit(self.home("sqlite"), per_run)
        row.note += f"; raw SQLite WAL+FULL one-row commit here: {raw:.3f} ms"
        return row

    # -- rows H (issue 17: a long history) ------------------------------------------------

    def rows_history(self) -> list[Row]:
        """Stats, review, personal exports and a commit with a 10-year history; the Anki export's memory."""
        args = self.args
        now = datetime.fromisoformat(NOW_LATE)
        long_home, one_home, cut_home = self.home("history-10y"), self.home("history-one"), self.home("history-cut")
        progress(f"rows H: generating {args.history_reviews} reviews of {args.history_cards} cards (untimed)")
        # In a child process: this one stays small, and a child's peak RSS (wait4) counts this
        # process's memory at the fork, so a big parent would inflate every memory figure.
        figures = history_child(long_home, self.bank, args.history_reviews, args.history_cards, args, now)
        history_child(one_home, self.bank, 1, 1, args, now)
        kept = trim_history(long_home, cut_home)
        self.notes.append(
            f"10-year history: {figures['reviews']} reviews of {figures['cards']} cards over "
            f"{args.history_years:g} years, {figures['due']} due at {NOW_LATE}; the cut copy keeps {kept} reviews"
        )
        long_env = child_env(long_home, self.bank, NOW_LATE)
        one_env = child_env(one_home, self.bank, NOW_LATE)
        cut_env = child_env(cut_home, self.bank, NOW_LATE)
        rss: list[int] = []

        def command(env: dict[str, str], argv: list[str], keep_rss: bool = False) -> Callable[[], float]:
            def measure() -> float:
                run = self.csdrill_run(argv, env, "", ())
                if keep_rss:
                    rss.append(run.maxrss_bytes)
                return run.exit_s

            return measure

        stats = Row("H1", ROWH1, "s", 1.5, relative=True)
        a, b = self.alternate(
            "row H1", [("10-year", command(long_env, ["stats"], True)), ("one review", command(one_env, ["stats"]))]
        )
        stats.samples, stats.baseline_samples = a, b
        stats.measured, stats.baseline = median(a), median(b)
        memory = Row("H1m", ROWH1M, "MB", 100.0, relative=False)
        memory.samples = [x / 1e6 for x in rss[1:]]  # not the warm-up's: it builds the bank cache
        memory.measured = max(memory.samples)
        memory.note = f"max RSS over the {len(memory.samples)} timed runs (the warm-up builds the bank cache)"
        rows = [stats, memory]

        for only in ("due", "weak", "wrong"):
            row = Row(f"H3-{only}", ROWH3.format(only=only), "s", 1.5, relative=True)
            argv = ["export", "--only", only]
            a, b = self.alternate(
                f"row H3 ({only})", [("10-year", command(long_env, argv)), ("cut", command(cut_env, argv))]
            )
            row.samples, row.baseline_samples = a, b
            row.measured, row.baseline = median(a), median(b)
            rows.append(row)

        review = Row("H2", ROWH2, "s", 1.25, relative=True)
        a, b = self.alternate(
            "row H2",
            [
                ("10-year", lambda: self.review_first_card(long_env, "10-year history")),
                # its one card is answered in the warm-up: then the first card is a new one
                ("one review", lambda: self.review_first_card(one_env, "one-review history", due=False)),
            ],
        )
        review.samples, review.baseline_samples = a, b
        review.measured, review.baseline = median(a), median(b)
        rows.append(review)

        apkg = Row("H4", ROWH4, "MB", 150.0, relative=False)
        target = self.work / "x.apkg"
        runs = [self.csdrill_run(["export", "-o", str(target)], one_env, "", ()) for _ in range(min(2, self.repeat))]
        apkg.samples = [run.maxrss_bytes / 1e6 for run in runs]
        apkg.measured = max(apkg.samples)
        apkg.note = (
            f"{len(runs)} runs, {median([run.exit_s for run in runs]):.1f} s each, "
            f"{target.stat().st_size / 1e6:.0f} MB package; max RSS"
        )
        rows.append(apkg)

        rows.append(self.row_commit(long_home, "H5", ROWH5))
        rows.append(self.row_merge(long_env, now))
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        self.notes.append(
            f"this process's own peak RSS: {own / 1e6:.0f} MB (a child's peak memory is at least what this "
            "process's was when it started)"
        )
        return rows

    def row_merge(self, long_env: dict[str, str], now: datetime) -> Row:
        """The 10-year history exported, then merged into another machine's one-review history, and again.

        Not a target of issue 17: this project's bound, so that a merge never holds the file in memory.
        """
        row = Row("H6", ROWH6, "MB", 100.0, relative=False)
        target = self.home("history-merge")
        history_child(target, self.bank, 1, 1, self.args, now)
        file = self.work / "history.jsonl"
        progress("row H6: history export of the 10-year history")
        out = self.csdrill_run(["history", "export", str(file)], long_env, "", ())
        env = child_env(target, self.bank, NOW_LATE)
        progress("row H6: history merge into a one-review history")
        first = self.csdrill_run(["history", "merge", str(file)], env, "", ())
        progress("row H6: the same merge again (nothing new)")
        again = self.csdrill_run(["history", "merge", str(file)], env, "", ())
        row.samples = [first.maxrss_bytes / 1e6, again.maxrss_bytes / 1e6]
        row.measured = max(row.samples)
        row.note = (
            f"this project's bound, not the issue's; {file.stat().st_size / 1e6:.0f} MB file; export "
            f"{out.exit_s:.0f} s, {out.maxrss_bytes / 1e6:.0f} MB; merge {first.exit_s:.0f} s, the same "
            f"merge again (nothing new, every card replayed) {again.exit_s:.0f} s; max RSS of the two merges"
        )
        return row

    # -- all ---------------------------------------------------------------------------

    def run(self) -> list[Row]:
        wanted = set(self.args.rows)
        if self.args.skip_slow:
            wanted.discard("big")
        rows: list[Row] = self.rows_first_question() if "startup" in wanted else []
        self.prepare_bank()
        if "big" in wanted:
            rows.append(self.row_review_warm())
            rows.extend(self.rows_cold())
            rows.append(self.row_edited())
        elif self.args.skip_slow:
            skip = "--skip-slow"
            rows.append(Row("2", ROW2, "s", 1.25, relative=True, skipped=skip))
            rows.append(Row("3", ROW3, "s", 0.6, relative=True, skipped=skip))
            rows.append(Row("3b", ROW3B, "s", 0.6, relative=True, skipped=skip))
            rows.append(Row("4", ROW4, "s", 0.5, relative=False, skipped=skip))
        if "commit" in wanted:
            rows.append(self.row_commit())
        if "memory" in wanted:
            rows.append(self.row_memory())
        if "history" in wanted:
            rows.extend(self.rows_history())
        return rows


HISTORY_SNIPPET = """
import json, sys
from datetime import datetime
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from gen_history import generate_history
home, bank, reviews, cards, years, now, seed = sys.argv[2:]
print(json.dumps(generate_history(Path(home), Path(bank), int(reviews), int(cards), float(years),
                                  datetime.fromisoformat(now), int(seed))))
"""


def history_child(
    home: Path, bank: Path, reviews: int, cards: int, args: argparse.Namespace, now: datetime
) -> dict[str, int]:
    """``gen_history.generate_history`` in a child process; its figures."""
    argv = [str(HERE), str(home), str(bank), str(reviews), str(cards), str(args.history_years), now.isoformat()]
    done = subprocess.run(
        [sys.executable, "-c", HISTORY_SNIPPET, *argv, str(args.seed)],
        env=base_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ChildError(f"gen_history.py failed:\n  {done.stderr.strip()[-2000:]}")
    figures: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def raw_sqlite_commit(home: Path, n: int) -> float:
    """Median ms of a one-row commit in a bare WAL database with synchronous=FULL (for reference)."""
    import sqlite3

    conn = sqlite3.connect(home / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    times: list[float] = []
    for i in range(n + 20):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (?)", (f"row {i}",))
        conn.execute("COMMIT")
        if i >= 20:
            times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return median(times)


def bank_size(bank: Path) -> tuple[int, int]:
    files = [p for p in bank.rglob("*") if p.suffix in (".yaml", ".yml")]
    return len(files), sum(p.stat().st_size for p in files)


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
    }
    for name in ("csdrill", "typer", "click", "rich", "pydantic", "fsrs", "PyYAML"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "-"
    return out


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Measure the performance targets of issue 6 (see benchmarks/README.md).")
    p.add_argument(
        "--questions",
        type=int,
        default=None,
        help="questions in the big bank (default 100000; 10000 with --quick)",
    )
    p.add_argument("--files", type=int, default=100, help="files in the big bank (default 100)")
    p.add_argument("--repeat", type=int, default=None, help="timed runs per figure (default 5; 3 with --quick)")
    p.add_argument("--seed", type=int, default=1, help="seed of the generated bank (default 1)")
    p.add_argument("--quick", action="store_true", help="a 10,000-question bank and 3 repeats: a fast check")
    p.add_argument(
        "--skip-slow",
        action="store_true",
        help="skip rows 2-4 (the big bank's review/validate timings)",
    )
    p.add_argument(
        "--bank-dir",
        type=Path,
        default=None,
        help="use this bank instead of generating one (row 4 edits one of its files)",
    )
    p.add_argument(
        "--work-dir",
        type=Path,
        default=None,
        help="where the temporary folder goes (default: the system's temp dir)",
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (bank, homes) for inspection")
    p.add_argument(
        "--csdrill",
        default=None,
        help="the csdrill executable (default: the one beside this Python)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds before a child process is killed (default 600)",
    )
    p.add_argument(
        "--no-pycache",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE/PYTHONPYCACHEPREFIX as inherited (see README)",
    )
    p.add_argument("--json", type=Path, default=None, help="also write the results as JSON to this file")
    p.add_argument(
        "--rows",
        type=lambda text: [part.strip() for part in text.split(",") if part.strip()],
        default=list(ROW_GROUPS),
        help=f"only these groups of rows, comma-separated: {', '.join(ROW_GROUPS)} (default all)",
    )
    p.add_argument(
        "--history-reviews",
        type=int,
        default=None,
        help="reviews in the long history of rows H (default 730000; 73000 with --quick)",
    )
    p.add_argument("--history-cards", type=int, default=None, help="cards it covers (default 40000; 4000 with --quick)")
    p.add_argument("--history-years", type=float, default=10.0, help="years it spans (default 10)")
    args = p.parse_args(argv)
    unknown = [g for g in args.rows if g not in ROW_GROUPS]
    if unknown:
        p.error(f"unknown row group(s) {', '.join(unknown)}; choose from {', '.join(ROW_GROUPS)}")
    if args.history_reviews is None:
        args.history_reviews = 73_000 if args.quick else 730_000
    if args.history_cards is None:
        args.history_cards = 4_000 if args.quick else 40_000
    if args.questions is None:
        args.questions = 10_000 if args.quick else 100_000
    if args.repeat is None:
        args.repeat = 3 if args.quick else 5
    if args.repeat < 1 or args.files < 1 or args.questions < args.files:
        p.error("need --repeat >= 1, --files >= 1 and --questions >= --files")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    bench = Bench(args)
    progress(f"work folder {bench.work}; csdrill = {bench.csdrill}")
    try:
        rows = bench.run()
        files, size = bank_size(bench.bank)
    except ChildError as exc:
        progress(f"FAILED: {exc}")
        return 1
    finally:
        if args.keep:
            progress(f"kept {bench.work}")
        else:
            shutil.rmtree(bench.work, ignore_errors=True)
    elapsed = time.perf_counter() - _T0
    command = "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    info = versions()
    print(f"csdrill benchmarks (issues 6 and 17) — {command.strip()}")
    print(
        f"big bank: {files} files, {size / 1e6:.1f} MB"
        + (f", {args.questions} questions" if not args.bank_dir else f" ({bench.bank})")
        + f"; medians of {args.repeat} runs ({ROW1_TIMES * args.repeat} for rows 1 and 1b)"
        + f"; Python {info['python']}, Typer {info['typer']}, {info['cpus']} CPUs"
    )
    print()
    print(render_table(rows))
    print()
    for r in rows:
        if r.note and not r.skipped:
            print(f"  {r.key}: {r.note}")
    for note in bench.notes:
        print(f"  note: {note}")
    print(f"  total time {elapsed:.0f} s")
    if args.json:
        payload = {
            "command": command.strip(),
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "bank": {
                "files": files,
                "bytes": size,
                "questions": None if args.bank_dir else args.questions,
            },
            "repeat": args.repeat,
            "versions": info,
            "elapsed_s": elapsed,
            "notes": bench.notes,
            "rows": [r.as_json() for r in rows],
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        progress(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
