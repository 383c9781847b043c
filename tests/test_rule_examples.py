"""Every rule's failing and passing example is data (assistant/check/examples), and both do what they say."""

from __future__ import annotations

import pytest
from refcheck import assert_references_resolve
from typer.testing import CliRunner

from assistant.check import all_rules, run_checks
from assistant.check.rule_examples import codes_with_examples, example, examples
from assistant.cli import app

CODES = [r.code for r in all_rules()]


def test_every_rule_has_its_examples_and_every_example_a_rule():
    assert codes_with_examples() == sorted(CODES)
    for r in all_rules():
        assert r.failing and r.passing, r.code


@pytest.mark.parametrize("code", CODES)
def test_the_failing_example_fires_exactly_its_rule(code):
    ex = example(code, "failing")
    findings = run_checks(ex.report, ex.previous, strict=True)
    # Only the example's own rule, and the ones its file names as necessarily firing with it.
    assert {f.code for f in findings} == {code, *ex.also}, [(f.code, f.location, f.message) for f in findings]
    assert ex.own(), code
    assert_references_resolve(ex.report, findings)


# Every rule's examples, built once (N2 alone has thirty; building them per test was quadratic).
EXAMPLES = {code: examples(code) for code in CODES}
FURTHER = [(code, i) for code in CODES for i in range(2, len(EXAMPLES[code]))]


@pytest.mark.parametrize("code, i", FURTHER, ids=[f"{c}-{i}" for c, i in FURTHER])
def test_every_further_example_does_what_it_says(code, i):
    ex = EXAMPLES[code][i]
    findings = run_checks(ex.report, ex.previous, strict=True)
    codes = {f.code for f in findings}
    if ex.kind == "passing":
        assert code not in codes, (ex.says, [(f.code, f.location, f.message) for f in findings])
        return
    assert codes == {code, *ex.also}, (ex.says, [(f.code, f.location, f.message) for f in findings])
    own = [f for f in findings if f.code == code]
    if ex.severity:
        assert {f.severity.value for f in own} == {ex.severity}, (ex.says, [(f.severity, f.message) for f in own])
    else:
        assert any(f.severity.value in ("error", "warning") for f in own), (ex.says, [f.message for f in own])
    assert_references_resolve(ex.report, findings)


CLAIM_FORMS = ("count", "compound", "qualified", "brackets", "clauses", "respectively", "share", "base", "change",
               "order", "absence", "universal", "scope", "quoted")


@pytest.fixture(scope="module")
def forms_shown() -> dict[str, set[tuple[str, str]]]:
    """(kind, edition) of every example, by claim form: every rule's examples built once."""
    shown: dict[str, set[tuple[str, str]]] = {}
    for code in CODES:
        for ex in EXAMPLES[code]:
            if ex.form:
                shown.setdefault(ex.form, set()).add((ex.kind, ex.edition))
    return shown


@pytest.mark.parametrize("form", CLAIM_FORMS)
def test_every_claim_form_has_a_firing_and_a_quiet_example_in_both_editions(form, forms_shown):
    shown = forms_shown.get(form, set())
    assert shown >= {("failing", "2019"), ("failing", "2021"), ("passing", "2019"), ("passing", "2021")}, shown


@pytest.mark.parametrize("code", CODES)
def test_the_passing_example_does_not_fire_its_rule(code):
    ex = example(code, "passing")
    findings = run_checks(ex.report, ex.previous, strict=True)
    assert code not in {f.code for f in findings}, [(f.code, f.location, f.message) for f in findings]


@pytest.mark.parametrize("base", ["2019", "2021"])
def test_the_bases_the_examples_change_have_no_finding_at_all(base):
    from assistant.check.rule_examples import _report

    assert run_checks(_report({"base": base}, base), strict=True) == []


def test_rules_code_prints_the_finding_the_failing_example_produces():
    r = CliRunner().invoke(app, ["rules", "i4"])
    assert r.exit_code == 0, r.output
    assert "不通过的例子：行政复议：2 + 1 + 0 + 1 = 4，总计却写 5。" in r.output
    assert "I4 表四 行政复议 × 总计" in r.output and "2 + 1 + 0 + 1 = 4 ≠ 5" in r.output
    assert "通过的例子：" in r.output
