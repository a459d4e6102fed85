"""csdrill schema: the JSON Schema of the bank format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def schema() -> None:
    """Print the JSON Schema of the bank format (for editors: yaml-language-server)."""
    from cs_drill.bank.schema import schema_json

    typer.echo(schema_json())


def register(command: Callable[..., Any]) -> None:
    command(schema)
