"""The bank format as one table of fields.

This table drives the validator's key lists and required keys (``validate``),
the JSON Schema (``schema``) and what the cache stores of an exam and a section
(``cache``): a new field is one entry here, the attribute of its record in
``model`` and, where it has one, its rule in ``validate``.

A field's ``type`` names a value rule. Scalar types (``SCALAR_TYPES``) are read
by one function each in ``validate`` and have one JSON Schema fragment each in
``schema``; the other types (``sections``, ``questions``, ``options``,
``answer``, ``key_points``, ``tags``) are structures with rules of their own.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "BLANK",
    "EXAM",
    "KEY_POINT",
    "QUESTION",
    "SCALAR_TYPES",
    "SECTION",
    "Field",
    "blanks",
    "keys",
    "scalar_keys",
]


class Field(NamedTuple):
    """One key of a mapping in a bank file."""

    key: str
    type: str
    required: bool = False
    doc: str = ""
    default: str | None = None


#: Value rules that take one scalar: each is one function in ``validate`` and one schema fragment.
SCALAR_TYPES = frozenset({"slug", "text", "language", "points", "minutes", "percent", "level", "kind", "answer_source"})

EXAM: tuple[Field, ...] = (
    Field("id", "slug", True, "unique across all loaded banks"),
    Field("title", "text", True),
    Field("language", "language", False, "BCP 47 tag", "zh-Hans"),
    Field("source", "text", False, "where the questions come from"),
    Field("description", "text"),
    Field("time_limit", "minutes", False, "minutes for a mock exam (the source's 考试时间)"),
    Field("pass_mark", "percent", False, "percent of the points needed to pass (default 60)"),
    Field(
        "level",
        "level",
        False,
        "the job level it prepares for, a whole number from 1: 1 newcomer (新人), 2 specialist (专员), "
        "3 manager (经理); review introduces new cards of lower levels first, exams without a level last",
    ),
    Field("sections", "sections", True),
)

SECTION: tuple[Field, ...] = (
    Field("id", "slug", True, "unique within the exam"),
    Field("title", "text", True),
    Field("kind", "kind", True),
    Field("points", "points", False, "points per question"),
    Field("instructions", "text", False, "the source's 题型说明"),
    Field("questions", "questions", True),
)

QUESTION: tuple[Field, ...] = (
    Field("id", "slug", True, "unique within the exam"),
    Field("prompt", "text", True),
    Field("options", "options"),
    Field("answer", "answer"),
    Field("key_points", "key_points"),
    Field("explanation", "text"),
    Field(
        "answer_source",
        "answer_source",
        False,
        "source: the key is the document's; authored: written for csdrill",
        "source",
    ),
    Field("note", "text", False, "shown with the question"),
    Field("points", "points", False, "overrides the section's points"),
    Field("tags", "tags"),
)

KEY_POINT: tuple[Field, ...] = (
    Field("point", "text", True),
    Field("detail", "text"),
)


#: A blank in the prompt of a fill-in question: three or more underscores (``___``, full-width ``＿＿＿``
#: too), or parentheses with only spaces inside: full-width ``（ ）`` (also empty, ``（）``) or half-width
#: ``( )`` with at least one space (an empty half-width ``()`` is left as text: it is common in prose and code).
BLANK = re.compile(r"[_＿]{3,}|（[ \t\u3000]*）|\([ \t\u3000]+\)")


def blanks(prompt: str) -> list[tuple[int, int]]:
    """The (start, end) of each blank of a fill-in ``prompt``, in order."""
    return [m.span() for m in BLANK.finditer(prompt)]


def keys(fields: tuple[Field, ...]) -> tuple[str, ...]:
    """The keys a mapping may have, in the order of the table."""
    return tuple(f.key for f in fields)


def scalar_keys(fields: tuple[Field, ...]) -> tuple[str, ...]:
    """The keys whose values are single scalars (what the cache stores of a record)."""
    return tuple(f.key for f in fields if f.type in SCALAR_TYPES)
