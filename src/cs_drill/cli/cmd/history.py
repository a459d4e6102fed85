"""csdrill history: the review history as JSON Lines, out (export) and back in from another machine (merge)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_drill.errors import CsDrillError, Terminated
from cs_drill.i18n import _, ngettext

if TYPE_CHECKING:
    from cs_drill.study.store import Store


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
        with (
            atomic_path(file) as tmp,
            open(tmp, "w", encoding="utf-8", newline="\n") as out,
            _export_progress(history) as step,
        ):
            for line in lines:
                out.write(line)
                count += 1
                if step is not None and count % 2000 == 0:
                    step(count)
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
    from cs_drill.study.history import MergeResult, merge_file

    try:
        stream = open(file, "rb")  # noqa: SIM115 (closed below, after the merge)
    except OSError as exc:
        # TRANSLATORS: {file} is a path; {error} the system's reason (English).
        message = _("cannot read {file}: {error}").format(file=file, error=exc.strerror or exc)
        raise CsDrillError(message, 2) from None
    result: MergeResult | None = None
    try:
        with stream, open_workspace(None) as ws, _merge_progress() as progress:
            result = merge_file(ws.store, stream, str(file), ws.scheduler, progress)
    except (KeyboardInterrupt, Terminated) as exc:
        if result is not None:  # stopped after the merge was committed
            raise
        # the one transaction is rolled back: say so (the file can be merged again)
        stopped, code = (_("interrupted"), 130) if isinstance(exc, KeyboardInterrupt) else (exc.message, exc.exit_code)
        # TRANSLATORS: {stopped} is "interrupted" or the signal's message.
        sys.stderr.write("\n" + _("{stopped}; nothing was merged").format(stopped=stopped) + "\n")
        raise SystemExit(code) from None
    added = ngettext(
        "merged {added} new review of {read} from {path}",
        "merged {added} new reviews of {read} from {path}",
        result.added,
    )
    sys.stderr.write(added.format(added=result.added, read=result.read, path=file) + "\n")


@contextmanager
def _export_progress(history: Store | None) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on standard error while a long history is written to a file (terminals only)."""
    import sys

    total = 0 if history is None or not sys.stderr.isatty() else history.review_total()
    if total < 20_000:  # done in a moment
        yield None
        return
    from cs_drill.render.progress import ProgressBar

    bar = ProgressBar(total, _("Writing the history"), _("reviews"))
    with bar:
        yield lambda done: bar.step(done, total)


@contextmanager
def _merge_progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on standard error while a merge reads its file and replays the cards (terminals only)."""
    import sys

    if not sys.stderr.isatty():
        yield None
        return
    from cs_drill.render.progress import ProgressBar

    labels = {"read": _("Reading the file"), "replay": _("Replaying the cards")}
    bar = ProgressBar(0, labels["read"])
    with bar:
        yield lambda stage, done, total: bar.step(done, total, labels[stage])


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
