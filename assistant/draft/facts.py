"""What a draft is written from: the tables, extra figures and notes.

A facts file is the YAML of a reference report without the narrative, plus
``extra`` (figures that have no table cell, with label and unit) and
``notes`` (short sentences about the year's work). JSON with the same keys
works too. ``previous`` may name last year's report, relative to the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from pydantic import BaseModel, Field, PrivateAttr, field_validator

from ..check.agency import read_agency
from ..model import Cell, CellState, Edition, Report, get_edition
from ..parse import ReadError, parse_file
from ..parse.facts import FactsError, report_from_data
from ..parse.facts import load_facts as read_facts_file
from ..parse.numbers import read_numbers
from ..parse.sentences import sentences

Number = Union[int, float]

MONEY_UNITS = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
# Labels that make an extra figure the 信息处理费 statement of section 六.
FEE_WORDS = ("信息处理费",)


class ExtraFigure(BaseModel):
    """A figure the tables do not hold: 门户网站发布信息 631 条."""

    label: str
    value: Number
    unit: str = ""
    previous: Optional[Number] = None  # last year's value, for a comparison

    @field_validator("label")
    @classmethod
    def _label_not_empty(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("补充数字缺少名称（label）")
        return v

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    @property
    def is_fee(self) -> bool:
        return any(w in self.label for w in FEE_WORDS)

    def base_value(self) -> Number:
        """The value in the unit the number reader reports: 元 for money."""
        if self.unit in MONEY_UNITS:
            from decimal import Decimal

            d = Decimal(str(self.value)) * MONEY_UNITS[self.unit]
            return int(d) if d == d.to_integral_value() else float(d)
        return self.value


class Facts(BaseModel):
    agency: Optional[str] = None
    level: Optional[str] = None
    year: Optional[int] = None
    edition: str
    tables: Report  # table2/3/4 are the facts; any narrative in it is ignored
    extra: list[ExtraFigure] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    previous: Optional[Report] = None

    _sheet: object = PrivateAttr(default=None)
    _sheet_key: str = PrivateAttr(default="")

    @property
    def edition_decl(self) -> Edition:
        return get_edition(self.edition)

    @property
    def is_government(self) -> bool:
        """A people's government reports 考核、评议、追责 (条例第五十条)."""
        agency = read_agency(self.agency)
        if agency.is_government:
            return True
        return not agency.name and self.level in ("province", "city", "county", "township")

    def fee(self) -> Optional[ExtraFigure]:
        for x in self.extra:
            if x.is_fee:
                return x
        return None

    def sheet(self):
        """Every figure the draft may state (see ``sheet.py``).

        Built once and rebuilt only when the facts change: a chat user edits
        cells between two drafts, and a stale sheet would wave old figures through.
        """
        key = self._fingerprint()
        if self._sheet is None or self._sheet_key != key:
            from .sheet import FactSheet

            self._sheet = FactSheet(self)
            self._sheet_key = key
        return self._sheet

    def _fingerprint(self) -> str:
        tables = {"edition", "table2", "table3", "table4"}
        own = self.model_dump_json(include={"agency", "level", "year", "edition", "extra", "notes"})
        prev = self.previous.model_dump_json(include=tables) if self.previous is not None else ""
        return own + self.tables.model_dump_json(include=tables) + prev


def facts_from_report(report: Report, previous: Optional[Report] = None,
                      extra: Optional[list[ExtraFigure]] = None, notes: Optional[list[str]] = None) -> Facts:
    """Facts from a report already read: its tables, and its fee statement if it has one."""
    tables = report.model_copy(deep=True)
    extra = list(extra or [])
    if get_edition(report.edition).drafting.fee_statement and not any(x.is_fee for x in extra):
        fee = _fee_from_narrative(report)
        if fee is not None:
            extra.append(fee)
    return Facts(
        agency=report.agency,
        level=report.level,
        year=report.year,
        edition=report.edition,
        tables=tables,
        extra=extra,
        notes=list(notes or []),
        previous=previous,
    )


_NO_FEE_WORDS = ("未收取", "没有收取", "未产生", "无信息处理费", "不收取")


def _fee_from_narrative(report: Report) -> Optional[ExtraFigure]:
    """The 信息处理费 a report states: a money figure in the sentence, or 0 for "未收取"."""
    for section in report.sections:
        for p in section.paragraphs:
            for sentence in sentences(p.text, "。；;！？"):
                if "信息处理费" not in sentence:
                    continue
                money = [(m.value, m.unit) for m in read_numbers(sentence)
                         if m.unit in MONEY_UNITS and m.unit is not None and m.value is not None]
                if money:
                    value, unit = money[0]
                    return ExtraFigure(label="收取信息处理费", value=value / MONEY_UNITS[unit], unit=unit)
                if any(w in sentence for w in _NO_FEE_WORDS):
                    return ExtraFigure(label="收取信息处理费", value=0, unit="元")
    return None




# ------------------------------------------------------------------ files

_NARRATIVE_KEYS = ("preamble", "sections")


def load_facts(path: Union[str, Path]) -> Facts:
    """A facts file (YAML or JSON), with a Chinese message for anything wrong."""
    path = Path(path)
    return facts_from_data(read_facts_file(path), name=path.name, base=path.parent)


def facts_from_data(data: object, name: str = "事实文件", base: Optional[Path] = None) -> Facts:
    if not isinstance(data, dict):
        raise FactsError(f"{name}：内容应为键值映射（agency、year、table3 等）")
    data = dict(data)
    extra = _extra(data.pop("extra", None), name)
    notes = _notes(data.pop("notes", None), name)
    previous = _previous(data.pop("previous", None), name, base)
    for key in _NARRATIVE_KEYS:
        data.pop(key, None)  # a reference report can serve as facts: its prose is not a fact
    if data.get("agency") is not None and not isinstance(data["agency"], str):
        raise FactsError(f"{name}：agency 应为机关名称")
    report = report_from_data(data, name=name)
    return Facts(
        agency=report.agency,
        level=report.level,
        year=report.year,
        edition=report.edition,
        tables=report,
        extra=extra,
        notes=notes,
        previous=previous,
    )


def _extra(items: object, name: str) -> list[ExtraFigure]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise FactsError(f"{name}：extra 应为列表，每项写 label、value、unit")
    out = []
    for i, item in enumerate(items, start=1):
        where = f"{name} extra 第{i}项"
        if not isinstance(item, dict):
            raise FactsError(f"{where}：应写成“label: 名称, value: 数值, unit: 单位”")
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FactsError(f"{where}：value 应为数字，实为“{value}”")
        prev = item.get("previous")
        if prev is not None and (isinstance(prev, bool) or not isinstance(prev, (int, float))):
            raise FactsError(f"{where}：previous 应为数字，实为“{prev}”")
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            raise FactsError(f"{where}：缺少名称（label）")
        unit = item.get("unit") or ""
        if not isinstance(unit, str):
            raise FactsError(f"{where}：unit 应为单位文字，如“条”“个”“元”")
        out.append(ExtraFigure(label=label, value=value, unit=unit.strip(), previous=prev))
    return out


def _notes(items: object, name: str) -> list[str]:
    if items is None:
        return []
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise FactsError(f"{name}：notes 应为文字列表，每条写一项工作情况")
    return [x.strip() for x in items if x.strip()]


def _previous(value: object, name: str, base: Optional[Path]) -> Optional[Report]:
    if value is None:
        return None
    if not isinstance(value, str):
        raise FactsError(f"{name}：previous 应为上年报告的文件路径")
    path = Path(value)
    if not path.is_absolute() and base is not None:
        path = base / path
    return read_previous(path)


def read_previous(path: Union[str, Path]) -> Report:
    """Last year's report, from a report document or a facts/reference YAML or JSON."""
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        from ..parse.facts import report_from_yaml

        return report_from_yaml(path)  # keeps last year's prose: section 五 is read for its problems
    try:
        return parse_file(path)
    except ReadError as exc:
        raise FactsError(f"上年报告无法读取：{exc.message}") from None


# ------------------------------------------------------------------ completeness

_EMPTY = (CellState.missing, CellState.blank)


def _cell(rows: dict, row: str, col: str) -> Cell:
    return rows.get(row, {}).get(col) or Cell.missing()


def missing_figures(facts: Facts, sections: Optional[list[str]] = None) -> list[str]:
    """What a complete report needs and the facts do not give, in Chinese.

    ``sections`` (as for ``draft_report``) leaves out what only other
    sections need: the 信息处理费 is needed for 六 only.
    """
    out: list[str] = []
    if not facts.agency:
        out.append("机关名称（agency）")
    if facts.year is None:
        out.append("报告年度（year）")
    ed = facts.edition_decl
    rep = facts.tables

    def gaps(where: str, columns: list[str], rows: dict, label: str) -> list[str]:
        empty = [c for c in columns if _cell(rows, label, c).state in _EMPTY]
        return [f"{where}：整行缺失"] if len(empty) == len(columns) else [f"{where} × {c}" for c in empty]

    if not rep.table2:
        out.append("表二（主动公开政府信息情况）：未提供")
    else:
        for block in ed.table2:
            for label in block.rows:
                out += gaps(f"表二 {block.caption} {label}", block.columns, rep.table2.get(block.caption, {}), label)
    if not rep.table3:
        out.append("表三（收到和处理政府信息公开申请情况）：未提供")
    else:
        for row in ed.table3.rows:
            where = f"{row.group} {row.label}" if row.group else row.label
            out += gaps(f"表三 {where}", ed.table3.columns, rep.table3, row.label)
    if not rep.table4:
        out.append("表四（行政复议、行政诉讼情况）：未提供")
    else:
        for group in ed.table4.groups:
            out += gaps(f"表四 {group}", ed.table4.columns, rep.table4, group)

    # The edition may ask section 六 to state the 信息处理费, zero included.
    needs_fee = sections is None or any(str(x).strip().startswith(("六", "其他")) for x in sections)
    if facts.edition_decl.drafting.fee_statement and needs_fee and facts.fee() is None:
        out.append("信息处理费收取金额（第六部分须说明；未收取请填 0，例如 extra: [{label: 收取信息处理费, value: 0, unit: 元}]）")
    return out


def input_errors(facts: Facts):
    """Error-level findings in the facts' own tables (and against last year's)."""
    from ..check import Severity, run_checks

    table_report = facts.tables.model_copy(update={"preamble": [], "sections": [], "narrative_numbers": []})
    findings = run_checks(table_report, facts.previous)
    return [f for f in findings if f.severity is Severity.error and not f.code.startswith("N")]
