"""`nianbao eval`: the suites over reference and real reports, the scoreboard, and a user's own data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import HUAIAN, LINZI, ROOT
from typer.testing import CliRunner

from assistant.cli import app

REFERENCE = ROOT / "evals" / "reference"
SUITES = ["parse", "degradation", "check", "mutation", "draft", "retrieval", "chat"]


def invoke(*args: str):
    return CliRunner().invoke(app, ["eval", *args])


SMALL_REPORT = "qinghe-city-2023"
SMALL_LAYOUTS = ["pdf-text", "crawler", "clipped"]


@pytest.fixture()
def small(tmp_path) -> Path:
    """An evals folder with one reference report and the project's suite files cut down to it.

    The whole suites run once per CI run (`make test` runs `nianbao eval --suite all`);
    these tests check what the command does, on inputs that take a second.
    """
    evals = tmp_path / "small" / "evals"
    (evals / "suites").mkdir(parents=True)
    case = evals / "reference" / SMALL_REPORT
    case.mkdir(parents=True)
    for name in ("report.txt", "report.yaml", "report.pdf", "expected.json"):
        shutil.copy(REFERENCE / SMALL_REPORT / name, case / name)
    (evals / "draft").mkdir()
    facts = yaml.safe_load((ROOT / "evals" / "draft" / "facts.yaml").read_text(encoding="utf-8"))[SMALL_REPORT]
    facts.pop("previous")  # last year's report is not in the small folder
    (evals / "draft" / "facts.yaml").write_text(yaml.safe_dump({SMALL_REPORT: facts}, allow_unicode=True),
                                                encoding="utf-8")
    for suite in ("parse", "check", "mutation", "draft"):
        spec = yaml.safe_load((ROOT / "evals" / "suites" / f"{suite}.yaml").read_text(encoding="utf-8"))
        if isinstance(spec.get("reference"), dict):
            spec["reference"]["renderings"] = ["report.txt"]
            spec["reference"].pop("previous", None)
            if "findings" in spec["reference"]:
                spec["reference"]["findings"] = {SMALL_REPORT: spec["reference"]["findings"][SMALL_REPORT]}
        spec["data"] = []
        (evals / "suites" / f"{suite}.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    # The degradation suite on three layouts: one where the figures survive, two where they may not.
    spec = yaml.safe_load((ROOT / "evals" / "suites" / "degradation.yaml").read_text(encoding="utf-8"))
    spec["reference"]["layouts"] = SMALL_LAYOUTS
    spec["real"] = {"folder": str(evals / "no-real-reports"), "optional": True}
    (evals / "suites" / "degradation.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return evals


# ------------------------------------------------------------------ the suites as data


def test_the_thresholds_are_the_ones_the_project_set():
    def gate(suite, metric):
        spec = yaml.safe_load((ROOT / "evals" / "suites" / f"{suite}.yaml").read_text(encoding="utf-8"))
        return spec["thresholds"][metric]

    assert gate("parse", "cell_accuracy") == gate("parse", "edition_accuracy") == 1.0
    assert gate("check", "recall") == 1.0 and gate("check", "false_errors") == 0
    assert gate("check", "real.error_precision") == gate("check", "real.error_recall") == 1.0
    assert gate("check", "real.not_expected") == 0
    assert gate("mutation", "detection_rate") == 1.0 and gate("mutation", "false_alarms") == 0
    assert gate("draft", "figure_precision") == 1.0 and gate("draft", "key_coverage") == 0.95
    assert gate("draft", "guard_catch_rate") == 1.0
    assert gate("retrieval", "recall_at_5") == 0.9
    assert gate("degradation", "wrong") == 0 and gate("degradation", "sections") == 1.0
    assert gate("degradation", "read") == 0.95
    assert set(SUITES) == {p.stem for p in (ROOT / "evals" / "suites").glob("*.yaml")}


@pytest.mark.realdata
def test_the_real_reports_take_part_in_parse_and_check():
    from assistant.evals import Context
    from assistant.evals.cases import all_cases

    ctx = Context()
    real = {"linzi-district-office-2019.txt", "huaian-city-2024.pdf", "hongze-district-2023.pdf",
            "pingtan-2019.html", "pingtan-2023.html"}
    # 10 reference reports in 5 renderings, and the five real reports with expected cells
    # (the crawler texts are scored in the degradation suite).
    cases, _ = all_cases(ctx, ctx.spec("parse"))
    assert len(cases) == 55 and {c.name for c in cases} >= real
    # The check suite scores the 50 reference renderings and every real report listed in
    # evals/realdata/findings.yaml, the two crawler texts included.
    from assistant.evals.suites.check import check_cases

    checked, _ = check_cases(ctx, ctx.spec("check"))
    assert len(checked) == 57
    real_checked = {c.case.name for c in checked if c.set == "real"}
    assert real_checked == real | {"pingtan-2021.txt", "pingtan-2023.txt"}
    # Reference: the two planted findings in five renderings (10). Real: Linzi 9 (its five errors, the
    # 自然人 column's P1 under the 总计 column's, the category warning, two blank-cell warnings), Huai'an 1,
    # Hongze 5, Pingtan 2019 1, 2023 html 1, 2023 txt 4, 2021 txt 3: 34 the suite must recall.
    assert sum(len(e.all_expected()) for c in checked for e in c.case.expected.findings or []) == 34
    # And the findings that must not be reported on the real reports: 33, each with its reason.
    assert sum(len(c.not_expected) for c in checked) == 33


@pytest.mark.parametrize("suite, metric", [
    ("parse", "cell_accuracy"), ("check", "recall"), ("mutation", "detection_rate"), ("draft", "guard_catch_rate"),
])
def test_each_suite_runs_on_a_small_folder_and_meets_its_thresholds(small, suite, metric):
    r = invoke("--suite", suite, "--evals-dir", str(small), "--format", "json")
    assert r.exit_code == 0, r.output
    board = json.loads(r.stdout)
    assert board["passed"] is True and list(board["suites"]) == [suite]
    result = board["suites"][suite]
    assert not result["skipped"] and result["cases"] >= 1
    assert result["metrics"][metric]["threshold"] is not None and result["metrics"][metric]["passed"] is True


def test_the_degradation_suite_gates_every_layout_on_wrong_cells_and_surviving_ones_on_read(small):
    r = invoke("--suite", "degradation", "--evals-dir", str(small), "--format", "json")
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)["suites"]["degradation"]
    assert not result["skipped"] and result["cases"] == len(SMALL_LAYOUTS)
    m = result["metrics"]

    def gate(metric):
        return m[metric]["threshold"]

    assert gate("wrong") == 0 and gate("sections") == 1.0
    assert gate("crawler.wrong") == 0 and gate("clipped.wrong") == 0 and gate("pdf-text.wrong") == 0
    assert gate("pdf-text.read") == 0.95 and gate("crawler.read") is None and gate("clipped.read") is None
    assert all(x["passed"] is not False for x in m.values()), m


def test_text_scoreboard_shows_metric_figure_threshold_and_verdict(small):
    r = invoke("--suite", "check", "--suite", "parse", "--evals-dir", str(small))
    assert r.exit_code == 0, r.output
    assert "年报助手评测记分板" in r.stdout and "全部达标" in r.stdout
    assert "单元格准确率（数值与状态）：100%  门槛 ≥ 100%  通过" in r.stdout
    assert "错误级误报：0  门槛 ≤ 0  通过" in r.stdout
    assert "■ 检索" not in r.stdout  # only the suites asked for


# ------------------------------------------------------------------ a user's own reference reports


@pytest.fixture()
def user_folder(tmp_path) -> Path:
    """A user's folder: one report with a starting expected file written by `eval init`."""
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(REFERENCE / "qinghe-city-2023" / "report.txt", folder / "qinghe-2023.txt")
    r = invoke("init", str(folder / "qinghe-2023.txt"))
    assert r.exit_code == 0, r.output
    return folder


def _edit(path: Path, change) -> None:
    text = path.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    data = yaml.safe_load(text)
    change(data)
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_init_writes_the_parse_and_the_findings_for_a_person_to_correct(user_folder):
    path = user_folder / "qinghe-2023.expected.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 期望结果") and "请对照原报告逐项核对并改正" in text
    data = yaml.safe_load(text)
    assert (data["report"], data["edition"], data["agency"], data["year"]) == ("qinghe-2023.txt", "2021", "青禾市人民政府", 2023)
    assert data["table3"]["一、本年新收政府信息公开申请数量"]["总计"] == 174
    assert [(f["code"], f["severity"]) for f in data["findings"]] == [("N7", "info")]
    # The shorthand reads back to exactly the cells the reference folder expects.
    from assistant.evals.expected import load_expected

    ours = load_expected(path).tables
    reference = json.loads((REFERENCE / "qinghe-city-2023" / "expected.json").read_text(encoding="utf-8"))
    assert ours == {t: reference[t] for t in ("table2", "table3", "table4")}


def test_init_does_not_overwrite_a_corrected_file(user_folder):
    r = invoke("init", str(user_folder / "qinghe-2023.txt"))
    assert r.exit_code == 2 and "已存在" in r.output
    r = invoke("init", str(user_folder / "qinghe-2023.txt"), "--force")
    assert r.exit_code == 0, r.output


def test_init_on_a_file_that_is_not_a_report_says_why(tmp_path):
    bad = tmp_path / "note.txt"
    bad.write_text("这不是年报。", encoding="utf-8")
    r = invoke("init", str(bad))
    assert r.exit_code == 2 and not (tmp_path / "note.expected.yaml").exists()


def test_a_users_folder_with_a_true_expected_file_passes(user_folder, small):
    r = invoke("--suite", "parse", "--suite", "check", "--data", str(user_folder), "--format", "json",
               "--evals-dir", str(small))
    assert r.exit_code == 0, r.output
    suites = json.loads(r.stdout)["suites"]
    assert suites["parse"]["cases"] == 2  # the reference report and the user's
    assert suites["check"]["metrics"]["recall"]["detail"] == "2/2"  # the user's N7 is found too


def test_a_wrong_expected_cell_misses_the_threshold_and_names_the_cell(user_folder, small):
    path = user_folder / "qinghe-2023.expected.yaml"
    _edit(path, lambda d: d["table3"]["一、本年新收政府信息公开申请数量"].update({"总计": 175}))
    r = invoke("--suite", "parse", "--data", str(user_folder), "--evals-dir", str(small))
    assert r.exit_code == 1
    assert "未达标：解析" in r.stdout
    assert "qinghe-2023.txt" in r.stdout
    assert "表三 一、本年新收政府信息公开申请数量 × 总计：应为 175，读出 174" in r.stdout


def test_a_missed_expected_finding_fails_the_check_suite(user_folder, small):
    path = user_folder / "qinghe-2023.expected.yaml"
    _edit(path, lambda d: d["findings"].append(
        {"code": "P1", "severity": "error", "area": {"kind": "column", "table": "三", "col": "总计"}}))
    r = invoke("--suite", "check", "--data", str(user_folder), "--evals-dir", str(small))
    assert r.exit_code == 1
    assert "漏报 P1 error 表三 总计列" in r.stdout


def test_an_expected_finding_named_only_in_words_is_refused(user_folder, small):
    # Findings are matched by references; a location sentence alone names no place.
    path = user_folder / "qinghe-2023.expected.yaml"
    _edit(path, lambda d: d["findings"].append({"code": "P1", "severity": "error", "location": "表三 总计列"}))
    r = invoke("--suite", "check", "--data", str(user_folder), "--evals-dir", str(small))
    assert r.exit_code == 2
    assert "area、cells 或 spans" in r.stdout + r.stderr


def test_an_unexpected_error_is_a_false_error(user_folder, small):
    # The report's 总计 of 本年新收 changed in the document itself: the checker's errors were not expected.
    report = user_folder / "qinghe-2023.txt"
    lines = report.read_text(encoding="utf-8").split("\n")
    i = next(k for k, line in enumerate(lines) if "本年新收" in line)
    j = next(k for k in range(i, len(lines)) if lines[k].strip() == "174")
    lines[j] = lines[j].replace("174", "175")
    report.write_text("\n".join(lines), encoding="utf-8")
    r = invoke("--suite", "check", "--data", str(user_folder), "--format", "json", "--evals-dir", str(small))
    assert r.exit_code == 1
    board = json.loads(r.stdout)
    assert board["suites"]["check"]["metrics"]["false_errors"]["value"] >= 1
    assert board["suites"]["check"]["worst"][0]["name"] == "qinghe-2023.txt"


def test_a_report_without_expected_results_is_named_not_counted(tmp_path, small):
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(REFERENCE / "chenglan-township-2023" / "report.md", mine / "chenglan.md")
    r = invoke("--suite", "parse", "--data", str(mine), "--evals-dir", str(small))
    assert r.exit_code == 0, r.output
    assert "chenglan.md 没有期望结果文件 chenglan.expected.yaml" in r.stdout


def test_a_missing_data_folder_is_a_clear_error(tmp_path):
    r = invoke("--suite", "parse", "--data", str(tmp_path / "nowhere"))
    assert r.exit_code == 2 and "找不到数据文件夹" in r.output


# ------------------------------------------------------------------ suites are data


@pytest.mark.realdata
def test_a_conversation_added_in_yaml_is_played_and_scored(tmp_path):
    evals = tmp_path / "evals"
    (evals / "suites").mkdir(parents=True)
    spec = {
        "title": "对话",
        "thresholds": {"intent_accuracy": 1.0, "figure_presence": 1.0},
        "conversations": [{
            "name": "临淄",
            "reports": [str(LINZI)],
            "turns": [
                {"say": "哪些合计对不上", "intent": "check", "contains": ["35 ≠ 43"]},
                {"say": "和去年比有什么变化", "intent": "check", "contains": ["不存在的数字 999"]},
            ],
        }],
    }
    (evals / "suites" / "chat.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    r = invoke("--suite", "chat", "--evals-dir", str(evals))
    assert r.exit_code == 1
    assert "选对工具（意图）：50.0%" in r.stdout and "（1/2 轮）" in r.stdout
    assert "临淄：和去年比有什么变化" in r.stdout
    assert "意图应为 check，实为 yoy" in r.stdout and "缺少 不存在的数字 999" in r.stdout


def test_thresholds_come_from_the_suite_file(tmp_path):
    evals = tmp_path / "evals"
    (evals / "suites").mkdir(parents=True)
    spec = yaml.safe_load((ROOT / "evals" / "suites" / "check.yaml").read_text(encoding="utf-8"))
    spec["reference"]["folder"] = str(REFERENCE)
    spec["reference"]["renderings"] = ["report.txt"]
    spec["data"] = []
    spec["thresholds"] = {"recall": 1.0, "false_errors": 0, "precision": 1.0}
    spec["reference"]["findings"].pop("qinghe-statistics-2019")  # its I3 is now unexpected
    (evals / "suites" / "check.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    r = invoke("--suite", "check", "--evals-dir", str(evals), "--format", "json")
    assert r.exit_code == 1
    metrics = json.loads(r.stdout)["suites"]["check"]["metrics"]
    assert metrics["precision"]["passed"] is False and metrics["precision"]["detail"] == "1/2"
    assert metrics["false_errors"]["passed"] is True  # a warning is not a false error


# ------------------------------------------------------------------ formats and comparison


def test_markdown_scoreboard_links_each_worst_case_from_where_it_is_written(user_folder, small, tmp_path):
    path = user_folder / "qinghe-2023.expected.yaml"
    _edit(path, lambda d: d["table4"]["行政复议"].update({"总计": 6}))
    out = tmp_path / "board" / "SCOREBOARD.md"
    r = invoke("--suite", "parse", "--data", str(user_folder), "--format", "markdown", "--out", str(out),
               "--evals-dir", str(small))
    assert r.exit_code == 1
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# 年报助手评测记分板")
    assert "| 套件 | 指标 | 结果 | 门槛 | 是否达标 | 明细 |" in md
    assert "| 解析 | 单元格准确率（数值与状态） |" in md and "| 未通过 |" in md
    assert "[qinghe-2023.txt](../mine/qinghe-2023.txt)" in md
    assert "make scoreboard" in md


def test_html_scoreboard_is_a_page_with_the_table(small, tmp_path):
    out = tmp_path / "board.html"
    r = invoke("--suite", "parse", "--format", "html", "--out", str(out), "--evals-dir", str(small))
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page and "单元格准确率" in page
    assert "记分板已写入" in r.output


def test_compare_names_what_got_better_and_what_got_worse(user_folder, small, tmp_path):
    r = invoke("--suite", "parse", "--suite", "check", "--format", "json", "--evals-dir", str(small))
    assert r.exit_code == 0, r.output
    old = json.loads(r.stdout)
    old["date"] = "2025-01-01"
    old["suites"]["check"]["metrics"]["recall"]["value"] = 0.5  # the old run missed findings
    old["suites"]["check"]["metrics"].pop("exact_reports")
    old["suites"]["check"]["metrics"]["retired"] = {"label": "旧指标", "value": 0.5}
    saved = tmp_path / "old.json"
    saved.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")

    # Now a user's expected file with a wrong cell makes parsing look worse.
    _edit(user_folder / "qinghe-2023.expected.yaml",
          lambda d: d["table3"]["（一）予以公开"].update({"自然人": 1000}))
    r = invoke("--suite", "parse", "--suite", "check", "--data", str(user_folder), "--compare", str(saved),
               "--evals-dir", str(small))
    assert r.exit_code == 1
    assert "与 2025-01-01 的结果比较：变好 1 项，变差 1 项" in r.stdout
    assert "[变好] check · 召回率（应发现的问题）：50.0% → 100%" in r.stdout
    assert re.search(r"\[变差\] parse · 单元格准确率（数值与状态）：100% → 99\.\d+%", r.stdout)
    assert "[新增] check · 问题清单完全一致的报告" in r.stdout
    assert "[已无] check · 旧指标" in r.stdout

    r = invoke("--suite", "parse", "--compare", str(saved), "--format", "json", "--evals-dir", str(small))
    assert json.loads(r.stdout)["passed"] is True  # stdout stays JSON; the comparison goes to stderr
    assert "变好 0 项，变差 0 项" in r.stderr


def test_compare_with_a_file_that_is_not_a_saved_run_is_a_clear_error(tmp_path):
    bad = tmp_path / "old.json"
    bad.write_text("不是 JSON", encoding="utf-8")
    r = invoke("--suite", "parse", "--compare", str(bad))
    assert r.exit_code == 2 and "无法读取要比较的结果文件" in r.output


# ------------------------------------------------------------------ the real reports' expected results


def test_realdata_expected_cells_agree_with_the_hand_written_expectations():
    """evals/realdata was written from the parser's output; it must say what tests/test_parse_real.py says."""
    import test_parse_real as hand

    from assistant.evals.expected import load_expected
    from assistant.model import get_edition

    def value(cell):
        return None if cell["state"] == "blank" else cell["value"]

    linzi = load_expected(ROOT / "evals" / "realdata" / "linzi-district-office-2019.expected.yaml")
    assert (linzi.edition, linzi.agency, linzi.year) == ("2019", "临淄区人民政府办公室", 2019)
    for label in get_edition("2019").table3.labels:
        want = hand.LINZI_T3.get(label, [hand.B] * 7)
        assert [value(c) for c in linzi.tables["table3"][label].values()] == want, label
    for caption, rows in hand.LINZI_T2.items():
        for label, want in rows.items():
            assert [value(c) for c in linzi.tables["table2"][caption][label].values()] == want
    for group, want in hand.LINZI_T4.items():
        assert [value(c) for c in linzi.tables["table4"][group].values()] == want

    huaian = load_expected(ROOT / "evals" / "realdata" / "huaian-city-2024.expected.yaml")
    assert (huaian.edition, huaian.agency, huaian.year) == ("2021", "淮安市人民政府", 2024)
    assert list(huaian.tables["table3"]) == get_edition("2021").table3.labels
    for label, want in hand.HUAIAN_T3.items():
        assert [value(c) for c in huaian.tables["table3"][label].values()] == want, label
    for caption, rows in hand.HUAIAN_T2.items():
        for label, want in rows.items():
            assert [value(c) for c in huaian.tables["table2"][caption][label].values()] == want
    for group, want in hand.HUAIAN_T4.items():
        assert [value(c) for c in huaian.tables["table4"][group].values()] == want
    # Every cell of the two real reports is a number or blank, as their READMEs say.
    for exp in (linzi, huaian):
        states = {c["state"] for t in ("table3", "table4") for row in exp.tables[t].values() for c in row.values()}
        assert states <= {"number", "blank"}


@pytest.mark.realdata
def test_realdata_expected_findings_are_the_readmes():
    from assistant.evals import Context
    from assistant.evals.suites.check import check_cases

    cases = {c.case.name: c for c in check_cases(Context(), Context().spec("check"))[0] if c.set == "real"}
    linzi = cases["linzi-district-office-2019.txt"].case.expected.findings
    # The five errors with their figures; P1 fails in the 总计 and 自然人 columns (the same 8), listed once.
    assert {(f.code, f.expected, f.actual) for f in linzi if f.severity == "error"} == {
        ("P1", 35, 43), ("I1", 35, None), ("N1", 35, 33), ("N2", 33, 35), ("N5", 631, 615)}
    (p1,) = [f for f in linzi if f.code == "P1"]
    assert [f.location for f, _ in p1.all_expected()] == ["表三 总计列", "表三 自然人列"]
    (mismatch,) = [f for f in linzi if f.code == "N2" and f.severity == "warning"]
    assert "申请信息不存在数5件" in mismatch.location
    huaian = cases["huaian-city-2024.pdf"].case.expected.findings
    assert [f.severity for f in huaian if f.severity == "error"] == []
    # Hongze: its two table-四 errors, nothing else at error level.
    hongze = cases["hongze-district-2023.pdf"].case.expected.findings
    assert sorted((f.location, f.expected, f.actual) for f in hongze if f.severity == "error") == [
        ("表四 复议后起诉 × 总计", 5, 0), ("表四 行政复议 × 总计", 11, 0)]
    # Pingtan 2019's real 其中 error: eleven parts sum to 2533, not 2599.
    (n5,) = cases["pingtan-2019.html"].case.expected.findings
    assert (n5.code, n5.expected, n5.actual) == ("N5", 2599, 2533)
    assert LINZI.exists() and HUAIAN.exists()


# ------------------------------------------------------------------ mistakes a user can make


def test_an_unreadable_cell_in_an_expected_file_names_the_cell(user_folder, small):
    _edit(user_folder / "qinghe-2023.expected.yaml",
          lambda d: d["table4"]["行政复议"].update({"总计": "五件"}))
    r = invoke("--suite", "parse", "--data", str(user_folder), "--evals-dir", str(small))
    assert r.exit_code == 2
    assert "表四 行政复议 × 总计" in r.output and "五件" in r.output


def test_asking_for_the_model_without_one_configured_is_a_setup_error(small):
    r = invoke("--suite", "draft", "--model", "--evals-dir", str(small))
    assert r.exit_code == 2 and "NIANBAO_LLM_MODEL" in r.output


@pytest.mark.parametrize("content, words", [
    (None, "找不到评测套件文件"),
    ("title: [\n", "不是有效的 YAML"),
    ("- 一个列表\n", "应为键值结构"),
])
def test_a_missing_or_broken_suite_file_is_a_clear_error(small, content, words):
    path = small / "suites" / "parse.yaml"
    if content is None:
        path.unlink()
    else:
        path.write_text(content, encoding="utf-8")
    r = invoke("--suite", "parse", "--evals-dir", str(small))
    assert r.exit_code == 2 and words in r.output and "Traceback" not in r.output
