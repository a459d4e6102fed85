"""The signals that end csdrill, and holding them back while something must not be cut in two.

SIGINT (Ctrl-C) raises KeyboardInterrupt and SIGTERM or SIGHUP raise ``errors.Terminated``
(see ``_entry``) wherever the program is. Some places must finish first: a write of an
answer (else it is rolled back), the start of a bank build's worker processes (a fork
and a thread start cut in two leave the pool half made). :func:`held` delays the signals
until its block ends; then they act. A leaf: it imports nothing of csdrill.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

#: The signals that end csdrill (the ones this platform has).
STOPPING = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def held() -> Iterator[None]:
    """Hold back the signals that end csdrill until the block ends (nothing on Windows, which has no mask)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def released_in_worker() -> None:
    """In a worker process started while they were held: Ctrl-C is the parent's; SIGTERM and SIGHUP end it.

    A worker ends with its parent (see ``bank.cache``); it never prints a traceback of its own.
    """
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
