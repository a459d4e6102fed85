"""The entry point of the ``csdrill`` script and ``python -m cs_drill``.

The collector is paused before the command line is imported (see ``_gc``); this
module imports nothing else of csdrill at import time.
"""

from cs_drill import _gc


def main() -> None:
    """Run csdrill: pause the collector, then hand over to the command line."""
    _gc.pause()
    try:
        from cs_drill.cli.app import main as run

        run()
    finally:
        _gc.resume()
