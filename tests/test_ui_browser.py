"""The workspace in a real browser: Debian's chromium driven by Playwright.

What a reviewer does: upload two reports, ask for a figure and for a
comparison and read the cited answers; check one report, fix its empty
（七）总计, find the draft tab refusing while the tables are wrong, draft
anyway and download. The page's visible text holds no English (in a Chinese
browser, and in an English one too), and on a phone-sized screen no number
is broken over two lines. Screenshots are saved in the test's own folder.
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

from chat_helpers import HUAIAN, LINZI  # noqa: E402

from assistant.chat import Workspace  # noqa: E402
from assistant.draft.settings import LLMSettings  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ERROR_BG = "rgb(253, 226, 225)"  # the background the findings give an erroneous cell
TABS = ("报告", "表二", "表三", "表四", "台账", "审核", "草稿", "下载")
# Latin words the page may show: the names of the files the user uploaded (and their suffixes), and
# file formats, which have no Chinese names (the upload box and the download choices name them).
FORMATS = {"txt", "md", "htm", "html", "docx", "pdf", "csv", "xlsx", "zip", "PDF", "DOCX", "HTML", "CSV", "Markdown", "Word",
           "Excel"}
FILE_WORDS = set(re.findall(r"[A-Za-z]+", LINZI.name + " " + HUAIAN.name))
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
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _page(browser, url, width=1500, height=1100, locale="zh-CN"):
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale,
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url, wait_until="domcontentloaded")
    page.locator("#nb-chat").get_by_text("你好").first.wait_for()
    return context, page


def _ask(page, question: str, done: str) -> str:
    chat = page.locator("#nb-chat")
    # ``done`` may already stand in an earlier answer: wait until this answer adds it once more.
    before = chat.get_by_text(done).count()
    box = page.locator("#nb-ask-input textarea")
    box.fill(question)
    box.press("Enter")
    for _ in range(300):
        if chat.get_by_text(done).count() > before:
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError(f"30 秒内没有等到回答中的“{done}”（问题：{question}）")
    return chat.inner_text()


def _upload(page, *paths: Path) -> None:
    page.locator("#nb-upload input[type=file]").set_input_files([str(p) for p in paths])
    for p in paths:
        page.locator("#nb-chat").get_by_text(f"已载入报告“{p.name}”").wait_for()


def _english(page) -> set[str]:
    """Latin words in the page's visible text, beyond file names and format names."""
    words = set()
    for tab in TABS:
        page.get_by_role("tab", name=tab, exact=True).click()
        words |= set(re.findall(r"[A-Za-z]{3,}", page.evaluate("document.body.innerText")))
    page.get_by_role("tab", name="报告", exact=True).click()
    return {w for w in words if w not in FORMATS and w not in FILE_WORDS}


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


# Every run of digits (with its separators) in the chat and the findings list, and on how many
# lines it is drawn: a number drawn on two lines was broken in the middle.
BROKEN_NUMBERS = """() => {
  const out = [];
  let checked = 0;
  for (const root of document.querySelectorAll('#nb-chat, #nb-findings, #nb-loaded')) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walk.nextNode())) {
      for (const m of node.textContent.matchAll(/\\d[\\d,.]*\\d/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        checked += 1;
        if (tops.size > 1) out.push(m[0]);
      }
    }
  }
  return {checked, broken: out};
}"""


@pytest.mark.realdata
def test_two_reports_a_lookup_and_a_comparison_with_citations(browser, url, tmp_path):
    context, page = _page(browser, url)
    try:
        _upload(page, LINZI, HUAIAN)
        # A summary row per report.
        summary = page.locator("#nb-loaded").inner_text()
        assert "临淄区人民政府办公室" in summary and "淮安市人民政府" in summary and "未读单元格" in summary

        text = _ask(page, "淮安市本年新收政府信息公开申请多少件", "出处")
        assert "表三 一、本年新收 × 总计 = 3119 件" in text
        assert "第4页" in text  # where the figure sits in the PDF

        text = _ask(page, "淮安和临淄相比，哪个申请多？", "相差")
        assert "3119 件" in text and "35 件" in text and "相差 3084 件" in text

        # A suggested question is a click away.
        _ask(page, "今天天气怎么样", "点击即可提问")
        page.locator("#nb-chat button", has_text="哪些合计对不上").last.click()
        page.locator("#nb-chat").get_by_text("想了解某个问题").last.wait_for()
        page.screenshot(path=str(tmp_path / "ui-two-reports.png"), full_page=True)

        assert _english(page) == set()
    finally:
        context.close()


@pytest.mark.realdata
def test_an_english_browser_still_sees_only_chinese(browser, url):
    context, page = _page(browser, url, locale="en-US")
    try:
        assert _english(page) == set()
        _upload(page, LINZI)
        assert _english(page) == set()
    finally:
        context.close()


@pytest.mark.realdata
def test_on_a_phone_numbers_stay_whole(browser, url, tmp_path):
    context, page = _page(browser, url, width=390, height=844)
    try:
        _upload(page, HUAIAN)
        _ask(page, "行政处罚多少件", "3985758")
        _ask(page, "不予公开一共多少", "出处")
        _ask(page, "比较各报告的行政许可数量", "447228")
        page.screenshot(path=str(tmp_path / "ui-phone.png"), full_page=True)
        numbers = page.evaluate(BROKEN_NUMBERS)
        assert numbers["checked"] > 20 and numbers["broken"] == []
    finally:
        context.close()


@pytest.mark.realdata
def test_check_fix_draft_refused_then_forced_and_download(browser, url, tmp_path):
    context, page = _page(browser, url)
    try:
        chat = page.locator("#nb-chat")
        findings = page.locator("#nb-findings")
        _upload(page, LINZI)

        text = _ask(page, "哪些合计对不上", "想了解某个问题")
        assert "35 ≠ 43" in text  # the identity: 35 + 0 against 35 + 8
        assert "12 + 1 + 1 + 601 = 615 ≠ 631" in text  # the portal figures
        assert "4 + 0 + 26 + 5 = 35 ≠ 33" in text  # 办结 33 against its parts
        assert findings.locator("li[data-code='I1']").count() == 1
        assert "问题1" in findings.inner_text()  # numbered as the chat numbers them

        # The empty （七）总计 is highlighted in table 三; fill it and the finding goes.
        page.get_by_role("tab", name="表三", exact=True).click()
        row = _row_of(page, "nb-t3", "（七）总计")
        total = page.locator(f'#nb-t3 [data-testid="cell-{row}-7"]')
        playwright.expect(total).to_have_attribute("style", re.compile(re.escape(ERROR_BG)))
        _edit(page, "nb-t3", row, 1, "35")
        _edit(page, "nb-t3", row, 7, "35")
        findings.locator("li[data-code='I1']").wait_for(state="detached")
        # 35 + 0 ≠ 35 + 8 still, in both columns: one error (the 自然人 column's under the 总计 column's).
        assert findings.locator("li[data-code='P1']").count() == 1
        # The cell shows what was typed; it stays red because the identity still fails there.
        assert total.inner_text().split()[0] == "35"
        playwright.expect(total).to_have_attribute("style", re.compile(re.escape(ERROR_BG)))

        # The draft tab refuses as `nianbao draft` does, saying why …
        page.get_by_role("tab", name="草稿", exact=True).click()
        page.locator("#nb-draft-btn").click()
        notes = page.locator("#nb-draft-notes")
        notes.get_by_text("请补齐上述数字后再起草").wait_for()
        assert "输入表格中有" in notes.inner_text() and "P1" in notes.inner_text()
        page.screenshot(path=str(tmp_path / "ui-draft-refused.png"), full_page=True)

        # … and drafts when told to, keeping the warning beside the draft.
        page.locator("#nb-draft-force input").check()
        page.locator("#nb-draft-btn").click()
        notes.get_by_text("数字核验").wait_for()
        assert "表格有上述问题" in notes.inner_text()
        verdict = re.search(r"共核对(\d+)个数字，(\d+)个有据可查", notes.inner_text())
        assert verdict and verdict.group(1) == verdict.group(2)
        draft = page.locator("#nb-draft textarea").input_value()
        assert draft.startswith("一、总体情况")
        assert chat.get_by_text("已起草第一部分").count() == 1

        # The draft's own download button gives the report as Word.
        with page.expect_download() as info:
            page.locator("#nb-draft-download").click()
        saved = tmp_path / "draft.docx"
        info.value.save_as(saved)
        with zipfile.ZipFile(saved) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        assert "临淄区人民政府办公室" in xml and "一、总体情况" in xml
        assert draft.split("\n\n")[1][:15] in xml
    finally:
        context.close()
