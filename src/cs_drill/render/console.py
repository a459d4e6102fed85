"""Consoles, literal bank text, and reading answers line by line."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.text import Text

from cs_drill._gc import resume
from cs_drill.text import clean

__all__ = ["TIMED_OUT", "LineReader", "TimedOut", "err_console", "literal", "out_console"]


def out_console() -> Console:
    """The console of standard output."""
    return Console(highlight=False)


def err_console() -> Console:
    """The console of standard error (messages, progress)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def literal(value: object, style: str = "") -> Text:
    """Bank text as Rich Text: never markup, never a terminal control sequence."""
    return Text(clean(str(value)), style=style)


class TimedOut:
    """What :meth:`LineReader.read` returns when its deadline passed before a line came."""

    def __repr__(self) -> str:
        return "TIMED_OUT"


TIMED_OUT = TimedOut()


class LineReader:
    """One answer per line from standard input; None at end of input.

    At a terminal the prompt is shown by ``input()`` (line editing works); from a
    pipe the prompt and the answer read are echoed, so that a transcript reads well.
    """

    def __init__(
        self,
        console: Console,
        stream: TextIO | None = None,
        interactive: bool | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.console = console
        self.monotonic = monotonic
        self.stream = stream if stream is not None else sys.stdin
        if interactive is None:
            try:
                interactive = self.stream.isatty()
            except (AttributeError, ValueError):
                interactive = False
        self.interactive = interactive

    def read(self, prompt: str, deadline: float | None = None) -> str | None | TimedOut:
        """The next line (without its end), None at end of input, ``TIMED_OUT`` past ``deadline``.

        ``deadline`` is a ``time.monotonic()`` value: when no line has come by then,
        the reader gives up waiting (the line typed so far stays with the terminal).
        """
        resume()  # start-up is over: the program waits for the user now
        if deadline is not None and not self._wait(deadline, prompt):
            self.console.print()
            return TIMED_OUT
        if self.interactive:
            try:
                return self.console.input("" if deadline is not None else Text(prompt, style="bold"))
            except EOFError:
                self.console.print()
                return None
        if deadline is None:
            self.console.print(Text(prompt, style="bold"), end="")
        line = self.stream.readline()
        if not line:
            self.console.print()
            return None
        line = line.rstrip("\r\n")
        self.console.print(literal(line))
        return line

    def _wait(self, deadline: float, prompt: str) -> bool:
        """Show ``prompt`` and wait until a line can be read or ``deadline`` passes; True when it can."""
        import selectors

        self.console.print(Text(prompt, style="bold"), end="")
        try:
            fd = self.stream.fileno()
        except (AttributeError, ValueError, OSError):
            return True  # not a real file (tests): it is read at once
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            return bool(sel.select(max(0.0, deadline - self.monotonic())))
