"""Counting tables 三 and 四 from a 100,000-row application register.

Writes a register of N applications (default 100,000; ten columns, dates in
every writing, a case sheet) with openpyxl, then times `compute_register`
on it: reading the workbook, recognising the columns, mapping the wording,
counting both tables and the narrative figures. The same rows as a GBK CSV
are timed too. Prints the median wall time of --repeat runs and the CPU time.

    .venv/bin/python benchmarks/ledger_speed.py [--rows 100000] [--repeat 3]

Target: 100,000 rows in at most 5 s.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from assistant.ledger import compute_register  # noqa: E402
from evals.ledger import build as registers  # noqa: E402

YEAR = 2025


def make_rows(n: int, seed: int = 7) -> registers.RegisterSpec:
    rng = random.Random(seed)
    spec = registers.RegisterSpec("benchmark", YEAR, "2021", {}, {})
    keys = [k for k in registers.OUTCOME_WORDS if k != "other"]
    columns = list(registers.APPLICANT_WORDS)
    for i in range(n):
        received = date(YEAR - 1, 11, 1) + timedelta(days=rng.randint(0, 420))
        pending = received > date(YEAR, 12, 15) or rng.random() < 0.03
        answered = None if pending else registers.add_weekdays(received, rng.randint(0, 30))
        spec.apps.append(registers.AppRow(f"YSQ-{i:06d}", received, rng.choice(columns),
                                          None if pending else rng.choice(keys), answered,
                                          rng.choice(list(registers.CHANNELS)), extended=rng.random() < 0.05))
    for i in range(200):
        spec.cases.append(registers.CaseRow(f"FY-{i:03d}", rng.choice(["review", "direct_suit", "suit_after_review"]),
                                            rng.choice(["upheld", "corrected", "other", "pending"]),
                                            date(YEAR, 1, 1) + timedelta(days=rng.randint(0, 360))))
    return spec


def write_xlsx(spec: registers.RegisterSpec, path: Path) -> None:
    rng = random.Random(1)
    wb = Workbook(write_only=True)  # streams: a 100,000-row workbook in bounded memory
    ws = wb.create_sheet("依申请公开台账")
    heads = dict(registers.HEADERS[0], name="申请人", content="申请内容", partly="是否区分处理")
    ws.append([f"{YEAR}年政府信息公开申请办理登记台账"])
    ws.append([heads[f] for f in registers.APP_ORDER])
    for a in spec.apps:
        cells = registers._app_cells(a, rng)
        ws.append([cells[f] for f in registers.APP_ORDER])
    cs = wb.create_sheet("行政复议和诉讼")
    cs.append(registers.CASE_HEADERS)
    for c in spec.cases:
        cs.append(registers._case_values(c, rng))
    wb.save(path)


def write_csv(spec: registers.RegisterSpec, path: Path) -> None:
    rng = random.Random(2)
    heads = dict(registers.HEADERS[1], name="申请人", content="申请内容", partly="区分处理")
    with path.open("w", encoding="gbk", newline="") as f:
        w = csv.writer(f)
        w.writerow([heads[x] for x in registers.APP_ORDER])
        for a in spec.apps:
            cells = registers._app_cells(a, rng, csv_file=True)
            w.writerow(["" if cells[x] is None else cells[x] for x in registers.APP_ORDER])


def timed(path: Path, repeat: int, **kw) -> tuple[float, float, object]:
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = compute_register(path, YEAR, **kw)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    spec = make_rows(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        xlsx, gbk = Path(tmp) / "register.xlsx", Path(tmp) / "register.csv"
        t0 = time.perf_counter()
        write_xlsx(spec, xlsx)
        write_csv(spec, gbk)
        print(f"wrote {args.rows:,} rows in {time.perf_counter() - t0:.1f} s "
              f"(xlsx {xlsx.stat().st_size / 1e6:.1f} MB, csv {gbk.stat().st_size / 1e6:.1f} MB)")
        for name, path in (("xlsx", xlsx), ("gbk csv", gbk)):
            wall, cpu, result = timed(path, args.repeat)
            assert not result.blocked, [b.message for b in result.blockers]
            counted = len(result.counted)
            total = result.table3_values()["（七）总计"][-1]
            verdict = "ok" if wall <= 5.0 else "OVER TARGET"
            print(f"{name:8s} {args.rows:,} rows: median {wall:.2f} s wall, {cpu:.2f} s CPU "
                  f"({args.rows / wall:,.0f} rows/s); counted {counted:,}, （七）总计 {total:,}; target ≤ 5 s: {verdict}")


if __name__ == "__main__":
    main()
