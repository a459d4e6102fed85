"""The bank loader, rule by rule (CONTRACT.md §1).

Each test writes or picks a bank file, loads it and checks what a bank author would
read: the file, the line and column, the path to the node and the message.
"""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from conftest import CONTRACT_EXAMPLE, CONTRACT_EXAMPLE_LINE, FIXTURES, write_bank
from cs_drill.bank.catalog import load_catalog
from cs_drill.bank.model import ExamFile, KeyPoint, Kind, Question
from cs_drill.bank.validate import load_file
from cs_drill.errors import BankError, Problem

BAD = FIXTURES.resolve() / "bad"
GOOD = FIXTURES.resolve() / "good"

HEAD = """\
id: exam
title: 试卷
sections:
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path, so that files written there are named relative to it."""
    monkeypatch.chdir(tmp_path)


def problems(*paths: Path) -> list[Problem]:
    with pytest.raises(BankError) as info:
        load_catalog(list(paths))
    assert info.value.problems, "a BankError must carry its problems"
    return info.value.problems


def the_problem(path: Path) -> Problem:
    found = problems(path)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def where(found: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.path) for p in found]


def bank(tmp_path: Path, sections: str, name: str = "exam.yaml") -> Path:
    """An exam file with the standard head and the given sections, as items indented by 2."""
    return write_bank(tmp_path, name, HEAD + textwrap.indent(textwrap.dedent(sections), "  "))


def single_choice(options: str, answer: str = "A") -> str:
    return f"""\
      - id: s
        title: 单选
        kind: single-choice
        questions:
          - id: q
            prompt: 问题
            options: {options}
            answer: {answer}
    """


# --------------------------------------------------------------------------- YAML syntax


def test_unclosed_quote_is_a_syntax_error_that_names_the_opening_quote() -> None:
    p = the_problem(BAD / "syntax-unclosed-quote.yaml")
    assert p.file == str(BAD / "syntax-unclosed-quote.yaml")
    assert (p.line, p.column, p.path) == (4, 1, "")
    assert p.message.startswith("YAML syntax error: found unexpected end of stream")
    assert "line 2, column 8" in p.message  # where the unclosed quote starts


def test_bad_indentation_is_a_syntax_error_at_the_misplaced_key() -> None:
    p = the_problem(BAD / "syntax-bad-indent.yaml")
    assert (p.line, p.column) == (6, 10)
    assert p.message.startswith("YAML syntax error: ")


def test_a_top_level_list_is_not_an_exam() -> None:
    p = the_problem(BAD / "top-level-list.yaml")
    assert (p.line, p.column, p.path) == (1, 1, "")
    assert p.message == "must be a mapping (an exam with id, title and sections), not a list"


@pytest.mark.parametrize("name", ["empty.yaml", "only-comments.yaml"])
def test_an_empty_file_is_an_error(name: str) -> None:
    p = the_problem(BAD / name)
    assert (p.line, p.column) == (1, 1)
    assert p.message.startswith("the file is empty")


def test_a_second_yaml_document_is_refused_at_its_separator() -> None:
    p = the_problem(BAD / "second-document.yaml")
    assert (p.line, p.column) == (10, 1)
    assert "one YAML document" in p.message


# --------------------------------------------------------------------------- encodings


def test_gbk_encoded_file_is_refused_at_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("id: gbk\ntitle: 客服面试\nsections: []\n".encode("gbk"))
    p = the_problem(path)
    assert (p.file, p.line, p.column) == ("gbk.yaml", 2, 8)
    assert "not valid UTF-8" in p.message
    assert "save it as UTF-8" in p.message


def test_utf16_file_with_bom_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes("id: utf16\ntitle: 客服\n".encode("utf-16"))
    p = the_problem(path)
    assert (p.file, p.line, p.column) == ("utf16.yaml", 1, 1)
    assert "UTF-16" in p.message


def test_utf16_file_without_bom_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "utf16le.yaml"
    path.write_bytes("id: utf16\ntitle: 客服\n".encode("utf-16-le"))
    p = the_problem(path)
    assert (p.file, p.line) == ("utf16le.yaml", 2)
    assert "not valid UTF-8" in p.message


def test_utf8_with_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    text = HEAD + "  - {id: s, title: 开放, kind: open, questions: [{id: q, prompt: 你好}]}\n"
    path.write_bytes(text.encode("utf-8-sig"))
    assert load_catalog([path]).exams()[0].id == "exam"


# --------------------------------------------------------------------------- keys


def test_unknown_keys_are_reported_with_a_suggestion_where_one_is_close() -> None:
    found = problems(BAD / "unknown-keys.yaml")
    unknown = {(p.line, p.column, p.path, p.message) for p in found if "unknown key" in p.message}
    assert unknown == {
        (2, 1, "titel", "unknown key 'titel' (did you mean 'title'?)"),
        (9, 9, "sections[0].questions[0].promt", "unknown key 'promt' (did you mean 'prompt'?)"),
        (13, 9, "sections[0].questions[0].answr", "unknown key 'answr' (did you mean 'answer'?)"),
        (
            14,
            9,
            "sections[0].questions[0].colour",
            "unknown key 'colour' (allowed: id, prompt, options, answer, key_points, "
            "explanation, answer_source, note, points, tags)",
        ),
    }
    # the misspelt keys do not count as the keys they resemble
    missing = {p.path for p in found if p.message.startswith(("required key is missing", "no key"))}
    assert missing == {
        "title",
        "sections[0].questions[0].prompt",
        "sections[0].questions[0].answer",
    }


def test_unknown_key_in_a_key_point(tmp_path: Path) -> None:
    path = bank(
        tmp_path,
        """\
          - id: s
            title: 开放
            kind: open
            questions:
              - id: q
                prompt: 你好
                key_points:
                  - pont: 情绪管理
        """,
    )
    found = problems(path)
    assert (
        "sections[0].questions[0].key_points[0].pont",
        "unknown key 'pont' (did you mean 'point'?)",
    ) in {(p.path, p.message) for p in found}


def test_missing_required_keys_are_each_reported_where_they_belong() -> None:
    found = problems(BAD / "missing-keys.yaml")
    assert [(p.line, p.column, p.path, p.message.split(":")[0]) for p in found] == [
        (1, 1, "id", "required key is missing"),
        (3, 5, "sections[0].id", "required key is missing"),
        (6, 9, "sections[0].questions[0].id", "required key is missing"),
        (6, 9, "sections[0].questions[0].options", "required for a single-choice question"),
        (6, 9, "sections[0].questions[0].answer", "no key"),
        (11, 9, "sections[1].questions[0].prompt", "required key is missing"),
        (11, 9, "sections[1].questions[0].answer", "no key"),
        (19, 9, "sections[2].questions[0].answer", "no key"),
    ]


def test_a_question_without_its_key_says_how_to_settle_it() -> None:
    """CONTRACT §1: a choice or true-false question without an answer says what to do."""
    found = problems(BAD / "missing-keys.yaml")
    answers = [p.message for p in found if p.path.endswith(".answer")]
    assert answers
    for message in answers:
        assert message.startswith("no key: fill it in (")
        assert message.endswith("and mark `answer_source: authored`, or leave the question out")


def test_missing_title_sections_kind_and_questions(tmp_path: Path) -> None:
    path = write_bank(
        tmp_path,
        "exam.yaml",
        """\
        id: exam
        description: 没有标题也没有部分
        """,
    )
    assert {(p.path, p.message) for p in problems(path)} == {
        ("title", "required key is missing"),
        ("sections", "required key is missing"),
    }
    path = bank(tmp_path, "  - id: s\n")
    assert {p.path for p in problems(path)} == {
        "sections[0].title",
        "sections[0].kind",
        "sections[0].questions",
    }


@pytest.mark.parametrize("field", ["title", "prompt"])
def test_required_text_must_not_be_empty(tmp_path: Path, field: str) -> None:
    title = '""' if field == "title" else "开放"
    prompt = '"  "' if field == "prompt" else "你好"
    path = bank(
        tmp_path,
        f"""\
          - id: s
            title: {title}
            kind: open
            questions:
              - id: q
                prompt: {prompt}
        """,
    )
    p = the_problem(path)
    assert p.path.endswith(field)
    assert p.message == "must not be empty"


def test_duplicate_mapping_keys_are_errors(tmp_path: Path) -> None:
    path = write_bank(
        tmp_path,
        "exam.yaml",
        """\
        id: exam
        title: 试卷
        id: other
        sections:
          - id: s
            title: 开放
            kind: open
            questions:
              - id: q
                prompt: 第一
                prompt: 第二
        """,
    )
    found = problems(path)
    assert [(p.line, p.column, p.path, p.message) for p in found] == [
        (3, 1, "id", "duplicate key"),
        (11, 9, "sections[0].questions[0].prompt", "duplicate key"),
    ]


# --------------------------------------------------------------------------- kinds, options, answers


def test_wrong_kind_with_a_suggestion() -> None:
    p = the_problem(BAD / "wrong-kind.yaml")
    assert (p.line, p.column, p.path) == (6, 11, "sections[0].kind")
    assert p.message == (
        "'single_choice' is not a kind: use one of single-choice, multi-choice, true-false, fill-in, open "
        "(did you mean 'single-choice'?)"
    )


def test_wrong_kind_without_a_suggestion(tmp_path: Path) -> None:
    path = bank(
        tmp_path,
        """\
          - id: s
            title: 论述
            kind: essay
            questions:
              - id: q
                prompt: 你好
        """,
    )
    p = the_problem(path)
    assert p.path == "sections[0].kind"
    assert "'essay' is not a kind" in p.message
    assert "did you mean" not in p.message


def test_single_choice_answer_not_among_the_options() -> None:
    p = the_problem(BAD / "answer-not-in-options.yaml")
    assert (p.line, p.column, p.path) == (15, 17, "sections[0].questions[0].answer")
    assert p.message == "'E' is not one of the options A, B, C, D"


def test_single_choice_answer_must_be_one_letter(tmp_path: Path) -> None:
    p = the_problem(bank(tmp_path, single_choice("{A: 甲, B: 乙}", "[A]")))
    assert p.path == "sections[0].questions[0].answer"
    assert p.message == "must be one letter (A or B), not a list"


def test_options_must_be_lettered_in_order(tmp_path: Path) -> None:
    path = bank(tmp_path, single_choice("{A: 甲, C: 丙, B: 乙}"))
    found = problems(path)
    assert [(p.path, p.message) for p in found] == [
        (
            "sections[0].questions[0].options.C",
            "option 2 must be labelled 'B', not 'C' (letters A, B, C… in order)",
        ),
        (
            "sections[0].questions[0].options.B",
            "option 3 must be labelled 'C', not 'B' (letters A, B, C… in order)",
        ),
    ]
    assert [p.line for p in found] == [10, 10]


def test_lowercase_option_letters_are_refused(tmp_path: Path) -> None:
    found = problems(bank(tmp_path, single_choice("{a: 甲, b: 乙}", "a")))
    assert any("option 1 must be labelled 'A', not 'a'" in p.message for p in found)


@pytest.mark.parametrize("options", ["{A: 甲}", "{}"])
def test_fewer_than_two_options(tmp_path: Path, options: str) -> None:
    # one problem: the options; no second, confusing one about the answer
    p = the_problem(bank(tmp_path, single_choice(options)))
    assert p.path == "sections[0].questions[0].options"
    assert p.message == "a choice question needs at least 2 options"


def test_empty_option_text_is_refused(tmp_path: Path) -> None:
    p = the_problem(bank(tmp_path, single_choice("{A: 甲, B: ''}")))
    assert (p.path, p.message) == (
        "sections[0].questions[0].options.B",
        "option text must be non-empty text",
    )


@pytest.mark.parametrize(("kind", "answer"), [("true-false", "true"), ("open", "好")])
def test_options_on_a_question_without_options(tmp_path: Path, kind: str, answer: str) -> None:
    path = bank(
        tmp_path,
        f"""\
          - id: s
            title: 题
            kind: {kind}
            questions:
              - id: q
                prompt: 你好
                options: {{A: 对, B: 错}}
                answer: {answer}
        """,
    )
    p = the_problem(path)
    assert (p.line, p.column, p.path) == (10, 9, "sections[0].questions[0].options")
    assert p.message == f"a {kind} question has no options"


def test_malformed_multi_choice_answers() -> None:
    found = problems(BAD / "multi-answer-malformed.yaml")
    assert [(p.line, p.column, p.path, p.message) for p in found] == [
        (
            11,
            17,
            "sections[0].questions[0].answer",
            "must be a non-empty list of letters, e.g. [A, C], not the text 'AC'",
        ),
        (
            15,
            17,
            "sections[0].questions[1].answer",
            "must be a non-empty list of letters, e.g. [A, C], not an empty list",
        ),
        (19, 24, "sections[0].questions[2].answer[2]", "'A' is listed twice"),
        (23, 21, "sections[0].questions[3].answer[1]", "'D' is not one of the options A, B, C"),
    ]


@pytest.mark.parametrize(
    ("answer", "described"),
    [
        ("maybe", "the text 'maybe'"),
        ("1", "the number 1"),
        ('"true"', "the text 'true'"),
        ("", "empty"),
    ],
)
def test_true_false_answer_must_be_a_boolean(tmp_path: Path, answer: str, described: str) -> None:
    path = bank(
        tmp_path,
        f"""\
          - id: s
            title: 判断
            kind: true-false
            questions:
              - id: q
                prompt: 客户永远是对的。
                answer: {answer}
        """,
    )
    p = the_problem(path)
    assert p.path == "sections[0].questions[0].answer"
    assert p.message == f"must be true or false, not {described}"


def test_answer_source_must_be_source_or_authored(tmp_path: Path) -> None:
    path = bank(
        tmp_path,
        """\
          - id: s
            title: 开放
            kind: open
            questions:
              - id: q
                prompt: 你好
                answer_source: invented
        """,
    )
    p = the_problem(path)
    assert (p.path, p.message) == (
        "sections[0].questions[0].answer_source",
        "'invented' must be 'source' or 'authored'",
    )


# --------------------------------------------------------------------------- ids


def test_duplicate_question_ids_across_sections_and_duplicate_section_ids() -> None:
    found = problems(BAD / "duplicate-ids.yaml")
    assert [(p.line, p.column, p.path, p.message) for p in found] == [
        (
            14,
            13,
            "sections[1].questions[0].id",
            "duplicate question id 'greeting' in this exam (first used at line 8)",
        ),
        (16, 9, "sections[2].id", "duplicate section id 'first' (first used at line 4)"),
    ]


def test_the_same_question_id_in_two_exams_is_fine(tmp_path: Path) -> None:
    one = "  - {id: s, title: 开放, kind: open, questions: [{id: q, prompt: 你好}]}\n"
    a = write_bank(tmp_path, "a.yaml", HEAD.replace("id: exam", "id: exam-a") + one)
    b = write_bank(tmp_path, "b.yaml", HEAD.replace("id: exam", "id: exam-b") + one)
    loaded = load_catalog([a, b])
    assert [q.uid for q in loaded.select()] == ["exam-a/q", "exam-b/q"]


def test_duplicate_exam_ids_across_files_name_both_files(tmp_path: Path) -> None:
    one = "  - {id: s, title: 开放, kind: open, questions: [{id: q, prompt: 你好}]}\n"
    write_bank(tmp_path, "first.yaml", HEAD + one)
    write_bank(tmp_path, "second.yaml", "# a copy\n" + HEAD + one)
    p = the_problem(tmp_path)
    assert (p.file, p.line, p.path) == ("second.yaml", 2, "id")
    assert p.message == "duplicate exam id 'exam' (also in first.yaml)"


@pytest.mark.parametrize("bad_id", ["Bad_ID", "-leading-dash", "has space", "客服", "trailing_"])
def test_invalid_exam_id(tmp_path: Path, bad_id: str) -> None:
    path = write_bank(
        tmp_path,
        "exam.yaml",
        HEAD.replace("id: exam", f"id: '{bad_id}'")
        + "  - {id: s, title: 开放, kind: open, questions: [{id: q, prompt: 你好}]}\n",
    )
    p = the_problem(path)
    assert (p.line, p.column, p.path) == (1, 5, "id")
    assert p.message.startswith(f"'{bad_id}' is not a valid id")


def test_invalid_section_and_question_ids(tmp_path: Path) -> None:
    path = bank(
        tmp_path,
        """\
          - id: Scenario
            title: 情景
            kind: open
            questions:
              - id: q_1
                prompt: 你好
        """,
    )
    found = problems(path)
    assert [(p.line, p.path) for p in found] == [
        (4, "sections[0].id"),
        (8, "sections[0].questions[0].id"),
    ]
    assert all("is not a valid id" in p.message for p in found)


# --------------------------------------------------------------------------- other fields


@pytest.mark.parametrize("tag", ["en_US", "中文", "zh-", "x"])
def test_bad_language_tag(tmp_path: Path, tag: str) -> None:
    path = write_bank(
        tmp_path,
        "exam.yaml",
        f"id: exam\ntitle: 试卷\nlanguage: '{tag}'\nsections:\n"
        "  - {id: s, title: 开放, kind: open, questions: [{id: q, prompt: 你好}]}\n",
    )
    p = the_problem(path)
    assert (p.line, p.column, p.path) == (3, 11, "language")
    assert "is not a BCP 47 language tag" in p.message


@pytest.mark.parametrize("tag", ["en", "zh-Hant-TW", "zh-Hans"])
def test_good_language_tags(tmp_path: Path, tag: str) -> None:
    path = write_bank(
        tmp_path,
        "exam.yaml",
        f"id: exam\ntitle: 试卷\nlanguage: {tag}\nsections:\n"
        "  - {id: s, title: 开放, kind: open, questions: [{id: q, prompt: 你好}]}\n",
    )
    assert load_catalog([path]).exams()[0].language == tag


def test_negative_points_in_section_and_question(tmp_path: Path) -> None:
    path = bank(
        tmp_path,
        """\
          - id: s
            title: 开放
            kind: open
            points: -3
            questions:
              - id: q
                prompt: 你好
                points: -1
              - id: r
                prompt: 你好
                points: many
        """,
    )
    found = problems(path)
    assert [(p.line, p.column, p.path, p.message) for p in found] == [
        (7, 13, "sections[0].points", "must be a number of points (0 or more), not the number -3"),
        (
            11,
            17,
            "sections[0].questions[0].points",
            "must be a number of points (0 or more), not the number -1",
        ),
        (
            14,
            17,
            "sections[0].questions[1].points",
            "must be a number of points (0 or more), not the text 'many'",
        ),
    ]


def test_tags_must_be_a_list_of_text(tmp_path: Path) -> None:
    path = bank(
        tmp_path,
        """\
          - id: s
            title: 开放
            kind: open
            questions:
              - id: q
                prompt: 你好
                tags: 物流
              - id: r
                prompt: 你好
                tags: [物流, {a: b}]
        """,
    )
    found = problems(path)
    assert [(p.path, p.message) for p in found] == [
        (
            "sections[0].questions[0].tags",
            "must be a list of tags, e.g. [物流, 投诉], not the text '物流'",
        ),
        ("sections[0].questions[1].tags[1]", "a tag must be text, not a mapping"),
    ]


def test_key_points_in_both_spellings_are_accepted_and_a_missing_point_is_not(
    tmp_path: Path,
) -> None:
    good = bank(
        tmp_path,
        """\
          - id: s
            title: 开放
            kind: open
            questions:
              - id: q
                prompt: 你好
                key_points:
                  - 闭环服务
                  - point: 情绪管理
                    detail: 先共情
                  - {point: 及时跟进}
        """,
    )
    (question,) = load_catalog([good]).select()
    assert question.key_points == (
        KeyPoint("闭环服务"),
        KeyPoint("情绪管理", "先共情"),
        KeyPoint("及时跟进"),
    )

    bad = bank(
        tmp_path,
        """\
          - id: s
            title: 开放
            kind: open
            questions:
              - id: q
                prompt: 你好
                key_points:
                  - 闭环服务
                  - detail: 只有细节
                  - ""
        """,
        name="bad.yaml",
    )
    found = problems(bad)
    assert [(p.line, p.path, p.message) for p in found] == [
        (12, "sections[0].questions[0].key_points[1].point", "required key is missing"),
        (13, "sections[0].questions[0].key_points[2]", "a key point must not be empty"),
    ]


# --------------------------------------------------------------------------- anchors, aliases, tags


def test_alias_bomb_is_rejected_fast_at_the_first_anchor() -> None:
    start = time.perf_counter()
    p = the_problem(BAD / "alias-bomb.yaml")
    elapsed = time.perf_counter() - start
    assert (p.line, p.column) == (1, 4)
    assert p.message == "YAML anchors are not allowed (&a)"
    assert elapsed < 5, f"took {elapsed:.1f}s: the aliases were expanded"


def test_an_alias_is_rejected_even_without_an_anchor_in_the_file(tmp_path: Path) -> None:
    path = write_bank(tmp_path, "exam.yaml", "id: exam\ntitle: *name\n")
    p = the_problem(path)
    assert (p.line, p.column) == (2, 8)
    assert p.message == "YAML aliases are not allowed (*name)"


def test_python_object_tag_is_rejected_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = write_bank(
        tmp_path,
        "exam.yaml",
        f"""\
        id: exam
        title: !!python/object/apply:os.system ["echo pwned > {marker}"]
        description: !!python/object/apply:builtins.open ["{marker}", "w"]
        sections: []
        """,
    )
    p = the_problem(path)
    assert (p.line, p.column) == (2, 8)
    assert p.message == "YAML tag !!python/object/apply:os.system is not allowed"
    assert not marker.exists()


def test_python_tag_fixture_is_rejected() -> None:
    p = the_problem(BAD / "python-tag.yaml")
    assert (p.line, p.column) == (2, 8)
    assert "!!python/object/apply:os.system is not allowed" in p.message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!python/object:collections.OrderedDict {}", "!!python/object:collections.OrderedDict"),
        ("!foo bar", "!foo"),
        ("!foo {a: 1}", "!foo"),
        ("!foo [1, 2]", "!foo"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!timestamp 2001-12-14", "!!timestamp"),
        ("!!set {a, b}", "!!set"),
        ("!<tag:example.com,2000:app/foo> bar", "tag:example.com,2000:app/foo"),
    ],
)
def test_non_standard_tags_are_rejected(tmp_path: Path, value: str, shown: str) -> None:
    path = write_bank(tmp_path, "exam.yaml", f"id: exam\ntitle: {value}\n")
    p = the_problem(path)
    assert (p.line, p.column) == (2, 8)
    assert p.message == f"YAML tag {shown} is not allowed"


def test_standard_scalar_tags_are_accepted(tmp_path: Path) -> None:
    path = bank(
        tmp_path,
        """\
          - id: s
            title: !!str 2024
            kind: open
            points: !!int "3"
            questions:
              - id: q
                prompt: ! 你好
        """,
    )
    catalog = load_catalog([path])
    exam = catalog.exams()[0]
    assert exam.sections[0].title == "2024"
    assert exam.sections[0].points == 3
    assert catalog.select(exam.id, exam.sections[0].id)[0].prompt == "你好"


# --------------------------------------------------------------------------- literal text


def test_escape_sequences_in_bank_text_are_removed(tmp_path: Path) -> None:
    path = bank(
        tmp_path,
        r"""
          - id: s
            title: "标题\e]0;pwned\a"
            kind: single-choice
            questions:
              - id: q
                prompt: "red \e[31mALERT\e[0m done\b\x9b2J"
                options:
                  A: "\e[1m甲"
                  B: 乙
                answer: A
        """.lstrip("\n"),
    )
    catalog = load_catalog([path])
    exam = catalog.exams()[0]
    (question,) = catalog.select(exam=exam.id)
    assert question.prompt == "red ALERT done"
    assert question.options == (("A", "甲"), ("B", "乙"))
    assert exam.sections[0].title == "标题"


def test_markup_in_bank_text_is_kept_literally(tmp_path: Path) -> None:
    path = bank(
        tmp_path,
        '  - {id: s, title: "[bold]x[/]", kind: open, questions: [{id: q, prompt: "<b>hi</b>"}]}\n',
    )
    catalog = load_catalog([path])
    exam = catalog.exams()[0]
    assert exam.sections[0].title == "[bold]x[/]"
    assert catalog.select(exam=exam.id)[0].prompt == "<b>hi</b>"


# --------------------------------------------------------------------------- reporting


def test_every_problem_of_every_file_in_one_run_sorted_by_line(tmp_path: Path) -> None:
    first = write_bank(
        tmp_path,
        "first.yaml",
        """\
        id: First
        titel: 第一
        sections:
          - id: s
            title: 单选
            kind: single-choice
            questions:
              - id: q
                prompt: 问题
                options: {A: 甲, B: 乙}
                answer: C
        """,
    )
    second = write_bank(
        tmp_path,
        "second.yaml",
        """\
        id: second
        title: 第二
        sections:
          - id: s
            title: 判断
            kind: true-false
            questions:
              - id: q
                prompt: 问题
                answer: maybe
              - id: q
                promt: 问题
                answer: true
        """,
    )
    found = problems(first, second)
    assert [(p.file, p.line, p.column, p.path) for p in found] == [
        ("first.yaml", 1, 1, "title"),
        ("first.yaml", 1, 5, "id"),
        ("first.yaml", 2, 1, "titel"),
        ("first.yaml", 11, 17, "sections[0].questions[0].answer"),
        ("second.yaml", 10, 17, "sections[0].questions[0].answer"),
        ("second.yaml", 11, 9, "sections[0].questions[1].prompt"),
        ("second.yaml", 11, 13, "sections[0].questions[1].id"),
        ("second.yaml", 12, 9, "sections[0].questions[1].promt"),
    ]
    # the same, file by file
    assert found == load_file(first, "first.yaml")[1] + load_file(second, "second.yaml")[1]


def test_problems_of_a_good_and_a_bad_file_mean_no_bank(tmp_path: Path) -> None:
    bad = write_bank(tmp_path, "bad.yaml", "id: bad\n")
    found = problems(GOOD / "all-kinds.yaml", bad)
    assert {p.file for p in found} == {"bad.yaml"}


def test_error_line_format_is_the_contracts_example(tmp_path: Path) -> None:
    write_bank(tmp_path, "bank/x.yaml", CONTRACT_EXAMPLE)
    p = the_problem(Path("bank"))
    assert str(p) == CONTRACT_EXAMPLE_LINE


def test_a_problem_without_a_path_has_no_empty_path_field() -> None:
    assert str(Problem("x.yaml", 1, 1, "", "the file is empty")) == "x.yaml:1:1: the file is empty"


# --------------------------------------------------------------------------- a valid bank


@pytest.fixture
def all_kinds() -> ExamFile:
    loaded, found = load_file(GOOD / "all-kinds.yaml")
    assert found == []
    assert loaded is not None
    return loaded


def section_questions(loaded: ExamFile, index: int) -> list[Question]:
    """The questions of the exam's section number ``index``, in source order."""
    section_id = loaded.exam.sections[index].id
    return [q for q in loaded.questions if q.section_id == section_id]


def test_valid_exam_fields(all_kinds: ExamFile) -> None:
    exam = all_kinds.exam
    assert exam.id == "all-kinds"
    assert exam.title == "四种题型的示例试卷"
    assert exam.language == "zh-Hans"
    assert exam.source == "example.txt"
    assert exam.description == "测试用的完整题库"
    assert [(s.id, s.kind, s.points, s.question_count) for s in exam.sections] == [
        ("single", Kind.SINGLE, 2, 2),
        ("multi", Kind.MULTI, 3, 1),
        ("judge", Kind.TRUE_FALSE, None, 2),
        ("open", Kind.OPEN, 10, 2),
    ]
    assert exam.sections[0].instructions == "每题只有一个正确答案"
    assert exam.sections[1].instructions is None
    assert [len(section_questions(all_kinds, i)) for i in range(4)] == [2, 1, 2, 2]


def test_valid_single_choice(all_kinds: ExamFile) -> None:
    first, heavier = section_questions(all_kinds, 0)
    assert first.uid == "all-kinds/first-response"
    assert first.section_id == "single"
    assert first.kind is Kind.SINGLE
    assert first.options == (
        ("A", "立即道歉并安抚客户情绪"),
        ("B", "告诉客户这不是我们的责任"),
        ("C", "让客户自己联系快递公司"),
    )
    assert first.correct == ("B",)
    assert first.truth is None
    assert first.model_answer is None
    assert first.explanation == "仅作测试"
    assert first.authored
    assert first.tags == ("物流", "投诉")
    assert first.points == 2  # from the section
    assert heavier.points == 5  # its own
    assert not heavier.authored
    assert heavier.tags == ()


def test_valid_multi_choice_letters_are_sorted(all_kinds: ExamFile) -> None:
    (question,) = section_questions(all_kinds, 1)
    assert question.letters == ("A", "B", "C", "D")
    assert question.correct == ("A", "C", "D")
    assert question.points == 3


def test_valid_true_false(all_kinds: ExamFile) -> None:
    always, follow = section_questions(all_kinds, 2)
    assert always.truth is False
    assert follow.truth is True
    assert always.options == ()
    assert always.correct == ()
    assert always.points is None


def test_valid_open(all_kinds: ExamFile) -> None:
    exchange, no_answer = section_questions(all_kinds, 3)
    assert exchange.prompt == "客户在退货期后要求换货，你会怎么处理？\n"
    assert exchange.model_answer == "先安抚情绪，再查明原因，最后给出方案。\n"
    assert exchange.key_points == (KeyPoint("情绪管理", "先共情客户"), KeyPoint("闭环服务"))
    assert exchange.note == "原文在此处截断"
    assert exchange.points == 10
    assert no_answer.model_answer is None
    assert no_answer.key_points == ()


def test_open_answer_may_be_null(tmp_path: Path) -> None:
    path = bank(
        tmp_path,
        "  - {id: s, title: 开放, kind: open, questions: [{id: q, prompt: 你好, answer: ~}]}\n",
    )
    assert load_catalog([path]).select()[0].model_answer is None


def test_content_hash_follows_the_content(tmp_path: Path) -> None:
    text = "  - {id: s, title: 开放, kind: open, questions: [{id: q, prompt: %s}]}\n"
    a = load_catalog([bank(tmp_path, text % "你好", "a.yaml")]).select()[0]
    b = load_catalog([bank(tmp_path, text % "你好", "b.yaml")]).select()[0]
    c = load_catalog([bank(tmp_path, text % "再见", "c.yaml")]).select()[0]
    assert a.content_hash == b.content_hash != c.content_hash


# --------------------------------------------------------------------------- bank folders


def test_a_folder_is_searched_recursively_for_yaml_and_yml(tmp_path: Path) -> None:
    def exam(exam_id: str) -> str:
        return HEAD.replace("id: exam", f"id: {exam_id}") + (
            "  - {id: s, title: 开放, kind: open, questions: [{id: q, prompt: 你好}]}\n"
        )

    write_bank(tmp_path, "bank/top.yaml", exam("top"))
    write_bank(tmp_path, "bank/sub/middle.yml", exam("middle"))
    write_bank(tmp_path, "bank/sub/deeper/bottom.yaml", exam("bottom"))
    write_bank(tmp_path, "bank/notes.txt", "id: not-a-bank\n")
    write_bank(tmp_path, "bank/old.yaml.bak", "id: [broken\n")
    loaded = load_catalog([tmp_path / "bank"])
    assert sorted(e.id for e in loaded.exams()) == ["bottom", "middle", "top"]
    assert {e.path for e in loaded.exams()} == {
        os.path.join("bank", "top.yaml"),
        os.path.join("bank", "sub", "middle.yml"),
        os.path.join("bank", "sub", "deeper", "bottom.yaml"),
    }


def test_a_folder_without_bank_files_and_a_missing_path_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    found = problems(tmp_path / "empty", tmp_path / "nowhere.yaml")
    assert [(p.file, p.message) for p in found] == [
        (str(tmp_path / "empty"), "no .yaml or .yml files in this folder"),
        (str(tmp_path / "nowhere.yaml"), "no such file or folder"),
    ]


def test_a_folder_with_only_upper_case_suffixes_names_them(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    (bank / "sub").mkdir(parents=True)
    (bank / "Exam.YAML").write_text("id: x\n", encoding="utf-8")
    (bank / "sub" / "more.Yml").write_text("id: y\n", encoding="utf-8")
    (bank / "notes.txt").write_text("not a bank\n", encoding="utf-8")
    [problem] = problems(bank)
    assert problem.message == (
        "no .yaml or .yml files in this folder (suffixes are lower case: rename Exam.YAML, sub/more.Yml)"
    )
