"""A finding's location in words, rendered from its references.

The words are what people have always read in the problem lists ("表三 （七）总计
× 自然人", "一、总体情况 第3段 '申请办结数33件'"); nothing parses them back.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..errors import EditionError
from ..model import Edition, get_edition
from ..model.refs import AreaKind, AreaRef, Aspect, CellRef

SpanKey = tuple[str, int, str]  # SpanRef.key(): section, paragraph, quote

PREAMBLE = "报告开头"
_REPORT = {
    None: "整份报告",
    Aspect.edition: "整份报告（格式版本）",
    Aspect.sections: "整份报告（章节）",
    Aspect.narrative: "整份报告（叙述部分）",
}
_ASPECT = {Aspect.supervision: "监督保障"}
PREVIOUS = "跨年核对"


def _edition(edition_id: Optional[str]) -> Optional[Edition]:
    if not edition_id:
        return None
    try:
        return get_edition(edition_id)
    except EditionError:
        return None


def row_name(ref: CellRef | AreaRef, edition: Optional[Edition]) -> str:
    """A row as people say it: "（三）不予公开 1.属于国家秘密", "第二十条第（一）项 规章"."""
    label = ref.row or ""
    if ref.table == "二":
        return f"{ref.block} {label}" if ref.block else label
    if ref.table == "三" and edition is not None:
        row = edition.table3.by_label(label)
        if row is not None:
            return row.short
    return label


def section_heading(key: str, edition: Optional[Edition]) -> str:
    if key == "preamble":
        return PREAMBLE
    if edition is not None:
        for s in edition.sections:
            if s.key == key:
                return s.heading
    return key


def span_text(span: SpanKey, edition: Optional[Edition]) -> str:
    section, paragraph, quote = span
    return f"{section_heading(section, edition)} 第{paragraph}段 '{quote}'"


def _rows(cells: Sequence[CellRef]) -> list[tuple[CellRef, list[str]]]:
    """Cells grouped by row, in the order they first appear: (first cell, columns)."""
    out: dict[tuple[str, str, str], tuple[CellRef, list[str]]] = {}
    for c in cells:
        k = (c.table, c.block or "", c.row)
        if k not in out:
            out[k] = (c, [])
        if c.col not in out[k][1]:
            out[k][1].append(c.col)
    return list(out.values())


def cells_text(cells: Sequence[CellRef], edition: Optional[Edition]) -> str:
    rows = _rows(cells)
    parts = [f"表{first.table} {row_name(first, edition)} × {'、'.join(cols)}" for first, cols in rows]
    if len(rows) > 2:
        # Cells over many rows (a table that could not be read): the first row, then how many in all.
        return f"{parts[0]} 等{len(rows)}行{len(cells)}格"
    return "；".join(parts)


def area_text(area: AreaRef, cells: Sequence[CellRef], edition: Optional[Edition]) -> str:
    kind = area.kind
    if kind is AreaKind.report:
        return _REPORT.get(area.aspect, _REPORT[None])
    if kind is AreaKind.previous:
        return PREVIOUS
    if kind is AreaKind.section:
        heading = section_heading(area.section or "", edition)
        return f"{heading}（{_ASPECT[area.aspect]}）" if area.aspect in _ASPECT else heading
    table = f"表{area.table}" if area.table else "表格"
    if kind is AreaKind.column:
        return f"{table} {area.col}列"
    if kind is AreaKind.row:
        return f"{table} {row_name(area, edition)}"
    if kind is AreaKind.label:
        return f"{table} “{area.label}”"
    if kind is AreaKind.rows:
        rows = _rows(cells)
        if rows:
            first = rows[0][0]
            more = f" 等 {len(rows)} 行" if len(rows) > 1 else ""
            return f"表{first.table} {row_name(first, edition)}{more}"
    return table


def render(
    cells: Sequence[CellRef],
    spans: Sequence[SpanKey],
    area: Optional[AreaRef],
    edition_id: Optional[str] = None,
) -> str:
    """The location in words: the area if there is one, else the first quote, else the cells.

    ``spans`` are ``SpanRef.key()`` tuples, so expected findings without
    offsets render the same way.
    """
    edition = _edition(edition_id)
    if area is not None:
        return area_text(area, cells, edition)
    if spans:
        return span_text(spans[0], edition)
    if cells:
        return cells_text(cells, edition)
    return _REPORT[None]
