"""Median time to parse one report, per input format.

Run: .venv/bin/python benchmarks/parse_speed.py [--repeat N]
Inputs: the real reports in ../shared/realdata, every rendering of the
reference reports in evals/reference, and the reference reports in the
degraded layouts made by assistant/evals/degrade.py (crawler text, one small
table per row, text extracted from the PDFs, figures before labels). Each
input is in memory first, so the figure is parsing, not disk.

Figures are wall-clock medians and, beside them, CPU-time medians of this
process: on a shared machine (several processes on two cores) wall time
includes waiting for a core; the load average is printed first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evals.degrade import reference_dirs, render  # noqa: E402
from assistant.parse import ReadError, parse_bytes  # noqa: E402
from assistant.parse.numbers import read_numbers  # noqa: E402
from assistant.parse.runs import forget  # noqa: E402

REALDATA = ROOT.parent / "shared" / "realdata"
FORMATS = {".txt": "text", ".md": "markdown", ".html": "html", ".docx": "docx", ".pdf": "pdf"}
TARGETS_MS = {"text": 10, "markdown": 10, "html": 10, "docx": None, "pdf": 1000}
# Degraded layouts timed as text reports: parse stays within 20 ms per text report.
LAYOUTS = ("crawler", "md-rows", "html-rows", "pdf-text", "pdf-text-layout", "values-first")
LAYOUT_TARGET_MS = 20


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


CPU: list[float] = []  # CPU milliseconds of every timed parse, in the order timed


def time_file(path: Path, repeat: int) -> list[float]:
    return time_bytes(path.read_bytes(), path.name, repeat)


def time_bytes(data: bytes, name: str, repeat: int) -> list[float]:
    parse_bytes(data, name)  # warm caches (label indexes, imports)
    times = []
    for _ in range(repeat):
        forget()  # digit runs are split afresh each time, as for a report never seen before
        t0, c0 = time.perf_counter(), time.process_time()
        parse_bytes(data, name)
        times.append((time.perf_counter() - t0) * 1000)
        CPU.append((time.process_time() - c0) * 1000)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def cpu_since(mark: int) -> float:
    return statistics.median(CPU[mark:])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"{'format':<18}{'files':>6}{'median ms':>12}{'p95 ms':>10}{'cpu ms':>9}{'target ms':>11}")
    for fmt, files in inputs().items():
        repeat = max(3, args.repeat // 4) if fmt == "pdf" else args.repeat
        mark = len(CPU)
        times = [t for f in files for t in time_file(f, repeat)]
        median, p95 = summary(times)
        target = TARGETS_MS[fmt]
        print(f"{fmt:<18}{len(files):>6}{median:>12.2f}{p95:>10.2f}{cpu_since(mark):>9.2f}{(target or '-'):>11}")
    print(f"\n{'layout':<18}{'files':>6}{'median ms':>12}{'p95 ms':>10}{'cpu ms':>9}{'target ms':>11}")
    folders = reference_dirs(ROOT / "evals" / "reference")
    for layout in LAYOUTS:
        docs = [d for d in (render(f, layout) for f in folders) if d is not None]
        mark = len(CPU)
        times = [t for d in docs for t in time_bytes(d.data, d.name, args.repeat)]
        median, p95 = summary(times)
        print(f"{layout:<18}{len(docs):>6}{median:>12.2f}{p95:>10.2f}{cpu_since(mark):>9.2f}{LAYOUT_TARGET_MS:>11}")
    print()
    for name in ("linzi-district-office-2019.txt", "pingtan-2021.txt", "pingtan-2023.txt", "pingtan-2023.html",
                 "huaian-city-2024.pdf", "hongze-district-2023.pdf"):
        path = REALDATA / name
        if path.exists():
            mark = len(CPU)
            median, p95 = summary(time_file(path, 5 if path.suffix == ".pdf" else args.repeat))
            print(f"real report {name}: median {median:.2f} ms, p95 {p95:.2f} ms, cpu {cpu_since(mark):.2f} ms")
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
