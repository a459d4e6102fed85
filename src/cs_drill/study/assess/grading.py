"""Reading typed answers, grading them, and measuring key-point coverage of open answers.

Pure functions over :mod:`cs_drill.bank.model`: no terminal, no clock, no storage.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple, TypeAlias

from cs_drill.bank.model import Kind, Question
from cs_drill.i18n import N_, _, ngettext
from cs_drill.study.assess import chinese, openanswer
from cs_drill.study.assess.openanswer import ItemCoverage, RubricItem
from cs_drill.study.card import Rating

__all__ = [
    "Answer",
    "Coverage",
    "Grade",
    "InvalidAnswer",
    "fill_in_hint",
    "ItemCoverage",
    "RubricItem",
    "coverage",
    "grade",
    "normalize",
    "parse_answer",
    "rubric",
    "suggest_rating",
]

Answer: TypeAlias = tuple[str, ...] | bool | str
"""A parsed answer: sorted letters (choice kinds), a bool (true-false), the blanks' texts in order
(fill-in) or text (open)."""


class InvalidAnswer(ValueError):  # noqa: N818 - the name is part of the agreed API
    """Typed input that is not an answer to the question (it is refused, never graded).

    ``hint`` is a short one-line hint in English on what to type; ``str(error)``
    says what was wrong and ends with the hint.
    """

    hint: str

    def __init__(self, hint: str, reason: str | None = None) -> None:
        self.hint = hint
        super().__init__(f"{reason} {hint}" if reason else hint)


class Grade(NamedTuple):
    """The verdict on one answer.

    ``correct`` is None for open questions (they are self-rated). ``missing`` and
    ``extra`` are filled for multi-choice only: letters of the key that were not
    chosen, and chosen letters that are not in the key. ``blanks`` is filled for
    fill-in only: whether each blank, in order, is right. ``given`` is the answer
    as shown back to the user: ``"ACD"``, ``"对"``/``"错"``, the blanks separated
    by ``；`` or the open text.
    """

    correct: bool | None
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    given: str = ""
    blanks: tuple[bool, ...] = ()


# --- parsing ------------------------------------------------------------------

_TRUE = frozenset({"t", "true", "y", "yes", "1", "对", "對", "正确", "正確", "是", "√", "✓", "✔", "✅"})
_FALSE = frozenset({"f", "false", "n", "no", "0", "错", "錯", "错误", "錯誤", "否", "×", "✗", "✘", "x", "❌", "❎"})
_TRUE_FALSE_HINT = N_("Type t or f (also y/n, 1/0, 对/错, √/×).")


def _is_separator(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PS"


def _is_punctuation(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def _is_latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _listing(letters: tuple[str, ...]) -> str:
    """``A, B, C or D`` (``A or B``; ``A`` alone)."""
    if len(letters) <= 1:
        return "".join(letters)
    # TRANSLATORS: a list of option letters: "A, B, C" then "or D".
    # TRANSLATORS: two option letters of a list, "A, B" (in Chinese 、 separates them).
    joined = functools.reduce(lambda a, b: _("{letter}, {next}").format(letter=a, next=b), letters[:-1])
    return _("{letters} or {last}").format(letters=joined, last=letters[-1])


def _single_hint(letters: tuple[str, ...]) -> str:
    return _("Type one letter: {letters}.").format(letters=_listing(letters))


def _multi_hint(letters: tuple[str, ...]) -> str:
    if not letters:
        return _("Type the letters of your choices.")
    if len(letters) == 1:
        return _("Type {letter}.").format(letter=letters[0])
    among = f"{letters[0]}–{letters[-1]}" if len(letters) > 2 else _("{a} and {b}").format(a=letters[0], b=letters[1])
    example = letters[0] + "".join(letters[2:4]) if len(letters) > 2 else "".join(letters)
    return _("Type letters among {among}, e.g. {example}.").format(among=among, example=example)


def _parse_single(question: Question, text: str) -> tuple[str, ...]:
    letters = question.letters
    hint = _single_hint(letters)
    typed = unicodedata.normalize("NFKC", text).strip()
    if not typed:
        raise InvalidAnswer(hint, _("No answer."))
    if len(typed) != 1 or not _is_latin_letter(typed):
        raise InvalidAnswer(hint, _("{typed!r} is not one letter.").format(typed=typed))
    letter = typed.upper()
    if letter not in letters:
        raise InvalidAnswer(hint, _("{letter!r} is not one of the options.").format(letter=letter))
    return (letter,)


def _parse_multi(question: Question, text: str) -> tuple[str, ...]:
    letters = question.letters
    hint = _multi_hint(letters)
    chosen: set[str] = set()
    for char in unicodedata.normalize("NFKC", text):
        if _is_separator(char):
            continue
        if not _is_latin_letter(char):
            raise InvalidAnswer(hint, _("{char!r} is not a letter.").format(char=char))
        letter = char.upper()
        if letter not in letters:
            raise InvalidAnswer(hint, _("{letter!r} is not one of the options.").format(letter=letter))
        chosen.add(letter)
    if not chosen:
        raise InvalidAnswer(hint, _("No answer."))
    return tuple(sorted(chosen))


def _parse_true_false(text: str) -> bool:
    typed = unicodedata.normalize("NFKC", text).replace("\ufe0f", "").strip().casefold()
    # Tolerate surrounding punctuation such as "对。" or "(t)"; symbols such as √ are kept.
    start, end = 0, len(typed)
    while start < end and _is_punctuation(typed[start]):
        start += 1
    while end > start and _is_punctuation(typed[end - 1]):
        end -= 1
    bare = typed[start:end]
    for token in (typed, bare):
        if token in _TRUE:
            return True
        if token in _FALSE:
            return False
    reason = _("{typed!r} is not true or false.").format(typed=text.strip()) if typed else _("No answer.")
    raise InvalidAnswer(_(_TRUE_FALSE_HINT), reason)


#: What separates the blanks of a fill-in answer: ``；`` ``;`` ``|`` (and the full-width ``｜``).
BLANK_SEPARATORS = re.compile(r"[;；|｜]")


def fill_in_hint(count: int) -> str:
    """What to type for a fill-in question of ``count`` blanks."""
    if count <= 1:
        return _("Type the text of the blank.")
    return ngettext(
        "Type the {n} blank in order, separated by ；, ; or |.",
        "Type the {n} blanks in order, separated by ；, ; or |.",
        count,
    ).format(n=count)


def _parse_fill_in(question: Question, text: str) -> tuple[str, ...]:
    count = len(question.blanks)
    hint = fill_in_hint(count)
    typed = text.strip()
    if count <= 1:
        if not typed:
            raise InvalidAnswer(hint, _("No answer."))
        return (typed,)
    if typed and BLANK_SEPARATORS.fullmatch(typed[-1]):  # "24；48；": the last separator ends the answer
        typed = typed[:-1]
    parts = tuple(part.strip() for part in BLANK_SEPARATORS.split(typed))
    if not any(parts):
        raise InvalidAnswer(hint, _("No answer."))
    if len(parts) != count:
        reason = ngettext("{n} blank typed, not {count}.", "{n} blanks typed, not {count}.", len(parts))
        raise InvalidAnswer(hint, reason.format(n=len(parts), count=count))
    return parts


def _blank_right(typed: str, accepted: tuple[str, ...]) -> bool:
    """Whether ``typed`` is one of the ``accepted`` texts of a blank, after the open answers' normalisation
    (width, case, Simplified/Traditional script; spaces and punctuation dropped). A text made only of
    punctuation ("%") is compared with its punctuation, spaces still dropped."""
    mine = chinese.normalize(typed)
    for text in accepted:
        key = chinese.normalize(text)
        if key:
            if mine == key:
                return True
        elif "".join(chinese.fold(typed).split()) == "".join(chinese.fold(text).split()):
            return True
    return False


_COMMANDS = {"?": "unknown", "/undo": "undo", "/star": "star", "/unstar": "unstar"}


def command(text: str) -> str | None:
    """The command typed at an answer prompt, if it is one: ``unknown`` (``?``, I don't know),
    ``undo``, ``star``, ``unstar``; None for an answer. Full-width forms (``？``, ``／undo``) count.
    """
    return _COMMANDS.get(unicodedata.normalize("NFKC", text).strip().casefold())


def parse_answer(question: Question, text: str) -> Answer:
    """Read ``text`` typed at the prompt as an answer to ``question``.

    Returns the letters (a sorted tuple, one letter for single-choice), a bool for
    true-false, or the stripped text for open questions (may be empty). Full-width
    input (``Ａ``, ``，``) is read as half-width. Raises :class:`InvalidAnswer`, with
    a hint on what to type, when the input is not an answer (a letter that is not
    among the options, say): such input is to be asked again, never graded as wrong.

    - single-choice: one letter, any case, surrounding spaces ignored.
    - multi-choice: letters in any order and case, with or without separators
      (``ACD``, ``a, c, d``, ``c a d``, ``A、C、D``); duplicates collapse.
    - true-false: ``t``/``f``, ``y``/``n``, ``true``/``false``, ``yes``/``no``,
      ``1``/``0``, ``对``/``错`` and ``對``/``錯``, ``正确``/``错误`` and ``正確``/``錯誤``,
      ``是``/``否``, ``√``/``×``
      (also ``✓ ✔ ✅`` and ``✗ ✘ x ❌``).
    - fill-in: the blanks in order, separated by ``；``, ``;`` or ``|`` (one blank: the text
      alone, separators and all); a separator at the end is dropped, a blank left empty is
      taken (and graded wrong); another number of blanks is refused.
    """
    if question.kind is Kind.SINGLE:
        return _parse_single(question, text)
    if question.kind is Kind.MULTI:
        return _parse_multi(question, text)
    if question.kind is Kind.TRUE_FALSE:
        return _parse_true_false(text)
    if question.kind is Kind.FILL_IN:
        return _parse_fill_in(question, text)
    return text.strip()


# --- grading ------------------------------------------------------------------


def _letters_of(answer: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({unicodedata.normalize("NFKC", a).strip().upper() for a in answer}))


def grade(question: Question, answer: Answer) -> Grade:
    """Grade a parsed answer (see :func:`parse_answer`) against the question's key.

    A string given for a choice, true-false or fill-in question is parsed first (and
    may raise :class:`InvalidAnswer`). A fill-in answer is right when every blank is
    (see :func:`_blank_right`); ``blanks`` says which are. Open questions are not graded: ``correct`` is
    None and ``given`` is the text.
    """
    if question.kind is Kind.OPEN:
        if not isinstance(answer, str):
            raise TypeError(f"an open question takes text, not {type(answer).__name__}")
        return Grade(correct=None, given=answer.strip())
    if isinstance(answer, str):
        answer = parse_answer(question, answer)

    if question.kind is Kind.TRUE_FALSE:
        if not isinstance(answer, bool):
            raise TypeError(f"a true-false question takes a bool, not {type(answer).__name__}")
        correct = None if question.truth is None else answer == question.truth
        return Grade(correct=correct, given="对" if answer else "错")

    if question.kind is Kind.FILL_IN:
        if not isinstance(answer, tuple) or len(answer) != len(question.blanks):
            raise TypeError(f"a fill-in question takes {len(question.blanks)} texts, not {answer!r}")
        right = tuple(_blank_right(typed, accepted) for typed, accepted in zip(answer, question.blanks, strict=True))
        return Grade(correct=all(right), given="；".join(answer), blanks=right)

    if not isinstance(answer, tuple):
        raise TypeError(f"a choice question takes letters, not {type(answer).__name__}")
    chosen = _letters_of(answer)
    key = _letters_of(question.correct)
    given = "".join(chosen)
    if question.kind is Kind.SINGLE:
        return Grade(correct=chosen == key, given=given)
    missing = tuple(letter for letter in key if letter not in chosen)
    extra = tuple(letter for letter in chosen if letter not in key)
    return Grade(correct=not missing and not extra, missing=missing, extra=extra, given=given)


# --- open answers ----------------------------------------------------------------
#
# Reading open answers lives in :mod:`cs_drill.study.assess.openanswer` (rubric,
# coverage, the suggested rating) and :mod:`cs_drill.study.assess.chinese` (folding);
# the names below are kept for callers of this module.

Coverage: TypeAlias = ItemCoverage
"""How far a typed open answer covers one rubric item (see :class:`openanswer.ItemCoverage`)."""


def normalize(text: str) -> str:
    """Fold ``text`` for comparison (see :func:`cs_drill.study.assess.chinese.normalize`).

    NFKC (full-width and half-width forms become one), casefold, Traditional to
    Simplified, then all whitespace, punctuation and symbols dropped:
    ``"（１）安撫情緒，表示理解！"`` → ``"1安抚情绪表示理解"``.
    """
    return chinese.normalize(text)


def rubric(question: Question) -> tuple[RubricItem, ...]:
    """What a good answer to ``question`` covers (see :func:`openanswer.rubric`)."""
    return openanswer.rubric(question)


def coverage(question: Question, typed: str) -> list[ItemCoverage]:
    """How far ``typed`` covers each rubric item (see :func:`openanswer.coverage`)."""
    return openanswer.coverage(question, typed)


def suggest_rating(question: Question, typed: str, covered: Sequence[ItemCoverage] | None = None) -> Rating:
    """A suggested self-rating for an open answer (see :func:`openanswer.suggest`); never Easy."""
    return openanswer.suggest_rating(question, typed, covered)
