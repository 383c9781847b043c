"""Retrieval settings, read from the environment in one place.

These are the options the retrieval stage reads. They live together here so
that they can move into the project's settings object as one piece; every
other module of the stage asks this one.

| variable | meaning | default |
|---|---|---|
| NIANBAO_DATA_DIR | where the embedded index and its caches live | ~/.local/share/nianbao |
| NIANBAO_CORPUS_DIR | the corpus `index build` reads | corpus/ beside the package |
| NIANBAO_CHROMA_URL | a Chroma server instead of the embedded one | none |
| NIANBAO_EMBED_THREADS | threads for embedding many passages (index build/add); 0 = from the machine | 0 |
| NIANBAO_QUERY_THREADS | threads for embedding one query | 1 |
| NIANBAO_INDEX_MAX_MB | largest file `index add` reads, in MB | 20 |
| NIANBAO_INDEX_MAX_PASSAGES | most passages one added file may give | 5000 |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return max(low, min(high, value))


@dataclass(frozen=True)
class RetrieveSettings:
    embed_threads: int  # 0: chosen from the machine at the time of the build
    query_threads: int
    max_file_bytes: int
    max_passages: int

    @property
    def max_file_mb(self) -> int:
        return self.max_file_bytes // (1024 * 1024)


def settings() -> RetrieveSettings:
    """The current settings (read each time: tests and long-lived processes may change the environment)."""
    return RetrieveSettings(
        embed_threads=_int("NIANBAO_EMBED_THREADS", 0, 0, 256),
        query_threads=_int("NIANBAO_QUERY_THREADS", 1, 1, 256),
        max_file_bytes=_int("NIANBAO_INDEX_MAX_MB", 20, 1, 4096) * 1024 * 1024,
        max_passages=_int("NIANBAO_INDEX_MAX_PASSAGES", 5000, 1, 10_000_000),
    )


def default_data_dir() -> Path:
    env = os.environ.get("NIANBAO_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".local" / "share" / "nianbao"


def default_corpus_dir() -> Path:
    env = os.environ.get("NIANBAO_CORPUS_DIR")
    if env:
        return Path(env).expanduser()
    # corpus/ sits at the top of the repository, beside the package.
    return Path(__file__).resolve().parents[2] / "corpus"


def default_chroma_url() -> Optional[str]:
    return os.environ.get("NIANBAO_CHROMA_URL") or None


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def bulk_threads() -> int:
    """Threads for a bulk embedding: the setting, or the cores other processes leave free (at least one)."""
    configured = settings().embed_threads
    cores = usable_cores()
    if configured:
        return min(configured, cores)
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return max(1, min(cores, round(cores - busy)))
