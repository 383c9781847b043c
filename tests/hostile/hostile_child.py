"""Running `nianbao` on hostile input in a child process, and measuring what it cost.

``run`` starts a fresh Python that runs the command (after an optional
``prelude``) and reports its own peak memory (VmHWM, written at exit: the
rusage of a forked child would also count the memory of the test process it
was forked from), its time, exit status and output. Given a ``sandbox``
folder, the child's home, temporary folder and working folder all live in
it, so ``created_outside`` can say whether the command wrote anything
anywhere but its data directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[2]
GIB = 1024 * 1024 * 1024
MIB = 1024 * 1024

PEAK = """
import atexit, os
def _report_peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            with open(os.environ["NIANBAO_TEST_PEAK_FILE"], "w") as fh:
                fh.write(str(int(line.split()[1]) * 1024))
atexit.register(_report_peak)
"""


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_bytes: int


def run(args: list[str], env: Optional[dict] = None, timeout: float = 120, prelude: str = "",
        sandbox: Optional[Path] = None) -> Run:
    """``nianbao ARGS`` in a child process (after ``prelude``), with that child's own peak memory and time."""
    script = (prelude + PEAK + "\nimport sys\nfrom assistant.cli import main\nsys.argv = ['nianbao'] + %r\nmain()\n"
              % (args,))
    extra = dict(env or {})
    cwd = ROOT
    if sandbox is not None:
        for name in ("home", "tmp", "cwd"):
            (sandbox / name).mkdir(parents=True, exist_ok=True)
        extra.setdefault("NIANBAO_DATA_DIR", str(sandbox / "data"))
        extra.update(HOME=str(sandbox / "home"), TMPDIR=str(sandbox / "tmp"), PYTHONDONTWRITEBYTECODE="1")
        cwd = sandbox / "cwd"
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as peak:
        child_env = dict(os.environ, PYTHONPATH=str(ROOT), NIANBAO_TEST_PEAK_FILE=peak.name, **extra)
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=out, stderr=err, cwd=cwd, env=child_env)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        seconds = time.monotonic() - t0
        out.seek(0)
        err.seek(0)
        text = peak.read().strip()
        assert text, "the child did not report its peak memory"
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   seconds, int(text))


def assert_bounded(r: Run) -> None:
    """Under 30 s, under 1 GB at its peak, and no traceback."""
    assert r.seconds < 30, f"took {r.seconds:.1f} s"
    assert r.peak_bytes < GIB, f"peak memory {r.peak_bytes / MIB:.0f} MiB"
    assert "Traceback" not in r.err, r.err


def assert_refused(r: Run, *words: str) -> None:
    """Exit 2, bounded, a Chinese message naming each of ``words`` (on stderr, or in `check`'s report of the file)."""
    assert r.code == 2, (r.code, r.out[-2000:], r.err[-2000:])
    assert_bounded(r)
    said = r.err + r.out
    assert "错误：" in r.err or "无法读取" in r.out, said
    for w in words:
        assert w in said, (w, said)


def created_outside(sandbox: Path) -> list[str]:
    """Files the command left in its home, temporary or working folder (everything but ``sandbox/data``)."""
    found = []
    for name in ("home", "tmp", "cwd"):
        base = sandbox / name
        found += [str(p.relative_to(sandbox)) for p in base.rglob("*")] if base.exists() else []
    return found
