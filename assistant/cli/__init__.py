"""The `nianbao` command: a thin layer over the library.

Each command lives in its own module and registers itself on ``app`` when it is
imported; ``lazy.COMMANDS`` says which module holds which command, and the group
imports a command's module only when that command runs.
"""

from __future__ import annotations

import sys

from .app import app
from .errors import print_error

__all__ = ["app", "main"]


def main() -> None:
    """The `nianbao` entry point. Errors a person can act on end in ``NianbaoGroup.main``;
    anything else is a defect, and is still told in Chinese rather than as a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        print_error("已中断。")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback reaches a user
        print_error(f"程序内部出错（{type(exc).__name__}：{exc}）。这是年报助手的缺陷，请把所用的命令和这条信息告诉维护者。")
        sys.exit(1)
