"""The one place the command line turns errors into Chinese messages and exit codes.

Commands raise :class:`assistant.errors.NianbaoError`; mistakes on the command
line itself (an unknown option, a missing argument, a bad value) come from
typer in English and are put into Chinese here, from the errors' structure
(the parameter, the pydantic error behind a bad value) where they have one.
Messages are escaped, so a file named ``[/foo].txt`` is printed as written,
never read as markup.
"""

from __future__ import annotations

import re
import sys
from typing import Any, Optional, Sequence

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from ..errors import NianbaoError

USAGE_EXIT = 2  # the exit status of a usage error, which the README promises too


def print_error(message: str, hint: Optional[str] = None) -> None:
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    err.print(f"[bold red]错误：[/]{escape(message)}")
    if hint:
        err.print(f"[dim]{escape(hint)}[/]")


def _kinds(exc: BaseException) -> set[str]:
    # typer vendors click; its exception classes are private, so they are told apart by name.
    return {k.__name__ for k in type(exc).__mro__}


def _param_name(param: Any) -> str:
    if param is None:
        return "参数"
    opts = getattr(param, "opts", None)
    if getattr(param, "param_type_name", "") == "option" and opts:
        return "选项 " + "/".join(opts) + " "
    return f"参数 {(getattr(param, 'name', '') or '').upper()} "


_QUOTED = re.compile(r"'([^']*)'")


def _validation_error(exc: BaseException) -> Optional[dict[str, Any]]:
    """The first pydantic error behind a bad value, when typer's coercion raised it."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        try:
            found = errors()
        except Exception:  # noqa: BLE001 - not a pydantic error after all
            return None
        return found[0] if found else None
    return None


_BOUNDS = {"greater_than_equal": ("ge", "不小于"), "greater_than": ("gt", "大于"),
           "less_than_equal": ("le", "不大于"), "less_than": ("lt", "小于")}


def _bad_value(exc: Any) -> str:
    """Why a value was refused, from the structured error rather than the English sentence."""
    where = _param_name(getattr(exc, "param", None))
    text = getattr(exc, "message", "") or ""
    err = _validation_error(exc)
    if err is not None:
        kind, given = err.get("type", ""), err.get("input")
        shown = f"“{given}”" if given not in (None, "") else ""
        if kind in _BOUNDS:
            key, word = _BOUNDS[kind]
            return f"{where}的取值{shown}超出范围，应{word} {err.get('ctx', {}).get(key)}。"
        if kind.startswith("int_"):
            return f"{where}应为整数，实为{shown or '其他内容'}。"
        if kind.startswith(("float_", "decimal_")):
            return f"{where}应为数字，实为{shown or '其他内容'}。"
        if kind.startswith("bool_"):
            return f"{where}应为 true 或 false，实为{shown or '其他内容'}。"
        msg = str(err.get("msg", ""))
        if "is not one of" in msg or kind in ("enum", "literal_error"):
            choices = _QUOTED.findall(msg.split("is not one of", 1)[-1])
            return f"{where}的取值{shown}无效" + (f"，可选：{'、'.join(choices)}" if choices else "") + "。"
        return f"{where}的取值{shown}无效。"
    found = _QUOTED.search(text)
    path = f"“{found.group(1)}”" if found else "所给路径"
    if "does not exist" in text:
        return f"找不到{path}（{where.rstrip()}）。"
    if "is a directory" in text:
        return f"{path}是文件夹，{where}应为文件。"
    if "is a file" in text:
        return f"{path}是文件，{where}应为文件夹。"
    if "is not readable" in text:
        return f"没有权限读取{path}（{where.rstrip()}）。"
    if "is not writable" in text:
        return f"没有权限写入{path}（{where.rstrip()}）。"
    if found and text.startswith("'"):  # "'name': strerror" when a file could not be opened
        return f"无法打开{path}（{where.rstrip()}）。"
    return f"{where}的取值无效。"


# The usage errors that carry only an English sentence; these are the ones typer has.
_USAGE_PATTERNS = [
    (re.compile(r"No such command '([^']*)'\. Did you mean (.*)\?"), "没有命令“{0}”（是否想用：{1}）。"),
    (re.compile(r"No such command '([^']*)'"), "没有命令“{0}”。"),
    (re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)"), "多余的参数：{0}。"),
    (re.compile(r"Option '(.*)' requires an argument"), "选项 {0} 后面要写一个值。"),
    (re.compile(r"Option '(.*)' requires (\d+) arguments"), "选项 {0} 后面要写 {1} 个值。"),
    (re.compile(r"Option '(.*)' does not take a value"), "选项 {0} 不带值。"),
    (re.compile(r"Missing command"), "缺少子命令。"),
    (re.compile(r"Could not open file '(.*)'"), "无法打开文件“{0}”。"),
]


def usage_message(exc: Any) -> str:
    """A command-line usage error in Chinese."""
    kinds = _kinds(exc)
    if "NoSuchOption" in kinds:
        similar = "、".join(sorted(getattr(exc, "possibilities", None) or []))
        return f"没有选项 {exc.option_name}" + (f"（是否想用：{similar}）" if similar else "") + "。"
    if "MissingParameter" in kinds:
        return f"缺少{_param_name(getattr(exc, 'param', None)).rstrip()}。"
    if "BadParameter" in kinds:
        return _bad_value(exc)
    text = getattr(exc, "message", "") or str(exc)
    if "FileError" in kinds:
        text = f"Could not open file '{getattr(exc, 'ui_filename', '')}'"
    for pattern, words in _USAGE_PATTERNS:
        m = pattern.search(text)
        if m:
            return words.format(*(_QUOTED.sub(r"\1", g).replace(", ", "、") if i else g for i, g in enumerate(m.groups())))
    if "BadOptionUsage" in kinds:
        return f"选项 {getattr(exc, 'option_name', '')} 用法有误。"
    return "命令行用法有误。"


def _hint(exc: Any) -> str:
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None) or "nianbao"
    return f"用 {path} --help 查看用法。"


class NianbaoGroup(TyperGroup):
    """The top `nianbao` group: every run ends here, with a Chinese message and an exit code."""

    def main(  # type: ignore[override]
        self,
        args: Optional[Sequence[str]] = None,
        prog_name: Optional[str] = None,
        complete_var: Optional[str] = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            rv = super().main(args=args, prog_name=prog_name or "nianbao", complete_var=complete_var,
                              standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else 0
        except NianbaoError as exc:
            print_error(exc.message)
            code = exc.exit_code
        except typer.TyperException as exc:  # typer's own (vendored click) errors: all are usage errors
            kinds = _kinds(exc)
            if "NoArgsIsHelpError" in kinds:
                # Called without a command: the help, already printed while raising, is the answer.
                text = exc.format_message()
                if text.strip():
                    sys.stdout.write(text + "\n")
            elif "UsageError" in kinds:
                print_error(usage_message(exc), _hint(exc))
            else:
                print_error(usage_message(exc))
            code = USAGE_EXIT
        except typer.Abort:
            print_error("已取消。")
            code = 1
        if standalone_mode:
            sys.exit(code)
        return code
