"""csdrill exam: a mock exam (模拟考试), timed and scored in the source's points."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cs_drill.cli.options import BankOption, ExamOption, ScriptOption, SectionOption, SpeakOption, ThinkOption
from cs_drill.errors import UsageError
from cs_drill.i18n import N_, _

if TYPE_CHECKING:
    from cs_drill.bank.model import Exam
    from cs_drill.cli.workspace import Workspace


def exam(
    exam: ExamOption = None,
    section: SectionOption = None,
    time: Annotated[
        str | None,
        typer.Option(
            "--time",
            metavar="DURATION",
            help=_("Time allowed, such as 45m, 90s or 1h30m (default: the exam's time limit, else none)."),
            show_default=False,
        ),
    ] = None,
    pass_mark: Annotated[
        float | None,
        typer.Option(
            "--pass",
            metavar="PERCENT",
            help=_("Percent of the points needed to pass (default: the exam's pass mark, else 60)."),
            show_default=False,
        ),
    ] = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help=_("Multi-choice: a subset of the key (少选) scores half; fill-in: the share of the blanks right."),
        ),
    ] = False,
    script: ScriptOption = None,
    think: ThinkOption = None,
    speak: SpeakOption = None,
    bank: BankOption = None,
) -> None:
    from cs_drill.cli.drilling import display_script
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.render.console import LineReader, out_console
    from cs_drill.render.exam import ExamView, print_result
    from cs_drill.study.drill import Recorder
    from cs_drill.study.exam import DEFAULT_PASS, Sitting

    if pass_mark is not None and not 0 < pass_mark <= 100:
        raise UsageError(_("--pass: {value} is not a percent from 1 to 100").format(value=f"{pass_mark:g}"))
    limit = _limit(time)
    with open_workspace(bank) as ws:
        chosen = _one_exam(ws, ws.exam_or_default(exam), section)
        questions = ws.catalog.select(chosen.id, section)
        if not questions:
            raise UsageError(_("exam {exam}: no questions to sit").format(exam=chosen.id))
        if limit is None and time is None and chosen.time_limit:
            limit = float(chosen.time_limit) * 60
        mark = pass_mark if pass_mark is not None else float(chosen.pass_mark or DEFAULT_PASS)
        # A history that cannot be written fails here, before the first question (as a drill does).
        ws.store.check_writable()
        show = display_script(ws, script)
        console = out_console()
        reader = LineReader(console)
        states = ws.store.card_states([q.uid for q in questions])
        recorder = Recorder(
            ws.store,
            ws.scheduler,
            "exam",
            states,
            easy_ratio=ws.settings.easy_ratio,
            hard_ratio=ws.settings.hard_ratio,
        )
        sections = {(chosen.id, s.id): s for s in chosen.sections}
        sitting = Sitting(
            questions,
            sections,
            recorder,
            ws.clock(),
            limit=limit,
            partial=partial,
            pass_mark=mark,
            timed=reader.interactive,
        )
        editor = None
        if reader.interactive:
            from cs_drill.render.editor import Editor

            editor = Editor()
        from cs_drill.cli.drilling import duration

        think_s = duration("--think", think, ws.settings.think)
        speak_s = duration("--speak", speak, ws.settings.speak)
        view = ExamView(console, reader, sitting, chosen, show=show, editor=editor, think=think_s, speak=speak_s)
        try:
            view.run()
        except KeyboardInterrupt:
            sitting.end()
            console.print()
            print_result(view)
            raise
        print_result(view)
        ws.store.add_attempt(sitting.attempt(chosen.id, section))


def _limit(value: str | None) -> float | None:
    """Seconds of ``--time`` (None: not given)."""
    if value is None:
        return None
    from cs_drill.config import parse_duration

    try:
        seconds = parse_duration(value)
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        raise UsageError(_("--time: {value!r} is not a duration such as 45m, 90s or 1h30m").format(value=value))
    return seconds


def _one_exam(ws: Workspace, exam: str | None, section: str | None) -> Exam:
    """The exam to sit: ``--exam`` (or ``exam`` in config.toml), else the bank's only exam."""
    ws.catalog.check(exam, section)
    exams = ws.catalog.exams()
    if exam is not None:
        found = ws.catalog.exam(exam)
        assert found is not None  # checked above
        return found
    if section is not None:
        exams = [e for e in exams if any(s.id == section for s in e.sections)]
    if len(exams) == 1:
        return exams[0]
    raise UsageError(_("choose the exam to sit with --exam: {ids}").format(ids=", ".join(e.id for e in exams)))


HELP = N_(
    """\
Sit a mock exam (模拟考试): the exam's questions in source order, no feedback until
the end, against the clock (--time, default the exam's time limit).

Type the answer of each question (fill-in: the blanks in order, separated by ；, ;
or |); an empty line or /next skips it, and the skipped ones come back at the
end. When the time is up the exam ends and what is unanswered scores 0. Open
questions are rated by yourself at the end, when their model answers are shown.
The result gives the points per section, Points: x/y and PASS or FAIL; every
answer is saved and feeds the schedule."""
)


def register(command: Callable[..., Any]) -> None:
    command(exam, help=_(HELP))
