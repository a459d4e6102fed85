"""Running a drill from a command: engine, view, and the summary however the run ends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cs_drill.bank.model import Question, QuestionRef
    from cs_drill.cli.workspace import Workspace
    from cs_drill.study.card import CardState


def run_drill(
    ws: Workspace,
    items: Sequence[Question | QuestionRef],
    states: Mapping[str, CardState],
    mode: str,
    refs: Sequence[Question | QuestionRef] | None = None,
) -> None:
    """Run a drill; print the summary at the end, at end of input and on Ctrl-C."""
    from cs_drill.render.console import LineReader, out_console
    from cs_drill.render.drill import DrillView, print_summary
    from cs_drill.study.drill import Drill, Recorder

    console = out_console()
    reader = LineReader(console)
    recorder = Recorder(
        ws.store,
        ws.scheduler,
        mode,
        states,
        easy_ratio=ws.settings.easy_ratio,
        hard_ratio=ws.settings.hard_ratio,
    )
    clock = ws.clock()
    engine = Drill(ws.catalog, recorder, clock, items, mode=mode, refs=refs, timed=reader.interactive)
    view = DrillView(console, reader, engine, ws.catalog.exams())
    try:
        view.run()
    except KeyboardInterrupt:
        console.print()
        print_summary(console, engine.outcomes, clock.elapsed())
        raise
    print_summary(console, engine.outcomes, clock.elapsed())
