"""csdrill validate: check bank files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from cs_drill.cli.options import BankOption
from cs_drill.i18n import N_, _


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help=_("Bank files or folders to check (default: the active banks)."),
            show_default=False,
            metavar="PATH",
        ),
    ] = None,
    bank: BankOption = None,
) -> None:
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.render.bank import print_validation_summary
    from cs_drill.render.console import out_console

    with open_workspace(list(paths) if paths else bank) as ws:
        exams = ws.catalog.exams()
    print_validation_summary(out_console(), exams)


HELP = N_(
    """\
Check bank files; print every problem as file:line:col: path: message.

Exit 0 when every file is valid, 2 otherwise."""
)


def register(command: Callable[..., Any]) -> None:
    command(validate, help=_(HELP))
