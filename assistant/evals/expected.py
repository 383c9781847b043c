"""The expected-results file: what a reference report should read as and what the checker should find.

One file per report, ``<report stem>.expected.yaml`` beside the report (or in
a folder named for the data set, as ``evals/realdata/`` is for the real
reports). It holds::

    report: linzi-district-office-2019.txt   # the file it describes
    previous: last-year.txt                  # optional: last year's report, for cross-year checks
    edition: "2019"
    agency: 临淄区人民政府办公室
    year: 2019
    table2: {caption: {row: {column: cell}}}
    table3: {row: {column: cell}}
    table4: {group: {column: cell}}
    findings:                                # omit to leave the report out of the check suite
      - {code: P1, severity: error, area: {kind: column, table: 三, col: 总计}, expected: 35, actual: 43}
      - {code: I2, cells: [{table: 三, row: （一）予以公开, col: 总计}]}
      - {code: N1, spans: [{section: 一, paragraph: 3, quote: 申请办结数33件}]}

A finding is named by its rule code and what it points at, as the checker's
JSON output gives them: ``area`` (a column, a row, a table's rows, the
report's structure …), else ``cells`` and ``spans`` (a span by section,
paragraph and quote; offsets may be given and are not compared). Its
location text is never compared, so rewording a message breaks nothing.

A cell is written as what a person sees: a number (``35``), ``""`` for a
blank cell, ``"/"``, ``"—"``, ``null`` for a cell the document lacks, or in
full as ``{value, state, unit}`` (``{value: 197000, unit: 万}`` for "19.7万").
The reference reports' ``expected.json`` is the same format in full form.
Labels are the edition's official labels (``assistant/model/editions``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml
from pydantic import ValidationError

from ..check import Finding
from ..check.locations import SpanKey, render
from ..errors import ExpectedError
from ..model import Cell, CellState, Report
from ..model.refs import AreaRef, CellRef, identity
from ..yamlfile import load_yaml

SUFFIX = ".expected.yaml"
TABLES = ("table2", "table3", "table4")
_SHORT = {CellState.blank: "", CellState.slash: "/", CellState.dash: "—", CellState.missing: None}
_FROM_SHORT = {"": CellState.blank, "/": CellState.slash, "／": CellState.slash, "—": CellState.dash,
               "-": CellState.dash, "－": CellState.dash}


@dataclass
class ExpectedFinding:
    code: str
    cells: list[CellRef] = field(default_factory=list)
    spans: list[SpanKey] = field(default_factory=list)
    area: Optional[AreaRef] = None
    severity: Optional[str] = None
    expected: Any = None
    actual: Any = None
    edition: Optional[str] = None  # to name the place for people
    unchecked: Optional[bool] = None  # a "无法核验" finding (True) or not (False); None: not stated
    # The findings expected under this one, as the consequences of the cause it names.
    consequences: list["ExpectedFinding"] = field(default_factory=list)

    def identity(self) -> str:
        return identity(self.code, self.cells, self.spans, self.area)

    def all_expected(self, parent: Optional[str] = None) -> list[tuple["ExpectedFinding", Optional[str]]]:
        """This one and the ones under it, each with the identity of the finding it is listed under."""
        out: list[tuple[ExpectedFinding, Optional[str]]] = [(self, parent)]
        for c in self.consequences:
            out.extend(c.all_expected(self.identity()))
        return out

    @property
    def location(self) -> str:
        """The place in words, for the scoreboard; never compared."""
        return render(self.cells, self.spans, self.area, self.edition)

    def matches(self, f: Finding) -> bool:
        """Same rule at the same place, and the same severity and figures when the file states them."""
        if f.identity() != self.identity():
            return False
        if self.severity is not None and f.severity.value != self.severity:
            return False
        if self.unchecked is not None and f.unchecked != self.unchecked:
            return False
        for want, got in ((self.expected, f.expected), (self.actual, f.actual)):
            if want is not None and not same_value(want, got):
                return False
        return True


_RANK = {"none": -1, "info": 0, "warning": 1, "error": 2}


@dataclass
class NotExpected:
    """A finding that must not be reported: a claim read right, a consistent part, a scope trap.

    It is reported (and the entry broken) when a finding of ``code`` (any rule if not given),
    about ``text`` (in its quotes, location or message; anything if not given) or about a cell of
    ``table``, has a severity above ``above`` ("info": warnings and errors count; "none": any).
    """

    why: str  # Chinese: what the report really says there
    code: Optional[str] = None
    text: Optional[str] = None
    table: Optional[str] = None
    above: str = "info"

    def fired_by(self, f: Finding) -> bool:
        if self.code is not None and f.code != self.code:
            return False
        if _RANK[f.severity.value] <= _RANK[self.above]:
            return False
        if self.table is not None and not (any(c.table == self.table for c in f.cells)
                                           or (f.area is not None and f.area.table == self.table)):
            return False
        if self.text is not None:
            said = " ".join([*(s.quote for s in f.spans), f.location, f.message])
            if self.text not in said:
                return False
        return True

    def describe(self) -> str:
        what = "、".join(x for x in (self.code, f"“{self.text}”" if self.text else "",
                                     f"表{self.table}" if self.table else "") if x)
        return f"{what}：{self.why}"


def parse_not_expected(items: list[Any], where: str) -> list[NotExpected]:
    out = []
    for i, raw in enumerate(items or []):
        at = f"{where}[{i}]"
        if not isinstance(raw, dict) or not raw.get("why"):
            raise ExpectedError(f"{at}：每条“不应报出”的问题要写明 why（报告里实际是什么情况）。")
        if not (raw.get("code") or raw.get("text") or raw.get("table")):
            raise ExpectedError(f"{at}：要写明 code、text 或 table 中的至少一项。")
        above = str(raw.get("above") or "info")
        if above not in _RANK:
            raise ExpectedError(f"{at}：above 只能是 none、info、warning 或 error。")
        text = raw.get("text")
        out.append(NotExpected(why=str(raw["why"]), code=raw.get("code"), text=str(text) if text is not None else None,
                               table=raw.get("table"), above=above))
    return out


@dataclass
class Expected:
    path: Optional[Path] = None
    report: Optional[str] = None
    previous: Optional[str] = None
    edition: Optional[str] = None
    agency: Optional[str] = None
    year: Optional[int] = None
    sections: Optional[list[str]] = None
    tables: dict[str, Any] = field(default_factory=dict)  # full-form cells
    findings: Optional[list[ExpectedFinding]] = None


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    return a == b


# ------------------------------------------------------------------ cells


def cell_dict(cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"value": cell.value, "state": cell.state.value}
    if cell.unit:
        out["unit"] = cell.unit
    return out


def report_cells(report: Report) -> dict[str, Any]:
    """Tables 二, 三 and 四 of a parsed report as full-form cells, keyed by official labels."""
    return {
        "table2": {c: {r: {k: cell_dict(v) for k, v in cols.items()} for r, cols in rows.items()}
                   for c, rows in report.table2.items()},
        "table3": {r: {k: cell_dict(v) for k, v in cols.items()} for r, cols in report.table3.items()},
        "table4": {g: {k: cell_dict(v) for k, v in cols.items()} for g, cols in report.table4.items()},
    }


def short_cell(cell: dict[str, Any]) -> Any:
    state = CellState(cell["state"])
    if state is CellState.number and not cell.get("unit"):
        return cell["value"]
    if state is CellState.number:
        return {"value": cell["value"], "unit": cell["unit"]}
    if state in _SHORT and not cell.get("unit"):
        return _SHORT[state]
    return {k: v for k, v in cell.items() if v is not None}


def full_cell(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {"value": None, "state": CellState.missing.value}
    if isinstance(raw, bool):
        raise ExpectedError(f"{where}：单元格不能写成 {raw}。")
    if isinstance(raw, (int, float)):
        return {"value": raw, "state": CellState.number.value}
    if isinstance(raw, str):
        if raw.strip() in _FROM_SHORT:
            return {"value": None, "state": _FROM_SHORT[raw.strip()].value}
        raise ExpectedError(f"{where}：无法理解单元格“{raw}”（数字、\"\"、\"/\"、\"—\"、null 或 {{value, state, unit}}）。")
    if isinstance(raw, dict):
        value = raw.get("value")
        state = raw.get("state") or ("number" if value is not None else "blank")
        try:
            CellState(state)
        except ValueError:
            raise ExpectedError(f"{where}：未知的单元格状态“{state}”。") from None
        out = {"value": value, "state": state}
        if raw.get("unit"):
            out["unit"] = raw["unit"]
        return out
    raise ExpectedError(f"{where}：无法理解单元格 {raw!r}。")


def _tables(data: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for table in TABLES:
        if table not in data or data[table] is None:
            continue
        if table == "table2":
            out[table] = {c: {r: {k: full_cell(v, f"{where} 表二 {c} {r} × {k}") for k, v in (cols or {}).items()}
                              for r, cols in (rows or {}).items()} for c, rows in data[table].items()}
        else:
            name = "表三" if table == "table3" else "表四"
            out[table] = {r: {k: full_cell(v, f"{where} {name} {r} × {k}") for k, v in (cols or {}).items()}
                          for r, cols in data[table].items()}
    return out


# ------------------------------------------------------------------ files


def expected_path(report: Path, folder: Optional[Path] = None) -> Path:
    return (folder or report.parent) / (report.stem + SUFFIX)


def load_expected(path: Path) -> Expected:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else load_yaml(text, f"期望结果文件 {path.name} ", ExpectedError)
    except OSError:
        raise ExpectedError(f"无法读取期望结果文件 {path.name}。") from None
    except ValueError as exc:
        raise ExpectedError(f"期望结果文件 {path.name} 不是有效的 JSON 或 UTF-8 文本（{type(exc).__name__}）。") from None
    if not isinstance(data, dict):
        raise ExpectedError(f"期望结果文件 {path.name} 应为键值结构。")
    edition = str(data["edition"]) if data.get("edition") is not None else None
    findings = None
    if data.get("findings") is not None:
        findings = parse_findings(data["findings"], f"{path.name} findings", edition)
    year = data.get("year")
    return Expected(
        path=path,
        report=data.get("report"),
        previous=data.get("previous"),
        edition=edition,
        agency=data.get("agency"),
        year=int(year) if year is not None else None,
        sections=data.get("sections"),
        tables=_tables(data, path.name),
        findings=findings,
    )


def _span_key(raw: Any, where: str) -> SpanKey:
    if not isinstance(raw, dict) or raw.get("section") is None or raw.get("paragraph") is None or not raw.get("quote"):
        raise ExpectedError(f"{where}：引文位置要写明 section、paragraph 和 quote。")
    try:
        return (str(raw["section"]), int(raw["paragraph"]), str(raw["quote"]))
    except (TypeError, ValueError):
        raise ExpectedError(f"{where}：paragraph 应为段落序号（从1起）。") from None


def _finding(raw: Any, where: str, edition: Optional[str] = None) -> ExpectedFinding:
    if not isinstance(raw, dict) or not raw.get("code"):
        raise ExpectedError(f"{where}：每条期望问题至少要有 code。")
    if not (raw.get("area") or raw.get("cells") or raw.get("spans")):
        raise ExpectedError(f"{where}：期望问题要写明位置：area、cells 或 spans（与 nianbao check --format json 的输出相同）。")
    try:
        cells = [CellRef.model_validate(c) for c in raw.get("cells") or []]
        area = AreaRef.model_validate(raw["area"]) if raw.get("area") else None
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p) for p in first.get("loc", ()))
        raise ExpectedError(f"{where}：位置写法有误（{at}：{first.get('msg', '')}）。") from None
    spans = [_span_key(s, f"{where} spans[{i}]") for i, s in enumerate(raw.get("spans") or [])]
    unchecked = raw.get("unchecked")
    return ExpectedFinding(code=str(raw["code"]), cells=cells, spans=spans, area=area, severity=raw.get("severity"),
                           expected=raw.get("expected"), actual=raw.get("actual"), edition=edition,
                           unchecked=bool(unchecked) if unchecked is not None else None,
                           consequences=parse_findings(raw.get("consequences") or [], f"{where} consequences", edition))


def parse_findings(items: list[Any], where: str, edition: Optional[str] = None) -> list[ExpectedFinding]:
    return [_finding(f, f"{where}[{i}]", edition) for i, f in enumerate(items or [])]


def refs_dict(f: Finding) -> dict[str, Any]:
    """A finding's references as an expected file writes them: area, else cells; spans without offsets."""
    out: dict[str, Any] = {}
    if f.area is not None:
        out["area"] = f.area.model_dump(mode="json", exclude_none=True)
    elif f.cells:
        out["cells"] = [c.model_dump(mode="json", exclude_none=True) for c in f.cells]
    if f.spans:
        out["spans"] = [{"section": s.section, "paragraph": s.paragraph, "quote": s.quote} for s in f.spans]
    return out


HEADER = """\
# 期望结果（nianbao eval 使用）：由 `nianbao eval init` 根据解析结果和当前检查结果生成。
# 请对照原报告逐项核对并改正——这里写的是“应当”读出的数字和“应当”发现的问题，
# 不是程序当前的输出。单元格写法：数字；"" 为空白；"/"；"—"；null 为文档中缺少；
# 带单位的写成 {value: 197000, unit: 万}。findings 列出应当发现的问题
# （code、severity 与位置 area/cells/spans 必须与检查结果一致；expected/actual 可省略；
# message 仅供阅读，不参与比对）。
"""


def starting_expected(report: Report, findings: list[Finding], report_name: str,
                      previous_name: Optional[str] = None) -> str:
    """A first expected-results file for a person to correct: the parse and the findings as they are now."""
    cells = report_cells(report)
    body: dict[str, Any] = {"report": report_name}
    if previous_name:
        body["previous"] = previous_name
    body.update({
        "edition": report.edition,
        "agency": report.agency,
        "year": report.year,
        "sections": [s.key for s in report.sections],
        "table2": {c: {r: {k: short_cell(v) for k, v in cols.items()} for r, cols in rows.items()}
                   for c, rows in cells["table2"].items()},
        "table3": {r: {k: short_cell(v) for k, v in cols.items()} for r, cols in cells["table3"].items()},
        "table4": {g: {k: short_cell(v) for k, v in cols.items()} for g, cols in cells["table4"].items()},
        "findings": [expected_entry(f) for f in findings],
    })
    # Rows come out one per line ({column: cell, ...}), the way a person compares them with the table.
    return HEADER + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, default_flow_style=None, width=200)


def expected_entry(f: Finding) -> dict[str, Any]:
    """One finding as an expected file lists it: code, severity, references, figures, the message to read,
    and the findings listed under it."""
    out: dict[str, Any] = {"code": f.code, "severity": f.severity.value, **refs_dict(f)}
    for k, v in (("expected", f.expected), ("actual", f.actual), ("message", f.message)):
        if v is not None:
            out[k] = v
    if f.unchecked:
        out["unchecked"] = True
    if f.consequences:
        out["consequences"] = [expected_entry(c) for c in f.consequences]
    return out
