"""The guard: every number in a draft is supported, and every claim it makes is true.

Two halves, both run on whatever a drafter (or a model in the chat) writes:

- **numbers** — ``guard(text, facts)`` reads the text with the project's one
  number reader and returns what it cannot support. A figure is supported
  when it equals a fact or a derivation in the fact sheet (``sheet.py``) of
  the same kind (count, money, percentage) and, when its own words name a
  quantity (``topics.py``), when it equals that quantity or a change or sum
  built from it. Identifiers must be the right ones: the report year (or the
  one before), the statistics dates, the format notice of the report's
  edition, articles that exist in the 条例. A cell the reader did not read for
  sure is no fact.
- **claims** — ``check_claims(facts, paragraphs)`` is exactly the checker's
  narrative rules (``check.narrative_rules.check_narrative``) run on the
  draft set in the facts' tables: a share on the wrong base, a false
  "未收到申请" or "均获维持", a compound category that does not add up is
  unsupported like a wrong number. A claim the checker cannot judge for want
  of a readable cell, a base or last year's figures is unsupported too: the
  guard only lets through what it could verify.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

from pydantic import BaseModel, Field

from ..model import NumberKind, NumberMention, Paragraph, Report, Section
from ..parse.numbers import read_numbers
from ..parse.sentences import sentence_around
from .sheet import (
    ARTICLE_LIMITS,
    COUNT,
    MONEY,
    PERCENT,
    Fact,
    FactSheet,
    fmt,
    normal_date,
    normal_doc,
)
from .topics import DELTA, LABEL_STOPS, SUM_WORDS, topic

SENTENCE_END = "。！？；;!?\n"
# A verb of change right before a figure: the figure is the change ("减少3件"), not a level ("减少到3件").
CHANGE_BY = re.compile(r"(?:增加|减少|增长|下降|上升|降低|提高)了?$")
_MONEY_UNITS = {"元", "万元", "亿元"}
_PERIOD = re.compile(r"(\d{4})\s*年\s*1\s*月\s*1\s*日[^。；]{0,6}?(?:至|到|—|-|－|~|～)[^。；]{0,3}?(\d{4})\s*年\s*12\s*月\s*31\s*日")
_ARTICLE_PART = re.compile(r"第\s*(?:[（(]\s*([^）)]+?)\s*[）)]|([零〇一二两三四五六七八九十百千\d０-９]+))\s*([条款项章节])")
CLAIM = "claim"  # GuardIssue.kind of a claim (the others are the number reader's kinds)
CHECKED_KINDS = {NumberKind.figure, NumberKind.percent, NumberKind.year, NumberKind.date,
                 NumberKind.doc_number, NumberKind.article, NumberKind.identifier}


class GuardIssue(BaseModel):
    """A number the facts do not support, where it stands and why."""

    section: Optional[str] = None  # "preamble", "一" … "六"
    paragraph: Optional[int] = None  # 1-based inside the section
    figure: str  # as written
    value: Optional[float] = None
    kind: str  # the number reader's kind: figure, percent, year …
    reason: str  # Chinese
    expected: Optional[str] = None  # what the facts say, when the words name a quantity
    start: int = 0
    end: int = 0
    stage: Optional[str] = None  # for model output: "初稿", "第1轮修改" …
    rule: Optional[str] = None  # for a claim: the checker's rule code that judged it (N1, N3 …)

    @property
    def is_claim(self) -> bool:
        return self.kind == CLAIM

    def describe(self) -> str:
        where = _where(self.section, self.paragraph)
        return f"{where}“{self.figure}”：{self.reason}"


class Support(BaseModel):
    """Where a supported figure comes from."""

    section: Optional[str] = None
    paragraph: Optional[int] = None
    figure: str
    source: str  # the fact's Chinese label
    how: str = ""  # the computation for a derivation


class Replacement(BaseModel):
    section: str
    paragraph: int  # 1-based inside the section
    reason: str  # Chinese


class GuardVerdict(BaseModel):
    figures_checked: int = 0  # numbers in the delivered text (ordinals are not counted)
    figures_supported: int = 0
    claims_checked: int = 0  # claims about the tables read in the delivered text (shares, absences …)
    claims_supported: int = 0
    # Everything the guard caught in any drafter's output, fixed or replaced since.
    unsupported: list[GuardIssue] = Field(default_factory=list)
    replaced: list[Replacement] = Field(default_factory=list)
    # Issues left in the delivered text: empty unless something is badly wrong.
    remaining: list[GuardIssue] = Field(default_factory=list)
    supports: list[Support] = Field(default_factory=list)

    @property
    def clean(self) -> bool:
        return (not self.remaining and self.figures_checked == self.figures_supported
                and self.claims_checked == self.claims_supported)

    def summary(self) -> str:
        text = f"数字核验：共核对{self.figures_checked}个数字，{self.figures_supported}个有据可查"
        if self.claims_checked:
            if self.claims_supported == self.claims_checked:
                text += f"；核对陈述{self.claims_checked}条，均有据可查"
            else:
                text += f"；核对陈述{self.claims_checked}条，{self.claims_supported}条有据可查"
        caught_claims = sum(1 for i in self.unsupported if i.is_claim)
        caught_numbers = len(self.unsupported) - caught_claims
        if self.unsupported:
            what = "、".join(x for x in (f"数字{caught_numbers}个" if caught_numbers else "",
                                        f"陈述{caught_claims}条" if caught_claims else "") if x)
            text += f"；起草中拦截无依据的{what}"
        if self.replaced:
            text += f"，替换段落{len(self.replaced)}段"
        if self.remaining:
            left_claims = sum(1 for i in self.remaining if i.is_claim)
            left_numbers = len(self.remaining) - left_claims
            what = "、".join(x for x in (f"{left_numbers}个数字" if left_numbers else "",
                                        f"{left_claims}条陈述" if left_claims else "") if x)
            text += f"；仍有{what}无法核实，请人工处理"
        return text + "。"


def _where(section: Optional[str], paragraph: Optional[int]) -> str:
    if section is None:
        return ""
    name = "开头" if section == "preamble" else f"第{section}部分"
    return f"{name}第{paragraph}段" if paragraph else name


class GuardResult(BaseModel):
    checked: int = 0
    issues: list[GuardIssue] = Field(default_factory=list)
    supports: list[Support] = Field(default_factory=list)


def guard(text: str, facts, section: Optional[str] = None, paragraph: Optional[int] = None) -> list[GuardIssue]:
    """What in ``text`` the facts do not support; an empty list means every number is backed."""
    return check_text(text, facts, section, paragraph).issues


def check_text(text: str, facts, section: Optional[str] = None, paragraph: Optional[int] = None,
               declared: Iterable[str] = (), sheet: Optional[FactSheet] = None,
               mentions: Optional[list[NumberMention]] = None) -> GuardResult:
    """The guard with its bookkeeping: how many numbers, and where each supported one comes from.

    ``declared`` names the facts the drafter says it used; a figure that
    equals one of them is credited to it in the verdict. ``sheet`` is the
    facts' sheet when the caller has it at hand (checking it is current
    costs more than the check).
    """
    sheet = sheet or facts.sheet()
    declared = set(declared)
    out = GuardResult()
    mentions = read_numbers(text) if mentions is None else mentions
    for i, m in enumerate(mentions):
        if m.kind not in CHECKED_KINDS:
            continue
        if m.kind in (NumberKind.figure, NumberKind.percent) and m.value is None:
            continue
        out.checked += 1
        problem, fact = _check_one(sheet, text, m, mentions, section, declared)
        if problem is None:
            out.supports.append(Support(section=section, paragraph=paragraph, figure=m.raw,
                                        source=fact.label if fact else _identifier_source(m),
                                        how=fact.how if fact else ""))
        else:
            reason, expected = problem
            out.issues.append(GuardIssue(section=section, paragraph=paragraph, figure=m.raw,
                                         value=m.value, kind=m.kind.value, reason=reason, expected=expected,
                                         start=m.start, end=m.end))
    out.issues.extend(_period_issues(sheet, text, section, paragraph))
    return out


def _identifier_source(m: NumberMention) -> str:
    return {
        NumberKind.year: "报告年度",
        NumberKind.date: "统计期限或法定日期",
        NumberKind.doc_number: "本报告应引用的文件",
        NumberKind.article: "《政府信息公开条例》条文",
        NumberKind.identifier: "事实中提供的标识",
    }.get(m.kind, "")


def _check_one(sheet: FactSheet, text: str, m: NumberMention, mentions: list[NumberMention],
               section: Optional[str], declared: set[str]):
    """(None, fact) when supported, else ((reason, expected), None)."""
    kind = m.kind
    if kind is NumberKind.figure:
        return _check_figure(sheet, text, m, mentions, declared)
    if kind is NumberKind.percent:
        assert m.value is not None  # check_text skips percentages without a value
        found = sheet.matching(m.value, PERCENT)
        if found:
            return None, _prefer(found, declared)
        return ("这个百分比既不是事实中给出的，也不是按声明的方法（占比、较上年增减幅度，保留一位小数）"
                "由事实算出的", None), None
    if kind is NumberKind.year:
        allowed = set(sheet.years)
        if section == "五" and sheet.year is not None:
            allowed.add(sheet.year + 1)  # plans for the coming year belong in 五
        if m.value in allowed:
            return None, None
        years = "、".join(f"{y}年" for y in sorted(allowed))
        return (f"年份不对：本报告只应出现{years}", None), None
    if kind is NumberKind.date:
        if normal_date(m.raw) in sheet.dates:
            return None, None
        return ("日期没有依据：报告中只应出现统计期限（1月1日至12月31日）、法定公开期限（1月31日）"
                "或事实中给出的日期", None), None
    if kind is NumberKind.doc_number:
        if normal_doc(m.raw) in sheet.docs:
            return None, None
        docs = "、".join(sorted(sheet.docs))
        return (f"文号不是本报告应引用的文件（可引用：{docs}）", None), None
    if kind is NumberKind.article:
        bad = _article_problem(m.raw)
        return ((bad, None), None) if bad else (None, None)
    if kind is NumberKind.identifier:
        flat = re.sub(r"\s+", "", m.raw)
        if flat in sheet.identifiers or any(flat.startswith(x) for x in sheet.identifiers):
            return None, None
        return ("电话、编号等标识没有出现在事实中，不能由起草者自行填写", None), None
    return None, None


def _prefer(found: list[Fact], declared: set[str]) -> Fact:
    for f in found:
        if f.key in declared:
            return f
    given = [f for f in found if not f.derived]
    return given[0] if given else found[0]


def _label_around(text: str, m: NumberMention, mentions: list[NumberMention]) -> tuple[str, str, str, str]:
    """(prefix, suffix, sentence before the figure, whole sentence), whitespace removed."""
    prev_end = max((o.end for o in mentions if o.end <= m.start), default=0)
    j = m.start
    while j > prev_end and text[j - 1] not in LABEL_STOPS:
        j -= 1
    prefix = text[j:m.start]
    k = m.end
    while k < len(text) and text[k] not in LABEL_STOPS:
        k += 1
    suffix = text[m.end:k]
    s, e = sentence_around(text, m.start, m.end, SENTENCE_END)
    flat = lambda x: re.sub(r"\s+", "", x)  # noqa: E731
    return flat(prefix), flat(suffix), flat(text[s:m.start]), flat(text[s:e])


def _check_figure(sheet: FactSheet, text: str, m: NumberMention, mentions, declared: set[str]):
    assert m.value is not None  # check_text skips figures without a value
    unit = m.unit
    if unit in _MONEY_UNITS:
        kinds = [MONEY]
    elif unit in ("万", "亿"):
        kinds = [COUNT, MONEY]
    else:
        kinds = [COUNT]
    found = [f for k in kinds for f in sheet.matching(m.value, k)]
    prefix, suffix, before, sentence = _label_around(text, m, mentions)
    # A paragraph about applications often names them once, in its first sentence.
    context = sentence if "申请" in sentence else ("申请" if "申请" in text[:m.start] else sentence)
    keys = topic(sheet, before, prefix, suffix, unit, MONEY in kinds and COUNT not in kinds, context)
    if keys and not any(k in sheet.facts for k in keys) and any(k in sheet.unread for k in keys):
        # The words name a quantity whose cells were not read for sure: nothing can confirm it.
        return ("文字说的数量在表格中未能确认读取（单元格不确定或无法读取），不能由表格核实", None), None
    if keys is not None:
        keys = [k for k in keys if k in sheet.facts]
    if keys:
        delta = bool(DELTA.search(prefix[-8:]) or DELTA.search(suffix[:6]))
        sums = bool(SUM_WORDS.search(prefix))
        # "减少3件" states a change: it may not be the quantity itself (3 cases this year).
        change_only = bool(CHANGE_BY.search(prefix))
        ok = [f for f in found if _about(f, keys, delta, sums, change_only)]
        if ok:
            return None, _prefer(ok, declared)
        named = sheet.facts[keys[0]]
        expected = "；".join(f"{sheet.facts[k].label} = {fmt(sheet.facts[k].value)}" for k in keys[:3])
        if found:
            reason = f"文字说的是{_short(named.label)}，事实为{fmt(named.value)}，这里写成了{fmt(m.value)}"
        else:
            reason = f"事实中没有这个数字；文字说的是{_short(named.label)}，事实为{fmt(named.value)}"
        return (reason, expected), None
    if found:
        return None, _prefer(found, declared)
    what = "金额" if kinds == [MONEY] else "数字"
    return (f"这个{what}在事实和可声明的推算（合计、差额、较上年增减、占比）中都找不到", None), None


def _short(label: str) -> str:
    return label.replace(" × 总计", "")


def _about(f: Fact, keys: list[str], delta: bool, sums: bool, change_only: bool = False) -> bool:
    if f.key in {k + ".abs" for k in keys}:
        return True  # 本年增/减 −4 written "减少4项"
    base = {k for key in keys for k in (key, "prev." + key)}
    if f.key in base:
        return not change_only
    if not f.derived:
        return False
    if f.key.startswith("yoy."):
        return delta and f.parts[0] in keys
    if f.key.startswith("share."):
        return False
    return sums and bool(set(f.parts) & set(keys))


def _article_problem(raw: str) -> Optional[str]:
    from ..parse.numbers import chinese_to_number

    for m in _ARTICLE_PART.finditer(raw):
        token = (m.group(1) or m.group(2) or "").translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        n = int(token) if token.isdigit() else chinese_to_number(token)
        kind = m.group(3)
        limit = ARTICLE_LIMITS.get(kind)
        if n is None or limit is None:
            return "无法核实的条款引用"
        if n < 1 or n > limit:
            if kind == "条":
                return "《政府信息公开条例》只有第一条至第五十六条，没有这一条"
            return f"条款编号超出了条例的范围（{kind}最多到第{limit}{kind}）"
    return None


def _period_issues(sheet: FactSheet, text: str, section, paragraph) -> list[GuardIssue]:
    out: list[GuardIssue] = []
    if sheet.year is None:
        return out
    for m in _PERIOD.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a != sheet.year or b != sheet.year:
            out.append(GuardIssue(section=section, paragraph=paragraph, figure=m.group(), kind="date",
                                  reason=f"统计期限应为{sheet.year}年1月1日至{sheet.year}年12月31日",
                                  expected=f"{sheet.year}年1月1日至{sheet.year}年12月31日",
                                  start=m.start(), end=m.end()))
    return out


# ------------------------------------------------------------------ claims


class ClaimResult(BaseModel):
    """The narrative rules on a draft: how many claims they judged, and what they did not let through."""

    checked: int = 0
    supported: int = 0
    issues: list[GuardIssue] = Field(default_factory=list)
    # Figures of counts, shares and changes the rules verified against the tables, (section,
    # paragraph, start, end): supported even when the sheet has no such fact ("予以公开及部分公开42件",
    # "不予公开和无法提供36件", "占51.85%").
    verified: list[tuple[str, int, int, int]] = Field(default_factory=list)


# A claim the checker could not judge is not a verified one: in a draft it is unsupported.
_NOT_VERIFIED = {
    "unread": "涉及的表格数字未能确认读取，不能据此写出",
    "unverifiable": "无法核实",
}


def draft_as_report(facts, paragraphs: Iterable[tuple[str, int, str]],
                    numbers: Optional[list[NumberMention]] = None) -> Report:
    """The facts' tables with ``paragraphs`` ((section, index, text), index 1-based) as the narrative.

    Paragraphs not given are left empty, so that every paragraph keeps its
    own number and a finding's place is the drafter's place. ``numbers`` are
    the paragraphs' numbers when already read (with section and paragraph).
    """
    by_section: dict[str, dict[int, str]] = {}
    for section, index, text in paragraphs:
        by_section.setdefault(section, {})[index] = text

    def paras(key: str) -> list[Paragraph]:
        got = by_section.get(key, {})
        return [Paragraph(text=got.get(i, "")) for i in range(1, max(got, default=0) + 1)]

    ed = facts.edition_decl
    sections = [Section(key=d.key, heading=d.heading, raw_heading=d.heading, paragraphs=paras(d.key))
                for d in ed.sections]
    return facts.tables.model_copy(update=dict(
        edition=facts.edition, agency=facts.agency, year=facts.year, level=facts.level,
        preamble=paras("preamble"), sections=sections, narrative_numbers=numbers or [], labels=[], problems=[]))


def check_claims(facts, paragraphs: Iterable[tuple[str, int, str]],
                 numbers: Optional[list[NumberMention]] = None) -> ClaimResult:
    """The checker's narrative rules on ``paragraphs`` ((section, index, text)) set in the facts' tables.

    An error or warning the checker would report on the text is an issue at
    its place; so is a claim it could not verify (a cell not read for sure, a
    share whose base cannot be identified, a change with no figures for last
    year). Report-wide findings (a section missing, 考核 not mentioned) are
    not the drafted paragraphs' business and are left out.
    """
    from ..check import Severity
    from ..check.claims import Kind, Status
    from ..check.narrative_rules import check_narrative

    paragraphs = list(paragraphs)
    wanted = {(section, index) for section, index, _ in paragraphs}
    report = draft_as_report(facts, paragraphs, numbers)
    out = ClaimResult()
    try:
        findings, claims = check_narrative(report, facts.previous)
    except Exception as exc:  # noqa: BLE001 - a rule that cannot finish verifies nothing
        for section, index, text in paragraphs:
            if text.strip():
                out.issues.append(GuardIssue(section=section, paragraph=index, figure=text[:20], kind=CLAIM,
                                             reason=f"陈述核验未能完成（{type(exc).__name__}），这一段无法核实",
                                             start=0, end=len(text)))
        return out
    inherited = _inherited(claims)
    seen: set[tuple[str, int, int, int]] = set()
    for f in findings:
        if f.severity is Severity.info or not f.spans:
            continue
        span = f.spans[0]
        if (span.section, span.paragraph) not in wanted or span.key() in inherited:
            continue
        seen.add((span.section, span.paragraph, span.start, span.end))
        # The message says what the tables hold; a finding's "expected" is the claim's side (0 for "未发生").
        out.issues.append(GuardIssue(section=span.section, paragraph=span.paragraph, figure=span.quote, kind=CLAIM,
                                     reason=f.message, rule=f.code, start=span.start, end=span.end))
    for c in claims:
        if c.status is None:
            continue
        span = c.span()
        if (span.section, span.paragraph) not in wanted:
            continue
        out.checked += 1
        if c.status is Status.supported or span.key() in inherited:
            out.supported += 1
            if c.kind in (Kind.quantity, Kind.share, Kind.change) and c.mention is not None:
                out.verified.append((span.section, span.paragraph, c.mention.m.start, c.mention.m.end))
        elif c.status.value in _NOT_VERIFIED and (span.section, span.paragraph, span.start, span.end) not in seen:
            reason = _NOT_VERIFIED[c.status.value] + (f"：{c.note}" if c.note else "")
            out.issues.append(GuardIssue(section=span.section, paragraph=span.paragraph, figure=span.quote,
                                         kind=CLAIM, reason=reason, start=span.start, end=span.end))
    return out


def _inherited(claims) -> set[tuple[str, int, str]]:
    """Breakdowns that disagree only because the facts' own tables do.

    "办结177件，其中予以公开69件……" where （七）总计 is 177 and the rows sum to
    178: every figure is its table cell; the tables break their identity
    (reported before drafting, drafted with --force), not the draft.
    """
    from ..check.claims import Kind, Status

    supported = {id(c.mention) for c in claims if c.kind is Kind.quantity and c.status is Status.supported}
    out = set()
    for c in claims:
        if (c.kind is Kind.breakdown and c.status is Status.contradicted and c.mention is not None
                and id(c.mention) in supported and all(id(p) in supported for p in c.parts)):
            out.add(c.span().key())
    return out


def merge_issues(numbers: list[GuardIssue], claims: ClaimResult) -> tuple[list[GuardIssue], list[GuardIssue]]:
    """(issues, numbers now supported): one list of what the guard stops in a text.

    A claim issue that merely repeats a number issue ("办结185件" is one
    mistake) is left out; a figure the sheet does not list but the claim
    reader verified against the tables (a compound category's sum, a share
    with its base: "占51.85%") is supported.
    """
    def overlaps(c: GuardIssue, n: GuardIssue) -> bool:
        return (c.section, c.paragraph) == (n.section, n.paragraph) and c.start < n.end and n.start < c.end

    def verified(n: GuardIssue) -> bool:
        return n.kind in (NumberKind.figure.value, NumberKind.percent.value) and any(
            (sec, par) == (n.section, n.paragraph) and a <= n.start and n.end <= b for sec, par, a, b in claims.verified)

    covered = [n for n in numbers if verified(n)]
    kept = [n for n in numbers if not verified(n)]
    return kept + [c for c in claims.issues if not any(overlaps(c, n) for n in kept)], covered
