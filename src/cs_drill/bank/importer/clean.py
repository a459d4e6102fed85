"""From a document's raw lines to the lines that hold its questions.

Site noise goes (banners, VIP notices, page counters, comment boxes), as do the pinyin glosses some
sites insert after characters (``職責(zé)``); a paper saved on one line is cut into logical lines at its
headings, numbers and answer labels. Every line keeps the number of the line it came from, so that what
the importer reports points at the document as the maintainer has it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from cs_drill.text import clean as clean_text


class Line(NamedTuple):
    """One logical line and the number (1-based) of the document line it came from."""

    no: int
    text: str
    #: set out by the document's markup (a Markdown heading, a Word heading or bold paragraph)
    marked: bool = False


#: Full-width ASCII (U+FF01–FF5E) as ASCII and the ideographic space as a space: one character for one, so
#: that positions found in the probe are positions in the text.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


_WIDE = re.compile("[\uff01-\uff5e\u3000]")


@lru_cache(maxsize=1 << 15)
def narrow(text: str) -> str:
    """``text`` with full-width letters, digits and signs as ASCII, of the same length."""
    return text.translate(_WIDTH) if _WIDE.search(text) else text


_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
#: A pinyin gloss after a CJK character: ``職責(zé)``, ``繼續(xù)``; it must carry a tone mark (or ü), so that
#: ``尺寸(cm)`` stays.
_PINYIN = re.compile(rf"(?<=\S)[(（]\s*(?=[a-z{_TONES}]*[{_TONES}])[a-z{_TONES}]{{1,8}}\s*[)）]")

#: Lines that are a site's furniture wherever they appear.
_NOISE_LINE = re.compile(
    r"^(?:"
    r"第\s*PAGE\s*[页頁]\s*共\s*NUMPAGES\s*[页頁]"
    r"|第\s*\d+\s*[页頁]\s*[,，/]?\s*共\s*\d+\s*[页頁]"
    r"|[-—–\s]*\d{1,4}\s*[-—–]\s*"
    r"|[-—–=*\s]*第\s*\d+\s*[页頁][-—–=*\s]*|\d{1,3}\s*/\s*\d{1,3}|[Pp]age\s*\d+(?:\s*of\s*\d+)?"
    r"|.{0,40}共\s*\d+\s*[页頁]\s*[·・,，/]?\s*第\s*\d+\s*[页頁]"
    r"|.{0,80}_第\s*\d+\s*[页頁]"
    r"|已[阅閱][读讀]\s*\d+\s*[页頁].*|[还還]剩\s*\d+\s*[页頁]未[读讀].*|下[载載]文[档檔]到[电電][脑腦].*|\d+\s*[积積]分"
    r"|[-—\s*]*(?:[预預][览覽]已[结結]束|本文[档檔]共\s*\d+\s*[页頁]).*"
    r"|[-—\s]*(?:[试試]卷[结結]束|全卷完|[试試][题題][结結]束)[-—\s]*"
    r"|下[载載]本文[档檔]"
    r"|(?:版[权權][说說]明|[温溫]馨提示)[:：].*"
    r"|文[档檔][简簡]介(?:[:：].*)?"
    r"|•\s*(?:\d+|[举舉][报報]|约\s*[\d.]+\s*[千万萬]?字|约\s*\d+\s*[页頁]|\d{4}-\d\d-\d\d\s*[发發]布于.*)"
    r"|[-*_=]{3,}|查看更多|[举舉][报報]|收藏|分享"
    r"|.{0,60}\.docx?\s*(?:VIP)?"
    r")\s*$",
    re.IGNORECASE,
)
#: Lines where a site's page ends: a comment box, "related documents", the closing notices.
_TAIL = re.compile(
    r"^(?:文[档檔][评評][论論]\s*[(（]\s*\d+\s*[)）]|[温溫]馨提示|相[关關]文[档檔]|[评評][论論]|提交[评評][论論]"
    r"|•?\s*\d+\s*[.、]\s*本站.*|•?\s*\d+\s*[.、]\s*人人文[库庫].*|\d+\s*/\s*150|[该該]用[户戶]很[懒懶].*|收藏\s*分享.*|1亿VIP精品文档|您可能[关關]注的文[档檔].*|猜你喜[欢歡].*|文[档檔][贡貢][献獻]者)\s*$"
)
#: Words that mark a banner in the part of a document before its first heading.
_BANNER = re.compile(
    r"VIP|原创力|原創力|book118|本站|下载|下載|付费|付費|版权|版權|侵权|侵權|文档贡献|文檔貢獻|上传|上傳"
    r"|本文档由|本文檔由|会员|會員|二次下载|举报电话|权益|權益|人人文库|人人文庫|道客巴巴|百度文库|文库|文庫",
    re.IGNORECASE,
)


#: Slogans and notices some sites write into the text itself.
_INLINE_NOISE = re.compile(
    r"百度文[库庫]\s*[-—–]\s*[让讓]每[个個]人平等地提升自我|本文[档檔][为為]【[^】]{0,80}】[^。\n]{0,80}(?:[。]|$)"
    r"|下[载載]本文[档檔](?:到[电電][脑腦]|需要).*$|本文[档檔]由用[户戶]上[传傳].*$|本文[档檔]由.{0,24}?(?:分享于|上[传傳]).*$|[该該]文[档檔][为為]VIP.*$|本文[档檔][为為]VIP.*$|[剩还還][余餘剩]?\s*\d+\s*[页頁]未[读讀].*$"
    r"|[(（]\s*(?:[试試]卷[结結]束|全卷完|[试試][题題][结結]束|完)\s*[)）]\s*$"
    r"|(?:下[载載]文[档檔])?\s*收藏\s*分享.*$|\d+\s*下[载載]券.*$|(?:用[户戶])?[评評][论論]\s*[(（]\s*\d+\s*[)）].*$"
    r"|(?:道客巴巴|豆丁[网網]?|原创力文[档檔]|人人文[库庫]|百度文[库庫])?\s*第\s*\d+\s*[页頁]\s*[,，/]?\s*共\s*\d+\s*[页頁]\s*$"
    r"|[-—–]{1,6}\s*(?:考核|考[试試]|[试試]卷|答[题題]|本卷|[题題][库庫])[结結]束[^-—–]{0,20}[-—–]*\s*$"
    r"|(?:道客巴巴|原创力文[档檔]|豆丁[网網]?|人人文[库庫]|百度文[库庫])?\s*(?:https?://)?www\.(?:doc88|book118|docin|renrendoc|wenku\.baidu)\.com\S*"
    r"|[^。？！?!\s]{2,40}?[-—–]\s*(?:道客巴巴|人人文[库庫]|原创力文[档檔]|豆丁[网網]?|百度文[库庫])(?=\s|$)"
    r"|[(（]?[试試][读讀][结結]束[，,]?[^)）]{0,30}[)）]?|[(（]?完整版[请請]下[载載][^)）]{0,20}[)）]?"
)


def strip_noise(text: str) -> str:
    """``text`` without site slogans written into it."""
    return _INLINE_NOISE.sub("", text) if re.search(r"[文读讀整巴丁束完藏券页頁论論]|www", text) else text


def strip_glosses(text: str) -> str:
    """``text`` without pinyin glosses after characters."""
    return _PINYIN.sub("", text) if "(" in text or "（" in text else text


def is_noise(text: str) -> bool:
    """Whether ``text`` is a site's page furniture (wherever it appears)."""
    return bool(_NOISE_LINE.match(text))


def is_tail(text: str) -> bool:
    """Whether ``text`` is where a site's page around the document begins (comments, related documents)."""
    return bool(_TAIL.match(text))


def is_banner(text: str) -> bool:
    """Whether ``text``, before the first heading, is a site's notice rather than the paper's own words."""
    return bool(_BANNER.search(text))


# Where a paper saved on one line is cut: before a section heading (一、单选题…), before an answer
# block heading, and before a question number that follows the end of a sentence.
_HEADING_IN_RUN = (
    r"(?:第[一二三四五六七八九十]{1,3}部分\s*|[一二三四五六七八九十]{1,3}\s*[、.．])"
    r"(?=[^\s。，,；;？?]{1,16}?[题題])"
)
_ANSWERS_IN_RUN = (
    r"(?<![【\[])(?:答案[与與及]解析|参考答案[与與及]解析|參考答案[与與及]解析|参考答案|參考答案)(?![:：])"
)
#: ``第3题`` after the end of a sentence (plain numbers are cut only as they count on: see split_run)
_NUMBER_IN_RUN = r"(?<=[。？！?!」”\"）)．.题題])\s*第\s*\d{1,3}\s*[题題]"
_TAIL_IN_RUN = r"(?:[温溫]馨提示|•\s*\d+\s*[.、]\s*本站|收藏\s*分享\s*[赏賞]?\s*[举舉][报報])"
_KEYS_IN_RUN = r"(?<=[题題])(?=\d{1,3}\s*[-~～—–]\s*\d)"
_RUN_SPLIT = re.compile(f"{_HEADING_IN_RUN}|{_ANSWERS_IN_RUN}|{_NUMBER_IN_RUN}|{_KEYS_IN_RUN}|{_TAIL_IN_RUN}")
#: A line with this many characters and at least three numbers in it is a run of several lines.
RUN_LENGTH = 100


_ANY_NUMBER = re.compile(r"(?<![\d.．])(\d{1,3})\s*[.、．](?![\d.])|[(（]\s*(\d{1,3})\s*[)）]|([\u2460-\u2473])")


#: A key glued to the next number: ``【答案】482.消费者…`` is the key 48 and question 2.
_GLUED_KEY = re.compile(r"(?<=[】:：])\s*(\d{2,6})\s*[.、．](?![\d.])")


def _glued_numbers(probe: str) -> list[tuple[int, str, int]]:
    out = []
    for m in _GLUED_KEY.finditer(probe):
        digits = m.group(1)
        for size in (1, 2, 3):
            if size < len(digits):
                out.append((m.start(1) + len(digits) - size, "number", int(digits[-size:])))
    return out


_ANSWER_IN_RUN = re.compile(r"(?:[【\[]\s*(?:[参參]考答案|答案)\s*[】\]]|(?:[参參]考答案|答案|答)\s*[:：])")
_MARK_BEFORE = re.compile(r"[(（]\s*(?:[√×✓✗]|[对對错錯])\s*[)）]\s*$")


def _number_value(m: re.Match[str]) -> int:
    if m.group(3):
        return ord(m.group(3)) - 0x2460 + 1
    return int(m.group(1) or m.group(2))


def split_run(line: Line) -> list[Line]:
    """A long line holding a whole paper, cut into logical lines (each keeps the document line's number).

    Cuts go before headings, answer blocks and key lists, and before each number that counts on from the
    last one cut (``…D.商品评价2.客户反映…``), however it is preceded; after the end of a sentence a skipped
    number is allowed. Numbers inside an answer that count from 1 (``答案：1.…2.…``) are its steps, not
    questions; a true/false mark right before a number (``(×)2.…``) goes with that number.
    """
    text = line.text
    if len(text) < RUN_LENGTH:
        return [line]
    probe = narrow(text)
    events = sorted(
        [(m.start(), 0, "cut", 0) for m in _RUN_SPLIT.finditer(probe)]
        + [(m.end(), 1, "answer", 0) for m in _ANSWER_IN_RUN.finditer(probe)]
        + [(m.start(), 2, "number", _number_value(m)) for m in _ANY_NUMBER.finditer(probe)]
        + [(p, 2, "number", n) for p, _w, n in _glued_numbers(probe)]
    )
    cuts: list[int] = []
    counter, step, in_answer = 0, 0, False
    for position, _order, what, n in events:
        if what == "answer":
            in_answer, step = True, 0
            continue
        if what == "number":
            after_sentence = bool(re.search(r"[。？！?!」”\"）)．.;；]\s*$", probe[:position]))
            if in_answer and n == step + 1:
                step = n  # a step of the answer
                continue
            if not (n == counter + 1 or (after_sentence and n == counter + 2) or (counter == 0 and n > 1)):
                continue
            counter, in_answer = n, False
            mark = _MARK_BEFORE.search(probe[:position])
            if mark:
                position = mark.start()
        else:
            counter, in_answer = 0, False
        if position > 0 and (not cuts or cuts[-1] != position):
            cuts.append(position)
    if len(cuts) < 3:
        return [line]
    pieces: list[Line] = []
    last = 0
    for cut in [*sorted(set(cuts)), len(text)]:
        piece = text[last:cut].strip()
        if piece:
            pieces.append(Line(line.no, piece, line.marked))
        last = cut
    return pieces


_MD_HEADING = re.compile(r"^#{1,6}\s+")
#: A Markdown line wholly in italics: an editor's remark (*（面试官根据现场表现评分）*), not the paper's text.
_MD_ITALIC = re.compile(r"^\*[^*].*[^*]\*$|^_[^_].*[^_]_$")


def document_lines(raw: list[str], marked: set[int] | None = None) -> list[Line]:
    """The lines of a document that can hold questions: cleaned, without site furniture, runs cut.

    ``marked``: numbers of lines the document's markup sets out (Word headings and bold paragraphs);
    Markdown headings are found here.
    """
    lines: list[Line] = []
    for no, text in enumerate(raw, start=1):
        text = strip_glosses(clean_text(text).replace("\t", " ")).strip()
        if lines and is_tail(text.replace("**", "").lstrip("#> ").strip()):
            break  # before the notices inside lines are dropped: 文档评论(0) is where the page around begins
        text = strip_noise(text).strip()
        heading = bool(_MD_HEADING.match(text)) or (marked is not None and no in marked)
        if _MD_ITALIC.match(text):
            continue
        # Markdown emphasis and heading marks around a line carry no meaning for a paper.
        text = re.sub(r"^(?:#{1,6}|>)\s+", "", text)
        text = re.sub(r"^[-*+•]\s+(?=[A-HＡ-Ｈ]\s*[.、．:：)）])", "", text)  # options as a Markdown list
        text = text.replace("**", "") if "**" in text else text
        text = text.strip()
        if not text or is_noise(text):
            continue
        if is_tail(text) and lines:
            break
        pieces = split_run(Line(no, text, heading))
        for k, piece in enumerate(pieces):
            if k and is_tail(piece.text):
                return _without_page_counters(lines)
            lines.append(piece)
    return _without_page_counters(lines)


_COUNTER = re.compile(r"(?<=\S)\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")


def _without_page_counters(lines: list[Line]) -> list[Line]:
    """``…商品评价3/6``: a page counter glued to a line's end, known by the same total on several lines."""
    totals: dict[str, set[str]] = {}
    for line in lines:
        m = _COUNTER.search(line.text)
        if m and int(m.group(1)) <= int(m.group(2)):
            totals.setdefault(m.group(2), set()).add(m.group(1))
    pages = {total for total, seen in totals.items() if len(seen) >= 2}
    if not pages:
        return lines
    out = []
    for line in lines:
        m = _COUNTER.search(line.text)
        if m and m.group(2) in pages and int(m.group(1)) <= int(m.group(2)):
            text = line.text[: m.start()].rstrip()
            if not text:
                continue
            line = Line(line.no, text, line.marked)
        out.append(line)
    return out
