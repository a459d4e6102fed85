"""`csdrill plan` (the date of the interview or test) and the planner's pacing and interval caps (issue 13)."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cs_drill.cli.app import app
from cs_drill.study.card import NEW, Rating
from cs_drill.study.planner import (
    LEAD,
    Plan,
    capper,
    days_left,
    interval_cap,
    new_today,
    parse_day,
    plan_of,
    plan_status,
    the_day_starts,
)
from cs_drill.study.scheduler import Scheduler
from cs_drill.study.store import connect

UTC = timezone.utc
NOW = "2026-03-01T09:00:00Z"
TRAINING = "alibaba-cs-training-assessment"
BANK_SIZE = 92  # the bundled bank


@pytest.fixture(autouse=True)
def _bundled_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSDRILL_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")


def run(*args: str, input: str = "") -> tuple[int, str, str]:
    done = CliRunner().invoke(app, list(args), input=input)
    return done.exit_code, done.stdout, done.stderr


# --------------------------------------------------------------------------- planner


def test_days_left_counts_study_days() -> None:
    day = date(2026, 3, 15)
    assert days_left(day, datetime(2026, 3, 1, 9, tzinfo=UTC), 4, UTC) == 14
    assert days_left(day, datetime(2026, 3, 2, 1, tzinfo=UTC), 4, UTC) == 14  # 01:00 belongs to March 1st
    assert days_left(day, datetime(2026, 3, 15, 12, tzinfo=UTC), 4, UTC) == 0
    assert days_left(day, datetime(2026, 3, 16, 12, tzinfo=UTC), 4, UTC) == -1
    assert the_day_starts(day, 4, UTC) == datetime(2026, 3, 15, 4, tzinfo=UTC)


def test_parse_day_and_plan_of() -> None:
    assert parse_day("2026-03-15") == date(2026, 3, 15)
    for bad in ("2026-3-15", "tomorrow", "2026-02-30", "", "20260315"):
        assert parse_day(bad) is None
    assert plan_of({}) is None
    assert plan_of({"*": "2026-03-15"}) == Plan(date(2026, 3, 15), None)
    plan = plan_of({"a": "2026-03-15", "b": "2026-03-15"})
    assert plan == Plan(date(2026, 3, 15), frozenset({"a", "b"}))
    assert plan.covers("a/q1")
    assert not plan.covers("c/q1")


def test_new_cards_are_paced_to_be_seen_by_d_minus_3() -> None:
    # 14 days left: the days D-14 … D-3 are 12 days; 92 questions → ceil(92 / 12) = 8 a day
    assert new_today(14, 92, 0) == 8
    assert new_today(14, 87, 5) == 3  # a second session the same day: what is left of the day's share
    assert new_today(14, 84, 8) == 0
    assert new_today(4, 10, 0) == 5  # D-4 and D-3 left
    assert new_today(LEAD, 10, 0) == 10  # from D-3 on: everything that is left
    assert new_today(1, 10, 0) == 10
    assert new_today(0, 10, 0) == 10
    assert new_today(14, 0, 0) == 0


def test_the_daily_limit_is_kept_up_to_three_times_the_share() -> None:
    assert new_today(14, 92, 0, daily_limit=20) == 20  # 20 <= 3 x 8
    assert new_today(30, 92, 0, daily_limit=20) == 12  # the share is 4: at most 12
    assert new_today(7, 92, 0, daily_limit=5) == 19  # the plan needs more than the limit: ceil(92 / 5)
    assert new_today(14, 72, 20, daily_limit=20) == 0


def test_interval_caps_shrink_as_the_date_nears_and_never_pass_the_eve() -> None:
    uids = [f"x/q{i}" for i in range(200)]
    for left in range(LEAD + 1, 60):
        for uid in uids:
            cap = interval_cap(left, uid)
            assert cap is not None
            assert 1 <= cap <= left - 2  # lands on D-2 at the latest (D-1 takes the cards that slip a day)
            if left - cap > LEAD:
                assert cap <= round(0.4 * left)  # at most about 40 % of the days left
    assert interval_cap(30, "x/q1") in range(6, 13)
    for left in (LEAD, 2, 1, 0, -1):
        assert interval_cap(left, "x/q1") is None  # the final pass: fsrs decides


def test_the_final_pass_is_spread_over_the_last_days() -> None:
    landings = {4 - c for c in (interval_cap(4, f"x/q{i}") for i in range(200)) if c is not None}
    assert landings == {2, 3}
    spread = {20 - c for c in (interval_cap(20, f"x/q{i}") for i in range(200)) if c is not None}
    assert len(spread) >= 4  # cards reviewed on one day do not all come back on one day


def test_the_scheduler_caps_the_interval_with_fsrs() -> None:
    scheduler = Scheduler(fuzz=False)
    when = datetime(2026, 3, 1, 9, tzinfo=UTC)
    easy = scheduler.review("x/q1", NEW, Rating.EASY, when)
    assert easy.due is not None
    assert easy.due - when > timedelta(days=3)
    capped = scheduler.review("x/q1", NEW, Rating.EASY, when, max_days=3)
    assert capped.due == when + timedelta(days=3)
    plan = Plan(date(2026, 3, 8), None)
    scheduler.cap = capper(plan, 4, UTC)
    after = scheduler.review("x/q1", NEW, Rating.EASY, when)  # 7 days left
    assert after.due is not None
    assert after.due <= when + timedelta(days=interval_cap(7, "x/q1") or 0)
    assert Plan(date(2026, 3, 8), frozenset({"y"})).covers("x/q1") is False
    scheduler.cap = capper(Plan(date(2026, 3, 8), frozenset({"y"})), 4, UTC)
    assert scheduler.review("x/q1", NEW, Rating.EASY, when) == easy  # not planned: not capped


def test_plan_status_gives_new_cards_and_recall_on_the_day() -> None:
    scheduler = Scheduler(fuzz=False)
    when = datetime(2026, 3, 1, 9, tzinfo=UTC)
    states = {"a/1": scheduler.review("a/1", NEW, Rating.GOOD, when)}
    status = plan_status(Plan(date(2026, 3, 8), None), {"a": ["a/1", "a/2"]}, states, scheduler, when, 1, 4, UTC)
    assert status.left == 7
    (exam,) = status.exams
    assert (exam.exam_id, exam.total, exam.new) == ("a", 2, 1)
    assert exam.recall is not None
    assert 0.0 < exam.recall < 0.5  # one card of two, and that one a week old
    assert status.new_today == 0  # ceil(2 / 5) = 1, and one was first seen today


# --------------------------------------------------------------------------- the command


def test_plan_without_a_plan_says_how_to_set_one() -> None:
    code, out, _ = run("plan")
    assert code == 0
    assert "No plan set" in out


def test_plan_set_show_and_clear(tmp_path: Path) -> None:
    code, out, err = run("plan", "--date", "2026-03-15")
    assert code == 0, err
    assert "Plan: 2026-03-15, 14 days left" in out
    assert f"{TRAINING}  new 24/24, recalled on the day 0%" in out
    assert "Today's share: 20 new cards" in out  # new_per_day 20 <= 3 x ceil(92 / 12)
    with connect(tmp_path / "home") as db:
        assert db.plan() == {"*": "2026-03-15"}
    code, out, _ = run("plan")
    assert code == 0
    assert "14 days left" in out
    code, out, _ = run("plan", "--date", "2026-03-08", "--exam", TRAINING, "--exam", TRAINING)
    assert code == 0
    assert "7 days left" in out
    assert "manager" not in out
    assert "Today's share: 15 new cards" in out  # new_per_day 20, at most 3 x ceil(24 / 5)
    with connect(tmp_path / "home") as db:
        assert db.plan() == {TRAINING: "2026-03-08"}
    code, out, _ = run("plan", "--clear")
    assert code == 0
    assert "Plan cleared." in out
    code, out, _ = run("plan", "--clear")
    assert "No plan was set." in out
    assert "No plan set" in run("plan")[1]


def test_the_date_may_be_today() -> None:
    code, out, _ = run("plan", "--date", "2026-03-01")
    assert code == 0
    assert "2026-03-01 is today" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-02-28"], "csdrill: --date: 2026-02-28 is in the past"),
        (["--date", "15/03/2026"], "csdrill: --date: '15/03/2026' is not a date (YYYY-MM-DD)"),
        (["--date", "2026-02-30"], "csdrill: --date: '2026-02-30' is not a date (YYYY-MM-DD)"),
        (["--exam", TRAINING], "csdrill: --exam needs --date YYYY-MM-DD"),
        (["--clear", "--date", "2026-03-15"], "csdrill: --clear takes no --date or --exam"),
    ],
)
def test_plan_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    code, out, err = run("plan", *args)
    assert code == 2
    assert err.splitlines() == [message]
    assert out == ""


def test_an_unknown_exam_is_the_usual_error() -> None:
    code, _, err = run("plan", "--date", "2026-03-15", "--exam", "nope")
    assert code == 2
    assert err.startswith("csdrill: unknown exam 'nope'; valid exam ids: ")
    assert len(err.splitlines()) == 1
    assert "No plan set" in run("plan")[1]


# --------------------------------------------------------------------------- review and stats


def test_review_with_a_plan_introduces_the_paced_new_cards(tmp_path: Path) -> None:
    (tmp_path / "home").mkdir(parents=True, exist_ok=True)
    (tmp_path / "home" / "config.toml").write_text("new_per_day = 2\n", encoding="utf-8")
    assert run("plan", "--date", "2026-03-08", "--exam", TRAINING)[0] == 0
    code, out, err = run("review", input="")
    assert code == 0, err
    assert "Plan: 2026-03-08, 7 days left" in out
    assert "Review: 0 due, 5 new." in out  # ceil(24 / 5), more than new_per_day 2
    code, out, err = run("review", "--new", "1", input="")
    assert "Review: 0 due, 1 new." in out  # --new still wins


def test_review_with_a_plan_caps_the_interval(tmp_path: Path) -> None:
    assert run("plan", "--date", "2026-03-08")[0] == 0
    code, _, err = run("review", "--limit", "1", input="A\n")
    assert code == 0, err
    with connect(tmp_path / "home") as db:
        (state,) = db.card_states().values()
    assert state.due is not None
    assert state.due <= datetime(2026, 3, 6, 9, tzinfo=UTC)  # a learning step, or at most D-2


def test_stats_shows_the_days_left_and_the_recall_on_the_day() -> None:
    assert run("plan", "--date", "2026-03-15", "--exam", TRAINING)[0] == 0
    code, out, err = run("stats")
    assert code == 0, err
    assert "Plan: 2026-03-15, 14 days left" in out
    assert f"{TRAINING}  new 24/24, recalled on the day 0%" in out


def test_stats_without_a_plan_says_nothing_of_it() -> None:
    code, out, _ = run("stats")
    assert code == 0
    assert "Plan:" not in out


# --------------------------------------------------------------------------- the simulation


def test_the_simulation_meets_its_targets_on_a_7_day_plan() -> None:
    path = Path(__file__).parent.parent / "benchmarks" / "plan_sim.py"
    spec = importlib.util.spec_from_file_location("plan_sim", path)
    assert spec is not None
    assert spec.loader is not None
    sim = importlib.util.module_from_spec(spec)
    sys.modules["plan_sim"] = sim
    spec.loader.exec_module(sim)
    for learner in ("fsrs-predicted", "always right"):
        result, total = sim.simulate(7, learner, 1)
        assert total == BANK_SIZE
        assert all(met for _text, met in result.targets(total)), result.targets(total)
