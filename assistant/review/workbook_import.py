"""Reading a filled-in audit workbook back, as Excel or WPS saved it.

For each finding row (found by its fingerprint, whatever the order of rows or
columns), the decision, reason and note in the workbook are compared with what
was exported (the hidden 导出信息 sheet) and with the database now:

- the workbook left it as exported: nothing to do;
- changed in the workbook, not in the database since the export: stored;
- changed in both, to different things: a conflict, listed and not
  overwritten (the reviewer decides again);
- changed in both to the same thing: already agreed.

Rows that cannot be used (an unknown decision word, 排除 without a reason, a
fingerprint the audit does not have) are listed with their row number.
Nothing is stored unless the whole workbook could be read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import select

from ..errors import NianbaoError, ReviewError
from .decisions import apply, read_decision, reviewer
from .listing import get_audit, local_time
from .store import Issue, Store, open_store
from .workbook import ISSUE_HEADERS, ISSUES_SHEET, MARKER, META_HEADERS, META_SHEET

MAX_BYTES = 50 * 1024 * 1024  # an audit workbook of many thousand findings is a few MB
MAX_UNPACKED = 500 * 1024 * 1024
MAX_COLUMNS = 64


@dataclass
class Conflict:
    fingerprint: str
    location: str
    workbook: str  # the decision as the workbook has it: "排除（理由：…）；备注：…"
    database: str  # as the database has it now
    decided_by: str
    decided_at: str


@dataclass
class ImportResult:
    applied: list[tuple[str, str, str]] = field(default_factory=list)  # (fingerprint, location, new decision)
    unchanged: int = 0
    agreed: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, fingerprint, why)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _shown(decision: Optional[str], reason: Optional[str], note: Optional[str]) -> str:
    text = decision or "未决定"
    if reason:
        text += f"（理由：{reason}）"
    if note:
        text += f"；备注：{note}"
    return text


def _open(path: Path) -> Any:
    from ..ledger.xlsx import XlsxBook

    if not path.is_file():
        raise ReviewError(f"找不到审核工作簿：{path}")
    if path.stat().st_size > MAX_BYTES:
        raise ReviewError(f"工作簿超过 {MAX_BYTES // (1024 * 1024)} MB，不是年报助手导出的审核工作簿。")
    try:
        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise ReviewError("工作簿解压后过大，无法读取。")
    except zipfile.BadZipFile:
        raise ReviewError("这个文件不是 .xlsx 工作簿（可能已损坏，或是旧版 .xls）。请在 Excel 或 WPS 中另存为 .xlsx。") from None
    try:
        return XlsxBook(path, MAX_COLUMNS)
    except NianbaoError as exc:
        raise ReviewError(exc.message) from None


def read_workbook(path: str | Path) -> tuple[str, dict[str, tuple[int, str, str, str]], list[tuple[int, dict[str, str]]]]:
    """(audit name, exported values by fingerprint, the finding rows with their row numbers)."""
    book = _open(Path(path))
    try:
        sheets = {s.name: s for s in book.sheets}
        if META_SHEET not in sheets or ISSUES_SHEET not in sheets:
            raise ReviewError("这不是年报助手导出的审核工作簿（缺少“问题”表或隐藏的导出信息），无法导入。")
        meta_rows = list(book.rows(sheets[META_SHEET]))
        if not meta_rows or not meta_rows[0] or meta_rows[0][0] != MARKER:
            raise ReviewError("这不是年报助手导出的审核工作簿（导出信息已被改动），无法导入。")
        audit = _text(meta_rows[1][1]) if len(meta_rows) > 1 and len(meta_rows[1]) > 1 else ""
        exported: dict[str, tuple[int, str, str, str]] = {}
        for row in meta_rows[4:]:
            cells = [_text(v) for v in row] + [""] * len(META_HEADERS)
            if cells[0]:
                try:
                    revision = int(cells[1] or 0)
                except ValueError:
                    raise ReviewError("工作簿的导出信息已损坏，无法导入。") from None
                exported[cells[0]] = (revision, cells[2], cells[3], cells[4])
        rows = book.rows(sheets[ISSUES_SHEET])
        header = [_text(v) for v in next(rows, ())]
        where = {h: header.index(h) for h in ISSUE_HEADERS if h in header}
        missing = [h for h in ("指纹", "决定", "排除理由", "备注") if h not in where]
        if missing:
            raise ReviewError(f"“问题”表缺少列：{'、'.join(missing)}，无法导入。")
        found = []
        for n, row in enumerate(rows, start=2):
            values = {h: _text(row[i]) if i < len(row) else "" for h, i in where.items()}
            if any(values.values()):
                found.append((n, values))
        return audit, exported, found
    finally:
        book.close()


def import_workbook(name: str, path: str | Path, *, by: Optional[str] = None,
                    store: Optional[Store] = None) -> ImportResult:
    """Store the decisions a reviewer filled into the workbook at ``path`` in the audit ``name``."""
    audit_name, exported, rows = read_workbook(path)
    if audit_name and audit_name != name:
        raise ReviewError(f"这个工作簿导出自审核“{audit_name}”，不是“{name}”；请导入到原来的审核。")
    who = reviewer(by)
    result = ImportResult()
    wanted: list[tuple[int, str, Optional[str], str, str]] = []
    for n, values in rows:
        fp = values.get("指纹", "").lower()
        if not fp:
            result.problems.append((n, "", "没有指纹，无法对应到问题"))
            continue
        try:
            decision = read_decision(values.get("决定"))
        except ReviewError as exc:
            result.problems.append((n, fp, exc.message))
            continue
        reason, note = values.get("排除理由", ""), values.get("备注", "")
        if decision == "排除" and not reason:
            result.problems.append((n, fp, "选择“排除”时必须填写排除理由"))
            continue
        wanted.append((n, fp, decision, reason if decision == "排除" else "", note))

    store = store or open_store()
    with store.write() as s:
        audit = get_audit(s, name)
        fps = [w[1] for w in wanted]
        issues: dict[str, Issue] = {}
        for start in range(0, len(fps), 500):
            q = select(Issue).where(Issue.audit_id == audit.id, Issue.fingerprint.in_(fps[start:start + 500]))
            if store.kind == "postgresql":
                q = q.with_for_update()
            issues.update({i.fingerprint: i for i in s.scalars(q)})
        for n, fp, decision, reason, note in wanted:
            issue = issues.get(fp)
            base = exported.get(fp)
            if issue is None or base is None:
                result.problems.append((n, fp, "本审核中没有这个指纹的问题（指纹被改动，或不是本审核导出的）"))
                continue
            _revision, b_decision, b_reason, b_note = base
            try:
                b_value = read_decision(b_decision) if b_decision else None
            except ReviewError:
                raise ReviewError("工作簿的导出信息已被改动，无法导入。") from None
            exported_as = (b_value, (b_reason or None) if b_value == "排除" else None, b_note or None)
            mine = (decision, reason or None, note or None)
            if mine == exported_as:
                result.unchanged += 1
                continue
            theirs = (issue.decision, issue.reason, issue.note)
            if theirs == mine:
                result.agreed += 1
                continue
            if theirs != exported_as:
                # Changed in the database since the export, and to something else: the reviewer decides again.
                result.conflicts.append(Conflict(fp, issue.location, _shown(*mine), _shown(*theirs),
                                                 issue.decided_by or "", local_time(issue.decided_at)))
                continue
            apply(s, issue, decision, reason, note, who, "工作簿")
            result.applied.append((fp, issue.location, decision or "未决定"))
    return result
