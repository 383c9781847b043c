"""Time from sending an offline question to the complete answer, in the launched UI.

Launches the app on a free local port, uploads the Linzi 2019 and Huai'an 2024
reports into a session, then times offline questions of every kind (a figure,
a sum, a share, a comparison, the problem list, one problem and how to fix
it, an article, the rule catalogue):

- through gradio_client (the HTTP API the page uses, queue included);
- through the page in Debian's chromium (Enter pressed → the answer's last
  words rendered), when /usr/bin/chromium and Playwright are present.

Prints the median and p95 of each, and the median per question.

    .venv/bin/python benchmarks/ui_latency.py [--rounds 5] [--browser-rounds 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REALDATA = ROOT.parent / "shared" / "realdata"
REPORTS = [REALDATA / "linzi-district-office-2019.txt", REALDATA / "huaian-city-2024.pdf"]
# (question, words the finished answer ends with in the page)
QUESTIONS = [
    ("淮安市本年新收政府信息公开申请多少件", "出处"),
    ("淮安的不予公开一共多少", "出处"),
    ("淮安市予以公开占比是多少", "出处"),
    ("淮安和临淄相比，哪个申请多？", "相差"),
    ("哪些合计对不上", "想了解某个问题"),
    ("问题3是什么意思", "依据"),
    ("问题3怎么改", "检查会立即重新运行"),
    ("条例第五十条说了什么", "说明"),
    ("有哪些检查规则", "P1是什么"),
]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def report(name: str, xs: list[float]) -> None:
    ms = [x * 1000 for x in xs]
    print(f"{name}: {len(ms)} 次，中位数 {statistics.median(ms):.0f} ms，p95 {p95(ms):.0f} ms，"
          f"最短 {min(ms):.0f} ms，最长 {max(ms):.0f} ms")


def per_question(times: dict[str, list[float]]) -> None:
    for q, xs in times.items():
        print(f"  {q}：中位数 {statistics.median(xs) * 1000:.0f} ms")


def api_runs(url: str, rounds: int) -> dict[str, list[float]]:
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    client.predict([handle_file(str(p)) for p in REPORTS], False, api_name="/upload")
    times: dict[str, list[float]] = defaultdict(list)
    for r in range(rounds + 1):
        for q, _ in QUESTIONS:
            t0 = time.perf_counter()
            out = client.predict(q, api_name="/ask")
            dt = time.perf_counter() - t0
            assert out[8]["intent"] not in ("unknown", "error", "model"), (q, out[8]["intent"])
            if r:  # the first round warms imports and caches of the process
                times[q].append(dt)
    return times


def browser_runs(url: str, rounds: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = defaultdict(list)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(30_000)
        page.goto(url, wait_until="domcontentloaded")
        page.locator("#nb-upload input[type=file]").set_input_files([str(p) for p in REPORTS])
        for p_ in REPORTS:
            page.locator("#nb-chat").get_by_text(f"已载入报告“{p_.name}”").wait_for()
        box = page.locator("#nb-ask-input textarea")
        for r in range(rounds + 1):
            for q, done in QUESTIONS:
                before = page.locator("#nb-chat").get_by_text(done).count()
                box.fill(q)
                t0 = time.perf_counter()
                box.press("Enter")
                page.wait_for_function(
                    "([sel, n]) => document.querySelector('#nb-chat').innerText.split(sel).length - 1 > n",
                    arg=[done, before])
                if r:
                    times[q].append(time.perf_counter() - t0)
        browser.close()
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--browser-rounds", type=int, default=2)
    args = ap.parse_args()
    if not all(p.is_file() for p in REPORTS):
        print(f"缺少真实报告（{REALDATA}），无法测量。")
        return

    from assistant.chat import Workspace
    from assistant.draft.settings import LLMSettings
    from assistant.ui import launch

    app = launch(port=None, block=False, warm_index=False, quiet=True,
                 workspace_factory=lambda: Workspace(llm_settings=LLMSettings()))
    try:
        print(f"报告：{'、'.join(p.name for p in REPORTS)}；{len(QUESTIONS)} 个离线问题")
        api = api_runs(app.local_url, args.rounds)
        report("gradio_client（API）", [x for xs in api.values() for x in xs])
        per_question(api)
        if args.browser_rounds and CHROMIUM.exists():
            try:
                page = browser_runs(app.local_url, args.browser_rounds)
                report("浏览器（chromium，按回车到答案显示完毕）", [x for xs in page.values() for x in xs])
                per_question(page)
            except ImportError:
                print("浏览器：未安装 playwright，跳过。")
        elif args.browser_rounds:
            print("浏览器：没有 /usr/bin/chromium，跳过。")
    finally:
        app.close()


if __name__ == "__main__":
    main()
