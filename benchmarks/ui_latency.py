"""Time from sending "哪些合计对不上" to the complete answer, in the launched UI.

Launches the app on a free local port, then, for each run, opens a fresh
session, uploads the Linzi 2019 report and times the question alone:

- through gradio_client (the HTTP API the page uses, queue included);
- through the page in Debian's chromium (Enter pressed → the last line of
  the answer rendered), when /usr/bin/chromium and Playwright are present.

Each run is a new session, so the checks really run every time. Prints the
median and p95 of each.

    .venv/bin/python benchmarks/ui_latency.py [--runs 20] [--browser-runs 8]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LINZI = ROOT.parent / "shared" / "realdata" / "linzi-district-office-2019.txt"
QUESTION = "哪些合计对不上"
DONE = "想了解某一项"  # the answer's last line
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def report(name: str, xs: list[float]) -> None:
    ms = [x * 1000 for x in xs]
    print(f"{name}: {len(ms)} 次，中位数 {statistics.median(ms):.0f} ms，p95 {p95(ms):.0f} ms，"
          f"最短 {min(ms):.0f} ms，最长 {max(ms):.0f} ms")


def api_runs(url: str, runs: int) -> list[float]:
    from gradio_client import Client, handle_file

    times = []
    for _ in range(runs + 1):
        client = Client(url, verbose=False)
        client.predict([handle_file(str(LINZI))], False, api_name="/upload")
        t0 = time.perf_counter()
        out = client.predict(QUESTION, api_name="/ask")
        times.append(time.perf_counter() - t0)
        assert out[8]["intent"] == "check", out[8]
    return times[1:]  # the first run warms imports and caches of the process


def browser_runs(url: str, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for _ in range(runs + 1):
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(url, wait_until="domcontentloaded")
            page.locator("#nb-upload input[type=file]").set_input_files(str(LINZI))
            page.locator("#nb-chat").get_by_text("已载入报告").wait_for(timeout=20_000)
            box = page.locator("#nb-ask-input textarea")
            box.fill(QUESTION)
            t0 = time.perf_counter()
            box.press("Enter")
            page.locator("#nb-chat").get_by_text(DONE).wait_for(timeout=20_000)
            times.append(time.perf_counter() - t0)
            page.close()
        browser.close()
    return times[1:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--browser-runs", type=int, default=8)
    args = ap.parse_args()

    from assistant.chat import Workspace
    from assistant.draft.settings import LLMSettings
    from assistant.ui import launch

    port = free_port()
    app = launch(port=port, block=False, warm_index=False, quiet=True,
                 workspace_factory=lambda: Workspace(llm_settings=LLMSettings()))
    url = f"http://127.0.0.1:{port}/"
    try:
        print(f"报告：{LINZI.name}；问题：“{QUESTION}”")
        report("gradio_client（API）", api_runs(url, args.runs))
        if args.browser_runs and CHROMIUM.exists():
            try:
                report("浏览器（chromium，按回车到答案显示完毕）", browser_runs(url, args.browser_runs))
            except ImportError:
                print("浏览器：未安装 playwright，跳过。")
        elif args.browser_runs:
            print("浏览器：没有 /usr/bin/chromium，跳过。")
    finally:
        app.close()


if __name__ == "__main__":
    main()
