"""The UI against hostile users (issue 13): capped upload workers, a bomb beside a question, login attempts.

- ``parse_upload`` reads in a child process with an address-space cap and a
  time cap: a file that gets past the limits still cannot bloat or stall the
  server, and the server never holds its contents.
- A bomb uploaded while another user asks a question: the question answers in
  under a second, and the server's memory comes back to within 200 MB of
  where it started (the server runs in its own process, measured from /proc).
- Wrong passwords are limited per client, with Chinese answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import bombs
import httpx
import pytest
from hostile_child import MIB, ROOT

from assistant.errors import ReadError
from assistant.parse import parse_file
from assistant.parse.worker import parse_upload
from assistant.settings import reset_settings
from assistant.ui.login import LoginLimiter

LIFTED = {  # the limits out of the way, so the bomb reaches the reader and only the worker's cap stops it
    "NIANBAO_MAX_PART_MB": "2000", "NIANBAO_MAX_PARAGRAPHS": "100000000", "NIANBAO_MAX_XML_ELEMENTS": "1000000000",
    "NIANBAO_MAX_TEXT_CHARS": "1000000000", "NIANBAO_MAX_UNZIPPED_MB": "4000",
}


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _lift(monkeypatch, **more: str) -> None:
    for name, value in {**LIFTED, **more}.items():
        monkeypatch.setenv(name, value)
    reset_settings()


# ------------------------------------------------------------------ the upload worker


def test_an_upload_is_read_in_a_worker_as_it_would_be_here():
    got = parse_upload(bombs.DOCX, "report.docx")
    want = parse_file(bombs.DOCX)
    want.file = got.file
    assert got.model_dump() == want.model_dump()


def test_the_worker_refuses_over_a_limit_with_the_limit_named(tmp_path):
    bomb = bombs.docx_paragraphs(tmp_path / "p.docx", 500_000)
    with pytest.raises(ReadError, match="NIANBAO_MAX_PARAGRAPHS"):
        parse_upload(bomb, "p.docx")


@pytest.mark.slow
def test_a_bomb_past_the_limits_hits_the_workers_memory_cap_not_the_server(tmp_path, monkeypatch):
    bomb = bombs.docx_paragraphs(tmp_path / "p.docx", 6_000_000)
    _lift(monkeypatch, NIANBAO_UPLOAD_MEMORY_MB="500")
    before = rss(os.getpid())
    t0 = time.monotonic()
    with pytest.raises(ReadError, match="用尽了 500 MB 的内存上限.*NIANBAO_UPLOAD_MEMORY_MB"):
        parse_upload(bomb, "p.docx")
    assert time.monotonic() - t0 < 30
    assert rss(os.getpid()) - before < 50 * MIB  # the server never held it


def test_a_slow_file_is_stopped_at_the_time_cap(tmp_path, monkeypatch):
    base = bombs.TEXT.read_bytes()
    slow = tmp_path / "slow.txt"
    slow.write_bytes(base + base.split(b"\n", 1)[1] * 3000)  # ~20 MB of report text: seconds to read
    _lift(monkeypatch, NIANBAO_UPLOAD_SECONDS="1")
    t0 = time.monotonic()
    with pytest.raises(ReadError, match="超过 1 秒仍未完成.*NIANBAO_UPLOAD_SECONDS"):
        parse_upload(slow, "slow.txt")
    assert time.monotonic() - t0 < 5


# ------------------------------------------------------------------ a bomb beside a question

SERVER = """
import sys, threading
from assistant.chat import Workspace
from assistant.draft.settings import LLMSettings
from assistant.parse.worker import warm
from assistant.ui import launch
warm()
app = launch(port=None, block=False, warm_index=False, quiet=True,
             workspace_factory=lambda: Workspace(llm_settings=LLMSettings()))
print(app.local_url, flush=True)
threading.Event().wait()
"""


@pytest.mark.slow
def test_a_bomb_upload_neither_slows_another_users_question_nor_bloats_the_server(tmp_path):
    from gradio_client import Client, handle_file

    bomb = bombs.docx_paragraphs(tmp_path / "bomb.docx", 6_000_000)
    env = dict(os.environ, PYTHONPATH=str(ROOT), NIANBAO_UPLOAD_MEMORY_MB="700", GRADIO_ANALYTICS_ENABLED="False",
               **LIFTED)
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              env=env, cwd=tmp_path, text=True)
    try:
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        # Warm up as a real server would be: a user has loaded a report and asked once.
        user = Client(url, verbose=False)
        user.predict([handle_file(str(bombs.TEXT))], False, api_name="/upload")
        user.predict("哪些合计对不上", api_name="/ask")
        time.sleep(1)
        start = rss(server.pid)

        attacker = Client(url, verbose=False)
        done: dict[str, float] = {}

        def attack() -> None:
            out = attacker.predict([handle_file(str(bomb))], False, api_name="/upload")
            done["bomb"] = time.monotonic()
            done["errors"] = out[8]["errors"]

        thread = threading.Thread(target=attack)
        thread.start()
        time.sleep(1.5)  # the bomb is being read by now
        t0 = time.monotonic()
        out = user.predict("哪些合计对不上", api_name="/ask")
        asked = time.monotonic() - t0
        done["question"] = time.monotonic()
        thread.join(60)
        assert out[8]["intent"] == "check"
        assert asked < 1.0, f"the question took {asked:.2f} s beside the bomb"
        assert done["question"] < done["bomb"], "the bomb was over before the question was asked"
        assert any("内存上限" in e for e in done["errors"]), done["errors"]
        time.sleep(1)
        after = rss(server.pid)
        print(f"question beside the bomb {asked * 1000:.0f} ms; server {start / MIB:.0f} → {after / MIB:.0f} MiB")
        assert after - start < 200 * MIB, f"server memory {start / MIB:.0f} → {after / MIB:.0f} MiB"
    finally:
        server.kill()
        server.wait(10)


# ------------------------------------------------------------------ login attempts


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _call(limiter: LoginLimiter, client: str, path: str = "/login") -> tuple[int, bytes]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await limiter({"type": "http", "method": "POST", "path": path, "client": (client, 1)}, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


def _app(status_for: dict[str, int]):
    async def app(scope, receive, send):
        status = status_for[scope["client"][0]]
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b'{"detail":"Incorrect credentials."}'})
    return app


def test_five_wrong_passwords_then_a_wait_per_client():
    import asyncio

    clock = Clock()
    answers = {"10.0.0.1": 400, "10.0.0.2": 400}
    limiter = LoginLimiter(_app(answers), attempts=5, wait=60, clock=clock)
    said = [asyncio.run(_call(limiter, "10.0.0.1")) for _ in range(5)]
    assert [s for s, _ in said] == [400] * 5
    assert "还可再试 4 次" in said[0][1].decode() and "已连续输错 5 次" in said[4][1].decode()
    status, body = asyncio.run(_call(limiter, "10.0.0.1"))
    assert status == 429 and "登录尝试过于频繁：请在 60 秒后再试" in body.decode()
    answers["10.0.0.1"] = 200  # even the right password waits
    assert asyncio.run(_call(limiter, "10.0.0.1"))[0] == 429
    assert asyncio.run(_call(limiter, "10.0.0.2"))[0] == 400  # another client is not locked out
    assert asyncio.run(_call(limiter, "10.0.0.1", "/gradio_api/info"))[0] == 200  # only the login route
    clock.now += 61
    assert asyncio.run(_call(limiter, "10.0.0.1"))[0] == 200


def test_wrong_passwords_spread_over_more_than_the_window_are_not_locked():
    import asyncio

    clock = Clock()
    limiter = LoginLimiter(_app({"c": 400}), attempts=3, wait=10, clock=clock)
    for _ in range(6):
        assert asyncio.run(_call(limiter, "c"))[0] == 400
        clock.now += 6  # never three within ten seconds


@pytest.mark.slow
def test_forty_wrong_passwords_in_a_second_check_only_five(monkeypatch):
    from assistant.chat import Workspace
    from assistant.draft.settings import LLMSettings
    from assistant.ui import launch

    monkeypatch.setenv("NIANBAO_LOGIN_WAIT", "2")
    reset_settings()
    app = launch(port=None, auth=("reviewer", "right"), block=False, warm_index=False, quiet=True,
                 workspace_factory=lambda: Workspace(llm_settings=LLMSettings()))
    try:
        url = app.local_url.rstrip("/")
        answers = [httpx.post(url + "/login", data={"username": "reviewer", "password": f"guess{i}"})
                   for i in range(40)]
        assert [a.status_code for a in answers[:5]] == [400] * 5
        assert {a.status_code for a in answers[5:]} == {429}
        assert "请在" in answers[-1].json()["detail"] and answers[-1].headers["retry-after"]
        assert httpx.post(url + "/login", data={"username": "reviewer", "password": "right"}).status_code == 429
        time.sleep(2.1)
        assert httpx.post(url + "/login", data={"username": "reviewer", "password": "right"}).status_code == 200
    finally:
        app.close()
