"""The marks a 题库 document uses: headings, numbers, options, answer labels, key lists, true/false marks.

Every pattern is matched against :func:`clean.narrow` of a line (full-width letters and digits as ASCII, of the
same length), so ``Ａ．`` and ``１、`` read as ``A.`` and ``1、`` while the text keeps its own characters.
"""

from __future__ import annotations

import re

NUMERALS = "一二三四五六七八九十"

#: A section heading: ``一、单选题(共10题,每题2分,合计20分)``, ``第三部分 判断题``, ``二、多项选择题：…``.
HEADING = re.compile(
    rf"^(?P<num>第[{NUMERALS}]{{1,3}}(?:部分|大[题題]|[节節]|章)\s*[、.:：]?|[{NUMERALS}]{{1,3}}\s*[、.．]|[IVX]{{1,4}}\s*[、.])?\s*"
    r"(?P<title>[^\d()（）:：。？?，,；;]{0,16}?"
    r"(?:[题題]|[单單][项項]选择|[单單][项項]選擇|多[项項]选择|多[项項]選擇|不定[项項]选择|判[断斷]|填空|[简簡]答|[问問]答))"
    r"[题題]?\s*(?P<paren>[(（][^)）]*[)）])?\s*(?P<rest>(?:[:：].*)?|[^\d].*)$"
)
#: Kinds by the words of a heading, first match wins; "选择题" alone is decided by its keys.
KIND_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(words), kind)
    for words, kind in (
        (r"多[选選]|多[项項]|不定[项項]", "multi-choice"),
        (r"[单單][选選]|[单單][项項]", "single-choice"),
        (r"判[断斷]|是非|正[误誤]|[对對][错錯]", "true-false"),
        (r"填空", "fill-in"),
        (r"[选選]择|[选選]擇", "choice"),
        (
            r"[计計]算|[连連][线線]|排序|匹配|改[错錯]|[听聽]力|[画畫][图圖]|作[图圖]|[实實][操]|上机|上機|翻[译譯]|[编編]程",
            "unsupported",
        ),
    )
)
COUNT = re.compile(r"共\s*(\d{1,4})\s*(?:[道个個]|小)?[题題]")
POINTS = re.compile(r"(?:每[题題小]{1,2}|各)\s*(\d{1,3}(?:\.\d{1,2})?)\s*分")

#: A block of all the answers after all the questions: ``答案与解析``, ``参考答案``, ``三、参考答案及解析``.
ANSWER_BLOCK = re.compile(
    rf"^(?:[{NUMERALS}]{{1,3}}\s*[、.．]\s*|第[{NUMERALS}]{{1,3}}部分\s*)?"
    r"(?:附\s*[:：]?\s*)?(?:[客主][观觀][题題]|[试試][题題]|[参參]考|[标標]准|[标標]準)?(?:答案|解答)\s*(?:[与與及和]\s*(?:解析|[评評]分[标標]准|[评評]分[标標]準))?"
    r"\s*[:：]?\s*$"
)

#: A question's number at the start of a line, with a true/false mark that may stand before it.
TF_MARK = r"[(（]\s*(?:[√×✓✗✔✘Xx]|[对對错錯]|正[确確]|[错錯][误誤])\s*[)）]|[√×✓✗✔✘]"
NUMBER = re.compile(
    rf"^(?P<mark>(?:{TF_MARK})\s*)?"
    r"(?:第\s*(?P<di>\d{1,4})\s*[题題]\s*[:：.、]?"
    rf"|第\s*(?P<cn>[{NUMERALS}百]{{1,4}})\s*[题題]\s*[:：.、]?"
    r"|(?:案例|情景|情境|[场場]景|[题題]目|[试試][题題])\s*(?P<case>\d{1,3})(?![\d.])\s*[:：.、]?"
    r"|[(（]\s*(?P<paren>\d{1,4})\s*[)）]"
    r"|(?P<num>\d{1,4})\s*(?P<sep>[.、)）])(?![\d.])"
    r"|(?P<circled>[\u2460-\u2473]))\s*"
    r"(?P<rest>.*)$"
)
STYLES = {".": "dot", "、": "comma", ")": "rparen", "）": "rparen"}

#: An option's letter: ``A.`` ``A、`` ``A)`` ``(A)`` ``A：``; in a line of several, found one after another.
OPTION = re.compile(r"(?:(?<![A-Za-z])(?P<a>[A-H])\s*[.、:：)）]|[(（]\s*(?P<b>[A-H])\s*[)）])\s*")

#: Labels that start an answer, at the start of a line.
_ANSWER_WORDS = (
    r"正[确確]答案|[参參]考答案|[标標]准答案|[标標]準答案|答案[与與及]解析|答案|正[确確]回答|[参參]考回答|回答示例|示[范範]回答"
    r"|[参參]考回[复覆]|[参參]考[话話][术術]|答[题題]要[点點]|[参參]考要[点點]|答案要[点點]|答"
)


def _label(words: str) -> re.Pattern[str]:
    """A label at the start of a line — ``答案：``, ``【解析】``, ``参考答案`` alone — and the text after it."""
    return re.compile(rf"^[【\[]?\s*(?:{words})\s*[】\]]?\s*(?:[:：]\s*|$|(?<=[】\]]))(?P<rest>.*)$")


ANSWER_LABEL = _label(_ANSWER_WORDS)
#: ``答案C``, ``答案 AB``, ``答案√``: a key right after the word, without a colon.
ANSWER_GLUED = re.compile(r"^[【\[]?\s*(?:正[确確]答案|[参參]考答案|答案)\s*[】\]]?\s*(?P<rest>[A-H√×✓✗]+\s*$)")
EXPLANATION_LABEL = _label(
    r"答案解析|[试試][题題]解析|解析|解[题題]思路|[点點][评評]|分析|[详詳]解|考[点點]"
    r"|[评評]分要[点點]|[评評]分[标標]准|[评評]分[标標]準|得分要[点點]|要[点點]"
)
#: Where a label begins inside a line: after the end of a sentence or a closing bracket.
INLINE_LABEL = re.compile(
    r"(?<=[。？！?!）)」”\"\]】\s\w])\s*(?=[【\[](?:正[确確]答案|[参參]考答案|答案|答|解析)\s*[】\]]|(?<![【\[\w])(?:正[确確]答案|[参參]考答案|答案|答|解析)\s*[】\]]?\s*[:：])"
)
#: ``(2分)`` after a prompt (003 repeats each prompt with its points in the answer part).
POINTS_SUFFIX = re.compile(r"\s*[(（]\s*(?P<points>\d{1,3}(?:\.\d)?)\s*分\s*[)）]\s*$")
#: ``题目:`` or ``问题：`` before a prompt.
PROMPT_LABEL = re.compile(r"^(?:[题題]目|[问問][题題]|[题題]干)\s*[:：]\s*")
#: Key lists of an answer block: ``1-5 ABCDA``, ``6～10：××√√×``, ``1.A 2.C 3.B``.
KEY_RANGE = re.compile(
    r"(?P<first>\d{1,4})\s*[-~～—–－]+\s*(?P<last>\d{1,4})\s*[:：.、]?\s*"
    r"(?P<keys>(?:[A-H√×✓✗对對错錯]\s*){1,50}?|(?:[A-H]+\s+){1,49}[A-H]+)(?=\s*(?:\d|$))"
)
KEY_ITEM = re.compile(
    r"(?<!\d)(?P<n>\d{1,4})\s*[.、:：)）]?\s*(?P<key>[A-H]{1,8}|[√×✓✗]|[对對错錯])(?![A-Za-z\u4e00-\u9fff])"
)
#: Empty blanks of a fill-in prompt: three or more underscores, or empty brackets.
from cs_drill.bank.spec import BLANK as BLANK  # noqa: E402  (the one rule of what a blank is)

#: A choice key in the prompt: ``（ D ）``, ``(B)``, ``( AC )``.
INLINE_KEY = re.compile(r"[(（]\s*(?P<key>[A-H](?:\s*[,，、]?\s*[A-H]){0,7})\s*[)）]")
#: A key after the prompt: ``…的是？ B``.
TRAILING_KEY = re.compile(r"(?<=[？?。：:）)\s])\s*(?P<key>[A-H]{1,8})\s*$")
TRAILING_MARK = re.compile(
    rf"\s*(?P<mark>{TF_MARK}|\s[对對错錯]|(?<=[。.！!？?）)])\s*(?:正[确確]|[错錯][误誤]|[对對]|[错錯]))\s*$"
)
SENTENCE_END = re.compile(r"[。！？!?…）)」”\"’』】；;.~～]\s*$")

TRUE_WORDS = ("√", "✓", "✔", "对", "對", "正确", "正確", "是", "T", "TRUE", "Y")
FALSE_WORDS = ("×", "✗", "✘", "X", "错", "錯", "错误", "錯誤", "否", "F", "FALSE", "N")


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105 (what question numbers need)."""
    digits = {c: i + 1 for i, c in enumerate(NUMERALS[:9])}
    total, current = 0, 0
    for char in text:
        if char in digits:
            current = digits[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def truth(mark: str) -> bool | None:
    """``True`` for √/对/正确…, ``False`` for ×/错/错误…, ``None`` for anything else."""
    word = re.sub(r"[\s()（）【】\[\]:：。.]", "", mark).upper()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def heading_kind(title: str) -> str:
    """The kind a heading names: ``single-choice`` … ``open``, ``choice`` (decided by the keys) or ``unsupported``."""
    for words, kind in KIND_WORDS:
        if words.search(title):
            return kind
    return "open"
