"""Reading the narrative once for every narrative rule: sentences and figures.

The prose is cut into sentences (at 。！？ and at ；, a sentence ending in ；
"continues" into the next: a list may run over several clauses); every
figure gets the words around it (its label), whether it stands inside
brackets or quotation marks, and the scope of its sentence. What the
sentences claim is read from these by the claim reader (``claims.py``);
scope and other-year sentences are marked so that rules compare only
figures about this agency and this year with its tables.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Optional

from ..model import Edition, NumberKind, NumberMention, Report
from ..model.refs import SpanRef
from ..model.report import Number
from ..parse.numbers import read_numbers
from ..parse.sentences import SENTENCE_END as SENTENCE_END
from ..parse.sentences import sentence_bounds as sentence_bounds
from .agency import SCOPE_UNITS, Agency, read_agency
from .wording import CLOSE_BRACKETS, OPEN_BRACKETS

if TYPE_CHECKING:
    from .claims import Claim, Target

CLAUSE_END = "；;"  # a sentence ending here continues into the next one
# Label boundaries: a figure's label runs back to one of these (or to the
# previous figure). "、" is not one: "受理区政府、区政府办公室…35件" keeps 受理.
_LABEL_STOP = "，,；;。：:（）()【】！？!?\n"
_SUFFIX_STOP = _LABEL_STOP + "、"
_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉"}
_WS = re.compile(r"\s+")
_INK = re.compile(r"\S")
SNIPPET_LABEL = 14  # characters of a figure's label its snippet keeps


_APPROX_BEFORE = re.compile(r"(约|近|超过|逾|大约|将近|达|多于|不少于)$")
_APPROX_AFTER = re.compile(r"^(余|多|左右|以上|上下|以内)")
_DELTA = re.compile(r"增加|减少|增长|下降|上升|同比|环比|较上年|比上年|较去年|比去年|提高|降低|持平|降幅|增幅")
_WIDE = re.compile(r"各级|各部门|各单位|各地|各县|各区|各镇|各乡|各街道|各市|全国|下属|所属|全系统|系统内")
_SCOPE = re.compile(rf"(全|我|本)({SCOPE_UNITS})")
# An office acting for its government ("县政府办代表县政府受理…"): a part of the government's figures.
_ON_BEHALF = re.compile(r"代表([\u4e00-\u9fff]{0,8}?(?:人民政府|政府))")
_CN_NUMERALS = "一二两三四五六七八九十百千"


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
    quoted: bool = False  # inside quotation marks or a title: a name, never a count
    slogan: bool = False  # "三个一", "两个一百年": a numeral inside a name
    detached: bool = False  # "A、B分别为1件、2件": its label stands apart from it
    target: Optional["Target"] = None  # the table quantity its words name (claims.py)

    @property
    def value(self) -> Number:
        # Mentions are made only of figures and percentages that have a value (_read_paragraph).
        assert self.m.value is not None
        return self.m.value

    @property
    def unit(self) -> Optional[str]:
        return self.m.unit

    @property
    def quantity(self) -> Optional[str]:
        """The application quantity (a table-三 key) its words name, when they name exactly one."""
        keys = getattr(self.target, "keys", None)
        return keys[0] if keys and len(keys) == 1 and getattr(self.target, "column", None) is None else None

    @property
    def is_figure(self) -> bool:
        return self.m.kind is NumberKind.figure

    @property
    def names_something(self) -> bool:
        """A quoted name or a slogan: its numeral is part of a name, not a count."""
        return self.quoted or self.slogan

    @property
    def snippet(self) -> str:
        head = self.prefix[-SNIPPET_LABEL:]
        return f"{head}{'…' if self.detached else ''}{_WS.sub('', self.m.raw)}"

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
    continues: bool = False  # ends with ；: the next sentence goes on with the same statement
    # Read once, so that no rule rescans a long paragraph per figure (bounded time on any input):
    about_applications: bool = False  # the statement so far (this clause and those it continues) says 申请
    applications_before: bool = False  # the paragraph up to here says 申请
    earlier_clauses: str = ""  # the flat words of the clauses this one continues (at most _CONTEXT characters)
    _ink: list[int] = field(default_factory=list, repr=False)  # offsets in text of the characters of flat
    _depth: list[int] = field(default_factory=list, repr=False)  # bracket depth before each character of text
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # what readers derive once

    def __post_init__(self) -> None:
        self._ink = [m.start() for m in _INK.finditer(self.text)]
        depth, out = 0, [0]
        for ch in self.text:
            if ch in OPEN_BRACKETS:
                depth += 1
            elif ch in CLOSE_BRACKETS and depth:
                depth -= 1
            out.append(depth)
        self._depth = out
        prev = self.previous
        own = "申请" in self.flat
        self.applications_before = own or (prev is not None and prev.applications_before)
        if prev is not None and prev.continues:
            self.about_applications = own or prev.about_applications
            self.earlier_clauses = (prev.earlier_clauses + prev.flat)[-_CONTEXT:]
        else:
            self.about_applications = own

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def depth_at(self, offset: int) -> int:
        """Brackets opened in this sentence and still open at paragraph ``offset``."""
        return self._depth[max(0, min(offset - self.start, len(self.text)))]

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


_CONTEXT = 400  # characters of earlier clauses a clause keeps as its context


def _flat(s: str) -> str:
    return _WS.sub("", s)


def _mentions_for(report: Report) -> dict[tuple[str, int], list[NumberMention]]:
    by_para: dict[tuple[str, int], list[NumberMention]] = {}
    for m in report.narrative_numbers:
        if m.section is not None and m.paragraph is not None:
            by_para.setdefault((m.section, m.paragraph), []).append(m)
    return by_para


def _quoted(text: str) -> list[int]:
    """For each offset of ``text``, how many quotation or title marks enclose it."""
    cover = [0] * (len(text) + 1)
    for a, b in _quoted_spans(text):
        cover[a + 1] += 1
        cover[b - 1] -= 1
    for i in range(1, len(cover)):
        cover[i] += cover[i - 1]
    return cover


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` inside quotation marks or title marks (short ones: names)."""
    out = []
    stack: list[tuple[str, int]] = []
    ascii_open: Optional[int] = None
    for i, ch in enumerate(text):
        if ch in _QUOTES:
            stack.append((_QUOTES[ch], i))
        elif stack and ch == stack[-1][0]:
            _, a = stack.pop()
            out.append((a, i + 1))
        elif ch == '"':
            if ascii_open is None:
                ascii_open = i
            else:
                out.append((ascii_open, i + 1))
                ascii_open = None
        elif ch in "。\n":
            stack.clear()
            ascii_open = None
    return out


def bracket_depth(text: str, start: int, end: int) -> int:
    """How many brackets opened in ``text[start:end]`` are still open at ``end``."""
    depth = 0
    for ch in text[start:end]:
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS and depth:
            depth -= 1
    return depth


class NarrativeAnalysis:
    def __init__(self, report: Report, edition: Edition):
        self.report = report
        self.edition = edition
        self.agency: Agency = read_agency(report.agency)
        self.sentences: list[Sentence] = []
        known = _mentions_for(report)
        for key, heading, paragraphs in self._paragraphs():
            for i, text in enumerate(paragraphs, start=1):
                found = known.get((key, i))
                if not found or any(text[m.start:m.end] != m.raw for m in found):
                    found = read_numbers(text)
                self._read_paragraph(key, heading, i, text, found)
        from .claims import read_claims

        self.claims: list[Claim] = read_claims(self)

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
        bounds = sentence_bounds(text)
        quoted = _quoted(text)
        numbers = sorted(numbers, key=lambda n: n.start)
        k = 0
        prev = None
        for a, b in bounds:
            while k < len(numbers) and numbers[k].start < a:
                k += 1
            j = k
            while j < len(numbers) and numbers[j].start < b:
                j += 1
            inside = numbers[k:j]
            chunk = text[a:b]
            if not chunk.strip():
                continue
            s = Sentence(key, heading, index, chunk, _flat(chunk), a, previous=prev,
                         continues=chunk.rstrip()[-1:] in CLAUSE_END)
            self._scope(s, inside)
            prev_end = s.start  # end of the last figure so far: a label runs back to it
            for i, m in enumerate(inside):
                if m.kind in (NumberKind.figure, NumberKind.percent) and m.value is not None:
                    next_start = inside[i + 1].start if i + 1 < len(inside) else s.end
                    s.mentions.append(self._mention(s, text, m, prev_end, next_start, quoted))
                if m.kind is NumberKind.figure:
                    prev_end = max(prev_end, m.end)
            self.sentences.append(s)
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
        if s.wider_scope is None:
            behalf = _ON_BEHALF.search(s.flat)
            if behalf and self.agency.is_government:
                # The government's own report: what its office handled for it is a part of it.
                s.wider_scope = behalf.group()
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

    def _mention(self, s: Sentence, text: str, m: NumberMention, prev_end: int, next_start: int,
                 quoted: list[int]) -> Mention:
        prev_end = min(prev_end, m.start)
        j = m.start
        while j > prev_end and text[j - 1].isspace():
            j -= 1
        if j > prev_end and text[j - 1] in "）)":
            # "同意公开（含部分公开）42件": a bracket right before the figure belongs to its label.
            k = text.rfind("（" if text[j - 1] == "）" else "(", prev_end, j - 1)
            if k >= 0:
                j = k
        while j > prev_end and text[j - 1] not in _LABEL_STOP:
            j -= 1
        prefix = _flat(text[j:m.start])
        next_start = max(next_start, m.end)
        k = m.end
        while k < next_start and text[k] not in _SUFFIX_STOP:
            k += 1
        suffix = _flat(text[m.end:k])
        in_paren = s.depth_at(m.start) > 0
        raw = _flat(m.raw)
        approximate = bool(
            _APPROX_BEFORE.search(prefix) or _APPROX_AFTER.search(suffix) or re.search(r"[余多]", raw)
        )
        delta = bool(_DELTA.search(prefix[-8:]) or _DELTA.search(suffix[:6]))
        in_quote = quoted[m.start] > 0 and quoted[max(m.start, m.end - 1)] > 0
        slogan = bool(raw and raw[0] in _CN_NUMERALS and text[m.end:m.end + 1] in _CN_NUMERALS + "〇零")
        return Mention(m, s, prefix, suffix, in_paren, approximate, delta, prefix_at=j, quoted=in_quote,
                       slogan=slogan)
