"""csdrill plan: set, show or clear the date of the interview or test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from cs_drill.cli.options import BankOption
from cs_drill.i18n import N_, _


def plan(
    day: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help=_("The date of the interview or test.")),
    ] = None,
    exams: Annotated[
        list[str] | None,
        typer.Option("--exam", metavar="ID", help=_("Plan for this exam (repeatable; default: every exam).")),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help=_("Remove the plan."))] = False,
    bank: BankOption = None,
) -> None:
    from rich.text import Text

    from cs_drill.cli.workspace import open_workspace
    from cs_drill.errors import UsageError
    from cs_drill.render.console import out_console
    from cs_drill.render.stats import plan_lines
    from cs_drill.study.planner import current_status, days_left, parse_day

    if clear and (day is not None or exams):
        raise UsageError(_("--clear takes no --date or --exam"))
    if exams and day is None:
        raise UsageError(_("--exam needs --date YYYY-MM-DD"))
    console = out_console()
    with open_workspace(bank) as ws:
        hour = ws.settings.day_start_hour
        if clear:
            had = bool(ws.store.plan())
            ws.store.clear_plan()
            console.print(Text(_("Plan cleared.") if had else _("No plan was set.")))
            return
        if day is not None:
            when = parse_day(day.strip())
            if when is None:
                raise UsageError(_("--date: {value!r} is not a date (YYYY-MM-DD)").format(value=day))
            if days_left(when, ws.now, hour) < 0:
                raise UsageError(_("--date: {day} is in the past").format(day=when.isoformat()))
            chosen = list(dict.fromkeys(exams or []))
            for exam in chosen:
                ws.catalog.check(exam, None)
            ws.store.set_plan(when.isoformat(), chosen, ws.now)
        status = current_status(ws.catalog, ws.store, ws.scheduler, ws.now, hour, daily_limit=ws.settings.new_per_day)
    if status is None:
        hint = _("No plan set: set one with `{command}`.").format(command="csdrill plan --date YYYY-MM-DD")
        console.print(Text(hint))
        return
    for line in plan_lines(status):
        console.print(line)


HELP = N_(
    """\
Set, show or clear the date of the interview or test.

While a plan is set, review paces the new cards so that every planned question
is first seen three days before the date at the latest, and shortens intervals
so that each is seen again in the last three days before it."""
)


def register(command: Callable[..., Any]) -> None:
    command(plan, help=_(HELP))
