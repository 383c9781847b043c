"""Tolerant matching of written labels to the template's official labels.

Reports write labels with full-width or half-width brackets and digits,
spaces and line breaks inside, "1、" for "1.", and the odd misspelling. The
matcher accepts those and says what it tolerated, so the checker can report
an altered label without the reader losing the row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Optional

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b]+")
_QUOTES = re.compile(r"[\"'“”‘’「」『』]")
# "1、" "1." "1．" "(1)" at the start of a sub-row label
_NUMBERING = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)\s*[.、．,，]\s*")
_BRACKET_NUMBERING = re.compile(r"^\(([一二三四五六七八九十\d]+)\)")


@lru_cache(maxsize=4096)
def key(text: str) -> str:
    """A comparison key: what is left when presentation is removed."""
    s = unicodedata.normalize("NFKC", text)
    s = _SPACE.sub("", s)
    s = _QUOTES.sub("", s)
    s = s.replace("、", ".").replace("，", ",").rstrip(":：")
    return s


@lru_cache(maxsize=4096)
def bare_key(text: str) -> str:
    """The key without a leading "1." / "(三)" number, for sub-row labels."""
    k = key(text)
    k = _NUMBERING.sub("", k)
    return _BRACKET_NUMBERING.sub("", k)


@dataclass(frozen=True)
class Match:
    official: str
    kind: Optional[str]  # None when written exactly as the template has it


def classify_deviation(written: str, official: str) -> Optional[str]:
    if written == official:
        return None
    if _SPACE.sub("", written) == _SPACE.sub("", official):
        return "spacing"
    if unicodedata.normalize("NFKC", _SPACE.sub("", written)) == unicodedata.normalize("NFKC", official):
        return "width"  # full-width "1．" or "（" for half-width, or the reverse
    if key(written) == key(official):
        flat = unicodedata.normalize("NFKC", _SPACE.sub("", written))
        # "1、" for "1." is the commonest variant; name it apart from other punctuation.
        if re.sub(r"^(\d+)、", r"\1.", flat) == unicodedata.normalize("NFKC", official):
            return "numbering"
        return "punctuation"
    if bare_key(written) == bare_key(official):
        return "numbering"
    return "misspelling"


class LabelIndex:
    """Finds the official label a written label stands for."""

    def __init__(self, labels: list[str], aliases: Optional[dict[str, list[str]]] = None,
                 fuzzy: float = 0.86):
        self.labels = list(labels)
        self._by_key: dict[str, str] = {}
        self._by_bare: dict[str, str] = {}
        for label in self.labels:
            self._by_key.setdefault(key(label), label)
            self._by_bare.setdefault(bare_key(label), label)
        for official, variants in (aliases or {}).items():
            for v in variants:
                self._by_bare.setdefault(bare_key(v), official)
        self._fuzzy = fuzzy
        self._cache: dict[str, Optional[Match]] = {}

    def match(self, written: str) -> Optional[Match]:
        if written in self._cache:
            return self._cache[written]
        result = self._match(written)
        self._cache[written] = result
        return result

    def _match(self, written: str) -> Optional[Match]:
        if not written or not written.strip():
            return None
        official = self._by_key.get(key(written))
        bk = bare_key(written)
        # A short label such as "其他" is also a column header; without its
        # number it is not enough to name a row.
        if official is None and len(bk) >= 4:
            official = self._by_bare.get(bk)
        if official is None and len(bk) >= 6:
            official = self._closest(bk)
        if official is None:
            return None
        return Match(official, classify_deviation(written, official))

    def _closest(self, bk: str) -> Optional[str]:
        best, best_ratio = None, self._fuzzy
        for b, official in self._by_bare.items():
            if abs(len(b) - len(bk)) > 3:
                continue
            ratio = SequenceMatcher(None, bk, b).ratio()
            if ratio >= best_ratio:
                best, best_ratio = official, ratio
        return best
