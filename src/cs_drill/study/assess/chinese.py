"""Chinese text for comparison and display: width and case folding, one script, words.

Comparison folds Traditional to Simplified (OpenCC ``t2s``), so an answer typed in
either script meets a reference in either. Display conversion (:func:`convert_script`)
goes both ways. OpenCC and rjieba are loaded on first use, or ahead of it by
:func:`warm` (a view can call it in a background thread while the learner reads);
the converters are made once per process and kept.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from typing import Any, Literal

__all__ = [
    "Script",
    "convert_script",
    "cut",
    "cut_for_search",
    "fold",
    "has_cjk",
    "is_cjk",
    "is_separator",
    "normalize",
    "warm",
    "words",
]

Script = Literal["hans", "hant"]
"""A target script for display: Simplified (``hans``) or Traditional (``hant``)."""

# For display, Traditional is OpenCC's ``s2tw``: the character forms taught and printed
# in Taiwan (裡 not 裏, 著急 not 着急), which is what most readers of zh-Hant expect.
# It converts characters only: ``s2twp`` would also swap vocabulary (软件→軟體,
# 鼠标→滑鼠) and so change the bank's wording, not just its script; plain ``s2t``
# gives OpenCC's own standard forms (裏, 着), which look dated in Taiwan.
_CONFIGS: dict[str, str] = {"compare": "t2s", "hans": "t2s", "hant": "s2tw"}

_lock = threading.Lock()
_converters: dict[str, Callable[[str], str]] = {}
_jieba: Any = None


def _converter(config: str) -> Callable[[str], str]:
    convert = _converters.get(config)
    if convert is None:
        with _lock:
            convert = _converters.get(config)
            if convert is None:
                import opencc

                convert = opencc.OpenCC(config).convert
                _converters[config] = convert
    return convert


def _rjieba() -> Any:
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import rjieba

                rjieba.cut("预热")  # the first call builds the dictionary's tables
                _jieba = rjieba
    return _jieba


def warm(*, display: bool = False) -> None:
    """Load OpenCC's comparison converter and rjieba now, so the first answer is not slow.

    Safe to call from a background thread and more than once. ``display``: also load
    the Traditional display converter (``convert_script(…, "hant")``).
    """
    _converter(_CONFIGS["compare"])
    _rjieba()
    if display:
        _converter(_CONFIGS["hant"])


def convert_script(text: str, target: Script) -> str:
    """``text`` in Simplified (``"hans"``, OpenCC ``t2s``) or Traditional (``"hant"``, OpenCC ``s2tw``).

    Characters only: words are not swapped for regional vocabulary. Text already in the
    target script comes back unchanged; mixed text is brought to one script.
    """
    if target not in ("hans", "hant"):
        raise ValueError(f"unknown script {target!r}: use 'hans' or 'hant'")
    if not text:
        return text
    return _converter(_CONFIGS[target])(text)


def is_separator(char: str) -> bool:
    """Whitespace, punctuation or a symbol (Unicode categories Z*, P*, S*, and controls)."""
    return char.isspace() or unicodedata.category(char)[0] in "PSZC"


def is_cjk(char: str) -> bool:
    """A CJK ideograph (the unified blocks and their extensions, compatibility ideographs)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3134F
        or 0xF900 <= code <= 0xFAFF
        or code == 0x3007
    )


def has_cjk(text: str) -> bool:
    return any(is_cjk(c) for c in text)


def fold(text: str) -> str:
    """``text`` for comparison, punctuation kept: NFKC (full/half width), casefold, Simplified script."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if has_cjk(folded):
        folded = _converter(_CONFIGS["compare"])(folded)
    return folded


def normalize(text: str) -> str:
    """Fold ``text`` for comparison, as one string without spaces or punctuation.

    NFKC (full-width and half-width forms become one), casefold, Traditional to
    Simplified (OpenCC ``t2s``), then every whitespace, punctuation or symbol
    character is dropped: ``"（１）安撫情緒，表示理解！"`` → ``"1安抚情绪表示理解"``.
    """
    return "".join(c for c in fold(text) if not is_separator(c))


def words(text: str) -> list[str]:
    """The words of ``text`` (rjieba's precise mode over :func:`fold`), separators left out."""
    return [w for w in _rjieba().cut(fold(text)) if not all(is_separator(c) for c in w)]


def cut(folded: str) -> list[str]:
    """rjieba's words (precise mode) of text already :func:`fold`-ed, separators included."""
    tokens: list[str] = _rjieba().cut(folded)
    return tokens


def cut_for_search(word: str) -> list[str]:
    """rjieba's search mode: the word and the shorter words inside it."""
    tokens: list[str] = _rjieba().cut_for_search(word)
    return tokens
