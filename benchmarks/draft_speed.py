"""Offline drafting and figure-guard speed over the reference reports.

For each reference report (facts from evals/draft/facts.yaml), prints the
median time of a whole offline draft (plan, phrasing, guard, assembly), of
the guard alone on the drafted narrative (every number, and every claim read
and judged by the checker's narrative rules), and of building the fact sheet.
The target: the guard takes at most 20 ms per report.

    .venv/bin/python benchmarks/draft_speed.py [--repeat 20]
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

import yaml  # noqa: E402

from assistant.draft import draft_report  # noqa: E402
from assistant.draft.compose import guard_paragraphs  # noqa: E402
from assistant.evals.suites.draft import load_eval_facts  # noqa: E402

REFERENCE = ROOT / "evals" / "reference"
FACTS = ROOT / "evals" / "draft" / "facts.yaml"


def median_ms(fn, repeat: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append((clock() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    specs = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    draft_report(load_eval_facts(REFERENCE, "qinghe-city-2023", specs["qinghe-city-2023"]))  # load phrasing files once
    rows = []
    for slug in sorted(p.name for p in REFERENCE.iterdir() if p.is_dir()):
        spec = specs.get(slug) or {}

        facts = load_eval_facts(REFERENCE, slug, spec)

        def fresh():
            facts._sheet = None  # as for facts never seen before: the sheet is built again
            return facts

        result = draft_report(facts)
        paragraphs = [(key, i, p.text, ()) for key in ("一", "五", "六")
                      for i, p in enumerate(result.report.section(key).paragraphs, start=1)]
        paragraphs += [("preamble", i, p.text, ()) for i, p in enumerate(result.report.preamble, start=1)]

        facts.sheet()

        def guard_all():
            verdict = guard_paragraphs(facts, paragraphs)
            assert verdict.clean, verdict.summary()  # the guard measured is the one that passes the draft

        def sheet():
            f = fresh()
            f.sheet()

        def draft():
            draft_report(fresh())

        rows.append((slug, median_ms(draft, args.repeat), median_ms(guard_all, args.repeat),
                     median_ms(guard_all, args.repeat, time.process_time),
                     median_ms(sheet, args.repeat), result.verdict.figures_checked, result.verdict.claims_checked))
    print("报告 | 离线起草 ms | 核验全文 ms（CPU ms） | 事实表 ms | 数字个数 | 陈述条数")
    print("--- | --- | --- | --- | --- | ---")
    for slug, d, g, gc, s, n, c in rows:
        print(f"{slug} | {d:.1f} | {g:.1f}（{gc:.1f}） | {s:.1f} | {n} | {c}")
    print(f"中位数 | {statistics.median(r[1] for r in rows):.1f} | {statistics.median(r[2] for r in rows):.1f}"
          f"（{statistics.median(r[3] for r in rows):.1f}） | {statistics.median(r[4] for r in rows):.1f} | |")
    print(f"核验全文最慢 {max(r[2] for r in rows):.1f} ms，CPU {max(r[3] for r in rows):.1f} ms"
          f"（目标：每份报告 ≤ 20 ms；负载 {os.getloadavg()[0]:.1f}）")
    print("（离线起草包括建立事实表、措辞、核验和组装报告，不含读取文件。）")


if __name__ == "__main__":
    main()
