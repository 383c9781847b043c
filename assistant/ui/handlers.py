"""What every tab shares: the session, and the page rendered from it after each event.

``Handlers.render`` returns the workspace's outputs in the order ``OUTPUTS``
names them; every event that changes the workspace ends with it, so the
chat, the tables, the findings list, the report summary and the draft always
show the same state. Handlers turn every error a user can cause into a
Chinese chat message; nothing they raise reaches the page.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Callable, Optional

import gradio as gr

from ..chat import Workspace, with_draft
from ..chat import cells as cell_marks
from . import texts, views
from .session import Session

log = logging.getLogger(__name__)

# The outputs every event renders, in this order (gradio_client sees them without the State).
OUTPUTS = ("chatbot", "findings", "t2", "t3", "t4", "summary", "active", "draft_notes", "result", "state",
           "draft_text", "draft_file")
ALL = -1  # the report selector's value for "every loaded report"


def safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", text)[:60] or "年度报告"


class Handlers:
    def __init__(self, workspace_factory: Callable[[], Workspace]):
        self.factory = workspace_factory

    def session(self, s: Optional[Session]) -> Session:
        if s is None:
            s = Session(ws=self.factory())
            s.say("assistant", texts.WELCOME, list(texts.EXAMPLES[:4]))
        return s

    # ------------------------------------------------------------ rendering

    def render(self, s: Session, result: Optional[dict] = None) -> tuple:
        ws = s.ws
        shown = s.shown
        report = ws.report
        if shown is None and report is not None:
            marks = cell_marks.problem_cells(report, ws.findings())
            grids = [views.frame(report, t, marks) for t in ("二", "三", "四")]
        elif shown is not None:
            grids = [views.frame_all(ws, t) for t in ("二", "三", "四")]
        else:
            grids = [views.frame(None, t, {}) for t in ("二", "三", "四")]
        choices = [(texts.ALL_REPORTS, ALL)] if len(ws.reports) > 1 else []
        choices += [(f"{i + 1}. {loaded.name}", i) for i, loaded in enumerate(ws.reports)]
        value = (ALL if shown is not None else ws.active) if ws.reports else None
        text, notes = self.draft_view(ws)
        return (
            list(s.history),
            views.findings_html(ws, shown),
            *grids,
            views.summary_md(ws, shown is not None),
            gr.update(choices=choices, value=value),
            notes,
            result or {},
            s,
            text,
            self.draft_file(s),
        )

    @staticmethod
    def draft_view(ws: Workspace) -> tuple[str, str]:
        """(the draft as plain text, what to know about it as Markdown)."""
        if ws.draft_result is None:
            return "", texts.NO_DRAFT
        report = ws.draft_result.report
        keys = ws.draft_keys
        parts = []
        if "preamble" in keys and report.preamble:
            parts.append("\n\n".join(p.text for p in report.preamble))
        for sec in report.sections:
            if sec.key in keys and sec.paragraphs:
                parts.append(sec.heading + "\n\n" + "\n\n".join(p.text for p in sec.paragraphs))
        notes = [f"**{ws.draft_result.verdict.summary()}**"]
        if ws.draft_notes:
            notes.append(ws.draft_notes + "\n\n**注意：表格有上述问题，草稿按现有数字起草，请核对。**")
        if ws.draft_stale:
            notes.append("> 表格在起草后有修改，草稿中的数字可能已过时，请重新起草。")
        return "\n\n".join(parts), "\n\n".join(notes)

    def draft_file(self, s: Session) -> Any:
        """The drafted report as Word, written once per draft, for the draft's own download button."""
        ws = s.ws
        if ws.draft_result is None:
            return gr.update(value=None, interactive=False)
        key = (id(ws.draft_result), ws.draft_stale)
        if getattr(s, "_draft_file_key", None) != key:
            from ..export import render as export_render

            report = with_draft(ws)
            assert report is not None
            path = s.downloads() / f"{safe_name(report.title or '年度报告')}-草稿.docx"
            try:
                path.write_bytes(export_render(report, ".docx"))
            except Exception:  # noqa: BLE001 - an export bug must not break the page
                log.exception("draft export failed")
                return gr.update(value=None, interactive=False)
            s._draft_file_key = key  # type: ignore[attr-defined]
            s._draft_file = str(path)  # type: ignore[attr-defined]
        return gr.update(value=s._draft_file, interactive=True)  # type: ignore[attr-defined]

    def chat_only(self, s: Session, result: dict) -> tuple:
        """The outputs with only the chat and the result changed."""
        skipped = self.skip()
        skipped[OUTPUTS.index("result") - 1] = result
        return (list(s.history), *skipped)

    def skip(self) -> list:
        """"Leave every output as it is" for a streamed update that changes only the chat."""
        return [gr.skip()] * (len(OUTPUTS) - 1)


class TabHandlers:
    """A tab's event handlers: the shared ``Handlers`` at hand, sessions through them (for ``serial``)."""

    def __init__(self, h: Handlers) -> None:
        self.h = h

    def session(self, s: Optional[Session]) -> Session:
        return self.h.session(s)
