"""A model's chat answer, checked before anyone reads it, and streamed a sentence at a time.

``guard_model_answer`` is the one place a model's answer meets the figure
guard. Today it runs the drafter's figure guard (``draft.guard.check_text``)
against the loaded report's facts: a number the report does not support is
kept but marked “（未核实）”, and a note lists them; a number quoted from the
regulation passages the model was given counts as quoted. The claims guard
(``draft.answers.guard_answer``) replaces this body when it lands: one
function, one line to change.

``GuardedStream`` lets the answer stream without showing anything unchecked:
text without digits or Chinese numerals goes out as it arrives; a sentence
with a number is held until it ends, guarded, then shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from .workspace import Workspace

UNVERIFIED = "（未核实）"
NOTE_HEAD = "核验说明"
_SENTENCE_END = "。！？!?；;\n"
_NUMERIC = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿%％]")
_CITATION = re.compile(r"[［\[]\s*\d{1,2}\s*[］\]]")  # "［1］": which passage, not a figure


@dataclass
class Guarded:
    text: str  # what the user may read
    unverified: list[str] = field(default_factory=list)  # numbers the report does not support, as written
    checked: int = 0


def guard_model_answer(text: str, ws: Workspace, passages: tuple[str, ...] = ()) -> Guarded:
    """A model's answer (or a sentence of it) with every number about the loaded report checked.

    Without a report there is nothing of the user's to be wrong about: the
    answer is about the regulations, and its sources are shown with it.
    """
    report = ws.report
    if report is None or not text.strip():
        return Guarded(text)
    from ..draft import check_text, facts_from_report

    facts = facts_from_report(report, ws.previous.report if ws.previous else None)
    # Citation marks name passages; they are masked (same length) so offsets stay right.
    masked = _CITATION.sub(lambda m: "#" * len(m.group(0)), text)
    result = check_text(masked, facts)
    quoted = "\n".join(passages)
    flagged = [i for i in result.issues if not (i.figure and i.figure in quoted)]
    out = text
    for issue in sorted(flagged, key=lambda i: i.end, reverse=True):
        if 0 < issue.end <= len(out):
            out = out[: issue.end] + UNVERIFIED + out[issue.end:]
    return Guarded(out, [i.figure for i in flagged], result.checked)


def note(unverified: list[str]) -> str:
    if not unverified:
        return ""
    shown = "、".join(f"“{x}”" for x in dict.fromkeys(unverified))
    return (f"**{NOTE_HEAD}**：回答中的 {shown} 在本报告的表格和可推算的数字中找不到依据，已标为“未核实”，"
            "请以报告原文为准。")


class GuardedStream:
    """Passes a model's tokens on as they become safe to show."""

    def __init__(self, ws: Workspace, on_token: Optional[Callable[[str], None]],
                 passages: tuple[str, ...] = ()):
        self.ws = ws
        self.on_token = on_token
        self.passages = passages
        self.pending = ""  # the current sentence, not yet shown from ``shown_upto``
        self.shown_upto = 0
        self.parts: list[str] = []
        self.unverified: list[str] = []

    def _emit(self, piece: str) -> None:
        if piece:
            self.parts.append(piece)
            if self.on_token is not None:
                self.on_token(piece)

    def __call__(self, token: str) -> None:
        for ch in token:
            self.pending += ch
            if ch in _SENTENCE_END:
                self._finish()
        # Whatever precedes the first number of the unfinished sentence can be shown now.
        m = _NUMERIC.search(self.pending, self.shown_upto)
        safe = m.start() if m else len(self.pending)
        if safe > self.shown_upto:
            self._emit(self.pending[self.shown_upto:safe])
            self.shown_upto = safe

    def _finish(self) -> None:
        sentence = self.pending
        self.pending, start, self.shown_upto = "", self.shown_upto, 0
        if not _NUMERIC.search(sentence, start):
            self._emit(sentence[start:])
            return
        guarded = guard_model_answer(sentence, self.ws, self.passages)
        self.unverified += guarded.unverified
        # The part already shown held no number, so the guard only marked what follows it.
        shown = sentence[:start]
        self._emit(guarded.text[len(shown):] if guarded.text.startswith(shown) else guarded.text[start:])

    def close(self) -> str:
        """Guard what is left and return the whole answer as the user saw it."""
        if self.pending:
            self._finish()
        return "".join(self.parts)
