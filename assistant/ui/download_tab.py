"""The 下载 tab: the report (with its draft) as Word, Markdown or HTML, and the findings as a CSV sheet.

The sheet follows the report selector: the shown report's findings, or every
loaded report's when all are shown.
"""

from __future__ import annotations

import logging

import gradio as gr

from ..chat import with_draft
from .handlers import Handlers, TabHandlers, safe_name
from .session import Session, serial

log = logging.getLogger(__name__)

DOWNLOADS = {"Word（DOCX）": ".docx", "Markdown": ".md", "HTML": ".html", "问题清单（CSV）": ".csv"}


class DownloadTab:
    title = "下载"
    elem_id = "nb-tab-download"

    def __init__(self) -> None:
        self.kind = gr.Radio(label="格式", choices=list(DOWNLOADS), value="Word（DOCX）", elem_id="nb-kind")
        self.button = gr.Button("生成下载文件", elem_id="nb-download-btn")
        self.file = gr.File(label="下载", interactive=False, elem_id="nb-download-file")

    def wire(self, h: Handlers, state: gr.State, outputs: list) -> None:
        self.button.click(_DownloadHandlers(h).download, [self.kind, state], [*outputs, self.file],
                          api_name="download")


class _DownloadHandlers(TabHandlers):

    @serial
    def download(self, kind: str, s: Session):
        ws = s.ws
        suffix = DOWNLOADS.get(kind or "", kind if kind in DOWNLOADS.values() else None)
        if suffix is None:
            s.say("assistant", "请选择下载格式：Word、Markdown、HTML 或问题清单 CSV。")
            return (*self.h.render(s), None)
        report = with_draft(ws)
        if report is None:
            s.say("assistant", "还没有报告可以下载：请先上传报告或新建空白报告。")
            return (*self.h.render(s), None)
        folder = s.downloads()
        base = safe_name(report.title or f"{report.agency or ''}{report.year or ''}年度报告")
        try:
            if suffix == ".csv":
                shown = s.shown
                data = ws.findings_csv(shown).encode("utf-8")
                path = folder / f"{'全部报告' if shown is not None else base}-问题清单.csv"
            else:
                from ..export import render as export_render

                data = export_render(report, suffix)
                path = folder / f"{base}{suffix}"
            path.write_bytes(data)
        except Exception:  # noqa: BLE001 - an export bug must not show a trace
            log.exception("export failed")
            s.say("assistant", "导出失败，请稍后再试。")
            return (*self.h.render(s), None)
        return (*self.h.render(s, {"file": path.name}), str(path))

