"""A longer fuzz run than the suite's (issue 16): the same properties for N minutes.

    python benchmarks/fuzz.py --minutes 10 [--seed S] [--out fuzz-failures]

Targets, in turn, each with a seeded mutation loop over the bundled bank files:

- ``loader``: ``load_data`` on mutated bank bytes returns a result or problems with
  file:line:col (line and column >= 1), never another exception, each case under 1 s;
- ``schema``: the JSON Schema and the loader agree on mutated banks that are still YAML;
- ``answers``: ``parse_answer`` and ``command`` on arbitrary text return or raise InvalidAnswer;
- ``config``: ``load_settings`` on arbitrary config.toml bytes returns Settings or raises
  UsageError/CsDrillError;
- ``fold``: ``fold`` on arbitrary text never raises and keeps every line within the width.

Prints the cases tried and the failures per target; a failure's input is written to the
``--out`` folder (one file per failure). Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from rich.cells import cell_len
from rich.text import Text

from cs_drill.bank.files import bundled_bank
from cs_drill.bank.model import Kind, Question
from cs_drill.bank.schema import bank_schema
from cs_drill.bank.validate import load_data
from cs_drill.config import Settings, load_settings
from cs_drill.errors import CsDrillError, UsageError
from cs_drill.render.console import fold
from cs_drill.study.assess.grading import InvalidAnswer, command, parse_answer

SLOW = 1.0  # seconds: a case over this is a failure
ODD_TEXT = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\ud7ff",
    "\U0001f600",
    "\t",
    "\r",
    "\x85",
    "\u2028",
    "多选题",
    "Ａ",
    "，",
    "9" * 400,
    "1e999",
    "-0",
    ".nan",
    "0x1F",
    "0o17",
    "1_000",
    "&a",
    "*a",
    "!!python/object:os.system",
    "!!binary",
    "!!str",
    "!custom",
    "<<: *a",
    "[[[[[[[[[[[[",
    "{{{{{{{{",
    "- - - - - -",
    "? ",
    ": ",
    "'",
    '"',
    "|",
    ">-",
    "---",
    "...",
    "%YAML 1.1",
    "#",
    "~",
    "null",
    "yes",
    "NO",
    "2026-01-01",
    "12:30:00",
]


def _random_text(rng: random.Random, size: int = 40) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(0, size)):
        roll = rng.random()
        if roll < 0.3:
            parts.append(rng.choice(ODD_TEXT))
        elif roll < 0.6:
            parts.append(chr(rng.randint(0, 0x7F)))
        elif roll < 0.8:
            parts.append(chr(rng.randint(0x4E00, 0x9FFF)))
        else:
            code = rng.randint(0, 0x10FFFF)
            if 0xD800 <= code <= 0xDFFF:
                code = 0xFFFD
            parts.append(chr(code))
    return "".join(parts)


def mutate(rng: random.Random, data: bytes) -> bytes:
    """``data`` with one to four random edits: byte flips, line deletions and duplications, insertions."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        lines = bytes(buf).split(b"\n")
        op = rng.randrange(9)
        if op == 0 and buf:  # flip a byte
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:  # a random byte
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif op == 2 and len(lines) > 1:  # delete lines
            i = rng.randrange(len(lines))
            del lines[i : i + rng.randint(1, 5)]
            buf = bytearray(b"\n".join(lines))
        elif op == 3 and lines:  # duplicate lines
            i = rng.randrange(len(lines))
            chunk = lines[i : i + rng.randint(1, 8)]
            lines[i:i] = chunk
            buf = bytearray(b"\n".join(lines))
        elif op == 4 and lines:  # swap two lines
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            buf = bytearray(b"\n".join(lines))
        elif op == 5 and lines:  # replace a value after a colon
            i = rng.randrange(len(lines))
            head, sep, _ = lines[i].partition(b": ")
            if sep:
                lines[i] = head + sep + _random_text(rng, 6).encode("utf-8", "surrogatepass")
                buf = bytearray(b"\n".join(lines))
        elif op == 6:  # insert odd text
            i = rng.randrange(len(buf) + 1)
            buf[i:i] = rng.choice(ODD_TEXT).encode("utf-8", "surrogatepass")
        elif op == 7 and lines:  # an anchor and aliases, or deep nesting
            i = rng.randrange(len(lines))
            if rng.random() < 0.5:
                lines[i] = lines[i].replace(b": ", b": &a ", 1)
                j = rng.randrange(len(lines))
                lines[j] = lines[j].split(b": ")[0] + b": *a"
            else:
                depth = rng.choice([10, 100, 1000, 5000])
                lines[i] = lines[i].split(b": ")[0] + b": " + b"[" * depth + b"]" * depth
            buf = bytearray(b"\n".join(lines))
        elif op == 8 and lines:  # a huge number or a re-indented line
            i = rng.randrange(len(lines))
            if rng.random() < 0.5:
                lines[i] = lines[i].split(b": ")[0] + b": " + rng.choice([b"9" * 5000, b"1e400", b"-1e400", b".inf"])
            else:
                lines[i] = b" " * rng.randint(0, 9) + lines[i].lstrip()
            buf = bytearray(b"\n".join(lines))
    return bytes(buf)


class Target:
    def __init__(self, name: str, case: Callable[[random.Random], tuple[bytes, Callable[[], None]]]) -> None:
        self.name = name
        self.case = case
        self.tried = 0
        self.failures: list[tuple[bytes, str]] = []


def _bank_files() -> list[bytes]:
    return [p.read_bytes() for p in sorted(bundled_bank().glob("*.yaml"))]


BANKS = _bank_files()
SCHEMA = jsonschema.Draft202012Validator(bank_schema())


def _check_load(data: bytes) -> None:
    found, problems = load_data(data, "fuzz.yaml")
    assert found is not None or problems, "no exam and no problem"
    for p in problems:
        assert p.file == "fuzz.yaml", p
        assert p.line >= 1, p
        assert p.column >= 1, p
        assert p.message, p


def loader_case(rng: random.Random) -> tuple[bytes, Callable[[], None]]:
    data = mutate(rng, rng.choice(BANKS))
    return data, lambda: _check_load(data)


CROSS_FIELD = (
    "must be labelled",
    "duplicate question id",
    "duplicate section id",
    "is not one of the options",
    "already",
)


class _DuplicateKeyError(Exception):
    pass


class _StrictLoader(yaml.SafeLoader):
    """``yaml.safe_load``, but a mapping with a key twice is refused: PyYAML keeps the last value,
    so the schema would see another document than the loader (which reports the duplicate)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        if len(keys) != len(set(keys)):
            raise _DuplicateKeyError
        return super().construct_mapping(node, deep=deep)


def _check_schema(data: bytes) -> None:
    try:
        doc = yaml.load(data, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader
    except _DuplicateKeyError:
        return
    except yaml.YAMLError:
        return
    except RecursionError:
        return
    if not isinstance(doc, dict):
        return
    found, problems = load_data(data, "fuzz.yaml")
    if any("duplicate key" in p.message for p in problems):
        return  # yaml.safe_load keeps the last value: the schema sees another document
    loader_ok = found is not None and not problems
    # YAML 1.2 editors read 2026-01-01 as text, as the loader does; PyYAML (1.1) reads a date
    doc = json.loads(json.dumps(doc, default=str))
    errors = list(SCHEMA.iter_errors(doc))
    schema_ok = not errors
    if schema_ok and not loader_ok and all(any(c in p.message for c in CROSS_FIELD) for p in problems):
        return  # rules across fields (or YAML duplicate keys) that a JSON Schema cannot state
    assert loader_ok == schema_ok, (
        f"loader {'accepts' if loader_ok else 'rejects'}: {[str(p) for p in problems[:3]]}; "
        f"schema: {[e.message[:200] for e in errors[:3]]}"
    )


def schema_case(rng: random.Random) -> tuple[bytes, Callable[[], None]]:
    # gentler mutations: mostly still YAML, mostly still a bank
    data = rng.choice(BANKS)
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(lines))
        head, sep, _ = lines[i].partition(b": ")
        roll = rng.random()
        if sep and roll < 0.6:
            value = rng.choice(
                [b"10", b"-1", b"0", b"1.5", b"3.0", b"''", b"' '", b"null", b"true", b"[]", b"{}", b"[A]",
                 b"x", b"2026-01-01", b"1e3", b"0x10", b"'A'", b"[A, A]", b"[B, A]", b"\"\\t\"", b"'\xe2\x80\xae'",
                 b"|\n  x", b".inf", b"100", b"101", b"ab-c", b"Bad Id", b"zh-Hant", b"en", b"'2'"]
            )  # fmt: skip
            lines[i] = head + sep + value
        elif roll < 0.8:
            del lines[i]
        else:
            lines.insert(i, lines[rng.randrange(len(lines))])
    mutated = b"\n".join(lines)
    return mutated, lambda: _check_schema(mutated)


def _question(rng: random.Random) -> Question:
    kind = rng.choice(list(Kind))
    letters = "ABCDEFG"[: rng.randint(1, 7)]
    options = tuple((letter, "选项") for letter in letters) if kind.is_choice else ()
    correct = tuple(sorted(rng.sample(letters, rng.randint(1, len(letters))))) if kind.is_choice else ()
    if kind is Kind.SINGLE:
        correct = correct[:1]
    return Question(
        id="q", exam_id="x", section_id="s", kind=kind, prompt="?", options=options, correct=correct,
        truth=rng.choice([True, False]) if kind is Kind.TRUE_FALSE else None,
    )  # fmt: skip


def _check_answer(question: Question, text: str) -> None:
    command(text)
    message = "parsed"
    try:
        parse_answer(question, text)
    except InvalidAnswer as exc:
        message = str(exc)
    assert message


def answers_case(rng: random.Random) -> tuple[bytes, Callable[[], None]]:
    question = _question(rng)
    text = _random_text(rng, rng.choice([5, 40, 400]))
    if rng.random() < 0.3:
        text = rng.choice(["a", "A,B", "ａｂ", "对", "错", "?", "/undo", " b c ", "T", "否"]) + text[:3]
    return f"{question.kind.value}\n{question.letters}\n{text}".encode("utf-8", "surrogatepass"), lambda: _check_answer(
        question, text
    )


CONFIG_LINES = [
    b"lang = 'en'", b"lang = 'zh-Hant'", b"daily_new = 20", b"daily_new = -1", b"daily_new = 99999999999999999999",
    b"think = '30s'", b"speak = '2m'", b"think = 1e400", b"[table]", b"x = [1, 2", b"lang = \"\\u0000\"",
    b"a.b.c = 1", b"lang = 1979-05-27T07:32:00Z", b"'' = 1", b"lang = nan", b"= 1", b"\xff\xfe", b"\x00",
]  # fmt: skip


def _check_config(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "config.toml").write_bytes(data)
        result: Settings | str
        try:
            result = load_settings(Path(tmp))
        except (UsageError, CsDrillError) as exc:
            result = str(exc)
        assert isinstance(result, Settings) or result


def config_case(rng: random.Random) -> tuple[bytes, Callable[[], None]]:
    lines = [rng.choice(CONFIG_LINES) for _ in range(rng.randint(0, 4))]
    if rng.random() < 0.5:
        lines.append(_random_text(rng, 20).encode("utf-8", "surrogatepass"))
    data = b"\n".join(lines)
    if rng.random() < 0.3:
        data = mutate(rng, data)
    if rng.random() < 0.1:
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
    return data, lambda: _check_config(data)


def _check_fold(text: str, width: int, hang: int) -> None:
    out = fold(Text(text), width, hang)
    if width >= 4:
        for line in out.plain.split("\n"):
            assert cell_len(line) <= width, (width, line)


def fold_case(rng: random.Random) -> tuple[bytes, Callable[[], None]]:
    text = _random_text(rng, rng.choice([10, 80, 300]))
    width = rng.randint(0, 120)
    hang = rng.randint(-2, 40)
    return f"{width} {hang}\n{text}".encode("utf-8", "surrogatepass"), lambda: _check_fold(text, width, hang)


ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [p.read_bytes() for p in sorted((ROOT / "tests" / "data" / "import").glob("*.txt"))] + [
    p.read_bytes() for p in sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
]


def _check_import(data: bytes) -> None:
    from cs_drill.bank.importer.read import decode
    from cs_drill.bank.importer.run import import_lines
    from cs_drill.bank.validate import NO_KEY
    from cs_drill.errors import UsageError

    try:
        text, encoding = decode(data)
    except ValueError:
        return
    try:
        result = import_lines(text.split("\n"), "fuzz.txt", encoding)
    except UsageError:
        return
    _found, problems = load_data(result.yaml.encode("utf-8"), "imported.yaml")
    no_key = NO_KEY.split("{")[0]
    bad = [str(p) for p in problems if no_key not in p.message]
    assert not bad, bad[:3]


def import_case(rng: random.Random) -> tuple[bytes, Callable[[], None]]:
    source = rng.choice(DOCUMENTS)
    if rng.random() < 0.3:  # a paper on one line
        source = source.replace(b"\n", b"")
    data = mutate(rng, source)
    return data, lambda: _check_import(data)


TARGETS = [
    Target("loader", loader_case),
    Target("import", import_case),
    Target("schema", schema_case),
    Target("answers", answers_case),
    Target("config", config_case),
    Target("fold", fold_case),
]


def run(minutes: float, seed: int, out: Path) -> int:
    rng = random.Random(seed)
    end = time.monotonic() + minutes * 60
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 3000))
    while time.monotonic() < end:
        for target in TARGETS:
            data, check = target.case(rng)
            target.tried += 1
            started = time.perf_counter()
            problem = ""
            try:
                check()
            except Exception as exc:  # noqa: BLE001 - any exception is the finding
                problem = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:])
            took = time.perf_counter() - started
            if not problem and took > SLOW:
                problem = f"slow: {took:.2f} s"
            if problem:
                target.failures.append((data, problem))
                out.mkdir(parents=True, exist_ok=True)
                n = len(target.failures)
                (out / f"{target.name}-{n}.bin").write_bytes(data)
                (out / f"{target.name}-{n}.txt").write_text(problem, encoding="utf-8")
                print(f"FAIL {target.name} #{n}: {problem.strip().splitlines()[-1][:300]}", flush=True)
    print(f"fuzz: {minutes:g} min, seed {seed}")
    print(f"{'target':<10}{'cases':>10}{'failures':>10}")
    for target in TARGETS:
        print(f"{target.name:<10}{target.tried:>10}{len(target.failures):>10}")
    total = sum(len(t.failures) for t in TARGETS)
    if total:
        print(f"{total} failure(s); reproducers in {out}/")
    return 1 if total else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    return run(args.minutes, seed, args.out)


if __name__ == "__main__":
    sys.exit(main())
