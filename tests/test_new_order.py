"""`review` on the bundled bank: the order of new cards (`new_order`) and the default exam (`exam`) of config.toml."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cs_drill.bank.catalog import load_catalog
from cs_drill.bank.files import bundled_bank
from cs_drill.cli.app import app
from cs_drill.cli.workspace import open_workspace
from cs_drill.config import CONFIG_TEMPLATE, Settings, load_settings
from cs_drill.errors import UsageError
from cs_drill.study.card import NEW, Rating
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.store import connect

NOW = "2026-03-01T09:00:00Z"
TRAINING = "alibaba-cs-training-assessment"
NEWCOMER = "ecommerce-cs-newcomer-interview"
MANAGER = "alibaba-cs-manager-interview"
LEVEL_1 = {TRAINING, NEWCOMER}
# The first prompt of each exam's first section (source order).
TRAINING_FIRST = "在处理客户关于物流配送延迟的投诉时,阿里巴客服专员应优先采取哪种沟通策略?"
MANAGER_FIRST = "描述一次你作为团队负责人,处理客户重大投诉的经历。"
NEWCOMER_TITLE = "2026年新人電商客服面試題集"


@pytest.fixture(autouse=True)
def _bundled_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSDRILL_NOW", NOW)
    monkeypatch.delenv("CSDRILL_BANK", raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The CSDRILL_HOME of the test (conftest's isolated environment)."""
    return tmp_path / "home"


def settings(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


def review(*args: str, input: str = "") -> tuple[int, str, str]:
    done = CliRunner().invoke(app, ["review", *args], input=input)
    return done.exit_code, done.stdout, done.stderr


def answered(home: Path) -> list[str]:
    """The uids of the history, first answer of each, in order."""
    with connect(home) as db:
        return list(dict.fromkeys(r.uid for r in db.reviews()))


# --------------------------------------------------------------------------- new_order


def test_by_default_the_first_new_cards_come_from_level_1_exams(home: Path) -> None:
    code, out, err = review("--new", "3", input="A\nA\nA\n")
    assert code == 0, err
    assert "Review: 0 due, 3 new." in out
    assert out.index(TRAINING_FIRST) < out.index("Score:")
    assert MANAGER_FIRST not in out
    uids = answered(home)
    assert uids[0] == f"{TRAINING}/logistics-delay-complaint-strategy"
    assert {uid.partition("/")[0] for uid in uids} <= LEVEL_1


def test_by_level_the_newcomer_interview_follows_the_training_assessment(home: Path) -> None:
    # the training assessment has 24 questions: once they are seen, the next level-1 exam follows
    when = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)  # Easy an hour ago: not due yet
    scheduler = Scheduler(fuzz=False)
    with connect(home) as db:
        for ref in load_catalog([bundled_bank()]).refs(TRAINING):
            state = scheduler.review(ref.uid, NEW, Rating.EASY, when)
            db.record(
                ref.uid,
                after=state,
                now=when,
                rating=Rating.EASY,
                correct=True,
                answer="A",
                duration_ms=None,
                mode="quiz",
            )
    code, out, err = review("--new", "1")
    assert code == 0, err
    assert "Review: 0 due, 1 new." in out
    assert NEWCOMER_TITLE in out


def test_new_order_source_starts_with_the_first_exam_of_the_bank(home: Path) -> None:
    settings(home, 'new_order = "source"\n')
    code, out, err = review("--new", "3")
    assert code == 0, err
    assert "Review: 0 due, 3 new." in out
    assert MANAGER_FIRST in out
    assert TRAINING_FIRST not in out


def test_new_order_level_within_one_exam_is_source_order(home: Path) -> None:
    settings(home, 'new_order = "level"\n')
    code, out, err = review("--exam", MANAGER, "--new", "2")
    assert code == 0, err
    assert MANAGER_FIRST in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('new_order = "random"\n', "new_order must be one of level, source, not 'random'"),
        ("new_order = 1\n", "new_order must be one of level, source, not 1"),
        ("exam = 3\n", "exam must be an exam id in quotes (see `csdrill list`), not 3"),
        ('exam = ""\n', "exam must be an exam id in quotes (see `csdrill list`), not ''"),
    ],
)
def test_bad_settings_are_one_line_errors(home: Path, text: str, message: str) -> None:
    settings(home, text)
    code, out, err = review()
    assert code == 2
    assert err == f"csdrill: {home / 'config.toml'}: {message}\n"
    assert "Traceback" not in out + err


def test_the_template_gives_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(CONFIG_TEMPLATE, encoding="utf-8")
    assert load_settings(tmp_path) == Settings()
    assert Settings().new_order == "level"
    assert Settings().exam is None


# --------------------------------------------------------------------------- the default exam


def test_review_drills_the_exam_of_config_toml(home: Path) -> None:
    settings(home, f'exam = "{MANAGER}"\n')
    code, out, err = review("--new", "2", input="")
    assert code == 0, err
    assert MANAGER_FIRST in out
    assert "8 new questions wait" in " ".join(out.split())  # the outlook is the manager exam's (8 questions)


def test_the_exam_of_config_toml_limits_what_review_asks(home: Path) -> None:
    settings(home, f'exam = "{TRAINING}"\nnew_order = "source"\n')
    code, out, err = review("--new", "2", input="A\nA\n")
    assert code == 0, err
    assert {uid.partition("/")[0] for uid in answered(home)} == {TRAINING}


def test_exam_on_the_command_line_wins_over_config_toml(home: Path) -> None:
    settings(home, f'exam = "{TRAINING}"\n')
    code, out, err = review("--exam", MANAGER, "--new", "1")
    assert code == 0, err
    assert MANAGER_FIRST in out
    assert TRAINING_FIRST not in out


def test_an_unknown_exam_in_config_toml_is_the_usual_usage_error(home: Path) -> None:
    settings(home, 'exam = "nope"\n')
    code, out, err = review()
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"csdrill: {home / 'config.toml'}: exam: unknown exam 'nope'; valid exam ids: ")
    assert MANAGER in err
    assert "Traceback" not in out + err


def test_exam_or_default(home: Path) -> None:
    with open_workspace() as ws:
        assert ws.exam_or_default(None) is None
        assert ws.exam_or_default(MANAGER) == MANAGER
    settings(home, f'exam = "{NEWCOMER}"\n')
    with open_workspace() as ws:
        assert ws.exam_or_default(None) == NEWCOMER
        assert ws.exam_or_default(MANAGER) == MANAGER
        assert ws.exam_or_default("any-id-given") == "any-id-given"  # checked by the command, as before
    settings(home, 'exam = "nope"\n')
    with open_workspace() as ws, pytest.raises(UsageError) as failed:
        ws.exam_or_default(None)
    assert failed.value.exit_code == 2
    assert "unknown exam 'nope'" in failed.value.message
