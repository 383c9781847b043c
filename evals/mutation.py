"""Mutation suite for the checker (the logic lives in assistant.evals.suites.mutation).

For every consistent reference report (evals/reference/*/report.yaml), change
one table cell at a time — every cell of tables 二, 三 and 四, by +1, by −1 and
by swapping its first two digits — and check the result. A change that breaks
an identity must produce at least one error-level finding; the unchanged
reports must produce none. Prints the detection rate and the false-alarm
count; exits 1 if a breaking change went undetected or an unchanged report
has an error. `nianbao eval --suite mutation` runs the same measurement.

    .venv/bin/python evals/mutation.py [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evals.suites.mutation import mutate_all  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", action="store_true", help="list every undetected breaking change")
    args = ap.parse_args()
    rows = mutate_all(ROOT / "evals" / "reference")
    for r in rows:
        if not r.consistent:
            print(f"跳过 {r.slug}：参考报告本身不满足勾稽关系")
        elif r.false_alarm:
            print(f"误报：{r.slug} 未改动却报告了错误")
    used = [r for r in rows if r.consistent]
    breaking = sum(r.breaking for r in used)
    detected = sum(r.detected for r in used)
    false_alarms = sum(r.false_alarm for r in used)
    rate = detected / breaking if breaking else 1.0
    print(f"参考报告 {len(used)} 份；打破勾稽关系的改动 {breaking} 处，检出 {detected} 处，检出率 {rate:.1%}")
    print(f"未改动报告的误报（错误级）：{false_alarms} 份")
    print(f"不打破勾稽关系的改动 {sum(r.harmless for r in used)} 处，"
          f"其中因叙述与表格不符报错 {sum(r.harmless_flagged for r in used)} 处")
    misses = [f"{r.slug}: {m}" for r in used for m in r.misses]
    if misses and args.verbose:
        print("未检出：\n  " + "\n  ".join(misses))
    return 0 if detected == breaking and false_alarms == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
