"""When a question cannot be answered: what was understood, and the three closest questions that can be.

Candidates are questions the offline chat answers: a fixed set covering
every kind of request, and questions built from what the message named
(a row it named is offered as "…是多少", "…占比是多少"). They are ranked by
how many character pairs they share with the message, what it named first.
"""

from __future__ import annotations

from .understand import Question

EXAMPLES = (
    "哪些合计对不上",
    "本年新收政府信息公开申请多少件",
    "予以公开占比是多少",
    "行政复议有几起",
    "被纠错的有几件",
    "不予公开一共多少件",
    "问题1是什么意思",
    "问题1怎么改",
    "P1是什么",
    "有哪些规则",
    "条例第五十条说了什么",
    "年度报告最晚什么时候公布",
    "和去年比有什么变化",
    "本年新收申请比去年多了多少",
    "比较各报告的本年新收申请数量",
    "行政事业性收费收了多少钱",
    "起草总体情况",
    "有哪些错误",
)

# Official names to build questions from, by the key a message named.
_ROWS3 = {"new": "本年新收申请", "carried_in": "上年结转申请", "disclosed": "予以公开", "partly": "部分公开",
          "withheld": "不予公开", "unavailable": "无法提供", "not_processed": "不予处理", "other": "其他处理",
          "total": "办结（（七）总计）", "carried_out": "结转下年度继续办理"}
_GROUPS4 = {"review": "行政复议", "direct_suit": "未经复议直接起诉", "suit_after_review": "复议后起诉",
            "litigation": "行政诉讼"}


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} | set(text)


def candidates(q: Question, reports: int) -> list[str]:
    out: list[str] = []
    for key in q.rows3:
        name = _ROWS3.get(key)
        if name:
            out += [f"{name}是多少件", f"{name}占比是多少", f"{name}比去年多了多少"]
            if reports > 1:
                out.append(f"比较各报告的{name}数量")
    for key in q.groups4:
        name = _GROUPS4.get(key)
        if name:
            out += [f"{name}总计多少件", f"{name}结果纠正多少件"]
    if q.finding:
        out += [f"问题{q.finding}是什么意思", f"问题{q.finding}怎么改"]
    if q.code:
        out += [f"{q.code}是什么"]
    if q.article:
        out += [f"条例第{q.article}条说了什么"]
    return out + [e for e in EXAMPLES if reports > 1 or "各报告" not in e]


def closest(q: Question, reports: int, n: int = 3) -> list[str]:
    mine = _pairs(q.text)
    built = candidates(q, reports)
    first = set(built[: max(0, len(built) - len(EXAMPLES))])
    scored = []
    for i, c in enumerate(dict.fromkeys(built)):
        theirs = _pairs(c)
        score = len(mine & theirs) / (len(mine | theirs) or 1) + (0.5 if c in first else 0.0)
        scored.append((-score, i, c))
    ranked = sorted(scored)
    if -ranked[0][0] < 0.2:  # nothing close: the questions most people start with
        return list(EXAMPLES[:n])
    return [c for _, _, c in ranked[:n]]


def not_understood(q: Question, reports: int) -> tuple[str, list[str]]:
    """The reply's text and its three suggestions."""
    got = q.understood
    if got:
        head = f"这个问题我还不能回答。我读到的是：{'、'.join(got)}，但没能确定要查哪个数字或做什么。"
    else:
        head = "这个问题我还不能回答：没有读到表格中的项目、问题编号、规则编号或条文。"
    picks = closest(q, reports)
    lines = "\n".join(f"- {p}" for p in picks)
    return f"{head}\n\n你可以这样问（点击即可提问）：\n\n{lines}", picks
