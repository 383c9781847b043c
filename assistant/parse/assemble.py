"""A laid-out document turned into a report: title, sections, tables, edition."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Optional

from ..model import (
    Certainty,
    NumberMention,
    Paragraph,
    Problem,
    Report,
    Section,
    edition_for_year,
    editions,
    get_edition,
)
from ..model.editions import section_titles
from .layout import Block, Layout, ParaBlock, ReadError, TableBlock
from .numbers import read_numbers
from .runon import split_headings, split_parts, strip_crawler, unswallow
from .stream import restream
from .tables import build_tables, edition_votes, read_tables
from .vocabulary import caption_of, classify, vocabulary

_TITLE = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年(?:度)?\s*(?:政府)?信息公开\s*(?:工作)?\s*年度?报告")
_HEADING = re.compile(r"^\s*(?P<num>[一二三四五六])\s*[、．.，,]\s*(?P<title>\S.{1,40})$")
_PERIOD_YEAR = re.compile(r"统计(?:期限|时限|时间|期间|范围)?[^。]{0,12}?自?\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_PAGE_NUMBER = re.compile(r"^[-—\s]*\d{1,3}[-—\s]*$")
# Full-width digits (２０２３) read as the ASCII ones; one character for one, so match positions hold.
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ORDER = "一二三四五六"


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _heading_key(text: str) -> Optional[tuple[str, str]]:
    """(section key, title as written) when a paragraph is a section heading."""
    m = _HEADING.match(text.replace("\u3000", " ").strip())
    if not m:
        return None
    num, title = m.group("num"), m.group("title").strip().rstrip("：:")
    if re.search(r"[。；]", title):
        return None
    # Variants such as "需要报告的其他事项" or "政府信息公开工作存在的主要问题及改进情况"
    # keep most of the official words (of any edition).
    for official in section_titles(num):
        common = sum(1 for ch in set(official) if ch in title)
        if _similar(title, official) >= 0.6 or common >= 0.7 * len(set(official)):
            return num, title
    return None


def _is_heading(text: str) -> bool:
    return _heading_key(text) is not None


def normalise(blocks: list[Block]) -> list[Block]:
    """The blocks as a report would have them: page chrome gone, headings and tables where they belong."""
    blocks = strip_crawler(blocks)
    blocks, runon = split_headings(blocks)
    blocks = unswallow(blocks, _is_heading)
    blocks = restream(blocks, _is_heading)
    if runon:
        blocks = split_parts(blocks)
    return blocks


def _reportish(blocks: list[Block]) -> bool:
    """Whether text without headings or tables still says it is an annual report on disclosure."""
    v = vocabulary()
    labels = 0
    for b in blocks[:400]:
        if not isinstance(b, ParaBlock):
            continue
        if _TITLE.search(b.text) or "政府信息公开工作年度报告" in b.text.replace(" ", ""):
            return True
        flat = b.text.replace(" ", "")
        if caption_of(flat) or v.t3.match(flat):
            labels += 1
    return labels >= 2


def assemble(layout: Layout, edition: str = "auto", name: Optional[str] = None) -> Report:
    paragraphs: list[tuple[Optional[str], ParaBlock]] = []  # (section key or None, block)
    tables: list[tuple[str, TableBlock]] = []
    problems = [Problem(code=c, message=m) for c, m in layout.problems]
    current: Optional[str] = None
    raw_headings: dict[str, ParaBlock] = {}
    blocks = normalise(layout.blocks)
    for block in blocks:
        if isinstance(block, TableBlock):
            kind = classify(block)
            if kind is None and current in ("二", "三", "四"):
                kind = current
            if kind is not None:
                tables.append((kind, block))
            else:
                # A boxed paragraph that is not a report table: keep its text.
                for row in block.rows:
                    for c in row:
                        if c.text.strip() and not c.spanned:
                            paragraphs.append((current, ParaBlock(c.text.replace("\n", ""), c.source)))
            continue
        text = block.text.strip()
        if not text or _PAGE_NUMBER.match(text):
            continue
        h = _heading_key(text)
        if h and h[0] not in raw_headings and (current is None or _ORDER.index(h[0]) > _ORDER.index(current)):
            current = h[0]
            raw_headings[current] = block
            continue
        paragraphs.append((current, block))

    found = read_tables(tables)
    if not raw_headings and not tables and not _reportish(blocks):
        raise ReadError("这不是一份政府信息公开工作年度报告：没有找到报告标题、“一、总体情况”等章节标题，"
                        "也没有找到表二、表三、表四。", "not_a_report")

    # Title, agency and year from the text before the first section.
    head = [b for k, b in paragraphs if k is None]
    agency, year, title = _title(head)
    if year is None:
        for _, b in paragraphs:
            m = _PERIOD_YEAR.search(b.text.translate(_WIDE_DIGITS))
            if m:
                year = int(m.group(1))
                break
    if not title:
        problems.append(Problem(code="title_missing", message="没有找到报告标题（“××××年政府信息公开工作年度报告”），"
                                "机关名称未能识别" + ("，年度按统计期限推定" if year else "，报告年度也未能识别") + "。"))

    votes = edition_votes(found)
    detected = _pick_edition(votes, year)
    chosen = detected if edition in (None, "", "auto") else get_edition(edition).id
    evidence = votes.get(detected, []) if detected else []
    if detected is None:
        detected_note = f"按报告年度{year}年推定" if year else "无法从表格判断，按最新版本处理"
        evidence = [detected_note]
        chosen = chosen if edition not in (None, "", "auto") else (
            edition_for_year(year).id if year else max(editions(), key=int))

    assert chosen is not None  # detected, given, or the one for the year
    table2, table3, table4, labels, table_problems = build_tables(found, chosen)
    problems.extend(table_problems)

    ed = get_edition(chosen)
    sections: dict[str, Section] = {}
    for decl in ed.sections:
        if decl.key in raw_headings:
            sections[decl.key] = Section(key=decl.key, heading=decl.heading,
                                         raw_heading=raw_headings[decl.key].text.strip())
    missing = [d.heading for d in ed.sections if d.key not in sections]
    if missing:
        problems.append(Problem(code="section_missing", message="没有找到以下章节标题：" + "、".join(missing)))

    preamble: list[Paragraph] = []
    title_blocks = {id(b) for b in title}
    for k, b in paragraphs:
        p = Paragraph(text=b.text.strip(), source=b.source)
        if k is None:
            if id(b) not in title_blocks:
                preamble.append(p)
        elif k in sections:
            sections[k].paragraphs.append(p)

    report = Report(
        edition=chosen,
        edition_detected=detected,
        edition_evidence=evidence,
        agency=agency,
        year=year,
        title="".join(b.text.strip() for b in title) or None,
        preamble=preamble,
        sections=[sections[d.key] for d in ed.sections if d.key in sections],
        table2=table2,
        table3=table3,
        table4=table4,
        labels=labels,
        problems=problems,
        file=name,
        format=layout.format,
    )
    report.unreadable_tables = _unreadable_tables(report, {k for k, _ in tables})
    report.narrative_numbers = _numbers(report)
    return report


_TABLE_NAMES = {"二": "表二", "三": "表三", "四": "表四"}


def _unreadable_tables(report: Report, present: set[str]) -> dict[str, str]:
    """Tables the document has whose figures could not be read at all, with the reason."""
    out = {}
    for kind, body in (("二", [c for rows in report.table2.values() for cells in rows.values() for c in cells.values()]),
                       ("三", [c for cells in report.table3.values() for c in cells.values()]),
                       ("四", [c for cells in report.table4.values() for c in cells.values()])):
        if kind not in present or not body:
            continue
        if all(c.certainty is Certainty.unreadable for c in body):
            reasons = []
            for c in body:
                if c.how and c.how not in reasons:
                    reasons.append(c.how)
            out[kind] = "；".join(reasons[:2]) or f"{_TABLE_NAMES[kind]}的数字无法读取"
    return out


def _title(head: list[ParaBlock]) -> tuple[Optional[str], Optional[int], list[ParaBlock]]:
    """Agency, year and the title paragraphs from the text before section 一."""
    for i, b in enumerate(head):
        m = _TITLE.search(b.text.translate(_WIDE_DIGITS))
        if not m:
            continue
        agency = b.text[: m.start()].strip(" 　:：《") or None
        blocks = [b]
        if agency is None and i > 0:
            prev = head[i - 1].text.strip()
            if len(prev) <= 40 and not re.search(r"[。，；]", prev):
                agency, blocks = prev, [head[i - 1], b]
        return agency, int(m.group("year")), blocks
    return None, None, []


def _pick_edition(votes: dict[str, list[str]], year: Optional[int]) -> Optional[str]:
    scored = sorted(votes.items(), key=lambda kv: len(kv[1]), reverse=True)
    if not scored or not scored[0][1]:
        return None
    if len(scored) > 1 and len(scored[0][1]) == len(scored[1][1]):
        return edition_for_year(year).id if year else scored[0][0]
    return scored[0][0]


def _numbers(report: Report) -> list[NumberMention]:
    out = []
    groups = [("preamble", report.preamble)] + [(s.key, s.paragraphs) for s in report.sections]
    for key, paras in groups:
        for i, p in enumerate(paras, start=1):
            for n in read_numbers(p.text):
                n.section, n.paragraph, n.source = key, i, p.source
                out.append(n)
    return out
