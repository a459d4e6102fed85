"""The JSON Schema (``csdrill schema``) and the validator agree, on generated banks.

Banks are generated as data, written with PyYAML, and given to both: the
validator (``load_data``) and jsonschema over ``yaml.safe_load`` of the same
text (what an editor's YAML plugin sees). Rules across fields that a JSON
Schema cannot state — an answer among the options, ids unique within the exam,
options lettered in order — are kept true by the generator.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs_drill.bank import spec
from cs_drill.bank.schema import bank_schema
from cs_drill.bank.validate import load_data

VALIDATOR = jsonschema.Draft202012Validator(bank_schema())

ANY_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=10**6),
    st.floats(min_value=-10, max_value=1000, allow_nan=False),
    st.sampled_from(
        [
            "",
            " ",
            "abc",
            "多选题",
            "\u202e",
            " \u200b",
            "2026",
            "A",
            "zh-Hans",
            "q-1",
            "Bad Id",
            "open",
            "authored",
            "source",
        ]
    ),
)
ODD = st.one_of(ANY_SCALAR, st.lists(st.sampled_from(["A", "x"]), max_size=2), st.just({"k": "v"}))


def maybe(value: Any, odd: st.SearchStrategy[Any] = ODD) -> st.SearchStrategy[Any]:
    """Mostly the valid value (19 times in 20), sometimes anything."""
    return st.integers(0, 19).flatmap(lambda n: odd if n == 0 else st.just(value))


@st.composite
def question(draw: st.DrawFn, kind: str, n: int) -> dict[str, Any]:
    q: dict[str, Any] = {
        "id": draw(maybe(f"q{n}", st.sampled_from([f"Q{n}", 7, True, None, ""]))),
        "prompt": draw(maybe("题目")),
    }
    letters = "ABCD"[: draw(st.integers(1, 4))]
    if kind in ("single-choice", "multi-choice"):
        if draw(st.integers(0, 30)):
            q["options"] = {letter: draw(maybe(f"选项{letter}", ANY_SCALAR)) for letter in letters}
        if draw(st.integers(0, 30)):
            if kind == "single-choice":
                q["answer"] = draw(maybe(letters[0], st.sampled_from([None, 1, True, ["A"]])))
            else:
                picked = draw(st.lists(st.sampled_from(list(letters)), min_size=1, unique=True))
                q["answer"] = draw(maybe(picked, st.sampled_from([None, "A", [], [1]])))
    elif kind == "true-false":
        if draw(st.integers(0, 30)):
            q["answer"] = draw(maybe(draw(st.booleans()), st.sampled_from([None, "yes", 1, "对"])))
    elif kind == "fill-in":
        # as many entries as blanks (a rule across fields, the validator's alone); odd prompts are invalid to both
        n_blanks = draw(st.integers(1, 3))
        mark = st.sampled_from(["___", "（ ）", "（）", "( )", "_____", "（\u3000）"])
        marks = draw(st.lists(mark, min_size=n_blanks, max_size=n_blanks))
        q["prompt"] = draw(maybe("题目" + "，".join(marks), st.sampled_from([None, "", " ", "\u202e"])))
        if draw(st.integers(0, 30)):
            entry = st.one_of(
                maybe("答案", st.sampled_from([None, "", " ", {"k": "v"}, [], 24, True, ["甲"], [None], [["x"]]])),
                st.lists(maybe("甲", st.sampled_from([None, "", 3, ["x"]])), min_size=1, max_size=2),
            )
            entries = [draw(entry) for _ in range(n_blanks)]
            q["answer"] = draw(maybe(entries, st.sampled_from([None, "答案", [], {"k": "v"}, 24])))
    elif draw(st.booleans()):
        q["answer"] = draw(maybe("参考答案", ODD))
    if draw(st.booleans()):
        item = st.one_of(maybe("要点"), st.fixed_dictionaries({"point": maybe("要点", ANY_SCALAR)}))
        q["key_points"] = draw(maybe(draw(st.lists(item, max_size=2))))
    for key in ("explanation", "note"):
        if draw(st.integers(0, 3)) == 0:
            q[key] = draw(maybe("解析"))
    if draw(st.integers(0, 3)) == 0:
        q["answer_source"] = draw(maybe("authored"))
    if draw(st.integers(0, 3)) == 0:
        q["points"] = draw(maybe(2))
    if draw(st.integers(0, 3)) == 0:
        q["tags"] = draw(maybe(["物流"], st.one_of(ODD, st.lists(ANY_SCALAR, max_size=2))))
    if draw(st.integers(0, 40)) == 0:
        q.pop(draw(st.sampled_from(sorted(q))))
    if draw(st.integers(0, 15)) == 0:
        q["answr"] = "x"
    return q


@st.composite
def bank(draw: st.DrawFn) -> dict[str, Any]:
    exam: dict[str, Any] = {
        "id": draw(maybe("exam-1", st.sampled_from(["Exam", 12, None]))),
        "title": draw(maybe("考试")),
    }
    for field in spec.EXAM:
        if field.key in ("id", "title", "sections") or draw(st.booleans()):
            continue
        odd = st.one_of(ANY_SCALAR, st.sampled_from([0, 101, -1, 1.5, 3.0, "x-", "2"]))
        valid = {"language": "zh-Hant", "time_limit": 90, "pass_mark": 60, "level": 2}.get(field.key, "文本")
        exam[field.key] = draw(maybe(valid, odd if field.key != "source" else ODD))
    sections = []
    n = 0
    for i in range(draw(st.integers(0 if draw(st.integers(0, 30)) == 0 else 1, 2))):
        kind = draw(st.sampled_from(["single-choice", "multi-choice", "true-false", "fill-in", "open"]))
        section: dict[str, Any] = {
            "id": draw(maybe(f"s{i}", st.sampled_from([None, 3, "S"]))),
            "title": draw(maybe("部分")),
            "kind": draw(maybe(kind, st.sampled_from(["multi", None, 1]))),
        }
        if draw(st.booleans()):
            section["points"] = draw(maybe(2))
        if draw(st.integers(0, 3)) == 0:
            section["instructions"] = draw(maybe("说明"))
        questions = []
        for _ in range(draw(st.integers(0 if draw(st.integers(0, 30)) == 0 else 1, 2))):
            questions.append(draw(question(kind, n)))
            n += 1
        section["questions"] = draw(maybe(questions, st.sampled_from([None, "x"])))
        sections.append(section)
    if draw(st.integers(0, 30)):
        exam["sections"] = draw(maybe(sections, st.sampled_from([None, "x", {}])))
    return exam


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bank())
def test_the_schema_and_the_validator_agree(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    found, problems = load_data(text.encode("utf-8"), "gen.yaml")
    loader_ok = found is not None and not problems
    errors = sorted(VALIDATOR.iter_errors(yaml.safe_load(text)), key=str)
    schema_ok = not errors
    assert loader_ok == schema_ok, (
        f"validator: {[str(p) for p in problems]}\nschema: {[e.message for e in errors[:3]]}\n{text}"
    )


def test_the_bundled_bank_is_valid_against_the_schema() -> None:
    from cs_drill.bank.files import bundled_bank

    for path in sorted(bundled_bank().glob("*.yaml")):
        VALIDATOR.validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_a_title_that_is_a_number_and_numeric_options_are_valid_for_both() -> None:
    data = {
        "id": "x",
        "title": 2026,
        "time_limit": 45,
        "pass_mark": 60,
        "sections": [
            {"id": "s", "title": "单选", "kind": "single-choice", "questions": [
                {"id": "q", "prompt": "几?", "options": {"A": 10, "B": 20}, "answer": "A"},
            ]},
        ],
    }  # fmt: skip
    text = yaml.safe_dump(data, allow_unicode=True)
    found, problems = load_data(text.encode(), "x.yaml")
    assert problems == []
    assert found is not None
    assert found.exam.title == "2026"
    assert found.exam.time_limit == 45
    assert found.exam.pass_mark == 60
    VALIDATOR.validate(json.loads(json.dumps(data)))


def test_a_level_is_a_whole_number_from_1_for_both() -> None:
    def both(level: object) -> tuple[bool, bool]:
        data = {
            "id": "x",
            "title": "新人",
            "level": level,
            "sections": [
                {"id": "s", "title": "判断", "kind": "true-false", "questions": [
                    {"id": "q", "prompt": "对吗?", "answer": True},
                ]},
            ],
        }  # fmt: skip
        text = yaml.safe_dump(data, allow_unicode=True)
        found, problems = load_data(text.encode(), "x.yaml")
        return (found is not None and not problems), VALIDATOR.is_valid(yaml.safe_load(text))

    valid: tuple[object, ...] = (1, 2, 3, 7, 3.0, None)
    invalid: tuple[object, ...] = (0, -1, 1.5, "high", "2", True, [1])
    for level in valid:
        assert both(level) == (True, True), level
    for level in invalid:
        assert both(level) == (False, False), level
    text = "id: x\ntitle: t\nlevel: 3.0\nsections: [{id: s, title: t, kind: open, questions: [{id: q, prompt: p}]}]\n"
    found, _ = load_data(text.encode(), "x.yaml")
    assert found is not None
    assert found.exam.level == 3


def test_text_of_only_invisible_characters_is_empty_for_both() -> None:
    """F20: the loader drops bidi controls and zero-width characters (F14); ``'\u202e'`` is empty text."""

    def both(prompt: str, option: str = "甲", title: str = "单选") -> tuple[bool, bool]:
        data = {
            "id": "x",
            "title": "新人",
            "sections": [
                {"id": "s", "title": title, "kind": "single-choice", "questions": [
                    {"id": "q", "prompt": prompt, "options": {"A": option, "B": "乙"}, "answer": "A"},
                ]},
            ],
        }  # fmt: skip
        text = yaml.safe_dump(data, allow_unicode=True)
        found, problems = load_data(text.encode(), "x.yaml")
        return (found is not None and not problems), VALIDATOR.is_valid(yaml.safe_load(text))

    blanks = ("\u202e", "\u200b", " \u2066\u2069 ", "\ufeff", "\u00ad", "\u3000", "\u00a0", "\x85", "\U000e0001")
    for blank in (*blanks, "\x1b[31m", "\x1b]0;t\x07", "\x1b[1m\u202e \x1b[0m", "\x9b1m", "\x1bX"):
        assert both(blank) == (False, False), repr(blank)
        assert both("题目", option=blank) == (False, False), repr(blank)
        assert both("题目", title=blank) == (False, False), repr(blank)
    for shown in ("\u202ex", "a\u200b", "\u200d", "中", "\x1b[31mx", "\U000e0041x", "\U0001f600"):
        assert both(shown) == (True, True), repr(shown)


def test_an_id_or_a_language_with_a_final_newline_is_invalid_for_both() -> None:
    """F20: ``id: |`` is the text "x\\n"; Python's ``$`` (jsonschema) matched before the newline."""
    sections = "sections: [{id: %s, title: t, kind: open, questions: [{id: q, prompt: p}]}]\n"
    for text in (
        "id: |\n  x\ntitle: t\n" + sections % "s",
        "id: x\ntitle: t\n" + sections % '"s\\n"',
        'id: x\ntitle: t\nlanguage: "en\\n"\n' + sections % "s",
    ):
        found, problems = load_data(text.encode(), "x.yaml")
        assert problems, text
        assert not VALIDATOR.is_valid(yaml.safe_load(text)), text
    for line in ("language: no\n", "language:\n", "language: zh-Hant\n"):  # a bool, null: not text, no newline
        text = "id: x\ntitle: t\n" + line + sections % "s"
        found, problems = load_data(text.encode(), "x.yaml")
        assert problems == [], text
        assert VALIDATOR.is_valid(yaml.safe_load(text)), text
