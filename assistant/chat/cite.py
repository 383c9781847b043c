"""Where a figure sits, as a person finds it again: page, line, table row and column."""

from __future__ import annotations

from typing import Optional

from ..model import Source
from .figures import Figure, Used, fmt


def where(source: Optional[Source]) -> str:
    """"第4页，表格2第5行第8列", "第12行", "手工填写"; empty when nothing is known."""
    if source is None:
        return ""
    parts = []
    if source.page is not None:
        parts.append(f"第{source.page}页")
    if source.line is not None:
        parts.append(f"第{source.line}行")
    if source.line is None and source.table is not None:
        cell = f"表格{source.table}"
        if source.row is not None:
            cell += f"第{source.row}行"
        if source.col is not None:
            cell += f"第{source.col}列"
        parts.append(cell)
    text = "，".join(parts)
    if source.edited:
        return f"{text}（已手工修改）" if text else "手工填写"
    return text


def cell_line(u: Used) -> str:
    """"表三 （一）予以公开 × 自然人 = 4（第3页，第12行）"."""
    at = where(u.cell.source if u.cell is not None else None)
    shown = u.shown
    if u.state in ("uncertain", "unreadable") and u.why:
        shown = f"{shown}（{u.why}）"
    elif u.inferred and u.cell is not None and u.cell.how:
        shown = f"{shown}（推断）"
    return f"{u.label} = {shown}" + (f"（{at}）" if at else "")


def figure_text(fig: Figure) -> str:
    """The figure with its unit, or why there is none."""
    if fig.value is None:
        return fig.problem or "无法给出"
    if fig.is_percent:
        return f"{fmt(fig.value)}%"
    if len(fig.uses) == 1 and fig.uses[0].cell is not None and fig.uses[0].cell.unit:
        return fig.uses[0].shown  # "19.7万" as the report writes it
    return f"{fmt(fig.value)} {fig.unit}".strip()


def sources(fig: Figure, limit: int = 12) -> list[str]:
    """One line per cell the figure rests on, with where it sits."""
    seen = []
    for u in fig.uses:
        line = cell_line(u)
        if line not in seen:
            seen.append(line)
    if len(seen) > limit:
        return seen[:limit] + [f"……另有 {len(seen) - limit} 格"]
    return seen
