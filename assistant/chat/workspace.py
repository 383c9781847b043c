"""The reports one user is working on: this year's, last year's, findings, the draft.

A workspace belongs to one person (one browser session, one ``nianbao ask``
run). It never repairs a figure: an edited cell is read again with the same
reader the parser uses, and its source says that a person changed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..check import Finding, run_checks
from ..errors import EditionError, WorkspaceError
from ..model import Cell, CellState, Report, Section, Source, edition_for_year, editions, get_edition
from ..parse import ReadError, parse_bytes
from ..parse.numbers import read_cell

# What an upload may be; anything else is refused before it is read.
ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

TABLES = ("二", "三", "四")


@dataclass
class Loaded:
    """One report in the workspace with the name it was uploaded under."""

    report: Report
    name: str


@dataclass
class Workspace:
    reports: list[Loaded] = field(default_factory=list)
    previous: Optional[Loaded] = None
    active: int = 0
    # Set by the caller (UI or CLI); None means "open the default index when asked".
    retriever: Optional[Any] = None
    llm_settings: Optional[Any] = None
    draft_result: Optional[Any] = None  # the last DraftResult, for the active report
    draft_keys: list[str] = field(default_factory=list)  # the sections it drafted
    draft_stale: bool = False  # a cell changed after the draft was written
    draft_notes: str = ""  # what was missing or wrong in the tables when the draft was written (Markdown)
    # Every finding of every report, numbered as the lists show them ("问题3"): (report name, finding).
    listed: list[tuple[str, Finding]] = field(default_factory=list)
    last_finding: Optional[int] = None  # the 问题 number the last answer was about, for "这个怎么改"
    _findings: dict[int, list[Finding]] = field(default_factory=dict)

    # ------------------------------------------------------------ reading

    @property
    def report(self) -> Optional[Report]:
        if not self.reports:
            return None
        return self.reports[min(self.active, len(self.reports) - 1)].report

    @property
    def name(self) -> str:
        if not self.reports:
            return ""
        return self.reports[min(self.active, len(self.reports) - 1)].name

    def load(self, data: bytes, name: str, previous: bool = False) -> Loaded:
        """Read an uploaded file; raises ``ReadError`` with a Chinese message."""
        display = Path(name).name or "未命名文件"
        suffix = Path(display).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            allowed = " ".join(ALLOWED_SUFFIXES)
            raise ReadError(f"不支持的文件类型“{suffix or '无扩展名'}”：请上传 {allowed} 格式的报告。", "unsupported")
        if len(data) > MAX_UPLOAD_BYTES:
            raise ReadError(
                f"文件过大（{len(data) / 1024 / 1024:.1f} MB），上传上限为 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB。",
                "too_large",
            )
        return self.load_report(parse_bytes(data, name=display), display, previous)

    def load_report(self, report: Report, name: str, previous: bool = False) -> Loaded:
        """Add a report already read (the CLI reads files itself)."""
        loaded = Loaded(report=report, name=name)
        if previous:
            self.previous = loaded
            # Cross-year findings depend on last year's report.
            self._findings.clear()
        else:
            self.reports.append(loaded)
            self.active = len(self.reports) - 1
            self.draft_result = None
            self.draft_stale = False
        self.listed = []
        return loaded

    def blank(self, edition: Optional[str] = None, year: Optional[int] = None,
              agency: Optional[str] = None) -> Loaded:
        """A new report of an edition with every table cell present and empty."""
        if edition in (None, "", "auto"):
            if year is None:
                ids = [e.id for e in sorted(editions().values(), key=lambda e: e.years[0])]
                raise WorkspaceError(f"请选择格式版本（{' 或 '.join(ids)}）或填写报告年度。")
            decl = edition_for_year(year)
        else:
            try:
                decl = get_edition(str(edition))
            except EditionError as exc:
                raise WorkspaceError(exc.message) from None
        if year is not None and not (1990 <= year <= 2100):
            raise WorkspaceError(f"报告年度“{year}”不合理，请填写四位年份。")

        def empty() -> Cell:
            return Cell(state=CellState.blank, raw="")

        report = Report(
            edition=decl.id,
            agency=agency or None,
            year=year,
            title=f"{agency or ''}{year}年政府信息公开工作年度报告" if year else None,
            sections=[Section(key=s.key, heading=s.heading, raw_heading=s.heading) for s in decl.sections],
            table2={b.caption: {r: {c: empty() for c in b.columns} for r in b.rows} for b in decl.table2},
            table3={r.label: {c: empty() for c in decl.table3.columns} for r in decl.table3.rows},
            table4={g: {c: empty() for c in decl.table4.columns} for g in decl.table4.groups},
            format="blank",
        )
        name = f"空白报告（{decl.id}年版格式{f'，{year}年度' if year else ''}）"
        loaded = Loaded(report=report, name=name)
        self.reports.append(loaded)
        self.active = len(self.reports) - 1
        self.draft_result = None
        self.draft_stale = False
        self.listed = []
        return loaded

    def select(self, index: int) -> None:
        if not 0 <= index < len(self.reports):
            raise WorkspaceError("没有这份报告。")
        if index != self.active:
            self.active = index
            self.draft_result = None
            self.draft_stale = False
            self.listed = []

    # ------------------------------------------------------------ editing

    def set_cell(self, table: str, row: str, column: str, raw: str) -> Cell:
        """Change one table cell to what the user typed, read as the parser reads a cell.

        ``table`` is "二", "三" or "四" (also "表三"); for table 二 ``row`` is
        "条款｜行" (e.g. "第二十条第（一）项｜规章") or a row label that is
        unique in the edition.
        """
        report = self.report
        if report is None:
            raise WorkspaceError("还没有报告：请先上传报告或新建空白报告。")
        key = str(table).strip().removeprefix("表")
        if key not in TABLES:
            raise WorkspaceError(f"没有表{key or table}：可编辑的是表二、表三、表四。")
        decl = get_edition(report.edition)
        raw = "" if raw is None else str(raw)
        if len(raw) > 200:
            raise WorkspaceError("单元格内容过长（超过200个字符）。")
        if key == "三":
            label = _match_label(row, decl.table3.labels, _short3(decl))
            if label is None:
                raise WorkspaceError(f"表三没有“{row}”这一行。")
            if column not in decl.table3.columns:
                raise WorkspaceError(f"表三没有“{column}”这一列，可选：{'、'.join(decl.table3.columns)}。")
            cells = report.table3.setdefault(label, {})
        elif key == "四":
            if row not in decl.table4.groups:
                raise WorkspaceError(f"表四没有“{row}”这一行，可选：{'、'.join(decl.table4.groups)}。")
            if column not in decl.table4.columns:
                raise WorkspaceError(f"表四没有“{column}”这一列，可选：{'、'.join(decl.table4.columns)}。")
            cells = report.table4.setdefault(row, {})
        else:
            caption, label = _table2_row(decl, row)
            block = decl.block(caption)
            if column not in block.columns:
                raise WorkspaceError(f"表二 {caption} 没有“{column}”这一列，可选：{'、'.join(block.columns)}。")
            cells = report.table2.setdefault(caption, {}).setdefault(label, {})
        old = cells.get(column)
        state, value, unit = read_cell(raw)
        source = old.source.model_copy(update={"edited": True}) if old and old.source else Source(edited=True)
        cell = Cell(value=value, state=state, raw=raw.strip(), source=source, unit=unit)
        cells[column] = cell
        self._findings.pop(self.active, None)
        self.listed = []
        if self.draft_result is not None:
            self.draft_stale = True
        return cell

    # ------------------------------------------------------------ checking

    def findings(self, index: Optional[int] = None) -> list[Finding]:
        """The findings of one report, computed once per change."""
        i = self.active if index is None else index
        if not 0 <= i < len(self.reports):
            return []
        if i not in self._findings:
            prev = self.previous.report if self.previous else None
            self._findings[i] = run_checks(self.reports[i].report, prev)
        return self._findings[i]

    def recheck(self) -> list[Finding]:
        self._findings.pop(self.active, None)
        return self.findings()

    def findings_csv(self, indices: Optional[list[int]] = None) -> str:
        """Findings as the audit sheet ``nianbao check --format csv`` writes: the active report's,
        or those of the reports ``indices`` names (all of them for a reviewer's sheet)."""
        from ..check.files import FileResult
        from ..check.render import to_csv

        if self.report is None:
            raise WorkspaceError("还没有报告：请先上传报告或新建空白报告。")
        chosen = [self.active] if indices is None else [i for i in indices if 0 <= i < len(self.reports)]
        results = []
        for i in chosen:
            loaded = self.reports[i]
            r = loaded.report
            results.append(FileResult(file=loaded.name, edition=r.edition, agency=r.agency, year=r.year,
                                      findings=self.findings(i)))
        return to_csv(results)


def unread_cells(report: Report) -> int:
    """How many cells of tables 二, 三 and 四 the reader could not read for sure."""
    from ..model import Certainty

    doubtful = (Certainty.uncertain, Certainty.unreadable)
    count = 0
    for key, rows in (("二", [r for block in report.table2.values() for r in block.values()]),
                      ("三", list(report.table3.values())), ("四", list(report.table4.values()))):
        for row in rows:
            for cell in row.values():
                if key in report.unreadable_tables or cell.certainty in doubtful:
                    count += 1
    return count


def _short3(decl) -> dict[str, str]:
    return {r.short: r.label for r in decl.table3.rows}


def _match_label(row: str, labels: list[str], short: dict[str, str]) -> Optional[str]:
    row = (row or "").strip()
    if row in labels:
        return row
    if row in short:
        return short[row]
    # The UI shows "（三）不予公开 1.属于国家秘密"; a bare sub-row label is ambiguous
    # only when two groups share it, which the editions avoid.
    hits = [label for label in labels if label.startswith(row)] if row else []
    return hits[0] if len(hits) == 1 else None


def _table2_row(decl, row: str) -> tuple[str, str]:
    text = (row or "").strip()
    for sep in ("｜", "|", " × ", "×"):
        if sep in text:
            caption, label = (t.strip() for t in text.split(sep, 1))
            try:
                block = decl.block(caption)
            except KeyError:
                raise WorkspaceError(f"表二没有“{caption}”这一项。") from None
            if label not in block.rows:
                raise WorkspaceError(f"表二 {caption} 没有“{label}”这一行，可选：{'、'.join(block.rows)}。")
            return caption, label
    owners = [b.caption for b in decl.table2 if text in b.rows]
    if len(owners) == 1:
        return owners[0], text
    raise WorkspaceError(f"表二没有“{row}”这一行（请写成“条款｜行”，如“第二十条第（一）项｜规章”）。")


def known_editions() -> list[str]:
    return sorted(editions(), reverse=True)
