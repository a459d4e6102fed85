"""One workspace per command: settings, the clock (read once), the catalog, the history, the scheduler.

Every command opens one with :func:`open_workspace` and closes it on the way out
(``with``), whatever happens: a command cannot leak a connection.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_drill.config import CONFIG_NAME, Settings, cache_dir, home_dir, load_settings, parse_now

if TYPE_CHECKING:
    from cs_drill.bank.catalog import Catalog
    from cs_drill.study.drill import Clock
    from cs_drill.study.scheduler import Scheduler
    from cs_drill.study.store import Store


class Workspace:
    """What a command works with. The catalog and the history open on first use."""

    def __init__(self, bank: list[Path] | None, now: datetime) -> None:
        self.bank = bank
        self.now = now
        self.home = home_dir()
        self._stack = ExitStack()
        self._settings: Settings | None = None
        self._catalog: Catalog | None = None
        self._store: Store | None = None
        self._scheduler: Scheduler | None = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stack.close()

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.home)
        return self._settings

    def exam_or_default(self, exam: str | None) -> str | None:
        """``--exam`` when given, else ``exam`` in ``config.toml`` (None: every exam).

        The default is checked against the bank: an id it does not have is the usual
        unknown-exam usage error (exit 2), prefixed with the settings file.
        """
        if exam is not None or self.settings.exam is None:
            return exam
        from cs_drill.errors import UsageError

        try:
            self.catalog.check(self.settings.exam, None)
        except UsageError as exc:
            raise UsageError(f"{self.home / CONFIG_NAME}: exam: {exc.message}") from None
        return self.settings.exam

    @property
    def catalog(self) -> Catalog:
        """The active bank, checked against the YAML, from the bank cache (built as needed)."""
        if self._catalog is None:
            from cs_drill.bank.catalog import open_catalog
            from cs_drill.bank.files import bank_paths

            paths = bank_paths(self.bank or (), os.environ.get("CSDRILL_BANK"))
            self._catalog = self._stack.enter_context(open_catalog(paths, cache_dir(), progress=_progress))
        return self._catalog

    @property
    def store(self) -> Store:
        """The review history, created when there is none yet."""
        if self._store is None:
            from cs_drill.study import store

            self._store = self._stack.enter_context(store.connect(self.home))
        return self._store

    def existing_store(self) -> Store | None:
        """The review history, or None when there is none yet (for commands that only read it)."""
        from cs_drill.study import store

        if self._store is None and not store.has_history(self.home):
            return None
        return self.store

    @property
    def scheduler(self) -> Scheduler:
        if self._scheduler is None:
            from cs_drill.study.scheduler import Scheduler

            self._scheduler = Scheduler(desired_retention=self.settings.desired_retention)
        return self._scheduler

    def clock(self) -> Clock:
        """A clock that starts at the workspace's "now"."""
        from cs_drill.study.drill import Clock

        return Clock(self.now)


def open_workspace(bank: list[Path] | None = None) -> Workspace:
    """The workspace of one command; ``CSDRILL_NOW`` (or the clock) is read here, once."""
    return Workspace(bank, parse_now(os.environ.get("CSDRILL_NOW")))


def _progress(files: int, size: int) -> Any:
    """A progress bar on standard error while a large bank is compiled (terminals only)."""
    from cs_drill.bank.cache import POOL_MIN_BYTES

    if size < POOL_MIN_BYTES or not sys.stderr.isatty():
        return None
    from cs_drill.i18n import _
    from cs_drill.render.progress import ProgressBar

    return ProgressBar(files, _("Reading the bank"), _("files"))


__all__ = ["Workspace", "open_workspace"]
