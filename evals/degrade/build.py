"""Write the reference reports in every degradation layout to a folder, to look at them.

The degradation suite makes these in memory at run time from
``evals/reference/<slug>/report.yaml`` (and ``report.pdf``), with
``assistant/evals/degrade.py``; nothing here is committed. This script writes
the same documents, and each one's truth, so a person can open them.

    .venv/bin/python evals/degrade/build.py --out /tmp/degraded [--layout crawler ...] [SLUG ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.evals.degrade import LAYOUTS, reference_dirs, render  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    ap.add_argument("--layout", action="append", choices=list(LAYOUTS), help="only these layouts")
    ap.add_argument("slugs", nargs="*", help="only these reference reports")
    args = ap.parse_args(argv)
    folders = reference_dirs(ROOT / "evals" / "reference")
    if args.slugs:
        folders = [f for f in folders if f.name in set(args.slugs)]
    args.out.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        for layout in args.layout or list(LAYOUTS):
            doc = render(folder, layout)
            if doc is None:
                continue
            (args.out / doc.name).write_bytes(doc.data)
            truth = [{"table": t, "row": r, "column": c, **cell} for (t, r, c), cell in doc.truth.items()]
            (args.out / (doc.name + ".truth.json")).write_text(
                json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(args.out / doc.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
