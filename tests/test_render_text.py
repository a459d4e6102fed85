"""Text on screen: Chinese line breaking, streams that cannot encode a character, the rehearsal's small parsers."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from cs_drill.render.console import NO_LINE_START, _degrade, fold, mark
from cs_drill.render.drill import parse_rating, parse_ticks
from cs_drill.render.editor import Countdown, clock_text
from cs_drill.study.card import Rating

# --------------------------------------------------------------------------- folding

CHINESE = st.sampled_from(list("客户情绪激动要求退货如何处理安抚查询订单物流补偿回访"))
PUNCT = st.sampled_from(list("。，、；：？！」）“”（「"))
LATIN = st.sampled_from(["A", "B", "10", "FSRS", "ok", " ", " ", "AB12"])
TEXTS = st.lists(st.one_of(CHINESE, CHINESE, PUNCT, LATIN), max_size=120).map("".join)


@given(TEXTS, st.integers(min_value=8, max_value=90))
def test_folded_lines_fit_keep_every_character_and_never_start_with_closing_punctuation(raw: str, width: int) -> None:
    folded = fold(Text(raw), width).plain
    lines = folded.split("\n")
    for line in lines:
        assert cell_len(line) <= width, (width, line)
    for before, line in zip(lines, lines[1:], strict=False):
        # only a run of closing marks wider than the line can push one to the start of the next
        assert not line or line[0] not in NO_LINE_START or cell_len(before + line[0]) > width, (before, line)
    assert folded.replace("\n", "").replace(" ", "") == raw.replace(" ", "")


def test_a_chinese_paragraph_breaks_between_characters_not_before_its_full_stop() -> None:
    raw = "客户在阿里国际站下单后，超过了退货期限，要求换货。请问你会如何处理？请说明步骤，并说明理由。"
    lines = fold(Text(raw), 30).plain.split("\n")
    assert lines == [
        "客户在阿里国际站下单后，超过了",
        "退货期限，要求换货。请问你会如",
        "何处理？请说明步骤，并说明理",
        "由。",
    ]


def test_latin_words_are_not_cut_when_they_fit() -> None:
    lines = fold(Text("Your answer seems to cover 2 of 3 key points"), 20).plain.split("\n")
    assert lines == ["Your answer seems to", "cover 2 of 3 key", "points"]


def test_folding_keeps_styles() -> None:
    text = Text("要点：")
    text.append("情绪管理" * 10, style="bold")
    folded = fold(text, 20)
    assert any(span.style == "bold" for span in folded.spans)


# --------------------------------------------------------------------------- streams that cannot encode


def test_a_gbk_stream_gets_look_alikes_and_never_fails() -> None:
    import codecs

    codecs.register_error("csdrill", _degrade)
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk", errors="csdrill")
    stream.write("✓ 正确 ✗ 错误 · 😀\n")
    stream.flush()
    assert raw.getvalue().decode("gbk") == "√ 正确 × 错误 · ?\n"


def test_an_ascii_stream_gets_ascii_marks() -> None:
    import codecs

    codecs.register_error("csdrill", _degrade)
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="csdrill")
    stream.write("✓ ✗ … 对\n")
    stream.flush()
    assert raw.getvalue().decode("ascii") == "v x ... ?\n"


def test_marks_follow_what_the_console_can_encode() -> None:
    utf8 = Console(file=io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    gbk = Console(file=io.TextIOWrapper(io.BytesIO(), encoding="gbk"))
    assert mark("✓", utf8) == "✓"
    assert mark("✓", gbk) == "√"


# --------------------------------------------------------------------------- checklist and rating input


def test_ticks_are_numbers_in_any_form_and_empty_takes_the_pre_ticked_ones() -> None:
    assert parse_ticks("", 4, [1, 3]) == [1, 3]
    assert parse_ticks("2 4", 4, [1]) == [2, 4]
    assert parse_ticks("2,4", 4, []) == [2, 4]
    assert parse_ticks("２、４", 4, []) == [2, 4]
    assert parse_ticks("24", 4, []) == [2, 4]
    assert parse_ticks("0", 4, [1, 2]) == []
    assert parse_ticks("a", 3, []) == [1, 2, 3]
    assert parse_ticks("全", 3, []) == [1, 2, 3]
    assert parse_ticks("5", 4, []) is None
    assert parse_ticks("x", 4, []) is None


def test_ratings_take_full_width_digits() -> None:
    assert parse_rating("３") is Rating.GOOD
    assert parse_rating(" 1 ") is Rating.AGAIN
    assert parse_rating("5") is None
    assert parse_rating("good") is None


# --------------------------------------------------------------------------- timers


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_a_countdown_runs_on_the_clock_it_is_given() -> None:
    clock = FakeClock()
    countdown = Countdown(90, clock)
    assert countdown.label() == "1:30 left"
    clock.t += 29.5
    assert countdown.label() == "1:01 left"
    clock.t += 60.4
    assert not countdown.over()
    assert countdown.label() == "0:01 left"
    clock.t += 0.2
    assert countdown.over()
    assert countdown.label() == "time is up"


def test_clock_text_rounds_up() -> None:
    assert clock_text(0) == "0:00"
    assert clock_text(0.2) == "0:01"
    assert clock_text(125) == "2:05"
