"""Markdown: headings as ``## 一、总体情况``, tables as pipe tables.

Pipe tables cannot merge cells, so every table is drawn as its full grid: a
merged cell's text stands at its top-left position and the positions it
covers are left empty. The first grid row becomes the pipe header; the other
header rows follow as ordinary rows, exactly as in the printed template.
"""

from __future__ import annotations

from ..model import Report
from .layout import Grid, Heading, Para, TableBlock, Title, blocks


def md_cell(text: object) -> str:
    """Text for a pipe-table cell: backslashes and bars escaped, line breaks as <br>."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def md_text(text: object) -> str:
    """Text shown as Markdown as it is: every character that would format is escaped."""
    s = "" if text is None else str(text)
    for ch in "\\`*_[]<>#|":
        s = s.replace(ch, "\\" + ch)
    return s


def grid_lines(grid: Grid) -> list[str]:
    rows = grid.expanded()
    lines = []
    for i, row in enumerate(rows):
        lines.append("| " + " | ".join(md_cell(t) for t in row) + " |")
        if i == 0:
            lines.append("|" + "|".join("---" for _ in row) + "|")
    return lines


def to_markdown(report: Report) -> str:
    out: list[str] = []
    for block in blocks(report):
        if isinstance(block, Title):
            out.append("\n".join(f"# {line}" for line in block.lines))
        elif isinstance(block, Heading):
            out.append(f"## {block.text}")
        elif isinstance(block, Para):
            out.append(block.text)
        elif isinstance(block, TableBlock):
            out.append("\n".join(grid_lines(block.grid)))
    return "\n\n".join(out) + "\n"
