"""csdrill import (issue 15): documents → bank files, measured on the seeds and on documents with expected results."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cs_drill.bank.importer.emit import scalar
from cs_drill.bank.importer.run import import_lines
from cs_drill.bank.validate import NO_KEY, load_data
from cs_drill.errors import UsageError
from cs_drill.i18n import _

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "data" / "import"
SEEDS = ROOT.parent / "shared" / "seeds"
runner = CliRunner()


@pytest.fixture
def cli_app() -> object:
    from conftest import app_in

    return app_in("en")


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_accuracy", ROOT / "benchmarks" / "import_accuracy.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_accuracy"] = module
    spec.loader.exec_module(module)
    return module


def _problems_other_than_no_key(text: str) -> list[str]:
    exam, problems = load_data(text.encode("utf-8"), "imported.yaml")
    no_key = _(NO_KEY).split("{")[0]
    return [str(p) for p in problems if no_key not in p.message]


# --------------------------------------------------------------------------- accuracy


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are beside the repository")
def test_the_five_seeds_reproduce_the_bundled_bank() -> None:
    scorer = _scorer()
    score = scorer.Score("seeds")
    scorer.score_seeds(score)
    assert score.expected == 92
    assert score.right / score.expected >= 0.95, "\n".join(score.diffs)
    assert score.invented == 0, "\n".join(score.diffs)


def test_the_test_documents_are_imported_as_expected() -> None:
    scorer = _scorer()
    score = scorer.Score("docs")
    scorer.score_docs(DOCS, score)
    assert score.expected >= 100
    assert score.right / score.expected >= 0.9, "\n".join(score.diffs)
    assert (score.invented, score.cut_imported, score.unsupported_missed) == (0, 0, 0), "\n".join(score.diffs)


def _documents() -> list[Path]:
    docs = sorted(p for p in DOCS.iterdir() if p.suffix in (".txt", ".docx") or p.name.endswith("tiku.md"))
    if SEEDS.is_dir():
        docs += sorted(SEEDS.glob("*.txt"))
    return docs


@pytest.mark.parametrize("document", _documents(), ids=lambda p: p.name)
def test_what_is_written_validates_except_the_missing_keys(document: Path, tmp_path: Path) -> None:
    from cs_drill.bank.importer.run import import_document

    result = import_document(document)
    assert _problems_other_than_no_key(result.yaml) == []
    exam, problems = load_data(result.yaml.encode(), "x.yaml")
    assert len(problems) == result.counts.no_key


def test_encodings_are_detected_and_named() -> None:
    from cs_drill.bank.importer.run import import_document

    gbk = import_document(DOCS / "shouhou-jineng-kaoshi-gbk.txt")
    assert gbk.encoding == "gb18030"
    assert "(gb18030)" in gbk.yaml.splitlines()[0]
    bom = import_document(DOCS / "kefu-jidu-jineng-ceshi-bom.txt")
    assert bom.encoding == "utf-8-sig"
    assert import_document(DOCS / "kefu-gangqian-peixun-kaohe.docx").encoding == "docx"


# --------------------------------------------------------------------------- layouts, one by one


def _one(text: str) -> dict[str, object]:
    result = import_lines(text.split("\n"), "paper.txt", "utf-8")
    data = yaml.safe_load(result.yaml)
    assert isinstance(data, dict)
    return data


def test_a_key_in_the_prompt_leaves_its_brackets_empty_and_options_glued_together_are_split() -> None:
    data = _one("一、单选题(共1题,每题2分)\n1、退款由谁审核？( C )\nA.仓库收货B.客服审核C.财务退款\n")
    q = data["sections"][0]["questions"][0]  # type: ignore[index]
    assert q["prompt"] == "退款由谁审核？（ ）"
    assert q["options"] == {"A": "仓库收货", "B": "客服审核", "C": "财务退款"}
    assert q["answer"] == "C"
    assert data["sections"][0]["points"] == 2  # type: ignore[index]


def test_true_false_marks_after_the_item_even_when_they_wrap_to_the_next_line() -> None:
    data = _one("三、判断题\n1.客服可以泄露客户电话。\n(×)2.退款须核实订单。\n(√)\n")
    qs = data["sections"][0]["questions"]  # type: ignore[index]
    assert [(q["prompt"], q["answer"]) for q in qs] == [("客服可以泄露客户电话。", False), ("退款须核实订单。", True)]


def test_keys_in_a_later_block_by_ranges() -> None:
    text = (
        "一、单选题\n1.甲？\nA.一\nB.二\n2.乙？\nA.一\nB.二\n二、多选题\n1.丙？\nA.一\nB.二\nC.三\n"
        "参考答案\n一、单选题\n1-2 BA\n二、多选题\n1.AC\n"
    )
    secs = _one(text)["sections"]
    assert [q["answer"] for q in secs[0]["questions"]] == ["B", "A"]  # type: ignore[index]
    assert secs[1]["questions"][0]["answer"] == ["A", "C"]  # type: ignore[index]


def test_an_open_answer_keeps_its_numbered_steps_and_a_point_list_becomes_key_points() -> None:
    text = (
        "一、情景模拟题(共2题,每题10分)\n1.题目:\n客户要求退款，你怎么办？\n答案:\n1.安抚情绪。\n2.核实订单。\n"
        "解析:\n-情绪管理:先共情。\n-闭环:跟进到底。\n2.题目:\n客户骂人怎么办？\n答案:\n保持冷静。\n解析:\n答案需体现“情绪控制”“专业”。\n"
    )
    qs = _one(text)["sections"][0]["questions"]  # type: ignore[index]
    assert len(qs) == 2
    assert qs[0]["answer"] == "1.安抚情绪。\n2.核实订单。"
    assert qs[0]["key_points"] == [
        {"point": "情绪管理", "detail": "先共情。"},
        {"point": "闭环", "detail": "跟进到底。"},
    ]
    assert [p["point"] for p in qs[1]["key_points"]] == ["情绪控制", "专业"]


def test_fill_in_keys_inside_the_blanks_or_after_them() -> None:
    text = "四、填空题\n1.七天无理由退货的时限是（7）天。\n2.买家____后才能确认收货。\n答案：签收（或妥投）\n"
    qs = _one(text)["sections"][0]["questions"]  # type: ignore[index]
    assert qs[0]["prompt"] == "七天无理由退货的时限是（ ）天。"
    assert qs[0]["answer"] == ["7"]
    assert qs[1]["answer"] == [["签收", "妥投"]]


def test_what_the_document_leaves_open_is_reported_and_marked_never_guessed() -> None:
    text = (
        "一、单选题(共3题)\n1.甲？\nA.一\nB.二\n2.乙？\nA.一\nB.二\n答案：B\n"
        "二、计算题\n1.算一算退货率。\n三、简答题\n1.如何处理投诉？\n答：先安抚，再核"
    )
    result = import_lines(text.split("\n"), "paper.txt", "utf-8")
    messages = [m for _line, m in result.problems]
    assert any("计算题" in m for m in messages)  # a kind csdrill cannot drill: reported
    assert any("3" in m and "2" in m for m in messages)  # the heading's count
    data = yaml.safe_load(result.yaml)
    single = data["sections"][0]["questions"]
    assert "answer" not in single[0]
    assert single[1]["answer"] == "B"
    assert "# " + _("no key in the document: fill in `answer` and mark `answer_source: authored`") in result.yaml
    open_q = data["sections"][1]["questions"][0]
    assert open_q["note"]
    assert open_q["answer"] == "先安抚，再核"


def test_a_question_cut_off_in_its_prompt_is_left_out() -> None:
    text = "一、简答题\n1.如何处理投诉？\n答：先安抚。\n2.客户投诉某跨"
    result = import_lines(text.split("\n"), "paper.txt", "utf-8")
    assert result.counts.questions == 1
    assert result.counts.left_out == 1
    assert any(line == 4 for line, _m in result.problems)


def test_site_noise_and_pinyin_glosses_are_dropped() -> None:
    text = (
        "下载本文档\n第PAGE页共NUMPAGES页\n一、簡答題\n1.電商客服的職責(zé)是什麼？\n答：解答諮詢。\n"
        "文檔評論(0)\n1.不是题目"
    )
    data = _one(text)
    assert data["language"] == "zh-Hant"
    q = data["sections"][0]["questions"]  # type: ignore[index]
    assert len(q) == 1
    assert q[0]["prompt"] == "電商客服的職責是什麼？"


# --------------------------------------------------------------------------- the command


def test_import_writes_yaml_to_stdout_and_problems_as_file_line(cli_app: object) -> None:
    doc = DOCS / "kefu-zhuguan-bishi-shiti.txt"
    result = runner.invoke(cli_app, ["import", str(doc)])  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    assert data["source"] == doc.name
    assert f"{doc}:185: question 3 is cut off in its prompt: left out" in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1] == f"{doc} (utf-8): 19 questions in 5 sections; 1 left out"


def test_import_in_chinese(tmp_path: Path) -> None:
    from conftest import app_in

    doc = DOCS / "kefu-zhuguan-bishi-shiti.txt"
    result = runner.invoke(app_in("zh-Hans"), ["import", str(doc), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 0, result.output
    assert f"{doc}:185: 第 3 题的题干在原文中被截断：未收录" in result.stderr
    assert "# " in (tmp_path / "x.yaml").read_text(encoding="utf-8")


def test_output_to_a_file_a_folder_and_the_rules_for_existing_files(cli_app: object, tmp_path: Path) -> None:
    a, b = DOCS / "shouhou-jineng-kaoshi-gbk.txt", DOCS / "kefu-jidu-jineng-ceshi-bom.txt"
    out = tmp_path / "bank.yaml"
    assert runner.invoke(cli_app, ["import", str(a), "-o", str(out)]).exit_code == 0  # type: ignore[arg-type]
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["id"] == "shouhou-jineng-kaoshi-gbk"
    again = runner.invoke(cli_app, ["import", str(a), "-o", str(out)])  # type: ignore[arg-type]
    assert again.exit_code == 2
    assert "--force" in again.stderr
    assert runner.invoke(cli_app, ["import", str(a), "-o", str(out), "--force"]).exit_code == 0  # type: ignore[arg-type]
    notes = tmp_path / "notes.yaml"
    notes.write_text("just: some notes\n", encoding="utf-8")
    refused = runner.invoke(cli_app, ["import", str(a), "-o", str(notes)])  # type: ignore[arg-type]
    assert refused.exit_code == 2
    assert "not a bank" in refused.stderr
    assert notes.read_text(encoding="utf-8") == "just: some notes\n"
    folder = tmp_path / "banks"
    folder.mkdir()
    both = runner.invoke(cli_app, ["import", str(a), str(b), "-o", str(folder)])  # type: ignore[arg-type]
    assert both.exit_code == 0, both.output
    assert sorted(p.name for p in folder.iterdir()) == [f"{b.stem}.yaml", f"{a.stem}.yaml"]
    no_folder = runner.invoke(cli_app, ["import", str(a), "-o", str(tmp_path / "missing" / "x.yaml")])  # type: ignore[arg-type]
    assert no_folder.exit_code == 2
    assert "does not exist" in no_folder.stderr
    several = runner.invoke(cli_app, ["import", str(a), str(b)])  # type: ignore[arg-type]
    assert several.exit_code == 2
    assert "--output" in several.stderr


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "not a text file"),
        ("fake.docx", b"PK\x03\x04 not really", "not a Word"),
        ("paper.pdf", b"%PDF-1.4", "unknown kind of file"),
        ("notes.txt", "今天天气很好。\n我们去散步。\n".encode(), "no question"),
        ("latin1.txt", "caf\xe9 \xff\xfe\xfd".encode("latin-1") * 3, "neither UTF-8 nor GB18030"),
    ],
)
def test_bad_documents_exit_2_with_one_line_and_nothing_written(
    cli_app: object, tmp_path: Path, name: str, content: bytes, why: str
) -> None:
    doc = tmp_path / name
    doc.write_bytes(content)
    out = tmp_path / "out.yaml"
    result = runner.invoke(cli_app, ["import", str(doc), "-o", str(out)])  # type: ignore[arg-type]
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(doc) in lines[0]
    assert why in lines[0], result.stderr
    assert not out.exists()


def test_a_bad_document_among_several_writes_nothing(cli_app: object, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    folder = tmp_path / "banks"
    folder.mkdir()
    result = runner.invoke(cli_app, ["import", str(DOCS / "kefu-zhuguan-bishi-shiti.txt"), str(bad), "-o", str(folder)])  # type: ignore[arg-type]
    assert result.exit_code == 2
    assert list(folder.iterdir()) == []


def test_an_imported_fill_in_paper_can_be_drilled(cli_app: object, tmp_path: Path) -> None:
    out = tmp_path / "paper.yaml"
    doc = tmp_path / "paper.txt"
    doc.write_text("一、填空题(共1题,每题2分)\n1.七天无理由退货的时限是（7）天。\n", encoding="utf-8")
    assert runner.invoke(cli_app, ["import", str(doc), "-o", str(out)]).exit_code == 0  # type: ignore[arg-type]
    quiz = runner.invoke(cli_app, ["quiz", "--bank", str(out)], input="７\n")  # type: ignore[arg-type]
    assert quiz.exit_code == 0, quiz.output
    assert "Score: 1/1 (100%)" in quiz.stdout


# --------------------------------------------------------------------------- properties

#: A longer run: CSDRILL_FUZZ_EXAMPLES=2000 pytest tests/test_import.py -k never_crash
PROPS = settings(
    max_examples=int(os.environ.get("CSDRILL_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPS
@given(st.text(max_size=80))
def test_every_scalar_reads_back_as_itself(text: str) -> None:
    value = "".join(c for c in text if c not in "\r\x85\u2028\u2029" and not 0xD800 <= ord(c) <= 0xDFFF)
    if not value:
        return
    loaded = yaml.safe_load(f"key: {scalar(value, 2)}\n")
    assert loaded == {"key": value}


PIECES = st.sampled_from(
    [
        "一、单选题(共3题,每题2分)",
        "二、多选题",
        "三、判断题",
        "四、填空题",
        "五、简答题",
        "六、计算题",
        "答案与解析",
        "参考答案",
        "1.",
        "2、",
        "(3)",
        "第4题",
        "①",
        "A.",
        "B、",
        "C)",
        "Ｄ．",
        "答案：C",
        "答案:A、B",
        "【答案】B",
        "(√)",
        "(×)",
        "√",
        "对",
        "解析：",
        "-要点:说明",
        "（ ）",
        "( D )",
        "____",
        "1-5 ABCDA",
        "1.A 2.C",
        "客户要求退货怎么办？",
        "安抚情绪。",
        "第PAGE页共NUMPAGES页",
        "職責(zé)",
        "\t",
        " ",
        "\x1b[2J",
        "\u202e",
        "：",
        "\n",
        "1.题目:",
        "说明：",
        "…",
        "'",
        '"',
        "#",
        "- ",
        ": ",
        "!!",
        "&a",
        "*a",
        "{",
        "[",
        "%",
        "@",
        "`",
        "|",
        ">",
        "~",
    ]
)


@PROPS
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=60), st.booleans())
def test_random_documents_never_crash_and_what_is_written_parses(pieces: list[str], one_line: bool) -> None:
    text = "".join(pieces) if one_line else "\n".join(pieces)
    try:
        result = import_lines(text.split("\n"), "fuzz.txt", "utf-8")
    except UsageError:
        return
    assert _problems_other_than_no_key(result.yaml) == []


@PROPS
@given(st.data())
def test_mutated_documents_never_crash_and_what_is_written_parses(data: st.DataObject) -> None:
    from cs_drill.bank.importer.read import decode

    source = data.draw(st.sampled_from(sorted(p for p in DOCS.glob("*.txt"))))
    text, _enc = decode(source.read_bytes())
    lines = text.split("\n")
    for _step in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "cut", "join", "insert"]))
        if action == "drop" and len(lines) > 1:
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, max(0, len(lines[i]))))]
        elif action == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
        else:
            lines.insert(i, data.draw(st.one_of(PIECES, st.text(max_size=10))))
    try:
        result = import_lines(lines, source.name, "utf-8")
    except UsageError:
        return
    assert _problems_other_than_no_key(result.yaml) == []


def test_a_paper_without_headings_is_split_by_what_its_questions_hold() -> None:
    text = (
        "客服知识测试\n1. 客户要求退货，客服首先应该？\nA. 核实订单  B. 拒绝  C. 转主管\n答案：A\n"
        "2. 以下属于客服禁语的有（ ）\nA.你自己看 B.亲 C.不知道\n答案：AC\n3. 客服可以泄露客户电话。（×）\n"
        "4. 简述你对客服工作的理解。\n参考答案：客服是桥梁。\n"
    )
    data = _one(text)
    sections = data["sections"]
    assert isinstance(sections, list)
    assert [(s["kind"], s["title"]) for s in sections] == [
        ("single-choice", "单选题"),
        ("multi-choice", "多选题"),
        ("true-false", "判断题"),
        ("open", "问答题"),
    ]
    assert data["title"] == "客服知识测试"


def test_chinese_numbered_questions_and_their_own_points() -> None:
    text = (
        "一、简答题（每题5分）\n第一题 如何处理投诉？（10分）\n答：先安抚。\n"
        "第二题 如何处理差评？（5分）\n答：先沟通。\n"
    )
    qs = _one(text)["sections"][0]["questions"]  # type: ignore[index]
    assert [(q["prompt"], q.get("points")) for q in qs] == [("如何处理投诉？", 10), ("如何处理差评？", None)]


def test_a_question_cut_by_a_page_inside_the_document_is_left_out() -> None:
    items = "\n".join(f"{n}.客服第{n}条规定是对的。（√）" for n in range(1, 6))
    text = (
        f"注意事项\n1.考试时间：90分钟。\n一、判断题\n{items}\n6.顾客购买的电子书如需退款，需在购\n第2页\n"
        "二、简答题\n1.如何处理差评？\n答：先沟通。\n"
    )
    result = import_lines(text.split("\n"), "paper.txt", "utf-8")
    data = yaml.safe_load(result.yaml)
    assert [len(s["questions"]) for s in data["sections"]] == [5, 1]  # the notices are no questions
    assert any("6" in message for _line, message in result.problems)


def test_a_word_answer_card_gives_the_keys(tmp_path: Path) -> None:
    import docx

    from cs_drill.bank.importer.run import import_document

    document = docx.Document()
    document.add_paragraph("客服考核试卷")
    document.add_paragraph("一、单选题（每题2分）")
    for n in (1, 2):
        document.add_paragraph(f"{n}、第{n}题怎么办？（ ）")
        for letter in "AB":
            document.add_paragraph(f"{letter}、选项{letter}{n}")
    document.add_paragraph("参考答案")
    table = document.add_table(rows=2, cols=3)
    for col, (head, key) in enumerate((("题号", "答案"), ("1", "B"), ("2", "A"))):
        table.cell(0, col).text, table.cell(1, col).text = head, key
    path = tmp_path / "card.docx"
    document.save(str(path))
    data = yaml.safe_load(import_document(path).yaml)
    assert [q["answer"] for q in data["sections"][0]["questions"]] == ["B", "A"]
