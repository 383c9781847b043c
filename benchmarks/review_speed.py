"""Speed of an audit: 1,000 reports read, checked, paired and stored; then a re-run after 10 files change.

Generates N reports (default 1,000) in a temporary folder from the reference
reports' .txt and .html renderings: groups of ten, each group's agencies
given their own place name (so every group is its own set of agencies, with
two consecutive-year pairs: 青禾市 2022/2023 and 石楠县 2020/2021), a fifth of
the figures nudged as in check_speed.py. Then, on a fresh SQLite database:

1. the first audit with ``--jobs 2`` (target ≤ 20 s on 2 cores);
2. a re-run with nothing changed;
3. a re-run after 10 files change (target ≤ 2 s): 5 of them first years of a
   pair, so their partners' cross-year rules run again too.

Each step is timed in this process (``run_audit``) and as the command a user
types (``nianbao review run``, a new process: start-up included). Wall time
grows with the machine's load, so the script also prints the first audit's
CPU time in one process, split into the reading and checking that workers
share and the rest.

    .venv/bin/python benchmarks/review_speed.py [--count 1000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from check_speed import vary  # noqa: E402

from assistant.parse import parse_file  # noqa: E402

PLACE = "安宁平和永丰长乐太和兴隆广德清源吉祥嘉禾怀远崇仁富顺新泰宝丰凤阳"  # pairs of these make the place names


def _places(n: int) -> list[str]:
    chars = list(dict.fromkeys(PLACE))
    return [a + b for a in chars for b in chars if a != b][:n]


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    slugs = sorted(p.parent for p in (ROOT / "evals" / "reference").glob("*/report.txt"))
    sources = []
    for i, d in enumerate(slugs):
        suffix = ".txt" if i % 2 == 0 else ".html"
        agency = parse_file(d / "report.txt").agency or ""
        sources.append((d.name, suffix, agency, (d / f"report{suffix}").read_text(encoding="utf-8")))
    groups = (count + len(sources) - 1) // len(sources)
    places = _places(groups)
    if len(places) < groups:
        raise SystemExit(f"最多生成 {len(places) * len(sources)} 份报告")
    rng = random.Random(seed)
    out = []
    for g in range(groups):
        for slug, suffix, agency, text in sources:
            if len(out) == count:
                return out
            # "石楠县人民政府" → "安宁石楠县人民政府": one group's agencies, paired with each other only.
            body = vary(text.replace(agency, places[g] + agency), rng)
            path = folder / f"g{g:03d}-{slug}{suffix}"
            path.write_text(body, encoding="utf-8")
            out.append(path)
    return out


def _cli(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "nianbao"), *args], env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"nianbao {' '.join(args)} 失败（{done.returncode}）：{done.stderr[-500:]}{done.stdout[-500:]}")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--changed", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        paths = generate(folder, args.count)
        os.environ["NIANBAO_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ.pop("NIANBAO_DATABASE_URL", None)
        env = dict(os.environ, NIANBAO_DATA_DIR=str(Path(tmp) / "data-cli"))

        from assistant.review import run_audit
        from assistant.review.store import Store

        store = Store(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        print(f"{len(paths)} 份生成的 text/HTML 报告，--jobs {args.jobs}，SQLite（{os.cpu_count()} 核，"
              f"开始时负载 {os.getloadavg()[0]:.1f}）")

        t0 = time.perf_counter()
        first = run_audit("基准", [folder], jobs=args.jobs, store=store)
        t_first = time.perf_counter() - t0
        f = first.findings
        print(f"首次审核：{t_first:.2f} s（{len(paths) / t_first:.0f} 份/秒；配对 {len(first.pairs)} 份，"
              f"问题 错误 {f['error']} / 警告 {f['warning']} / 提示 {f['info']}，无法读取 {len(first.unreadable)} 份）")

        t0 = time.perf_counter()
        same = run_audit("基准", [folder], jobs=args.jobs, store=store)
        print(f"无改动重新运行：{time.perf_counter() - t0:.2f} s（重新检查 {same.checked} 份）")

        rng = random.Random(11)
        firsts = [p for p in paths if "qinghe-city-2022" in p.name or "shinan-county-2020" in p.name]
        others = [p for p in paths if p not in set(firsts)]
        changed = rng.sample(firsts, args.changed // 2) + rng.sample(others, args.changed - args.changed // 2)

        def change(seed: int) -> None:
            r = random.Random(seed)
            for p in changed:
                p.write_text(vary(p.read_text(encoding="utf-8"), r), encoding="utf-8")

        change(23)
        t0 = time.perf_counter()
        again = run_audit("基准", [folder], jobs=args.jobs, store=store)
        t_again = time.perf_counter() - t0
        print(f"改动 {len(changed)} 份后重新运行：{t_again:.2f} s（重新检查 {again.checked} 份，"
              f"跨年核对 {again.cross_checked} 份，本次已修正 {len(again.fixed)} 项）")
        store.close()

        # The same, as the command a user types (each a new process).
        cli_first = _cli(["review", "run", "基准", str(folder), "--jobs", str(args.jobs)], env)
        cli_same = _cli(["review", "run", "基准", str(folder), "--jobs", str(args.jobs)], env)
        change(29)
        cli_again = _cli(["review", "run", "基准", str(folder), "--jobs", str(args.jobs)], env)
        print(f"命令行 nianbao review run（含进程启动）：首次 {cli_first:.2f} s，无改动 {cli_same:.2f} s，"
              f"改动 {len(changed)} 份后 {cli_again:.2f} s")
        # CPU time, which other processes on the machine do not inflate the way they do wall time:
        # the whole first audit in this one process, and the part of it workers share.
        from assistant.review.sources import collect
        from assistant.review.worker import read_and_check

        change(31)
        got = collect([folder])
        c0 = time.process_time()
        for src in got.sources:
            read_and_check(src)
        cpu_read = time.process_time() - c0
        solo = Store(f"sqlite:///{Path(tmp) / 'solo.sqlite3'}")
        c0 = time.process_time()
        run_audit("基准", collected=got, jobs=1, store=solo)
        cpu_all = time.process_time() - c0
        solo.close()
        serial = cpu_all - cpu_read
        print(f"首次审核的 CPU 时间（单进程）：{cpu_all:.2f} s，其中读取与检查 {cpu_read:.2f} s（可由 --jobs 分担），"
              f"其余 {serial:.2f} s；按 2 核空闲估算 --jobs 2 约 {cpu_read / 2 + serial:.1f} s")
        size = (Path(tmp) / "bench.sqlite3").stat().st_size
        print(f"数据库大小：{size / 1024 / 1024:.1f} MB；结束时负载 {os.getloadavg()[0]:.1f}（其他进程占用 CPU 时各项会变慢）")


if __name__ == "__main__":
    main()
