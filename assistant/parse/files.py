"""Which files in a folder are reports, and why the others are left alone.

A reviewer's folder holds more than reports: a README, notes, scans of a
signature page, spreadsheets. Those are listed as skipped with the reason, not
read as reports and not counted as failures. Files named on the command line
are always read: the user asked for them.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import os_reason
from .encoding import traditional_report, wide_unicode
from .layout import ReadError

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
        wide = wide_unicode(head)
        texts = ((head.decode(wide, errors="ignore"),) if wide else
                 (head.decode("utf-8", errors="ignore"), head.decode("gb18030", errors="ignore")))
        if head.strip() and not any(_MARKERS.search(t) for t in texts) and not traditional_report(head):
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
    """Files as given; folders expand to the reports inside (recursively, sorted) and what was skipped.

    What cannot be looked into is listed, never passed over in silence: a
    subfolder the system will not list, a symbolic link that loops or points
    nowhere, a link to a folder (not followed, so no folder is read twice or
    forever).
    """
    reports: list[Path] = []
    skipped: list[Skipped] = []
    inside: set[Path] = set()
    for p in map(Path, paths):
        if not p.is_dir():
            reports.append(p)
            continue
        found: list[tuple[Path, str | None]] = []
        for f, why in _walk(p):
            if any(part.startswith(".") for part in f.relative_to(p).parts):
                continue
            found.append((f, why if why is not None else skip_reason(f)))
        for f, why in sorted(found, key=lambda item: item[0]):
            if why is None:
                reports.append(f)
                inside.add(f)
            else:
                skipped.append(Skipped(f, why))
    return Found(reports, skipped, inside)


def _walk(root: Path) -> Iterator[tuple[Path, str | None]]:
    """Every file under ``root`` (None) and every entry that cannot be read as one (with the reason)."""
    problems: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=problems.append):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # hidden folders are not read
        for name in dirs:
            if (here / name).is_symlink():
                yield here / name, "指向文件夹的符号链接，未进入（以免重复或循环读取）"
        for name in files:
            f = here / name
            if f.is_file():
                yield f, None
            elif f.is_symlink():
                yield f, _link_problem(f)
        while problems:
            yield _folder_problem(problems.pop(0))
    while problems:
        yield _folder_problem(problems.pop(0))


def file_error(exc: OSError, path: Path) -> ReadError:
    """Why a file could not be opened, in Chinese, for every way the system can refuse it."""
    if isinstance(exc, FileNotFoundError):
        return ReadError(f"找不到文件：{path}", "not_found")
    if isinstance(exc, IsADirectoryError):
        return ReadError(f"这是一个文件夹，不是文件：{path}", "is_directory")
    if isinstance(exc, PermissionError):
        return ReadError(f"没有权限读取文件：{path}", "permission")
    if exc.errno == errno.ELOOP:
        return ReadError(f"无法打开 {path}：符号链接循环指向自身，找不到实际的文件。", "symlink_loop")
    if exc.errno == errno.ENAMETOOLONG:
        return ReadError(f"无法打开文件：路径过长（{str(path)[:60]}…）。", "unreadable")
    return ReadError(f"无法读取文件 {path}（{os_reason(exc)}）。", "unreadable")


def _link_problem(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "符号链接循环指向自身，找不到实际的文件"
        if isinstance(exc, FileNotFoundError):
            return "符号链接指向的文件不存在"
        return f"无法打开符号链接指向的文件（{os_reason(exc)}）"
    return "符号链接指向的不是普通文件"


def _folder_problem(exc: OSError) -> tuple[Path, str]:
    where = Path(exc.filename) if exc.filename else Path(".")
    if isinstance(exc, PermissionError):
        return where, "没有权限读取这个文件夹，其中的文件未检查"
    return where, f"无法读取这个文件夹（{os_reason(exc)}），其中的文件未检查"
