"""Red-team findings on the bank cache (issue 16: F6, F7, F8, F17)."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import live_children
from cs_drill.bank import cache
from cs_drill.bank.cache import CACHE_NAME
from cs_drill.bank.catalog import open_catalog
from cs_drill.cli.app import app
from cs_drill.errors import BankError, CsDrillError
from cs_drill.study.drill import Clock, Drill, Recorder
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.store import connect

GOOD = Path(__file__).parent / "fixtures" / "good"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def make_bank(folder: Path, n: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (GOOD / "drill.yaml").read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"f{i}.yaml").write_text(text.replace("id: drill\n", f"id: e{i}\n", 1), encoding="utf-8")
    return folder


def age_all(folder: Path, seconds: float = 60) -> None:
    for path in folder.rglob("*.yaml"):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


def test_f7_a_same_size_edit_with_the_mtime_put_back_is_seen(tmp_path: Path) -> None:
    folder = make_bank(tmp_path / "bank", 1)
    cache_dir = tmp_path / "cache"
    age_all(folder)
    with open_catalog([folder], cache_dir):
        pass
    path = folder / "f0.yaml"
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "answer: B" in text
    path.write_text(text.replace("answer: B", "answer: Z", 1), encoding="utf-8")
    assert path.stat().st_size == st.st_size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime: only ctime tells
    with pytest.raises(BankError):
        open_catalog([folder], cache_dir)
    result = CliRunner().invoke(app, ["validate", str(folder)], env={"CSDRILL_HOME": str(tmp_path / "home")})
    assert result.exit_code == 2
    assert "'Z' is not one of the options" in result.output


def test_f7_a_file_whose_ctime_changed_is_hashed_not_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cs_drill.bank import validate as loader

    folder = make_bank(tmp_path / "bank", 2)
    cache_dir = tmp_path / "cache"
    age_all(folder)
    with open_catalog([folder], cache_dir):
        pass
    seen: list[str] = []
    real = loader.load_data

    def counting(data: bytes, file: str) -> object:
        seen.append(Path(file).name)
        return real(data, file)

    monkeypatch.setattr(loader, "load_data", counting)
    os.chmod(folder / "f1.yaml", 0o600)  # ctime changes, content does not
    for _ in range(2):
        with open_catalog([folder], cache_dir) as catalog:
            assert [e.id for e in catalog.exams()] == ["e0", "e1"]
    assert seen == []


@pytest.mark.parametrize("change", ["invalid", "question removed"])
def test_f6_a_quiz_goes_on_when_another_command_saw_the_bank_change(tmp_path: Path, change: str) -> None:
    """Already fixed: the drill pages questions by uid and skips those that left the bank meanwhile."""
    folder = make_bank(tmp_path / "bank", 2)
    cache_dir = tmp_path / "cache"
    age_all(folder)
    with open_catalog([folder], cache_dir) as catalog, connect(tmp_path / "home") as store:
        refs = catalog.refs()
        drill = Drill(catalog, Recorder(store, Scheduler(), "quiz", {}), Clock(T0), refs)
        drill.PAGE = 3
        first = drill.next_card()
        assert first is not None
        other = folder / "f1.yaml"
        text = other.read_text(encoding="utf-8")
        if change == "invalid":
            other.write_text(text.replace("answer: B", "answer: Z", 1), encoding="utf-8")
            with pytest.raises(BankError):  # another csdrill command sees it invalid
                open_catalog([folder], cache_dir)
        else:
            start = text.index("      - id: slang")
            end = text.index("      - id: cross-border-law")
            other.write_text(text[:start] + text[end:], encoding="utf-8")
            with open_catalog([folder], cache_dir) as seen:  # another csdrill command
                assert "e1/slang" not in {r.uid for r in seen.refs()}
        cards = [first]
        while (card := drill.next_card()) is not None:  # no IndexError
            cards.append(card)
        uids = [c.question.uid for c in cards]
        if change == "invalid":  # e1 is no longer served: the quiz ends after e0
            assert uids == [r.uid for r in refs if r.exam_id == "e0"]
        else:
            assert uids == [r.uid for r in refs if r.uid != "e1/slang"]
        assert [c.total for c in cards] == [len(refs)] * len(cards)


def test_f17_a_cache_truncated_while_in_use_is_one_clear_error(tmp_path: Path) -> None:
    folder = make_bank(tmp_path / "bank", 40)
    cache_dir = tmp_path / "cache"
    age_all(folder)
    with open_catalog([folder], cache_dir) as catalog:
        refs = catalog.refs()
        with open(cache_dir / CACHE_NAME, "r+b") as fh:  # damaged under the running session
            fh.truncate(8192)

        def read_all() -> None:
            for ref in refs[::-1]:
                catalog.questions([ref.uid])
            list(catalog.iter_questions())

        with pytest.raises(CsDrillError) as err:
            read_all()
        assert type(err.value) is CsDrillError
        assert err.value.message == "the bank cache was damaged while in use; run again"
        assert err.value.exit_code == 1
    with open_catalog([folder], cache_dir) as catalog:  # the next run rebuilds it
        assert [r.uid for r in catalog.refs()] == [r.uid for r in refs]


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_f8_workers_of_a_killed_cold_build_exit_and_its_temporary_file_goes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("gen_bank", Path(__file__).parents[1] / "benchmarks" / "gen_bank.py")
    assert spec is not None
    assert spec.loader is not None
    gen_bank = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_bank)
    folder = tmp_path / "bank"
    gen_bank.generate(folder, 20_000, 8)
    assert sum(p.stat().st_size for p in folder.glob("*.yaml")) > 4 * cache.POOL_MIN_BYTES
    cache_dir = tmp_path / "cache"
    script = "import sys; from pathlib import Path; from cs_drill.bank.catalog import open_catalog; "
    script += "open_catalog([Path(sys.argv[1])], Path(sys.argv[2]))"
    build = subprocess.Popen([sys.executable, "-c", script, str(folder), str(cache_dir)])
    try:
        deadline = time.monotonic() + 30
        workers: list[int] = []
        while len(workers) < cache.POOL_WORKERS and time.monotonic() < deadline and build.poll() is None:
            time.sleep(0.02)
            workers = live_children(build.pid)
        assert len(workers) >= cache.POOL_WORKERS, "no pool started"
        time.sleep(0.3)  # the workers are parsing, the temporary file is being written
    finally:
        build.kill()
        build.wait()
    assert list(cache_dir.glob(f"{CACHE_NAME}.*.tmp")), "the killed build leaves its temporary file"
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert left == [], "the workers outlive their parent"
    with open_catalog([folder], cache_dir) as catalog:  # the next start
        assert len(catalog.exams()) == 8
    assert list(cache_dir.glob(f"{CACHE_NAME}.*.tmp")) == []
