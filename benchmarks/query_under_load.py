"""Query latency in-process, on a quiet machine and with another process busy on one core.

    .venv/bin/python benchmarks/query_under_load.py [--queries 200] [--data-dir DIR]

Builds the default index in a temporary folder (from the shipped vectors, a
few seconds) unless --data-dir names a built one, then asks the 53 eval
questions round-robin (after a warm-up) and prints p50 / p95 / max of the
whole hybrid query for each case: query embedding on 1 thread (the default,
NIANBAO_QUERY_THREADS=1) and on 2 threads, each without and with a busy
process (a Python loop) taking one core. Target: p95 ≤ 100 ms with the busy
process, in-process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _retrieval import pct, questions

from assistant.retrieve import Index


def measure(index: Index, qs: list[str], n: int) -> list[float]:
    asked = (qs * (n // len(qs) + 1))[:n]
    out = []
    for q in asked:
        t = time.perf_counter()
        index.search(q, k=5)
        out.append(1000 * (time.perf_counter() - t))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--data-dir", type=Path, default=None)
    args = ap.parse_args(argv)
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="nianbao-load-"))
    busy = None
    try:
        index = Index(data_dir=folder)
        if not index.size():
            index.build_default()
        qs = questions()
        for q in qs:  # warm-up: model pages, HNSW files, jieba
            index.search(q, k=5)
        print(f"index: {index.size()} passages; {os.cpu_count()} cores; load average before: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (other processes on this machine count too)")
        print(f"{'query threads':>13} {'other load':>22} {'p50':>8} {'p95':>8} {'max':>8}")
        for threads in (1, 2):
            os.environ["NIANBAO_QUERY_THREADS"] = str(threads)
            for loaded in (False, True):
                if loaded:
                    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
                    time.sleep(1.0)
                times = measure(index, qs, args.queries)
                if busy is not None:
                    busy.kill()
                    busy.wait()
                    busy = None
                what = "a busy process on 1 core" if loaded else "none added"
                print(f"{threads:>13} {what:>22} {pct(times, 0.5):>6.1f}ms {pct(times, 0.95):>6.1f}ms "
                      f"{max(times):>6.1f}ms", flush=True)
    finally:
        if busy is not None:
            busy.kill()
        os.environ.pop("NIANBAO_QUERY_THREADS", None)
        if args.data_dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
