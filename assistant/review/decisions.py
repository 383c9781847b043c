"""A reviewer's decision on a finding: 确认 (the report must be corrected), 排除 (not a problem,
with the reason) or 待定, with a note, who decided and when.

Decisions belong to a finding's fingerprint, not to a file or a run, so they
carry over to re-runs, renamed files and corrected re-uploads. Each change
raises the finding's ``revision`` and is kept in ``decision_events``; the
workbook import uses the revision to tell a decision changed in the database
since the export from one that was not.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ReviewError
from ..settings import get_settings
from .listing import DECISIONS, UNDECIDED, get_audit
from .store import DecisionEvent, Issue, Store, open_store, utcnow

_ALIASES = {
    "确认": "确认", "确定": "确认", "confirm": "确认", "confirmed": "确认",
    "排除": "排除", "dismiss": "排除", "dismissed": "排除", "exclude": "排除",
    "待定": "待定", "pending": "待定",
}
_CLEARED = {"", UNDECIDED, "清除", "none", "clear"}


def read_decision(text: Optional[str]) -> Optional[str]:
    """确认 / 排除 / 待定 from what a person wrote (English words too); None: no decision."""
    value = (text or "").strip()
    if value.lower() in _CLEARED or value in _CLEARED:
        return None
    found = _ALIASES.get(value) or _ALIASES.get(value.lower())
    if found is None:
        raise ReviewError(f"无法识别的决定“{value}”：应为{'、'.join(DECISIONS)}之一（或“{UNDECIDED}”以清除）。")
    return found


def reviewer(by: Optional[str] = None) -> str:
    """Who is deciding: ``by``, else NIANBAO_REVIEWER, else the login name."""
    name = (by or "").strip() or (get_settings().reviewer or "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "未署名"
    return name[:200]


def find_issue(s: Session, audit_id: int, fingerprint: str) -> Issue:
    """The finding whose fingerprint is, or starts with, ``fingerprint`` (at least 6 characters)."""
    fp = (fingerprint or "").strip().lower()
    if len(fp) < 6:
        raise ReviewError("问题指纹至少要写前 6 位。")
    q = select(Issue).where(Issue.audit_id == audit_id, Issue.fingerprint.startswith(fp, autoescape=True))
    found = list(s.scalars(q.limit(2).with_for_update()))  # a decision's revision is read to be raised
    if not found:
        raise ReviewError(f"本审核中没有指纹为“{fingerprint}”的问题。")
    if len(found) > 1:
        raise ReviewError(f"指纹“{fingerprint}”对应多项问题，请多写几位。")
    return found[0]


def check_decision(decision: Optional[str], reason: Optional[str]) -> None:
    if decision == "排除" and not (reason or "").strip():
        raise ReviewError("排除一项问题时请写明理由。")


def apply(s: Session, issue: Issue, decision: Optional[str], reason: Optional[str], note: Optional[str], by: str,
          source: str) -> bool:
    """Set a decision on ``issue`` (validated by the caller); False when nothing changes.

    ``note`` None keeps the note; a reason is kept only with 排除."""
    reason = ((reason or "").strip() or None) if decision == "排除" else None
    new_note = issue.note if note is None else (note.strip() or None)
    if (issue.decision, issue.reason, issue.note) == (decision, reason, new_note):
        return False
    issue.decision, issue.reason, issue.note = decision, reason, new_note
    issue.decided_by, issue.decided_at = by, utcnow()
    issue.revision += 1
    s.add(DecisionEvent(issue_id=issue.id, decision=decision, reason=reason, note=new_note, decided_by=by,
                        decided_at=issue.decided_at, source=source, revision=issue.revision))
    return True


@dataclass
class Decided:
    fingerprint: str
    decision: Optional[str]
    reason: Optional[str]
    note: Optional[str]
    decided_by: Optional[str]
    revision: int
    changed: bool
    location: str
    code: str


def decide(name: str, fingerprint: str, decision: Optional[str], *, reason: Optional[str] = None,
           note: Optional[str] = None, by: Optional[str] = None, source: str = "命令行",
           store: Optional[Store] = None) -> Decided:
    """Record a decision on one finding of the audit ``name``."""
    value = read_decision(decision)
    check_decision(value, reason)
    who = reviewer(by)
    store = store or open_store()
    with store.write() as s:
        audit = get_audit(s, name)
        issue = find_issue(s, audit.id, fingerprint)
        changed = apply(s, issue, value, reason, note, who, source)
        return Decided(issue.fingerprint, issue.decision, issue.reason, issue.note, issue.decided_by, issue.revision,
                       changed, issue.location, issue.code)
