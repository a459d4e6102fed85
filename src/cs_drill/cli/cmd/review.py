"""csdrill review: the cards that are due, then new ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from cs_drill.cli.options import BankOption, ExamOption, ScriptOption, SectionOption, SpeakOption, ThinkOption
from cs_drill.i18n import N_, _


def review(
    exam: ExamOption = None,
    section: SectionOption = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0, metavar="N", help=_("Review at most N cards."))] = None,
    new: Annotated[
        int | None,
        typer.Option(
            "--new",
            min=0,
            metavar="N",
            help=_("Introduce at most N new cards (default: what is left of today's new-card limit)."),
        ),
    ] = None,
    script: ScriptOption = None,
    think: ThinkOption = None,
    speak: SpeakOption = None,
    bank: BankOption = None,
) -> None:
    from rich.text import Text

    from cs_drill.cli.drilling import run_drill
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.render.console import out_console
    from cs_drill.render.drill import nothing_due_message
    from cs_drill.render.stats import plan_lines
    from cs_drill.study.planner import capper, current_status, plan_of
    from cs_drill.study.select import pool_rest, review_pool, study_day_start

    with open_workspace(bank) as ws:
        exam = ws.exam_or_default(exam)
        ws.catalog.check(exam, section)
        held_back = "--new 0" if new == 0 else None  # the learner's choice, not today's limit
        hour = ws.settings.day_start_hour
        plan = plan_of(ws.store.plan())
        status = None
        if plan is not None:
            status = current_status(
                ws.catalog, ws.store, ws.scheduler, ws.now, hour, daily_limit=ws.settings.new_per_day
            )
        paced = plan if plan and status and status.left >= 0 and (exam is None or plan.covers(exam)) else None
        if paced is not None and status is not None:
            ws.scheduler.cap = capper(paced, hour)  # intervals end within the last days before the date
            new = status.new_today if new is None else new  # the plan's pace replaces the daily limit
        elif new is None:
            introduced = len(ws.store.first_seen_since(study_day_start(ws.now, hour)))
            new = max(0, ws.settings.new_per_day - introduced)
        new_exams = paced.exams if paced is not None else None
        pool = review_pool(
            ws.catalog,
            ws.store,
            ws.now,
            new,
            exam,
            section,
            ws.settings.new_order,
            new_exams,
            rest=False,
        )
        # the due cards' refs are read as the drill reaches them, each question when it comes
        queue = pool.queue(limit)
        if not queue.cards:  # what is left is said only when nothing is to be asked
            new_total, next_due = pool_rest(ws.catalog, ws.store, ws.now, exam, section)
            queue = pool._replace(new_total=new_total, next_due=next_due).queue(limit)
        console = out_console()
        for line in plan_lines(status) if status is not None else ():
            console.print(line)
        if not queue.cards:
            console.print(Text(_("Nothing to review now."), style="bold"))
            console.print(Text(nothing_due_message(queue, ws.now, held_back)))
            return
        console.print(Text(_("Review: {due} due, {new} new.").format(due=queue.due, new=queue.new), style="bold"))
        run_drill(
            ws,
            queue.cards,
            {},  # the drill reads the state of each card it shows
            "review",
            again_after=3,  # a card rated Again comes back after three others, as Anki's learning steps do
            script=script,
            think=think,
            speak=speak,
            exam=exam,
            section=section,
        )


HELP = N_(
    """\
Review the cards that are due, then new ones up to the daily limit.

Choice, true-false and fill-in cards are graded (fill-in: the blanks in order,
separated by ；, ; or |); open cards are answered, revealed and self-rated
(1 Again, 2 Hard, 3 Good, 4 Easy). After each card: when it comes back."""
)


def register(command: Callable[..., Any]) -> None:
    command(review, help=_(HELP))
