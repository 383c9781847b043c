"""Where a note or an extra figure belongs in the report.

Notes may say where they go ("监督保障：……"); otherwise their words decide.
The order of the tests matters: "门户网站发布信息" is about what was
published (主动公开), although it names a platform.
"""

from __future__ import annotations

import re

ACTIVE, APPLY, MANAGE, PLATFORM, SUPERVISION, INTRO = "active", "apply", "manage", "platform", "supervision", "intro"
PROBLEMS, OTHER = "problems", "other"

PART_TITLES = {
    ACTIVE: "主动公开",
    APPLY: "依申请公开",
    MANAGE: "政府信息管理",
    PLATFORM: "政府信息公开平台建设",
    SUPERVISION: "监督保障",
}

_EXPLICIT = [
    (re.compile(r"^(总体|总述|概述)[:：]"), INTRO),
    (re.compile(r"^(主动公开)[:：]"), ACTIVE),
    (re.compile(r"^(依申请公开|依申请)[:：]"), APPLY),
    (re.compile(r"^(政府信息管理|信息管理|管理)[:：]"), MANAGE),
    (re.compile(r"^(政府信息公开平台建设|平台建设|平台)[:：]"), PLATFORM),
    (re.compile(r"^(监督保障|监督)[:：]"), SUPERVISION),
    (re.compile(r"^(问题|不足|改进|整改|存在的问题)[:：]"), PROBLEMS),
    (re.compile(r"^(其他|其他事项|其他需要报告的事项)[:：]"), OTHER),
]
_BY_WORDS = [
    (re.compile(r"问题|不足|差距|短板|薄弱|改进|下一步|整改"), PROBLEMS),
    (re.compile(r"考核|评议|追责|问责|责任追究|培训|督查|督导|检查|监督"), SUPERVISION),
    (re.compile(r"人大|政协|代表建议|委员提案|提案|工作要点|信息处理费"), OTHER),
    (re.compile(r"依申请|申请"), APPLY),
    (re.compile(r"发布|解读|主动公开|公报|新闻发布会|发布会|回应"), ACTIVE),
    (re.compile(r"平台|网站|新媒体|专栏|专区|公众号|微博|政务服务网|查阅点|阅览"), PLATFORM),
    (re.compile(r"管理|属性|清理|指南|目录|保密审查|审核|归档"), MANAGE),
]


def classify_note(note: str) -> tuple[str, str]:
    """(part, text without its "part：" label)."""
    for pattern, part in _EXPLICIT:
        m = pattern.match(note)
        if m:
            return part, note[m.end():].strip()
    for pattern, part in _BY_WORDS:
        if pattern.search(note):
            return part, note
    return ACTIVE, note


def classify_extra(label: str) -> str:
    if "信息处理费" in label or re.search(r"人大|政协|代表建议|提案", label):
        return OTHER
    if re.search(r"培训|考核|评议|督查|检查", label):
        return SUPERVISION
    if re.search(r"发布|公开|解读|信息|公报|发布会|回应|文件", label):
        return ACTIVE
    if re.search(r"平台|网站|新媒体|专栏|专区|账号|公众号|微博|查阅点|阅览", label):
        return PLATFORM
    if "申请" in label:
        return APPLY
    return ACTIVE


def sentence(text: str) -> str:
    """A note as a sentence of the report: ends with 。 and has no list marker."""
    text = re.sub(r"^\s*(?:[-*•·]|\d+[.、．]|[（(][一二三四五六七八九十\d]+[）)])\s*", "", text.strip())
    if text and text[-1] not in "。！？；":
        text += "。"
    return text
