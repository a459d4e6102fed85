"""A bare three-command Typer app: the framework's own start-up cost, for benchmarks/run.py.

    python benchmarks/bare_typer.py hello [NAME]          # prints one line
    python benchmarks/bare_typer.py hello --rich [NAME]   # the same through a Rich Console

Like csdrill it is a ``typer.Typer`` with typed options and shell completion
turned off (csdrill sets ``add_completion=False`` too); unlike csdrill it
imports nothing else and does no work. With ``--rich`` it also imports
``rich.console`` and prints its line through a ``Console``: Typer plus the
terminal library csdrill's UI is built on (row 1b's baseline).
"""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(add_completion=False, help="A bare Typer app with three commands.")


@app.command()
def hello(
    name: Annotated[str, typer.Argument(help="Who to greet.")] = "world",
    loud: Annotated[bool, typer.Option("--loud", help="Shout.")] = False,
    rich: Annotated[bool, typer.Option("--rich", help="Print through a rich.console.Console (imports Rich).")] = False,
) -> None:
    """Print one line."""
    line = f"Hello, {name}!"
    line = line.upper() if loud else line
    if rich:
        from rich.console import Console
        from rich.text import Text

        Console().print(Text(line, style="bold"))
    else:
        typer.echo(line)


@app.command()
def add(
    a: Annotated[int, typer.Argument(help="First number.")],
    b: Annotated[int, typer.Argument(help="Second number.")],
    times: Annotated[int | None, typer.Option("--times", "-n", min=1, help="Repeat.")] = None,
) -> None:
    """Add two numbers."""
    for _ in range(times or 1):
        typer.echo(str(a + b))


@app.command("list")
def list_(
    pattern: Annotated[str | None, typer.Option("--pattern", help="Only names containing this.")] = None,
) -> None:
    """List some names."""
    for name in ("alpha", "beta", "gamma"):
        if pattern is None or pattern in name:
            typer.echo(name)


if __name__ == "__main__":
    app()
