"""Hostile facts, mapping and holiday files (issue 13): YAML bombs, numbers that are not figures, wrong shapes.

Through the real `nianbao draft` / `nianbao ledger` in a child process: exit 2
with a Chinese message, fast and small, nothing written outside the data
directory — and never a figure such as NaN written into a draft.
"""

from __future__ import annotations

import json
from pathlib import Path

import bombs
import pytest
import yaml
from hostile_child import MIB, assert_refused, created_outside, run

from assistant.errors import FactsError
from assistant.yamlfile import load_yaml

pytestmark = pytest.mark.slow  # each case runs a real command or server in a child process: seconds apiece


@pytest.fixture()
def box(tmp_path: Path) -> Path:
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    return sandbox


def facts_file(tmp_path: Path, text: str, name: str = "facts.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def draft(box: Path, path: Path, *extra: str):
    out = box / "data" / "draft.md"
    out.parent.mkdir(exist_ok=True)
    r = run(["draft", str(path), "--out", str(out), *extra], sandbox=box)
    assert created_outside(box) == []
    return r, out


def test_billion_laughs_in_a_500_byte_facts_file_is_refused_fast(box, tmp_path):
    text = bombs.yaml_laughs()
    assert len(text.encode()) < 520
    r, out = draft(box, facts_file(tmp_path, text))
    assert_refused(r, "展开别名", "100,000 个值的上限", "NIANBAO_MAX_YAML_NODES")
    assert r.seconds < 10 and r.peak_bytes < 200 * MIB
    assert not out.exists()


def test_the_alias_limit_counts_expanded_values_and_aliases_within_it_still_load():
    small = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
    assert load_yaml(small, "文件 ", FactsError) == {"a": [1, 2, 3], "b": [[1, 2, 3], [1, 2, 3]]}
    with pytest.raises(FactsError, match="引用了自身"):
        load_yaml("a: &a [1, *a]\n", "文件 ", FactsError)
    with pytest.raises(FactsError, match="嵌套层级过深"):
        load_yaml("[" * 5000 + "]" * 5000, "文件 ", FactsError)
    with pytest.raises(FactsError, match="不是有效的 YAML：第2行"):
        load_yaml("a: 1\n\tb: 2\n", "文件 ", FactsError)
    # Nothing that builds Python objects: the safe loader refuses tags for them.
    with pytest.raises(FactsError, match="不是有效的 YAML"):
        load_yaml("!!python/object/apply:os.system ['true']\n", "文件 ", FactsError)


FACTS = yaml.safe_load(bombs.FACTS.read_text(encoding="utf-8"))
FACTS["extra"] = [{"label": "收取信息处理费", "value": 0, "unit": "元"}]  # the one figure drafting asks for besides the tables


def with_cell(value: object) -> dict:
    data = json.loads(json.dumps(FACTS, ensure_ascii=False))
    row = next(iter(data["table3"]))
    data["table3"][row][0] = value
    return data


@pytest.mark.parametrize("written, words", [
    (".nan", "非数（NaN）"),
    (".inf", "无穷大"),
    ("-.inf", "无穷大"),
    ("1" + "0" * 308, "309 位数"),
    ("1.0e+309", "无穷大"),
    ("'1" + "0" * 30 + "'", "超出合理范围"),
    ("12345678901234567890", "超出合理范围"),
])
def test_numbers_that_are_not_figures_are_refused_in_yaml(box, tmp_path, written, words):
    text = yaml.safe_dump(with_cell("@@"), allow_unicode=True, sort_keys=False).replace("'@@'", written)
    r, out = draft(box, facts_file(tmp_path, text))
    assert_refused(r, words)
    assert not out.exists()


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(box, tmp_path, constant):
    text = json.dumps(with_cell(0), ensure_ascii=False).replace('[0,', f"[{constant},", 1)
    assert constant in text
    r, out = draft(box, facts_file(tmp_path, text, "facts.json"))
    assert_refused(r, f"“{constant}”", "不是有效的数字")
    assert not out.exists()


@pytest.mark.parametrize("table", ["table2", "table3", "table4"])
def test_a_table_written_as_a_list_gets_a_chinese_message(box, tmp_path, table):
    data = json.loads(json.dumps(FACTS, ensure_ascii=False))
    data[table] = [1, 2, 3]
    r, out = draft(box, facts_file(tmp_path, yaml.safe_dump(data, allow_unicode=True)))
    assert_refused(r, f"{table} 应为", "实为列表")
    assert "object has no attribute" not in r.err


def test_every_part_of_a_report_file_is_checked_for_its_shape():
    from assistant.parse.facts import report_from_data

    for key in ("sections", "table2", "table3", "table4"):
        data = json.loads(json.dumps(FACTS, ensure_ascii=False))
        data[key] = ["一", "二"]
        with pytest.raises(FactsError, match=f"{key} 应为.*实为列表"):
            report_from_data(data)
    data = json.loads(json.dumps(FACTS, ensure_ascii=False))
    data["table2"][next(iter(data["table2"]))] = [1, 2]
    with pytest.raises(FactsError, match="应为“行名: 数值”的映射，实为列表"):
        report_from_data(data)


def test_a_write_that_fails_says_why_in_chinese(box, tmp_path):
    r = run(["draft", str(facts_file(tmp_path, yaml.safe_dump(FACTS, allow_unicode=True))),
             "--out", str(tmp_path / "no-such-folder" / "draft.md")], sandbox=box)
    assert_refused(r, "无法写入", "文件或文件夹不存在")
    assert "No such file" not in r.err


def test_a_sound_facts_file_still_drafts(box, tmp_path):
    r, out = draft(box, facts_file(tmp_path, yaml.safe_dump(FACTS, allow_unicode=True)))
    assert r.code == 0, r.err
    assert "青禾市人民政府" in out.read_text(encoding="utf-8")


def test_ledger_mapping_and_holiday_files_get_the_same_loader(box, tmp_path):
    register = bombs.register(tmp_path / "register.xlsx")
    mapping = facts_file(tmp_path, bombs.yaml_laughs(), "mapping.yaml")
    r = run(["ledger", str(register), "--year", "2023", "--mapping", str(mapping)], sandbox=box)
    assert_refused(r, "对应关系文件 mapping.yaml", "展开别名")
    holidays = facts_file(tmp_path, bombs.yaml_laughs(), "holidays.yaml")
    r = run(["ledger", str(register), "--year", "2023", "--holidays", str(holidays)], sandbox=box)
    assert_refused(r, "节假日表 holidays.yaml", "展开别名")
    assert created_outside(box) == []


@pytest.mark.parametrize("kind, words", [
    ("sheet", ["解压后的大小超过上限 256 MB"]),
    ("laughs", ["文档类型声明（DTD）"]),
    ("parts", ["部件数", "超过上限 1,000 个"]),
])
def test_register_bombs_are_refused_before_openpyxl_reads_them(box, tmp_path, kind, words):
    bomb = bombs.register_bomb(tmp_path / f"{kind}.xlsx", kind)
    r = run(["ledger", str(bomb), "--year", "2023"], sandbox=box)
    assert_refused(r, *words)
    assert r.peak_bytes < 300 * MIB
    assert created_outside(box) == []
