"""Growth table: build time, disk, query p50/p95 and memory of the index at 1k, 10k and 20k passages (100k with --full).

    .venv/bin/python benchmarks/retrieval_growth.py [--sizes 1000,10000,20000] [--full] [--queries 100]
                                                    [--modes embedded,server] [--sample 256]

Passages are generated from the corpus (its regulation passages, then report
passages re-issued under other fictional agencies and years with their
figures changed; 12 make a report). Vectors, said plainly: a sample of
``--sample`` passages is embedded by the model here (that gives the embedding
rate); every other passage gets the real vector of the corpus passage it was
made from plus a little noise, written to a vectors file and loaded from it
the way ``index build`` loads corpus/vectors. Build times therefore exclude
embedding; the line "embedding all" says what embedding everything would add.

For each size and mode (embedded Chroma, and a ``chroma run`` server started
here on 127.0.0.1 and stopped after each size), in separate processes:
- build: all passages in one bulk write; ms per passage; the process's peak memory;
- add: one more report (12 passages), then 1,000 more, to the built index: ms
  per passage besides embedding, and how many existing lexical segments were
  rewritten (0 means no BM25 rebuild);
- query: the 53 eval questions asked round-robin after a warm-up; p50/p95 of
  the whole hybrid query, medians of its parts, peak memory of the querying
  process (and of the server);
- disk: the data folder (Chroma + lexical copy; in server mode, the server's
  folder plus the local lexical copy).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _retrieval import ROOT, chroma_server, corpus_chunks, disk_usage, make_chunks, memory_of, mib, pct, questions, synthetic_vectors

from assistant.retrieve.chunks import Chunk  # noqa: E402

EXTRA = 1024  # passages beyond the size, added to the built index by the "add" step


# ------------------------------------------------------------------ child processes


def _load(folder: Path, size: int) -> tuple[list[Chunk], object]:
    """The first size + EXTRA passages and their vectors (only those, so memory is this size's)."""
    from itertools import islice

    from assistant.retrieve.embedding import model_id
    from assistant.retrieve.vectors import ShippedVectors

    with open(folder / "passages.jsonl", encoding="utf-8") as fh:
        chunks = [Chunk(text=d["text"], meta=d["meta"]) for d in map(json.loads, islice(fh, size + EXTRA))]
    return chunks, ShippedVectors.load(folder / f"vectors-{size}", model_id())


def _peak() -> int:
    # VmHWM of this process (ru_maxrss would include the parent's memory from before exec).
    import os

    return memory_of(os.getpid())[1] or 0


def child_build(args) -> dict:
    from assistant.retrieve import Index

    chunks, vectors = _load(args.work, args.size)
    n = args.size
    t0 = time.perf_counter()
    index = Index(data_dir=args.data, chroma_url=args.url, collection=args.collection)
    added, _ = index.add_chunks(chunks[:n], vectors=vectors)
    seconds = time.perf_counter() - t0
    return {"added": added, "seconds": seconds, "peak": _peak()}


def child_add(args) -> dict:
    from assistant.retrieve import Index

    chunks, vectors = _load(args.work, args.size)
    n = args.size
    index = Index(data_dir=args.data, chroma_url=args.url, collection=args.collection)
    folder = index._store_dir() / "segments"
    index.size()  # open (and check) the lexical copy first: the writes themselves are what is timed
    before = {p.name for p in folder.iterdir()}
    out = {}
    parts = (("first", chunks[n : n + 12]), ("second", chunks[n + 12 : n + 24]), ("bulk", chunks[n + 24 : n + 1024]))
    for label, part in parts:
        t0 = time.perf_counter()
        added, _ = index.add_chunks(part, vectors=vectors)
        out[label] = {"added": added, "ms_per": 1000 * (time.perf_counter() - t0) / max(added, 1)}
        if label == "first":
            after = {p.name for p in folder.iterdir()}
            out["rewritten"] = len(before - after)
    out["size"] = index.size()
    return out


def child_query(args) -> dict:
    from assistant.retrieve import Index
    from assistant.retrieve.tokens import tokenize

    qs = questions()
    t0 = time.perf_counter()
    index = Index(data_dir=args.data, chroma_url=args.url, collection=args.collection)
    index.search(qs[0], k=5)
    first = time.perf_counter() - t0
    for q in qs[:10]:  # warm-up
        index.search(q, k=5)
    asked = (qs * (args.queries // len(qs) + 1))[: args.queries]
    total, embed, dense, lex = [], [], [], []
    store = index._lexical()
    for q in asked:
        t = time.perf_counter()
        index.search(q, k=5)
        total.append(time.perf_counter() - t)
        t = time.perf_counter()
        vec = index.embedding.query_vector(q)
        t1 = time.perf_counter()
        index.collection.query(query_embeddings=[vec], n_results=50, include=["distances"])
        t2 = time.perf_counter()
        store.search(tokenize(q), 50)
        t3 = time.perf_counter()
        embed.append(t1 - t)
        dense.append(t2 - t1)
        lex.append(t3 - t2)
    ms = lambda xs: 1000 * statistics.median(xs)  # noqa: E731
    return {"first_s": first, "p50": ms(total), "p95": 1000 * pct(total, 0.95), "embed": ms(embed),
            "chroma": ms(dense), "bm25": ms(lex), "peak": _peak(), "size": index.size()}


def child(args) -> int:
    fn = {"build": child_build, "add": child_add, "query": child_query}[args.child]
    print(json.dumps(fn(args)))
    return 0


def spawn(kind: str, work: Path, data: Path, size: int, collection: str, url: str | None, queries: int = 0) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--work", str(work), "--data", str(data), "--size", str(size),
           "--collection", collection, "--queries", str(queries)] + (["--url", url] if url else [])
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ the table


def prepare(work: Path, sizes: list[int], sample: int) -> float:
    """Write the passages and their vectors; returns the measured embedding rate (passages/s)."""
    from assistant.retrieve.embedding import E5Embedding, model_id
    from assistant.retrieve.vectors import ShippedVectors

    pairs = make_chunks(max(sizes) + EXTRA)
    base = ShippedVectors.load(ROOT / "corpus" / "vectors", model_id())
    if base is None:
        raise SystemExit("corpus/vectors is missing or stale: run corpus/tools/embed_vectors.py")
    vecs = synthetic_vectors(pairs, base, np.random.default_rng(11))
    # A sample is embedded by the model, and those real vectors are the ones used.
    rng = np.random.default_rng(5)
    picked = sorted(rng.choice(len(pairs), size=min(sample, len(pairs)), replace=False).tolist())
    t0 = time.perf_counter()
    real = E5Embedding().embed_many([pairs[i][0].text for i in picked])
    rate = len(picked) / (time.perf_counter() - t0)
    for i, v in zip(picked, real):
        vecs[i] = v
    texts = [p.text for p, _ in pairs]
    for size in sizes:
        ShippedVectors.write(work / f"vectors-{size}", model_id(), texts[: size + EXTRA], vecs[: size + EXTRA])
    with open(work / "passages.jsonl", "w", encoding="utf-8") as fh:
        for p, _ in pairs:
            fh.write(json.dumps({"text": p.text, "meta": p.meta}, ensure_ascii=False) + "\n")
    return rate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,20000")
    ap.add_argument("--full", action="store_true", help="add the 100,000-passage size (tens of minutes)")
    ap.add_argument("--modes", default="embedded,server")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--sample", type=int, default=256, help="passages embedded by the model for real")
    ap.add_argument("--child", choices=["build", "add", "query"], help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--collection", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)

    sizes = [int(s) for s in args.sizes.split(",")] + ([100_000] if args.full else [])
    modes = args.modes.split(",")
    top = tempfile.mkdtemp(prefix="nianbao-growth-")
    work = Path(top) / "passages"
    work.mkdir()
    try:
        t0 = time.perf_counter()
        rate = prepare(work, sizes, args.sample)
        print(f"passages: generated from the corpus ({len(corpus_chunks())} passages), {max(sizes) + EXTRA:,} in all "
              f"({time.perf_counter() - t0:.0f} s)")
        print(f"vectors: {args.sample} passages embedded by the model here ({rate:.1f} passages/s on "
              f"{_threads()} thread(s)); all others are the real vector of the corpus passage they were made "
              f"from plus noise, loaded from a vectors file as `index build` loads corpus/vectors. "
              f"Build times below exclude embedding.")
        print()
        print("columns: build = one bulk write of all passages (ms/psg per passage); add = ms per passage of a "
              "12-passage report added by a new process (1st: includes Chroma loading its index for the write), "
              "a 2nd report by the same process, then 1,000 passages at once; rewr = existing lexical segments "
              "rewritten by the 1st add (0: no BM25 rebuild); q = hybrid query, p50/p95 and median parts "
              "(embed/chroma/bm25 ms); peaks are VmHWM of the building, the querying and the server process.")
        header = (f"{'mode':9} {'passages':>9} {'build':>8} {'ms/psg':>7} {'build peak':>11} {'add 1st':>8} "
                  f"{'add 2nd':>8} {'add 1000':>9} {'rewr':>4} {'disk':>9} {'q p50':>7} {'q p95':>7} "
                  f"{'parts':>17} {'query peak':>11} {'server peak':>11}")
        print(header)
        for mode in modes:
            for size in sizes:
                row = measure(mode, size, work, Path(top), args.queries)
                print(f"{mode:9} {size:>9,} {row['build_s']:>7.1f}s {row['build_ms']:>7.2f} {mib(row['build_peak']):>11} "
                      f"{row['first_ms']:>6.1f}ms {row['second_ms']:>6.1f}ms {row['bulk_ms']:>7.2f}ms "
                      f"{row['rewritten']:>4} {mib(row['disk']):>9} {row['p50']:>5.1f}ms {row['p95']:>5.1f}ms "
                      f"{row['parts']:>17} {mib(row['query_peak']):>11} {mib(row['server_peak']):>11}", flush=True)
                print(f"{'':9} embedding all {size:,} passages at {rate:.1f}/s would add {size / rate / 60:,.0f} min; "
                      f"first query of a new process {row['first_s'] * 1000:.0f} ms (open + load + query)", flush=True)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    return 0


def _threads() -> int:
    from assistant.retrieve.config import bulk_threads

    return bulk_threads()


def measure(mode: str, size: int, work: Path, top: Path, queries: int) -> dict:
    data = top / f"{mode}-{size}"
    collection = f"growth{size}"
    if mode == "server":
        server_dir = top / f"server-{size}"
        with chroma_server(server_dir) as (url, pid):
            row = _measure(work, data, size, collection, url, queries, server_dir)
            row["server_peak"] = memory_of(pid)[1]
        shutil.rmtree(server_dir, ignore_errors=True)
    else:
        row = _measure(work, data, size, collection, None, queries)
        row["server_peak"] = None
    shutil.rmtree(data, ignore_errors=True)
    return row


def _measure(work: Path, data: Path, size: int, collection: str, url: str | None, queries: int,
             server_dir: Path | None = None) -> dict:
    b = spawn("build", work, data, size, collection, url)
    q = spawn("query", work, data, size, collection, url, queries)
    disk = disk_usage(data) + (disk_usage(server_dir) if server_dir else 0)  # before the adds below
    a = spawn("add", work, data, size, collection, url)
    return {"build_s": b["seconds"], "build_ms": 1000 * b["seconds"] / size, "build_peak": b["peak"],
            "first_ms": a["first"]["ms_per"], "second_ms": a["second"]["ms_per"], "bulk_ms": a["bulk"]["ms_per"],
            "rewritten": a["rewritten"],
            "p50": q["p50"], "p95": q["p95"], "first_s": q["first_s"],
            "parts": f"{q['embed']:.1f} / {q['chroma']:.1f} / {q['bm25']:.1f}", "query_peak": q["peak"],
            "disk": disk}


if __name__ == "__main__":
    raise SystemExit(main())
