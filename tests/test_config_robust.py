"""Red-team findings F12 and F13: CSDRILL_NOW at the ends of the calendar, and hostile config.toml files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cs_drill.cli.app import app
from cs_drill.config import CONFIG_NAME, Settings, configured_lang, load_settings, parse_now
from cs_drill.errors import UsageError
from cs_drill.study.store import connect

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"
NOW = "2026-03-01T09:00:00Z"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("CSDRILL_BANK", str(FIXTURE))
    monkeypatch.setenv("CSDRILL_NOW", NOW)
    return folder


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail the test (instead of hanging the suite) if it blocks for 10 seconds, e.g. opening a FIFO."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def _timeout(signum: int, frame: object) -> None:
        raise TimeoutError("blocked: the code opened the FIFO")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.setitimer(signal.ITIMER_REAL, 10)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def quiz(input: str = "", **env: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["quiz", "--order", "source"], input=input, env=env or None)
    return result.exit_code, result.stdout, result.stderr


def one_line(text: str) -> bool:
    return len(text.strip().splitlines()) == 1


def answers_saved(home: Path) -> int:
    if not (home / "history.sqlite3").exists():
        return 0
    with connect(home) as db:
        return len(db.reviews())


# --------------------------------------------------------------------------- F12: CSDRILL_NOW


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59+14:00",
        "0001-01-01T00:00:00-12:00",
        "1899-12-31T23:59:59Z",
        "9001-01-01T00:00:00Z",
    ],
)
def test_parse_now_refuses_the_ends_of_the_calendar(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_now(value)
    message = str(caught.value)
    assert one_line(message)
    assert message.startswith("CSDRILL_NOW: ")
    assert "1900" in message
    assert "9000" in message


@pytest.mark.parametrize("value", ["1900-01-01T00:00:00Z", "9000-12-31T23:59:59Z", NOW])
def test_parse_now_accepts_years_1900_to_9000(value: str) -> None:
    assert parse_now(value).year in (1900, 2026, 9000)


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"])
def test_quiz_at_the_ends_of_the_calendar_exits_2_with_one_line(home: Path, value: str) -> None:
    code, out, err = quiz("a\n", CSDRILL_NOW=value)
    assert code == 2, (out, err)
    assert one_line(err)
    assert "CSDRILL_NOW" in err
    assert "Traceback" not in out + err
    assert "OverflowError" not in out + err


def test_quiz_at_a_normal_date_still_saves_the_answer(home: Path) -> None:
    code, out, err = quiz("a\n", CSDRILL_NOW="2030-06-15T12:00:00Z")
    assert "Traceback" not in out + err
    assert code in (0, 130), (out, err)
    assert answers_saved(home) >= 1


def test_quiz_near_the_ends_of_the_accepted_range_saves_the_answer(home: Path) -> None:
    for value in ("9000-12-31T23:59:59Z", "1900-01-01T00:00:00Z"):
        code, out, err = quiz("a\n", CSDRILL_NOW=value)
        assert "Traceback" not in out + err
        assert "OverflowError" not in out + err
        assert code in (0, 130), (value, out, err)


# --------------------------------------------------------------------------- F13: config.toml


def write(home: Path, text: str | bytes) -> Path:
    path = home / CONFIG_NAME
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def refused(home: Path) -> str:
    with pytest.raises(UsageError) as caught:
        load_settings(home)
    message = str(caught.value)
    assert one_line(message), message
    assert message.startswith(f"{home / CONFIG_NAME}: ")
    assert len(message) < 400, message
    return message


def test_a_5000_digit_integer_is_a_one_line_usage_error(home: Path) -> None:
    limit = sys.get_int_max_str_digits()
    write(home, "new_per_day = " + "9" * 5000 + "\n")
    message = refused(home)
    assert "sys.set_int_max_str_digits" not in message
    assert "new_per_day must be a whole number from 0 to 10000, not ≈1e5000" in message
    assert sys.get_int_max_str_digits() == limit  # the interpreter's limit is back


def test_a_huge_integer_in_a_huge_file_is_still_a_one_line_usage_error(home: Path) -> None:
    write(home, "# " + "x" * 70_000 + "\nnew_per_day = " + "9" * 5000 + "\n")
    started = time.monotonic()
    assert "a number has too many digits" in refused(home)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("key", ["new_per_day", "day_start_hour", "desired_retention", "hard_ratio"])
def test_a_number_setting_with_thousands_of_digits_is_out_of_range(home: Path, key: str) -> None:
    write(home, f"{key} = " + "9" * 4000 + "\n")
    message = refused(home)
    assert f"{key} must be a" in message


@pytest.mark.parametrize("key", ["think", "speak"])
def test_a_duration_with_thousands_of_digits_is_refused(home: Path, key: str) -> None:
    write(home, f"{key} = " + "9" * 4000 + "\n")
    message = refused(home)
    assert f"{key} must be a duration" in message
    assert "≈1e4000" in message


def test_a_duration_past_the_digit_limit_is_refused(home: Path) -> None:
    write(home, "think = " + "9" * 5000 + "\n")
    assert "think must be a duration" in refused(home)


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
        "x = " + "[" * 5000 + "]" * 5000 + "\n",
        "[" + ".".join(["a"] * 5000) + "]\n",
    ],
    ids=["inline-tables", "arrays", "table-header"],
)
def test_5000_nested_tables_are_a_one_line_usage_error(home: Path, text: str) -> None:
    write(home, text)
    refused(home)


def test_a_utf8_bom_is_accepted(home: Path) -> None:
    write(home, b'\xef\xbb\xbfnew_per_day = 7\r\nlang = "zh-Hans"\r\n')
    assert load_settings(home) == Settings(new_per_day=7, lang="zh-Hans")
    assert configured_lang({"CSDRILL_HOME": str(home)}) == "zh-Hans"


def test_a_directory_named_config_toml_is_not_a_regular_file(home: Path) -> None:
    (home / CONFIG_NAME).mkdir()
    assert "not a regular file" in refused(home)
    assert configured_lang({"CSDRILL_HOME": str(home)}) is None


@needs_fifo
def test_a_fifo_named_config_toml_is_refused_without_opening_it(home: Path, deadline: None) -> None:
    os.mkfifo(home / CONFIG_NAME)
    started = time.monotonic()
    assert "not a regular file" in refused(home)
    assert configured_lang({"CSDRILL_HOME": str(home)}) is None
    assert time.monotonic() - started < 5


@needs_fifo
def test_a_fifo_does_not_hang_another_process(tmp_path: Path) -> None:
    home = tmp_path / "fifo-home"
    home.mkdir()
    os.mkfifo(home / CONFIG_NAME)
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from cs_drill.config import configured_lang, load_settings
        from cs_drill.errors import UsageError
        home = Path(sys.argv[1])
        assert configured_lang({"CSDRILL_HOME": str(home)}) is None
        try:
            load_settings(home)
        except UsageError as exc:
            print(exc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(home)], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "not a regular file" in done.stdout


@pytest.mark.parametrize(
    "content",
    [
        "new_per_day = " + "9" * 5000 + "\n",
        "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
        "new_per_day = " + "9" * 4000 + "\n",
    ],
    ids=["5000-digits", "5000-nested", "4000-digits"],
)
def test_quiz_with_a_hostile_config_exits_2_with_one_line(home: Path, content: str) -> None:
    write(home, content)
    code, out, err = quiz("a\n")
    assert code == 2, (out, err)
    assert one_line(err), err
    assert "Traceback" not in out + err
    assert answers_saved(home) == 0


@needs_fifo
def test_quiz_with_a_fifo_config_exits_2_with_one_line(home: Path, deadline: None) -> None:
    os.mkfifo(home / CONFIG_NAME)
    code, out, err = quiz("a\n")
    assert code == 2, (out, err)
    assert one_line(err)
    assert "not a regular file" in err


def test_quiz_with_a_bom_config_works(home: Path) -> None:
    write(home, b"\xef\xbb\xbfnew_per_day = 7\n")
    code, out, err = quiz("a\n")
    assert "Traceback" not in out + err
    assert code in (0, 130), (out, err)


def test_the_messages_stay_on_one_line(home: Path) -> None:
    write(home, '"a\\nb" = 1\n')
    assert "unknown setting 'a\\nb'" in refused(home)
    with pytest.raises(UsageError) as caught:
        parse_now(" 9999-12-31T23:59:59Z\n")
    assert str(caught.value) == "CSDRILL_NOW: 9999-12-31T23:59:59Z is not in the range 1900-01-01..9000-12-31."
