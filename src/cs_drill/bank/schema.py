"""A JSON Schema of the bank format, made from the field table (``spec``).

It accepts what the validator accepts and rejects what it rejects, for every
rule a JSON Schema can state (tests/test_schema.py checks this on generated
banks). Rules across fields — an answer among the options, ids unique within
the exam, options lettered in order, as many answer entries as blanks in the
prompt — are the validator's alone.
"""

from __future__ import annotations

import json
from typing import Any

from cs_drill.bank import spec
from cs_drill.bank.model import Kind
from cs_drill.bank.spec import Field

SCHEMA_ID = "https://csdrill.invalid/schema/bank.schema.json"

#: What the loader drops or strips (``text.clean``, then ``str.strip``): whitespace, control characters,
#: invisible format characters (bidi controls, zero-width spaces). Text made only of these is empty to it.
#: Escapes as ``\\uXXXX`` (ECMA-262 and Python's ``re`` read them alike); the few astral format
#: characters (U+E0001…) are left out, as ECMA-262 without the ``u`` flag cannot name them.
_BLANK_CHARS = (
    "\\u0000-\\u0020\\u007f-\\u00a0\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2"
    "\\u1680\\u180e\\u2000-\\u200b\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202f\\u205f-\\u2064\\u2066-\\u206f"
    "\\u3000\\ufeff\\ufff9-\\ufffb"
)
#: The astral ones, each as itself: a literal outside a class reads alike in ECMA-262 (as two code units).
_BLANK_ASTRAL = "|".join(
    chr(c)
    for lo, hi in ((0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3),
                   (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F))
    for c in range(lo, hi + 1)
)  # fmt: skip
#: Terminal escape sequences, dropped whole (``text._ESCAPES``): ``"\\e[31m"`` is empty text.
_ESCAPE_SEQUENCES = (
    "\\u001b\\[[0-?]*[ -/]*[@-~]|\\u001b\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)?|\\u001b[@-Z\\\\-_]"
    "|\\u009b[0-?]*[ -/]*[@-~]"
)
#: Required text: not made only of what the loader drops (text that is empty to it).
_NONBLANK = {
    "type": "string",
    "not": {"pattern": f"^(?:{_ESCAPE_SEQUENCES}|[{_BLANK_CHARS}]|{_BLANK_ASTRAL})*$"},
}
#: Text is any scalar but null, taken literally (``title: 2026`` is the text "2026").
_TEXT_REQUIRED = {"anyOf": [_NONBLANK, {"type": ["number", "boolean"]}]}
_TEXT = {"type": ["string", "number", "boolean", "null"]}
#: ``$`` matches before a final newline in Python's ``re`` (jsonschema), not in ECMA-262: ``id: |`` (the
#: text "x\\n") is refused by the loader, so a newline is refused here for every reader of the schema.
_ONE_LINE = {"not": {"type": "string", "pattern": "\\n"}}
_SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", **_ONE_LINE}
_NUMBER_MAX = 2**53
_LETTER = {"type": "string", "pattern": "^\\s*[A-Z]\\s*$"}

#: One fragment per scalar type of the spec (the validator has one rule per type).
_SCALARS: dict[str, dict[str, Any]] = {
    "slug": _SLUG,
    "text": _TEXT,
    # `language: no` (Norwegian) is a tag to the loader, which takes plain scalars literally; YAML 1.1 reads a bool.
    "language": {
        "type": ["string", "boolean", "null"],
        "pattern": "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$",
        **_ONE_LINE,
    },
    "points": {"type": ["number", "null"], "minimum": 0, "maximum": _NUMBER_MAX},
    "minutes": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": _NUMBER_MAX},
    "percent": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
    # a whole number: 3.0 is one to JSON Schema, and to the validator
    "level": {"type": ["integer", "null"], "minimum": 1, "maximum": _NUMBER_MAX},
    "kind": {"enum": [k.value for k in Kind]},
    "answer_source": {"enum": ["source", "authored", None]},
}
assert set(_SCALARS) == spec.SCALAR_TYPES, "every scalar type of the spec has its fragment here"


def _fragment(field: Field, kind: str | None) -> dict[str, Any]:
    if field.type in _SCALARS:
        frag = _TEXT_REQUIRED if field.type == "text" and field.required else _SCALARS[field.type]
    elif field.type == "tags":
        frag = {"type": "array", "items": {"type": ["string", "number", "boolean"]}}
    elif field.type == "key_points":
        frag = {
            "type": ["array", "null"],
            "items": {"anyOf": [_TEXT_REQUIRED, _object(spec.KEY_POINT)]},
        }
    elif field.type == "options":
        frag = {
            "type": "object",
            "propertyNames": {"pattern": "^[A-Z]$"},
            "additionalProperties": _TEXT_REQUIRED,
            "minProperties": 2,
            "maxProperties": 26,
            "description": "letters A, B, C… in order",
        }
    elif field.type == "answer":
        frag = _answer(kind)
    else:
        raise AssertionError(f"no schema for field type {field.type}")
    if field.doc:
        frag = {**frag, "description": field.doc}
    return frag


def _answer(kind: str | None) -> dict[str, Any]:
    if kind == Kind.SINGLE.value:
        return {**_LETTER, "description": "one letter among the options"}
    if kind == Kind.MULTI.value:
        return {
            "type": "array",
            "items": _LETTER,
            "minItems": 1,
            "uniqueItems": True,
            "description": "letters among the options",
        }
    if kind == Kind.TRUE_FALSE.value:
        return {"type": "boolean"}
    if kind == Kind.FILL_IN.value:
        return {
            "type": "array",
            "items": {"anyOf": [_TEXT_REQUIRED, {"type": "array", "items": _TEXT_REQUIRED, "minItems": 1}]},
            "minItems": 1,
            "description": "one entry per blank of the prompt (___ or （ ）), in order: its text or a list of "
            "accepted texts",
        }
    return {**_TEXT, "description": "the model answer"}


def _object(fields: tuple[Field, ...], kind: str | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    props = {f.key: _fragment(f, kind) for f in fields if f.type not in ("sections", "questions")}
    required = [f.key for f in fields if f.required]
    for key, value in (extra or {}).items():
        props[key] = value
    return {
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


def _question(kind: str) -> dict[str, Any]:
    out = _object(spec.QUESTION, kind)
    if kind in (Kind.SINGLE.value, Kind.MULTI.value):
        out["required"] = [*out["required"], "options", "answer"]
    else:
        out["properties"].pop("options")
        if kind in (Kind.TRUE_FALSE.value, Kind.FILL_IN.value):
            out["required"] = [*out["required"], "answer"]
    return out


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one bank file."""
    by_kind = [
        {
            "if": {"properties": {"kind": {"const": kind.value}}, "required": ["kind"]},
            "then": {"properties": {"questions": {"items": _question(kind.value)}}},
        }
        for kind in Kind
    ]
    section = _object(spec.SECTION, extra={"questions": {"type": "array", "minItems": 1}})
    section["allOf"] = by_kind
    exam = _object(spec.EXAM, extra={"sections": {"type": "array", "minItems": 1, "items": section}})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "csdrill question bank (one exam per file)",
        **exam,
    }


def schema_json() -> str:
    """The schema as indented JSON text."""
    return json.dumps(bank_schema(), ensure_ascii=False, indent=2)
