"""The labelled learner answers (fixtures/open_answers.yaml): well-formed, and spread as promised.

The file measures how csdrill's suggested self-rating for open answers agrees with a human
judge; these tests only keep the set itself honest: every entry names an open question of
the bundled bank, uses the allowed labels, scripts and kinds, and the set is large and
balanced enough to mean something.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES
from cs_drill.bank.catalog import MemoryCatalog, load_catalog
from cs_drill.bank.model import Kind, Question

BANK_DIR = Path(__file__).parents[1] / "data" / "questions"
ANSWERS = FIXTURES / "open_answers.yaml"

KEYS = {"question", "label", "script", "kind", "answer"}
LABELS = {"good", "partial", "poor"}
SCRIPTS = {"hans", "hant"}
KINDS = {
    "paraphrase",
    "verbatim",
    "partial",
    "off-topic",
    "dont-know",
    "gibberish",
    "stuffed",
    "negated",
    "wrong-attitude",
    "short",
}


@pytest.fixture(scope="module")
def bank() -> MemoryCatalog:
    return load_catalog([BANK_DIR])


@pytest.fixture(scope="module")
def entries() -> list[dict[str, str]]:
    data = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    result: list[dict[str, str]] = []
    for i, item in enumerate(data):
        assert isinstance(item, dict), f"entry {i} is not a mapping"
        assert set(item) == KEYS, f"entry {i} has keys {sorted(item)}"
        assert all(isinstance(value, str) for value in item.values()), f"entry {i}"
        result.append({str(key): str(value) for key, value in item.items()})
    return result


@pytest.fixture(scope="module")
def questions(bank: MemoryCatalog) -> dict[str, Question]:
    return {q.uid: q for q in bank.select()}


def test_every_entry_names_an_open_question_of_the_bundled_bank(
    entries: list[dict[str, str]], questions: dict[str, Question]
) -> None:
    for entry in entries:
        uid = entry["question"]
        assert uid in questions, f"{uid} is not in the bundled bank"
        assert questions[uid].kind is Kind.OPEN, f"{uid} is not an open question"


def test_labels_scripts_and_kinds_are_from_the_allowed_sets(entries: list[dict[str, str]]) -> None:
    for entry in entries:
        assert entry["label"] in LABELS, entry
        assert entry["script"] in SCRIPTS, entry
        assert entry["kind"] in KINDS, entry
        assert entry["answer"].strip(), entry


def test_the_set_is_large_and_covers_every_exam_with_open_questions(
    entries: list[dict[str, str]], bank: MemoryCatalog
) -> None:
    assert len(entries) >= 90
    assert len({entry["question"] for entry in entries}) >= 25
    open_exams = {e.id for e in bank.exams() if any(s.kind is Kind.OPEN for s in e.sections)}
    assert len(open_exams) == 4
    assert {entry["question"].split("/", 1)[0] for entry in entries} == open_exams


def test_each_label_has_at_least_a_quarter_of_the_entries(entries: list[dict[str, str]]) -> None:
    counts = Counter(entry["label"] for entry in entries)
    for label in LABELS:
        assert counts[label] * 4 >= len(entries), counts


def test_few_entries_answer_questions_without_a_model_answer_or_key_points(
    entries: list[dict[str, str]], questions: dict[str, Question]
) -> None:
    bare = [
        entry
        for entry in entries
        if questions[entry["question"]].model_answer is None and not questions[entry["question"]].key_points
    ]
    assert len(bare) <= 6
