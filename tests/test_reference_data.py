"""The reference reports are consistent, and their generated files agree with them.

The identities are computed here straight from the YAML numbers, not through
the library, so a bug in the loader or the checker cannot hide a bad figure.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from docx import Document

from assistant.export import to_docx, to_html, to_markdown, to_text
from assistant.export.facts import report_from_yaml
from assistant.model import get_edition

REFERENCE = Path(__file__).resolve().parents[1] / "evals" / "reference"
SLUGS = sorted(p.parent.name for p in REFERENCE.glob("*/report.yaml"))
GOVERNMENT_LEVELS = {"province", "city", "county", "township"}
RULE_MAKING_LEVELS = {"province", "city"}  # 立法法: only these governments make 规章


def load(slug: str) -> dict:
    return yaml.safe_load((REFERENCE / slug / "report.yaml").read_text(encoding="utf-8"))


DATA = {slug: load(slug) for slug in SLUGS}


def edition_of(data: dict):
    return get_edition(str(data["edition"]))


def t3(data: dict) -> dict[str, list[int]]:
    return data["table3"]


def total_row(data: dict, key: str) -> list[int]:
    return t3(data)[edition_of(data).table3.row(key).label]


def narrative(data: dict) -> str:
    return "\n".join(data["preamble"] + [p for ps in data["sections"].values() for p in (ps or [])])


def is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# ------------------------------------------------------------------ coverage


def test_ten_reports_cover_both_editions_all_levels_and_the_special_cases():
    assert len(SLUGS) >= 10
    editions = [str(d["edition"]) for d in DATA.values()]
    assert editions.count("2019") >= 4 and editions.count("2021") >= 4
    levels = [d["level"] for d in DATA.values()]
    assert levels.count("province") == 1
    assert {"city", "county", "township", "department"} <= set(levels)
    zero_townships = [
        s for s, d in DATA.items()
        if d["level"] == "township"
        and all(v == 0 for row in t3(d).values() for v in row)
        and all(v == 0 for row in d["table4"].values() for v in row)
    ]
    assert zero_townships, "one township must have all-zero tables 三 and 四"
    slash_reports = [
        s for s, d in DATA.items()
        if str(d["edition"]) == "2019"
        and any(v == "/" for rows in d["table2"].values() for row in rows.values() for v in row)
    ]
    assert slash_reports, "one 2019-edition report must use '/' in table 二"
    pairs = consecutive_pairs()
    kinds = {(str(a["edition"]), str(b["edition"]), a["year"]) for a, b in pairs}
    assert ("2019", "2021", 2020) in kinds
    assert ("2021", "2021", 2022) in kinds


def consecutive_pairs() -> list[tuple[dict, dict]]:
    by_agency: dict[str, dict[int, dict]] = {}
    for d in DATA.values():
        by_agency.setdefault(d["agency"], {})[d["year"]] = d
    return [
        (years[y], years[y + 1])
        for years in by_agency.values()
        for y in sorted(years)
        if y + 1 in years
    ]


# ------------------------------------------------------------------ one report


@pytest.mark.parametrize("slug", SLUGS)
def test_edition_fits_the_year_and_every_cell_of_tables_3_and_4_is_an_explicit_integer(slug):
    data = DATA[slug]
    edition = edition_of(data)
    assert edition.applies_to(data["year"])
    assert data["level"] in GOVERNMENT_LEVELS | {"department"}
    assert list(t3(data)) == edition.table3.labels, "table 三 rows must be the edition's, in order"
    for label, row in t3(data).items():
        assert len(row) == len(edition.table3.columns), label
        assert all(is_int(v) and v >= 0 for v in row), label
    assert list(data["table4"]) == edition.table4.groups
    for group, row in data["table4"].items():
        assert len(row) == len(edition.table4.columns), group
        assert all(is_int(v) and v >= 0 for v in row), group


@pytest.mark.parametrize("slug", SLUGS)
def test_P1_new_plus_carried_in_equals_handled_plus_carried_out_in_every_column(slug):
    data = DATA[slug]
    new, carried_in = total_row(data, "new"), total_row(data, "carried_in")
    total, carried_out = total_row(data, "total"), total_row(data, "carried_out")
    for c, column in enumerate(edition_of(data).table3.columns):
        assert new[c] + carried_in[c] == total[c] + carried_out[c], column


@pytest.mark.parametrize("slug", SLUGS)
def test_I1_result_rows_add_up_to_the_total_row(slug):
    data = DATA[slug]
    decl = edition_of(data).table3
    results = [t3(data)[r.label] for r in decl.rows if r.result]
    total = total_row(data, "total")
    for c, column in enumerate(decl.columns):
        assert sum(row[c] for row in results) == total[c], column


@pytest.mark.parametrize("slug", SLUGS)
def test_I2_applicant_columns_add_up_to_the_total_column_in_every_row(slug):
    for label, row in t3(DATA[slug]).items():
        assert sum(row[:-1]) == row[-1], label


@pytest.mark.parametrize("slug", SLUGS)
def test_I4_table_4_outcomes_add_up_to_each_group_total(slug):
    for group, row in DATA[slug]["table4"].items():
        assert sum(row[:-1]) == row[-1], group


@pytest.mark.parametrize("slug", SLUGS)
def test_table_2_is_complete_and_plausible(slug):
    data = DATA[slug]
    edition = edition_of(data)
    table2 = data["table2"]
    assert list(table2) == [b.caption for b in edition.table2]
    for block in edition.table2:
        assert list(table2[block.caption]) == block.rows
        for row in block.rows:
            values = table2[block.caption][row]
            assert len(values) == len(block.columns), (block.caption, row)
            for v in values:
                # Slashes only where the 2019 report marks a cell as not applicable.
                assert is_int(v) or isinstance(v, float) or v == "/" or re.fullmatch(r"\d+(\.\d+)?万元", str(v)), v
    first = table2[edition.table2[0].caption]
    rule_row = first["规章"]
    if data["level"] not in RULE_MAKING_LEVELS:
        assert all(v in (0, "/") for v in rule_row), "only province and city governments make 规章"
    if edition.id == "2021":
        for row, (issued, repealed, in_force) in first.items():
            assert in_force >= 0
            assert in_force - issued + repealed >= 0, f"{row}: 废止 exceeds last year's stock + 制发"
    else:
        for row, (made, published, cumulative) in first.items():
            if is_int(published):
                assert cumulative >= published, row
        for caption in ("第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"):
            for row, values in table2[caption].items():
                if is_int(values[0]):
                    assert values[0] + values[1] >= 0, row


@pytest.mark.parametrize("slug", SLUGS)
def test_preamble_states_the_statistics_period_of_the_report_year(slug):
    data = DATA[slug]
    year = data["year"]
    preamble = "".join(data["preamble"])
    assert f"{year}年1月1日" in preamble
    assert "12月31日" in preamble


def _figure_in(text: str, n: int, unit: str = "件") -> bool:
    return re.search(rf"(?<![\d.]){n}{unit}", text) is not None


@pytest.mark.parametrize("slug", SLUGS)
def test_narrative_states_the_key_application_and_case_figures(slug):
    data = DATA[slug]
    text = "".join(data["sections"]["一"])
    sigma = {key: total_row(data, key)[-1] for key in ("new", "carried_in", "total", "carried_out", "disclosed")}
    if not any(sigma.values()):
        assert "未收到政府信息公开申请" in text
    else:
        for key, n in sigma.items():
            if n:
                assert _figure_in(text, n), f"{key} = {n}件 is not stated"
    review, direct, after = (data["table4"][g][-1] for g in edition_of(data).table4.groups)
    if review:
        assert re.search(rf"行政复议{review}件", text)
    if direct + after:
        assert re.search(rf"行政诉讼{direct + after}件", text)
    if not (review or direct or after):
        assert re.search(r"未(发生|引发)[^。]*行政复议", text)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_qizhong_breakdown_in_the_narrative_adds_up(slug):
    text = narrative(DATA[slug])
    found = 0
    for m in re.finditer(r"(\d+)(条|件)[^，。；]{0,3}，其中", text):
        total, unit = int(m.group(1)), m.group(2)
        clause = re.split(r"[；。]", text[m.end():], maxsplit=1)[0]
        parts = [int(x) for x in re.findall(rf"(?<![\d.])(\d+){unit}", clause)]
        assert sum(parts) == total, f"{total}{unit}，其中 {parts}"
        found += 1
    assert found >= 1, "the narrative should break at least one total down"


@pytest.mark.parametrize("slug", SLUGS)
def test_government_reports_cover_assessment_review_and_accountability(slug):
    data = DATA[slug]
    if data["level"] in GOVERNMENT_LEVELS:
        text = "".join(data["sections"]["一"])
        assert "考核" in text and "评议" in text and ("追责" in text or "责任追究" in text or "追究" in text or "问责" in text)


@pytest.mark.parametrize("slug", [s for s in SLUGS if str(DATA[s]["edition"]) == "2021"])
def test_2021_reports_have_the_five_parts_and_a_fee_statement(slug):
    data = DATA[slug]
    text = "".join(data["sections"]["一"])
    for part in ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"):
        assert part in text
    assert "信息处理费" in "".join(data["sections"]["六"])


# ------------------------------------------------------------------ across years


@pytest.mark.parametrize("pair", consecutive_pairs(), ids=lambda p: f"{p[0]['agency']}-{p[0]['year']}")
def test_X1_carried_in_equals_last_years_carried_out_in_every_column(pair):
    before, after = pair
    assert total_row(after, "carried_in") == total_row(before, "carried_out")


@pytest.mark.parametrize(
    "pair",
    [p for p in consecutive_pairs() if str(p[0]["edition"]) == str(p[1]["edition"]) == "2021"],
    ids=lambda p: f"{p[0]['agency']}-{p[0]['year']}",
)
def test_X2_documents_in_force_follow_from_last_year_plus_issued_minus_repealed(pair):
    before, after = pair
    caption = "第二十条第（一）项"
    for row, (issued, repealed, in_force) in after["table2"][caption].items():
        assert in_force == before["table2"][caption][row][2] + issued - repealed, row


# ------------------------------------------------------------------ generated files


def _expected_cell(value) -> dict:
    if value == "/":
        return {"value": None, "state": "slash"}
    if isinstance(value, str):
        # Money written in 万元 is valued in 元, as the project's number reader does.
        number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)(万元)", value).groups()
        return {"value": int(Decimal(number) * 10000), "state": "number", "unit": unit}
    return {"value": value, "state": "number"}


@pytest.mark.parametrize("slug", SLUGS)
def test_expected_json_agrees_with_report_yaml(slug):
    import json

    data = DATA[slug]
    edition = edition_of(data)
    got = json.loads((REFERENCE / slug / "expected.json").read_text(encoding="utf-8"))
    assert got["edition"] == str(data["edition"])
    assert got["agency"] == data["agency"]
    assert got["year"] == data["year"]
    assert got["sections"] == [s.key for s in edition.sections]
    for block in edition.table2:
        for row in block.rows:
            for col, value in zip(block.columns, data["table2"][block.caption][row]):
                assert got["table2"][block.caption][row][col] == _expected_cell(value), (block.caption, row, col)
    for label, row in t3(data).items():
        assert got["table3"][label] == {c: _expected_cell(v) for c, v in zip(edition.table3.columns, row)}
    for group, row in data["table4"].items():
        assert got["table4"][group] == {c: _expected_cell(v) for c, v in zip(edition.table4.columns, row)}


def _build_module():
    spec = importlib.util.spec_from_file_location("reference_build", REFERENCE / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # renders every report in five formats
@pytest.mark.parametrize("slug", SLUGS)
def test_generated_files_are_up_to_date(slug):
    folder = REFERENCE / slug
    for name, data in _build_module().rendered(folder).items():
        assert (folder / name).read_bytes() == data, f"{slug}/{name} is stale: run evals/reference/build.py"
    assert (folder / "report.pdf").read_bytes()[:5] == b"%PDF-"


# ------------------------------------------------------------------ exporters


@pytest.mark.slow  # runs every exporter on every report
@pytest.mark.parametrize("slug", SLUGS)
def test_every_exporter_prints_every_official_table3_row_label(slug):
    report = report_from_yaml(REFERENCE / slug / "report.yaml")
    edition = get_edition(report.edition)
    decl = edition.table3
    labels = decl.labels + decl.groups

    text_lines = to_text(report).splitlines()
    markdown = to_markdown(report)
    html = to_html(report)
    for label in labels:
        assert "\t" + label in text_lines, label
        assert f"| {label} |" in markdown, label
        assert f">{label}</td>" in html, label

    # Group labels are merged vertically over their sub-rows; 一/二/四 span the label columns.
    for group in decl.groups:
        span = len(decl.group_rows(group))
        assert re.search(rf'<td rowspan="{span}" class="group vertical">{group}</td>', html), group
    results = sum(1 for r in decl.rows if r.result) + 1
    assert f'<td rowspan="{results}" class="group vertical">三、本年度办理结果</td>' in html
    for key in ("new", "carried_in", "carried_out"):
        assert f'<td colspan="3" class="label">{decl.row(key).label}</td>' in html

    document = Document(BytesIO(to_docx(report)))
    table = next(t for t in document.tables if any("申请人情况" in c.text for c in t.rows[0].cells))
    cell_texts = {c.text for row in table.rows for c in row.cells}
    for label in labels:
        assert label in cell_texts, label


@pytest.mark.slow  # runs pdftotext
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("slug", SLUGS)
def test_committed_pdf_holds_the_title_and_the_tables(slug):
    data = DATA[slug]
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(REFERENCE / slug / "report.pdf"), "-"],
        capture_output=True, check=True,
    ).stdout.decode("utf-8")
    flat = re.sub(r"\s+", "", out)
    assert data["agency"] in flat
    assert f"{data['year']}年政府信息公开工作年度报告" in flat
    for label in ("（七）总计", "四、结转下年度继续办理", "申请人情况", "复议后起诉"):
        assert label in flat, label
