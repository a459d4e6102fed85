"""The entry point of the ``csdrill`` script and ``python -m cs_drill``.

The collector is paused before the command line is imported (see ``_gc``); this
module imports nothing else of csdrill at import time.
"""

import contextlib
import os
import sys

from cs_drill import _gc


def main() -> None:
    """Run csdrill: pause the collector, then hand over to the command line."""
    _gc.pause()
    try:
        from cs_drill.cli.app import main as run

        run()
    finally:
        _flush()
        _gc.resume()


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
