"""The Typer app: parse options, call one core function, render, exit.

This is the one place that turns ``CsDrillError`` into a message and an exit code.
Heavy modules (yaml, fsrs, rich rendering, genanki) are imported inside the
commands that need them, so that start-up stays quick.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from cs_drill import __version__
from cs_drill.errors import BankError, CsDrillError

if TYPE_CHECKING:
    from rich.console import Console

    from cs_drill.bank.catalog import Catalog
    from cs_drill.bank.model import Question
    from cs_drill.study.scheduler import CardState
    from cs_drill.study.select import HasKind
    from cs_drill.study.store import Store

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="csdrill",
    help=(
        "Drill customer-service (客服) interview and assessment questions: quizzes, "
        "spaced-repetition reviews, progress and study sheets."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

BankOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--bank",
        metavar="PATH",
        help="A bank file or folder (repeatable). Replaces the bundled bank, as CSDRILL_BANK does.",
        show_default=False,
    ),
]
ExamOption = Annotated[str | None, typer.Option("--exam", metavar="ID", help="Only this exam (an exam id; see `csdrill list`).")]
SectionOption = Annotated[
    str | None,
    typer.Option("--section", metavar="ID", help="Only this section id (from every exam that has it unless --exam is given)."),
]


class Order(str, Enum):
    scheduled = "scheduled"
    source = "source"
    random = "random"


class Format(str, Enum):
    markdown = "markdown"
    html = "html"
    csv = "csv"
    apkg = "apkg"


class Only(str, Enum):
    wrong = "wrong"
    due = "due"
    weak = "weak"


def _err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _out_console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"csdrill: {message}\n")
    sys.stderr.flush()
    return typer.Exit(code)


def handled(func: F) -> F:
    """Turn our errors into one line and an exit code; Ctrl-C into exit 130."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BankError as exc:
            for problem in exc.problems:
                sys.stderr.write(f"{problem}\n")
            raise _fail(f"invalid bank: {exc.message}", exc.exit_code) from None
        except CsDrillError as exc:
            raise _fail(exc.message, exc.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write("\ninterrupted\n")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader went away (e.g. `csdrill export | head`): not an error of ours.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except typer.Exit:
            raise
        except Exception as exc:
            if os.environ.get("CSDRILL_DEBUG") == "1":
                raise
            raise _fail(f"unexpected error: {type(exc).__name__}: {exc} (set CSDRILL_DEBUG=1 for details)", 1) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csdrill {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Drill customer-service interview questions from the terminal."""


def _catalog(bank: list[Path] | None) -> Catalog:
    """The active bank, checked against the YAML, from the bank cache (built as needed)."""
    from cs_drill.bank.files import bank_paths
    from cs_drill.bank.catalog import open_catalog
    from cs_drill.config import cache_dir

    paths = bank_paths(bank or (), os.environ.get("CSDRILL_BANK"))
    return open_catalog(paths, cache_dir(), progress=_progress)


class _ProgressBar:
    """A Rich progress bar on standard error while a large bank is compiled (terminals only)."""

    def __init__(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("Reading the bank"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TimeElapsedColumn(),
            console=_err_console(),
            transient=True,
            auto_refresh=False,  # no refresh thread: the build forks its worker processes
        )
        self.task = self.progress.add_task("build", total=total)

    def __enter__(self) -> Callable[[int, int], None]:
        self.progress.start()
        return self.step

    def step(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)
        self.progress.refresh()

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _progress(files: int, size: int) -> _ProgressBar | None:
    from cs_drill.bank.catalog import POOL_MIN_BYTES

    if size < POOL_MIN_BYTES or not sys.stderr.isatty():
        return None
    return _ProgressBar(files)


# --------------------------------------------------------------------------- validate


@app.command()
@handled
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Bank files or folders to check (default: the active banks).", show_default=False, metavar="PATH"
        ),
    ] = None,
    bank: BankOption = None,
) -> None:
    """Check bank files; print every problem as file:line:col: path: message.

    Exit 0 when every file is valid, 2 otherwise.
    """
    from cs_drill.render import drill as ui

    with _catalog(list(paths) if paths else bank) as catalog:
        exams = catalog.exams()
    ui.print_validation_summary(_out_console(), exams)


# --------------------------------------------------------------------------- list


@app.command("list")
@handled
def list_(bank: BankOption = None) -> None:
    """List exams and sections: ids, titles, kinds, question counts and due counts."""
    from cs_drill.render import drill as ui

    with _catalog(bank) as catalog:
        exams = catalog.exams()
        due = _due_counts(catalog)
    ui.print_bank_table(_out_console(), exams, due)


def _existing_history() -> Store | None:
    """The review history, opened (and brought up to date), or None when there is none yet.

    For commands that only read it: they never create one.
    """
    from cs_drill.study import store
    from cs_drill.config import home_dir

    home = home_dir()
    if not (home / store.DB_NAME).exists():
        return None
    return store.connect(home)


def _due_counts(catalog: Catalog) -> dict[tuple[str, str], int] | None:
    """Due cards per (exam, section), or None when there is no history yet."""
    from cs_drill.config import parse_now

    history = _existing_history()
    if history is None:
        return None
    with history as db:
        path = db.path
    return catalog.due_counts(path, parse_now(os.environ.get("CSDRILL_NOW")))


# --------------------------------------------------------------------------- quiz and review


class _Context:
    """What a drill needs, opened once per command: bank, settings, history, clock."""

    def __init__(self, bank: list[Path] | None) -> None:
        from cs_drill.study import store
        from cs_drill.config import home_dir, load_settings, parse_now
        from cs_drill.study.scheduler import Scheduler
        from cs_drill.study.select import Clock

        self.now = parse_now(os.environ.get("CSDRILL_NOW"))
        self.catalog = _catalog(bank)
        try:
            self.home = home_dir()
            self.settings = load_settings(self.home)
            self.db = store.connect(self.home)
        except BaseException:
            self.catalog.close()
            raise
        self.scheduler = Scheduler(desired_retention=self.settings.desired_retention)
        self.clock = Clock(self.now)

    def close(self) -> None:
        self.db.close()
        self.catalog.close()


def _drill(
    ctx: _Context,
    questions: Sequence[Question],
    states: Mapping[str, CardState],
    mode: str,
    refs: Sequence[HasKind] | None = None,
) -> None:
    """Run a drill; print the summary at the end, at end of input and on Ctrl-C."""
    import time

    from cs_drill.render import drill as ui
    from cs_drill.study.select import Recorder

    console = _out_console()
    recorder = Recorder(
        ctx.db,
        ctx.scheduler,
        mode,
        states,
        easy_ratio=ctx.settings.easy_ratio,
        hard_ratio=ctx.settings.hard_ratio,
    )
    drill = ui.Drill(
        console, ui.LineReader(console), recorder, ctx.clock, ctx.catalog.exams(), questions, mode=mode, refs=refs
    )
    started = time.monotonic()
    try:
        drill.run()
    except KeyboardInterrupt:
        console.print()
        ui.print_summary(console, drill.outcomes, time.monotonic() - started)
        raise
    finally:
        ctx.close()
    ui.print_summary(console, drill.outcomes, time.monotonic() - started)


@app.command()
@handled
def quiz(
    exam: ExamOption = None,
    section: SectionOption = None,
    count: Annotated[int | None, typer.Option("--count", "-n", min=1, metavar="N", help="Ask at most N questions.")] = None,
    order: Annotated[
        Order, typer.Option("--order", help="scheduled: due and weak first, then new; source; random.")
    ] = Order.scheduled,
    seed: Annotated[int | None, typer.Option("--seed", metavar="N", help="Seed for --order random (repeatable shuffles).")] = None,
    bank: BankOption = None,
) -> None:
    """Run a quiz: each answer is graded, explained and saved to your review history.

    Type letters for choice questions (ACD, a c d), t/f or 对/错 for true-false, one line
    for open questions (then rate yourself 1-4). End of input or Ctrl-C ends the quiz
    with a summary; every answer given so far is saved.
    """
    from cs_drill.study import select as session
    from cs_drill.bank.catalog import LazyQuestions

    ctx = _Context(bank)
    try:
        refs = ctx.catalog.refs(exam, section)
        states = ctx.db.card_states()
        ordered = session.quiz_order(
            refs, order.value, states=states, scheduler=ctx.scheduler, now=ctx.now, seed=seed
        )
    except BaseException:
        ctx.close()
        raise
    if count is not None:
        ordered = ordered[:count]
    _drill(ctx, LazyQuestions(ctx.catalog, ordered), states, "quiz", refs=ordered)


@app.command()
@handled
def review(
    exam: ExamOption = None,
    section: SectionOption = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0, metavar="N", help="Review at most N cards.")] = None,
    new: Annotated[
        int | None,
        typer.Option("--new", min=0, metavar="N", help="Introduce at most N new cards (default: what is left of today's new-card limit)."),
    ] = None,
    bank: BankOption = None,
) -> None:
    """Review the cards that are due, then new ones up to the daily limit.

    Choice and true-false cards are graded; open cards are answered, revealed and
    self-rated (1 Again, 2 Hard, 3 Good, 4 Easy). After each card: when it comes back.
    """
    from rich.text import Text

    from cs_drill.study import select as session
    from cs_drill.render import drill as ui

    ctx = _Context(bank)
    try:
        ctx.catalog.check(exam, section)
        if new is None:
            day_start = session.study_day_start(ctx.now, ctx.settings.day_start_hour)
            introduced = len(ctx.db.first_seen_since(day_start))
            new = max(0, ctx.settings.new_per_day - introduced)
        due, fresh, new_total, next_due = ctx.catalog.review_pool(ctx.db.path, ctx.now, new, exam, section)
        questions = ctx.catalog.questions(due + fresh)
        states = ctx.db.card_states(due)
        queue = session.review_queue(
            questions,
            states,
            ctx.scheduler,
            ctx.now,
            new_limit=new,
            limit=limit,
            new_total=new_total,
            next_due=next_due,
        )
    except BaseException:
        ctx.close()
        raise
    console = _out_console()
    if not queue.cards:
        ctx.close()
        console.print(Text("Nothing to review now.", style="bold"))
        console.print(Text(ui.nothing_due_message(queue, ctx.now)))
        return
    console.print(Text(f"Review: {queue.due} due, {queue.new} new.", style="bold"))
    _drill(ctx, queue.cards, {uid: states[uid] for uid in (q.uid for q in queue.cards) if uid in states}, "review")


# --------------------------------------------------------------------------- stats


@app.command()
@handled
def stats(exam: ExamOption = None, section: SectionOption = None, bank: BankOption = None) -> None:
    """Show progress: cards per section, accuracy, reviews per day, due forecast, weakest questions."""
    from cs_drill.render import stats as ui_stats
    from cs_drill.bank.catalog import light_bank
    from cs_drill.study.stats import compute_stats

    ctx = _Context(bank)
    try:
        ctx.catalog.check(exam, section)
        states = ctx.db.card_states()
        reviews = ctx.db.reviews()
        light = light_bank(ctx.catalog, set(states) | {r.uid for r in reviews})
        result = compute_stats(
            light,
            light.select(exam, section),
            states,
            reviews,
            ctx.db.content_hashes(),
            ctx.scheduler,
            ctx.now,
            day_start_hour=ctx.settings.day_start_hour,
        )
    finally:
        ctx.close()
    ui_stats.print_stats(_out_console(), result)


# --------------------------------------------------------------------------- export


@app.command()
@handled
def export(
    exam: ExamOption = None,
    section: SectionOption = None,
    format: Annotated[
        Format | None,
        typer.Option(
            "--format", "-f", help="markdown, html, csv or apkg (Anki). Default: from the output's extension, else markdown."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="PATH", help="Write to this file (atomically) instead of standard output."),
    ] = None,
    no_answers: Annotated[
        bool, typer.Option("--no-answers", help="A practice sheet: questions only, short keys at the end.")
    ] = False,
    only: Annotated[
        Only | None,
        typer.Option(
            "--only",
            help="A personal sheet from your history: wrong (last answered wrong or lapsed), due (due now), weak (recall below 80%).",
        ),
    ] = None,
    bank: BankOption = None,
) -> None:
    """Print a study sheet (markdown by default) or write HTML, CSV or an Anki package."""
    from cs_drill.render.sheets import writers as ex
    from cs_drill.text import plural

    fmt = format.value if format is not None else None
    if fmt is None and output is not None:
        fmt = ex.format_for_path(output)
        if fmt is None:
            raise CsDrillError(
                f"cannot tell the format from '{output.name}': use --format markdown|html|csv|apkg", 2
            )
    fmt = fmt or "markdown"
    if fmt == "apkg" and output is None:
        raise CsDrillError("an Anki package is a file: give it with --output PATH (e.g. -o cs.apkg)", 2)
    with _catalog(bank) as catalog:
        refs = catalog.refs(exam, section)
        if only is not None:
            refs = _personal(refs, only.value)
        wanted = {r.uid for r in refs}
        if not wanted:
            sys.stderr.write(f"csdrill: no questions to export{' (no history matches --only ' + only.value + ')' if only else ''}\n")
        items = _export_items(catalog, exam, wanted)
        answers = not no_answers
        if output is None:
            out = sys.stdout
            if fmt == "csv":
                out.reconfigure(encoding="utf-8-sig", newline="")  # type: ignore[union-attr]
            _write_text(ex, fmt, items, out, answers)
            out.flush()
            return
        _write_file(ex, fmt, items, output, answers)
    sys.stderr.write(f"wrote {plural(len(wanted), 'question')} to {output}\n")


def _export_items(catalog: Catalog, exam: str | None, wanted: set[str]) -> Iterator[Any]:
    """The export items of the ``wanted`` questions, streamed from the bank cache in source order.

    Numbers count every question of a section, as ``export.iter_items`` does.
    """
    from cs_drill.render.sheets.writers import ExportItem
    from cs_drill.bank.model import Exam, Section

    shells: dict[tuple[str, str], tuple[Exam, Section]] = {}
    for e in catalog.exams():
        shell = Exam(e.id, e.title, (), e.language, e.source, e.description, e.path)
        for s in e.sections:
            shells[(e.id, s.id)] = (shell, Section(s.id, s.title, s.kind, (), s.points, s.instructions))
    numbers: dict[tuple[str, str], int] = {}
    for q in catalog.iter_questions(exam):
        key = (q.exam_id, q.section_id)
        numbers[key] = number = numbers.get(key, 0) + 1
        if q.uid in wanted:
            exam_shell, section_shell = shells[key]
            yield ExportItem(exam_shell, section_shell, q, number)


def _personal(questions: list[Any], only: str) -> list[Any]:
    from cs_drill.study import select as session
    from cs_drill.config import home_dir, load_settings, parse_now
    from cs_drill.study.scheduler import Scheduler

    now = parse_now(os.environ.get("CSDRILL_NOW"))
    history = _existing_history()
    if history is None:
        return []
    with history as db:
        states = db.card_states()
        wrong = session.last_answered_wrong(db.reviews())
    scheduler = Scheduler(desired_retention=load_settings(home_dir()).desired_retention)
    return session.personal_selection(only, questions, states, wrong, scheduler, now)


def _write_text(ex: Any, fmt: str, items: Any, out: Any, answers: bool) -> None:
    writers = {"markdown": ex.write_markdown, "html": ex.write_html, "csv": ex.write_csv}
    writers[fmt](items, out, answers=answers)


def _write_file(ex: Any, fmt: str, items: Any, output: Path, answers: bool) -> None:
    """Write to a temporary file beside ``output``, then rename: never half a file."""
    import tempfile

    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise CsDrillError(f"no such folder: {folder}", 2)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        if fmt == "apkg":
            os.close(fd)
            ex.write_apkg(items, tmp, answers=answers)
        else:
            encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
            with open(fd, "w", encoding=encoding, newline="" if fmt == "csv" else None) as out:
                _write_text(ex, fmt, items, out, answers)
                out.flush()
                os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a study sheet is an ordinary file
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- schema


@app.command()
@handled
def schema() -> None:
    """Print the JSON Schema of the bank format (for editors: yaml-language-server)."""
    from cs_drill.bank.schema import schema_json

    typer.echo(schema_json())


def _only(name: str) -> typer.Typer | None:
    """The app with only the command ``name`` (None when there is no such command).

    Typer builds every registered command's parameters before it runs one; a
    command line that names its command needs only that one.
    """
    infos = [i for i in app.registered_commands if (i.name or (i.callback.__name__ if i.callback else "")) == name]
    if len(infos) != 1:
        return None
    import copy

    one = copy.copy(app)  # the same settings and callback
    one.registered_commands = infos
    return one


def main() -> None:
    """Run the command line (entered through ``cs_drill.startup.main``)."""
    target = app
    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        target = _only(args[0]) or app
    target(prog_name="csdrill")
