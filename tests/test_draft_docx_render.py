"""The drafted DOCX as people will see it: converted by LibreOffice, rendered to page images.

The pages land in the test's temporary folder (pytest keeps the last few
runs' folders) so the layout can be looked at: headings, table 三 with its
merged header and vertical group labels, table 四 with its two header rows.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.draft import ExtraFigure, draft_report, load_facts
from assistant.export import to_docx
from assistant.export.pdf import docx_to_pdf, soffice_path

pytestmark = pytest.mark.slow  # runs LibreOffice

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "evals" / "reference"


@pytest.mark.skipif(soffice_path() is None or shutil.which("pdftoppm") is None,
                    reason="needs LibreOffice and poppler's pdftoppm")
@pytest.mark.parametrize("slug", ["qinghe-city-2023", "shinan-county-2020"])
def test_drafted_docx_renders_to_pages(slug, tmp_path):
    facts = load_facts(REF / slug / "report.yaml")
    if facts.edition != "2019":
        facts.extra.append(ExtraFigure(label="收取信息处理费", value=0, unit="元"))
    docx = to_docx(draft_report(facts).report)
    artifacts = tmp_path
    (artifacts / f"{slug}.docx").write_bytes(docx)
    pdf = docx_to_pdf(docx)
    pdf_path = artifacts / f"{slug}.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf_path), str(artifacts / f"{slug}-page")],
                   check=True, timeout=120)
    pages = sorted(artifacts.glob(f"{slug}-page-*.png"))
    assert len(pages) >= 3  # text, then table 三 and table 四 each start a page
    assert all(p.stat().st_size > 10_000 for p in pages)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True,
                              check=True, timeout=60).stdout.decode("utf-8")
        for heading in ("一、总体情况", "三、收到和处理政府信息公开申请情况", "五、存在的主要问题及改进情况"):
            assert heading in text.replace(" ", "")
