"""The chat: the conversation, the question box, clickable example and suggested questions.

An answer shows "正在查找……" at once, then the model's words as they come
(each sentence checked before it is shown), then the final answer with its
clickable suggestions.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Optional

import gradio as gr

from ..chat import route
from . import texts
from .handlers import Handlers
from .session import Session

PATIENCE = 0.3  # seconds an answer may take before the chat says it is working on it
# Answers after which the side panel may show something new: the findings (numbered, and with the
# checks just run), or the draft.
CHANGES_PAGE = {"check", "explain", "fix", "draft", "error"}


class ChatPanel:
    def __init__(self) -> None:
        self.chatbot = gr.Chatbot(
            value=[{"role": "assistant", "content": texts.WELCOME,
                    "options": [{"value": q, "label": q} for q in texts.EXAMPLES[:4]]}],
            label="对话", elem_id="nb-chat", height=620, feedback_options=None,
            buttons=["copy"], sanitize_html=True, layout="bubble",
        )
        with gr.Row():
            self.box = gr.Textbox(label="提问", placeholder=texts.ASK_PLACEHOLDER, show_label=False, scale=8,
                                  elem_id="nb-ask-input", max_lines=6)
            self.send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="nb-ask-send")
        gr.Markdown("常用问题（点击即可提问）：")
        with gr.Row(elem_id="nb-examples"):
            self.examples = [gr.Button(q, size="sm", elem_classes=["nb-example"]) for q in texts.EXAMPLES]

    def wire(self, h: Handlers, state: gr.State, outputs: list) -> None:
        asker = _Asker(h)
        self.box.submit(asker.ask, [self.box, state], [*outputs, self.box], api_name="ask",
                        show_progress="hidden")
        self.send.click(asker.ask, [self.box, state], [*outputs, self.box], api_visibility="private",
                        show_progress="hidden")
        self.chatbot.option_select(asker.option, [state], [*outputs, self.box], api_visibility="private",
                                   show_progress="hidden")
        for button in self.examples:
            button.click(asker.example(button.value), [state], [*outputs, self.box], api_visibility="private",
                         show_progress="hidden")


class _Asker:
    def __init__(self, h: Handlers) -> None:
        self.h = h

    def ask(self, message: str, s: Optional[Session]):
        """Stream the answer: model tokens as they come, the final answer at the end.

        An answer that takes longer than ``PATIENCE`` shows "正在查找……" meanwhile;
        a quicker one (every offline answer) is shown at once, without the note.
        """
        s = self.h.session(s)
        text = (message or "").strip()
        if not text:
            yield (*self.h.render(s), "")
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
        waited = False
        while True:
            try:
                item = tokens.get(timeout=None if waited else PATIENCE)
            except queue.Empty:
                waited = True
                yield ([*s.history, {"role": "assistant", "content": texts.ANSWERING}], *self.h.skip(), "")
                continue
            waited = True
            if item is done:
                break
            partial += item
            # Later tokens replace the partial message; the page sees it grow.
            yield ([*s.history, {"role": "assistant", "content": partial}], *self.h.skip(), "")
        worker.join()
        answer = box.get("answer")
        if answer is None:
            s.say("assistant", "抱歉，处理这个请求时出错了，请再试一次。")
            yield (*self.h.render(s, {"intent": "error"}), "")
            return
        with s.lock:
            s.say("assistant", answer.text, answer.suggestions)
            result = answer.model_dump(mode="json")
            if answer.intent in CHANGES_PAGE:
                final = self.h.render(s, result)
            else:
                # A question that changes nothing beside the chat updates the chat alone: the tables,
                # the findings and the draft stay as they are (and need not travel to the page again).
                final = self.h.chat_only(s, result)
        yield (*final, "")

    def option(self, s: Optional[Session], evt: gr.SelectData):
        value = evt.value
        if isinstance(value, dict):
            value = value.get("value") or value.get("label") or ""
        yield from self.ask(str(value or ""), s)

    def example(self, question: str):
        def run(s: Optional[Session]):
            yield from self.ask(question, s)

        return run

    def ask_once(self, message: str, s: Optional[Session]):
        last = None
        for last in self.ask(message, s):
            pass
        return last
