"""Open answers: the rubric of a question, how far a typed answer covers it, a suggested rating.

The learner has the last word: the suggestion is the rating the checklist would give
(:func:`rating_from_ticks`: all ticked → Good, at least half → Hard, fewer → Again) with
the items the answer seems to cover ticked, held down where the answer is no answer
(empty, "不知道", gibberish, too short), proposes breaking a rule or turns on the
customer, waves away what the model answer asks for, or is only the rubric's own words.
Without a model answer and key points there is nothing to compare with: never Good.

How an answer is compared with an item (:func:`coverage`):

- Both texts are folded (width, case, Traditional → Simplified) and cut into words
  (rjieba). Words of one group of near-synonyms (:data:`lexicon.CONCEPTS`: 安抚 and
  平复情绪, 补偿 and 优惠券, 回访 and 跟进) count as the same word; function words
  are left out and the words every answer has (客户, 问题, 能力) weigh little or nothing.
- Each word carries a polarity: said, denied (不/没/别/避免… before it, 不重要/没用/
  无所谓 after it) or conceded (哪怕/即使 … 也). A word of the item matches only a word
  of the answer said the same way: 灵活但不违规 is not met by 哪怕违规也…, and 合规性不
  重要 contradicts the point 合规性.
- An item is read several ways, each with its own bar: its point (情绪管理), its detail
  (先共情客户…), and the part of the model answer it stands for (the step or sentence
  most like it). A point about the form of the answer (步骤清晰, 结合实际场景) is also
  met by that form (先…再…最后; 例如, a real case).
- A reading's similarity is the weighted share of its words found in the answer, lifted
  a little by shared character pairs (which catch words cut differently); long passages
  need only their gist (a quarter of their words, at least two). The item's score is the
  best reading's, scaled so that its bar is :data:`COVERED` (0.5).
- The answer as a whole: one that says a fifth of the model answer's content at some
  length is complete, and every item counts as covered (a point such as 责任担当 is met
  by the answer the model answer is); one on the topic but short of that covers at least
  half the checklist, the items it comes closest to.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from cs_drill.bank.model import Question
from cs_drill.i18n import N_, _
from cs_drill.study.assess import chinese, lexicon
from cs_drill.study.card import Rating

__all__ = [
    "GUARDS",
    "COVERED",
    "Feedback",
    "ItemCoverage",
    "RubricItem",
    "Suggestion",
    "clear_caches",
    "coverage",
    "feedback",
    "rating_from_ticks",
    "rubric",
    "suggest",
    "suggest_rating",
    "warm",
]


# --------------------------------------------------------------------------- records


class RubricItem(NamedTuple):
    """One item of a question's checklist.

    ``derived``: False for the bank's own key points; True for items made from the
    model answer (its numbered steps, else its sentences) where the bank has none.
    """

    point: str
    detail: str | None = None
    derived: bool = False


class ItemCoverage(NamedTuple):
    """How far a typed answer covers one rubric item.

    ``point`` is the item (named so for the views: ``cov.point.point``, ``cov.point.detail``);
    ``score`` runs from 0 to 1 and the item counts as covered from :data:`COVERED` on,
    unless the answer ``contradicted`` it (denied what the point says, or said what it denies).
    """

    point: RubricItem
    covered: bool
    score: float
    contradicted: bool = False
    direct: bool = False
    """Covered by what the answer says about this item itself, not only by the answer as a whole
    (a terminal pre-ticks these: a tick is a claim about one item)."""

    @property
    def item(self) -> RubricItem:
        return self.point


COVERED = 0.5
"""The score from which an item counts as covered."""

# Reasons for a suggestion (``Suggestion.reason``), and what the learner is told.
COVERAGE = "coverage"
EMPTY = "empty"
DONT_KNOW = "dont-know"
GIBBERISH = "gibberish"
TOO_SHORT = "too-short"
STUFFING = "stuffing"
RULE_BREAKING = "rule-breaking"
ATTITUDE = "attitude"
CONTRADICTION = "contradiction"
NO_REFERENCE = "no-reference"

GUARDS = frozenset({DONT_KNOW, GIBBERISH, STUFFING, RULE_BREAKING, ATTITUDE, CONTRADICTION})
"""Reasons about what the answer says, which a learner's ticks cannot overrule: at a terminal the
default rating is the lower of the checklist's and the suggestion's. (An empty or short typed
answer may stand for one said aloud: those do not lower the ticks.)"""

_MESSAGES = {
    COVERAGE: "",
    EMPTY: N_("No answer: rated Again."),
    DONT_KNOW: N_("You did not know: rated Again."),
    GIBBERISH: N_("This does not read as an answer: rated Again."),
    TOO_SHORT: N_("Too short to cover the question: rated Again."),
    STUFFING: N_("Only the key points' own words: say what you would do."),
    RULE_BREAKING: N_("Your answer seems to propose something against the rules: Again is suggested."),
    ATTITUDE: N_("Your answer blames or brushes off the customer: rated Again."),
    CONTRADICTION: N_("Your answer denies part of what the key points ask for."),
    NO_REFERENCE: N_("No model answer to compare with: judge your answer yourself."),
}


class Suggestion(NamedTuple):
    """A suggested self-rating and why.

    ``reason`` is one of ``coverage`` (the checklist rule over the covered items),
    ``empty``, ``dont-know``, ``gibberish``, ``too-short``, ``rule-breaking``,
    ``attitude`` (blames or brushes off the customer), ``stuffing`` (only the rubric's
    words), ``contradiction`` (denies a key point) and ``no-reference``.
    ``covered`` of ``total`` rubric items seem covered; ``derived``: the rubric was made
    from the model answer; ``no_reference``: there is neither a model answer nor key
    points, so the rating is never Good or Easy and the learner should judge.
    """

    rating: Rating
    reason: str
    covered: int = 0
    total: int = 0
    derived: bool = False
    no_reference: bool = False

    @property
    def message(self) -> str:
        """What to tell the learner about the suggestion, in the interface language.

        "" when the checklist says it all.
        """
        parts = [_(_MESSAGES[self.reason])] if _MESSAGES[self.reason] else []
        if self.no_reference and self.reason != NO_REFERENCE:
            parts.append(_(_MESSAGES[NO_REFERENCE]))
        return " ".join(parts)


# --------------------------------------------------------------------------- the rule


def rating_from_ticks(ticked: int, total: int) -> Rating | None:
    """The rating a checklist stands for: every item ticked → Good; at least half → Hard; fewer → Again.

    None when there is no checklist (``total`` 0): the learner picks the rating. Easy is
    the learner's own call, never the checklist's.
    """
    if total < 0 or not 0 <= ticked <= total:
        raise ValueError(f"ticked {ticked} of {total}")
    if total == 0:
        return None
    if ticked == total:
        return Rating.GOOD
    if 2 * ticked >= total:
        return Rating.HARD
    return Rating.AGAIN


# --------------------------------------------------------------------------- reading text


def _build_concepts() -> dict[str, str]:
    concepts: dict[str, str] = {}
    for line in lexicon.CONCEPTS:
        group = line.split()
        for word in group:
            concepts.setdefault(word, group[0])
    return concepts


_CONCEPT = _build_concepts()
_ANTONYM = {a: b for pair in lexicon.ANTONYMS for a, b in (pair, pair[::-1])}
_PHRASES = frozenset(w for w in (*_CONCEPT, *lexicon.LEXICAL, *lexicon.RULE_BREAKING) if len(w) > 1)
_MAX_MERGE = 4

POSITIVE, NEGATIVE, CONCEDED = 1, -1, 0

# Clause boundaries: sentence and clause punctuation, quotation marks, brackets, line breaks, spaces.
_CLAUSE = re.compile(r"[\s,，.。;；!！?？:：…~～\"'“”‘’「」『』()（）\[\]【】<>《》—/|]+")
_ENUMERATION = "、"
_TRAILING_PARTICLES = "了吧啊呢的嘛呀啦哦"
_LATIN = re.compile(r"[a-z]")
_COPULAS = frozenset({"是", "属于", "算", "算是", "涉嫌", "构成", "属", "都是", "就是", "这是", "那是"})
_VIOLATION = "违规"
_DENIERS = tuple(sorted({*lexicon.NEGATORS, *lexicon.VERBAL_NEGATORS, *lexicon.CONCESSIVES} - {"不"}, key=len))


class _Atom(NamedTuple):
    """A content word of a text: its concept, the words inside it, weight, polarity."""

    text: str
    concept: str
    subs: tuple[str, ...]
    weight: float
    polarity: int
    clause: int
    judged: bool  # after 是/属于: named, not proposed (私下处理是违规的)


class _Doc(NamedTuple):
    """A text read for comparison."""

    norm: str
    atoms: tuple[_Atom, ...]
    said: frozenset[tuple[str, int]]  # (concept, polarity) of every word and sub-word
    pairs: frozenset[str]  # character pairs of what is said (not denied)
    clauses: int
    markers: int  # sequence markers (先, 然后, 最后 …) and numbered lines
    example: bool
    breaking: tuple[str, ...]  # rule-breaking words said or conceded
    attitude: tuple[str, ...]  # blame, brush-off or hostility towards the customer, said
    dismissed: frozenset[str]  # concepts waved away by a clause-final denial (X不重要, X也没用, X也不用给)
    words: frozenset[str]  # every word, as typed (folded)
    telegraphic: bool  # nothing but a list of short phrases (客观检验 成本分摊 补偿选项)


def _concept(word: str) -> str:
    return _CONCEPT.get(word, word)


_UNITS = ("天", "小时", "分钟", "秒", "倍", "折", "%", "个月", "周", "年", "元", "次")


def _merge(tokens: list[str]) -> list[str]:
    """Join runs of rjieba's words that make a phrase of the lexicon (同理+心 → 同理心), and numbers
    with their unit (7+天 → 7天)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i].isdigit() and i + 1 < len(tokens) and tokens[i + 1].startswith(_UNITS):
            unit = next(u for u in _UNITS if tokens[i + 1].startswith(u))
            out.append(tokens[i] + unit)
            rest = tokens[i + 1][len(unit) :]
            if rest:
                out.append(rest)
            i += 2
            continue
        for n in range(min(_MAX_MERGE, len(tokens) - i), 1, -1):
            joined = "".join(tokens[i : i + n])
            if joined in _PHRASES:
                out.append(joined)
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=4096)
def _subwords(word: str) -> tuple[str, ...]:
    """The words that begin or end a long word not in the lexicon (灵活处理 → 灵活, 处理)."""
    if len(word) <= 2 or word in _CONCEPT:
        return ()
    parts = {
        s
        for s in chinese.cut_for_search(word)
        if s != word
        and len(s) >= 2
        and (word.startswith(s) or word.endswith(s))
        and s not in lexicon.STOPWORDS
        and s not in lexicon.GENERIC
    }
    return tuple(sorted(parts))


def _weight(word: str) -> float:
    if word in lexicon.GENERIC:
        return 0.0
    return 0.25 if word in lexicon.LOW_WEIGHT else 1.0


def _is_content(word: str) -> bool:
    if word in lexicon.STOPWORDS or word in lexicon.SEQUENCE_MARKERS:
        return False
    if word.isdigit() or not any(c.isalnum() for c in word):
        return False
    if len(word) == 1:
        return word in _CONCEPT
    return True


def _denied_until(tokens: list[str]) -> int:
    """How many leading tokens of a clause a later denial reaches back to (0: none).

    合规性不重要, 同理心也没用 (a clause-final 不重要/没用/无所谓 …); 补偿也不用给, 结果也
    不是我能控制的 (the topic before 也/都 + a negator); 跟进就不做了 (a negator and a light
    verb closing the clause).
    """
    joined = "".join(tokens).rstrip(_TRAILING_PARTICLES)
    for pattern in lexicon.POSTFIX_NEGATORS:
        if joined.endswith(pattern) and len(joined) > len(pattern):
            start, offset = len(joined) - len(pattern), 0
            for index, token in enumerate(tokens):
                if offset + len(token) > start:
                    return index
                offset += len(token)
    for index, token in enumerate(tokens):
        if token in lexicon.NEGATORS and index > 0:
            rest = [t for t in tokens[index + 1 :] if _is_content(t) or t in lexicon.LIGHT_VERBS]
            if tokens[index - 1] in lexicon.TOPIC_LINKS or (rest and all(t in lexicon.LIGHT_VERBS for t in rest)):
                return index
            return 0
    return 0


_NEGATION_SCOPE = 5  # content words a 不 reaches when nothing ends it sooner


def _read_clause(
    tokens: list[str], clause: int, atoms: list[_Atom], said: list[tuple[str, int]], dismissed: list[str]
) -> int:
    """Add the clause's content words with their polarity; return how many sequence markers it has.

    ``dismissed`` gets the concepts that a clause-final denial waves away (满意度差一点没关系).
    """
    denied = _denied_until(tokens)
    markers = 0
    negated = conceded = False
    reach = 0
    previous = ""
    for index, token in enumerate(tokens):
        if token in lexicon.SEQUENCE_MARKERS:
            markers += 1
        if token in lexicon.SCOPE_BREAKS:
            negated = conceded = False
        elif token in lexicon.CONCESSIVES:
            conceded, negated = True, False
        elif conceded and token in lexicon.CONCESSIVE_ENDS:
            conceded = False
        elif token in lexicon.NEGATORS:
            negated, reach = not negated, 0
        else:
            verbal = token in lexicon.VERBAL_NEGATORS
            if _is_content(token):
                flipped = negated != (index < denied)
                polarity = CONCEDED if conceded else NEGATIVE if flipped else POSITIVE
                subs = _subwords(token)
                concept = _concept(token)
                sub_concepts = tuple(_concept(s) for s in subs)
                judged = previous in _COPULAS
                if index < denied and not conceded:
                    dismissed.append(concept)
                if judged and (token in lexicon.RULE_BREAKING or concept == _VIOLATION) and polarity == POSITIVE:
                    polarity = NEGATIVE  # 私下处理是违规的: named a violation, so not done
                atoms.append(_Atom(token, concept, sub_concepts, _weight(token), polarity, clause, judged))
                said.append((concept, polarity))
                said.extend((c, polarity) for c in sub_concepts)
                if negated and not verbal:
                    reach += 1
                    if reach >= _NEGATION_SCOPE:
                        negated = False
            if verbal:
                negated, reach = not negated, 0
        previous = token
    return markers


_SHRUGS = ("不管", "不用管", "别管", "懒得管", "不理", "不想管", "不去管", "就不管", "算了")


def _attitude(clause: str) -> list[str]:
    """Blame, brush-off or hostility said in a clause (not denied or conceded before it).

    A clause that ends in 不管, 算了 … (客户反馈太多了，一般不管) shrugs the case off.
    """
    found = [shrug for shrug in _SHRUGS if clause.rstrip(_TRAILING_PARTICLES).endswith(shrug)][:1]
    for phrase in lexicon.ATTITUDE:
        index = clause.find(phrase)
        if index < 0:
            continue
        before = clause[max(0, index - 8) : index]
        if before.endswith("不") or any(d in before for d in _DENIERS):
            continue
        found.append(phrase)
        clause = clause.replace(phrase, "")
    return found


def _is_phrase_list(fragments: list[list[str]]) -> bool:
    """Two or more fragments, each one to three content words and nothing else (客观检验 成本分摊)."""
    if len(fragments) < 2:
        return False
    for tokens in fragments:
        if not tokens or len(tokens) > 3:
            return False
        if any(t in lexicon.STOPWORDS or t in lexicon.SEQUENCE_MARKERS for t in tokens):
            return False
    return True


_NUMBERED = re.compile(r"^\s*(?:[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[.．、)）]|[①-⑳]|第[一二三四五六七八九十]+)", re.M)


@lru_cache(maxsize=2048)
def _read(text: str) -> _Doc:
    folded = chinese.fold(text)
    atoms: list[_Atom] = []
    said: list[tuple[str, int]] = []
    markers = len(_NUMBERED.findall(folded))
    clauses = 0
    example = False
    words: set[str] = set()
    breaking: list[str] = []
    attitude: list[str] = []
    dismissed: list[str] = []
    fragments: list[list[str]] = []
    for clause_text in _CLAUSE.split(folded):
        clause_text = "".join(c for c in clause_text if not chinese.is_separator(c) or c == _ENUMERATION)
        if not clause_text.strip(_ENUMERATION):
            continue
        tokens = _merge([t for t in chinese.cut(clause_text) if not all(chinese.is_separator(c) for c in t)])
        if not tokens:
            continue
        start = len(atoms)
        markers += _read_clause(tokens, clauses, atoms, said, dismissed)
        words.update(tokens)
        example = example or any(t in lexicon.EXAMPLE_MARKERS for t in tokens)
        clause_atoms = atoms[start:]
        for atom in clause_atoms:
            if atom.judged:
                continue
            said_it = atom.text in lexicon.RULE_BREAKING and atom.polarity == POSITIVE
            if said_it or (atom.text in lexicon.CONCEDED_RULE_BREAKING and atom.polarity == CONCEDED):
                breaking.append(atom.text)
        money = any(
            a.polarity == POSITIVE and (a.text in lexicon.MONEY or "钱" in a.text or "款" in a.text)
            for a in clause_atoms
        ) or any(t in lexicon.MONEY or t.endswith("钱") for t in tokens)  # 钱 alone is no content word
        if money and any(a.text == "私下" and a.polarity != NEGATIVE for a in clause_atoms):
            breaking.append("私下")
        attitude.extend(_attitude(clause_text))
        current: list[str] = []
        for token in tokens:
            if token == _ENUMERATION:
                fragments.append(current)
                current = []
            else:
                current.append(token)
        fragments.append(current)
        clauses += 1
    pairs: set[str] = set()
    for atom in atoms:
        if atom.polarity == POSITIVE and len(atom.text) >= 2:
            pairs.update(atom.text[i : i + 2] for i in range(len(atom.text) - 1))
    return _Doc(
        norm="".join(c for c in folded if not chinese.is_separator(c)),
        atoms=tuple(atoms),
        said=frozenset(said),
        pairs=frozenset(pairs),
        clauses=clauses,
        markers=markers,
        example=example,
        breaking=tuple(breaking),
        attitude=tuple(attitude),
        dismissed=frozenset(dismissed),
        words=frozenset(words),
        telegraphic=_is_phrase_list([f for f in fragments if f]),
    )


# --------------------------------------------------------------------------- references


class _Unit(NamedTuple):
    concept: str
    subs: tuple[str, ...]
    weight: float
    polarity: int


class _Ref(NamedTuple):
    """What a reading of an item asks for: its content words (one unit per concept) and character pairs."""

    units: tuple[_Unit, ...]
    pairs: frozenset[str]
    text: str  # normalised, for a reading with no content word of its own (礼)

    @property
    def total(self) -> float:
        return sum(u.weight for u in self.units)


def _ref(texts: Iterable[str]) -> _Ref:
    units: dict[tuple[str, int], _Unit] = {}
    pairs: set[str] = set()
    texts = tuple(texts)
    for text in texts:
        doc = _read(text)
        for atom in doc.atoms:
            if atom.polarity == CONCEDED:
                continue
            key = (atom.concept, atom.polarity)
            old = units.get(key)
            if old is None or old.weight < atom.weight:
                units[key] = _Unit(atom.concept, atom.subs, atom.weight, atom.polarity)
        pairs |= doc.pairs
    return _Ref(tuple(units.values()), frozenset(pairs), "".join(chinese.normalize(t) for t in texts))


def _similarity(ref: _Ref, doc: _Doc) -> float:
    """The weighted share of ``ref``'s words said in ``doc`` (the same way), lifted by shared character pairs."""
    total = ref.total
    if total <= 0:
        return 1.0 if ref.text and not ref.units and ref.text in doc.norm else 0.0
    found = 0.0
    for unit in ref.units:
        if (unit.concept, unit.polarity) in doc.said or (_ANTONYM.get(unit.concept), -unit.polarity) in doc.said:
            found += unit.weight
        elif unit.subs:
            share = sum(1 for s in unit.subs if (s, unit.polarity) in doc.said) / len(unit.subs)
            found += 0.8 * share * unit.weight
    words = found / total
    if not ref.pairs:
        return words
    chars = len(ref.pairs & doc.pairs) / len(ref.pairs)
    return max(words, (words + chars) / 2)


def _scaled(similarity: float, bar: float) -> float:
    """``similarity`` on a scale where ``bar`` is :data:`COVERED` (0.5) and 1 stays 1."""
    if similarity >= bar:
        return COVERED + (1 - COVERED) * (similarity - bar) / (1 - bar) if bar < 1 else 1.0
    return COVERED * similarity / bar


# The bars: the share of a reading's words an answer must say for the item to count.
POINT_BAR = 0.5  # the point itself (情绪管理: one of its two words, or a near-synonym)
COMPOUND_BAR = 0.75  # a point of two demands (灵活但不违规): both of them
_CONTRASTS = ("但", "而", "且", "又", "兼")
DETAIL_BAR = 0.4  # the point's detail (先共情客户，避免直接反驳退货政策…)
PART_BAR = 0.4  # the step or sentence of the model answer that the item stands for
ALIGN_BAR = 0.34  # how like a point (and detail) a part of the model answer must be to stand for it
LONG_BAR = 0.25  # a long passage (a detail, a step) is met by a quarter of its content …
LONG_WORDS = 2.0  # … and at least two of its words


def _bar(reading_bar: float, ref: _Ref) -> float:
    """The bar for ``ref``: ``reading_bar``, lowered for long passages (a paraphrase keeps only their gist)."""
    if reading_bar <= LONG_BAR or ref.total <= 0:
        return reading_bar
    return min(reading_bar, max(LONG_BAR, LONG_WORDS / ref.total))


_FORM_SCORE = 0.75  # a point about form (步骤清晰) met by the answer's form


class _Reading(NamedTuple):
    ref: _Ref
    bar: float


def _reading(ref: _Ref, bar: float) -> _Reading:
    return _Reading(ref, bar if bar == POINT_BAR else _bar(bar, ref))


class _Prepared(NamedTuple):
    item: RubricItem
    readings: tuple[_Reading, ...]
    point: _Ref  # for contradictions
    form: str | None  # "steps" | "example": a point about the answer's form


class _Question(NamedTuple):
    items: tuple[_Prepared, ...]
    point_words: frozenset[str]  # the words of the bank's key points (empty for a derived rubric)
    given_words: frozenset[str]  # the words of the key points, the model answer and the prompt
    model: _Doc | None
    whole: _Ref | None  # the whole model answer
    prompt: frozenset[str]
    prompt_breaking: tuple[str, ...]  # what the prompt says the customer wants or does (私下解决)
    prompt_attitude: tuple[str, ...]


# A numbered step at the start of a line: (1) （1） 1) 1） 1. 1． 1、 ①, digits may be full-width.
_STEP = re.compile(r"^\s*(?:[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*(?:[)）]|[.．、](?!\d))|[①-⑳])\s*(?P<rest>.*)$")
_QUOTES = '“”"「『‘„«'
_HEADING_TRAILER = " \t:：,，;；。.、…—–-"
_OPENERS = {"(": ")", "（": "）", "[": "]", "【": "】", "《": "》"}
MAX_ITEMS = 6
_MIN_ITEM = 6  # characters (after normalising) below which a fragment joins its neighbour


def _balanced(text: str) -> str:
    """``text`` cut before a bracket it opens and never closes (用简单比喻(如 → 用简单比喻)."""
    for opener, closer in _OPENERS.items():
        index = text.rfind(opener)
        if index >= 0 and closer not in text[index:]:
            text = text[:index]
    return text.strip().rstrip(_HEADING_TRAILER).strip()


class _Step(NamedTuple):
    point: str
    detail: str | None
    text: str  # the whole step, down to the next one


def _steps(model_answer: str) -> list[_Step]:
    steps: list[_Step] = []
    lines: list[str] = []
    head: tuple[str, str | None] | None = None

    def close() -> None:
        if head is not None:
            steps.append(_Step(head[0], head[1], "\n".join(lines)))

    for line in model_answer.splitlines():
        match = _STEP.match(line)
        if match is None:
            if head is not None:
                lines.append(line)
            continue
        rest = match.group("rest")
        cut = min((i for i, c in enumerate(rest) if c in _QUOTES), default=len(rest))
        heading = _balanced(rest[:cut])
        if not heading:
            continue
        close()
        point, detail = heading, None
        for colon in (":", "："):
            if colon in heading:
                before, after = heading.split(colon, 1)
                if before.strip() and after.strip():
                    point, detail = before.strip(), _balanced(after)
                else:
                    point = before.strip() or heading
                break
        head, lines = (point, detail or None), [line]
    close()
    return steps


_OPENING_QUOTES = "“「『‘"
_CLOSING_QUOTES = "”」』’"
_SENTENCE_ENDS = "。；;！!？?\n"
_CLAUSE_ENDS = "，,"
_LEAD_INS = ("例如", "比如", "如", "建议", "注意", "策略", "挑战", "问题", "要点", "原因", "方案", "即")


def _split_outside_quotes(text: str, ends: str) -> list[str]:
    """``text`` cut after each character of ``ends`` that is not inside quotation marks."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        closing = False
        if char in _OPENING_QUOTES or (char == '"' and depth == 0):
            depth += 1
        elif char in _CLOSING_QUOTES or (char == '"' and depth > 0):
            depth = max(0, depth - 1)
            closing = depth == 0
        if char in ends and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
        if closing and len(current) > 1 and current[-2] in ends:
            # a quotation that ends its own sentence ends the sentence around it too
            parts.append("".join(current))
            current = []
    parts.append("".join(current))
    return [p for p in (_clean_part(p) for p in parts) if chinese.normalize(p)]


def _clean_part(text: str) -> str:
    text = text.strip()
    opened = sum(text.count(q) for q in _OPENING_QUOTES)
    closed = sum(text.count(q) for q in _CLOSING_QUOTES)
    if opened != closed or text.count('"') % 2:  # a quotation cut open by the split
        text = "".join(c for c in text if c != '"' and c not in _OPENING_QUOTES and c not in _CLOSING_QUOTES)
    return text.strip().rstrip(_HEADING_TRAILER).strip()


def _merge_small(parts: list[str], limit: int) -> list[str]:
    """Join fragments under :data:`_MIN_ITEM` characters to a neighbour (a lead-in such as 例如 to the
    next one, others to the one before), then the shortest neighbours until there are ``limit``."""
    merged: list[str] = []
    carry = ""
    for part in parts:
        part = f"{carry}，{part}" if carry else part
        carry = ""
        size = len(chinese.normalize(part))
        if size < _MIN_ITEM and chinese.fold(part).endswith(_LEAD_INS):
            carry = part
        elif merged and (size < _MIN_ITEM or len(chinese.normalize(merged[-1])) < _MIN_ITEM):
            merged[-1] = f"{merged[-1]}，{part}"
        else:
            merged.append(part)
    if carry:
        if merged:
            merged[-1] = f"{merged[-1]}，{carry}"
        else:
            merged.append(carry)
    while len(merged) > limit:
        lengths = [len(chinese.normalize(m)) for m in merged]
        sizes = [a + b for a, b in zip(lengths, lengths[1:], strict=False)]
        i = sizes.index(min(sizes))
        merged[i : i + 2] = [f"{merged[i]}；{merged[i + 1]}"]
    return merged


def _sentences(model_answer: str) -> list[str]:
    parts = _split_outside_quotes(model_answer, _SENTENCE_ENDS)
    if len(parts) < 3:
        clauses = [c for p in parts for c in _split_outside_quotes(p, _CLAUSE_ENDS)]
        if len(clauses) > len(parts):
            parts = clauses
    return _merge_small(parts, MAX_ITEMS)


def _labelled(sentence: str) -> tuple[str, str | None]:
    """A sentence as point and detail.

    先表示理解："我理解…" → 先表示理解 / 我理解…; 挑战：信息碎片化 → 挑战 / 信息碎片化.
    """
    for colon in ("：", ":"):
        head, found, rest = sentence.partition(colon)
        if not found:
            continue
        quote = min((i for i, c in enumerate(head) if c in _OPENING_QUOTES or c == '"'), default=len(head))
        if quote < len(head):
            break  # the colon is inside a quotation
        rest = _clean_part(rest.strip().strip(_OPENING_QUOTES + '"').strip())
        label = head.strip()
        if not rest:
            return label, None
        if 0 < len(chinese.normalize(label)) <= 12:
            if chinese.fold(label).rstrip(_HEADING_TRAILER) in _LEAD_INS:
                return rest, None
            return label, rest
        break
    return _clean_part(sentence), None


def _derive(model_answer: str) -> tuple[tuple[RubricItem, str], ...]:
    """Items made from a model answer, each with the part of the answer it stands for."""
    steps = _steps(model_answer)
    if steps:
        return tuple((RubricItem(s.point, s.detail, derived=True), s.text) for s in steps)
    items = []
    for sentence in _sentences(model_answer):
        point, detail = _labelled(sentence)
        items.append((RubricItem(point, detail, derived=True), sentence))
    return tuple(items)


def _parts(model_answer: str) -> list[str]:
    """The parts a key point may stand for: the steps when the answer is numbered, else its sentences."""
    steps = _steps(model_answer)
    if steps:
        return [s.text for s in steps]
    return _split_outside_quotes(model_answer, _SENTENCE_ENDS)


def _form(point: str) -> str | None:
    words = set(_read(point).words)
    for markers, form in lexicon.CRITERIA:
        if words & markers or any(m in point for m in markers if len(m) > 1):
            return form
    return None


@lru_cache(maxsize=512)
def _prepare(question: Question) -> _Question:
    """Everything about ``question`` that does not depend on the answer: its rubric items and their
    readings, the model answer read once, the words of its key points and prompt."""
    model = (question.model_answer or "").strip()
    model_doc = _read(model) if chinese.normalize(model) else None
    whole = _ref([model]) if model_doc is not None else None
    prompt = _read(question.prompt).words
    items: list[_Prepared] = []
    point_words: set[str] = set()
    if question.key_points:
        parts = [(p, _ref([p])) for p in _parts(model)] if model_doc is not None else []
        for kp in question.key_points:
            item = RubricItem(kp.point, kp.detail, derived=False)
            point = _ref([kp.point])
            point_words |= {a.text for a in _read(kp.point).atoms}
            point_words |= {s for a in _read(kp.point).atoms for s in _subwords(a.text)}
            compound = any(c in kp.point for c in _CONTRASTS)
            readings = [_Reading(point, COMPOUND_BAR) if compound else _reading(point, POINT_BAR)]
            if kp.detail:
                readings.append(_reading(_ref([kp.detail]), DETAIL_BAR))
            form = _form(kp.point)
            if whole is not None:
                target = _ref([kp.point, kp.detail or ""])
                best, best_part = 0.0, None
                for text, part in parts:
                    similarity = _similarity(target, _read(text))
                    if similarity > best:
                        best, best_part = similarity, part
                if best_part is not None and best >= _bar(ALIGN_BAR, target):
                    readings.append(_reading(best_part, PART_BAR))
            items.append(_Prepared(item, tuple(readings), point, form))
    elif model_doc is not None:
        for item, part_text in _derive(model):
            point = _ref([item.point])
            readings = [_reading(point, POINT_BAR if len(chinese.normalize(item.point)) <= 12 else PART_BAR)]
            if item.detail:
                readings.append(_reading(_ref([item.detail]), DETAIL_BAR))
            readings.append(_reading(_ref([part_text]), PART_BAR))
            items.append(_Prepared(item, tuple(readings), point, None))
    given = set(point_words) | set(prompt)
    for doc in (model_doc, _read(question.prompt)):
        if doc is not None:
            given |= {a.text for a in doc.atoms} | {w for a in doc.atoms for w in _subwords(a.text)}
    return _Question(
        tuple(items),
        frozenset(point_words),
        frozenset(given),
        model_doc,
        whole,
        prompt,
        _read(question.prompt).breaking,
        _read(question.prompt).attitude,
    )


def rubric(question: Question) -> tuple[RubricItem, ...]:
    """What a good answer to ``question`` covers: its checklist.

    The bank's ``key_points`` when it has any (``derived`` False). Otherwise items made
    from the model answer (``derived`` True): its numbered steps when it is written in
    steps (lines starting ``(1)``, ``（1）``, ``1.``, ``1、`` …; the point is the step's
    heading up to its first quotation mark, split at a colon into point and detail:
    ``1.快速响应:第一时间安抚…`` → 快速响应 / 第一时间安抚…), else its sentences (split
    at 。；！？ and line breaks, or at commas when there are fewer than three; fragments
    under six characters join a neighbour; at most six items, the shortest neighbours
    joined). Without key points or a model answer: nothing. The bank is never changed.
    """
    if question.key_points:
        return tuple(RubricItem(kp.point, kp.detail, derived=False) for kp in question.key_points)
    return tuple(p.item for p in _prepare(question).items)


# --------------------------------------------------------------------------- coverage


def _contradicts(point: _Ref, doc: _Doc) -> bool:
    """The answer denies a word the point says, or says (or concedes) a word the point denies."""
    for unit in point.units:
        if unit.weight < 1:
            continue
        concepts = (unit.concept, *unit.subs)
        if unit.polarity == POSITIVE:
            for concept in concepts:
                if (concept, NEGATIVE) in doc.said and (concept, POSITIVE) not in doc.said:
                    return True
        elif unit.polarity == NEGATIVE:
            for concept in concepts:
                if ((concept, POSITIVE) in doc.said or (concept, CONCEDED) in doc.said) and (
                    concept,
                    NEGATIVE,
                ) not in doc.said:
                    return True
    return False


def _form_met(form: str | None, doc: _Doc) -> bool:
    if form == "steps":
        return doc.markers >= 2 and doc.clauses >= 3
    if form == "example":
        return doc.example or len(doc.words & lexicon.SCENES) >= 3
    return False


def _own_score(prepared: _Prepared, doc: _Doc) -> float:
    """The item's best reading: its point, detail, the part of the model answer it stands for, its form."""
    score = max((_scaled(_similarity(r.ref, doc), r.bar) for r in prepared.readings), default=0.0)
    if _form_met(prepared.form, doc):
        score = max(score, _FORM_SCORE)
    return score


# How the answer as a whole stands to the model answer.
COMPLETE_SIMILARITY = 0.2  # a fifth of the model answer's content (by weight) said …
COMPLETE_WORDS = 8  # … in at least eight content words of its own,
COMPLETE_RATIO = 0.35  # or a third as many as the model answer has, when that is fewer
ON_TOPIC_SIMILARITY = 0.04  # less than this of the model answer: the answer is not about it


def _content_words(doc: _Doc) -> int:
    return len({a.concept for a in doc.atoms if a.weight >= 1 and a.polarity != CONCEDED})


def _share(question: _Question, doc: _Doc) -> float:
    """The share of the checklist the answer covers as a whole: 1 (complete), 0.5 (on the topic) or 0.

    Complete: it says a fifth of the model answer's content and says it at some length
    (:data:`COMPLETE_WORDS` content words, or a third of the model answer's when that is
    fewer). On the topic: it says something of the model answer.
    """
    if question.whole is None or question.model is None:
        return 0.0
    similarity = _similarity(question.whole, doc)
    needed = min(COMPLETE_WORDS, COMPLETE_RATIO * _content_words(question.model))
    if similarity >= COMPLETE_SIMILARITY and _content_words(doc) >= needed:
        return 1.0
    if similarity >= ON_TOPIC_SIMILARITY:
        return 0.5
    return 0.0


def coverage(question: Question, typed: str) -> list[ItemCoverage]:
    """How far ``typed`` covers each item of the question's :func:`rubric`, in order.

    An item counts as covered when one of its readings (see the module's notes) clears
    its bar, or when the answer as a whole says enough of the model answer: its
    similarity to the model answer (a third of the model answer's content counts as all
    of it) is the share of the checklist it covers, and that many items, those the
    answer comes closest to, count as covered. An item the answer contradicts is never
    covered. Empty for a question without a rubric; an empty answer covers nothing.
    """
    prepared = _prepare(question)
    if not prepared.items:
        return []
    doc = _read(typed)
    if not doc.atoms:
        return [ItemCoverage(p.item, False, 0.0) for p in prepared.items]
    scores = [_own_score(p, doc) for p in prepared.items]
    contradicted = [not p.item.derived and _contradicts(p.point, doc) for p in prepared.items]
    share = _share(prepared, doc)
    allotted = len(scores) if share >= 1 else -(-len(scores) // 2) if share > 0 and len(scores) > 1 else 0
    closest = sorted(range(len(scores)), key=lambda i: -scores[i])[:allotted]
    result = []
    for i, p in enumerate(prepared.items):
        score = max(scores[i], COVERED) if i in closest else scores[i]
        covered = score >= COVERED and not contradicted[i]
        direct = scores[i] >= COVERED and not contradicted[i]
        result.append(ItemCoverage(p.item, covered, round(min(score, 1.0), 3), contradicted[i], direct))
    return result


# --------------------------------------------------------------------------- the suggestion


def _junk(typed: str, doc: _Doc) -> str | None:
    """Why ``typed`` is no answer at all (empty, don't know, gibberish, too short), or None."""
    if not doc.norm:
        return EMPTY
    rest = doc.norm
    knew_not = False
    for phrase in lexicon.DONT_KNOW:
        if phrase in rest:
            knew_not = True
            rest = rest.replace(phrase, "")
    if knew_not:
        for filler in lexicon.FILLERS:
            rest = rest.replace(filler, "")
        if len(rest) < 4:
            return DONT_KNOW
    cjk = sum(1 for c in doc.norm if chinese.is_cjk(c))
    content = {a.text for a in doc.atoms if a.weight >= 1 and chinese.has_cjk(a.text)}
    if cjk < 4:
        return GIBBERISH if _LATIN.search(doc.norm) or not cjk else TOO_SHORT
    if len(doc.norm) >= 8:
        pairs = [doc.norm[i : i + 2] for i in range(len(doc.norm) - 1)]
        if len(set(pairs)) / len(pairs) < 0.35 and len(content) < 4:
            return GIBBERISH
    latin = len(_LATIN.findall(doc.norm))
    if latin > 2 * cjk and len(content) < 3:
        return GIBBERISH
    if len(content) < 2:
        return TOO_SHORT
    return None


def _substantive(doc: _Doc) -> bool:
    """A real attempt in Chinese: ten characters or more and three content words or more."""
    cjk = sum(1 for c in doc.norm if chinese.is_cjk(c))
    content = {a.concept for a in doc.atoms if a.weight >= 1 and a.polarity != CONCEDED}
    return cjk >= 10 and len(content) >= 3


def _stuffing(prepared: _Question, doc: _Doc) -> bool:
    """No credit for repeating the rubric's own words.

    Either the answer is little but the key points' words (情绪管理，政策灵活，利益平衡：
    at most two other content words, and seven in ten of its words theirs), or it is a bare
    list of short phrases (客观检验 成本分摊 补偿选项; 肯定价值 对比竞品) taken, seven in
    ten, from the key points, the model answer or the prompt.
    """
    rubric_words = other = given = 0
    for atom in doc.atoms:
        if atom.weight < 1:
            continue
        own = (atom.text, *((s for s in _subwords(atom.text)) if atom.subs else ()))
        if any(w in prepared.point_words for w in own):
            rubric_words += 1
        else:
            other += 1
        if any(w in prepared.given_words for w in own):
            given += 1
    content = rubric_words + other
    if content == 0:
        return False
    only_points = other == 0 or (rubric_words >= 2 and rubric_words / content >= 0.7 and other <= 2)
    if prepared.point_words and rubric_words and only_points:
        return True
    return doc.telegraphic and given / content >= 0.7


def _breaks_rules(prepared: _Question, doc: _Doc) -> bool:
    """The answer proposes what an agent must not do (and neither the model answer nor the prompt says it)."""
    allowed = set(prepared.prompt) | set(prepared.prompt_breaking)
    if prepared.model is not None:
        allowed |= set(prepared.model.breaking) | set(prepared.model.words)
    return any(word not in allowed for word in doc.breaking)


def _dismisses(prepared: _Question, doc: _Doc) -> bool:
    """The answer waves away what the model answer or a key point asks for (满意度差一点没关系, 补偿也不用给)."""
    if not doc.dismissed:
        return False
    wanted = {u.concept for p in prepared.items for u in p.point.units if u.polarity == POSITIVE and u.weight >= 1}
    if prepared.model is not None:
        wanted |= {a.concept for a in prepared.model.atoms if a.polarity == POSITIVE and a.weight >= 1}
    return bool(doc.dismissed & wanted)


def _bad_attitude(prepared: _Question, doc: _Doc) -> bool:
    """The answer blames, brushes off or turns on the customer (不关我的事, 让他自己去找, 骂回去)."""
    allowed = set(prepared.prompt_attitude)
    if prepared.model is not None:
        allowed |= set(prepared.model.attitude)
    return any(phrase not in allowed for phrase in doc.attitude)


def suggest(question: Question, typed: str, cov: Sequence[ItemCoverage] | None = None) -> Suggestion:
    """Suggest a self-rating for the open answer ``typed`` (``cov``: its :func:`coverage`, worked out when None).

    - No answer at all → Again: empty, "不知道" and the like, gibberish (no Chinese, or
      the same few characters over and over), or under two content words.
    - Proposing what an agent must not do (违规, 私下给钱, 推卸责任 …) or turning on the
      customer (不关我的事, 让他自己去找快递, 骂回去 …) → Again.
    - No model answer and no key points (``no_reference``): Hard for a real attempt in
      Chinese (ten characters and three content words or more), else Again; never Good.
    - Little but the rubric's own words (keyword stuffing) → Again.
    - Otherwise the checklist rule (:func:`rating_from_ticks`) over the covered items;
      an answer that denies a key point is held at Hard.

    Easy is never suggested: whether an answer was effortless is the learner's to say.
    """
    prepared = _prepare(question)
    doc = _read(typed)
    if cov is None:
        cov = coverage(question, typed)
    total = len(cov)
    covered = sum(1 for c in cov if c.covered)
    derived = bool(prepared.items) and prepared.items[0].item.derived
    alone = not prepared.items

    def verdict(rating: Rating, reason: str) -> Suggestion:
        return Suggestion(rating, reason, covered, total, derived, alone)

    junk = _junk(typed, doc)
    if junk is not None:
        return verdict(Rating.AGAIN, junk)
    if _breaks_rules(prepared, doc):
        return verdict(Rating.AGAIN, RULE_BREAKING)
    if _bad_attitude(prepared, doc):
        return verdict(Rating.AGAIN, ATTITUDE)
    if alone:
        return verdict(Rating.HARD if _substantive(doc) else Rating.AGAIN, NO_REFERENCE)
    if _dismisses(prepared, doc):  # a complete answer with one stray denial is held at Hard, not failed
        return verdict(Rating.HARD if _share(prepared, doc) >= 1 else Rating.AGAIN, CONTRADICTION)
    if _stuffing(prepared, doc):
        return verdict(Rating.AGAIN, STUFFING)
    rating = rating_from_ticks(covered, total) or Rating.AGAIN
    if any(c.contradicted for c in cov):
        return verdict(min(rating, Rating.HARD), CONTRADICTION)
    return verdict(rating, COVERAGE)


def suggest_rating(question: Question, typed: str, cov: Sequence[ItemCoverage] | None = None) -> Rating:
    """The rating of :func:`suggest` alone."""
    return suggest(question, typed, cov).rating


class Feedback(NamedTuple):
    """What a view shows after an open answer: the checklist as the answer covers it, and the suggestion."""

    coverage: list[ItemCoverage]
    suggestion: Suggestion


def feedback(question: Question, typed: str) -> Feedback:
    """:func:`coverage` and :func:`suggest` in one call."""
    cov = coverage(question, typed)
    return Feedback(cov, suggest(question, typed, cov))


# --------------------------------------------------------------------------- warming up

_warm_lock = threading.Lock()


def warm() -> None:
    """Load OpenCC and rjieba and read a sample, so that the first real answer is quick.

    Meant for a background thread while the learner reads the question; safe to call
    more than once and from several threads.
    """
    with _warm_lock:
        chinese.warm()
        _read("先倾听安抚客户的情绪，不要推卸责任；然后查询訂單物流，哪怕麻烦也要跟进到底。")


def clear_caches() -> None:
    """Forget every question and text read so far (for measurements: the next answer to each question is cold).

    OpenCC and rjieba stay loaded.
    """
    _prepare.cache_clear()
    _read.cache_clear()
    _subwords.cache_clear()
