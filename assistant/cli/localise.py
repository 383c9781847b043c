"""The command line's help in Chinese: typer's headings, type names and the help option.

typer renders help with rich from module-level strings and a few methods;
this module replaces those strings and wraps those methods, once, when the
``nianbao`` app is built (``apply()``; calling it again changes nothing).
Usage errors are put into Chinese in ``errors.py``; between the two, nothing
typer prints is left in English. Option names (``--format``), argument
metavars (``FILE``) and the values an option accepts (``json``) are what a
user types, so they stay as they are.

Help text is also made to wrap at any character: rich wraps at spaces, and a
Chinese sentence has none, so without this a long help line at 80 columns
would be cut off with "…" instead of continuing on the next line.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Optional

from typer import core as typer_core
from typer._click import core as click_core
from typer._click import formatting

USAGE_PREFIX = "用法："
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
HELP_OPTION_HELP = "显示本帮助并退出。"

HEADINGS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "DEPRECATED_STRING": "（已停用）",
    "ABORTED_TEXT": "已取消。",
    "RICH_HELP": "用 [blue]'{command_path} {help_option}'[/] 查看用法。",
}

# typer's type labels ("<int range>", "<list[Path]>") as a person reads them.
TYPE_LABELS = {
    "str": "文本",
    "int": "整数",
    "float": "数字",
    "int range": "整数",
    "float range": "数字",
    "path": "路径",
    "Path": "路径",
    "file": "文件",
    "directory": "文件夹",
    "datetime": "日期时间",
}
_LABEL = re.compile(r"^<(.*)>(\.\.\.)?$")

_applied = False


def type_label(shown: Optional[str]) -> Optional[str]:
    """A typer type label in Chinese; a flag's "<bool>" says nothing and is dropped."""
    if shown is None:
        return None
    m = _LABEL.match(shown)
    if not m:
        return shown
    label, more = m.group(1), m.group(2) or ""
    if label == "bool":
        return None
    if label in TYPE_LABELS:
        return f"<{TYPE_LABELS[label]}>{more}"
    if label.startswith("list[") and label.endswith("]"):  # a repeatable option or argument
        inner = label[5:-1]
        return f"<{TYPE_LABELS.get(inner, inner)}>..."
    return shown  # a choice ("<text|json>"): the values a user types


def apply() -> None:
    """Put typer's help into Chinese. Safe to call more than once."""
    global _applied
    if _applied:
        return
    _applied = True

    # typer imports its rich help renderer (rich's markdown and syntax highlighting: a third of a
    # second) only to print help; it is put into Chinese then, so other commands never load it.
    for renders in (typer_core.TyperCommand, typer_core.TyperGroup):
        renders.format_help = _before(renders.format_help, _rich_in_chinese)  # type: ignore[method-assign]

    write_usage = formatting.HelpFormatter.write_usage

    @functools.wraps(write_usage)
    def chinese_usage(self: Any, prog: str, args: str = "", prefix: Optional[str] = None) -> None:
        write_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = chinese_usage  # type: ignore[method-assign]

    display_type = typer_core._TyperParameter.display_type

    @functools.wraps(display_type)
    def chinese_type(self: Any, ctx: Any) -> Any:
        return type_label(display_type(self, ctx))

    typer_core._TyperParameter.display_type = chinese_type  # type: ignore[method-assign]

    option_type = typer_core.TyperOption.display_type_rich

    @functools.wraps(option_type)
    def chinese_option_type(self: Any, ctx: Any) -> Any:
        if self.metavar is not None:
            return self.metavar
        return type_label(option_type(self, ctx))

    typer_core.TyperOption.display_type_rich = chinese_option_type  # type: ignore[method-assign]

    get_help_option = click_core.Command.get_help_option

    @functools.wraps(get_help_option)
    def chinese_help_option(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    click_core.Command.get_help_option = chinese_help_option  # type: ignore[method-assign]

    # "[OPTIONS]" and a group's "COMMAND [ARGS]..." on every usage line, sub-apps included.
    for cls in (click_core.Command, typer_core.TyperGroup):
        _chinese_pieces(cls)


_PIECES = {"[OPTIONS]": OPTIONS_METAVAR, "COMMAND [ARGS]...": SUBCOMMAND_METAVAR}


def _chinese_pieces(cls: Any) -> None:
    collect = cls.collect_usage_pieces

    @functools.wraps(collect)
    def pieces(self: Any, ctx: Any) -> list[str]:
        return [_PIECES.get(p, p) for p in collect(self, ctx)]

    cls.collect_usage_pieces = pieces


def _before(method: Any, first: Any) -> Any:
    @functools.wraps(method)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        first()
        return method(*args, **kwargs)

    return wrapped


_rich_done = False


def _rich_in_chinese() -> None:
    """typer's help renderer in Chinese: headings, the usage highlighter, text that wraps."""
    global _rich_done
    if _rich_done:
        return
    _rich_done = True
    from typer import rich_utils

    for name, text in HEADINGS.items():
        setattr(rich_utils, name, text)
    # The usage line's prefix is styled by a pattern that names the English prefix.
    rich_utils.OptionHighlighter.highlights = [
        p.replace("Usage: ", USAGE_PREFIX) for p in rich_utils.OptionHighlighter.highlights
    ]
    rich_utils.highlighter = rich_utils.OptionHighlighter()

    make_text = rich_utils._make_rich_text

    @functools.wraps(make_text)
    def folding_text(*args: Any, **kwargs: Any) -> Any:
        text = make_text(*args, **kwargs)
        if hasattr(text, "overflow"):
            text.overflow = "fold"
        return text

    rich_utils._make_rich_text = folding_text
