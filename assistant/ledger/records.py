"""A register's rows as applications and cases, each pointing back to its row.

Nothing is decided here about the year: a row keeps what it says (mapped
where the vocabulary knows the wording, the raw text always) and the
problems met reading it. ``compute`` decides which rows matter for a year
and refuses to count a row it cannot place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional, Union

from .dates import DateProblem, read_date
from .errors import LedgerError
from .headers import APPLICATIONS, CASES, Layout, classify
from .sheets import MAX_ROWS, RawSheet, read_sheets
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


@dataclass
class Value:
    """A mapped cell: what it means (None when unknown) and what was written."""

    key: Optional[str]
    raw: str

    @property
    def blank(self) -> bool:
        return self.raw == ""


@dataclass
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
    problems: list[str] = field(default_factory=list)  # Chinese, one per unreadable cell


@dataclass
class Case:
    ref: RowRef
    kind: Value
    result: Value
    reviewed_first: Optional[bool] = None
    concluded: Optional[bool] = None
    date: Optional[date] = None
    concluded_date: Optional[date] = None
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
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _cell(row: tuple, layout: Layout, name: str) -> object:
    j = layout.columns.get(name)
    if j is None or j >= len(row):
        return None
    return row[j]


def _date(row: tuple, layout: Layout, name: str, label: str, sheet: RawSheet, problems: list[str]) -> Optional[date]:
    try:
        return read_date(_cell(row, layout, name), sheet.epoch)
    except DateProblem as exc:
        problems.append(f"{label}（{layout.header(name)}）：{exc}")
        return None


def _flag(row: tuple, layout: Layout, name: str, label: str, vocab: Vocabulary, problems: list[str]) -> Optional[bool]:
    raw = _text(_cell(row, layout, name))
    if not raw:
        return None
    v = vocab.flag(raw)
    if v is None:
        problems.append(f"{label}（{layout.header(name)}）：“{raw}”不是“是”或“否”")
    return v


def _mapped(row: tuple, layout: Layout, name: str, vocab: Vocabulary) -> Value:
    raw = _text(_cell(row, layout, name))
    return Value(vocab.lookup(name, raw) if raw else None, raw)


def _is_total_row(row: tuple) -> bool:
    texts = [_text(v) for v in row if _text(v)]
    return any(normalise(t) in TOTAL_WORDS for t in texts[:3])


def _ident(row: tuple, layout: Layout) -> Optional[str]:
    v = _text(_cell(row, layout, "ident"))
    return v[:40] or None


def _application(row: tuple, n: int, sheet: RawSheet, layout: Layout, vocab: Vocabulary) -> Application:
    problems: list[str] = []
    ref = RowRef(sheet.name, n, _ident(row, layout))
    amount = None
    raw_amount = _cell(row, layout, "fee_amount")
    if raw_amount not in (None, ""):
        if isinstance(raw_amount, (int, float)) and not isinstance(raw_amount, bool):
            amount = float(raw_amount)
        else:
            text = _text(raw_amount).replace(",", "").replace("元", "")
            try:
                amount = float(text)
            except ValueError:
                problems.append(f"收费金额（{layout.header('fee_amount')}）：“{_text(raw_amount)}”不是金额")
    return Application(
        ref=ref,
        received=_date(row, layout, "received", "收到申请日期", sheet, problems),
        answered=_date(row, layout, "answered", "答复日期", sheet, problems),
        start=_date(row, layout, "corrected", "补正后收到日期", sheet, problems),
        applicant=_mapped(row, layout, "applicant", vocab),
        outcome=_mapped(row, layout, "outcome", vocab),
        channel=_mapped(row, layout, "channel", vocab),
        partly=_flag(row, layout, "partly", "区分处理", vocab, problems),
        extended=_flag(row, layout, "extended", "延期答复", vocab, problems),
        withdrawn=_flag(row, layout, "withdrawn", "撤回", vocab, problems),
        fee_notice=_flag(row, layout, "fee_notice", "收费通知", vocab, problems),
        fee_paid=_flag(row, layout, "fee_paid", "缴费", vocab, problems),
        fee_amount=amount,
        problems=problems,
    )


def _case(row: tuple, n: int, sheet: RawSheet, layout: Layout, vocab: Vocabulary) -> Case:
    problems: list[str] = []
    return Case(
        ref=RowRef(sheet.name, n, _ident(row, layout)),
        kind=_mapped(row, layout, "case_kind", vocab),
        result=_mapped(row, layout, "case_result", vocab),
        reviewed_first=_flag(row, layout, "reviewed_first", "是否经复议", vocab, problems),
        concluded=_flag(row, layout, "concluded", "是否审结", vocab, problems),
        date=_date(row, layout, "case_date", "收案日期", sheet, problems),
        concluded_date=_date(row, layout, "concluded_date", "审结日期", sheet, problems),
        problems=problems,
    )


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
                  max_rows: int = MAX_ROWS) -> Register:
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
        for i in range(layout.first_data, len(sheet.rows)):
            row = sheet.rows[i]
            if not row or all(v is None for v in row):
                continue
            ref = RowRef(sheet.name, i + 1)
            if _is_total_row(row):
                register.skipped.append((ref, "合计行"))
                continue
            if all(j >= len(row) or _text(row[j]) == "" for j in keys):
                register.skipped.append((ref, "没有日期、类型或结果等内容的行"))
                continue
            if kind == APPLICATIONS:
                register.applications.append(_application(row, i + 1, sheet, layout, vocab))
            else:
                register.cases.append(_case(row, i + 1, sheet, layout, vocab))
            use.rows += 1
