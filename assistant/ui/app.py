"""The Gradio workspace: the chat on the left, the report's tabs on the right.

The right-hand side is a list of tabs (``TABS``). A tab is a class with a
``title`` and an ``elem_id``, whose constructor builds its components (inside
its ``gr.Tab``) and whose ``wire(handlers, state, outputs)`` connects its
events once every component exists; adding a tab is one import and one entry
in ``TABS``. Every event renders the shared outputs (``handlers.OUTPUTS``).
"""

from __future__ import annotations

import threading
import warnings
from typing import Any, Callable, Optional

import gradio as gr

# Gradio's queue statistics use pandas options that pandas 3 deprecates; the
# warnings say nothing to our users and would fill the terminal.
warnings.filterwarnings("ignore", module=r"gradio\.queueing")

from ..chat import MAX_UPLOAD_BYTES, Workspace  # noqa: E402
from ..errors import SettingsError  # noqa: E402
from . import login, review_tab, texts, views  # noqa: E402
from .chat_panel import ChatPanel  # noqa: E402
from .download_tab import DownloadTab  # noqa: E402
from .draft_tab import DraftTab  # noqa: E402
from .handlers import Handlers  # noqa: E402
from .ledger_tab import LedgerTab  # noqa: E402
from .reports_tab import ReportsTab  # noqa: E402
from .tables_tab import CellAPI, Table2Tab, Table3Tab, Table4Tab, TableTab  # noqa: E402

# The right-hand tabs, in order: each class is built inside a gr.Tab named by its ``title``.


class ReviewTab(review_tab.ReviewTab):
    """The 审核 tab (issue 16): audits kept in a database, with its own state and handlers."""

    title = "审核"
    elem_id = "nb-tab-review"


TABS: list[Any] = [ReportsTab, Table2Tab, Table3Tab, Table4Tab, LedgerTab, ReviewTab, DraftTab, DownloadTab]


def build_app(workspace_factory: Callable[[], Workspace] = Workspace) -> gr.Blocks:
    h = Handlers(workspace_factory)
    with gr.Blocks(title=texts.TITLE, analytics_enabled=False) as app:
        state = gr.State(None)
        gr.Markdown(texts.HEADER)
        tabs: list = []
        with gr.Row(equal_height=False):
            with gr.Column(scale=5, min_width=340):
                chat = ChatPanel()
            with gr.Column(scale=6, min_width=340):
                for tab_class in TABS:
                    with gr.Tab(tab_class.title, elem_id=tab_class.elem_id):
                        tabs.append(tab_class())
                findings = gr.HTML(views.findings_html(Workspace()), elem_id="nb-findings", label="问题清单")
                result = gr.JSON(visible=False)
                cell_api = CellAPI()

        by_type = {type(t).__name__: t for t in tabs}
        tables = {t.table: t for t in tabs if isinstance(t, TableTab)}
        reports: ReportsTab = by_type["ReportsTab"]
        draft: DraftTab = by_type["DraftTab"]
        outputs = [chat.chatbot, findings, tables["二"].grid, tables["三"].grid, tables["四"].grid, reports.summary,
                   reports.active, draft.notes, result, state, draft.text, draft.download]
        chat.wire(h, state, outputs)
        cell_api.wire(h, state, outputs)
        for tab in tabs:
            if isinstance(tab, review_tab.ReviewTab):
                tab.wire(app)  # an audit is not the workspace: the tab keeps its own state
            else:
                tab.wire(h, state, outputs)
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
        css=texts.CSS,
        footer_links=[],
        i18n=texts.I18N,
    )
    return app
