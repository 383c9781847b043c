"""`nianbao rules`: the rule catalogue, like a linter's rule list."""

from __future__ import annotations

from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..check import all_rules, get_rule
from ..check.rule_examples import example
from ..errors import NianbaoError
from .app import app
from .check_cmd import STYLE as _STYLE


@app.command("rules")
def rules(code: Optional[str] = typer.Argument(None, metavar="规则编号", help="规则编号，如 P1、N2；不写则列出全部规则")) -> None:
    """列出全部检查规则，或说明一条规则。"""
    console = Console(highlight=False)
    if code is None:
        table = Table(title="检查规则", show_lines=False)
        for col in ("编号", "级别", "适用格式"):
            table.add_column(col, no_wrap=True)
        table.add_column("规则", overflow="fold")  # titles wrap rather than end in "…"
        for r in all_rules():
            table.add_row(r.code, r.severity.label, "、".join(r.editions) + ("（需上年报告）" if r.needs_previous else ""),
                          escape(r.title))
        console.print(table)
        return
    found = get_rule(code)
    if found is None:
        known = "、".join(x.code for x in all_rules())
        raise NianbaoError(f"没有规则“{code}”。可用的规则：{known}")
    r = found
    console.print(f"[bold]{r.code}  {escape(r.title)}[/]")
    console.print(f"级别：{r.severity.label}    适用格式：{'、'.join(r.editions)}"
                  + ("    需要 --previous 上年报告" if r.needs_previous else ""))
    console.print(f"\n{escape(r.explanation)}")
    console.print(f"\n[bold]依据[/]：{escape(r.basis)}")
    console.print(f"[bold red]不通过的例子[/]：{escape(r.failing)}")
    # The example is data (assistant/check/examples/<code>.yaml): show what the checker says about it.
    for f in example(r.code, "failing").own():
        console.print(f"  [{_STYLE[f.severity]}]{f.severity.label}[/] [bold]{f.code}[/] {escape(f.location)}")
        console.print(f"      {escape(f.message)}")
        if f.computation:
            console.print(f"      计算：{escape(f.computation)}")
    console.print(f"[bold green]通过的例子[/]：{escape(r.passing)}")
