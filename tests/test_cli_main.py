"""The entry point registers only the command it runs; everything else sees the whole app."""

from __future__ import annotations

import sys

import pytest

from cs_drill.cli import app as cli


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["csdrill", *args])
    with pytest.raises(SystemExit) as done:
        cli.main()
    return int(done.value.code or 0)


def test_only_the_named_command_is_registered() -> None:
    one = cli.build(["list"])
    assert [i.name for i in one.registered_commands] == ["list"]
    assert one.registered_callback is not None
    whole = cli.build()
    assert len(whole.registered_commands) + len(whole.registered_groups) == len(cli.COMMANDS) == 12  # the whole app
    with pytest.raises(KeyError):
        cli.build(["nope"])


def test_a_command_line_imports_only_its_command_module() -> None:
    import subprocess

    code = (
        "import sys\n"
        "sys.argv = ['csdrill', 'schema']\n"
        "from cs_drill.cli import app\n"
        "try:\n"
        "    app.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('cs_drill.cli.cmd.')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert "['cs_drill.cli.cmd.schema']" in done.stderr


def test_main_runs_a_command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main(monkeypatch, "schema") == 0
    assert '"$schema"' in capsys.readouterr().out


def test_main_without_a_known_command_shows_them_all(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(monkeypatch, "--help") == 0
    out = capsys.readouterr().out
    for name in ("quiz", "review", "export", "list", "stats", "validate", "schema"):
        assert name in out
    assert run_main(monkeypatch, "nope") == 2
    assert "No such command" in capsys.readouterr().err


def test_a_command_help_is_its_own(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main(monkeypatch, "quiz", "--help") == 0
    out = capsys.readouterr().out
    assert "Usage: csdrill quiz" in out
    assert "--order" in out


def test_the_progress_bar_is_only_for_large_builds_at_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cs_drill.bank.cache import POOL_MIN_BYTES
    from cs_drill.cli import workspace

    class Tty:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

        def write(self, text: str) -> int:
            return len(text)

        def flush(self) -> None:
            pass

    monkeypatch.setattr(sys, "stderr", Tty(False))
    assert workspace._progress(100, POOL_MIN_BYTES * 10) is None
    monkeypatch.setattr(sys, "stderr", Tty(True))
    assert workspace._progress(3, POOL_MIN_BYTES - 1) is None
    bar = workspace._progress(100, POOL_MIN_BYTES)
    assert bar is not None
    with bar as step:
        step(0, 100)
        step(100, 100)


def test_validate_usage_names_its_paths_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(monkeypatch, "validate", "--help") == 0
    out = capsys.readouterr().out
    assert "Usage: csdrill validate [OPTIONS] [PATH]...\n" in out
