"""A JSON Schema of the bank format, made from the field table (``spec``).

It accepts what the validator accepts and rejects what it rejects, for every
rule a JSON Schema can state (tests/test_schema.py checks this on generated
banks). Rules across fields — an answer among the options, ids unique within
the exam, options lettered in order — are the validator's alone.
"""

from __future__ import annotations

import json
from typing import Any

from cs_drill.bank import spec
from cs_drill.bank.model import Kind
from cs_drill.bank.spec import Field

SCHEMA_ID = "https://csdrill.invalid/schema/bank.schema.json"

_NONBLANK = {"type": "string", "pattern": "\\S"}
#: Text is any scalar but null, taken literally (``title: 2026`` is the text "2026").
_TEXT_REQUIRED = {"anyOf": [_NONBLANK, {"type": ["number", "boolean"]}]}
_TEXT = {"type": ["string", "number", "boolean", "null"]}
_SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_NUMBER_MAX = 2**53
_LETTER = {"type": "string", "pattern": "^\\s*[A-Z]\\s*$"}

#: One fragment per scalar type of the spec (the validator has one rule per type).
_SCALARS: dict[str, dict[str, Any]] = {
    "slug": _SLUG,
    "text": _TEXT,
    # `language: no` (Norwegian) is a tag to the loader, which takes plain scalars literally; YAML 1.1 reads a bool.
    "language": {"type": ["string", "boolean", "null"], "pattern": "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"},
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
        if kind == Kind.TRUE_FALSE.value:
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
