"""Retrieval speed: index build rate and hybrid query latency at 1,000 and 10,000 chunks.

    python benchmarks/retrieval_speed.py [--sizes 1000,10000] [--dir DIR] [--queries 150]

For each size, chunks are made from the default corpus: the regulation
chunks once, then report chunks re-issued under other (fictional) agencies
and years with their figures changed, so texts are distinct and as long as
real ones. The index is built with the real embedding model into an embedded
Chroma; then the eval questions are asked (after a warm-up) and the latency of
the whole hybrid query (query embedding + Chroma query + BM25 + fusion) is
reported as median and p95, with each part's median.

With --dir the built indexes are kept and reused by later runs (only the
query figures are measured again); without it they go to a temporary folder.
Target: median ≤ 50 ms at 10,000 chunks.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.retrieve import Index, default_corpus_dir  # noqa: E402
from assistant.retrieve.chunks import Chunk, content_id  # noqa: E402
from assistant.retrieve.split import iter_corpus_files, split_file  # noqa: E402
from assistant.retrieve.tokens import tokenize  # noqa: E402

PLACES = ["江川省", "临河市", "青石县", "白沙镇", "东城区", "北岸县", "南湖区", "西山市", "云溪县", "石门镇",
          "长丰县", "安平市", "河口镇", "清水县", "平湖区", "梅岭乡", "金川市", "玉泉区", "龙口县", "桃源镇"]
BODIES = ["人民政府", "人民政府办公室", "发展和改革委员会", "教育局", "公安局", "民政局", "财政局",
          "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局",
          "农业农村局", "商务局", "卫生健康委员会", "应急管理局", "市场监督管理局", "统计局", "医疗保障局"]


def make_chunks(n: int, seed: int = 7) -> list[Chunk]:
    rnd = random.Random(seed)
    root = default_corpus_dir()
    base: list[Chunk] = []
    for p in iter_corpus_files(root):
        base.extend(split_file(p, f"corpus/{p.name}"))
    regs = [c for c in base if c.meta.get("kind") == "regulation"]
    reports = [c for c in base if c.meta.get("kind") == "report"]
    out = list(regs[:n])
    i = 0
    while len(out) < n:
        src = reports[i % len(reports)]
        i += 1
        agency = rnd.choice(PLACES) + rnd.choice(BODIES)
        year = rnd.randint(2019, 2025)
        old_agency = str(src.meta.get("agency", ""))
        text = src.text.replace(old_agency, agency) if old_agency else src.text
        text = re.sub(r"20(19|2\d)年", f"{year}年", text)
        text = re.sub(r"\d+", lambda m: str(max(0, int(m.group()) + rnd.randint(-3, 9))) if len(m.group()) < 4 else m.group(), text)
        meta = dict(src.meta, agency=agency, year=year, source=f"bench/{i // 12}", position=i,
                    source_id=content_id(f"bench-{i // 12}".encode()))
        out.append(Chunk(text=text, meta=meta))
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def bench(size: int, folder: Path, n_queries: int, questions: list[str]) -> dict:
    index = Index(data_dir=folder, collection=f"bench{size}")
    built = None
    if index.count() < size:
        chunks = make_chunks(size)
        t0 = time.perf_counter()
        index.add_chunks(chunks)
        built = time.perf_counter() - t0
    # Opening cost: a new process reads every chunk back and rebuilds BM25.
    index = Index(data_dir=folder, collection=f"bench{size}")
    t0 = time.perf_counter()
    index._ensure_loaded()
    load = time.perf_counter() - t0

    qs = (questions * (n_queries // len(questions) + 1))[:n_queries]
    for q in questions[:10]:  # warm-up: model pages, HNSW segments, jieba
        index.search(q, k=5)
    total, embed, dense, lex = [], [], [], []
    for q in qs:
        t0 = time.perf_counter()
        index.search(q, k=5)
        total.append(time.perf_counter() - t0)
        # The parts, measured apart on the same query.
        t0 = time.perf_counter()
        vec = index.embedding.query_vector(q)
        t1 = time.perf_counter()
        index.collection.query(query_embeddings=[vec], n_results=50, include=["distances"])
        t2 = time.perf_counter()
        index._lexical.top(tokenize(q), 50)
        t3 = time.perf_counter()
        embed.append(t1 - t0)
        dense.append(t2 - t1)
        lex.append(t3 - t2)
    ms = lambda xs: 1000 * statistics.median(xs)  # noqa: E731
    return {
        "size": index.count(),
        "build_s": built,
        "rate": (size / built) if built else None,
        "load_s": load,
        "median_ms": ms(total),
        "p95_ms": 1000 * pct(total, 0.95),
        "embed_ms": ms(embed),
        "chroma_ms": ms(dense),
        "bm25_ms": ms(lex),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--dir", type=Path, default=None, help="keep the built indexes here and reuse them")
    ap.add_argument("--queries", type=int, default=150)
    args = ap.parse_args(argv)

    questions = [q["q"] for q in yaml.safe_load((ROOT / "evals/retrieval/questions.yaml").read_text(encoding="utf-8"))]
    folder = args.dir or Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            r = bench(size, folder, args.queries, questions)
            build = (f"build {r['build_s']:.0f} s = {r['rate']:.1f} chunks/s" if r["build_s"]
                     else "build reused")
            print(f"{r['size']:>6} chunks: {build}; open+BM25 load {r['load_s'] * 1000:.0f} ms; "
                  f"query median {r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms "
                  f"(embed {r['embed_ms']:.1f}, chroma {r['chroma_ms']:.1f}, bm25 {r['bm25_ms']:.1f} ms median)",
                  flush=True)
    finally:
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
