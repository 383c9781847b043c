"""Which table quantity a narrative figure speaks of, read from its words.

Meaning, not one keyword: "不同意公开答复数0件" is 不予公开 although it
contains 同意公开 and 答复, so the specific patterns are tried first.
Application quantities are only assigned in sentences about applications
(申请), and never to figures about reviews, lawsuits, hotlines or proposals.
"""

from __future__ import annotations

import re
from typing import Optional

from ..model import Edition
from .tables import rows_for

# (pattern, key); the first match in a figure's label wins.
APPLICATION_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), k)
    for p, k in [
        # How fast requests were answered ("20个工作日内答复162件", "延期答复9件") is
        # not a table quantity, although it says 答复.
        (r"工作日|法定期限|答复期限|期限内|时限内|延期|延长|超期|超过法定|平均用时|最长用时|用时", "timeliness"),
        (r"上年度?结转|上一年度?结转|结转上年|上年度?遗留|上年度?未办结", "carried_in"),
        (r"结转(至|到)?下|顺延|转入下|下一?年度?继续|继续办理|尚在办理|正在办理|仍在办理|尚未办结|未办结", "carried_out"),
        (r"部分公开|部分同意|部分予以公开", "partly"),
        (r"不予公开|不同意公开|不公开", "withheld"),
        (r"不掌握|不属于本|非本机关|不属本|不在本机关|信息不存在|不存在", "not_held"),
        (r"另行制作|没有现成|无现成", "needs_making"),
        (r"仍不明确|补正后", "still_unclear"),
        (r"无法提供", "unavailable"),
        (r"信访|举报|投诉", "complaint"),
        (r"重复申请", "repeated"),
        (r"出版物", "publication"),
        (r"大量反复|大量、反复", "mass_repeated"),
        (r"确认或重新出具|重新出具", "reconfirm"),
        (r"不予处理", "not_processed"),
        (r"逾期不补正|逾期未补正|未补正|不补正", "overdue_correction"),
        (r"逾期未缴|未按收费通知|未缴纳|未缴费", "unpaid_fee"),
        (r"其他处理", "other"),
        (r"予以公开|同意公开|全部公开|公开答复|准予公开", "disclosed"),
        (r"新收", "new"),
        (r"受理|收到|接收|共收|接到|申请总[数量]|申请量", "received"),
        (r"办结|答复|办理完毕|处理完毕|已办理|作出.{0,6}决定", "total"),
        (r"当面|信函|网上|网络|在线|电子邮件|邮件|传真|来信|现场|窗口", "channel"),
    ]
]
# Figures with these words are about something else, even in an application sentence.
_NOT_APPLICATIONS = re.compile(r"复议|诉讼|许可|处罚|强制|热线|咨询|留言|建议|提案|来电|12345|信箱|舆情|回应|培训|会议")
_APPLICATION_UNITS = {"件", "个", "条", "次", "宗", "例", "起"}
LEVEL_KEYS = ("new", "received", "carried_in", "total", "carried_out")
# Quantities a narrative states about applications that no table cell holds.
NON_TABLE_KEYS = ("channel", "timeliness")
# Result keys the 2019 edition folds into （六）其他处理.
_FALLBACK = {"overdue_correction": "other", "unpaid_fee": "other"}


def application_key(label: str, edition: Edition) -> Optional[str]:
    for pattern, key in APPLICATION_PATTERNS:
        if pattern.search(label):
            if key in NON_TABLE_KEYS + LEVEL_KEYS:
                return key
            if not rows_for(edition, key):
                key = _FALLBACK.get(key, key)
            return key if rows_for(edition, key) else None
    return None


# The result categories a narrative names with one word, specific ones first
# ("不予公开" before "公开"; "全部或部分公开" is two categories in one phrase).
_CATEGORY_WORDS = re.compile(
    r"(?P<both>全部或部分公开|全部或者部分公开)"
    r"|(?P<partly>部分公开|部分同意|部分予以公开)"
    r"|(?P<withheld>不予公开|不同意公开|不公开)"
    r"|(?P<unavailable>无法提供)"
    r"|(?P<not_processed>不予处理)"
    r"|(?P<other>其他处理)"
    r"|(?P<disclosed>予以公开|同意公开|全部公开|准予公开)"
)
# What may stand between two category words of one compound category:
# "予以公开及部分公开", "不予公开和无法提供", "同意公开（含部分公开）".
_JOINT = re.compile(r"^(及|和|与|以及|或|或者|、|[（(]?含|[（(]?包括|加|\+)?$")
_JOINT_TAIL = re.compile(r"^[）)]?")
# "因…等原因无法提供": the group named by a reason given as an example.
_QUALIFIED = re.compile(r"等(?:原因|情形|情况|理由)?(?:而|被|予以|决定)?(不予公开|无法提供|不予处理|其他处理)")


def categories(label: str, edition: Edition) -> Optional[tuple[tuple[str, ...], bool]]:
    """((keys…), qualified) when the label names result categories by their group words.

    Several categories joined by 及/和/含 (a compound category) are summed;
    "因不掌握等原因无法提供" names the whole group （四）, qualified. None when the
    label names no category or a single specific row (application_key's business).
    """
    q = _QUALIFIED.search(label)
    if q:
        key = {"不予公开": "withheld", "无法提供": "unavailable", "不予处理": "not_processed",
               "其他处理": "other"}[q.group(1)]
        return ((key,), True) if rows_for(edition, key) else None
    found = list(_CATEGORY_WORDS.finditer(label))
    if len(found) < 2 and not (found and found[0].lastgroup == "both"):
        return None
    keys: list[str] = []
    for i, m in enumerate(found):
        if i:
            between = label[found[i - 1].end():m.start()]
            between = _JOINT_TAIL.sub("", between, count=1) if between[:1] in "）)" else between
            if not _JOINT.match(between):
                return None  # two categories in one label but not one compound: leave it
        name = m.lastgroup or ""
        keys.extend(("disclosed", "partly") if name == "both" else (name,))
    keys = [k for k in dict.fromkeys(keys) if rows_for(edition, k)]
    return (tuple(keys), False) if len(keys) >= 2 else None


def top_level(edition: Edition, key: str) -> str:
    """The result category a key belongs to: not_held -> unavailable."""
    decl = edition.table3
    for r in decl.rows:
        if r.key == key and r.group:
            return decl.group_keys.get(r.group, key)
    return key


RESULT_TOP_KEYS = ("disclosed", "partly", "withheld", "unavailable", "not_processed", "other")
