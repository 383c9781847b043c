"""Facts files, what is missing from them, and errors in their tables."""

import json
from pathlib import Path

import pytest
import yaml

from assistant.draft import LLMSettings, SettingsError, facts_from_report, input_errors, load_facts, missing_figures
from assistant.parse import parse_file
from assistant.parse.facts import FactsError

REF = Path(__file__).resolve().parents[1] / "evals" / "reference"


def reference_data(slug: str) -> dict:
    return yaml.safe_load((REF / slug / "report.yaml").read_text(encoding="utf-8"))


def write_facts(tmp_path, data, name="facts.yaml") -> Path:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_reference_report_serves_as_facts_without_its_prose(tmp_path):
    data = reference_data("shinan-market-regulation-2024")
    data["extra"] = [{"label": "收取信息处理费", "value": 300, "unit": "元"},
                     {"label": "政务新媒体", "value": 95, "unit": "个"}]
    data["notes"] = ["平台建设：开设食品抽检结果查询入口"]
    facts = load_facts(write_facts(tmp_path, data))
    assert facts.agency == "石楠县市场监督管理局" and facts.year == 2024 and facts.edition == "2021"
    assert facts.tables.sections == [] and facts.tables.preamble == []
    assert facts.tables.table3["（七）总计"]["总计"].value == 59
    assert [(x.label, x.value, x.unit) for x in facts.extra][1] == ("政务新媒体", 95, "个")
    assert facts.fee().value == 300
    assert missing_figures(facts) == []
    assert not facts.is_government


def test_json_facts_work_the_same(tmp_path):
    data = reference_data("chenglan-township-2023")
    data["extra"] = [{"label": "收取信息处理费", "value": 0, "unit": "元"}]
    facts = load_facts(write_facts(tmp_path, data, "facts.json"))
    assert facts.agency == "石楠县澄岚乡人民政府" and facts.is_government
    assert missing_figures(facts) == []


def test_previous_names_last_years_report_relative_to_the_file(tmp_path):
    data = reference_data("qinghe-city-2023")
    data["previous"] = "../prev.docx"
    (tmp_path / "sub").mkdir()
    (tmp_path / "prev.docx").write_bytes((REF / "qinghe-city-2022" / "report.docx").read_bytes())
    facts = load_facts(write_facts(tmp_path / "sub", data))
    assert facts.previous is not None and facts.previous.year == 2022
    assert facts.sheet().value("prev.t3.new") == 188


def test_missing_figures_are_listed_in_chinese(tmp_path):
    data = reference_data("qinghe-city-2023")
    del data["table4"]
    del data["table3"]["（一）予以公开"]
    data["table3"]["二、上年结转政府信息公开申请数量"][0] = None
    data["agency"] = None
    facts = load_facts(write_facts(tmp_path, data))
    missing = missing_figures(facts)
    assert "机关名称（agency）" in missing
    assert "表三 （一）予以公开：整行缺失" in missing
    assert "表三 二、上年结转政府信息公开申请数量 × 自然人" in missing
    assert "表四（行政复议、行政诉讼情况）：未提供" in missing
    assert any(m.startswith("信息处理费收取金额") for m in missing)
    # Drafting only 一 does not need the fee.
    assert not any(m.startswith("信息处理费") for m in missing_figures(facts, ["一"]))


def test_the_2019_edition_needs_no_fee_statement(tmp_path):
    facts = load_facts(write_facts(tmp_path, reference_data("shinan-county-2020")))
    assert missing_figures(facts) == []


def test_errors_in_the_input_tables_are_found():
    facts = load_facts(REF / "qinghe-city-2023" / "report.yaml")
    assert input_errors(facts) == []
    facts.tables.table3["（七）总计"]["总计"].value = 177
    # One mistyped cell: found once, at the cell (R1), with the identities it breaks under it.
    found = input_errors(facts)
    assert [f.code for f in found] == ["R1"]
    assert {"P1", "I1"} <= {f.code for top in found for f in top.all_findings()}


@pytest.mark.parametrize("content, message", [
    ("", "事实文件是空的"),
    ("- 1\n- 2\n", "内容应为键值映射"),
    ("year: 2023\nextra: 5\n", "extra 应为列表"),
    ("year: 2023\nextra: [{label: 门户网站, value: 很多}]\n", "value 应为数字"),
    ("year: 2023\nextra: [{value: 5}]\n", "缺少名称"),
    ("year: 2023\nnotes: 7\n", "notes 应为文字列表"),
    ("year: 2023\ntable3: {不存在的行: [1,2,3,4,5,6,7]}\n", "没有“不存在的行”这一行"),
    ("agency: [a, b]\nyear: 2023\n", "agency 应为机关名称"),
    ("year: 2023\n  bad: [\n", "不是有效的 YAML"),
])
def test_bad_facts_files_get_one_clear_chinese_message(tmp_path, content, message):
    path = tmp_path / "facts.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FactsError) as exc:
        load_facts(path)
    assert message in str(exc.value)


def test_unreadable_facts_files(tmp_path):
    with pytest.raises(FactsError, match="找不到事实文件"):
        load_facts(tmp_path / "none.yaml")
    bad = tmp_path / "facts.json"
    bad.write_text("{\"year\": 2023,", encoding="utf-8")
    with pytest.raises(FactsError, match="不是有效的 JSON"):
        load_facts(bad)
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("agency: 青禾市".encode("gbk"))
    with pytest.raises(FactsError, match="UTF-8"):
        load_facts(gbk)


def test_facts_from_a_parsed_report_take_its_fee_statement():
    report = parse_file(REF / "shinan-market-regulation-2024" / "report.docx")
    facts = facts_from_report(report)
    assert facts.fee().value == 300 and facts.fee().unit == "元"
    no_fee = facts_from_report(parse_file(REF / "qinghe-city-2023" / "report.html"))
    assert no_fee.fee().value == 0


def test_settings_come_from_the_environment_with_openai_fallbacks():
    s = LLMSettings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "k1",
                              "NIANBAO_LLM_MODEL": "qwen", "OPENAI_MODEL": "gpt", "NIANBAO_LLM_TIMEOUT": "12.5"})
    assert (s.base_url, s.api_key, s.model, s.timeout) == ("http://127.0.0.1:9/v1", "k1", "qwen", 12.5)
    assert s.configured and "k1" not in s.describe() and "k1" not in repr(s)
    s = LLMSettings.from_env({"NIANBAO_LLM_API_KEY": "k2", "OPENAI_API_KEY": "k1"})
    assert s.api_key == "k2" and s.timeout == 30 and not s.configured
    assert any("NIANBAO_LLM_MODEL" in m for m in s.missing())
    # A local server needs an address and a model, but no key.
    assert LLMSettings.from_env({"NIANBAO_LLM_BASE_URL": "http://127.0.0.1:11434/v1",
                                 "NIANBAO_LLM_MODEL": "qwen2.5"}).configured
    with pytest.raises(SettingsError, match="NIANBAO_LLM_TIMEOUT 应为数字"):
        LLMSettings.from_env({"NIANBAO_LLM_TIMEOUT": "一分钟"})
