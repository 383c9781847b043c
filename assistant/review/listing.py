"""Reading an audit back: its reports, its findings with their decisions, one report in full.

The command line, the workbook and the UI all show these same rows.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ReviewError
from ..model import Report
from .store import Audit, Document, FindingRow, Issue, Store, open_store
from .worker import unpack

SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
STATUS_LABEL = {"open": "现存", "fixed": "已修正", "unverifiable": "无法核对", "gone": "报告已移除"}
DECISIONS = ("确认", "排除", "待定")
UNDECIDED = "未决定"


def local_time(dt: Optional[datetime]) -> str:
    """A stored (naive UTC) time as people read it: local, to the minute."""
    if dt is None:
        return ""
    return dt.replace(tzinfo=timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")


def _code_key(code: str) -> tuple[str, int]:
    m = re.match(r"([A-Z]+)(\d*)", code)
    return (m.group(1), int(m.group(2) or 0)) if m else (code, 0)


def get_audit(s: Session, name: str) -> Audit:
    audit = s.scalar(select(Audit).where(Audit.name == name))
    if audit is None:
        names = list(s.scalars(select(Audit.name).order_by(Audit.updated_at.desc()).limit(10)))
        known = f"现有审核：{'、'.join(names)}。" if names else "还没有任何审核，请先用 nianbao review run 创建。"
        raise ReviewError(f"没有名为“{name}”的审核。{known}")
    return audit


@dataclass
class AuditInfo:
    name: str
    reports: int
    unreadable: int
    errors: int
    warnings: int
    infos: int
    open: int
    undecided: int
    fixed: int
    updated: str


def audits(store: Optional[Store] = None) -> list[AuditInfo]:
    store = store or open_store()
    with store.read() as s:
        out = []
        for a in s.scalars(select(Audit).order_by(Audit.updated_at.desc())):
            docs = s.execute(select(func.count(), func.coalesce(func.sum(Document.errors), 0),
                                    func.coalesce(func.sum(Document.warnings), 0),
                                    func.coalesce(func.sum(Document.infos), 0))
                             .where(Document.audit_id == a.id)).one()
            bad = s.scalar(select(func.count()).select_from(Document).where(
                Document.audit_id == a.id, Document.status != "ok")) or 0
            st = Counter({r[0]: r[1] for r in s.execute(select(Issue.status, func.count()).where(
                Issue.audit_id == a.id).group_by(Issue.status))})
            undecided = s.scalar(select(func.count()).select_from(Issue).where(
                Issue.audit_id == a.id, Issue.status == "open", Issue.decision.is_(None))) or 0
            out.append(AuditInfo(a.name, docs[0], bad, docs[1], docs[2], docs[3], st["open"], undecided, st["fixed"],
                                 local_time(a.updated_at)))
        return out


@dataclass
class ReportRow:
    name: str
    agency: str
    year: Optional[int]
    edition: str
    format: str
    status: str  # "" or why it could not be read
    previous: str  # the file paired as last year's report
    copies: int  # documents of the same agency and year in the audit
    errors: int
    warnings: int
    infos: int
    unread: int
    uncertain: int
    unreadable_tables: str
    decisions: dict[str, int] = field(default_factory=dict)  # 确认/排除/待定/未决定/已修正/无法核对 -> count

    def decisions_text(self) -> str:
        return "，".join(f"{k} {v}" for k, v in self.decisions.items() if v) or "—"


def report_rows(name: str, store: Optional[Store] = None) -> list[ReportRow]:
    store = store or open_store()
    with store.read() as s:
        audit = get_audit(s, name)
        docs = list(s.execute(select(
            Document.id, Document.name, Document.agency, Document.year, Document.edition, Document.format,
            Document.status, Document.error, Document.previous_id, Document.report_key, Document.errors,
            Document.warnings, Document.infos, Document.unread_cells, Document.uncertain_cells,
            Document.unreadable_tables).where(Document.audit_id == audit.id)))
        names = {d.id: d.name for d in docs}
        copies = Counter(d.report_key for d in docs)
        tally: dict[str, Counter[str]] = defaultdict(Counter)
        for key, status, decision in s.execute(select(Issue.report_key, Issue.status, Issue.decision).where(
                Issue.audit_id == audit.id, Issue.status != "gone")):
            if status == "open":
                tally[key][decision or UNDECIDED] += 1
            else:
                tally[key][STATUS_LABEL[status]] += 1
    order = (*DECISIONS, UNDECIDED, STATUS_LABEL["fixed"], STATUS_LABEL["unverifiable"])
    rows = []
    for d in docs:
        tables = json.loads(d.unreadable_tables) if d.unreadable_tables else {}
        rows.append(ReportRow(
            name=d.name, agency=d.agency or "", year=d.year, edition=d.edition or "", format=d.format or "",
            status="" if d.status == "ok" else (d.error or "无法读取"),
            previous=names.get(d.previous_id, "") if d.previous_id else "",
            copies=copies[d.report_key], errors=d.errors, warnings=d.warnings, infos=d.infos,
            unread=d.unread_cells, uncertain=d.uncertain_cells,
            unreadable_tables="；".join(f"表{k}：{v}" for k, v in tables.items()),
            decisions={k: tally[d.report_key][k] for k in order},
        ))
    rows.sort(key=lambda r: (r.agency or "\uffff", r.year or 0, r.name))
    return rows


@dataclass
class IssueRow:
    fingerprint: str
    agency: str
    year: Optional[int]
    files: list[str]
    code: str
    severity: str
    location: str
    message: str
    computation: str
    expected: Any
    actual: Any
    basis: str
    status: str  # open / fixed / unverifiable / gone
    status_note: str
    decision: Optional[str]
    reason: str
    note: str
    decided_by: str
    decided_at: str
    revision: int
    refs: dict[str, Any] = field(default_factory=dict)
    cause: Optional[str] = None  # a consequence: the fingerprint of the root cause it follows from

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABEL.get(self.severity, self.severity)

    @property
    def status_label(self) -> str:
        return STATUS_LABEL.get(self.status, self.status)

    @property
    def caused_by(self) -> str:
        """For a consequence, the cause it follows from, in Chinese ("" for a finding of its own)."""
        return f"由指纹 {self.cause} 的问题引起，改正该原因后不再成立" if self.cause else ""

    @property
    def shown(self) -> str:
        """What a reviewer sees first: 已修正 (or 无法核对) once it is gone, else the decision."""
        if self.status != "open":
            return self.status_label
        return self.decision or UNDECIDED

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["severity_label"] = self.severity_label
        out["status_label"] = self.status_label
        return out


def _figure(text: Optional[str]) -> Any:
    return json.loads(text) if text else None


def issue_rows(name: str, store: Optional[Store] = None, *, document: Optional[str] = None,
               include_gone: bool = False) -> list[IssueRow]:
    """The audit's findings with their decisions; ``document``: only those of that file's report."""
    store = store or open_store()
    with store.read() as s:
        audit = get_audit(s, name)
        q = select(Issue).where(Issue.audit_id == audit.id)
        if not include_gone:
            q = q.where(Issue.status != "gone")
        if document is not None:
            key = s.scalar(select(Document.report_key).where(Document.audit_id == audit.id, Document.name == document))
            if key is None:
                raise ReviewError(f"审核“{name}”中没有文件“{document}”。")
            q = q.where(Issue.report_key == key)
        issues = list(s.scalars(q))
        files: dict[str, list[str]] = defaultdict(list)
        for fp, doc_name in s.execute(select(FindingRow.fingerprint, Document.name).join(
                Document, Document.id == FindingRow.document_id).where(Document.audit_id == audit.id)
                .order_by(Document.name)):
            if doc_name not in files[fp]:
                files[fp].append(doc_name)
    rows = [IssueRow(
        fingerprint=i.fingerprint, agency=i.agency or "", year=i.year, files=files.get(i.fingerprint, []),
        code=i.code, severity=i.severity, location=i.location, message=i.message, computation=i.computation or "",
        expected=_figure(i.expected), actual=_figure(i.actual), basis=i.basis, status=i.status,
        status_note=i.status_note or "", decision=i.decision, reason=i.reason or "", note=i.note or "",
        decided_by=i.decided_by or "", decided_at=local_time(i.decided_at), revision=i.revision,
        refs=json.loads(i.refs or "{}"), cause=i.cause,
    ) for i in issues]
    rows.sort(key=lambda r: (r.agency or "\uffff", r.year or 0, r.status != "open", SEVERITY_RANK.get(r.severity, 9),
                             _code_key(r.code), r.location, r.fingerprint))
    return rows


def document_report(name: str, document: str, store: Optional[Store] = None) -> Optional[Report]:
    """The report as read from one file of the audit (None when it could not be read)."""
    store = store or open_store()
    with store.read() as s:
        audit = get_audit(s, name)
        blob = s.execute(select(Document.report_blob).where(
            Document.audit_id == audit.id, Document.name == document)).first()
    if blob is None:
        raise ReviewError(f"审核“{name}”中没有文件“{document}”。")
    return unpack(blob[0]) if blob[0] is not None else None
