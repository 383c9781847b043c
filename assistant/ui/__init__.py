"""Gradio over the chat: ``build_app(workspace_factory)`` and ``launch(host, port, auth)``.

Importing this package sets ``GRADIO_ANALYTICS_ENABLED=False`` before gradio
is imported, so the UI never reports usage or checks for new versions.
"""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from .app import build_app, launch, parse_auth  # noqa: E402

__all__ = ["build_app", "launch", "parse_auth"]
