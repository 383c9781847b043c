"""Shared by the chat, ask and UI tests: the real reports and a small regulation index."""

from __future__ import annotations

import atexit
import shutil
import socket
import tempfile
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
LINZI = REALDATA / "linzi-district-office-2019.txt"
HUAIAN = REALDATA / "huaian-city-2024.pdf"
REFERENCE = ROOT / "evals" / "reference"
QINGHE_2022 = REFERENCE / "qinghe-city-2022" / "report.txt"
QINGHE_2023 = REFERENCE / "qinghe-city-2023" / "report.txt"
REGULATIONS = ROOT / "corpus" / "regulations"


def _chapter_five(tiaoli: str) -> str:
    """The regulation's front matter and its chapter on supervision (articles 47 to 55).

    Embedding the whole corpus takes a minute on two cores; the chapter that
    holds the annual-report articles answers "which article…" just as well.
    """
    head, rest = tiaoli.split("## 第一章", 1)
    chapter = rest[rest.index("## 第五章"):rest.index("## 第六章")]
    return head + chapter


@lru_cache(maxsize=1)
def regulation_index_dir() -> Path:
    """A Chroma folder holding the regulation and the 2021 format notice, built once per run."""
    from assistant.retrieve import Index

    folder = Path(tempfile.mkdtemp(prefix="nianbao-chat-index-"))
    atexit.register(shutil.rmtree, folder, True)
    index = Index(data_dir=folder)
    excerpt = folder / "tiaoli-2019.md"
    excerpt.write_text(_chapter_five((REGULATIONS / "tiaoli-2019.md").read_text(encoding="utf-8")), encoding="utf-8")
    index.add_file(excerpt)
    index.add_file(REGULATIONS / "format-notice-2021.md")
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
