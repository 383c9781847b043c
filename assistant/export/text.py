"""Plain text in the layout a Word document gets when it is saved as text.

Narrative lines stand as they are; each table cell is a line of its own
prefixed by a tab, a table row ends with a blank line, and a merged cell shows
once, with empty cells where it continues downwards. Readers built for the
real flattened reports therefore read this output too.
"""

from __future__ import annotations

from ..model import Report
from .layout import Grid, Heading, Para, TableBlock, Title, blocks


def grid_lines(grid: Grid) -> list[str]:
    lines: list[str] = []
    for r in range(grid.n_rows):
        for text, _cell in grid.flat_row(r):
            lines.append("\t" + text)
        lines.append("")
    return lines


def to_text(report: Report) -> str:
    lines: list[str] = []
    for block in blocks(report):
        if isinstance(block, Title):
            lines.extend(block.lines)
            lines.append("")
        elif isinstance(block, Heading):
            lines.append(block.text)
        elif isinstance(block, Para):
            lines.append(block.text)
        elif isinstance(block, TableBlock):
            lines.extend(grid_lines(block.grid))
    return "\n".join(lines).rstrip("\n") + "\n"
