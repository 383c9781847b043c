"""The audit workbook (openpyxl): what a 政务公开办 passes around, and fills in.

Sheets:

- 汇总: one row per file — agency, year, edition, the report it was paired
  with, errors, warnings, cells not read, the decisions so far;
- 问题: one row per finding — its fingerprint, code, severity in Chinese,
  location, computation, basis, the root cause it follows from (if any), status, and the three columns a reviewer
  fills in (决定, 排除理由, 备注; 决定 offers 确认/排除/待定 in a list);
- 说明: how to fill it in and bring it back;
- a very hidden sheet, 导出信息: the audit's name and, per fingerprint, the
  decision and its revision as exported, so an import can tell a decision
  changed in the workbook from one changed in the database meanwhile.

Headers are frozen and filtered, widths fit Chinese text (a CJK character is
two columns wide), and every cell is written by ``spreadsheet.put_cell``, so
nothing a report or a reviewer wrote runs as a formula (text that could start
one is stored as text with Excel's quote prefix). The file is written
next to its destination and moved into place, never left half-written.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Optional

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import ReviewError
from ..spreadsheet import put_cell
from .listing import DECISIONS, IssueRow, ReportRow, issue_rows, report_rows
from .store import Store, open_store

MARKER = "nianbao-review-workbook"
FORMAT_VERSION = 1
META_SHEET = "导出信息"
SUMMARY_SHEET = "汇总"
ISSUES_SHEET = "问题"
HELP_SHEET = "说明"
MAX_CELL = 32_000  # a cell holds at most 32,767 characters

SUMMARY_HEADERS = ["文件", "机关", "年度", "格式版本", "文件格式", "上年报告", "同一报告文件数", "错误", "警告", "提示",
                   "未读出单元格", "存疑单元格", "无法读取的表", "确认", "排除", "待定", "未决定", "已修正", "无法核对",
                   "读取问题"]
ISSUE_HEADERS = ["指纹", "机关", "年度", "文件", "规则", "级别", "位置", "问题", "计算", "应为", "实为", "依据", "原因", "状态",
                 "决定", "排除理由", "备注", "决定人", "决定时间"]
EDITABLE = ("决定", "排除理由", "备注")
META_HEADERS = ["指纹", "版本", "决定", "排除理由", "备注"]
WRAPPED = {"原因": 30, "问题": 50, "计算": 40, "依据": 40, "位置": 36, "文件": 40, "上年报告": 40, "读取问题": 40,
           "无法读取的表": 40, "排除理由": 30, "备注": 30}
HELP = [
    "本工作簿由年报助手（nianbao review export）导出。",
    "“汇总”表每行一份文件；“问题”表每行一项问题，可按列筛选、排序。",
    "请只填写“问题”表中的黄色列：决定（确认 / 排除 / 待定，留空为未决定）、排除理由（选“排除”时必填）、备注。",
    "确认：报告需要改正；排除：不是问题（写明理由）；待定：尚未确定。",
    "“原因”列写明该问题由哪一项问题（按指纹）引起：改正那一项后它不再成立；这类问题不计入汇总表的错误、警告、提示数。",
    "“状态”为“已修正”的问题，在重新提交的报告中已不存在；“无法核对”表示相关内容这次未能读出，不能断定已修正。",
    "填好后用 nianbao review import 审核名称 本文件.xlsx 导回（或在界面“审核”页上传）。",
    "导出后若数据库中的同一项决定也被别人改过，导入时会列为冲突，不会覆盖，请核对后再决定。",
    "请勿修改“指纹”列，也不要删除本工作簿中的隐藏信息；列宽、排序和筛选可以随意调整。",
]
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")


def text_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def cell_text(value: Any) -> Any:
    """A value as written into a cell: numbers as numbers, text cleaned and bounded (``put_cell`` keeps it text)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL] + "……"
    return text


def _put_rows(ws: Any, rows: Iterable[list[Any]], first: int = 1) -> int:
    """``rows`` written from row ``first`` on, each cell through ``put_cell``; returns how many."""
    n = 0
    for n, values in enumerate(rows, 1):
        for col, value in enumerate(values, 1):
            put_cell(ws.cell(row=first + n - 1, column=col), value)
    return n


def _sheet(wb: Workbook, title: str, headers: list[str], rows: Iterable[list[Any]], first: bool = False) -> Any:
    ws = wb.active if first else wb.create_sheet(title)
    ws.title = title
    widths = [text_width(h) for h in headers]

    def measured(rows: Iterable[list[Any]]) -> Iterable[list[Any]]:
        for row in rows:
            values = [cell_text(v) for v in row]
            for i, v in enumerate(values):
                if v is not None:
                    line = max(str(v).split("\n"), key=len)
                    widths[i] = max(widths[i], text_width(line))
            yield values

    _put_rows(ws, [list(headers)])
    count = _put_rows(ws, measured(rows), first=2)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for i, h in enumerate(headers):
        letter = get_column_letter(i + 1)
        cap = WRAPPED.get(h, 30)
        ws.column_dimensions[letter].width = min(widths[i], cap) + 2
        if widths[i] > cap:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    return ws


def _summary_row(r: ReportRow) -> list[Any]:
    d = r.decisions
    return [r.name, r.agency, r.year, r.edition and f"{r.edition}年版", r.format, r.previous, r.copies, r.errors,
            r.warnings, r.infos, r.unread, r.uncertain, r.unreadable_tables, d.get("确认", 0), d.get("排除", 0),
            d.get("待定", 0), d.get("未决定", 0), d.get("已修正", 0), d.get("无法核对", 0), r.status]


def _figure(v: Any) -> Any:
    return v if isinstance(v, (int, float)) or v is None else str(v)


def _issue_row(r: IssueRow) -> list[Any]:
    status = r.status_label + (f"（{r.status_note}）" if r.status_note and r.status != "open" else "")
    return [r.fingerprint, r.agency, r.year, "\n".join(r.files), r.code, r.severity_label, r.location, r.message,
            r.computation, _figure(r.expected), _figure(r.actual), r.basis, r.caused_by, status, r.decision or "", r.reason,
            r.note, r.decided_by, r.decided_at]


def build(name: str, store: Optional[Store] = None) -> Workbook:
    store = store or open_store()
    reports = report_rows(name, store)
    issues = issue_rows(name, store)
    wb = Workbook()
    _sheet(wb, SUMMARY_SHEET, SUMMARY_HEADERS, (_summary_row(r) for r in reports), first=True)
    ws = _sheet(wb, ISSUES_SHEET, ISSUE_HEADERS, (_issue_row(r) for r in issues))
    last = len(issues) + 1
    if issues:
        for h in EDITABLE:
            for (cell,) in ws.iter_rows(min_row=2, max_row=last, min_col=ISSUE_HEADERS.index(h) + 1,
                                        max_col=ISSUE_HEADERS.index(h) + 1):
                cell.fill = _EDIT_FILL
        col = get_column_letter(ISSUE_HEADERS.index("决定") + 1)
        dv = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="决定", error="请选择 确认、排除 或 待定，或留空。")
        dv.add(f"{col}2:{col}{last}")
        ws.add_data_validation(dv)
    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.column_dimensions["A"].width = 100
    _put_rows(help_ws, ([cell_text(line)] for line in HELP))
    meta = wb.create_sheet(META_SHEET)
    _put_rows(meta, [[MARKER, FORMAT_VERSION], ["审核", cell_text(name)],
                     ["导出时间", datetime.now().strftime("%Y-%m-%d %H:%M:%S")], list(META_HEADERS),
                     *([r.fingerprint, r.revision, r.decision or "", cell_text(r.reason), cell_text(r.note)]
                       for r in issues)])
    meta.sheet_state = "veryHidden"
    wb.active = 0
    return wb


def export(name: str, out: str | Path, store: Optional[Store] = None) -> Path:
    """Write the audit ``name`` as a workbook at ``out`` (.xlsx); returns the path written."""
    path = Path(out)
    if path.suffix.lower() != ".xlsx":
        raise ReviewError("审核工作簿应保存为 .xlsx 文件。")
    if path.is_dir():
        raise ReviewError(f"“{path}”是文件夹，请给出 .xlsx 文件名。")
    wb = build(name, store)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ReviewError(f"保存位置不存在：{folder}")
    fd, tmp = tempfile.mkstemp(prefix=".nianbao-", suffix=".xlsx", dir=folder)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise ReviewError(f"无法写入审核工作簿（{exc.strerror or exc}）：{path}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
