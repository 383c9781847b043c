"""Chat: route a user's message to the stages and answer in Chinese.

``route(message, workspace)`` is the one entry point the browser UI and
``nianbao ask`` share; a ``Workspace`` holds one user's reports.
"""

from ..check import Finding, Severity
from ..parse import ReadError
from .answer import Answer, SourceRef
from .drafting import with_draft
from .intents import detect
from .router import HELP_TEXT, route
from .sources import IndexRetriever, RetrievalUnavailable, default_retriever
from .workspace import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES, Loaded, Workspace, WorkspaceError

__all__ = [
    "ALLOWED_SUFFIXES",
    "Answer",
    "Finding",
    "ReadError",
    "Severity",
    "HELP_TEXT",
    "IndexRetriever",
    "Loaded",
    "MAX_UPLOAD_BYTES",
    "RetrievalUnavailable",
    "SourceRef",
    "Workspace",
    "WorkspaceError",
    "default_retriever",
    "detect",
    "route",
    "with_draft",
]
