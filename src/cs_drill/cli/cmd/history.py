"""csdrill history: the review history as JSON Lines, out (export) and back in from another machine (merge)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from cs_drill.errors import CsDrillError
from cs_drill.i18n import _, ngettext


def export_history(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help=_("Where to write the history ('-' for standard output)."))
    ],
) -> None:
    import sys

    from cs_drill.cli.workspace import open_workspace
    from cs_drill.fsutil import atomic_path
    from cs_drill.study.history import export_lines

    with open_workspace(None) as ws:
        history = ws.existing_store()  # exporting never creates a history
        lines = export_lines(history) if history is not None else iter(())
        count = 0
        if str(file) == "-":
            for line in lines:
                sys.stdout.write(line)
                count += 1
            sys.stdout.flush()
            return
        folder = file.parent if str(file.parent) else Path(".")
        if not folder.is_dir():
            raise CsDrillError(_("no such folder: {folder}").format(folder=folder), 2)
        with atomic_path(file) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
            for line in lines:
                out.write(line)
                count += 1
    wrote = ngettext("wrote {n} review to {path}", "wrote {n} reviews to {path}", count)
    sys.stderr.write(wrote.format(n=count, path=file) + "\n")


def merge_history(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help=_("A history written by `csdrill history export` on another machine.")),
    ],
) -> None:
    import sys

    from cs_drill.cli.workspace import open_workspace
    from cs_drill.study.history import merge_file

    try:
        stream = open(file, encoding="utf-8")  # noqa: SIM115 (closed below, after the merge)
    except OSError as exc:
        # TRANSLATORS: {file} is a path; {error} the system's reason (English).
        message = _("cannot read {file}: {error}").format(file=file, error=exc.strerror or exc)
        raise CsDrillError(message, 2) from None
    with stream, open_workspace(None) as ws:
        try:
            result = merge_file(ws.store, stream, str(file), ws.scheduler)
        except UnicodeDecodeError:
            raise CsDrillError(_("{file}: not UTF-8 text; nothing was merged").format(file=file), 2) from None
    added = ngettext(
        "merged {added} new review of {read} from {path}",
        "merged {added} new reviews of {read} from {path}",
        result.added,
    )
    sys.stderr.write(added.format(added=result.added, read=result.read, path=file) + "\n")


def register_group(group: Callable[[str, str], Callable[..., Any]]) -> None:
    command = group(
        "history",
        _("Move the review history between machines: export it as JSON Lines, merge another machine's."),
    )
    command(
        export_history,
        name="export",
        help=_("Write every review as JSON Lines (one review a line, oldest first) to FILE."),
    )
    command(
        merge_history,
        name="merge",
        help=_(
            "Add the reviews of FILE (from `csdrill history export`) that this history lacks, and replay "
            "every card's schedule from its reviews in time order. Merging the same file again changes nothing."
        ),
    )
