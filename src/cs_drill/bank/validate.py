"""YAML bank files → model, reporting every problem of every file with file:line:col.

The YAML is read as a stream of parser events (libyaml's ``CSafeLoader`` when
present) and turned into a small node tree of our own. That is what lets us
refuse anchors, aliases and non-scalar tags before anything is expanded or
constructed, and keep the line and column of every node for error messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from cs_drill.bank.files import bank_files, display_name, duplicate_exam_id
from cs_drill.errors import BankError, Problem
from cs_drill.bank.model import Bank, Exam, KeyPoint, Kind, Question, Section
from cs_drill._gc import collector_paused
from cs_drill.text import clean

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
LANG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

EXAM_KEYS = ("id", "title", "language", "source", "description", "sections")
SECTION_KEYS = ("id", "title", "kind", "points", "instructions", "questions")
QUESTION_KEYS = (
    "id",
    "prompt",
    "options",
    "answer",
    "key_points",
    "explanation",
    "answer_source",
    "note",
    "points",
    "tags",
)
KEY_POINT_KEYS = ("point", "detail")
KINDS = tuple(k.value for k in Kind)

_STD_SCALAR_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
}
_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_NULL = {"", "~", "null"}

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")


_ENCODER: list[Any] = []


def _json_encoder() -> Any:
    """What ``json.dumps(..., ensure_ascii=False)`` would make anew on every call."""
    if not _ENCODER:
        import json

        _ENCODER.append(json.JSONEncoder(ensure_ascii=False))
    return _ENCODER[0]


# --------------------------------------------------------------------------- nodes


class Node:
    """A YAML node with its place: kind is 'map', 'seq' or 'scalar'.

    ``value``: scalar: str; seq: list[Node]; map: list[tuple[Node, Node]] (filled while
    parsing). ``plain``: an unquoted scalar, subject to type resolution.
    """

    __slots__ = ("kind", "line", "col", "value", "plain", "tag")

    def __init__(
        self, kind: str, line: int, col: int, value: Any = None, plain: bool = False, tag: str | None = None
    ) -> None:
        self.kind = kind
        self.line = line
        self.col = col
        self.value = value
        self.plain = plain
        self.tag = tag

    def __repr__(self) -> str:
        return f"Node({self.kind!r}, {self.line}, {self.col}, {self.value!r})"


class _RejectedError(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _loader_class() -> type[Any]:
    import yaml

    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def parse_yaml(text: str | bytes) -> Node | None:
    """Parse one YAML document into a Node tree; refuse anchors, aliases and tags.

    Returns None for an empty stream. Raises ``_RejectedError`` or ``yaml.YAMLError``.
    """
    import yaml

    # The hot loop of a cold build: one pass over libyaml's events with the
    # container being filled (``top``) and a pending mapping key in locals.
    scalar_event = yaml.ScalarEvent
    seq_start = yaml.SequenceStartEvent
    map_start = yaml.MappingStartEvent
    end_events = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    std_tags = _STD_SCALAR_TAGS
    loader = _loader_class()(text)
    get_event = loader.get_event
    stack: list[tuple[Node | None, bool, Node | None]] = []
    top: Node | None = None  # the open collection
    in_seq = False
    key: Node | None = None  # a mapping's key waiting for its value
    root: Node | None = None
    documents = 0
    try:
        while True:
            event = get_event()
            etype = event.__class__
            if etype is scalar_event or etype is seq_start or etype is map_start:
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if event.anchor is not None:
                    raise _RejectedError(line, col, f"YAML anchors are not allowed (&{event.anchor})")
                tag = event.tag
                scalar = etype is scalar_event
                # a scalar may carry a standard scalar tag or the non-specific "!"; a collection none
                if tag is not None and (not scalar or (tag not in std_tags and tag != "!")):
                    raise _RejectedError(line, col, f"YAML tag {_short_tag(tag)} is not allowed")
                if scalar:
                    node = Node("scalar", line, col, event.value, event.implicit[0], tag)
                else:
                    node = Node("seq" if etype is seq_start else "map", line, col, [])
                if top is None:
                    if root is None:
                        root = node
                elif in_seq:
                    top.value.append(node)
                elif key is None:
                    key = node
                else:
                    top.value.append((key, node))
                    key = None
                if not scalar:
                    stack.append((top, in_seq, key))
                    top, in_seq, key = node, etype is seq_start, None
                continue
            if etype in end_events:
                top, in_seq, key = stack.pop()
                continue
            if etype is yaml.StreamEndEvent:
                break
            if etype is yaml.StreamStartEvent or etype is yaml.DocumentEndEvent:
                continue
            mark = event.start_mark
            line, col = mark.line + 1, mark.column + 1
            if etype is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _RejectedError(line, col, "a bank file holds one YAML document; found a second '---'")
                continue
            if etype is yaml.AliasEvent:
                raise _RejectedError(line, col, f"YAML aliases are not allowed (*{event.anchor})")
    finally:
        loader.dispose()
    return root


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def scalar_value(node: Node) -> Any:
    """Resolve a scalar as YAML 1.1's core types would: null, bool, int, float or str."""
    text = node.value
    tag = node.tag
    if tag is None and node.plain:
        low = text.lower()
        if low in _NULL:
            return None
        if low in _BOOL:
            return _BOOL[low]
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
        return text
    if tag == "tag:yaml.org,2002:int":
        return int(text) if _INT.match(text) else text
    if tag == "tag:yaml.org,2002:float":
        return float(text) if _FLOAT.match(text) or _INT.match(text) else text
    if tag == "tag:yaml.org,2002:bool":
        return _BOOL.get(text.lower(), text)
    if tag == "tag:yaml.org,2002:null":
        return None
    return text


# --------------------------------------------------------------------------- validation


class _Ctx:
    __slots__ = ("file", "problems")

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, node: Node, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, node.line, node.col, path, message))


def _mapping(ctx: _Ctx, node: Node, path: str, allowed: Sequence[str], what: str) -> dict[str, tuple[Node, Node]] | None:
    if node.kind != "map":
        ctx.error(node, path, f"must be a mapping ({what}), not {_describe(node)}")
        return None
    out: dict[str, tuple[Node, Node]] = {}
    for key, value in node.value:
        if key.kind != "scalar":
            ctx.error(key, path, "mapping keys must be plain text")
            continue
        name = key.value
        if name in out:
            ctx.error(key, f"{path}.{name}" if path else name, "duplicate key")
            continue
        if name not in allowed:
            import difflib

            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
            ctx.error(key, f"{path}.{name}" if path else name, f"unknown key '{name}'{hint}")
            continue
        out[name] = (key, value)
    return out


def _describe(node: Node) -> str:
    if node.kind == "map":
        return "a mapping" if node.value else "an empty mapping"
    if node.kind == "seq":
        return "a list" if node.value else "an empty list"
    value = scalar_value(node)
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {node.value}"
    return f"the text '{_trim(node.value)}'"


def _trim(text: str, width: int = 30) -> str:
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 1] + "…"


def _text(
    ctx: _Ctx, fields: dict[str, tuple[Node, Node]], name: str, path: str, parent: Node, *, required: bool = False
) -> str | None:
    """A text field: any non-null scalar, taken literally."""
    found = fields.get(name)
    if found is None:
        if required:
            ctx.error(parent, f"{path}.{name}" if path else name, "required key is missing")
        return None
    node = found[1]
    if node.kind != "scalar":
        ctx.error(node, f"{path}.{name}" if path else name, f"must be text, not {_describe(node)}")
        return None
    value = node.value
    if node.plain and node.tag is None and len(value) <= 4 and value.lower() in _NULL:
        if required:
            ctx.error(node, f"{path}.{name}" if path else name, "must not be empty")
        return None
    text = clean(value)
    if required and not text.strip():
        ctx.error(node, f"{path}.{name}" if path else name, "must not be empty")
        return None
    return text


def _slug(ctx: _Ctx, fields: dict[str, tuple[Node, Node]], path: str, parent: Node) -> tuple[str | None, Node | None]:
    value = _text(ctx, fields, "id", path, parent, required=True)
    if value is None:
        return None, None
    node = fields["id"][1]
    if not SLUG.match(value):
        ctx.error(node, f"{path}.id" if path else "id", f"'{_trim(value)}' is not a valid id: use lowercase letters, digits and '-', starting with a letter or digit")
        return None, node
    return value, node


def _points(ctx: _Ctx, fields: dict[str, tuple[Node, Node]], path: str) -> int | float | None:
    if "points" not in fields:
        return None
    _, node = fields["points"]
    value = scalar_value(node) if node.kind == "scalar" else node
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        ctx.error(node, f"{path}.points", f"must be a number of points (0 or more), not {_describe(node)}")
        return None
    return value


def _validate_exam(ctx: _Ctx, root: Node, file: str) -> Exam | None:
    fields = _mapping(ctx, root, "", EXAM_KEYS, "an exam with id, title and sections")
    if fields is None:
        return None
    exam_id, _ = _slug(ctx, fields, "", root)
    title = _text(ctx, fields, "title", "", root, required=True)
    language = _text(ctx, fields, "language", "", root) or "zh-Hans"
    if "language" in fields and not LANG.match(language):
        ctx.error(fields["language"][1], "language", f"'{_trim(language)}' is not a BCP 47 language tag (e.g. zh-Hans)")
    source = _text(ctx, fields, "source", "", root)
    description = _text(ctx, fields, "description", "", root)
    sections: list[Section] = []
    if "sections" not in fields:
        ctx.error(root, "sections", "required key is missing")
    else:
        node = fields["sections"][1]
        if node.kind != "seq" or not node.value:
            ctx.error(node, "sections", f"must be a non-empty list of sections, not {_describe(node)}")
        else:
            section_ids: dict[str, Node] = {}
            question_ids: dict[str, Node] = {}
            for i, snode in enumerate(node.value):
                section = _validate_section(ctx, snode, f"sections[{i}]", exam_id or "", section_ids, question_ids)
                if section is not None:
                    sections.append(section)
    if ctx.problems or exam_id is None or title is None:
        return None
    return Exam(
        id=exam_id,
        title=title,
        sections=tuple(sections),
        language=language,
        source=source,
        description=description,
        path=file,
    )


def _validate_section(
    ctx: _Ctx,
    node: Node,
    path: str,
    exam_id: str,
    section_ids: dict[str, Node],
    question_ids: dict[str, Node],
) -> Section | None:
    fields = _mapping(ctx, node, path, SECTION_KEYS, "a section with id, title, kind and questions")
    if fields is None:
        return None
    sid, sid_node = _slug(ctx, fields, path, node)
    if sid is not None and sid_node is not None:
        if sid in section_ids:
            first = section_ids[sid]
            ctx.error(sid_node, f"{path}.id", f"duplicate section id '{sid}' (first used at line {first.line})")
        else:
            section_ids[sid] = sid_node
    title = _text(ctx, fields, "title", path, node, required=True)
    kind_text = _text(ctx, fields, "kind", path, node, required=True)
    kind: Kind | None = None
    if kind_text is not None:
        try:
            kind = Kind(kind_text)
        except ValueError:
            import difflib

            close = difflib.get_close_matches(kind_text, KINDS, n=1, cutoff=0.5)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            ctx.error(fields["kind"][1], f"{path}.kind", f"'{_trim(kind_text)}' is not a kind: use one of {', '.join(KINDS)}{hint}")
    points = _points(ctx, fields, path)
    instructions = _text(ctx, fields, "instructions", path, node)
    questions: list[Question] = []
    if "questions" not in fields:
        ctx.error(node, f"{path}.questions", "required key is missing")
    else:
        qnode = fields["questions"][1]
        if qnode.kind != "seq" or not qnode.value:
            ctx.error(qnode, f"{path}.questions", f"must be a non-empty list of questions, not {_describe(qnode)}")
        else:
            for j, item in enumerate(qnode.value):
                q = _validate_question(ctx, item, f"{path}.questions[{j}]", kind, exam_id, sid or "", points, question_ids)
                if q is not None:
                    questions.append(q)
    if sid is None or title is None or kind is None:
        return None
    return Section(id=sid, title=title, kind=kind, questions=tuple(questions), points=points, instructions=instructions)


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
    fields = _mapping(ctx, node, path, QUESTION_KEYS, "a question with id, prompt and answer")
    if fields is None:
        return None
    before = len(ctx.problems)
    qid, qid_node = _slug(ctx, fields, path, node)
    if qid is not None and qid_node is not None:
        if qid in question_ids:
            first = question_ids[qid]
            ctx.error(qid_node, f"{path}.id", f"duplicate question id '{qid}' in this exam (first used at line {first.line})")
        else:
            question_ids[qid] = qid_node
    prompt = _text(ctx, fields, "prompt", path, node, required=True)
    options: tuple[tuple[str, str], ...] = ()
    correct: tuple[str, ...] = ()
    truth: bool | None = None
    model_answer: str | None = None
    if kind is not None:
        options = _options(ctx, fields, path, node, kind)
        letters = tuple(k for k, _ in options)
        if kind is Kind.SINGLE:
            correct = _single_answer(ctx, fields, path, node, letters)
        elif kind is Kind.MULTI:
            correct = _multi_answer(ctx, fields, path, node, letters)
        elif kind is Kind.TRUE_FALSE:
            truth = _truth(ctx, fields, path, node)
        else:
            model_answer = _text(ctx, fields, "answer", path, node)
    key_points = _key_points(ctx, fields, path)
    explanation = _text(ctx, fields, "explanation", path, node)
    source = _text(ctx, fields, "answer_source", path, node) or "source"
    if source not in ("source", "authored"):
        ctx.error(fields["answer_source"][1], f"{path}.answer_source", f"'{_trim(source)}' must be 'source' or 'authored'")
    note = _text(ctx, fields, "note", path, node)
    points = _points(ctx, fields, path)
    tags = _tags(ctx, fields, path)
    if len(ctx.problems) > before or qid is None or prompt is None or kind is None:
        return None
    import hashlib

    digest = hashlib.sha256(
        _json_encoder().encode(
            [prompt, options, correct, truth, model_answer, [(k.point, k.detail) for k in key_points], explanation]
        ).encode()
    ).hexdigest()[:16]
    return Question(
        id=qid,
        exam_id=exam_id,
        section_id=section_id,
        kind=kind,
        prompt=prompt,
        options=options,
        correct=correct,
        truth=truth,
        model_answer=model_answer,
        key_points=key_points,
        explanation=explanation,
        answer_source=source,
        note=note,
        points=points if points is not None else section_points,
        tags=tags,
        content_hash=digest,
        line=node.line,
    )


def _options(ctx: _Ctx, fields: dict[str, tuple[Node, Node]], path: str, parent: Node, kind: Kind) -> tuple[tuple[str, str], ...]:
    sub = f"{path}.options"
    if not kind.is_choice:
        if "options" in fields:
            ctx.error(fields["options"][0], sub, f"a {kind.value} question has no options")
        return ()
    if "options" not in fields:
        ctx.error(parent, sub, f"required for a {kind.value} question: a mapping of letters A, B, C… to text")
        return ()
    node = fields["options"][1]
    if node.kind != "map":
        ctx.error(node, sub, f"must be a mapping of letters A, B, C… to text, not {_describe(node)}")
        return ()
    out: list[tuple[str, str]] = []
    for i, (key, value) in enumerate(node.value):
        expected = LETTERS[i] if i < len(LETTERS) else None
        letter = key.value if key.kind == "scalar" else None
        if expected is None:
            ctx.error(key, sub, "at most 26 options (A to Z)")
            break
        if letter != expected:
            shown = f"'{_trim(str(letter))}'" if letter is not None else _describe(key)
            ctx.error(key, f"{sub}.{letter}" if letter else sub, f"option {i + 1} must be labelled '{expected}', not {shown} (letters A, B, C… in order)")
            continue
        if value.kind != "scalar" or scalar_value(value) is None and value.plain:
            ctx.error(value, f"{sub}.{letter}", "option text must be non-empty text")
            continue
        text = clean(value.value)
        if not text.strip():
            ctx.error(value, f"{sub}.{letter}", "option text must be non-empty text")
            continue
        out.append((letter, text))
    if len(node.value) < 2:
        ctx.error(node, sub, "a choice question needs at least 2 options")
    return tuple(out)


def _letters_hint(letters: Sequence[str]) -> str:
    if not letters:
        return "the options"
    return ", ".join(letters[:-1]) + (" or " if len(letters) > 1 else "") + letters[-1]


def _single_answer(ctx: _Ctx, fields: dict[str, tuple[Node, Node]], path: str, parent: Node, letters: tuple[str, ...]) -> tuple[str, ...]:
    sub = f"{path}.answer"
    if "answer" not in fields:
        ctx.error(parent, sub, "required key is missing: the letter of the right option")
        return ()
    node = fields["answer"][1]
    if node.kind != "scalar" or not isinstance(scalar_value(node), str):
        ctx.error(node, sub, f"must be one letter ({_letters_hint(letters)}), not {_describe(node)}")
        return ()
    letter = node.value.strip()
    if not letters:  # the options are missing or broken, and reported as such
        return ()
    if letter not in letters:
        ctx.error(node, sub, f"'{_trim(letter)}' is not one of the options {', '.join(letters)}")
        return ()
    return (letter,)


def _multi_answer(ctx: _Ctx, fields: dict[str, tuple[Node, Node]], path: str, parent: Node, letters: tuple[str, ...]) -> tuple[str, ...]:
    sub = f"{path}.answer"
    if "answer" not in fields:
        ctx.error(parent, sub, "required key is missing: a list of the right letters, e.g. [A, C]")
        return ()
    node = fields["answer"][1]
    if node.kind != "seq" or not node.value:
        ctx.error(node, sub, f"must be a non-empty list of letters, e.g. [A, C], not {_describe(node)}")
        return ()
    if not letters:  # the options are missing or broken, and reported as such
        return ()
    chosen: list[str] = []
    for i, item in enumerate(node.value):
        if item.kind != "scalar" or not isinstance(scalar_value(item), str):
            ctx.error(item, f"{sub}[{i}]", f"must be a letter, not {_describe(item)}")
            continue
        letter = item.value.strip()
        if letter not in letters:
            ctx.error(item, f"{sub}[{i}]", f"'{_trim(letter)}' is not one of the options {', '.join(letters)}")
        elif letter in chosen:
            ctx.error(item, f"{sub}[{i}]", f"'{letter}' is listed twice")
        else:
            chosen.append(letter)
    return tuple(sorted(chosen))


def _truth(ctx: _Ctx, fields: dict[str, tuple[Node, Node]], path: str, parent: Node) -> bool | None:
    sub = f"{path}.answer"
    if "answer" not in fields:
        ctx.error(parent, sub, "required key is missing: true or false")
        return None
    node = fields["answer"][1]
    value = scalar_value(node) if node.kind == "scalar" else None
    if not isinstance(value, bool):
        ctx.error(node, sub, f"must be true or false, not {_describe(node)}")
        return None
    return value


def _key_points(ctx: _Ctx, fields: dict[str, tuple[Node, Node]], path: str) -> tuple[KeyPoint, ...]:
    sub = f"{path}.key_points"
    if "key_points" not in fields:
        return ()
    node = fields["key_points"][1]
    if node.kind == "scalar" and scalar_value(node) is None:
        return ()
    if node.kind != "seq":
        ctx.error(node, sub, f"must be a list of key points, not {_describe(node)}")
        return ()
    out: list[KeyPoint] = []
    for i, item in enumerate(node.value):
        ipath = f"{sub}[{i}]"
        if item.kind == "scalar":
            text = clean(item.value)
            if not text.strip():
                ctx.error(item, ipath, "a key point must not be empty")
                continue
            out.append(KeyPoint(text))
            continue
        kp = _mapping(ctx, item, ipath, KEY_POINT_KEYS, "a key point: {point: …, detail: …}")
        if kp is None:
            continue
        point = _text(ctx, kp, "point", ipath, item, required=True)
        detail = _text(ctx, kp, "detail", ipath, item)
        if point is not None:
            out.append(KeyPoint(point, detail))
    return tuple(out)


def _tags(ctx: _Ctx, fields: dict[str, tuple[Node, Node]], path: str) -> tuple[str, ...]:
    sub = f"{path}.tags"
    if "tags" not in fields:
        return ()
    node = fields["tags"][1]
    if node.kind != "seq":
        ctx.error(node, sub, f"must be a list of tags, e.g. [物流, 投诉], not {_describe(node)}")
        return ()
    out: list[str] = []
    for i, item in enumerate(node.value):
        if item.kind != "scalar" or scalar_value(item) is None:
            ctx.error(item, f"{sub}[{i}]", f"a tag must be text, not {_describe(item)}")
            continue
        out.append(clean(item.value))
    return tuple(out)


# --------------------------------------------------------------------------- files


def _decode(data: bytes, file: str) -> tuple[str | None, Problem | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(file, 1, 1, "", "the file is UTF-16; save it as UTF-8")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        col = len(head) - (head.rfind(b"\n") + 1) + 1
        return None, Problem(file, line, col, "", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8")


def load_file(path: Path, display: str | None = None) -> tuple[Exam | None, list[Problem]]:
    """Load and validate one bank file; return the exam (or None) and its problems."""
    file = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(file, 0, 0, "", f"cannot read the file: {exc.strerror or exc}")]
    return load_data(data, file)


def load_data(data: bytes, file: str) -> tuple[Exam | None, list[Problem]]:
    """Validate the bytes of one bank file named ``file`` in messages; return the exam and its problems."""
    import yaml

    text, problem = _decode(data, file)
    if problem is not None or text is None:
        return None, [problem] if problem else []
    try:
        # libyaml reads UTF-8: the checked bytes spare it encoding the text again
        root = parse_yaml(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    except _RejectedError as exc:
        return None, [Problem(file, exc.line, exc.col, "", exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        start = exc.context_mark
        if exc.problem and exc.context and start is not None and start is not mark:
            # e.g. an unclosed quote: the problem is at the end of the file, the quote earlier
            what += f" ({exc.context} at line {start.line + 1}, column {start.column + 1})"
        return None, [Problem(file, line, col, "", f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:  # e.g. a non-printable character in the stream
        mark = getattr(exc, "mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        return None, [Problem(file, line, col, "", f"YAML error: {reason}")]
    if root is None:
        return None, [Problem(file, 1, 1, "", "the file is empty: a bank file holds one exam (id, title, sections)")]
    ctx = _Ctx(file)
    exam = _validate_exam(ctx, root, file)
    return exam, sorted(ctx.problems, key=lambda p: (p.line, p.column))


def load_bank(paths: Iterable[Path]) -> Bank:
    """Load every bank file under ``paths``; raise ``BankError`` listing every problem."""
    files, problems = bank_files(paths)
    exams: list[Exam] = []
    seen: dict[str, str] = {}
    for path, exam, file_problems in _load_all(files):
        problems.extend(file_problems)
        if exam is None:
            continue
        duplicate = duplicate_exam_id(seen, exam.id, exam.path, path)
        if duplicate is not None:
            problems.append(duplicate)
            continue
        exams.append(exam)
    if problems:
        raise BankError(problems)
    return Bank(tuple(exams))


def _load_all(files: list[Path]) -> Iterator[tuple[Path, Exam | None, list[Problem]]]:
    with collector_paused():
        for path in files:
            exam, problems = load_file(path, display_name(path))
            yield path, exam, problems
