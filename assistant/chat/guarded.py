"""A model's chat answer, checked before anyone reads it, and streamed a sentence at a time.

``guard_model_answer`` is the one place a model's answer meets the guard: it
calls ``draft.answers.guard_answer`` (numbers and claims about the loaded
report; regulation figures and figures quoted from the passages the model
was given are recognised). A sentence the report does not support is taken
out, and a note says what was taken out and why.

``GuardedStream`` lets the answer stream without showing anything unchecked:
each sentence is held until it ends, then the answer so far goes through the
guard and only what the guard kept is shown. Without a report loaded there
is nothing of the user's to be wrong about, and the tokens pass as they come.
"""

from __future__ import annotations

from typing import Callable, Optional

from ..draft.answers import GuardedAnswer, guard_answer
from ..parse.sentences import SENTENCE_END, sentence_bounds
from .workspace import Workspace

# A streamed sentence also ends at a line break (a list item, a heading).
_ENDS = SENTENCE_END + "\n"


def guard_model_answer(text: str, ws: Workspace, passages: tuple[str, ...] = ()) -> GuardedAnswer:
    """A model's answer with every unsupported number or claim about the loaded report taken out."""
    report = ws.report
    if report is None or not text.strip():
        return GuardedAnswer(text=text, body=text)
    return guard_answer(text, report, ws.previous.report if ws.previous else None, sources=passages)


class GuardedStream:
    """Passes a model's tokens on once the guard has kept them."""

    def __init__(self, ws: Workspace, on_token: Optional[Callable[[str], None]],
                 passages: tuple[str, ...] = ()):
        self.ws = ws
        self.on_token = on_token
        self.passages = passages
        self.raw = ""  # everything the model wrote so far
        self.done_upto = 0  # the end of the last finished sentence in ``raw``
        self.shown = ""  # what the user has seen: always a prefix of a guarded body

    def _emit(self, piece: str) -> None:
        if piece and self.on_token is not None:
            self.on_token(piece)
        self.shown += piece

    def __call__(self, token: str) -> None:
        if self.on_token is None:  # nobody watches: the whole answer is guarded at the end
            self.raw += token
            return
        if self.ws.report is None:
            self.raw += token
            self._emit(token)
            return
        start = len(self.raw)
        self.raw += token
        for _, end in sentence_bounds(token, _ENDS):
            if token[end - 1] in _ENDS:  # the last piece may be a sentence still going on
                self._release(self.raw[: start + end])

    def _release(self, text: str) -> None:
        """Show what the guard keeps of ``text`` beyond what is already shown."""
        body = guard_model_answer(text, self.ws, self.passages).body
        # A later sentence can make the guard take out one already shown (rare); then
        # nothing more streams and the final answer, guarded whole, replaces the stream.
        if body.startswith(self.shown):
            self._emit(body[len(self.shown):])

    def close(self, raw: str) -> GuardedAnswer:
        """The whole answer, guarded once more as a whole: what the user finally reads.

        ``raw`` is the model's full text (a client that did not stream gives it only here).
        """
        final = guard_model_answer(raw or self.raw, self.ws, self.passages)
        if final.body.startswith(self.shown):
            self._emit(final.body[len(self.shown):])
        return final
