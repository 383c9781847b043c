"""`nianbao index …`: build the default index and manage what it holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import NianbaoError
from .app import app
from .progress import Bar as _Bar

index_app = typer.Typer(help="管理检索索引：构建默认索引、添加或删除资料。", no_args_is_help=True)
app.add_typer(index_app, name="index")

DataDir = typer.Option(None, "--data-dir", help="索引数据目录（默认 ~/.local/share/nianbao 或环境变量 NIANBAO_DATA_DIR）。")
ChromaUrl = typer.Option(None, "--chroma-url",
                         help="Chroma 服务地址，如 http://127.0.0.1:8000（或环境变量 NIANBAO_CHROMA_URL）；不给则使用本地嵌入式 Chroma。")


def open_index(data_dir: Optional[Path], chroma_url: Optional[str]):
    """Open the index, turning connection problems into one Chinese message."""
    from ..retrieve import Index
    from ..retrieve.config import default_chroma_url, default_data_dir

    try:
        return Index(data_dir=data_dir, chroma_url=chroma_url)
    except Exception as exc:  # chromadb raises several types for an unreachable server
        url = chroma_url if chroma_url is not None else default_chroma_url()
        where = f"Chroma 服务 {url}" if url else f"数据目录 {data_dir or default_data_dir()}"
        raise NianbaoError(f"无法打开检索索引（{where}）：{exc}") from None


@index_app.command("build")
def build(
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="语料目录（默认为项目自带的 corpus/）。"),
    data_dir: Optional[Path] = DataDir,
    chroma_url: Optional[str] = ChromaUrl,
) -> None:
    """用自带语料构建默认索引；重复运行只处理新增或改动的段落（自带向量直接载入，不再重新计算）。"""
    bar = _Bar("打开索引")
    try:
        index = open_index(data_dir, chroma_url)
        results = index.build_default(corpus, progress=bar)  # SourceError is a NianbaoError: the CLI prints it
        size = index.size()
    finally:
        bar.stop()
    added = sum(r.added for r in results)
    kept = sum(r.unchanged for r in results)
    embedded = sum(r.embedded for r in results)
    how = f"（其中 {added - embedded} 段使用自带向量，{embedded} 段现场计算）" if added else ""
    Console(soft_wrap=True).print(
        f"索引已就绪（{escape(str(index.where))}）：{len(results)} 个文件，新增 {added} 段{how}，原有 {kept} 段未变，共 {size} 段。",
        highlight=False,
    )


@index_app.command("add")
def add(
    paths: list[Path] = typer.Argument(..., metavar="文件", help="年报文件（文本、Markdown、HTML、DOCX、PDF）或纯文本法规。"),
    data_dir: Optional[Path] = DataDir,
    chroma_url: Optional[str] = ChromaUrl,
) -> None:
    """把自己的年报或法规加入索引；同一文件重复添加不会产生重复内容。无法读取或超过上限的文件给出原因，退出码 2。"""
    err = Console(stderr=True, soft_wrap=True)
    bar = _Bar("打开索引")
    try:
        index = open_index(data_dir, chroma_url)
        results = index.add_files(paths, progress=bar)
    finally:
        bar.stop()
    console = Console(soft_wrap=True)
    failed = 0
    for path, r in zip(paths, results):
        if r.error:
            err.print(f"[red]未加入[/] {escape(r.error)}", highlight=False)
            failed += 1
            continue
        kind = "法规" if r.kind == "regulation" else "年报"
        if r.added == 0 and r.replaced == 0:
            console.print(f"未变 {escape(str(path))}（{kind}，{r.unchanged} 段已在索引中）", highlight=False)
        else:
            extra = f"，替换旧版本 {r.replaced} 段" if r.replaced else ""
            console.print(f"已添加 {escape(str(path))}（{kind}，新增 {r.added} 段{extra}）", highlight=False)
    if failed:
        raise NianbaoError(f"{failed} 个文件未加入索引，原因见上。")


@index_app.command("list")
def list_sources(
    fmt: str = typer.Option("text", "--format", help="text 或 json。"),
    data_dir: Optional[Path] = DataDir,
    chroma_url: Optional[str] = ChromaUrl,
) -> None:
    """列出索引中的资料来源。"""
    index = open_index(data_dir, chroma_url)
    sources = index.sources()
    if fmt == "json":
        typer.echo(json.dumps([s.__dict__ for s in sources], ensure_ascii=False, indent=2))
        return
    if not sources:
        Console(soft_wrap=True).print("索引为空。运行 nianbao index build 构建默认索引，或用 nianbao index add 添加文件。")
        return
    t = Table(title=f"索引内容（{escape(str(index.where))}）", title_justify="left")
    for col in ("类型", "标题", "段数", "来源", "内容编号"):
        t.add_column(col)
    for s in sources:
        chunks = str(s.chunks) if s.complete else f"{s.chunks}/{s.expected}（未完成）"
        t.add_row("法规" if s.kind == "regulation" else "年报", escape(s.title), chunks, escape(s.source),
                  escape(s.source_id))
    Console(soft_wrap=True).print(t)
    if any(not s.complete for s in sources):
        Console(soft_wrap=True).print("标为“未完成”的资料在加入时被中断，检索时不使用；再次运行 nianbao index add 该文件即可补全。",
                                      highlight=False)


@index_app.command("remove")
def remove(
    selectors: list[str] = typer.Argument(..., metavar="来源", help="来源（index list 中的来源或文件路径、文件名）或内容编号。"),
    data_dir: Optional[Path] = DataDir,
    chroma_url: Optional[str] = ChromaUrl,
) -> None:
    """从索引中删除资料来源。"""
    index = open_index(data_dir, chroma_url)
    missing = 0
    for sel in selectors:
        removed = index.remove(sel)
        if removed:
            for name in removed:
                Console(soft_wrap=True).print(f"已删除 {escape(name)}", highlight=False)
        else:
            Console(stderr=True, soft_wrap=True).print(f"[red]未找到[/] {escape(sel)}：索引中没有这个来源", highlight=False)
            missing += 1
    if missing:
        raise typer.Exit(1)
