"""The bank commands from the outside: validate, list, schema, --version and --help.

Output and exit codes as a user or a script sees them (CliRunner, and two real
processes through pipes).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
import yaml
from typer.testing import CliRunner, Result

from conftest import CONTRACT_EXAMPLE, CONTRACT_EXAMPLE_LINE, FIXTURES, write_bank
from cs_drill import __version__
from cs_drill.bank import spec
from cs_drill.bank.files import bundled_bank
from cs_drill.bank.model import Kind
from cs_drill.cli.app import app

EXAM_KEYS = spec.keys(spec.EXAM)
SECTION_KEYS = spec.keys(spec.SECTION)
QUESTION_KEYS = spec.keys(spec.QUESTION)

BAD = FIXTURES.resolve() / "bad"
GOOD = FIXTURES.resolve() / "good"

BUNDLED_SUMMARY = (
    "OK: 5 files, 5 exams, 19 sections, 92 questions (single-choice 10, multi-choice 5, true-false 9, open 68)"
)
BUNDLED_EXAMS = {
    "alibaba-cs-manager-interview",
    "alibaba-cs-specialist-interview",
    "alibaba-cs-training-assessment",
    "cs-specialist-interview-handbook",
    "ecommerce-cs-newcomer-interview",
}

# every fixture in tests/fixtures/bad: where its first problem is
BAD_FIXTURES = {
    "alias-bomb.yaml": (1, 4),
    "answer-not-in-options.yaml": (15, 17),
    "duplicate-ids.yaml": (14, 13),
    "empty.yaml": (1, 1),
    "missing-keys.yaml": (1, 1),
    "multi-answer-malformed.yaml": (11, 17),
    "only-comments.yaml": (1, 1),
    "python-tag.yaml": (2, 8),
    "second-document.yaml": (10, 1),
    "syntax-bad-indent.yaml": (6, 10),
    "syntax-unclosed-quote.yaml": (4, 1),
    "top-level-list.yaml": (1, 1),
    "unknown-keys.yaml": (1, 1),
    "wrong-kind.yaml": (6, 11),
}

PROBLEM_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): \S")


def exam_text(exam_id: str, *sections: str) -> str:
    body = "".join(
        f"  - {{id: {s}, title: 部分 {s}, kind: open, questions: [{{id: {s}-q, prompt: 你好}}]}}\n"
        for s in sections or ("s",)
    )
    return f"id: {exam_id}\ntitle: 试卷 {exam_id}\nsections:\n{body}"


def table_rows(output: str) -> list[tuple[str, ...]]:
    """What `csdrill list` shows, one tuple per exam and per section.

    An exam is its line (``id  N questions[ · M due]``) and the title line under it:
    (id, title, count, due or "-"). A section is a row of the table under it:
    (id, title, kind, count, due).
    """
    rows: list[tuple[str, ...]] = []
    lines = output.splitlines()
    for n, line in enumerate(lines):
        exam = re.match(r"^(\S+)  (\d+) questions?(?: · (\d+) due)?$", line.rstrip())
        if exam:
            title = lines[n + 1].strip()
            rows.append((exam.group(1), title, exam.group(2), exam.group(3) or "-"))
        elif line.startswith("  ") and n > 0 and lines[n - 1].strip() != "" and re.search(r"\s\d+\s+(\d+|-)\s*$", line):
            cells = tuple(re.split(r"\s{2,}", line.strip()))
            rows.append(cells)
    return rows


def problem_files(stderr: str) -> list[str]:
    """The file named by each problem line (every line but the last, the count)."""
    files = []
    for line in stderr.splitlines()[:-1]:
        match = PROBLEM_LINE.match(line)
        assert match, line
        files.append(match.group("file"))
    return files


def assert_clean_failure(result: Result) -> None:
    """Exit 2, nothing on standard output, no traceback, every stderr line a problem or the summary."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("csdrill: invalid bank: ")
    for line in lines[:-1]:
        assert PROBLEM_LINE.match(line), line


# --------------------------------------------------------------------------- validate


def test_validate_the_bundled_bank(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    # (whitespace normalised: the summary is wider than 100 columns and wraps, see below)
    assert " ".join(result.stdout.split()) == BUNDLED_SUMMARY
    assert result.stderr == ""


def test_validate_a_good_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(GOOD / "all-kinds.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "OK: 1 file, 1 exam, 4 sections, 7 questions (single-choice 2, multi-choice 1, true-false 2, open 2)\n"
    )


@pytest.mark.parametrize("columns", ["40", "100"])
def test_validate_summary_is_one_line_whatever_the_width(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0
    assert result.stdout == BUNDLED_SUMMARY + "\n"


def test_every_bad_fixture_is_listed() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(BAD_FIXTURES)


@pytest.mark.parametrize("name", sorted(BAD_FIXTURES))
def test_validate_a_bad_fixture(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(BAD)
    result = runner.invoke(app, ["validate", name])
    assert_clean_failure(result)
    line, col = BAD_FIXTURES[name]
    assert result.stderr.startswith(f"{name}:{line}:{col}: ")


@pytest.mark.parametrize(("encoding", "where"), [("gbk", "2:8"), ("utf-16", "1:1"), ("utf-16-le", "2:")])
def test_validate_a_file_that_is_not_utf8(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, where: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bank.yaml").write_bytes("id: encoded\ntitle: 客服面试\nsections: []\n".encode(encoding))
    result = runner.invoke(app, ["validate", "bank.yaml"])
    assert_clean_failure(result)
    assert result.stderr.startswith(f"bank.yaml:{where}")
    assert "UTF-" in result.stderr


def test_validate_reports_the_problems_of_two_bad_files(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    result = runner.invoke(app, ["validate", "multi-answer-malformed.yaml", "unknown-keys.yaml"])
    assert_clean_failure(result)
    assert problem_files(result.stderr) == ["multi-answer-malformed.yaml"] * 4 + ["unknown-keys.yaml"] * 7
    assert result.stderr.splitlines()[-1] == "csdrill: invalid bank: 11 problems in 2 files"


def test_validate_a_folder_reports_every_bad_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(BAD)])
    assert_clean_failure(result)
    assert {Path(f).name for f in problem_files(result.stderr)} == set(BAD_FIXTURES)


def test_validate_shows_the_contracts_error_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_bank(tmp_path, "bank/x.yaml", CONTRACT_EXAMPLE)
    result = runner.invoke(app, ["validate", "bank"])
    assert_clean_failure(result)
    assert result.stderr.splitlines()[0] == CONTRACT_EXAMPLE_LINE


def test_validation_errors_are_never_wrapped(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    monkeypatch.setenv("COLUMNS", "20")
    result = runner.invoke(app, ["validate", "unknown-keys.yaml"])
    assert_clean_failure(result)
    assert (
        "unknown-keys.yaml:14:9: sections[0].questions[0].colour: unknown key 'colour' (allowed: id, prompt, "
        "options, answer, key_points, explanation, answer_source, note, points, tags)\n"
    ) in result.stderr


def test_validate_without_paths_checks_the_active_banks(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = write_bank(tmp_path, "one.yaml", exam_text("bank-one", "a", "b"))
    monkeypatch.setenv("CSDRILL_BANK", str(one))
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "OK: 1 file, 1 exam, 2 sections, 2 questions (open 2)\n"


def test_validate_a_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere.yaml")])
    assert_clean_failure(result)
    assert "nowhere.yaml" in result.stderr
    assert "no such file or folder" in result.stderr


# --------------------------------------------------------------------------- bank selection and list


@pytest.fixture
def two_banks(tmp_path: Path) -> tuple[Path, Path]:
    one = write_bank(tmp_path, "banks/one.yaml", exam_text("bank-one", "alpha"))
    two = write_bank(tmp_path, "more/deep/two.yml", exam_text("bank-two", "beta", "gamma"))
    return one, two.parent.parent


def test_list_shows_the_bundled_bank(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    first_cells = {row[0] for row in table_rows(result.stdout)}
    assert first_cells >= BUNDLED_EXAMS


def test_list_rows_hold_ids_titles_kinds_and_counts(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--bank", str(GOOD / "all-kinds.yaml")])
    assert result.exit_code == 0, result.output
    assert table_rows(result.stdout) == [
        ("all-kinds", "四种题型的示例试卷", "7", "-"),
        ("single", "单选题", "single-choice", "2", "-"),
        ("multi", "多选题", "multi-choice", "1", "-"),
        ("judge", "判断题", "true-false", "2", "-"),
        ("open", "情景模拟题", "open", "2", "-"),
    ]


#: The id column of `csdrill list` over both banks of ``two_banks``: exams and their sections.
BOTH_BANKS_IDS = ["bank-one", "alpha", "bank-two", "beta", "gamma"]


def test_csdrill_bank_replaces_the_bundled_bank(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, two_banks: tuple[Path, Path]
) -> None:
    monkeypatch.setenv("CSDRILL_BANK", os.pathsep.join(str(p) for p in two_banks))
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    assert [row[0] for row in table_rows(result.stdout)] == BOTH_BANKS_IDS


def test_bank_option_replaces_the_bundled_bank_and_the_environment(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, two_banks: tuple[Path, Path]
) -> None:
    one, two = two_banks
    monkeypatch.setenv("CSDRILL_BANK", str(one))
    result = runner.invoke(app, ["list", "--bank", str(two)])
    assert result.exit_code == 0, result.output
    assert [row[0] for row in table_rows(result.stdout)] == ["bank-two", "beta", "gamma"]
    result = runner.invoke(app, ["list", "--bank", str(one), "--bank", str(two)])
    assert [row[0] for row in table_rows(result.stdout)] == BOTH_BANKS_IDS


def test_list_with_an_invalid_bank_prints_no_table(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, two_banks: tuple[Path, Path]
) -> None:
    # one good bank and one bad file: nothing of the good one is shown either
    monkeypatch.setenv("CSDRILL_BANK", os.pathsep.join([str(two_banks[0]), str(BAD / "wrong-kind.yaml")]))
    result = runner.invoke(app, ["list"])
    assert_clean_failure(result)
    assert "wrong-kind.yaml:6:11: sections[0].kind: " in result.stderr
    assert "bank-one" not in result.output


def test_list_does_not_create_a_history(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert not (Path(os.environ["CSDRILL_HOME"]) / "history.sqlite3").exists()


def _assert_every_id_unbroken(stdout: str) -> None:
    from cs_drill.bank.catalog import load_catalog

    for exam in load_catalog([bundled_bank()]).exams():
        for text in [exam.id] + [s.id for s in exam.sections]:
            assert re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", stdout), f"{text!r} is cut:\n{stdout}"


def test_list_never_cuts_ids_on_a_narrow_terminal(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    _assert_every_id_unbroken(result.stdout)


def test_list_shows_every_id_unbroken_at_100_columns(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    _assert_every_id_unbroken(result.stdout)


# --------------------------------------------------------------------------- schema


def test_schema_is_json_for_the_same_keys_as_the_loader(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["properties"]) == set(EXAM_KEYS)
    assert set(schema["required"]) == {"id", "title", "sections"}
    section = schema["properties"]["sections"]["items"]
    assert set(section["properties"]) == set(SECTION_KEYS)
    assert section["properties"]["kind"]["enum"] == [k.value for k in Kind]
    for rule in section["allOf"]:
        question = rule["then"]["properties"]["questions"]["items"]
        assert set(question["properties"]) <= set(QUESTION_KEYS)
        assert question["additionalProperties"] is False


def _bank_documents() -> list[Path]:
    return sorted(bundled_bank().glob("*.yaml")) + [GOOD / "all-kinds.yaml"]


@pytest.mark.parametrize("path", _bank_documents(), ids=lambda p: p.name)
def test_bank_files_validate_against_the_schema(runner: CliRunner, path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_schema_rejects_an_unknown_key(runner: CliRunner) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    data = yaml.safe_load((BAD / "unknown-keys.yaml").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))


# --------------------------------------------------------------------------- version and help


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"csdrill {__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", __version__)


def _command_names() -> list[str]:
    return [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]


def test_the_bank_commands_are_registered() -> None:
    assert {"validate", "list", "schema"} <= set(_command_names())


@pytest.mark.parametrize("name", _command_names())
def test_every_command_has_help(runner: CliRunner, name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: csdrill {name} ")
    summary = typer.main.get_command(app).commands[name].help  # type: ignore[attr-defined]
    assert summary
    assert summary.split()[0] in result.stdout
    short = runner.invoke(app, [name, "-h"])
    assert short.stdout == result.stdout


@pytest.mark.parametrize("name", ["list", "quiz", "review", "stats"])
def test_help_shows_no_python_types(runner: CliRunner, name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert "list[" not in result.stdout


def test_top_level_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in _command_names():
        assert re.search(rf"^\s+{name}\s", result.stdout, re.MULTILINE), name


def test_an_unknown_option_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--no-such-option"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- real processes


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR", "CSDRILL_BANK")}
    env["CSDRILL_HOME"] = str(home)
    return env


def test_python_m_cs_drill_list_through_a_pipe(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cs_drill", "list"],
        cwd=tmp_path,
        env=_env(tmp_path / "home"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    stdout = result.stdout.decode("utf-8")
    for exam_id in BUNDLED_EXAMS:
        assert exam_id in stdout
    assert "\x1b[" not in stdout  # no colour codes into a pipe
    assert result.stderr == b""


def test_python_m_cs_drill_validate_a_bad_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cs_drill", "validate", str(BAD / "alias-bomb.yaml")],
        cwd=tmp_path,
        env=_env(tmp_path / "home"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
    )
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    assert result.stdout == b""
    assert "Traceback" not in stderr
    assert stderr.splitlines() == [
        f"{BAD / 'alias-bomb.yaml'}:1:4: YAML anchors are not allowed (&a)",
        "csdrill: invalid bank: 1 problem in 1 file",
    ]
