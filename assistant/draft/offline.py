"""The offline drafter: the narrative from the facts and the phrasing in prompts/offline.

Deterministic and fast. Every figure it writes comes from the fact sheet, and
each paragraph records the facts it used, so the guard can credit every
number to its source. Parts of the text that rest on no fact the user gave
(a general sentence about 信息管理 when no note covers it) are marked
``generic`` and reported, because a person has to confirm them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Cell, CellState, NumberKind, Report, get_edition
from ..parse.numbers import read_numbers
from .facts import Facts
from .placement import (
    ACTIVE,
    APPLY,
    INTRO,
    MANAGE,
    OTHER,
    PART_TITLES,
    PLATFORM,
    PROBLEMS,
    SUPERVISION,
    classify_extra,
    classify_note,
    sentence,
)
from .prompts import Phrasebook, fields, load_phrasebook, pick
from .sheet import fmt, table2_value

MARKERS = {
    ACTIVE: "（一）主动公开。",
    APPLY: "（二）依申请公开。",
    MANAGE: "（三）政府信息管理。",
    PLATFORM: "（四）政府信息公开平台建设。",
    SUPERVISION: "（五）监督保障。",
}
PART_ORDER = (ACTIVE, APPLY, MANAGE, PLATFORM, SUPERVISION)
RESULT_PARTS = (("予以公开", "t3.disclosed"), ("部分公开", "t3.partly"), ("不予公开", "t3.withheld"),
                ("无法提供", "t3.unavailable"), ("不予处理", "t3.not_processed"), ("其他处理", "t3.other"))
CASE_PARTS = (("结果维持", "upheld"), ("结果纠正", "corrected"), ("其他结果", "other"), ("尚未审结", "pending"))
ORDINALS = "一二三四五六七八九十"


@dataclass
class Planned:
    """One paragraph of the draft, as the offline drafter writes it."""

    section: str  # "preamble", "一" … "六"
    index: int  # 1-based inside the section
    topic: str  # what it covers, in Chinese (the model is asked for the same)
    text: str
    marker: str = ""  # "（一）主动公开。" for the five parts of 一
    keys: list[str] = field(default_factory=list)  # facts it states
    generic: bool = False  # rests on no fact the user gave


@dataclass
class Plan:
    paragraphs: list[Planned]
    notes: list[str]  # Chinese, for the user: what to confirm

    def section(self, key: str) -> list[Planned]:
        return [p for p in self.paragraphs if p.section == key]


@dataclass
class Val:
    """A value put into a template, with the facts it came from."""

    text: str
    keys: tuple[str, ...] = ()


class Writer:
    def __init__(self, facts: Facts, book: str) -> None:
        self.facts = facts
        self.sheet = facts.sheet()
        self.book: Phrasebook = load_phrasebook(book)
        self.seed = f"{facts.agency or ''}|{facts.year or ''}"
        self.keys: list[str] = []

    def say(self, slot: str, **values) -> str:
        template = self.book.choose(slot, self.seed)
        used = fields(template)
        rendered = {}
        for name, v in values.items():
            if isinstance(v, Val):
                rendered[name] = v.text
                if name in used:
                    self.keys.extend(v.keys)
            else:
                rendered[name] = str(v)
        return template.format(**rendered)

    def choose_index(self, slot: str, n: int) -> int:
        return pick(self.seed, slot, n)

    def n(self, key: str) -> Optional[Val]:
        v = self.sheet.value(key)
        return None if v is None else Val(fmt(v), (key,))

    def v(self, key: str):
        return self.sheet.value(key)

    def take_keys(self) -> list[str]:
        out, self.keys = self.keys, []
        return out


def plan_offline(facts: Facts) -> Plan:
    notes_by_part: dict[str, list[str]] = {}
    for note in facts.notes:
        part, text = classify_note(note)
        notes_by_part.setdefault(part, []).append(sentence(text))
    extras_by_part: dict[str, list[int]] = {}
    for i, x in enumerate(facts.extra):
        if x.is_fee:
            continue  # stated in 六 on its own
        extras_by_part.setdefault(classify_extra(x.label), []).append(i)
    user_notes: list[str] = []
    paragraphs = [_preamble(facts)]
    paragraphs += _overview(facts, notes_by_part, extras_by_part, user_notes)
    paragraphs += _problems(facts, notes_by_part, user_notes)
    paragraphs += _other(facts, notes_by_part, extras_by_part, user_notes)
    return Plan(paragraphs, user_notes)


# ------------------------------------------------------------------ preamble


def _preamble(facts: Facts) -> Planned:
    w = Writer(facts, "preamble")
    ed = facts.edition_decl
    parts = "、".join(s.title for s in ed.sections)
    text = "".join([
        w.say("basis", agency=facts.agency or "本机关", format_title=f"《{ed.name}》", format_doc=ed.document),
        w.say("parts", parts=parts),
        w.say("period", year=facts.year) if facts.year is not None else "",
    ])
    return Planned("preamble", 1, "报告开头：编制依据（《条例》和所用格式文件）、报告的组成、统计期限", text, keys=w.take_keys())


# ------------------------------------------------------------------ 一


def _overview(facts: Facts, notes: dict[str, list[str]], extras: dict[str, list[int]],
              user_notes: list[str]) -> list[Planned]:
    w = Writer(facts, "overview")
    out = []
    intro = w.say("intro", year=facts.year or "本", agency=facts.agency or "本机关")
    intro += "".join(notes.get(INTRO, []))
    out.append(Planned("一", 1, "总述：本年度政府信息公开工作的总体情况（不加序号）", intro, keys=w.take_keys()))
    builders = {ACTIVE: _active, APPLY: _apply, MANAGE: _manage, PLATFORM: _platform, SUPERVISION: _supervision}
    for i, part in enumerate(PART_ORDER, start=2):
        body, generic = builders[part](facts, w, notes.get(part, []), extras.get(part, []))
        if generic:
            user_notes.append(f"第一部分{MARKERS[part][:-1]}没有提供具体工作情况，已使用通用表述，请按实际情况核实修改。")
        out.append(Planned("一", i, f"以“{MARKERS[part]}”开头，写{PART_TITLES[part]}", MARKERS[part] + body,
                           marker=MARKERS[part], keys=w.take_keys(), generic=generic))
    return out


def _items(facts: Facts, indexes: list[int], w: Writer) -> Val:
    parts, keys = [], []
    for i in indexes:
        x = facts.extra[i]
        text = f"{x.label}{fmt(x.value)}{x.unit}"
        keys.append(f"extra.{i}")
        diff = w.sheet.get(f"yoy.extra.{i}.diff")
        if diff is not None and x.previous is not None:
            if x.value == x.previous:
                text += "，与上年持平"
            else:
                word = "增加" if x.value > x.previous else "减少"
                text += f"，较上年{word}{fmt(abs(x.value - x.previous))}{x.unit}"
                keys.append(diff.key)
        parts.append(text)
    return Val("，".join(parts), tuple(keys))


def _active(facts: Facts, w: Writer, notes: list[str], extras: list[int]) -> tuple[str, bool]:
    s = []
    if not facts.edition_decl.has_column("documents", "in_force"):  # the 2019 layout: made, published, total
        for row, slot, names in (("rules", "rules_2019", ("rules_made", "rules_published", "rules_total")),
                                 ("normative", "docs_2019", ("norm_made", "norm_published", "norm_total"))):
            vals = [w.n(f"t2.documents.{row}.{c}") for c in ("made", "published", "published_total")]
            if any(v is None for v in vals) or (row == "rules" and not any(w.v(f"t2.documents.rules.{c}")
                                                                          for c in ("made", "published", "published_total"))):
                continue
            s.append(w.say(slot, **dict(zip(names, vals))))
    else:
        rules = [w.n(f"t2.documents.rules.{c}") for c in ("issued", "repealed", "in_force")]
        if all(v is not None for v in rules) and any(w.v(f"t2.documents.rules.{c}") for c in ("issued", "repealed", "in_force")):
            s.append(w.say("rules_2021", rules_issued=rules[0], rules_repealed=rules[1], rules_in_force=rules[2]))
        norm = [w.n(f"t2.documents.normative.{c}") for c in ("issued", "repealed", "in_force")]
        if all(v is not None for v in norm):
            if w.v("t2.documents.normative.issued") or w.v("t2.documents.normative.repealed"):
                s.append(w.say("docs_2021", norm_issued=norm[0], norm_repealed=norm[1], norm_in_force=norm[2]))
            else:
                s.append(w.say("docs_none_2021", norm_in_force=norm[2]))
    decisions, keys = [], []
    for key, word in (("t2.licensing.licensing.decisions", "行政许可决定"),
                      ("t2.enforcement.penalty.decisions", "行政处罚决定"),
                      ("t2.enforcement.coercion.decisions", "行政强制决定")):
        v = w.v(key)
        if v:  # zeros and "/" say nothing worth a sentence
            decisions.append(f"{word}{fmt(v)}件")
            keys.append(key)
    if decisions:
        s.append(w.say("decisions", decisions=Val("、".join(decisions), tuple(keys))))
    change = _changes(w, _table2_changes(facts))
    if change:
        s.append(change)
    money = _money_cell(facts, "fees", "fee_amount")
    if money is not None:
        s.append(w.say("fees", fees=money))
    count = w.n("t2.procurement.procurement.procurement_count")
    amount = _money_cell(facts, "procurement", "procurement_amount")
    if count is not None and amount is not None and w.v("t2.procurement.procurement.procurement_count"):
        s.append(w.say("procurement", procurement_count=count, procurement_amount=amount))
    if extras:
        s.append(w.say("active_items", items=_items(facts, extras, w)))
    s.extend(notes)
    generic = not notes and not extras
    if generic:
        s.append(w.say("active_generic"))
    return "".join(s), generic


# Year-over-year changes, one sentence per part: (fact key, what it is called in the sentence).
APPLY_CHANGES = (("t3.new", "新收申请"), ("t3.total", "办结申请"), ("t3.carried_out", "结转下年度的申请"),
                 ("t4.review.total", "行政复议案件"), ("t4.suit.total", "行政诉讼案件"))
DECISION_CHANGES = (("t2.licensing.licensing.decisions", "行政许可决定"),
                    ("t2.enforcement.penalty.decisions", "行政处罚决定"),
                    ("t2.enforcement.coercion.decisions", "行政强制决定"))


def _table2_changes(facts: Facts) -> tuple[tuple[str, str], ...]:
    """The table-二 figures both years' editions share.

    处理决定数量 (2019) and 本年处理决定数量 (2021) are the same count; 行政规范性文件
    compares only when both years' editions have the 现行有效 column.
    """
    out: tuple[tuple[str, str], ...] = ()
    prev = facts.previous
    if prev is not None and all(get_edition(e).has_column("documents", "in_force") for e in (facts.edition, prev.edition)):
        out += (("t2.documents.normative.in_force", "现行有效行政规范性文件"),)
    return out + DECISION_CHANGES


def _changes(w: Writer, items) -> str:
    """"与上年相比，新收申请减少14件，下降7.4%；办结申请……。", or "" without last year's figures.

    A quantity is compared when both years give it and it is not zero in both;
    no percentage when last year was zero. Differences and percentages are the
    sheet's declared derivations, so the guard credits them to their computation.
    """
    clauses = []
    for key, what in items:
        now, before = w.v(key), w.v("prev." + key)
        if now is None or before is None or (not now and not before):
            continue
        if now == before:
            clauses.append(w.say("change_same", what=what))
            continue
        diff = w.sheet.get(f"yoy.{key}.diff")
        if diff is None:
            continue
        pct = w.sheet.get(f"yoy.{key}.pct")
        up = now > before
        slot = ("change_up" if up else "change_down") + ("" if pct is not None else "_no_pct")
        values = dict(what=what, diff=Val(fmt(diff.value), (diff.key,)))
        if pct is not None:
            values["pct"] = Val(f"{pct.value:.1f}", (pct.key,))
        clauses.append(w.say(slot, **values))
    if not clauses:
        return ""
    return w.say("changes", changes="；".join(clauses))


def _money_cell(facts: Facts, block_key: str, column_key: str) -> Optional[Val]:
    """A table-二 money cell as it should read in prose: "11972.6万元", "4328.6万元"."""
    ed = facts.edition_decl
    block = ed.block_by_key(block_key)
    if block is None:
        return None
    col = block.column(column_key)
    if col is None:
        return None
    cell: Optional[Cell] = facts.tables.table2.get(block.caption, {}).get(block.rows[0], {}).get(col)
    if cell is None or cell.state is not CellState.number or not cell.value:
        return None
    key = f"t2.{block_key}.{block.row_keys[block.rows[0]]}.{column_key}"
    if cell.unit in ("元", "万元", "亿元"):
        text = cell.raw.strip()
    elif cell.unit in ("万", "亿"):
        text = cell.raw.strip() + "元"
    else:
        unit = block.units.get(col) or "元"
        text = fmt(cell.value) + unit
    kind, value = table2_value(block.units.get(col), column_key, cell)
    if read_numbers(text) and read_numbers(text)[0].value != value:
        text = fmt(value) + "元"  # an odd cell text: say it in 元 rather than misquote it
    return Val(text, (key,))


def _apply(facts: Facts, w: Writer, notes: list[str], extras: list[int]) -> tuple[str, bool]:
    s = []
    new, carried_in = w.v("t3.new"), w.v("t3.carried_in")
    if new:
        person, org = w.v("t3.new@自然人"), w.v("t3.new@法人或其他组织")
        split = Val("")
        if person is not None and org is not None and person + org == new:
            if org == 0:
                split = Val("，均由自然人提出")
            elif person == 0:
                split = Val("，均由法人或其他组织提出")
            else:
                split = Val(f"，其中自然人提出{fmt(person)}件、法人或其他组织提出{fmt(org)}件",
                            ("t3.new@自然人", "t3.new@法人或其他组织"))
        s.append(w.say("received", new=w.n("t3.new"), split=split, year=facts.year or "本"))
    elif new is not None:
        s.append(w.say("received_none"))
    if carried_in:
        s.append(w.say("carried_in", carried_in=w.n("t3.carried_in")))
    elif carried_in is not None:
        s.append(w.say("carried_in_none"))
    total = w.v("t3.total")
    if total:
        parts, keys = [], []
        for word, key in RESULT_PARTS:
            v = w.v(key)
            if v:
                parts.append(f"{word}{fmt(v)}件")
                keys.append(key)
        if parts:
            s.append(w.say("results", total=w.n("t3.total"), parts=Val("、".join(parts), tuple(keys))))
        else:  # result rows left blank: say the total only, never an empty "其中"
            s.append(w.say("results_bare", total=w.n("t3.total")))
        share = w.sheet.get("share.t3.disclosed_partly.t3.total")
        if share is not None and share.value:
            s.append(w.say("share", share=Val(fmt(share.value), (share.key,))))
    carried_out = w.v("t3.carried_out")
    if carried_out:
        s.append(w.say("carried_out", carried_out=w.n("t3.carried_out")))
    elif carried_out is not None and (new or carried_in):
        s.append(w.say("carried_out_none"))
    s.extend(_cases(w))
    change = _changes(w, APPLY_CHANGES)
    if change:
        s.append(change)
    if extras:
        s.append(w.say("active_items", items=_items(facts, extras, w)))
    s.extend(notes)
    return "".join(s), False


def _case_parts(w: Writer, group: str) -> Val:
    parts, keys = [], []
    for word, col in CASE_PARTS:
        key = f"t4.{group}.{col}"
        v = w.v(key)
        if v:
            parts.append(f"{word}{fmt(v)}件")
            keys.append(key)
    return Val("、".join(parts), tuple(keys))


def _cases(w: Writer) -> list[str]:
    review, suit = w.v("t4.review.total"), w.v("t4.suit.total")
    if review is None and suit is None:
        return []
    if not review and not suit:
        return [w.say("cases_none")]
    s = []
    if review:
        parts = _case_parts(w, "review")
        if parts.text:
            s.append(w.say("review", review_total=w.n("t4.review.total"), review_parts=parts))
        else:
            s.append(w.say("review_bare", review_total=w.n("t4.review.total")))
    elif review is not None:
        s.append(w.say("review_none"))
    if suit:
        parts = _case_parts(w, "suit")
        if parts.text:
            s.append(w.say("suit", suit_total=w.n("t4.suit.total"), suit_parts=parts))
        else:
            s.append(w.say("suit_bare", suit_total=w.n("t4.suit.total")))
        direct, after = w.v("t4.direct_suit.total"), w.v("t4.suit_after_review.total")
        if direct and after:
            s.append(w.say("suit_kinds", direct=w.n("t4.direct_suit.total"), after_review=w.n("t4.suit_after_review.total")))
        elif direct:
            s.append(w.say("suit_direct_only"))
        elif after:
            s.append(w.say("suit_after_only"))
    elif suit is not None:
        s.append(w.say("suit_none"))
    return s


def _manage(facts: Facts, w: Writer, notes: list[str], extras: list[int]) -> tuple[str, bool]:
    s = list(notes)
    if extras:
        s.append(w.say("active_items", items=_items(facts, extras, w)))
    if not s:
        return w.say("manage_generic"), True
    return "".join(s), False


def _platform(facts: Facts, w: Writer, notes: list[str], extras: list[int]) -> tuple[str, bool]:
    s = []
    if extras:
        s.append(w.say("platform_items", items=_items(facts, extras, w)))
    s.extend(notes)
    if not s:
        return w.say("platform_generic"), True
    return "".join(s), False


_N10 = (re.compile(r"考核"), re.compile(r"评议"), re.compile(r"责任追究|追究责任|追究.{0,4}责任|追责|问责"))


def _supervision(facts: Facts, w: Writer, notes: list[str], extras: list[int]) -> tuple[str, bool]:
    s = []
    if extras:
        s.append(w.say("supervision_items", items=_items(facts, extras, w)))
    s.extend(notes)
    generic = False
    text = "".join(s)
    if facts.is_government and not all(p.search(text) for p in _N10):
        # 条例第五十条: a people's government reports 考核、评议、追责 results.
        s.append(w.say("supervision_government"))
        generic = True
    elif not s:
        s.append(w.say("supervision_generic"))
        generic = True
    return "".join(s), generic


# ------------------------------------------------------------------ 五


def _problems(facts: Facts, notes: dict[str, list[str]], user_notes: list[str]) -> list[Planned]:
    w = Writer(facts, "problems")
    total = w.v("t3.total") or 0
    chosen = []
    corrected = (w.v("t4.review.corrected") or 0) + (w.v("t4.suit.corrected") or 0)
    if corrected:
        chosen.append("corrected")
    if total and (w.v("t3.unavailable") or 0) / total >= 0.3:
        chosen.append("unavailable")
    if w.v("t3.carried_out"):
        chosen.append("carried")
    if w.v("t3.complaint"):
        chosen.append("complaint")
    chosen = chosen[:3]
    problems = [w.say(f"{c}_problem") for c in chosen]
    measures = [w.say(f"{c}_measure") for c in chosen]
    general = w.book.variants("general_problem")
    start = w.choose_index("general", len(general))
    i = 0
    while len(problems) < 2:
        j = (start + i) % len(general)
        problems.append(general[j])
        measures.append(w.book.variants("general_measure")[j])
        i += 1
    text = w.say("lead", problems=_enumerate(problems), measures=_enumerate(measures))
    text += "".join(notes.get(PROBLEMS, []))
    user_notes.append("第五部分的问题和改进措施是根据表格数据和通用表述拟写的，请结合本机关实际修改。")
    out = [Planned("五", 1, "本年度存在的主要问题和改进措施（可用“一是……二是……”列举）", text, keys=w.take_keys(),
                   generic=True)]
    if facts.previous is not None:
        found = previous_problems(facts.previous)
        if found:
            items = []
            for k, problem in enumerate(found[:3]):
                action = w.book.variants("previous_action")[(w.choose_index("previous_action", 3) + k) % 3]
                items.append(f"针对“{problem}”的问题，{action}")
            out.append(Planned("五", 2, "上年度报告所列问题的整改情况", w.say("previous", items="；".join(items)),
                               keys=w.take_keys(), generic=True))
            user_notes.append("第五部分上年度问题的整改情况为通用表述，请写明实际整改结果。")
        else:
            user_notes.append("上年度报告中没有找到列出的问题，第五部分未写整改情况。")
    else:
        user_notes.append("未提供上年度报告，第五部分没有写上年度问题的整改情况；如有，请用 --previous 提供。")
    return out


def _enumerate(items: list[str]) -> str:
    return "；".join(f"{ORDINALS[i]}是{x}" for i, x in enumerate(items))


_LISTED = re.compile(r"[一二三四五六七八九十]是(.+?)(?=[；;。]|[一二三四五六七八九十]是|$)")
_STATED = re.compile(r"(?:问题|不足)(?:主要)?(?:是|有|：|:|为)(.+?)(?=。|$)")


def previous_problems(previous: Report) -> list[str]:
    """The problems last year's report listed in 五, short enough to quote."""
    section = previous.section("五")
    if section is None:
        return []
    text = section.text
    # Measures are listed with 一是 too; the problems come first, before 下一步/改进措施.
    head = re.split(r"下一步|改进措施|针对上述|整改措施|为此", text)[0]
    found = [m.group(1) for m in _LISTED.finditer(head)]
    if not found:
        m = _STATED.search(head)
        if m:
            found = re.split(r"[，,；;]", m.group(1))
    out = []
    for item in found:
        item = item.strip("，,：: ")
        if len(item) > 40:
            cut = item.rfind("，", 0, 40)
            item = item[:cut] if cut > 8 else item[:40]
        if len(item) < 4:
            continue
        if any(n.kind is not NumberKind.ordinal for n in read_numbers(item)):
            continue  # last year's figures are not this year's facts
        out.append(item)
    return out


# ------------------------------------------------------------------ 六


def _other(facts: Facts, notes: dict[str, list[str]], extras: dict[str, list[int]],
           user_notes: list[str]) -> list[Planned]:
    w = Writer(facts, "other")
    out: list[Planned] = []
    drafting = facts.edition_decl.drafting
    if drafting.fee_statement:
        fee = facts.fee()
        s = []
        if fee is None:
            user_notes.append(f"没有提供信息处理费的收取情况，第六部分未写；{facts.edition}年格式要求写明（未收取也要说明）。")
        elif fee.value:
            idx = facts.extra.index(fee)
            s.append(w.say("fee_paid", fee=Val(f"{fmt(fee.value)}{fee.unit}", (f"extra.{idx}",))))
        else:
            s.append(w.say("fee_none"))
        unpaid = w.v("t3.unpaid_fee")
        if unpaid:
            s.append(w.say("unpaid", unpaid=w.n("t3.unpaid_fee")))
        if s:
            out.append(Planned("六", len(out) + 1, "信息处理费的收取情况（未收取也要写明）", "".join(s), keys=w.take_keys()))
    text = ""
    if drafting.key_tasks:
        text = w.say("key_tasks", year=facts.year or "本")
        user_notes.append("第六部分落实政务公开工作要点的表述为通用表述，请按实际情况核实。")
    others = extras.get(OTHER, [])
    if others:
        text += w.say("items", items=_items(facts, others, w))
    text += "".join(notes.get(OTHER, []))
    if not text:
        text = w.say("nothing")
    out.append(Planned("六", len(out) + 1, "其他需要报告的事项（落实政务公开工作要点、人大代表建议和政协提案办理等）",
                       text, keys=w.take_keys(), generic=drafting.key_tasks or not others))
    return out
