"""How csdrill's suggested self-rating for open answers agrees with a human judge, and how fast it comes.

    python benchmarks/open_answers.py [--labels PATH] [--bank PATH] [--repeat N] [--show-misses]

Agreement is over a labelled set of learner answers (default tests/fixtures/open_answers.yaml;
entries: question exam-id/question-id, label good|partial|poor, script, kind, answer):
poor agrees with Again, partial with Hard, good with Good or Easy. Printed: the agreement,
the confusion matrix (label × suggestion), agreement by kind and by script, and the counts
of good answers suggested Again and poor ones suggested Good or Easy.

Latency is the whole feedback (coverage and suggestion) for every open question of the
bank, measured after ``warm()`` with the question cold (nothing of it read before, as for
the first answer to it in a session), for three answers each: the model answer typed back,
its first half (a partial answer) and the model answer in the other script (a paraphrase
the folding must see through); questions without a model answer get a typed attempt.

Exit code 0 when every target holds (agreement ≥ 85 %, no good → Again, no poor → Good/Easy,
p95 latency ≤ 50 ms), 1 when one is missed, 2 for a bad argument or file. The report goes to
standard output; nothing is written.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # a checkout runs without installing, too

import yaml  # noqa: E402

from cs_drill.bank.catalog import load_catalog  # noqa: E402
from cs_drill.bank.model import Kind, Question  # noqa: E402
from cs_drill.study.assess import chinese, openanswer  # noqa: E402
from cs_drill.study.card import Rating  # noqa: E402

LABELS = ROOT / "tests" / "fixtures" / "open_answers.yaml"
BANK = ROOT / "data" / "questions"

AGREEMENT_TARGET = 0.85
LATENCY_TARGET_MS = 50.0
EXPECTED = {"poor": {Rating.AGAIN}, "partial": {Rating.HARD}, "good": {Rating.GOOD, Rating.EASY}}
ORDER = ("good", "partial", "poor")
RATINGS = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)
NAMES = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Agreement and latency of the suggested rating for open answers.")
    p.add_argument("--labels", type=Path, default=LABELS, help="the labelled answers (YAML list)")
    p.add_argument("--bank", type=Path, default=BANK, help="the bank the labels refer to (default: the bundled one)")
    p.add_argument("--repeat", type=int, default=5, help="cold runs of each latency sample (default 5)")
    p.add_argument("--show-misses", action="store_true", help="list every answer whose suggestion disagrees")
    return p.parse_args(argv)


def load_entries(path: Path, questions: dict[str, Question]) -> list[dict[str, Any]]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise ValueError(f"{path}: not a list of entries")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or entry.get("label") not in EXPECTED or "answer" not in entry:
            raise ValueError(f"{path}: entry {i} needs question, label (good|partial|poor) and answer")
        if entry.get("question") not in questions:
            raise ValueError(f"{path}: entry {i}: {entry.get('question')!r} is not an open question of the bank")
    return entries


def agreement(entries: list[dict[str, Any]], questions: dict[str, Question], show_misses: bool) -> bool:
    matrix: Counter[tuple[str, Rating]] = Counter()
    by_kind: Counter[tuple[str, bool]] = Counter()
    by_script: Counter[tuple[str, bool]] = Counter()
    misses = []
    for entry in entries:
        q = questions[entry["question"]]
        advice = openanswer.suggest(q, str(entry["answer"] or ""))
        ok = advice.rating in EXPECTED[entry["label"]]
        matrix[(entry["label"], advice.rating)] += 1
        by_kind[(str(entry.get("kind", "-")), ok)] += 1
        by_script[(str(entry.get("script", "-")), ok)] += 1
        if not ok:
            misses.append((entry, advice))
    agreed = sum(n for (label, rating), n in matrix.items() if rating in EXPECTED[label])
    total = len(entries)
    share = agreed / total if total else 0.0
    good_again = matrix[("good", Rating.AGAIN)]
    poor_good = matrix[("poor", Rating.GOOD)] + matrix[("poor", Rating.EASY)]

    print(f"Agreement: {agreed}/{total} ({share:.1%})   target ≥ {AGREEMENT_TARGET:.0%}")
    print()
    print("label \\ suggested   " + "".join(f"{NAMES[r]:>7}" for r in RATINGS) + "   total")
    for label in ORDER:
        row = [matrix[(label, r)] for r in RATINGS]
        print(f"{label:<19} " + "".join(f"{n:>7}" for n in row) + f"   {sum(row):>5}")
    print()
    print(f"good → Again: {good_again}   target 0")
    print(f"poor → Good or Easy: {poor_good}   target 0")
    print()
    for title, counts in (("by kind", by_kind), ("by script", by_script)):
        keys = sorted({k for k, _ in counts})
        cells = [f"{k} {counts[(k, True)]}/{counts[(k, True)] + counts[(k, False)]}" for k in keys]
        print(f"Agreement {title}: " + ", ".join(cells))
    if show_misses:
        print()
        for entry, advice in misses:
            text = str(entry["answer"]).replace("\n", " / ")
            print(f"- {entry['label']} → {NAMES[advice.rating]} ({advice.reason}): {entry['question']}")
            print(f"    {text}")
    return share >= AGREEMENT_TARGET and good_again == 0 and poor_good == 0


def samples(q: Question) -> list[str]:
    model = (q.model_answer or "").strip()
    if not model:
        return ["我会先道歉安抚客户，再核实情况，给出解决方案，最后跟进到底。"]
    other = chinese.convert_script(model, "hant" if chinese.convert_script(model, "hans") == model else "hans")
    return [model, model[: max(1, len(model) // 2)], other]


def latency(questions: dict[str, Question], repeat: int) -> tuple[str, bool]:
    """Measured before anything else in the process, so that ``warm()`` loads OpenCC and rjieba for real."""
    started = time.perf_counter()
    openanswer.warm()
    warm_ms = (time.perf_counter() - started) * 1000
    times: list[float] = []
    for _ in range(repeat):
        for q in questions.values():
            for text in samples(q):
                openanswer.clear_caches()  # the question cold, as for its first answer in a session
                started = time.perf_counter()
                openanswer.coverage(q, text)
                openanswer.suggest(q, text)
                times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    line = (
        f"Feedback latency over {len(questions)} open questions × 3 answers × {repeat} "
        f"(cold question, after warm() {warm_ms:.0f} ms): "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms   target p95 ≤ {LATENCY_TARGET_MS:.0f} ms"
    )
    return line, p95 <= LATENCY_TARGET_MS


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.repeat < 1:
        print("open_answers.py: --repeat must be at least 1", file=sys.stderr)
        return 2
    try:
        catalog = load_catalog([args.bank])
        questions = {q.uid: q for q in catalog.iter_questions() if q.kind is Kind.OPEN}
        entries = load_entries(args.labels, questions)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"open_answers.py: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bank that does not validate
        print(f"open_answers.py: {args.bank}: {exc}", file=sys.stderr)
        return 2
    timing, fast = latency(questions, args.repeat)
    print(f"Labelled answers: {args.labels} ({len(entries)}); bank: {args.bank} ({len(questions)} open questions)")
    print()
    ok = agreement(entries, questions, args.show_misses) and fast
    print()
    print(timing)
    print()
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
