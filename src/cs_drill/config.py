"""Where csdrill keeps its files, and the settings in ``config.toml``."""

from __future__ import annotations

import math
import os
import re
import stat
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from cs_drill.errors import CsDrillError, UsageError
from cs_drill.i18n import _

CONFIG_NAME = "config.toml"

CONFIG_TEMPLATE = """\
# csdrill settings. Delete a line to get its default back.

# The share of cards you want to recall when they come due (0.70–0.99).
# Higher means shorter intervals and more reviews.
desired_retention = 0.9

# How many new cards `csdrill review` introduces per study day.
new_per_day = 20

# The order of new cards in `csdrill review`: "level" introduces the exams for
# newcomers (新人, level 1) first, then those for specialists (专员, 2) and
# managers (经理, 3), exams without a level last; "source" keeps the bank's
# order. Either way each exam's cards come in source order.
new_order = "level"

# The exam `csdrill quiz` and `csdrill review` drill when --exam is not given (an exam id, see
# `csdrill list`). Unset: every exam.
# exam = "ecommerce-cs-newcomer-interview"

# The hour (local time, 0–23) at which a new study day starts, as in Anki.
day_start_hour = 4

# Timing of right answers typed at a terminal, relative to your usual time for
# that kind of question (the median of your recent right answers):
# faster than easy_ratio × usual counts as Easy, slower than hard_ratio × usual as Hard.
easy_ratio = 0.5
hard_ratio = 2.0

# The interface language: "en", "zh-Hans" or "zh-Hant" (CSDRILL_LANG wins;
# without either, the locale decides).
# lang = "zh-Hans"

# The script bank text is shown and exported in: "source" (as the bank has it),
# "hans" (Simplified) or "hant" (Traditional). Also --script.
script = "source"

# Rehearsing open questions at a terminal: time to think before answering and
# time to answer (say it aloud or type it), e.g. "30s", "2m", "1m30s"; "0" for none.
# Also --think and --speak.
think = "0"
speak = "0"
"""


class Settings(NamedTuple):
    """Validated settings; defaults when ``config.toml`` is absent."""

    desired_retention: float = 0.9
    new_per_day: int = 20
    new_order: str = "level"
    exam: str | None = None
    day_start_hour: int = 4
    easy_ratio: float = 0.5
    hard_ratio: float = 2.0
    lang: str | None = None
    script: str = "source"
    think: float = 0.0
    speak: float = 0.0


SCRIPTS = ("source", "hans", "hant")
#: How ``review`` orders new cards (``bank.catalog.new_card_exams``).
NEW_ORDERS = ("level", "source")

_CHOICES: dict[str, tuple[str, ...]] = {
    "lang": ("en", "zh-Hans", "zh-Hant"),
    "script": SCRIPTS,
    "new_order": NEW_ORDERS,
}
_DURATIONS = frozenset({"think", "speak"})

_LIMITS: dict[str, tuple[type, float, float]] = {
    "desired_retention": (float, 0.7, 0.99),
    "new_per_day": (int, 0, 10000),
    "day_start_hour": (int, 0, 23),
    "easy_ratio": (float, 0.0, 1.0),
    "hard_ratio": (float, 1.0, 100.0),
}


def home_dir(env: dict[str, str] | None = None) -> Path:
    """The folder of the review history and settings (``CSDRILL_HOME`` or the platform's)."""
    env = os.environ if env is None else env  # type: ignore[assignment]
    assert env is not None
    value = env.get("CSDRILL_HOME")
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("csdrill", appauthor=False))


def cache_dir(env: dict[str, str] | None = None) -> Path:
    """Where caches live: under ``CSDRILL_HOME`` when set, else the platform's cache folder."""
    env = os.environ if env is None else env  # type: ignore[assignment]
    assert env is not None
    value = env.get("CSDRILL_HOME")
    if value:
        return Path(value).expanduser() / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("csdrill", appauthor=False))


def load_settings(home: Path) -> Settings:
    """Read ``home/config.toml``; raise a one-line ``UsageError`` for a bad file or value."""
    path = home / CONFIG_NAME
    try:
        raw = _read_regular(path)
    except FileNotFoundError:
        return Settings()
    except _NotRegularFileError:
        # TRANSLATORS: {reason} is the system's reason, e.g. "Permission denied".
        message = _("cannot read the settings: {reason}").format(reason="not a regular file")
        raise UsageError(f"{path}: {message}") from None
    except OSError as exc:
        # TRANSLATORS: {reason} is the system's reason, e.g. "Permission denied".
        message = _("cannot read the settings: {reason}").format(reason=exc.strerror or exc)
        raise CsDrillError(f"{path}: {message}") from exc
    try:
        data = _parse_toml(raw)
    except _BadTomlError as exc:
        # TRANSLATORS: {error} is the TOML parser's reason (English), with its line and column.
        message = _("not valid TOML: {error}").format(error=exc.reason)
        raise UsageError(f"{path}: {message}") from None
    known = set(Settings._fields)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            # TRANSLATORS: {key} is the setting as written in config.toml; {known} lists the setting names
            # (not translated).
            message = _("unknown setting '{key}' (known: {known})").format(
                key=_clip(repr(key)[1:-1]), known=", ".join(sorted(known))
            )
            raise UsageError(f"{path}: {message}")
        values[key] = _setting(path, key, value)
    return Settings(**values)


class _NotRegularFileError(Exception):
    """``config.toml`` is a FIFO, a folder, a device…: never opened (a FIFO would block)."""


class _BadTomlError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file (checked before opening); ``_NotRegularFileError`` otherwise."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise _NotRegularFileError(str(path))
    # O_NONBLOCK: should a FIFO replace the file between the check and the open, the open does not block.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise _NotRegularFileError(str(path))
        return file.read()


#: A config.toml up to this size may hold integers past the interpreter's digit limit for int conversion (4300):
#: it is read again without the limit, so that such a number setting is refused as out of range, naming the setting.
#: (The limit guards against quadratic conversion time: kept for larger files.)
_BIG_NUMBERS_UP_TO = 64 * 1024
_TOO_MANY_DIGITS = "integer string conversion"


def _parse_toml(raw: bytes) -> dict[str, Any]:
    """The TOML document in ``raw`` (UTF-8, a leading BOM skipped); ``_BadTomlError`` with a one-line reason else."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    try:
        text = raw.decode("utf-8-sig")
        try:
            return tomllib.loads(text)
        except ValueError as exc:
            if _TOO_MANY_DIGITS not in str(exc) or len(raw) > _BIG_NUMBERS_UP_TO or sys.version_info < (3, 11):
                raise
        limit = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return tomllib.loads(text)
        finally:
            sys.set_int_max_str_digits(limit)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _BadTomlError(_first_line(exc)) from None
    except RecursionError:
        raise _BadTomlError("nested too deeply") from None
    except (ValueError, OverflowError) as exc:
        if _TOO_MANY_DIGITS in str(exc):
            raise _BadTomlError("a number has too many digits") from None
        raise _BadTomlError(_first_line(exc)) from None


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return _clip(lines[0] if lines else type(exc).__name__, 200)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: object) -> str:
    """``value`` in Python's notation for a message, a few dozen characters at most (a 4,000-digit number…)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 190:
        # about 57 digits or more: the order of magnitude (a huge int may not even convert to a string)
        return f"{'-' if value < 0 else ''}≈1e{round(value.bit_length() * math.log10(2))}"
    try:
        text = repr(value)
    except (ValueError, OverflowError, RecursionError):
        text = f"<{type(value).__name__}>"
    return _clip(text)


def _setting(path: Path, key: str, value: object) -> object:
    if key == "exam":
        if not isinstance(value, str) or not value.strip():
            # TRANSLATORS: exam is a setting name (not translated); {value} is the value found, in Python's notation.
            message = _("exam must be an exam id in quotes (see `csdrill list`), not {value}")
            raise UsageError(f"{path}: " + message.format(value=_shown(value)))
        return value.strip()
    if key in _CHOICES:
        if value not in _CHOICES[key]:
            # TRANSLATORS: {key} is a setting name and {choices} its values, as config.toml spells them
            # (not translated); {value} is the value found, in Python's notation (e.g. 'fr').
            message = _("{key} must be one of {choices}, not {value}")
            raise UsageError(
                f"{path}: " + message.format(key=key, choices=", ".join(_CHOICES[key]), value=_shown(value))
            )
        return value
    if key in _DURATIONS:
        try:
            return parse_duration(str(value)) if not isinstance(value, bool) else parse_duration("")
        except ValueError:
            # TRANSLATORS: {key} is a setting name (think, speak: not translated); {value} the value found.
            message = _('{key} must be a duration such as "30s" or "2m", not {value}')
            raise UsageError(f"{path}: " + message.format(key=key, value=_shown(value))) from None
    kind, low, high = _LIMITS[key]
    ok_type = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int and not isinstance(value, int):
        ok_type = False
    if not ok_type or not low <= value <= high:  # type: ignore[operator]
        if kind is int:
            # TRANSLATORS: {key} is a setting name (not translated); {low} and {high} are the limits; {value} the
            # value found, in Python's notation.
            message = _("{key} must be a whole number from {low} to {high}, not {value}")
        else:
            # TRANSLATORS: {key} is a setting name (not translated); {low} and {high} are the limits; {value} the
            # value found, in Python's notation.
            message = _("{key} must be a number from {low} to {high}, not {value}")
        found = message.format(key=key, low=f"{low:g}", high=f"{high:g}", value=_shown(value))
        raise UsageError(f"{path}: {found}")
    return kind(value)


def configured_lang(env: dict[str, str] | None = None) -> str | None:
    """``lang`` in ``config.toml``, read before the command line is built (None: unset or unreadable).

    A broken file is reported later, by the command that loads the settings.
    """
    if env is None:
        env = dict(os.environ)
    if env.get("CSDRILL_LANG"):
        return None  # it wins anyway: no need to read the file
    path = home_dir(env) / CONFIG_NAME
    try:
        raw = _read_regular(path)
    except (OSError, _NotRegularFileError):
        return None
    if b"lang" not in raw:
        return None
    try:
        value = _parse_toml(raw).get("lang")
    except _BadTomlError:
        return None
    return value if isinstance(value, str) else None


_DURATION = r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?"


def parse_duration(text: str) -> float:
    """Seconds in ``"45m"``, ``"90s"``, ``"1h30m"``, ``"2m30s"`` or a bare number of seconds; ValueError otherwise.

    ``"0"`` is 0 (no timer). Full-width digits and letters are read as half-width.
    """
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "")
    if not folded:
        raise ValueError(text)
    try:
        seconds = float(folded)
    except ValueError:
        match = re.fullmatch(_DURATION, folded)
        if match is None or not any(match.groups()):
            raise ValueError(text) from None
        h, m, s = (float(g) if g else 0.0 for g in match.groups())
        seconds = 3600 * h + 60 * m + s
    if not 0 <= seconds < 100 * 3600 or seconds != seconds:
        raise ValueError(text)
    return seconds


#: The years ``CSDRILL_NOW`` may name: far enough from datetime's limits (1 and 9999) for the scheduler's arithmetic.
NOW_YEARS = (1900, 9000)


def parse_now(value: str | None) -> datetime:
    """``CSDRILL_NOW`` (ISO 8601; a time without offset is taken as UTC) or the clock, in UTC."""
    if not value:
        return datetime.now(timezone.utc)
    text = value.strip()
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError as exc:
        # TRANSLATORS: {value} is the value of the environment variable CSDRILL_NOW.
        message = _("'{value}' is not an ISO 8601 date-time (e.g. 2026-03-01T09:00:00Z)").format(value=value)
        raise UsageError(f"CSDRILL_NOW: {message}") from exc
    if not NOW_YEARS[0] <= moment.year <= NOW_YEARS[1]:
        # Near the ends of the calendar, scheduling (days and months added, the study day's start subtracted,
        # the local time zone) would overflow datetime.
        low, high = NOW_YEARS
        # TRANSLATORS: {value} is the value of the environment variable CSDRILL_NOW; {range} the dates accepted.
        message = _("{value} is not in the range {range}.").format(value=text, range=f"{low}-01-01..{high}-12-31")
        raise UsageError(f"CSDRILL_NOW: {message}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
