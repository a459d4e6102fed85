"""Fuzzing with a bounded budget (issue 16): the loader, the answer parsers, the config reader, ``fold``.

Each property is small (tens of cases): the suite stays fast. ``benchmarks/fuzz.py`` runs
the same kinds of input for minutes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from cs_drill.bank.files import bundled_bank
from cs_drill.bank.model import Kind, Question
from cs_drill.bank.validate import load_data
from cs_drill.config import Settings, load_settings
from cs_drill.errors import CsDrillError
from cs_drill.render.console import fold
from cs_drill.study.assess.grading import InvalidAnswer, command, grade, parse_answer

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
BANKS = [p.read_bytes() for p in sorted(bundled_bank().glob("*.yaml"))]
#: The smallest bundled file: mutations of it stay quick.
SMALL = min(BANKS, key=len)
SLOW = 1.0

ODD = st.sampled_from(
    [
        "\x00", "\x07", "\x1b[31m", "\u202e", "\u200b", "\ufeff", "\x85", "\u2028", "\r", "\t",
        "多选题", "Ａ", "，", "9" * 400, "1e999", ".nan", "0x1F", "&a", "*a", "*b", "!!python/object:os.system",
        "!!binary", "!custom", "<<: *a", "[[[[", "{{", "- - -", "? ", ": ", "'", '"', "|", ">-",
        "---", "...", "%YAML 1.1", "#", "~", "yes", "2026-01-01",
    ]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=60), ODD, st.lists(ODD, max_size=6).map("".join))


def check_load(data: bytes) -> None:
    """``load_data`` returns an exam or problems at file:line:col, quickly, and raises nothing."""
    started = time.perf_counter()
    found, problems = load_data(data, "fuzz.yaml")
    assert time.perf_counter() - started < SLOW
    assert found is not None or problems
    for p in problems:
        assert p.file == "fuzz.yaml"
        assert p.line >= 1
        assert p.column >= 1
        assert p.message


@st.composite
def mutated_bank(draw: st.DrawFn) -> bytes:
    buf = bytearray(draw(st.sampled_from([SMALL, BANKS[0]])))
    for _ in range(draw(st.integers(1, 3))):
        lines = bytes(buf).split(b"\n")
        op = draw(st.integers(0, 7))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        head = lines[i].split(b": ")[0] if lines else b""
        if op == 0 and buf:  # flip a bit
            j = draw(st.integers(0, len(buf) - 1))
            buf[j] ^= 1 << draw(st.integers(0, 7))
            continue
        if op == 1:  # delete lines
            del lines[i : i + draw(st.integers(1, 4))]
        elif op == 2:  # duplicate lines
            lines[i:i] = lines[i : i + draw(st.integers(1, 6))]
        elif op == 3:  # a value replaced by odd text, random unicode included
            lines[i] = head + b": " + draw(TEXT).encode("utf-8", "surrogatepass")
        elif op == 4:  # a huge number
            lines[i] = head + b": " + draw(st.sampled_from([b"9" * 5000, b"1e400", b"-1e400", b".inf", b"0o777"]))
        elif op == 5:  # deep nesting
            depth = draw(st.sampled_from([50, 1000, 5000]))
            lines[i] = head + b": " + draw(st.sampled_from([b"[" * depth + b"]" * depth, b"{a: " * depth]))
        elif op == 6:  # an anchor, an alias, a tag
            j = draw(st.integers(0, max(len(lines) - 1, 0)))
            lines[i] = lines[i].replace(b": ", b": &a ", 1)
            if lines:
                lines[j] = (
                    lines[j].split(b": ")[0] + b": " + draw(st.sampled_from([b"*a", b"*nope", b"!!str", b"!x 1"]))
                )
        else:  # odd text inserted anywhere
            j = draw(st.integers(0, len(buf)))
            buf[j:j] = draw(TEXT).encode("utf-8", "surrogatepass")
            continue
        buf = bytearray(b"\n".join(lines))
    return bytes(buf)


@FUZZ
@given(mutated_bank())
def test_the_loader_on_mutated_banks_gives_a_result_or_located_problems(data: bytes) -> None:
    check_load(data)


@FUZZ
@given(st.binary(max_size=300) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_the_loader_on_arbitrary_bytes_gives_a_result_or_located_problems(data: bytes) -> None:
    check_load(data)


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [*a]\n",  # a recursive alias
        "a: &a x\nb: *a\n" * 3,
        "id: " + "[" * 10000 + "]" * 10000 + "\n",
        "id: " + "{a: " * 3000 + "\n",
        "id: !!python/object/apply:os.system [ls]\n",
        "id: " + "9" * 100000 + "\n",
        "x: &a [1, 2]\ny: &b [*a, *a, *a, *a]\nz: &c [*b, *b, *b, *b]\nw: [*c, *c, *c, *c, *c, *c]\n",
        "\ufeff\ufeffid: x\n",
        "id: x\x00\n",
    ],
)
def test_the_loader_on_hostile_yaml_gives_located_problems(text: str) -> None:
    check_load(text.encode("utf-8"))


def test_a_number_too_large_for_a_float_is_a_located_problem() -> None:
    """Found by the 10-minute fuzz run: 309 to 4300 digits raised OverflowError in validate._number."""
    text = "id: x\ntitle: t\ntime_limit: " + "9" * 400 + "\n"
    text += "sections: [{id: s, title: t, kind: open, questions: [{id: q, prompt: p}]}]\n"
    check_load(text.encode())


def _question(kind: Kind, n: int, correct: tuple[str, ...]) -> Question:
    letters = "ABCDEFG"[:n]
    return Question(
        id="q",
        exam_id="x",
        section_id="s",
        kind=kind,
        prompt="?",
        options=tuple((letter, "选项") for letter in letters) if kind.is_choice else (),
        correct=tuple(sorted({c for c in correct if c in letters} or {"A"})) if kind.is_choice else (),
        truth=True if kind is Kind.TRUE_FALSE else None,
        blanks=(("甲",), ("乙", "Ｂ")) if kind is Kind.FILL_IN else (),
    )


ANSWER_TEXT = st.one_of(
    TEXT,
    st.lists(
        st.sampled_from(
            ["a", "B", "Ａ", "，", ",", " ", "、", "对", "错", "T", "F", "?", "/undo", "z", "AB", ";", "｜", "；"]
        )
    ).map("".join),
)


@FUZZ
@given(st.sampled_from(list(Kind)), st.integers(1, 7), st.lists(st.sampled_from("ABCDEFG"), max_size=3), ANSWER_TEXT)
def test_the_answer_parsers_return_or_refuse(kind: Kind, n: int, correct: list[str], text: str) -> None:
    question = _question(kind, n, tuple(correct))
    found = command(text)
    assert found is None or isinstance(found, str)
    message = "parsed"
    try:
        parsed = parse_answer(question, text)
    except InvalidAnswer as exc:
        message = str(exc)
    else:
        if kind is not Kind.OPEN:
            assert grade(question, parsed).correct in (True, False)
    assert message


CONFIG_LINE = st.one_of(
    st.sampled_from(
        [
            b"lang = 'en'",
            b"lang = 'zh-Hant'",
            b"daily_new = 20",
            b"daily_new = -1",
            b"daily_new = 99999999999999999999",
            b"think = '30s'",
            b"speak = '2m'",
            b"think = 1e400",
            b"[table]",
            b"x = [1, 2",
            b'lang = "\\u0000"',
            b"a.b.c = 1",
            b"lang = 1979-05-27T07:32:00Z",
            b"'' = 1",
            b"lang = nan",
            b"= 1",
            b"\xff\xfe",
            b"\x00",
            b"think = " + b"[" * 2000,
        ]
    ),
    TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@FUZZ
@given(st.one_of(st.binary(max_size=200), st.lists(CONFIG_LINE, max_size=5).map(b"\n".join)))
def test_the_config_reader_gives_settings_or_a_csdrill_error(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "config.toml").write_bytes(data)
    found: Settings | str
    try:
        found = load_settings(tmp_path)
    except CsDrillError as exc:  # UsageError is one
        found = str(exc)
    assert found


@FUZZ
@given(TEXT | st.text(alphabet=st.characters(codec="utf-8"), max_size=300), st.integers(0, 120), st.integers(-2, 60))
def test_fold_never_raises_and_keeps_lines_within_the_width(text: str, width: int, hang: int) -> None:
    out = fold(Text(text), width, hang)
    if width >= 4:
        assert max(cell_len(line) for line in out.plain.split("\n")) <= width
