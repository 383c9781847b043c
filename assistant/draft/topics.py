"""Which fact a figure's own words name.

"予以公开19件" is wrong when 予以公开 is 69, even though 19 is some other
cell's value. When the words before a figure clearly name a quantity, the
guard holds the figure to that quantity (or to a change or sum built from
it); when they do not, any fact of the same kind will do. The application
words are the checker's own (``check.quantities``), so the guard and the
narrative checker read a sentence the same way.
"""

from __future__ import annotations

import re
from typing import Optional

from ..check.narrative_rules import T4_COLUMN_WORDS, t4_group
from ..check.quantities import NON_TABLE_KEYS, application_key
from ..model import Edition
from .sheet import ORG_WORD, FactSheet

LABEL_STOPS = "，,；;。：:（）()！？!?、\n"
_APPLICATION_UNITS = {"件", "个", "条", "次", "宗", "例", "起", None}
_CASE_UNITS = {"件", "起", "宗", "例", None}
_NOT_APPLICATIONS = re.compile(r"复议|诉讼|起诉|许可|处罚|强制|热线|咨询|留言|建议|提案|来电|信箱|舆情|回应|培训|会议")
_GENERIC_KEYS = ("received", "total") + NON_TABLE_KEYS
_APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构")
_ORG = re.compile(r"法人或其他组织|法人和其他组织|法人|其他组织|企业和组织")

DELTA = re.compile(r"增加|减少|增长|下降|上升|同比|环比|较上年|比上年|较去年|比去年|提高|降低|增|减")
# Words that announce a sum of several named quantities: "新收和上年结转合计189件".
SUM_WORDS = re.compile(r"合计|共计|总计|之和|加上|累计")

_DOCS_ROW = re.compile(r"(行政)?规范性文件|规章")
_DOC_REPEALED = re.compile(r"废止|失效")
_DOC_IN_FORCE = re.compile(r"现行有效|有效|累计|总数|总量")
_DOC_NEW = re.compile(r"制发|印发|出台|制定|发布|新增|新制作|新公开|公开")


def topic(sheet: FactSheet, sentence_before: str, prefix: str, suffix: str, unit: Optional[str],
          money: bool, sentence: str) -> Optional[list[str]]:
    """Fact keys the figure speaks of, or None when its words name none we know."""
    ed: Edition = sheet.edition
    label = prefix + "|" + suffix

    if "信息处理费" in prefix and money:
        keys = [k for k, f in sheet.facts.items() if k.startswith("extra.") and "信息处理费" in f.label]
        return keys or None

    for extra_key, fact in sheet.extra_labels:
        if fact.label and fact.label in prefix:
            return [extra_key]

    if money:
        return None

    group = t4_group(sentence_before) if re.search(r"复议|诉讼|起诉", sentence_before) else None
    if group is not None and unit in _CASE_UNITS:
        column = next((c for p, c in T4_COLUMN_WORDS if p.search(label)), "total")
        return [f"t4.{group}.{column}"]

    if unit in _APPLICATION_UNITS and not _NOT_APPLICATIONS.search(prefix + suffix):
        key = application_key(prefix, ed) or application_key(suffix, ed)
        # 办结、收到 are said of many things; the result and carry-over words of
        # table 三 are not, so they name an application quantity even without 申请.
        if key in _GENERIC_KEYS and "申请" not in sentence:
            key = None
        if key and key not in NON_TABLE_KEYS:
            keys = ["t3.new", "t3.received"] if key == "received" else [f"t3.{key}"]
            cols = [c for c in _APPLICANT_COLUMNS if c in prefix]
            if _ORG.search(prefix):
                cols.append(ORG_WORD)
            if cols:
                keys = [f"{k}@{c}" for k in keys for c in cols]
            return keys

    m = _DOCS_ROW.search(prefix)
    block = ed.block_by_key("documents")
    if m and block and "政策性" not in prefix:
        row = "rules" if m.group().endswith("规章") else "normative"
        if _DOC_REPEALED.search(prefix):
            cols = ["repealed"]
        elif _DOC_IN_FORCE.search(prefix):
            cols = ["in_force", "published_total"]
        elif _DOC_NEW.search(prefix):
            cols = ["issued", "made", "published"]
        else:
            cols = list(block.column_keys.values())
        return [f"t2.documents.{row}.{c}" for c in cols]
    if "决定" in label:
        for block_key, row_key, word in (("licensing", "licensing", "行政许可"), ("enforcement", "penalty", "行政处罚"),
                                         ("enforcement", "coercion", "行政强制")):
            if word in prefix:
                return [f"t2.{block_key}.{row_key}.decisions"]
    return None
