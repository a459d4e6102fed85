"""csdrill list: exams and sections with ids, kinds, counts and due counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from cs_drill.cli.options import BankOption
from cs_drill.i18n import _


def list_(bank: BankOption = None) -> None:
    from cs_drill.cli.workspace import open_workspace
    from cs_drill.render.bank import print_bank_table
    from cs_drill.render.console import out_console
    from cs_drill.study.select import due_counts

    with open_workspace(bank) as ws:
        exams = ws.catalog.exams()
        history = ws.existing_store()
        due = starred = None
        if history is not None:
            states = history.due_states(ws.now)
            due = due_counts(ws.catalog.refs_of(states), states, ws.now)
            stars = history.starred()
            if stars:  # a column of stars only for a learner who uses them
                starred = Counter((r.exam_id, r.section_id) for r in ws.catalog.refs_of(stars))
    print_bank_table(out_console(), exams, due, starred)


def register(command: Callable[..., Any]) -> None:
    command(list_, "list", help=_("List exams and sections: ids, titles, kinds, question counts and due counts."))
