"""Register → facts → `nianbao draft` → DOCX → `nianbao check`: no error anywhere on the way."""

from __future__ import annotations

import yaml
from conftest import ROOT
from typer.testing import CliRunner

from assistant.cli import app
from assistant.parse import parse_file
from evals.ledger import build as registers

runner = CliRunner()
REF = ROOT / "evals" / "reference"


def _base_facts(slug: str, path):
    """What the register cannot give: agency, table 二 and the 信息处理费."""
    data = yaml.safe_load((REF / slug / "report.yaml").read_text(encoding="utf-8"))
    base = {k: data[k] for k in ("agency", "level", "year", "edition", "table2") if k in data}
    if str(data.get("edition")) != "2019":
        base["extra"] = [{"label": "收取信息处理费", "value": 0, "unit": "元"}]
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_register_to_facts_to_docx_to_check(tmp_path):
    spec = registers.build("qinghe-city-2023")
    register = registers.write_xlsx(spec, tmp_path / "台账.xlsx")
    base = _base_facts("qinghe-city-2023", tmp_path / "base.yaml")
    facts = tmp_path / "facts.yaml"

    r = runner.invoke(app, ["ledger", str(register), "--year", "2023", "--facts", str(base), "--out", str(facts)])
    assert r.exit_code == 0, r.output
    data = yaml.safe_load(facts.read_text(encoding="utf-8"))
    assert data["agency"] == "青禾市人民政府" and "table2" in data
    assert data["table3"] == spec.table3 and data["table4"] == spec.table4
    assert facts.read_text(encoding="utf-8").startswith("# 由 nianbao ledger 根据台账")
    narrative = [n for n in data["notes"] if "工作日" in n]
    assert narrative and "未扣除法定节假日" in narrative[0]

    docx = tmp_path / "2023年报.docx"
    d = runner.invoke(app, ["draft", str(facts), "--out", str(docx)])
    assert d.exit_code == 0, d.output
    assert "未核实" not in d.output

    report = parse_file(docx)
    apply = report.section("一").text
    expected = spec.expected_narrative()
    assert f"在20个工作日内答复的有{expected['within_limit']}件" in apply
    assert f"通过网络提交{expected['channels']['网络']}件" in apply

    c = runner.invoke(app, ["check", str(docx)])
    assert c.exit_code == 0, c.output
    assert "错误 0 项" in c.output


def test_draft_takes_the_register_directly(tmp_path):
    """`nianbao draft FACTS --register FILE`: the register's tables replace the file's, and say so."""
    spec = registers.build("shinan-county-2020")  # a 2019-edition year
    register = registers.write_xlsx(spec, tmp_path / "台账.xlsx", style=2, merged=True)
    base = _base_facts("shinan-county-2020", tmp_path / "base.yaml")
    docx = tmp_path / "2020年报.docx"
    d = runner.invoke(app, ["draft", str(base), "--register", str(register), "--out", str(docx)])
    assert d.exit_code == 0, d.output
    assert "按台账“台账.xlsx”计算" in d.output
    report = parse_file(docx)
    assert report.edition == "2019"
    got = {label: [c.value for c in cells.values()] for label, cells in report.table3.items()}
    assert got == spec.table3
    c = runner.invoke(app, ["check", str(docx)])
    assert c.exit_code == 0, c.output


def test_draft_refuses_a_register_it_cannot_count(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "收到申请日期", "申请人类型", "办理结果", "答复日期"])
    ws.append(["A1", "2023-03-05", "个体工商户", "同意公开", "2023-03-09"])
    wb.save(tmp_path / "r.xlsx")
    base = _base_facts("qinghe-city-2023", tmp_path / "base.yaml")
    out = tmp_path / "x.docx"
    d = runner.invoke(app, ["draft", str(base), "--register", str(tmp_path / "r.xlsx"), "--out", str(out)])
    assert d.exit_code == 2
    assert "个体工商户" in d.output and "未起草" in d.output
    assert not out.exists()
