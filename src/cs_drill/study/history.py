"""A review history that moves between machines: JSON Lines out, merged back in (``csdrill history``).

One review a line, oldest first::

    {"v": 1, "uid": "exam/q", "reviewed_at": "2026-03-01T08:00:00.000000+00:00", "rating": 3,
     "correct": true, "answer": "A", "duration_ms": 4200, "mode": "review", "content_hash": "…"}

``v`` is the format's version (a file from a newer csdrill is refused); ``content_hash``
is the card's at export time ('' when none). A merge adds the reviews this history
lacks (the same card at the same moment is the same review) and replays every card's
state with FSRS from its reviews in time order, without fuzz: a card's state is then
a function of its reviews alone, so merging the same file twice changes nothing, and
two machines that merge each other's file end with the same history.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import IO, Any, NamedTuple

from cs_drill.errors import UsageError
from cs_drill.i18n import _
from cs_drill.study.card import CardState, Rating
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.store import MODES, ReviewRow, Store

__all__ = ["FORMAT_VERSION", "MergeResult", "export_lines", "merge_file", "parse_lines", "replay"]

FORMAT_VERSION = 1
_KEYS = frozenset({"v", "uid", "reviewed_at", "rating", "correct", "answer", "duration_ms", "mode", "content_hash"})


class MergeResult(NamedTuple):
    """What a merge did: reviews read from the file, and of those, how many were new here."""

    read: int
    added: int


def export_lines(store: Store) -> Iterator[str]:
    """The history as JSON Lines (each with its newline), oldest review first."""
    for review, content_hash in store.iter_log():
        record = {
            "v": FORMAT_VERSION,
            "uid": review.uid,
            "reviewed_at": review.reviewed_at.isoformat(timespec="microseconds"),
            "rating": int(review.rating),
            "correct": review.correct,
            "answer": review.answer,
            "duration_ms": review.duration_ms,
            "mode": review.mode,
            "content_hash": content_hash,
        }
        yield json.dumps(record, ensure_ascii=False) + "\n"


def _bad(name: str, number: int, reason: str) -> UsageError:
    # TRANSLATORS: {file} is a file name, {line} a line number, {reason} what is wrong with it.
    return UsageError(_("{file}:{line}: {reason}; nothing was merged").format(file=name, line=number, reason=reason))


def _review(data: Any) -> tuple[ReviewRow, str]:
    """A review from one decoded line; ValueError (in English, for the message) when it is not one."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    missing = sorted(_KEYS - {"content_hash"} - set(data))
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    uid, when, rating, correct = data["uid"], data["reviewed_at"], data["rating"], data["correct"]
    answer, duration, mode = data["answer"], data["duration_ms"], data["mode"]
    content_hash = data.get("content_hash", "")
    if not isinstance(uid, str) or "/" not in uid or uid != uid.strip() or not uid.strip("/"):
        raise ValueError(f"uid {uid!r} is not exam-id/question-id")
    if not isinstance(when, str):
        raise ValueError("reviewed_at is not a date-time")
    reviewed_at = datetime.fromisoformat(when)
    if reviewed_at.tzinfo is None:
        raise ValueError(f"reviewed_at {when!r} has no time zone")
    if type(rating) is not int or not 1 <= rating <= 4:
        raise ValueError(f"rating {rating!r} is not 1, 2, 3 or 4")
    if correct is not None and not isinstance(correct, bool):
        raise ValueError(f"correct {correct!r} is not true, false or null")
    if not isinstance(answer, str):
        raise ValueError("answer is not text")
    if duration is not None and (type(duration) is not int or duration < 0):
        raise ValueError(f"duration_ms {duration!r} is not a whole number of milliseconds")
    if mode not in MODES:
        raise ValueError(f"mode {mode!r} is not one of {', '.join(MODES)}")
    if not isinstance(content_hash, str):
        raise ValueError("content_hash is not text")
    return ReviewRow(uid, reviewed_at, Rating(rating), correct, answer, duration, mode), content_hash


def parse_lines(
    lines: Iterable[bytes], name: str, read: Callable[[int], None] | None = None
) -> Iterator[tuple[ReviewRow, str]]:
    """Each review of an exported history (UTF-8 lines) with its card's content hash, as the lines are read.

    Blank lines are skipped. A line that is not UTF-8, not a review, or from a newer csdrill is
    a UsageError naming ``name`` and the line (raised when it is reached: a merge reads inside
    its one transaction, so nothing is merged). ``read(bytes)`` is told the bytes of each line.
    """
    for number, raw in enumerate(lines, 1):
        if read is not None:
            read(len(raw))
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _bad(name, number, _("not UTF-8 text")) from None
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            # TRANSLATORS: {column} is where on the line the text stops being JSON.
            reason = _("not a line of an exported history (not JSON at column {column})").format(column=exc.colno)
            raise _bad(name, number, reason) from None
        except ValueError:
            raise _bad(name, number, _("not a line of an exported history (no format version)")) from None
        version = data.get("v") if isinstance(data, dict) else None
        if type(version) is int and version > FORMAT_VERSION:
            # TRANSLATORS: {version} and {known} are format version numbers.
            reason = _("written by a newer csdrill (format {version}; this one reads {known}); upgrade csdrill")
            raise _bad(name, number, reason.format(version=version, known=FORMAT_VERSION))
        if version != FORMAT_VERSION:
            raise _bad(name, number, _("not a line of an exported history (no format version)"))
        try:
            yield _review(data)
        except ValueError as exc:
            raise _bad(name, number, _("not a review: {error}").format(error=exc)) from None


def replay(scheduler: Scheduler, uid: str, reviews: Sequence[ReviewRow]) -> CardState | None:
    """The state of card ``uid`` after ``reviews`` (oldest first): FSRS from a new card, each
    review that moves the schedule in turn (``practice`` answers do not); None when none does."""
    moving = ((r.rating, r.reviewed_at, r.duration_ms) for r in reviews if r.mode != "practice")
    state = scheduler.replay(uid, moving)
    return None if state.is_new else state


def merge_file(
    store: Store,
    stream: IO[bytes],
    name: str,
    scheduler: Scheduler,
    progress: Callable[[str, int, int], None] | None = None,
) -> MergeResult:
    """Merge the exported history in ``stream`` (a file opened in binary) into ``store`` (one
    transaction); see the module doc.

    ``scheduler`` gives the desired retention; the replay itself is without fuzz and without a
    plan's cap, so that it depends on the reviews alone. ``progress(stage, done, total)``:
    ``read`` in bytes of the file (total 0 when unknown), then ``replay`` in cards.
    """
    read = None
    if progress is not None:
        try:
            size = os.fstat(stream.fileno()).st_size
        except (OSError, ValueError, AttributeError):
            size = 0
        done = lines = 0

        def read(n: int) -> None:
            nonlocal done, lines
            done, lines = done + n, lines + 1
            if lines % 256 == 0:  # not every line: the bar's own cost stays small
                progress("read", done, size)

    plain = Scheduler(desired_retention=scheduler.desired_retention, fuzz=False)
    replayed = None if progress is None else lambda done, total: progress("replay", done, total)
    count, added = store.merge(parse_lines(stream, name, read), lambda uid, rows: replay(plain, uid, rows), replayed)
    return MergeResult(count, added)
