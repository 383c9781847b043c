"""What a question asks, read into a ``Question``: the figures it names and what it wants of them.

Each piece is a small matcher over the normalised message: the vocabulary's
phrases (``lexicon``), the table's own numbering ("（三）5", "表四"), the
report it names ("淮安", "去年的"), the finding it names ("问题3"), the
article ("第五十条") and the verbs around them ("占比", "一共", "比去年",
"哪个多", "怎么改"). ``intents.detect`` decides from a ``Question`` which
stage answers; ``lookup`` turns its figures into a ``Spec``.

Only the user's words are read, never report text, so a report cannot steer
the assistant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..parse.numbers import chinese_to_number
from . import lexicon
from .figures import PAREN_ROWS

_CN = "一二两三四五六七八九十百零〇"
_NUM = rf"[{_CN}\d]+"

# Finding numbers: "问题3", "第3个问题", "第三条问题", "3号问题", "问题三".
_FINDING = [
    re.compile(rf"问题\s*(?:第)?\s*({_NUM})(?![条款项章])"),
    re.compile(rf"第\s*({_NUM})\s*(?:个|条|项|处|号)?\s*问题"),
    re.compile(rf"({_NUM})\s*号\s*问题"),
]
# "第三项" / "第3条" with a why-word: the wording the problem list used before it said "问题3".
_ITEM = re.compile(rf"第\s*({_NUM})\s*(项|条|个|点|处)")
_CODE = re.compile(r"(?<![A-Za-z])([PINXpinx])\s*-?\s*(\d{1,2})(?!\d)")
_ARTICLE = re.compile(rf"第\s*({_NUM})\s*条")
_PAREN = re.compile(r"（\s*([一二三四五六七])\s*）(?:\s*第?\s*([1-8一二三四五六七八])\s*(?:项|类|条|个|[.．、])?)?")
_SUB_AFTER_GROUP = re.compile(r"^(?:中|里|里面|中的|里的|的)?\s*第?\s*([1-8一二三四五六七八])\s*(?:项|类|条|个|[.．、])")
_TOP_ROW = re.compile(r"(?<![（第\d])([一二四])、")
_TABLE = re.compile(r"表\s*([二三四234])")
_YEAR = re.compile(r"(20\d\d)\s*年?")

WHY = re.compile(r"为什么|为何|怎么回事|什么意思|啥意思|解释|说明一下|讲讲|依据是|凭什么|哪里不对|不对|错在|"
                 r"是什么问题|详细|具体说说|说说|是啥|是什么")
FIX = re.compile(r"怎么改|如何改|怎样改|怎么修改|如何修改|怎么修正|如何修正|怎么订正|改成多少|改为多少|应该改成|应该填|"
                 r"该填多少|怎么填|如何纠正|怎么纠正|怎么处理这个|改正方法|修改建议|怎么弄|咋改")
ERROR_WORDS = re.compile(r"对不上|不对|错|问题|检查|核对|校验|审核|审查|不一致|不相符|不符|毛病|勾稽|合不上|不平|出入")
QUANTITY = re.compile(r"多少|几[件起个次项宗条份]?|哪些|明细|是多少|数量|数字|数据|占比|比例|比重|百分|%|率|多大|多不多|"
                      r"哪个|哪份|哪家|谁|比较|对比|相比|分别|是否|有没有|有无|吗|呢|[?？]$|填的|写的|记的")
# How long an answer should be ("用几句话概括"), not how many of anything.
_HOW_LONG = re.compile(r"(用)?几句话?|几点|几个方面|几段")
SHARE = re.compile(r"占比|比例|比重|百分之|百分比|占多少|占了多少|占总数|%|率|几成")
SUM = re.compile(r"一共|共计|总共|合计|加起来|相加|加在一起|之和|总和|和是")
CHANGE = re.compile(r"同比|增长|增加|减少|下降|上升|变化|增减|多了|少了|涨|降|比去年|比上年|较去年|较上年|和去年|与去年|"
                    r"跟去年|同去年|和上年|与上年|跟上年|去年相比|上年相比|比上一年|较上一年|变动")
LAST_YEAR = re.compile(r"去年|上年|上一年|前一年|上一年度|上年度")
COMPARE = re.compile(r"哪个|哪份|哪家|哪一个|哪年|哪一年|谁|比较|对比|相比|分别|各自|各个|各份|各报告|各单位|各机关|各地|"
                     r"每个|每份|两份|几份|"
                     r"这些报告|所有报告|"
                     r"全部报告|都是多少|排名|排序|最多|最少|更多|更少|差多少|相差|谁多|和.{1,8}比")
SEVERITY = [("error", re.compile(r"错误|出错|算错|硬伤|严重")), ("warning", re.compile(r"警告|疑似|可能有问题")),
            ("info", re.compile(r"提示|提醒"))]
# Words for things the tables do not count: a question with one of them is not asking for a table figure
# even when it names a row ("予以公开的平均答复时间").
OTHER_MEASURE = re.compile(r"主动公开|多少条|几条|条信息|平均|时间|时长|用时|天数|工作日|时限|期限|日期|几月|几号|"
                           r"原因|理由|内容|名称|名单|哪些信息|什么信息|"
                           r"哪些事项|什么事项|哪些部门|网站|浏览|访问|点击|培训|会议|人次|意思|含义|定义|口径|怎么算|如何统计|"
                           r"怎么统计|怎么填|如何填|填什么|包括哪些|包括什么|指什么|是指")
# Words that add nothing to a figure's name: "表三的（一）予以公开是？".
_FILLER = re.compile(r"表[二三四234]|请问|请|帮我|帮忙|看看|看一下|查一下|查查|查询|一下|告诉我|我想知道|想知道|这份|那份|报告|年报|"
                     r"今年|本年度|本年|全年|里面|里的|里|中的|之中|中|的|是|有|了|呢|吗|啊|呀|么|\d+[.．、]|[一二三四五六七八]、|"
                     r"第[\d一二三四五六七八]+[项类条个]?|\d{4}年?|"
                     r"[，。,.？?！!：:、；;（）()“”\s]")
_VERIFY = r"对不对|对吗|对么|是不是对|正确吗|准确吗|没错吧|有没有错|是否正确"
RULE_LIST = re.compile(r"(有哪些|有什么|全部|所有|列出|查看|看看)(检查)?规则|规则(列表|清单|有哪些|目录)")
REG_WORDS = re.compile(r"条例|法规|规定|办法|通知|国办|规章|实施|政府信息公开条例")
ARTICLE_ASK = re.compile(r"说了什么|讲了什么|内容|原文|全文|条文|规定了什么|怎么规定|是什么|写的什么|说的什么|讲的什么|规定")


@dataclass
class Question:
    text: str  # normalised message
    terms: list[lexicon.Term] = field(default_factory=list)
    rows3: list[str] = field(default_factory=list)  # table 三 row or group keys, in order
    cols3: list[str] = field(default_factory=list)  # column labels, or "organisations"
    groups4: list[str] = field(default_factory=list)
    cols4: list[str] = field(default_factory=list)
    rows2: list[str] = field(default_factory=list)  # "block.row"
    cols2: list[str] = field(default_factory=list)
    table: Optional[str] = None  # "二", "三", "四" when the message names the table
    reports: list[int] = field(default_factory=list)  # workspace reports it names
    years: list[int] = field(default_factory=list)  # report years it names ("2023年的")
    last_year: bool = False  # names last year's report
    finding: Optional[int] = None  # "问题3"
    item: Optional[int] = None  # "第三项" with a why-word (the old wording)
    code: Optional[str] = None  # "P1"
    article: Optional[int] = None
    severity: Optional[str] = None
    share: bool = False
    sum: bool = False
    change: bool = False
    compare: bool = False
    fix: bool = False
    why: bool = False
    quantity: bool = False
    error_words: bool = False
    rule_list: bool = False
    narrative: bool = False  # about the report's text rather than its tables
    cross_year: bool = False  # about last year's report against this one (rules X*)
    itemise: bool = False  # a group's sub-rows, each on its own
    verify: Optional[float] = None  # "办结33件对不对": the figure the user wants checked
    other_measure: bool = False  # asks about something the tables do not count
    residue: str = ""  # what the message says besides the figures it names and filler words
    regulation_words: bool = False
    law_words: bool = False
    article_ask: bool = False

    @property
    def names_figure(self) -> bool:
        return bool(self.rows3 or self.cols3 or self.groups4 or self.cols4 or self.rows2 or self.cols2)

    @property
    def understood(self) -> list[str]:
        """What was recognised, in words, for a reply that cannot answer."""
        out = []
        if self.table:
            out.append(f"表{self.table}")
        out += [f"“{t.phrase}”" for t in self.terms]
        if self.finding:
            out.append(f"问题{self.finding}")
        if self.code:
            out.append(f"规则 {self.code}")
        if self.article:
            out.append(f"第{self.article}条")
        if self.share:
            out.append("占比")
        if self.change:
            out.append("与上年比较")
        if self.compare:
            out.append("报告之间比较")
        return out


def number(text: str) -> Optional[int]:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return chinese_to_number(text)


ReportNames = list[tuple[list[str], Optional[int]]]  # per workspace report: its name aliases and year


def understand(message: str, report_names: Optional[ReportNames] = None) -> Question:
    """Read a message; ``report_names`` are each workspace report's aliases and year, by index."""
    text = lexicon.normalise(message)
    q = Question(text=text)
    q.terms, covered = lexicon.match(text)
    q.rows3 = lexicon.keys(q.terms, "rows3")
    q.cols3 = lexicon.keys(q.terms, "columns3") + (["organisations"] if lexicon.keys(q.terms, "organisations") else [])
    q.groups4 = lexicon.keys(q.terms, "groups4")
    q.cols4 = lexicon.keys(q.terms, "columns4")
    q.rows2 = lexicon.keys(q.terms, "rows2")
    q.cols2 = lexicon.keys(q.terms, "columns2")
    _table_numbering(q)
    # A group named with one of its own sub-rows ("不予公开里第三方权益的") asks for the sub-row.
    for group, subs in _SUBROWS.items():
        if group in q.rows3 and any(r in q.rows3 for r in subs):
            q.rows3.remove(group)
    # "合计"/"一共" alone is the total column of whatever else is named, not a figure of its own.
    if q.cols3 == ["总计"] and not q.rows3:
        q.cols3 = []
    if q.cols4 == ["total"] and not q.groups4:
        q.cols4 = []
    # "不予处理的有哪些" / "无法提供的明细": each sub-row of the group.
    if re.search(r"哪些|明细|各项|具体|细分|分项", text):
        for group, subs in _SUBROWS.items():
            if q.rows3 == [group]:
                q.rows3 = list(subs)
                q.itemise = True
    m = _TABLE.search(text)
    if m:
        q.table = {"2": "二", "3": "三", "4": "四"}.get(m.group(1), m.group(1))

    # Words inside a figure's name ("纠错" in 被纠错的) say nothing about what is asked.
    outside = "".join(" " if c else ch for ch, c in zip(text, covered))
    if report_names:
        q.reports = _named_reports(text, report_names)
        for aliases, _ in report_names:  # a report's name is not part of the question
            for alias in sorted(aliases, key=len, reverse=True):
                a = lexicon.normalise(alias, typos=False)
                if len(a) >= 2:
                    outside = outside.replace(a, " " * len(a))
    q.why = bool(WHY.search(outside))
    q.fix = bool(FIX.search(text))
    q.error_words = bool(ERROR_WORDS.search(outside))
    q.quantity = bool(QUANTITY.search(_HOW_LONG.sub(" ", text)))
    q.share = bool(SHARE.search(text))
    q.sum = bool(SUM.search(text))
    q.change = bool(CHANGE.search(outside))  # "本年增/减" is a column, not a change
    q.last_year = bool(LAST_YEAR.search(outside))
    q.years = sorted({int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", text)})
    q.compare = bool(COMPARE.search(text))
    q.rule_list = bool(RULE_LIST.search(text))
    q.narrative = bool(re.search(r"叙述|文字部分|正文|文字描述|描述部分|总体情况部分", text))
    q.cross_year = bool(re.search(r"跨年|衔接|上下年|前后年|与上年报告|和上年报告", text))
    claimed = re.search(rf"(\d+(?:\.\d+)?)\s*(?:件|个|起|项|万元|元)?.{{0,3}}(?:{_VERIFY})", text)
    if claimed:
        q.verify = float(claimed.group(1))
    q.other_measure = bool(OTHER_MEASURE.search(outside))
    q.residue = _FILLER.sub("", _PAREN.sub("", outside.replace(" ", "")))
    q.regulation_words = bool(REG_WORDS.search(text))
    q.law_words = bool(REG_WORDS.search(outside))  # "规章" as table 二's row is not a regulation word
    q.article_ask = bool(ARTICLE_ASK.search(text))
    for name, pattern in SEVERITY:
        if pattern.search(text):
            q.severity = name
            break

    for pattern in _FINDING:
        m = pattern.search(text)
        if m:
            q.finding = number(m.group(1))
            break
    code = _CODE.search(text)
    if code:
        q.code = f"{code.group(1).upper()}{int(code.group(2))}"
    article = _ARTICLE.search(text)
    if article and q.finding is None:
        n = number(article.group(1))
        if n:
            q.article = n
    item = _ITEM.search(text)
    if item and q.finding is None:
        if item.group(2) == "条" and not (q.why or q.error_words or q.fix):
            q.article = q.article or number(item.group(1))  # "第五十条" alone is an article
        else:
            q.item = number(item.group(1))
    return q


def _table_numbering(q: Question) -> None:
    """"（三）5", "不予公开第5项", "一、" as the table prints them."""
    text = q.text
    for m in _PAREN.finditer(text):
        key = PAREN_ROWS.get(m.group(1))
        if key is None:
            continue
        sub = number(m.group(2)) if m.group(2) else None
        _add_row(q, key, sub)
    # A group named in words, then its sub-row by number: "不予公开第5项", "无法提供里的第1类".
    for t in q.terms:
        if t.section != "rows3" or t.key not in ("withheld", "unavailable", "not_processed", "other"):
            continue
        after = _SUB_AFTER_GROUP.match(text[t.end:])
        if after:
            sub = number(after.group(1))
            if sub:
                _add_row(q, t.key, sub)
    for m in _TOP_ROW.finditer(text):
        _add_row(q, {"一": "new", "二": "carried_in", "四": "carried_out"}[m.group(1)], None)


_SUBROWS = {
    "withheld": ["secret", "law_forbidden", "three_safety", "third_party", "internal", "process",
                 "enforcement_file", "inquiry"],
    "unavailable": ["not_held", "needs_making", "still_unclear"],
    "not_processed": ["complaint", "repeated", "publication", "mass_repeated", "reconfirm"],
    "other": ["overdue_correction", "unpaid_fee", "other_misc"],
}


def _add_row(q: Question, key: str, sub: Optional[int]) -> None:
    """Add a row named by the table's numbering; a sub-row replaces its group."""
    if sub and key in _SUBROWS and 1 <= sub <= len(_SUBROWS[key]):
        row = _SUBROWS[key][sub - 1]
        q.rows3 = [r for r in q.rows3 if r != key]
        if row not in q.rows3:
            q.rows3.append(row)
        return
    if key not in q.rows3:
        q.rows3.append(key)


def _named_reports(text: str, names: ReportNames) -> list[int]:
    """The reports a message names, in the order it names them.

    A report is named by an alias of its agency or file ("淮安", "临淄区"); when
    several reports share the name, the year written beside it ("平潭2023年")
    picks among them.
    """
    years = {int(y) for y in _YEAR.findall(text)}
    hits: list[tuple[int, int, bool]] = []  # (position, index, year named)
    for i, (aliases, year) in enumerate(names):
        at = None
        for alias in aliases:
            a = lexicon.normalise(alias, typos=False)
            if len(a) >= 2:
                found = text.find(a)
                if found >= 0 and (at is None or found < at):
                    at = found
        if at is not None:
            hits.append((at, i, year in years))
    if years and any(h[2] for h in hits):
        hits = [h for h in hits if h[2]]
    elif years and not hits:
        hits = [(0, i, True) for i, (_, year) in enumerate(names) if year in years]
    return [i for _, i, _ in sorted(hits)]
