"""Table grids mapped onto the official tables 二, 三 and 四.

Rows are recognised by their labels, not by position: a cell whose text is an
official row label starts that row, the cells after it are its values. This
works the same for real grids (HTML, DOCX, PDF) and for tables flattened to
one cell per line, where rows do not line up. Labels of every edition are
known here; which edition the report follows is decided afterwards from what
was found, and the model is then laid out by that edition's declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..model import Cell, CellState, LabelDeviation, Problem, Source, editions
from .labels import LabelIndex, Match, key
from .layout import RawCell, TableBlock
from .numbers import read_cell

T4_WIDTH = 15
_CAPTION = re.compile(r"第二十条第\(([一二三四五六七八九十]+)\)项")


@dataclass
class FoundRow:
    official: str
    written: str
    source: Source
    values: list[RawCell] = field(default_factory=list)
    # In a real grid every row has the table's width: cells left over before the
    # values are label columns, so the values are the row's last cells.
    grid: bool = False


@dataclass
class Found:
    """What the tables of one document hold, before an edition is chosen."""

    table3: dict[str, FoundRow] = field(default_factory=dict)
    table2: dict[tuple[str, str], FoundRow] = field(default_factory=dict)  # (caption, row)
    table2_columns: dict[str, list[str]] = field(default_factory=dict)  # caption -> header as written
    table4: Optional[list[RawCell]] = None
    table4_source: Optional[Source] = None
    problems: list[Problem] = field(default_factory=list)


class _Vocabulary:
    """Label indexes over every edition, built once."""

    def __init__(self) -> None:
        eds = list(editions().values())
        t3_labels, aliases = [], {}
        context = set()
        t2_rows: list[str] = []
        t2_captions: list[str] = []
        t2_columns: list[str] = []
        t4 = set()
        for ed in eds:
            for r in ed.table3.rows:
                if r.label not in t3_labels:
                    t3_labels.append(r.label)
                if r.aliases:
                    aliases[r.label] = r.aliases
            h = ed.headers
            context.update({h.table3_results, h.table3_applicants, h.table3_organisations})
            t4.add(h.table4_litigation)
            t2_columns.extend(x for x in [h.table2_label] if x not in t2_columns)
            self.t2_label_keys = {key(h.table2_label)}
            context.update(ed.table3.groups)
            context.update(ed.table3.columns)
            for b in ed.table2:
                t2_captions.append(b.caption)
                t2_rows.extend(x for x in b.rows if x not in t2_rows)
                t2_columns.extend(x for x in b.columns if x not in t2_columns)
            t4.update(ed.table4.groups)
            t4.update(ed.table4.columns)
        self.t3 = LabelIndex(t3_labels, aliases)
        self.t3_context = LabelIndex(sorted(context))
        self.t2_rows = LabelIndex(t2_rows)
        self.t2_columns = LabelIndex(t2_columns)
        self.t2_captions = {key(c): c for c in t2_captions}
        self.t4 = LabelIndex(sorted(t4))


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    return _Vocabulary()


def _flat(text: str) -> str:
    return text.replace("\n", "")


def classify(table: TableBlock) -> Optional[str]:
    """Which official table a grid holds: "二", "三", "四" or None."""
    v = vocabulary()
    votes = {"二": 0, "三": 0, "四": 0}
    for row in table.rows:
        for c in row:
            t = _flat(c.text)
            if not t or c.spanned:
                continue
            if caption_of(t):
                votes["二"] += 3
            elif v.t2_rows.match(t):
                votes["二"] += 1
            elif v.t3.match(t):
                votes["三"] += 1
            elif v.t4.match(t):
                votes["四"] += 1
    best = max(votes, key=lambda k: votes[k])
    return best if votes[best] >= 1 else None


def caption_of(text: str) -> Optional[str]:
    m = _CAPTION.search(key(text))
    if not m:
        return None
    return f"第二十条第（{m.group(1)}）项"


def _is_label(text: str) -> bool:
    v = vocabulary()
    return bool(v.t3.match(text) or v.t3_context.match(text))


def read_table3(rows: list[tuple[list[RawCell], bool]], found: Found) -> None:
    v = vocabulary()
    for row, grid in rows:
        current: Optional[FoundRow] = None
        for c in row:
            text = _flat(c.text)
            m = v.t3.match(text) if text else None
            if m and not c.spanned and (current is None or m.official != current.official):
                current = _start_row(found.table3, m, c, found)
                current.grid = grid
                continue
            if c.spanned or (text and _is_label(text)):
                continue
            if current is not None:
                current.values.append(c)


def _start_row(rows: dict, m: Match, c: RawCell, found: Found, slot=None) -> FoundRow:
    slot = slot or m.official
    new = FoundRow(official=m.official, written=c.text, source=c.source)
    old = rows.get(slot)
    if old is None or not any(x.text.strip() for x in old.values):
        rows[slot] = new
    else:
        found.problems.append(Problem(
            code="row_repeated",
            message=f"“{m.official}”一行出现了不止一次，采用第一次出现的数据。",
            source=c.source))
    return new


def read_table2(rows: list[tuple[list[RawCell], bool]], found: Found) -> None:
    v = vocabulary()
    caption: Optional[str] = None
    for row, _ in rows:
        cells = [c for c in row if not c.spanned]
        texts = [_flat(c.text) for c in cells]
        filled = [i for i, t in enumerate(texts) if t]
        if not filled:
            continue
        first = filled[0]
        cap = caption_of(texts[first])
        if cap:
            caption = cap
            continue
        if key(texts[first]) in v.t2_label_keys:
            found.table2_columns[caption or ""] = [c.text for c in cells[first + 1:] if c.text.strip()]
            continue
        m = v.t2_rows.match(texts[first])
        if not m:
            continue
        slot = (caption or "", m.official)
        fr = FoundRow(official=m.official, written=cells[first].text, source=cells[first].source,
                      values=cells[first + 1:])
        found.table2[slot] = fr


def read_table4(rows: list[tuple[list[RawCell], bool]], found: Found) -> None:
    v = vocabulary()
    for row, _ in rows:
        cells = [c for c in row if not c.spanned]
        if any(v.t4.match(_flat(c.text)) for c in cells if c.text.strip()):
            continue
        if len(cells) < T4_WIDTH:
            continue
        # The data row: take its last fifteen cells (a leading label column is dropped).
        values = cells[-T4_WIDTH:]
        states = [read_cell(c.text)[0] for c in values]
        if all(s in (CellState.number, CellState.blank, CellState.slash, CellState.dash) for s in states):
            found.table4 = values
            found.table4_source = values[0].source


def read_tables(tables: list[tuple[str, TableBlock]]) -> Found:
    """Read every recognised table; kinds are "二", "三", "四"."""
    found = Found()
    streams: dict[str, list[tuple[list[RawCell], bool]]] = {"二": [], "三": [], "四": []}
    for kind, t in tables:
        streams[kind].extend((row, t.grid) for row in t.rows)
    read_table2(streams["二"], found)
    read_table3(streams["三"], found)
    read_table4(streams["四"], found)
    return found


# ---- edition detection -------------------------------------------------

def edition_votes(found: Found) -> dict[str, list[str]]:
    """Evidence for each edition, as short Chinese reasons."""
    evidence: dict[str, list[str]] = {e: [] for e in editions()}
    for ed_id, ed in editions().items():
        others = [o for o in editions().values() if o.id != ed_id]
        own_rows = {r.label for r in ed.table3.rows}
        for label, fr in found.table3.items():
            if label in own_rows and all(label not in {r.label for r in o.table3.rows} for o in others):
                if any(c.text.strip() for c in fr.values):
                    evidence[ed_id].append(f"表三有“{label}”一行")
        own_t2 = {(b.caption, r) for b in ed.table2 for r in b.rows}
        own_cols = {c for b in ed.table2 for c in b.columns}
        for (cap, row) in found.table2:
            unique_row = all(row not in {r for b in o.table2 for r in b.rows} for o in others)
            if unique_row and any(r == row for _, r in own_t2):
                evidence[ed_id].append(f"表二有“{row}”一行")
            if cap and all(cap not in {b.caption for b in o.table2} for o in others) and \
                    any(c == cap for c, _ in own_t2):
                evidence[ed_id].append(f"表二有“{cap}”")
        v = vocabulary()
        for cols in found.table2_columns.values():
            for col in cols:
                m = v.t2_columns.match(_flat(col))
                if m and m.official in own_cols and all(
                        m.official not in {c for b in o.table2 for c in b.columns} for o in others):
                    evidence[ed_id].append(f"表二有“{m.official}”列")
    return {e: sorted(set(r)) for e, r in evidence.items()}


# ---- laying the found rows out by an edition ----------------------------

def _cell(raw: Optional[RawCell]) -> Cell:
    if raw is None:
        return Cell.missing()
    state, value, unit = read_cell(raw.text)
    return Cell(value=value, state=state, raw=raw.text.strip(), source=raw.source, unit=unit)


def _blank_at(source: Source) -> Cell:
    return Cell(state=CellState.blank, raw="", source=source)


def _deviation(table: str, fr: FoundRow) -> Optional[LabelDeviation]:
    from .labels import classify_deviation

    kind = classify_deviation(_flat(fr.written).strip(), fr.official)
    if kind in (None, "spacing"):
        return None
    return LabelDeviation(table=table, official=fr.official, written=fr.written, kind=kind, source=fr.source)


def _row_cells(fr: Optional[FoundRow], columns: list[str], table: str, label: str,
               problems: list[Problem]) -> dict[str, Cell]:
    if fr is None:
        problems.append(Problem(code=f"table{table}_row_missing",
                                message=f"表{table}缺少“{label}”一行。"))
        return {c: Cell.missing() for c in columns}
    values = list(fr.values)
    if fr.grid and len(values) > len(columns):
        values = values[-len(columns):]
    # Trailing empty cells beyond the template's width are layout, not data.
    while len(values) > len(columns) and not values[-1].text.strip():
        values.pop()
    if not values:
        # The row is printed but holds no cells at all: every cell is blank.
        return {c: _blank_at(fr.source) for c in columns}
    if len(values) > len(columns):
        problems.append(Problem(
            code=f"table{table}_extra_cells",
            message=f"表{table}“{label}”一行有{len(values)}个数据单元格，模板只有{len(columns)}列，多出的已忽略。",
            source=fr.source))
        values = values[: len(columns)]
    elif len(values) < len(columns):
        problems.append(Problem(
            code=f"table{table}_short_row",
            message=f"表{table}“{label}”一行只有{len(values)}个数据单元格，模板有{len(columns)}列，缺少的按“缺失”处理。",
            source=fr.source))
    out = {}
    for i, col in enumerate(columns):
        out[col] = _cell(values[i]) if i < len(values) else Cell.missing()
    return out


def build_tables(found: Found, edition_id: str):
    """Lay out tables 二, 三, 四 by one edition's declaration."""
    ed = editions()[edition_id]
    problems = list(found.problems)
    labels: list[LabelDeviation] = []

    table3 = {}
    for r in ed.table3.rows:
        fr = found.table3.get(r.label)
        table3[r.label] = _row_cells(fr, ed.table3.columns, "三", r.label, problems)
        if fr and (d := _deviation("三", fr)):
            labels.append(d)
    declared = {r.label for r in ed.table3.rows}
    for label, fr in found.table3.items():
        if label not in declared and any(c.text.strip() for c in fr.values):
            problems.append(Problem(
                code="table3_row_not_in_edition",
                message=f"表三“{label}”一行不属于{ed.id}年版格式，其数据未读入。",
                source=fr.source))

    table2 = {}
    v = vocabulary()
    for b in ed.table2:
        block = {}
        written_cols = found.table2_columns.get(b.caption)
        for row in b.rows:
            fr = found.table2.get((b.caption, row)) or found.table2.get(("", row))
            if fr is None:
                # Some reports omit the caption row; find the row under any caption.
                fr = next((x for (cap, rr), x in found.table2.items() if rr == row), None)
            columns = b.columns
            if fr is not None and written_cols and len(written_cols) == len(b.columns):
                # Map by the header as written when it names the template's columns in another order.
                matched = [m for m in (v.t2_columns.match(_flat(c)) for c in written_cols) if m]
                if len(matched) == len(written_cols) and {m.official for m in matched} == set(b.columns):
                    order = [m.official for m in matched]
                    cells = _row_cells(fr, order, "二", row, problems)
                    block[row] = {c: cells[c] for c in b.columns}
                    continue
            block[row] = _row_cells(fr, columns, "二", row, problems)
            if fr and (d := _deviation("二", fr)):
                labels.append(d)
        table2[b.caption] = block

    table4 = {}
    cols = ed.table4.columns
    for gi, group in enumerate(ed.table4.groups):
        if found.table4 is None:
            table4[group] = {c: Cell.missing() for c in cols}
        else:
            table4[group] = {c: _cell(found.table4[gi * len(cols) + ci]) for ci, c in enumerate(cols)}
    if found.table4 is None:
        problems.append(Problem(code="table4_missing", message="没有找到表四（行政复议、行政诉讼情况）的数据行。"))
    return table2, table3, table4, labels, problems
