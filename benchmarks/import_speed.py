"""Importing a 1 MB paper against validating the bank it produces (issue 15, item 7), in the same run.

    python benchmarks/import_speed.py [--size-mb 1] [--runs 3]

The paper is made of the test documents' text (tests/data/import/*.txt), their sections repeated under new
numbers until it reaches the size. Both sides run the installed ``csdrill`` in a fresh process; the table gives
the median of the runs and the ratio (target ≤ 2).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "data" / "import"
sys.path.insert(0, str(ROOT / "src"))


NUMERALS = "一二三四五六七八九十"


def _questions() -> list[tuple[str, dict[str, object]]]:
    out = []
    for path in sorted(DOCS.glob("*.expected.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in spec.get("sections") or []:
            for q in section.get("questions") or []:
                out.append((section["kind"], q))
    return out


_TITLES = {
    "single-choice": "单选题",
    "multi-choice": "多选题",
    "true-false": "判断题",
    "fill-in": "填空题",
    "open": "简答题",
}


def _render(kind: str, n: int, q: dict[str, object]) -> list[str]:
    lines = [f"{n}.{q['prompt']}"]
    options = q.get("options") or {}
    assert isinstance(options, dict)
    lines += [f"{k}.{v}" for k, v in options.items()]
    answer = q.get("answer")
    if answer is None:
        return lines
    if kind == "multi-choice":
        lines.append("答案：" + "".join(answer))  # type: ignore[arg-type]
    elif kind == "true-false":
        lines[0] += "（√）" if answer else "（×）"
    elif kind == "fill-in":
        lines.append("答案：" + "；".join(a if isinstance(a, str) else a[0] for a in answer))  # type: ignore[union-attr]
    else:
        lines.append(f"答案：{answer}")
    return lines


def make_paper(size: int) -> str:
    """A paper of ``size`` bytes or more: sections of the test documents' questions, written as papers write them."""
    questions = _questions()
    parts = ["2026年客服岗位笔试题库（汇编）", ""]
    total, k = 0, 0
    while total < size:
        kind = ("single-choice", "multi-choice", "true-false", "fill-in", "open")[k % 5]
        pool = [q for qk, q in questions if qk == kind]
        heading = f"{NUMERALS[k % 10]}、{_TITLES[kind]}(共{len(pool) * 4}题,每题2分)"
        lines = [heading]
        for n in range(1, len(pool) * 4 + 1):
            lines += _render(kind, n, pool[(n - 1) % len(pool)])
        text = "\n".join(lines) + "\n"
        parts.append(text)
        total += len(text.encode("utf-8"))
        k += 1
    return "\n".join(parts)


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    csdrill = str(Path(sys.executable).with_name("csdrill"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paper = folder / "paper.txt"
        paper.write_text(make_paper(int(args.size_mb * 1024 * 1024)), encoding="utf-8")
        bank = folder / "paper.yaml"
        env = {**os.environ, "CSDRILL_HOME": str(folder / "home"), "CSDRILL_LANG": "en"}
        imports, validates = [], []
        for _ in range(args.runs):
            bank.unlink(missing_ok=True)
            imports.append(timed([csdrill, "import", str(paper), "-o", str(bank)], env))
            # validate reads the file through the cache; a fresh home each run makes it read the YAML
            run_env = {**env, "CSDRILL_HOME": tempfile.mkdtemp(dir=folder)}
            validates.append(timed([csdrill, "validate", str(bank)], run_env))
        questions = bank.read_text(encoding="utf-8").count("\n      - id: ")
        a, b = statistics.median(imports), statistics.median(validates)
        size, bank_size = paper.stat().st_size / 1e6, bank.stat().st_size / 1e6
        print(f"paper: {size:.2f} MB, {questions} questions imported; bank file {bank_size:.2f} MB")
        print(f"{'import':>10}: {a:.2f} s   (runs: {', '.join(f'{x:.2f}' for x in imports)})")
        print(f"{'validate':>10}: {b:.2f} s   (runs: {', '.join(f'{x:.2f}' for x in validates)})")
        print(f"{'ratio':>10}: {a / b:.2f}x  (target <= 2.00x) {'PASS' if a / b <= 2 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
