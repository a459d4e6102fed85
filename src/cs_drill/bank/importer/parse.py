"""From a document's lines to a draft exam: sections, questions, their options, keys, answers and 解析.

What the document leaves open is never guessed: a question without a key has no answer (and a problem
saying so), a question cut off in its prompt or options is left out, one cut off in its answer keeps what is
there and a note; a section of a kind csdrill cannot drill is reported and left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cs_drill.bank.importer import patterns as pat
from cs_drill.bank.importer.clean import Line, is_banner, narrow
from cs_drill.bank.spec import blanks
from cs_drill.i18n import N_

CHOICE_KINDS = ("single-choice", "multi-choice", "choice")
KEYED_KINDS = (*CHOICE_KINDS, "true-false", "fill-in")

# Problems, as message ids: the emitter translates them for the report and the YAML comments.
NO_KEY = N_("no key in the document: fill in `answer` and mark `answer_source: authored`")
CUT_PROMPT = N_("question {n} is cut off in its prompt: left out")
CUT_OPTIONS = N_("question {n} is cut off in its options: left out")
CUT_ANSWER = N_("the answer is cut off in the document: kept with a note")
FEW_OPTIONS = N_("question {n} has fewer than two options: left out")
UNSUPPORTED = N_("section “{title}” is of a kind csdrill cannot drill ({n} questions): left out")
COUNT_DIFFERS = N_("the heading says {declared} questions, {found} were found")
MISSING_NUMBER = N_("question {n} is missing from the document")
BLANKS_DIFFER = N_("the key has {keys} entries for {blanks} blanks: not written (the document's key: {key})")
NO_BLANK = N_("no blank (___ or （ ）) in the prompt: mark where the answer goes (the document's key: {key})")
OPTION_LETTERS = N_("the options of question {n} are not lettered A, B, C… in order: left out")
KEY_NOT_OPTION = N_("the key “{key}” is not among the options: not written")


@dataclass
class Problem:
    """Something the maintainer must settle, at a document line."""

    line: int
    message: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class DraftQuestion:
    number: int
    line: int
    prompt: str = ""
    options: dict[str, str] = field(default_factory=dict)
    answer: Any = None
    key_points: list[tuple[str, str | None]] = field(default_factory=list)
    explanation: str | None = None
    note: str | None = None
    problems: list[Problem] = field(default_factory=list)
    #: the answer text's lines as the document has them (open questions, fill-in keys)
    answer_lines: list[str] = field(default_factory=list)
    explanation_lines: list[str] = field(default_factory=list)
    mark: bool | None = None
    points: float | None = None
    last_field: str = "prompt"
    #: the last line's text as read (to tell a cut-off question at the end of a document)
    tail_text: str = ""
    #: the number of the document line where the question's text ends
    end_line: int = 0


@dataclass
class DraftSection:
    kind: str
    title: str
    line: int
    points: float | None = None
    declared: int | None = None
    instructions: str | None = None
    questions: list[DraftQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Draft:
    title: str
    sections: list[DraftSection]
    problems: list[Problem]
    language: str = "zh-Hans"


# --------------------------------------------------------------------------- lines


_BARE_KINDS = (
    "单项选择",
    "單項選擇",
    "多项选择",
    "多項選擇",
    "不定项选择",
    "判断",
    "判斷",
    "填空",
    "简答",
    "簡答",
    "问答",
    "問答",
)


@lru_cache(maxsize=1 << 15)
def _heading(text: str) -> tuple[str, str, str] | None:
    """``(title, paren, rest)`` when ``text`` is a section heading."""
    if len(text) > 90:
        return None
    probe = narrow(text)
    m = pat.HEADING.match(probe)
    if not m:
        return None
    title = text[m.start("title") : m.end("title")].strip()
    title_end = m.end("title")
    # a 题/題 right after the keyword (单项选择题) belongs to the title
    while title_end < len(text) and text[title_end] in "题題":
        title_end += 1
    title = text[m.start("title") : title_end].strip()
    paren = m.group("paren") or ""
    rest = (m.group("rest") or "").strip()
    if not m.group("num"):
        # Without a numeral, only a line that is just a section's name (判断题, 情景模拟题, 单选题（每题2分）)
        if (rest and not _SECTION_ANSWERS.match(rest)) or len(title) > 10 or pat.OPTION.match(probe):
            return None
        if not re.search(r"[题題]$", title) and title not in _BARE_KINDS:
            return None
    if rest and not re.match(r"^[:：]", rest) and len(rest) > 60:
        return None
    if re.search(r"[？?]$", rest) or re.search(r"[？?]", title):
        return None
    return title, paren, rest.lstrip(":：").strip()


@lru_cache(maxsize=1 << 15)
def _number(text: str) -> tuple[int, str, str, str] | None:
    """``(number, style, rest, mark)`` when ``text`` starts with a question's number."""
    probe = narrow(text)
    m = pat.NUMBER.match(probe)
    if not m:
        return None
    if m.group("di"):
        n, style = int(m.group("di")), "di"
    elif m.group("cn"):
        n, style = pat.chinese_number(m.group("cn")), "di-cn"
    elif m.group("case"):
        n, style = int(m.group("case")), "case"
    elif m.group("paren"):
        n, style = int(m.group("paren")), "paren"
    elif m.group("num"):
        n, style = int(m.group("num")), pat.STYLES.get(m.group("sep"), "dot")
    else:
        n, style = ord(m.group("circled")) - 0x2460 + 1, "circled"
    rest = text[m.start("rest") :].strip()
    mark = text[m.start("mark") : m.end("mark")].strip() if m.group("mark") else ""
    if not rest and style not in ("di",):
        # "1." alone on a line: the prompt follows on the next lines
        return n, style, "", mark
    return n, style, rest, mark


@lru_cache(maxsize=1 << 15)
def _answer_label(text: str) -> str | None:
    """The text after an answer label (``答案：C`` → ``C``), or ``None``."""
    probe = narrow(text)
    m = pat.ANSWER_LABEL.match(probe) or pat.ANSWER_GLUED.match(probe)
    if not m:
        return None
    return text[m.start("rest") :].strip()


@lru_cache(maxsize=1 << 15)
def _explanation_label(text: str) -> str | None:
    probe = narrow(text)
    m = pat.EXPLANATION_LABEL.match(probe)
    if not m:
        return None
    return text[m.start("rest") :].strip()


def _split_inline_labels(text: str) -> list[str]:
    """``…案例说明。答:…解析:…`` as three lines."""
    probe = narrow(text)
    cuts = [m.start() for m in pat.INLINE_LABEL.finditer(probe) if m.start() > 0]
    if not cuts:
        return [text]
    out, last = [], 0
    for cut in [*cuts, len(text)]:
        piece = text[last:cut].strip()
        if piece:
            out.append(piece)
        last = cut
    return out


def _glued_options(text: str) -> tuple[str, str]:
    """``…优先查看( )。A.订单状态B.客户等级`` → (the prompt, the options), when options follow the prompt."""
    probe = narrow(text)
    last_a = None
    for m in pat.OPTION.finditer(probe):
        letter = m.group("a") or m.group("b")
        if letter == "A" and m.start() > 0:
            last_a = m  # the last A before B: ``（ A ）A.身份证信息`` has its key first
        elif letter == "B" and last_a is not None:
            return text[: last_a.start()].strip(), text[last_a.start() :]
    return text, ""


@lru_cache(maxsize=1 << 15)
def _options_in(text: str) -> tuple[tuple[str, str], ...] | None:
    """The options of a line that starts with one (``A.仓库收货B.客服审核``), letters in order."""
    probe = narrow(text)
    first = pat.OPTION.match(probe)
    if not first:
        return None
    marks: list[tuple[str, int, int]] = []
    expected = ord(first.group("a") or first.group("b"))
    for m in pat.OPTION.finditer(probe):
        letter = m.group("a") or m.group("b")
        if ord(letter) == expected and (not marks or m.start() >= marks[-1][2]):
            marks.append((letter, m.start(), m.end()))
            expected += 1
    out = []
    for i, (letter, _start, end) in enumerate(marks):
        stop = marks[i + 1][1] if i + 1 < len(marks) else len(text)
        out.append((letter, text[end:stop].strip()))
    return tuple(out)


# --------------------------------------------------------------------------- structure


@dataclass
class _Block:
    """The lines of a section (or of the later answer block) between two headings."""

    heading: Line | None
    title: str
    kind: str
    paren: str
    rest: str
    lines: list[Line]
    answers: bool = False


#: What follows a section's name in the heading of its answers: 判断题答案表, 单选题参考答案, 一、单选题答案.
_SECTION_ANSWERS = re.compile(r"^(?:[参參]考)?答案(?:表|[与與及]解析|解析)?\s*[:：]?\s*(?P<keys>.*)$")


def _blocks(lines: list[Line]) -> tuple[list[Line], list[_Block]]:
    """The lines before the first heading, and the blocks after it (an answer block marked as such)."""
    preamble: list[Line] = []
    blocks: list[_Block] = []
    in_answers = False
    seen_question = False
    # numbered lines before the first heading of a paper with headings are its notices (1.考试时间…)
    headed = any(_heading(line.text) for line in lines)
    for i, line in enumerate(lines):
        head = _heading(line.text)
        if head:
            title, paren, rest = head
            answers = _SECTION_ANSWERS.match(rest)
            keys = answers.group("keys").strip() if answers else ""
            keys_here = (
                seen_question
                and answers is not None
                and (not keys or _key_list(narrow(keys)) or bool(_fill_items(keys)))
            )
            if keys_here:
                rest = keys
            blocks.append(
                _Block(line, title, pat.heading_kind(title), paren, rest, [], answers=in_answers or keys_here)
            )
            continue
        if pat.ANSWER_BLOCK.match(narrow(line.text)) and seen_question and _starts_answer_block(lines, i, blocks):
            in_answers = True
            blocks.append(_Block(line, "", "answers", "", "", [], answers=True))
            continue
        if not blocks:
            if not headed and _number(line.text) and not any(is_banner(ln.text) for ln in lines[i : i + 2]):
                # a paper without headings: one block, its kind told by its questions
                blocks.append(_Block(None, "", "auto", "", "", [], answers=False))
            else:
                preamble.append(line)
                continue
        if _number(line.text):
            seen_question = True
        blocks[-1].lines.append(line)
    for block in blocks:
        # a heading over nothing but key lists (判断题答案表 / 1.√ 2.×) gives the answers of its section
        if not block.answers and block.lines and all(_key_list(narrow(line.text)) for line in block.lines):
            block.answers = True
    return preamble, blocks


def _starts_answer_block(lines: list[Line], i: int, blocks: list[_Block]) -> bool:
    """``答案与解析`` that opens the answers of all questions (not one question's answer label)."""
    for line in lines[i + 1 : i + 3]:
        if _heading(line.text):
            return True
        if pat.KEY_RANGE.search(narrow(line.text)) or len(pat.KEY_ITEM.findall(narrow(line.text))) >= 2:
            return True
        num = _number(line.text)
        if num:
            # numbered like the questions, from 1 again, while the questions so far have no answers
            if num[0] != 1 or not blocks:
                return False
            section_lines = [ln for b in blocks if not b.answers for ln in b.lines]
            styles = [n[1] for n in map(_number, (ln.text for ln in blocks[-1].lines)) if n]
            if not styles or styles[0] != num[1] or styles.count(num[1]) < 2:
                return False
            labels = sum(1 for ln in section_lines if _answer_label(ln.text) is not None)
            return labels == 0
        return False
    return False


# --------------------------------------------------------------------------- questions of a section


def _candidates(lines: list[Line]) -> list[tuple[int, int, str]]:
    """``(index, number, style)`` of every line that could start a question."""
    out = []
    for i, line in enumerate(lines):
        num = _number(line.text)
        if num:
            out.append((i, num[0], num[1]))
    return out


def _chain(lines: list[Line], kind: str) -> list[int]:
    """The indexes of the lines that start the section's questions.

    Numbered lines also occur inside answers (``1.快速响应``). Of all the chains of numbers counting up
    (gaps allowed, at a cost), the one kept is the one whose questions look most like questions: each
    with its answer label, no 解析 orphaned from its answer, options for a choice question.
    """
    cands = _candidates(lines)
    if not cands:
        return []
    if sum(1 for i, _n, _s in cands if lines[i].marked) >= 2:
        # Markdown headings (### 1. …) or bold Word paragraphs mark the questions; plain numbers are steps
        cands = [c for c in cands if lines[c[0]].marked]
    style = cands[0][2]
    cands = [c for c in cands if c[2] == style]
    n_lines = len(lines)
    labels = [_answer_label(line.text) for line in lines]
    # 答案与解析: then 答案: on the next line open one answer, not two
    ans = [lab is not None and not (i and labels[i - 1] == "") for i, lab in enumerate(labels)]
    exp = [_explanation_label(line.text) is not None for line in lines]
    opt = [_options_in(line.text) is not None for line in lines]
    labelled = any(ans)
    choice = kind in CHOICE_KINDS
    # prefix counts and the next label after each line
    pa, po = [0], [0]
    for i in range(n_lines):
        pa.append(pa[-1] + ans[i])
        po.append(po[-1] + opt[i])
    next_ans, next_exp = [n_lines] * (n_lines + 1), [n_lines] * (n_lines + 1)
    for i in range(n_lines - 1, -1, -1):
        next_ans[i] = i if ans[i] else next_ans[i + 1]
        next_exp[i] = i if exp[i] else next_exp[i + 1]

    def segment(s: int, e: int, last: bool) -> float:
        score = 10.0
        answers = pa[e] - pa[s]
        if labelled and kind not in KEYED_KINDS:
            if answers == 0 and not last:
                score -= 8
            if answers > 1:
                score -= 12 * (answers - 1)
        if next_exp[s + 1] < e and next_exp[s + 1] < next_ans[s + 1] and labelled:
            score -= 6  # a 解析 before any answer: it belongs to the question before
        if choice and po[e] - po[s] == 0 and not opt[s]:
            score -= 6
        text = lines[s].text
        if re.search(r"[？?]\s*$|[题題]目", text) or (s + 1 < e and re.search(r"[？?]\s*$", lines[s + 1].text)):
            score += 2
        return score

    # whether a candidate has an answer label of its own before the next numbered line
    positions = [c[0] for c in cands]
    own_label = [
        next_ans[i + 1] < (positions[k + 1] if k + 1 < len(positions) else n_lines) for k, i in enumerate(positions)
    ]

    # a numbered line without its own answer, not asking anything, in a section whose answers are labelled
    step_like = [
        labelled and kind not in KEYED_KINDS and not own_label[k] and not re.search(r"[？?]\s*$", lines[i].text)
        for k, i in enumerate(positions)
    ]

    numbers_at = {c[0]: c[1] for c in cands}

    def in_answer(s: int, i: int) -> bool:
        """Whether line ``i`` is a step of the answer of the question at ``s``: after its label, before its
        解析, and numbered on from a step before it (or the first step)."""
        label = next_ans[s + 1]
        if not (label < i and not (next_exp[label] < i)):
            return False
        n = numbers_at[i]
        return n == 1 or any(numbers_at.get(line) == n - 1 for line in range(label, i))

    by_number: dict[int, list[int]] = {}
    for k, (_i, n, _s) in enumerate(cands):
        by_number.setdefault(n, []).append(k)
    best: list[float] = [0.0] * len(cands)
    nxt: list[int | None] = [None] * len(cands)
    for k in range(len(cands) - 1, -1, -1):
        i, n, _s = cands[k]
        best[k] = segment(i, n_lines, True)
        for gap, cost in ((1, 0.0), (2, 15.0), (3, 30.0)):
            tried = 0
            for j in by_number.get(n + gap, []):
                if cands[j][0] <= i:
                    continue
                value = segment(i, cands[j][0], False) + best[j] - cost
                if step_like[j] and in_answer(i, cands[j][0]):
                    value -= 15  # a numbered step inside the answer, not a question
                if value > best[k]:
                    best[k], nxt[k] = value, j
                tried += 1
                if tried >= 6:
                    break
    # the first question is the section's first numbered line (1, or numbered on from the section before)
    k0: int | None = 0
    chain = []
    while k0 is not None:
        chain.append(cands[k0][0])
        k0 = nxt[k0]
    return chain


def _letters(text: str) -> list[str]:
    """The letters of a choice key at the start of ``text``: ``A、B`` → ``[A, B]``, ``ABD。`` → ``[A, B, D]``."""
    probe = narrow(text)
    m = re.match(r"^[\s(（【\[]*([A-H](?:[\s,，、和及与與/]*[A-H])*)(?![a-zA-Z])", probe)
    if not m:
        return []
    return sorted(dict.fromkeys(re.findall(r"[A-H]", m.group(1))))


def _split_answer_text(text: str) -> tuple[str, str]:
    """``B。解析：…`` → (``B``, ``…``)."""
    m = re.search(r"[【\[]?(?:答案解析|解析|分析)\s*[】\]]?\s*[:：]", narrow(text))
    if m and m.start() > 0:
        return text[: m.start()].strip(), text[m.end() :].strip()
    return text, ""


def _question(kind: str, lines: list[Line], number: int) -> DraftQuestion:
    """One question from its lines (the first starts with its number)."""
    first = lines[0]
    parsed = _number(first.text)
    rest, mark = (parsed[2], parsed[3]) if parsed else (first.text, "")
    q = DraftQuestion(number=number, line=first.no)
    if mark:
        q.mark = pat.truth(mark)
    rest = pat.PROMPT_LABEL.sub("", rest) if pat.PROMPT_LABEL.match(narrow(rest)) else rest
    texts: list[tuple[int, str]] = []
    for text in [rest, *(line.text for line in lines[1:])]:
        if text:
            texts.extend((first.no, piece) for piece in _split_inline_labels(text))
    prompt: list[str] = []
    state = "prompt"
    choice = kind in CHOICE_KINDS or kind == "auto"
    last_option: str | None = None
    for _no, text in texts:
        answer = _answer_label(text)
        if answer is not None:
            state = "answer"
            head, tail = _split_answer_text(answer)
            if head:
                q.answer_lines.append(head)
            if tail:
                state = "explanation"
                q.explanation_lines.append(tail)
            continue
        explanation = _explanation_label(text)
        if explanation is not None and (state != "prompt" or prompt):
            state = "explanation"
            if explanation:
                q.explanation_lines.append(explanation)
            continue
        if choice and state == "prompt" and not q.options:
            head, glued = _glued_options(text)
            if glued:
                if head:
                    prompt.append(head)
                text = glued
        if choice and state in ("prompt", "options"):
            options = _options_in(text)
            if options and (state == "options" or options[0][0] == "A"):
                for letter, body in options:
                    q.options[letter] = body
                    last_option = letter
                state = "options"
                continue
            if state == "options" and last_option:
                letters = _letters(text)
                if letters and len(narrow(text).strip()) <= 10:
                    state = "answer"
                    q.answer_lines.append(text)
                    continue
                q.options[last_option] = f"{q.options[last_option]}{text}"
                continue
        if state == "prompt":
            prompt.append(text)
        elif state == "answer":
            q.answer_lines.append(text)
        elif state == "explanation":
            q.explanation_lines.append(text)
    q.last_field = state
    q.tail_text = texts[-1][1] if texts else ""
    q.end_line = lines[-1].no
    q.prompt = "\n".join(p for p in prompt if p).strip()
    return q


_LEADING_MARK = re.compile(rf"^\s*(?P<mark>{pat.TF_MARK})\s*")


def _mark_from_prompt(q: DraftQuestion) -> None:
    """A true/false mark at the end of the prompt, ``…当天处理。(×)``, or at its start after the number."""
    probe = narrow(q.prompt)
    lead = _LEADING_MARK.match(probe)
    if lead and pat.truth(lead.group("mark")) is not None:
        q.answer = pat.truth(lead.group("mark"))
        q.prompt = q.prompt[lead.end() :].lstrip()
        return
    m = pat.TRAILING_MARK.search(probe)
    if m and pat.truth(m.group("mark")) is not None:
        q.answer = pat.truth(m.group("mark"))
        q.prompt = q.prompt[: m.start()].rstrip()


def _key_from_prompt(q: DraftQuestion) -> None:
    """A choice key in the prompt, ``（ D ）`` (the brackets stay, empty) or a letter after it."""
    probe = narrow(q.prompt)
    keys = list(pat.INLINE_KEY.finditer(probe))
    if keys:
        m = keys[-1]
        q.answer = sorted(dict.fromkeys(re.findall(r"[A-H]", m.group("key"))))
        q.prompt = f"{q.prompt[: m.start()]}（ ）{q.prompt[m.end() :]}"
        return
    m2 = pat.TRAILING_KEY.search(probe)
    if m2:
        q.answer = sorted(dict.fromkeys(m2.group("key")))
        q.prompt = q.prompt[: m2.start()].rstrip()


def _blanks(prompt: str) -> int:
    return len(blanks(prompt))


def _fill_in(q: DraftQuestion) -> None:
    """A fill-in question's key: after a label, or written inside its blanks (``退货时效为（7）天``)."""
    q.prompt = re.sub(r"\(\s*\)", "（ ）", q.prompt)  # an empty () is a blank in a 填空题
    blanks = _blanks(q.prompt)
    text = " ".join(q.answer_lines).strip()
    if text:
        parts = [p.strip() for p in re.split(r"[；;|]", text) if p.strip()]
        if len(parts) != blanks and blanks > 1:
            for sep in (r"[，,、]", r"\s+"):
                alt = [p.strip() for p in re.split(sep, text) if p.strip()]
                if len(alt) == blanks:
                    parts = alt
                    break
        parts = [p.rstrip("。.") for p in parts]
        q.answer = [_alternatives(p) for p in parts]
        return
    if blanks:
        return
    # The key written in the blanks: （7）, ____签收____.
    filled = list(re.finditer(r"[(（]\s*([^()（）]{1,24}?)\s*[)）]|_{2,}\s*([^_\s][^_]{0,24}?)\s*_{2,}", q.prompt))
    if filled:
        q.answer = [_alternatives((m.group(1) or m.group(2)).strip()) for m in filled]
        prompt, last = [], 0
        for m in filled:
            prompt.append(q.prompt[last : m.start()])
            prompt.append("（ ）" if m.group(1) is not None else "____")
            last = m.end()
        prompt.append(q.prompt[last:])
        q.prompt = "".join(prompt)


def _alternatives(text: str) -> str | list[str]:
    m = re.match(
        r"^(?P<a>[^()（）]+?)\s*[(（]\s*(?:或|也可|也可以是|又[称稱]|或[称稱])\s*(?P<b>[^()（）]+?)\s*[)）]$", text
    )
    if m:
        return [m.group("a"), m.group("b")]
    parts = [p.strip() for p in re.split(r"\s*(?:/|／|或)\s*", text) if p.strip()]
    return parts if len(parts) > 1 else text


_POINT = re.compile(r"^\s*[-—•·*]\s*(?P<point>[^:：]{1,30})[:：]\s*(?P<detail>.*)$")
_NAMED = re.compile(
    r"(?:需|要|应|應|须|須)(?:体现|體現|突出|包含|涵盖|涵蓋|强调|強調|展现|展現|说明|說明|覆盖|覆蓋)[:：]?(?P<terms>[^。；;]+)"
)
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{1,20})[”\"」』]")


def _explanation(q: DraftQuestion) -> None:
    """A 解析 list (``-情绪管理:先共情…``) as key points; prose as the explanation, its named musts as key points."""
    lines = [line for line in q.explanation_lines if line.strip()]
    if not lines:
        return
    points = [_POINT.match(line) for line in lines]
    if all(points):
        q.key_points = [(m.group("point").strip(), m.group("detail").strip() or None) for m in points if m]
        return
    q.explanation = "\n".join(lines)
    for m in _NAMED.finditer(q.explanation):
        terms = m.group("terms")
        quoted = _QUOTED.findall(terms)
        found = quoted or [t.strip() for t in re.split(r"[、，,和及与與]", terms) if t.strip()]
        for term in found:
            if 1 <= len(term) <= 20 and term not in (p for p, _ in q.key_points):
                q.key_points.append((term, None))


def finish(kind: str, q: DraftQuestion) -> None:
    """Turn what was read into the question's fields for its kind."""
    if q.prompt:
        points = pat.POINTS_SUFFIX.search(narrow(q.prompt))
        if points:
            q.points = float(points.group("points"))
            q.prompt = q.prompt[: points.start()].strip()
    if kind == "true-false":
        _mark_from_prompt(q)
        if q.answer is None and q.mark is not None:
            q.answer = q.mark
        if q.answer is None and q.answer_lines:
            lead = re.match(rf"^\s*(?:{pat.TF_MARK}|正[确確]|[错錯][误誤]|[对對错錯])", narrow(q.answer_lines[0]))
            q.answer = pat.truth(lead.group() if lead else q.answer_lines[0].strip())
    elif kind in CHOICE_KINDS:
        if q.answer_lines:
            letters = _letters(q.answer_lines[0])
            if letters:
                q.answer = letters
                rest = re.sub(
                    r"^[\s(（【\[]*[A-H](?:[\s,，、和及与與/]*[A-H])*[)）】\]]?[。.，,\s]*",
                    "",
                    narrow(q.answer_lines[0]),
                )
                extra = [rest] if rest else []
                q.explanation_lines[:0] = extra + q.answer_lines[1:]
        if q.answer is None:
            _key_from_prompt(q)
    elif kind == "fill-in":
        _fill_in(q)
    else:
        text = "\n".join(line for line in q.answer_lines if line.strip()).strip()
        q.answer = text or None
    _explanation(q)


# --------------------------------------------------------------------------- the whole draft


def _section_of(block: _Block, default_points: float | None = None) -> DraftSection:
    probe = narrow(block.paren + block.rest)
    count = pat.COUNT.search(probe)
    points = pat.POINTS.search(probe)
    value: float | None = float(points.group(1)) if points else default_points
    return DraftSection(
        kind=block.kind,
        title=block.title,
        line=block.heading.no if block.heading else (block.lines[0].no if block.lines else 1),
        points=value,
        declared=int(count.group(1)) if count else None,
        instructions=block.rest or None,
    )


def _questions(block: _Block, section: DraftSection) -> None:
    lines = block.lines
    chain = _labelled_prompts(lines) or _chain(lines, section.kind)
    before = [line.text for line in lines[: chain[0]]] if chain else [line.text for line in lines]
    intro = "\n".join(t for t in before if t.strip())
    if intro:
        intro = re.sub(r"^(?:[题題]型[说說]明|[说說]明)\s*[:：]\s*", "", intro)
        section.instructions = f"{section.instructions}\n{intro}" if section.instructions else intro
    for k, start in enumerate(chain):
        end = chain[k + 1] if k + 1 < len(chain) else len(lines)
        number = _number(lines[start].text)
        q = _question(section.kind, lines[start:end], number[0] if number else k + 1)
        section.questions.append(q)
    _marks_across_lines(section)


def _labelled_prompts(lines: list[Line]) -> list[int]:
    """Questions without numbers, each introduced by 题目： (the numbered lines between are answer steps)."""
    starts = [i for i, line in enumerate(lines) if pat.PROMPT_LABEL.match(narrow(line.text)) and not _number(line.text)]
    if not starts:
        return []
    first_number = next((i for i, line in enumerate(lines) if _number(line.text)), len(lines))
    return starts if starts[0] < first_number else []


def _marks_across_lines(section: DraftSection) -> None:
    """A true/false mark at the start of an item's line belongs to the item before when that has none.

    ``…必须当天处理。\\n(×)2.客服…``: papers that put the mark after each item and wrap it to the next line.
    When the first item carries its mark in front, marks in front belong to their own items.
    """
    qs = section.questions
    if section.kind not in ("true-false", "auto") or not qs or qs[0].mark is not None:
        return
    marks = [q.mark for q in qs]
    for k in range(len(qs)):
        qs[k].mark = marks[k + 1] if k + 1 < len(qs) else None


_AUTO_TITLES = {
    "zh-Hans": {
        "single-choice": "单选题",
        "multi-choice": "多选题",
        "true-false": "判断题",
        "fill-in": "填空题",
        "open": "问答题",
    },
    "zh-Hant": {
        "single-choice": "單選題",
        "multi-choice": "多選題",
        "true-false": "判斷題",
        "fill-in": "填空題",
        "open": "問答題",
    },
}


def _split_choice(section: DraftSection) -> list[DraftSection]:
    """A paper without headings: its choice questions single or multi by each key, runs of one kind together."""
    if section.title or section.kind != "choice":
        return [section]
    out: list[DraftSection] = []
    for q in section.questions:
        kind = "multi-choice" if isinstance(q.answer, list) and len(q.answer) > 1 else "single-choice"
        if not out or out[-1].kind != kind:
            out.append(DraftSection(kind=kind, title="", line=q.line))
        out[-1].questions.append(q)
    return out


def _infer_kind(section: DraftSection) -> None:
    """``选择题`` (or a paper without headings): single or multi by its keys; an unheaded paper by its items."""
    if section.kind == "choice":
        keys = [q.answer for q in section.questions if isinstance(q.answer, list)]
        section.kind = "multi-choice" if any(len(k) > 1 for k in keys) else "single-choice"


def detect_language(text: str) -> str:
    """``zh-Hant`` when Traditional-only characters outnumber their Simplified forms, else ``zh-Hans``."""
    traditional = sum(text.count(c) for c in "們這個來時說會為對國學與電問題應關們發號實請體傳統經濟務運")
    simplified = sum(text.count(c) for c in "们这个来时说会为对国学与电问题应关们发号实请体传统经济务运")
    return "zh-Hant" if traditional > simplified else "zh-Hans"


_TITLE_WORDS = re.compile(
    r"[题題]|[试試]卷|[笔筆][试試]|面[试試]|考[试試核]|手[册冊]|[测測][试試]|[练練]习|[练練]習|[问問]答"
)


def _title(preamble: list[Line], name: str) -> str:
    """The paper's title: the first line before the first heading that reads like one, else the first line."""
    texts = []
    for line in preamble:
        text = re.sub(r"\.docx?\s*(?:VIP)?$", "", line.text, flags=re.IGNORECASE).strip()
        if text and not is_banner(text) and not _number(text) and len(text) <= 80:
            texts.append(text)
    for text in texts:
        if _TITLE_WORDS.search(text):
            return text
    if texts:
        return texts[0]
    return re.sub(r"\.[^.]*$", "", name)


def parse(lines: list[Line], name: str) -> Draft:
    """The draft exam of a document's lines (see :func:`clean.document_lines`)."""
    preamble, blocks = _blocks(lines)
    title = _title(preamble, name)
    if len(title) >= 6 and any(title in line.text and line.text != title for line in lines):
        # the title repeated as a page header, glued to the text (…要求用户报警京东到家售后客服岗位技能考核试卷)
        lines = [
            Line(line.no, line.text.replace(title, "").strip() or line.text, line.marked)
            if line.text != title
            else line
            for line in lines
        ]
        preamble, blocks = _blocks(lines)
    # A one-line paper: the title runs into the first heading (题集一、基础知识题…) and was cut off it.
    sections: list[DraftSection] = []
    answer_blocks: list[_Block] = []
    problems: list[Problem] = []
    for block in blocks:
        if block.answers:
            answer_blocks.append(block)
            continue
        section = _section_of(block)
        _questions(block, section)
        if block.kind == "auto":
            sections.extend(_split_auto(section))
        else:
            sections.append(section)
    if answer_blocks:
        _apply_answer_blocks(answer_blocks, sections)
    for section in sections:
        for q in section.questions:
            finish(section.kind, q)
    sections = [part for section in sections for part in _split_choice(section)]
    for section in sections:
        _infer_kind(section)
    _cut_off_at_end(sections, lines)
    for section in sections:
        _cut_before_heading(section)
        _cut_against_the_rest(section)
        _check(section)
    kept: list[DraftSection] = []
    for section in sections:
        if section.kind == "unsupported":
            problems.append(Problem(section.line, UNSUPPORTED, {"title": section.title, "n": len(section.questions)}))
        elif section.questions:
            kept.append(section)
    text = "\n".join(line.text for line in lines[:400])
    language = detect_language(text)
    for section in kept:
        if not section.title:
            section.title = _AUTO_TITLES[language].get(section.kind, section.kind)
    return Draft(title=title, sections=kept, problems=problems, language=language)


def _split_auto(section: DraftSection) -> list[DraftSection]:
    """A paper without headings: each question's kind from what it holds; runs of one kind are sections."""
    out: list[DraftSection] = []
    for q in section.questions:
        if q.options:
            kind = "choice"
        elif q.mark is not None or pat.TRAILING_MARK.search(narrow(q.prompt)):
            kind = "true-false"
        elif pat.BLANK.search(q.prompt):
            kind = "fill-in"
        else:
            kind = "open"
        if not out or out[-1].kind != kind:
            out.append(DraftSection(kind=kind, title="", line=q.line))
        out[-1].questions.append(q)
    return out


def _apply_answer_blocks(blocks: list[_Block], sections: list[DraftSection]) -> None:
    """The keys and answers of a later block, matched to the questions by section and number."""
    targets = sections
    cursor = -1
    for block in blocks:
        if block.kind != "answers":
            cursor = _match_section(block, targets, cursor)
        elif cursor < 0:
            cursor = 0  # answers without section headings: from the first section on, numbers restarting move on
        section = targets[cursor] if 0 <= cursor < len(targets) else None
        last_number = 0
        entries: list[tuple[int, list[Line], DraftSection | None]] = []
        style: str | None = None  # entries are numbered alike; other numbers are steps inside an answer
        if block.rest and (_key_list(narrow(block.rest)) or _fill_items(block.rest)):
            block.lines.insert(0, Line(block.heading.no if block.heading else 0, block.rest))
        labelled = _labelled_entries(block.lines)
        for k, line in enumerate(block.lines):
            probe = narrow(line.text)
            if section is not None and section.kind == "fill-in" and _fill_items(line.text):
                for n, key in _fill_items(line.text):
                    q = _by_number(section, n)
                    if q is not None:
                        q.answer_lines = [key]
                continue
            if _key_list(probe):
                for n, key in _key_items(probe):
                    if n <= last_number and cursor + 1 < len(targets) and block.kind == "answers":
                        cursor += 1
                    last_number = n
                    section = targets[cursor] if 0 <= cursor < len(targets) else section
                    q = _by_number(section, n) if section is not None else None
                    if q is not None:
                        q.answer_lines = [key]
                continue
            num = _number(line.text)
            if num is None and section is not None and section.kind == "fill-in":
                glued = re.match(r"^(\d{1,3})\s*([.、．])\s*(\S.*)$", probe)
                if glued:  # 1.7；签收: a fill-in key that starts with a digit
                    sep = glued.group(2)
                    num = (int(glued.group(1)), pat.STYLES.get(sep, "dot"), line.text[glued.start(3) :], "")
                    line = Line(line.no, f"{glued.group(1)}{sep} {num[2]}", line.marked)
            if num and style is None:
                style = num[1]
            if num and num[1] == style and entries and labelled and not labelled[k]:
                # the entries carry labels (1．答案：…): a number without one is a step of the answer
                entries[-1][1].append(line)
                continue
            if num and num[1] == style:
                if block.kind == "answers" and num[0] <= last_number and cursor + 1 < len(targets):
                    cursor += 1
                elif cursor < 0:
                    cursor = 0
                last_number = num[0]
                section = targets[cursor] if 0 <= cursor < len(targets) else None
                entries.append((num[0], [line], section))
            elif entries:
                entries[-1][1].append(line)
        for n, entry_lines, target in entries:
            q = _by_number(target, n) if target is not None else None
            if q is not None and target is not None:
                _answer_entry(target.kind, q, entry_lines)


def _labelled_entries(lines: list[Line]) -> list[bool]:
    """For each line, whether it is a numbered entry with its own answer label (``1．答案：…``, or ``1.`` then
    ``答案：`` on the next line); all ``False`` when no entry of the block has one."""
    marks = [False] * len(lines)
    for k, line in enumerate(lines):
        num = _number(line.text)
        if not num:
            continue
        rest = num[2]
        own = bool(rest) and (_answer_label(rest) is not None or bool(pat.INLINE_LABEL.search(narrow(rest))))
        follows = k + 1 < len(lines) and _answer_label(lines[k + 1].text) is not None
        marks[k] = own or follows
    return marks if any(marks) else []


_FILL_ITEM = re.compile(r"(?:^|\s{2,})(\d{1,4})\s*[.、．:：]\s*(\S(?:.*?\S)??)(?=\s{2,}\d{1,4}\s*[.、．:：]|\s*$)")


def _fill_items(text: str) -> list[tuple[int, str]]:
    """Fill-in keys listed on one line: ``1.7   2.退货物流单号/退货单号   3.24``."""
    items = [(int(m.group(1)), m.group(2)) for m in _FILL_ITEM.finditer(narrow(text))]
    if len(items) < 2:
        return []
    # the texts from the line itself (narrow() kept the positions)
    return [(n, key) for n, key in items]


def _key_list(probe: str) -> bool:
    """Whether a line of an answer block is a list of keys (``1-5 ABCDA``, ``1.A 2.C 3.B``)."""
    if pat.KEY_RANGE.search(probe):
        return True
    items = pat.KEY_ITEM.findall(probe)
    if len(items) < 2:
        return False
    return len("".join(n + k for n, k in items)) >= len(re.sub(r"[\W_]", "", probe)) * 0.6


def _key_items(probe: str) -> list[tuple[int, str]]:
    items: list[tuple[int, str]] = []
    ranges = list(pat.KEY_RANGE.finditer(probe))
    if not ranges:
        return [(int(n), k) for n, k in pat.KEY_ITEM.findall(probe)]
    for m in ranges:
        raw = m.group("keys").strip()
        keys = raw.split() if re.search(r"\s", raw) else list(raw)
        first = int(m.group("first"))
        items.extend((first + offset, key) for offset, key in enumerate(keys))
    return items


def _match_section(block: _Block, targets: list[DraftSection], cursor: int) -> int:
    """The section a heading inside the answer block names: the same title, else the same kind, else the next."""
    title = re.sub(r"\s", "", block.title)
    for k, section in enumerate(targets):
        if re.sub(r"\s", "", section.title) == title and k > cursor - 1:
            return k
    for k in range(cursor + 1, len(targets)):
        if targets[k].kind == block.kind:
            return k
    return min(cursor + 1, len(targets) - 1)


def _by_number(section: DraftSection, n: int) -> DraftQuestion | None:
    for q in section.questions:
        if q.number == n:
            return q
    return None


def _answer_entry(kind: str, q: DraftQuestion, entry_lines: list[Line]) -> None:
    """One numbered entry of an answer block: the repeated prompt dropped, the answer and 解析 read."""
    entry = _question(kind, entry_lines, q.number)
    if entry.answer_lines or entry.explanation_lines:
        q.answer_lines = entry.answer_lines
        q.explanation_lines = entry.explanation_lines or q.explanation_lines
        q.last_field = entry.last_field
        q.tail_text = entry.tail_text
        q.end_line = entry.end_line
        return
    text = "\n".join(t for t in entry.prompt.split("\n") if t)
    # no label: the entry is the key itself (``1.B``) or, for an open question, its answer (the prompt
    # repeated in front is dropped)
    norm_prompt = re.sub(r"\s", "", pat.POINTS_SUFFIX.sub("", q.prompt))
    if norm_prompt and re.sub(r"\s", "", text).startswith(norm_prompt):
        text = text[len(q.prompt) :].lstrip() if text.startswith(q.prompt) else text
        text = pat.POINTS_SUFFIX.sub("", text)
    if text:
        head, tail = _split_answer_text(text)
        q.answer_lines = head.split("\n")
        if tail:
            q.explanation_lines = [tail]
        q.last_field = "explanation" if tail else "answer"
        q.tail_text = entry.tail_text
        q.end_line = entry.end_line


def _cut_off_at_end(sections: list[DraftSection], lines: list[Line]) -> None:
    """The document's last question, when its text stops mid-sentence, was cut off where the page ended.

    Cut in its prompt: left out; in its answer or 解析: kept with a note. Options and keys carry no
    sentence end, so a cut there shows only as missing options (see :func:`_check`).
    """
    if not lines or not sections:
        return
    last = max(((s, q) for s in sections for q in s.questions), key=lambda item: item[1].end_line, default=None)
    if last is None:
        return
    section, q = last
    if q.end_line != lines[-1].no or not q.tail_text or pat.SENTENCE_END.search(narrow(q.tail_text)):
        return
    if q.last_field == "prompt" and not q.options:
        section.problems.append(Problem(q.line, CUT_PROMPT, {"n": q.number}))
        section.questions.remove(q)
    elif q.last_field == "explanation" or q.last_field == "answer" and section.kind not in KEYED_KINDS:
        q.note = "原文在此處截斷" if section.kind and _traditional(q.tail_text) else "原文在此处截断"
        q.problems.append(Problem(q.line, CUT_ANSWER))


_DANGLING = re.compile(r"(?:[,，、；;]|[则則和的及与與或但而在对對将將把被])$")


def _cut_before_heading(section: DraftSection) -> None:
    """A section's last item that stops mid-sentence with nothing after it was cut off where a page ended."""
    if not section.questions:
        return
    q = section.questions[-1]
    tail = narrow(q.prompt).rstrip()
    if not q.options and _DANGLING.search(tail):
        # "…若超过七天无理由退货期限，则": the sentence stops on a word that needs more, whatever key follows
        section.problems.append(Problem(q.line, CUT_PROMPT, {"n": q.number}))
        section.questions.remove(q)
        return
    if q.answer is not None or q.options or q.answer_lines or q.explanation_lines or q.mark is not None:
        return
    if section.kind == "fill-in" and pat.BLANK.search(q.prompt):
        return
    if tail and not pat.SENTENCE_END.search(tail) and not re.search(r"[)）_:：]$", tail):
        section.problems.append(Problem(q.line, CUT_PROMPT, {"n": q.number}))
        section.questions.remove(q)


_ENDS_WELL = re.compile(r"(?:[。！？!?…）)」”\"’』】；;.~～:：_]|[(（]\s*[)）])\s*$")


def _cut_against_the_rest(section: DraftSection) -> None:
    """Questions cut off where a page ended inside the document, told by how the section's others look.

    A prompt that stops mid-word where (nearly) every other prompt of its section ends a sentence, or a
    choice question with two options fewer than the others have, was cut by the page, whatever key a later
    block gives it.
    """
    qs = section.questions
    if section.kind == "open":
        for q in list(qs):
            # an open question with no answer whose prompt stops mid-sentence: the page ended there
            tail = narrow(q.prompt).rstrip()
            if (
                not q.answer_lines
                and tail
                and not _ENDS_WELL.search(tail)
                and re.search(r"[\u3400-\u9fff,，、]$", tail)
            ):
                section.problems.append(Problem(q.line, CUT_PROMPT, {"n": q.number}))
                qs.remove(q)
    if len(qs) < 4:
        return
    if section.kind in ("true-false", "open", "fill-in"):
        ends = [bool(_ENDS_WELL.search(narrow(q.prompt))) for q in qs]
        if sum(ends) >= 0.8 * len(qs):
            for q, good in zip(list(qs), ends, strict=True):
                if not good and q.prompt and not q.options and q.mark is None:
                    section.problems.append(Problem(q.line, CUT_PROMPT, {"n": q.number}))
                    qs.remove(q)
    elif section.kind in CHOICE_KINDS:
        counts = sorted(len(q.options) for q in qs)
        usual = counts[len(counts) // 2]
        for q in list(qs):
            if q.options and usual - len(q.options) >= 2:
                section.problems.append(Problem(q.line, CUT_OPTIONS, {"n": q.number}))
                qs.remove(q)


def _traditional(text: str) -> bool:
    return detect_language(text) == "zh-Hant"


def _key_text(answer: Any) -> str:
    if not answer:
        return "-"
    return "；".join("/".join(e) if isinstance(e, list) else str(e) for e in answer)


def _check(section: DraftSection) -> None:
    """What the maintainer must settle: keys, options, blanks, counts, numbers."""
    kind = section.kind
    kept = []
    for q in section.questions:
        if not q.prompt:
            section.problems.append(Problem(q.line, CUT_PROMPT, {"n": q.number}))
            continue
        if kind in ("single-choice", "multi-choice"):
            if len(q.options) < 2:
                section.problems.append(Problem(q.line, FEW_OPTIONS, {"n": q.number}))
                continue
            if list(q.options) != [chr(ord("A") + i) for i in range(len(q.options))]:
                section.problems.append(Problem(q.line, OPTION_LETTERS, {"n": q.number}))
                continue
            if isinstance(q.answer, list):
                missing = [a for a in q.answer if a not in q.options]
                if missing and all(a > max(q.options) for a in missing):
                    # the key names a letter after the last option: the options were cut off
                    section.problems.append(Problem(q.line, CUT_OPTIONS, {"n": q.number}))
                    continue
                if missing or not q.answer:
                    q.problems.append(Problem(q.line, KEY_NOT_OPTION, {"key": "".join(q.answer)}))
                    q.answer = None
                elif kind == "single-choice":
                    q.answer = q.answer[0] if len(q.answer) == 1 else None
                    if q.answer is None:
                        q.problems.append(Problem(q.line, KEY_NOT_OPTION, {"key": "?"}))
        if kind == "fill-in":
            blanks = _blanks(q.prompt)
            # a key that does not fit the blanks is not written (the file must validate); the comment keeps it
            if not blanks:
                q.problems.append(Problem(q.line, NO_BLANK, {"key": _key_text(q.answer)}))
                q.answer = None
            elif isinstance(q.answer, list) and len(q.answer) != blanks:
                q.problems.append(
                    Problem(
                        q.line, BLANKS_DIFFER, {"keys": len(q.answer), "blanks": blanks, "key": _key_text(q.answer)}
                    )
                )
                q.answer = None
        if kind in ("single-choice", "multi-choice", "true-false", "fill-in") and q.answer is None:
            q.problems.append(Problem(q.line, NO_KEY))
        kept.append(q)
    section.questions = kept
    numbers = [q.number for q in section.questions]
    for a, b in zip(numbers, numbers[1:], strict=False):
        for gap in range(a + 1, b):
            section.problems.append(Problem(section.line, MISSING_NUMBER, {"n": gap}))
    if section.declared is not None and section.declared != len(section.questions):
        section.problems.append(
            Problem(section.line, COUNT_DIFFERS, {"declared": section.declared, "found": len(section.questions)})
        )
