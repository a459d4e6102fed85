"""YAML text → a small tree of nodes with their places, refusing what banks may not use.

The YAML is read as a stream of parser events (libyaml's ``CSafeLoader`` when
present) and turned into a small node tree of our own. That is what lets us
refuse anchors, aliases and non-scalar tags before anything is expanded or
constructed, and keep the line and column of every node for error messages.
Plain scalars are typed by PyYAML's own resolver (YAML 1.1 as PyYAML has it).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any, NamedTuple

from cs_drill.i18n import _

__all__ = ["Node", "RejectedError", "non_printable", "parse_yaml", "scalar_value"]

#: What YAML does not allow in a stream (PyYAML's own rule, ``Reader.NON_PRINTABLE``).
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Line breaks as YAML counts them; an editor counts LF (and CRLF) only.
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_LONE_CR = re.compile("\r(?!\n)")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: libyaml's words for it (English, as every YAML reader's description in our messages).
_BAD_ESCAPE = "found invalid Unicode character escape code"

_STD_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")}
_TAG = "tag:yaml.org,2002:"


class Node:
    """A YAML node with its place: kind is 'map', 'seq' or 'scalar'.

    ``value``: scalar: str; seq: list[Node]; map: list[tuple[Node, Node]] (filled while
    parsing). ``plain``: an unquoted scalar, subject to type resolution.
    """

    __slots__ = ("kind", "line", "col", "value", "plain", "tag")

    def __init__(
        self,
        kind: str,
        line: int,
        col: int,
        value: Any = None,
        plain: bool = False,
        tag: str | None = None,
    ) -> None:
        self.kind = kind
        self.line = line
        self.col = col
        self.value = value
        self.plain = plain
        self.tag = tag

    def __repr__(self) -> str:
        return f"Node({self.kind!r}, {self.line}, {self.col}, {self.value!r})"


class RejectedError(Exception):
    """A YAML construct that bank files may not use (anchors, aliases, tags, a second document)."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _editor_place(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset, lines ending at LF (CRLF) only."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def non_printable(text: str) -> tuple[int, int, str] | None:
    """The first character YAML does not allow, with its line and column as an editor shows them."""
    found = _NON_PRINTABLE.search(text)
    if found is None:
        return None
    line, col = _editor_place(text, found.start())
    return line, col, found.group()


class _Places:
    """YAML's (line, column) → an editor's, for a text where YAML sees more line breaks.

    PyYAML and libyaml also end a line at NEL, U+2028, U+2029 and a lone CR; an editor
    (and every message of ours) counts LF and CRLF only.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _YAML_BREAK.finditer(text)]
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def __call__(self, line: int, col: int) -> tuple[int, int]:
        """1-based YAML place → 1-based editor place."""
        if not 1 <= line <= len(self.starts):
            return line, col
        offset = self.starts[line - 1] + col - 1
        n = bisect_left(self.newlines, offset)
        return n + 1, offset - (self.newlines[n - 1] + 1 if n else 0) + 1

    def remap(self, root: Node | None) -> None:
        todo = [root] if root is not None else []
        while todo:
            node = todo.pop()
            node.line, node.col = self(node.line, node.col)
            if node.kind == "seq":
                todo.extend(node.value)
            elif node.kind == "map":
                for key, value in node.value:
                    todo.append(key)
                    todo.append(value)

    def remap_mark(self, mark: Any) -> Any:
        """A mark (libyaml's cannot be changed) at the editor's place."""
        if mark is None:
            return None
        import yaml

        line, col = self(mark.line + 1, mark.column + 1)
        return yaml.Mark(mark.name, mark.index, line - 1, col - 1, None, 0)


def _places(text: str | bytes) -> _Places | None:
    """The place mapping when ``text`` holds a line break that only YAML counts, else None."""
    if isinstance(text, bytes):
        if not (b"\r" in text or b"\xc2\x85" in text or b"\xe2\x80\xa8" in text or b"\xe2\x80\xa9" in text):
            return None
        text = text.decode("utf-8", "replace")
    if "\x85" in text or "\u2028" in text or "\u2029" in text or ("\r" in text and _LONE_CR.search(text)):
        return _Places(text)
    return None


def _loader_class() -> type[Any]:
    import yaml

    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def parse_yaml(text: str | bytes) -> Node | None:
    """Parse one YAML document into a Node tree; refuse anchors, aliases and tags.

    Returns None for an empty stream. Raises ``RejectedError`` or ``yaml.YAMLError``.
    Every place (of a node or an error) is the line and column an editor shows.
    """
    import yaml

    places = _places(text)
    if places is None:
        return _parse(text)
    try:
        root = _parse(text)
    except RejectedError as exc:
        exc.line, exc.col = places(exc.line, exc.col)
        raise
    except yaml.MarkedYAMLError as exc:
        same = exc.context_mark is exc.problem_mark
        exc.problem_mark = places.remap_mark(exc.problem_mark)
        exc.context_mark = exc.problem_mark if same else places.remap_mark(exc.context_mark)
        raise
    places.remap(root)
    return root


def _parse(text: str | bytes) -> Node | None:
    import yaml

    # The hot loop of a cold build: one pass over libyaml's events with the
    # container being filled (``top``) and a pending mapping key in locals.
    scalar_event = yaml.ScalarEvent
    seq_start = yaml.SequenceStartEvent
    map_start = yaml.MappingStartEvent
    end_events = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    std_tags = _STD_SCALAR_TAGS
    loader_class = _loader_class()
    loader = loader_class(text)
    # PyYAML's pure-Python scanner (no libyaml) lets an escape such as "\ud800" make a lone
    # surrogate, and fails with ValueError on "\U00110000": both are refused as libyaml does.
    pure = loader_class is not getattr(yaml, "CSafeLoader", None)
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
                    # TRANSLATORS: {anchor} is the name of a YAML anchor (&name), as in the file.
                    message = _("YAML anchors are not allowed (&{anchor})").format(anchor=event.anchor)
                    raise RejectedError(line, col, message)
                tag = event.tag
                scalar = etype is scalar_event
                # a scalar may carry a standard scalar tag or the non-specific "!"; a collection none
                if tag is not None and (not scalar or (tag not in std_tags and tag != "!")):
                    # TRANSLATORS: {tag} is a YAML tag as in the file, e.g. !!set or !custom.
                    message = _("YAML tag {tag} is not allowed").format(tag=_short_tag(tag))
                    raise RejectedError(line, col, message)
                if scalar:
                    if tag is not None and tag != "!":
                        _check_tag(tag, event.value, line, col)
                    if pure and _SURROGATE.search(event.value):
                        raise RejectedError(line, col, _("YAML syntax error: {problem}").format(problem=_BAD_ESCAPE))
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
                    message = _("a bank file holds one YAML document; found a second '---'")
                    raise RejectedError(line, col, message)
                continue
            if etype is yaml.AliasEvent:
                # TRANSLATORS: {anchor} is the name of a YAML alias (*name), as in the file.
                message = _("YAML aliases are not allowed (*{anchor})").format(anchor=event.anchor)
                raise RejectedError(line, col, message)
    except (ValueError, OverflowError):  # the pure-Python scanner: chr() of an escape past U+10FFFF
        if not pure:
            raise
        mark = loader.get_mark()
        message = _("YAML syntax error: {problem}").format(problem=_BAD_ESCAPE)
        raise RejectedError(mark.line + 1, mark.column + 1, message) from None
    finally:
        loader.dispose()
    return root


def _check_tag(tag: str, text: str, line: int, col: int) -> None:
    """Refuse a standard tag on a value it does not fit (``!!int abc``, ``!!null X``).

    A value fits its tag when PyYAML's resolver would give the same text that tag as a
    plain scalar (an integer also fits ``!!float``); anything fits ``!!str``.
    """
    name = tag[len(_TAG) :]
    if name == "str":
        return
    found = _resolve(text)[len(_TAG) :]
    if found == name or (name == "float" and found == "int"):
        return
    shown = text if len(text) <= 30 else text[:29] + "…"
    reason = f"the tag {_short_tag(tag)} does not fit the value '{shown}'"
    # TRANSLATORS: {reason} is PyYAML's description (English), e.g. "special characters are not allowed".
    raise RejectedError(line, col, _("YAML error: {reason}").format(reason=reason))


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


_TOOLS: list[Any] = []


def _tools() -> tuple[Any, Any]:
    """PyYAML's resolver and safe constructor, made once."""
    if not _TOOLS:
        import yaml

        _TOOLS.extend((yaml.resolver.Resolver(), yaml.constructor.SafeConstructor()))
    return _TOOLS[0], _TOOLS[1]


def _resolve(text: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar."""
    import yaml

    return str(_tools()[0].resolve(yaml.nodes.ScalarNode, text, (True, False)))


class TooLarge(NamedTuple):
    """A number with more digits than Python converts (``sys.get_int_max_str_digits``)."""

    text: str


def scalar_value(node: Node) -> Any:
    """Resolve a scalar as PyYAML's safe loader would: None, bool, int, float or str.

    A plain scalar takes the type PyYAML's resolver gives it (YAML 1.1: ``yes`` and
    ``on`` are booleans, ``010`` is octal 8, ``1_000`` is 1000); a quoted one is text;
    an explicit standard tag (``!!int 3``) converts the text, and text it cannot
    convert stays text. A timestamp stays text. A number too long to convert is a
    ``TooLarge``.
    """
    text = node.value
    tag = node.tag
    if tag is None:
        if not node.plain:
            return text
        if not text or (text[0] not in _FIRST and text[0] != "~"):
            return text if text else None
        tag = _resolve(text)
    elif tag == "!" or not tag.startswith(_TAG):
        return text
    name = tag[len(_TAG) :]
    if name == "str" or name not in ("null", "bool", "int", "float"):
        return text
    import yaml

    constructor = _tools()[1]
    try:
        return constructor.construct_object(yaml.nodes.ScalarNode(tag, text))
    except ValueError as exc:
        if "digits" in str(exc) or "Exceeds the limit" in str(exc):
            return TooLarge(text)
        return text
    except (yaml.YAMLError, TypeError, KeyError, IndexError, OverflowError):
        return text


#: First characters of the plain scalars PyYAML may resolve to something other than text.
_FIRST = frozenset("-+0123456789.yYnNtTfFoO~")
