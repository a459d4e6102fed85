"""The interface language: how it is chosen, the catalogs that ship, and the commands in each language."""

from __future__ import annotations

import importlib
import re
import string
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import app_in
from cs_drill import i18n
from cs_drill.cli.app import choose_language

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

catalogs: Any = importlib.import_module("catalogs")  # tools/catalogs.py, the Babel maintenance script

# --------------------------------------------------------------------------- choosing


@pytest.mark.parametrize(
    ("env", "configured", "expected"),
    [
        ({}, None, "en"),
        ({"LANG": "zh_CN.UTF-8"}, None, "zh-Hans"),
        ({"LANG": "zh_SG.UTF-8"}, None, "zh-Hans"),
        ({"LANG": "zh_TW.UTF-8"}, None, "zh-Hant"),
        ({"LANG": "zh_HK.UTF-8"}, None, "zh-Hant"),
        ({"LANG": "zh_MO.UTF-8"}, None, "zh-Hant"),
        ({"LANG": "zh_CN.GBK"}, None, "zh-Hans"),
        ({"LANG": "de_DE.UTF-8"}, None, "en"),
        ({"LANG": "C.UTF-8"}, None, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "zh_CN.UTF-8"}, None, "zh-Hant"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, None, "zh-Hans"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-Hant", "zh-Hant"),
        ({"LANG": "zh_CN.UTF-8"}, "en", "en"),
        ({"LANG": "zh_CN.UTF-8", "CSDRILL_LANG": "en"}, "zh-Hant", "en"),
        ({"CSDRILL_LANG": "zh-hant"}, None, "zh-Hant"),
        ({"CSDRILL_LANG": "zh_Hans"}, None, "zh-Hans"),
    ],
)
def test_the_language_is_csdrill_lang_then_the_config_then_the_locale(
    env: dict[str, str], configured: str | None, expected: str
) -> None:
    assert i18n.choose(env, configured) == expected


def test_an_unknown_csdrill_lang_is_refused() -> None:
    with pytest.raises(ValueError, match="fr"):
        i18n.choose({"CSDRILL_LANG": "fr"})


def test_lang_in_config_toml_is_read_before_the_command_line_is_built(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('lang = "zh-Hant"\n', encoding="utf-8")
    assert choose_language({"CSDRILL_HOME": str(home), "LANG": "en_US.UTF-8"}) == "zh-Hant"
    assert i18n.current() == "zh-Hant"


def test_a_bad_csdrill_lang_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        choose_language({"CSDRILL_HOME": str(tmp_path), "CSDRILL_LANG": "klingon"})
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err == "csdrill: CSDRILL_LANG: 'klingon' is not one of en, zh-Hans, zh-Hant\n"


# --------------------------------------------------------------------------- the catalogs


def _fields(message: str) -> set[str]:
    """The placeholders of a message: {name} fields and %-conversions."""
    names = {f[1] for f in string.Formatter().parse(message) if f[1] is not None}
    return names | set(re.findall(r"%\(\w+\)[sd]|%[sd]", message))


@pytest.mark.parametrize("folder", ["zh_Hans", "zh_Hant"])
def test_every_message_of_csdrill_is_translated(folder: str) -> None:
    assert catalogs.missing(folder) == []


@pytest.mark.parametrize("folder", ["zh_Hans", "zh_Hant"])
def test_every_message_of_the_source_is_in_the_catalogs(folder: str) -> None:
    ids = {m.id for m in catalogs.read(folder) if m.id}
    assert catalogs.ours() - ids == set(), "run: python tools/catalogs.py all"


@pytest.mark.parametrize("folder", ["en", "zh_Hans", "zh_Hant"])
def test_the_shipped_compiled_catalogs_are_the_po_files_compiled(folder: str) -> None:
    assert catalogs.mo_path(folder).read_bytes() == catalogs.compiled(folder), "run: python tools/catalogs.py compile"


@pytest.mark.parametrize("folder", ["zh_Hans", "zh_Hant"])
def test_translations_keep_the_placeholders(folder: str) -> None:
    for message in catalogs.read(folder):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translated in strings:
            assert _fields(translated) <= _fields(ids[-1]) | _fields(ids[0]), (message.id, translated)
            assert _fields(translated) >= _fields(ids[0]) - {"n"}, (message.id, translated)


def test_the_traditional_catalog_is_in_traditional_characters() -> None:
    from cs_drill.study.assess.chinese import convert_script

    for message in catalogs.read("zh_Hant"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translated in strings:
            if translated:
                assert convert_script(translated, "hant") == translated, translated


# --------------------------------------------------------------------------- the commands in each language

RUNNER = CliRunner()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Usage:", "Options", "Run a quiz", "Show this message and exit."]),
        ("zh-Hans", ["用法：", "选项", "测验", "显示此帮助并退出。"]),
        ("zh-Hant", ["用法：", "選項", "測驗", "顯示此說明並退出。"]),
    ],
)
def test_help_is_in_the_interface_language(lang: str, words: list[str]) -> None:
    done = RUNNER.invoke(app_in(lang), ["quiz", "--help"])
    assert done.exit_code == 0, done.output
    for word in words:
        assert word in done.output


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Error: No such option: --bogus"),
        ("zh-Hans", "错误：没有这个选项：--bogus"),
        ("zh-Hant", "錯誤：沒有這個選項：--bogus"),
    ],
)
def test_usage_errors_are_in_the_interface_language(lang: str, line: str) -> None:
    done = RUNNER.invoke(app_in(lang), ["quiz", "--bogus"])
    assert done.exit_code == 2
    assert line in done.output


# --------------------------------------------------------------------------- no English left in Chinese

#: English words a Chinese screen may show: names of formats and tools, placeholders of the usage line.
ALLOWED = {
    "csdrill",
    "FSRS",
    "CSV",
    "HTML",
    "Anki",
    "apkg",
    "docx",
    "markdown",
    "html",
    "csv",
    "YAML",
    "JSON",
    "Schema",
    "UTF",
    "ID",
    "PATH",
    "DURATION",
    "EXAM",
    "QUESTION",
    "PERCENT",
    "OPTIONS",
    "COMMAND",
    "ARGS",
    "N",
    "source",
    "hans",
    "hant",
    "scheduled",
    "random",
    "wrong",
    "due",
    "weak",
    "bash",
    "zsh",
    "fish",
    "powershell",
    "pwsh",
    "yaml",
    "language",
    "server",
    "toml",
    "config",
    "EDITOR",
    "Ctrl",
    "Alt",
    "Enter",
    "Easy",
    "Hard",
    "Good",
    "Again",
    "single",
    "multi",
    "choice",
    "true",
    "false",
    "open",
    "min",
    "max",
    "Tab",
    "x",
    "Path",  # Typer's name of a path argument's type
    "starred",  # an option value (--only starred)
    "authored",  # the bank's answer_source value, quoted in bank text
}


def _bank_strings() -> list[str]:
    from cs_drill.bank.catalog import load_catalog
    from cs_drill.bank.files import bundled_bank

    catalog = load_catalog([bundled_bank()])
    out: list[str] = []
    for exam in catalog.exams():
        out += [exam.id, exam.title, exam.description or "", exam.source or ""]
        for section in exam.sections:
            out += [section.id, section.title, section.instructions or ""]
    for q in catalog.select():
        out += [q.uid, q.id, q.prompt, q.model_answer or "", q.explanation or "", q.note or ""]
        out += [text for _, text in q.options]
        out += [p.point for p in q.key_points] + [p.detail or "" for p in q.key_points]
        out += list(q.tags)
    return sorted({s for s in out if s}, key=len, reverse=True)


def _english_words(output: str, bank: list[str]) -> set[str]:
    output = output.replace("\\_", "_")  # markdown escapes
    output = re.sub(r"(?m)^\S+:\d+:\d+: \S+: ", " ", output)  # a problem's file:line:col: path: stays as it is
    output = re.sub(r"“[^”]*”|「[^」]*」", " ", output)  # values quoted in messages (bank text, what was typed)
    for text in bank:
        output = output.replace(text, " ")
        for line in text.splitlines():
            if len(line.strip()) > 3:
                output = output.replace(line.strip(), " ")
    output = re.sub(r"(?<![\w-])--?[\w-]+|CSDRILL_\w+|\S+\.(?:yaml|yml|toml|txt|apkg|md|csv|html)\b", " ", output)
    output = re.sub(r"`[^`]*`|'[^']*'", " ", output)  # commands and values quoted in messages
    words = set(re.findall(r"(?<![-/\w])[A-Za-z]{2,}(?![-/\w])", output))  # not a piece of an id
    commands = {
        "validate",
        "list",
        "quiz",
        "review",
        "stats",
        "export",
        "schema",
        "browse",
        "exam",
        "plan",
        "shell",
        "import",
        "history",
        "merge",
    }
    # runs of capitals are option letters (ABCD) or placeholders of a usage line
    return {w for w in words if w not in ALLOWED and w not in commands and not re.fullmatch(r"[A-Z]+", w)}


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_chinese_screens_have_no_english_words(lang: str, tmp_path: Path) -> None:
    bank = _bank_strings()
    app = app_in(lang)
    env = {"CSDRILL_NOW": "2026-03-01T09:00:00Z"}
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: 坏\nsections:\n  - id: s\n    title: 单选\n    kind: single-choic\n", "utf-8")
    runs = [
        (["--help"], ""),
        *[([name, "--help"], "") for name in ("quiz", "review", "stats", "export", "list", "validate", "schema")],
        (["list"], ""),
        (["validate"], ""),
        (["validate", str(broken)], ""),
        (["quiz", "--exam", "alibaba-cs-training-assessment", "--order", "source", "-n", "4"], "A\nZ\nB\n对\nAC\n"),
        (["quiz", "--section", "scenario", "-n", "2"], "先安抚情绪，再查询订单\n\n我不知道\n1\n"),
        (["review", "--new", "2"], "A\n\n"),
        (["stats"], ""),
        (["browse", "--section", "true-false"], ""),
        (["exam", "--exam", "alibaba-cs-training-assessment", "--section", "true-false"], "对\n\n错\n"),
        (["plan", "--date", "2026-03-20"], ""),
        (["plan"], ""),
        (["quiz", "--order", "source", "-n", "2"], "?\n/star\n/undo\nA\n"),
        (["export", "--exam", "alibaba-cs-training-assessment"], ""),
        (["quiz", "--bogus"], ""),
        (["quiz", "--exam", "nope"], ""),
    ]
    found: dict[str, set[str]] = {}
    for args, typed in runs:
        done = RUNNER.invoke(app, args, input=typed, env=env)
        words = _english_words(done.output, bank)
        if words:
            found[" ".join(args)] = words
    assert found == {}, "\n".join(f"{k}: {sorted(v)}" for k, v in found.items())


@pytest.mark.parametrize(
    ("lang", "args", "line"),
    [
        ("en", ["quiz", "--count", "x"], "Error: Invalid value for '--count' / '-n': Type a whole number."),
        ("zh-Hans", ["quiz", "--count", "0"], "错误：'--count' / '-n' 的值无效：请输入不小于 1 的数。"),
        ("zh-Hant", ["quzi"], "錯誤：沒有這個命令「quzi」。是不是想輸入「quiz」？"),
        ("zh-Hans", ["quiz", "--exam"], "错误：选项 '--exam' 需要一个值。"),
    ],
)
def test_usage_errors_read_as_sentences(lang: str, args: list[str], line: str) -> None:
    done = RUNNER.invoke(app_in(lang), args)
    assert done.exit_code == 2
    assert line in done.output.splitlines()


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_chinese_help_fits_80_columns_and_never_breaks_a_line_before_punctuation(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.cells import cell_len

    from cs_drill.render.console import NO_LINE_START

    monkeypatch.setenv("COLUMNS", "80")
    app = app_in(lang)
    for name in ("", "quiz", "review", "stats", "export", "list", "validate", "schema", "browse", "exam", "plan"):
        done = RUNNER.invoke(app, [name, "--help"] if name else ["--help"], terminal_width=80)
        assert done.exit_code == 0
        for line in done.output.splitlines():
            assert cell_len(line) <= 80, (name, line)
            assert line.strip()[:1] not in NO_LINE_START, (name, line)
