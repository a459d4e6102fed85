"""The bank's data model: immutable records, nothing else.

One picture of a bank: ``Exam`` and ``Section`` carry what lists, headings and
summaries need; a ``Question`` is fetched from the catalog when it is shown.

The records are ``typing.NamedTuple`` classes rather than frozen dataclasses: as
immutable and as typed, and a tenth of the cost to define at import, which every
``csdrill`` start pays (benchmarks/README.md, row 1).
"""

from enum import Enum
from typing import NamedTuple


class Kind(str, Enum):
    """The kind of a section, and so of each of its questions."""

    SINGLE = "single-choice"
    MULTI = "multi-choice"
    TRUE_FALSE = "true-false"
    FILL_IN = "fill-in"
    OPEN = "open"

    @property
    def is_choice(self) -> bool:
        return self in (Kind.SINGLE, Kind.MULTI)


class KeyPoint(NamedTuple):
    """One item of a rubric: what a good answer covers."""

    point: str
    detail: str | None = None


class Question(NamedTuple):
    """One question. Its identity is ``uid`` = ``exam-id/question-id``.

    The answer is held by kind: ``correct`` (letters, sorted) for choice kinds,
    ``truth`` for true-false, ``blanks`` for fill-in (per blank of the prompt, in order, its
    accepted texts: the first is the key, the others alternatives), ``model_answer`` (may be
    None) for open questions.
    """

    id: str
    exam_id: str
    section_id: str
    kind: Kind
    prompt: str
    options: tuple[tuple[str, str], ...] = ()
    correct: tuple[str, ...] = ()
    truth: bool | None = None
    blanks: tuple[tuple[str, ...], ...] = ()
    model_answer: str | None = None
    key_points: tuple[KeyPoint, ...] = ()
    explanation: str | None = None
    answer_source: str = "source"
    note: str | None = None
    points: int | float | None = None
    tags: tuple[str, ...] = ()
    content_hash: str = ""
    line: int = 0

    @property
    def uid(self) -> str:
        return f"{self.exam_id}/{self.id}"

    @property
    def authored(self) -> bool:
        return self.answer_source == "authored"

    def option_text(self, letter: str) -> str:
        for key, text in self.options:
            if key == letter:
                return text
        raise KeyError(letter)

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.options)

    @property
    def key(self) -> str:
        """The short key: the correct letters ("ACD") of a choice question, 对 or 错, the blanks' keys
        separated by ``；`` for fill-in ("24；48"), '' for open ones."""
        if self.kind is Kind.TRUE_FALSE:
            return "对" if self.truth else "错"
        if self.kind is Kind.FILL_IN:
            return "；".join(accepted[0] for accepted in self.blanks if accepted)
        return "".join(self.correct)


class Section(NamedTuple):
    """A part of an exam: one kind of question, optional points and instructions.

    The questions themselves are the catalog's (``Catalog.refs``, ``iter_questions``).
    """

    id: str
    title: str
    kind: Kind
    question_count: int
    points: int | float | None = None
    instructions: str | None = None


class Exam(NamedTuple):
    """One bank file: an exam and its sections (without their questions).

    ``level`` is the job level the exam prepares for (1 newcomer, 2 specialist, 3 manager), None when unstated.
    """

    id: str
    title: str
    sections: tuple[Section, ...]
    language: str = "zh-Hans"
    source: str | None = None
    description: str | None = None
    time_limit: int | float | None = None
    pass_mark: int | float | None = None
    level: int | None = None
    path: str = ""

    @property
    def question_count(self) -> int:
        return sum(s.question_count for s in self.sections)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)


class QuestionRef(NamedTuple):
    """A question's identity, place and kind, without its text: enough to select and order."""

    uid: str
    exam_id: str
    section_id: str
    kind: Kind


class ExamFile(NamedTuple):
    """A validated bank file: its exam and every question, in source order."""

    exam: Exam
    questions: tuple[Question, ...]
