"""The bundled question bank (data/questions): what it holds, pinned question by question.

The five exams encode the seed documents described in SOURCES.md. These tests pin the
counts per exam and section, where keys come from (the document or authored), the notes on
text the documents cut off, and a few prompts and answers verbatim.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cs_drill.bank.catalog import MemoryCatalog, load_catalog
from cs_drill.bank.model import Exam, Kind, Question

BANK_DIR = Path(__file__).parents[1] / "data" / "questions"

# exam id -> [(section id, kind, points per question, number of questions)], in file order
EXPECTED: dict[str, list[tuple[str, Kind, int, int]]] = {
    "alibaba-cs-specialist-interview": [
        ("scenario", Kind.OPEN, 10, 3),
        ("knowledge", Kind.OPEN, 6, 1),
    ],
    "alibaba-cs-training-assessment": [
        ("single-choice", Kind.SINGLE, 2, 10),
        ("multi-choice", Kind.MULTI, 3, 5),
        ("true-false", Kind.TRUE_FALSE, 1, 9),
    ],
    "alibaba-cs-manager-interview": [
        ("behavioral", Kind.OPEN, 8, 5),
        ("scenario", Kind.OPEN, 10, 3),
    ],
    "ecommerce-cs-newcomer-interview": [
        ("basics", Kind.OPEN, 2, 5),
        ("scenario", Kind.OPEN, 4, 5),
        ("product-knowledge", Kind.OPEN, 4, 5),
        ("communication", Kind.OPEN, 4, 5),
        ("data-analysis", Kind.OPEN, 5, 4),
        ("sales", Kind.OPEN, 4, 5),
        ("emergency", Kind.OPEN, 6, 5),
        ("industry", Kind.OPEN, 4, 5),
        ("self-awareness", Kind.OPEN, 4, 5),
    ],
    "cs-specialist-interview-handbook": [
        ("behavioral", Kind.OPEN, 8, 5),
        ("scenario", Kind.OPEN, 8, 5),
        ("knowledge", Kind.OPEN, 8, 2),
    ],
}

SOURCES = {
    "alibaba-cs-specialist-interview": ("000_c488701fd5db7d88.txt", "zh-Hans"),
    "alibaba-cs-training-assessment": ("001_31a06099bf17cbc8.txt", "zh-Hans"),
    "alibaba-cs-manager-interview": ("002_04a9f63a631aa210.txt", "zh-Hans"),
    "ecommerce-cs-newcomer-interview": ("003_5088cb202142c832.txt", "zh-Hant"),
    "cs-specialist-interview-handbook": ("004_aec6c20c1bbc1016.txt", "zh-Hans"),
}

TRAINING = "alibaba-cs-training-assessment"
NEWCOMER = "ecommerce-cs-newcomer-interview"


@pytest.fixture(scope="module")
def bank() -> MemoryCatalog:
    return load_catalog([BANK_DIR])


def _exam(bank: MemoryCatalog, exam_id: str) -> Exam:
    exam = bank.exam(exam_id)
    assert exam is not None, f"exam {exam_id} missing from the bundled bank"
    return exam


def _section_questions(bank: MemoryCatalog, exam_id: str, section_id: str) -> tuple[Question, ...]:
    for section in _exam(bank, exam_id).sections:
        if section.id == section_id:
            return tuple(bank.select(exam_id, section_id))
    raise AssertionError(f"{exam_id} has no section {section_id}")


def _question(bank: MemoryCatalog, exam_id: str, question_id: str) -> Question:
    for q in bank.select(exam=exam_id):
        if q.id == question_id:
            return q
    raise AssertionError(f"{exam_id} has no question {question_id}")


# ----------------------------------------------------------------- shape and counts


def test_the_bundled_bank_is_exactly_the_five_seed_exams(bank: MemoryCatalog) -> None:
    assert sorted(e.id for e in bank.exams()) == sorted(EXPECTED)


@pytest.mark.parametrize(("exam_id", "sections"), list(EXPECTED.items()))
def test_sections_kinds_points_and_question_counts(
    bank: MemoryCatalog, exam_id: str, sections: list[tuple[str, Kind, int, int]]
) -> None:
    exam = _exam(bank, exam_id)
    got = [(s.id, s.kind, s.points, s.question_count) for s in exam.sections]
    assert got == sections


@pytest.mark.parametrize(("exam_id", "source_and_language"), list(SOURCES.items()))
def test_each_exam_names_its_seed_document_and_script(
    bank: MemoryCatalog, exam_id: str, source_and_language: tuple[str, str]
) -> None:
    exam = _exam(bank, exam_id)
    assert (exam.source, exam.language) == source_and_language


def test_total_question_count(bank: MemoryCatalog) -> None:
    per_exam = {e.id: len(bank.select(exam=e.id)) for e in bank.exams()}
    assert per_exam == {
        "alibaba-cs-specialist-interview": 4,
        "alibaba-cs-training-assessment": 24,
        "alibaba-cs-manager-interview": 8,
        "ecommerce-cs-newcomer-interview": 44,
        "cs-specialist-interview-handbook": 12,
    }
    assert len(bank.select()) == 92


def test_question_uids_are_unique_across_the_bank(bank: MemoryCatalog) -> None:
    uids = [q.uid for q in bank.select()]
    assert len(uids) == len(set(uids))


def test_text_carries_no_stray_whitespace(bank: MemoryCatalog) -> None:
    for q in bank.select():
        assert q.prompt == q.prompt.strip(), q.uid
        if q.model_answer is not None:
            assert q.model_answer == q.model_answer.strip(), q.uid


# ----------------------------------------------------------------- where keys come from


@pytest.mark.parametrize("section_id", ["single-choice", "multi-choice"])
def test_training_choice_keys_are_authored_and_explained(bank: MemoryCatalog, section_id: str) -> None:
    questions = _section_questions(bank, TRAINING, section_id)
    assert questions
    for q in questions:
        assert q.answer_source == "authored", q.uid
        assert q.authored
        assert q.explanation is not None, q.uid
        assert q.explanation.strip(), q.uid
        assert q.letters == ("A", "B", "C", "D"), q.uid
        assert q.correct, q.uid
        assert set(q.correct) <= set(q.letters), q.uid
        if section_id == "single-choice":
            assert len(q.correct) == 1, q.uid


def test_training_true_false_keys_are_the_documents_marks(bank: MemoryCatalog) -> None:
    questions = _section_questions(bank, TRAINING, "true-false")
    # the marks of Q1-Q9 in the document; its Q10 is missing and not invented
    assert [q.truth for q in questions] == [mark == "√" for mark in "×××√√×××√"]
    for q in questions:
        assert q.answer_source == "source"
        assert "√" not in q.prompt, q.uid
        assert "×" not in q.prompt, q.uid
    assert questions[3].prompt == "跨境订单的纠纷处理需同时参考中国及买家所在国法律。"


def test_only_the_training_choice_questions_are_authored(bank: MemoryCatalog) -> None:
    authored = {q.uid for q in bank.select() if q.authored}
    expected = {
        q.uid
        for section_id in ("single-choice", "multi-choice")
        for q in _section_questions(bank, TRAINING, section_id)
    }
    assert authored == expected
    assert len(authored) == 15


def test_open_questions_have_model_answers_except_where_the_source_has_none(
    bank: MemoryCatalog,
) -> None:
    missing = {q.uid for q in bank.select() if q.kind is Kind.OPEN and q.model_answer is None}
    assert missing == {
        f"{NEWCOMER}/managing-own-emotions",
        f"{NEWCOMER}/colleague-mistake",
        f"{NEWCOMER}/learning-new-skills",
        f"{NEWCOMER}/adapting-to-new-system",
    }


def test_newcomer_self_awareness_q2_to_q5_have_no_model_answer(bank: MemoryCatalog) -> None:
    first, *rest = _section_questions(bank, NEWCOMER, "self-awareness")
    assert first.model_answer is not None
    assert first.model_answer.startswith("耐心、溝通能力強、抗壓能力。")
    assert len(rest) == 4
    assert all(q.model_answer is None for q in rest)


# ----------------------------------------------------------------- truncated sources


@pytest.mark.parametrize(
    ("exam_id", "question_id"),
    [
        ("alibaba-cs-manager-interview", "system-outage-complaint-surge"),
        ("cs-specialist-interview-handbook", "product-misunderstanding"),
    ],
)
def test_truncated_questions_carry_a_note(bank: MemoryCatalog, exam_id: str, question_id: str) -> None:
    q = _question(bank, exam_id, question_id)
    assert q.note is not None
    assert "截断" in q.note


def test_truncated_manager_explanation_keeps_only_the_visible_text(bank: MemoryCatalog) -> None:
    q = _question(bank, "alibaba-cs-manager-interview", "system-outage-complaint-surge")
    assert q.explanation == "需突出“资源调"
    assert q.key_points == ()
    assert q.model_answer is not None
    assert q.model_answer.splitlines()[0] == "1.启动应急预案:启用备用客服系统,同步调用外包团队。"


def test_truncated_handbook_answer_keeps_only_its_first_step(bank: MemoryCatalog) -> None:
    q = _question(bank, "cs-specialist-interview-handbook", "product-misunderstanding")
    assert q.model_answer == "(1)用简单比喻(如“就像XX一样”)。"
    assert q.explanation is None


def test_specialist_knowledge_keeps_only_the_complete_question(bank: MemoryCatalog) -> None:
    (q,) = _section_questions(bank, "alibaba-cs-specialist-interview", "knowledge")
    assert q.prompt.startswith("阿里国际站客户因汇率波动要求调整订单价格")
    prompts = [p.prompt for p in bank.select(exam="alibaba-cs-specialist-interview")]
    assert not any("客户投诉某跨" in p for p in prompts)


def test_only_the_truncated_or_garbled_questions_have_notes(bank: MemoryCatalog) -> None:
    noted = {q.uid for q in bank.select() if q.note}
    assert noted == {
        "alibaba-cs-manager-interview/system-outage-complaint-surge",
        "cs-specialist-interview-handbook/product-misunderstanding",
        f"{NEWCOMER}/complaint-cause-distribution",
        f"{NEWCOMER}/packaging-feedback",
        # and the self-awareness questions the source gives no answer for
        f"{NEWCOMER}/managing-own-emotions",
        f"{NEWCOMER}/colleague-mistake",
        f"{NEWCOMER}/learning-new-skills",
        f"{NEWCOMER}/adapting-to-new-system",
    }


# ----------------------------------------------------------------- verbatim spot checks


def test_newcomer_exam_stays_in_traditional_characters(bank: MemoryCatalog) -> None:
    exam = _exam(bank, NEWCOMER)
    assert exam.title == "2026年新人電商客服面試題集"
    q = _question(bank, NEWCOMER, "core-duties")
    assert "電商" in q.prompt
    assert "(zé)" not in q.prompt  # the site's pinyin glosses are not part of the document
    assert q.prompt == "電商客服的核心職責是什么?請結合實際案例說明。"
    # the source's typo is kept, not corrected
    assert "理商" in _question(bank, NEWCOMER, "three-key-traits").prompt


def test_newcomer_answers_drop_the_repeated_prompt_and_points_marker(bank: MemoryCatalog) -> None:
    for q in bank.select(exam=NEWCOMER):
        if q.model_answer is None:
            continue
        assert not q.model_answer.startswith("答"), q.uid
        assert not q.model_answer.startswith(q.prompt[:6]), q.uid
        assert "分)答:" not in q.model_answer, q.uid
    q = _question(bank, NEWCOMER, "quality-complaint-past-return-period")
    assert q.model_answer is not None
    assert q.model_answer.startswith('首先表示理解并道歉:"非常抱歉給您帶來不便,我們立即檢查。"')


def test_newcomer_data_analysis_prompt_includes_the_data(bank: MemoryCatalog) -> None:
    q = _question(bank, NEWCOMER, "complaint-cause-distribution")
    assert q.prompt.endswith("客服態度(15%)、其他(10%)")
    assert "投訴類型:物流問題(30%)" in q.prompt


def test_newcomer_communication_prompt_comes_from_the_question_list(bank: MemoryCatalog) -> None:
    # the answer section abridges this prompt; the question list has the full one
    q = _question(bank, NEWCOMER, "different-customer-types")
    assert q.prompt == "描述與不同類型客戶(如老年人、年輕人、外國客戶)溝通時的注意事項。"


def test_specialist_scenario_answer_and_key_points(bank: MemoryCatalog) -> None:
    q = _question(bank, "alibaba-cs-specialist-interview", "exchange-after-return-window")
    assert q.prompt.startswith("客户在阿里国际站下单购买某品牌服装,收到货后发现尺寸不合适")
    assert q.model_answer is not None
    lines = q.model_answer.splitlines()
    assert len(lines) == 8
    assert lines[0] == "(1)安抚情绪,表示理解"
    assert lines[1].startswith("“尊敬的客户,非常抱歉给您带来不愉快的购物体验。")
    assert lines[6] == "(4)承诺跟进,建立信任"
    assert [kp.point for kp in q.key_points] == ["情绪管理", "政策灵活", "利益平衡", "闭环服务"]
    assert q.key_points[0].detail == "先共情客户,避免直接反驳退货政策,降低对抗性。"
    assert q.answer_source == "source"


def test_manager_key_points_are_the_terms_named_in_the_prose(bank: MemoryCatalog) -> None:
    q = _question(bank, "alibaba-cs-manager-interview", "major-complaint-as-team-lead")
    assert [kp.point for kp in q.key_points] == ["主动担当", "跨部门协调", "结果导向"]
    assert all(kp.detail is None for kp in q.key_points)
    assert q.explanation is not None
    assert "优秀答案应突出“主动担当”“跨部门协调”“结果导向”等特质" in q.explanation


def test_handbook_key_points_and_instructions(bank: MemoryCatalog) -> None:
    q = _question(bank, "cs-specialist-interview-handbook", "complaint-handling-experience")
    assert [kp.point for kp in q.key_points] == ["步骤清晰", "情绪控制", "责任担当"]
    assert q.explanation == "该问题考察应变能力、同理心和沟通技巧。答案需体现步骤清晰、情绪控制、责任担当。"
    behavioral = _exam(bank, "cs-specialist-interview-handbook").sections[0]
    assert behavioral.instructions == ("这类问题考察应聘者的过往经验、解决问题能力和职业素养,结合客服行业特点设计。")


def test_training_options_are_verbatim_and_in_order(bank: MemoryCatalog) -> None:
    q = _question(bank, TRAINING, "script-standard-exceptions")
    assert q.prompt == "阿里巴平台对客服专员话术规范的要求不包括?"
    assert q.options == (
        ("A", "使用专业术语,避免口语化表达"),
        ("B", "每条回复必须包含品牌口号或营销信息"),
        ("C", "保持礼貌用语,如“您好”“感谢支持”"),
        ("D", "根据客户情绪调整语气,避免机械式回复"),
    )
