"""The format editions, declared as data in ``editions/*.yaml``.

Parsers, rules, exporters and drafters read the layout from here; adding an
edition means adding a YAML file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, Field

from ..errors import EditionError
from ..yamlfile import load_yaml

EDITIONS_DIR = Path(__file__).with_name("editions")


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
        for label, k in self.column_keys.items():
            if k == key:
                return label
        return None

    def row(self, key: str) -> Optional[str]:
        for label, k in self.row_keys.items():
            if k == key:
                return label
        return None


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
        for label, k in self.group_keys.items():
            if k == key:
                return label
        return None

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
        for label, k in self.group_keys.items():
            if k == key:
                return label
        return None

    def column(self, key: str) -> Optional[str]:
        for label, k in self.column_keys.items():
            if k == key:
                return label
        return None

    @property
    def total_column(self) -> str:
        return self.columns[-1]


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


@lru_cache(maxsize=None)
def _load_all() -> dict[str, Edition]:
    out = {}
    for path in sorted(EDITIONS_DIR.glob("*.yaml")):
        data = load_yaml(path.read_text(encoding="utf-8"), f"格式定义文件 {path.name} ")  # libyaml's loader where present
        ed = Edition.model_validate(data)
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


def edition_for_year(year: int) -> Edition:
    """The edition in force for a report year (the newest that applies)."""
    matches = [e for e in _load_all().values() if e.applies_to(year)]
    if not matches:
        return max(_load_all().values(), key=lambda e: e.years[0])
    return max(matches, key=lambda e: e.years[0])
