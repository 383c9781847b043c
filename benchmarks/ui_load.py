"""Many people at once: concurrent sessions uploading reports and asking, against the launched UI.

Starts the UI in its own process on a free loopback port (127.0.0.1 only),
then runs ``--sessions`` sessions at once (50 by default), each in its own
thread with its own gradio_client: upload one of the reference reports (in
turn .txt, .md, .html, .docx, .pdf), ask "哪些合计对不上", ask "你能做什么".
Optionally (``--bombs N``) N more sessions upload a Word file with six
million empty paragraphs at the same time. Every request has a time limit and
the whole run is bounded; nothing leaves the machine.

Prints, per operation, the count, median, p95 and maximum latency and the
errors; the server's resident memory before, at its peak and after. The
figures go in README.md.

    .venv/bin/python benchmarks/ui_load.py [--sessions 50] [--bombs 0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REFERENCE = ROOT / "evals" / "reference"
FORMATS = ("report.txt", "report.md", "report.html", "report.docx", "report.pdf")
QUESTIONS = ("哪些合计对不上", "你能做什么")
REQUEST_SECONDS = 120  # one request's limit
RUN_SECONDS = 600  # the whole run's

SERVER = """
import threading
from assistant.chat import Workspace
from assistant.draft.settings import LLMSettings
from assistant.parse.worker import warm
from assistant.ui import launch
warm()
app = launch(host="127.0.0.1", port=None, block=False, warm_index=False, quiet=True,
             workspace_factory=lambda: Workspace(llm_settings=LLMSettings()))
print(app.local_url, flush=True)
threading.Event().wait()
"""


def status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def session(url: str, n: int, times: dict[str, list[float]], errors: list[str], lock: threading.Lock) -> None:
    from gradio_client import Client, handle_file

    reports = sorted(p for p in REFERENCE.iterdir() if (p / "report.txt").is_file())
    path = reports[n % len(reports)] / FORMATS[n % len(FORMATS)]
    try:
        client = Client(url, verbose=False)
        steps = [("上传", lambda: client.predict([handle_file(str(path))], False, api_name="/upload"))]
        steps += [(f"提问“{q}”", lambda q=q: client.predict(q, api_name="/ask")) for q in QUESTIONS]
        for name, call in steps:
            t0 = time.perf_counter()
            out = call()
            took = time.perf_counter() - t0
            result = out[8] if isinstance(out, (list, tuple)) and len(out) > 8 else {}
            problem = (result.get("errors") if name == "上传" else None) or (
                "出错" if result.get("intent") == "error" else None)
            with lock:
                times.setdefault(name, []).append(took)
                if problem:
                    errors.append(f"会话{n} {name}：{problem}")
    except Exception as exc:  # noqa: BLE001 - a failed request is counted, not fatal
        with lock:
            errors.append(f"会话{n}：{type(exc).__name__}: {exc}")


def bomb_session(url: str, bomb: Path, times: dict[str, list[float]], errors: list[str], lock: threading.Lock) -> None:
    from gradio_client import Client, handle_file

    try:
        client = Client(url, verbose=False)
        t0 = time.perf_counter()
        out = client.predict([handle_file(str(bomb))], False, api_name="/upload")
        with lock:
            times.setdefault("上传炸弹文件（应被拒绝）", []).append(time.perf_counter() - t0)
            if not out[8].get("errors"):
                errors.append("炸弹文件未被拒绝")
    except Exception as exc:  # noqa: BLE001
        with lock:
            errors.append(f"炸弹会话：{type(exc).__name__}: {exc}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--bombs", type=int, default=0, help="extra sessions uploading a six-million-paragraph .docx")
    args = ap.parse_args()
    if not 1 <= args.sessions <= 200 or not 0 <= args.bombs <= 20:
        raise SystemExit("sessions: 1–200, bombs: 0–20")

    env = dict(os.environ, PYTHONPATH=str(ROOT), GRADIO_ANALYTICS_ENABLED="False")
    with tempfile.TemporaryDirectory(prefix="nianbao-ui-load-") as tmp:
        bomb = None
        if args.bombs:
            sys.path.insert(0, str(ROOT / "tests" / "hostile"))
            import bombs

            bomb = bombs.docx_paragraphs(Path(tmp) / "bomb.docx", 6_000_000)
        server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  env=env, cwd=tmp, text=True)
        try:
            url = server.stdout.readline().strip()
            if not url.startswith("http://127.0.0.1:"):
                raise SystemExit(f"服务没有启动：{url!r}")
            times: dict[str, list[float]] = {}
            errors: list[str] = []
            lock = threading.Lock()
            session(url, 0, {}, errors, lock)  # warm the server's imports, as a running server would be
            before = status(server.pid, "VmRSS")
            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.sessions + args.bombs) as pool:
                futures = [pool.submit(session, url, n, times, errors, lock) for n in range(1, args.sessions + 1)]
                futures += [pool.submit(bomb_session, url, bomb, times, errors, lock) for _ in range(args.bombs)]
                for f in futures:
                    f.result(timeout=RUN_SECONDS)
            wall = time.perf_counter() - t0
            time.sleep(1)
            peak, after = status(server.pid, "VmHWM"), status(server.pid, "VmRSS")
        finally:
            server.kill()
            server.wait(10)

    print(f"{args.sessions} 个会话同时上传并提问" + (f"，另有 {args.bombs} 个会话上传炸弹文件" if args.bombs else "")
          + f"；共用时 {wall:.1f} 秒（本机 {os.cpu_count()} 核，回环地址）")
    for name, xs in times.items():
        ms = [x * 1000 for x in xs]
        print(f"  {name}：{len(ms)} 次，中位数 {statistics.median(ms):.0f} ms，p95 {p95(ms):.0f} ms，"
              f"最长 {max(ms):.0f} ms")
    print(f"  错误：{len(errors)} 个" + ("" if not errors else "：" + "；".join(errors[:5])))
    mib = 1024 * 1024
    print(f"  服务进程内存：开始 {before / mib:.0f} MiB，峰值 {peak / mib:.0f} MiB，结束 {after / mib:.0f} MiB")


if __name__ == "__main__":
    main()
