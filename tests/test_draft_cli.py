"""`nianbao draft` as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from llm_stub import StubLLM, good
from typer.testing import CliRunner

from assistant.cli import app
from assistant.parse import parse_file

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "evals" / "reference"
runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, list(map(str, args)), env=env)


def facts_file(tmp_path, slug="shinan-market-regulation-2024", **changes) -> Path:
    data = yaml.safe_load((REF / slug / "report.yaml").read_text(encoding="utf-8"))
    data.pop("sections"), data.pop("preamble")
    data["extra"] = [{"label": "收取信息处理费", "value": 300, "unit": "元"}]
    data.update(changes)
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_draft_a_facts_file_to_docx(tmp_path):
    out = tmp_path / "draft.docx"
    result = run("draft", facts_file(tmp_path), "--out", out)
    assert result.exit_code == 0, result.output
    assert "起草方式：离线起草" in result.stderr
    assert "数字核验：共核对" in result.stderr and "有据可查" in result.stderr
    assert f"已写入 {out}" in result.stderr
    back = parse_file(out)
    assert back.agency == "石楠县市场监督管理局" and back.year == 2024
    assert "信息处理费300元" in back.section("六").text


def test_without_out_the_draft_is_printed_as_markdown(tmp_path):
    result = run("draft", facts_file(tmp_path), "--section", "一")
    assert result.exit_code == 0
    assert result.stdout.startswith("# 石楠县市场监督管理局\n# 2024年政府信息公开工作年度报告")
    assert "## 一、总体情况" in result.stdout and "（二）依申请公开。" in result.stdout
    assert "数字核验" not in result.stdout  # the verdict goes to stderr, the Markdown stays clean


def test_a_report_document_is_read_for_its_tables_and_last_year_for_comparison(tmp_path):
    out = tmp_path / "draft.md"
    result = run("draft", REF / "qinghe-city-2023" / "report.html", "--previous", REF / "qinghe-city-2022" / "report.pdf",
                 "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "减少14件" in text and "上年度" in text


def test_missing_figures_are_listed_before_anything_is_drafted(tmp_path):
    data_path = facts_file(tmp_path, extra=[])
    result = run("draft", data_path, "-o", tmp_path / "x.docx")
    assert result.exit_code == 1
    assert "缺少以下数字" in result.stderr and "信息处理费收取金额" in result.stderr
    assert not (tmp_path / "x.docx").exists()
    forced = run("draft", data_path, "-o", tmp_path / "x.docx", "--force")
    assert forced.exit_code == 0 and (tmp_path / "x.docx").exists()


def test_errors_in_the_input_tables_stop_the_draft_unless_forced(tmp_path):
    data = yaml.safe_load((REF / "qinghe-city-2023" / "report.yaml").read_text(encoding="utf-8"))
    data["table3"]["（七）总计"][-1] = 177
    data["extra"] = [{"label": "收取信息处理费", "value": 0, "unit": "元"}]
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("draft", path)
    assert result.exit_code == 1
    assert "输入表格中有" in result.stderr and "P1" in result.stderr and "起草已停止" in result.stderr
    assert result.stdout == ""
    forced = run("draft", path, "--force")
    assert forced.exit_code == 0 and "## 一、总体情况" in forced.stdout


@pytest.mark.parametrize("name, content, message", [
    ("facts.yaml", "year: [\n", "不是有效的 YAML"),
    ("report.docx", "not a zip", "不是有效的 Word"),
    ("missing.yaml", None, "找不到事实文件"),
])
def test_unreadable_input_gets_a_chinese_message(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("draft", path)
    assert result.exit_code == 2
    assert "错误：" in result.stderr and message in result.stderr


def test_an_unknown_output_format_is_refused_in_chinese(tmp_path):
    result = run("draft", facts_file(tmp_path), "--out", tmp_path / "draft.rtf")
    assert result.exit_code == 2 and "不支持导出" in result.stderr


def test_model_drafting_through_the_cli(tmp_path):
    facts_path = facts_file(tmp_path)
    from assistant.draft import load_facts

    with StubLLM(good(load_facts(facts_path))) as stub:
        env = {"NIANBAO_LLM_BASE_URL": stub.base_url, "NIANBAO_LLM_MODEL": "stub", "NIANBAO_LLM_API_KEY": "sk-secret-42"}
        result = run("draft", facts_path, "--model", "--stream", "-s", "一", env=env)
    assert result.exit_code == 0, result.output
    assert "起草方式：模型起草" in result.stderr
    assert "sk-secret-42" not in result.output  # the key itself is never printed
    assert "（一）主动公开。" in result.stdout


def test_model_requested_but_not_configured_falls_back_with_a_note(tmp_path):
    result = run("draft", facts_file(tmp_path), "--model", "-s", "一")
    assert result.exit_code == 0
    assert "模型未配置" in result.stderr and "起草方式：离线起草" in result.stderr
