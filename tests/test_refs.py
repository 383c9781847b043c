"""Findings point at the report with references; their location text is rendered from them."""

from __future__ import annotations

import pytest
from factories import make_report
from refcheck import assert_references_resolve

from assistant.chat.cells import problem_cells
from assistant.check import Finding, Severity, run_checks
from assistant.evals.expected import ExpectedFinding, parse_findings, refs_dict
from assistant.model.refs import AreaKind, AreaRef, Aspect, CellRef, SpanRef

TOTAL = CellRef(table="三", row="（七）总计", col="自然人")
SECRET = CellRef(table="三", row="1.属于国家秘密", col="总计")
RULES = CellRef(table="二", block="第二十条第（一）项", row="规章", col="现行有效件数")


def finding(code="I1", **refs) -> Finding:
    return Finding(code=code, severity=Severity.error, message="某句话", edition="2021", **refs)


@pytest.mark.parametrize("refs, words", [
    ({"cells": [TOTAL]}, "表三 （七）总计 × 自然人"),
    ({"cells": [TOTAL, TOTAL.model_copy(update={"col": "总计"})]}, "表三 （七）总计 × 自然人、总计"),
    ({"cells": [SECRET]}, "表三 （三）不予公开 1.属于国家秘密 × 总计"),
    ({"cells": [RULES]}, "表二 第二十条第（一）项 规章 × 现行有效件数"),
    ({"cells": [CellRef(table="四", row="行政复议", col="总计")]}, "表四 行政复议 × 总计"),
    ({"area": AreaRef(kind=AreaKind.column, table="三", col="自然人"), "cells": [TOTAL]}, "表三 自然人列"),
    ({"area": AreaRef(kind=AreaKind.row, table="二", block="第二十条第（一）项", row="规章")},
     "表二 第二十条第（一）项 规章"),
    ({"area": AreaRef(kind=AreaKind.rows, table="三"), "cells": [SECRET, TOTAL, SECRET]},
     "表三 （三）不予公开 1.属于国家秘密 等 2 行"),
    ({"area": AreaRef(kind=AreaKind.table, table="四")}, "表四"),
    ({"area": AreaRef(kind=AreaKind.label, table="三", label="本年发件")}, "表三 “本年发件”"),
    ({"area": AreaRef(kind=AreaKind.report, aspect=Aspect.edition)}, "整份报告（格式版本）"),
    ({"area": AreaRef(kind=AreaKind.report, aspect=Aspect.sections)}, "整份报告（章节）"),
    ({"area": AreaRef(kind=AreaKind.section, section="一", aspect=Aspect.supervision)}, "一、总体情况（监督保障）"),
    ({"area": AreaRef(kind=AreaKind.previous)}, "跨年核对"),
    ({"spans": [SpanRef(section="一", paragraph=3, start=10, end=19, quote="申请办结数33件")]},
     "一、总体情况 第3段 '申请办结数33件'"),
    ({"spans": [SpanRef(section="preamble", paragraph=1, start=0, end=4, quote="本月受理")]}, "报告开头 第1段 '本月受理'"),
])
def test_the_location_is_rendered_from_the_references(refs, words):
    assert finding(**refs).location == words


def test_the_identity_is_code_and_references_not_wording_or_offsets():
    span = SpanRef(section="一", paragraph=3, start=10, end=19, quote="申请办结数33件")
    a = finding("N1", spans=[span])
    reworded = a.model_copy(update={"message": "另一种说法", "severity": Severity.warning})
    moved = finding("N1", spans=[span.model_copy(update={"start": 40, "end": 49})])
    assert a.identity() == reworded.identity() == moved.identity()
    assert a.identity() != finding("N2", spans=[span]).identity()
    assert a.identity() != finding("N1", spans=[span.model_copy(update={"paragraph": 4})]).identity()
    # Cells in any order are the same finding; an area is what a finding is about, whatever cells it marks.
    two = [TOTAL, SECRET]
    assert finding(cells=two).identity() == finding(cells=two[::-1]).identity() != finding(cells=[TOTAL]).identity()
    column = AreaRef(kind=AreaKind.column, table="三", col="自然人")
    assert finding("P1", area=column, cells=two).identity() == finding("P1", area=column, cells=[TOTAL]).identity()


def test_cells_are_marked_from_references_never_from_the_location_text():
    report = make_report("2021")
    # A message naming another cell in words marks nothing; the references mark exactly their cells.
    wordy = Finding(code="I2", severity=Severity.error, message="表三 （一）予以公开 × 自然人 有误")
    warned = finding(cells=[SECRET, RULES]).model_copy(update={"severity": Severity.warning})
    erred = finding(cells=[SECRET])
    marks = problem_cells(report, [wordy, warned, erred])
    assert marks == {
        ("三", "1.属于国家秘密", "总计"): Severity.error,
        ("二", "第二十条第（一）项｜规章", "现行有效件数"): Severity.warning,
    }


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_every_finding_on_a_broken_report_points_at_real_cells_and_words(edition):
    year = 2020 if edition == "2019" else 2024
    report = make_report(
        edition,
        t3={("disclosed", "总计"): 11, ("total", "自然人"): None},
        t4={("review", "total"): 9},
        paragraphs={"一": ["本机关 共收到政府信息公开申请 31件，办结 28件。本月受理申请3件。"]},
        agency="某某区人民政府",
        year=year,
    )
    findings = run_checks(report, strict=True)
    # Listed on their own or under the cause that explains them (R1: （一）予以公开 × 总计 breaks I2 and I1).
    assert {"I1", "I2", "I4", "N1", "N11"} <= {f.code for top in findings for f in top.all_findings()}
    assert_references_resolve(report, findings)
    n11 = next(f for f in findings if f.code == "N11")
    (span,) = n11.spans
    assert report.section("一").paragraphs[0].text[span.start:span.end] == "本月"


def test_expected_findings_match_by_references():
    found = run_checks(make_report("2021", t3={("disclosed", "总计"): 11}), strict=True)
    i2 = next(f for top in found for f in top.all_findings() if f.code == "I2")
    (want,) = parse_findings([{"code": "I2", "severity": "error", **refs_dict(i2)}], "测试", "2021")
    assert want.matches(i2) and want.location == i2.location
    elsewhere = ExpectedFinding(code="I2", cells=[TOTAL], severity="error")
    assert not elsewhere.matches(i2)
    wrong_figure = ExpectedFinding(code="I2", cells=i2.cells, actual=12)
    assert not wrong_figure.matches(i2)
