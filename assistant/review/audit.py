"""Running an audit: read what changed, pair reports by agency and year, check, remember.

A run compares what it is given with what the audit already holds, by name
and by content hash: a file with the same name and content is not read again,
one with the same content under a new name was renamed, one whose content
changed is read and checked again, and (unless ``sync`` is off) a file no
longer given leaves the audit. Reports are then paired — each with the same
agency's report for the year before — and the cross-year rules run again only
where a report or its partner changed.

Findings are kept per document; their fingerprints (``keys.fingerprint``)
join them to the audit's ``issues``, which carry the reviewer's decisions
across runs. An issue whose report is still in the audit but no longer has it
is 已修正 — unless what it was about could not be read this time, in which
case nobody can say it was fixed, and it is 无法核对.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any, Iterable, Optional, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import ReviewError
from ..model import Report
from ..model.report import Certainty
from ..progress import Progress, Silent
from .keys import Copy, fingerprints, pair, report_key
from .sources import Collected, Source, SourceUnreadable, content_hash
from .store import Audit, Document, FindingRow, Issue, Store, open_store, utcnow
from .worker import Parsed, checker_version, cross_year, cross_year_codes, read_and_check, unpack

IN_PROCESS_BELOW = 12  # fewer documents than this are read in this process: a pool costs more than it saves


@dataclass
class RunResult:
    audit: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old name, new name)
    removed: list[str] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (old document, the new version that replaced it)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # not reports: (name, why)
    errors: list[tuple[str, str]] = field(default_factory=list)  # could not be looked at: (name, why)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # in the audit, but not readable: (name, why)
    checked: int = 0  # documents read and checked in this run
    cross_checked: int = 0  # documents whose cross-year rules ran in this run
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (report, last year's), every pair of the audit
    reports: int = 0
    findings: dict[str, int] = field(default_factory=dict)  # severity -> count, all documents
    undecided: int = 0  # open issues without a decision
    fixed: list[str] = field(default_factory=list)  # fingerprints found fixed by this run


def run_audit(name: str, paths: Iterable[str] = (), *, collected: Optional[Collected] = None, sync: bool = True,
              jobs: int = 1, store: Optional[Store] = None, progress: Optional[Progress] = None) -> RunResult:
    """Create or refresh the audit ``name`` from ``paths`` (files, folders, zips) or ``collected`` sources.

    ``sync``: the audit holds exactly what is given (files no longer given
    leave it). Otherwise what is given is added, and a report of the same
    agency and year as one already in the audit replaces it (a new version).
    """
    name = (name or "").strip()
    if not name:
        raise ReviewError("请给审核起一个名称。")
    if len(name) > 200:
        raise ReviewError("审核名称太长（不超过200个字）。")
    from .sources import collect

    got = collected if collected is not None else collect(paths)
    store = store or open_store()
    bar = progress or Silent()
    result = RunResult(audit=name, skipped=list(got.skipped), errors=list(got.errors))
    if not got.sources and sync:
        raise ReviewError("没有找到可审核的报告文件。" + _listed(got))

    with store.read() as s:
        audit = s.scalar(select(Audit).where(Audit.name == name))
        seen_revision = audit.revision if audit is not None else None
        existing = list(s.execute(select(Document.id, Document.name, Document.content_hash, Document.checker,
                                         Document.status).where(Document.audit_id == (audit.id if audit else -1))))
    plan = _plan(got.sources, existing, sync, bar)
    result.unchanged = plan.unchanged
    parsed = _read_all([src for src, _ in plan.todo], jobs, bar)

    bar.stage("写入审核数据库", None)
    try:
        _write(store, name, seen_revision, plan, parsed, sync, result, bar)
    except IntegrityError:
        # Another run created the same audit (or the same document) between our look and our write.
        raise ReviewError(f"审核“{name}”正在被另一次运行更新，请稍后再运行一次。") from None
    return result


def _write(store: Store, name: str, seen_revision: Optional[int], plan: "_Plan", parsed: list[Parsed], sync: bool,
           result: RunResult, bar: Progress) -> None:
    with store.write() as s:
        # FOR UPDATE: on PostgreSQL a second run of the same audit waits here (SQLite's writers already queue).
        audit = s.scalar(select(Audit).where(Audit.name == name).with_for_update())
        if audit is None:
            if seen_revision is not None:
                raise ReviewError(f"审核“{name}”在运行期间被删除了。")
            audit = Audit(name=name)
            s.add(audit)
            s.flush()
        elif audit.revision != seen_revision:
            raise ReviewError(f"审核“{name}”正在被另一次运行更新，请稍后再运行一次。")
        affected: set[str] = set()  # report keys whose findings may have changed
        touched = _apply(s, audit, plan, parsed, sync, result, affected)
        redone = _pair_and_cross_check(s, audit, touched, result, bar, affected)
        _recount(s, set(touched) | redone)
        _refresh_issues(s, audit, affected, result)
        audit.revision += 1
        audit.updated_at = utcnow()
        _summarise(s, audit, result)


def _listed(got: Collected) -> str:
    lines = [f"\n  {n}：{why}" for n, why in (got.errors + got.skipped)[:20]]
    return ("" if not lines else "跳过或无法读取的文件：" + "".join(lines))


# ------------------------------------------------------------------ what changed


@dataclass
class _Plan:
    todo: list[tuple[Source, Optional[int]]]  # (source, the document it updates, or None: a new one)
    renamed: list[tuple[int, str, str]]  # (document id, old name, new name)
    removed: list[tuple[int, str]]
    unchanged: int


def _plan(sources: list[Source], existing: list[Any], sync: bool, bar: Progress) -> _Plan:
    by_name = {d.name: d for d in existing}
    version = checker_version()
    hashes: dict[str, str] = {}
    if existing:
        # Only an audit that already holds documents needs the hashes before reading: to tell what changed.
        bar.stage("比对文件内容", len(sources))
        for src in sources:
            try:
                hashes[src.name] = content_hash(src.read())
            except SourceUnreadable:
                pass  # read again (and said why) with the others
            bar.advance(1)
    if not sync:
        return _plan_adding(sources, existing, hashes, version)
    todo: list[tuple[Source, Optional[int]]] = []
    matched: set[int] = set()
    unchanged = 0
    fresh: list[Source] = []
    for src in sources:
        d = by_name.get(src.name)
        if d is None:
            fresh.append(src)
            continue
        matched.add(d.id)
        h = hashes.get(src.name)
        if h and d.content_hash == h and d.checker == version:
            unchanged += 1
        else:
            todo.append((src, d.id))
    given = {src.name for src in sources}
    by_hash: dict[str, list[Any]] = {}
    for d in existing:
        if d.id not in matched and d.content_hash and d.checker == version and d.name not in given:
            by_hash.setdefault(d.content_hash, []).append(d)
    renamed = []
    for src in fresh:
        h = hashes.get(src.name)
        candidates = [d for d in by_hash.get(h or "", []) if d.id not in matched]
        if candidates:
            d = candidates[0]
            matched.add(d.id)
            renamed.append((d.id, d.name, src.name))
        else:
            todo.append((src, None))
    removed = [(d.id, d.name) for d in existing if d.id not in matched]
    return _Plan(todo, renamed, removed, unchanged)


def _plan_adding(sources: list[Source], existing: list[Any], hashes: dict[str, str], version: str) -> _Plan:
    """Adding (uploads): names are not identities (two agencies may both send "年报.pdf"), content is.

    A file whose content is already in the audit changes nothing; every other file is a new
    document, which replaces an older version of the same report once it has been read (``_supersede``).
    """
    held = {d.content_hash for d in existing if d.content_hash and d.checker == version}
    todo: list[tuple[Source, Optional[int]]] = []
    unchanged = 0
    for src in sources:
        if hashes.get(src.name) in held:
            unchanged += 1
        else:
            todo.append((src, None))
    return _Plan(todo, [], [], unchanged)


def _read_all(sources: list[Source], jobs: int, bar: Progress) -> list[Parsed]:
    bar.stage("读取并检查报告", len(sources))
    if not sources:
        return []
    out: list[Parsed] = []
    if jobs <= 1 or len(sources) < IN_PROCESS_BELOW:
        for src in sources:
            out.append(read_and_check(src))
            bar.advance(1)
        return out
    # forkserver: workers start from a clean process, not a copy of this one's threads (the UI's, a database pool's).
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(["assistant.review.worker"])
    chunk = max(1, min(16, len(sources) // (jobs * 8)))
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for parsed in pool.map(read_and_check, sources, chunksize=chunk):
                out.append(parsed)
                bar.advance(1)
    except BrokenProcessPool:
        # A worker died (out of memory, killed, or a script without a __main__ guard):
        # what is left is read here, more slowly but completely.
        for src in sources[len(out):]:
            out.append(read_and_check(src))
            bar.advance(1)
    return out


# ------------------------------------------------------------------ writing


def _doc_fields(p: Parsed) -> dict[str, Any]:
    return {
        "content_hash": p.content_hash,
        "checker": checker_version(),
        "size": p.size,
        "status": "ok" if p.status == "ok" else "unreadable",
        "error": p.error,
        "format": p.format,
        "agency": p.agency,
        "agency_key": p.agency_key,
        "year": p.year,
        "edition": p.edition,
        "unread_cells": p.unread,
        "uncertain_cells": p.uncertain,
        "unreadable_tables": json.dumps(p.unreadable_tables, ensure_ascii=False) if p.unreadable_tables else None,
        "report_blob": p.blob,
        "previous_id": None,
        "previous_hash": None,
        "checked_at": utcnow(),
    }


def _apply(s: Session, audit: Audit, plan: _Plan, parsed: list[Parsed], sync: bool, result: RunResult,
           affected: set[str]) -> dict[int, Parsed]:
    """Removals, renames and the documents read in this run; returns the ones read, by id."""
    gone = [doc_id for doc_id, _ in plan.removed]
    result.removed = [n for _, n in plan.removed]
    for (src, doc_id), p in zip(plan.todo, parsed):
        if p.status == "skipped":
            result.skipped.append((src.name, p.error or ""))
            if doc_id is not None:  # it was a report once; now it is not one
                gone.append(doc_id)
                result.removed.append(src.name)
    if gone:
        affected.update(s.scalars(select(Document.report_key).where(Document.id.in_(gone))))
        s.execute(delete(Document).where(Document.id.in_(gone)))
    if plan.renamed:
        # Two steps, so names that swap never meet the (audit, name) uniqueness half-way.
        for doc_id, _, _ in plan.renamed:
            s.execute(update(Document).where(Document.id == doc_id).values(name=f"//改名中/{doc_id}"))
        for doc_id, _, new in plan.renamed:
            s.execute(update(Document).where(Document.id == doc_id).values(name=new))
        result.renamed = [(old, new) for _, old, new in plan.renamed]

    touched: dict[int, Parsed] = {}
    new_rows: list[dict[str, Any]] = []
    new_parsed: list[Parsed] = []
    finding_rows: list[dict[str, Any]] = []
    uids, names = _supersede(s, audit, plan, parsed, result, affected) if not sync else ({}, {})
    for (src, doc_id), p in zip(plan.todo, parsed):
        if p.status == "skipped":
            continue
        if p.status != "ok":
            result.unreadable.append((src.name, p.error or ""))
        fields = _doc_fields(p)
        if doc_id is None:
            uid = uids.get(src.name) or uuid.uuid4().hex
            name = names.get(src.name, src.name)
            new_rows.append({"audit_id": audit.id, "uid": uid, "name": name, "canonical": True,
                             "errors": 0, "warnings": 0, "infos": 0,
                             "report_key": report_key(p.agency_key, p.year, uid), **fields})
            new_parsed.append(p)
            result.added.append(name)
            continue
        doc = s.get_one(Document, doc_id)
        affected.add(doc.report_key)  # the key it had: a re-read agency or year moves its findings
        for k, v in fields.items():
            setattr(doc, k, v)
        doc.report_key = report_key(p.agency_key, p.year, doc.uid)
        affected.add(doc.report_key)
        s.execute(delete(FindingRow).where(FindingRow.document_id == doc_id))
        result.changed.append(src.name)
        touched[doc.id] = p
        finding_rows += _finding_rows(doc.id, doc.report_key, p.findings, cross=False)
    if new_rows:
        ids = s.scalars(insert(Document).returning(Document.id, sort_by_parameter_order=True), new_rows).all()
        for doc_id, row, p in zip(ids, new_rows, new_parsed):
            touched[doc_id] = p
            affected.add(row["report_key"])
            finding_rows += _finding_rows(doc_id, row["report_key"], p.findings, cross=False)
    s.flush()
    _insert(s, finding_rows)
    result.checked = len(touched)
    return touched


def _supersede(s: Session, audit: Audit, plan: _Plan, parsed: list[Parsed], result: RunResult,
               affected: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Adding: a new file of an agency and year already in the audit is that report's new version and
    replaces the old file; so does a file whose agency or year could not be read, sent again under the
    same name (it keeps the old one's uid, and so its findings' fingerprints and their decisions).

    Returns the uids to keep and the names to use (a name still taken gets "（2）"), by source name."""
    rows = list(s.execute(select(Document.id, Document.name, Document.report_key, Document.uid).where(
        Document.audit_id == audit.id)))
    by_key: dict[str, list[Any]] = {}
    by_name = {r.name: r for r in rows}
    for r in rows:
        by_key.setdefault(r.report_key, []).append(r)
    uids: dict[str, str] = {}
    gone: dict[int, tuple[str, str]] = {}
    for (src, _), p in zip(plan.todo, parsed):
        if p.status == "skipped":
            continue
        if p.status == "ok" and p.agency_key and p.year:
            for r in by_key.get(f"{p.agency_key}|{p.year}", []):
                gone[r.id] = (r.name, src.name)
        else:
            same = by_name.get(src.name)
            if same is not None and same.report_key.startswith("doc:"):
                gone[same.id] = (same.name, src.name)
                uids[src.name] = same.uid
    if gone:
        affected.update(r.report_key for r in rows if r.id in gone)
        s.execute(delete(Document).where(Document.id.in_(list(gone))))
    taken = {r.name for r in rows if r.id not in gone}
    names: dict[str, str] = {}
    for src, _ in plan.todo:
        name, n = src.name, 1
        while name in taken:
            n += 1
            stem, dot, suffix = src.name.rpartition(".")
            name = f"{stem}（{n}）.{suffix}" if dot else f"{src.name}（{n}）"
        taken.add(name)
        names[src.name] = name
    final = {src: names.get(src, src) for _, src in gone.values()}
    result.replaced += [(old, final[new]) for old, new in gone.values()]
    return uids, names


def _finding_rows(doc_id: int, key: str, findings: list[dict[str, Any]], cross: bool) -> list[dict[str, Any]]:
    fps = fingerprints(key, [f["identity"] for f in findings])
    causes: dict[str, str] = {}
    for f, fp in zip(findings, fps):
        causes.setdefault(f["identity"], fp)
    rows = []
    for i, (f, fp) in enumerate(zip(findings, fps)):
        row = {k: v for k, v in f.items() if k != "identity"}
        cause = f.get("cause")
        row.update(document_id=doc_id, fingerprint=fp, cross_year=cross, position=i + (1000 if cross else 0),
                   cause=causes.get(cause) if cause else None)
        rows.append(row)
    return rows


def _insert(s: Session, rows: list[dict[str, Any]]) -> None:
    # The table, not the ORM class: an ORM bulk insert splits rows into one statement per run of rows
    # whose None columns differ (thousands of statements for an audit); the table's is one executemany.
    for start in range(0, len(rows), 2000):
        s.execute(insert(cast(Table, FindingRow.__table__)), rows[start:start + 2000])


# ------------------------------------------------------------------ pairing and cross-year rules


def _pair_and_cross_check(s: Session, audit: Audit, touched: dict[int, Parsed], result: RunResult,
                          bar: Progress, affected: set[str]) -> set[int]:
    """Pair every document with last year's report; run the cross-year rules where either changed.

    Returns the documents whose cross-year findings were redone."""
    docs = list(s.execute(select(
        Document.id, Document.name, Document.report_key, Document.agency_key, Document.year, Document.status,
        Document.unread_cells, Document.uncertain_cells, Document.format, Document.canonical,
        Document.previous_id, Document.previous_hash, Document.content_hash,
    ).where(Document.audit_id == audit.id)))
    pairing = pair(Copy(d.id, d.name, d.report_key, d.agency_key, d.year, d.status == "ok",
                        d.unread_cells + d.uncertain_cells, d.format) for d in docs)
    by_id = {d.id: d for d in docs}
    canonical_ids = set(pairing.canonical.values())
    flips = [{"id": d.id, "canonical": d.id in canonical_ids} for d in docs if d.canonical != (d.id in canonical_ids)]
    if flips:
        s.execute(update(Document), flips)
        affected.update(by_id[f["id"]].report_key for f in flips)

    todo = []
    for d in docs:
        target = pairing.previous.get(d.id)
        target_hash = by_id[target].content_hash if target is not None else None
        if d.id in touched or d.previous_id != target or d.previous_hash != target_hash:
            todo.append((d, target, target_hash))
    bar.stage("跨年核对", len(todo))
    reports: dict[int, Report] = {}

    def report_of(doc_id: int) -> Report:
        if doc_id not in reports:
            p = touched.get(doc_id)
            blob = p.blob if p is not None else s.scalar(select(Document.report_blob).where(Document.id == doc_id))
            if blob is None:
                raise ReviewError("审核数据库中缺少已读取的报告内容，请重新运行审核。")
            reports[doc_id] = unpack(blob)
        return reports[doc_id]

    changes, rows = [], []
    stale = [d.id for d, _, _ in todo if d.id not in touched]
    for start in range(0, len(stale), 500):
        s.execute(delete(FindingRow).where(FindingRow.document_id.in_(stale[start:start + 500]),
                                           FindingRow.cross_year.is_(True)))
    for d, target, target_hash in todo:
        if target is not None:
            rows += _finding_rows(d.id, d.report_key, cross_year(report_of(d.id), report_of(target)), cross=True)
            result.cross_checked += 1
        changes.append({"id": d.id, "previous_id": target, "previous_hash": target_hash})
        bar.advance(1)
    _insert(s, rows)
    affected.update(d.report_key for d, _, _ in todo)
    if changes:
        s.execute(update(Document), changes)
    result.pairs = sorted((by_id[a].name, by_id[b].name) for a, b in pairing.previous.items())
    return {d.id for d, _, _ in todo}


def _recount(s: Session, touched: set[int]) -> None:
    if not touched:
        return
    ids = sorted(touched)
    counts: dict[int, dict[str, int]] = {i: {"errors": 0, "warnings": 0, "infos": 0} for i in ids}
    column = {"error": "errors", "warning": "warnings", "info": "infos"}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        q = select(FindingRow.document_id, FindingRow.severity, func.count()).where(
            FindingRow.document_id.in_(part), FindingRow.cause.is_(None)).group_by(  # consequences: not counted
            FindingRow.document_id, FindingRow.severity)
        for doc_id, severity, n in s.execute(q):
            counts[doc_id][column[severity]] = n
    s.execute(update(Document), [{"id": i, **c} for i, c in counts.items()])


# ------------------------------------------------------------------ issues


_ISSUE_FIELDS = ("code", "severity", "location", "message", "computation", "basis", "expected", "actual", "refs",
                 "cause")


FILTER_KEYS_BELOW = 300  # fewer affected reports than this: only their findings and issues are read


def _refresh_issues(s: Session, audit: Audit, affected: set[str], result: RunResult) -> None:
    """Bring the issues of the reports whose findings may have changed up to their documents' findings:
    new ones, ones still there, ones gone."""
    if not affected:
        return
    now = utcnow()
    docs = {d.id: d for d in s.execute(select(
        Document.id, Document.report_key, Document.agency, Document.year, Document.canonical, Document.status,
        Document.previous_id).where(Document.audit_id == audit.id))}
    few = len(affected) < FILTER_KEYS_BELOW
    keys = sorted(affected)
    present: dict[str, dict[str, Any]] = {}
    q = select(FindingRow.fingerprint, FindingRow.document_id, *[getattr(FindingRow, f) for f in _ISSUE_FIELDS]).join(
        Document, Document.id == FindingRow.document_id).where(Document.audit_id == audit.id)
    for part in ([keys] if not few else [keys[i:i + 100] for i in range(0, len(keys), 100)]):
        for row in s.execute(q.where(Document.report_key.in_(part)) if few else q):
            d = docs[row.document_id]
            if d.report_key not in affected:
                continue
            have = present.get(row.fingerprint)
            if have is None or (d.canonical and not have["_canonical"]):
                present[row.fingerprint] = {**{f: getattr(row, f) for f in _ISSUE_FIELDS}, "report_key": d.report_key,
                                            "agency": d.agency, "year": d.year, "_canonical": d.canonical}
    iq = select(Issue.id, Issue.fingerprint, Issue.status, Issue.report_key, Issue.code, Issue.refs, Issue.fixed_at,
                *[getattr(Issue, f) for f in _ISSUE_FIELDS if f not in ("code", "refs")],
                Issue.agency, Issue.year).where(Issue.audit_id == audit.id)
    known: dict[str, Any] = {}
    for part in ([keys] if not few else [keys[i:i + 100] for i in range(0, len(keys), 100)]):
        for r in s.execute(iq.where(Issue.report_key.in_(part)) if few else iq):
            known[r.fingerprint] = r
    # A finding can move between reports only with its report key, which is part of its fingerprint;
    # an issue found now under a key not affected is still looked up, so that it is never inserted twice.
    missing = [fp for fp in present if fp not in known] if few else []  # all were read when not few
    for i in range(0, len(missing), 500):
        for r in s.execute(iq.where(Issue.fingerprint.in_(missing[i:i + 500]))):
            known[r.fingerprint] = r

    inserts, updates = [], []
    for fp, seen in present.items():
        values = {k: v for k, v in seen.items() if not k.startswith("_")}
        old = known.get(fp)
        if old is None:
            inserts.append({"audit_id": audit.id, "fingerprint": fp, "status": "open", "first_seen": now,
                            "last_seen": now, "revision": 0, **values})
        elif old.status != "open" or any(getattr(old, k) != v for k, v in values.items()):
            updates.append({"id": old.id, "status": "open", "status_note": None, "fixed_at": None, "last_seen": now,
                            **values})
    keys_now = {d.report_key for d in docs.values()}
    canonical_of = {d.report_key: d for d in docs.values() if d.canonical}
    cross = cross_year_codes()
    reports: dict[int, Optional[Report]] = {}
    for fp, old in known.items():
        if fp in present or old.report_key not in affected:
            continue
        if old.report_key not in keys_now and old.status == "gone":
            continue
        status, note = _vanished(s, old, keys_now, canonical_of, cross, reports)
        if status != old.status or old.status == "open":
            fixed_at = (old.fixed_at or now) if status == "fixed" else None
            updates.append({"id": old.id, "status": status, "status_note": note, "fixed_at": fixed_at})
            if status == "fixed" and old.status != "fixed":
                result.fixed.append(fp)
    if inserts:
        for start in range(0, len(inserts), 2000):  # the table's insert, as in _insert
            s.execute(insert(cast(Table, Issue.__table__)), inserts[start:start + 2000])
    if updates:
        s.execute(update(Issue), updates)


def _vanished(s: Session, issue: Any, keys_now: set[str], canonical_of: dict[str, Any], cross: frozenset[str],
              reports: dict[int, Optional[Report]]) -> tuple[str, Optional[str]]:
    """The status of an issue no document has any more: fixed, or why that cannot be said."""
    if issue.report_key not in keys_now:
        return "gone", "报告已不在本次审核中"
    doc = canonical_of.get(issue.report_key)
    if doc is None or doc.status != "ok":
        return "unverifiable", "报告无法读取，无法确认是否已修正"
    if issue.code in cross and doc.previous_id is None:
        return "unverifiable", "审核中没有上一年度的报告，未做跨年核对"
    if doc.id not in reports:
        blob = s.scalar(select(Document.report_blob).where(Document.id == doc.id))
        reports[doc.id] = unpack(blob) if blob is not None else None
    report = reports[doc.id]
    if report is None or not _refs_read(report, issue.refs):
        return "unverifiable", "相关单元格这次未能读出，无法确认是否已修正"
    return "fixed", None


def _refs_read(report: Report, refs_json: str) -> bool:
    """Whether every cell and table the finding was about was read (certainly or by a stated rule) this time."""
    try:
        refs = json.loads(refs_json or "{}")
    except ValueError:
        return False
    area = refs.get("area") or {}
    tables = {c.get("table") for c in refs.get("cells") or []} | {area.get("table")}
    if any(t in report.unreadable_tables for t in tables if t):
        return False
    for c in refs.get("cells") or []:
        table, row, col, block = c.get("table"), c.get("row"), c.get("col"), c.get("block")
        if table == "二":
            cell = report.table2.get(block or "", {}).get(row, {}).get(col)
        elif table == "三":
            cell = report.table3.get(row, {}).get(col)
        else:
            cell = report.table4.get(row, {}).get(col)
        if cell is None or cell.certainty in (Certainty.unreadable, Certainty.uncertain):
            return False
    return True


def _summarise(s: Session, audit: Audit, result: RunResult) -> None:
    docs = list(s.execute(select(Document.errors, Document.warnings, Document.infos).where(Document.audit_id == audit.id)))
    result.reports = len(docs)
    result.findings = {"error": sum(d.errors for d in docs), "warning": sum(d.warnings for d in docs),
                       "info": sum(d.infos for d in docs)}
    result.undecided = s.scalar(select(func.count()).select_from(Issue).where(
        Issue.audit_id == audit.id, Issue.status == "open", Issue.decision.is_(None))) or 0
