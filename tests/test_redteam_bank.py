"""Red-team findings on bank validation (issue 16: F1, F3, F4, F5, F19), each proved through its symptom."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cs_drill.cli.app import app

PROBLEM_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): \S")
FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def validate(runner: CliRunner, path: Path) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["validate", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.split("\n")[:-1]


def assert_problem_lines(lines: list[str], count: int | None = None) -> None:
    """Every line but the summary is one problem with file:line:col; no control character in any line."""
    assert lines[-1].startswith("csdrill: invalid bank: "), lines
    for line in lines:
        assert not FORBIDDEN.search(line), repr(line)
    for line in lines[:-1]:
        assert PROBLEM_LINE.match(line), repr(line)
    if count is not None:
        assert len(lines) - 1 == count, lines


# --------------------------------------------------------------------------- F3


HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\nfake.yaml:1:1: all good"


def test_f3_hostile_key_value_and_file_name_are_escaped(runner: CliRunner, tmp_path: Path) -> None:
    key = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    text = (
        "id: x\ntitle: t\n"
        f'"{key.encode("unicode_escape").decode()}": 1\n'
        "sections:\n"
        "  - id: s\n    title: s\n    kind: single-choice\n    questions:\n"
        '      - {id: q, prompt: p, options: {A: a, B: b}, answer: "\\e]8;;http://x\\e\\\\Z\\u2028\\r"}\n'
    )
    name = tmp_path / "b\x1b[31m\nfake.yaml:1:1: ok\u2028.yaml"
    name.write_text(text, encoding="utf-8")
    code, lines = validate(runner, name)
    assert code == 2
    assert_problem_lines(lines, 2)
    assert "\\x1b]0;PWNED\\x07\\x1b[2J\\nfake.yaml:1:1: all good" in lines[0]
    assert "\\x1b[31m\\nfake.yaml" in lines[0]


# --------------------------------------------------------------------------- F5

F5_BANK = (
    "id: x\ntitle: t\nsections:\n  - id: s\n    title: s\n    kind: open\n    questions:\n      - {id: q, prompt: p}\n"
)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b"])
def test_f5_a_control_character_is_reported_where_it_is(runner: CliRunner, tmp_path: Path, char: str) -> None:
    path = tmp_path / "b.yaml"
    before = "      - {id: q2, prompt: 甲乙"
    path.write_text(F5_BANK + before + char + "b}\n", encoding="utf-8")
    code, lines = validate(runner, path)
    assert code == 2
    assert_problem_lines(lines, 1)
    assert lines[0].startswith(f"{path}:9:{len(before) + 1}: "), lines


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\r"])
def test_f5_unicode_line_separators_and_lone_cr_do_not_shift_lines(runner: CliRunner, tmp_path: Path, sep: str) -> None:
    path = tmp_path / "b.yaml"
    text = f'id: x\ntitle: "中{sep}b"\n' + F5_BANK[len("id: x\ntitle: t\n") :].replace("id: q,", "id: Q,")
    path.write_bytes(text.encode("utf-8"))
    code, lines = validate(runner, path)
    assert code == 2
    assert_problem_lines(lines, 1)
    assert f"{path}:8:14: sections[0].questions[0].id" in lines[0]
    # on the line of the separator, the columns are an editor's too
    path.write_bytes(f'id: x\ntitle: "中{sep}b", x: y\n'.encode())
    code, lines = validate(runner, path)
    assert code == 2
    assert lines[0].startswith(f"{path}:2:13: "), lines  # the comma after the quoted title


# --------------------------------------------------------------------------- F1

BIG = "9" * 5000


def _one_section(kind: str, question: str) -> str:
    return (
        f"id: x\ntitle: t\nsections:\n  - id: s\n    title: s\n    kind: {kind}\n    questions:\n      - {question}\n"
    )


@pytest.mark.parametrize(
    ("kind", "question"),
    [
        ("single-choice", f"{{id: q, prompt: p, options: {{A: a, B: b}}, answer: {BIG}}}"),
        ("multi-choice", f"{{id: q, prompt: p, options: {{A: a, B: b}}, answer: [{BIG}]}}"),
        ("true-false", f"{{id: q, prompt: p, answer: {BIG}}}"),
        ("open", f"{{id: {BIG}, prompt: p}}"),
    ],
)
def test_f1_a_huge_number_anywhere_is_a_problem_at_its_place(
    runner: CliRunner, tmp_path: Path, kind: str, question: str
) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(_one_section(kind, question), encoding="utf-8")
    code, lines = validate(runner, path)
    assert code == 2, lines
    assert_problem_lines(lines, 1)
    col = len("      - ") + question.index(BIG) + 1
    assert lines[0].startswith(f"{path}:8:{col}: "), lines[0][:200]


def test_f1_a_huge_number_as_text_is_taken_as_text(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    question = f"{{id: q, prompt: {BIG}, answer: {BIG}, tags: [{BIG}], key_points: [{BIG}], note: {BIG}}}"
    path.write_text(_one_section("open", question), encoding="utf-8")
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    path.write_text(_one_section("single-choice", f"{{id: q, prompt: p, options: {{A: {BIG}, B: b}}, answer: A}}"))
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0


# --------------------------------------------------------------------------- F4


@pytest.mark.parametrize(
    ("title", "col"),
    [
        ("!!null X", 8),
        ("!!int abc", 8),
        ("!!float yes", 8),
        ("!!bool maybe", 8),
        ('!!int "1x"', 8),
        ("!!null", 8),
        ("!!null ~", 8),
        ('!!null ""', 8),
    ],
)
def test_f4_a_standard_tag_on_a_value_it_does_not_fit_is_a_problem(
    runner: CliRunner, tmp_path: Path, title: str, col: int
) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(_one_section("open", "{id: q, prompt: p}").replace("title: t", f"title: {title}", 1))
    code, lines = validate(runner, path)
    assert code == 2, lines
    assert_problem_lines(lines, 1)
    assert lines[0].startswith(f"{path}:2:{col}: "), lines


@pytest.mark.parametrize("title", ["!!str 3", "!!int 3", "!!bool yes", "!!float 1.5", "!!float 2", '!!str "x"'])
def test_f4_a_standard_tag_that_fits_is_read(runner: CliRunner, tmp_path: Path, title: str) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(_one_section("open", "{id: q, prompt: p}").replace("title: t", f"title: {title}", 1))
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0


def test_f4_a_tagged_answer_is_read_by_its_tag(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(_one_section("true-false", "{id: q, prompt: p, answer: !!bool yes}"))
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    path.write_text(_one_section("true-false", "{id: q, prompt: p, answer: !!int abc}"))
    code, lines = validate(runner, path)
    assert code == 2
    assert_problem_lines(lines, 1)
    assert lines[0].startswith(f"{path}:8:36: "), lines


def test_f4_an_empty_answer_source_is_a_problem(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(_one_section("open", '{id: q, prompt: p, answer_source: ""}'))
    code, lines = validate(runner, path)
    assert code == 2
    assert_problem_lines(lines, 1)
    assert lines[0].startswith(f"{path}:8:43: sections[0].questions[0].answer_source: "), lines


def test_f4_an_id_with_control_or_format_characters_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    for qid in ["\\e[8mq1\\e[0m", "q\\u200b1", "q\\u202e1", "\\tq1"]:
        path.write_text(_one_section("open", f'{{id: "{qid}", prompt: p}}'))
        code, lines = validate(runner, path)
        assert code == 2, qid
        assert_problem_lines(lines, 1)
        assert lines[0].startswith(f"{path}:8:14: sections[0].questions[0].id: "), lines


# --------------------------------------------------------------------------- F19


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test twice: with the loader the code chooses, and with PyYAML's pure-Python fallback."""
    import yaml

    from cs_drill.bank import yamlnodes

    if request.param == "pure-python":
        monkeypatch.setattr(yamlnodes, "_loader_class", lambda: yaml.SafeLoader)
    return str(request.param)


@pytest.mark.parametrize("escape", ["\\U00110000", "\\ud800", "a\\udfffb", "\\UFFFFFFFF"])
def test_f19_an_invalid_unicode_escape_is_a_problem_at_its_place(
    runner: CliRunner, tmp_path: Path, loader: str, escape: str
) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(_one_section("open", "{id: q, prompt: p}").replace("title: t", f'title: "{escape}"', 1))
    code, lines = validate(runner, path)
    assert code == 2, lines
    assert_problem_lines(lines, 1)
    assert lines[0].startswith(f"{path}:2:"), lines


# --------------------------------------------------------------------------- F2, F4: numbers and words YAML 1.1 reads


def _points(value: str) -> str:
    return _one_section("open", "{id: q, prompt: p}").replace(
        "    kind: open\n", f"    kind: open\n    points: {value}\n"
    )


@pytest.mark.parametrize("value", ["9223372036854775808", "1.0e999", "-1", ".inf"])
def test_f2_f4_points_that_no_exam_can_score_are_a_problem_at_their_place(
    runner: CliRunner, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(_points(value), encoding="utf-8")
    code, lines = validate(runner, path)
    assert code == 2, lines
    assert_problem_lines(lines, 1)
    assert lines[0].startswith(f"{path}:7:13: sections[0].points: "), lines


def test_f4_010_is_the_number_8_as_pyyaml_reads_yaml_1_1(runner: CliRunner, tmp_path: Path) -> None:
    from cs_drill.bank.validate import load_data

    exam_file, problems = load_data(_points("010").encode(), "b.yaml")
    assert problems == []
    assert exam_file is not None
    assert exam_file.exam.sections[0].points == 8


@pytest.mark.parametrize("word", ["tRUE", "oN", "Yes please", "1.0"])
def test_f4_only_pyyaml_s_own_booleans_are_true_or_false(runner: CliRunner, tmp_path: Path, word: str) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(_one_section("true-false", f"{{id: q, prompt: p, answer: {word}}}"), encoding="utf-8")
    code, lines = validate(runner, path)
    assert code == 2, lines
    assert_problem_lines(lines, 1)
    assert "must be true or false" in lines[0]
