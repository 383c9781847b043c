"""The typer ``app`` behind `nianbao`: the top group, on which each command module registers itself.

It lives apart from the package's ``__init__`` so that the command modules import it from here
without importing the package that runs them; ``lazy`` is handed it through ``serve`` rather
than importing it back.
"""

from __future__ import annotations

import typer

from . import localise
from .lazy import LazyGroup, serve

localise.apply()  # typer's own help and error texts in Chinese, before the app is built

app = serve(typer.Typer(
    name="nianbao",
    help="年报助手：读取、检查、起草政府信息公开工作年度报告。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
))


@app.callback()
def _root() -> None:
    """年报助手：读取、检查、起草政府信息公开工作年度报告。"""
