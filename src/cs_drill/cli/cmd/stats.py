"""csdrill stats: progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cs_drill.cli.options import BankOption, ExamOption, SectionOption


def stats(exam: ExamOption = None, section: SectionOption = None, bank: BankOption = None) -> None:
    """Show progress: cards per section, accuracy, reviews per day, due forecast, weakest questions."""
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.render.console import out_console
    from cs_drill.render.stats import print_stats
    from cs_drill.study.stats import compute_stats

    with open_workspace(bank) as ws:
        catalog, db = ws.catalog, ws.store
        catalog.check(exam, section)
        states = db.card_states()
        reviews = db.reviews()
        history = set(states) | {r.uid for r in reviews}
        selected = catalog.refs(exam, section)
        chosen = {r.uid for r in selected}
        result = compute_stats(
            catalog.exams(),
            selected,
            {q.uid: q for q in catalog.questions(sorted(history & chosen))},
            {r.uid for r in catalog.refs_of(history)},
            states,
            reviews,
            db.content_hashes(),
            ws.scheduler,
            ws.now,
            day_start_hour=ws.settings.day_start_hour,
            partial=exam is not None or section is not None,
        )
    print_stats(out_console(), result)


def register(command: Callable[..., Any]) -> None:
    command(stats)
