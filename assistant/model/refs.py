"""References into a report: the cells, quotes and larger parts a finding is about.

A finding points at the report with these, never with words: the chat colours
the cells, the evals match findings by them, and a finding's Chinese location
is rendered from them (``assistant.check.locations``). Labels are the
edition's official labels, exactly as they key ``Report.table2/3/4``.
"""

from __future__ import annotations

from enum import Enum
from typing import Iterable, Optional

from pydantic import BaseModel, ConfigDict

TABLES = ("二", "三", "四")


class CellRef(BaseModel):
    """One cell of table 二, 三 or 四."""

    model_config = ConfigDict(frozen=True)

    table: str  # "二", "三" or "四"
    row: str  # table 三/四: the key of Report.table3/table4; table 二: the row label inside its block
    col: str  # the column label
    block: Optional[str] = None  # table 二 only: the block caption, "第二十条第（一）项"

    def key(self) -> tuple[str, str, str, str]:
        return (self.table, self.block or "", self.row, self.col)


class SpanRef(BaseModel):
    """A stretch of one narrative paragraph.

    ``start``/``end`` are character offsets in the paragraph's text (as in
    ``NumberMention``); ``quote`` is what a person is shown: the words with
    whitespace removed, a long stretch shortened with "……".
    """

    model_config = ConfigDict(frozen=True)

    section: str  # "一" … "六", or "preamble"
    paragraph: int  # 1-based inside the section
    start: int
    end: int
    quote: str

    def key(self) -> tuple[str, int, str]:
        # Offsets are left out: an edit earlier in the paragraph moves them.
        return (self.section, self.paragraph, self.quote)


class AreaKind(str, Enum):
    report = "report"  # the report as a whole; ``aspect`` says which side of it
    table = "table"  # one table as a whole (e.g. absent)
    column = "column"  # one column of a table
    row = "row"  # one row of a table
    rows = "rows"  # the rows of one table its cells lie in (e.g. the table's empty cells)
    label = "label"  # a row or column label as written in the document
    section = "section"  # one narrative section; ``aspect`` narrows it
    previous = "previous"  # the comparison with last year's report itself


class Aspect(str, Enum):
    edition = "edition"  # which format edition the report uses
    sections = "sections"  # the six-part structure
    narrative = "narrative"  # the narrative as a whole
    supervision = "supervision"  # 监督保障: assessment, public appraisal, accountability


class AreaRef(BaseModel):
    """A part of the report larger than a cell or a quote.

    A finding with an area is about the area; its cells are the ones it
    marks (a column finding marks the cells it added up).
    """

    model_config = ConfigDict(frozen=True)

    kind: AreaKind
    table: Optional[str] = None  # table, column, row, rows, label
    col: Optional[str] = None  # column
    row: Optional[str] = None  # row: keyed as in CellRef
    block: Optional[str] = None  # row of table 二: the block caption
    label: Optional[str] = None  # label: the label as written
    section: Optional[str] = None  # section
    aspect: Optional[Aspect] = None  # report, section

    def key(self) -> tuple[str, ...]:
        return (self.kind.value, self.table or "", self.block or "", self.row or "", self.col or "",
                self.label or "", self.section or "", self.aspect.value if self.aspect else "")


def identity(
    code: str,
    cells: Iterable[CellRef] = (),
    spans: Iterable[tuple[str, int, str]] = (),
    area: Optional[AreaRef] = None,
) -> str:
    """A finding's stable identity: its rule code and what it is about.

    That is its area when it has one (the cells it marks may change with the
    figures: a table's blank cells), else its cells and its quotes, these by
    section, paragraph and quote (``SpanRef.key``: offsets move when text
    before them changes). Neither its wording nor its place in a list enters
    it; the same finding on the same report gives the same string every run.
    """
    parts = [code]
    if area is not None:
        parts.append("area:" + "/".join(area.key()))
    else:
        parts += sorted("cell:" + "/".join(c.key()) for c in cells)
    parts += sorted(f"span:{s}/{p}/{q}" for s, p, q in spans)
    return "|".join(parts)
