"""The bank cache: invalidation, damage, concurrency-safe fallbacks, and the catalog's answers."""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

from cs_drill.bank import cache
from cs_drill.bank import validate as loader
from cs_drill.bank.cache import CACHE_NAME
from cs_drill.bank.catalog import CachedCatalog, Catalog, load_catalog, new_card_exams, open_catalog
from cs_drill.bank.files import bundled_bank
from cs_drill.bank.model import Exam, Question
from cs_drill.cli.app import app
from cs_drill.errors import BankError, UsageError
from cs_drill.study.card import CardState, Rating
from cs_drill.study.drill import Clock, Drill, Recorder
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.select import DueCards, due_counts, review_pool, review_queue
from cs_drill.study.store import connect

GOOD = Path(__file__).parent / "fixtures" / "good"
BAD = Path(__file__).parent / "fixtures" / "bad"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "home" / "cache"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed (in this process), in order."""
    seen: list[str] = []
    real = loader.load_data

    def counting(data: bytes, file: str) -> object:
        seen.append(Path(file).name)
        return real(data, file)

    monkeypatch.setattr(loader, "load_data", counting)
    return seen


def make_bank(folder: Path, n: int = 3) -> Path:
    """``n`` valid files (copies of drill.yaml with exam ids e0, e1, …)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (GOOD / "drill.yaml").read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"f{i}.yaml").write_text(text.replace("id: drill\n", f"id: e{i}\n", 1), encoding="utf-8")
    return folder


class Snapshot(NamedTuple):
    """What a catalog answers for the whole bank: its exams and its questions, in order."""

    exams: list[Exam]
    questions: list[Question]


def snapshot(catalog: Catalog) -> Snapshot:
    return Snapshot(catalog.exams(), catalog.select())


def load_bank(paths: list[Path]) -> Snapshot:
    """The bank as the in-memory catalog (no cache) gives it; BankError when invalid."""
    return snapshot(load_catalog(paths))


def open_bank(paths: list[Path], folder: Path) -> CachedCatalog:
    return open_catalog(paths, folder)


def bank_of(paths: list[Path], folder: Path) -> Snapshot:
    with open_bank(paths, folder) as catalog:
        return snapshot(catalog)


def age(path: Path, seconds: float = 60) -> None:
    """Move the mtime into the past, as for a file not edited just now."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


def age_all(folder: Path) -> None:
    for path in folder.rglob("*.yaml"):
        age(path)


# --------------------------------------------------------------------------- same answers


@pytest.mark.parametrize("paths", [[bundled_bank()], [GOOD], [GOOD / "drill.yaml"]])
def test_the_cache_gives_the_bank_that_the_loader_gives(paths: list[Path], cache_dir: Path) -> None:
    expected = load_bank(paths)
    assert bank_of(paths, cache_dir) == expected  # cold: built now
    assert bank_of(paths, cache_dir) == expected  # warm: read back


def test_the_bundled_levels_are_cached_and_read_back(cache_dir: Path) -> None:
    levels = {
        "alibaba-cs-manager-interview": 3,
        "alibaba-cs-specialist-interview": 2,
        "alibaba-cs-training-assessment": 1,
        "cs-specialist-interview-handbook": 2,
        "ecommerce-cs-newcomer-interview": 1,
    }
    assert {e.id: e.level for e in load_bank([bundled_bank()]).exams} == levels
    for _ in range(2):  # cold, then warm
        assert {e.id: e.level for e in bank_of([bundled_bank()], cache_dir).exams} == levels


def test_first_refs_skip_asked_a_batch_at_a_time_agrees_with_a_set(cache_dir: Path) -> None:
    """A long history is asked which of a batch of uids it has seen, never read whole; the refs are the same."""
    memory = load_catalog([bundled_bank()])
    every = [r.uid for r in memory.refs()]
    skip = set(every[: len(every) // 2]) | set(every[-3:])  # most of the first half seen
    asked: list[int] = []

    def seen_among(uids: Sequence[str]) -> set[str]:
        asked.append(len(uids))
        return skip & set(uids)

    with open_bank([bundled_bank()], cache_dir) as catalog:
        for limit in (0, 1, 7, 40, len(every)):
            for cat in (catalog, memory):
                asked.clear()
                got = cat.first_refs(None, None, seen_among, limit, "source")
                assert got == cat.first_refs(None, None, skip, limit, "source")
                assert len(got) == min(limit, len(every) - len(skip))
                assert sum(asked) <= len(every)
                assert len(asked) <= 5  # a few batches, not one query per uid


def test_first_refs_by_level_agree_between_the_catalogs(cache_dir: Path) -> None:
    memory = load_catalog([bundled_bank()])
    skip = {r.uid for r in memory.refs("alibaba-cs-training-assessment")[:5]}
    with open_bank([bundled_bank()], cache_dir) as catalog:
        for exam, section in [(None, None), (None, "scenario"), ("alibaba-cs-manager-interview", None)]:
            for order in ("level", "source"):
                got = catalog.first_refs(exam, section, skip, 40, order)
                assert got == memory.first_refs(exam, section, skip, 40, order)
                assert not skip & {r.uid for r in got}
        by_level = [r.exam_id for r in catalog.first_refs(None, "scenario", set(), 100, "level")]
        assert list(dict.fromkeys(by_level)) == [
            "ecommerce-cs-newcomer-interview",  # level 1 (the training assessment has no scenario section)
            "alibaba-cs-specialist-interview",  # level 2, in bank order
            "cs-specialist-interview-handbook",
            "alibaba-cs-manager-interview",  # level 3
        ]


def test_problems_are_those_of_the_loader(cache_dir: Path) -> None:
    paths = [GOOD, BAD]
    with pytest.raises(BankError) as expected:
        load_bank(paths)
    for _ in range(2):
        with pytest.raises(BankError) as got:
            open_bank(paths, cache_dir)
        assert [str(p) for p in got.value.problems] == [str(p) for p in expected.value.problems]


def test_a_pool_build_gives_the_same_bank_and_problems(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(cache, "POOL_MIN_BYTES", 0)
    folder = make_bank(tmp_path / "bank", 6)
    steps: list[tuple[int, int]] = []

    class Bar:
        def __enter__(self) -> object:
            return lambda done, total: steps.append((done, total))

        def __exit__(self, *exc: object) -> None:
            pass

    with open_catalog([folder, GOOD], cache_dir, progress=lambda files, size: Bar()) as catalog:
        assert snapshot(catalog) == load_bank([folder, GOOD])
    total = 6 + len(list(GOOD.glob("*.yaml")))
    assert steps[0] == (0, total)
    assert steps[-1] == (total, total)
    with pytest.raises(BankError) as expected:
        load_bank([folder, BAD])
    with pytest.raises(BankError) as got:
        open_catalog([folder, BAD], tmp_path / "other-cache")
    assert [str(p) for p in got.value.problems] == [str(p) for p in expected.value.problems]


# --------------------------------------------------------------------------- invalidation


def test_a_warm_cache_parses_nothing(tmp_path: Path, cache_dir: Path, parses: list[str]) -> None:
    folder = make_bank(tmp_path / "bank")
    age_all(folder)
    bank_of([folder], cache_dir)
    assert sorted(parses) == ["f0.yaml", "f1.yaml", "f2.yaml"]
    parses.clear()
    bank_of([folder], cache_dir)
    assert parses == []


def test_only_the_edited_file_is_parsed_again(tmp_path: Path, cache_dir: Path, parses: list[str]) -> None:
    folder = make_bank(tmp_path / "bank")
    age_all(folder)
    bank_of([folder], cache_dir)
    parses.clear()
    edited = folder / "f1.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("title:", "title: 改", 1), encoding="utf-8")
    bank = bank_of([folder], cache_dir)
    assert parses == ["f1.yaml"]
    assert bank == load_bank([folder])
    assert [e.title.startswith("改") for e in bank.exams] == [False, True, False]


def test_a_same_size_edit_at_once_is_seen(tmp_path: Path, cache_dir: Path) -> None:
    """An edit within the file system's timestamp granularity, keeping the size, is not missed."""
    folder = make_bank(tmp_path / "bank", 1)
    path = folder / "f0.yaml"
    bank_of([folder], cache_dir)
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "answer: A\n" in text
    path.write_text(text.replace("answer: A\n", "answer: B\n", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    assert bank_of([folder], cache_dir) == load_bank([folder])


def test_a_touched_file_is_hashed_not_parsed(tmp_path: Path, cache_dir: Path, parses: list[str]) -> None:
    folder = make_bank(tmp_path / "bank")
    age_all(folder)
    bank_of([folder], cache_dir)
    parses.clear()
    age(folder / "f2.yaml", 3600)  # another mtime, same content
    bank_of([folder], cache_dir)
    bank_of([folder], cache_dir)
    assert parses == []


def test_a_deleted_file_drops_out(tmp_path: Path, cache_dir: Path) -> None:
    folder = make_bank(tmp_path / "bank")
    bank_of([folder], cache_dir)
    (folder / "f1.yaml").unlink()
    with open_bank([folder], cache_dir) as catalog:
        assert [e.id for e in catalog.exams()] == ["e0", "e2"]
        assert catalog.questions(["e1/refund-window"]) == []
    conn = sqlite3.connect(cache_dir / CACHE_NAME)
    paths = [row[0] for row in conn.execute("SELECT path FROM files")]
    conn.close()
    assert not any(p.endswith("f1.yaml") for p in paths)


def test_a_renamed_file_is_served_under_its_new_name(tmp_path: Path, cache_dir: Path) -> None:
    folder = make_bank(tmp_path / "bank")
    bank_of([folder], cache_dir)
    (folder / "f1.yaml").rename(folder / "z-renamed.yaml")
    with open_bank([folder], cache_dir) as catalog:
        assert [(e.id, Path(e.path).name) for e in catalog.exams()] == [
            ("e0", "f0.yaml"),
            ("e2", "f2.yaml"),
            ("e1", "z-renamed.yaml"),
        ]
        assert snapshot(catalog) == load_bank([folder])


def test_a_file_that_becomes_invalid_fails_and_is_not_served(tmp_path: Path, cache_dir: Path) -> None:
    folder = make_bank(tmp_path / "bank")
    bank_of([folder], cache_dir)
    broken = folder / "f1.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("answer: B", "answer: Z", 1), encoding="utf-8")
    for _ in range(2):  # and again: an invalid file is never cached
        with pytest.raises(BankError) as err:
            open_bank([folder], cache_dir)
        assert len(err.value.problems) == 1
        assert "'Z' is not one of the options" in str(err.value.problems[0])
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "'Z' is not one of the options" in result.output
    result = CliRunner().invoke(app, ["review", "--bank", str(folder)], input="")
    assert result.exit_code == 2
    assert "[1/" not in result.output


def test_the_same_exam_id_in_a_cached_and_a_new_file_fails(tmp_path: Path, cache_dir: Path) -> None:
    folder = make_bank(tmp_path / "bank", 2)
    bank_of([folder], cache_dir)
    (folder / "g.yaml").write_text((folder / "f0.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(BankError) as expected:
        load_bank([folder])
    with pytest.raises(BankError) as got:
        open_bank([folder], cache_dir)
    assert [str(p) for p in got.value.problems] == [str(p) for p in expected.value.problems]
    assert "duplicate exam id 'e0'" in str(got.value.problems[0])


def test_one_bank_set_does_not_leak_into_another(tmp_path: Path, cache_dir: Path) -> None:
    a = make_bank(tmp_path / "a", 2)
    b = make_bank(tmp_path / "b", 1)
    bank_of([a], cache_dir)
    with open_bank([b], cache_dir) as catalog:
        assert [e.id for e in catalog.exams()] == ["e0"]
        assert len(catalog.refs()) == len(load_bank([b]).questions)


# --------------------------------------------------------------------------- damage


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(random.Random(1).randbytes(5000)),
        lambda p: p.write_bytes(p.read_bytes()[:3000]),
        lambda p: p.write_bytes(b""),
    ],
    ids=["random-bytes", "truncated", "empty"],
)
def test_a_damaged_cache_is_rebuilt(tmp_path: Path, cache_dir: Path, damage: object) -> None:
    folder = make_bank(tmp_path / "bank")
    bank_of([folder], cache_dir)
    for suffix in ("-wal", "-shm"):
        Path(f"{cache_dir / CACHE_NAME}{suffix}").unlink(missing_ok=True)
    damage(cache_dir / CACHE_NAME)  # type: ignore[operator]
    assert bank_of([folder], cache_dir) == load_bank([folder])
    assert bank_of([folder], cache_dir) == load_bank([folder])


def test_a_cache_of_another_version_is_rebuilt(tmp_path: Path, cache_dir: Path, parses: list[str]) -> None:
    folder = make_bank(tmp_path / "bank", 1)
    age_all(folder)
    bank_of([folder], cache_dir)
    conn = sqlite3.connect(cache_dir / CACHE_NAME)
    conn.execute("UPDATE meta SET value = 'old' WHERE key = 'format'")
    conn.commit()
    conn.close()
    expected = load_bank([folder])
    parses.clear()
    assert bank_of([folder], cache_dir) == expected
    assert parses == ["f0.yaml"]


def test_a_foreign_database_in_its_place_is_replaced(tmp_path: Path, cache_dir: Path) -> None:
    folder = make_bank(tmp_path / "bank", 1)
    cache_dir.mkdir(parents=True)
    conn = sqlite3.connect(cache_dir / CACHE_NAME)
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    assert bank_of([folder], cache_dir) == load_bank([folder])


def test_without_a_writable_cache_folder_the_cache_is_in_memory(tmp_path: Path) -> None:
    folder = make_bank(tmp_path / "bank", 1)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    assert bank_of([folder], blocker / "cache") == load_bank([folder])


def test_the_cache_lives_under_csdrill_home(tmp_path: Path) -> None:
    folder = make_bank(tmp_path / "bank", 1)
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "home" / "cache" / CACHE_NAME).is_file()
    assert sorted(p.name for p in folder.iterdir()) == ["f0.yaml"]  # never beside a bank


# --------------------------------------------------------------------------- catalog queries


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, dict[str, CardState]]:
    """A history for the bundled bank: some cards due, some not yet, the rest new (its home, the states)."""
    scheduler = Scheduler(fuzz=False)
    bank = load_bank([bundled_bank()])
    rng = random.Random(7)
    states = {}
    home = tmp_path / "home"
    with connect(home) as db:
        for q in rng.sample(bank.questions, 40):
            when = T0 - timedelta(days=rng.randint(0, 30))
            state = scheduler.review(q.uid, cache_states_new(), rng.choice(list(Rating)), when)
            db.record(
                q.uid,
                after=state,
                now=when,
                rating=Rating.GOOD,
                correct=True,
                answer="x",
                duration_ms=None,
                mode="quiz",
            )
            states[q.uid] = state
    return home, states


def cache_states_new() -> CardState:
    from cs_drill.study.card import NEW

    return NEW


@pytest.mark.parametrize(
    ("exam", "section"),
    [(None, None), ("alibaba-cs-specialist-interview", None), (None, "scenario")],
)
@pytest.mark.parametrize("new_limit", [0, 3, 30, 1000])
@pytest.mark.parametrize("new_order", ["level", "source"])
@pytest.mark.parametrize("page", [3, 100])
def test_review_pool_agrees_with_the_pure_review_queue(
    history: tuple[Path, dict[str, CardState]],
    cache_dir: Path,
    exam: str | None,
    section: str | None,
    new_limit: int,
    new_order: str,
    page: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home, states = history
    scheduler = Scheduler(fuzz=False)
    memory = load_catalog([bundled_bank()])
    try:
        memory.check(exam, section)
    except UsageError:
        pytest.skip("no such section in that exam")
    # a card whose question has left the bank: not counted, not asked
    with connect(home) as db:
        gone = scheduler.review("gone/q1", cache_states_new(), Rating.AGAIN, T0 - timedelta(days=9))
        db.record(
            "gone/q1", after=gone, now=T0 - timedelta(days=9), rating=Rating.AGAIN, correct=False,
            answer="x", duration_ms=None, mode="quiz",
        )  # fmt: skip
    # the due cards' refs are read a page at a time: 3 puts equally due cards on two pages
    monkeypatch.setattr(DueCards, "PAGE", page)
    # cards with a history in source order (equally due ones keep it), then the new ones exam by exam
    # in the new-card order, each exam's in source order
    selection = memory.select(exam, section)
    rank = {e.id: n for n, e in enumerate(new_card_exams(memory.exams(), new_order))}
    questions = [q for q in selection if q.uid in states] + sorted(
        (q for q in selection if q.uid not in states), key=lambda q: rank[q.exam_id]
    )
    with open_bank([bundled_bank()], cache_dir) as catalog, connect(home) as store:
        for limit in (None, 0, 1, 5, 2000):
            expected = review_queue(questions, states, T0, new_limit=new_limit, limit=limit)
            pool = review_pool(catalog, store, T0, new_limit, exam, section, new_order)
            got = pool.queue(limit)
            assert [q.uid for q in got.cards] == [q.uid for q in expected.cards]
            assert got[1:] == expected[1:]  # how many due and new, new waiting, the next due date
            assert list(got.cards[2:6]) == list(got.cards)[2:6]
        due_states = store.due_states(T0)
        got_due = due_counts(catalog.refs_of(due_states), due_states, T0)
        assert got_due == due_counts(memory.refs(), states, T0)


def test_review_pool_without_history_offers_new_cards(cache_dir: Path, tmp_path: Path) -> None:
    with (
        open_bank([GOOD / "drill.yaml"], cache_dir) as catalog,
        connect(tmp_path / "none") as store,
    ):
        due, new, total, next_due = review_pool(catalog, store, T0, 2)
        assert (list(due), len(new), next_due) == ([], 2, None)
        assert total == len(load_bank([GOOD / "drill.yaml"]).questions)


def test_unknown_ids_are_usage_errors_as_in_select(cache_dir: Path) -> None:
    memory = load_catalog([GOOD])
    with open_bank([GOOD], cache_dir) as catalog:
        for exam, section in [("nope", None), (None, "nope"), ("drill", "nope")]:
            with pytest.raises(UsageError) as expected:
                memory.select(exam, section)
            with pytest.raises(UsageError) as got:
                catalog.refs(exam, section)
            assert str(got.value) == str(expected.value)


def test_a_drill_reads_its_questions_a_page_at_a_time(cache_dir: Path, tmp_path: Path) -> None:
    questions = load_bank([bundled_bank()]).questions
    with open_bank([bundled_bank()], cache_dir) as catalog, connect(tmp_path / "home") as store:
        pages: list[int] = []
        fetch = catalog.questions

        def counting(uids: object) -> list[Question]:
            found = fetch(uids)  # type: ignore[arg-type]
            pages.append(len(found))
            return found

        catalog.questions = counting  # type: ignore[method-assign]
        refs = catalog.refs()
        drill = Drill(catalog, Recorder(store, Scheduler(), "quiz", {}), Clock(T0), refs[::-1])
        assert drill.total == len(questions)
        assert pages == []  # nothing is read before the first card
        cards = []
        while (card := drill.next_card()) is not None:
            cards.append(card)
            assert len(pages) == -(-len(cards) // Drill.PAGE)  # a page only when it is reached
        assert all(n <= Drill.PAGE for n in pages)
        assert [c.question for c in cards] == questions[::-1]
        assert [(c.position, c.total) for c in cards] == [(n, len(questions)) for n in range(1, len(questions) + 1)]
        assert cards[-1].question == questions[0]
        assert [c.question for c in cards[2:4]] == questions[::-1][2:4]
        assert drill.next_card() is None  # past the end


@pytest.mark.parametrize(
    ("exam", "section"),
    [(None, None), ("alibaba-cs-specialist-interview", None), (None, "scenario")],
)
def test_stats_from_the_cached_catalog_are_those_from_the_memory_catalog(
    history: tuple[Path, dict[str, CardState]],
    cache_dir: Path,
    tmp_path: Path,
    exam: str | None,
    section: str | None,
) -> None:
    from cs_drill.study.stats import Stats, catalog_stats

    scheduler = Scheduler(fuzz=False)
    with connect(tmp_path / "home") as db:
        states, reviews, hashes = db.card_states(), db.reviews(), db.content_hashes()
    # a card of a question the bank no longer has, and one whose question was edited
    edited = sorted(states)[0]
    states = {**states, "gone/q": states[edited]}
    hashes = {**hashes, edited: "0" * 16}

    def stats_of(catalog: Catalog) -> Stats:
        # as `csdrill stats` asks a catalog: refs of the selection, text only of the cards with history
        return catalog_stats(catalog, exam, section, states, reviews, hashes, scheduler, T0)

    expected = stats_of(load_catalog([bundled_bank()]))
    with open_bank([bundled_bank()], cache_dir) as catalog:
        got = stats_of(catalog)
    assert got == expected
    assert got.orphans == (["gone/q"] if exam is None and section is None else [])
    if exam is None and section is None:
        assert got.changed == [edited]


def test_concurrent_cold_builds_agree(tmp_path: Path, cache_dir: Path) -> None:
    import threading

    folder = make_bank(tmp_path / "bank", 5)
    expected = load_bank([folder])
    results: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(bank_of([folder], cache_dir))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == [expected] * 4
    assert sorted(p.name for p in cache_dir.iterdir() if p.name.endswith(".tmp")) == []
    assert bank_of([folder], cache_dir) == expected


def test_a_cache_locked_by_another_process_is_not_deleted(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "BUSY_TIMEOUT_S", 0.05)
    folder = make_bank(tmp_path / "bank", 2)
    bank_of([folder], cache_dir)
    edited = folder / "f1.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("title:", "title: 改", 1), encoding="utf-8")
    other = sqlite3.connect(cache_dir / CACHE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing, for longer than the busy timeout
    try:
        assert bank_of([folder], cache_dir) == load_bank([folder])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (cache_dir / CACHE_NAME).is_file()
    with open_bank([folder], cache_dir) as catalog:
        assert snapshot(catalog) == load_bank([folder])


def test_without_worker_processes_the_build_is_done_here(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(cache, "POOL_MIN_BYTES", 0)

    def no_processes() -> object:
        raise OSError("no processes here")

    monkeypatch.setattr(cache, "_pool_context", no_processes)
    folder = make_bank(tmp_path / "bank", 4)
    assert bank_of([folder], cache_dir) == load_bank([folder])
