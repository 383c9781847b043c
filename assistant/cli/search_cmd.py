"""`nianbao search QUERY`: hybrid search over regulations and reports."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import NianbaoError
from ..model import get_edition
from .app import app
from .index_cmd import ChromaUrl, DataDir, open_index


class Kind(str, Enum):
    regulation = "regulation"
    report = "report"


class OutFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("search")
def search(
    query: str = typer.Argument(..., metavar="问题", help="要查找的问题或关键词，如“年度报告最晚什么时候公布”。"),
    k: int = typer.Option(5, "-k", "--top", min=1, max=100, help="返回结果数。"),
    kind: Optional[Kind] = typer.Option(None, "--kind", help="只查法规 regulation 或年报 report。"),
    year: Optional[int] = typer.Option(None, "--year", help="只查某一年度的年报。"),
    edition: Optional[str] = typer.Option(None, "--edition", help="只查某一格式版本（如 2021）的年报。"),
    section: Optional[str] = typer.Option(None, "--section", help="只查年报某一部分：一 至 六，或章节名称。"),
    fmt: OutFormat = typer.Option(OutFormat.text, "--format", help="text 供阅读，json 供脚本使用。"),
    data_dir: Optional[Path] = DataDir,
    chroma_url: Optional[str] = ChromaUrl,
) -> None:
    """检索条例、格式通知和年报（向量与 BM25 混合检索）。"""
    if edition:
        get_edition(edition)  # an unknown edition: a Chinese error naming the known ones
    index = open_index(data_dir, chroma_url)
    if index.size() == 0:
        raise NianbaoError("索引为空。请先运行 nianbao index build（或 nianbao index add 添加文件）。")
    # An unknown section name is a NianbaoError from the index, printed by the CLI's one place.
    hits = index.search(query, k=k, kind=kind.value if kind else None, year=year,
                        edition=edition, section=section)
    if fmt is OutFormat.json:
        payload = {"query": query, "results": [dict(h.as_dict(), rank=i) for i, h in enumerate(hits, 1)]}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    console = Console(soft_wrap=True)
    if not hits:
        console.print("没有找到相关内容。")
        return
    for i, h in enumerate(hits, 1):
        kind_text = "法规" if h.kind == "regulation" else "年报"
        dense = f"向量 #{h.dense_rank} {h.dense_score:.3f}" if h.dense_rank else "向量 —"
        bm25 = f"BM25 #{h.bm25_rank} {h.bm25_score:.2f}" if h.bm25_rank else "BM25 —"
        named = " ［条号命中］" if h.named else ""
        console.print(f"[bold]{i}. {escape(h.title)}[/]（{kind_text}）{escape(named)}", highlight=False)
        console.print(f"   {escape(h.snippet)}", highlight=False)
        console.print(f"   [dim]来源：{escape(h.source)} ｜ 融合 {h.score:.4f} ｜ {dense} ｜ {bm25}[/]", highlight=False)
