"""Fill-in questions (填空题), CONTRACT §1 and §2: the format, the loader, grading, the quiz, exams, sheets."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, write_bank
from cs_drill.bank import spec
from cs_drill.bank.catalog import load_catalog, open_catalog
from cs_drill.bank.model import Kind
from cs_drill.bank.schema import bank_schema
from cs_drill.bank.validate import load_data
from cs_drill.errors import BankError

FILL_IN = FIXTURES.resolve() / "good" / "fill-in.yaml"
VALIDATOR = jsonschema.Draft202012Validator(bank_schema())

HEAD = """\
id: exam
title: 试卷
sections:
  - id: blanks
    title: 填空题
    kind: fill-in
    questions:
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path, so that files written there are named relative to it."""
    monkeypatch.chdir(tmp_path)


def fill_in_bank(tmp_path: Path, questions: str) -> Path:
    return write_bank(tmp_path, "bank/x.yaml", HEAD + textwrap.indent(textwrap.dedent(questions), "      "))


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BankError) as info:
        load_catalog([path])
    return [str(p) for p in info.value.problems]


def schema_accepts(path: Path) -> bool:
    return bool(VALIDATOR.is_valid(yaml.safe_load(path.read_text(encoding="utf-8"))))


# --------------------------------------------------------------------------- the format


def test_blanks_are_three_underscores_or_empty_full_width_parentheses() -> None:
    prompt = "a__b___c（ ）d（）e（　）f( )g()h（x）i＿＿＿j"
    found = [prompt[s:e] for s, e in spec.blanks(prompt)]
    assert found == ["___", "（ ）", "（）", "（　）", "( )", "＿＿＿"]


def test_the_fixture_loads_with_its_blanks_and_alternatives() -> None:
    (exam,) = load_catalog([FILL_IN]).exams()
    assert [(s.id, s.kind) for s in exam.sections] == [("blanks", Kind.FILL_IN), ("choice", Kind.SINGLE)]
    questions = {q.id: q for q in load_catalog([FILL_IN]).select()}
    assert questions["reply-time"].blanks == (("30",),)
    assert questions["return-window"].blanks == (("签收", "收货"), ("3",))
    assert questions["service-terms"].blanks == (("Response",), ("態度",), ("闭环", "闭环服务"))
    assert questions["return-window"].key == "签收；3"
    assert questions["return-window"].options == ()
    assert schema_accepts(FILL_IN)


def test_the_cache_gives_the_blanks_back(tmp_path: Path) -> None:
    expected = load_catalog([FILL_IN]).select()
    for _ in range(2):  # built, then read back
        with open_catalog([FILL_IN], tmp_path / "cache") as catalog:
            assert catalog.select() == expected


def test_more_entries_than_blanks_is_an_error_at_the_answer(tmp_path: Path) -> None:
    path = fill_in_bank(
        tmp_path,
        """\
        - id: q
          prompt: 应在___小时内发货
          answer: [24, 48]
        """,
    )
    assert problems_of(path) == [
        os.path.join("bank", "x.yaml") + ":10:17: sections[0].questions[0].answer: "
        "the answer has 2 entries but the prompt has 1 blank (marked ___ or （ ）)"
    ]
    assert schema_accepts(path)  # a rule across fields: the validator's alone


def test_fewer_entries_than_blanks_and_a_prompt_without_blanks(tmp_path: Path) -> None:
    path = fill_in_bank(
        tmp_path,
        """\
        - id: two
          prompt: （ ）天内退货，（ ）天内换货
          answer:
            - 7
        - id: none
          prompt: 没有空的题目
          answer: [x]
        """,
    )
    assert problems_of(path) == [
        os.path.join("bank", "x.yaml") + ":11:11: sections[0].questions[0].answer: "
        "the answer has 1 entry but the prompt has 2 blanks (marked ___ or （ ）)",
        os.path.join("bank", "x.yaml") + ":14:17: sections[0].questions[1].answer: "
        "the answer has 1 entry but the prompt has 0 blanks (marked ___ or （ ）)",
    ]


def test_a_fill_in_question_without_an_answer_has_no_key(tmp_path: Path) -> None:
    path = fill_in_bank(
        tmp_path,
        """\
        - id: q
          prompt: 应在___小时内发货
        """,
    )
    assert problems_of(path) == [
        os.path.join("bank", "x.yaml") + ":8:9: sections[0].questions[0].answer: no key: fill it in "
        "(one entry per blank, in order, e.g. [24, 48]) and mark `answer_source: authored`, or leave the question out"
    ]
    assert not schema_accepts(path)


def test_bad_entries_and_alternatives_are_errors_at_their_place(tmp_path: Path) -> None:
    path = fill_in_bank(
        tmp_path,
        """\
        - id: text
          prompt: ___
          answer: 24
        - id: empty-list
          prompt: ___
          answer: [[]]
        - id: null-alternative
          prompt: ___、___
          answer: [[甲, ~], {a: b}]
        - id: options
          prompt: ___
          options: {A: 甲, B: 乙}
          answer: [甲]
        """,
    )
    name = os.path.join("bank", "x.yaml")
    assert problems_of(path) == [
        f"{name}:10:17: sections[0].questions[0].answer: "
        "must be a list with one entry per blank, in order, e.g. [24, 48], not the number 24",
        f"{name}:13:18: sections[0].questions[1].answer[0]: a list of accepted texts must not be empty",
        f"{name}:16:22: sections[0].questions[2].answer[0][1]: must not be empty",
        f"{name}:16:26: sections[0].questions[2].answer[1]: "
        "must be the text of the blank or a list of accepted texts, not a mapping",
        f"{name}:19:9: sections[0].questions[3].options: a fill-in question has no options",
    ]
    assert not schema_accepts(path)


def test_alternatives_numbers_and_both_markers_load(tmp_path: Path) -> None:
    path = fill_in_bank(
        tmp_path,
        """\
        - id: q
          prompt: "退款（）个工作日到账，运费险___元( )"
          answer: [[3, 三], 10, [yes]]
        """,
    )
    (question,) = load_catalog([path]).select()
    assert question.blanks == (("3", "三"), ("10",), ("yes",))
    assert schema_accepts(path)


def test_a_fill_in_answer_leaves_other_kinds_hashes_alone() -> None:
    """Only a fill-in question's blanks join its content hash: no other question's history sees an edit."""
    text = b"id: x\ntitle: t\nsections: [{id: s, title: t, kind: open, questions: [{id: q, prompt: p, answer: a}]}]\n"
    found, _ = load_data(text, "x.yaml")
    assert found is not None
    assert found.questions[0].content_hash == "f8c5fab3bc760ea6"  # as before fill-in questions
