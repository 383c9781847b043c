"""The 草稿 tab: draft a part of the report, with what ``nianbao draft`` would say before drafting.

Missing figures and errors in the tables are listed first, exactly as the
command line lists them (``draft.preflight``); as there, drafting stops on
them unless the user ticks “仍然起草”. The draft itself has a copy button
and a Word download.
"""

from __future__ import annotations

from typing import Optional

import gradio as gr

from ..chat.drafting import draft_answer
from . import texts
from .handlers import Handlers
from .session import Session

CHOICES = {"总体情况（第一部分）": ["一"], "第五部分": ["五"], "第六部分": ["六"], "全文": None}


class DraftTab:
    title = "草稿"
    elem_id = "nb-tab-draft"

    def __init__(self) -> None:
        with gr.Row():
            self.section = gr.Dropdown(label="起草", choices=list(CHOICES), value="总体情况（第一部分）",
                                       elem_id="nb-draft-section")
            self.force = gr.Checkbox(label=texts.FORCE_LABEL, value=False, elem_id="nb-draft-force")
            self.button = gr.Button("起草", variant="primary", elem_id="nb-draft-btn")
        self.notes = gr.Markdown(texts.NO_DRAFT, elem_id="nb-draft-notes")
        self.text = gr.Textbox(label="草稿正文", lines=16, max_lines=40, interactive=False, buttons=["copy"],
                               elem_id="nb-draft")
        self.download = gr.DownloadButton("下载草稿（Word）", value=None, interactive=False,
                                          elem_id="nb-draft-download")

    def wire(self, h: Handlers, state: gr.State, outputs: list) -> None:
        self.button.click(_DraftHandlers(h, self.notes).draft, [self.section, self.force, state], outputs,
                          api_name="draft", show_progress="hidden")


class _DraftHandlers:
    def __init__(self, h: Handlers, notes: gr.Markdown) -> None:
        self.h = h
        self.notes = notes

    def draft(self, choice: str, force: bool, s: Optional[Session]):
        s = self.h.session(s)
        sections = CHOICES.get(choice or "", ["一"])
        # The notes panel says "正在起草……" at once; everything else stays as it is.
        busy = [gr.skip()] * len(self.h.skip())
        busy[6] = texts.DRAFTING  # draft_notes, counted without the chatbot
        yield (gr.skip(), *busy)
        from ..chat.router import _settings

        with s.lock:
            answer = draft_answer(s.ws, sections, _settings(s.ws), None, force=bool(force))
            if answer.data.get("refused"):
                s.say("assistant", "起草已停止：表格有错误或缺少数字，详见“草稿”页。")
                rendered = list(self.h.render(s, answer.model_dump(mode="json")))
                rendered[7] = answer.text  # the notes panel shows what stopped it
            else:
                scope = "全文" if sections is None else "、".join(f"第{k}部分" for k in sections)
                s.say("assistant", f"已起草{scope}，草稿和数字核验结果在“草稿”页。")
                rendered = list(self.h.render(s, answer.model_dump(mode="json")))
        yield tuple(rendered)

