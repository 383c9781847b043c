"""Which stage answers a message, decided from its words alone.

``understand`` reads the message into a ``Question`` (the figures, findings,
articles and verbs it names); ``classify`` picks the intent, most specific
first: a draft request that names 存在的主要问题 is a draft, "被纠错的有几件"
asks for a figure although it says 错, "哪些合计对不上" asks for the check
although it says 合计.

Routing looks only at the user's message, never at report text, so a report
that says "忽略以上指令" cannot steer the assistant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .understand import Question, ReportNames, number, understand

CHECK = "check"
EXPLAIN = "explain"
FIX = "fix"
DRAFT = "draft"
SOURCE = "source"
YOY = "yoy"
LOOKUP = "lookup"
COMPARE = "compare"
RULES = "rules"
HELP = "help"
UNKNOWN = "unknown"

_CN_NUM = r"[一二两三四五六七八九十百零〇\d]+"

_HELP = re.compile(r"^(帮助|help|\?|？|你好|您好|hi|hello)$|你能做什么|能做些?什么|怎么用|如何使用|使用说明|有哪些功能|会做什么|"
                   r"能问什么|可以问什么|都能问", re.I)

_DRAFT_VERB = re.compile(r"起草|草拟|拟写|撰写|生成|写一?[下个份篇段]|帮我写|重写|续写|编写")
_WHOLE = re.compile(r"全文|全部|整篇|整份|完整|所有部分|全篇")
# "第五部分", and lists such as "第五、第六部分" or "第五和六部分".
_PART = re.compile(rf"第\s*({_CN_NUM}(?:\s*[、，,和及与]\s*第?\s*{_CN_NUM})*)\s*(?:部分|节|章)")
_PART_NUM = re.compile(_CN_NUM)
# Section names as users say them, mapped to the section key of both editions.
_SECTION_WORDS = [
    ("一", ("总体情况", "总体", "概述", "概况")),
    ("二", ("主动公开",)),
    ("三", ("依申请", "收到和处理", "申请情况")),
    ("四", ("行政复议", "行政诉讼", "复议", "诉讼")),
    ("五", ("存在的主要问题", "主要问题", "改进情况", "问题及改进", "改进")),
    ("六", ("其他需要报告", "其他事项", "信息处理费", "其他需报告")),
]

_CHECK = re.compile(
    r"合计|对不上|勾稽|检查|核对|校验|审核|审查|算错|算得?不对|加起来|相加|总数|不一致|不相符|不符|错误|出错|有错|"
    r"问题清单|有什么问题|有哪些问题|哪些问题|什么问题|毛病|差错|查一下|查查|警告|提示|问题列表|所有问题|全部问题|"
    r"有问题吗|有没有问题|合不上|啥问题|什么毛病|哪里有错|哪儿错|问题在哪|几个问题|几处问题|所有的?问题|全部的?问题|问题都|"
    r"跨年|衔接"
)
_YOY = re.compile(r"去年|上年|上一年|前一年|同比|和往年|与往年|较上年|比上年|年度对比|变化|增减|增长|下降|增加了?多少|减少了?多少")
_SOURCE = re.compile(
    rf"条例|法规|规章|规定|办法|第\s*{_CN_NUM}\s*条|哪一条|哪条|依据|出处|格式通知|通知要求|国办|"
    r"怎么写|如何写|怎样写|写法|范文|范例|参考|别的(机关|单位)|其他(机关|单位)|往年报告|期限|时限|截止|什么时候|多少(个)?工作日|"
    r"收费|信息处理费|年报内容|年度报告内容|应当包括|应该包括|要求|公布|公开时间"
)
# Asking for the list rather than about one cell: "表三有什么问题", "复议那块有没有问题".
_CHECK_LIST = re.compile(r"有什么问题|有哪些问题|有没有问题|有问题吗|哪些问题|什么问题|啥问题|几个问题|问题清单|问题列表")
# "第五十条" with a regulation word is an article, not the 50th finding.
_LAW_WORDS = re.compile(r"条例|法规|规定|办法|通知|国办|规章")
_THIS = re.compile(r"这个|这项|这一项|这条|这一条|它|该问题|上面那个|刚才那个|这处|这里")


@dataclass
class Intent:
    name: str
    item: Optional[int] = None  # explain/fix: 1-based number of a finding in the list shown ("问题3")
    code: Optional[str] = None  # explain/fix: a rule code such as "P1"
    sections: Optional[list[str]] = None  # draft: section keys; None = the whole report
    scope: str = ""  # draft: "全文" or the section names, for the reply
    article: Optional[int] = None  # source: an article of the 条例
    question: Optional[Question] = None


def _draft_sections(msg: str) -> Optional[tuple[Optional[list[str]], str]]:
    if not _DRAFT_VERB.search(msg):
        return None
    if _WHOLE.search(msg):
        return None, "全文"
    keys: list[str] = []
    for m in _PART.finditer(msg):
        for raw in _PART_NUM.findall(m.group(1)):
            n = number(raw)
            if n and 1 <= n <= 6 and "一二三四五六"[n - 1] not in keys:
                keys.append("一二三四五六"[n - 1])
    for key, words in _SECTION_WORDS:
        if any(w in msg for w in words) and key not in keys:
            keys.append(key)
    if keys:
        keys.sort(key="一二三四五六".index)
        return keys, "、".join(f"第{k}部分" for k in keys)
    if re.search(r"报告|年报|草稿|叙述|正文|文字", msg):
        return None, "全文"
    return None


def detect(message: str, report_names: Optional[ReportNames] = None) -> Intent:
    """The intent of a message (``report_names``: each workspace report's aliases and year)."""
    raw = re.sub(r"\s+", " ", (message or "").strip())
    if not raw:
        return Intent(HELP)
    return classify(understand(raw, report_names), raw)


def classify(q: Question, raw: str) -> Intent:
    msg = q.text
    if _HELP.search(raw) and len(msg) <= 20:
        return Intent(HELP, question=q)

    drafted = _draft_sections(msg)
    if drafted is not None:
        sections, scope = drafted
        return Intent(DRAFT, sections=sections, scope=scope, question=q)

    if q.rule_list:
        return Intent(RULES, question=q)

    finding = q.finding
    if finding is None and q.item and (q.why or q.error_words or q.fix or len(msg) <= 12) \
            and not q.names_figure and not q.regulation_words:
        finding = q.item
    if q.fix:
        return Intent(FIX, item=finding, code=q.code, question=q)

    # An article of the 条例 ("第五十条说了什么"), unless the message is about a finding ("第3条是什么问题").
    if q.article and q.finding is None and not q.item and \
            (q.regulation_words or not q.error_words or len(msg) <= 8):
        return Intent(SOURCE, article=q.article, question=q)

    if q.code and (q.why or len(msg) <= 12 or "规则" in msg):
        return Intent(EXPLAIN, code=q.code, question=q)
    if finding:
        return Intent(EXPLAIN, item=finding, question=q)

    # "办结33件对不对": the figure, with what the user said set against it.
    if q.verify is not None and q.names_figure and not q.other_measure:
        return Intent(LOOKUP, question=q)
    # "为什么说（七）总计有问题": the finding about the cells it names.
    if q.names_figure and q.error_words and (q.why or "问题" in msg) and not q.severity and \
            not _CHECK_LIST.search(msg):
        return Intent(EXPLAIN, question=q)

    # A figure is asked for with a question word, or by its name alone ("（五）2", "表三自然人予以公开"),
    # not by a sentence that says more than the name ("依申请公开工作怎么样").
    if q.names_figure and not q.error_words and not q.other_measure and not q.law_words and \
            (q.quantity or q.share or q.sum or q.change or q.compare or len(q.residue) <= 1):
        if q.change and (q.last_year or not q.compare or len(q.reports) < 2):
            return Intent(YOY, question=q)
        if q.compare or len(q.reports) >= 2:
            return Intent(COMPARE, question=q)
        return Intent(LOOKUP, question=q)

    if _YOY.search(msg) and not _LAW_WORDS.search(msg):
        return Intent(YOY, question=q)
    if _CHECK.search(msg) and not _LAW_WORDS.search(msg):
        return Intent(CHECK, question=q)
    if q.severity and not _LAW_WORDS.search(msg):
        return Intent(CHECK, question=q)
    if _SOURCE.search(msg):
        return Intent(SOURCE, question=q)
    if _CHECK.search(msg):
        return Intent(CHECK, question=q)
    return Intent(UNKNOWN, question=q)
