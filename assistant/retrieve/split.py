"""Documents → chunks.

Regulations are cut at their articles ("第X条" at the start of a line), so an
answer can cite one article. Reports are cut by section and, inside a section,
by sub-part ("（一）主动公开…"), because that is how users ask for them ("怎么写
依申请公开情况") and how the drafter reuses them.

Corpus files carry YAML front matter naming what they are; files users add
are told apart by content: a text with article headings is a regulation,
anything else goes through the report parser.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional

import yaml

from ..errors import NotAReport, SourceError, os_reason
from ..settings import get_settings
from .chunks import Chunk, clean_meta, content_id
from .tokens import article_label, article_number

if TYPE_CHECKING:  # the model (pydantic, the editions) loads only when a report is parsed
    from ..model import Report

# A chunk longer than this is cut at paragraph boundaries: the embedding model
# reads ~500 characters, and a snippet should point at one idea.
MAX_CHUNK_CHARS = 600


_FRONT_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_ARTICLE_LINE_RE = re.compile(r"^\s*(第[零〇一二两三四五六七八九十百千\d]+条)[\s　：:]*(.*)$")
_CHAPTER_LINE_RE = re.compile(r"^\s*#*\s*(第[零〇一二两三四五六七八九十百\d]+章)[\s　]*(.*)$")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_SECTION_RE = re.compile(r"^\s*#*\s*([一二三四五六])\s*[、.．]\s*(.+)$")
_PART_RE = re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]\s*([^。；;，,：:\n]{1,24})")


# ---------------------------------------------------------------- helpers


class _PlainLoader(yaml.SafeLoader):
    """Safe YAML without aliases: front matter needs none, and nested aliases can expand without bound."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases are not allowed in front matter")
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    m = _FRONT_RE.match(text[:65536])
    if not m:
        return {}, text
    meta = yaml.load(m.group(1), Loader=_PlainLoader) or {}
    if not isinstance(meta, dict):
        return {}, text
    return meta, text[m.end() :]


def _pack(paragraphs: list[str], limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Group paragraphs into pieces of at most ``limit`` characters (a longer paragraph stands alone)."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for p in paragraphs:
        if current and size + len(p) > limit:
            pieces.append("\n".join(current))
            current, size = [], 0
        current.append(p)
        size += len(p)
    if current:
        pieces.append("\n".join(current))
    return pieces


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+(\.\d+)?", cell.replace(",", "")))


def _table_text(lines: list[str]) -> str:
    """A pipe table as "label：cells" lines; the separator row is dropped.

    Rows of zeros and empty group rows say nothing a search could use (there
    are dozens in every table 三), so they are left out. A data row without a
    label (table 四's single row) is read against the header rows above it,
    with empty header cells taking the text on their left, as a colspan would.
    """
    rows = []
    headers: list[list[str]] = []
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells):
            continue
        if cells and _is_number(cells[0]):
            out = []
            for j, v in enumerate(cells):
                if not _is_number(v) or float(v.replace(",", "")) == 0:
                    continue
                label = "".join(dict.fromkeys(h[j] for h in headers if j < len(h) and h[j]))
                out.append(f"{label}{v}")
            if out:
                rows.append("、".join(out))
            continue
        if not any(_is_number(c) for c in cells[1:]):
            filled, last = [], ""
            for c in cells:
                last = c or last
                filled.append(last)
            headers.append(filled)
        label, rest = cells[0], [c for c in cells[1:] if c]
        if not rest or all(re.fullmatch(r"0+(\.0+)?", c) for c in rest):
            continue
        if all(not _is_number(c) for c in rest):
            continue  # a header row: kept above for unlabelled data rows
        rows.append(f"{label}：{' '.join(rest)}")
    return "\n".join(rows)


# ---------------------------------------------------------------- regulations


def split_regulation(text: str, meta: dict[str, Any]) -> list[Chunk]:
    """Cut a regulation at its article headings.

    Chapter lines ("第三章 主动公开") set the chapter of the articles below
    them; other Markdown headings start a chunk of their own (the notices and
    the fee rules have unnumbered parts).
    """
    title = str(meta.get("title") or "")
    short = str(meta.get("short") or title)
    lines = text.splitlines()
    if not title:
        for line in lines:
            if line.strip():
                title = line.strip().lstrip("#").strip().strip("《》")
                short = title
                break
    chapter = ""
    pieces: list[tuple[dict[str, Any], list[str]]] = []
    current: Optional[tuple[dict[str, Any], list[str]]] = None

    def start(head: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        piece: tuple[dict[str, Any], list[str]] = (head, [])
        pieces.append(piece)
        return piece

    for line in lines:
        s = line.strip()
        if not s:
            continue
        h = _HEADING_RE.match(s)
        c = _CHAPTER_LINE_RE.match(s)
        a = _ARTICLE_LINE_RE.match(s)
        if c and not a:
            chapter = f"{c.group(1)} {c.group(2).strip()}".strip()
            current = None
            continue
        if a:
            n = article_number(a.group(1)[1:-1])
            label = article_label(n) if n else a.group(1)
            current = start({"article": n or 0, "article_label": label, "chapter": chapter})
            if a.group(2).strip():
                current[1].append(a.group(2).strip())
            continue
        if h:
            if len(h.group(1)) == 1:
                continue  # the document title
            current = start({"heading": h.group(2).strip(), "chapter": chapter})
            continue
        if current is None:
            if s.lstrip("#").strip().strip("《》") == title:
                continue
            current = start({"heading": "概述", "chapter": chapter})
        current[1].append(s)

    chunks: list[Chunk] = []
    for head, body in pieces:
        if not body:
            continue
        name = head.get("article_label") or head.get("heading", "")
        where = f"（{head['chapter']}）" if head.get("chapter") and head.get("article_label") else ""
        for i, piece in enumerate(_pack(body)):
            m = {
                "kind": "regulation",
                "doc": meta.get("doc") or short,
                "doc_title": title,
                "short": short,
                "doc_number": meta.get("number"),
                "primary": bool(meta.get("primary", False)),
                "aliases": " ".join(meta.get("aliases") or []) or None,
                "article": head.get("article", 0),
                "article_label": head.get("article_label"),
                "chapter": head.get("chapter") or None,
                "heading": head.get("heading"),
                "title": f"《{short}》{name}",
            }
            prefix = f"《{short}》{name}{where}"
            chunks.append(Chunk(text=f"{prefix}\n{piece}", meta=clean_meta(m)))
    return chunks


def looks_like_regulation(text: str) -> bool:
    """Two or more lines that open with an article number, and no report sections."""
    articles = sum(1 for line in text.splitlines() if _ARTICLE_LINE_RE.match(line))
    sections = sum(1 for line in text.splitlines() if _SECTION_RE.match(line) and "情况" in line)
    return articles >= 2 and sections < 3


# ---------------------------------------------------------------- reports


def _report_meta(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "report",
        "agency": meta.get("agency"),
        "year": int(meta["year"]) if meta.get("year") else None,
        "edition": str(meta["edition"]) if meta.get("edition") else None,
        "level": meta.get("level"),
    }


LEVELS = {
    "province": "省级人民政府",
    "city": "市级人民政府",
    "county": "县级人民政府",
    "township": "乡镇（街道）",
    "department": "政府部门",
}


def _report_title(base: dict[str, Any], section: str, part: Optional[str]) -> str:
    who = base.get("agency") or "未署名机关"
    year = f"{base['year']}年" if base.get("year") else ""
    from ..model.editions import section_headings

    heading = section_headings().get(section, "前言" if section == "preamble" else section)
    return f"{who}{year}年报 {heading}" + (f" {part}" if part else "")


def _header(base: dict[str, Any], title: str) -> str:
    """The first line of a report chunk: its title, plus the kind of body, which users ask by ("乡镇年报")."""
    level = LEVELS.get(str(base.get("level") or ""))
    return f"{title}（{level}）" if level else title


def _section_chunks(base: dict[str, Any], section: str, paragraphs: list[str]) -> list[Chunk]:
    """Cut one section into sub-parts at "（一）…" paragraph starts."""
    parts: list[tuple[Optional[str], list[str]]] = [(None, [])]
    for p in paragraphs:
        m = _PART_RE.match(p)
        if m and section not in ("二", "三", "四"):
            label = f"（{m.group(1)}）{m.group(2).strip()}"
            parts.append((label, [p]))
        else:
            parts[-1][1].append(p)
    chunks = []
    for part, body in parts:
        if not body:
            continue
        title = _report_title(base, section, part)
        for piece in _pack(body):
            meta = dict(base, section=section, part=part, title=title)
            chunks.append(Chunk(text=f"{_header(base, title)}\n{piece}", meta=clean_meta(meta)))
    return chunks


def split_markdown_report(text: str, meta: dict[str, Any]) -> list[Chunk]:
    """A Markdown report: ``## 一、总体情况`` headings, paragraphs, pipe tables."""
    base = _report_meta(meta)
    sections: list[tuple[str, list[str]]] = [("preamble", [])]
    table: list[str] = []

    def flush_table():
        if table:
            text = _table_text(table)
            if text:
                sections[-1][1].append(text)
            table.clear()

    for line in text.splitlines():
        s = line.strip()
        if s.startswith("|"):
            table.append(s)
            continue
        flush_table()
        if not s:
            continue
        h = _HEADING_RE.match(s)
        if h:
            sm = _SECTION_RE.match(h.group(2))
            if sm:
                sections.append((sm.group(1), []))
            elif len(h.group(1)) == 1 and not base.get("agency"):
                base["agency"] = _agency_from_title(h.group(2))
            continue
        sections[-1][1].append(s)
    flush_table()
    chunks: list[Chunk] = []
    for key, paragraphs in sections:
        chunks.extend(_section_chunks(base, key, paragraphs))
    return chunks


def _agency_from_title(title: str) -> Optional[str]:
    m = re.match(r"(.+?)(\d{4})年(度)?政府信息公开", title)
    return m.group(1).strip() if m else None


def _table3_text(report: Report) -> str:
    """Table 三 as "row：总计" lines: what a user searching a report's figures wants."""
    lines = []
    for row, cells in report.table3.items():
        total = cells.get("总计")
        if total is not None and total.raw.strip():
            lines.append(f"{row}：{total.raw.strip()}")
    return "\n".join(lines)


def _table4_text(report: Report) -> str:
    lines = []
    for group, cells in report.table4.items():
        vals = [f"{col}{c.raw.strip()}" for col, c in cells.items() if c.raw.strip()]
        if vals:
            lines.append(f"{group}：{' '.join(vals)}")
    return "\n".join(lines)


def _table2_text(report: Report) -> str:
    lines = []
    for caption, rows in report.table2.items():
        for row, cells in rows.items():
            vals = [f"{col}{c.raw.strip()}" for col, c in cells.items() if c.raw.strip()]
            if vals:
                lines.append(f"{caption} {row}：{' '.join(vals)}")
    return "\n".join(lines)


def split_report(report: Report) -> list[Chunk]:
    """A parsed report (any format): sections, sub-parts, and tables as text."""
    base = _report_meta(
        {"agency": report.agency, "year": report.year, "edition": report.edition}
    )
    chunks: list[Chunk] = []
    pre = [p.text.strip() for p in report.preamble if p.text.strip()]
    if report.title and pre and pre[0] == report.title.strip():
        pre = pre[1:]
    chunks.extend(_section_chunks(base, "preamble", pre))
    tables = {"二": _table2_text(report), "三": _table3_text(report), "四": _table4_text(report)}
    for section in report.sections:
        paragraphs = [p.text.strip() for p in section.paragraphs if p.text.strip()]
        if tables.get(section.key):
            paragraphs.append(tables[section.key])
        chunks.extend(_section_chunks(base, section.key, paragraphs))
    return chunks


# ---------------------------------------------------------------- files


def _decode(data: bytes) -> str:
    from ..parse.text import decode

    return decode(data)


def read_source(path: Path) -> bytes:
    """A file's bytes, refused before reading when it is over the size limit; a Chinese error when unreadable."""
    limit = get_settings().index_max_mb * 1024 * 1024
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise SourceError(f"{path.name}：不是普通文件，无法加入索引。")
        if size > limit:
            raise SourceError(
                f"{path.name}：文件大小 {size / 1048576:.1f} MB，超过加入索引的上限 {limit // 1048576} MB"
                "（可用环境变量 NIANBAO_INDEX_MAX_MB 调整），未加入。")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise SourceError(f"{path.name}：无法读取文件（{os_reason(exc)}）。") from None
    if len(data) > limit:  # grew while being read
        raise SourceError(f"{path.name}：文件超过加入索引的上限 {limit // 1048576} MB，未加入。")
    return data


def split_file(path: Path, source: str) -> list[Chunk]:
    """Chunks of one file, each stamped with its source and the file's content id.

    Raises :class:`SourceError` (with a Chinese message) for a file that is
    unreadable, over a limit, or neither a regulation nor a report.
    """
    data = read_source(path)
    sid = content_id(data)
    suffix = path.suffix.lower()
    chunks: Optional[list[Chunk]] = None
    if suffix in (".md", ".markdown", ".txt", ".text", ""):
        try:
            text = _decode(data)
        except Exception as exc:  # the parser's ReadError carries a Chinese message
            raise NotAReport(f"{path.name}：{exc}") from None
        try:
            meta, body = split_front_matter(text)
        except yaml.YAMLError:
            raise NotAReport(f"{path.name}：文件开头的 YAML 说明无法读取。") from None
        kind = meta.get("kind")
        if kind == "regulation":
            chunks = split_regulation(body, meta)
        elif kind == "report":
            chunks = split_markdown_report(body, meta)
        elif looks_like_regulation(body):
            chunks = split_regulation(body, meta)
    if chunks is None:
        from ..parse import parse_bytes

        try:
            report = parse_bytes(data, name=str(path))
        except Exception as exc:  # the parser's ReadError carries a Chinese message
            raise NotAReport(f"{path.name}：{exc}") from None
        if not report.sections:
            raise NotAReport(f"{path.name}：没有找到年度报告的章节（一、总体情况 等），也没有“第X条”形式的条文。")
        chunks = split_report(report)
    limit = get_settings().index_max_passages
    if len(chunks) > limit:
        raise SourceError(f"{path.name}：切分后有 {len(chunks)} 段，超过单个文件的上限 {limit} 段"
                          "（可用环境变量 NIANBAO_INDEX_MAX_PASSAGES 调整），未加入。")
    for i, c in enumerate(chunks):
        c.meta.update({"source": source, "source_id": sid, "position": i, "source_chunks": len(chunks)})
    return chunks


def iter_corpus_files(root: Path) -> Iterable[Path]:
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix.lower() in (".md", ".txt") and not p.name.lower().startswith("readme"):
            yield p
