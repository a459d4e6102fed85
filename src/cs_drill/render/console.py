"""Consoles, literal bank text, and reading answers line by line."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.text import Text

from cs_drill._gc import resume
from cs_drill.text import clean

__all__ = [
    "TIMED_OUT",
    "LineReader",
    "TimedOut",
    "degrade_streams",
    "err_console",
    "fold",
    "literal",
    "mark",
    "out_console",
]

#: Characters that may not start a line in Chinese text (and closing brackets and quotes).
NO_LINE_START = frozenset("。，、；：？！」』”’）》〉】〕…—·.,;:?!)]}%")

#: What a character becomes on a stream that cannot encode it (GBK, ASCII): the first that encodes.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "✓": ("√", "v"),
    "✔": ("√", "v"),
    "✗": ("×", "x"),
    "✘": ("×", "x"),
    "×": ("x",),
    "√": ("v",),
    "·": ("-",),
    "…": ("...",),
    "–": ("-",),
    "—": ("--",),
    "→": ("->",),
    "“": ('"',),
    "”": ('"',),
    "‘": ("'",),
    "’": ("'",),
    "█": ("#",),
    "░": ("-",),
    "━": ("-",),
    "─": ("-",),
}


def _degrade(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler ``csdrill``: a look-alike the stream can encode, else ``?``."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        for candidate in FALLBACKS.get(char, ()):
            try:
                candidate.encode(error.encoding)
            except (UnicodeEncodeError, LookupError):
                continue
            out.append(candidate)
            break
        else:
            out.append("?")
    return "".join(out), error.end


def degrade_streams() -> None:
    """Make standard output and error degrade what they cannot encode instead of failing (GBK, ASCII).

    A standard stream closed when csdrill started (``<&-``, ``2>&-``: Python's ``sys.stdin``
    or ``sys.stderr`` is None) becomes the null device: standard input reads as the end of
    input, what is written is lost, and no file opened later (the history) gets descriptor 0-2.
    """
    import codecs
    import os

    codecs.register_error("csdrill", _degrade)
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        mode = "r" if fd == 0 else "w"
        try:
            os.fstat(fd)
        except OSError:  # closed: the null device takes its descriptor
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            setattr(sys, name, open(fd, mode, encoding="utf-8"))  # noqa: SIM115 - the stream lives as long as csdrill
        else:  # the descriptor is some other file now: leave it alone
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if reconfigure is not None and encoding not in ("utf8", "utf16", "utf32"):
            # closed or detached: nothing will be written to it anyway
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="csdrill")


def mark(char: str, console: Console) -> str:
    """``char`` (✓, ✗) when the console can encode it, else its look-alike (√, ×, v, x)."""
    encoding = console.encoding
    for candidate in (char, *FALLBACKS.get(char, ())):
        try:
            candidate.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            continue
        return candidate
    return "?"


#: Characters that may not end a line (opening brackets and quotes).
NO_LINE_END = frozenset("「『“‘（《〈【〔([{")


def _units(plain: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces a line may break between: a wide character, a run of other
    non-space characters (a Latin word, a number), or a run of spaces. A piece that may not
    start a line is joined to the piece before it, one that may not end a line to the one after.
    """
    from rich.cells import cell_len

    pieces: list[tuple[int, int]] = []
    i, n = 0, len(plain)
    while i < n:
        j = i + 1
        if plain[i] == " ":
            while j < n and plain[j] == " ":
                j += 1
        elif plain[i] == "[" and 0 < plain.find("]", i) - i <= 24:  # [默认：scheduled] stays whole
            j = plain.find("]", i) + 1
        elif cell_len(plain[i]) < 2 and plain[i] not in NO_LINE_START and plain[i] not in NO_LINE_END:
            while j < n and plain[j] != " " and cell_len(plain[j]) < 2 and plain[j] not in NO_LINE_END:
                if plain[j] in NO_LINE_START:
                    break
                j += 1
        pieces.append((i, j))
        i = j
    joined: list[tuple[int, int]] = []
    for start, end in pieces:
        if joined and plain[joined[-1][1] - 1].isdigit() and cell_len(plain[start]) == 2:
            joined[-1] = (joined[-1][0], end)  # 66 张: a number keeps its measure word
            continue
        if joined and plain[start] in NO_LINE_START:
            if plain[joined[-1][0]] == " " and len(joined) > 1:  # "word 。": the space holds them together
                joined.pop()
            joined[-1] = (joined[-1][0], end)
        elif joined and plain[joined[-1][1] - 1] in NO_LINE_END:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def fold(text: Text, width: int, hang: int = 0) -> Text:
    """``text`` broken into lines of at most ``width`` cells, for Chinese as for Latin text.

    Lines break between Chinese characters or at spaces, never inside a Latin word that
    fits on a line, never before 。，、；：？！」 and the like, never after 「（“, never
    between a number and the character after it (66 张). Existing line breaks are kept;
    styles are kept. ``hang``: the lines a long line is broken into after its first are
    indented by so many spaces (the text of a list item stays clear of its number).
    """
    from rich.cells import cell_len

    if width < 4:
        return text
    hang = hang if 0 <= hang <= width // 2 else 0
    out: list[Text] = []
    offset = 0
    for raw in text.plain.split("\n"):
        line = text[offset : offset + len(raw)]
        offset += len(raw) + 1
        if cell_len(raw) <= width:
            out.append(line)
            continue
        pieces: list[Text] = []
        start = used = 0
        limit = width
        for a, b in _units(raw):
            size = cell_len(raw[a:b])
            if used + size > limit and a > start:
                piece = line[start:a]
                piece.rstrip()  # in place
                pieces.append(piece)
                start, used, limit = a, 0, width - hang
                if raw[a] == " ":  # a line does not start with the spaces it was broken at
                    start, size = b, 0
            while size > limit:  # a piece wider than a line: cut it
                cut = a
                room = limit - used
                while cut < b and cell_len(raw[a : cut + 1]) <= room:
                    cut += 1
                pieces.append(line[start:cut])
                a = start = cut
                used, limit = 0, width - hang
                size = cell_len(raw[a:b])
            used += size
        if start < len(raw):
            pieces.append(line[start:])
        out.append(pieces[0])
        out.extend(Text(" " * hang) + piece for piece in pieces[1:])
    return Text("\n").join(out)


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
        # sys.stdin is None when standard input was closed at start-up: read as the end of input
        self.stream: TextIO | None = stream if stream is not None else sys.stdin
        if interactive is None:
            try:
                interactive = self.stream is not None and self.stream.isatty()
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
            _line_editing()
            try:
                # input() draws the prompt itself, so that readline knows its width (CJK included)
                return input("" if deadline is not None else prompt)
            except EOFError:
                self.console.print()
                return None
        if deadline is None:
            self.console.print(Text(prompt, style="bold"), end="")
        line = self._readline()
        if not line:
            self.console.print()
            return None
        line = line.rstrip("\r\n")
        self.console.print(literal(line))
        return line

    def _readline(self) -> str:
        """One line of piped input, as UTF-8 when it is (whatever the locale says), else in the
        stream's own encoding (GBK on a zh_CN.GBK system), undecodable bytes replaced: a pipe
        of answers never stops the session. A standard input that is closed (None) or whose
        read fails is the end of input.
        """
        if self.stream is None:
            return ""
        try:
            raw = getattr(self.stream, "buffer", None)
            if raw is None:
                return self.stream.readline()
            data: bytes = raw.readline()
        except (OSError, ValueError):
            return ""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = getattr(self.stream, "encoding", None) or "utf-8"
            try:
                return data.decode(encoding, errors="replace")
            except LookupError:
                return data.decode("utf-8", errors="replace")

    def _wait(self, deadline: float, prompt: str) -> bool:
        """Show ``prompt`` and wait until a line can be read or ``deadline`` passes; True when it can."""
        import selectors

        self.console.print(Text(prompt, style="bold"), end="")
        if self.stream is None:
            return True  # closed: the end of input is read at once
        try:
            fd = self.stream.fileno()
        except (AttributeError, ValueError, OSError):
            return True  # not a real file (tests): it is read at once
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            return bool(sel.select(max(0.0, deadline - self.monotonic())))


def _line_editing() -> None:
    """Arrows, history and Backspace over wide characters at the answer prompts (GNU readline or libedit)."""
    with contextlib.suppress(ImportError):  # Windows: the console has its own line editing
        import readline  # noqa: F401 - importing it is what turns line editing on for input()
