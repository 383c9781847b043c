"""Draft suite: figure precision, coverage of key figures, guard catch rate.

For every reference report, the facts are its tables (``report.yaml``,
narrative dropped) plus the extra figures and notes in ``evals/draft/facts.yaml``.
Measured:

- precision: the share of numbers in the delivered draft that the guard
  traces to a fact or a declared derivation, for the offline drafter, the
  model drafter against a well-behaved stub (or the configured model on
  request), and against an adversarial stub (must be 1.0 in every case);
- coverage: the share of key figures of 总体情况 that appear in the drafted
  section 一. Key figures: 新收, 上年结转, 办结 （七）, 结转下年度, 予以公开,
  部分公开, 不予公开 G3, 无法提供 G4, 不予处理 G5, 其他处理 G6, 复议总计,
  诉讼总计 (I5), the table-二 figures for the agency's level, and the extra
  figures that belong in 一. A figure of 0 is not expected in prose ("其中"
  lists name the categories that occurred);
- catch rate: the share of the adversarial stub's wrong or invented figures
  that the guard reports, with the paragraphs replaced when the stub repeats
  its mistakes and none delivered;
- claim catch rate: the same for a stub that writes false claims about the
  tables (shares on the wrong base or plainly wrong, "未收到申请" when there
  were applications, "均获维持" when a case was corrected, claims about a
  table the reader could not read), over the reference reports and the real
  reports in ``../shared/realdata`` (their tables read by the parser);
- false alarms: claims of the offline drafter's own text the guard does not
  support, and paragraphs replaced that held no planted mistake (both 0);
- offline drafting time.

The stub server (``assistant.evals.llm_stub``) listens on 127.0.0.1 and is
reached through the real ChatOpenAI client; nothing leaves the machine.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ...draft import ExtraFigure, Facts, LLMSettings, draft_report, facts_from_report, load_facts
from ...draft.facts import read_previous
from ...draft.placement import OTHER, classify_extra
from ...model import NumberKind
from ...parse.numbers import read_numbers
from ...yamlfile import load_yaml
from ..context import Context, EvalConfigError
from ..llm_stub import Adversary, ClaimAdversary, StubLLM, good
from ..results import Case, Metric, SuiteResult

KEY_T3 = ("t3.new", "t3.carried_in", "t3.total", "t3.carried_out", "t3.disclosed", "t3.partly",
          "t3.withheld", "t3.unavailable", "t3.not_processed", "t3.other")
KEY_T4 = ("t4.review.total", "t4.suit.total")
KEY_T2 = ("t2.documents.normative.issued", "t2.documents.normative.repealed", "t2.documents.normative.in_force",
          "t2.documents.normative.made", "t2.documents.normative.published", "t2.documents.normative.published_total",
          "t2.licensing.licensing.decisions", "t2.enforcement.penalty.decisions", "t2.enforcement.coercion.decisions",
          "t2.fees.fees.fee_amount", "t2.procurement.procurement.procurement_count",
          "t2.procurement.procurement.procurement_amount")
RULE_KEYS = ("t2.documents.rules.issued", "t2.documents.rules.repealed", "t2.documents.rules.in_force",
             "t2.documents.rules.made", "t2.documents.rules.published", "t2.documents.rules.published_total")


@dataclass
class Row:
    slug: str
    edition: str
    offline_report: Any = None
    checked: int = 0
    precision_offline: float = 0.0
    precision_model: float = 0.0
    precision_adversarial: float = 0.0
    key_total: int = 0
    key_found: int = 0
    missing: list[str] = field(default_factory=list)
    injected: int = 0
    caught: int = 0
    delivered_wrong: int = 0
    replaced: int = 0
    fixed_replaced: int = 0
    offline_ms: float = 0.0
    claims_offline: int = 0  # claims read in the offline draft
    claims_offline_unsupported: int = 0
    claim_injected: int = 0
    claim_caught: int = 0
    claim_delivered_wrong: int = 0
    wrongly_replaced: int = 0  # paragraphs replaced that held no planted mistake
    missed: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return self.key_found / self.key_total if self.key_total else 1.0

    @property
    def catch_rate(self) -> float:
        return self.caught / self.injected if self.injected else 1.0

    @property
    def claim_catch_rate(self) -> float:
        return self.claim_caught / self.claim_injected if self.claim_injected else 1.0

    @property
    def precision(self) -> float:
        return min(self.precision_offline, self.precision_model, self.precision_adversarial)


def load_eval_facts(reference: Path, slug: str, spec: dict) -> Facts:
    facts = load_facts(reference / slug / "report.yaml")
    facts.extra = [ExtraFigure(**x) for x in spec.get("extra", [])]
    facts.notes = list(spec.get("notes", []))
    if spec.get("previous"):
        facts.previous = read_previous(reference / spec["previous"] / "report.yaml")
    return facts


def key_figures(facts: Facts) -> list[tuple[str, float, str]]:
    """(name, value, kind) of the figures 总体情况 should state."""
    sheet = facts.sheet()
    keys = list(KEY_T3) + list(KEY_T4) + list(KEY_T2)
    if facts.level in ("province", "city") or any(sheet.value(k) for k in RULE_KEYS):
        keys += list(RULE_KEYS)  # only bodies with 规章 power report 规章
    out = []
    for k in keys:
        f = sheet.get(k)
        if f is not None and f.value:
            out.append((f.label, f.value, f.kind))
    for i, x in enumerate(facts.extra):
        if not x.is_fee and classify_extra(x.label) != OTHER and x.value:
            f = sheet.get(f"extra.{i}")
            out.append((f.label, f.value, f.kind))
    return out


def coverage(facts: Facts, report) -> tuple[int, int, list[str]]:
    section = report.section("一")
    text = section.text if section else ""
    values = {(round(float(m.value), 6)) for m in read_numbers(text)
              if m.kind in (NumberKind.figure, NumberKind.percent) and m.value is not None}
    wanted = key_figures(facts)
    missing = [f"{name}={value:g}" for name, value, _ in wanted if round(float(value), 6) not in values]
    return len(wanted) - len(missing), len(wanted), missing


def _precision(result) -> float:
    """The share of the delivered numbers and claims the guard supports."""
    v = result.verdict
    checked = v.figures_checked + v.claims_checked
    return (v.figures_supported + v.claims_supported) / checked if checked else 1.0


def _settings(stub: StubLLM) -> LLMSettings:
    return LLMSettings(base_url=stub.base_url, api_key="stub", model="stub", timeout=10, max_retries=0)


def _no_passages(section, facts):
    # The facts are the only source of figures here; retrieval is measured by its own suite.
    return []


def evaluate(reference: Path, slug: str, spec: dict, model: Optional[LLMSettings] = None) -> Row:
    """One reference report; ``model`` replaces the well-behaved stub with a real endpoint."""
    facts = load_eval_facts(reference, slug, spec)
    row = Row(slug, facts.edition)

    _offline_and_good(row, facts, model)
    row.key_found, row.key_total, row.missing = coverage(facts, row.offline_report)

    adversary = Adversary(facts, stubborn=True)
    with StubLLM(adversary) as stub:
        result = draft_report(facts, "model", settings=_settings(stub), passages=_no_passages)
    first = [i for i in result.verdict.unsupported if i.stage == "初稿"]
    row.injected = len(adversary.injected)
    row.caught = len(adversary.caught(first))
    delivered = result.text()
    row.delivered_wrong = sum(1 for inj in adversary.injected if inj.snippet in delivered)
    row.delivered_wrong += len(result.verdict.remaining)
    row.replaced = len(result.verdict.replaced)
    row.precision_adversarial = _precision(result)

    fixable = Adversary(facts, stubborn=False)
    with StubLLM(fixable) as stub:
        fixed = draft_report(facts, "model", settings=_settings(stub), passages=_no_passages)
    row.fixed_replaced = len(fixed.verdict.replaced)
    row.delivered_wrong += sum(1 for inj in fixable.injected if inj.snippet in fixed.text())
    _false_claims(row, facts)
    return row


def _offline_and_good(row: Row, facts: Facts, model: Optional[LLMSettings]) -> None:
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        offline = draft_report(facts)
        times.append((time.perf_counter() - t0) * 1000)
    row.offline_ms = statistics.median(times)
    row.offline_report = offline.report
    row.checked = offline.verdict.figures_checked
    row.claims_offline = offline.verdict.claims_checked
    row.claims_offline_unsupported = offline.verdict.claims_checked - offline.verdict.claims_supported
    row.precision_offline = _precision(offline)
    if model is not None:
        good_run = draft_report(facts, "model", settings=model, passages=_no_passages)
    else:
        with StubLLM(good(facts)) as stub:
            good_run = draft_report(facts, "model", settings=_settings(stub), passages=_no_passages)
    row.precision_model = _precision(good_run)
    if model is None:
        row.wrongly_replaced += len(good_run.verdict.replaced)  # a faithful model loses nothing


def _false_claims(row: Row, facts: Facts) -> None:
    """The stub that writes false claims: every one caught, none delivered, nothing else replaced."""
    adversary = ClaimAdversary(facts, stubborn=True)
    with StubLLM(adversary) as stub:
        result = draft_report(facts, "model", settings=_settings(stub), passages=_no_passages)
    first = [i for i in result.verdict.unsupported if i.stage == "初稿"]
    caught = adversary.caught(first)
    row.claim_injected = len(adversary.injected)
    row.claim_caught = len(caught)
    row.missed = [f"{inj.what}“{inj.snippet}”" for inj in adversary.injected if inj not in caught]
    delivered = result.text()
    row.claim_delivered_wrong = sum(1 for inj in adversary.injected if inj.snippet in delivered)
    row.claim_delivered_wrong += len(result.verdict.remaining)
    planted = {(inj.section, inj.paragraph) for inj in adversary.injected}
    row.wrongly_replaced += sum(1 for r in result.verdict.replaced if (r.section, r.paragraph) not in planted)
    row.precision_adversarial = min(row.precision_adversarial, _precision(result))

    fixable = ClaimAdversary(facts, stubborn=False)
    with StubLLM(fixable) as stub:
        fixed = draft_report(facts, "model", settings=_settings(stub), passages=_no_passages)
    row.claim_delivered_wrong += sum(1 for inj in fixable.injected if inj.snippet in fixed.text())
    row.wrongly_replaced += len(fixed.verdict.replaced)  # fixed in the first round: nothing to replace


def evaluate_real(path: Path, parse, model: Optional[LLMSettings] = None) -> Row:
    """A real report: its tables as the parser read them are the facts (no extra figures, no notes)."""
    facts = facts_from_report(parse(path))
    row = Row(path.name, facts.edition)
    _offline_and_good(row, facts, model)
    row.precision_adversarial = 1.0
    _false_claims(row, facts)
    return row


def evaluate_all(reference: Path, facts_file: Path, model: Optional[LLMSettings] = None,
                 real: Optional[list[Path]] = None, parse=None) -> list[Row]:
    specs = load_yaml(facts_file.read_text(encoding="utf-8"), f"起草评测文件 {facts_file.name} ", EvalConfigError) or {}
    slugs = sorted(p.name for p in reference.iterdir() if (p / "report.yaml").is_file())
    rows = [evaluate(reference, slug, specs.get(slug) or {}, model) for slug in slugs]
    if real:
        from ...parse import parse_file

        rows += [evaluate_real(path, parse or parse_file, model) for path in real]
    return rows


def real_reports(folder: Path) -> list[Path]:
    """The reports of a data folder (not its README), in name order."""
    from ...parse.files import find_reports

    return find_reports([folder]).reports


def run(ctx: Context, spec: dict[str, Any]) -> SuiteResult:
    th = spec.get("thresholds") or {}
    reference = ctx.path(spec.get("reference", "evals/reference"))
    facts_file = ctx.path(spec.get("facts", "evals/draft/facts.yaml"))
    notes = []
    model = None
    if ctx.use_model:
        model = LLMSettings.from_env()
        if not model.configured:
            # Asked for a model and none is configured: a setup error, not a suite that passes by not running.
            raise EvalConfigError("起草套件要求使用模型，但未配置：请设置 " + "、".join(model.missing()) + "。")
        notes.append(f"“精确率·模型”来自已配置的模型：{model.describe()}")
    real: list[Path] = []
    for folder in spec.get("realdata") or []:
        path = ctx.path(folder)
        if path.is_dir():
            real += real_reports(path)
        else:
            notes.append(f"未找到真实报告文件夹 {folder}，起草套件只用参考报告。")
    rows = evaluate_all(reference, facts_file, model, real, ctx.parse)
    checked = sum(r.checked for r in rows)
    key_total = sum(r.key_total for r in rows)
    key_found = sum(r.key_found for r in rows)
    injected = sum(r.injected for r in rows)
    caught = sum(r.caught for r in rows)
    wrong = sum(r.delivered_wrong for r in rows)
    replaced = sum(r.replaced for r in rows)
    claim_injected = sum(r.claim_injected for r in rows)
    claim_caught = sum(r.claim_caught for r in rows)
    claim_wrong = sum(r.claim_delivered_wrong for r in rows)
    offline_claims = sum(r.claims_offline for r in rows)
    offline_unsupported = sum(r.claims_offline_unsupported for r in rows)
    wrongly_replaced = sum(r.wrongly_replaced for r in rows)
    if real:
        notes.append(f"虚假陈述用例覆盖参考报告 {len(rows) - len(real)} 份、真实报告 {len(real)} 份")
    notes.append(f"离线起草耗时中位数 {statistics.median(r.offline_ms for r in rows):.1f} ms")
    worst = sorted((r for r in rows if r.missing or r.precision < 1 or r.catch_rate < 1 or r.delivered_wrong
                    or r.claim_catch_rate < 1 or r.claim_delivered_wrong or r.wrongly_replaced
                    or r.claims_offline_unsupported),
                   key=lambda r: (r.precision, r.coverage, r.slug))
    return SuiteResult(
        name="draft",
        title=spec.get("title", "起草"),
        cases=len(rows),
        notes=notes,
        metrics=[
            Metric(name="figure_precision", label="数字精确率（离线、模型、对抗中最低）",
                   value=min((r.precision for r in rows), default=1.0),
                   threshold=th.get("figure_precision"), detail=f"{checked} 个数字（离线）"),
            Metric(name="key_coverage", label="总体情况关键数字覆盖率", value=key_found / key_total if key_total else 1.0,
                   threshold=th.get("key_coverage"), detail=f"{key_found}/{key_total}"),
            Metric(name="guard_catch_rate", label="对抗模型错误数字拦截率", value=caught / injected if injected else 1.0,
                   threshold=th.get("guard_catch_rate"), detail=f"{caught}/{injected}"),
            Metric(name="delivered_wrong", label="交付给用户的错误数字", value=wrong, better="lower", percent=False,
                   threshold=th.get("delivered_wrong"), detail=f"{wrong} 个"),
            Metric(name="paragraphs_replaced", label="被替换为离线段落的段落数", value=replaced, percent=False,
                   threshold=th.get("paragraphs_replaced"), detail=f"{replaced} 段（对抗模型坚持出错时）"),
            Metric(name="claim_catch_rate", label="虚假陈述拦截率（占比、基数、“没有”“均”）",
                   value=claim_caught / claim_injected if claim_injected else 1.0,
                   threshold=th.get("claim_catch_rate"), detail=f"{claim_caught}/{claim_injected}"),
            Metric(name="claims_delivered_wrong", label="交付给用户的虚假陈述", value=claim_wrong, better="lower",
                   percent=False, threshold=th.get("claims_delivered_wrong"), detail=f"{claim_wrong} 条"),
            Metric(name="offline_claims_unsupported", label="离线起草中未获支持的陈述", value=offline_unsupported,
                   better="lower", percent=False, threshold=th.get("offline_claims_unsupported"),
                   detail=f"{offline_unsupported}/{offline_claims} 条"),
            Metric(name="correct_paragraphs_replaced", label="被误替换的正确段落", value=wrongly_replaced,
                   better="lower", percent=False, threshold=th.get("correct_paragraphs_replaced"),
                   detail=f"{wrongly_replaced} 段"),
        ],
        worst=[
            Case(name=r.slug, link=ctx.link(reference / r.slug / "report.yaml") if (reference / r.slug).is_dir()
                 else r.slug, score=min(r.precision, r.coverage, r.claim_catch_rate),
                 note="；".join(x for x in (
                     f"精确率 {r.precision:.3f}" if r.precision < 1 else "",
                     f"未写出 {'、'.join(r.missing[:3])}" if r.missing else "",
                     f"拦截率 {r.catch_rate:.0%}" if r.catch_rate < 1 else "",
                     f"交付错误 {r.delivered_wrong}" if r.delivered_wrong else "",
                     f"漏拦陈述 {'；'.join(r.missed[:2])}" if r.missed else "",
                     f"交付虚假陈述 {r.claim_delivered_wrong}" if r.claim_delivered_wrong else "",
                     f"误替换 {r.wrongly_replaced} 段" if r.wrongly_replaced else "",
                     f"离线陈述未获支持 {r.claims_offline_unsupported}" if r.claims_offline_unsupported else "")
                     if x))
            for r in worst[: ctx.worst]
        ],
    )
