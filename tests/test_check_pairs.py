"""`nianbao check FOLDER --pair`: each report with the same agency's previous year, and how they were paired."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from assistant.check.pairs import pair_reports
from assistant.cli import app
from assistant.parse import parse_file

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "evals" / "reference"


def run(*args):
    return CliRunner().invoke(app, list(map(str, args)))


def folder(tmp_path: Path) -> Path:
    """Two agencies over two years; Qinghe's 2022 report names the city with its province in front."""
    out = tmp_path / "reports"
    for slug in ("qinghe-city-2022", "qinghe-city-2023", "shinan-county-2020", "shinan-county-2021"):
        (out / slug).mkdir(parents=True)
        shutil.copy(REFERENCE / slug / "report.txt", out / slug / "report.txt")
    older = out / "qinghe-city-2022" / "report.txt"
    text = older.read_text(encoding="utf-8")
    assert text.startswith("青禾市人民政府\n")
    older.write_text("云泽省青禾市人民政府\n" + text.split("\n", 1)[1], encoding="utf-8")
    return out


def test_pair_pairs_each_report_with_the_previous_year_and_says_how(tmp_path):
    reports = folder(tmp_path)
    r = run("check", reports, "--pair", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    pairs = {Path(p["file"]).parent.name: p for p in data["pairs"]}
    assert set(pairs) == {"qinghe-city-2023", "shinan-county-2021"}
    assert Path(pairs["qinghe-city-2023"]["previous"]).parent.name == "qinghe-city-2022"
    assert pairs["shinan-county-2021"]["exact"] is True and pairs["shinan-county-2021"]["how"] == "机关名称相同"
    qinghe = pairs["qinghe-city-2023"]
    assert qinghe["exact"] is False and "省略了上级地名“云泽省”" in qinghe["how"]
    by_name = {Path(x["file"]).parent.name: x for x in data["reports"]}
    # The cross-year rules ran on the paired reports, and the pairing that needed normalising says so.
    assert by_name["qinghe-city-2023"]["summary"]["rules_run"] > by_name["qinghe-city-2022"]["summary"]["rules_run"]
    (note,) = [f for f in by_name["qinghe-city-2023"]["findings"] if f["code"] == "X1"]
    assert note["severity"] == "info" and "云泽省青禾市人民政府" in note["message"] and "省略了上级地名" in note["message"]
    assert by_name["qinghe-city-2023"]["previous"]["pairing"] == qinghe["how"]
    assert "previous" not in by_name["qinghe-city-2022"]


def test_pair_prints_the_pairs_made_and_the_reports_left_alone(tmp_path):
    r = run("check", folder(tmp_path), "--pair")
    assert r.exit_code == 0, r.output
    assert "年度配对：4 份报告中 2 份找到同一机关上一年度的报告" in r.output
    assert "qinghe-city-2023/report.txt ← " in r.output and "（机关名称相同）" in r.output
    assert "未配对 2 份" in r.output and "上年报告：" in r.output


def test_without_pair_the_folder_is_checked_report_by_report(tmp_path):
    data = json.loads(run("check", folder(tmp_path), "--format", "json").stdout)
    assert "pairs" not in data and not any("previous" in x for x in data["reports"])
    assert not any(f["code"].startswith("X") for x in data["reports"] for f in x["findings"])


def test_pair_and_previous_together_is_a_usage_error(tmp_path):
    reports = folder(tmp_path)
    r = run("check", reports, "--pair", "--previous", reports / "qinghe-city-2022" / "report.txt")
    assert r.exit_code == 2 and "--pair 与 --previous 不能同时使用" in r.output


def test_previous_given_by_hand_is_compared_when_only_its_name_is_written_differently(tmp_path):
    reports = folder(tmp_path)
    r = run("check", reports / "qinghe-city-2023" / "report.txt", "--previous",
            reports / "qinghe-city-2022" / "report.txt", "--format", "json")
    (rep,) = json.loads(r.stdout)["reports"]
    (note,) = [f for f in rep["findings"] if f["code"] == "X1"]
    assert "据此做跨年核对" in note["message"]


def test_the_previous_year_is_taken_in_the_same_format_when_there_are_several():
    paths = [REFERENCE / slug / name for slug in ("qinghe-city-2022", "qinghe-city-2023")
             for name in ("report.txt", "report.html", "report.md")]
    pairs = pair_reports([(str(p), parse_file(p)) for p in paths])
    assert len(pairs) == 3
    for file, p in pairs.items():
        assert Path(p.previous).suffix == Path(file).suffix and "2022" in p.previous and p.exact


def test_a_district_of_the_same_name_in_another_city_is_not_last_year(tmp_path):
    base = parse_file(REFERENCE / "shinan-county-2021" / "report.txt")
    this = base.model_copy(update={"agency": "南京市鼓楼区人民政府", "year": 2021})
    other = base.model_copy(update={"agency": "福州市鼓楼区人民政府", "year": 2020})
    same = base.model_copy(update={"agency": "鼓楼区人民政府", "year": 2020})
    assert pair_reports([("a", this), ("b", other)]) == {}
    assert pair_reports([("a", this), ("c", same)])["a"].previous == "c"
