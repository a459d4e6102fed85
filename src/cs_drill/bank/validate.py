"""Bank files → validated records, reporting every problem of every file with file:line:col.

The keys of each mapping, and which are required, come from ``spec``; this module
holds the rule of each value type. YAML is read by ``yamlnodes``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from cs_drill._gc import collector_paused
from cs_drill.bank import spec
from cs_drill.bank.files import bank_files, display_name, duplicate_exam_id
from cs_drill.bank.model import Exam, ExamFile, KeyPoint, Kind, Question, Section
from cs_drill.bank.spec import Field, keys
from cs_drill.bank.yamlnodes import Node, RejectedError, TooLarge, non_printable, parse_yaml, scalar_value
from cs_drill.errors import BankError, Problem
from cs_drill.i18n import N_, _, ngettext
from cs_drill.text import clean

__all__ = ["load_data", "load_file", "load_files"]

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
LANG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
KINDS = tuple(k.value for k in Kind)
ANSWER_SOURCES = ("source", "authored")
#: Plain scalars that PyYAML reads as null.
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
#: Larger numbers cannot be stored (SQLite integers are 64-bit).
MAX_NUMBER = 2**53

_ENCODER: list[Any] = []


def _json_encoder() -> Any:
    """What ``json.dumps(..., ensure_ascii=False)`` would make anew on every call."""
    if not _ENCODER:
        import json

        _ENCODER.append(json.JSONEncoder(ensure_ascii=False))
    return _ENCODER[0]


_Fields = dict[str, tuple[Node, Node]]
_MISSING = object()


def _at(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Ctx:
    __slots__ = ("file", "problems")

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, node: Node, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, node.line, node.col, path, message))


def _mapping(ctx: _Ctx, node: Node, path: str, allowed: tuple[str, ...], what: str) -> _Fields | None:
    """The keys of a mapping node; ``what`` (marked with ``N_``) says what the mapping should be."""
    if node.kind != "map":
        # TRANSLATORS: {what} is what the mapping holds, e.g. "an exam with id, title and sections";
        # {found} describes the value found instead, e.g. "a list" or "the text '…'".
        ctx.error(node, path, _("must be a mapping ({what}), not {found}").format(what=_(what), found=_describe(node)))
        return None
    out: _Fields = {}
    for key, value in node.value:
        if key.kind != "scalar":
            ctx.error(key, path, _("mapping keys must be plain text"))
            continue
        name = key.value
        if name in out:
            ctx.error(key, f"{path}.{name}" if path else name, _("duplicate key"))
            continue
        if name not in allowed:
            import difflib

            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            if close:
                # TRANSLATORS: {key} is the key as written in the file; {close} a YAML key name (not translated).
                message = _("unknown key '{key}' (did you mean '{close}'?)").format(key=name, close=close[0])
            else:
                # TRANSLATORS: {key} is the key as written in the file; {allowed} lists YAML key names.
                message = _("unknown key '{key}' (allowed: {allowed})").format(key=name, allowed=", ".join(allowed))
            ctx.error(key, f"{path}.{name}" if path else name, message)
            continue
        out[name] = (key, value)
    return out


def _describe(node: Node) -> str:
    """What a node holds, for "must be …, not {found}" messages."""
    if node.kind == "map":
        return _("a mapping") if node.value else _("an empty mapping")
    if node.kind == "seq":
        return _("a list") if node.value else _("an empty list")
    value = scalar_value(node)
    if value is None:
        # TRANSLATORS: what a YAML value is when nothing is written, as in "must be text, not empty".
        return _("empty")
    if isinstance(value, TooLarge):
        size = len(node.value)
        return ngettext("a number of {n} character", "a number of {n} characters", size).format(n=size)
    if isinstance(value, bool):
        # TRANSLATORS: {value} is true or false, a YAML value (not translated).
        return _("the boolean {value}").format(value=str(value).lower())
    if isinstance(value, (int, float)):
        # TRANSLATORS: {value} is the number as written in the file.
        return _("the number {value}").format(value=node.value)
    # TRANSLATORS: {text} is the start of the text written in the file.
    return _("the text '{text}'").format(text=_trim(node.value))


def _trim(text: str, width: int = 30) -> str:
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 1] + "…"


def _options(ctx: _Ctx, fields: _Fields, path: str, parent: Node, kind: Kind) -> tuple[tuple[str, str], ...]:
    sub = f"{path}.options"
    if not kind.is_choice:
        if "options" in fields:
            # TRANSLATORS: {kind} is a question kind as the YAML names it (open, true-false …), not translated.
            ctx.error(fields["options"][0], sub, _("a {kind} question has no options").format(kind=kind.value))
        return ()
    if "options" not in fields:
        ctx.error(
            parent,
            sub,
            # TRANSLATORS: {kind} is a question kind as the YAML names it (single-choice …), not translated.
            _("required for a {kind} question: a mapping of letters A, B, C… to text").format(kind=kind.value),
        )
        return ()
    node = fields["options"][1]
    if node.kind != "map":
        # TRANSLATORS: {found} describes the value found, e.g. "a list" or "the text '…'".
        message = _("must be a mapping of letters A, B, C… to text, not {found}")
        ctx.error(node, sub, message.format(found=_describe(node)))
        return ()
    out: list[tuple[str, str]] = []
    for i, (key, value) in enumerate(node.value):
        expected = LETTERS[i] if i < len(LETTERS) else None
        letter = key.value if key.kind == "scalar" else None
        if expected is None:
            ctx.error(key, sub, _("at most 26 options (A to Z)"))
            break
        if letter != expected:
            shown = f"'{_trim(str(letter))}'" if letter is not None else _describe(key)
            ctx.error(
                key,
                f"{sub}.{letter}" if letter else sub,
                # TRANSLATORS: {n} counts the options from 1; {letter} is the letter it needs;
                # {found} is the label found, quoted, or a description such as "a list".
                _("option {n} must be labelled '{letter}', not {found} (letters A, B, C… in order)").format(
                    n=i + 1, letter=expected, found=shown
                ),
            )
            continue
        if value.kind != "scalar" or scalar_value(value) is None and value.plain:
            ctx.error(value, f"{sub}.{letter}", _("option text must be non-empty text"))
            continue
        text = clean(value.value)
        if not text.strip():
            ctx.error(value, f"{sub}.{letter}", _("option text must be non-empty text"))
            continue
        out.append((letter, text))
    if len(node.value) < 2:
        ctx.error(node, sub, _("a choice question needs at least 2 options"))
    return tuple(out)


def _letters_hint(letters: Sequence[str]) -> str:
    if not letters:
        # TRANSLATORS: in "must be one letter (the options), not …" when the options are missing.
        return _("the options")
    if len(letters) == 1:
        return letters[0]
    # TRANSLATORS: option letters: "A, B or C"; {letters} is "A, B", {last} is "C".
    return _("{letters} or {last}").format(letters=", ".join(letters[:-1]), last=letters[-1])


def _single_answer(ctx: _Ctx, fields: _Fields, path: str, parent: Node, letters: tuple[str, ...]) -> tuple[str, ...]:
    sub = f"{path}.answer"
    if "answer" not in fields:
        ctx.error(parent, sub, _(NO_KEY).format(what=_("the letter of the right option")))
        return ()
    node = fields["answer"][1]
    if node.kind != "scalar" or not isinstance(scalar_value(node), str):
        # TRANSLATORS: {letters} is "A, B or C"; {found} describes the value found, e.g. "a list".
        message = _("must be one letter ({letters}), not {found}")
        ctx.error(node, sub, message.format(letters=_letters_hint(letters), found=_describe(node)))
        return ()
    letter = node.value.strip()
    if not letters:  # the options are missing or broken, and reported as such
        return ()
    if letter not in letters:
        # TRANSLATORS: {answer} is the answer as written in the file; {letters} the option letters "A, B, C".
        message = _("'{answer}' is not one of the options {letters}")
        ctx.error(node, sub, message.format(answer=_trim(letter), letters=", ".join(letters)))
        return ()
    return (letter,)


def _multi_answer(ctx: _Ctx, fields: _Fields, path: str, parent: Node, letters: tuple[str, ...]) -> tuple[str, ...]:
    sub = f"{path}.answer"
    if "answer" not in fields:
        ctx.error(parent, sub, _(NO_KEY).format(what=_("a list of the right letters, e.g. [A, C]")))
        return ()
    node = fields["answer"][1]
    if node.kind != "seq" or not node.value:
        # TRANSLATORS: {found} describes the value found, e.g. "the text '…'".
        message = _("must be a non-empty list of letters, e.g. [A, C], not {found}")
        ctx.error(node, sub, message.format(found=_describe(node)))
        return ()
    if not letters:  # the options are missing or broken, and reported as such
        return ()
    chosen: list[str] = []
    for i, item in enumerate(node.value):
        if item.kind != "scalar" or not isinstance(scalar_value(item), str):
            # TRANSLATORS: {found} describes the value found, e.g. "a mapping".
            ctx.error(item, f"{sub}[{i}]", _("must be a letter, not {found}").format(found=_describe(item)))
            continue
        letter = item.value.strip()
        if letter not in letters:
            ctx.error(
                item,
                f"{sub}[{i}]",
                # TRANSLATORS: {answer} is the answer as written in the file; {letters} the option letters "A, B, C".
                _("'{answer}' is not one of the options {letters}").format(
                    answer=_trim(letter), letters=", ".join(letters)
                ),
            )
        elif letter in chosen:
            ctx.error(item, f"{sub}[{i}]", _("'{letter}' is listed twice").format(letter=letter))
        else:
            chosen.append(letter)
    return tuple(sorted(chosen))


def _truth(ctx: _Ctx, fields: _Fields, path: str, parent: Node) -> bool | None:
    sub = f"{path}.answer"
    if "answer" not in fields:
        # TRANSLATORS: true and false are YAML values: keep them as they are.
        ctx.error(parent, sub, _(NO_KEY).format(what=_("true or false")))
        return None
    node = fields["answer"][1]
    value = scalar_value(node) if node.kind == "scalar" else None
    if not isinstance(value, bool):
        # TRANSLATORS: true and false are YAML values: keep them; {found} describes the value found.
        ctx.error(node, sub, _("must be true or false, not {found}").format(found=_describe(node)))
        return None
    return value


def _fill_in(ctx: _Ctx, fields: _Fields, path: str, parent: Node, prompt: Any) -> tuple[tuple[str, ...], ...]:
    """The accepted texts of each blank, in order: an entry is a text or a list of alternatives."""
    sub = f"{path}.answer"
    if "answer" not in fields:
        ctx.error(parent, sub, _(NO_KEY).format(what=_("one entry per blank, in order, e.g. [24, 48]")))
        return ()
    node = fields["answer"][1]
    if node.kind != "seq" or not node.value:
        # TRANSLATORS: {found} describes the value found, e.g. "the text '…'"; [24, 48] is YAML (keep it).
        message = _("must be a list with one entry per blank, in order, e.g. [24, 48], not {found}")
        ctx.error(node, sub, message.format(found=_describe(node)))
        return ()
    before = len(ctx.problems)
    out: list[tuple[str, ...]] = []
    for i, item in enumerate(node.value):
        ipath = f"{sub}[{i}]"
        if item.kind == "seq":
            if not item.value:
                ctx.error(item, ipath, _("a list of accepted texts must not be empty"))
                continue
            texts = [_read_text(ctx, alt, f"{ipath}[{j}]", True) for j, alt in enumerate(item.value)]
            out.append(tuple(t for t in texts if isinstance(t, str)))
            continue
        if item.kind != "scalar":
            # TRANSLATORS: {found} describes the value found, e.g. "a mapping".
            message = _("must be the text of the blank or a list of accepted texts, not {found}")
            ctx.error(item, ipath, message.format(found=_describe(item)))
            continue
        text = _read_text(ctx, item, ipath, True)
        if isinstance(text, str):
            out.append((text,))
    if len(ctx.problems) > before or not isinstance(prompt, str):
        return ()
    count = len(spec.blanks(prompt))
    if count != len(out):
        # TRANSLATORS: {blanks} says how many blanks the prompt marks, e.g. "2 blanks"; ___ and （ ） are how
        # a prompt marks a blank (keep them).
        message = ngettext(
            "the answer has {n} entry but the prompt has {blanks} (marked ___ or （ ）)",
            "the answer has {n} entries but the prompt has {blanks} (marked ___ or （ ）)",
            len(out),
        )
        # TRANSLATORS: how many blanks a prompt marks, in "… but the prompt has {blanks}".
        blanks = ngettext("{n} blank", "{n} blanks", count).format(n=count)
        ctx.error(node, sub, message.format(n=len(out), blanks=blanks))
        return ()
    return tuple(out)


def _tags(ctx: _Ctx, fields: _Fields, path: str) -> tuple[str, ...]:
    sub = f"{path}.tags"
    if "tags" not in fields:
        return ()
    node = fields["tags"][1]
    if node.kind != "seq":
        # TRANSLATORS: {found} describes the value found, e.g. "the text '…'".
        ctx.error(node, sub, _("must be a list of tags, e.g. [物流, 投诉], not {found}").format(found=_describe(node)))
        return ()
    out: list[str] = []
    for i, item in enumerate(node.value):
        if item.kind != "scalar" or scalar_value(item) is None:
            # TRANSLATORS: {found} describes the value found, e.g. "a mapping".
            ctx.error(item, f"{sub}[{i}]", _("a tag must be text, not {found}").format(found=_describe(item)))
            continue
        out.append(clean(item.value))
    return tuple(out)


def _decode(data: bytes, file: str) -> tuple[str | None, Problem | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(file, 1, 1, "", _("the file is UTF-16; save it as UTF-8"))
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        col = len(head) - (head.rfind(b"\n") + 1) + 1
        return None, Problem(
            file,
            line,
            col,
            "",
            # TRANSLATORS: {byte} is the value of the first bad byte in two hex digits, e.g. ff.
            _("the file is not valid UTF-8 (byte 0x{byte}); save it as UTF-8").format(byte=f"{data[exc.start]:02x}"),
        )


# TRANSLATORS: the problem of a question without its key (CONTRACT §1); {what} says what the key is.
NO_KEY = N_("no key: fill it in ({what}) and mark `answer_source: authored`, or leave the question out")


# --------------------------------------------------------------------------- scalar rules
# One function per scalar type of ``spec``: (ctx, value node, path) -> value, or _MISSING when invalid.


def _is_null(node: Node) -> bool:
    """A scalar that reads as null: plain ``~``, ``null``… or empty, or tagged ``!!null``."""
    if node.tag is not None:
        return node.tag == _NULL_TAG  # the parser refused a !!null on anything but a null
    return node.plain and node.value in _NULL


_NULL_TAG = "tag:yaml.org,2002:null"


def _read_text(ctx: _Ctx, node: Node, path: str, required: bool) -> Any:
    """A text field: any non-null scalar, taken literally."""
    if node.kind != "scalar":
        # TRANSLATORS: {found} describes the value found, e.g. "a list".
        ctx.error(node, path, _("must be text, not {found}").format(found=_describe(node)))
        return _MISSING
    value = node.value
    if _is_null(node):
        if required:
            ctx.error(node, path, _("must not be empty"))
            return _MISSING
        return None
    text = clean(value)
    if required and not text.strip():
        ctx.error(node, path, _("must not be empty"))
        return _MISSING
    return text


def _read_slug(ctx: _Ctx, node: Node, path: str, required: bool) -> Any:
    value = _read_text(ctx, node, path, required)
    if value is _MISSING or value is None:
        return value
    if node.plain and not isinstance(scalar_value(node), str):
        # TRANSLATORS: {found} describes the value found, e.g. "the number 3".
        ctx.error(node, path, _("must be an id (text), not {found}").format(found=_describe(node)))
        return _MISSING
    if not SLUG.match(value) or value != node.value:
        shown = _trim(value if value == node.value else repr(node.value)[1:-1])
        ctx.error(
            node,
            path,
            # TRANSLATORS: {id} is the id as written in the file.
            _(
                "'{id}' is not a valid id: use lowercase letters, digits and '-', starting with a letter or digit"
            ).format(id=shown),
        )
        return _MISSING
    return value


def _read_language(ctx: _Ctx, node: Node, path: str, required: bool) -> Any:
    value = _read_text(ctx, node, path, required)
    if isinstance(value, str) and not LANG.match(value):
        # TRANSLATORS: {tag} is the value as written in the file.
        message = _("'{tag}' is not a BCP 47 language tag (e.g. zh-Hans)")
        ctx.error(node, path, message.format(tag=_trim(value)))
        return _MISSING
    return value


def _number(node: Node) -> Any:
    """The number a scalar node holds; None when empty; _MISSING when it holds no number."""
    if node.kind != "scalar":
        return _MISSING
    value = scalar_value(node)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _MISSING
    # the bound first: an int of hundreds of digits cannot be made a float for isfinite()
    if abs(value) > MAX_NUMBER or not math.isfinite(value):
        return _MISSING
    return value


def _read_points(ctx: _Ctx, node: Node, path: str, required: bool) -> Any:
    value = _number(node)
    if value is _MISSING or (value is not None and value < 0):
        # TRANSLATORS: {found} describes the value found, e.g. "the text '…'".
        message = _("must be a number of points (0 or more), not {found}")
        ctx.error(node, path, message.format(found=_describe(node)))
        return _MISSING
    return value


def _read_minutes(ctx: _Ctx, node: Node, path: str, required: bool) -> Any:
    value = _number(node)
    if value is _MISSING or (value is not None and value <= 0):
        # TRANSLATORS: {found} describes the value found, e.g. "the number 0".
        message = _("must be a number of minutes (more than 0), not {found}")
        ctx.error(node, path, message.format(found=_describe(node)))
        return _MISSING
    return value


def _read_percent(ctx: _Ctx, node: Node, path: str, required: bool) -> Any:
    value = _number(node)
    if value is _MISSING or (value is not None and not 0 <= value <= 100):
        # TRANSLATORS: {found} describes the value found, e.g. "the number 120".
        message = _("must be a percentage from 0 to 100, not {found}")
        ctx.error(node, path, message.format(found=_describe(node)))
        return _MISSING
    return value


def _read_level(ctx: _Ctx, node: Node, path: str, required: bool) -> Any:
    value = _number(node)
    if value is _MISSING or (value is not None and (value < 1 or value != int(value))):
        # TRANSLATORS: {found} describes the value found, e.g. "the number 0"; the levels are those of a job.
        message = _("must be a level, a whole number from 1 (1 newcomer, 2 specialist, 3 manager), not {found}")
        ctx.error(node, path, message.format(found=_describe(node)))
        return _MISSING
    return None if value is None else int(value)


def _read_kind(ctx: _Ctx, node: Node, path: str, required: bool) -> Any:
    text = _read_text(ctx, node, path, required)
    if not isinstance(text, str):
        return text
    try:
        return Kind(text)
    except ValueError:
        import difflib

        close = difflib.get_close_matches(text, KINDS, n=1, cutoff=0.5)
        kinds = ", ".join(KINDS)
        if close:
            # TRANSLATORS: {text} is the value as written in the file; {kinds} lists the kind names
            # (single-choice …) and {close} is one of them: kind names are not translated.
            message = _("'{text}' is not a kind: use one of {kinds} (did you mean '{close}'?)")
        else:
            # TRANSLATORS: {text} is the value as written in the file; {kinds} lists the kind names
            # (single-choice …), which are not translated.
            message = _("'{text}' is not a kind: use one of {kinds}")
        ctx.error(node, path, message.format(text=_trim(text), kinds=kinds, close=close[0] if close else ""))
        return _MISSING


def _read_answer_source(ctx: _Ctx, node: Node, path: str, required: bool) -> Any:
    text = _read_text(ctx, node, path, required)
    if isinstance(text, str) and text not in ANSWER_SOURCES:
        # TRANSLATORS: {text} is the value as written in the file; source and authored are YAML values (not translated).
        ctx.error(node, path, _("'{text}' must be 'source' or 'authored'").format(text=_trim(text)))
        return _MISSING
    return text


_READERS: dict[str, Callable[[_Ctx, Node, str, bool], Any]] = {
    "text": _read_text,
    "slug": _read_slug,
    "language": _read_language,
    "points": _read_points,
    "minutes": _read_minutes,
    "percent": _read_percent,
    "level": _read_level,
    "kind": _read_kind,
    "answer_source": _read_answer_source,
}
assert set(_READERS) == spec.SCALAR_TYPES, "every scalar type of the spec has its rule here"


_Plan = tuple[tuple[str, Callable[[_Ctx, Node, str, bool], Any], bool, Any], ...]


def _plan(table: tuple[Field, ...]) -> _Plan:
    """The scalar fields of a table with their rules, looked up once (the validator's hot loop)."""
    return tuple((f.key, _READERS[f.type], f.required, f.default) for f in table if f.type in _READERS)


def _scalars(ctx: _Ctx, fields: _Fields, plan: _Plan, path: str, parent: Node) -> dict[str, Any]:
    """The scalar fields of one mapping by its plan: values, defaults when absent, _MISSING when invalid."""
    out: dict[str, Any] = {}
    for key, read, required, default in plan:
        found = fields.get(key)
        if found is None:
            if required:
                ctx.error(parent, f"{path}.{key}" if path else key, _("required key is missing"))
                out[key] = _MISSING
            else:
                out[key] = default
            continue
        value = read(ctx, found[1], f"{path}.{key}" if path else key, required)
        out[key] = default if value is None else value
    return out


_EXAM_KEYS = keys(spec.EXAM)
_SECTION_KEYS = keys(spec.SECTION)
_QUESTION_KEYS = keys(spec.QUESTION)
_KEY_POINT_KEYS = keys(spec.KEY_POINT)
_EXAM_PLAN = _plan(spec.EXAM)
_SECTION_PLAN = _plan(spec.SECTION)
_QUESTION_PLAN = _plan(spec.QUESTION)
_KEY_POINT_PLAN = _plan(spec.KEY_POINT)


def _unique(ctx: _Ctx, fields: _Fields, path: str, value: Any, seen: dict[str, Node], message: str) -> None:
    """Report an id used before in its scope (``seen``: id → the node that used it first).

    ``message`` (marked with ``N_``, translated here) has the placeholders ``{id}`` and ``{line}``.
    """
    if not isinstance(value, str):
        return
    node = fields["id"][1]
    if value in seen:
        ctx.error(node, f"{path}.id", _(message).format(id=value, line=seen[value].line))
    else:
        seen[value] = node


def _ok(values: dict[str, Any]) -> bool:
    return _MISSING not in values.values()


# --------------------------------------------------------------------------- structures


def _validate_exam(ctx: _Ctx, root: Node, file: str) -> ExamFile | None:
    # TRANSLATORS: in "must be a mapping (…), not …"; id, title and sections are YAML keys (not translated).
    fields = _mapping(ctx, root, "", _EXAM_KEYS, N_("an exam with id, title and sections"))
    if fields is None:
        return None
    values = _scalars(ctx, fields, _EXAM_PLAN, "", root)
    exam_id = values["id"] if isinstance(values["id"], str) else ""
    sections: list[Section] = []
    questions: list[Question] = []
    if "sections" not in fields:
        ctx.error(root, "sections", _("required key is missing"))
    else:
        node = fields["sections"][1]
        if node.kind != "seq" or not node.value:
            # TRANSLATORS: {found} describes the value found, e.g. "an empty list".
            message = _("must be a non-empty list of sections, not {found}")
            ctx.error(node, "sections", message.format(found=_describe(node)))
        else:
            section_ids: dict[str, Node] = {}
            question_ids: dict[str, Node] = {}
            for i, snode in enumerate(node.value):
                found = _validate_section(ctx, snode, f"sections[{i}]", exam_id, section_ids, question_ids)
                if found is not None:
                    sections.append(found[0])
                    questions.extend(found[1])
    if ctx.problems or not _ok(values):
        return None
    return ExamFile(Exam(sections=tuple(sections), path=file, **values), tuple(questions))


def _validate_section(
    ctx: _Ctx,
    node: Node,
    path: str,
    exam_id: str,
    section_ids: dict[str, Node],
    question_ids: dict[str, Node],
) -> tuple[Section, list[Question]] | None:
    # TRANSLATORS: in "must be a mapping (…), not …"; id, title, kind and questions are YAML keys (not translated).
    fields = _mapping(ctx, node, path, _SECTION_KEYS, N_("a section with id, title, kind and questions"))
    if fields is None:
        return None
    values = _scalars(ctx, fields, _SECTION_PLAN, path, node)
    sid = values["id"]
    # TRANSLATORS: {id} is a section id; {line} the line of the file where it was first used.
    _unique(ctx, fields, path, sid, section_ids, N_("duplicate section id '{id}' (first used at line {line})"))
    kind = values["kind"] if isinstance(values["kind"], Kind) else None
    points = values["points"] if values["points"] is not _MISSING else None
    questions: list[Question] = []
    if "questions" not in fields:
        ctx.error(node, f"{path}.questions", _("required key is missing"))
    else:
        qnode = fields["questions"][1]
        if qnode.kind != "seq" or not qnode.value:
            ctx.error(
                qnode,
                f"{path}.questions",
                # TRANSLATORS: {found} describes the value found, e.g. "an empty list".
                _("must be a non-empty list of questions, not {found}").format(found=_describe(qnode)),
            )
        else:
            section_id = sid if isinstance(sid, str) else ""
            for j, item in enumerate(qnode.value):
                q = _validate_question(
                    ctx,
                    item,
                    f"{path}.questions[{j}]",
                    kind,
                    exam_id,
                    section_id,
                    points,
                    question_ids,
                )
                if q is not None:
                    questions.append(q)
    if not _ok(values) or kind is None:
        return None
    return Section(question_count=len(questions), **values), questions


def _validate_question(
    ctx: _Ctx,
    node: Node,
    path: str,
    kind: Kind | None,
    exam_id: str,
    section_id: str,
    section_points: int | float | None,
    question_ids: dict[str, Node],
) -> Question | None:
    # TRANSLATORS: in "must be a mapping (…), not …"; id, prompt and answer are YAML keys (not translated).
    fields = _mapping(ctx, node, path, _QUESTION_KEYS, N_("a question with id, prompt and answer"))
    if fields is None:
        return None
    before = len(ctx.problems)
    values = _scalars(ctx, fields, _QUESTION_PLAN, path, node)
    qid = values["id"]
    # TRANSLATORS: {id} is a question id; {line} the line of the file where it was first used.
    message = N_("duplicate question id '{id}' in this exam (first used at line {line})")
    _unique(ctx, fields, path, qid, question_ids, message)
    options: tuple[tuple[str, str], ...] = ()
    correct: tuple[str, ...] = ()
    truth: bool | None = None
    blanks: tuple[tuple[str, ...], ...] = ()
    model_answer: str | None = None
    if kind is not None:
        options = _options(ctx, fields, path, node, kind)
        letters = tuple(letter for letter, _text in options)
        if kind is Kind.SINGLE:
            correct = _single_answer(ctx, fields, path, node, letters)
        elif kind is Kind.MULTI:
            correct = _multi_answer(ctx, fields, path, node, letters)
        elif kind is Kind.TRUE_FALSE:
            truth = _truth(ctx, fields, path, node)
        elif kind is Kind.FILL_IN:
            blanks = _fill_in(ctx, fields, path, node, values["prompt"])
        elif "answer" in fields:
            found = _read_text(ctx, fields["answer"][1], f"{path}.answer", False)
            model_answer = found if isinstance(found, str) else None
    key_points = _key_points(ctx, fields, path)
    tags = _tags(ctx, fields, path)
    if len(ctx.problems) > before or kind is None or not _ok(values):
        return None
    prompt, explanation = values["prompt"], values["explanation"]
    import hashlib

    hashed = [prompt, options, correct, truth, model_answer, [(k.point, k.detail) for k in key_points], explanation]
    if blanks:  # only then: the hashes of the other kinds stay as they were (their history sees no edit)
        hashed.append(blanks)
    digest = hashlib.sha256(_json_encoder().encode(hashed).encode()).hexdigest()[:16]
    points = values.pop("points")
    return Question(
        exam_id=exam_id,
        section_id=section_id,
        kind=kind,
        options=options,
        correct=correct,
        truth=truth,
        blanks=blanks,
        model_answer=model_answer,
        key_points=key_points,
        points=points if points is not None else section_points,
        tags=tags,
        content_hash=digest,
        line=node.line,
        **values,
    )


def _key_points(ctx: _Ctx, fields: _Fields, path: str) -> tuple[KeyPoint, ...]:
    sub = f"{path}.key_points"
    if "key_points" not in fields:
        return ()
    node = fields["key_points"][1]
    if node.kind == "scalar" and scalar_value(node) is None:
        return ()
    if node.kind != "seq":
        # TRANSLATORS: {found} describes the value found, e.g. "the text '…'".
        ctx.error(node, sub, _("must be a list of key points, not {found}").format(found=_describe(node)))
        return ()
    out: list[KeyPoint] = []
    for i, item in enumerate(node.value):
        ipath = f"{sub}[{i}]"
        if item.kind == "scalar":
            text = clean(item.value)
            if not text.strip() or _is_null(item):
                ctx.error(item, ipath, _("a key point must not be empty"))
                continue
            out.append(KeyPoint(text))
            continue
        # TRANSLATORS: in "must be a mapping (…), not …"; {point: …, detail: …} is YAML, not a placeholder:
        # point and detail are YAML keys (not translated).
        kp = _mapping(ctx, item, ipath, _KEY_POINT_KEYS, N_("a key point: {point: …, detail: …}"))
        if kp is None:
            continue
        values = _scalars(ctx, kp, _KEY_POINT_PLAN, ipath, item)
        if _ok(values):
            out.append(KeyPoint(**values))
    return tuple(out)


# --------------------------------------------------------------------------- files


def load_file(path: Path, display: str | None = None) -> tuple[ExamFile | None, list[Problem]]:
    """Load and validate one bank file; return the exam file (or None) and its problems."""
    file = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        # TRANSLATORS: {reason} is the system's reason, e.g. "Permission denied".
        message = _("cannot read the file: {reason}").format(reason=exc.strerror or exc)
        return None, [Problem(file, 0, 0, "", message)]
    return load_data(data, file)


def load_data(data: bytes, file: str) -> tuple[ExamFile | None, list[Problem]]:
    """Validate the bytes of one bank file named ``file`` in messages; return the exam file and its problems."""
    import yaml

    text, problem = _decode(data, file)
    if problem is not None or text is None:
        return None, [problem] if problem else []
    bad = non_printable(text)
    if bad is not None:  # found here, where its place is known (the YAML readers say 1:1)
        line, col, char = bad
        # TRANSLATORS: {reason} is PyYAML's description (English), e.g. "special characters are not allowed".
        reason = _("YAML error: {reason}").format(reason=f"control characters are not allowed (#x{ord(char):x})")
        return None, [Problem(file, line, col, "", reason)]
    try:
        # libyaml reads UTF-8: the checked bytes spare it encoding the text again
        root = parse_yaml(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    except RejectedError as exc:
        return None, [Problem(file, exc.line, exc.col, "", exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(exc.problem or exc.context or _("invalid YAML")).split())
        start = exc.context_mark
        if exc.problem and exc.context and start is not None and start is not mark:
            # e.g. an unclosed quote: the problem is at the end of the file, the quote earlier
            # TRANSLATORS: {problem} and {context} are PyYAML's descriptions (English), e.g.
            # "found unexpected end of stream" and "while scanning a quoted scalar".
            message = _("YAML syntax error: {problem} ({context} at line {line}, column {column})").format(
                problem=what, context=exc.context, line=start.line + 1, column=start.column + 1
            )
        else:
            # TRANSLATORS: {problem} is PyYAML's description (English), e.g. "mapping values are not allowed here".
            message = _("YAML syntax error: {problem}").format(problem=what)
        return None, [Problem(file, line, col, "", message)]
    except yaml.YAMLError as exc:  # e.g. a non-printable character in the stream
        mark = getattr(exc, "mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        # TRANSLATORS: {reason} is PyYAML's description (English), e.g. "special characters are not allowed".
        return None, [Problem(file, line, col, "", _("YAML error: {reason}").format(reason=reason))]
    if root is None:
        return None, [
            Problem(
                file,
                1,
                1,
                "",
                # TRANSLATORS: id, title and sections are YAML keys (not translated).
                _("the file is empty: a bank file holds one exam (id, title, sections)"),
            )
        ]
    ctx = _Ctx(file)
    found = _validate_exam(ctx, root, file)
    return found, sorted(ctx.problems, key=lambda p: (p.line, p.column))


def load_files(paths: Iterable[Path]) -> list[ExamFile]:
    """Load every bank file under ``paths``; raise ``BankError`` listing every problem.

    This is the in-memory path (tests, the importer); sessions read the cache (``catalog``).
    """
    files, problems = bank_files(paths)
    loaded: list[ExamFile] = []
    seen: dict[str, str] = {}
    with collector_paused():
        for path in files:
            found, file_problems = load_file(path, display_name(path))
            problems.extend(file_problems)
            if found is None:
                continue
            duplicate = duplicate_exam_id(seen, found.exam.id, found.exam.path, path)
            if duplicate is not None:
                problems.append(duplicate)
                continue
            loaded.append(found)
    if problems:
        raise BankError(problems)
    return loaded
