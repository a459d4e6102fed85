"""The Typer app: parse options, call one core function, render, exit.

This is the one place that turns ``CsDrillError`` into a message and an exit code.
Heavy modules (yaml, fsrs, rich rendering, genanki) are imported inside the
commands that need them, so that start-up stays quick.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from cs_drill import __version__
from cs_drill.errors import BankError, CsDrillError

if TYPE_CHECKING:
    from rich.console import Console

    from cs_drill.model import Bank

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
        help="A bank file or folder (repeatable). Replaces the bundled bank, as CSDRILL_BANK does.",
        show_default=False,
    ),
]
ExamOption = Annotated[str | None, typer.Option("--exam", help="Only this exam (an exam id; see `csdrill list`).")]
SectionOption = Annotated[
    str | None,
    typer.Option("--section", help="Only this section id (from every exam that has it unless --exam is given)."),
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


def _load(bank: list[Path] | None) -> Bank:
    from cs_drill.loader import bank_paths, load_bank

    return load_bank(bank_paths(bank or (), os.environ.get("CSDRILL_BANK")))


# --------------------------------------------------------------------------- validate


@app.command()
@handled
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Bank files or folders to check (default: the active banks).", show_default=False),
    ] = None,
    bank: BankOption = None,
) -> None:
    """Check bank files; print every problem as file:line:col: path: message.

    Exit 0 when every file is valid, 2 otherwise.
    """
    from cs_drill import ui

    loaded = _load(list(paths) if paths else bank)
    ui.print_validation_summary(_out_console(), loaded)


# --------------------------------------------------------------------------- list


@app.command("list")
@handled
def list_(bank: BankOption = None) -> None:
    """List exams and sections: ids, titles, kinds, question counts and due counts."""
    from cs_drill import ui

    loaded = _load(bank)
    due = _due_counts(loaded)
    ui.print_bank_table(_out_console(), loaded, due)


def _due_counts(bank: Bank) -> dict[tuple[str, str], int] | None:
    """Due cards per (exam, section), or None when there is no history yet."""
    from cs_drill.config import home_dir, parse_now

    home = home_dir()
    if not (home / "history.sqlite3").exists():
        return None
    from cs_drill import session, store

    now = parse_now(os.environ.get("CSDRILL_NOW"))
    with store.connect(home) as db:
        return session.due_counts(bank, db.card_states(), now)


# --------------------------------------------------------------------------- schema


@app.command()
@handled
def schema() -> None:
    """Print the JSON Schema of the bank format (for editors: yaml-language-server)."""
    from cs_drill.schema import schema_json

    typer.echo(schema_json())


def main() -> None:
    """Entry point of the ``csdrill`` script and ``python -m cs_drill``."""
    app(prog_name="csdrill")
