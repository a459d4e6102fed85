"""A JSON Schema of the bank format, so that editors can check banks as they are typed."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://csdrill.invalid/schema/bank.schema.json"

_SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_TEXT = {"type": "string", "minLength": 1}
_LETTER = {"type": "string", "pattern": "^[A-Z]$"}
_POINTS = {"type": "number", "minimum": 0}


def _question(kind: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": {**_SLUG, "description": "unique within the exam"},
        "prompt": _TEXT,
        "key_points": {
            "type": "array",
            "items": {
                "anyOf": [
                    _TEXT,
                    {
                        "type": "object",
                        "properties": {"point": _TEXT, "detail": {"type": ["string", "null"]}},
                        "required": ["point"],
                        "additionalProperties": False,
                    },
                ]
            },
        },
        "explanation": {"type": ["string", "null"]},
        "answer_source": {"enum": ["source", "authored"], "default": "source"},
        "note": {"type": ["string", "null"]},
        "points": _POINTS,
        "tags": {"type": "array", "items": {"type": "string"}},
    }
    required = ["id", "prompt"]
    if kind in ("single-choice", "multi-choice"):
        props["options"] = {
            "type": "object",
            "propertyNames": _LETTER,
            "additionalProperties": _TEXT,
            "minProperties": 2,
            "maxProperties": 26,
            "description": "letters A, B, C… in order",
        }
        required += ["options", "answer"]
        if kind == "single-choice":
            props["answer"] = {**_LETTER, "description": "one letter among the options"}
        else:
            props["answer"] = {"type": "array", "items": _LETTER, "minItems": 1, "uniqueItems": True}
    elif kind == "true-false":
        props["answer"] = {"type": "boolean"}
        required.append("answer")
    else:
        props["answer"] = {"type": ["string", "null"], "description": "the model answer"}
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one bank file."""
    kinds = ("single-choice", "multi-choice", "true-false", "open")
    sections = [
        {
            "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
            "then": {"properties": {"questions": {"items": _question(kind)}}},
        }
        for kind in kinds
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "csdrill question bank (one exam per file)",
        "type": "object",
        "properties": {
            "id": {**_SLUG, "description": "unique across all loaded banks"},
            "title": _TEXT,
            "language": {"type": "string", "default": "zh-Hans", "description": "BCP 47 tag"},
            "source": {"type": ["string", "null"]},
            "description": {"type": ["string", "null"]},
            "sections": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {**_SLUG, "description": "unique within the exam"},
                        "title": _TEXT,
                        "kind": {"enum": list(kinds)},
                        "points": _POINTS,
                        "instructions": {"type": ["string", "null"]},
                        "questions": {"type": "array", "minItems": 1},
                    },
                    "required": ["id", "title", "kind", "questions"],
                    "additionalProperties": False,
                    "allOf": sections,
                },
            },
        },
        "required": ["id", "title", "sections"],
        "additionalProperties": False,
    }


def schema_json() -> str:
    """The schema as indented JSON text."""
    return json.dumps(bank_schema(), ensure_ascii=False, indent=2)
