"""Retrieval suite: recall@k and MRR of the default index over questions users ask.

Each question in ``evals/retrieval/questions.yaml`` has gold items; an item is
one matcher or a list of alternative matchers naming metadata a chunk must
have (doc + article, doc + heading, or kind/section/part/agency/year/level
of a report passage; "part", "heading", "text" and "title" match by substring).
recall@k = share of gold items found in the top k, averaged over questions;
MRR = mean of 1 / rank of the first relevant result (0 beyond rank 10).
"""

from __future__ import annotations

import time
from typing import Any

import yaml

from ..context import Context
from ..results import Case, Metric, SuiteResult

K = 5
MRR_DEPTH = 10
SUBSTRING_KEYS = ("part", "heading", "text", "title")


def matches(matcher: dict[str, Any], meta: dict[str, Any], text: str) -> bool:
    for key, want in matcher.items():
        if key == "text":
            if str(want) not in text:
                return False
        elif key in SUBSTRING_KEYS:
            if str(want) not in str(meta.get(key) or ""):
                return False
        elif isinstance(want, int) and not isinstance(want, bool):
            if meta.get(key) != want:
                return False
        elif str(meta.get(key)) != str(want):
            return False
    return True


def gold_items(question: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Each gold item as a list of alternatives."""
    return [item if isinstance(item, list) else [item] for item in question["gold"]]


def evaluate(index, questions: list[dict[str, Any]], k: int = K) -> dict[str, Any]:
    rows = []
    latencies = []
    for q in questions:
        t0 = time.perf_counter()
        hits = index.search(q["q"], k=max(MRR_DEPTH, k))
        latencies.append(time.perf_counter() - t0)
        items = gold_items(q)
        found = 0
        for alts in items:
            if any(matches(m, h.meta, h.text) for h in hits[:k] for m in alts):
                found += 1
        first = next((rank for rank, h in enumerate(hits, 1)
                      if any(matches(m, h.meta, h.text) for alts in items for m in alts)), None)
        rows.append({
            "q": q["q"],
            "recall": found / len(items),
            "rank": first,
            "top": [h.title for h in hits[:k]],
        })
    n = len(rows)
    latencies.sort()
    return {
        "questions": n,
        "recall@5": sum(r["recall"] for r in rows) / n,
        "hit@5": sum(1 for r in rows if r["rank"] and r["rank"] <= k) / n,
        "mrr": sum(1 / r["rank"] for r in rows if r["rank"]) / n,
        "median_ms": 1000 * latencies[n // 2],
        "rows": rows,
    }


def run(ctx: Context, spec: dict[str, Any]) -> SuiteResult:
    th = spec.get("thresholds") or {}
    path = ctx.path(spec.get("questions", "evals/retrieval/questions.yaml"))
    questions = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    t0 = time.perf_counter()
    index = ctx.index()
    build_s = time.perf_counter() - t0
    result = evaluate(index, questions)
    worst = sorted((r for r in result["rows"] if r["recall"] < 1 or r["rank"] != 1),
                   key=lambda r: (r["recall"], -(r["rank"] or MRR_DEPTH + 1), r["q"]))
    link = ctx.link(path)
    return SuiteResult(
        name="retrieval",
        title=spec.get("title", "检索"),
        cases=result["questions"],
        # Where the index lives is machine-specific; the scoreboard is committed, so it says how big, not where.
        notes=[f"默认索引 {index.count()} 个片段，构建或刷新 {build_s:.1f} 秒；"
               f"查询耗时中位数 {result['median_ms']:.1f} ms"],
        metrics=[
            Metric(name="recall_at_5", label="recall@5", value=result["recall@5"], threshold=th.get("recall_at_5"),
                   detail=f"{result['questions']} 个问题"),
            Metric(name="hit_at_5", label="hit@5", value=result["hit@5"], threshold=th.get("hit_at_5")),
            Metric(name="mrr", label="MRR", value=result["mrr"], threshold=th.get("mrr"), percent=False),
        ],
        worst=[
            Case(name=r["q"], link=link, score=r["recall"],
                 note=f"召回 {r['recall']:.0%}；" + (f"首个相关结果排第 {r['rank']} 位" if r["rank"]
                                                     else f"前 {MRR_DEPTH} 位无相关结果"))
            for r in worst[: ctx.worst]
        ],
    )
