"""Pages as they are found: a crawler's header, a site's breadcrumbs, headings run into the text,
and paragraphs a PDF table extraction swallowed.

Each pass takes the blocks a reader laid out and gives blocks back; none of
them reads a table cell.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..model import editions
from .labels import key
from .layout import Block, IsHeading, ParaBlock, RawCell, TableBlock

# "标题: …" / "发布时间: …" lines a crawler writes before the page text, closed by "==== 正文 ====".
_META = re.compile(r"^\s*([\u4e00-\u9fff]{2,6}|[A-Za-z ]{2,20})\s*[:：]")
_BODY = re.compile(r"^\s*[=＝\-—*#]{3,}\s*正文\s*[=＝\-—*#]{3,}\s*$")
_TITLE_KEYS = ("标题", "题名", "文章标题", "名称")
# What a site prints around an article: the last of these ends the breadcrumbs.
_CHROME = ("相关链接：", "相关链接:", "-->", "【打印】", "【关闭】", "打印本页", "关闭窗口", "字号：", "字体：",
           "分享到：", "文件下载", "文字版", "全真版")
_SUB_HEADING = re.compile(r"(?<=[。；！？\s])(?=[（(][一二三四五六七八九十]{1,2}[）)])")
_SENTENCE_END = "。；！？：:"
_LINE_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.．、](?!\d))")


def strip_crawler(blocks: list[Block]) -> list[Block]:
    """Drop a crawler's metadata header and a site's breadcrumbs; keep the page's title."""
    head = blocks[:40]
    body_at = next((i for i, b in enumerate(head) if isinstance(b, ParaBlock) and _BODY.match(b.text)), None)
    out: list[Optional[Block]] = list(blocks)
    before = [b for b in head[:body_at or 0] if isinstance(b, ParaBlock)]
    if body_at is not None and len(before) == body_at:
        meta = [b for b in before if _META.match(b.text)]
        if meta and len(meta) >= body_at // 2:
            lead: list[Optional[Block]] = []
            for b in meta:
                name, value = re.split(r"[:：]", b.text, maxsplit=1)
                if name.strip() in _TITLE_KEYS and value.strip():
                    lead = [ParaBlock(text=value.strip(), source=b.source)]
                    break
            out = lead + out[body_at + 1:]
    for i, crumb in enumerate(out[:6]):
        if isinstance(crumb, ParaBlock) and crumb.text.lstrip().startswith("当前位置"):
            cut = _chrome_end(crumb.text)
            rest = crumb.text[cut:].strip() if cut else ""
            out[i] = ParaBlock(text=rest, source=crumb.source) if rest else None
            break
    return [x for x in out if x is not None and not (isinstance(x, ParaBlock) and not x.text.strip())]


def _chrome_end(text: str) -> int:
    window = text[:600]
    ends = [window.rfind(m) + len(m) for m in _CHROME if m in window]
    return max(ends) if ends else 0


@lru_cache(maxsize=1)
def _heading_pattern() -> re.Pattern[str]:
    titles = set()
    for ed in editions().values():
        for s in ed.sections:
            titles.add(s.title)
    # Wordings real reports use for the same sections.
    titles.update({"政府信息公开工作存在的主要问题及改进情况", "因政府信息公开申请行政复议、提起行政诉讼的情况",
                   "政府信息公开行政复议、行政诉讼情况", "其他需要报告的事项"})
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    return re.compile(rf"(?<![“\"《'‘「])([一二三四五六])\s*[、．.]\s*(?:{alternatives})")


def split_headings(blocks: list[Block]) -> tuple[list[Block], bool]:
    """Section headings run into a paragraph become paragraphs of their own.

    Returns the blocks and whether any heading had to be cut out of running
    text (a page whose line breaks were lost).
    """
    out: list[Block] = []
    runon = False
    for b in blocks:
        if not isinstance(b, ParaBlock):
            out.append(b)
            continue
        cuts = [(m.start(), m.end()) for m in _heading_pattern().finditer(b.text)]
        text = b.text.strip()
        if not cuts or (len(cuts) == 1 and cuts[0][0] == b.text.index(text[:1]) and
                        not b.text[cuts[0][1]:].strip(" \u3000:：")):
            out.append(b)  # no heading, or a heading standing alone (with a colon at most)
            continue
        pos = 0
        for s_, e in cuts:
            before = b.text[pos:s_].strip()
            if before:
                out.append(ParaBlock(text=before, source=b.source))
            out.append(ParaBlock(text=b.text[s_:e].strip(), source=b.source))
            pos = e
        rest = b.text[pos:].strip().lstrip(":：").strip()
        if rest:
            out.append(ParaBlock(text=rest, source=b.source))
        runon = True
    return out, runon


def split_parts(blocks: list[Block]) -> list[Block]:
    """In text whose line breaks were lost, "（一）…（二）…" parts of a section start new paragraphs."""
    out: list[Block] = []
    for b in blocks:
        if not isinstance(b, ParaBlock) or "。" not in b.text:
            out.append(b)
            continue
        pieces = [p.strip() for p in _SUB_HEADING.split(b.text)]
        out.extend(ParaBlock(text=p, source=b.source) for p in pieces if p)
    return out


# ---- paragraphs a PDF table extraction swallowed ---------------------------------


def _one_text(row: list[RawCell]) -> Optional[str]:
    """The text of a row that is one cell across the table's width, else None."""
    texts = {c.text.strip() for c in row if not c.spanned and c.text.strip()}
    own = [c for c in row if not c.spanned and c.text.strip()]
    if len(own) != 1 or len(texts) != 1:
        return None
    return own[0].text.strip()


def _table_word(text: str) -> bool:
    from .vocabulary import caption_of, vocabulary

    v = vocabulary()
    flat = text.replace("\n", "")
    return bool(caption_of(flat) or v.t3.match(flat) or v.t3_context.match(flat) or v.t2_rows.match(flat)
                or v.t4.match(flat) or key(flat) in v.t2_label_keys)


def _prose(text: str, is_heading: IsHeading) -> bool:
    flat = text.replace("\n", "")
    if _table_word(flat):
        return False
    return bool(is_heading(flat)) or "。" in flat or len(flat) >= 16


def unswallow(blocks: list[Block], is_heading: IsHeading) -> list[Block]:
    """Paragraphs caught in the first or last rows of a table grid are put back as paragraphs."""
    out: list[Block] = []
    for b in blocks:
        if not isinstance(b, TableBlock) or b.line is not None or not b.rows:
            out.append(b)
            continue
        head = 0
        while head < len(b.rows) and (t := _one_text(b.rows[head])) is not None and _prose(t, is_heading):
            head += 1
        tail = len(b.rows)
        while tail > head and (t := _one_text(b.rows[tail - 1])) is not None and _prose(t, is_heading) \
                and "。" in t:
            tail -= 1
        if head == 0 and tail == len(b.rows):
            out.append(b)
            continue
        _paragraphs(out, [r for r in b.rows[:head]], is_heading)
        if head < tail:
            out.append(TableBlock(rows=b.rows[head:tail], source=b.source, grid=b.grid, kind=b.kind))
        _paragraphs(out, [r for r in b.rows[tail:]], is_heading)
    return out


def _paragraphs(out: list[Block], rows: list[list[RawCell]], is_heading: IsHeading) -> None:
    """Lines of running text back into paragraphs: a line that opens with a heading number starts one."""
    current: Optional[ParaBlock] = None
    for row in rows:
        line = (_one_text(row) or "").replace("\n", "")
        cell = next(c for c in row if not c.spanned and c.text.strip())
        starts = bool(is_heading(line) or _LINE_HEADING.match(line))
        if current is None and not starts and out and isinstance(out[-1], ParaBlock) \
                and out[-1].text[-1:] not in _SENTENCE_END and not is_heading(out[-1].text):
            # The paragraph above the table runs on into it.
            current = ParaBlock(text=out[-1].text + line, source=out[-1].source)
            out[-1] = current
            continue
        if current is None or starts or is_heading(current.text):
            current = ParaBlock(text=line, source=cell.source)
            out.append(current)
        else:
            current.text += line
