"""One field table: the exam keys time_limit, pass_mark and level are validated, cached, in the schema and listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_bank
from cs_drill.bank import spec
from cs_drill.bank.catalog import load_catalog, open_catalog
from cs_drill.bank.model import Exam, Section
from cs_drill.bank.schema import bank_schema
from cs_drill.cli.app import build
from cs_drill.errors import BankError

LEVELED = """\
id: leveled
title: 新人测验
level: {level}
sections:
  - id: single-choice
    title: 单选题
    kind: single-choice
    questions:
      - {{id: q1, prompt: 一, options: {{A: 甲, B: 乙}}, answer: A}}
"""

TIMED = """\
id: timed
title: 限时测验
time_limit: {time_limit}
pass_mark: {pass_mark}
sections:
  - id: single-choice
    title: 单选题
    kind: single-choice
    points: 2
    questions:
      - {{id: q1, prompt: 一, options: {{A: 甲, B: 乙}}, answer: A}}
"""


def test_every_scalar_field_of_the_spec_is_a_field_of_its_record() -> None:
    assert set(spec.scalar_keys(spec.EXAM)) <= set(Exam._fields)
    assert set(spec.scalar_keys(spec.SECTION)) <= set(Section._fields)
    schema = bank_schema()
    assert list(schema["properties"]) == list(spec.keys(spec.EXAM))
    assert list(schema["properties"]["sections"]["items"]["properties"]) == list(spec.keys(spec.SECTION))


def test_time_limit_and_pass_mark_are_read_and_cached(tmp_path: Path) -> None:
    path = write_bank(tmp_path, "bank/timed.yaml", TIMED.format(time_limit=45, pass_mark=72.5))
    memory = load_catalog([path]).exams()
    with open_catalog([path], tmp_path / "cache") as cold:
        assert cold.exams() == memory
    with open_catalog([path], tmp_path / "cache") as warm:  # read back from the cache file
        (exam,) = warm.exams()
    assert (exam.time_limit, exam.pass_mark) == (45, 72.5)


@pytest.mark.parametrize(
    ("time_limit", "pass_mark", "message"),
    [
        (0, 60, "time_limit: must be a number of minutes (more than 0), not the number 0"),
        ("abc", 60, "time_limit: must be a number of minutes (more than 0), not the text 'abc'"),
        (45, 120, "pass_mark: must be a percentage from 0 to 100, not the number 120"),
        (45, "'60'", "pass_mark: must be a percentage from 0 to 100, not the text '60'"),
    ],
)
def test_bad_time_limits_and_pass_marks_are_errors(
    tmp_path: Path, time_limit: object, pass_mark: object, message: str
) -> None:
    path = write_bank(tmp_path, "timed.yaml", TIMED.format(time_limit=time_limit, pass_mark=pass_mark))
    with pytest.raises(BankError) as failed:
        load_catalog([path])
    assert [str(p).split(": ", 1)[1] for p in failed.value.problems] == [message]


def test_list_shows_the_time_limit_and_pass_mark(tmp_path: Path) -> None:
    path = write_bank(tmp_path, "timed.yaml", TIMED.format(time_limit=45, pass_mark=60))
    done = CliRunner().invoke(build(), ["list", "--bank", str(path)])
    assert done.exit_code == 0, done.output
    assert "限时测验 (45 min, pass 60%)" in done.output


@pytest.mark.parametrize(("level", "expected"), [("1", 1), ("3", 3), ("2.0", 2), ("12", 12), ("", None), ("~", None)])
def test_level_is_read_and_cached(tmp_path: Path, level: str, expected: int | None) -> None:
    path = write_bank(tmp_path, "bank/leveled.yaml", LEVELED.format(level=level))
    memory = load_catalog([path]).exams()
    with open_catalog([path], tmp_path / "cache") as cold:
        assert cold.exams() == memory
    with open_catalog([path], tmp_path / "cache") as warm:  # read back from the cache file
        (exam,) = warm.exams()
    assert exam.level == expected
    assert type(exam.level) is type(expected)


def test_an_exam_without_a_level_has_none(tmp_path: Path) -> None:
    path = write_bank(tmp_path, "plain.yaml", LEVELED.replace("level: {level}\n", "").format())
    with open_catalog([path], tmp_path / "cache") as catalog:
        (exam,) = catalog.exams()
    assert exam.level is None


LEVEL_RULE = "must be a level, a whole number from 1 (1 newcomer, 2 specialist, 3 manager)"


@pytest.mark.parametrize(
    ("level", "found"),
    [
        ("0", "the number 0"),
        ("-1", "the number -1"),
        ("1.5", "the number 1.5"),
        ("high", "the text 'high'"),
        ("'2'", "the text '2'"),
        ("true", "the boolean true"),
        ("[1]", "a list"),
    ],
)
def test_bad_levels_are_errors_with_file_line_and_column(tmp_path: Path, level: str, found: str) -> None:
    path = write_bank(tmp_path, "leveled.yaml", LEVELED.format(level=level))
    with pytest.raises(BankError) as failed:
        load_catalog([path])
    assert [str(p) for p in failed.value.problems] == [f"{path}:3:8: level: {LEVEL_RULE}, not {found}"]


def test_validate_reports_a_bad_level(tmp_path: Path) -> None:
    path = write_bank(tmp_path, "leveled.yaml", LEVELED.format(level="high"))
    done = CliRunner().invoke(build(), ["validate", str(path)])
    assert done.exit_code == 2
    assert f"{path}:3:8: level: {LEVEL_RULE}, not the text 'high'" in done.output


def test_the_level_is_in_the_schema() -> None:
    level = bank_schema()["properties"]["level"]
    assert level["type"] == ["integer", "null"]
    assert level["minimum"] == 1
    assert "newcomer" in level["description"]
