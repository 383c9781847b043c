"""What a message asks for, from its words alone.

Routing looks only at the user's message, never at report text, so a report
that says "忽略以上指令" cannot steer the assistant. The patterns are plain
keyword and regex tests, ordered from the most specific request to the
broadest: a draft request that names 存在的主要问题 is a draft, not a check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..parse.numbers import chinese_to_number

CHECK = "check"
EXPLAIN = "explain"
DRAFT = "draft"
SOURCE = "source"
YOY = "yoy"
HELP = "help"
UNKNOWN = "unknown"

_CN_NUM = r"[一二两三四五六七八九十百零〇\d]+"

_HELP = re.compile(r"^(帮助|help|\?|？|你好|您好|hi|hello)$|你能做什么|能做些?什么|怎么用|如何使用|使用说明|有哪些功能|会做什么", re.I)

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

_ITEM = re.compile(rf"第\s*({_CN_NUM})\s*(项|条|个|点|处)")
_CODE = re.compile(r"(?<![A-Za-z])([PINXpinx])\s*-?\s*(\d{1,2})(?!\d)")
_WHY = re.compile(r"为什么|为何|怎么回事|什么意思|解释|说明一下|讲讲|依据是|凭什么|哪里不对|不对|错在|是什么问题|详细")

_CHECK = re.compile(
    r"合计|对不上|勾稽|检查|核对|校验|审核|审查|算错|算得?不对|加起来|相加|总数|不一致|不相符|不符|错误|出错|有错|"
    r"问题清单|有什么问题|有哪些问题|哪些问题|什么问题|毛病|差错|查一下|查查"
)
_YOY = re.compile(r"去年|上年|上一年|前一年|同比|和往年|与往年|较上年|比上年|年度对比|变化|增减|增长|下降|增加了?多少|减少了?多少")
_SOURCE = re.compile(
    rf"条例|法规|规章|规定|办法|第\s*{_CN_NUM}\s*条|哪一条|哪条|依据|出处|格式通知|通知要求|国办|"
    r"怎么写|如何写|怎样写|写法|范文|范例|参考|别的(机关|单位)|其他(机关|单位)|往年报告|期限|时限|截止|什么时候|多少(个)?工作日|"
    r"收费|信息处理费|年报内容|年度报告内容|应当包括|要求"
)
# "第五十条" with a regulation word is an article, not the 50th finding.
_LAW_WORDS = re.compile(r"条例|法规|规定|办法|通知|国办|规章")


@dataclass
class Intent:
    name: str
    item: Optional[int] = None  # explain: 1-based position in the list shown
    code: Optional[str] = None  # explain: a rule code such as "P1"
    sections: Optional[list[str]] = None  # draft: section keys; None = the whole report
    scope: str = ""  # draft: "全文" or the section names, for the reply


def _number(text: str) -> Optional[int]:
    text = text.strip()
    if text.isdigit():
        return int(text)
    # "第十项" and "第二十三条" read as Chinese numerals.
    return chinese_to_number(text)


def _draft_sections(msg: str) -> Optional[tuple[Optional[list[str]], str]]:
    if not _DRAFT_VERB.search(msg):
        return None
    if _WHOLE.search(msg):
        return None, "全文"
    keys: list[str] = []
    for m in _PART.finditer(msg):
        for raw in _PART_NUM.findall(m.group(1)):
            n = _number(raw)
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


def detect(message: str) -> Intent:
    msg = re.sub(r"\s+", " ", (message or "").strip())
    if not msg:
        return Intent(HELP)
    if _HELP.search(msg) and len(msg) <= 20:
        return Intent(HELP)

    drafted = _draft_sections(msg)
    if drafted is not None:
        sections, scope = drafted
        return Intent(DRAFT, sections=sections, scope=scope)

    code = _CODE.search(msg)
    item = _ITEM.search(msg)
    if code and (_WHY.search(msg) or len(msg) <= 12 or "规则" in msg):
        return Intent(EXPLAIN, code=f"{code.group(1).upper()}{int(code.group(2))}")
    if item and not (item.group(2) == "条" and _LAW_WORDS.search(msg)):
        n = _number(item.group(1))
        if n and (_WHY.search(msg) or _CHECK.search(msg) or len(msg) <= 12):
            return Intent(EXPLAIN, item=n)

    if _YOY.search(msg) and not _LAW_WORDS.search(msg):
        return Intent(YOY)
    if _CHECK.search(msg) and not _LAW_WORDS.search(msg):
        return Intent(CHECK)
    if _SOURCE.search(msg):
        return Intent(SOURCE)
    if _YOY.search(msg):
        return Intent(YOY)
    if _CHECK.search(msg):
        return Intent(CHECK)
    return Intent(UNKNOWN)
