"""The 表二, 表三 and 表四 tabs: a report's tables as editable grids, problem cells coloured.

An edit is read as the parser reads a cell and re-runs the checks at once.
With every report selected, each tab shows the reports side by side instead
(read only).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..chat import WorkspaceError
from ..chat import cells as cell_edits
from . import texts, views
from .handlers import Handlers, TabHandlers
from .session import Session, serial

T3_WIDTHS: list[str | int] = ["37%", *["9%"] * 7]  # the label column, then the seven applicant columns


class TableTab:
    table = ""
    title = ""
    elem_id = ""

    def __init__(self) -> None:
        table = self.table
        grid_id = {"二": "nb-t2", "三": "nb-t3", "四": "nb-t4"}[table]
        if table == "二":
            self.grid = gr.Dataframe(headers=views.T2_HEADERS, interactive=True, static_columns=[0, 1, 2],
                                     datatype="str", type="array", elem_id=grid_id, wrap=True)
        elif table == "三":
            self.grid = gr.Dataframe(headers=["项目"], interactive=True, static_columns=[0], datatype="str",
                                     type="array", elem_id=grid_id, wrap=True, pinned_columns=1, max_height=1100,
                                     column_widths=T3_WIDTHS)
        else:
            self.grid = gr.Dataframe(headers=["项目"], interactive=True, static_columns=[0], datatype="str",
                                     type="array", elem_id=grid_id, wrap=True)

    def wire(self, h: Handlers, state: gr.State, outputs: list) -> None:
        self.grid.input(_TableHandlers(h, self.table).edit, [self.grid, state], outputs, api_visibility="private")


class Table2Tab(TableTab):
    table, title, elem_id = "二", "表二", "nb-tab-t2"


class Table3Tab(TableTab):
    table, title, elem_id = "三", "表三", "nb-tab-t3"


class Table4Tab(TableTab):
    table, title, elem_id = "四", "表四", "nb-tab-t4"


class _TableHandlers(TabHandlers):
    def __init__(self, h: Handlers, table: str) -> None:
        super().__init__(h)
        self.table = table

    @serial
    def edit(self, data, s: Session):
        report = s.ws.report
        if report is None:
            return self.h.render(s)
        if s.shown is not None:
            s.say("assistant", texts.ALL_MODE_EDIT)
            return self.h.render(s)
        rows: Any = data.get("data") if isinstance(data, dict) else data
        if hasattr(rows, "values"):  # a pandas frame
            rows = rows.values.tolist()
        changes = cell_edits.edits(report, self.table, rows or [])
        notes = []
        for row, col, raw in changes:
            try:
                s.ws.set_cell(self.table, row, col, raw)
            except WorkspaceError as exc:
                notes.append(exc.message)
        if notes:
            s.say("assistant", "\n\n".join(notes))
        return self.h.render(s, {"changed": [list(c) for c in changes]})


class CellAPI:
    """``/set_cell``: scripts name a cell (table, row, column) instead of editing a grid. Not shown."""

    def __init__(self) -> None:
        self.table = gr.Textbox(visible=False)
        self.row = gr.Textbox(visible=False)
        self.col = gr.Textbox(visible=False)
        self.raw = gr.Textbox(visible=False)
        self.button = gr.Button(visible=False)

    def wire(self, h: Handlers, state: gr.State, outputs: list) -> None:
        handlers = _CellHandlers(h)
        self.button.click(handlers.set_cell, [self.table, self.row, self.col, self.raw, state], outputs,
                          api_name="set_cell")


class _CellHandlers(TabHandlers):

    @serial
    def set_cell(self, table: str, row: str, column: str, raw: str, s: Session):
        try:
            cell = s.ws.set_cell(table, row, column, raw)
        except WorkspaceError as exc:
            s.say("assistant", exc.message)
            return self.h.render(s, {"error": exc.message})
        s.all_reports = False
        findings = s.ws.findings()
        return self.h.render(s, {
            "cell": cell.model_dump(mode="json"),
            "findings": [f.model_dump(mode="json") for f in findings],
        })
