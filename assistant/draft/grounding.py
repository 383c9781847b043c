"""Passages from the retrieval index for the model drafter: style and substance.

Similar sections of past reports show the register; articles of the 条例
and the fee measures give the basis. The index is used only if it has been
built (``nianbao index``) or a Chroma server is configured: drafting must
never build an index or download anything as a side effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..settings import get_settings

QUERIES = {
    "一": ("总体情况 主动公开 依申请公开 政府信息管理 平台建设 监督保障", "政府信息公开工作年度报告 内容 第五十条"),
    "五": ("存在的主要问题及改进情况 整改 下一步", "工作考核 社会评议 责任追究 监督检查"),
    "六": ("其他需要报告的事项 信息处理费 政务公开工作要点", "信息处理费 收费标准 按件 按量"),
}
PASSAGE_CHARS = 400


@dataclass
class Passage:
    title: str
    text: str
    source: str
    kind: str  # "report" or "regulation"


def default_passages(section: str, facts=None, k: int = 2) -> list[Passage]:
    """Passages for a section from the index, or none when there is no index."""
    queries = QUERIES.get(section)
    if not queries:
        return []
    index = _open_index()
    if index is None:
        return []
    out = []
    try:
        for query, kind in zip(queries, ("report", "regulation")):
            for hit in index.search(query, k=k, kind=kind, section=section if kind == "report" else None):
                out.append(Passage(hit.title, hit.text[:PASSAGE_CHARS], hit.source, hit.kind))
    except Exception:  # noqa: BLE001 - retrieval is help, not a requirement
        return []
    return out


def _open_index():
    settings = get_settings()
    return _open_index_at(settings.data_dir, settings.chroma_url)


@lru_cache(maxsize=4)
def _open_index_at(data_dir: Path, url: Optional[str]):
    from ..retrieve import Index

    if not url and not (data_dir / "chroma").is_dir():
        return None
    try:
        index = Index(data_dir=data_dir, chroma_url=url)
        return index if index.count() else None
    except Exception:  # noqa: BLE001
        return None


def render_passages(passages: list[Passage]) -> str:
    if not passages:
        return "（无）"
    lines = []
    for i, p in enumerate(passages, start=1):
        what = "法规" if p.kind == "regulation" else "往年报告"
        lines.append(f"【参考{i}·{what}】{p.title}\n{p.text}")
    return "\n\n".join(lines)


def reset_index_cache() -> None:
    """Forget the opened index, e.g. after building one or changing NIANBAO_DATA_DIR."""
    _open_index_at.cache_clear()
