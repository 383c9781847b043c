"""Gradio over the chat: ``build_app(workspace_factory)`` and ``launch(host, port, auth)``.

Importing this package sets ``GRADIO_ANALYTICS_ENABLED=False`` before gradio
is imported, so the UI never reports usage or checks for new versions.
"""

from .app import build_app, launch, parse_auth

__all__ = ["build_app", "launch", "parse_auth"]
