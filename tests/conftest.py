"""Shared test set-up: an isolated CSDRILL_HOME, a clean environment, stable Rich output."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets a fresh, empty home and none of the user's csdrill settings."""
    home = tmp_path / "home"
    monkeypatch.setenv("CSDRILL_HOME", str(home))
    for name in ("CSDRILL_BANK", "CSDRILL_NOW", "CSDRILL_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    return home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_bank(tmp_path: Path, name: str, text: str) -> Path:
    """Write ``text`` (dedented) as UTF-8 to ``tmp_path / name``, creating folders; return the path."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
