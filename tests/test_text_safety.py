"""Bank text is shown literally: no bidi controls or invisible characters (F14), no Anki markup (F15)."""

from __future__ import annotations

import sqlite3
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_bank
from cs_drill.cli.app import app
from cs_drill.text import clean

# Bidi embeddings, overrides and isolates, the marks, and the invisible format characters.
HIDDEN = [
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u2060",
    "\u2061",
    "\u2064",
    "\ufeff",
    "\u00ad",
    "\U000e0001",
    "\U000e0041",
]

BANK = """\
    id: safe
    title: "标题\\u202e夹带"
    description: "[sound:deck.mp3] \\\\(d\\\\)"
    sections:
      - id: s
        title: 判断题
        kind: true-false
        points: 1
        questions:
          - id: q1
            prompt: "退款\\u202e请核对\\u2066订单\\u2069号\\u200b码\\ufeff？"
            answer: true
            explanation: "先核对\\u200f再处理"
      - id: c
        title: 单选题
        kind: single-choice
        points: 2
        questions:
          - id: q2
            prompt: "[sound:evil.mp3] 播放？ \\\\(x^2\\\\) 与 \\\\[y\\\\] [latex]a[/latex] [$]b[/$] [$$]c[/$$]"
            options:
              A: "[sound:a.mp3]"
              B: "\\\\(z\\\\)"
              C: "[anki:tts lang=zh_CN]读出来[/anki:tts] [SOUND:b.mp3] [LaTeX]d[/LaTeX]"
              D: "[bold]粗体[/] C:\\\\path\\\\n [1] [sound]"
            answer: A
            explanation: "[latex]\\\\frac{1}{2}[/latex]"
            answer_source: authored
"""


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bank = write_bank(tmp_path, "bank/safe.yaml", BANK)
    monkeypatch.setenv("CSDRILL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CSDRILL_BANK", str(bank))
    monkeypatch.setenv("CSDRILL_NOW", "2026-03-01T09:00:00Z")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("CSDRILL_DEBUG", raising=False)


def _bad(text: str) -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) == "Cf" and ch not in "\u200c\u200d"]


# --- F14: clean() ---------------------------------------------------------------


@pytest.mark.parametrize("ch", HIDDEN, ids=lambda ch: f"U+{ord(ch):04X}")
def test_clean_removes_bidi_and_invisible_characters(ch: str) -> None:
    assert clean(f"退款{ch}订单") == "退款订单"
    assert clean(f"{ch}a{ch}\n\tb{ch}") == "a\n\tb"


def test_clean_removes_every_format_character_but_the_joiners() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    assert clean(f"x{every}y") == "x\u200c\u200dy"


def test_clean_keeps_the_joiners_emoji_and_other_text() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji: man ZWJ woman ZWJ girl
    persian = "می\u200cخواهم"  # ZWNJ is part of the spelling
    for text in (family, persian, "❤\ufe0f", "客服\t回复\n时效", "plain ascii", "", "\u3000全角空格"):
        assert clean(text) == text
    assert clean("a\x1b[31mb\u202ec\r\n") == "abc\n"


def test_clean_is_fast_on_printable_text() -> None:
    text = "客服回复时效是多少？" * 10
    assert clean(text) is text


# --- F14: what the learner sees and every export --------------------------------


def test_a_quiz_shows_no_bidi_override() -> None:
    result = CliRunner().invoke(app, ["quiz", "--order", "source"], input="对\n\nA\n\n")
    assert result.exit_code == 0, result.output
    assert "请核对" in result.stdout
    assert _bad(result.stdout) == []
    assert _bad(result.stderr) == []


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_exports_have_no_bidi_or_invisible_characters(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"sheet.{fmt}"
    result = CliRunner().invoke(app, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "请核对" in text
    assert _bad(text) == []


# --- F15: Anki markup -------------------------------------------------------------


def _apkg_fields(path: Path) -> tuple[list[str], list[str]]:
    with zipfile.ZipFile(path) as zf:
        db = path.with_suffix(".anki2")
        db.write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        notes = [flds for (flds,) in conn.execute("SELECT flds FROM notes ORDER BY id")]
        (decks,) = conn.execute("SELECT decks FROM col").fetchone()
    finally:
        conn.close()
    return [field for flds in notes for field in flds.split("\x1f")], [decks]


def test_apkg_shows_sound_and_latex_markup_literally(tmp_path: Path) -> None:
    out = tmp_path / "cards.apkg"
    result = CliRunner().invoke(app, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    fields, decks = _apkg_fields(out)
    assert "&#91;sound:deck.mp3] &#92;<span></span>(d&#92;<span></span>)" in decks[0]
    assert "[sound:" not in decks[0]
    joined = "\n".join(fields)
    lowered = [field.lower() for field in fields]
    for raw in ("[sound:", "[anki:", "[latex]", "[/latex]", "[$]", "[/$]", "[$$]", "[/$$]", "\\(", "\\)", "\\[", "\\]"):
        assert all(raw not in field for field in lowered), raw
    # still there, as entities (shown as typed)
    assert "&#91;sound:evil.mp3]" in joined
    assert "&#91;sound:a.mp3]" in joined
    assert "&#91;latex]a&#91;/latex]" in joined
    assert "&#91;$]b&#91;/$]" in joined
    assert "&#91;$$]c&#91;/$$]" in joined
    assert "&#92;<span></span>(x^2&#92;<span></span>)" in joined
    assert "&#91;latex]\\frac{1}{2}&#91;/latex]" in joined
    assert "&#91;anki:tts lang=zh_CN]读出来&#91;/anki:tts]" in joined
    assert "&#91;SOUND:b.mp3]" in joined
    # brackets and backslashes that are no Anki markup keep their bytes
    assert "[bold]粗体[/] C:\\path\\n [1] [sound]" in joined
    assert _bad(joined) == []
