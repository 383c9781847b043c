"""The whole flow in a real browser: Debian's chromium driven by Playwright.

One browser session walks through what a reviewer does: upload the Linzi
report, ask which totals do not add up, fix （七）总计, draft 总体情况 and
download the Word file. Screenshots of the page after the check are saved in
the test's own temporary folder.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,  # drives chromium
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)"),
    pytest.mark.filterwarnings("ignore:::gradio.queueing"),
]
playwright = pytest.importorskip("playwright.sync_api")

from chat_helpers import LINZI  # noqa: E402

from assistant.chat import Workspace  # noqa: E402
from assistant.draft.settings import LLMSettings  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ERROR_BG = "rgb(253, 226, 225)"  # the background the findings give an erroneous cell
# Styles arrive with the grid after the problem list has changed: assertions on them wait (5 s at most).


@pytest.fixture(scope="module")
def url():
    from assistant.ui import launch

    # The server binds its own port; the app says which.
    app = launch(port=None, block=False, warm_index=False, quiet=True,
                 workspace_factory=lambda: Workspace(llm_settings=LLMSettings()))
    yield app.local_url
    app.close()


@pytest.fixture(scope="module")
def page(url):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(url, wait_until="domcontentloaded")
        yield page
        context.close()
        browser.close()


def _row_of(page, table: str, label: str) -> int:
    """The data row index of a label in a grid (rows render as cells with data-testid cell-R-C)."""
    cells = page.locator(f"#{table} [data-testid$='-0']")
    for i in range(cells.count()):
        cell = cells.nth(i)
        if cell.inner_text().strip() == label:
            return int(re.match(r"cell-(\d+)-0", cell.get_attribute("data-testid")).group(1))
    raise AssertionError(f"{label} not in {table}")


def _edit(page, table: str, row: int, col: int, text: str) -> None:
    cell = page.locator(f'#{table} [data-testid="cell-{row}-{col}"]')
    cell.scroll_into_view_if_needed()
    cell.dblclick()
    box = cell.locator("input, textarea").first
    box.fill(text)
    box.press("Enter")


@pytest.mark.realdata
def test_upload_check_fix_draft_download(page, tmp_path):
    chat = page.locator("#nb-chat")
    findings = page.locator("#nb-findings")

    # Upload the report.
    page.locator("#nb-upload input[type=file]").set_input_files(str(LINZI))
    chat.get_by_text("已载入报告").wait_for()

    # Ask which totals do not add up.
    box = page.locator("#nb-ask-input textarea")
    box.fill("哪些合计对不上")
    box.press("Enter")
    chat.get_by_text("想了解某一项").wait_for()
    text = chat.inner_text()
    assert "35 ≠ 43" in text  # the identity: 35 + 0 against 35 + 8
    assert "12 + 1 + 1 + 601 = 615 ≠ 631" in text  # the portal figures
    assert "4 + 0 + 26 + 5 = 35 ≠ 33" in text  # 办结 33 against its parts
    assert findings.locator("li[data-code='I1']").count() == 1
    page.screenshot(path=str(tmp_path / "ui-after-check.png"), full_page=True)

    # The empty （七）总计 is highlighted in table 三; fill it and the finding goes.
    page.get_by_role("tab", name="表三").click()
    row = _row_of(page, "nb-t3", "（七）总计")
    total = page.locator(f'#nb-t3 [data-testid="cell-{row}-7"]')
    playwright.expect(total).to_have_attribute("style", re.compile(re.escape(ERROR_BG)))
    page.screenshot(path=str(tmp_path / "ui-table3.png"), full_page=True)
    _edit(page, "nb-t3", row, 1, "35")
    _edit(page, "nb-t3", row, 7, "35")
    findings.locator("li[data-code='I1']").wait_for(state="detached")
    # 35 + 0 ≠ 35 + 8 still, in both columns: one error (the 自然人 column's under the 总计 column's).
    assert findings.locator("li[data-code='P1']").count() == 1
    # The cell shows what was typed; it stays red because the identity still fails there.
    assert total.inner_text().split()[0] == "35"
    playwright.expect(total).to_have_attribute("style", re.compile(re.escape(ERROR_BG)))

    # Draft 总体情况: the text and the guard's verdict.
    page.get_by_role("tab", name="草稿").click()
    page.locator("#nb-draft-btn").click()
    draft = page.locator("#nb-draft")
    draft.get_by_text("数字核验").wait_for()
    assert "一、总体情况" in draft.inner_text()
    verdict = re.search(r"共核对(\d+)个数字，(\d+)个有据可查", draft.inner_text())
    assert verdict and verdict.group(1) == verdict.group(2)

    # Download the report as Word.
    page.get_by_role("tab", name="下载").click()
    page.locator("#nb-download-btn").click()
    link = page.locator("#nb-download-file a").first
    link.wait_for()
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / "report.docx"
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "临淄区人民政府办公室" in xml and "一、总体情况" in xml
    first = re.sub(r"\\(.)", r"\1", draft.inner_text().split("一、总体情况", 1)[1].strip().splitlines()[0])
    assert first[:15] in xml
