"""Start-up without garbage-collector passes: the collector pause.

Importing Typer, pydantic, Rich and csdrill allocates a few hundred thousand
objects that live as long as the process. CPython's cyclic garbage collector
walks them again and again while they are being made (about 70 passes, ~10 ms on
the 2-core machine, none of which frees anything: python benchmarks/run.py, row 1).
So the collector is paused from the first import until the program first waits
for the user (``resume`` is called by the answer reader); then everything made so
far is frozen (``gc.freeze``: never scanned again) and collection goes on as
usual. Reference counting frees ordinary garbage meanwhile; only reference cycles
wait. A command that never asks anything (list, validate, export, stats, schema)
runs to its end with the collector paused, as short-lived tools commonly do.

Bulk parsing (a cold bank build) pauses the collector the same way, for the same
reason, with :func:`collector_paused`.

A leaf: it imports nothing of csdrill. The entry point (``_entry``) pauses the
collector before anything else is imported.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused = False


def pause() -> None:
    """Stop automatic collection (if it was on) until :func:`resume`."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what start-up made and turn automatic collection back on (once; else a no-op)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection inside: for work that makes many objects and no cycles.

    The collector's state before is restored after (it stays off while start-up has it paused).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
