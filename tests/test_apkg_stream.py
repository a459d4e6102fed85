"""The Anki package is streamed note by note (render/sheets/apkg.py) and is byte for byte the package
genanki builds from whole decks in memory, as csdrill wrote it before (issue 17)."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import genanki
import pytest

from cs_drill.bank.catalog import load_catalog
from cs_drill.bank.files import bank_paths
from cs_drill.render.sheets import writers
from cs_drill.render.sheets.writers import ExportItem, iter_items, note_guid, write_apkg
from cs_drill.study.stats import MissRecord

STAMP = 1_760_000_000.0


def _whole_decks(items: Iterable[ExportItem], path: Path, answers: bool, misses: dict[str, MissRecord]) -> None:
    """The package as genanki makes it from decks built in memory (csdrill's writer before the streaming one)."""
    model = writers._anki_model()
    decks: dict[int, genanki.Deck] = {}
    for due, item in enumerate(items):
        exam, section, q = item.exam, item.section, item.question
        exam_name = f"csdrill::{writers._deck_part(exam.title)}"
        exam_deck_id = writers._stable_id(exam.id)
        if exam_deck_id not in decks:
            description = writers._anki_literal(writers._h(exam.description))
            decks[exam_deck_id] = genanki.Deck(exam_deck_id, exam_name, description=description)
        section_deck_id = writers._stable_id(exam.id, section.id)
        if section_deck_id not in decks:
            decks[section_deck_id] = genanki.Deck(
                section_deck_id,
                f"{exam_name}::{writers._deck_part(section.title)}",
                description=writers._anki_literal(writers._h(section.instructions)),
            )
        decks[section_deck_id].add_note(
            genanki.Note(
                model=model,
                fields=writers._anki_fields(item, answers, None, misses.get(q.uid)),
                tags=writers._anki_tags(q, False),
                guid=note_guid(q.uid),
                due=due,
            )
        )
    package = genanki.Package(list(decks.values()))
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection.anki2"
        with contextlib.closing(sqlite3.connect(db_path)) as conn:
            package.write_to_db(conn.cursor(), STAMP, itertools.count(int(STAMP * 1000)))
            conn.commit()
        date_time = time.gmtime(STAMP)[:6]
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            member = zipfile.ZipInfo("collection.anki2", date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(member, db_path.read_bytes())
            media = zipfile.ZipInfo("media", date_time=date_time)
            media.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(media, "{}")


@pytest.mark.parametrize("answers", [True, False])
def test_the_streamed_package_is_todays_package_byte_for_byte(tmp_path: Path, answers: bool) -> None:
    catalog = load_catalog(bank_paths((), None))  # the bundled bank: several exams, every kind
    items = list(iter_items(catalog))
    assert len({(i.exam.id, i.section.id) for i in items}) > 5
    first = items[0].question.uid
    misses = {first: MissRecord(2, datetime.fromtimestamp(STAMP, timezone.utc), "B")}
    streamed, whole = tmp_path / "streamed.apkg", tmp_path / "whole.apkg"
    write_apkg(items, streamed, answers=answers, timestamp=STAMP, misses=misses)
    _whole_decks(items, whole, answers, misses)
    assert streamed.read_bytes() == whole.read_bytes()
    with zipfile.ZipFile(streamed) as zf:
        db = tmp_path / "c.anki2"
        db.write_bytes(zf.read("collection.anki2"))
    with contextlib.closing(sqlite3.connect(db)) as conn:
        guids = [row[0] for row in conn.execute("SELECT guid FROM notes ORDER BY id")]
    assert guids == [note_guid(i.question.uid) for i in items]


def test_the_writer_takes_the_items_one_at_a_time(tmp_path: Path) -> None:
    """A generator is consumed as the notes are written: nothing asks for the whole list."""
    catalog = load_catalog(bank_paths((), None))
    seen: list[str] = []

    def stream() -> Iterable[ExportItem]:
        for item in iter_items(catalog):
            seen.append(item.question.uid)
            yield item

    path = tmp_path / "x.apkg"
    write_apkg(stream(), path, timestamp=STAMP)
    with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "c.anki2"
        db.write_bytes(zf.read("collection.anki2"))
        with contextlib.closing(sqlite3.connect(db)) as conn:
            assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == len(seen) > 50
