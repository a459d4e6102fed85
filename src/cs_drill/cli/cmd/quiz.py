"""csdrill quiz: graded questions, each answer saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_drill.cli.options import (
    BankOption,
    ExamOption,
    Only,
    Order,
    QuestionOption,
    ScriptOption,
    SectionOption,
    SpeakOption,
    ThinkOption,
)
from cs_drill.errors import CsDrillError
from cs_drill.i18n import N_, _

if TYPE_CHECKING:
    from cs_drill.bank.model import QuestionRef
    from cs_drill.cli.workspace import Workspace
    from cs_drill.study.card import CardState


def quiz(
    exam: ExamOption = None,
    section: SectionOption = None,
    question: QuestionOption = None,
    count: Annotated[
        int | None,
        typer.Option("--count", "-n", min=1, metavar="N", help=_("Ask at most N questions.")),
    ] = None,
    order: Annotated[
        Order,
        typer.Option("--order", help=_("scheduled: due and weak first, then new; source; random.")),
    ] = Order.scheduled,
    seed: Annotated[
        int | None,
        typer.Option("--seed", metavar="N", help=_("Seed for --order random (repeatable shuffles).")),
    ] = None,
    only: Annotated[
        Only | None,
        typer.Option(
            "--only",
            help=_(
                "From your history: wrong (last answered wrong; a miss comes back until it is right), "
                "starred, due (due now), weak (recall below 80%)."
            ),
        ),
    ] = None,
    restart: Annotated[
        bool, typer.Option("--restart", help=_("With --order source: begin at the first question again."))
    ] = False,
    no_schedule: Annotated[
        bool,
        typer.Option("--no-schedule", help=_("Practice: answers count in stats, the schedule is left alone.")),
    ] = False,
    script: ScriptOption = None,
    think: ThinkOption = None,
    speak: SpeakOption = None,
    bank: BankOption = None,
) -> None:
    from cs_drill.cli.drilling import run_drill
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.study.select import quiz_order

    with open_workspace(bank) as ws:
        start, place = 0, None
        if not question:
            exam = ws.exam_or_default(exam)  # `exam` in config.toml when --exam is not given
        if question:
            ordered = ws.catalog.named(question, exam, section)
        else:
            refs = ws.catalog.refs(exam, section)
            states = ws.store.card_states()
            if only is not None:
                refs = _personal(ws, refs, only.value, states)
            ordered = quiz_order(refs, order.value, states=states, scheduler=ws.scheduler, now=ws.now, seed=seed)
            if order is Order.source and only is None:
                place = f"{exam or '*'}/{section or '*'}"
                start = _resume(ws, ordered, place, restart)
        if only is not None and not ordered:
            raise CsDrillError(_("nothing to drill: no question matches --only {only}").format(only=only.value), 0)
        if count is not None:
            ordered = ordered[: start + count]
        states = ws.store.card_states([r.uid for r in ordered])
        run_drill(
            ws,
            ordered,
            states,
            "practice" if no_schedule else "quiz",
            refs=ordered,
            again_after=3 if only is Only.wrong else None,
            place=place,
            start=start,
            script=script,
            think=think,
            speak=speak,
            exam=exam,
            section=section,
        )


def _personal(ws: Workspace, refs: list[QuestionRef], only: str, states: dict[str, CardState]) -> list[QuestionRef]:
    from cs_drill.study.select import last_answered_wrong, personal_selection

    wrong = last_answered_wrong(ws.store.latest_reviews().values()) if only == "wrong" else set()
    starred = ws.store.starred() if only == "starred" else set()
    return personal_selection(only, refs, states, wrong, ws.scheduler, ws.now, starred=starred)


def _resume(ws: Workspace, ordered: list[QuestionRef], place: str, restart: bool) -> int:
    """Where a source-order quiz of this selection begins: after the question answered last, unless --restart."""
    from rich.text import Text

    from cs_drill.render.console import out_console

    if restart:
        ws.store.set_place(place, None, ws.now)
        return 0
    last = ws.store.place(place)
    index = next((i for i, r in enumerate(ordered) if r.uid == last), None)
    if index is None or index + 1 >= len(ordered):
        return 0
    message = _("Going on from question {n} (--restart to begin again).").format(n=index + 2)
    out_console().print(Text(message, style="dim"))
    return index + 1


HELP = N_(
    """\
Run a quiz: each answer is graded, explained and saved to your review history.

Type letters for choice questions (ACD, a c d), t/f or 对/错 for true-false, the
blanks in order separated by ；, ; or | for fill-in (24；48). Open questions at a
terminal are rehearsed: answer (several lines, or aloud), see the model answer,
tick the key points you covered, rate yourself 1-4. End of input or Ctrl-C ends
the quiz with a summary; every answer given so far is saved."""
)


def register(command: Callable[..., Any]) -> None:
    command(quiz, help=_(HELP))
