"""A third edition is a YAML file: parse, check, export and draft it with no code change.

``tests/editions/2026.yaml`` is the 2021 layout with one table-三 row renamed and
one added. The program learns of it only through ``NIANBAO_EDITIONS_DIR``; each
step runs the real command line in a fresh process, so nothing is cached from
the shipped editions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ROOT / "tests" / "editions"
BASE = ROOT / "evals" / "reference" / "shinan-county-2021" / "report.yaml"  # a 2021-edition reference report
RENAMED = ("3.危及“三安全一稳定”", "3.危及国家安全、公共安全、经济安全和社会稳定")
ADDED = "6.要求提供已主动公开的政府信息"

pytestmark = pytest.mark.slow


def _facts_2026(tmp_path: Path) -> Path:
    """The reference report's tables in the 2026 layout: the renamed row keeps its figures, the added row has 2."""
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    t3 = {}
    for label, row in data["table3"].items():
        t3[RENAMED[1] if label == RENAMED[0] else label] = row
        if label == "5.要求行政机关确认或重新出具已获取信息":
            t3[ADDED] = [2, 0, 0, 0, 0, 0, 2]
    # Two more applications received and answered keep both identities of table 三.
    for label in ("一、本年新收政府信息公开申请数量", "（七）总计"):
        t3[label] = [t3[label][0] + 2, *t3[label][1:6], t3[label][6] + 2]
    facts = {"agency": data["agency"], "level": data["level"], "year": 2026, "edition": "2026",
             "table2": data["table2"], "table3": t3, "table4": data["table4"],
             "extra": [{"label": "收取信息处理费", "value": 0, "unit": "元"}]}
    path = tmp_path / "facts-2026.yaml"
    path.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _nianbao(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NIANBAO_EDITIONS_DIR=str(EDITIONS), NIANBAO_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_yaml_file_is_a_new_edition(tmp_path):
    facts = _facts_2026(tmp_path)

    # Draft and export: the whole report, in the new layout, from the facts.
    for out in ("report.md", "report.docx"):
        drafted = _nianbao(tmp_path, "draft", "--offline", str(facts), "--out", out)
        assert drafted.returncode == 0, drafted.stderr[-3000:]
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert RENAMED[1] in text and ADDED in text and RENAMED[0] not in text
    # The drafted overview counts the added row among the 不予处理 (8 + 2).
    assert "不予处理10件" in text.replace(" ", "")

    # Parse both exports back: the new edition is recognised and every figure comes back.
    for name in ("report.md", "report.docx"):
        parsed = _nianbao(tmp_path, "parse", "--format", "json", name)
        assert parsed.returncode == 0, parsed.stderr[-3000:]
        report = json.loads(parsed.stdout)
        assert report["edition"] == "2026"
        assert report["table3"][ADDED]["总计"]["value"] == 2
        assert report["table3"][RENAMED[1]]["总计"]["value"] == 0
        assert RENAMED[0] not in report["table3"]

    # Check: the consistent report passes; a wrong figure in the added row breaks the total.
    checked = _nianbao(tmp_path, "check", "report.md")
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    assert "2026年格式" in checked.stdout and "错误 0 项" in checked.stdout

    md = tmp_path / "report.md"
    lines = md.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if ADDED in line)
    assert lines[row].count("| 2 |") == 2
    lines[row] = lines[row].replace("| 2 |", "| 5 |", 1)
    broken = tmp_path / "broken.md"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = _nianbao(tmp_path, "check", "broken.md")
    assert checked.returncode == 1, checked.stdout[-3000:] + checked.stderr[-3000:]
    assert ADDED in checked.stdout


def test_rules_left_out_name_real_rules():
    from assistant.check.catalogue import all_rules
    from assistant.model import editions

    codes = {r.code for r in all_rules()}
    for ed in editions().values():
        assert set(ed.rules_left_out) <= codes, ed.id
