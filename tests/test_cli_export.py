"""`csdrill export` through CliRunner: formats, files, filters and personal sheets."""

from __future__ import annotations

import contextlib
import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cs_drill.cli.app import app

FIXTURE = Path(__file__).parent / "fixtures" / "good" / "drill.yaml"


@pytest.fixture(autouse=True)
def _export_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSDRILL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CSDRILL_BANK", str(FIXTURE))
    monkeypatch.setenv("CSDRILL_NOW", "2026-03-01T09:00:00Z")


def run(*args: str, input: str = "") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_markdown_to_standard_output_by_default() -> None:
    code, out, _ = run("export")
    assert code == 0
    assert out.startswith("# 练习卷 \\[bold\\]Drill\\[/\\]")
    for prompt in ("投诉时应记录什么?", "可以随意使用网络流行语。", "你如何调节自己的情绪?"):
        assert prompt in out
    assert "\x1b" not in out
    assert "\x07" not in out


def test_section_filter_and_practice_sheet() -> None:
    code, out, _ = run("export", "--section", "scenario", "--no-answers")
    assert code == 0
    assert "客户情绪激动" in out
    assert "投诉时应记录什么" not in out  # another section
    assert "安抚情绪,表示理解" not in out  # the model answer is hidden


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("sheet.html", b"<!doctype html>"),
        ("sheet.md", "# 练习卷".encode()),
        ("sheet.csv", b"\xef\xbb\xbfexam,section,id"),
    ],
)
def test_the_format_follows_the_output_extension(tmp_path: Path, name: str, check: bytes) -> None:
    target = tmp_path / name
    code, _, err = run("export", "-o", str(target))
    assert code == 0
    assert "wrote 7 questions" in err
    assert target.read_bytes().lower().startswith(check.lower())
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_csv_rows_read_back(tmp_path: Path) -> None:
    target = tmp_path / "bank.csv"
    assert run("export", "-o", str(target))[0] == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == [
        "reply-time",
        "record-info",
        "complaint-info",
        "slang",
        "cross-border-law",
        "angry-customer",
        "no-model",
    ]
    assert rows[2]["answer"] == "ABC"


def test_apkg_has_one_note_per_question_and_needs_a_file(tmp_path: Path) -> None:
    code, _, err = run("export", "--format", "apkg")
    assert code == 2
    assert "--output" in err
    target = tmp_path / "cs.apkg"
    assert run("export", "-o", str(target))[0] == 0
    with zipfile.ZipFile(target) as z:
        (tmp_path / "col.anki2").write_bytes(z.read("collection.anki2"))
    with contextlib.closing(sqlite3.connect(tmp_path / "col.anki2")) as db:
        assert db.execute("select count(*) from notes").fetchone() == (7,)


def test_unknown_extension_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run("export", "-o", str(tmp_path / "sheet.docx"))
    assert code == 2
    assert "cannot tell the format from 'sheet.docx'" in err
    assert not (tmp_path / "sheet.docx").exists()


def test_personal_sheets_from_the_history() -> None:
    # right, wrong, then the open question self-rated Again
    run("quiz", "--order", "source", "--count", "2", input="A\nA\n")
    code, out, _ = run("export", "--only", "wrong")
    assert code == 0
    assert "投诉时应记录什么?" in out  # answered wrong: in the 错题本
    assert "客服回复时效是多少?" not in out  # answered right
    code, out, _ = run("export", "--only", "due")
    assert "投诉时应记录什么?" not in out  # due in a minute, not now
    result = CliRunner().invoke(app, ["export", "--only", "due"], env={"CSDRILL_NOW": "2026-03-01T09:30:00Z"})
    assert "投诉时应记录什么?" in result.stdout
    assert "客服回复时效是多少?" in result.stdout


def test_personal_sheet_without_history_is_empty_not_an_error() -> None:
    code, out, _ = run("export", "--only", "weak")
    assert code == 0
    assert "投诉" not in out
