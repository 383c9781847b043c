"""Digits run together are split only when the table's own identities leave exactly one split."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.model import CellState, Certainty
from assistant.parse.resolve import Pending, resolve_row, resolve_table
from assistant.parse.runs import LIMIT, Equation, Group, splits

ROW = [Group(0, 7)]
T4 = [Group(0, 5), Group(5, 10), Group(10, 15)]
COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def run_of(cells: list[str]) -> str:
    """What a crawler leaves of a row: the cells' texts with nothing between them."""
    return "".join(cells)


def test_the_pingtan_row_has_one_split():
    assert splits("801000081", 7, ROW) == [("80", "1", "0", "0", "0", "0", "81")]


def test_leading_zeros_are_never_a_number():
    # "0000000" can only be seven zeros: "00" is not a number, and a blank would need one.
    assert splits("0000000", 7) == [("0",) * 7]
    assert all("01" not in s and "00" not in s for s in splits("1001", 3))


def test_a_row_with_blanks_between_is_not_split_by_guessing():
    # 35 … 35 with five blank cells between: the 35 could stand in any applicant column.
    assert len(splits("3535", 7, ROW)) > 1


def test_a_row_whose_own_sum_fails_has_no_split():
    # Hongze's 行政复议: 10 + 1 + 0 + 0 printed with a total of 0.
    assert splits("101000", 5, [Group(0, 5)]) == []


def test_borders_and_marks_and_units_stay_with_their_cells():
    assert splits("500000 5", 7, ROW) == [("5", "0", "0", "0", "0", "0", "5")]
    assert splits("12 4328.6万元", 2) == [("12", "4328.6万元")]
    assert splits("///", 3) == [("/", "/", "/")]


def test_a_minus_sign_is_read_only_where_the_column_allows_it():
    assert ("396", "-3", "181") not in splits("396-3181", 3)
    assert ("396", "-3", "181") in splits("396-3181", 3, negative=[1])


values = st.one_of(st.integers(min_value=0, max_value=400), st.just(None))


@st.composite
def table3_rows(draw):
    parts = draw(st.lists(values, min_size=6, max_size=6))
    total = sum(v for v in parts if v is not None)
    blank_total = draw(st.booleans()) and total == 0
    cells = ["" if v is None else str(v) for v in parts] + ["" if blank_total else str(total)]
    return cells


@settings(max_examples=300, deadline=None)
@given(table3_rows())
def test_the_true_split_is_always_among_the_splits(cells):
    found = splits(run_of(cells), 7, ROW)
    if len(found) <= LIMIT:
        assert tuple(cells) in found


@settings(max_examples=300, deadline=None)
@given(table3_rows())
def test_a_row_is_resolved_only_when_its_split_is_unique_and_then_it_is_the_truth(cells):
    text = run_of(cells)
    row = resolve_row(Pending("一、本年新收政府信息公开申请数量", text, None, 7, ROW), COLS)
    found = splits(text, 7, ROW)
    read = [c for c in row.values() if c.certainty in (Certainty.certain, Certainty.inferred)]
    if len(found) == 1:
        assert len(read) == 7
    for col, cell, want in zip(COLS, row.values(), cells):
        if cell.certainty in (Certainty.certain, Certainty.inferred):
            # Whatever is given as read is the document's value.
            assert (cell.raw if cell.state is CellState.number else "") == want, col
        else:
            assert cell.certainty is Certainty.unreadable and cell.value is None and cell.how


@st.composite
def table4_rows(draw):
    out = []
    for _ in range(3):
        parts = draw(st.lists(values, min_size=4, max_size=4))
        out += ["" if v is None else str(v) for v in parts] + [str(sum(v for v in parts if v is not None))]
    return out


@pytest.mark.slow  # hundreds of generated tables: seconds
@settings(max_examples=200, deadline=None)
@given(table4_rows())
def test_table_four_splits_by_its_group_totals_only_when_unique(cells):
    text = run_of(cells)
    found = splits(text, 15, T4)
    if len(found) <= LIMIT:
        assert tuple(cells) in found
    flat = resolve_row(Pending("表四", text, None, 15, T4), [str(i) for i in range(15)])
    for i, cell in enumerate(flat.values()):
        if cell.certainty is not Certainty.unreadable:
            assert (cell.raw if cell.state is CellState.number else "") == cells[i]


@st.composite
def tables(draw):
    """A consistent table 三 in miniature: two to six result rows, 一 + 二 = （七） + 四."""
    n = draw(st.integers(2, 6))
    results = [draw(st.lists(st.integers(0, 60), min_size=6, max_size=6)) for _ in range(n)]
    out = draw(st.lists(st.integers(0, 5), min_size=6, max_size=6))
    total = [sum(col) for col in zip(*results)]
    carried = draw(st.lists(st.integers(0, 5), min_size=6, max_size=6))
    new = [t + o - c for t, o, c in zip(total, out, carried)]
    if any(v < 0 for v in new):
        new = [t + o for t, o in zip(total, out)]
        carried = [0] * 6
    rows = {"new": new, "carried_in": carried, "total": total, "carried_out": out}
    rows.update({f"r{i}": r for i, r in enumerate(results)})
    return {k: [str(v) for v in vs] + [str(sum(vs))] for k, vs in rows.items()}


@pytest.mark.slow  # hundreds of generated tables: seconds
@settings(max_examples=150, deadline=None)
@given(tables())
def test_rows_resolved_through_the_table_equations_are_the_truth(rows):
    pending = {k: Pending(k, run_of(v), None, 7, ROW) for k, v in rows.items()}
    results = sorted(k for k in rows if k.startswith("r"))
    equations = [Equation(["new", "carried_in"], ["total", "carried_out"]), Equation(["total"], results)]
    out = resolve_table(pending, {}, equations, COLS)
    for label, cells in out.items():
        for cell, want in zip(cells.values(), rows[label]):
            if cell.certainty is not Certainty.unreadable:
                assert cell.raw == want, (label, cell.how)


def test_pingtan_2021_rows_are_settled_by_the_column_identities():
    # Alone, （一） and 1.本机关不掌握 have two splits each; 一 + 二 = （七） + 四 and （七） = the results settle them.
    text = {"new": "640020470", "carried_in": "0000000", "r1": "270020130", "r2": "220000325",
            "others": "500000 5", "total": "630020469", "carried_out": "1000001"}
    # The other result rows of the report together: (三)5 1, (三)7 6, (三)8 1, (六)3 1 — all 自然人.
    fixed = {"rest": ("9", "0", "0", "0", "0", "0", "9")}
    pending = {k: Pending(k, v, None, 7, ROW) for k, v in text.items()}
    equations = [Equation(["new", "carried_in"], ["total", "carried_out"]),
                 Equation(["total"], ["r1", "r2", "others", "rest"])]
    out = resolve_table(pending, fixed, equations, COLS)
    assert [c.raw for c in out["r1"].values()] == ["27", "0", "0", "2", "0", "1", "30"]
    assert [c.raw for c in out["r2"].values()] == ["22", "0", "0", "0", "0", "3", "25"]
    assert all(c.certainty is Certainty.inferred for c in out["r1"].values())
    assert "勾稽关系" in out["r1"]["总计"].how


def test_cells_of_a_flattened_row_with_fewer_figures_than_columns_are_not_shifted():
    cells = resolve_row(Pending("规章", "3 31", None, 3), ["a", "b", "c"])
    assert all(c.certainty is Certainty.unreadable for c in cells.values())
    assert all(c.value is None and c.how and "3 31" in c.how for c in cells.values())
