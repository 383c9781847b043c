"""BM25 over jieba tokens, with bm25s doing the scoring.

bm25s is given token lists we cut ourselves (its own tokenizer splits on
spaces and Latin word boundaries, which leaves Chinese text as one token per
sentence).
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np


class Lexical:
    def __init__(self, docs_tokens: Sequence[Sequence[str]]) -> None:
        import bm25s

        self.size = len(docs_tokens)
        self._bm25 = None
        if self.size:
            # An empty token list would make bm25s drop the document and shift
            # every later index; a placeholder keeps positions aligned.
            corpus = [list(t) if t else ["\u0000"] for t in docs_tokens]
            self._bm25 = bm25s.BM25()
            self._bm25.index(corpus, show_progress=False)

    def top(self, tokens: Sequence[str], k: int, mask: Optional[np.ndarray] = None) -> list[tuple[int, float]]:
        """Indices and scores of the k best documents with a positive score."""
        if self._bm25 is None:
            return []
        ids = self._bm25.get_tokens_ids(list(tokens))
        if not ids:
            return []
        scores = self._bm25.get_scores_from_ids(ids)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
