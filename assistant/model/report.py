"""The structured report every stage works on.

A cell keeps what was written: its state, its raw text and where it came
from. Nothing here computes or repairs a figure.
"""

from __future__ import annotations

from enum import Enum
from typing import Optional, Union

from pydantic import BaseModel, Field

Number = Union[int, float]


class CellState(str, Enum):
    number = "number"  # a figure was written
    blank = "blank"  # the cell exists and is empty
    slash = "slash"  # "/" or "／"
    dash = "dash"  # "—", "-", "–", "－" and the like
    text = "text"  # something that is not a figure ("无", "不适用", "3件5")
    missing = "missing"  # the row or column is absent from the document


class Certainty(str, Enum):
    """How sure the reader is that a cell holds what the document printed there."""

    certain = "certain"  # printed in its own cell, read as it stands
    # recovered by a rule the report's own layout makes unambiguous (``Cell.how`` names it),
    # e.g. digits run together that only one split satisfies the table's identities
    inferred = "inferred"
    uncertain = "uncertain"  # a value was read but the reader doubts where it belongs
    unreadable = "unreadable"  # the document has the cell but its figure could not be recovered


class Source(BaseModel):
    """Where a piece of text came from. Lines and pages are 1-based."""

    line: Optional[int] = None
    page: Optional[int] = None
    table: Optional[int] = None  # 1-based index of the table in the document
    row: Optional[int] = None  # 1-based row inside that table
    col: Optional[int] = None  # 1-based column inside that row
    # Set when a person changed the cell after reading (the chat workspace), so
    # that a figure nobody published is never mistaken for the document's own.
    edited: bool = False

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.table is not None:
            parts.append(f"表格{self.table}")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.col is not None:
            parts.append(f"第{self.col}列")
        where = "".join(parts)
        if self.edited:
            return f"{where}（已手工修改）" if where else "手工填写"
        return where or "位置不详"


class Cell(BaseModel):
    value: Optional[Number] = None
    state: CellState
    raw: str = ""
    source: Optional[Source] = None
    unit: Optional[str] = None  # a unit written inside the cell, e.g. "万" in "19.7万"
    certainty: Certainty = Certainty.certain
    # Chinese, for people: the rule that made an inferred value unambiguous, or why
    # the cell is uncertain or unreadable. None for a cell read as printed.
    how: Optional[str] = None

    @classmethod
    def missing(cls) -> "Cell":
        return cls(state=CellState.missing)

    @property
    def is_number(self) -> bool:
        return self.state is CellState.number

    @property
    def is_read(self) -> bool:
        """Whether the cell can be relied on: printed, or inferred by a rule that leaves one answer."""
        return self.certainty in (Certainty.certain, Certainty.inferred)


class NumberKind(str, Enum):
    figure = "figure"  # a quantity: 35件, 631条, 19.7万元, 3940元
    percent = "percent"  # 12.3%, 百分之五
    year = "year"  # 2019年
    date = "date"  # 1月31日, 12月初
    doc_number = "doc_number"  # 〔2019〕1号, 国令第711号
    article = "article"  # 第二十条, 第（五）项, 第四十九条第二款
    ordinal = "ordinal"  # 一是, 第一, （三）, 1. as a list marker
    identifier = "identifier"  # phone numbers, post codes, hotlines, e-mail digits


class NumberMention(BaseModel):
    """A number found in prose, with what it is and where it stands."""

    raw: str  # the text as written, unit included
    value: Optional[Number] = None  # normalised value: "19.7万" -> 197000
    unit: Optional[str] = None  # 件 条 篇 期 个 次 人 元 万元 亿元 % ...
    kind: NumberKind = NumberKind.figure
    start: int = 0  # character offsets inside the paragraph text
    end: int = 0
    section: Optional[str] = None  # "一" … "六", or "preamble"
    paragraph: Optional[int] = None  # 1-based paragraph inside the section
    source: Optional[Source] = None


class Paragraph(BaseModel):
    text: str
    source: Optional[Source] = None


class Section(BaseModel):
    key: str  # "一" … "六"
    heading: str  # the official heading of the edition
    raw_heading: str  # as written in the document
    paragraphs: list[Paragraph] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


class LabelDeviation(BaseModel):
    """A table label that was accepted although it differs from the template."""

    table: str  # "二", "三", "四"
    official: str
    written: str
    kind: str  # "spacing", "punctuation", "numbering", "misspelling", "variant"
    source: Optional[Source] = None


class Problem(BaseModel):
    """Something the reader could not read, or read with doubt."""

    code: str  # stable machine code, e.g. "table3_row_missing"
    message: str  # Chinese, for people
    source: Optional[Source] = None


Table2 = dict[str, dict[str, dict[str, Cell]]]  # block caption -> row -> column
# row label -> column label. A 2021-edition report that prints a group as one row
# (（六）其他处理 in the 2019 layout) keeps that row under the group's label, as the
# group's subtotal, after the group's sub-rows (which are then missing).
Table3 = dict[str, dict[str, Cell]]
Table4 = dict[str, dict[str, Cell]]  # group label -> column label


class Report(BaseModel):
    edition: str  # an edition's id from assistant/model/editions/*.yaml, e.g. "2021"
    edition_detected: Optional[str] = None  # what the layout said, before any override
    edition_evidence: list[str] = Field(default_factory=list)
    agency: Optional[str] = None
    # province / city / county / township / department, when a facts file says so
    level: Optional[str] = None
    year: Optional[int] = None
    title: Optional[str] = None
    preamble: list[Paragraph] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    table2: Table2 = Field(default_factory=dict)
    table3: Table3 = Field(default_factory=dict)
    table4: Table4 = Field(default_factory=dict)
    narrative_numbers: list[NumberMention] = Field(default_factory=list)
    labels: list[LabelDeviation] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    # Tables the document has but whose figures could not be read at all: table key
    # ("二", "三", "四") -> the reason, in Chinese. Their cells are marked unreadable.
    unreadable_tables: dict[str, str] = Field(default_factory=dict)
    file: Optional[str] = None
    format: Optional[str] = None  # "text", "markdown", "html", "docx", "pdf"

    def section(self, key: str) -> Optional[Section]:
        for s in self.sections:
            if s.key == key:
                return s
        return None
