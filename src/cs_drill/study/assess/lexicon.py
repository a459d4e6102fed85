"""Word lists for reading open answers in Chinese customer service (客服): data, no logic.

All entries are in Simplified script (answers are folded to it before they are read).

- :data:`CONCEPTS`: near-synonyms common in 客服 answers, one group per line. Two
  words of a group count as the same idea (安抚 and 平复情绪; 补偿 and 优惠券; 回访 and
  跟进). The groups are about the trade, not about particular questions.
- :data:`STOPWORDS`: function words that say nothing about the content.
- :data:`LOW_WEIGHT`: words so common in every answer (客户, 问题, 处理) or in every
  examiner's criterion (能力, 意识, 体现) that matching them proves little.
- Negation: :data:`NEGATORS` flip what follows in the clause; :data:`VERBAL_NEGATORS`
  (避免, 拒绝) are content themselves and flip what follows; :data:`POSTFIX_NEGATORS`
  (不重要, 没用, 无所谓) at the end of a clause deny what came before it;
  :data:`CONCESSIVES` (哪怕, 即使) open a clause whose content is conceded, not claimed,
  until :data:`CONCESSIVE_ENDS` (也, 还); :data:`SCOPE_BREAKS` end a negation.
- :data:`RULE_BREAKING`: what an agent must not do (违规, 私下给钱, 敷衍, 推卸责任);
  an answer that proposes it is a poor answer whatever else it says.
- :data:`DONT_KNOW`: ways of saying "I don't know".
- :data:`SEQUENCE_MARKERS` and :data:`EXAMPLE_MARKERS`: the form examiners ask for
  with criteria such as 步骤清晰 (先…再…最后) and 结合实际场景 (例如, 有一次).
"""

from __future__ import annotations

__all__ = [
    "CONCEPTS",
    "ANTONYMS",
    "ATTITUDE",
    "CONCEDED_RULE_BREAKING",
    "CONCESSIVES",
    "CONCESSIVE_ENDS",
    "CRITERIA",
    "DONT_KNOW",
    "EXAMPLE_MARKERS",
    "FILLERS",
    "GENERIC",
    "LEXICAL",
    "LIGHT_VERBS",
    "LOW_WEIGHT",
    "MONEY",
    "NEGATORS",
    "POSTFIX_NEGATORS",
    "RULE_BREAKING",
    "SCENES",
    "SCOPE_BREAKS",
    "SEQUENCE_MARKERS",
    "STOPWORDS",
    "TOPIC_LINKS",
    "VERBAL_NEGATORS",
]

CONCEPTS: tuple[str, ...] = (
    # calming the customer, keeping one's own temper
    "安抚 安慰 抚慰 平复 平息 稳定情绪 情绪 冷静 镇定 耐心 心情 安心 放心 消气 息怒 情绪管理 情绪控制 控制情绪 缓和",
    # empathy and understanding
    "共情 同理心 同理 理解 体谅 感同身受 认同 换位思考 站在客户角度 站在对方角度 将心比心 尊重 关心 关注感受",
    # listening
    "倾听 聆听 听取 耐心听 听完",
    "道歉 致歉 抱歉 歉意 对不起 不好意思 赔礼 赔不是",
    "感谢 谢谢 感激 致谢",
    # finding out what happened
    "核实 核查 查询 查看 确认 调查 核对 排查 检查 查证 追查 了解情况 查明 查清 查 查一下 问清楚",
    "补偿 赔偿 弥补 补救 优惠券 代金券 红包 赠品 礼品 小礼品 赠送 折扣 打折 返现 积分 免运费 运费险 补贴 福利 送",
    "退款 退钱 退费 全额退款 部分退款 退差价",
    "退货 换货 退换 退换货 更换 调换 换新 补发 重发 寄回 退 换 换一个 重新发",
    "维修 修理 保修 返修 售后维修 修",
    # keeping the customer informed until it is settled
    "跟进 回访 跟踪 追踪 同步 通报 进度 进展 反馈结果 告知结果 闭环 持续关注 再次联系 再次确认 全程跟进 随时告知",
    "立即 立刻 马上 第一时间 及时 快速 迅速 尽快 尽早 即时 实时 高效 效率",
    "加急 优先 催促 催件 加快 次日达 绿色通道 特急 插队 催",
    "上报 上级 主管 领导 请示 审批 汇报 报备 升级处理 经理 报给 上报给 反馈给 组长 转交",
    "协调 协作 协同 配合 对接 联动 合作 跨部门 各部门 相关部门 部门",
    "联系 致电 电话 打电话 私信 留言 沟通 交流",
    "解释 说明 告知 讲解 阐明 介绍 澄清 解答 答疑 回答 答复 讲清楚 说清楚 告诉",
    "规则 政策 规定 制度 条款 原则 规范 合规 规章 规矩 平台规则 公司规定 底线 正规 正规流程 按规定 按流程 走流程"
    " 守规矩 遵守",
    "流程 步骤 程序 手续 环节",
    "标准化 统一 口径 统一口径 标准 规范化 一致 一致性",
    "方案 办法 选项 替代方案 解决方案 措施 对策 建议 选择 方法",
    "解决 搞定 化解 处理好 解决问题",
    "灵活 变通 通融 特殊处理 特事特办 折中 例外",
    "平衡 权衡 兼顾 两全 双赢",
    "违规 违反 违背 破坏规则 违反规定 越权 超出权限",
    "数据 分析 统计 报表 指标 数据分析 量化 数字",
    "培训 学习 辅导 带教 教学 练习 提升技能",
    "满意 满意度 好评 评价 认可 口碑 体验",
    "记录 登记 备案 工单 存档 留存 备注 记下",
    "激励 奖励 表彰 评选 奖金 嘉奖 鼓励 表扬 荣誉",
    "晋升 成长 职业发展 发展 升职 晋升通道 职业规划 发展空间",
    "团队 同事 员工 成员 组员 团建 伙伴",
    "责任 担当 负责 承担 担责 责任心 责任感 认错 承认错误 承认 主动",
    "承诺 保证 确保 答应 保障",
    "证据 凭证 截图 照片 单据 证明 凭据 录音",
    "物流 快递 配送 发货 送货 运输 派送 揽收 包裹",
    "订单 订单号 单号 购买记录",
    "公开 公关 舆情 曝光 负面 社交媒体 微博 舆论 直播间",
    "维护 关怀 维系 关系维护 老客户 忠诚 黏性 复购 留存客户",
    "趋势 未来 前景 发展趋势 行业趋势",
    "智能客服 人工智能 ai 机器人 自动化 自动回复",
    "改进 优化 提升 改善 完善 整改 提高",
    "原因 根因 根源 症结 诊断 分析原因 找原因",
    "质检 抽检 检测 检验 品控 质量检查",
    "公正 公平 客观 中立 第三方",
    "成本 费用 运费 开销",
    "拒绝 婉拒 回绝",
    "争执 争论 争辩 反驳 顶撞 争吵 吵架 吵 对抗 冲突",
    "需求 诉求 要求 期望 痛点",
    "风险 隐患 损失",
    "话术 用语 表达 措辞",
    "例子 案例 例如 比如 举例 实例 经历",
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _longest_first(text: str) -> tuple[str, ...]:
    return tuple(sorted(set(text.split()), key=lambda w: (-len(w), w)))


STOPWORDS: frozenset[str] = _words(
    """
    的 地 得 了 着 过 和 与 及 以及 跟 同 或 或者 还是 是 在 把 被 给 对 对于 向 从 为 为了 以 让 使 令
    也 就 都 还 再 又 很 挺 太 非常 十分 比较 更 最 更加 这 那 这个 那个 这些 那些 这样 那样 这种 那种 其 之 等 等等
    如 如果 若 假如 要是 则 而 并 并且 而且 因为 所以 因此 于是 由于 我 我们 你 你们 您 他 她 它 他们 她们 咱们
    自己 一个 一些 一下 一点 一次 一位 个 位 种 会 能 能够 可 可以 要 需 需要 应 应该 应当 必须 想 觉得 认为
    吗 呢 吧 啊 呀 嘛 哦 哈 嗯 呃 额 啦 哟 先 首先 然后 接着 其次 最后 最终 同时 此外 另外 之后 随后 再次
    如何 怎么 怎样 什么 哪些 哪个 时 时候 后 前 中 上 下 里 内 外 通过 一 二 三 有 还有 即 就是 已 已经 将 到
    所有 任何 各种 每 每个 相关 做 做好 做到 进行 采取 采用 实现 注意 重要 关键 主要 一定 尽量
    然后再 我会 会先 要先 就行 就好 一般 比较 怎么办 好的 作为 直接 暂时 哪种 合适 确实 完全 真的 其实 当然 可能
    大概 一直 总是 总 只 只要 只能 还会 已 之类 左右 多 少 有些 有的 这边 那边 这里 那里 们 下来 起来 出来
    """
)
"""Function words."""

GENERIC: frozenset[str] = _words("问题 处理 服务 客户 客服 顾客 买家 用户 事情 东西 情况 方面 时间 方式 一方 对方")
"""Words every answer has: no weight at all (they are content words all the same, not function words)."""

LOW_WEIGHT: frozenset[str] = _words(
    """
    商品 产品 平台 商家 公司 工作 需求 意识 认知 思维 技巧 导向 机制 体现 突出 素质 水平 管理 性 能力 结合 实际
    场景 态度 表示 提供 帮助 给予 考虑 保持 建立 了解 相应 对应 具体 基本 常见 重点 核心
    """
)

NEGATORS: frozenset[str] = _words(
    """
    不 没 没有 无 别 未 勿 非 莫 不要 不用 不必 不能 不可 不会 不得 不该 不应 不应该 无法 无须 无需 甭 并非
    不是 绝不 决不 从不 从未 毫不 不准 不许 别再
    """
)

VERBAL_NEGATORS: frozenset[str] = _words("避免 拒绝 婉拒 禁止 杜绝 防止 切忌 忌 停止 防范 规避 忘 忘了 忘记")

LIGHT_VERBS: frozenset[str] = _words("给 做 管 提 说 要 理 搞 用 弄 问 跟 考虑 在意 理会 处理 去")
"""After a negator at the end of a clause (补偿也不用给, 跟进就不做了), these deny the clause's topic."""

TOPIC_LINKS: frozenset[str] = _words("也 都 更 根本 压根 从来 并 一律")
"""X也不…, X都没…: what stands before the link and the negator is denied (同理心也没用)."""

POSTFIX_NEGATORS: tuple[str, ...] = _longest_first(
    """
    不重要 不太重要 并不重要 没用 没有用 没什么用 无用 无所谓 没必要 没有必要 不必要 不需要 不用管 不用在意
    不必在意 不关键 无关紧要 不是重点 不值得 不在乎 没意义 没有意义 没什么意义 不管用 可以忽略 可忽略 不考虑
    不用考虑 是多余的 多余 不靠谱 是废话 没价值 太麻烦 麻烦 没空 做不到 管不了 顾不上 不现实 没时间 没关系
    没什么关系 无关 差一点没关系 不算什么 不用太在意 可有可无
    """
)

CONCESSIVES: frozenset[str] = _words("哪怕 即使 就算 即便 纵然 纵使 尽管 虽然 虽 虽说 无论 不管 不论")
CONCESSIVE_ENDS: frozenset[str] = _words("也 还 都 仍 仍然 依然 照样 照旧 还是")
SCOPE_BREAKS: frozenset[str] = _words(
    """
    而是 但 但是 可是 不过 却 而 然后 再 接着 之后 随后 最后 同时 并且 而且 以及 另外 此外 并 只是 反而 所以 因此
    就 则 便 那就 就会 的话
    """
)

LEXICAL: frozenset[str] = _words(
    "无理由 七天无理由 无误导 不满 不便 不愉快 不合适 不合理 不符 不符合 无人 不理 不理睬 不搭理 不理会 不管不顾"
)
"""Words that begin with a negator but are words of their own (7天无理由退货, 不便, 不理睬)."""

RULE_BREAKING: frozenset[str] = _words(
    """
    违规 违反规定 违反规则 违反流程 违反制度 破坏规则 绕过 绕开 绕过流程 偷偷 私自 糊弄 敷衍 敷衍了事 推卸 推卸责任
    推脱 推诿 甩锅 踢皮球 拉黑 不理 不理睬 不搭理 不理会 置之不理 不管不顾 走后门 私了 删差评 刷单 越权
    """
)
"""What an agent must not propose. 私下 counts only with money (:data:`MONEY`) in the same clause.

Words that as often describe the customer (骂, 威胁, 吵) are not here, and a word that the
question's own prompt uses (客户认为商家推卸责任) describes the case, not the answer.
"""

ATTITUDE: tuple[str, ...] = _longest_first(
    """
    不关我的事 不关我们的事 不关我事 与我无关 与我们无关 跟我没关系 跟我们没关系 和我没关系 不归我管 不归我们管
    我们管不了 我管不了 自己去找 让他自己去 让客户自己去 他自己去找 客户自己去找 是他自己 是客户自己 他自己的问题
    客户自己的问题 是他的问题 是客户的问题 是他的错 是客户的错 客户的错 随便他 随他去 随他 爱买不买 爱怎样
    爱怎么样 没什么好说 没啥好说 无理取闹 骂回去 怼回去 威胁回去 吵回去 凶回去 拉黑 踢出去 禁言 凭什么 扣钱 扣工资
    罚钱 劝退 开除 找别家 去别家 不是我们的错 又不是我们的错 不是我的错 爱投诉就投诉 随便投诉 不想理 懒得理 懒得管
    贴出来 晒出来 挂出来 曝光客户 公开客户 关我什么事 关我们什么事 关你什么事 直接挂 挂掉电话 爱看不看 爱要不要
    没什么好 没啥好 你自己问 自己问 自己看着办 自己想办法 你自己去 客户太挑剔 太挑剔 事多 难伺候 矫情 找茬
    """
)
"""What a customer-service agent must not say or do to a customer: blame, brush-off, hostility.

Matched in the text as typed (folded); ignored when the clause denies or concedes it first
(不能说"不关我的事", 即使不是我们的错).
"""

CONCEDED_RULE_BREAKING: frozenset[str] = _words("违规 违反 违背 违反规定 违反规则 破坏规则 越权 绕过")

ANTONYMS: tuple[tuple[str, str], ...] = (("规则", "违规"), ("遵守", "违反"), ("主动", "被动"), ("耐心", "不耐烦"))
"""Pairs of concepts (the first word of a group of :data:`CONCEPTS`, or a word) where saying one
is denying the other: 不违规 says 合规, 私下处理是违规的 (named a violation) says it too."""
"""Conceded, these still break a rule: 哪怕违规也… means "I would break the rule"."""

MONEY: frozenset[str] = _words("钱 给钱 转账 退款 赔偿 补偿 红包 返现 现金 打款 赔钱 付钱 操作 交易 退钱")

DONT_KNOW: tuple[str, ...] = _longest_first(
    """
    不知道 不清楚 不太清楚 不太知道 不晓得 不会 不懂 不了解 不记得 记不清 记不得 忘了 忘记了 忘记 没想好 想不出
    想不起来 不确定 随便 答不上来 答不出 不会答 没有答案 没答案 没想法 没有想法 不知 不明白 pass idk dunno 搞不懂
    不太懂 没概念
    跳过 略 无
    """
)
"""Ways of saying "I don't know"."""

FILLERS: tuple[str, ...] = _longest_first(
    "嗯 呃 额 啊 哈 呵 我 了 的 吧 呢 啦 啥 什么 也 都 还 是 这个 题 真 实在 抱歉 这道"
)
"""What is left around an "I don't know" (我真的不知道啊)."""

SEQUENCE_MARKERS: frozenset[str] = _words(
    """
    先 首先 第一 第一步 其次 第二 第二步 然后 接着 再 之后 随后 紧接着 最后 最终 第三 第三步 第四
    一是 二是 三是 最后再
    """
)

EXAMPLE_MARKERS: frozenset[str] = _words(
    "例如 比如 比方说 举例 举个例子 有一次 曾经 之前 以前 上一家 遇到 遇到过 当时 案例 实例 譬如 像是"
)

SCENES: frozenset[str] = _words(
    """
    订单 物流 快递 退货 退款 换货 投诉 差评 好评 售后 地址 发货 收货 包裹 破损 质量 尺码 优惠券 运费 催 火气 生气 着急
    骂 情绪激动 电话 聊天 咨询 下单 付款 商品 赠品 客诉 工单 直播间 评论 退换货
    """
)
"""Things of a real customer-service case: an answer naming three of them is set in one (结合实际场景)."""

CRITERIA: tuple[tuple[frozenset[str], str], ...] = (
    (_words("步骤 条理 清晰 有序 逻辑 层次"), "steps"),
    (_words("场景 案例 举例 实例 实际 经历"), "example"),
)
"""Examiner criteria about the form of an answer: a word of the point → the feature that shows it."""
