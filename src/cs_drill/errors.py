"""One error type with an exit code; the CLI is the one place that turns it into a message."""

from __future__ import annotations

from typing import NamedTuple

from cs_drill.i18n import _, ngettext


class CsDrillError(Exception):
    """An error the user can act on: a one-line message and an exit code."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class UsageError(CsDrillError):
    """Bad options or arguments (exit 2)."""

    exit_code = 2


class Problem(NamedTuple):
    """One validation problem at a place in a bank file."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        # bank text (a file name, a key, a value) shown escaped: one line, no terminal controls
        from cs_drill.text import escape

        where = f"{escape(self.file)}:{self.line}:{self.column}"
        message = escape(self.message)
        return f"{where}: {escape(self.path)}: {message}" if self.path else f"{where}: {message}"


class BankError(CsDrillError):
    """A bank failed validation (exit 2); carries every problem found."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        files = len({p.file for p in problems})
        # TRANSLATORS: "3 problems in 2 files"; {problems} and {files} are the two counts below.
        summary = _("{problems} in {files}").format(
            problems=ngettext("{n} problem", "{n} problems", n).format(n=n),
            files=ngettext("{n} file", "{n} files", files).format(n=files),
        )
        super().__init__(summary)


class StoreError(CsDrillError):
    """The review history cannot be read or written (exit 1)."""

    exit_code = 1


class Terminated(BaseException):
    """A signal asked csdrill to stop (SIGTERM, SIGHUP): one line, exit 128 + the signal's number.

    A BaseException, as KeyboardInterrupt is, so that no ``except Exception`` keeps it
    from ending the command; what was answered is already saved (each answer is
    committed before its feedback is shown).
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def message(self) -> str:
        import signal

        # TRANSLATORS: {signal} is the signal's name, SIGTERM or SIGHUP.
        return _("terminated ({signal})").format(signal=signal.Signals(self.signum).name)
