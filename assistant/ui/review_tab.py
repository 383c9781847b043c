"""The 审核 tab: upload many reports (or a zip), see the summary, open a report, decide, download the workbook.

Self-contained: the app creates the tab's components inside its tab
(``ReviewTab()``) and wires them with ``tab.wire(app)``. Audits and decisions
live in the review database (``assistant.review``), shared by everyone using
this UI, so a decision made here is there after a reload, in another browser
and on the command line. The page keeps only which audit, report and finding
are chosen.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Optional

import gradio as gr

from ..chat.cells import problem_cells
from ..check import Finding
from ..errors import NianbaoError
from ..export.markdown import md_text
from ..model import Report
from ..review import audits, decide, document_report, issue_rows, report_rows, run_audit
from ..review.listing import IssueRow, ReportRow
from ..review.sources import collect
from ..review.workbook import export
from ..review.workbook_import import import_workbook
from . import views

log = logging.getLogger(__name__)

DEFAULT_AUDIT = "默认审核"
UPLOAD_TYPES = [".zip", ".txt", ".md", ".html", ".htm", ".docx", ".pdf"]
FILTERS = ["全部", "有错误", "有待决定", "无法读取"]
SUMMARY_HEADERS = ["机关", "年度", "错误", "警告", "提示", "未读出", "决定情况", "版本", "上年报告", "文件"]
FINDING_HEADERS = ["状态", "级别", "规则", "位置", "问题", "计算", "理由/备注", "决定人", "指纹"]
FILE_COLUMN = SUMMARY_HEADERS.index("文件")
FINGERPRINT_COLUMN = FINDING_HEADERS.index("指纹")
EMPTY_STATUS = "上传年度报告（可多选，或一个 zip 压缩包），即可建立或更新审核。同一机关同一年度的报告再次上传时视为新版本，替换原文件。"
JOBS = 2
BUTTONS = {"确认": "review_confirm", "排除": "review_dismiss", "待定": "review_pending"}


# ------------------------------------------------------------------ what is shown (pure functions)


def summary_data(rows: list[ReportRow], which: str = "全部") -> list[list[Any]]:
    keep = {
        "有错误": lambda r: r.errors > 0,
        "有待决定": lambda r: r.decisions.get("未决定", 0) > 0,
        "无法读取": lambda r: bool(r.status),
    }.get(which, lambda r: True)
    return [[r.agency or "未识别", r.year or "", r.errors, r.warnings, r.infos, r.unread + r.uncertain,
             f"无法读取：{r.status}" if r.status else r.decisions_text(), r.edition, r.previous, r.name]
            for r in rows if keep(r)]


def findings_data(rows: list[IssueRow]) -> list[list[Any]]:
    out = []
    for r in rows:
        said = "；".join(x for x in (r.reason and f"理由：{r.reason}", r.note and f"备注：{r.note}") if x)
        said_first = f"{r.message}（{r.caused_by}）" if r.cause else r.message
        out.append([r.shown, r.severity_label, r.code, r.location, said_first, r.computation, said, r.decided_by,
                    r.fingerprint])
    return out


def marks(report: Optional[Report], rows: list[IssueRow]) -> dict:
    """The cells the report's open findings point at, for the table grids."""
    if report is None:
        return {}
    found = [Finding.model_validate({"code": r.code, "severity": r.severity, "message": r.message, **r.refs})
             for r in rows if r.status == "open"]
    return problem_cells(report, found)


# ------------------------------------------------------------------ the tab


class ReviewTab:
    def __init__(self) -> None:
        with gr.Row():
            self.audit = gr.Dropdown(label="审核名称（可输入新名称）", choices=[], value=None, allow_custom_value=True,
                                     interactive=True, elem_id="nb-review-audit", scale=3)
            self.who = gr.Textbox(label="审核人", placeholder="记录在决定上的名字", elem_id="nb-review-who", scale=2)
            self.refresh = gr.Button("刷新", elem_id="nb-review-refresh", scale=1, min_width=60)
        self.files = gr.File(label="上传报告（.txt .md .html .docx .pdf，可多选，或一个 .zip 压缩包）",
                             file_count="multiple", file_types=UPLOAD_TYPES, type="filepath",
                             elem_id="nb-review-upload", height=110)
        self.status = gr.Markdown(EMPTY_STATUS, elem_id="nb-review-status")
        self.filter = gr.Radio(FILTERS, value="全部", label="只看", elem_id="nb-review-filter")
        self.summary = gr.Dataframe(headers=SUMMARY_HEADERS, interactive=False, wrap=True, max_height=360,
                                    show_search="filter", elem_id="nb-review-summary", label="汇总（点击一行打开报告）")
        self.report = gr.Dropdown(label="打开报告", choices=[], value=None, interactive=True,
                                  elem_id="nb-review-report")
        self.findings = gr.Dataframe(headers=FINDING_HEADERS, interactive=False, wrap=True, max_height=420,
                                     elem_id="nb-review-findings", label="问题（点击一行选中，再点下方按钮决定）")
        self.chosen = gr.Markdown("尚未选中问题。", elem_id="nb-review-chosen")
        with gr.Row():
            self.reason = gr.Textbox(label="排除理由（排除时必填）", elem_id="nb-review-reason", scale=3)
            self.note = gr.Textbox(label="备注", elem_id="nb-review-note", scale=3)
        with gr.Row():
            self.confirm = gr.Button("确认（需改正）", variant="primary", elem_id="nb-review-confirm")
            self.dismiss = gr.Button("排除（不是问题）", elem_id="nb-review-dismiss")
            self.pending = gr.Button("待定", elem_id="nb-review-pending")
        with gr.Accordion("报告表格", open=False, elem_id="nb-review-tables"):
            with gr.Tab("表二"):
                self.t2 = gr.Dataframe(headers=views.T2_HEADERS, interactive=False, wrap=True, elem_id="nb-review-t2")
            with gr.Tab("表三"):
                self.t3 = gr.Dataframe(headers=["项目"], interactive=False, wrap=True, elem_id="nb-review-t3")
            with gr.Tab("表四"):
                self.t4 = gr.Dataframe(headers=["项目"], interactive=False, wrap=True, elem_id="nb-review-t4")
        with gr.Row():
            self.download = gr.Button("生成审核工作簿（Excel）", elem_id="nb-review-download")
            self.workbook = gr.File(label="审核工作簿", interactive=False, elem_id="nb-review-workbook", height=80)
        self.upload_wb = gr.File(label="导入填写了决定的审核工作簿（.xlsx）", file_types=[".xlsx"], type="filepath",
                                 elem_id="nb-review-import", height=90)
        self.selected = gr.State(None)  # the chosen finding's fingerprint

    def wire(self, app: gr.Blocks) -> None:
        h = _Handlers()
        page = [self.audit, self.summary, self.report, self.findings, self.t2, self.t3, self.t4, self.chosen,
                self.selected]
        app.load(h.opened, [self.audit, self.filter, self.report], [*page, self.status], api_visibility="private")
        self.refresh.click(h.opened, [self.audit, self.filter, self.report], [*page, self.status],
                           api_name="review_refresh")
        self.audit.input(h.show, [self.audit, self.filter, self.report], page, api_visibility="private")
        self.filter.change(h.filtered, [self.audit, self.filter], [self.summary], api_visibility="private")
        self.files.upload(h.upload, [self.files, self.audit, self.filter], [*page, self.status, self.files],
                          api_name="review_upload")
        self.summary.select(h.pick_report, [self.audit], page[2:], api_visibility="private")
        self.report.input(h.open_report, [self.audit, self.report], page[2:], api_name="review_open")
        self.findings.select(h.pick_finding, [self.audit, self.report], [self.chosen, self.selected],
                             api_visibility="private")
        for button, decision in ((self.confirm, "确认"), (self.dismiss, "排除"), (self.pending, "待定")):
            button.click(h.decider(decision), [self.audit, self.report, self.selected, self.reason, self.note,
                                               self.who, self.filter], [*page, self.status, self.reason],
                         api_name=BUTTONS[decision])
        self.download.click(h.download, [self.audit], [self.workbook, self.status], api_name="review_download")
        self.upload_wb.upload(h.import_, [self.upload_wb, self.audit, self.who, self.filter, self.report],
                              [*page, self.status, self.upload_wb], api_name="review_import")


def _name(audit: Optional[str]) -> str:
    return (audit or "").strip() or DEFAULT_AUDIT


def _known(name: str) -> bool:
    return any(a.name == name for a in audits())


class _Progress:
    """``assistant.review`` progress, shown by Gradio."""

    def __init__(self, progress: gr.Progress) -> None:
        self.p = progress
        self.name, self.total, self.done = "", 0, 0

    def stage(self, name: str, total: Optional[int]) -> None:
        self.name, self.total, self.done = name, total or 0, 0
        self.p(0 if total else None, desc=name)

    def advance(self, n: int) -> None:
        self.done += n
        if self.total:
            self.p((self.done, self.total), desc=self.name, unit="份")


def _shown_as_toast(handler):
    """A problem a person can act on (the database is down, an audit was deleted meanwhile) as Gradio's message."""

    @functools.wraps(handler)
    def run(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except NianbaoError as exc:
            raise gr.Error(exc.message) from None

    return run


class _Handlers:
    """Every event reads the database again: another user may have changed it."""

    @staticmethod
    def empty(name: str, names: list[str]) -> tuple:
        """The page of an audit that does not exist (yet), without asking the database."""
        return (gr.update(choices=names, value=name), {"headers": SUMMARY_HEADERS, "data": [["" for _ in SUMMARY_HEADERS]]},
                gr.update(choices=[], value=None),
                {"headers": FINDING_HEADERS, "data": [["" for _ in FINDING_HEADERS]]},
                views.frame(None, "二", {}), views.frame(None, "三", {}), views.frame(None, "四", {}),
                "尚未选中问题。", None)

    def page(self, audit: Optional[str], which: str, report: Optional[str], chosen: Optional[str] = None) -> tuple:
        name = _name(audit)
        names = [a.name for a in audits()]
        if name not in names:
            return self.empty(name, names)
        rows = report_rows(name)
        files = [r.name for r in rows]
        if report not in files:
            # The first report with something to decide: errors, then warnings, then notes.
            ranked = sorted(rows, key=lambda r: (not r.errors, not r.warnings, not r.infos))
            report = next((r.name for r in ranked if r.errors or r.warnings or r.infos), files[0] if files else None)
        return (gr.update(choices=names, value=name), self._summary(rows, which),
                gr.update(choices=files, value=report), *self._report(name, report, chosen))

    @staticmethod
    def _summary(rows: list[ReportRow], which: str) -> dict:
        data = summary_data(rows, which)
        return {"headers": SUMMARY_HEADERS, "data": data or [["" for _ in SUMMARY_HEADERS]]}

    def _report(self, name: str, report: Optional[str], chosen: Optional[str]) -> tuple:
        if not report:
            return ({"headers": FINDING_HEADERS, "data": [["" for _ in FINDING_HEADERS]]},
                    views.frame(None, "二", {}), views.frame(None, "三", {}), views.frame(None, "四", {}),
                    "尚未选中问题。", None)
        rows = issue_rows(name, document=report)
        parsed = document_report(name, report)
        cells = marks(parsed, rows)
        picked = next((r for r in rows if r.fingerprint == chosen), None)
        return ({"headers": FINDING_HEADERS, "data": findings_data(rows) or [["" for _ in FINDING_HEADERS]]},
                views.frame(parsed, "二", cells), views.frame(parsed, "三", cells), views.frame(parsed, "四", cells),
                self._chosen(picked), picked.fingerprint if picked else None)

    @staticmethod
    def _chosen(r: Optional[IssueRow]) -> str:
        if r is None:
            return "尚未选中问题。"
        return (f"已选中：**{md_text(r.severity_label)} {md_text(r.code)}** {md_text(r.location)} —— {md_text(r.message)}"
                f"　当前：**{md_text(r.shown)}**")

    # ------------------------------------------------------------ events

    def opened(self, audit, which, report):
        try:
            if not (audit or "").strip():
                found = audits()
                audit = found[0].name if found else DEFAULT_AUDIT
            page = self.page(audit, which, report)
        except NianbaoError as exc:  # the database cannot be opened: say so, show an empty page
            return (*self.empty(_name(audit), []), f"**{md_text(exc.message)}**")
        return (*page, EMPTY_STATUS)

    @_shown_as_toast
    def show(self, audit, which, report):
        return self.page(audit, which, report)

    @_shown_as_toast
    def filtered(self, audit, which):
        name = _name(audit)
        return self._summary(report_rows(name), which) if _known(name) else gr.skip()

    def upload(self, files, audit, which, progress=gr.Progress()):
        name = _name(audit)
        paths = [str(f if isinstance(f, (str, Path)) else getattr(f, "name", "")) for f in (files or []) if f]
        if not paths:
            return (*self.page(name, which, None), "没有收到文件，请重新选择。", None)
        # Gradio keeps each upload's own name as the last part of its temporary path.
        got = collect(paths, names={p: Path(p).name for p in paths})
        try:
            result = run_audit(name, collected=got, sync=False, jobs=JOBS, progress=_Progress(progress))
        except NianbaoError as exc:
            return (*self.page(name, which, None), f"**{md_text(exc.message)}**", None)
        lines = [f"审核“{md_text(name)}”已更新：新增 {len(result.added)} 份，重新检查 {len(result.changed)} 份，"
                 f"共 {result.reports} 份；配对 {len(result.pairs)} 份；待决定 {result.undecided} 项"
                 + (f"，本次已修正 {len(result.fixed)} 项" if result.fixed else "") + "。"]
        lines += [f"- 新版本“{md_text(new)}”替换了“{md_text(old)}”" for old, new in result.replaced]
        lines += [f"- 无法读取 {md_text(n)}：{md_text(why)}" for n, why in result.errors + result.unreadable]
        lines += [f"- 跳过 {md_text(n)}：{md_text(why)}" for n, why in result.skipped[:20]]
        return (*self.page(name, which, None), "\n".join(lines), None)

    @_shown_as_toast
    def pick_report(self, audit, evt: gr.SelectData):
        row = evt.row_value or []
        report = row[FILE_COLUMN] if len(row) > FILE_COLUMN and row[FILE_COLUMN] else None
        name = _name(audit)
        return (gr.update(value=report), *self._report(name, report, None))

    @_shown_as_toast
    def open_report(self, audit, report):
        return (gr.update(value=report), *self._report(_name(audit), report, None))

    @_shown_as_toast
    def pick_finding(self, audit, report, evt: gr.SelectData):
        row = evt.row_value or []
        fp = row[FINGERPRINT_COLUMN] if len(row) > FINGERPRINT_COLUMN and row[FINGERPRINT_COLUMN] else None
        if not fp or not report:
            return "尚未选中问题。", None
        picked = next((r for r in issue_rows(_name(audit), document=report) if r.fingerprint == fp), None)
        return self._chosen(picked), picked.fingerprint if picked else None

    def decider(self, decision: str):
        def handler(audit, report, chosen, reason, note, who, which, request: gr.Request):
            name = _name(audit)
            if not chosen:
                return (*self.page(name, which, report), "请先在问题表中点击要决定的问题。", gr.skip())
            by = (who or "").strip() or getattr(request, "username", None) or "界面用户"
            try:
                done = decide(name, chosen, decision, reason=reason, note=(note or None), by=by, source="界面")
            except NianbaoError as exc:
                return (*self.page(name, which, report, chosen), f"**{md_text(exc.message)}**", gr.skip())
            said = f"已记录：{done.code} {md_text(done.location)} → **{decision}**（{md_text(by)}）。"
            return (*self.page(name, which, report, chosen), said, "")

        return handler

    def download(self, audit):
        name = _name(audit)
        try:
            folder = Path(tempfile.mkdtemp(prefix="nianbao-review-"))
            safe = re.sub(r'[\\/:*?"<>|\s]+', "", name)[:60] or "审核"
            path = export(name, folder / f"{safe}-审核工作簿.xlsx")
        except NianbaoError as exc:
            return None, f"**{md_text(exc.message)}**"
        except OSError:
            log.exception("workbook export failed")
            return None, "**生成工作簿失败，请稍后再试。**"
        return str(path), f"已生成审核工作簿（{os.path.getsize(path) // 1024 + 1} KB），请点击下载。"

    def import_(self, file, audit, who, which, report, request: gr.Request):
        name = _name(audit)
        path = str(file if isinstance(file, (str, Path)) else getattr(file, "name", "") or "")
        if not path:
            return (*self.page(name, which, report), "没有收到工作簿。", None)
        by = (who or "").strip() or getattr(request, "username", None) or "界面用户"
        try:
            result = import_workbook(name, path, by=by)
        except NianbaoError as exc:
            return (*self.page(name, which, report), f"**{md_text(exc.message)}**", None)
        lines = [f"已导入工作簿：记录 {len(result.applied)} 项决定，未改动 {result.unchanged} 项。"]
        if result.conflicts:
            lines.append(f"**{len(result.conflicts)} 项冲突**（导出后这里也有人改过，未覆盖，请核对后重新决定）：")
            lines += [f"- {c.fingerprint} {md_text(c.location)}：工作簿为“{md_text(c.workbook)}”，"
                      f"现为“{md_text(c.database)}”（{md_text(c.decided_by)} {c.decided_at}）" for c in result.conflicts]
        lines += [f"- 第 {n} 行 {fp}：{md_text(why)}" for n, fp, why in result.problems]
        return (*self.page(name, which, report), "\n".join(lines), None)
