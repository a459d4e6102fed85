"""Help and usage errors in the interface language.

Typer draws help and reports usage errors with its own copy of Click, whose
few fixed phrases ("Usage:", "Show this message and exit.", "Error: No such
option: …") are English literals, not catalog lookups. csdrill's command
classes (``Command``, ``Group``, given to Typer as ``cls``) put those phrases
through the catalog; :func:`show_usage_error` prints a usage error the way
Click would, in the user's language.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from cs_drill.i18n import N_, _, current

__all__ = ["Command", "Group", "localize_help", "show_usage_error", "translate_error"]

#: Fixed phrases of help pages, as Typer's Click writes them, and their catalog messages.
_HELP_PHRASES = (
    ("Show this message and exit.", N_("Show this message and exit.")),
    ("Install completion for the current shell.", N_("Install completion for the current shell.")),
    (
        "Show completion for the current shell, to copy it or customize the installation.",
        N_("Show completion for the current shell, to copy it or customize the installation."),
    ),
)

#: Usage errors as Typer's Click words them → the catalog's message with the same fields.
_ERRORS: tuple[tuple[str, str], ...] = (
    (r"No such option: (?P<name>.+)", N_("No such option: {name}")),
    # (Typer's own "No such command {name!r}." stays untranslated in the catalogs, so that it arrives
    # here in English with the suggestion Typer appends to it.)
    (
        r"No such command '(?P<name>.*)'\.\s*Did you mean '(?P<guess>.*)'\?",
        N_("No such command '{name}'. Did you mean '{guess}'?"),
    ),
    (r"No such command '(?P<name>.*)'\.", N_("No such command '{name}'.")),
    (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
    (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
    (r"Missing parameter: (?P<name>.+)", N_("Missing parameter: {name}")),
    (r"Option (?P<name>.+) requires an argument\.", N_("Option {name} requires an argument.")),
    (r"Option (?P<name>.+) does not take a value\.", N_("Option {name} does not take a value.")),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", N_("Got unexpected extra arguments ({args})")),
    (r"Value error, (?P<message>.*)", "{message}"),
    (r"Input should be a valid integer.*", N_("Type a whole number.")),
    (r"Input should be a valid number.*", N_("Type a number.")),
    (r"Input should be greater than or equal to (?P<n>\S+)", N_("Type a number of at least {n}.")),
    (r"Input should be less than or equal to (?P<n>\S+)", N_("Type a number of at most {n}.")),
    (r"Invalid value for (?P<name>.+?): (?P<message>.*)", N_("Invalid value for {name}: {message}")),
    (r"Invalid value: (?P<message>.*)", N_("Invalid value: {message}")),
    (r"'(?P<value>.*)' is not a valid integer\.", N_("'{value}' is not a whole number.")),
    (r"'(?P<value>.*)' is not a valid float\.", N_("'{value}' is not a number.")),
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", N_("{value} is not in the range {range}.")),
    (r"'(?P<value>.*)' is not one of (?P<choices>.+)\.", N_("'{value}' is not one of {choices}.")),
    (r"'(?P<value>.*)' is not (?P<choices>'.*')\.", N_("'{value}' is not one of {choices}.")),
)
_POSSIBLE = r"^(?P<message>.*) \(Possible options: (?P<options>.*)\)$"
_NESTED = frozenset({"message"})


def translate_error(message: str) -> str:
    """A usage error of Typer's Click in the interface language (unchanged when it is not one it knows)."""
    possible = re.match(_POSSIBLE, message, re.S)
    if possible:
        options = possible.group("options")
        return _("{message} (possible options: {options})").format(
            message=translate_error(possible.group("message")), options=options
        )
    for pattern, msgid in _ERRORS:  # compiled only when an error is shown (re caches them)
        match = re.fullmatch(pattern, message)
        if match:
            fields = {k: translate_error(v) if k in _NESTED else v for k, v in match.groupdict().items()}
            return (_(msgid) if msgid != "{message}" else msgid).format(**fields)
    return message


def localize_help(text: str, width: int | None = None) -> str:
    """A help page or usage line of Typer's Click with its fixed phrases in the interface language,
    and its paragraphs folded again by screen width (Click counts characters, so a line of
    Chinese text would be twice as wide as the terminal).
    """
    if current() == "en":
        return text
    usage = _("Usage:")
    usage += "" if usage.endswith("：") else " "
    text = re.sub(r"(?m)^(\s*)Usage: ", lambda m: m.group(1) + usage, text)
    for english, msgid in _HELP_PHRASES:
        pattern = r"\s+".join(re.escape(word) for word in english.split())
        text = re.sub(pattern, _(msgid).replace("\\", "\\\\"), text)
    text = re.sub(r"(?m)^(\S[^\n]*[\u3000-\u9fff]):$", r"\1：", text)  # 选项: → 选项：
    return reflow(text, width) if width else text


def _wide(char: str) -> bool:
    """A Chinese character or full-width mark (no space is put between two of them)."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF


def _join(a: str, b: str) -> str:
    """Two pieces of one paragraph that Click broke apart: no space between Chinese characters."""
    if not a or not b:
        return a + b
    from cs_drill.render.console import NO_LINE_END, NO_LINE_START

    if (_wide(a[-1]) and _wide(b[0])) or b[0] in NO_LINE_START or a[-1] in NO_LINE_END:
        return a + b
    return a + " " + b


def _text_column(line: str) -> int:
    """Where the text of a line starts: after a definition's name and its gap, else after the indent."""
    indent = len(line) - len(line.lstrip(" "))
    if indent > 4:  # definitions' names start near the margin; a deep line is text
        return indent
    gap = re.search(r"\S {2,}(?=\S)", line[indent:])
    return indent + gap.end() if gap else indent


def reflow(text: str, width: int) -> str:
    """Fold again, by screen cells, every paragraph or definition of a help page that is wider than ``width``."""
    from rich.cells import cell_len
    from rich.text import Text

    from cs_drill.render.console import NO_LINE_START, fold

    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        col = _text_column(line)
        indent = len(line) - len(line.lstrip(" "))
        j = i + 1
        while j < len(lines) and lines[j].strip() and len(lines[j]) - len(lines[j].lstrip(" ")) == col:
            if col == indent and _text_column(lines[j]) != col and lines[j].lstrip().startswith("-"):
                break  # a new definition (an option), not a continuation
            j += 1
        block = lines[i:j]
        fits = all(cell_len(b) <= width for b in block)
        if fits and not any(b.strip()[:1] in NO_LINE_START for b in block[1:]) or width - col < 12:
            out.extend(block)
            i = j
            continue
        body = block[0][col:].strip()
        for more in block[1:]:
            body = _join(body, more.strip())
        folded = fold(Text(body), width - col).plain.split("\n")
        out.append(block[0][:col] + folded[0])
        out.extend(" " * col + rest for rest in folded[1:])
        i = j
    return "\n".join(out)


class _Localized:
    """What csdrill's command classes add to Typer's: help and usage lines through the catalog."""

    def get_help(self, ctx: Any) -> str:
        if current() == "en":
            return super().get_help(ctx)  # type: ignore[misc,no-any-return]
        import shutil

        width = min(ctx.terminal_width or shutil.get_terminal_size().columns, ctx.max_content_width or 80)
        # Click wraps by characters, which is twice too wide for Chinese and breaks Latin
        # words inside Chinese text: let it lay out unwrapped lines, and fold them by cells.
        saved = ctx.terminal_width, ctx.max_content_width
        ctx.terminal_width = ctx.max_content_width = 10_000
        try:
            text: str = super().get_help(ctx)  # type: ignore[misc]
        finally:
            ctx.terminal_width, ctx.max_content_width = saved
        return localize_help(text, max(width - 2, 40))

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence of the help, as in English (Click only knows the full stop ``.``)."""
        text: str = super().get_short_help_str(limit=10_000)  # type: ignore[misc]
        if current() != "en":
            for stop in ("。", "；", "："):
                if stop in text:
                    text = text[: text.index(stop) + (1 if stop == "。" else 0)]
                    break
        return text if current() != "en" else super().get_short_help_str(limit)  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        return localize_help(super().get_usage(ctx))  # type: ignore[misc]


class Command(_Localized, TyperCommand):
    """A csdrill command."""


class Group(_Localized, TyperGroup):
    """The csdrill command group: usage errors shown in the interface language."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **kwargs: Any,
    ) -> Any:
        import os

        completing = any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ)
        if not standalone_mode or completing:
            return super().main(args, prog_name, complete_var, standalone_mode=standalone_mode, **kwargs)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        except typer.Abort:
            sys.stderr.write(_("Aborted!") + "\n")
            sys.exit(1)
        except Exception as exc:
            if is_usage_error(exc):
                sys.exit(show_usage_error(exc))
            raise
        sys.exit(code if isinstance(code, int) else 0)


def show_usage_error(error: Any) -> int:
    """Print a usage error as Click does (usage line, hint, ``Error: …``), in the interface language.

    ``error`` is one of Typer's Click exceptions (``exit_code``, ``format_message()``, ``ctx``).
    Returns its exit code.
    """
    ctx = getattr(error, "ctx", None)
    out = sys.stderr
    if ctx is not None:
        out.write(ctx.get_usage() + "\n")
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]
            )
            out.write(hint + "\n")
        out.write("\n")
    out.write(_("Error: {message}").format(message=translate_error(error.format_message())) + "\n")
    out.flush()
    return int(getattr(error, "exit_code", 2))


def is_usage_error(error: BaseException) -> bool:
    """Whether ``error`` is one of Typer's Click exceptions that standalone mode would show."""
    return isinstance(error, typer.TyperException) and hasattr(error, "format_message") and hasattr(error, "show")
