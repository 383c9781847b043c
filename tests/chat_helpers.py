"""Shared by the chat, ask and UI tests: the report paths and a small regulation index."""

from __future__ import annotations

from pathlib import Path

from conftest import HUAIAN, LINZI, REALDATA, ROOT  # noqa: F401 - the real reports, for these tests

REFERENCE = ROOT / "evals" / "reference"
QINGHE_2022 = REFERENCE / "qinghe-city-2022" / "report.txt"
QINGHE_2023 = REFERENCE / "qinghe-city-2023" / "report.txt"
REGULATIONS = ROOT / "corpus" / "regulations"


def workspace(*paths: Path, previous: Path | None = None):
    """A workspace without a model, holding these reports (and last year's)."""
    from assistant.chat import Workspace
    from assistant.draft.settings import LLMSettings

    ws = Workspace(llm_settings=LLMSettings())
    for p in paths:
        ws.load(p.read_bytes(), p.name)
    if previous is not None:
        ws.load(previous.read_bytes(), previous.name, previous=True)
    return ws


def _chapter_five(tiaoli: str) -> str:
    """The regulation's front matter and its chapter on supervision (articles 47 to 55).

    Embedding the whole corpus takes a minute on two cores; the chapter that
    holds the annual-report articles answers "which article…" just as well.
    """
    head, rest = tiaoli.split("## 第一章", 1)
    chapter = rest[rest.index("## 第五章"):rest.index("## 第六章")]
    return head + chapter


def build_regulation_index(folder: Path) -> Path:
    """A Chroma folder holding the regulation's chapter five and the 2021 format notice."""
    from assistant.retrieve import Index

    index = Index(data_dir=folder)
    excerpt = folder / "tiaoli-2019.md"
    excerpt.write_text(_chapter_five((REGULATIONS / "tiaoli-2019.md").read_text(encoding="utf-8")), encoding="utf-8")
    index.add_file(excerpt)
    index.add_file(REGULATIONS / "format-notice-2021.md")
    return folder
