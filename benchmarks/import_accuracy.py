"""How often `csdrill import` gets a question right: on the five seeds and on documents with expected results.

    python benchmarks/import_accuracy.py                       # the seeds against the bundled bank, tests/data/import
    python benchmarks/import_accuracy.py --docs DIR [--docs DIR]  # any folder of documents with NAME.expected.yaml
    python benchmarks/import_accuracy.py --diff                # also print every difference

A question is right when its kind, prompt, options and key are what the expected result has, compared after
width, space and empty-bracket normalisation (``（ ）`` and ``( )`` are the same blank; a question's own points
``（10分）`` at the end of its prompt are its ``points``, not part of the prompt). For the seeds the
expected result is the bundled bank: a key the bank marks ``answer_source: authored`` is one the document does not
give, so there the importer is right to write none. Documents also count questions invented (imported but not
expected), questions cut off in the document that were imported anyway, and kinds csdrill cannot drill that were
not reported.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
BANK = ROOT / "data" / "questions"
DOCS = ROOT / "tests" / "data" / "import"
sys.path.insert(0, str(ROOT / "src"))

from cs_drill.bank.importer.run import Imported, import_document  # noqa: E402


def norm(text: Any) -> str:
    """Text as compared: NFKC, no spaces, empty brackets and blanks as one mark."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"\(\d+(?:\.\d+)?分\)$", "", s)  # a question's own points are a field, not its prompt
    s = re.sub(r"_{3,}|\(\)", "_", s)
    return s


def key_of(kind: str, answer: Any) -> Any:
    if answer is None:
        return None
    if kind == "multi-choice":
        return tuple(sorted(answer if isinstance(answer, list) else [answer]))
    if kind == "single-choice":
        return answer[0] if isinstance(answer, list) and len(answer) == 1 else answer
    if kind == "true-false":
        return bool(answer)
    if kind == "fill-in":
        return tuple(tuple(norm(a) for a in (e if isinstance(e, list) else [e])) for e in answer)
    return norm(answer)


@dataclass
class Q:
    kind: str
    prompt: str
    options: dict[str, str]
    key: Any
    where: str = ""


@dataclass
class Score:
    name: str
    expected: int = 0
    right: int = 0
    invented: int = 0
    cut_imported: int = 0
    unsupported_missed: int = 0
    diffs: list[str] = field(default_factory=list)


def _imported(result: Imported) -> list[Q]:
    out = []
    for section in result.draft.sections:
        for q in section.questions:
            out.append(
                Q(
                    section.kind,
                    norm(q.prompt),
                    {k: norm(v) for k, v in q.options.items()},
                    key_of(section.kind, q.answer),
                    f"{section.title} {q.number}",
                )
            )
    return out


def compare(name: str, expected: list[Q], got: list[Q], score: Score) -> None:
    used: set[int] = set()
    score.expected += len(expected)
    for e in expected:
        best, best_ratio = None, 0.0
        for k, g in enumerate(got):
            if k in used:
                continue
            ratio = 1.0 if g.prompt == e.prompt else difflib.SequenceMatcher(None, g.prompt, e.prompt).quick_ratio()
            if ratio > best_ratio:
                best, best_ratio = k, ratio
                if ratio == 1.0:
                    break
        if best is None or best_ratio < 0.6:
            score.diffs.append(f"{name}: missing: {e.where} {e.prompt[:40]}")
            continue
        if best_ratio < 1.0:
            # quick_ratio is an upper bound; the real ratio decides
            real = difflib.SequenceMatcher(None, got[best].prompt, e.prompt).ratio()
            if real < 0.6:
                score.diffs.append(f"{name}: missing: {e.where} {e.prompt[:40]}")
                continue
        used.add(best)
        g = got[best]
        problems = []
        if g.kind != e.kind:
            problems.append(f"kind {g.kind} != {e.kind}")
        if g.prompt != e.prompt:
            problems.append(f"prompt\n    got {g.prompt[:160]}\n    exp {e.prompt[:160]}")
        if g.options != e.options:
            problems.append(f"options\n    got {g.options}\n    exp {e.options}")
        if g.key != e.key:
            problems.append(f"key\n    got {str(g.key)[:160]}\n    exp {str(e.key)[:160]}")
        if problems:
            score.diffs.append(f"{name}: {e.where}: " + "; ".join(problems))
        else:
            score.right += 1
    for k, g in enumerate(got):
        if k not in used:
            score.invented += 1
            score.diffs.append(f"{name}: invented: {g.where} {g.prompt[:60]}")


def score_seeds(score: Score) -> None:
    for bank_file in sorted(BANK.glob("*.yaml")):
        data = yaml.safe_load(bank_file.read_text(encoding="utf-8"))
        source = SEEDS / data["source"]
        expected = []
        for section in data["sections"]:
            for q in section["questions"]:
                authored = q.get("answer_source") == "authored"
                expected.append(
                    Q(
                        section["kind"],
                        norm(q["prompt"]),
                        {k: norm(v) for k, v in (q.get("options") or {}).items()},
                        None if authored else key_of(section["kind"], q.get("answer")),
                        f"{section['id']}/{q['id']}",
                    )
                )
        compare(source.name, expected, _imported(import_document(source)), score)


def score_docs(folder: Path, score: Score) -> None:
    for exp_file in sorted(folder.glob("*.expected.yaml")):
        spec = yaml.safe_load(exp_file.read_text(encoding="utf-8"))
        doc = folder / spec["document"]
        try:
            result = import_document(doc)
        except Exception as error:  # a document the importer cannot read counts all its questions wrong
            n = sum(len(s.get("questions") or []) for s in spec.get("sections") or [])
            score.expected += n
            score.diffs.append(f"{doc.name}: failed: {error}")
            continue
        expected = []
        for section in spec.get("sections") or []:
            for i, q in enumerate(section.get("questions") or [], start=1):
                expected.append(
                    Q(
                        section["kind"],
                        norm(q["prompt"]),
                        {str(k): norm(v) for k, v in (q.get("options") or {}).items()},
                        key_of(section["kind"], q.get("answer")),
                        f"{section.get('title', '')} #{i}",
                    )
                )
        got = _imported(result)
        compare(doc.name, expected, got, score)
        for cut in spec.get("left_out") or []:
            if any(g.prompt.startswith(norm(cut)) for g in got):
                score.cut_imported += 1
                score.diffs.append(f"{doc.name}: imported a cut-off question: {cut}")
        reported = " ".join(message for _line, message in result.problems)
        for kind in spec.get("unsupported") or []:
            if kind not in reported:
                score.unsupported_missed += 1
                score.diffs.append(f"{doc.name}: unsupported section not reported: {kind}")


def line(score: Score) -> str:
    share = score.right / score.expected if score.expected else 0.0
    return (
        f"{score.name}: {score.right}/{score.expected} questions right ({share:.1%}), "
        f"{score.invented} invented, {score.cut_imported} cut-off imported, "
        f"{score.unsupported_missed} unsupported not reported"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", action="append", type=Path, help="a folder of documents with NAME.expected.yaml")
    parser.add_argument("--no-seeds", action="store_true", help="skip the five seeds")
    parser.add_argument("--diff", action="store_true", help="print every difference")
    args = parser.parse_args(argv)
    scores = []
    if not args.no_seeds and SEEDS.is_dir():
        s = Score("seeds (bundled bank)")
        score_seeds(s)
        scores.append(s)
    for folder in args.docs or ([DOCS] if DOCS.is_dir() else []):
        s = Score(str(folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder.name))
        score_docs(folder, s)
        scores.append(s)
    for s in scores:
        print(line(s))
        if args.diff:
            for d in s.diffs:
                print("  " + d)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
