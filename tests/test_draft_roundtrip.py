"""Draft → DOCX → our own parser → our own checker, for every reference report and both drafters.

The drafted report must read back into exactly the facts' tables, in the
right edition, with the six sections; and the checker must find no error in
it (warnings only where the input tables already had them).
"""

from pathlib import Path

import pytest
import yaml
from llm_stub import StubLLM, good
from test_parse_reference import cells

from assistant.check import Severity, run_checks
from assistant.draft import ExtraFigure, LLMSettings, draft_report, load_facts
from assistant.draft.facts import read_previous
from assistant.export import to_docx
from assistant.parse import parse_bytes

pytestmark = pytest.mark.slow  # drafts every reference report, offline and through a model

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "evals" / "reference"
SLUGS = sorted(p.name for p in REF.iterdir() if p.is_dir())
SPECS = yaml.safe_load((ROOT / "evals" / "draft" / "facts.yaml").read_text(encoding="utf-8"))


def eval_facts(slug: str):
    spec = SPECS.get(slug) or {}
    facts = load_facts(REF / slug / "report.yaml")
    facts.extra = [ExtraFigure(**x) for x in spec.get("extra", [])]
    facts.notes = list(spec.get("notes", []))
    if spec.get("previous"):
        facts.previous = read_previous(REF / spec["previous"] / "report.yaml")
    return facts


def input_warnings(facts) -> set[str]:
    bare = facts.tables.model_copy(update={"preamble": [], "sections": []})
    return {f.code for f in run_checks(bare, facts.previous) if f.severity is Severity.warning}


def round_trip(facts, result):
    back = parse_bytes(to_docx(result.report), name="draft.docx")
    assert back.edition == facts.edition and back.agency == facts.agency and back.year == facts.year
    assert [s.key for s in back.sections] == ["一", "二", "三", "四", "五", "六"]
    assert cells(back) == cells(facts.tables)
    findings = run_checks(back, facts.previous)
    errors = [f"{f.code} {f.location}: {f.message}" for f in findings if f.severity is Severity.error]
    assert errors == []
    warnings = {f.code for f in findings if f.severity is Severity.warning}
    assert warnings <= input_warnings(facts), [f.message for f in findings if f.severity is Severity.warning]
    return back


@pytest.mark.parametrize("slug", SLUGS)
def test_offline_draft_round_trips(slug):
    facts = eval_facts(slug)
    result = draft_report(facts)
    assert result.verdict.clean
    back = round_trip(facts, result)
    # The narrative survives the trip too: the same paragraphs in 一.
    assert [p.text for p in back.section("一").paragraphs] == [p.text for p in result.report.section("一").paragraphs]


@pytest.mark.parametrize("slug", SLUGS)
def test_model_draft_round_trips(slug):
    facts = eval_facts(slug)
    with StubLLM(good(facts)) as stub:
        settings = LLMSettings(base_url=stub.base_url, api_key="k", model="stub", timeout=10, max_retries=0)
        result = draft_report(facts, "model", settings=settings)
    assert result.drafter_used == "model" and result.verdict.clean
    round_trip(facts, result)
