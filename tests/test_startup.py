"""The entry point pauses the garbage collector until the program first waits for the user."""

from __future__ import annotations

import gc
import io
import subprocess
import sys
from collections.abc import Iterator

import pytest
from rich.console import Console

from cs_drill import _gc as startup
from cs_drill.render.console import LineReader


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    startup._paused = False
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


def test_pause_and_resume() -> None:
    gc.enable()
    startup.pause()
    assert not gc.isenabled()
    startup.resume()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # what start-up made is never scanned again
    startup.resume()  # a second call changes nothing
    assert gc.isenabled()


def test_resume_leaves_a_collector_alone_that_was_off_already() -> None:
    gc.disable()
    startup.pause()
    startup.resume()
    assert not gc.isenabled()


def test_the_answer_reader_resumes_collection() -> None:
    gc.enable()
    startup.pause()
    console = Console(file=io.StringIO(), width=80)
    reader = LineReader(console, io.StringIO("AC\n"), interactive=False)
    assert reader.read("Answer: ") == "AC"
    assert gc.isenabled()


def test_the_entry_point_runs_a_command_without_collector_passes() -> None:
    """From ``main()`` on (the ``csdrill`` script's entry), `schema` runs without a collector pass."""
    code = (
        "import gc, sys\n"
        "from cs_drill._entry import main\n"
        "passes = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and passes.append(info['generation']))\n"
        "sys.argv = ['csdrill', 'schema']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print('PASSES', len(passes), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert '"$schema"' in done.stdout
    assert "PASSES 0" in done.stderr
