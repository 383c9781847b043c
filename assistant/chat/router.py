"""One router for the browser and the command line: a message in, an ``Answer`` out.

``intents.detect`` reads the message; each intent is answered by the module
that owns it — figures (``lookup``), findings (``problems``), articles and
rules (``articles``), drafting (``drafting``), retrieval, the model — and the
router only picks. Whatever goes wrong becomes a short Chinese reply; the
details go to the log.
"""

from __future__ import annotations

import logging
from typing import Callable, Optional

from ..check import Severity
from ..export.markdown import md_text
from ..model import get_edition
from . import intents as I
from .answer import Answer, SourceRef
from .problems import NEED_PREVIOUS, NEED_REPORT, check_answer, explain_answer, finding_line, fix_answer
from .sources import RetrievalUnavailable, default_retriever
from .workspace import Loaded, Workspace, WorkspaceError

log = logging.getLogger(__name__)

MAX_MESSAGE = 2000
Tokens = Optional[Callable[[str], None]]

HELP_TEXT = """我可以帮你查数字、检查、起草和查询年度报告。试试这样问：

- **本年新收政府信息公开申请多少件** / **予以公开占比是多少** / **被纠错的有几件**：查表格中的数字，并注明出处；
- **哪个报告申请多** / **和去年比申请多了多少**：多份报告之间、与上年报告比较；
- **哪些合计对不上**：检查表格勾稽关系、叙述与表格是否一致，列出每个问题的位置和数字；
- **问题3是什么意思** / **问题3怎么改** / **P1是什么**：解释问题清单中的问题和规则，给出改法；
- **起草总体情况** / **起草第五部分** / **生成全文**：根据表格数据起草叙述部分，并核对草稿中的每个数字；
- **条例第五十条说了什么** / **年度报告最晚什么时候公布**：给出条文原文和出处；
- **和去年比有什么变化**：与上年报告对比主要数字（需上传上年报告并勾选“上年报告”）。

也可以直接在右侧表格中修改数字，修改后会立即重新检查。"""

DRAFTING_NOTE = "正在起草……草稿中的每个数字核验后再显示。"


def route(message: str, ws: Workspace, on_token: Tokens = None) -> Answer:
    """Answer one message against the workspace. Never raises for anything a user can cause."""
    text = (message or "").strip()
    if len(text) > MAX_MESSAGE:
        return Answer(intent="error", text=f"问题太长（{len(text)} 字），请精简到 {MAX_MESSAGE} 字以内。")
    from .lookup import report_names

    intent = I.detect(text, report_names(ws))
    handler = _HANDLERS.get(intent.name, _unknown)
    try:
        return handler(text, intent, ws, on_token)
    except WorkspaceError as exc:
        return Answer(intent=intent.name, text=exc.message)
    except Exception:  # noqa: BLE001 - the user gets a sentence, the log gets the trace
        log.exception("chat handler %s failed", intent.name)
        return Answer(intent="error", text="抱歉，处理这个请求时出错了。请换个说法再试，或检查上传的报告。")


# ---------------------------------------------------------------- findings


def _table_of(q) -> Optional[str]:
    """The table a check question is about: named ("表三"), or the one its figures belong to."""
    if q is None:
        return None
    if q.table:
        return q.table
    if q.rows3 or q.cols3:  # a lone "合计" was already set aside as no figure of its own
        return "三"
    if q.groups4 or q.cols4:
        return "四"
    if q.rows2:
        return "二"
    return None


def _check(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    q = intent.question
    part = None
    if q is not None and q.cross_year:
        part = "cross_year"
    elif q is not None and q.narrative:
        part = "narrative"
    return check_answer(ws, table=None if part else _table_of(q), severity=q.severity if q else None,
                        reports=(q.reports or None) if q else None, part=part)


def _explain(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    item = intent.item
    if item is None and intent.code is None and intent.question is not None and intent.question.names_figure:
        item = _finding_at(intent, ws)
        if item is None and ws.reports:
            from . import lookup

            answer = lookup.lookup(intent.question, ws, _targets(intent, ws) or ws.reports[:1])
            answer.text = "问题清单中没有关于这一格的问题。\n\n" + answer.text
            return answer
    answer = explain_answer(ws, item, intent.code)
    if answer.data.get("number"):
        ws.last_finding = answer.data["number"]
    return answer


def _finding_at(intent: I.Intent, ws: Workspace) -> Optional[int]:
    """The 问题 number of the finding about the cells a question names ("行政复议总计怎么改")."""
    from . import lookup
    from .figures import resolve
    from .problems import numbered

    q = intent.question
    if q is None or not q.names_figure or not ws.reports:
        return None
    loaded = ws.reports[q.reports[0]] if q.reports else ws.reports[min(ws.active, len(ws.reports) - 1)]
    refs = set()
    for asked in lookup.specs(q, loaded.report):
        refs |= {u.ref.key() for u in resolve(loaded.report, asked.spec).uses if u.ref is not None}
    # A finding about the table's own cells comes before one about the narrative that cites them.
    hits = [(f.severity.rank, bool(f.spans), len(f.cells), n) for n, name, f in numbered(ws)
            if name == loaded.name and any(c.key() in refs for c in f.cells)]
    return min(hits)[-1] if hits else None


def _fix(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    item = intent.item
    if item is None and intent.code is None and intent.question is not None and intent.question.names_figure:
        item = _finding_at(intent, ws)
        if item is None and ws.reports:
            return Answer(intent=I.FIX, text="问题清单中没有关于这一格的问题：这一格没有发现需要改的地方。"
                                             "可以问“哪些合计对不上”查看全部问题。")
    answer = fix_answer(ws, item, intent.code)
    if answer.data.get("number"):
        ws.last_finding = answer.data["number"]
    return answer


def _rules(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    from .articles import rules_answer

    return rules_answer()


# ---------------------------------------------------------------- figures


def _last_year(ws: Workspace) -> Optional[Loaded]:
    """Last year's report: the one ticked as such, or a loaded report of the year before, same agency."""
    if ws.previous is not None:
        return ws.previous
    current = ws.reports[min(ws.active, len(ws.reports) - 1)].report if ws.reports else None
    if current is None or current.year is None:
        return None
    for loaded in ws.reports:
        r = loaded.report
        if r.year == current.year - 1 and (not r.agency or not current.agency or r.agency == current.agency):
            return loaded
    return None


def _targets(intent: I.Intent, ws: Workspace) -> list[Loaded]:
    q = intent.question
    assert q is not None
    if q.reports:
        return [ws.reports[i] for i in q.reports if 0 <= i < len(ws.reports)]
    if q.last_year and intent.name != I.YOY:
        last = _last_year(ws)
        return [last] if last is not None else []
    if q.years:
        # A year no loaded report has: last year's report if it is that year, else none (never another year's).
        if ws.previous is not None and ws.previous.report.year in q.years:
            return [ws.previous]
        if not any(lo.report.year in q.years for lo in ws.reports):
            return []
    if intent.name == I.COMPARE or len(ws.reports) > 1:
        return list(ws.reports)
    active = ws.reports[min(ws.active, len(ws.reports) - 1)]
    return [active]


def _lookup(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    from . import lookup

    if not ws.reports and ws.previous is None:
        return Answer(intent=intent.name, text=NEED_REPORT)
    q = intent.question
    assert q is not None
    if not ws.reports:
        targets = [ws.previous] if ws.previous is not None else []
    else:
        targets = _targets(intent, ws)
    if not targets:
        if q.years and not q.last_year:
            years = "、".join(f"{y}年度" for y in q.years)
            return Answer(intent=intent.name, text=f"没有载入{years}的报告。已载入："
                          + "、".join(lookup.title(lo) for lo in ws.reports) + "。")
        return Answer(intent=intent.name, text=NEED_PREVIOUS)
    if not any(lookup.specs(q, t.report) for t in targets):
        return _unknown(text, intent, ws, on_token)
    if intent.name == I.COMPARE and len(targets) >= 2:
        return lookup.compare(q, ws, targets)
    answer = lookup.lookup(q, ws, targets)
    if intent.name == I.COMPARE and len(targets) < 2:
        answer.text += "\n\n（只载入了一份本年报告，没有可比较的其他报告；与上年比较请上传上年报告并勾选“上年报告”。）"
    return answer


def _yoy(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    from . import lookup
    from .yoy import compare, to_markdown

    if ws.report is None:
        return Answer(intent=I.YOY, text=NEED_REPORT)
    q = intent.question
    if q is not None and q.names_figure:
        named = [ws.reports[i] for i in q.reports if 0 <= i < len(ws.reports)]
        return lookup.year_over_year(q, ws, named[0] if named else ws.reports[ws.active])
    if ws.previous is None:
        return Answer(intent=I.YOY, text=NEED_PREVIOUS)
    cur, prev = ws.report, ws.previous.report
    rows = compare(cur, prev)
    cy, py = cur.year, prev.year
    head = f"**{md_text(cur.agency or ws.name)}** {cy or '本年'}年度与 {py or '上年'}年度主要数字对比："
    notes = []
    if cy and py and cy - py != 1:
        notes.append(f"注意：两份报告的年度是 {py} 和 {cy}，不是相邻年度。")
    if cur.agency and prev.agency and cur.agency != prev.agency:
        notes.append(f"注意：两份报告的机关不同（{md_text(prev.agency)} / {md_text(cur.agency)}）。")
    cross = [f for f in ws.findings() if f.code.startswith("X")]
    body = [head, to_markdown(rows)]
    if cross:
        lines = ["跨年核对发现的问题："]
        for k, f in enumerate(cross, 1):
            lines.extend(finding_line(k, f))
        body.append("\n".join(lines))
    body.extend(notes)
    body.append("变化率 = （本年 − 上年）÷ 上年，保留一位小数；上年为 0 或未填时不计算。")
    return Answer(intent=I.YOY, text="\n\n".join(body), findings=cross, report=ws.name,
                  data={"rows": [r.as_dict() for r in rows], "current_year": cy, "previous_year": py})


# ---------------------------------------------------------------- sources and the model


def _hits(ws: Workspace, query: str, k: int = 4) -> list[SourceRef]:
    retriever = ws.retriever or default_retriever()
    refs = []
    for h in retriever.search(query, k=k):
        meta = getattr(h, "meta", {}) or {}
        refs.append(SourceRef(
            title=str(getattr(h, "title", "") or meta.get("title", "")),
            snippet=str(getattr(h, "snippet", "") or getattr(h, "text", ""))[:300],
            kind=str(getattr(h, "kind", "") or meta.get("kind", "")),
            score=round(float(getattr(h, "score", 0.0)), 4),
            article=meta.get("article_label") or None,
            source=str(meta.get("doc") or meta.get("source") or "") or None,
        ))
    return refs


def _quoted(refs: list[SourceRef]) -> str:
    lines = []
    for i, r in enumerate(refs, 1):
        kind = {"regulation": "法规", "report": "年报"}.get(r.kind, r.kind)
        where = f"，{r.article}" if r.article and r.article not in r.title else ""
        lines.append(f"{i}. **{md_text(r.title)}**（{kind}{md_text(where)}）\n   > {md_text(r.snippet)}")
    return "\n".join(lines)


def _source(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    if intent.article:
        from .articles import article_answer

        return article_answer(intent.article, text)
    try:
        refs = _hits(ws, text)
    except RetrievalUnavailable as exc:
        return Answer(intent=I.SOURCE, text=exc.message)
    if not refs:
        return Answer(intent=I.SOURCE, text="没有检索到相关的条文或报告。可以换个说法，或请管理员把更多资料加入检索索引。")
    settings = _settings(ws)
    if settings is not None and settings.configured:
        return _model_answer(text, ws, refs, settings, on_token, I.SOURCE)
    body = "检索到以下相关内容（原文摘录，按相关程度排序）：\n\n" + _quoted(refs)
    return Answer(intent=I.SOURCE, text=body, sources=refs)


def _settings(ws: Workspace):
    if ws.llm_settings is not None:
        return ws.llm_settings
    try:
        from ..draft.settings import LLMSettings, SettingsError
    except ImportError:
        return None
    try:
        return LLMSettings.from_env()
    except SettingsError:
        return None


def report_summary(ws: Workspace) -> Optional[str]:
    """The open report's key figures and problems, for the model to ground on."""
    r = ws.report
    if r is None:
        return None
    decl = get_edition(r.edition)
    lines = [f"机关：{r.agency or '未识别'}；年度：{r.year or '未识别'}；格式版本：{r.edition}"]
    col = decl.table3.total_column
    cells = []
    for row in decl.table3.rows:
        c = r.table3.get(row.label, {}).get(col)
        if c is not None and c.raw and c.is_read:
            cells.append(f"{row.label}={c.raw}")
    if cells:
        lines.append("表三总计列：" + "；".join(cells))
    for g in decl.table4.groups:
        c = r.table4.get(g, {}).get(decl.table4.total_column)
        if c is not None and c.raw and c.is_read:
            lines.append(f"表四 {g} 总计={c.raw}")
    for t, why in r.unreadable_tables.items():
        lines.append(f"表{t}无法读取：{why}")
    problems = [f for f in ws.findings() if f.severity is Severity.error][:10]
    for f in problems:
        lines.append(f"检查发现：{f.location}：{f.message}")
    return "\n".join(lines)



def _model_answer(text: str, ws: Workspace, refs: list[SourceRef], settings, on_token: Tokens,
                  intent: str) -> Answer:
    from .guarded import GuardedStream
    from .llm import ModelError, build_messages, stream

    passages = [(r.title, r.snippet) for r in refs]
    quoted = tuple(r.snippet for r in refs if r.kind == "regulation")
    shown = GuardedStream(ws, on_token, quoted)
    try:
        system, user = build_messages(text, passages, report_summary(ws))
        raw = stream(settings, system, user, shown)
    except ModelError as exc:
        fallback = f"\n\n以下是检索到的原文摘录：\n\n{_quoted(refs)}" if refs else ""
        return Answer(intent=intent, text=f"{exc.message}{fallback}", sources=refs)
    guarded = shown.close(raw)
    answer = guarded.text.strip()
    if refs:
        answer += "\n\n**参考资料**\n\n" + _quoted(refs)
    return Answer(intent="model" if intent == I.UNKNOWN else intent, text=answer, sources=refs,
                  report=ws.name or None, data={"removed": guarded.removed})


def _unknown(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    from .suggest import not_understood

    settings = _settings(ws)
    if settings is not None and settings.configured:
        try:
            refs = _hits(ws, text)
        except RetrievalUnavailable:
            refs = []
        return _model_answer(text, ws, refs, settings, on_token, I.UNKNOWN)
    q = intent.question
    if q is None:
        from .understand import understand

        q = understand(text)
    reply, picks = not_understood(q, len(ws.reports))
    reply += "\n\n（没有配置大模型时，我只回答表格数字、问题清单、规则、条文和起草这几类问题；问“你能做什么”查看用法。）"
    return Answer(intent=I.UNKNOWN, text=reply, suggestions=picks)


def _help(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    from .suggest import EXAMPLES

    return Answer(intent=I.HELP, text=HELP_TEXT, suggestions=list(EXAMPLES[:3]))


def _draft(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    from .drafting import draft_answer

    # The model's raw tokens have not been through the guard yet, so they are
    # never shown; the user only learns that drafting is under way.
    started: list[bool] = []

    def progress(_token: str) -> None:
        if on_token is not None and not started:
            started.append(True)
            on_token(DRAFTING_NOTE)

    return draft_answer(ws, intent.sections, _settings(ws), progress)


_HANDLERS = {
    I.CHECK: _check,
    I.EXPLAIN: _explain,
    I.FIX: _fix,
    I.RULES: _rules,
    I.LOOKUP: _lookup,
    I.COMPARE: _lookup,
    I.DRAFT: _draft,
    I.SOURCE: _source,
    I.YOY: _yoy,
    I.HELP: _help,
    I.UNKNOWN: _unknown,
}
