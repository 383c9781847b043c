"""Reading the narrative once for every narrative rule.

The prose is cut into sentences; every figure gets the words around it (its
label) and, where the words say so, the table quantity it speaks of. "其中" /
"含" claims are found with their totals and parts. Scope and other-year
sentences are marked so that rules compare only figures about this agency and
this year with its tables.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Iterator, Optional

from ..model import Edition, NumberKind, NumberMention, Report
from ..model.refs import SpanRef
from ..model.report import Number
from ..parse.numbers import read_numbers
from .agency import SCOPE_UNITS, Agency, read_agency
from .quantities import LEVEL_KEYS, application_key

SENTENCE_END = "。！？；;!?"
# Label boundaries: a figure's label runs back to one of these (or to the
# previous figure). "、" is not one: "受理区政府、区政府办公室…35件" keeps 受理.
_LABEL_STOP = "，,；;。：:（）()！？!?\n"
_SUFFIX_STOP = _LABEL_STOP + "、"
_WS = re.compile(r"\s+")
_INK = re.compile(r"\S")
SNIPPET_LABEL = 14  # characters of a figure's label its snippet keeps
# A label that opens a new total ("，办结48件") ends a list of parts.
_NEW_TOTAL = re.compile(r"^(共|已|全年|本年|累计)?(受理|收到|办结|答复|共计|合计|总计)")

COUNT_UNITS = {"件", "条", "篇", "期", "个", "项", "次", "份", "人", "家", "户", "起", "宗", "例", "批", "场", "场次", None}
MONEY_UNITS = {"元", "万元", "亿元"}

_TRIGGER = re.compile(r"其中|包括|包含|含")
_STOPWORD = re.compile(r"另有|此外|另外|同时|以及")
_APPROX_BEFORE = re.compile(r"(约|近|超过|逾|大约|将近|达|多于|不少于)$")
_APPROX_AFTER = re.compile(r"^(余|多|左右|以上|上下|以内)")
_DELTA = re.compile(r"增加|减少|增长|下降|上升|同比|环比|较上年|比上年|较去年|比去年|提高|降低|持平")
_WIDE = re.compile(r"各级|各部门|各单位|各地|各县|各区|各镇|各乡|各街道|各市|全国|下属|所属|全系统|系统内")
_SCOPE = re.compile(rf"(全|我|本)({SCOPE_UNITS})")


@dataclass
class Mention:
    m: NumberMention
    sentence: "Sentence"
    prefix: str  # label before the figure, whitespace removed
    suffix: str  # words after it up to the next stop
    in_paren: bool
    approximate: bool
    delta: bool
    prefix_at: int = 0  # where the label starts in the paragraph
    quantity: Optional[str] = None  # application quantity key, see quantities.py

    @property
    def value(self) -> Number:
        # Mentions are made only of figures and percentages that have a value (_read_paragraph).
        assert self.m.value is not None
        return self.m.value

    @property
    def unit(self) -> Optional[str]:
        return self.m.unit

    @property
    def snippet(self) -> str:
        head = self.prefix[-SNIPPET_LABEL:]
        return f"{head}{_WS.sub('', self.m.raw)}"

    def prefix_offset(self, k: int) -> int:
        """The paragraph offset of the label's ``k``-th character (whitespace not counted)."""
        if k >= len(self.prefix):
            return self.m.start
        return self.sentence.offset(self.sentence.flat_index(self.prefix_at) + k)

    @property
    def snippet_start(self) -> int:
        return self.prefix_offset(max(0, len(self.prefix) - SNIPPET_LABEL))

    def span(self) -> SpanRef:
        """The snippet as a reference: label tail and figure."""
        return self.sentence.span(self.snippet_start, self.m.end, self.snippet)

    @property
    def label(self) -> str:
        return self.prefix + "|" + self.suffix


@dataclass
class Sentence:
    section: str  # "一".."六" or "preamble"
    heading: str
    paragraph: int  # 1-based inside the section
    text: str  # as written
    flat: str  # whitespace removed, for keyword tests
    start: int  # offset in the paragraph
    mentions: list[Mention] = field(default_factory=list)
    wider_scope: Optional[str] = None  # the scope word that makes it about others
    other_year: Optional[int] = None
    previous: Optional["Sentence"] = None  # the sentence before, same paragraph
    _ink: list[int] = field(default_factory=list, repr=False)  # offsets in text of the characters of flat

    def __post_init__(self) -> None:
        self._ink = [m.start() for m in _INK.finditer(self.text)]

    def flat_index(self, offset: int) -> int:
        """The index in ``flat`` of the first character at or after paragraph ``offset``."""
        return bisect_left(self._ink, offset - self.start)

    def offset(self, flat_index: int) -> int:
        """The paragraph offset of ``flat[flat_index]``."""
        if flat_index >= len(self._ink):
            return self.start + len(self.text)
        return self.start + self._ink[flat_index]

    def span(self, start: int, end: int, quote: str) -> SpanRef:
        return SpanRef(section=self.section, paragraph=self.paragraph, start=start, end=end, quote=quote)

    def flat_span(self, a: int, b: int, quote: Optional[str] = None) -> SpanRef:
        """``flat[a:b]`` (a match on the flat text) as a reference into the paragraph."""
        end = self.offset(b - 1) + 1 if b > a else self.offset(a)
        return self.span(self.offset(a), end, self.flat[a:b] if quote is None else quote)

    def match_span(self, m: re.Match[str], quote: Optional[str] = None) -> SpanRef:
        return self.flat_span(m.start(), m.end(), quote)

    def where(self, snippet: str = "") -> str:
        base = f"{self.heading} 第{self.paragraph}段"
        return f"{base} '{snippet}'" if snippet else base

    @property
    def comparable(self) -> bool:
        """Is this sentence about the agency's own figures for the report year?"""
        return self.wider_scope is None and self.other_year is None


@dataclass
class Claim:
    """"A N件，其中 B n1件、C n2件…": a total and the parts said to make it up."""

    total: Mention
    parts: list[Mention]
    trigger: str  # 其中 / 包括 / 含
    exhaustive: bool  # the last part is a remainder (其他, 其余) so the list is complete
    open_ended: bool  # "…等": the list does not claim to be complete

    @property
    def subset_only(self) -> bool:
        return self.trigger == "含" or self.open_ended or len(self.parts) == 1


def _flat(s: str) -> str:
    return _WS.sub("", s)


def _mentions_for(report: Report) -> dict[tuple[str, int], list[NumberMention]]:
    by_para: dict[tuple[str, int], list[NumberMention]] = {}
    for m in report.narrative_numbers:
        if m.section is not None and m.paragraph is not None:
            by_para.setdefault((m.section, m.paragraph), []).append(m)
    return by_para


class NarrativeAnalysis:
    def __init__(self, report: Report, edition: Edition):
        self.report = report
        self.edition = edition
        self.agency: Agency = read_agency(report.agency)
        self.sentences: list[Sentence] = []
        self.claims: list[Claim] = []
        known = _mentions_for(report)
        for key, heading, paragraphs in self._paragraphs():
            for i, text in enumerate(paragraphs, start=1):
                found = known.get((key, i))
                if not found or any(text[m.start:m.end] != m.raw for m in found):
                    found = read_numbers(text)
                self._read_paragraph(key, heading, i, text, found)
        from .quantities import assign_quantities

        assign_quantities(self)  # after claims: the claim reader needs only labels

    # -- reading

    def _paragraphs(self) -> Iterator[tuple[str, str, list[str]]]:
        rep = self.report
        if rep.preamble:
            yield "preamble", "报告开头", [p.text for p in rep.preamble]
        for s in rep.sections:
            yield s.key, s.heading, [p.text for p in s.paragraphs]

    @property
    def full_text(self) -> str:
        parts = [p.text for p in self.report.preamble]
        for s in self.report.sections:
            parts.append(s.raw_heading or s.heading)
            parts.extend(p.text for p in s.paragraphs)
        return "\n".join(parts)

    def _read_paragraph(self, key: str, heading: str, index: int, text: str, numbers: list[NumberMention]) -> None:
        bounds = []
        start = 0
        for j, ch in enumerate(text):
            if ch in SENTENCE_END:
                bounds.append((start, j + 1))
                start = j + 1
        if start < len(text):
            bounds.append((start, len(text)))
        prev = None
        for a, b in bounds:
            chunk = text[a:b]
            if not chunk.strip():
                continue
            s = Sentence(key, heading, index, chunk, _flat(chunk), a, previous=prev)
            self._scope(s, numbers)
            inside = [m for m in numbers if a <= m.start < b]
            for m in inside:
                if m.kind in (NumberKind.figure, NumberKind.percent) and m.value is not None:
                    s.mentions.append(self._mention(s, text, m, inside))
            self.sentences.append(s)
            self._claims(s, text)
            prev = s

    def _scope(self, s: Sentence, numbers: list[NumberMention]) -> None:
        wide = _WIDE.search(s.flat)
        if wide:
            s.wider_scope = wide.group()
        else:
            for m in _SCOPE.finditer(s.flat):
                if not self.agency.own_scope(m.group(2)):
                    s.wider_scope = m.group()
                    break
        year = self.report.year
        if year:
            for n in numbers:
                if (
                    n.kind is NumberKind.year
                    and n.value is not None
                    and s.start <= n.start < s.start + len(s.text)
                    and n.value not in (year,)
                ):
                    s.other_year = int(n.value)
                    break

    def _mention(self, s: Sentence, text: str, m: NumberMention, inside: list[NumberMention]) -> Mention:
        prev_end = max((o.end for o in inside if o.end <= m.start and o.kind is NumberKind.figure), default=s.start)
        j = m.start
        while j > prev_end and text[j - 1] not in _LABEL_STOP:
            j -= 1
        prefix = _flat(text[j:m.start])
        next_start = min((o.start for o in inside if o.start >= m.end), default=s.start + len(s.text))
        k = m.end
        while k < next_start and text[k] not in _SUFFIX_STOP:
            k += 1
        suffix = _flat(text[m.end:k])
        before = text[s.start:m.start]
        in_paren = before.count("（") + before.count("(") > before.count("）") + before.count(")")
        raw = _flat(m.raw)
        approximate = bool(
            _APPROX_BEFORE.search(prefix) or _APPROX_AFTER.search(suffix) or re.search(r"[余多]", raw)
        )
        delta = bool(_DELTA.search(prefix[-8:]) or _DELTA.search(suffix[:6]))
        return Mention(m, s, prefix, suffix, in_paren, approximate, delta, prefix_at=j)

    # -- claims

    def _claims(self, s: Sentence, text: str) -> None:
        figures = [x for x in s.mentions if x.m.kind is NumberKind.figure]
        triggers = []
        for t in _TRIGGER.finditer(text, s.start, s.start + len(s.text)):
            word = t.group()
            # "含" inside words (包含 handled above, 含义, 含量) is not a trigger.
            if word == "含" and text[t.end():t.end() + 1] in ("义", "量", "金"):
                continue
            triggers.append((t.start(), t.end(), word))
        for pos, end, word in triggers:
            before = [x for x in figures if x.m.end <= pos]
            if before:
                total = before[-1]
            elif s.previous is not None and s.previous.mentions and word == "其中":
                figs = [x for x in s.previous.mentions if x.m.kind is NumberKind.figure]
                if not figs:
                    continue
                total = figs[-1]
            else:
                continue
            if total.unit not in COUNT_UNITS | MONEY_UNITS:
                continue
            parts = self._parts(s, text, pos, end, figures, triggers, total)
            if not parts:
                continue
            last = parts[-1]
            exhaustive = bool(re.search(r"其他|其余|剩余|其它", last.prefix))
            tail = text[last.m.end:last.m.end + 3]
            open_ended = bool(re.match(r"\s*(等|左右)", tail))
            self.claims.append(Claim(total, parts, "含" if word in ("含",) else word, exhaustive, open_ended))

    def _parts(self, s: Sentence, text: str, pos: int, end: int, figures: list[Mention],
               triggers: list[tuple[int, int, str]], total: Mention) -> list[Mention]:
        inside_paren = s.text[: pos - s.start].count("（") > s.text[: pos - s.start].count("）")
        later_triggers = [t for t in triggers if t[0] > pos]
        parts: list[Mention] = []
        prev_end = end
        money = total.unit in MONEY_UNITS
        for x in figures:
            if x.m.start < end:
                continue
            gap = text[prev_end:x.m.start]
            if _STOPWORD.search(gap):
                break
            if inside_paren and ("）" in gap or ")" in gap):
                break
            if not inside_paren and x.in_paren:
                continue  # a nested breakdown of the previous part, not a part itself
            # A figure followed by its own 其中 is the total of the next claim.
            nxt = [t for t in later_triggers if t[0] >= x.m.end]
            if nxt and not [f for f in figures if x.m.end <= f.m.start < nxt[0][0]]:
                break
            if parts and (_NEW_TOTAL.match(x.prefix) or application_key(x.prefix, self.edition) in LEVEL_KEYS):
                break  # "…，结转下年度3件" after a breakdown is a new quantity, not a part
            if (x.unit in MONEY_UNITS) != money or (not money and x.unit not in COUNT_UNITS):
                break
            parts.append(x)
            prev_end = x.m.end
        return parts
