"""The Gradio workspace: chat on the left, the report on the right.

Every handler works on a per-session ``Session`` held in ``gr.State``, so two
browser tabs never share reports. Handlers turn every error a user can cause
into a Chinese chat message; nothing they raise reaches the page.
"""

from __future__ import annotations

import atexit
import functools
import logging
import queue
import re
import shutil
import tempfile
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import gradio as gr

# Gradio's queue statistics use pandas options that pandas 3 deprecates; the
# warnings say nothing to our users and would fill the terminal.
warnings.filterwarnings("ignore", module=r"gradio\.queueing")

from ..chat import (  # noqa: E402
    ALLOWED_SUFFIXES,
    MAX_UPLOAD_BYTES,
    ReadError,
    Workspace,
    WorkspaceError,
    cells,  # noqa: E402
    route,
    with_draft,
)
from ..chat.workspace import known_editions  # noqa: E402
from ..errors import SettingsError  # noqa: E402
from ..parse.worker import parse_upload  # noqa: E402
from . import ledger_tab, login, review_tab, views  # noqa: E402

log = logging.getLogger(__name__)

T3_WIDTHS: list[str | int] = ["37%", *["9%"] * 7]  # the label column, then the seven applicant columns
DOWNLOADS = {"Word（DOCX）": ".docx", "Markdown": ".md", "HTML": ".html", "问题清单（CSV）": ".csv"}
DRAFT_CHOICES = {"总体情况（第一部分）": "起草总体情况", "第五部分": "起草第五部分", "第六部分": "起草第六部分",
                 "全文": "生成全文"}
WELCOME = ("你好，我是年报助手。请在右侧上传年度报告（可一次上传多份；去年的报告请勾选“上年报告”），"
           "或新建一份空白报告，然后问我，例如“哪些合计对不上”。")

_TMP_ROOT: Optional[Path] = None


def _tmp_root() -> Path:
    global _TMP_ROOT
    if _TMP_ROOT is None:
        _TMP_ROOT = Path(tempfile.mkdtemp(prefix="nianbao-ui-"))
        atexit.register(shutil.rmtree, _TMP_ROOT, True)
    return _TMP_ROOT


@dataclass
class Session:
    ws: Workspace
    history: list[dict] = field(default_factory=list)
    # Gradio may run two events of one page at once (an edit while an answer
    # streams); they take turns on the workspace.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    folder: Optional[Path] = None  # where this session's downloads are written

    def downloads(self) -> Path:
        # One folder per session, overwritten on each download: Gradio copies the
        # file into its own cache before the browser fetches it.
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(dir=_tmp_root()))
        return self.folder

    def say(self, role: str, text: str) -> None:
        self.history.append({"role": role, "content": text})


def _serial(method):
    """Run a handler with its session (created on first use) held for it alone."""

    @functools.wraps(method)
    def run(self, *args):
        *rest, s = args
        s = self.session(s)
        with s.lock:
            return method(self, *rest, s)

    return run


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", text)[:60] or "年度报告"


class _Handlers:
    def __init__(self, workspace_factory: Callable[[], Workspace]):
        self.factory = workspace_factory

    # ------------------------------------------------------------ common

    def session(self, s: Optional[Session]) -> Session:
        if s is None:
            s = Session(ws=self.factory())
            s.say("assistant", WELCOME)
        return s

    def render(self, s: Session, result: Optional[dict] = None) -> tuple:
        ws = s.ws
        report = ws.report
        findings = ws.findings() if report is not None else []
        marks = cells.problem_cells(report, findings) if report is not None else {}
        title = ""
        if report is not None:
            who = " ".join(str(x) for x in (report.agency, report.year and f"{report.year}年度") if x)
            title = f"问题清单：{who or ws.name}（{report.edition}年版格式）"
        choices = [(f"{i + 1}. {loaded.name}", i) for i, loaded in enumerate(ws.reports)]
        active = gr.update(choices=choices, value=ws.active if ws.reports else None)
        return (
            list(s.history),
            views.findings_html(findings, title),
            views.frame(report, "二", marks),
            views.frame(report, "三", marks),
            views.frame(report, "四", marks),
            self.reports_md(ws),
            active,
            self.draft_md(ws),
            result or {},
            s,
        )

    @staticmethod
    def reports_md(ws: Workspace) -> str:
        if not ws.reports and ws.previous is None:
            return "尚未载入报告。"
        lines = []
        for i, loaded in enumerate(ws.reports):
            r = loaded.report
            mark = "▶ " if i == ws.active else ""
            lines.append(f"- {mark}本年：{_esc(loaded.name)}（{r.agency or '机关未识别'}，"
                         f"{r.year or '年度未识别'}，{r.edition}年版格式）")
        if ws.previous is not None:
            r = ws.previous.report
            lines.append(f"- 上年：{_esc(ws.previous.name)}（{r.agency or '机关未识别'}，{r.year or '年度未识别'}）")
        return "\n".join(lines)

    @staticmethod
    def draft_md(ws: Workspace) -> str:
        from ..chat.drafting import drafted_text

        if ws.draft_result is None:
            return "还没有草稿。选择要起草的部分后点“起草”，或在对话中说“起草总体情况”。"
        text = drafted_text(ws.draft_result.report, ws.draft_keys)
        note = "\n\n> 表格在起草后有修改，草稿中的数字可能已过时，请重新起草。" if ws.draft_stale else ""
        return f"{text}\n\n**{ws.draft_result.verdict.summary()}**{note}"

    # ------------------------------------------------------------ events

    @_serial
    def upload(self, files, previous: bool, s: Session):
        # The upload box and the 上年 tick are cleared afterwards, so the next upload
        # neither re-reads these files nor is taken for last year's by accident.
        return (*self._upload(files, previous, s), None, False)

    def _upload(self, files, previous: bool, s: Session):
        paths = [f for f in (files or []) if f]
        if not paths:
            s.say("assistant", "没有收到文件，请重新选择要上传的报告。")
            return self.render(s, {"loaded": [], "errors": ["没有收到文件"]})
        if previous and len(paths) > 1:
            s.say("assistant", "上年报告只能上传一份，请只选择去年的那一份报告。")
            return self.render(s, {"loaded": [], "errors": ["上年报告只能上传一份"]})
        loaded, errors = [], []
        for p in paths:
            path = Path(p if isinstance(p, (str, Path)) else getattr(p, "name", ""))
            # Gradio keeps the uploaded file's own name as the last part of its cache path.
            name = path.name
            try:
                if path.suffix.lower() not in ALLOWED_SUFFIXES:
                    raise ReadError(f"不支持的文件类型“{path.suffix or '无扩展名'}”：请上传 "
                                    f"{' '.join(ALLOWED_SUFFIXES)} 格式的报告。", "unsupported")
                if path.stat().st_size > MAX_UPLOAD_BYTES:
                    raise ReadError(f"文件过大，上传上限为 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB。", "too_large")
                item = s.ws.load_report(parse_upload(path, name), name, previous=bool(previous))
                loaded.append(item)
            except ReadError as exc:
                errors.append(f"{name}：{exc.message}")
            except OSError:
                errors.append(f"{name}：无法读取上传的文件，请重新上传。")
        lines = []
        for item in loaded:
            r = item.report
            role = "上年报告" if previous else "报告"
            lines.append(f"已载入{role}“{_esc(item.name)}”：{_esc(r.agency or '机关未识别')}，"
                         f"{r.year or '年度未识别'}年度，{r.edition}年版格式。")
        for e in errors:
            lines.append(f"无法读取 {_esc(e)}")
        if loaded and not previous:
            lines.append("可以问我“哪些合计对不上”，或在右侧表格中查看和修改数字。")
        s.say("assistant", "\n\n".join(lines))
        result = {"loaded": [i.name for i in loaded], "errors": errors}
        return self.render(s, result)

    @_serial
    def blank(self, edition: str, year, agency: str, s: Session):
        try:
            y = int(year) if year not in (None, "") else None
        except (TypeError, ValueError):
            y = None
        try:
            item = s.ws.blank(edition or None, y, (agency or "").strip() or None)
        except WorkspaceError as exc:
            s.say("assistant", exc.message)
            return self.render(s, {"error": exc.message})
        s.say("assistant", f"已新建{item.name}。请在右侧表二、表三、表四中填写数字，填写后会自动检查。")
        return self.render(s, {"loaded": [item.name]})

    @_serial
    def select(self, index, s: Session):
        try:
            if index is not None:
                s.ws.select(int(index))
        except (WorkspaceError, TypeError, ValueError):
            pass
        return self.render(s)

    def ask(self, message: str, s: Optional[Session]):
        """Stream the answer: model tokens as they come, the final answer at the end."""
        s = self.session(s)
        text = (message or "").strip()
        if not text:
            yield (*self.render(s), "")
            return
        s.say("user", text)
        tokens: "queue.Queue[Any]" = queue.Queue()
        done = object()
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                with s.lock:
                    box["answer"] = route(text, s.ws, on_token=tokens.put)
            finally:
                tokens.put(done)

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        partial = ""
        while True:
            item = tokens.get()
            if item is done:
                break
            partial += item
            # Later tokens replace the partial message; the page sees it grow.
            yield ([*s.history, {"role": "assistant", "content": partial}], *[gr.skip()] * 10)
        worker.join()
        answer = box.get("answer")
        if answer is None:
            s.say("assistant", "抱歉，处理这个请求时出错了，请再试一次。")
            yield (*self.render(s, {"intent": "error"}), "")
            return
        with s.lock:
            s.say("assistant", answer.text)
            final = self.render(s, answer.model_dump(mode="json"))
        yield (*final, "")

    def ask_once(self, message: str, s: Optional[Session]):
        last = None
        for last in self.ask(message, s):
            pass
        return last

    def draft(self, choice: str, s: Optional[Session]):
        message = DRAFT_CHOICES.get(choice or "", "起草总体情况")
        return self.ask_once(message, s)[:-1]

    @_serial
    def set_cell(self, table: str, row: str, column: str, raw: str, s: Session):
        try:
            cell = s.ws.set_cell(table, row, column, raw)
        except WorkspaceError as exc:
            s.say("assistant", exc.message)
            return self.render(s, {"error": exc.message})
        findings = s.ws.findings()
        return self.render(s, {
            "cell": cell.model_dump(mode="json"),
            "findings": [f.model_dump(mode="json") for f in findings],
        })

    def edit_table(self, table: str):
        @_serial
        def handler(self, data, s: Session):
            report = s.ws.report
            if report is None:
                return self.render(s)
            rows: Any = data.get("data") if isinstance(data, dict) else data
            if hasattr(rows, "values"):  # a pandas frame
                rows = rows.values.tolist()
            changes = cells.edits(report, table, rows or [])
            notes = []
            for row, col, raw in changes:
                try:
                    s.ws.set_cell(table, row, col, raw)
                except WorkspaceError as exc:
                    notes.append(exc.message)
            if notes:
                s.say("assistant", "\n\n".join(notes))
            return self.render(s, {"changed": [list(c) for c in changes]})

        return functools.partial(handler, self)

    @_serial
    def download(self, kind: str, s: Session):
        ws = s.ws
        suffix = DOWNLOADS.get(kind or "", kind if kind in DOWNLOADS.values() else None)
        if suffix is None:
            s.say("assistant", "请选择下载格式：Word、Markdown、HTML 或问题清单 CSV。")
            return (*self.render(s), None)
        report = with_draft(ws)
        if report is None:
            s.say("assistant", "还没有报告可以下载：请先上传报告或新建空白报告。")
            return (*self.render(s), None)
        base = _safe_name(report.title or f"{report.agency or ''}{report.year or ''}年度报告")
        folder = s.downloads()
        try:
            if suffix == ".csv":
                data = ws.findings_csv().encode("utf-8")
                path = folder / f"{base}-问题清单.csv"
            else:
                from ..export import render as export_render

                data = export_render(report, suffix)
                path = folder / f"{base}{suffix}"
            path.write_bytes(data)
        except Exception:  # noqa: BLE001 - an export bug must not show a trace
            log.exception("export failed")
            s.say("assistant", "导出失败，请稍后再试。")
            return (*self.render(s), None)
        return (*self.render(s, {"file": path.name}), str(path))


def _esc(text: str) -> str:
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def build_app(workspace_factory: Callable[[], Workspace] = Workspace) -> gr.Blocks:
    h = _Handlers(workspace_factory)
    with gr.Blocks(title="年报助手", analytics_enabled=False) as app:
        state = gr.State(None)
        gr.Markdown("## 年报助手　政府信息公开工作年度报告的检查、起草与查询")
        with gr.Row(equal_height=False):
            with gr.Column(scale=5, min_width=380):
                chatbot = gr.Chatbot(
                    value=[{"role": "assistant", "content": WELCOME}],
                    label="对话", elem_id="nb-chat", height=620, feedback_options=None,
                    buttons=["copy"], sanitize_html=True, layout="bubble",
                )
                with gr.Row():
                    msg = gr.Textbox(placeholder="例如：哪些合计对不上、起草总体情况、条例哪一条规定年报内容",
                                     show_label=False, scale=8, elem_id="nb-ask-input", max_lines=6)
                    send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="nb-ask-send")
                gr.Markdown("常用：哪些合计对不上 ｜ 为什么说第三项不对 ｜ 起草总体情况 ｜ 和去年比有什么变化")
            with gr.Column(scale=6, min_width=420):
                with gr.Tab("报告", elem_id="nb-tab-report"):
                    files = gr.File(label="上传报告（.txt .md .html .htm .docx .pdf，可多选，单个不超过 20 MB）",
                                    file_count="multiple",
                                    type="filepath", elem_id="nb-upload", height=120)
                    is_prev = gr.Checkbox(label="这是上年报告（用于同比和跨年核对）", value=False, elem_id="nb-prev")
                    loaded_md = gr.Markdown("尚未载入报告。", elem_id="nb-loaded")
                    active = gr.Dropdown(label="当前报告", choices=[], interactive=True, elem_id="nb-active")
                    with gr.Accordion("新建空白报告", open=False):
                        with gr.Row():
                            edition = gr.Dropdown(label="格式版本", choices=known_editions(),
                                                  value=known_editions()[0], elem_id="nb-edition")
                            year = gr.Number(label="报告年度", value=None, precision=0, elem_id="nb-year")
                            agency = gr.Textbox(label="机关名称", elem_id="nb-agency")
                        blank_btn = gr.Button("新建", elem_id="nb-blank")
                with gr.Tab("表二", elem_id="nb-tab-t2"):
                    t2 = gr.Dataframe(headers=views.T2_HEADERS, interactive=True, static_columns=[0, 1, 2],
                                      datatype="str", type="array", elem_id="nb-t2", wrap=True)
                with gr.Tab("表三", elem_id="nb-tab-t3"):
                    t3 = gr.Dataframe(headers=["项目"], interactive=True, static_columns=[0], datatype="str",
                                      type="array", elem_id="nb-t3", wrap=True, pinned_columns=1,
                                      max_height=1100, column_widths=T3_WIDTHS)
                with gr.Tab("表四", elem_id="nb-tab-t4"):
                    t4 = gr.Dataframe(headers=["项目"], interactive=True, static_columns=[0], datatype="str",
                                      type="array", elem_id="nb-t4", wrap=True)
                with gr.Tab("台账", elem_id="nb-tab-ledger"):
                    ledger = ledger_tab.LedgerTab()
                with gr.Tab("审核", elem_id="nb-tab-review"):
                    review = review_tab.ReviewTab()
                with gr.Tab("草稿", elem_id="nb-tab-draft"):
                    with gr.Row():
                        section = gr.Dropdown(label="起草", choices=list(DRAFT_CHOICES), value="总体情况（第一部分）",
                                              elem_id="nb-draft-section")
                        draft_btn = gr.Button("起草", elem_id="nb-draft-btn")
                    draft_md = gr.Markdown(h.draft_md(Workspace()), elem_id="nb-draft")
                with gr.Tab("下载", elem_id="nb-tab-download"):
                    kind = gr.Radio(label="格式", choices=list(DOWNLOADS), value="Word（DOCX）", elem_id="nb-kind")
                    dl_btn = gr.Button("生成下载文件", elem_id="nb-download-btn")
                    dl_file = gr.File(label="下载", interactive=False, elem_id="nb-download-file")
                findings = gr.HTML(views.findings_html([], ""), elem_id="nb-findings", label="问题清单")
                result = gr.JSON(visible=False)
                # API-only inputs for set_cell: scripts name the cell instead of editing a grid.
                cell_table = gr.Textbox(visible=False)
                cell_row = gr.Textbox(visible=False)
                cell_col = gr.Textbox(visible=False)
                cell_raw = gr.Textbox(visible=False)
                cell_btn = gr.Button(visible=False)

        out = [chatbot, findings, t2, t3, t4, loaded_md, active, draft_md, result, state]

        files.upload(h.upload, [files, is_prev, state], [*out, files, is_prev], api_name="upload")
        blank_btn.click(h.blank, [edition, year, agency, state], out, api_name="blank")
        active.input(h.select, [active, state], out, api_name="select_report")
        msg.submit(h.ask, [msg, state], [*out, msg], api_name="ask")
        send.click(h.ask, [msg, state], [*out, msg], api_visibility="private")
        draft_btn.click(h.draft, [section, state], out, api_name="draft")
        cell_btn.click(h.set_cell, [cell_table, cell_row, cell_col, cell_raw, state], out, api_name="set_cell")
        t2.input(h.edit_table("二"), [t2, state], out, api_visibility="private")
        t3.input(h.edit_table("三"), [t3, state], out, api_visibility="private")
        t4.input(h.edit_table("四"), [t4, state], out, api_visibility="private")
        dl_btn.click(h.download, [kind, state], [*out, dl_file], api_name="download")
        ledger.wire(h, state, out)
        review.wire(app)
    return app


def parse_auth(value: Optional[str]) -> Optional[tuple[str, str]]:
    """"user:pass" -> ("user", "pass"); a malformed value raises SettingsError."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise SettingsError("登录信息应写成“用户名:密码”。")
    return user, password


def launch(host: str = "127.0.0.1", port: Optional[int] = 7860, auth: Optional[tuple[str, str]] = None,
           workspace_factory: Callable[[], Workspace] = Workspace, block: bool = True,
           warm_index: bool = True, quiet: bool = False):
    """Start the UI. ``block=False`` returns the running app (tests, benchmarks).

    ``port=None`` lets the server bind the first free port it finds (it retries
    on a port taken meanwhile); ``app.local_url`` then says which.
    """
    app = build_app(workspace_factory)
    app.queue(default_concurrency_limit=4)
    if warm_index:
        from ..chat import default_retriever

        # Loading the embedding model takes seconds; do it before the first question.
        threading.Thread(target=default_retriever().warm, daemon=True).start()
    app.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message=login.auth_message() if auth else None,
        app_kwargs={"middleware": login.middleware()} if auth else None,  # wrong passwords limited per client
        max_file_size=f"{MAX_UPLOAD_BYTES // (1024 * 1024)}mb",
        share=False,
        show_error=False,
        ssr_mode=False,
        prevent_thread_lock=not block,
        quiet=quiet,
        css=views.CSS,
        footer_links=["api"],
    )
    return app
