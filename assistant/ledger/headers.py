"""Where a sheet's header is, and what each column means.

Registers put a title row above the header, split the header over two rows
under merged cells ("申请人信息" over "类型" and "名称"), and name the same
thing in many ways. The header is the block of rows (up to three, within the
first 30) whose texts name the most known fields; a merged parent's text is
carried over the columns it spans. A column is recognised by the patterns in
``vocabulary.yaml`` or by the user's explicit mapping; two columns that both
look like the same field are reported, never chosen between.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .dates import DateProblem, read_date
from .vocabulary import APPLICATION_FIELDS, CASE_FIELDS, Vocabulary, normalise

SCAN_ROWS = 30
MAX_DEPTH = 3
APPLICATIONS, CASES = "applications", "cases"
REQUIRED = {
    APPLICATIONS: ("received", "applicant", "outcome", "answered"),
    CASES: ("case_kind", "case_result"),
}


@dataclass
class Layout:
    kind: str
    top: int  # 0-based index of the first header row
    bottom: int  # 0-based index of the last header row
    columns: dict[str, int]  # field -> 0-based column
    headers: dict[int, str]  # column -> header as written ("办理情况/答复日期")
    ambiguous: dict[str, list[int]] = field(default_factory=dict)
    unrecognised: list[int] = field(default_factory=list)

    @property
    def first_data(self) -> int:
        return self.bottom + 1

    @property
    def missing(self) -> list[str]:
        return [f for f in REQUIRED[self.kind] if f not in self.columns]

    def header(self, field_name: str) -> str:
        return self.headers.get(self.columns[field_name], "")


def _text(v: object) -> Optional[str]:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def header_texts(rows: list[tuple], top: int, bottom: int) -> dict[int, list[str]]:
    """Column -> the header texts from top to bottom, a merged parent carried to the right."""
    width = max((len(rows[r]) for r in range(top, bottom + 1)), default=0)
    out: dict[int, list[str]] = {j: [] for j in range(width)}
    for r in range(top, bottom + 1):
        row = rows[r]
        carried: Optional[str] = None
        for j in range(width):
            t = _text(row[j]) if j < len(row) else None
            if r < bottom:
                # A parent row: an empty cell continues the merged cell on its left.
                if t is not None:
                    carried = t
                elif carried is not None:
                    t = carried
            if t is not None and (not out[j] or out[j][-1] != t):
                out[j].append(t)
    return {j: texts for j, texts in out.items() if texts}


def _match(patterns: list[tuple[str, list]], texts: list[str]) -> Optional[str]:
    candidates = ["".join(texts)] + texts[::-1]
    for cand in candidates:
        n = normalise(cand)
        if not n:
            continue
        for name, pats in patterns:
            if any(p.search(n) for p in pats):
                return name
    return None


def recognise(texts: dict[int, list[str]], kind: str, vocab: Vocabulary) -> Layout:
    patterns = vocab.application_columns if kind == APPLICATIONS else vocab.case_columns
    allowed = APPLICATION_FIELDS if kind == APPLICATIONS else CASE_FIELDS
    found: dict[str, list[int]] = {}
    explicit: dict[str, int] = {}
    unrecognised = []
    for j, ts in texts.items():
        user = next((vocab.user_columns[normalise(x)] for x in ["".join(ts)] + ts[::-1]
                     if normalise(x) in vocab.user_columns), None)
        if user is not None:
            if user in allowed:
                explicit[user] = j
            continue
        name = _match(patterns, ts)
        if name is None:
            unrecognised.append(j)
        else:
            found.setdefault(name, []).append(j)
    columns = dict(explicit)
    ambiguous = {}
    for name, cols in found.items():
        if name in explicit:
            continue
        if len(cols) == 1:
            columns[name] = cols[0]
        else:
            ambiguous[name] = cols
    headers = {j: "/".join(ts) for j, ts in texts.items()}
    return Layout(kind, 0, 0, columns, headers, ambiguous, unrecognised)


def _score(layout: Layout) -> int:
    return len(layout.columns) + len(layout.ambiguous)


def _is_sub_header(row: tuple, layout: Layout, rows: list[tuple]) -> bool:
    """A row right under the header that is part of it: short texts under a merged parent, no dates."""
    cells = [(j, t) for j, v in enumerate(row) if (t := _text(v)) is not None]
    if not cells or any(not isinstance(row[j], str) or len(t) > 12 for j, t in cells):
        return False
    for name in ("received", "answered", "case_date"):
        j = layout.columns.get(name)
        if j is not None and j < len(row) and row[j] is not None:
            try:
                if read_date(row[j]) is not None:
                    return False
            except DateProblem:
                pass
    bottom = rows[layout.bottom]
    return any(j >= len(bottom) or _text(bottom[j]) is None for j, _ in cells)


def find_layout(rows: list[tuple], kind: str, vocab: Vocabulary) -> Optional[Layout]:
    """The best header block for this kind of sheet, or None when nothing is recognised."""
    best: Optional[tuple[tuple[int, int, int], Layout]] = None
    for top in range(min(len(rows), SCAN_ROWS)):
        if sum(1 for v in rows[top] if _text(v) is not None) < 2:
            continue  # a title row or an empty row is not where a header starts
        for depth in range(1, MAX_DEPTH + 1):
            bottom = top + depth - 1
            if bottom >= len(rows):
                break
            layout = recognise(header_texts(rows, top, bottom), kind, vocab)
            layout.top, layout.bottom = top, bottom
            score = _score(layout)
            if score == 0:
                continue
            rank = (score, -depth, -top)
            if best is None or rank > best[0]:
                best = (rank, layout)
    if best is None:
        return None
    layout = best[1]
    while layout.bottom + 1 < len(rows) and layout.bottom - layout.top + 1 < MAX_DEPTH \
            and _is_sub_header(rows[layout.bottom + 1], layout, rows):
        grown = recognise(header_texts(rows, layout.top, layout.bottom + 1), kind, vocab)
        grown.top, grown.bottom = layout.top, layout.bottom + 1
        layout = grown
    return layout


def classify(rows: list[tuple], vocab: Vocabulary) -> tuple[Optional[Layout], Optional[Layout]]:
    """(application layout, case layout): what this sheet could be, each None when it is not."""
    apps = find_layout(rows, APPLICATIONS, vocab)
    cases = find_layout(rows, CASES, vocab)
    def has(layout: Optional[Layout], name: str) -> bool:
        return layout is not None and (name in layout.columns or name in layout.ambiguous)

    app_ok = has(apps, "received") and any(has(apps, f) for f in ("applicant", "outcome", "answered"))
    case_ok = has(cases, "case_kind") or has(cases, "reviewed_first")
    if app_ok and case_ok:
        assert apps is not None and cases is not None  # both passed has()
        if _score(cases) > _score(apps) or not has(apps, "applicant"):
            app_ok = False
        else:
            case_ok = False
    return (apps if app_ok else None), (cases if case_ok else None)
