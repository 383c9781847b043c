"""A standalone UTF-8 HTML page with real rowspan/colspan merges."""

from __future__ import annotations

from html import escape
from typing import Iterable

from ..model import Report
from .layout import Block, Grid, Heading, Para, TableBlock, Title, blocks

_STYLE = """
body { font-family: "SimSun", "宋体", "Noto Serif CJK SC", serif; max-width: 60em; margin: 2em auto; line-height: 1.8; }
h1 { text-align: center; font-size: 1.6em; }
h2 { font-size: 1.2em; margin-top: 1.5em; }
p { text-indent: 2em; margin: 0.4em 0; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
td { border: 1px solid #000; padding: 0.2em 0.4em; text-align: center; vertical-align: middle; }
td.label { text-align: left; }
td.vertical { writing-mode: vertical-rl; text-orientation: upright; letter-spacing: 0.1em; }
""".strip()


def _td(cell) -> str:
    attrs = []
    if cell.rowspan > 1:
        attrs.append(f' rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        attrs.append(f' colspan="{cell.colspan}"')
    classes = [cell.kind]
    if cell.vertical:
        classes.append("vertical")
    attrs.append(f' class="{" ".join(classes)}"')
    return f"<td{''.join(attrs)}>{escape(cell.text)}</td>"


def grid_html(grid: Grid) -> str:
    lines = [f'<table class="{grid.name}">']
    for r in range(grid.n_rows):
        lines.append("<tr>" + "".join(_td(c) for c in grid.origins(r)) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def to_html(report: Report) -> str:
    return page_html(blocks(report))


def page_html(seq: Iterable[Block]) -> str:
    """A page from laid-out blocks (those of ``blocks``, or a variant of them)."""
    body: list[str] = []
    title = ""
    for block in seq:
        if isinstance(block, Title):
            title = "".join(block.lines)
            body.append('<h1 class="title">' + "<br>".join(escape(x) for x in block.lines) + "</h1>")
        elif isinstance(block, Heading):
            body.append(f"<h2>{escape(block.text)}</h2>")
        elif isinstance(block, Para):
            body.append(f"<p>{escape(block.text)}</p>")
        elif isinstance(block, TableBlock):
            body.append(grid_html(block.grid))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
