"""The message catalog and the choice of the interface language.

Messages are looked up with the standard library's :mod:`gettext` in the
catalogs compiled into ``cs_drill/locale/<dir>/LC_MESSAGES/csdrill.mo``
(``tools/catalogs.py`` extracts, merges and compiles them with Babel). The language
is chosen once, before the command line is built, so that help texts follow it:
``CSDRILL_LANG``, then ``lang`` in ``config.toml``, then the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``), else English.

Click and Typer look their own messages ("Usage:", "Options", "Error: …") up
with ``gettext.gettext`` in the current text domain; :func:`setup` makes that
domain csdrill's, so those messages come from the same catalogs.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "LANGS",
    "N_",
    "_",
    "catalog_dir",
    "choose",
    "current",
    "from_locale",
    "from_tag",
    "ngettext",
    "parse_lang",
    "setup",
]

DOMAIN = "csdrill"
LANGS = ("en", "zh-Hans", "zh-Hant")
"""The interface languages, as ``CSDRILL_LANG`` and ``lang`` name them."""

_DIRS = {"en": "en", "zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant"}
_HANT_REGIONS = frozenset({"tw", "hk", "mo"})
_LOCALE_DIR = Path(__file__).parent / "locale"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_current = "en"


def catalog_dir(lang: str) -> str:
    """The folder name of ``lang``'s catalog under ``cs_drill/locale`` (``zh_Hans``)."""
    return _DIRS[lang]


def from_tag(tag: str) -> str | None:
    """One of :data:`LANGS` for a language tag or locale name, None when it is none of them.

    ``zh-Hans``, ``zh_CN``, ``zh-SG``, ``zh`` → zh-Hans; ``zh-Hant``, ``zh_TW``,
    ``zh-HK``, ``zh_MO`` → zh-Hant; ``en``, ``en_US.UTF-8``, ``C``, ``POSIX`` → en.
    """
    base = tag.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-").casefold()
    if base in ("c", "posix"):
        return "en"
    parts = base.split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] != "zh":
        return None
    rest = set(parts[1:])
    if "hant" in rest or rest & _HANT_REGIONS:
        return "zh-Hant"
    return "zh-Hans"


def from_locale(env: Mapping[str, str]) -> str | None:
    """The language of the locale: the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return from_tag(value) or "en"
    return None


def choose(env: Mapping[str, str], configured: str | None = None) -> str:
    """The interface language: ``CSDRILL_LANG``, then ``configured`` (config.toml), then the locale, else en.

    Raises ValueError, naming the valid values, for a ``CSDRILL_LANG`` that is not one of :data:`LANGS`.
    """
    value = env.get("CSDRILL_LANG", "").strip()
    if value:
        return parse_lang(value)
    if configured in LANGS:
        return configured
    return from_locale(env) or "en"


def parse_lang(value: str) -> str:
    """``en``, ``zh-Hans`` or ``zh-Hant`` as typed (any case, ``_`` for ``-``); ValueError otherwise."""
    folded = value.strip().replace("_", "-").casefold()
    for lang in LANGS:
        if folded == lang.casefold():
            return lang
    raise ValueError(value)


def setup(lang: str) -> None:
    """Make ``lang`` the language of every message from now on (Click's and Typer's too)."""
    global _translation, _current
    if lang not in LANGS:
        raise ValueError(lang)
    directory = _DIRS[lang]
    _current = lang
    if lang == "en":  # the messages are English: nothing to load
        _translation = gettext.NullTranslations()
        gettext.textdomain("messages")  # Click's and Typer's own, untranslated
        return
    _translation = gettext.translation(DOMAIN, _LOCALE_DIR, languages=[directory], fallback=True)
    # Click and Typer call gettext.gettext(), which reads the domain set here and the
    # language from LANGUAGE: point both at our catalog.
    gettext.bindtextdomain(DOMAIN, str(_LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = directory


def current() -> str:
    """The language chosen by :func:`setup` (``en`` before)."""
    return _current


def _(message: str) -> str:
    """``message`` in the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the number ``n`` in the current language."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the conventional name of the marker
    """Mark ``message`` for the catalog without translating it yet (module-level tables)."""
    return message
