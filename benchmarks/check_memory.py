"""Peak memory and throughput of `nianbao check FOLDER --format json` on a large folder.

Generates N reports (default 2,000) in a temporary folder from the reference
reports' .txt and .html renderings in rotation (figures varied, as in
check_speed.py), runs the command as a new process with its output in a file,
checks that the output is one valid JSON document holding every report, and
prints: wall and CPU time, reports per second, the command's own peak resident
memory (its VmHWM, read as it exits) and the largest worker's peak (--jobs > 1).

    .venv/bin/python benchmarks/check_memory.py [--count 2000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_speed import generate  # noqa: E402

# Run the command in-process, and on the way out write its own peak (VmHWM) and its
# largest reaped child's (ru_maxrss of RUSAGE_CHILDREN) to the file named in argv[1].
PRELUDE = """
import atexit, resource, sys
out = sys.argv.pop(1)
def peaks():
    status = open('/proc/self/status').read().split('\\n')
    hwm = next(int(l.split()[1]) for l in status if l.startswith('VmHWM:'))
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    open(out, 'w').write(f'{hwm} {kids}')
atexit.register(peaks)
from assistant.cli import main
sys.argv = ['nianbao'] + sys.argv[1:]
main()
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--format", default="json", choices=["json", "csv", "text"])
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory(prefix="nianbao-memory-") as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        generate(folder, args.count)
        output, peaks = Path(tmp) / "out", Path(tmp) / "peaks"
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        with output.open("w", encoding="utf-8") as sink:
            done = subprocess.run([sys.executable, "-c", PRELUDE, str(peaks), "check", str(folder),
                                   "--format", args.format, "--jobs", str(args.jobs)],
                                  stdout=sink, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):
            raise SystemExit(f"nianbao check failed ({done.returncode}):\n{done.stderr[-2000:]}")
        hwm_kib, worker_kib = (int(x) for x in peaks.read_text().split())
        size = output.stat().st_size
        if args.format == "json":
            data = json.loads(output.read_text(encoding="utf-8"))
            assert len(data["reports"]) == args.count, "every report in the document"
            said = f"valid JSON, {len(data['reports'])} reports, summary {data['summary']['errors']} errors"
        else:
            said = f"{args.format} output"
        print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"nianbao check {args.count} reports --format {args.format} --jobs {args.jobs}: "
              f"{wall:.2f} s wall, {cpu:.2f} s CPU (command and workers), {args.count / wall:.0f} reports/s")
        print(f"peak memory: command {hwm_kib / 1024:.0f} MiB (VmHWM), largest worker {worker_kib / 1024:.0f} MiB"
              f"{' (no workers)' if args.jobs <= 1 else ''}; output {size / 2**20:.1f} MiB, {said}")


if __name__ == "__main__":
    main()
