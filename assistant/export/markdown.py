"""Markdown: headings as ``## 一、总体情况``, tables as pipe tables.

Pipe tables cannot merge cells, so every table is drawn as its full grid: a
merged cell's text stands at its top-left position and the positions it
covers are left empty. The first grid row becomes the pipe header; the other
header rows follow as ordinary rows, exactly as in the printed template.
"""

from __future__ import annotations

from ..model import Report
from .layout import Grid, Heading, Para, TableBlock, Title, blocks


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def grid_lines(grid: Grid) -> list[str]:
    rows = grid.expanded()
    lines = []
    for i, row in enumerate(rows):
        lines.append("| " + " | ".join(_cell(t) for t in row) + " |")
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
