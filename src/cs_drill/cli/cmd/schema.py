"""csdrill schema: the JSON Schema of the bank format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from cs_drill.i18n import _


def schema() -> None:
    from cs_drill.bank.schema import schema_json

    typer.echo(schema_json())


def register(command: Callable[..., Any]) -> None:
    command(schema, help=_("Print the JSON Schema of the bank format (for editors: yaml-language-server)."))
