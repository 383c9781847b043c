"""`nianbao draft`: a complete report from the numbers, every figure guarded.

The library drafts (``assistant.draft``), the exporters write (``assistant.export``);
this command only joins them and reports what the guard found.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..draft import draft_report, facts_from_report, load_facts
from ..draft.facts import read_previous
from ..draft.preflight import REFUSE_ERRORS, REFUSE_MISSING, preflight
from ..draft.settings import LLMSettings
from ..errors import NianbaoError, os_reason
from ..parse import parse_file
from .app import app

FACTS_SUFFIXES = (".yaml", ".yml", ".json")


def read_input(path: Path):
    """Facts from a facts file, or from the tables of a report in any readable format."""
    if path.suffix.lower() in FACTS_SUFFIXES:
        return load_facts(path)
    return facts_from_report(parse_file(path))


@app.command("draft")
def draft(
    source: Path = typer.Argument(..., metavar="INPUT", help="报告文件（文本、Markdown、HTML、Word、PDF）或事实文件（YAML、JSON）"),
    previous: Optional[Path] = typer.Option(None, "--previous", "-p", help="上一年度的报告，用于同比和上年问题整改情况"),
    model: bool = typer.Option(False, "--model/--offline", help="用模型起草（需配置环境变量 NIANBAO_LLM_* ），默认离线起草"),
    section: Optional[list[str]] = typer.Option(None, "--section", "-s",
                                                help="只起草这些部分：开头、一、五、六（可重复，或用逗号分隔）"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="输出文件：.docx、.md、.html、.txt、.pdf；不给则打印 Markdown"),
    force: bool = typer.Option(False, "--force", help="缺少数字或表格有错误时仍然起草"),
    stream: bool = typer.Option(False, "--stream", help="把模型输出实时显示在标准错误（核验前的原文）"),
    register: Optional[Path] = typer.Option(None, "--register",
                                            help="依申请公开台账（.xlsx 或 CSV）：表三、表四和叙述用数字按台账计算"),
    mapping: Optional[Path] = typer.Option(None, "--mapping", help="台账取值的对应关系文件（见 nianbao ledger）"),
    holidays: Optional[Path] = typer.Option(None, "--holidays", help="节假日表，用于按工作日计算答复用时（见 nianbao ledger）"),
) -> None:
    """根据表格数字起草年度报告的叙述部分，逐一核验其中的数字，并导出完整报告。"""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    facts = read_input(source)
    if previous is not None:
        facts.previous = read_previous(previous)
    if register is not None:
        from .ledger_cmd import apply_register

        apply_register(facts, register, mapping=mapping, holidays=holidays, err=err)

    sections = None
    if section:
        sections = [s.strip() for item in section for s in item.replace("，", ",").split(",") if s.strip()]
    check = preflight(facts, sections)
    if check.missing:
        err.print(f"[bold yellow]{escape(check.missing_heading)}[/]")
        for m in check.missing:
            err.print(f"  · {escape(m)}")
        if not force:
            raise NianbaoError(f"{REFUSE_MISSING}（或加 --force 按现有数字起草）。", 1)

    if check.errors:
        err.print(f"[bold red]{escape(check.errors_heading)}[/]")
        for line, computation in check.error_lines():
            err.print(f"  · {escape(line)}")
            if computation:
                err.print(f"      计算：{escape(computation)}")
        if not force:
            raise NianbaoError(f"{REFUSE_ERRORS}（或加 --force 仍然起草）。", 1)

    settings = LLMSettings.from_env() if model else None
    if model and settings is not None and settings.configured:
        err.print(f"[dim]正在调用{escape(settings.describe())}……[/]")
    def echo(piece: str) -> None:
        sys.stderr.write(piece)
        sys.stderr.flush()

    def progress(message: str) -> None:
        err.print(f"[dim]{escape(message)}……[/]")

    on_token = echo if (model and stream) else None
    result = draft_report(facts, drafter="model" if model else "offline", sections=sections,
                          on_token=on_token, settings=settings, on_progress=progress)
    if on_token is not None:
        sys.stderr.write("\n")

    if out is not None:
        from ..export import write

        try:
            write(result.report, out)
        except OSError as exc:
            raise NianbaoError(f"无法写入 {out}：{os_reason(exc)}") from None
    else:
        from ..export import to_markdown

        sys.stdout.write(to_markdown(result.report))
        sys.stdout.flush()

    _print_verdict(err, result)
    if out is not None:
        err.print(f"[green]已写入 {escape(str(out))}[/]")
    if result.verdict.remaining:
        raise typer.Exit(1)


def _print_verdict(err: Console, result) -> None:
    v = result.verdict
    used = {"offline": "离线起草", "model": "模型起草", "model+offline": "模型起草（部分段落由离线起草替换）"}
    err.print(f"\n[bold]起草方式：[/]{used.get(result.drafter_used, result.drafter_used)}")
    style = "green" if not v.remaining else "bold red"
    err.print(f"[{style}]{escape(v.summary())}[/]")
    for r in v.replaced:
        where = "开头" if r.section == "preamble" else f"第{r.section}部分"
        err.print(f"  · 替换 {where}第{r.paragraph}段：{escape(r.reason)}")
    for i in v.remaining:
        err.print(f"  [bold red]· 未核实[/] {escape(i.describe())}")
    if result.notes:
        err.print("[bold]请注意：[/]")
        for n in result.notes:
            err.print(f"  · {escape(n)}")
