"""The bank's data model: immutable records, nothing else.

The records are ``typing.NamedTuple`` classes rather than frozen dataclasses: as
immutable and as typed, and a tenth of the cost to define at import, which every
``csdrill`` start pays (benchmarks/README.md, row 1).
"""

from enum import Enum, IntEnum
from typing import NamedTuple


class Kind(str, Enum):
    """The kind of a section, and so of each of its questions."""

    SINGLE = "single-choice"
    MULTI = "multi-choice"
    TRUE_FALSE = "true-false"
    OPEN = "open"

    @property
    def is_choice(self) -> bool:
        return self in (Kind.SINGLE, Kind.MULTI)


class Rating(IntEnum):
    """How well a card was recalled (the FSRS / Anki scale)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


def counts_as_right(correct: bool | None, rating: Rating) -> bool:
    """An answer graded right, or a self-rated (open) one rated Good or Easy."""
    return correct if correct is not None else rating >= Rating.GOOD


class KeyPoint(NamedTuple):
    """One item of a rubric: what a good answer covers."""

    point: str
    detail: str | None = None


class Question(NamedTuple):
    """One question. Its identity is ``uid`` = ``exam-id/question-id``.

    The answer is held by kind: ``correct`` (letters, sorted) for choice kinds,
    ``truth`` for true-false, ``model_answer`` (may be None) for open questions.
    """

    id: str
    exam_id: str
    section_id: str
    kind: Kind
    prompt: str
    options: tuple[tuple[str, str], ...] = ()
    correct: tuple[str, ...] = ()
    truth: bool | None = None
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
        """The short key: the correct letters ("ACD") of a choice question, 对 or 错, '' for open ones."""
        if self.kind is Kind.TRUE_FALSE:
            return "对" if self.truth else "错"
        return "".join(self.correct)


class Section(NamedTuple):
    """A part of an exam: one kind of question, optional points and instructions."""

    id: str
    title: str
    kind: Kind
    questions: tuple[Question, ...]
    points: int | float | None = None
    instructions: str | None = None


class Exam(NamedTuple):
    """One YAML file: an exam with its sections."""

    id: str
    title: str
    sections: tuple[Section, ...]
    language: str = "zh-Hans"
    source: str | None = None
    description: str | None = None
    path: str = ""

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]


class Bank(NamedTuple):
    """Every exam of the loaded bank files, in a stable order."""

    exams: tuple[Exam, ...] = ()

    def questions(self) -> list[Question]:
        return [q for e in self.exams for q in e.questions()]

    def exam(self, exam_id: str) -> Exam | None:
        for e in self.exams:
            if e.id == exam_id:
                return e
        return None

    def section_of(self, question: Question) -> Section:
        exam = self.exam(question.exam_id)
        assert exam is not None
        for s in exam.sections:
            if s.id == question.section_id:
                return s
        raise KeyError(question.section_id)


class SectionInfo(NamedTuple):
    """A section without its questions: what lists, headings and summaries need."""

    id: str
    title: str
    kind: Kind
    question_count: int
    points: int | float | None = None
    instructions: str | None = None


class ExamInfo(NamedTuple):
    """An exam without its questions (from the bank cache, or from a loaded ``Exam``)."""

    id: str
    title: str
    sections: tuple[SectionInfo, ...]
    language: str = "zh-Hans"
    source: str | None = None
    description: str | None = None
    path: str = ""

    @property
    def question_count(self) -> int:
        return sum(s.question_count for s in self.sections)

    def section(self, section_id: str) -> SectionInfo:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)


def section_info(section: Section) -> SectionInfo:
    """The metadata of a loaded section."""
    return SectionInfo(
        section.id, section.title, section.kind, len(section.questions), section.points, section.instructions
    )


def exam_info(exam: Exam) -> ExamInfo:
    """The metadata of a loaded exam."""
    return ExamInfo(
        exam.id,
        exam.title,
        tuple(section_info(s) for s in exam.sections),
        exam.language,
        exam.source,
        exam.description,
        exam.path,
    )
