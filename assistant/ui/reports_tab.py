"""The 报告 tab: upload reports (this year's or last year's), a summary row per report, which one to show, a blank report."""

from __future__ import annotations

from typing import Optional

import gradio as gr

from ..chat import WorkspaceError
from ..chat.workspace import known_editions
from ..export.markdown import md_text
from . import texts
from .handlers import ALL, Handlers, TabHandlers
from .session import Session, serial
from .uploads import read_uploads


class ReportsTab:
    title = "报告"
    elem_id = "nb-tab-report"

    def __init__(self) -> None:
        self.files = gr.File(label=texts.UPLOAD_LABEL, file_count="multiple", type="filepath", elem_id="nb-upload",
                             height=120)
        self.previous = gr.Checkbox(label="这是上年报告（用于同比和跨年核对）", value=False, elem_id="nb-prev")
        self.summary = gr.Markdown(texts.NO_REPORT, elem_id="nb-loaded")
        self.active = gr.Dropdown(label="查看哪份报告（表格、问题清单和导出的问题清单随之变化）", choices=[],
                                  interactive=True, elem_id="nb-active")
        with gr.Accordion("新建空白报告", open=False):
            with gr.Row():
                self.edition = gr.Dropdown(label="格式版本", choices=known_editions(), value=known_editions()[0],
                                           elem_id="nb-edition")
                self.year = gr.Number(label="报告年度", value=None, precision=0, elem_id="nb-year")
                self.agency = gr.Textbox(label="机关名称", elem_id="nb-agency")
            self.blank_btn = gr.Button("新建", elem_id="nb-blank")

    def wire(self, h: Handlers, state: gr.State, outputs: list) -> None:
        t = _ReportHandlers(h)
        self.files.upload(t.upload, [self.files, self.previous, state], [*outputs, self.files, self.previous],
                          api_name="upload", show_progress="hidden")
        self.blank_btn.click(t.blank, [self.edition, self.year, self.agency, state], outputs, api_name="blank")
        self.active.input(t.select, [self.active, state], outputs, api_name="select_report")


class _ReportHandlers(TabHandlers):

    def upload(self, files, previous: bool, s: Optional[Session]):
        """Read the uploads; the chat says "正在读取……" while they are read.

        The upload box and the 上年 tick are cleared afterwards, so the next upload
        neither re-reads these files nor is taken for last year's by accident.
        """
        s = self.h.session(s)
        paths = [f for f in (files or []) if f]
        if paths:
            reading = f"{texts.READING}（{len(paths)} 个文件）"
            yield ([*s.history, {"role": "assistant", "content": reading}], *self.h.skip(), gr.skip(), gr.skip())
        with s.lock:
            done = self._read(paths, previous, s)
        yield (*done, None, False)

    def _read(self, paths: list, previous: bool, s: Session) -> tuple:
        if not paths:
            s.say("assistant", "没有收到文件，请重新选择要上传的报告。")
            return self.h.render(s, {"loaded": [], "errors": ["没有收到文件"]})
        if previous and len(paths) > 1:
            s.say("assistant", "上年报告只能上传一份，请只选择去年的那一份报告。")
            return self.h.render(s, {"loaded": [], "errors": ["上年报告只能上传一份"]})
        got = read_uploads(s.ws, paths, previous=bool(previous))
        lines = []
        for item in got.loaded:
            r = item.report
            role = "上年报告" if previous else "报告"
            lines.append(f"已载入{role}“{md_text(item.name)}”：{md_text(r.agency or '机关未识别')}，"
                         f"{r.year or '年度未识别'}年度，{r.edition}年版格式。")
            if r.unreadable_tables:
                lines.append("注意：" + "；".join(f"表{k}无法读取（{md_text(v)}）" for k, v in r.unreadable_tables.items()))
        for e in got.errors:
            lines.append(f"无法读取 {md_text(e)}")
        options = None
        if got.loaded and not previous:
            lines.append("可以问我下面这些问题，或在右侧表格中查看和修改数字。")
            options = ["哪些合计对不上", "本年新收政府信息公开申请多少件"]
            if len(s.ws.reports) > 1:
                options.append("比较各报告的本年新收申请数量")
        s.say("assistant", "\n\n".join(lines), options)
        return self.h.render(s, {"loaded": [i.name for i in got.loaded], "errors": got.errors})

    @serial
    def blank(self, edition: str, year, agency: str, s: Session):
        try:
            y = int(year) if year not in (None, "") else None
        except (TypeError, ValueError):
            y = None
        try:
            item = s.ws.blank(edition or None, y, (agency or "").strip() or None)
        except WorkspaceError as exc:
            s.say("assistant", exc.message)
            return self.h.render(s, {"error": exc.message})
        s.all_reports = False
        s.say("assistant", f"已新建{item.name}。请在右侧表二、表三、表四中填写数字，填写后会自动检查。")
        return self.h.render(s, {"loaded": [item.name]})

    @serial
    def select(self, index, s: Session):
        try:
            if index is not None and int(index) == ALL:
                s.all_reports = True
            elif index is not None:
                s.ws.select(int(index))
                s.all_reports = False
        except (WorkspaceError, TypeError, ValueError):
            pass
        return self.h.render(s)
