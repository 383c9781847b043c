"""A register's rows as applications and cases, each pointing back to its row.

Nothing is decided here about the year: a row keeps what it says (mapped
where the vocabulary knows the wording, the raw text always) and the
problems met reading it. ``compute`` decides which rows matter for a year
and refuses to count a row it cannot place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional, Union

from .dates import DateProblem, read_date
from .errors import LedgerError
from .headers import APPLICATIONS, CASES, Layout, classify
from .sheets import RawSheet, read_sheets
from .vocabulary import APPLICATION_FIELDS, CASE_FIELDS, Vocabulary, normalise

TOTAL_WORDS = {"合计", "小计", "总计", "共计", "累计"}


@dataclass(frozen=True)
class RowRef:
    sheet: str
    row: int  # 1-based, as Excel numbers it
    ident: Optional[str] = None

    def describe(self) -> str:
        s = f"“{self.sheet}”第{self.row}行"
        return s + (f"（编号{self.ident}）" if self.ident else "")

    def to_dict(self) -> dict:
        d: dict = {"sheet": self.sheet, "row": self.row}
        if self.ident:
            d["id"] = self.ident
        return d


@dataclass(frozen=True)
class Value:
    """A mapped cell: what it means (None when unknown) and what was written."""

    key: Optional[str]
    raw: str

    @property
    def blank(self) -> bool:
        return self.raw == ""


@dataclass(eq=False)  # a row is itself: comparing field by field over 100,000 rows would be quadratic
class Application:
    ref: RowRef
    received: Optional[date]
    answered: Optional[date]
    applicant: Value
    outcome: Value
    channel: Value
    start: Optional[date] = None  # the date a corrected (补正) request arrived
    partly: Optional[bool] = None
    extended: Optional[bool] = None
    withdrawn: Optional[bool] = None
    fee_notice: Optional[bool] = None
    fee_paid: Optional[bool] = None
    fee_amount: Optional[float] = None
    problems: list[str] = field(default_factory=list)  # Chinese, one per unreadable cell the tables need
    # Unreadable cells only the narrative figures use (延期, 补正, fees): field -> Chinese message.
    narrative_problems: dict[str, str] = field(default_factory=dict)


@dataclass(eq=False)
class Case:
    ref: RowRef
    kind: Value
    result: Value
    reviewed_first: Optional[bool] = None
    concluded: Optional[bool] = None
    date: Optional[date] = None
    concluded_date: Optional[datetime.date] = None  # ``date`` names the attribute above
    problems: list[str] = field(default_factory=list)


@dataclass
class SheetUse:
    name: str
    kind: str  # applications / cases / ignored
    layout: Optional[Layout] = None
    reason: str = ""  # why a sheet was not used
    rows: int = 0  # records read from it


@dataclass
class Register:
    file: str
    applications: list[Application] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sheets: list[SheetUse] = field(default_factory=list)
    skipped: list[tuple[RowRef, str]] = field(default_factory=list)  # rows that are not records, and why
    has_cases: bool = False
    columns: dict[str, str] = field(default_factory=dict)  # field -> header, application sheets
    case_columns: dict[str, str] = field(default_factory=dict)  # field -> header, case sheets


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


class _RowReader:
    """Reads one kind of record from a sheet's rows; built once per sheet, called per row.

    Registers repeat a few dozen wordings over many thousands of rows, so a
    mapped value is looked up once per distinct text.
    """

    def __init__(self, sheet: RawSheet, layout: Layout, vocab: Vocabulary) -> None:
        self.sheet, self.layout, self.vocab = sheet, layout, vocab
        self.index = dict(layout.columns)
        self._values: dict[tuple[str, str], Value] = {}
        self._flags: dict[str, Optional[bool]] = {}

    def cell(self, row: tuple, name: str) -> object:
        j = self.index.get(name)
        if j is None or j >= len(row):
            return None
        return row[j]

    def date(self, row: tuple, name: str, label: str, problems: list[str]) -> Optional[date]:
        v = self.cell(row, name)
        if v is None:
            return None
        try:
            return read_date(v, self.sheet.epoch)
        except DateProblem as exc:
            problems.append(f"{label}（{self.layout.header(name)}）：{exc}")
            return None

    def flag(self, row: tuple, name: str, label: str, problems: list[str]) -> Optional[bool]:
        v = self.cell(row, name)
        if v is None:
            return None
        raw = _text(v)
        if not raw:
            return None
        if raw not in self._flags:
            self._flags[raw] = self.vocab.flag(raw)
        result = self._flags[raw]
        if result is None:
            problems.append(f"{label}（{self.layout.header(name)}）：“{raw}”不是“是”或“否”")
        return result

    def mapped(self, row: tuple, name: str) -> Value:
        raw = _text(self.cell(row, name))
        key = (name, raw)
        value = self._values.get(key)
        if value is None:
            value = self._values[key] = Value(self.vocab.lookup(name, raw) if raw else None, raw)
        return value

    def ident(self, row: tuple) -> Optional[str]:
        return _text(self.cell(row, "ident"))[:40] or None

    def application(self, row: tuple, n: int) -> Application:
        problems: list[str] = []
        side: list[str] = []  # problems of cells the tables do not need
        amount = None
        raw_amount = self.cell(row, "fee_amount")
        if raw_amount not in (None, ""):
            if isinstance(raw_amount, (int, float)) and not isinstance(raw_amount, bool):
                amount = float(raw_amount)
            else:
                text = _text(raw_amount).replace(",", "").replace("元", "")
                try:
                    amount = float(text)
                except ValueError:
                    side.append(f"收费金额（{self.layout.header('fee_amount')}）：“{_text(raw_amount)}”不是金额")
        app = Application(
            ref=RowRef(self.sheet.name, n, self.ident(row)),
            received=self.date(row, "received", "收到申请日期", problems),
            answered=self.date(row, "answered", "答复日期", problems),
            applicant=self.mapped(row, "applicant"),
            outcome=self.mapped(row, "outcome"),
            channel=self.mapped(row, "channel"),
            partly=self.flag(row, "partly", "区分处理", problems),
            withdrawn=self.flag(row, "withdrawn", "撤回", problems),
            fee_amount=amount,
            problems=problems,
        )
        for name, label in (("extended", "延期答复"), ("fee_notice", "收费通知"), ("fee_paid", "缴费")):
            found: list[str] = []
            setattr(app, name, self.flag(row, name, label, found))
            if found:
                app.narrative_problems[name] = found[0]
        found = []
        app.start = self.date(row, "corrected", "补正后收到日期", found)
        if found:
            app.narrative_problems["corrected"] = found[0]
        if side:
            app.narrative_problems["fee_amount"] = side[0]
        return app

    def case(self, row: tuple, n: int) -> Case:
        problems: list[str] = []
        return Case(
            ref=RowRef(self.sheet.name, n, self.ident(row)),
            kind=self.mapped(row, "case_kind"),
            result=self.mapped(row, "case_result"),
            reviewed_first=self.flag(row, "reviewed_first", "是否经复议", problems),
            concluded=self.flag(row, "concluded", "是否审结", problems),
            date=self.date(row, "case_date", "收案日期", problems),
            concluded_date=self.date(row, "concluded_date", "审结日期", problems),
            problems=problems,
        )


def _is_total_row(row: tuple) -> bool:
    """A 合计 row: one of its first three filled cells says so."""
    seen = 0
    for v in row:
        if v is None:
            continue
        if isinstance(v, str) and len(v) <= 8 and normalise(v) in TOTAL_WORDS:
            return True
        seen += 1
        if seen == 3:
            return False
    return False


_KEY_FIELDS = {
    APPLICATIONS: ("received", "answered", "applicant", "outcome"),
    CASES: ("case_kind", "case_result", "case_date"),
}


def _describe_headers(sheet: RawSheet) -> str:
    for row in sheet.rows[:10]:
        texts = [_text(v) for v in row if _text(v)]
        if len(texts) >= 2:
            return "、".join(f"“{t[:20]}”" for t in texts[:12])
    return "（没有读到表头）"


def read_register(path: Union[str, Path], vocab: Vocabulary, cases_file: Union[str, Path, None] = None,
                  max_rows: Optional[int] = None) -> Register:
    """Every application (and case) in a register file; a LedgerError when none can be found."""
    path = Path(path)
    sheets = read_sheets(path, max_rows)
    register = Register(file=path.name)
    _read_sheets(sheets, vocab, register, want_cases=cases_file is None)
    if cases_file is not None:
        before = len(register.sheets)
        _read_sheets(read_sheets(cases_file, max_rows), vocab, register, want_cases=True, only_cases=True)
        if not any(s.kind == CASES for s in register.sheets[before:]):
            raise LedgerError(f"案件清单“{Path(cases_file).name}”中没有找到行政复议、行政诉讼案件表："
                              f"需要“案件类型”“结果”等列（读到的表头：{_describe_headers(read_sheets(cases_file, max_rows)[0])}）")

    app_sheets = [s for s in register.sheets if s.kind == APPLICATIONS]
    if not app_sheets:
        if all(not any(any(v is not None for v in r) for r in s.rows) for s in sheets):
            raise LedgerError(f"台账“{path.name}”是空的：没有任何内容")
        heads = "；".join(f"工作表“{s.name}”：{_describe_headers(s)}" for s in sheets[:5])
        raise LedgerError(f"“{path.name}”中没有找到申请台账：需要能识别出“收到申请日期”以及“申请人类型”或“办理结果”等列。"
                          f"读到的表头为：{heads}。可用 --map 表头=字段 指定列的含义")
    for use in app_sheets:
        layout = use.layout
        assert layout is not None
        missing = layout.missing
        ambiguous = {f: cols for f, cols in layout.ambiguous.items() if f in APPLICATION_FIELDS}
        if ambiguous:
            parts = [f"{APPLICATION_FIELDS[f]}（{'、'.join('“' + layout.headers[j] + '”' for j in cols)}）"
                     for f, cols in ambiguous.items()]
            raise LedgerError(f"工作表“{use.name}”中有几列都像同一项，无法确定用哪一列：{'；'.join(parts)}。"
                              f"请用 --map 指定，例如 --map {layout.headers[next(iter(ambiguous.values()))[0]]}="
                              f"{next(iter(ambiguous))}")
        if missing:
            names = "、".join(f"“{APPLICATION_FIELDS[f]}”" for f in missing)
            seen = "、".join(f"“{h}”" for h in layout.headers.values())
            raise LedgerError(f"工作表“{use.name}”中没有可识别的{names}列，无法计算表三（不作推测）。"
                              f"读到的表头为：{seen}。如果其中某列就是，请用 --map 表头=字段 指定，"
                              f"例如 --map 处理结果=outcome")
        for f, j in layout.columns.items():
            register.columns.setdefault(f, layout.headers[j])
    if not register.applications:
        raise LedgerError(f"台账“{path.name}”的表头之下没有任何申请记录")
    return register


def _read_sheets(sheets: list[RawSheet], vocab: Vocabulary, register: Register, want_cases: bool,
                 only_cases: bool = False) -> None:
    for sheet in sheets:
        if not any(any(v is not None for v in r) for r in sheet.rows):
            register.sheets.append(SheetUse(sheet.name, "ignored", reason="工作表是空的"))
            continue
        apps, cases = classify(sheet.rows, vocab)
        if only_cases:
            apps = None
        if cases is not None and not want_cases:
            cases = None
        layout = apps or cases
        if layout is None:
            register.sheets.append(SheetUse(sheet.name, "ignored", reason="没有识别出申请台账或案件清单的表头"))
            continue
        kind = layout.kind
        use = SheetUse(sheet.name, kind, layout)
        register.sheets.append(use)
        if kind == CASES:
            register.has_cases = True
            ambiguous = {f: cols for f, cols in layout.ambiguous.items() if f in CASE_FIELDS}
            if ambiguous:
                parts = [f"{CASE_FIELDS[f]}（{'、'.join('“' + layout.headers[j] + '”' for j in cols)}）"
                         for f, cols in ambiguous.items()]
                raise LedgerError(f"案件表“{sheet.name}”中有几列都像同一项：{'；'.join(parts)}。请用 --map 指定")
            if layout.missing:
                names = "、".join(f"“{CASE_FIELDS[f]}”" for f in layout.missing)
                raise LedgerError(f"案件表“{sheet.name}”中没有可识别的{names}列，无法计算表四（不作推测）；"
                                  f"可用 --map 表头=字段 指定")
            for f, j in layout.columns.items():
                register.case_columns.setdefault(f, layout.headers[j])
        keys = [layout.columns[f] for f in _KEY_FIELDS[kind] if f in layout.columns]
        reader = _RowReader(sheet, layout, vocab)
        for i in range(layout.first_data, len(sheet.rows)):
            row = sheet.rows[i]
            if row.count(None) == len(row):
                continue
            ref = RowRef(sheet.name, i + 1)
            if _is_total_row(row):
                register.skipped.append((ref, "合计行"))
                continue
            width = len(row)
            if not any(j < width and row[j] is not None and _text(row[j]) != "" for j in keys):
                register.skipped.append((ref, "没有日期、类型或结果等内容的行"))
                continue
            if kind == APPLICATIONS:
                register.applications.append(reader.application(row, i + 1))
            else:
                register.cases.append(reader.case(row, i + 1))
            use.rows += 1
