"""Claims as people write them, in real published reports (../shared/realdata)."""

from __future__ import annotations

import pytest

from assistant.check import Severity, run_checks
from assistant.check.catalogue import CheckContext
from assistant.check.claims import T3, Kind, Status
from assistant.check.narrative_rules import check_narrative
from assistant.parse import parse_file

pytestmark = pytest.mark.realdata

NARRATIVE = ("N1", "N2", "N3", "N4", "N5", "N6", "I5")


def narrative_errors(report):
    return [f for f in run_checks(report) if f.code in NARRATIVE and f.severity is Severity.error]


def test_pingtan_2019_its_list_in_half_width_brackets_is_read_and_does_not_add_up(realdata_dir):
    report = parse_file(realdata_dir / "pingtan-2019.html")
    (n5,) = narrative_errors(report)
    assert n5.code == "N5" and (n5.expected, n5.actual) == (2599, 2533)
    assert n5.computation.endswith("= 2533 ≠ 2599") and n5.computation.count("+") == 10


@pytest.mark.parametrize("name", ["pingtan-2023.html", "pingtan-2023.txt"])
def test_pingtan_2023_a_compound_category_and_its_shares_are_consistent(realdata_dir, name):
    report = parse_file(realdata_dir / name)
    assert narrative_errors(report) == []
    _, claims = check_narrative(report)  # the claims as the rules judged them
    compound = [c for c in claims if c.kind is Kind.quantity and c.target == T3(("disclosed", "partly"))]
    assert [(c.value, c.status) for c in compound] == [(42, Status.supported)]  # 22 + 20
    shares = [c for c in claims if c.kind is Kind.share]
    assert len(shares) == 5 and all(c.status is Status.supported for c in shares)


def test_pingtan_2021_a_quoted_name_is_not_a_count(realdata_dir):
    report = parse_file(realdata_dir / "pingtan-2021.txt")
    assert [f for f in run_checks(report) if f.code == "N1"] == []
    claims = CheckContext(report).narrative.claims
    assert not any("三个" in c.quote for c in claims)


@pytest.mark.parametrize("name", ["huaian-city-2024.pdf", "hongze-district-2023.pdf"])
def test_consistent_narratives_raise_no_narrative_error(realdata_dir, name):
    assert narrative_errors(parse_file(realdata_dir / name)) == []


def test_linzi_keeps_its_narrative_errors_and_the_category_mismatch(linzi):
    findings = run_checks(linzi)
    errors = {(f.code, f.expected, f.actual) for f in findings if f.code in NARRATIVE and f.severity is Severity.error}
    assert errors == {("N1", 35, 33), ("N2", 33, 35), ("N5", 631, 615)}
    warnings = [f for f in findings if f.code == "N2" and f.severity is Severity.warning]
    assert len(warnings) == 1 and "（六）其他处理" in warnings[0].message
