"""A rich progress bar on stderr, shown from a command's start: stage, bar, count, rate, elapsed, time left.

Long-running library calls take any object with ``stage(name, total)`` and
``advance(n)``; this is the terminal's.
"""

from __future__ import annotations

from typing import Optional

from rich.console import Console


class Bar:
    def __init__(self, first: str, unit: str = "") -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task) -> Text:
                speed = task.finished_speed or task.speed
                unit = task.fields.get("unit", "")
                return Text(f"{speed:,.1f} {unit}/秒" if speed else f"— {unit}/秒", style="progress.data.speed")

        self.unit = unit
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(),
            TextColumn("已用"), TimeElapsedColumn(), TextColumn("剩余"), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )
        self.task = self.progress.add_task(first, total=None, unit=unit)
        self.progress.start()

    def stage(self, name: str, total: Optional[int]) -> None:
        unit = self.unit or ("个文件" if "文件" in name else "段")
        self.progress.reset(self.task, total=total, completed=0, description=name, unit=unit)

    def advance(self, n: int) -> None:
        self.progress.advance(self.task, n)

    def stop(self) -> None:
        self.progress.stop()
