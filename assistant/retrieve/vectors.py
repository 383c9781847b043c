"""Vectors shipped with the corpus, so that building the default index embeds nothing it need not.

Every install used to embed the same 271 passages of ``corpus/`` again (a
minute or more on two cores). ``corpus/tools/embed_vectors.py`` embeds them
once and writes ``corpus/vectors/``: ``vectors.npy`` (float16, one row per
passage, read with ``allow_pickle=False``) and ``index.json`` (the model that
made them and, per row, the hash of the exact text that was embedded). The
index build takes a passage's vector from there when the model and the hash
match, and embeds only the rest, so an edited passage is embedded afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .embedding import MAX_EMBED_CHARS

FORMAT = 1
DIM = 384


def passage_key(text: str) -> str:
    """The hash of what the model reads of a passage (its first MAX_EMBED_CHARS characters)."""
    return hashlib.sha256(text[:MAX_EMBED_CHARS].encode("utf-8")).hexdigest()[:32]


class ShippedVectors:
    def __init__(self, model: str, keys: Sequence[str], vectors: np.ndarray) -> None:
        self.model = model
        self.rows = {k: i for i, k in enumerate(keys)}
        self.vectors = vectors

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, text: str) -> Optional[np.ndarray]:
        i = self.rows.get(passage_key(text))
        return None if i is None else np.asarray(self.vectors[i], dtype=np.float32)

    @classmethod
    def load(cls, folder: Path, model: str) -> Optional["ShippedVectors"]:
        """The vectors in ``folder`` when they were made by ``model``; None when absent, for another model, or malformed."""
        try:
            head = json.loads((folder / "index.json").read_text(encoding="utf-8"))
            if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("model") != model:
                return None
            keys = head["keys"]
            vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if (not isinstance(keys, list) or not all(isinstance(k, str) for k in keys)
                or vectors.dtype != np.float16 or vectors.shape != (len(keys), DIM)
                or not np.isfinite(vectors).all()):
            return None
        return cls(model, keys, vectors)

    @staticmethod
    def write(folder: Path, model: str, texts: Sequence[str], vectors: np.ndarray) -> int:
        """Write the vectors of ``texts`` (one row each, duplicates once); returns the number of rows."""
        keys: list[str] = []
        rows: list[np.ndarray] = []
        seen: set[str] = set()
        for text, vec in zip(texts, vectors):
            k = passage_key(text)
            if k not in seen:
                seen.add(k)
                keys.append(k)
                rows.append(np.asarray(vec, dtype=np.float32))
        folder.mkdir(parents=True, exist_ok=True)
        arr = np.stack(rows).astype(np.float16) if rows else np.zeros((0, DIM), np.float16)
        tmp = folder / f".vectors.{os.getpid()}.npy"
        np.save(tmp, arr, allow_pickle=False)
        os.replace(tmp, folder / "vectors.npy")
        head = {"format": FORMAT, "model": model, "dim": DIM, "dtype": "float16",
                "note": "row i is the passage whose sha256(text[:max_chars])[:32] is keys[i]",
                "keys": keys}
        tmp = folder / f".index.{os.getpid()}.json"
        tmp.write_text(json.dumps(head, indent=0) + "\n", encoding="utf-8")
        os.replace(tmp, folder / "index.json")
        return len(keys)
