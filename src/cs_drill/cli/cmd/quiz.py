"""csdrill quiz: graded questions, each answer saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from cs_drill.cli.options import BankOption, ExamOption, Order, SectionOption


def quiz(
    exam: ExamOption = None,
    section: SectionOption = None,
    count: Annotated[
        int | None,
        typer.Option("--count", "-n", min=1, metavar="N", help="Ask at most N questions."),
    ] = None,
    order: Annotated[
        Order,
        typer.Option("--order", help="scheduled: due and weak first, then new; source; random."),
    ] = Order.scheduled,
    seed: Annotated[
        int | None,
        typer.Option("--seed", metavar="N", help="Seed for --order random (repeatable shuffles)."),
    ] = None,
    bank: BankOption = None,
) -> None:
    """Run a quiz: each answer is graded, explained and saved to your review history.

    Type letters for choice questions (ACD, a c d), t/f or 对/错 for true-false, one line
    for open questions (then rate yourself 1-4). End of input or Ctrl-C ends the quiz
    with a summary; every answer given so far is saved.
    """
    from cs_drill.cli.drilling import run_drill
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.study.select import quiz_order

    with open_workspace(bank) as ws:
        refs = ws.catalog.refs(exam, section)
        states = ws.store.card_states()
        ordered = quiz_order(refs, order.value, states=states, scheduler=ws.scheduler, now=ws.now, seed=seed)
        if count is not None:
            ordered = ordered[:count]
        run_drill(ws, ordered, states, "quiz", refs=ordered)


def register(command: Callable[..., Any]) -> None:
    command(quiz)
