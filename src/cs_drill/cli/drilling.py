"""Running a drill from a command: engine, view, and the summary however the run ends."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from cs_drill.errors import UsageError
from cs_drill.i18n import _

if TYPE_CHECKING:
    from cs_drill.bank.model import Question, QuestionRef
    from cs_drill.cli.workspace import Workspace
    from cs_drill.study.card import CardState


def display_script(ws: Workspace, script: str | None) -> Callable[[str], str]:
    """How bank text is shown: as the bank has it, or converted (``--script``, else ``script`` in config.toml)."""
    from cs_drill.config import SCRIPTS

    chosen = script if script is not None else ws.settings.script
    if chosen not in SCRIPTS:
        raise UsageError(
            _("--script: {value!r} is not one of {choices}").format(value=chosen, choices=", ".join(SCRIPTS))
        )
    if chosen == "source":
        return lambda text: text
    from cs_drill.study.assess.chinese import convert_script

    if chosen == "hans":
        return lambda text: convert_script(text, "hans")
    return lambda text: convert_script(text, "hant")


def duration(option: str, value: str | None, default: float) -> float:
    """Seconds of a ``--think`` / ``--speak`` value (``30s``, ``2m``); ``default`` when not given."""
    if value is None:
        return default
    from cs_drill.config import parse_duration

    try:
        return parse_duration(value)
    except ValueError:
        raise UsageError(
            _("{option}: {value!r} is not a duration such as 30s, 2m or 1m30s").format(option=option, value=value)
        ) from None


def run_drill(
    ws: Workspace,
    items: Sequence[Question | QuestionRef],
    states: Mapping[str, CardState],
    mode: str,
    refs: Sequence[Question | QuestionRef] | None = None,
    *,
    script: str | None = None,
    think: str | None = None,
    speak: str | None = None,
    exam: str | None = None,
    section: str | None = None,
    again_after: int | None = None,
    place: str | None = None,
    start: int = 0,
) -> None:
    """Run a drill; print the summary at the end, at end of input and on Ctrl-C.

    ``again_after``: a card rated Again comes back after so many others; ``place``: the key
    under which a source-order quiz remembers where it stopped; ``start``: the index to begin at.
    """
    from cs_drill.render.console import LineReader, out_console
    from cs_drill.render.drill import DrillView, Rehearsal, print_summary
    from cs_drill.study.drill import Drill, Recorder

    # The history is opened, and checked writable, before the first question: a
    # read-only home fails here, not at the first answer (which would be lost).
    ws.store.check_writable()
    show = display_script(ws, script)
    think_s = duration("--think", think, ws.settings.think)
    speak_s = duration("--speak", speak, ws.settings.speak)
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
    engine = Drill(
        ws.catalog,
        recorder,
        clock,
        items,
        mode=mode,
        refs=refs,
        timed=reader.interactive,
        again_after=again_after,
        place=place,
        start=start,
    )
    rehearsal = None
    if reader.interactive:
        from cs_drill.render.editor import Editor

        rehearsal = Rehearsal(Editor(), think_s, speak_s)
    exams = ws.catalog.exams()
    view = DrillView(console, reader, engine, exams, show=show, rehearsal=rehearsal)

    def summary() -> None:
        from cs_drill.study.select import outlook

        settings = ws.settings
        ahead = outlook(ws.catalog, ws.store, clock.now(), settings.day_start_hour, settings.new_per_day, exam, section)
        print_summary(console, engine.outcomes, clock.elapsed(), exams, ahead, show)

    try:
        view.run()
    except KeyboardInterrupt:
        console.print()
        summary()
        raise
    summary()
