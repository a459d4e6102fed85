"""Shared test set-up: an isolated CSDRILL_HOME, a clean environment, stable Rich output."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cs_drill import i18n

FIXTURES = Path(__file__).parent / "fixtures"

#: A bank whose one problem is CONTRACT.md's example error line, when written to ``bank/x.yaml``.
CONTRACT_EXAMPLE = """\
id: x
title: 示例
sections:
  - id: choice
    title: 单选题
    kind: single-choice
    questions:
      - {id: q0, prompt: 一, options: {A: 甲, B: 乙, C: 丙, D: 丁}, answer: A}
      - {id: q1, prompt: 二, options: {A: 甲, B: 乙, C: 丙, D: 丁}, answer: B}
      - {id: q2, prompt: 三, options: {A: 甲, B: 乙, C: 丙, D: 丁}, answer: C}
      - {id: q3, prompt: 四, options: {A: 甲, B: 乙, C: 丙, D: 丁}, answer:
        E}
"""
CONTRACT_EXAMPLE_LINE = os.path.join("bank", "x.yaml") + (
    ":12:9: sections[0].questions[3].answer: 'E' is not one of the options A, B, C, D"
)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets a fresh, empty home and none of the user's csdrill settings."""
    home = tmp_path / "home"
    monkeypatch.setenv("CSDRILL_HOME", str(home))
    for name in ("CSDRILL_BANK", "CSDRILL_NOW", "CSDRILL_DEBUG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("CSDRILL_LANG", "en")
    i18n.setup("en")
    yield home
    i18n.setup("en")
    if _REBUILT:
        _REBUILT.clear()
        _rebuild_commands()


_REBUILT: list[str] = []


def _rebuild_commands() -> None:
    """Import the command modules again: their options' help texts are made at import, in the current language."""
    import importlib
    import sys

    from cs_drill.cli import app, options

    importlib.reload(options)
    for name in app.COMMANDS.values():
        if name in sys.modules:
            importlib.reload(sys.modules[name])


def app_in(lang: str) -> typer.Typer:
    """The whole app with its messages in ``lang`` (en, zh-Hans, zh-Hant), as ``csdrill`` builds it.

    The language stays set for the rest of the test (the autouse fixture resets it to English).
    """
    from cs_drill.cli import app

    os.environ["CSDRILL_LANG"] = lang
    i18n.setup(lang)
    _rebuild_commands()
    _REBUILT.append(lang)
    return app.build()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_bank(tmp_path: Path, name: str, text: str) -> Path:
    """Write ``text`` (dedented) as UTF-8 to ``tmp_path / name``, creating folders; return the path."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def live_children(pid: int) -> list[int]:
    """The live (not zombie) child processes of ``pid``, from /proc (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def child_env(**settings: str) -> dict[str, str]:
    """A csdrill child's environment: the inherited one without any ``CSDRILL_`` variable, and ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSDRILL_")}
    env.update(settings)
    return env


def csdrill() -> str:
    """The installed ``csdrill`` script (the tests that run it as a user would)."""
    exe = Path(sys.executable).parent / "csdrill"
    assert exe.exists(), f"the csdrill script is not installed next to {sys.executable}"
    return str(exe)
