"""The 台账 tab: upload a register, fill the tables from it, or check a loaded report against it.

Self-contained: the app creates the tab's components inside its tab
(``LedgerTab()``) and wires them once its own outputs exist
(``tab.wire(handlers, state, outputs)``). The work is done by
``assistant.ledger.workspace``; this module only shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import gradio as gr

from ..chat import WorkspaceError
from ..ledger import LedgerError
from ..ledger import workspace as ledger

ALLOWED = (".xlsx", ".csv")
MAX_BYTES = 20 * 1024 * 1024
EMPTY_STATUS = ("上传依申请公开台账后，可“按台账填表”（表三、表四按台账计算）或“用台账核对”当前报告。"
                "台账中不认识的写法会列在下表，请填写它对应的表格行列后点“重新计算”。")


class LedgerTab:
    title = "台账"
    elem_id = "nb-tab-ledger"

    def __init__(self) -> None:
        self.file = gr.File(label="上传依申请公开台账（.xlsx 或 .csv，不超过 20 MB）", file_types=list(ALLOWED),
                            type="filepath", elem_id="nb-ledger-upload", height=110)
        self.year = gr.Number(label="报告年度（已载入报告时按报告的年度计算）", value=None, precision=0,
                              elem_id="nb-ledger-year")
        self.status = gr.Markdown(EMPTY_STATUS, elem_id="nb-ledger-status")
        self.unmapped = gr.Dataframe(headers=ledger.UNMAPPED_HEADERS, interactive=True, static_columns=[0, 1, 2, 4],
                                     datatype="str", type="array", elem_id="nb-ledger-unmapped", wrap=True,
                                     label="未能对应的取值")
        with gr.Row():
            self.recompute = gr.Button("重新计算", elem_id="nb-ledger-recompute")
            self.fill = gr.Button("按台账填表", variant="primary", elem_id="nb-ledger-fill")
            self.compare = gr.Button("用台账核对", elem_id="nb-ledger-compare")
        self.state = gr.State(None)  # {"path": …, "name": …} of the register this session uploaded

    def wire(self, handlers: Any, state: gr.State, outputs: list) -> None:
        h = _LedgerHandlers(handlers)
        ins = [self.year, self.unmapped, self.state, state]
        outs = [self.status, self.unmapped, self.state, *outputs]
        self.file.upload(h.upload, [self.file, *ins], outs, api_name="ledger_upload")
        self.recompute.click(h.recompute, ins, outs, api_name="ledger_recompute")
        self.fill.click(h.fill, ins, outs, api_name="ledger_fill")
        self.compare.click(h.compare, ins, outs, api_name="ledger_compare")


def _rows(grid) -> list[list]:
    rows: Any = grid.get("data") if isinstance(grid, dict) else grid
    if hasattr(rows, "values"):  # a pandas frame
        rows = rows.values.tolist()
    return [list(r) for r in rows or []]


def _year(value) -> Optional[int]:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class _LedgerHandlers:
    """Each event: the session's lock held, the register read again, the page rendered."""

    def __init__(self, handlers: Any) -> None:
        self.h = handlers

    def _run(self, s, work):
        s = self.h.session(s)
        with s.lock:
            status, grid, lstate, message = work(s)
            if message:
                s.say("assistant", message)
            return (status, grid, lstate, *self.h.render(s))

    def _compute(self, s, lstate, year, grid):
        if not lstate:
            raise LedgerError("请先上传依申请公开台账。")
        return ledger.read_for(lstate["path"], s.ws.report, _year(year), _rows(grid))

    def upload(self, file, year, grid, lstate, s):
        def work(s):
            path = Path(file if isinstance(file, (str, Path)) else getattr(file, "name", "") or "")
            if not file:
                return EMPTY_STATUS, [], lstate, "没有收到台账文件，请重新上传。"
            if path.suffix.lower() not in ALLOWED:
                msg = f"不支持的台账文件类型“{path.suffix or '无扩展名'}”：请上传 .xlsx 或 .csv。"
                return msg, [], None, msg
            if path.stat().st_size > MAX_BYTES:
                msg = "台账文件过大，上传上限为 20 MB。"
                return msg, [], None, msg
            new_state = {"path": str(path), "name": path.name}
            return self._show(s, new_state, year, [], f"已读取台账“{path.name}”。")

        return self._run(s, work)

    def _show(self, s, lstate, year, grid, prefix: str):
        try:
            result = self._compute(s, lstate, year, grid)
        except LedgerError as exc:
            return exc.message, ledger.unmapped_rows(None), lstate, f"{prefix}{exc.message}"
        status = ledger.summary_md(result)
        tail = "有无法归类的行，请在“台账”页查看。" if result.blocked else "可“按台账填表”或“用台账核对”。"
        return status, ledger.unmapped_rows(result, grid), lstate, f"{prefix}{tail}"

    def recompute(self, year, grid, lstate, s):
        return self._run(s, lambda s: self._show(s, lstate, year, _rows(grid), "已按填写的对应关系重新计算台账。"))

    def _act(self, year, grid, lstate, s, refused: str, act):
        """Count the register, refuse when rows cannot be placed, else ``act(s, result)`` -> (status, message)."""
        rows = _rows(grid)

        def work(s):
            try:
                result = self._compute(s, lstate, year, rows)
                if result.blocked:
                    return ledger.summary_md(result), ledger.unmapped_rows(result, rows), lstate, refused
                status, message = act(s, result)
            except (LedgerError, WorkspaceError) as exc:
                return exc.message, rows, lstate, exc.message
            return status, ledger.unmapped_rows(result, rows), lstate, message

        return self._run(s, work)

    def fill(self, year, grid, lstate, s):
        def act(s, result):
            cells = ledger.fill_cells(result)
            if s.ws.report is None:
                s.ws.blank(result.edition.id, result.year, None)
            for table, row, col, raw in cells:
                s.ws.set_cell(table, row, col, raw)
            tables = "表三、表四" if result.table4 is not None else "表三"
            return ledger.summary_md(result), f"已按台账“{lstate['name']}”填写{tables}（{len(result.counted)}件申请）。"

        return self._act(year, grid, lstate, s, "台账中有无法归类的行，没有填表；请先在“台账”页指定对应关系。", act)

    def compare(self, year, grid, lstate, s):
        def act(s, result):
            _, text = ledger.compare_with(result, s.ws.report, s.ws.name)
            return text, text

        return self._act(year, grid, lstate, s, "台账中有无法归类的行，无法核对；请先在“台账”页指定对应关系。", act)
