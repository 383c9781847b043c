"""The 审核 tab: in a real browser (Debian's chromium via Playwright) and through the UI's API (gradio_client)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from review_helpers import REFERENCE, with_cells

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:::gradio.queueing")]


def _zip_of_ten(tmp_path: Path) -> Path:
    z = tmp_path / "十份报告.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as out:
        for report in sorted(REFERENCE.glob("*/report.md")):
            out.write(report, f"报送材料/{report.parent.name}.md")
    return z


@pytest.fixture
def url():
    from assistant.ui import launch

    # Launched inside the test, after the isolation fixture: its review database is in this test's data folder.
    app = launch(port=None, block=False, warm_index=False, quiet=True)
    yield app.local_url
    app.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
def test_upload_a_zip_dismiss_a_finding_and_it_is_still_there_after_a_reload(url, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    z = _zip_of_ten(tmp_path)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(30_000)
        expect = sync_api.expect
        try:
            page.goto(url, wait_until="domcontentloaded")
            page.get_by_role("tab", name="审核").click()
            page.locator("#nb-review-upload input[type=file]").set_input_files(str(z))
            expect(page.locator("#nb-review-status")).to_contain_text("新增 10 份")
            expect(page.locator("#nb-review-status")).to_contain_text("配对 2 份")
            summary = page.locator("#nb-review-summary")
            for agency in ("云泽省人民政府", "青禾市统计局", "石楠县桐溪镇人民政府"):
                expect(summary.get_by_text(agency).first).to_be_visible()

            summary.get_by_text("青禾市统计局").first.click()
            findings = page.locator("#nb-review-findings")
            rule = findings.locator('[data-testid="cell-0-2"]')
            expect(rule).to_have_text("I3")
            expect(findings.locator('[data-testid="cell-0-0"]')).to_have_text("未决定")
            rule.click()
            expect(page.locator("#nb-review-chosen")).to_contain_text("I3")
            page.locator("#nb-review-reason textarea").fill("统计局不制定规章，按惯例填“/”")
            page.locator("#nb-review-who input, #nb-review-who textarea").first.fill("赵审核")
            page.locator("#nb-review-dismiss").click()
            expect(page.locator("#nb-review-status")).to_contain_text("已记录")
            expect(findings.locator('[data-testid="cell-0-0"]')).to_have_text("排除")
            page.screenshot(path=str(tmp_path / "review-dismissed.png"), full_page=True)

            page.reload(wait_until="domcontentloaded")
            page.get_by_role("tab", name="审核").click()
            summary = page.locator("#nb-review-summary")
            expect(summary.get_by_text("青禾市统计局").first).to_be_visible()
            summary.get_by_text("青禾市统计局").first.click()
            findings = page.locator("#nb-review-findings")
            expect(findings.locator('[data-testid="cell-0-2"]')).to_have_text("I3")
            expect(findings.locator('[data-testid="cell-0-0"]')).to_have_text("排除")
            expect(findings.locator('[data-testid="cell-0-6"]')).to_contain_text("统计局不制定规章")
            expect(findings.locator('[data-testid="cell-0-7"]')).to_have_text("赵审核")
            page.screenshot(path=str(tmp_path / "review-after-reload.png"), full_page=True)
        finally:
            context.close()
            browser.close()


def test_upload_decide_download_and_import_through_the_api(url, tmp_path):
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    broken = tmp_path / "青禾市2022.md"
    broken.write_text(with_cells("qinghe-city-2022", {("四", "行政复议", "结果维持"): 4}), encoding="utf-8")
    out = client.predict([handle_file(str(broken))], "市级审核", "全部", api_name="/review_upload")
    status = out[8]  # the page (the chosen finding, a state, is not returned), then the status
    assert "新增 1 份" in status
    findings = out[3]["data"]
    codes = {row[2]: row for row in findings}
    assert {"I4", "N4"} <= set(codes) and codes["I4"][0] == "未决定"

    # The select events carry the row; through the API the fingerprint goes in the page's state instead.
    from assistant.review import decide, issue_rows

    fp = codes["I4"][8]
    assert fp in {r.fingerprint for r in issue_rows("市级审核")}
    decide("市级审核", fp, "确认", by="命令行的人", source="命令行")
    file_path, message = client.predict("市级审核", api_name="/review_download")
    assert "已生成审核工作簿" in message
    wb = openpyxl.load_workbook(file_path)
    sheet = wb["问题"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("指纹")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[fp][header.index("决定")] == "确认"
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref.startswith("A1:")

    # A reviewer dismisses N4 in the workbook; the import in the tab stores it.
    n4 = codes["N4"][8]
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, header.index("指纹") + 1).value == n4:
            sheet.cell(r, header.index("决定") + 1).value = "排除"
            sheet.cell(r, header.index("排除理由") + 1).value = "叙述写的是另一口径"
    edited = tmp_path / "填好的.xlsx"
    wb.save(edited)
    out = client.predict(handle_file(str(edited)), "市级审核", "王审核", "全部", None, api_name="/review_import")
    assert "记录 1 项决定" in out[8]
    state = {r.fingerprint: r for r in issue_rows("市级审核")}
    assert state[n4].decision == "排除" and state[n4].decided_by == "王审核"
