"""Retrieval: corpus → index → passages.

Hybrid search over regulations and past reports: dense vectors from the
bundled multilingual-e5-small in Chroma, BM25 over jieba tokens, fused by
reciprocal rank. Nothing here reaches the network. Importing the package
registers the embedding function with chromadb (so a collection reopens by
name); the model and jieba's dictionary load on first use.
"""

from .chunks import Chunk
from .config import default_corpus_dir, default_data_dir
from .embedding import E5Embedding
from .split import NotAReport, SourceError, split_file, split_markdown_report, split_regulation, split_report
from .store import (
    AddResult,
    Hit,
    Index,
    SourceInfo,
)

__all__ = [
    "AddResult",
    "Chunk",
    "E5Embedding",
    "Hit",
    "Index",
    "NotAReport",
    "SourceError",
    "SourceInfo",
    "default_corpus_dir",
    "default_data_dir",
    "split_file",
    "split_markdown_report",
    "split_regulation",
    "split_report",
]
