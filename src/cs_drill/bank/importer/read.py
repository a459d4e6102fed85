"""Read a document into lines: .txt and .md in UTF-8 (with or without a BOM) or GB18030, .docx via python-docx."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from cs_drill.errors import UsageError
from cs_drill.i18n import _
from cs_drill.text import escape

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
WORD_SUFFIXES = (".docx",)
#: Above this a document is not a paper someone typed or saved (and reading it would take minutes).
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """A document's text as lines, with the name of the encoding it was read in."""

    name: str
    lines: list[str]
    encoding: str
    #: numbers of the lines the document sets out by markup (Word headings, bold paragraphs)
    marked: frozenset[int] = frozenset()


def _unreadable(path: Path, why: str) -> UsageError:
    # TRANSLATORS: {file} is the document's name, {why} one of the reasons below.
    return UsageError(_("{file}: cannot import: {why}").format(file=escape(str(path)), why=why))


def _controls(data: bytes) -> int:
    """How many bytes are C0 control characters other than tab, line feed, carriage return and form feed."""
    return sum(data.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13))


def decode(data: bytes) -> tuple[str, str]:
    """The text of a plain-text document and the encoding's name; ``ValueError`` when it is none of them.

    UTF-8 with a BOM, UTF-8, then GB18030 (a superset of GBK and GB2312, which most Chinese text files saved
    on Windows are in). A NUL byte or a UTF-16 BOM means the file is not such a text at all.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("utf-16")
    if b"\x00" in data or _controls(data) * 100 > len(data):
        raise ValueError("binary")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValueError("encoding") from None
    return text, "gb18030"


def _docx_lines(path: Path) -> tuple[list[str], frozenset[int]]:
    try:
        import docx  # python-docx: only the importer needs it, so it stays off every other command's path
    except ImportError:  # pragma: no cover - a dependency of the package
        raise _unreadable(path, _("reading Word files needs python-docx (pip install python-docx)")) from None
    if not zipfile.is_zipfile(path):
        raise _unreadable(path, _("it is not a Word (.docx) file"))
    try:
        document = docx.Document(str(path))
    except Exception as error:  # a damaged package: python-docx, lxml and the zip reader raise many kinds
        raise _unreadable(path, _("it is not a Word (.docx) file")) from error
    lines: list[str] = []
    marked: set[int] = set()
    body = document.element.body
    # Paragraphs and tables in document order; a table row becomes one line, its cells joined by spaces.
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            if _set_out(child):
                marked.add(len(lines) + 1)
            lines.extend(_paragraph_text(child).split("\n"))
        elif tag == "tbl":
            rows = [
                [" ".join(_paragraph_text(p) for p in cell.iter("{*}p")).strip() for cell in row.iter("{*}tc")]
                for row in child.iter("{*}tr")
            ]
            lines.extend(_table_lines(rows))
    return lines, frozenset(marked)


def _table_lines(rows: list[list[str]]) -> list[str]:
    """A table's rows as lines; an answer card (题号 1 2 3 … over 答案 B A C …) as a key list ``1.B 2.A 3.C``."""
    out: list[str] = []
    k = 0
    while k < len(rows):
        row = rows[k]
        below = rows[k + 1] if k + 1 < len(rows) else []
        if (
            row
            and below
            and row[0].replace(" ", "") in ("题号", "題號", "题目", "題目")
            and below[0].replace(" ", "") in ("答案", "参考答案", "參考答案", "正确答案", "正確答案")
        ):
            pairs = [f"{n}.{key}" for n, key in zip(row[1:], below[1:], strict=False) if n.strip() and key.strip()]
            out.append(" ".join(pairs))
            k += 2
            continue
        if row and row[0].replace(" ", "") in ("题号", "題號") and below and below[0].rstrip().endswith(("题", "題")):
            # one row of keys per section: 单选题 B B C … / 判断题 × √ …
            k += 1
            while k < len(rows) and rows[k] and rows[k][0].rstrip().endswith(("题", "題")):
                keys = rows[k]
                out.append(keys[0].strip())
                out.append(
                    " ".join(
                        f"{n}.{key}" for n, key in zip(row[1:], keys[1:], strict=False) if n.strip() and key.strip()
                    )
                )
                k += 1
            continue
        if row and row[0].strip().isdigit() and len(row) > 1:
            # a numbered row: 1 | 换货商品寄出后…… | × — a question laid out in a table
            out.append(f"{row[0].strip()}. " + "  ".join(c for c in row[1:] if c.strip()))
        else:
            out.append("  ".join(c for c in row if c.strip()))
        k += 1
    return out


def _set_out(paragraph: object) -> bool:
    """A paragraph in a heading style, or whose text is all bold."""
    for node in paragraph.iter("{*}pStyle"):  # type: ignore[attr-defined]
        style = next((v for k, v in node.attrib.items() if k.endswith("}val")), "")
        if style.lower().startswith(("heading", "title")) or style.isdigit():
            return True
    runs = [r for r in paragraph.iter("{*}r") if "".join(t.text or "" for t in r.iter("{*}t")).strip()]  # type: ignore[attr-defined]
    if not runs:
        return False
    for run in runs:
        bold = [b for b in run.iter("{*}b")]
        if not bold or any(v in ("0", "false") for b in bold for k, v in b.attrib.items() if k.endswith("}val")):
            return False
    return True


def _paragraph_text(element: object) -> str:
    parts: list[str] = []
    for node in element.iter():  # type: ignore[attr-defined]
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t" and node.text:
            parts.append(node.text)
        elif tag == "tab":
            parts.append("\t")
        elif tag in ("br", "cr"):
            parts.append("\n")
    return "".join(parts)


def read_document(path: Path) -> Document:
    """Read ``path``; a one-line :class:`UsageError` (exit 2) naming the file when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES + WORD_SUFFIXES:
        raise _unreadable(path, _("unknown kind of file (import reads .txt, .md and .docx)"))
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _unreadable(path, _("no such file")) from None
    except OSError as error:
        raise _unreadable(path, escape(error.strerror or str(error))) from None
    if path.is_dir():
        raise _unreadable(path, _("it is a folder"))
    if size == 0:
        raise _unreadable(path, _("the file is empty"))
    if size > MAX_BYTES:
        raise _unreadable(path, _("the file is larger than 64 MB"))
    if suffix in WORD_SUFFIXES:
        lines, marked = _docx_lines(path)
        return Document(path.name, lines, "docx", marked)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _unreadable(path, escape(error.strerror or str(error))) from None
    try:
        text, encoding = decode(data)
    except ValueError as error:
        if str(error) in ("binary", "utf-16"):
            raise _unreadable(path, _("it is not a text file (binary data or UTF-16)")) from None
        raise _unreadable(path, _("the text is neither UTF-8 nor GB18030/GBK")) from None
    return Document(path.name, text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), encoding)
