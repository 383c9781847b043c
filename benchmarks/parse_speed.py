"""Median time to parse one report, per input format.

Run: .venv/bin/python benchmarks/parse_speed.py [--repeat N]
Inputs: the two real reports in ../shared/realdata and every rendering of the
reference reports in evals/reference. Each file is read into memory first, so
the figure is parsing, not disk.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.parse import ReadError, parse_bytes  # noqa: E402
from assistant.parse.numbers import read_numbers  # noqa: E402

REALDATA = ROOT.parent / "shared" / "realdata"
FORMATS = {".txt": "text", ".md": "markdown", ".html": "html", ".docx": "docx", ".pdf": "pdf"}
TARGETS_MS = {"text": 10, "markdown": 10, "html": 10, "docx": None, "pdf": 1000}


def inputs() -> dict[str, list[Path]]:
    files = sorted((ROOT / "evals" / "reference").glob("*/report.*"))
    files += sorted(REALDATA.glob("*.txt")) + sorted(REALDATA.glob("*.pdf"))
    out: dict[str, list[Path]] = {}
    for f in files:
        if f.suffix not in FORMATS:
            continue
        try:
            parse_bytes(f.read_bytes(), f.name)
        except ReadError as exc:  # a file of the folder that is not a report is not timed
            print(f"skipped {f.name}: {exc.message}")
            continue
        out.setdefault(FORMATS[f.suffix], []).append(f)
    return out


def time_file(path: Path, repeat: int) -> list[float]:
    data = path.read_bytes()
    parse_bytes(data, path.name)  # warm caches (label indexes, imports)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        parse_bytes(data, path.name)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    print(f"{'format':<10}{'files':>6}{'median ms':>12}{'p95 ms':>10}{'target ms':>11}")
    for fmt, files in inputs().items():
        repeat = max(3, args.repeat // 4) if fmt == "pdf" else args.repeat
        times = [t for f in files for t in time_file(f, repeat)]
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        target = TARGETS_MS[fmt]
        print(f"{fmt:<10}{len(files):>6}{statistics.median(times):>12.2f}{p95:>10.2f}{(target or '-'):>11}")
    for name in ("linzi-district-office-2019.txt", "huaian-city-2024.pdf"):
        path = REALDATA / name
        if path.exists():
            times = time_file(path, args.repeat if path.suffix == ".txt" else 5)
            print(f"real report {name}: median {statistics.median(times):.2f} ms")
    linzi = REALDATA / "linzi-district-office-2019.txt"
    if linzi.exists():
        # The number reader alone, over 3,000 characters of the report's prose (target: best of 30 ≤ 2 ms).
        prose = "".join(line for line in linzi.read_text(encoding="utf-8").splitlines() if len(line) > 40)
        prose = (prose * 2)[:3000]
        times = []
        for _ in range(30):
            t0 = time.perf_counter()
            read_numbers(prose)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"number reader, 3,000 characters of prose: best {min(times):.2f} ms, median "
              f"{statistics.median(times):.2f} ms (target: best ≤ 2 ms)")


if __name__ == "__main__":
    main()
