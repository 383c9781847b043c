"""Retrieval: corpus → index → passages.

Hybrid search over regulations and past reports: dense vectors from the
bundled multilingual-e5-small in Chroma, BM25 over jieba tokens, fused by
reciprocal rank. Nothing here reaches the network.
"""

from .chunks import Chunk
from .embedding import E5Embedding
from .split import NotAReport, split_file, split_markdown_report, split_regulation, split_report
from .store import (
    AddResult,
    Hit,
    Index,
    SourceInfo,
    default_corpus_dir,
    default_data_dir,
)

__all__ = [
    "AddResult",
    "Chunk",
    "E5Embedding",
    "Hit",
    "Index",
    "NotAReport",
    "SourceInfo",
    "default_corpus_dir",
    "default_data_dir",
    "split_file",
    "split_markdown_report",
    "split_regulation",
    "split_report",
]
