"""The Typer app: the commands' registry, the root options, and the one error handler.

Each command is a module of ``cli.cmd`` with a ``register(app, command)``
function; ``command`` wraps the command's function in :func:`handled`, so no
command can forget it. A command line that names its command imports only that
module (the others' options are never built); help and completion import all.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from cs_drill import __version__
from cs_drill.errors import BankError, CsDrillError, Terminated
from cs_drill.i18n import _

F = TypeVar("F", bound=Callable[..., Any])

#: Command name → the module that defines it (in the order help lists them).
COMMANDS: dict[str, str] = {
    "validate": "cs_drill.cli.cmd.validate",
    "list": "cs_drill.cli.cmd.list",
    "quiz": "cs_drill.cli.cmd.quiz",
    "exam": "cs_drill.cli.cmd.exam",
    "review": "cs_drill.cli.cmd.review",
    "plan": "cs_drill.cli.cmd.plan",
    "stats": "cs_drill.cli.cmd.stats",
    "export": "cs_drill.cli.cmd.export",
    "history": "cs_drill.cli.cmd.history",
    "browse": "cs_drill.cli.cmd.browse",
    "schema": "cs_drill.cli.cmd.schema",
    "import": "cs_drill.cli.cmd.imports",
}


def _fail(message: str, code: int) -> typer.Exit:
    return typer.Exit(_fail_line(message, code))


def handled(func: F) -> F:
    """Turn our errors into one line and an exit code; Ctrl-C into exit 130, SIGTERM and SIGHUP into 128 + N.

    A reader that went away (``csdrill stats | head -1``) is not an error: exit 0, silently.
    A message that cannot be written (standard error closed or a broken pipe) is lost, never
    the exit code.
    """

    def mute(stream: Any) -> None:
        # what is still to be written to ``stream`` goes to the null device (also Python's final flush)
        with contextlib.suppress(AttributeError, ValueError, OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)

    def say(text: str) -> None:
        try:
            sys.stderr.write(text)
            sys.stderr.flush()
        except (AttributeError, ValueError, OSError):
            mute(sys.stderr)

    def fail(message: str, code: int) -> typer.Exit:
        try:
            return _fail(message, code)
        except (AttributeError, ValueError, OSError):
            mute(sys.stderr)
            return typer.Exit(code)

    def reader_gone() -> typer.Exit:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (AttributeError, ValueError, OSError):
                mute(stream)
        return typer.Exit(0)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BankError as exc:
            for problem in exc.problems:
                say(f"{problem}\n")
            raise fail(_("invalid bank: {message}").format(message=exc.message), exc.exit_code) from None
        except CsDrillError as exc:
            raise fail(exc.message, exc.exit_code) from None
        except KeyboardInterrupt:
            say("\n" + _("interrupted") + "\n")
            raise typer.Exit(130) from None
        except Terminated as exc:
            say("\n" + exc.message + "\n")
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # The reader went away (e.g. `csdrill export | head`): not an error of ours.
            mute(sys.stdout)
            raise reader_gone() from None
        except SystemExit as exc:
            # Rich meets a broken pipe with SystemExit(1) (after sending standard output to the null device)
            if not isinstance(exc.__context__, BrokenPipeError):
                raise
            raise reader_gone() from None
        except typer.Exit:
            raise
        except Exception as exc:
            if os.environ.get("CSDRILL_DEBUG") == "1":
                raise
            message = _("unexpected error: {error} (set CSDRILL_DEBUG=1 for details)")
            raise fail(message.format(error=f"{type(exc).__name__}: {exc}"), 1) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csdrill {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_("Print the version and exit.")),
    ] = False,
) -> None:
    """Drill customer-service interview questions from the terminal."""


def build(names: list[str] | None = None) -> typer.Typer:
    """The app with the commands ``names`` (default: all of them)."""
    from cs_drill.cli.usage import Command, Group

    app = typer.Typer(
        name="csdrill",
        cls=Group,
        help=_(
            "Drill customer-service (客服) interview and assessment questions: quizzes, "
            "spaced-repetition reviews, progress and study sheets."
        ),
        no_args_is_help=True,
        add_completion=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_root)

    def command(func: Callable[..., Any], name: str | None = None, help: str | None = None) -> None:  # noqa: A002
        # help: the command's help text, already translated (a docstring cannot go through the catalog)
        app.command(name, help=help, cls=Command)(handled(func))

    def group(name: str, help: str) -> Callable[..., None]:  # noqa: A002
        # a command with subcommands (``csdrill history export``): returns the registrar of its subcommands
        sub = typer.Typer(
            name=name,
            cls=Group,
            help=help,
            no_args_is_help=True,
            rich_markup_mode=None,
            context_settings={"help_option_names": ["-h", "--help"]},
        )
        app.add_typer(sub, name=name, help=help)

        def sub_command(func: Callable[..., Any], name: str | None = None, help: str | None = None) -> None:  # noqa: A002
            sub.command(name, help=help, cls=Command)(handled(func))

        return sub_command

    for name in names if names is not None else list(COMMANDS):
        module = importlib.import_module(COMMANDS[name])
        if hasattr(module, "register_group"):
            module.register_group(group)
        else:
            module.register(command)
    return app


def choose_language(env: dict[str, str] | None = None) -> str:
    """Set the interface language up (``CSDRILL_LANG``, ``lang`` in config.toml, the locale) and return it.

    A ``CSDRILL_LANG`` that is no language of csdrill's exits 2 with one line.
    """
    from cs_drill import i18n
    from cs_drill.config import configured_lang

    env = dict(os.environ) if env is None else env
    try:
        lang = i18n.choose(env, configured_lang(env))
    except ValueError:
        i18n.setup(i18n.from_locale(env) or "en")
        message = _("CSDRILL_LANG: {value!r} is not one of {choices}").format(
            value=env.get("CSDRILL_LANG", ""), choices=", ".join(i18n.LANGS)
        )
        raise SystemExit(_fail_line(message, 2)) from None
    i18n.setup(lang)
    return lang


def _fail_line(message: str, code: int) -> int:
    sys.stderr.write(f"csdrill: {message}\n")
    sys.stderr.flush()
    return code


def main() -> None:
    """Run the command line (entered through ``cs_drill._entry.main``).

    Standard streams closed at start-up become the null device (see ``degrade_streams``).
    A write outside the commands (help, ``--version``) into a pipe whose reader went away
    exits 0: Click then puts flush-pacifying wrappers in place of the streams and exits 1.
    """
    from cs_drill.render.console import degrade_streams

    degrade_streams()
    choose_language()
    args = sys.argv[1:]
    completing = any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ)
    names = [args[0]] if args and args[0] in COMMANDS and not completing else None
    out, err = sys.stdout, sys.stderr
    try:
        build(names)(prog_name="csdrill")
    except SystemExit as exc:
        if exc.code != 1 or (sys.stdout is out and not isinstance(exc.__context__, BrokenPipeError)):
            raise
        sys.stdout, sys.stderr = out, err
        for stream in (out, err):
            try:
                stream.flush()
            except (AttributeError, ValueError, OSError):
                with contextlib.suppress(AttributeError, ValueError, OSError):
                    devnull = os.open(os.devnull, os.O_WRONLY)
                    os.dup2(devnull, stream.fileno())
                    os.close(devnull)
        raise SystemExit(0) from None


def __getattr__(name: str) -> Any:
    """``app``: the app with every command (for tests and tools that import it)."""
    if name == "app":
        return build()
    raise AttributeError(name)
