"""A model endpoint that hangs or trickles (issue 13): the draft falls back within its time budget, and says so.

The real ChatOpenAI client talks HTTP to a stub on 127.0.0.1 that never
answers (``Hang``), or to a raw socket that sends one byte at a time forever.
The command shows each attempt ("第2次尝试，已等待…秒"), gives up at the budget
(``NIANBAO_LLM_BUDGET``, 60 s by default, retries included) and drafts
offline, saying plainly that it did.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import bombs
import pytest
import yaml
from hostile_child import assert_bounded, created_outside, run
from llm_stub import Hang, StubLLM

from assistant.draft import draft_report, load_facts
from assistant.draft.settings import LLMSettings
from assistant.settings import Settings

pytestmark = pytest.mark.slow  # each case runs a real command or server in a child process: seconds apiece


def facts_file(tmp_path: Path) -> Path:
    data = yaml.safe_load(bombs.FACTS.read_text(encoding="utf-8"))
    data["extra"] = [{"label": "收取信息处理费", "value": 0, "unit": "元"}]
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_default_budget_is_at_most_a_minute_retries_included():
    s = Settings.from_mapping({})
    assert s.llm_budget <= 60
    assert s.llm_timeout * 2 <= s.llm_budget  # room for a second attempt within it


def test_a_hanging_endpoint_falls_back_within_the_budget_with_progress(tmp_path):
    box = tmp_path / "box"
    out = box / "data" / "draft.md"
    out.parent.mkdir(parents=True)
    with StubLLM(lambda messages: Hang()) as stub:
        env = {"NIANBAO_LLM_BASE_URL": stub.base_url, "NIANBAO_LLM_MODEL": "stub", "NIANBAO_LLM_API_KEY": "k",
               "NIANBAO_LLM_TIMEOUT": "2", "NIANBAO_LLM_BUDGET": "5"}
        r = run(["draft", str(facts_file(tmp_path)), "--model", "--out", str(out)], env=env, sandbox=box)
        asked = len(stub.requests)
    assert r.code == 0, r.err
    assert_bounded(r)
    # The model was waited for no longer than the budget (the rest is starting Python, retrieval, drafting offline).
    waited = re.search(r"模型调用超时：(\d+)秒内没有给出可用的答复", r.err)
    assert waited and int(waited.group(1)) <= 5, r.err
    assert "第2次尝试，已等待2秒" in r.err and "第3次尝试，已等待4秒" in r.err
    assert "模型调用超时" in r.err and "时限5秒，共尝试3次" in r.err and "改用离线起草" in r.err
    assert "起草方式：离线起草" in r.err
    assert asked == 3  # one section asked, three times; the rest were not asked at all
    assert "青禾市人民政府" in out.read_text(encoding="utf-8")
    assert created_outside(box) == []


class Trickle:
    """An HTTP server that answers with headers, then one byte of body every ``every`` seconds, forever."""

    def __init__(self, every: float = 0.3) -> None:
        self.every = every
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            while not self.stop.is_set():
                conn.sendall(b" ")
                time.sleep(self.every)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_an_endpoint_that_trickles_bytes_forever_cannot_hold_the_draft():
    # httpx's timeout is between bytes, so a server that keeps sending never trips it; the budget still holds.
    from langchain_openai import ChatOpenAI  # noqa: F401 - imported before the clock starts: a second, not the model's

    facts = load_facts(bombs.FACTS)
    trickle = Trickle()
    progress: list[str] = []
    try:
        settings = LLMSettings(base_url=trickle.base_url, api_key="k", model="stub", timeout=1.5, max_retries=1,
                               budget=3)
        t0 = time.monotonic()
        result = draft_report(facts, "model", settings=settings, on_progress=progress.append,
                              passages=lambda key, f: [])  # no retrieval: only the model's time is measured
        seconds = time.monotonic() - t0
    finally:
        trickle.close()
    assert seconds < 3 + 0.5  # the budget, and a moment to give up
    assert result.drafter_used == "offline"
    assert progress and progress[0].startswith("第2次尝试")
    assert any("模型调用超时" in n and "改用离线起草" in n for n in result.notes)
    assert result.verdict.clean
