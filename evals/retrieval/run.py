"""Retrieval eval: recall@5 and MRR of `nianbao search` over the default corpus.

    python evals/retrieval/run.py [--data-dir DIR] [--threshold 0.9] [--verbose]

Builds (or refreshes) the default index in DIR, asks every question in
questions.yaml and prints recall@5, hit@5 and MRR. Exits 1 when recall@5 is
below the threshold, so CI fails when retrieval gets worse. The index folder
is kept between runs (ids are content-addressed, so a rerun only embeds what
changed); by default it lives in the system temp folder. The measurement
lives in assistant.evals.suites.retrieval, which `nianbao eval --suite
retrieval` also runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # run from a checkout without installing

from assistant.evals.suites.retrieval import MRR_DEPTH, evaluate  # noqa: E402
from assistant.retrieve import Index  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "nianbao-eval-index")
    ap.add_argument("--chroma-url", default=None)
    ap.add_argument("--collection", default="nianbao-eval", help="collection to build and search")
    ap.add_argument("--questions", type=Path, default=HERE / "questions.yaml")
    ap.add_argument("--threshold", type=float, default=0.9, help="minimum recall@5")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every question's rank")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    questions = yaml.safe_load(args.questions.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    index = Index(data_dir=args.data_dir, chroma_url=args.chroma_url, collection=args.collection)
    index.build_default()
    build_s = time.perf_counter() - t0
    result = evaluate(index, questions)

    if args.json:
        print(json.dumps({k: v for k, v in result.items()}, ensure_ascii=False, indent=2))
    else:
        for r in result["rows"]:
            if args.verbose or r["recall"] < 1 or r["rank"] != 1:
                rank = r["rank"] if r["rank"] else f">{MRR_DEPTH}"
                print(f"  rank {rank:>3}  recall {r['recall']:.2f}  {r['q']}")
                if args.verbose or r["recall"] < 1:
                    for i, t in enumerate(r["top"], 1):
                        print(f"        {i}. {t}")
        print(f"questions: {result['questions']}  chunks: {index.count()}  index build/refresh: {build_s:.1f} s")
        print(f"recall@5: {result['recall@5']:.3f}")
        print(f"hit@5:    {result['hit@5']:.3f}")
        print(f"MRR:      {result['mrr']:.3f}")
        print(f"median query latency: {result['median_ms']:.1f} ms")
    if result["recall@5"] < args.threshold:
        print(f"FAIL: recall@5 {result['recall@5']:.3f} < {args.threshold}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
