"""Run suites and collect a scoreboard."""

from __future__ import annotations

import datetime as dt
import time
from typing import Callable, Iterable, Optional

from .context import SUITES, Context
from .results import Scoreboard
from .suites import runner


def run_suites(names: Iterable[str], ctx: Optional[Context] = None,
               progress: Optional[Callable[[str], None]] = None) -> Scoreboard:
    """Run the named suites in the order of ``SUITES``; the scoreboard passes when every threshold does."""
    ctx = ctx or Context()
    wanted = [s for s in SUITES if s in set(names)]
    board = Scoreboard(date=dt.date.today().isoformat())
    t_all = time.perf_counter()
    for name in wanted:
        if progress:
            progress(name)
        spec = ctx.spec(name)
        t0 = time.perf_counter()
        result = runner(name)(ctx, spec)
        result.seconds = time.perf_counter() - t0
        board.suites.append(result)
    board.seconds = time.perf_counter() - t_all
    return board
