"""Decisions survive what happens to the files: re-runs, renames, corrected re-uploads, a workbook round trip.

Every test runs against SQLite and against a real PostgreSQL server (when
``NIANBAO_TEST_DATABASE_URL`` names one; ``.ci/run`` starts it).
"""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from review_helpers import reference, with_cells

from assistant.errors import ReviewError
from assistant.review import decide, issue_rows, report_rows, run_audit
from assistant.review.workbook import export
from assistant.review.workbook_import import import_workbook

SLUG = "qinghe-city-2022"
T4 = ("四", "行政复议", "结果维持")  # 3 in the report: +1 breaks 行政复议's 总计 and the narrative's "结果维持3件"
T3 = ("三", "（一）予以公开", "自然人")  # 61: +2 breaks （七）总计 and the row's 总计
BROKEN = {T4: 4, T3: 63}
T3_FIXED = {T3: 63}  # table 四 corrected, table 三 still wrong


def _by_code(rows):
    out = {}
    for r in rows:
        out.setdefault(r.code, []).append(r)
    return out


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "青禾市2022年报.md").write_text(with_cells(SLUG, BROKEN), encoding="utf-8")
    shutil.copy(reference("shinan-county-2021"), d / "石楠县2021年报.md")
    return d


def _decide_all(store):
    rows = _by_code(issue_rows("市审核", store))
    assert {"I1", "I2", "I4", "N4"} <= set(rows), sorted(rows)
    decide("市审核", rows["I1"][0].fingerprint, "确认", note="请重新核对（七）总计", by="张三", store=store)
    decide("市审核", rows["I2"][0].fingerprint, "排除", reason="已电话核实，原表如此", by="李四", store=store)
    decide("市审核", rows["I4"][0].fingerprint, "待定", by="张三", store=store)
    decide("市审核", rows["N4"][0].fingerprint, "确认", by="张三", store=store)
    return {code: rows[code][0].fingerprint for code in ("I1", "I2", "I4", "N4")}


def _state(store):
    return {r.fingerprint: (r.status, r.decision, r.reason, r.note, r.decided_by) for r in issue_rows("市审核", store)}


def test_decisions_survive_a_rerun_a_rename_and_a_corrected_reupload(review_store, folder):
    store = review_store
    first = run_audit("市审核", [folder], store=store)
    assert first.checked == 2 and first.reports == 2
    fps = _decide_all(store)
    before = _state(store)
    assert before[fps["I2"]] == ("open", "排除", "已电话核实，原表如此", "", "李四")
    assert before[fps["I1"]][1:4] == ("确认", "", "请重新核对（七）总计")

    again = run_audit("市审核", [folder], store=store)
    assert again.checked == 0 and again.unchanged == 2  # nothing changed, nothing read again
    assert _state(store) == before

    (folder / "青禾市2022年报.md").rename(folder / "青禾市人民政府2022年度报告.md")
    renamed = run_audit("市审核", [folder], store=store)
    assert renamed.renamed == [(str(folder / "青禾市2022年报.md"), str(folder / "青禾市人民政府2022年度报告.md"))]
    assert renamed.checked == 0 and renamed.removed == []
    assert _state(store) == before

    # The agency sends a corrected report: table 四 fixed, table 三 still wrong.
    (folder / "青禾市人民政府2022年度报告.md").write_text(with_cells(SLUG, T3_FIXED), encoding="utf-8")
    corrected = run_audit("市审核", [folder], store=store)
    assert corrected.checked == 1 and corrected.changed == [str(folder / "青禾市人民政府2022年度报告.md")]
    after = _state(store)
    assert after[fps["I4"]][:2] == ("fixed", "待定")  # 已修正; the decision is kept with it
    assert after[fps["N4"]][:2] == ("fixed", "确认")
    # Fixed: I4 and N4, and the root cause they follow from when the checker names one (one wrong cell of 四).
    causes = {r.cause for r in issue_rows("市审核", store) if r.fingerprint in (fps["I4"], fps["N4"]) and r.cause}
    assert set(corrected.fixed) == {fps["I4"], fps["N4"]} | causes
    for code in ("I1", "I2"):
        assert after[fps[code]] == before[fps[code]]
    shown = {r.fingerprint: r.shown for r in issue_rows("市审核", store)}
    assert shown[fps["I4"]] == "已修正" and shown[fps["I2"]] == "排除"
    summary = {r.name: r for r in report_rows("市审核", store)}
    row = summary[str(folder / "青禾市人民政府2022年度报告.md")]
    assert row.decisions["已修正"] == 2 + len(causes) and row.decisions["确认"] == 1 and row.decisions["排除"] == 1


def test_a_reupload_under_another_name_replaces_the_old_version_and_keeps_decisions(review_store, folder, tmp_path):
    """Adding (as the UI does): a report of an agency and year already in the audit is its new version."""
    store = review_store
    run_audit("市审核", [folder], store=store)
    fps = _decide_all(store)
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "青禾市2022年报（修改稿）.md").write_text(with_cells(SLUG, T3_FIXED), encoding="utf-8")
    result = run_audit("市审核", [upload / "青禾市2022年报（修改稿）.md"], sync=False, store=store)
    assert result.replaced == [(str(folder / "青禾市2022年报.md"), str(upload / "青禾市2022年报（修改稿）.md"))]
    assert result.reports == 2  # the Shinan report stays: adding removes nothing else
    state = _state(store)
    assert state[fps["I4"]][:2] == ("fixed", "待定")
    assert state[fps["I2"]][:3] == ("open", "排除", "已电话核实，原表如此")


def test_a_finding_that_comes_back_is_open_again_with_its_decision(review_store, folder):
    store = review_store
    path = folder / "青禾市2022年报.md"
    run_audit("市审核", [folder], store=store)
    fps = _decide_all(store)
    path.write_text(with_cells(SLUG, T3_FIXED), encoding="utf-8")
    run_audit("市审核", [folder], store=store)
    assert _state(store)[fps["I4"]][0] == "fixed"
    path.write_text(with_cells(SLUG, BROKEN), encoding="utf-8")
    run_audit("市审核", [folder], store=store)
    assert _state(store)[fps["I4"]][:2] == ("open", "待定")


def test_removing_a_report_from_the_audit_is_not_fixing_it(review_store, folder):
    store = review_store
    run_audit("市审核", [folder], store=store)
    fps = _decide_all(store)
    (folder / "青禾市2022年报.md").unlink()
    result = run_audit("市审核", [folder], store=store)
    assert result.removed == [str(folder / "青禾市2022年报.md")] and result.fixed == []
    assert fps["I4"] not in {r.fingerprint for r in issue_rows("市审核", store)}  # gone, not 已修正
    gone = {r.fingerprint: r for r in issue_rows("市审核", store, include_gone=True)}
    assert gone[fps["I4"]].status == "gone" and gone[fps["I4"]].decision == "待定"


def test_dismissing_needs_a_reason_and_unknown_words_are_refused(review_store, folder):
    store = review_store
    run_audit("市审核", [folder], store=store)
    fp = issue_rows("市审核", store)[0].fingerprint
    with pytest.raises(ReviewError, match="理由"):
        decide("市审核", fp, "排除", store=store)
    with pytest.raises(ReviewError, match="无法识别的决定"):
        decide("市审核", fp, "也许", store=store)
    with pytest.raises(ReviewError, match="没有指纹"):
        decide("市审核", "ffffffffff", "确认", store=store)
    with pytest.raises(ReviewError, match="没有名为"):
        decide("别的审核", fp, "确认", store=store)
    done = decide("市审核", fp[:8], "dismiss", reason="口径不同", store=store)  # a prefix and an English word
    assert done.decision == "排除" and done.fingerprint == fp and done.revision == 1
    again = decide("市审核", fp, "排除", reason="口径不同", store=store)
    assert not again.changed and again.revision == 1


def _edit(path, edits: dict[str, tuple[str, str, str]]):
    """Fill decisions into the 问题 sheet as a reviewer would in Excel: {fingerprint: (决定, 排除理由, 备注)}."""
    wb = openpyxl.load_workbook(path)
    ws = wb["问题"]
    header = [c.value for c in ws[1]]
    col = {h: header.index(h) + 1 for h in ("指纹", "决定", "排除理由", "备注")}
    for row in range(2, ws.max_row + 1):
        fp = ws.cell(row, col["指纹"]).value
        if fp in edits:
            decision, reason, note = edits[fp]
            ws.cell(row, col["决定"]).value = decision
            ws.cell(row, col["排除理由"]).value = reason
            ws.cell(row, col["备注"]).value = note
    wb.save(path)


def test_workbook_export_edit_import_stores_the_decisions(review_store, folder, tmp_path):
    store = review_store
    run_audit("市审核", [folder], store=store)
    rows = _by_code(issue_rows("市审核", store))
    i1, i2, n4 = rows["I1"][0].fingerprint, rows["I2"][0].fingerprint, rows["N4"][0].fingerprint
    path = export("市审核", tmp_path / "审核.xlsx", store)
    _edit(path, {i1: ("确认", None, "请改（七）总计"), i2: ("排除", "原表如此", None), n4: ("待定", None, None)})
    result = import_workbook("市审核", path, by="王五", store=store)
    assert sorted(fp for fp, _, _ in result.applied) == sorted([i1, i2, n4])
    assert result.conflicts == [] and result.problems == []
    state = _state(store)
    assert state[i1] == ("open", "确认", "", "请改（七）总计", "王五")
    assert state[i2] == ("open", "排除", "原表如此", "", "王五")
    assert state[n4][1] == "待定"
    again = import_workbook("市审核", path, store=store)  # importing the same workbook twice changes nothing
    assert again.applied == [] and again.conflicts == [] and again.agreed == 3


def test_a_decision_changed_on_both_sides_is_listed_not_overwritten(review_store, folder, tmp_path):
    store = review_store
    run_audit("市审核", [folder], store=store)
    rows = _by_code(issue_rows("市审核", store))
    i1, i2 = rows["I1"][0].fingerprint, rows["I2"][0].fingerprint
    path = export("市审核", tmp_path / "审核.xlsx", store)
    decide("市审核", i1, "排除", reason="数据库这边的判断", by="李四", store=store)  # after the export
    decide("市审核", i2, "待定", by="李四", store=store)  # also after the export; the workbook leaves it alone
    _edit(path, {i1: ("确认", None, "工作簿这边的判断"), i2: ("待定", None, None)})
    result = import_workbook("市审核", path, by="王五", store=store)
    assert [c.fingerprint for c in result.conflicts] == [i1]
    c = result.conflicts[0]
    assert "确认" in c.workbook and "工作簿这边的判断" in c.workbook
    assert "排除" in c.database and "数据库这边的判断" in c.database and c.decided_by == "李四"
    assert result.agreed == 1  # i2: both sides say 待定
    state = _state(store)
    assert state[i1] == ("open", "排除", "数据库这边的判断", "", "李四")  # not overwritten


def test_unusable_rows_are_listed_and_the_rest_imported(review_store, folder, tmp_path):
    store = review_store
    run_audit("市审核", [folder], store=store)
    rows = _by_code(issue_rows("市审核", store))
    i1, i2, n4 = rows["I1"][0].fingerprint, rows["I2"][0].fingerprint, rows["N4"][0].fingerprint
    path = export("市审核", tmp_path / "审核.xlsx", store)
    _edit(path, {i1: ("也许吧", None, None), i2: ("排除", None, None), n4: ("确认", None, None)})
    result = import_workbook("市审核", path, store=store)
    problems = {fp: why for _, fp, why in result.problems}
    assert set(problems) == {i1, i2} and "无法识别" in problems[i1] and "理由" in problems[i2]
    assert [fp for fp, _, _ in result.applied] == [n4]
    with pytest.raises(ReviewError, match="导出自审核“市审核”"):
        import_workbook("另一个审核", path, store=store)


def test_formula_text_stays_text_in_the_workbook(review_store, tmp_path, monkeypatch):
    store = review_store
    monkeypatch.chdir(tmp_path)
    name = '=HYPERLINK("x.com","点我").md'
    (tmp_path / name).write_text(with_cells(SLUG, BROKEN), encoding="utf-8")
    run_audit("市审核", [name], store=store)
    fp = _by_code(issue_rows("市审核", store))["I1"][0].fingerprint
    decide("市审核", fp, "确认", note="=1+1", by="@管理员", store=store)
    decide("市审核", _by_code(issue_rows("市审核", store))["I2"][0].fingerprint, "排除",
           reason="-2+3", note="\t制表符开头", by="+张三", store=store)
    path = export("市审核", tmp_path / "审核.xlsx", store)
    wb = openpyxl.load_workbook(path)
    texts = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts
    risky = [c for c in texts if c.value.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert {c.value for c in risky} >= {name, "=1+1", "-2+3", "+张三", "@管理员"}  # notes are stored stripped
    for cell in texts:
        assert cell.data_type == "s", cell.coordinate  # never a formula
    for cell in risky:  # shown as written, kept text by Excel's quote prefix (spreadsheet.put_cell)
        assert cell.quotePrefix, (cell.coordinate, cell.value)
    summary = wb["汇总"]
    assert summary["A2"].value == name
    # Read back, the escaped values are what was written: nothing changed, nothing imported.
    result = import_workbook("市审核", path, store=store)
    assert result.applied == [] and result.problems == [] and result.unchanged == len(issue_rows("市审核", store))
    assert _state(store)[fp][3] == "=1+1"
