"""Draft eval: figure precision, coverage of key figures, guard catch rate.

The measurement lives in assistant.evals.suites.draft (its docstring says
what each figure means); `nianbao eval --suite draft` runs the same thing and
adds it to the scoreboard. This script prints the per-report table.

    .venv/bin/python evals/draft/run.py          # prints the table; exit 1 below a threshold
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.evals.suites.draft import MIN_COVERAGE, Row, evaluate_all, passes, table  # noqa: E402

REFERENCE = ROOT / "evals" / "reference"
FACTS = Path(__file__).with_name("facts.yaml")


def run() -> tuple[list[Row], bool]:
    rows = evaluate_all(REFERENCE, FACTS)
    return rows, passes(rows)


def main() -> int:
    rows, ok = run()
    print(table(rows))
    thresholds = f"门槛：精确率 = 1.0；关键数字覆盖 ≥ {MIN_COVERAGE:.0%}；拦截率 = 100%；交付错误 = 0"
    print(f"\n{thresholds}：{'通过' if ok else '未通过'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
