"""Shared pieces of the retrieval benchmarks: generated passages, their vectors, a Chroma server, percentiles."""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.retrieve.chunks import Chunk, content_id  # noqa: E402
from assistant.retrieve.config import default_corpus_dir  # noqa: E402
from assistant.retrieve.split import iter_corpus_files, split_file  # noqa: E402
from assistant.retrieve.store import corpus_source_name  # noqa: E402

PLACES = ["江川省", "临河市", "青石县", "白沙镇", "东城区", "北岸县", "南湖区", "西山市", "云溪县", "石门镇",
          "长丰县", "安平市", "河口镇", "清水县", "平湖区", "梅岭乡", "金川市", "玉泉区", "龙口县", "桃源镇"]
BODIES = ["人民政府", "人民政府办公室", "发展和改革委员会", "教育局", "公安局", "民政局", "财政局",
          "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局",
          "农业农村局", "商务局", "卫生健康委员会", "应急管理局", "市场监督管理局", "统计局", "医疗保障局"]


def corpus_chunks() -> list[Chunk]:
    root = default_corpus_dir()
    out: list[Chunk] = []
    for p in iter_corpus_files(root):
        out.extend(split_file(p, corpus_source_name(p, root)))
    return out


def make_chunks(n: int, seed: int = 7, tag: str = "bench") -> list[tuple[Chunk, Chunk]]:
    """n passages like the corpus's: its regulation passages once, then report passages re-issued.

    Report passages are given to other (fictional) agencies and years with
    their figures changed, so texts are distinct and as long as real ones;
    twelve passages make one "report". Returns (passage, the corpus passage it
    was made from).
    """
    rnd = random.Random(seed)
    base = corpus_chunks()
    regs = [c for c in base if c.meta.get("kind") == "regulation"]
    reports = [c for c in base if c.meta.get("kind") == "report"]
    out = [(c, c) for c in regs[:n]]
    i = 0
    while len(out) < n:
        src = reports[i % len(reports)]
        i += 1
        agency = rnd.choice(PLACES) + rnd.choice(BODIES)
        year = rnd.randint(2019, 2025)
        old_agency = str(src.meta.get("agency", ""))
        text = src.text.replace(old_agency, agency) if old_agency else src.text
        text = re.sub(r"20(19|2\d)年", f"{year}年", text)
        text = re.sub(r"\d+", lambda m: str(max(0, int(m.group()) + rnd.randint(-3, 9)))
                      if len(m.group()) < 4 else m.group(), text)
        meta = dict(src.meta, agency=agency, year=year, source=f"{tag}/{i // 12}", position=i % 12,
                    source_id=content_id(f"{tag}-{i // 12}".encode()), source_chunks=12)
        out.append((Chunk(text=text, meta=meta), src))
    return out


def synthetic_vectors(pairs: list[tuple[Chunk, Chunk]], base_vectors, rnd: np.random.Generator) -> np.ndarray:
    """For each generated passage, the real vector of the corpus passage it was made from, plus noise."""
    base = np.stack([base_vectors.get(src.text) for _, src in pairs]).astype(np.float32)
    noisy = base + rnd.normal(0.0, 0.02, size=base.shape).astype(np.float32)
    return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


def questions() -> list[str]:
    data = yaml.safe_load((ROOT / "evals" / "retrieval" / "questions.yaml").read_text(encoding="utf-8"))
    return [q["q"] for q in data]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chroma_server(path: Path) -> Iterator[tuple[str, int]]:
    """`chroma run` on 127.0.0.1 (a free port), stopped on exit; yields (url, pid)."""
    exe = Path(sys.executable).with_name("chroma")
    port = free_port()
    proc = subprocess.Popen([str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env=dict(os.environ, ANONYMIZED_TELEMETRY="False"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("chroma run did not start within 60 s")
                time.sleep(0.3)
        yield url, proc.pid
    finally:
        stop_group(proc)


def stop_group(proc: subprocess.Popen, grace: float = 15) -> None:
    """Stop a process started with start_new_session=True, and everything it started."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def memory_of(pid: int) -> tuple[Optional[int], Optional[int]]:
    """(current, peak) resident memory of a process in bytes, from /proc."""
    cur = peak = None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                cur = int(line.split()[1]) * 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) * 1024
    except OSError:
        pass
    return cur, peak


def disk_usage(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_blocks * 512
            except OSError:
                pass
    return total


def mib(n: Optional[float]) -> str:
    return "—" if n is None else f"{n / 2**20:,.0f} MiB"
