"""Reference reports rendered the way real reports are found: the degradation layouts.

Every layout is made by this module from a reference report's data
(``evals/reference/<slug>/report.yaml``, and for the PDF-text layouts the
``report.pdf`` built from it), never by hand, together with what the document
in that layout truly holds cell by cell. A layout that changes the document
(a blank 总计 column, （六） printed as one row) changes its truth too; a
layout that loses cells (columns cut at the page edge) marks them as absent:
any reading of them but "unreadable" is wrong.

    from assistant.evals.degrade import LAYOUTS, render
    doc = render(Path("evals/reference/qinghe-city-2023"), "crawler")
    doc.data, doc.name, doc.truth
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import AbstractSet, Any, Callable, Optional

from ..export.facts import report_from_yaml
from ..export.html import page_html
from ..export.layout import Grid, GridCell, Heading, Para, TableBlock, Title, blocks, table3_grid
from ..model import Cell, CellState, Report, get_edition

ABSENT = {"state": "absent"}  # truth of a cell the layout has lost: only "unreadable" is right


@dataclass
class Rendered:
    name: str  # a file name, e.g. "qinghe-city-2023.crawler.txt"
    data: bytes
    truth: dict[tuple[str, str, str], dict[str, Any]]  # (表, row, column) -> {value, state[, unit]}
    sections: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LayoutSpec:
    id: str
    title: str  # Chinese, for the scoreboard
    suffix: str
    figures_survive: bool  # False: cells are lost or run together beyond telling apart
    render: Callable[[Path, Report], tuple[bytes, Report, set]]
    applies: Callable[[Report], bool] = lambda report: True


# ---- truth -------------------------------------------------------------------


def _cell_truth(cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"value": cell.value, "state": cell.state.value}
    if cell.unit:
        out["unit"] = cell.unit
    return out


def truth_of(report: Report, absent: AbstractSet[tuple[str, str, str]] = frozenset()) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every cell the document in a layout holds, keyed as the scorer keys a parsed report."""
    out = {}
    for caption, rows in report.table2.items():
        for row, cols in rows.items():
            for col, cell in cols.items():
                out[("表二", f"{caption} {row}", col)] = _cell_truth(cell)
    for row, cols in report.table3.items():
        for col, cell in cols.items():
            out[("表三", row, col)] = _cell_truth(cell)
    for group, cols in report.table4.items():
        for col, cell in cols.items():
            out[("表四", group, col)] = _cell_truth(cell)
    for k in absent:
        out[k] = dict(ABSENT)
    return out


# ---- drawing ------------------------------------------------------------------


def _grids(report: Report) -> list:
    return list(blocks(report))


def _html_page(body: list[str], title: str) -> bytes:
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(title)}</title>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n").encode()


def _html(report: Report, grid_hook: Optional[Callable[[Grid], Grid]] = None,
          seq: Optional[list] = None) -> bytes:
    """The report as the project's HTML page, its tables changed by ``grid_hook`` (or its blocks by ``seq``)."""
    laid = seq if seq is not None else _grids(report)
    if grid_hook:
        laid = [TableBlock(grid_hook(b.grid)) if isinstance(b, TableBlock) else b for b in laid]
    return page_html(laid).encode()


def _copy_grid(grid: Grid, n_rows: Optional[int] = None, n_cols: Optional[int] = None) -> Grid:
    return Grid(grid.name, n_rows if n_rows is not None else grid.n_rows,
                n_cols if n_cols is not None else grid.n_cols, grid.header_rows, caption=grid.caption)


# ---- the layouts ------------------------------------------------------------


def _crawler(folder: Path, report: Report) -> tuple[bytes, Report, set]:
    """A web crawler's save of the page: a metadata header, breadcrumbs, every cell run into the next."""
    assert report.year is not None  # a reference report states its year
    title = f"{report.agency}{report.year}年度政府信息公开工作年度报告"
    head = [f"标题: {title}", f"发布时间: {report.year + 1}-01-20 09:30", "文号: ",
            f"发布机构: {report.agency}", "栏目: 政府信息公开年报",
            f"原文链接: https://example.invalid/zwgk/nb/{folder.name}.htm",
            "==================== 正文 ===================="]
    parts = [f"当前位置： 首页政务公开政府信息公开年报 {title} 来源：{report.agency} "
             f"时间：{report.year + 1}-01-20 09:30 打印本页 关闭窗口 相关链接： --> "]
    for i, block in enumerate(_grids(report)):
        if isinstance(block, Title):
            continue
        if isinstance(block, Heading):
            # Headings run on into the text, with or without a space after them.
            parts.append(block.text + (" " if i % 2 else ""))
        elif isinstance(block, Para):
            parts.append(block.text)
        elif isinstance(block, TableBlock):
            grid = block.grid
            parts.append("".join(c.text for r in range(grid.n_rows) for c in grid.origins(r)))
    return ("\n".join(head) + "\n" + "".join(parts) + " 附件下载\n").encode(), report, set()


def _per_row(report: Report, markdown: bool, generic: bool) -> bytes:
    """One small table per table row, with generic headers ("数据1 … 总计") or none."""
    out: list[str] = []
    title = ""

    def table(label: str, values: list[str], total: bool) -> None:
        n = len(values)
        head = ["项目"] + [f"数据{i + 1}" for i in range(n - (1 if total else 0))] + (["总计"] if total else [])
        if markdown:
            if generic:
                out.append("| " + " | ".join(head) + " |")
            else:
                out.append("| " + " | ".join([""] * (n + 1)) + " |")
            out.append("|" + "---|" * (n + 1))
            out.append("| " + " | ".join([label] + values) + " |")
            out.append("")
        else:
            rows = []
            if generic:
                rows.append("<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>")
            rows.append("<tr>" + "".join(f"<td>{escape(x)}</td>" for x in [label] + values) + "</tr>")
            out.append("<table>" + "".join(rows) + "</table>")

    def para(text: str, level: int = 0) -> None:
        if markdown:
            out.append(("## " if level else "") + text)
            out.append("")
        else:
            out.append(f"<h2>{escape(text)}</h2>" if level else f"<p>{escape(text)}</p>")

    for block in _grids(report):
        if isinstance(block, Title):
            title = "".join(block.lines)
            para(title)
        elif isinstance(block, Heading):
            para(block.text, 1)
        elif isinstance(block, Para):
            para(block.text)
        elif isinstance(block, TableBlock):
            grid = block.grid
            if grid.name == "table2":
                para(grid.caption or "")
            if grid.name == "table4":
                decl = get_edition(report.edition).table4
                w = len(decl.columns)
                values = [c.text for c in grid.origins(grid.n_rows - 1)]
                for g, group in enumerate(decl.groups):
                    table(group, values[g * w:(g + 1) * w], True)
                continue
            for r in range(grid.header_rows, grid.n_rows):
                cells = grid.origins(r)
                labels = [c for c in cells if c.kind == "label"]
                values = [c.text for c in cells if c.kind == "value"]
                if labels:
                    table(labels[0].text, values, grid.name == "table3")
    if markdown:
        return ("\n".join(out) + "\n").encode()
    return _html_page(out, title)


def _md_rows(folder: Path, report: Report):
    return _per_row(report, markdown=True, generic=True), report, set()


def _html_rows(folder: Path, report: Report):
    return _per_row(report, markdown=False, generic=False), report, set()


def pdf_text(data: bytes, layout: bool) -> bytes:
    """The text pdfplumber extracts from a PDF, without or with (``layout``) its horizontal layout."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [p.extract_text(layout=layout) or "" for p in pdf.pages]
    text = "\n".join(pages)
    if layout:
        text = "\n".join(line.rstrip() for line in text.split("\n") if line.strip())
    return (text + "\n").encode()


def _pdf_plain(folder: Path, report: Report):
    return pdf_text((folder / "report.pdf").read_bytes(), False), report, set()


def _pdf_layout(folder: Path, report: Report):
    return pdf_text((folder / "report.pdf").read_bytes(), True), report, set()


def _values_first(folder: Path, report: Report):
    """Text with each row's figures on the line before its label, labels wrapped at ten characters,
    and the group labels set vertically, one character per line."""
    lines: list[str] = []
    for block in _grids(report):
        if isinstance(block, Title):
            lines.extend(block.lines)
        elif isinstance(block, (Heading, Para)):
            lines.append(block.text)
        elif isinstance(block, TableBlock):
            grid = block.grid
            for r in range(grid.n_rows):
                cells = grid.origins(r)
                if r < grid.header_rows or grid.name == "table4":
                    lines.extend(c.text for c in cells if c.text)
                    continue
                for c in cells:
                    if c.kind == "group":
                        lines.extend(list(c.text))
                label = next((c.text for c in cells if c.kind == "label"), "")
                values = [c.text for c in cells if c.kind == "value"]
                lines.append(" ".join(v for v in values if v))
                lines.extend(label[i:i + 10] for i in range(0, len(label), 10))
    return ("\n".join(lines) + "\n").encode(), report, set()


def _swallow(folder: Path, report: Report):
    """A PDF table extraction that swallows the heading and paragraph above each table into its first rows."""
    seq = _grids(report)
    out: list = []
    pending: list[str] = []
    for i, block in enumerate(seq):
        nxt = seq[i + 1] if i + 1 < len(seq) else None
        if isinstance(block, Heading) and isinstance(nxt, TableBlock):
            prev = out[-1] if out else None
            if isinstance(prev, Para):
                out.pop()
                text = prev.text
                pending += [text[j:j + 30] for j in range(0, len(text), 30)]
            pending.append(block.text)
            continue
        if isinstance(block, TableBlock) and pending:
            grid = block.grid
            new = _copy_grid(grid, n_rows=grid.n_rows + len(pending))
            for k, line in enumerate(pending):
                new.add(GridCell(line, k, 0, colspan=grid.n_cols, kind="header"))
            for c in grid.cells:
                new.add(GridCell(c.text, c.row + len(pending), c.col, c.rowspan, c.colspan, c.kind, c.vertical))
            new.header_rows = grid.header_rows + len(pending)
            out.append(TableBlock(new))
            pending = []
            continue
        out.append(block)
    return _html(report, seq=out), report, set()


def _clip_grid(grid: Grid, keep: int) -> Grid:
    new = _copy_grid(grid, n_cols=keep)
    for c in grid.cells:
        if c.col >= keep:
            continue
        new.add(GridCell(c.text, c.row, c.col, c.rowspan, min(c.colspan, keep - c.col), c.kind, c.vertical))
    return new


def _clipped(folder: Path, report: Report):
    """Tables cut at the page's right edge: table 三 loses its last two columns, table 四 its last group."""
    ed = get_edition(report.edition)
    lost3 = ed.table3.columns[-2:]
    lost_group = ed.table4.groups[-1]

    def hook(grid: Grid) -> Grid:
        if grid.name == "table3":
            return _clip_grid(grid, grid.n_cols - len(lost3))
        if grid.name == "table4":
            return _clip_grid(grid, grid.n_cols - len(ed.table4.columns))
        return grid

    absent = {("表三", row, col) for row in report.table3 for col in lost3} | \
             {("表四", lost_group, col) for col in ed.table4.columns}
    return _html(report, hook), report, absent


def _split_label(text: str) -> tuple[str, str]:
    cut = max(4, len(text) // 2)
    return text[:cut], text[cut:]


def _split_labels(folder: Path, report: Report):
    """Long row labels of table 三 split over two merged cells, one under the other; the figures
    stand in cells merged over both."""

    def hook(grid: Grid) -> Grid:
        if grid.name != "table3":
            return grid
        cells = [copy.copy(c) for c in grid.cells]
        n_rows = grid.n_rows
        targets = sorted((c for c in cells if c.kind == "label" and len(c.text) >= 12 and c.row >= grid.header_rows),
                         key=lambda c: c.row, reverse=True)
        added: list[GridCell] = []
        for label in targets:
            r = label.row
            head, tail = _split_label(label.text)
            for c in cells + added:
                if c is label:
                    continue
                if c.row > r:
                    c.row += 1
                elif c.row <= r <= c.row + c.rowspan - 1:
                    c.rowspan += 1
            label.text = head
            added.append(GridCell(tail, r + 1, label.col, 1, label.colspan, "label"))
            n_rows += 1
        new = _copy_grid(grid, n_rows=n_rows)
        for c in cells + added:
            new.add(c)
        return new

    return _html(report, hook), report, set()


def _misprint(text: str, i: int) -> str:
    """A deterministic slip of the kind real reports make: a parenthesis dropped, or characters left out."""
    if "（" in text[3:] and text.endswith("）"):
        return text[: text.index("（", 3)]  # （二）部分公开（区分处理的…） -> （二）部分公开
    head = 2 if text[:1].isdigit() else (3 if text.startswith("（") else 0)
    body = text[head:]
    if len(body) < 7:
        return text
    at = len(body) // 2 + (i % 2)
    return text[:head] + body[:at] + body[at + 2:]


def _misprints(folder: Path, report: Report):
    """Row labels of table 三 misprinted in every third row, and the note in （二）'s label left out."""

    def hook(grid: Grid) -> Grid:
        if grid.name != "table3":
            return grid
        new = _copy_grid(grid)
        labels = sorted((c for c in grid.cells if c.kind == "label"), key=lambda c: c.row)
        changed = {id(c): _misprint(c.text, i) for i, c in enumerate(labels)
                   if i % 3 == 1 or ("（" in c.text[3:] and c.text.endswith("）"))}
        for c in grid.cells:
            new.add(GridCell(changed.get(id(c), c.text), c.row, c.col, c.rowspan, c.colspan, c.kind, c.vertical))
        return new

    return _html(report, hook), report, set()


def _six_as_one_row(folder: Path, report: Report):
    """A 2021-edition report that prints （六）其他处理 as one row, as the 2019 layout did."""
    ed = get_edition(report.edition)
    group = next(g for g in ed.table3.groups if g.startswith("（六）"))
    subs = [r.label for r in ed.table3.group_rows(group)]
    doc = report.model_copy(deep=True)
    sums = {}
    for col in ed.table3.columns:
        total = sum(report.table3[s][col].value or 0 for s in subs)
        sums[col] = Cell(value=total, state=CellState.number, raw=str(total))
    table3: dict[str, dict[str, Cell]] = {}
    for label, cols in report.table3.items():
        if label in subs:
            if label == subs[-1]:
                table3[group] = sums
            continue
        table3[label] = cols
    doc.table3 = table3
    layout19 = get_edition("2019")

    def hook(grid: Grid) -> Grid:
        return table3_grid(doc, layout19) if grid.name == "table3" else grid

    truth = report.model_copy(deep=True)
    t3: dict[str, dict[str, Cell]] = {}
    for label, cols in report.table3.items():
        t3[label] = {c: Cell.missing() for c in cols} if label in subs else cols
        if label == subs[-1]:
            t3[group] = sums
    truth.table3 = t3
    return _html(report, hook), truth, set()


def _blank_totals(folder: Path, report: Report):
    """The 总计 columns of tables 三 and 四 left empty, as real reports often leave them."""
    doc = report.model_copy(deep=True)
    ed = get_edition(report.edition)
    for cols in doc.table3.values():
        cols[ed.table3.total_column] = Cell(state=CellState.blank, raw="")
    for cols in doc.table4.values():
        cols[ed.table4.total_column] = Cell(state=CellState.blank, raw="")
    return _html(doc), doc, set()


LAYOUTS: dict[str, LayoutSpec] = {s.id: s for s in [
    LayoutSpec("crawler", "网页爬虫文本（元数据头、面包屑、标题连排、单元格数字连写）", ".txt", False, _crawler),
    LayoutSpec("md-rows", "每行一张小表（Markdown，表头为“数据1…总计”）", ".md", True, _md_rows),
    LayoutSpec("html-rows", "每行一张小表（HTML，无表头）", ".html", True, _html_rows),
    LayoutSpec("pdf-text", "PDF 提取文本（pdfplumber，不保留版面）", ".txt", True, _pdf_plain),
    LayoutSpec("pdf-text-layout", "PDF 提取文本（pdfplumber，保留版面，相当于 -layout）", ".txt", True, _pdf_layout),
    LayoutSpec("values-first", "数字在标签之前、标签折行、竖排分组标签一字一行的文本", ".txt", True, _values_first),
    LayoutSpec("swallow", "PDF 表格吞入上方标题和段落", ".html", True, _swallow),
    LayoutSpec("clipped", "表格被页面右边缘截断（表三少两列，表四少一组）", ".html", False, _clipped),
    LayoutSpec("split-labels", "长标签拆在上下两个合并单元格", ".html", True, _split_labels),
    LayoutSpec("misprints", "行标签印错或缩写（每三行一处，（二）省略括注）", ".html", True, _misprints),
    LayoutSpec("six-one-row", "2021年版报告把（六）其他处理印为一行", ".html", True, _six_as_one_row,
               applies=lambda r: r.edition == "2021"),
    LayoutSpec("blank-totals", "表三、表四的总计列留空", ".html", True, _blank_totals),
]}


def reference_dirs(folder: Path) -> list[Path]:
    return sorted(p.parent for p in folder.glob("*/report.yaml"))


def render(folder: Path, layout: str) -> Optional[Rendered]:
    """One reference report in one layout, with its truth; None when the layout does not apply."""
    spec = LAYOUTS[layout]
    report = report_from_yaml(folder / "report.yaml")
    if not spec.applies(report):
        return None
    data, truth_report, absent = spec.render(folder, report)
    return Rendered(name=f"{folder.name}.{layout}{spec.suffix}", data=data, truth=truth_of(truth_report, absent),
                    sections=[s.key for s in get_edition(report.edition).sections])
