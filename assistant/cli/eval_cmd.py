"""`nianbao eval`: run the eval suites and print the scoreboard; `nianbao eval init` starts an expected file."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import NianbaoError, os_reason
from .app import app

eval_app = typer.Typer(help="评测：在参考报告上运行评测套件，输出记分板。")
app.add_typer(eval_app, name="eval")


class Suite(str, Enum):
    parse = "parse"
    degradation = "degradation"
    check = "check"
    mutation = "mutation"
    draft = "draft"
    retrieval = "retrieval"
    chat = "chat"
    all = "all"


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@eval_app.callback(invoke_without_command=True)
def run_eval(
    ctx: typer.Context,
    suite: list[Suite] = typer.Option([Suite.all], "--suite", "-s", help="要运行的套件（可重复），all 为全部"),
    data: Optional[list[Path]] = typer.Option(None, "--data", "-d",
                                              help="加入自己的参考报告文件夹（报告文件旁放 <文件名>.expected.yaml）"),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="记分板格式"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="写入文件；不给则打印"),
    compare_to: Optional[Path] = typer.Option(None, "--compare", help="与以前保存的 JSON 结果比较，列出变好和变差的指标"),
    model: bool = typer.Option(False, "--model", help="起草套件使用已配置的模型（环境变量 NIANBAO_LLM_* ），默认用离线起草和桩模型"),
    index_dir: Optional[Path] = typer.Option(None, "--index-dir",
                                             help="检索与对话套件使用的索引目录（默认 NIANBAO_DATA_DIR 或 ~/.local/share/nianbao）"),
    evals_dir: Optional[Path] = typer.Option(None, "--evals-dir", help="评测目录（默认为项目的 evals/）"),
    worst: int = typer.Option(5, "--worst", min=0, help="每个套件列出的最差案例数"),
) -> None:
    """运行评测套件并输出记分板；任何门槛未达到时退出码为 1。"""
    if ctx.invoked_subcommand is not None:
        return
    from ..evals import SUITES, Context, DataFolder, Scoreboard, compare, render, render_changes, run_suites

    old = None
    if compare_to is not None:
        try:
            old = Scoreboard.from_dict(json.loads(compare_to.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise NianbaoError(f"无法读取要比较的结果文件 {compare_to}：{exc}") from None
    folders = []
    for d in data or []:
        if not d.is_dir():
            raise NianbaoError(f"找不到数据文件夹 {d}。")
        folders.append(DataFolder(d))
    names = list(SUITES) if Suite.all in suite else [s.value for s in suite]
    context = Context(data=folders, use_model=model, index_dir=index_dir, worst=worst)
    if evals_dir is not None:
        context.evals_dir = evals_dir
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    board = run_suites(names, context, progress=lambda name: err.print(f"[dim]正在运行 {name} …[/]"))
    base = out.resolve().parent if out is not None else Path.cwd()
    text = render(board, fmt.value, context.root, base)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        err.print(f"记分板已写入 {escape(str(out))}：{'全部达标' if board.passed else '有门槛未达到'}")
    else:
        typer.echo(text, nl=False)
    if old is not None:
        changes = render_changes(compare(old, board), old.date)
        # JSON on stdout stays parseable: the comparison then goes to stderr.
        if fmt is Format.json and out is None:
            err.print(escape(changes))
        else:
            typer.echo(changes)
    raise typer.Exit(0 if board.passed else 1)


@eval_app.command("init")
def init(
    report: Path = typer.Argument(..., metavar="报告", help="参考报告文件（文本、Markdown、HTML、Word、PDF）"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="期望结果文件（默认为报告旁的 <文件名>.expected.yaml）"),
    previous: Optional[Path] = typer.Option(None, "--previous", "-p", help="上一年度的报告，跨年核对的问题也写入"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的期望结果文件"),
) -> None:
    """根据解析结果和当前检查结果，写出一份期望结果文件的初稿，供人工核对改正。"""
    from ..check import run_checks
    from ..evals import expected_path, starting_expected
    from ..parse import parse_file

    target = out or expected_path(report)
    if target.exists() and not force:
        raise NianbaoError(f"{target} 已存在；其中可能有人工改正的内容。确需覆盖请加 --force。")
    try:
        parsed = parse_file(report)
        prev = parse_file(previous) if previous else None
    except OSError as exc:
        raise NianbaoError(f"无法打开文件：{os_reason(exc)}") from None
    findings = run_checks(parsed, prev)
    # Names are relative to the report's folder, where the suites look for last year's report.
    prev_name = Path(_relpath(previous, report.resolve().parent)).as_posix() if previous else None
    text = starting_expected(parsed, findings, report.name, prev_name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    Console(stderr=True, soft_wrap=True, highlight=False).print(
        f"已写出 {escape(str(target))}：{len(findings)} 个问题。请逐项核对单元格和问题清单后再用于评测。")


def _relpath(path: Path, base: Path) -> str:
    import os

    try:
        return os.path.relpath(path.resolve(), base)
    except ValueError:
        return str(path.resolve())
