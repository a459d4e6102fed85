"""Generate a synthetic csdrill question bank for benchmarks.

    python benchmarks/gen_bank.py OUT_DIR --questions 100000 --files 100 [--seed 1]

Writes ``--files`` YAML files (one exam each, ids ``bench-0001``, ``bench-0002``, …)
holding ``--questions`` questions in all, in sections of all four kinds in roughly the
proportions of the bundled bank's interview and assessment files. The text is
Chinese customer-service prose of realistic length: 100,000 questions come to
about 100 MB. The output depends only on the arguments (same seed, same bytes).

The YAML is written with plain string formatting (not ``yaml.dump``) so that a
100 MB bank takes seconds; every scalar is either a plain scalar made only of
characters that need no quoting, or a literal block scalar.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["SECTION_PLAN", "edit_prompt", "exam_id", "generate", "main", "render_exam"]

# Words and phrases of customer-service Chinese. They contain no ASCII
# punctuation, so any concatenation of them is a safe YAML plain scalar.
# fmt: off
_SUBJECTS = (
    "客户", "买家", "卖家", "商家", "客服专员", "客服主管", "新员工", "会员客户", "跨境买家",
    "老客户", "企业客户", "物流公司", "平台客服", "质检人员", "售后团队", "店铺运营",
)
_SCENES = (
    "在淘宝下单后", "在天猫旗舰店购买家电后", "在阿里国际站采购样品时", "在直播间抢购时",
    "收到货后", "申请退款过程中", "参加大促活动期间", "使用优惠券结算时", "预售订单付尾款时",
    "更换收货地址后", "等待发货超过七天后", "开具发票时", "办理以旧换新时", "咨询保价政策时",
)
_PROBLEMS = (
    "发现商品尺寸不合适", "发现包装破损且商品有划痕", "物流信息三天没有更新", "收到的颜色与页面描述不符",
    "优惠券无法叠加使用", "退款迟迟没有到账", "商家拒绝提供售后服务", "快递员未经同意放在驿站",
    "商品存在明显的质量问题", "发票信息填写错误", "赠品没有随货寄出", "订单被系统自动取消",
    "汇率波动导致实付金额变化", "活动价格在付款后下调", "配件缺失无法正常使用",
)
_DEMANDS = (
    "要求立即换货", "要求全额退款并赔偿运费", "扬言要在社交媒体上曝光", "要求商家公开道歉",
    "要求平台介入处理", "要求补发赠品", "要求按照活动价补差", "要求延长保修期限",
    "情绪激动并多次催促", "威胁给出差评", "要求升级到主管处理", "拒绝提供订单截图",
)
_ACTIONS = (
    "先安抚客户情绪并表示理解", "核实订单号和物流信息", "说明平台规则和处理时效", "申请平台客服介入",
    "主动联系商家协商解决方案", "提供优惠券作为补偿", "为客户开通绿色通道", "承诺在二十四小时内回复",
    "记录问题并同步给相关部门", "引导客户上传照片作为凭证", "提出退货免运费的折中方案",
    "跟进处理结果直到问题闭环", "向客户确认处理方案是否满意", "整理常见问题形成知识库",
    "在系统中备注客户诉求", "避免使用推诿或生硬的措辞", "用礼貌规范的话术回复客户",
)
_REASONS = (
    "这样可以降低客户的对抗情绪", "既符合平台规则又兼顾客户体验", "能够减少重复投诉",
    "有助于建立长期信任", "可以避免纠纷进一步扩大", "体现了平台公正透明的处理原则",
    "能够提升客户满意度和复购率", "避免承诺无法兑现的结果", "让客户感受到被重视",
    "保证了处理过程有据可查", "兼顾了商家和买家双方的利益",
)
_QUOTES = (
    "尊敬的客户您好非常抱歉给您带来不便", "我完全理解您现在的心情", "请您放心我们会第一时间为您处理",
    "麻烦您提供一下订单号和相关照片", "我已经为您提交了加急处理申请", "处理结果会第一时间同步给您",
    "如果过程中有任何疑问可以随时联系我", "根据平台规则我们可以为您申请特殊处理",
    "感谢您的耐心等待和理解支持", "我们会认真核实并给您一个满意的答复",
)
_POINTS = (
    "情绪管理", "政策灵活", "利益平衡", "闭环服务", "责任界定", "证据导向", "解决方案多样化",
    "时效承诺", "客观检验", "成本分摊", "补偿选项", "权威背书", "主动沟通", "规范话术",
    "风险预判", "数据复盘", "团队协作", "知识沉淀",
)
_TAGS = ("物流", "投诉", "退款", "售后", "话术", "跨境", "大促", "发票", "会员", "质检")
_TITLES = (
    "客服专员面试题目详解", "电商客服新人面试题库", "客服主管岗位面试题", "客服培训与考核安排",
    "售后服务岗位笔试题", "跨境电商客服能力测评",
)
# fmt: on

#: (section id, title, kind, share of the exam's questions, points per question)
SECTION_PLAN: tuple[tuple[str, str, str, float, int], ...] = (
    ("single-choice", "单选题", "single-choice", 0.25, 2),
    ("multi-choice", "多选题", "multi-choice", 0.15, 3),
    ("true-false", "判断题", "true-false", 0.15, 1),
    ("scenario", "情景模拟题", "open", 0.25, 10),
    ("knowledge", "专业知识题", "open", 0.20, 6),
)

_INSTRUCTIONS = {
    "single-choice": "每题只有一个正确答案,请选择最符合平台规则和服务规范的选项。",
    "multi-choice": "每题有一个或多个正确答案,多选少选均不得分。",
    "true-false": "判断下列说法是否正确。",
    "scenario": "考察考生在真实客户服务场景中的应变能力、沟通技巧和问题解决能力,要求模拟客服回应。",
    "knowledge": "考察考生对客服体系、平台规则及电商行业知识的掌握程度。",
}


def exam_id(index: int) -> str:
    """The id of the ``index``-th exam (1-based): ``bench-0001``."""
    return f"bench-{index:04d}"


class _Text:
    """Random but deterministic Chinese prose."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, words: Sequence[str]) -> str:
        return words[int(self.rng.random() * len(words))]

    def clause(self) -> str:
        p = self.pick
        return f"{p(_SUBJECTS)}{p(_SCENES)}{p(_PROBLEMS)},{p(_DEMANDS)}"

    def sentence(self, clauses: int) -> str:
        return ",".join(self.clause() for _ in range(clauses)) + "。"

    def prompt(self, kind: str) -> str:
        clauses = self.rng.randint(1, 2) if kind != "open" else self.rng.randint(1, 3)
        text = ",".join(self.clause() for _ in range(clauses))
        if kind == "true-false":
            return f"{text},客服专员应当{self.pick(_ACTIONS)}。"
        if kind == "open":
            return f"{text}。请模拟客服回应,化解矛盾并促成解决方案。"
        return f"{text},客服专员应当优先采取哪种做法?"

    def options(self) -> list[str]:
        actions = self.rng.sample(_ACTIONS, 4)
        return [f"{action},{self.pick(_REASONS)}" for action in actions]

    def explanation(self) -> str:
        n = self.rng.randint(1, 3)
        return ",".join(f"{self.pick(_ACTIONS)}{self.pick(_REASONS)}" for _ in range(n)) + "。"

    def model_answer_lines(self) -> list[str]:
        lines: list[str] = []
        for step in range(1, self.rng.randint(2, 4) + 1):
            lines.append(f"({step}){self.pick(_ACTIONS)},{self.pick(_REASONS)}")
            quotes = "".join(f"{self.pick(_QUOTES)}," for _ in range(self.rng.randint(1, 4)))
            lines.append(f"“{quotes}{self.pick(_ACTIONS)}。”")
        return lines


def _scalar_block(indent: str, key: str, lines: list[str]) -> str:
    body = "".join(f"{indent}  {line}\n" for line in lines)
    return f"{indent}{key}: |-\n{body}"


def _section_counts(total: int) -> list[int]:
    """Split ``total`` questions over SECTION_PLAN by largest remainder."""
    shares = [plan[3] for plan in SECTION_PLAN]
    exact = [total * s for s in shares]
    counts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def render_exam(index: int, questions: int, seed: int) -> str:
    """The YAML text of exam ``index`` (1-based) with ``questions`` questions."""
    rng = random.Random(seed * 1_000_003 + index)
    t = _Text(rng)
    out: list[str] = [
        f"# Synthetic bank generated by benchmarks/gen_bank.py (seed {seed}); edit freely.\n",
        f"id: {exam_id(index)}\n",
        f"title: 2026年{t.pick(_TITLES)}(合成{index:04d})\n",
        "language: zh-Hans\n",
        f"source: bench_{index:04d}.txt\n",
        "description: 合成题库,用于性能测试,内容随机生成。\n",
        "sections:\n",
    ]
    number = 0
    for (sid, title, kind, _share, points), count in zip(SECTION_PLAN, _section_counts(questions), strict=True):
        if count == 0:
            continue
        out.append(f"  - id: {sid}\n    title: {title}\n    kind: {kind}\n    points: {points}\n")
        out.append(f"    instructions: {_INSTRUCTIONS[sid]}\n    questions:\n")
        for _ in range(count):
            number += 1
            out.append(_render_question(t, kind, number))
    return "".join(out)


def _render_question(t: _Text, kind: str, number: int) -> str:
    rng = t.rng
    q = "        "
    parts = [f"      - id: q{number:05d}\n", f"{q}prompt: {t.prompt(kind)}\n"]
    if kind in ("single-choice", "multi-choice"):
        parts.append(f"{q}options:\n")
        parts.extend(f"{q}  {letter}: {text}\n" for letter, text in zip("ABCD", t.options(), strict=True))
        if kind == "single-choice":
            parts.append(f"{q}answer: {'ABCD'[rng.randrange(4)]}\n")
        else:
            letters = [c for c in "ABCD" if rng.random() < 0.6] or ["A"]
            parts.append(f"{q}answer: [{', '.join(letters)}]\n")
        parts.append(f"{q}explanation: {t.explanation()}\n")
        if rng.random() < 0.5:
            parts.append(f"{q}answer_source: authored\n")
    elif kind == "true-false":
        parts.append(f"{q}answer: {'true' if rng.random() < 0.5 else 'false'}\n")
        if rng.random() < 0.4:
            parts.append(f"{q}explanation: {t.explanation()}\n")
    else:
        if rng.random() < 0.95:
            parts.append(_scalar_block(q, "answer", t.model_answer_lines()))
        parts.append(f"{q}key_points:\n")
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.8:
                parts.append(f"{q}  - point: {t.pick(_POINTS)}\n{q}    detail: {t.explanation()}\n")
            else:
                parts.append(f"{q}  - {t.pick(_POINTS)}\n")
        if rng.random() < 0.3:
            parts.append(f"{q}explanation: {t.explanation()}\n")
        if rng.random() < 0.02:
            parts.append(f"{q}note: 原文在此处截断\n")
    if rng.random() < 0.2:
        tags = sorted({t.pick(_TAGS) for _ in range(rng.randint(1, 3))})
        parts.append(f"{q}tags: [{', '.join(tags)}]\n")
    return "".join(parts)


def generate(out_dir: Path, questions: int, files: int, seed: int = 1) -> list[Path]:
    """Write the bank into ``out_dir`` (created); return the files written, in order."""
    if files < 1 or questions < files:
        raise ValueError("need at least one file and at least one question per file")
    out_dir.mkdir(parents=True, exist_ok=True)
    base, extra = divmod(questions, files)
    written: list[Path] = []
    for index in range(1, files + 1):
        path = out_dir / f"{exam_id(index)}.yaml"
        text = render_exam(index, base + (1 if index <= extra else 0), seed)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


_EDIT_MARK = "(修订"


def edit_prompt(path: Path, revision: int) -> None:
    """A harmless edit: change the end of the file's first prompt (a new revision number each time)."""
    text = path.read_text(encoding="utf-8")
    start = text.index("prompt: ")
    end = text.index("\n", start)
    line = text[start:end]
    if _EDIT_MARK in line:
        line = line[: line.index(_EDIT_MARK)]
    path.write_text(f"{text[:start]}{line}{_EDIT_MARK}{revision})" + text[end:], encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic csdrill bank (one exam per file).")
    parser.add_argument("out_dir", type=Path, help="folder to write the YAML files into (created)")
    parser.add_argument("--questions", type=int, default=100_000, help="questions in all (default 100000)")
    parser.add_argument("--files", type=int, default=100, help="number of files/exams (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.files < 1 or args.questions < args.files:
        parser.error("--files must be >= 1 and --questions >= --files")
    started = time.perf_counter()
    paths = generate(args.out_dir, args.questions, args.files, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"wrote {args.questions} questions in {len(paths)} files, {size / 1e6:.1f} MB, "
        f"to {args.out_dir} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
