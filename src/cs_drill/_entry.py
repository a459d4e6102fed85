"""The entry point of the ``csdrill`` script and ``python -m cs_drill``.

The collector is paused before the command line is imported (see ``_gc``); this
module imports nothing else of csdrill at import time.
"""

import contextlib
import os
import signal
import sys
from types import FrameType

from cs_drill import _gc

#: The signals that end csdrill as Ctrl-C does (one line, what was answered kept): exit 128 + N.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def main() -> None:
    """Run csdrill: pause the collector, then hand over to the command line."""
    _gc.pause()
    for signum in STOP_SIGNALS:
        signal.signal(signum, _stop)
    try:
        from cs_drill.cli.app import main as run

        run()
    except KeyboardInterrupt:
        # Ctrl-C before a command began (while csdrill starts) or after it ended
        from cs_drill.i18n import _

        _say("\n" + _("interrupted") + "\n")
        raise SystemExit(130) from None
    except BaseException as exc:
        from cs_drill.errors import Terminated

        if not isinstance(exc, Terminated):
            raise
        _say("\n" + exc.message + "\n")
        raise SystemExit(exc.exit_code) from None
    finally:
        # From here a signal ends the process as it would without csdrill (nothing is left to save).
        for signum in (*STOP_SIGNALS, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)
        _flush()
        _gc.resume()


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM or SIGHUP: raise Terminated where the program is (the command says one line and exits).

    A second such signal ends the process at once, as it would without csdrill's handler.
    """
    from cs_drill.errors import Terminated

    for other in STOP_SIGNALS:
        signal.signal(other, signal.SIG_DFL)
    raise Terminated(signum)


def _say(text: str) -> None:
    with contextlib.suppress(AttributeError, ValueError, OSError):
        sys.stderr.write(text)
        sys.stderr.flush()


def _flush() -> None:
    """Flush standard output and error now, so that Python's own flush at exit cannot fail.

    What cannot be written (the reader went away, the stream is closed) goes to the null
    device instead (see the note on SIGPIPE in the docs of ``signal``): no "Exception
    ignored … BrokenPipeError", no exit 120, the exit code stays the command's.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (ValueError, OSError):
            with contextlib.suppress(AttributeError, ValueError, OSError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, stream.fileno())
                os.close(devnull)
