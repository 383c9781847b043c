"""Parse + check speed on a folder of generated text and HTML reports.

Generates N reports (default 1,000) in a temporary folder from the reference
reports' .txt and .html renderings, varying their figures, then prints the
median parse+check time per report (and how many had a root-cause finding), the
check time of the unchanged reference reports, and the throughput of
`check_files` with --jobs 1 and --jobs 2 and of `check_pairs` (--pair).

    .venv/bin/python benchmarks/check_speed.py [--count 1000]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.check import run_checks  # noqa: E402
from assistant.check.files import check_files, check_pairs, collect  # noqa: E402
from assistant.parse import parse_file  # noqa: E402

_FIGURE = re.compile(r"(?<![\d〔号年月日.])(\d{1,5})(?![\d年月日号〕.])")


def vary(text: str, rng: random.Random) -> str:
    """Nudge about a fifth of the figures, so reports differ like real ones do."""

    def nudge(m: re.Match) -> str:
        if rng.random() > 0.2:
            return m.group()
        return str(max(0, int(m.group()) + rng.choice([-2, -1, 1, 2, 5])))

    return _FIGURE.sub(nudge, text)


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    sources = sorted((ROOT / "evals" / "reference").glob("*/report.txt")) + sorted(
        (ROOT / "evals" / "reference").glob("*/report.html")
    )
    if not sources:
        raise SystemExit("evals/reference 下没有参考报告")
    texts = [(p.suffix, p.read_text(encoding="utf-8")) for p in sources]
    rng = random.Random(seed)
    out = []
    for i in range(count):
        suffix, text = texts[i % len(texts)]
        path = folder / f"r{i:04d}{suffix}"
        path.write_text(vary(text, rng), encoding="utf-8")
        out.append(path)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.count)
        paths = collect([folder])
        for p in paths[:20]:  # warm up imports and regex caches
            run_checks(parse_file(p))
        parse_ms, check_ms, total_ms, cpu_ms = [], [], [], []
        rooted = 0
        for p in paths:
            c0 = time.process_time()
            t0 = time.perf_counter()
            report = parse_file(p)
            t1 = time.perf_counter()
            findings = run_checks(report)
            t2 = time.perf_counter()
            cpu_ms.append((time.process_time() - c0) * 1000)
            parse_ms.append((t1 - t0) * 1000)
            check_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
            rooted += any(f.code == "R1" for f in findings)
        print(f"{len(paths)} 份生成的 text/HTML 报告（其中 {rooted} 份有按原因归并的问题 R1）")
        print(f"parse+check 中位数 {statistics.median(total_ms):.1f} ms/份"
              f"（parse {statistics.median(parse_ms):.1f} ms，check {statistics.median(check_ms):.1f} ms）；"
              f"p95 {sorted(total_ms)[int(len(total_ms) * 0.95)]:.1f} ms；"
              f"CPU 时间中位数 {statistics.median(cpu_ms):.1f} ms（机器繁忙时以此为准）")
        # The same reports unchanged: consistent tables, so the root-cause analysis has nothing to try.
        clean = [parse_file(p) for p in sorted((ROOT / "evals" / "reference").glob("*/report.txt"))]
        clean_ms = []
        for _ in range(20):
            for report in clean:
                t0 = time.perf_counter()
                run_checks(report)
                clean_ms.append((time.perf_counter() - t0) * 1000)
        print(f"未改动的参考报告：check 中位数 {statistics.median(clean_ms):.1f} ms/份")
        for jobs in (1, 2):
            t0 = time.perf_counter()
            results = check_files(paths, None, jobs)
            dt = time.perf_counter() - t0
            errors = sum(1 for r in results if r.error)
            print(f"--jobs {jobs}: {dt:.2f} s，{len(paths) / dt:.0f} 份/秒（无法读取 {errors} 份）")
        t0 = time.perf_counter()
        _, pairs = check_pairs(paths, 2)
        dt = time.perf_counter() - t0
        print(f"--pair --jobs 2: {dt:.2f} s，{len(paths) / dt:.0f} 份/秒（配对 {len(pairs)} 份）")


if __name__ == "__main__":
    main()
