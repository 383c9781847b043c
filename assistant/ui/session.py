"""One browser session's state: its workspace, its chat history, what it is looking at.

Held in ``gr.State``, so two browser tabs never share reports. Gradio may run
two events of one page at once (an edit while an answer streams); they take
turns on the workspace through the session's lock.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..chat import Workspace

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
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    folder: Optional[Path] = None  # where this session's downloads are written
    # The tables, findings and sheet follow one report (the workspace's active one) or all of them.
    all_reports: bool = False

    def downloads(self) -> Path:
        # One folder per session, overwritten on each download: Gradio copies the
        # file into its own cache before the browser fetches it.
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(dir=_tmp_root()))
        return self.folder

    def say(self, role: str, text: str, options: Optional[list[str]] = None) -> None:
        message: dict[str, Any] = {"role": role, "content": text}
        if options:
            # Clickable questions under the message (the chatbot's option_select event).
            message["options"] = [{"value": o, "label": o} for o in options]
        self.history.append(message)

    @property
    def shown(self) -> Optional[list[int]]:
        """The reports the side panel shows: None for the active one, else every loaded report."""
        return list(range(len(self.ws.reports))) if self.all_reports and len(self.ws.reports) > 1 else None


def serial(method):
    """Run a handler with its session (created on first use) held for it alone."""

    @functools.wraps(method)
    def run(self, *args):
        *rest, s = args
        s = self.session(s)
        with s.lock:
            return method(self, *rest, s)

    return run
