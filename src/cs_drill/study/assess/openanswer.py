"""Open answers: the rubric of a question, how far a typed answer covers it, a suggested rating.

The learner has the last word: the suggestion is only the rating the checklist
would give (:func:`rating_from_ticks`) with the items the answer seems to cover
ticked, held down where the answer is no answer (empty, "不知道", gibberish), only
the rubric's own words, or says what an agent must not do.

How an answer is compared with an item (:func:`coverage`):

- Both texts are folded (width, case, Traditional → Simplified) and cut into words
  (rjieba). Words of one group of near-synonyms (:data:`lexicon.CONCEPTS`: 安抚 and
  平复情绪, 补偿 and 优惠券, 回访 and 跟进) count as the same word; function words
  are left out and the words every answer has (客户, 问题, 能力) weigh little.
- Each word carries a polarity: said, denied (不/没/别/避免… before it, 不重要/没用/
  无所谓 after it) or conceded (哪怕/即使 … 也). A word of the item matches only a word
  of the answer said the same way: 灵活但不违规 is not met by 哪怕违规也…, and 合规性不
  重要 contradicts the point 合规性.
- An item is read several ways, each with its own bar: its point (情绪管理), its detail
  (先共情客户…), the part of the model answer it stands for (the step or sentence most
  like it), and the whole model answer (a text that says most of the model answer
  covers every item). A point that names no content but a quality of the answer
  (步骤清晰, 结合实际场景) with no part of the model answer like it is met by the
  model answer as a whole, or by the form it asks for (先…再…最后; 例如).
- A reading's similarity is the weighted share of the item's words found in the
  answer, lifted a little by shared character pairs (which catch words cut
  differently); the item's score is the best reading's, scaled so that its bar is 0.5.
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
    "COVERED",
    "ItemCoverage",
    "RubricItem",
    "Suggestion",
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
CONTRADICTION = "contradiction"
NO_REFERENCE = "no-reference"

_MESSAGES = {
    COVERAGE: "",
    EMPTY: N_("No answer: rated Again."),
    DONT_KNOW: N_("You did not know: rated Again."),
    GIBBERISH: N_("This does not read as an answer: rated Again."),
    TOO_SHORT: N_("Too short to cover the question: rated Again."),
    STUFFING: N_("Only the key points' own words: say what you would do."),
    RULE_BREAKING: N_("Your answer suggests breaking a rule (违规, 私下…): rated Again."),
    CONTRADICTION: N_("Your answer denies part of what the key points ask for."),
    NO_REFERENCE: N_("No model answer to compare with: judge your answer yourself."),
}


class Suggestion(NamedTuple):
    """A suggested self-rating and why.

    ``reason`` is one of ``coverage`` (the checklist rule over the covered items),
    ``empty``, ``dont-know``, ``gibberish``, ``too-short``, ``stuffing`` (only the
    rubric's words), ``rule-breaking``, ``contradiction`` and ``no-reference`` (no
    model answer and no key points: never Good or Easy, the learner decides).
    ``covered`` of ``total`` rubric items seem covered; ``derived``: the rubric was
    made from the model answer.
    """

    rating: Rating
    reason: str
    covered: int = 0
    total: int = 0
    derived: bool = False

    @property
    def no_reference(self) -> bool:
        """Nothing to compare with: the view should say so and leave the rating to the learner."""
        return self.reason == NO_REFERENCE

    @property
    def message(self) -> str:
        """What to tell the learner about the suggestion ("" when the checklist says it all)."""
        text = _MESSAGES[self.reason]
        return _(text) if text else ""


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
_PHRASES = frozenset(w for w in (*_CONCEPT, *lexicon.LEXICAL, *lexicon.RULE_BREAKING) if len(w) > 1)
_MAX_MERGE = 4

POSITIVE, NEGATIVE, CONCEDED = 1, -1, 0

# Clause boundaries: sentence and clause punctuation, quotation marks, brackets, line breaks, spaces.
_CLAUSE = re.compile(r"[\s,，.。;；!！?？:：…~～\"'“”‘’「」『』()（）\[\]【】<>《》—]+")
_TRAILING_PARTICLES = "了吧啊呢的嘛呀啦哦"
_LATIN = re.compile(r"[a-z]")


class _Atom(NamedTuple):
    """A content word of a text: its concept, the words inside it, weight, polarity."""

    text: str
    concept: str
    subs: tuple[str, ...]
    weight: float
    polarity: int
    clause: int


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
    words: frozenset[str]  # every word, as typed (folded)


def _concept(word: str) -> str:
    return _CONCEPT.get(word, word)


def _merge(tokens: list[str]) -> list[str]:
    """Join runs of rjieba's words that make a phrase of the lexicon (同理+心 → 同理心)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
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
        if s != word and len(s) >= 2 and (word.startswith(s) or word.endswith(s)) and s not in lexicon.STOPWORDS
    }
    return tuple(sorted(parts))


def _weight(word: str) -> float:
    return 0.25 if word in lexicon.LOW_WEIGHT else 1.0


def _is_content(word: str) -> bool:
    if word in lexicon.STOPWORDS or word in lexicon.SEQUENCE_MARKERS:
        return False
    if word.isdigit():
        return False
    if len(word) == 1:
        return word in _CONCEPT
    return True


def _postfix_cut(tokens: list[str]) -> int | None:
    """Where a clause-final denial (合规性不重要, 同理心也没用) starts, as a token index."""
    joined = "".join(tokens).rstrip(_TRAILING_PARTICLES)
    for pattern in lexicon.POSTFIX_NEGATORS:
        if joined.endswith(pattern):
            start = len(joined) - len(pattern)
            offset = 0
            for index, token in enumerate(tokens):
                if offset + len(token) > start:
                    return index
                offset += len(token)
    return None


_NEGATION_SCOPE = 5  # content words a 不 reaches when nothing ends it sooner


def _read_clause(tokens: list[str], clause: int, atoms: list[_Atom], said: list[tuple[str, int]]) -> int:
    """Add the clause's content words with their polarity; return how many sequence markers it has."""
    cut = _postfix_cut(tokens)
    if cut is not None:
        tokens = tokens[:cut]
    markers = 0
    negated = conceded = False
    reach = 0
    for token in tokens:
        if token in lexicon.SEQUENCE_MARKERS:
            markers += 1
        if token in lexicon.SCOPE_BREAKS:
            negated = conceded = False
            continue
        if token in lexicon.CONCESSIVES:
            conceded, negated = True, False
            continue
        if conceded and token in lexicon.CONCESSIVE_ENDS:
            conceded = False
            continue
        if token in lexicon.NEGATORS:
            negated, reach = not negated, 0
            continue
        verbal = token in lexicon.VERBAL_NEGATORS
        if _is_content(token):
            polarity = CONCEDED if conceded else NEGATIVE if negated != (cut is not None) else POSITIVE
            subs = _subwords(token)
            concept = _concept(token)
            atoms.append(_Atom(token, concept, tuple(_concept(s) for s in subs), _weight(token), polarity, clause))
            said.append((concept, polarity))
            said.extend((_concept(s), polarity) for s in subs)
            if negated and not verbal:
                reach += 1
                if reach >= _NEGATION_SCOPE:
                    negated = False
        if verbal:
            negated, reach = not negated, 0
    return markers


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
    for clause_text in _CLAUSE.split(folded):
        clause_text = "".join(c for c in clause_text if not chinese.is_separator(c) or c == "、")
        if not clause_text:
            continue
        tokens = _merge([t for t in chinese.cut(clause_text) if not all(chinese.is_separator(c) for c in t)])
        if not tokens:
            continue
        start = len(atoms)
        markers += _read_clause(tokens, clauses, atoms, said)
        words.update(tokens)
        example = example or any(t in lexicon.EXAMPLE_MARKERS for t in tokens)
        clause_atoms = atoms[start:]
        for atom in clause_atoms:
            said_it = atom.text in lexicon.RULE_BREAKING and atom.polarity == POSITIVE
            if said_it or (atom.text in lexicon.CONCEDED_RULE_BREAKING and atom.polarity == CONCEDED):
                breaking.append(atom.text)
        money = any(
            a.polarity == POSITIVE and (a.text in lexicon.MONEY or "钱" in a.text or "款" in a.text)
            for a in clause_atoms
        )
        if money and any(a.text == "私下" and a.polarity != NEGATIVE for a in clause_atoms):
            breaking.append("私下")
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
        words=frozenset(words),
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

    @property
    def total(self) -> float:
        return sum(u.weight for u in self.units)


def _ref(texts: Iterable[str]) -> _Ref:
    units: dict[tuple[str, int], _Unit] = {}
    pairs: set[str] = set()
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
    return _Ref(tuple(units.values()), frozenset(pairs))


def _similarity(ref: _Ref, doc: _Doc) -> float:
    """The weighted share of ``ref``'s words said in ``doc`` (the same way), lifted by shared character pairs."""
    total = ref.total
    if total <= 0:
        return 0.0
    found = 0.0
    for unit in ref.units:
        if (unit.concept, unit.polarity) in doc.said:
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
DETAIL_BAR = 0.4  # the point's detail (先共情客户，避免直接反驳退货政策…)
PART_BAR = 0.4  # the step or sentence of the model answer that the item stands for
WHOLE_BAR = 0.6  # the whole model answer: an answer that says most of it covers every item
CRITERION_BAR = 0.3  # the whole model answer, for a point that names a quality (步骤清晰)
ALIGN_BAR = 0.34  # how like a point (and detail) a part of the model answer must be to stand for it
_FORM_SCORE = 0.75  # a point about form (步骤清晰) met by the answer's form


class _Reading(NamedTuple):
    ref: _Ref
    bar: float


class _Prepared(NamedTuple):
    item: RubricItem
    readings: tuple[_Reading, ...]
    point: _Ref  # for contradictions
    form: str | None  # "steps" | "example": a point about the answer's form


class _Question(NamedTuple):
    items: tuple[_Prepared, ...]
    point_words: frozenset[str]  # the words of the bank's key points (empty for a derived rubric)
    model: _Doc | None
    prompt: frozenset[str]


# A numbered step at the start of a line: (1) （1） 1) 1） 1. 1． 1、 ①, digits may be full-width.
_STEP = re.compile(r"^\s*(?:[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*(?:[)）]|[.．、](?!\d))|[①-⑳])\s*(?P<rest>.*)$")
_QUOTES = '“”"「『‘„«'
_HEADING_TRAILER = " \t:：,，;；。.、…—–-"
_SENTENCE = re.compile(r"[。；;！!？?\n]+")
_CLAUSE_PUNCT = re.compile(r"[，,：:]+")
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


def _merge_small(parts: list[str], limit: int) -> list[str]:
    """Join fragments shorter than :data:`_MIN_ITEM` to their neighbour, then the shortest pairs down to ``limit``."""
    merged: list[str] = []
    for part in parts:
        if merged and min(len(chinese.normalize(part)), len(chinese.normalize(merged[-1]))) < _MIN_ITEM:
            merged[-1] = f"{merged[-1]}，{part}"
        else:
            merged.append(part)
    while len(merged) > limit:
        lengths = [len(chinese.normalize(m)) for m in merged]
        sizes = [a + b for a, b in zip(lengths, lengths[1:], strict=False)]
        i = sizes.index(min(sizes))
        merged[i : i + 2] = [f"{merged[i]}；{merged[i + 1]}"]
    return merged


def _clean_part(text: str) -> str:
    text = text.strip().strip(_QUOTES + "”’」』").strip()
    return text.rstrip(_HEADING_TRAILER).strip()


def _sentences(model_answer: str) -> list[str]:
    parts = [p for p in (_clean_part(s) for s in _SENTENCE.split(model_answer)) if chinese.normalize(p)]
    if len(parts) < 3:
        clauses = [c for c in (_clean_part(s) for p in parts for s in _CLAUSE_PUNCT.split(p)) if chinese.normalize(c)]
        if len(clauses) > len(parts):
            parts = clauses
    return _merge_small(parts, MAX_ITEMS)


def _derive(model_answer: str) -> tuple[tuple[RubricItem, str], ...]:
    """Items made from a model answer, each with the part of the answer it stands for."""
    steps = _steps(model_answer)
    if steps:
        return tuple((RubricItem(s.point, s.detail, derived=True), s.text) for s in steps)
    return tuple((RubricItem(s, None, derived=True), s) for s in _sentences(model_answer))


def _parts(model_answer: str) -> list[str]:
    """The parts a key point may stand for: the steps when the answer is numbered, else its sentences."""
    steps = _steps(model_answer)
    if steps:
        return [s.text for s in steps]
    return [p for p in (_clean_part(s) for s in _SENTENCE.split(model_answer)) if chinese.normalize(p)]


def _form(point: str) -> str | None:
    words = set(_read(point).words)
    for markers, form in lexicon.CRITERIA:
        if words & markers or any(m in point for m in markers if len(m) > 1):
            return form
    return None


@lru_cache(maxsize=512)
def _prepare(question: Question) -> _Question:
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
            readings = [_Reading(point, POINT_BAR)]
            if kp.detail:
                readings.append(_Reading(_ref([kp.detail]), DETAIL_BAR))
            form = _form(kp.point)
            if whole is not None:
                target = _ref([kp.point, kp.detail or ""])
                best, best_part = 0.0, None
                for text, part in parts:
                    similarity = _similarity(target, _read(text))
                    if similarity > best:
                        best, best_part = similarity, part
                if best_part is not None and best >= ALIGN_BAR:
                    readings.append(_Reading(best_part, PART_BAR))
                    readings.append(_Reading(whole, WHOLE_BAR))
                else:
                    readings.append(_Reading(whole, CRITERION_BAR))
            items.append(_Prepared(item, tuple(readings), point, form))
    elif model_doc is not None:
        for item, part_text in _derive(model):
            point = _ref([item.point])
            readings = [_Reading(point, POINT_BAR if len(chinese.normalize(item.point)) <= 12 else PART_BAR)]
            if item.detail:
                readings.append(_Reading(_ref([item.detail]), DETAIL_BAR))
            readings.append(_Reading(_ref([part_text]), PART_BAR))
            if whole is not None:
                readings.append(_Reading(whole, WHOLE_BAR))
            items.append(_Prepared(item, tuple(readings), point, None))
    return _Question(tuple(items), frozenset(point_words), model_doc, prompt)


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
        return doc.example
    return False


def _cover(prepared: _Prepared, doc: _Doc) -> ItemCoverage:
    score = max((_scaled(_similarity(r.ref, doc), r.bar) for r in prepared.readings), default=0.0)
    if _form_met(prepared.form, doc):
        score = max(score, _FORM_SCORE)
    contradicted = _contradicts(prepared.point, doc)
    return ItemCoverage(prepared.item, score >= COVERED and not contradicted, round(score, 3), contradicted)


def coverage(question: Question, typed: str) -> list[ItemCoverage]:
    """How far ``typed`` covers each item of the question's :func:`rubric`, in order (see the module's notes).

    Empty for a question without a rubric. An empty answer covers nothing.
    """
    prepared = _prepare(question)
    if not prepared.items:
        return []
    doc = _read(typed)
    if not doc.atoms:
        return [ItemCoverage(p.item, False, 0.0) for p in prepared.items]
    return [_cover(p, doc) for p in prepared.items]


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
    content = {a.concept for a in doc.atoms if a.weight >= 1 and chinese.has_cjk(a.text)}
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
    """Little but the key points' own words (情绪管理，政策灵活，利益平衡): no credit for repeating the rubric."""
    if not prepared.point_words:
        return False
    rubric_words = other = 0
    for atom in doc.atoms:
        if atom.weight < 1:
            continue
        if atom.text in prepared.point_words or (atom.subs and set(atom.subs) <= prepared.point_words):
            rubric_words += 1
        else:
            other += 1
    if rubric_words == 0:
        return False
    return other == 0 or (rubric_words >= 2 and rubric_words / (rubric_words + other) >= 0.7 and other <= 2)


def _breaks_rules(prepared: _Question, doc: _Doc) -> bool:
    """The answer proposes what an agent must not do (and the model answer and the prompt do not say it)."""
    model = prepared.model
    allowed = set(prepared.prompt)
    if model is not None:
        allowed |= set(model.breaking)
    return any(word not in allowed for word in doc.breaking)


def suggest(question: Question, typed: str, cov: Sequence[ItemCoverage] | None = None) -> Suggestion:
    """Suggest a self-rating for the open answer ``typed`` (``cov``: its :func:`coverage`, worked out when None).

    - No answer at all → Again: empty, "不知道" and the like, gibberish (no Chinese, or
      the same few characters over and over), or under two content words.
    - No model answer and no key points → ``no-reference``: Hard for a real attempt in
      Chinese (ten characters and three content words or more), else Again; never Good.
    - Proposing what an agent must not do (违规, 私下给钱, 敷衍 …) → Again.
    - Little but the key points' own words (keyword stuffing) → Again.
    - Otherwise the checklist rule (:func:`rating_from_ticks`) over the covered items;
      an answer that denies part of a point is held at Hard.

    Easy is never suggested: whether an answer was effortless is the learner's to say.
    """
    prepared = _prepare(question)
    doc = _read(typed)
    if cov is None:
        cov = coverage(question, typed)
    total = len(cov)
    covered = sum(1 for c in cov if c.covered)
    derived = bool(prepared.items) and prepared.items[0].item.derived
    junk = _junk(typed, doc)
    if junk is not None:
        return Suggestion(Rating.AGAIN, junk, covered, total, derived)
    if not prepared.items and not question.key_points:
        rating = Rating.HARD if _substantive(doc) else Rating.AGAIN
        return Suggestion(rating, NO_REFERENCE, 0, 0, False)
    if _breaks_rules(prepared, doc):
        return Suggestion(Rating.AGAIN, RULE_BREAKING, covered, total, derived)
    if _stuffing(prepared, doc):
        return Suggestion(Rating.AGAIN, STUFFING, covered, total, derived)
    rating = rating_from_ticks(covered, total) or Rating.AGAIN
    if any(c.contradicted for c in cov) and rating > Rating.HARD:
        return Suggestion(Rating.HARD, CONTRADICTION, covered, total, derived)
    if any(c.contradicted for c in cov):
        return Suggestion(rating, CONTRADICTION, covered, total, derived)
    return Suggestion(rating, COVERAGE, covered, total, derived)


def suggest_rating(question: Question, typed: str, cov: Sequence[ItemCoverage] | None = None) -> Rating:
    """The rating of :func:`suggest` alone."""
    return suggest(question, typed, cov).rating


class Feedback(NamedTuple):
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
