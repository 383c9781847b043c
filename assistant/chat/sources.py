"""Retrieval for the chat: one shared index per process, opened on first use.

Opening the index loads the embedding model and Chroma, which takes seconds,
so it happens once and only when a question needs it. Gradio runs handlers
in threads; the lock keeps two sessions from loading the index at once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Optional, Protocol

from ..errors import RetrievalUnavailable
from ..settings import get_settings


class Retriever(Protocol):
    def search(self, query: str, k: int = 5) -> list[Any]: ...


class IndexRetriever:
    """A thread-safe, lazily opened :class:`assistant.retrieve.Index`."""

    def __init__(self, data_dir: Optional[Path] = None, chroma_url: Optional[str] = None):
        self.data_dir = data_dir
        self.chroma_url = chroma_url
        self._index = None
        self._lock = threading.Lock()

    def _open(self):
        if self._index is None:
            from ..retrieve import Index

            try:
                index = Index(data_dir=self.data_dir, chroma_url=self.chroma_url)
                count = index.count()
            except Exception as exc:  # chromadb raises many types for a bad folder or server
                raise RetrievalUnavailable(f"无法打开检索索引：{exc}") from None
            if count == 0:
                raise RetrievalUnavailable("检索索引是空的：请先运行 nianbao index build 构建默认索引。")
            self._index = index
        return self._index

    def warm(self) -> bool:
        """Open the index ahead of the first question; False when it cannot be opened."""
        try:
            with self._lock:
                index = self._open()
                index.search("年度报告", k=1)
            return True
        except RetrievalUnavailable:
            return False

    def search(self, query: str, k: int = 5) -> list[Any]:
        with self._lock:
            index = self._open()
            try:
                return index.search(query, k=k)
            except Exception as exc:  # a server that went away mid-session
                raise RetrievalUnavailable(f"检索失败：{exc}") from None


_shared: dict[tuple, IndexRetriever] = {}
_shared_lock = threading.Lock()


def default_retriever() -> IndexRetriever:
    """The index the settings name (NIANBAO_DATA_DIR, NIANBAO_CHROMA_URL), opened once."""
    settings = get_settings()
    key = (str(settings.data_dir), settings.chroma_url)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = IndexRetriever()
        return _shared[key]
