"""Progress shown while long work runs."""

from __future__ import annotations

from collections.abc import Callable

from cs_drill.render.console import err_console


class ProgressBar:
    """A Rich progress bar on standard error while long work runs (the caller shows it on terminals only).

    ``label`` says what is done; ``unit`` names what is counted (``3/8 files``), else the
    bar shows a percentage. ``step(done, total, label)`` moves it, and may change the label.
    """

    def __init__(self, total: int, label: str, unit: str | None = None) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        counted: list[ProgressColumn] = [TaskProgressColumn()]
        if unit is not None:
            counted = [MofNCompleteColumn(), TextColumn(unit)]
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            *counted,
            TimeElapsedColumn(),
            console=err_console(),
            transient=True,
            auto_refresh=False,  # no refresh thread: the build forks its worker processes
        )
        self.task = self.progress.add_task(label, total=total)

    def __enter__(self) -> Callable[[int, int], None]:
        self.progress.start()
        return self.step

    def step(self, done: int, total: int, label: str | None = None) -> None:
        if label is None:
            self.progress.update(self.task, completed=done, total=total)
        else:
            self.progress.update(self.task, completed=done, total=total, description=label)
        self.progress.refresh()

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()
