"""Which files in a folder are reports, and why the others are left alone.

A reviewer's folder holds more than reports: a README, notes, scans of a
signature page, spreadsheets. Those are listed as skipped with the reason, not
read as reports and not counted as failures. Files named on the command line
are always read: the user asked for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

REPORT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf"}
_TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
_IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".svg", ".heic"}
_SHEETS = {".xls", ".xlsx", ".csv", ".tsv", ".ods"}
_NOTES = {"README", "LICENSE", "LICENCE", "CHANGELOG", "CHANGES", "NOTES", "NOTE", "TODO", "说明", "备注", "自述"}
_PEEK = 64 * 1024
# What any annual report on disclosure has somewhere: its title, a section heading or a table label.
_MARKERS = re.compile(
    r"政府信息公开\s*(?:工作)?\s*年度?\s*报告|[一二三四五六]\s*[、．.]\s*(?:总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况)"
    r"|本年新收政府信息公开申请数量|第二十条第\s*[（(]\s*[一二三四五六七八九]\s*[）)]\s*项"
)


@dataclass
class Skipped:
    path: Path
    reason: str  # Chinese, for people


def skip_reason(path: Path) -> str | None:
    """Why a file found in a folder is not read as a report; None if it should be read."""
    head: bytes | None = None
    if path.suffix.lower() in _TEXT_SUFFIXES and skip_reason_for(path.name, None) is None:
        try:
            with path.open("rb") as f:
                head = f.read(_PEEK)
        except OSError:
            return None  # the reader reports what cannot be opened
    return skip_reason_for(path.name, head)


def skip_reason_for(name: str, head: bytes | None) -> str | None:
    """Why a file called ``name`` (a folder's file, a zip's member) is not read as a report.

    ``head``: the first bytes of a text file (up to 64 KB), looked at for a
    report's title, sections or table labels; None when not read (yet).
    """
    path = Path(name)
    suffix = path.suffix.lower()
    if suffix in _IMAGES:
        return "图片文件，不是年度报告全文"
    if suffix in _SHEETS:
        return "表格文件，不是年度报告全文"
    if suffix not in REPORT_SUFFIXES:
        return f"不是报告文件类型（扩展名 {suffix or '无'}）"
    if path.stem.upper() in _NOTES or path.stem in _NOTES:
        return "说明文件（README 等），不是年度报告"
    if suffix in _TEXT_SUFFIXES and head is not None:
        head = head[:_PEEK]
        texts = (head.decode("utf-8", errors="ignore"), head.decode("gb18030", errors="ignore"))
        if head.strip() and not any(_MARKERS.search(t) for t in texts):
            return "文本中没有年度报告的标题、章节或表格，不是年度报告"
    return None


@dataclass
class Found:
    reports: list[Path]  # to read, in the order given (a folder's files sorted)
    skipped: list[Skipped]
    in_folders: set[Path]  # reports found inside a folder rather than named

    def optional(self, path: Path) -> bool:
        """Whether a file that turns out not to be a report is skipped rather than an error."""
        return path in self.in_folders


def find_reports(paths: Iterable[str | Path]) -> Found:
    """Files as given; folders expand to the reports inside (recursively, sorted) and what was skipped."""
    reports: list[Path] = []
    skipped: list[Skipped] = []
    inside: set[Path] = set()
    for p in map(Path, paths):
        if not p.is_dir():
            reports.append(p)
            continue
        for f in sorted(p.rglob("*")):
            if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                continue
            why = skip_reason(f)
            if why is None:
                reports.append(f)
                inside.add(f)
            else:
                skipped.append(Skipped(f, why))
    return Found(reports, skipped, inside)
