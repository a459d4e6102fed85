"""Maintain csdrill's message catalogs with Babel.

    python tools/catalogs.py extract   # src/ (and Click's, Typer's messages) → src/cs_drill/locale/csdrill.pot
    python tools/catalogs.py update    # merge the template into en, zh_Hans, zh_Hant .po files
    python tools/catalogs.py compile   # .po → .mo (the compiled catalogs ship in the wheel)
    python tools/catalogs.py check     # list messages not yet translated in a Chinese catalog
    python tools/catalogs.py all       # extract, update, compile, check

Needs Babel (in the ``test`` extra). The tests check that the shipped ``.mo``
files are what ``compile`` makes of the ``.po`` files, and that every message
of the source is translated in both Chinese catalogs.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "cs_drill"
LOCALE = SOURCE / "locale"
TEMPLATE = LOCALE / "csdrill.pot"
DOMAIN = "csdrill"
LOCALES = {"en": "en", "zh_Hans": "zh_Hans", "zh_Hant": "zh_Hant"}
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2)}
COMMENT_TAGS = ("TRANSLATORS:",)
#: Messages of the library that draws the command line (help headings, defaults); the user meets them in help.
#: (Typer's own copy of Click writes its few fixed phrases without the catalog: see cli/usage.py.)
THIRD_PARTY = ("typer",)


def po_path(folder: str) -> Path:
    return LOCALE / folder / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(folder: str) -> Path:
    return LOCALE / folder / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _third_party_files() -> Iterator[tuple[str, Path]]:
    import importlib

    for name in THIRD_PARTY:
        package = Path(importlib.import_module(name).__file__ or "").parent
        for path in sorted(package.glob("*.py")):
            yield f"{name}/{path.name}", path


def _ours() -> Iterable[tuple[str, int, Any, list[str], str | None]]:
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=COMMENT_TAGS
    ):
        yield f"src/cs_drill/{filename}", lineno, message, comments, context


def _theirs() -> Iterable[tuple[str, int, Any, list[str], str | None]]:
    for where, path in _third_party_files():
        keywords = {"_": None, "ngettext": (1, 2)}
        for lineno, message, comments, context in extract_from_file("python", str(path), keywords=keywords):
            yield where, lineno, message, comments, context


def template() -> Catalog:
    """The catalog of every message in the source (and Click's and Typer's), untranslated."""
    catalog = Catalog(project="csdrill", charset="utf-8", fuzzy=False)
    for where, lineno, message, comments, context in (*_ours(), *_theirs()):
        catalog.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    return catalog


def ours() -> set[Any]:
    """The ids of csdrill's own messages (a str, or a (singular, plural) tuple)."""
    return {message for _, _, message, _, _ in _ours()}


def _write_po(path: Path, catalog: Catalog) -> None:
    buf = io.BytesIO()
    write_po(buf, catalog, width=120, omit_header=False, sort_output=False, include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def read(folder: str) -> Catalog:
    with po_path(folder).open("rb") as f:
        return read_po(f, locale=folder if folder != "en" else "en")


def compiled(folder: str) -> bytes:
    """What ``compile`` writes for ``folder``'s .po file."""
    buf = io.BytesIO()
    write_mo(buf, read(folder), use_fuzzy=False)
    return buf.getvalue()


def extract() -> None:
    _write_po(TEMPLATE, template())


def update() -> None:
    with TEMPLATE.open("rb") as f:
        pot = read_po(f)
    for folder in LOCALES:
        path = po_path(folder)
        if path.exists():
            catalog = read(folder)
            catalog.update(pot, update_header_comment=False)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=folder, project="csdrill", charset="utf-8", fuzzy=False)
            catalog.update(pot)
        _write_po(path, catalog)


def compile_all() -> None:
    for folder in LOCALES:
        mo_path(folder).write_bytes(compiled(folder))


def missing(folder: str) -> list[Any]:
    """csdrill's messages without a (non-fuzzy) translation in ``folder``'s catalog."""
    catalog = read(folder)
    wanted = ours()
    out = []
    for message in catalog:
        if not message.id or message.id not in wanted:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message.id)
    return out


def check() -> int:
    bad = 0
    for folder in ("zh_Hans", "zh_Hant"):
        for message_id in missing(folder):
            print(f"{folder}: not translated: {message_id!r}")
            bad += 1
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    steps = {"extract": extract, "update": update, "compile": compile_all}
    if not argv or argv[0] not in (*steps, "check", "all"):
        print(__doc__)
        return 2
    if argv[0] == "all":
        extract()
        update()
        compile_all()
        return check()
    if argv[0] == "check":
        return check()
    steps[argv[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
