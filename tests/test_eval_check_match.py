"""How the check suite scores: findings listed where they belong, and findings that must not be reported."""

from __future__ import annotations

import pytest
from factories import make_report

from assistant.check import run_checks
from assistant.errors import ExpectedError
from assistant.evals.expected import expected_entry, parse_findings, parse_not_expected
from assistant.evals.suites.check import match


def _cascade():
    # （七）总计 × 自然人 mistyped: R1 at the cell, with P1, I1 and I2 under it.
    return run_checks(make_report("2021", t3={("total", "自然人"): 53}))


def test_a_root_cause_and_its_consequences_match_when_listed_the_same_way():
    found = _cascade()
    expected = parse_findings([expected_entry(f) for f in found], "测试", "2021")
    score = match(expected, found)
    assert score.expected == score.found == score.matched == 4 and not score.missed and not score.extra
    assert score.by_severity["error"] == [4, 4, 4]


def test_a_consequence_expected_on_its_own_is_missed_where_it_is_not():
    found = _cascade()
    (root,) = found
    flat = [{k: v for k, v in expected_entry(root).items() if k != "consequences"}]
    flat += [expected_entry(c) for c in root.consequences]
    score = match(parse_findings(flat, "测试", "2021"), found)
    assert score.matched == 1 and len(score.missed) == 3 and len(score.extra) == 3 and score.false_errors == 3


def test_a_finding_that_must_not_be_reported_is_counted_when_it_is():
    found = run_checks(make_report("2021", t3={("disclosed", "总计"): 11}))
    rules = parse_not_expected([
        {"text": "其中予以公开10件", "why": "叙述对"},  # N2's quote, under the R1 root: it counts there too
        {"table": "三", "above": "error", "why": "至多错误"},  # nothing above error exists
        {"code": "I4", "above": "none", "why": "表四相符"},
    ], "测试")
    score = match([], found, rules)
    assert score.fired == ["“其中予以公开10件”：叙述对"]


@pytest.mark.parametrize("raw, says", [
    ({"text": "x"}, "why"),
    ({"why": "原因"}, "code、text 或 table"),
    ({"code": "N1", "why": "原因", "above": "fatal"}, "above"),
])
def test_a_badly_written_non_finding_is_a_clear_error(raw, says):
    with pytest.raises(ExpectedError) as e:
        parse_not_expected([raw], "findings.yaml x")
    assert says in e.value.message
