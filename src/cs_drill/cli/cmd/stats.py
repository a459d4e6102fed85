"""csdrill stats: progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cs_drill.cli.options import BankOption, ExamOption, SectionOption
from cs_drill.i18n import _


def stats(exam: ExamOption = None, section: SectionOption = None, bank: BankOption = None) -> None:
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.render.console import fold, out_console
    from cs_drill.render.stats import attempt_lines, plan_lines, print_stats
    from cs_drill.study.planner import current_status
    from cs_drill.study.stats import attempt_summaries, catalog_stats

    with open_workspace(bank) as ws:
        catalog, db = ws.catalog, ws.store
        catalog.check(exam, section)
        result = catalog_stats(
            catalog,
            exam,
            section,
            db.card_states(),
            db,
            db.content_hashes(),
            ws.scheduler,
            ws.now,
            day_start_hour=ws.settings.day_start_hour,
        )
        hour, limit = ws.settings.day_start_hour, ws.settings.new_per_day
        plan = current_status(catalog, db, ws.scheduler, ws.now, hour, daily_limit=limit)
        sittings = [a for a in db.attempts() if exam is None or a.exam_id == exam]
        titles = {e.id: e.title for e in catalog.exams()}
    console = out_console()
    print_stats(console, result)
    for line in attempt_lines(attempt_summaries(sittings), titles):
        console.print(fold(line, console.width, 4), soft_wrap=True)
    for line in plan_lines(plan) if plan is not None else ():
        console.print(line)


def register(command: Callable[..., Any]) -> None:
    command(
        stats,
        help=_("Show progress: cards per section, accuracy, reviews per day, due forecast, weakest questions."),
    )
