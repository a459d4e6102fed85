"""`csdrill history export/merge`: a history that moves between machines (issue 17)."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import app_in, child_env, csdrill
from cs_drill.study.card import NEW, CardState, Rating
from cs_drill.study.history import export_lines, merge_file
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.store import Store, connect

UTC = timezone.utc
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
SCHEDULER = Scheduler(fuzz=True)  # as a learner's: the merge replays without fuzz anyway


def _answer(store: Store, uid: str, when: datetime, rating: Rating, mode: str = "review") -> None:
    states = store.card_states([uid])
    after = SCHEDULER.review(uid, states.get(uid, NEW), rating, when)
    store.record(
        uid,
        after=after,
        now=when,
        rating=rating,
        correct=rating >= 3,
        answer="A",
        duration_ms=3000,
        mode=mode,
        content_hash=f"h-{uid}",
    )


def _machine(home: Path, offset_minutes: int, uids: list[str]) -> Store:
    store = connect(home)
    for day in range(6):
        for i, uid in enumerate(uids):
            rating = Rating.AGAIN if (day + i) % 4 == 0 else Rating.GOOD
            _answer(store, uid, T0 + timedelta(days=day, minutes=offset_minutes + i), rating)
    _answer(store, uids[0], T0 + timedelta(days=7, minutes=offset_minutes), Rating.HARD, mode="practice")
    return store


def _export(store: Store, path: Path) -> Path:
    path.write_text("".join(export_lines(store)), encoding="utf-8")
    return path


def _snapshot(store: Store) -> tuple[object, ...]:
    log = [(r.uid, r.reviewed_at, r.rating, r.correct, r.answer, r.duration_ms, r.mode) for r in store.reviews()]
    return (log, sorted(store.card_states().items()), store.content_hashes(), store.review_counts())


def _merge(store: Store, path: Path) -> int:
    with path.open("rb") as stream:
        return merge_file(store, stream, path.name, SCHEDULER).added


def test_round_trip_into_an_empty_history(tmp_path: Path) -> None:
    with _machine(tmp_path / "a", 0, ["ex/q1", "ex/q2"]) as a:
        exported = _export(a, tmp_path / "a.jsonl")
        lines = exported.read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(a.reviews()) == 13
        first = json.loads(lines[0])
        assert first["v"] == 1
        assert first["uid"] == "ex/q1"
        assert first["content_hash"] == "h-ex/q1"
        with connect(tmp_path / "b") as b:
            assert _merge(b, exported) == 13
            assert b.reviews() == a.reviews()
            assert b.content_hashes() == a.content_hashes()
            # states replayed with FSRS in time order: the same card, the same ratings, the same state
            # as a replay on the first machine, and due where the reviews put it
            _merge(a, _export(b, tmp_path / "b.jsonl"))
            assert b.card_states() == a.card_states()
            state = b.card_states()["ex/q1"]
            assert state.reps == 6  # the practice answer moves no schedule
            assert state.last_review == T0 + timedelta(days=5)


def test_merging_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    with _machine(tmp_path / "a", 0, ["ex/q1"]) as a, _machine(tmp_path / "b", 30, ["ex/q1", "ex/q2"]) as b:
        from_a = _export(a, tmp_path / "a.jsonl")
        assert _merge(b, from_a) == 7
        once = _snapshot(b)
        assert _merge(b, from_a) == 0
        assert _snapshot(b) == once


def test_two_machines_that_merge_each_others_file_agree(tmp_path: Path) -> None:
    with _machine(tmp_path / "a", 0, ["ex/q1", "ex/q3"]) as a, _machine(tmp_path / "b", 30, ["ex/q1", "ex/q2"]) as b:
        from_a, from_b = _export(a, tmp_path / "a.jsonl"), _export(b, tmp_path / "b.jsonl")
        _merge(a, from_b)
        _merge(b, from_a)
        assert _snapshot(a) == _snapshot(b)
        assert len(a.reviews()) == 26
        # the shared card's reviews from both machines, in time order, make its state
        both = [r.reviewed_at for r in a.reviews() if r.uid == "ex/q1" and r.mode != "practice"]
        assert both == sorted(both)
        assert a.card_states()["ex/q1"].reps == 12


def _lines(tmp_path: Path) -> list[str]:
    with _machine(tmp_path / "a", 0, ["ex/q1"]) as a:
        return "".join(export_lines(a)).splitlines(keepends=True)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ('{"v": 1, "uid": "ex/q9"\n', "not a line of an exported history"),
        (
            '{"v": 1, "uid": "ex/q9", "reviewed_at": "2026-03-01T08:00:00+00:00", "rating": 7, "correct": true, '
            '"answer": "", "duration_ms": null, "mode": "review"}\n',
            "not a review: rating 7 is not 1, 2, 3 or 4",
        ),
        (
            '{"v": 1, "uid": "ex/q9", "reviewed_at": "yesterday", "rating": 3, "correct": true, '
            '"answer": "", "duration_ms": null, "mode": "review"}\n',
            "not a review: Invalid isoformat string",
        ),
        ("[1, 2]\n", "not a line of an exported history (no format version)"),
        ('{"v": 2, "uid": "ex/q9"}\n', "written by a newer csdrill (format 2; this one reads 1); upgrade csdrill"),
    ],
)
def test_a_damaged_or_newer_line_is_named_and_nothing_is_merged(
    tmp_path: Path, runner: CliRunner, damage: str, reason: str
) -> None:
    lines = _lines(tmp_path)
    lines.insert(3, damage)
    path = tmp_path / "damaged.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    home = tmp_path / "home"
    with connect(home) as mine:
        _answer(mine, "ex/q2", T0, Rating.GOOD)
        before = _snapshot(mine)
    result = runner.invoke(app_in("en"), ["history", "merge", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"csdrill: {path}:4: {reason}")
    assert result.stderr.endswith("; nothing was merged\n")
    assert result.stderr.count("\n") == 1
    with connect(home) as mine:
        assert _snapshot(mine) == before


def test_an_interrupted_merge_merges_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C half-way through the replay: the one transaction is rolled back."""
    from cs_drill.study import history

    path = tmp_path / "a.jsonl"
    path.write_text("".join(_lines(tmp_path)), encoding="utf-8")
    calls: list[str] = []

    def interrupted(scheduler: Scheduler, uid: str, reviews: object) -> CardState | None:
        calls.append(uid)
        raise KeyboardInterrupt

    with connect(tmp_path / "b") as b:
        _answer(b, "ex/q2", T0, Rating.GOOD)
        before = _snapshot(b)
        monkeypatch.setattr(history, "replay", interrupted)
        with pytest.raises(KeyboardInterrupt):
            _merge(b, path)
        assert calls
        assert _snapshot(b) == before


def test_the_commands_in_english_and_chinese(tmp_path: Path, runner: CliRunner) -> None:
    home = tmp_path / "home"
    with _machine(home, 0, ["ex/q1"]):
        pass
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app_in("en"), ["history", "export", str(out)])
    assert result.exit_code == 0
    assert result.stderr == f"wrote 7 reviews to {out}\n"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 7
    result = runner.invoke(app_in("en"), ["history", "merge", str(out)])
    assert result.exit_code == 0
    assert result.stderr == f"merged 0 new reviews of 7 from {out}\n"
    result = runner.invoke(app_in("zh-Hans"), ["history", "merge", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"csdrill: 无法读取 {tmp_path / 'missing.jsonl'}")
    result = runner.invoke(app_in("zh-Hant"), ["history", "export", "-"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 7


def test_a_line_that_is_not_utf8_is_named_and_nothing_is_merged(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "a.jsonl"
    lines = [line.encode("utf-8") for line in _lines(tmp_path)]
    lines.insert(2, '{"v": 1, "answer": "退货"}\n'.encode("gb18030"))
    path.write_bytes(b"".join(lines))
    home = tmp_path / "home"
    with _machine(home, 30, ["ex/q2"]) as b:
        before = _snapshot(b)
    result = runner.invoke(app_in("en"), ["history", "merge", str(path)], env={"CSDRILL_HOME": str(home)})
    assert result.exit_code == 2
    assert result.stderr == f"csdrill: {path}:3: not UTF-8 text; nothing was merged\n"
    with connect(home) as b:
        assert _snapshot(b) == before


def test_progress_is_told_in_bytes_read_then_cards_replayed(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    with _machine(tmp_path / "a", 0, [f"ex/q{i}" for i in range(60)]) as a:
        _export(a, path)
    told: list[tuple[str, int, int]] = []
    with connect(tmp_path / "b") as b, path.open("rb") as stream:
        result = merge_file(b, stream, path.name, SCHEDULER, lambda *step: told.append(step))
    assert result == (361, 361)
    stages = [stage for stage, _, _ in told]
    assert stages == sorted(stages)  # the file is read before the cards are replayed
    read = [(done, total) for stage, done, total in told if stage == "read"]
    assert read
    assert all(total == path.stat().st_size for _, total in read)
    assert [done for done, _ in read] == sorted(done for done, _ in read)
    assert told[-1] == ("replay", 60, 60)


def _long_file(path: Path, cards: int, per_card: int) -> int:
    """A history of ``cards`` × ``per_card`` reviews a day apart, written as an export writes it."""
    lines = []
    for day in range(per_card):
        for i in range(cards):
            when = (T0 + timedelta(days=day, seconds=i)).isoformat(timespec="microseconds")
            record = {"v": 1, "uid": f"ex/q{i}", "reviewed_at": when, "rating": 3, "correct": True,
                      "answer": "A", "duration_ms": 3000, "mode": "review", "content_hash": ""}  # fmt: skip
            lines.append(json.dumps(record) + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return len(lines)


@pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a pseudo-terminal")
def test_ctrl_c_during_a_long_merge_at_a_terminal_stops_it_and_merges_nothing(tmp_path: Path) -> None:
    """A real Ctrl-C while the bar is shown: the merge stops at once, rolled back, and says so."""
    import pexpect

    path = tmp_path / "long.jsonl"
    _long_file(path, 2000, 40)  # 80,000 reviews: seconds of work, far more than the keystroke needs
    home = tmp_path / "home"
    with _machine(home, 0, ["ex/q1"]) as b:
        before = _snapshot(b)
    env = child_env(CSDRILL_HOME=str(home), CSDRILL_LANG="en", TERM="xterm-256color", COLUMNS="80")
    child = pexpect.spawn(
        csdrill(), ["history", "merge", str(path)], env=env, encoding="utf-8", timeout=60, dimensions=(24, 80)
    )
    child.expect("Reading the file")
    child.sendintr()
    child.expect("interrupted; nothing was merged")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    with connect(home) as b:
        assert _snapshot(b) == before


def test_a_file_that_holds_its_reviews_twice_adds_each_once(tmp_path: Path) -> None:
    """Two exports pasted into one file: the second copy is known, in its batch or from an earlier one."""
    path = tmp_path / "twice.jsonl"
    count = _long_file(path, 150, 20)  # 3,000 reviews: the copies fall in different batches of 2,000
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    path.write_text(text + text + "".join(lines[:5]), encoding="utf-8")  # and five of them a third time
    with connect(tmp_path / "b") as b:
        with path.open("rb") as stream:
            result = merge_file(b, stream, path.name, SCHEDULER)
        assert result == (2 * count + 5, count)
        assert len(b.reviews()) == count
        assert b.review_total() == count
        assert len(b.card_states()) == 150
