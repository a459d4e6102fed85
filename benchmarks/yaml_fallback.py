"""Bank files with 1 MB lines, read with libyaml and with PyYAML's pure-Python fallback (issue 16: F19).

    python benchmarks/yaml_fallback.py [--size 1000000] [--repeat 3]

Each case is the test fixture ``tests/fixtures/good/drill.yaml`` with one line made
``--size`` bytes long (a prompt, an explanation, a tag list, a comment …) and goes through
``load_data`` (the whole validation of one file, as a cold build does). Both readers are
timed alternately in this one process (libyaml's ``CSafeLoader``, then ``SafeLoader``);
the table shows medians and the ratio pure / libyaml.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from cs_drill.bank import yamlnodes
from cs_drill.bank.validate import load_data

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "good" / "drill.yaml"
PROMPT = "prompt: 投诉时应记录什么?"


def cases(size: int) -> dict[str, str]:
    base = FIXTURE.read_text(encoding="utf-8")
    return {
        "plain prompt (CJK)": base.replace(PROMPT, "prompt: " + "投" * (size // 3)),
        "plain prompt (words)": base.replace(PROMPT, "prompt: " + "word " * (size // 5)),
        "double-quoted prompt": base.replace(PROMPT, 'prompt: "' + "x" * size + '"'),
        "escapes in quotes": base.replace(PROMPT, 'prompt: "' + "\\u4e2d" * (size // 6) + '"'),
        "block literal": base.replace(PROMPT, "prompt: |\n          " + "x" * size),
        "comment line": base + "#" + "x" * size + "\n",
        "flow list, 2-char items": base.replace(
            PROMPT, PROMPT + "\n        tags: [" + ", ".join(["ab"] * (size // 4)) + "]"
        ),
        "flow map, many keys": base.replace(
            PROMPT, "prompt: {" + ", ".join(f"k{i}: v" for i in range(size // 8)) + "}"
        ),
    }


def timed(loader: type[object], data: bytes) -> float:
    yamlnodes._loader_class = lambda: loader  # type: ignore[assignment]
    started = time.perf_counter()
    load_data(data, "long-line.yaml")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=1_000_000, help="bytes in the long line (default 1000000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per reader and case (default 3)")
    args = parser.parse_args(argv)
    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is None:
        print("this PyYAML has no libyaml (CSafeLoader): nothing to compare", file=sys.stderr)
        return 1
    original: Callable[[], type[object]] = yamlnodes._loader_class
    command = "python benchmarks/yaml_fallback.py " + " ".join(sys.argv[1:] if argv is None else argv)
    print(f"{command.strip()} — PyYAML {yaml.__version__}, Python {sys.version.split()[0]}, medians of {args.repeat}")
    print(f"{'case':26s} {'MB':>5s} {'libyaml s':>10s} {'pure s':>9s} {'ratio':>7s}")
    try:
        for name, text in cases(args.size).items():
            data = text.encode("utf-8")
            timed(c_loader, data)  # warm-up
            fast: list[float] = []
            slow: list[float] = []
            for _ in range(args.repeat):
                fast.append(timed(c_loader, data))
                slow.append(timed(yaml.SafeLoader, data))
            f, s = statistics.median(fast), statistics.median(slow)
            print(f"{name:26s} {len(data) / 1e6:5.2f} {f:10.3f} {s:9.3f} {s / f:6.1f}x", flush=True)
    finally:
        yamlnodes._loader_class = original  # type: ignore[assignment]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
