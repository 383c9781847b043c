"""The 台账 tab through the UI's API (gradio_client against a launched app)."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

gradio_client = pytest.importorskip("gradio_client")
from conftest import ROOT  # noqa: E402
from gradio_client import Client, handle_file  # noqa: E402

from assistant.chat import Workspace  # noqa: E402
from assistant.export import to_text  # noqa: E402
from assistant.model import Cell, CellState  # noqa: E402
from assistant.parse.facts import report_from_yaml  # noqa: E402
from evals.ledger import build as registers  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:::gradio.queueing")]  # starts the Gradio app

# Outputs of the ledger endpoints: the tab's status and grid, then the app's own outputs.
STATUS, UNMAPPED, CHAT, FINDINGS, T2, T3, T4, LOADED = range(8)
EMPTY_GRID = {"headers": ["类别", "台账中的写法", "行数", "对应到（请填写）", "可填写"], "data": []}


@pytest.fixture(scope="module")
def url():
    from assistant.ui import launch

    # The server binds its own port; the app says which.
    app = launch(port=None, block=False, warm_index=False, quiet=True, workspace_factory=Workspace)
    yield app.local_url
    app.close()


def _chat(out) -> str:
    content = out[CHAT][-1]["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return content


def test_check_a_loaded_report_against_its_register(url, tmp_path):
    spec = registers.build("qinghe-city-2023")
    register = registers.write_xlsx(spec, tmp_path / "台账.xlsx")
    report = report_from_yaml(ROOT / "evals" / "reference" / "qinghe-city-2023" / "report.yaml")
    report.table3["（一）予以公开"]["自然人"] = Cell(value=60, state=CellState.number, raw="60")
    doc = tmp_path / "报告.txt"
    doc.write_text(to_text(report), encoding="utf-8")

    client = Client(url, verbose=False)
    client.predict([handle_file(str(doc))], False, api_name="/upload")
    out = client.predict(handle_file(str(register)), None, EMPTY_GRID, api_name="/ledger_upload")
    assert "计入表三的申请189件" in out[STATUS]
    assert "已读取台账“台账.xlsx”" in _chat(out)
    out = client.predict(None, EMPTY_GRID, api_name="/ledger_compare")
    assert "不一致的单元格共1处" in out[STATUS]
    assert "表三 （一）予以公开 × 自然人：台账 58，报告 60" in out[STATUS]
    assert "编号YSQ-2023-" in out[STATUS]
    assert "台账 58" in _chat(out)


def test_assign_unmapped_values_then_fill_the_tables(url, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "收到申请日期", "申请人类型", "办理结果", "答复日期"])
    ws.append(["A1", date(2025, 3, 5), "个体工商户", "同意公开", date(2025, 3, 20)])
    ws.append(["A2", date(2025, 3, 6), "公民", "依法公开", date(2025, 3, 21)])
    ws.append(["A3", date(2025, 12, 29), "公民", "办理中", None])
    wb.save(tmp_path / "台账.xlsx")

    client = Client(url, verbose=False)
    out = client.predict(handle_file(str(tmp_path / "台账.xlsx")), 2025, EMPTY_GRID, api_name="/ledger_upload")
    assert "表格未计算" in out[STATUS]
    grid = out[UNMAPPED]
    assert sorted((r[0], r[1]) for r in grid["data"]) == [("办理结果", "依法公开"), ("申请人类型", "个体工商户")]
    # Nothing was filled from a guess.
    refused = client.predict(2025, grid, api_name="/ledger_fill")
    assert "没有填表" in _chat(refused)

    for r in grid["data"]:
        r[3] = "商业企业" if r[1] == "个体工商户" else "（一）予以公开"
    out = client.predict(2025, grid, api_name="/ledger_recompute")
    assert "计入表三的申请3件" in out[STATUS] and out[UNMAPPED]["data"] == []
    out = client.predict(2025, grid, api_name="/ledger_fill")
    assert "已按台账“台账.xlsx”填写表三" in _chat(out)
    t3 = {r[0]: r[1:] for r in out[T3]["data"]}
    assert t3["一、本年新收"] == ["2", "1", "0", "0", "0", "0", "3"]
    assert t3["（一）予以公开"] == ["1", "1", "0", "0", "0", "0", "2"]
    assert t3["四、结转下年度继续办理"] == ["1", "0", "0", "0", "0", "0", "1"]


def test_a_file_that_is_not_a_register_is_refused(url, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("只有一列\n", encoding="utf-8")
    client = Client(url, verbose=False)
    out = client.predict(handle_file(str(bad)), 2025, EMPTY_GRID, api_name="/ledger_upload")
    assert "不是表格文件" in out[STATUS]
