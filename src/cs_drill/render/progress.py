"""Progress shown while long work runs."""

from __future__ import annotations

from collections.abc import Callable

from cs_drill.i18n import _
from cs_drill.render.console import err_console


class ProgressBar:
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
            TextColumn(_("Reading the bank")),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(_("files")),
            TimeElapsedColumn(),
            console=err_console(),
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
