"""The model drafter: a chat model writes 一, 五 and 六; the guard keeps it honest.

For each section the model gets the facts, the derivations it may state and
retrieved passages, and is asked for the same paragraphs the offline drafter
plans. Each paragraph goes through the guard: its numbers and its claims
(shares, absences, "均获维持" … as the checker reads them). Paragraphs with an
unsupported figure or claim go back to the model with the figure or sentence
named (at most two rounds); what still fails is replaced by the offline
paragraph, and the result says which paragraphs were replaced and why. A model that times out or answers
garbage hands the rest of the report to the offline drafter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..parse.sentences import sentence_around
from .facts import Facts
from .grounding import Passage, default_passages, render_passages
from .guard import GuardIssue, Replacement, check_claims, check_text, merge_issues
from .llm import ChatClient, ModelError
from .offline import MARKERS, PART_ORDER, Plan, Planned, previous_problems
from .prompts import load_prompt
from .settings import LLMSettings
from .sheet import MONEY, PERCENT, FactSheet, fmt

FIX_ROUNDS = 2
MODEL_SECTIONS = ("一", "五", "六")
SECTION_NAMES = {"一": "一、总体情况", "五": "五、存在的主要问题及改进情况", "六": "六、其他需要报告的事项"}
_PART_START = re.compile(r"^[（(]([一二三四五])[）)]")
_MARKDOWN = re.compile(r"^\s*(?:#{1,6}\s*|[-*•]\s+|>\s*)")


@dataclass
class ModelOutcome:
    texts: dict[tuple[str, int], str] = field(default_factory=dict)
    caught: list[GuardIssue] = field(default_factory=list)
    replaced: list[Replacement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    drafter_used: str = "model"
    calls: int = 0


def draft_with_model(facts: Facts, plan: Plan, wanted: list[str], settings: LLMSettings,
                     on_token: Optional[Callable[[str], None]] = None,
                     passages: Optional[Callable[[str, Facts], list[Passage]]] = None,
                     on_progress: Optional[Callable[[str], None]] = None) -> ModelOutcome:
    out = ModelOutcome()
    sections = [k for k in MODEL_SECTIONS if k in wanted]
    if not settings.configured:
        out.notes.append(f"模型未配置（缺少{'、'.join(settings.missing())}），已使用离线起草。")
        out.drafter_used = "offline"
        return out
    if "preamble" in wanted:
        out.notes.append("报告开头（编制依据、统计期限）使用固定表述，由离线起草。")
    # One client, so one time budget, for the whole draft (NIANBAO_LLM_BUDGET).
    client = ChatClient(settings, on_token, on_progress=on_progress)
    passages = passages or default_passages
    system = load_prompt("system").render()
    failed: Optional[ModelError] = None
    for key in sections:
        planned = plan.section(key)
        if failed is not None:
            _replace_all(out, planned, failed.message)
            continue
        try:
            _draft_section(client, system, facts, key, planned, passages, out)
        except ModelError as exc:
            failed = exc
            out.notes.append(f"{exc.message}；第{key}部分起改用离线起草。")
            _replace_all(out, [p for p in planned if (key, p.index) not in out.texts], exc.message)
    out.calls = client.calls
    if failed is not None and not out.texts:
        out.drafter_used = "offline"
    elif out.replaced:
        out.drafter_used = "model+offline"
    return out


def _replace_all(out: ModelOutcome, planned: list[Planned], reason: str) -> None:
    for p in planned:
        out.replaced.append(Replacement(section=p.section, paragraph=p.index, reason=f"{reason}，使用离线起草的段落"))


def _draft_section(client: ChatClient, system: str, facts: Facts, key: str, planned: list[Planned],
                   passages, out: ModelOutcome) -> None:
    prompt = _section_prompt(facts, key, planned, passages(key, facts))
    answer = client.complete(system, prompt)
    drafts = split_answer(answer, key, planned)
    pending: dict[int, tuple[str, list[GuardIssue]]] = {}
    for p in planned:
        text = drafts.get(p.index)
        if text is None:
            out.replaced.append(Replacement(section=key, paragraph=p.index,
                                            reason="模型没有写出这一段，使用离线起草的段落"))
            continue
        issues = _issues(text, facts, p, "初稿")
        out.caught.extend(issues)
        if issues:
            pending[p.index] = (text, issues)
        else:
            out.texts[(key, p.index)] = text
    by_index = {p.index: p for p in planned}
    for round_no in range(1, FIX_ROUNDS + 1):
        if not pending:
            break
        order = sorted(pending)
        prompt = _fix_prompt(facts, key, [(by_index[i], *pending[i]) for i in order])
        answer = client.complete(system, prompt)
        fixed = split_answer(answer, key, [by_index[i] for i in order], positional=True)
        for i in order:
            text = fixed.get(i)
            if text is None:
                continue
            issues = _issues(text, facts, by_index[i], f"第{round_no}轮修改")
            out.caught.extend(issues)
            if issues:
                pending[i] = (text, issues)
            else:
                out.texts[(key, i)] = text
                del pending[i]
    for i, (_, issues) in sorted(pending.items()):
        numbers = "、".join(f"“{x.figure}”" for x in issues if not x.is_claim)
        claims = "、".join(f"“{x.figure}”" for x in issues if x.is_claim)
        what = "；".join(x for x in (f"无依据的数字{numbers}" if numbers else "",
                                    f"不符合表格的陈述{claims}" if claims else "") if x)
        out.replaced.append(Replacement(
            section=key, paragraph=i,
            reason=f"模型经{FIX_ROUNDS}轮修改仍有{what}，使用离线起草的段落"))


def _issues(text: str, facts: Facts, p: Planned, stage: str) -> list[GuardIssue]:
    """What the guard does not let through in one paragraph: its numbers, then its claims."""
    issues, _ = merge_issues(check_text(text, facts, p.section, p.index).issues,
                             check_claims(facts, [(p.section, p.index, text)]))
    for i in issues:
        i.stage = stage
    return issues


# ------------------------------------------------------------------ reading answers


def _clean_lines(answer: str) -> list[str]:
    lines = []
    for line in answer.replace("\r", "").split("\n"):
        line = _MARKDOWN.sub("", line).replace("**", "").strip()
        if line:
            lines.append(line)
    return lines


def split_answer(answer: str, key: str, planned: list[Planned], positional: bool = False) -> dict[int, str]:
    """The model's paragraphs, keyed by the planned paragraph they stand for.

    In 一 the five parts are found by their markers （一）…（五）, and whatever
    comes before （一） is the opening; elsewhere paragraphs are taken in order.
    """
    lines = _clean_lines(answer)
    out: dict[int, str] = {}
    with_markers = [p for p in planned if p.marker]
    if key == "一" and with_markers:
        index_of = {MARKERS[part][1]: i for i, part in enumerate(PART_ORDER)}
        by_numeral = {p.marker[1]: p for p in with_markers}
        opening = [p for p in planned if not p.marker]
        current: Optional[Planned] = None
        intro: list[str] = []
        for line in lines:
            m = _PART_START.match(line)
            if m and m.group(1) in by_numeral:
                current = by_numeral[m.group(1)]
                out[current.index] = _with_marker(line, current.marker)
            elif m and m.group(1) in index_of:
                current = None  # a part that was not asked for in this round
            elif current is not None:
                out[current.index] += line
            elif opening:
                intro.append(line)
        if opening and intro:
            out[opening[0].index] = "".join(intro)
        return out
    for p, line in zip(planned, lines if positional or len(lines) <= len(planned) else _merge(lines, len(planned))):
        out[p.index] = line
    return out


def _merge(lines: list[str], n: int) -> list[str]:
    """More lines than paragraphs: keep the first n-1 and join the rest into the last."""
    return lines[: n - 1] + ["".join(lines[n - 1:])]


def _with_marker(line: str, marker: str) -> str:
    """"（一）主动公开：全年……" -> "（一）主动公开。全年……", whatever the model's punctuation."""
    title = marker[3:-1]
    rest = line[3:]
    if rest.startswith(title):
        rest = rest[len(title):].lstrip("。：:，, ")
    return marker + rest


# ------------------------------------------------------------------ prompts


def _section_prompt(facts: Facts, key: str, planned: list[Planned], passages: list[Passage]) -> str:
    sheet = facts.sheet()
    outline = "\n".join(f"第{i}段：{p.topic}" for i, p in enumerate(planned, start=1))
    notes = _notes_text(facts)
    common = dict(agency=facts.agency or "本机关", year=facts.year or "本", facts=render_facts(sheet),
                  notes=notes, passages=render_passages(passages), outline=outline)
    if key == "一":
        rule = ("本机关是人民政府，第六段（监督保障）必须写工作考核、社会评议和责任追究结果情况（条例第五十条）。"
                if facts.is_government else "第六段写监督保障：工作机制、培训、监督检查等。")
        return load_prompt("draft_overview").render(format_name=f"《{facts.edition_decl.name}》",
                                                    government_rule=rule, derivations=render_derivations(sheet),
                                                    **common)
    if key == "五":
        found = previous_problems(facts.previous) if facts.previous is not None else []
        prev = "\n".join(f"- {x}" for x in found) or "（未提供上年度报告，或上年度报告没有列出问题）"
        return load_prompt("draft_problems").render(derivations=render_derivations(sheet), previous_problems=prev,
                                                    **common)
    fee = facts.fee()
    if not facts.edition_decl.drafting.fee_statement:
        rule = f"本报告使用{facts.edition}年格式，不要求写信息处理费。"
    elif fee is None:
        rule = "用户没有提供信息处理费的收取情况，不要写收费金额。"
    elif fee.value:
        rule = f"第一段写明依据《政府信息公开信息处理费管理办法》本年度收取信息处理费{fmt(fee.value)}{fee.unit}。"
    else:
        rule = "第一段写明本年度未收取信息处理费。"
    unpaid = sheet.value("t3.unpaid_fee")
    if unpaid:
        rule += f"表三中因申请人逾期未缴纳费用而不再处理的申请有{fmt(unpaid)}件，也要说明。"
    return load_prompt("draft_other").render(fee_rule=rule, **common)


def _notes_text(facts: Facts) -> str:
    lines = [f"- {n}" for n in facts.notes]
    lines += [f"- {x.label}：{fmt(x.value)}{x.unit}" for x in facts.extra]
    return "\n".join(lines) or "（未提供）"


def _fix_prompt(facts: Facts, key: str, items: list[tuple[Planned, str, list[GuardIssue]]]) -> str:
    sheet = facts.sheet()
    issues = []
    for p, text, found in items:
        for i in found:
            # A claim is named by its whole sentence, so the model knows what to rewrite.
            line = (f"- 第{p.index}段这句话“{_sentence_at(text, i.start)}”：{i.reason}" if i.is_claim
                    else f"- 第{p.index}段“{i.figure}”：{i.reason}")
            if i.expected:
                line += f"（事实：{i.expected}）"
            issues.append(line)
    paragraphs = "\n\n".join(text for _, text, _ in items)
    return load_prompt("fix_figures").render(section=SECTION_NAMES.get(key, key), issues="\n".join(issues),
                                             paragraphs=paragraphs, facts=render_facts(sheet),
                                             derivations=render_derivations(sheet))


def _sentence_at(text: str, at: int) -> str:
    """The sentence of ``text`` that holds offset ``at``."""
    s, e = sentence_around(text, at, at, "。！？；\n")
    return text[s:e + 1].strip()


def _value_text(fact) -> str:
    if fact.kind == MONEY:
        if abs(fact.value) >= 10000:
            return f"{fmt(fact.value / 10000)}万元"
        return f"{fmt(fact.value)}元"
    if fact.kind == PERCENT:
        return f"{fmt(fact.value)}%"
    return fmt(fact.value)


def render_facts(sheet: FactSheet) -> str:
    """The given facts as a list for the prompt; per-applicant cells are left out for brevity."""
    lines = []
    for f in sheet.facts.values():
        if f.derived or "@" in f.key or f.key.startswith("note."):
            continue
        lines.append(f"- {f.label}：{_value_text(f)}")
    return "\n".join(lines) or "（无）"


def render_derivations(sheet: FactSheet) -> str:
    lines = [f"- {f.label}：{_value_text(f)}（{f.how}）" for f in sheet.facts.values()
             if f.derived and "@" not in f.key and not f.key.endswith(".abs")]
    return "\n".join(lines) or "（无）"
