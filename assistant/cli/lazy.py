"""Commands imported when they are used, so a one-shot command loads only its own module.

Each command module registers itself on ``app`` when imported; importing all of
them made every run pay for drafting, the ledger and settings. ``COMMANDS``
names each command's module and its one-line help (the same Chinese line the
command's own docstring starts with — a test keeps the two equal), which is
all ``nianbao --help`` needs to list every command without importing any.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any, Optional

import typer
from typer import main as typer_main
from typer._click import Command, Context
from typer.core import TyperCommand

from .errors import NianbaoGroup

# command → (module that registers it, its one-line help), in the order `--help` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("assistant.cli.ask_cmd", "像在对话中一样提问：查数字、比较、检查、解释和改法、起草、条文、同比变化。"),
    "check": ("assistant.cli.check_cmd", "检查年度报告：表格勾稽关系、叙述与表格是否一致、跨年衔接。"),
    "draft": ("assistant.cli.draft_cmd", "根据表格数字起草年度报告的叙述部分，逐一核验其中的数字，并导出完整报告。"),
    "ledger": ("assistant.cli.ledger_cmd",
               "从依申请公开台账计算表三、表四和叙述用数字，可与报告核对，并写出起草用的事实文件。"),
    "parse": ("assistant.cli.parse_cmd",
              "读取一份年度报告（或一个文件夹中的报告），输出识别出的章节、表格和数字，以及每个单元格读得是否确定。"),
    "rules": ("assistant.cli.rules_cmd", "列出全部检查规则，或说明一条规则。"),
    "search": ("assistant.cli.search_cmd", "检索条例、格式通知和年报（向量与 BM25 混合检索）。"),
    "ui": ("assistant.cli.ui_cmd", "打开年报助手的网页工作台（对话、表格编辑、问题清单、起草与下载）。"),
    "eval": ("assistant.cli.eval_cmd", "评测：在参考报告上运行评测套件，输出记分板。"),
    "index": ("assistant.cli.index_cmd", "管理检索索引：构建默认索引、添加或删除资料。"),
    "review": ("assistant.cli.review_cmd",
               "审核多份报告：按机关和年度自动配对跨年核对，记住审核决定（确认/排除/待定），导出和导入审核工作簿。"),
}


# The typer app whose commands the group builds (set by ``serve``; ``app.py`` does it).
_source: Optional[typer.Typer] = None


def serve(app: typer.Typer) -> typer.Typer:
    """Make ``app`` (built with ``cls=LazyGroup``) the app whose command modules are imported
    on first use; returns it. Handing it over here keeps lazy from importing the app back."""
    global _source
    _source = app
    return app


class _Listed(TyperCommand):
    """A command as the top-level help lists it: its name and help, its module not imported."""


class _Commands(MutableMapping[str, Command]):
    """The group's commands: those built so far, the rest imported on first use."""

    def __init__(self, built: MutableMapping[str, Command], group: "LazyGroup") -> None:
        self._built = built
        self._group = group

    def _load(self, name: str) -> Optional[Command]:
        if name in self._built:
            return self._built[name]
        if name not in COMMANDS:
            return None
        if self._group.listing:
            return _Listed(name, help=COMMANDS[name][1])
        importlib.import_module(COMMANDS[name][0])
        # The module registered itself on the typer app; build the click command typer makes of it.
        if _source is None:
            raise RuntimeError("lazy.serve(app) was not called")
        fresh = typer_main.get_group(_source)
        built = fresh.commands.raw() if isinstance(fresh.commands, _Commands) else fresh.commands
        for other, command in built.items():
            self._built.setdefault(other, command)
        return self._built.get(name)

    def raw(self) -> MutableMapping[str, Command]:
        return self._built

    def __getitem__(self, name: str) -> Command:
        command = self._load(name)
        if command is None:
            raise KeyError(name)
        return command

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        command = self._load(name)
        return default if command is None else command

    def __contains__(self, name: object) -> bool:
        return name in self._built or name in COMMANDS

    def __setitem__(self, name: str, command: Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (n for n in self._built if n not in COMMANDS)

    def __len__(self) -> int:
        return len(set(COMMANDS) | set(self._built))


class LazyGroup(NianbaoGroup):
    """The top `nianbao` group: a command's module is imported only when that command runs
    (or when someone asks for every command's object, as the help tests do)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.listing = False
        self.commands = _Commands(self.commands, self)

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)

    def format_help(self, ctx: Context, formatter: Any) -> None:
        self.listing = True  # list every command from COMMANDS, importing none
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False
