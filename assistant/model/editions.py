"""The format editions, declared as data in ``editions/*.yaml``.

Parsers, rules, exporters and drafters read the layout from here; adding an
edition means adding a YAML file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, Field, ValidationError

from ..errors import EditionError
from ..resources import package_path
from ..settings import get_settings
from ..yamlfile import read_mapping

EDITIONS_DIR = package_path("model", "editions")


def _label_of(keys: dict[str, str], key: str) -> Optional[str]:
    """The label a stable key names in a ``label -> key`` declaration, or None."""
    return next((label for label, k in keys.items() if k == key), None)


class SectionDecl(BaseModel):
    key: str
    heading: str

    @property
    def title(self) -> str:
        """The heading without its number: "总体情况"."""
        return self.heading.split("、", 1)[1]


class Table2Block(BaseModel):
    caption: str
    columns: list[str]
    rows: list[str]
    units: dict[str, str] = Field(default_factory=dict)
    # Stable names rules use instead of labels, which differ between editions.
    key: Optional[str] = None
    column_keys: dict[str, str] = Field(default_factory=dict)  # label -> key
    row_keys: dict[str, str] = Field(default_factory=dict)  # label -> key

    def column(self, key: str) -> Optional[str]:
        """The column label for a rule key, or None if this block has no such column."""
        return _label_of(self.column_keys, key)

    def row(self, key: str) -> Optional[str]:
        return _label_of(self.row_keys, key)


class Table3Row(BaseModel):
    label: str
    key: Optional[str] = None  # a name for rows that rules refer to
    group: Optional[str] = None  # the group label a sub-row sits under
    result: bool = False  # one of the rows that partition （七）总计
    aliases: list[str] = Field(default_factory=list)  # known misspellings

    @property
    def short(self) -> str:
        """The row as people say it: "一、本年新收", "（二）部分公开", "（三）不予公开 1.属于国家秘密"."""
        label = _TAIL.sub("", self.label)
        if label.startswith("（") and "（" in label[1:]:
            label = label[: label.index("（", 1)]
        if self.group:
            return f"{self.group} {label}"
        return label


_TAIL = re.compile(r"政府信息公开申请数量$")


class Table3Decl(BaseModel):
    columns: list[str]
    rows: list[Table3Row]
    groups: list[str]
    group_keys: dict[str, str] = Field(default_factory=dict)  # group label -> key

    def group(self, key: str) -> Optional[str]:
        return _label_of(self.group_keys, key)

    @property
    def total_column(self) -> str:
        return self.columns[-1]

    @property
    def applicant_columns(self) -> list[str]:
        return self.columns[:-1]

    def row(self, key: str) -> Table3Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def by_label(self, label: str) -> Optional[Table3Row]:
        for r in self.rows:
            if r.label == label:
                return r
        return None

    def group_rows(self, group: str) -> list[Table3Row]:
        return [r for r in self.rows if r.group == group]

    @property
    def labels(self) -> list[str]:
        return [r.label for r in self.rows]


class Table4Decl(BaseModel):
    groups: list[str]
    columns: list[str]
    group_keys: dict[str, str] = Field(default_factory=dict)  # label -> key
    column_keys: dict[str, str] = Field(default_factory=dict)  # label -> key

    def group(self, key: str) -> Optional[str]:
        return _label_of(self.group_keys, key)

    def column(self, key: str) -> Optional[str]:
        return _label_of(self.column_keys, key)

    @property
    def total_column(self) -> str:
        return self.columns[-1]

    @property
    def width(self) -> int:
        """Figures in the table: a column for each result in each group."""
        return len(self.groups) * len(self.columns)


class Headers(BaseModel):
    """Texts the template prints around the data cells (not row or column labels)."""

    table2_label: str  # the first header cell of every table-二 block
    table3_note: str  # the top-left note cell stating the identity
    table3_applicants: str  # over all data columns
    table3_organisations: str  # over the five organisation columns
    table3_results: str  # the vertical label over the result rows
    table4_litigation: str  # over the two lawsuit groups

    @property
    def all(self) -> list[str]:
        return list(self.model_dump().values())


class Drafting(BaseModel):
    """What the edition asks the narrative to state beyond its tables."""

    fee_statement: bool = False  # section 六 states the 信息处理费 charged, zero included
    key_tasks: bool = False  # section 六 reports on the year's 政务公开工作要点


class Edition(BaseModel):
    id: str
    name: str
    document: str
    years: list[int]  # first and last report year the edition is used for
    sections: list[SectionDecl]
    headers: Headers
    table2: list[Table2Block]
    table3: Table3Decl
    table4: Table4Decl
    # Rules of the checker that do not apply to this edition: code -> why (Chinese).
    rules_left_out: dict[str, str] = Field(default_factory=dict)
    drafting: Drafting = Field(default_factory=Drafting)

    def has_column(self, block: str, column: str) -> bool:
        """Whether table 二's block (by key) has the column (by key)."""
        decl = self.block_by_key(block)
        return decl is not None and decl.column(column) is not None

    def section(self, key: str) -> Optional[SectionDecl]:
        return next((s for s in self.sections if s.key == key), None)

    def block(self, caption: str) -> Table2Block:
        for b in self.table2:
            if b.caption == caption:
                return b
        raise KeyError(caption)

    def block_by_key(self, key: str) -> Optional[Table2Block]:
        for b in self.table2:
            if b.key == key:
                return b
        return None

    def applies_to(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]

    @property
    def document_number(self) -> str:
        """The number of the document that issued the format, without its issuer: "〔2021〕30号"."""
        m = _DOC_NUMBER.search(self.document)
        return m.group() if m else self.document


_DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号")


def _read(path: Path) -> Edition:
    """One edition file, read like any YAML people write (safe loader, bounded, Chinese errors)."""
    data = read_mapping(path, "格式版本文件", EditionError)
    try:
        return Edition.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        problem = f"缺少 {where}" if first["type"] == "missing" else f"{where} 的取值不合格式"
        raise EditionError(f"格式版本文件 {path.name} 有误：{problem}。") from None


@lru_cache(maxsize=None)
def _load_all() -> dict[str, Edition]:
    """The shipped editions, then those in ``NIANBAO_EDITIONS_DIR`` (read once per process)."""
    paths = sorted(EDITIONS_DIR.glob("*.yaml"))
    extra = get_settings().editions_dir
    if extra is not None:
        if not extra.is_dir():
            raise EditionError(f"找不到格式版本目录：{extra}")
        paths += sorted(extra.glob("*.yaml"))
    out: dict[str, Edition] = {}
    for path in paths:
        ed = _read(path)
        if ed.id in out:
            raise EditionError(f"格式版本“{ed.id}”重复定义（{path.name}）")
        out[ed.id] = ed
    return out


def editions() -> dict[str, Edition]:
    return dict(_load_all())


def get_edition(edition_id: str) -> Edition:
    try:
        return _load_all()[edition_id]
    except KeyError:
        known = "、".join(_load_all())
        raise EditionError(f"未知的格式版本“{edition_id}”，可选：{known}") from None


def newest_edition() -> Edition:
    return max(_load_all().values(), key=lambda e: e.years[0])


def section_headings() -> dict[str, str]:
    """Section key -> heading as the newest edition prints it: "一" -> "一、总体情况"."""
    return {s.key: s.heading for s in newest_edition().sections}


def section_titles(key: str) -> list[str]:
    """Every edition's title of a section, without its number ("总体情况"), each once."""
    found = (ed.section(key) for ed in _load_all().values())
    return list(dict.fromkeys(s.title for s in found if s is not None))


def edition_for_year(year: int) -> Edition:
    """The edition in force for a report year (the newest that applies)."""
    matches = [e for e in _load_all().values() if e.applies_to(year)]
    if not matches:
        return newest_edition()
    return max(matches, key=lambda e: e.years[0])
