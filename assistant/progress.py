"""What long operations report as they go, whoever shows it (a terminal bar, Gradio's progress).

A stage with its total (None while unknown), then the steps done in it.
"""

from __future__ import annotations

from typing import Optional, Protocol


class Progress(Protocol):
    def stage(self, name: str, total: Optional[int]) -> None: ...

    def advance(self, n: int) -> None: ...


class Silent:
    """Progress nobody watches."""

    def stage(self, name: str, total: Optional[int]) -> None:
        pass

    def advance(self, n: int) -> None:
        pass
