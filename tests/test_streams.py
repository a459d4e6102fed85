"""The installed `csdrill` with its standard streams closed, broken or unable to encode (issue 16: F9-F11).

A reader that goes away (``csdrill stats | head -1``) is no error: exit 0, nothing on
standard error. A closed standard input reads as the end of input; a closed standard
error loses the messages, never the exit code. An ASCII-only output degrades the text.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import csdrill

BAD = Path(__file__).parent / "fixtures" / "bad" / "answer-not-in-options.yaml"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    drop = ("CSDRILL_", "PYTHONIOENCODING", "PYTHONUNBUFFERED")  # output buffered as a user's is
    base = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    base.update(CSDRILL_HOME=str(tmp_path), CSDRILL_LANG="en", COLUMNS="80")
    return base


@pytest.fixture
def closed_pipe() -> Iterator[int]:
    """The write end of a pipe whose reader is gone: every write to it fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    yield write
    os.close(write)


# -- F9: the reader goes away ---------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["stats"], ["validate"], ["list"], ["browse"], ["quiz"], ["schema"], ["--help"], ["--version"]],
)
def test_output_into_a_closed_pipe_exits_0_silently(args: list[str], env: dict[str, str], closed_pipe: int) -> None:
    done = subprocess.run(
        [csdrill(), *args], stdout=closed_pipe, stderr=subprocess.PIPE, input=b"\n" * 5, env=env, timeout=60
    )
    assert (done.returncode, done.stderr.decode()) == (0, "")


@pytest.mark.parametrize("args", [["stats"], ["validate"], ["list"]])
def test_a_reader_that_takes_one_line_and_leaves(args: list[str], env: dict[str, str]) -> None:
    with subprocess.Popen([csdrill(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as child:
        assert child.stdout is not None
        assert child.stderr is not None
        assert child.stdout.readline()
        child.stdout.close()
        err = child.stderr.read()
        assert (child.wait(timeout=60), err.decode()) == (0, "")


def test_a_quiz_whose_reader_leaves_while_answers_still_come(env: dict[str, str]) -> None:
    child = subprocess.Popen(
        [csdrill(), "quiz"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert child.stdout is not None
    assert child.stdout.readline()
    child.stdout.close()
    _, err = child.communicate(input=b"an answer\n" * 50, timeout=60)
    assert (child.returncode, err.decode()) == (0, "")


def test_stats_into_head(env: dict[str, str]) -> None:
    script = f'"{csdrill()}" stats | head -1 >/dev/null; echo "${{PIPESTATUS[0]}}"'
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert (done.stdout, done.stderr) == ("0\n", "")


def test_output_left_in_the_buffer_at_exit_does_not_fail_the_exit(env: dict[str, str], closed_pipe: int) -> None:
    # Written outside any command and never flushed: Python's own flush at exit would meet the
    # closed pipe ("Exception ignored … BrokenPipeError", exit 120). The command's code stands.
    code = (
        "import sys\n"
        "from cs_drill._entry import main\n"
        "sys.stdout.write('left in the buffer')\n"
        f"sys.argv = ['csdrill', 'validate', {str(BAD)!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], stdout=closed_pipe, stderr=subprocess.PIPE, env=env, timeout=60)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "answer-not-in-options.yaml:" in err
    assert "BrokenPipe" not in err
    assert "Exception ignored" not in err


# -- F10: closed standard streams -----------------------------------------------------------


def _closing(fd: int, *args: str) -> list[str]:
    """The command line that runs csdrill ``args`` with descriptor ``fd`` closed from the start."""
    return ["bash", "-c", f'exec "$0" "$@" {fd}>&-', csdrill(), *args]


def test_a_quiz_with_standard_input_closed_ends_at_once(env: dict[str, str]) -> None:
    done = subprocess.run(_closing(0, "quiz"), capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert "Score: 0/0" in done.stdout


def test_review_with_standard_input_closed(env: dict[str, str]) -> None:
    done = subprocess.run(_closing(0, "review"), capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")


def test_validate_with_standard_error_closed_keeps_its_exit_code(env: dict[str, str]) -> None:
    done = subprocess.run(_closing(2, "validate", str(BAD)), capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2


def test_validate_with_standard_error_a_closed_pipe_keeps_its_exit_code(env: dict[str, str], closed_pipe: int) -> None:
    done = subprocess.run(
        [csdrill(), "validate", str(BAD)], stdout=subprocess.PIPE, stderr=closed_pipe, env=env, timeout=60
    )
    assert done.returncode == 2


def test_a_quiz_with_standard_error_closed(env: dict[str, str]) -> None:
    done = subprocess.run(_closing(2, "quiz"), input="", capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0
    assert "Score: 0/0" in done.stdout


@pytest.mark.parametrize("args", [["stats"], ["list"], ["validate"]])
def test_standard_output_closed(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(_closing(1, *args), capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")


def test_a_bad_bank_with_every_stream_closed_exits_2(env: dict[str, str]) -> None:
    script = 'exec "$0" "$@" <&- >&- 2>&-'
    done = subprocess.run(["bash", "-c", script, csdrill(), "validate", str(BAD)], env=env, timeout=60)
    assert done.returncode == 2


# -- F11: an output that can only encode ASCII ----------------------------------------------


@pytest.mark.parametrize("args", [["list"], ["stats"], ["validate"], ["browse"], ["--help"]])
def test_ascii_only_output_degrades(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([csdrill(), *args], capture_output=True, env={**env, "PYTHONIOENCODING": "ascii"}, timeout=60)
    assert (done.returncode, done.stderr.decode()) == (0, "")
    if args != ["--help"]:  # Click writes its help as UTF-8 to a stream that says ASCII
        assert done.stdout.decode("ascii").strip()  # nothing but ASCII


def test_ascii_only_list_is_readable(env: dict[str, str]) -> None:
    done = subprocess.run(
        [csdrill(), "list"], capture_output=True, env={**env, "PYTHONIOENCODING": "ascii"}, timeout=60
    )
    assert done.returncode == 0
    text = done.stdout.decode("ascii")
    assert "questions" in text
    assert "section" in text


def test_ascii_only_errors_keep_their_lines(env: dict[str, str]) -> None:
    done = subprocess.run(
        [csdrill(), "validate", str(BAD)], capture_output=True, env={**env, "PYTHONIOENCODING": "ascii"}, timeout=60
    )
    assert done.returncode == 2
    err = done.stderr.decode("ascii")
    assert "answer-not-in-options.yaml:" in err
    assert "csdrill: invalid bank" in err
