"""Time the first `make run` on a fresh clone, until the UI answers on http://127.0.0.1:7860.

    .venv/bin/python benchmarks/first_run.py [--timeout 600] [--cold-pip]

Clones this repository's committed HEAD into a temporary folder, runs `make run`
there with an empty data directory (NIANBAO_DATA_DIR in the temporary folder),
and prints when the install finished, when the index was built, and when the
UI answered (HTTP 200 from / and from the API description). Then stops it and
removes the clone. Target: ≤ 3 minutes in all.

The install uses pip's cache as this user has it (a fresh machine downloads the
packages instead: network speed then decides); --cold-pip turns the cache off.
Port 7860 must be free (the Makefile starts the UI there).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _retrieval import stop_group

ROOT = Path(__file__).resolve().parents[1]
PORT = 7860


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def answers(path: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--cold-pip", action="store_true", help="install without pip's cache")
    args = ap.parse_args(argv)
    if not port_free(PORT):
        print(f"port {PORT} is in use: stop what listens there first")
        return 2
    top = Path(tempfile.mkdtemp(prefix="nianbao-firstrun-"))
    clone = top / "clone"
    log_path = top / "make.log"
    proc = None
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        head = subprocess.run(["git", "-C", str(clone), "log", "-1", "--format=%h %s"], capture_output=True,
                              text=True).stdout.strip()
        env = dict(os.environ, NIANBAO_DATA_DIR=str(top / "data"))
        for key in ("VIRTUAL_ENV", "NIANBAO_CHROMA_URL", "PYTHONPATH"):
            env.pop(key, None)
        if args.cold_pip:
            env["PIP_NO_CACHE_DIR"] = "1"
        python = getattr(sys, "_base_executable", sys.executable)
        print(f"clone of {head}; python {python}; pip cache {'off' if args.cold_pip else 'as this user has it'}")
        log = open(log_path, "w")
        t0 = time.monotonic()
        proc = subprocess.Popen(["make", "run", f"PYTHON={python}"], cwd=clone, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        marks: dict[str, float] = {}
        while time.monotonic() - t0 < args.timeout:
            now = time.monotonic() - t0
            if "install" not in marks and (clone / ".venv" / ".installed").exists():
                marks["install"] = now
            if "index" not in marks and "索引已就绪" in log_path.read_text(encoding="utf-8", errors="replace"):
                marks["index"] = now
            if answers("/") and answers("/gradio_api/info"):
                marks["ui"] = now
                break
            if proc.poll() is not None:
                break
            time.sleep(0.25)
        if "ui" not in marks:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            print(f"the UI did not answer within {args.timeout:.0f} s (make exited {proc.poll()}):\n{tail}")
            return 1
        install = marks.get("install", 0.0)
        index = marks.get("index", install)
        print(f"install (venv + pip): {install:6.1f} s")
        print(f"index build:          {index - install:6.1f} s")
        print(f"UI start to answer:   {marks['ui'] - index:6.1f} s")
        print(f"first `make run` until the UI answers: {marks['ui']:.1f} s (target ≤ 180 s)")
        return 0
    finally:
        if proc is not None:
            stop_group(proc, grace=20)
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
