"""Sentences of report prose: one splitter for the checker, the drafter and the chat.

A sentence ends at 。！？ or at ；(a clause that reads as a sentence in these
reports); callers that also stop at line breaks pass their own ``ends``.
"""

from __future__ import annotations

SENTENCE_END = "。！？；;!?"


def sentence_bounds(text: str, ends: str = SENTENCE_END) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, its end mark included."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in ends:
            out.append((start, i + 1))
            start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def sentences(text: str, ends: str = SENTENCE_END) -> list[str]:
    """The sentences of ``text``, each with its end mark."""
    return [text[a:b] for a, b in sentence_bounds(text, ends)]


def sentence_around(text: str, start: int, end: int, ends: str = SENTENCE_END) -> tuple[int, int]:
    """(s, e): the sentence holding ``text[start:end]``, from after the previous end mark up to its own (excluded)."""
    s = start
    while s > 0 and text[s - 1] not in ends:
        s -= 1
    e = end
    while e < len(text) and text[e] not in ends:
        e += 1
    return s, e
