"""Answering open questions at a terminal: a multi-line editor with a countdown, and the think timer.

prompt_toolkit draws the editor (imported when the first open question is
answered, never at start-up): arrows, history, Home/End, Backspace over Chinese
characters, no line-length limit. Enter sends the answer; Alt+Enter or Ctrl+J
starts a new line; a paste (bracketed paste, which terminals and tmux send)
stays one answer whatever blank lines it holds; Ctrl+X Ctrl+E opens
``$EDITOR``. A deadline shows as a countdown under the answer and sends what is
typed when it passes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cs_drill.i18n import _

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession

__all__ = ["Countdown", "Editor", "clock_text"]


def clock_text(seconds: float) -> str:
    """``1:05`` for 65 seconds (rounded up, so 0:00 shows only when the time is over)."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60}:{whole % 60:02d}"


class Countdown:
    """Time left until ``deadline`` on the ``monotonic`` clock (a fake one in tests)."""

    def __init__(self, seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self.seconds = seconds
        self.deadline = monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self.deadline - self.monotonic())

    def over(self) -> bool:
        return self.left() <= 0

    def label(self) -> str:
        """``剩余 1:45`` / ``1:45 left``; ``time is up`` once over."""
        if self.over():
            return _("time is up")
        return _("{clock} left").format(clock=clock_text(self.left()))


class Editor:
    """Reads answers and waits at a terminal through prompt_toolkit."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._session: PromptSession[str] | None = None
        self._wait_session: PromptSession[str] | None = None

    def _answer_session(self) -> PromptSession[str]:
        if self._session is None:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.key_binding import KeyBindings

            keys = KeyBindings()

            @keys.add("enter")
            def _send(event: Any) -> None:
                event.current_buffer.validate_and_handle()

            @keys.add("escape", "enter")
            @keys.add("c-j")
            def _newline(event: Any) -> None:
                event.current_buffer.insert_text("\n")

            self._session = PromptSession(
                multiline=True,
                key_bindings=keys,
                enable_open_in_editor=True,
                prompt_continuation=lambda width, line, wrap: " " * width,
            )
        return self._session

    def answer(self, message: str, help_line: str, countdown: Countdown | None = None) -> str | None:
        """The answer typed (may be empty); None at end of input (Ctrl+D on an empty answer)."""
        session = self._answer_session()

        def toolbar() -> str:
            return f"{countdown.label()} · {help_line}" if countdown is not None else help_line

        try:
            return session.prompt(
                message,
                bottom_toolbar=toolbar,
                refresh_interval=0.5 if countdown is not None else 0,
                pre_run=_exit_at(countdown) if countdown is not None else None,
            )
        except EOFError:
            return None

    def wait(self, message: str, countdown: Countdown) -> bool:
        """Show ``message`` with a countdown until Enter or the end of the time; False at end of input."""
        if self._wait_session is None:
            from prompt_toolkit import PromptSession

            self._wait_session = PromptSession()
        try:
            self._wait_session.prompt(
                message,
                bottom_toolbar=countdown.label,
                refresh_interval=0.5,
                pre_run=_exit_at(countdown),
            )
        except EOFError:
            return False
        return True


def _exit_at(countdown: Countdown) -> Callable[[], None]:
    """A ``pre_run`` hook that sends the text typed so far when the countdown is over."""

    def start() -> None:
        import asyncio

        from prompt_toolkit.application import get_app

        app = get_app()

        def done() -> None:
            if app.is_running and not app.is_done:
                app.exit(result=app.current_buffer.text)

        asyncio.get_running_loop().call_later(countdown.left(), done)

    return start
