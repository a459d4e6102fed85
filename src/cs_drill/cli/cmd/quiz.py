"""csdrill quiz: graded questions, each answer saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from cs_drill.cli.options import (
    BankOption,
    ExamOption,
    Order,
    QuestionOption,
    ScriptOption,
    SectionOption,
    SpeakOption,
    ThinkOption,
)
from cs_drill.i18n import N_, _


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
    script: ScriptOption = None,
    think: ThinkOption = None,
    speak: SpeakOption = None,
    bank: BankOption = None,
) -> None:
    from cs_drill.cli.drilling import run_drill
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.study.select import quiz_order

    with open_workspace(bank) as ws:
        if question:
            ordered = ws.catalog.named(question, exam, section)
        else:
            refs = ws.catalog.refs(exam, section)
            states = ws.store.card_states()
            ordered = quiz_order(refs, order.value, states=states, scheduler=ws.scheduler, now=ws.now, seed=seed)
        if count is not None:
            ordered = ordered[:count]
        states = ws.store.card_states([r.uid for r in ordered])
        run_drill(
            ws,
            ordered,
            states,
            "quiz",
            refs=ordered,
            script=script,
            think=think,
            speak=speak,
            exam=exam,
            section=section,
        )


HELP = N_(
    """\
Run a quiz: each answer is graded, explained and saved to your review history.

Type letters for choice questions (ACD, a c d), t/f or 对/错 for true-false. Open
questions at a terminal are rehearsed: answer (several lines, or aloud), see the
model answer, tick the key points you covered, rate yourself 1-4. End of input or
Ctrl-C ends the quiz with a summary; every answer given so far is saved."""
)


def register(command: Callable[..., Any]) -> None:
    command(quiz, help=_(HELP))
