"""The `nianbao` command: a thin layer over the library.

Each command lives in its own module and registers itself on ``app``.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="nianbao",
    help="年报助手：读取、检查、起草政府信息公开工作年度报告。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """年报助手：读取、检查、起草政府信息公开工作年度报告。"""


# Command modules register themselves on import.
from . import parse_cmd  # noqa: E402,F401
from . import check_cmd  # noqa: E402,F401
from . import rules_cmd  # noqa: E402,F401
from . import index_cmd  # noqa: E402,F401
from . import search_cmd  # noqa: E402,F401
from . import ask_cmd  # noqa: E402,F401
from . import ui_cmd  # noqa: E402,F401
from . import draft_cmd  # noqa: E402,F401
from . import eval_cmd  # noqa: E402,F401
from . import ledger_cmd  # noqa: E402,F401


def main() -> None:
    app()
