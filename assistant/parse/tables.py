"""Table grids mapped onto the official tables 二, 三 and 四.

Rows are recognised by their labels, not by position: a cell whose text is an
official row label starts that row, the cells after it are its values. This
works the same for real grids (HTML, DOCX, PDF) and for tables flattened to
one cell per line, where rows do not line up. Labels of every edition are
known here; which edition the report follows is decided afterwards from what
was found, and the model is then laid out by that edition's declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

from ..model import Cell, CellState, Certainty, Edition, LabelDeviation, Problem, Source, editions
from .labels import key
from .layout import RawCell, TableBlock
from .numbers import read_cell
from .resolve import Pending, resolve_row, resolve_table, row_text
from .runs import Equation, Group, Split
from .vocabulary import _flat, caption_of, vocabulary


@dataclass
class FoundRow:
    official: Optional[str]  # None while a written label is not yet matched
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
    table4_groups: dict[str, list[RawCell]] = field(default_factory=dict)  # one row per group
    table4_run: Optional[list[RawCell]] = None  # the fifteen figures run together
    problems: list[Problem] = field(default_factory=list)
    # Table-三 rows in document order, matched or not (labels misprinted or split over cells).
    t3_sequence: list[FoundRow] = field(default_factory=list)


def _is_label(text: str) -> bool:
    v = vocabulary()
    return bool(v.t3.match(text) or v.t3_context.match(text))


def _value_like(c: RawCell) -> bool:
    return c.run or read_cell(c.text)[0] in (CellState.number, CellState.blank, CellState.slash, CellState.dash)


def read_table3(rows: list[tuple[list[RawCell], bool]], found: Found) -> None:
    v = vocabulary()
    for row, grid in rows:
        current: Optional[FoundRow] = None
        seen_value = False
        for c in row:
            text = _flat(c.text)
            m = v.t3.match(text) if text else None
            if m and not c.spanned and (current is None or m.official != current.official):
                current = FoundRow(official=m.official, written=c.text, source=c.source, grid=grid)
                found.t3_sequence.append(current)
                seen_value = False
                continue
            if c.spanned or (text and _is_label(text)):
                continue
            if text and not seen_value and not _value_like(c) and (current is None or not current.values):
                # A label the vocabulary does not know (misprinted, or split over two cells):
                # its row is kept and placed by its neighbours afterwards.
                current = FoundRow(official=None, written=c.text, source=c.source, grid=grid)
                found.t3_sequence.append(current)
                continue
            if current is not None:
                current.values.append(c)
                seen_value = True
    _place_unmatched(found)
    for fr in found.t3_sequence:
        if fr.official is not None:
            _keep_row(found.table3, fr, found)


def _numeric(fr: FoundRow) -> bool:
    return any(_value_like(c) and c.text.strip() for c in fr.values) or any(c.run for c in fr.values)


def _place_unmatched(found: Found) -> None:
    """Match rows whose label the vocabulary did not know, by joining split labels and by their place."""
    from .stream import _closeness as closeness
    from .stream import words

    v = vocabulary()
    seq = found.t3_sequence
    # Labels split over two or three cells, one under the other: "一、本年新收政府" / "信息公开申请数量".
    i = 0
    while i < len(seq):
        if seq[i].official is None:
            for k in (3, 2):
                group = seq[i:i + k]
                if len(group) < k or any(g.official is not None for g in group[1:]):
                    continue
                joined = "".join(_flat(g.written) for g in group)
                m = v.t3.match(joined)
                with_values = [g for g in group if _numeric(g)]
                if m and len(with_values) <= 1:
                    merged = FoundRow(official=m.official, written="".join(g.written for g in group),
                                      source=group[0].source, grid=group[0].grid,
                                      values=with_values[0].values if with_values else [])
                    seq[i:i + k] = [merged]
                    break
        i += 1
    # Misprinted labels: the one template row missing between the neighbours that the label is close to.
    order = words().t3_order
    present = {fr.official for fr in seq if fr.official}
    for i, fr in enumerate(seq):
        if fr.official is not None or not _numeric(fr):
            continue
        before = next((x.official for x in reversed(seq[:i]) if x.official in order), None)
        after = next((x.official for x in seq[i + 1:] if x.official in order), None)
        lo = order.index(before) + 1 if before else 0
        hi = order.index(after) if after else len(order)
        slot = [x for x in order[lo:hi] if x not in present and x not in words().t3_groups]
        best, score = None, 0.74
        for label in slot:
            s = closeness(_flat(fr.written), label)
            if s > score:
                best, score = label, s
        if best is not None:
            fr.official = best
            present.add(best)
        else:
            found.problems.append(Problem(
                code="table3_row_unknown",
                message=f"表三有一行标签“{_flat(fr.written)}”无法对应到格式中的任何一行，其数据未读入。",
                source=fr.source))


def _keep_row(rows: dict[str, FoundRow], fr: FoundRow, found: Found) -> None:
    assert fr.official is not None  # only matched rows are kept
    old = rows.get(fr.official)
    if old is None or not any(x.text.strip() for x in old.values):
        rows[fr.official] = fr
    else:
        found.problems.append(Problem(
            code="row_repeated",
            message=f"“{fr.official}”一行出现了不止一次，采用第一次出现的数据。",
            source=fr.source))


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
    groups = {key(g) for ed in editions().values() for g in ed.table4.groups}
    for row, grid in rows:
        cells = [c for c in row if not c.spanned]
        filled = [c for c in cells if c.text.strip() or c.run]
        if filled and all(c.run for c in filled):
            found.table4_run = filled  # the fifteen figures run together
            found.table4_source = filled[0].source
            continue
        first = next((c for c in cells if c.text.strip()), None)
        if first is not None and key(_flat(first.text)) in groups:
            rest = cells[cells.index(first) + 1:]
            if rest and all(_value_like(c) for c in rest) and (len(rest) >= v.t4_group_width or any(c.run for c in rest)):
                m = v.t4.match(_flat(first.text))
                found.table4_groups[m.official if m else _flat(first.text)] = \
                    rest if any(c.run for c in rest) else rest[-v.t4_group_width:]
                continue
        if any(v.t4.match(_flat(c.text)) for c in cells if c.text.strip()):
            continue
        if len(cells) < v.t4_width:
            # A data row cut short at the page's right edge: the groups it has are the first ones.
            if grid and len(cells) >= v.t4_group_width and all(_value_like(c) for c in cells) and \
                    sum(1 for c in cells if c.text.strip()) >= v.t4_group_width and found.table4 is None:
                found.table4 = cells
                found.table4_source = cells[0].source
            continue
        # The data row: take its last cells, one per figure (a leading label column is dropped).
        values = cells[-v.t4_width:]
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

    if fr.official is None:
        return None
    kind = classify_deviation(_flat(fr.written).strip(), fr.official)
    if kind in (None, "spacing"):
        return None
    return LabelDeviation(table=table, official=fr.official, written=fr.written, kind=kind, source=fr.source)


def _pending(fr: FoundRow, columns: list[str], groups: Sequence[Group] = (),
             negative: Sequence[int] = ()) -> Optional[Pending]:
    """The row as a run to resolve, when its cells were not read one by one."""
    values = [c for c in fr.values if c.text.strip() or c.run]
    if any(c.run for c in values):
        pass
    elif fr.grid or not values or len(fr.values) >= len(columns):
        return None
    # Figures run together, or a flattened row with fewer figures than columns:
    # nobody can tell which cells were left empty.
    text, doubt, placed = row_text(values, len(columns))
    return Pending(fr.official or "", text, values[0].source if values else fr.source, len(columns),
                   groups, negative, doubt, placed)


_CODE = {"二": "table2", "三": "table3", "四": "table4"}


def _row_cells(fr: Optional[FoundRow], columns: list[str], table: str, label: str,
               problems: list[Problem]) -> dict[str, Cell]:
    if fr is None:
        problems.append(Problem(code=f"{_CODE[table]}_row_missing",
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
            code=f"{_CODE[table]}_extra_cells",
            message=f"表{table}“{label}”一行有{len(values)}个数据单元格，模板只有{len(columns)}列，多出的已忽略。",
            source=fr.source))
        values = values[: len(columns)]
    elif len(values) < len(columns):
        # A grid row cut short: the columns it lacks are the last ones (a table
        # clipped at the page's right edge). Never shift the cells it has.
        lacking = columns[len(values):]
        problems.append(Problem(
            code=f"{_CODE[table]}_short_row",
            message=f"表{table}“{label}”一行只有{len(values)}个数据单元格，模板有{len(columns)}列，"
                    f"缺少的{len(lacking)}列（{'、'.join(lacking)}）无法读取。",
            source=fr.source))
    out = {}
    for i, col in enumerate(columns):
        if i < len(values):
            out[col] = _cell(values[i])
        else:
            out[col] = Cell(state=CellState.missing, certainty=Certainty.unreadable, source=fr.source,
                            how=f"表格在“{columns[len(values) - 1]}”列之后缺少{len(columns) - len(values)}列"
                                f"（可能被页面右边缘截断），本列无法读取")
    return out


def _fixed_split(cells: dict[str, Cell]) -> Optional[Split]:
    """A row read cell by cell, as the equations see it; None if a cell holds no figure."""
    out = []
    for c in cells.values():
        if c.state is CellState.number and c.value is not None and c.is_read:
            out.append(repr(c.value) if isinstance(c.value, float) else str(c.value))
        elif c.state in (CellState.blank, CellState.slash, CellState.dash) and c.is_read:
            out.append("")
        else:
            return None
    return tuple(out)


def _equations(ed: Edition, present: Mapping[str, object], subtotals: dict[str, str]) -> list[Equation]:
    """Table 三's identities between rows: 一 + 二 = （七） + 四, and （七） = the results."""
    decl = ed.table3
    label = {r.key: r.label for r in decl.rows if r.key}
    eqs = []
    if all(k in label for k in ("new", "carried_in", "total", "carried_out")):
        eqs.append(Equation([label["new"], label["carried_in"]], [label["total"], label["carried_out"]], "一+二=（七）+四"))
    results: list[str] = []
    for r in decl.rows:
        if not r.result:
            continue
        if r.group and r.group in subtotals:
            if subtotals[r.group] not in results:
                results.append(subtotals[r.group])
            continue
        results.append(r.label)
    if "total" in label:
        eqs.append(Equation([label["total"]], results, "（七）=办理结果之和"))
    return eqs


def build_tables(found: Found, edition_id: str) -> tuple[
        dict[str, dict[str, dict[str, Cell]]], dict[str, dict[str, Cell]], dict[str, dict[str, Cell]],
        list[LabelDeviation], list[Problem]]:
    """Lay out tables 二, 三, 四 by one edition's declaration."""
    ed = editions()[edition_id]
    problems = list(found.problems)
    labels: list[LabelDeviation] = []

    # ---- table 三
    columns3 = ed.table3.columns
    group3 = [Group(0, len(columns3))]
    declared = {r.label for r in ed.table3.rows}
    # A group of this edition printed as one row (2021's （六）其他处理 in the 2019
    # layout): its figures are the group's subtotal; its sub-rows are not given.
    subtotals: dict[str, str] = {}
    for g in ed.table3.groups:
        fr = found.table3.get(g)
        subs = ed.table3.group_rows(g)
        if fr is not None and _numeric(fr) and not any(r.label in found.table3 for r in subs):
            subtotals[g] = g
            problems.append(Problem(
                code="table3_group_as_row",
                message=f"表三“{g}”按2019年版印为一行，其下{len(subs)}个子项未单列；该行数据作为{g}的小计读入，"
                        f"子项按“缺失”处理。",
                source=fr.source))
    pending: dict[str, Pending] = {}
    fixed: dict[str, Split] = {}
    cells3: dict[str, dict[str, Cell]] = {}
    for label in [r.label for r in ed.table3.rows] + list(subtotals):
        fr = found.table3.get(label)
        p = _pending(fr, columns3, group3) if fr is not None else None
        if p is not None:
            pending[label] = p
            continue
        if fr is None and any(label in (r.label for r in ed.table3.group_rows(g)) for g in subtotals):
            cells3[label] = {c: Cell.missing() for c in columns3}
            continue
        cells3[label] = _row_cells(fr, columns3, "三", label, problems)
        split = _fixed_split(cells3[label]) if fr is not None else None
        if split is not None:
            fixed[label] = split
    if pending:
        cells3.update(resolve_table(pending, fixed, _equations(ed, found.table3, subtotals), columns3))
    table3: dict[str, dict[str, Cell]] = {}
    for r in ed.table3.rows:
        table3[r.label] = cells3[r.label]
        fr = found.table3.get(r.label)
        if fr and (d := _deviation("三", fr)):
            labels.append(d)
        if r.group in subtotals and r == ed.table3.group_rows(r.group)[-1]:
            table3[r.group] = cells3[r.group]
    for label, fr in found.table3.items():
        if label not in declared and label not in subtotals and _numeric(fr):
            problems.append(Problem(
                code="table3_row_not_in_edition",
                message=f"表三“{label}”一行不属于{ed.id}年版格式，其数据未读入。",
                source=fr.source))

    # ---- table 二
    table2 = {}
    v = vocabulary()
    for b in ed.table2:
        block = {}
        written_cols = found.table2_columns.get(b.caption)
        negative = [i for i, c in enumerate(b.columns) if b.column_keys.get(c) == "items_change"]
        for row in b.rows:
            fr = found.table2.get((b.caption, row)) or found.table2.get(("", row))
            if fr is None:
                # Some reports omit the caption row; find the row under any caption.
                fr = next((x for (cap, rr), x in found.table2.items() if rr == row), None)
            columns = b.columns
            p = _pending(fr, columns, (), negative) if fr is not None else None
            if p is not None:
                block[row] = resolve_row(p, columns)
            elif fr is not None and written_cols and len(written_cols) == len(b.columns):
                # Map by the header as written when it names the template's columns in another order.
                matched = [m for m in (v.t2_columns.match(_flat(c)) for c in written_cols) if m]
                if len(matched) == len(written_cols) and {m.official for m in matched} == set(b.columns):
                    order = [m.official for m in matched]
                    cells = _row_cells(fr, order, "二", row, problems)
                    block[row] = {c: cells[c] for c in b.columns}
                    continue
                block[row] = _row_cells(fr, columns, "二", row, problems)
            else:
                block[row] = _row_cells(fr, columns, "二", row, problems)
            if fr and (d := _deviation("二", fr)):
                labels.append(d)
        table2[b.caption] = block

    # ---- table 四
    table4: dict[str, dict[str, Cell]] = {}
    cols = ed.table4.columns
    width = len(ed.table4.groups) * len(cols)
    if found.table4 is not None:
        have = len(found.table4)
        if have < width:
            problems.append(Problem(
                code="table4_short_row",
                message=f"表四数据行只有{have}个单元格，模板有{width}个，缺少的（表格右侧）无法读取。",
                source=found.table4_source))
        for gi, group in enumerate(ed.table4.groups):
            table4[group] = {}
            for ci, c in enumerate(cols):
                i = gi * len(cols) + ci
                table4[group][c] = _cell(found.table4[i]) if i < have else Cell(
                    state=CellState.missing, certainty=Certainty.unreadable, source=found.table4_source,
                    how=f"表四数据行在第{have}格之后缺少{width - have}格（可能被页面右边缘截断），本格无法读取")
    elif found.table4_groups:
        for group in ed.table4.groups:
            values = found.table4_groups.get(group)
            if values is None:
                table4[group] = {c: Cell.missing() for c in cols}
                problems.append(Problem(code="table4_row_missing", message=f"表四缺少“{group}”一行。"))
                continue
            fr = FoundRow(official=group, written=group, source=values[0].source, values=values,
                          grid=not any(c.run for c in values))
            p = _pending(fr, cols, [Group(0, len(cols))])
            table4[group] = resolve_row(p, cols) if p else _row_cells(fr, cols, "四", group, problems)
    elif found.table4_run is not None:
        text, doubt, placed = row_text(found.table4_run, width)
        p = Pending("表四", text, found.table4_source, width,
                    [Group(i, i + len(cols)) for i in range(0, width, len(cols))], (), doubt, placed)
        flat = resolve_row(p, [f"{g}\t{c}" for g in ed.table4.groups for c in cols])
        for group in ed.table4.groups:
            table4[group] = {c: flat[f"{group}\t{c}"] for c in cols}
    else:
        for group in ed.table4.groups:
            table4[group] = {c: Cell.missing() for c in cols}
        problems.append(Problem(code="table4_missing", message="没有找到表四（行政复议、行政诉讼情况）的数据行。"))
    return table2, table3, table4, labels, problems
