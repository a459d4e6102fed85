"""Anki packages written with bounded memory: notes streamed into the package's collection.

genanki builds a whole deck (every note) in memory before it writes any; with 100,000
questions that is half a gigabyte. Here each note goes into the collection (an SQLite
file in a temporary folder) as it comes, through genanki's own ``write_to_db`` of decks
and notes, in the order genanki's ``Package.write_to_db`` would write them: the deck's
entry, then its notes. Notes that arrive deck by deck (as a study sheet's do: exam by
exam, section by section) therefore get the same ids and the same bytes as a
``genanki.Package`` of the same decks. The collection is then copied into the zip in
blocks, never read whole.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import genanki

__all__ = ["Collection", "write_package"]


class Collection:
    """The collection of a package being written: open decks with :meth:`deck`, add notes with :meth:`add`."""

    def __init__(self, cursor: sqlite3.Cursor, model: genanki.Model, timestamp: float, ids: Iterator[int]) -> None:
        self._cursor = cursor
        self._model = model
        self._timestamp = timestamp
        self._ids = ids
        self._decks: set[int] = set()

    def deck(self, deck_id: int, name: str, description: str, notes: bool = True) -> None:
        """Write the deck's entry the first time it is named; ``notes``: it will hold notes (of the model)."""
        if deck_id in self._decks:
            return
        self._decks.add(deck_id)
        deck = genanki.Deck(deck_id, name, description=description)
        if notes:
            deck.add_model(self._model)  # what genanki's deck does for the model of its notes
        deck.write_to_db(self._cursor, self._timestamp, self._ids)

    def add(self, deck_id: int, note: genanki.Note) -> None:
        """Write one note (and its cards) into the deck ``deck_id`` (opened before)."""
        note.write_to_db(self._cursor, self._timestamp, deck_id, self._ids)


def write_package(path: Path, model: genanki.Model, timestamp: float, fill: Callable[[Collection], None]) -> None:
    """Write an Anki package to ``path``: ``fill`` puts the decks and notes into its collection.

    Given the same ``timestamp`` and the same calls, the bytes are the same: the zip's dates
    come from the timestamp.
    """
    with tempfile.TemporaryDirectory(prefix="csdrill-apkg-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        with contextlib.closing(sqlite3.connect(db_path)) as conn:
            cursor = conn.cursor()
            ids = itertools.count(int(timestamp * 1000))
            genanki.Package([]).write_to_db(cursor, timestamp, ids)  # the schema and the collection row
            fill(Collection(cursor, model, timestamp, ids))
            conn.commit()
        # Fixed member dates (from the timestamp) keep the zip reproducible.
        date_time = time.gmtime(max(timestamp, 315532800))[:6]  # zip dates start in 1980
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            member = zipfile.ZipInfo("collection.anki2", date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.file_size = db_path.stat().st_size
            with db_path.open("rb") as source, zf.open(member, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)
            media = zipfile.ZipInfo("media", date_time=date_time)
            media.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(media, "{}")
