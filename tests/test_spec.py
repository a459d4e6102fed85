"""One field table: the exam keys time_limit and pass_mark are validated, cached, in the schema and listed."""

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
