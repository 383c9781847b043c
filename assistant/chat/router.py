"""One router for the browser and the command line: a message in, an ``Answer`` out.

Each intent is served by the library stage that owns it (check, draft,
retrieve); the router only phrases the result for people. Whatever goes
wrong becomes a short Chinese reply; the details go to the log.
"""

from __future__ import annotations

import logging
from typing import Callable, Optional

from ..check import Finding, Severity, get_rule
from ..model import get_edition
from . import intents as I
from .answer import Answer, SourceRef
from .sources import RetrievalUnavailable, default_retriever
from .workspace import Workspace, WorkspaceError

log = logging.getLogger(__name__)

MAX_MESSAGE = 2000
Tokens = Optional[Callable[[str], None]]

NEED_REPORT = "还没有报告：请先在右侧上传报告（文本、Markdown、HTML、Word 或 PDF），或新建一份空白报告。"

HELP_TEXT = """我可以帮你检查、起草和查询年度报告。试试这样问：

- **哪些合计对不上**：检查表格勾稽关系、叙述与表格是否一致，列出每个问题的位置和数字；
- **为什么说第三项不对**（或“解释 P1”）：解释问题清单中的某一项及其规则；
- **起草总体情况** / **起草第五部分** / **生成全文**：根据表格数据起草叙述部分，并核对草稿中的每个数字；
- **条例哪一条规定年报内容**：从条例、格式通知和往年报告中检索，给出原文摘录和出处；
- **和去年比有什么变化**：与上年报告对比主要数字（需上传上年报告并勾选“上年报告”）。

也可以直接在右侧表格中修改数字，修改后会立即重新检查。"""


def route(message: str, ws: Workspace, on_token: Tokens = None) -> Answer:
    """Answer one message against the workspace. Never raises for anything a user can cause."""
    text = (message or "").strip()
    if len(text) > MAX_MESSAGE:
        return Answer(intent="error", text=f"问题太长（{len(text)} 字），请精简到 {MAX_MESSAGE} 字以内。")
    intent = I.detect(text)
    handler = _HANDLERS.get(intent.name, _unknown)
    try:
        return handler(text, intent, ws, on_token)
    except WorkspaceError as exc:
        return Answer(intent=intent.name, text=exc.message)
    except Exception:  # noqa: BLE001 - the user gets a sentence, the log gets the trace
        log.exception("chat handler %s failed", intent.name)
        return Answer(intent="error", text="抱歉，处理这个请求时出错了。请换个说法再试，或检查上传的报告。")


# ---------------------------------------------------------------- helpers


def _md(text: object) -> str:
    """Report text shown as Markdown: characters that would format are escaped."""
    s = "" if text is None else str(text)
    for ch in "\\`*_[]<>#|":
        s = s.replace(ch, "\\" + ch)
    return s


def _title(ws: Workspace, i: int) -> str:
    loaded = ws.reports[i]
    r = loaded.report
    who = " ".join(str(x) for x in (r.agency, r.year and f"{r.year}年度") if x)
    return f"{who}（{loaded.name}）" if who else loaded.name


def finding_lines(n: int, f: Finding) -> list[str]:
    lines = [f"{n}. **{f.severity.label} {f.code}** {_md(f.location)}：{_md(f.message)}"]
    if f.computation:
        lines.append(f"   - 计算：{_md(f.computation)}")
    return lines


def _counts(findings: list[Finding]) -> str:
    parts = []
    for sev in (Severity.error, Severity.warning, Severity.info):
        n = sum(1 for f in findings if f.severity is sev)
        if n:
            parts.append(f"{sev.label} {n} 项")
    return "，".join(parts) if parts else "未发现问题"


# ---------------------------------------------------------------- intents


def _check(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    if not ws.reports:
        return Answer(intent=I.CHECK, text=NEED_REPORT)
    out: list[str] = []
    listed: list[tuple[str, Finding]] = []
    every: list[Finding] = []
    for i, loaded in enumerate(ws.reports):
        findings = ws.findings(i)
        every.extend(findings)
        errors = sum(1 for f in findings if f.severity is Severity.error)
        head = f"**{_md(_title(ws, i))}**：{_counts(findings)}。"
        if not errors:
            head += " 没有发现合计对不上或叙述与表格不符的错误。"
        out.append(head)
        if ws.previous is None and len(ws.reports) == 1:
            out.append("（未上传上年报告，未做跨年核对。）")
        lines: list[str] = []
        for f in findings:
            listed.append((loaded.name, f))
            lines.extend(finding_lines(len(listed), f))
        if lines:
            out.append("\n".join(lines))
    ws.listed = listed
    if listed:
        out.append("想了解某一项，可以问“为什么说第三项不对”。")
    report = ws.name if len(ws.reports) == 1 else None
    return Answer(intent=I.CHECK, text="\n\n".join(out), findings=every, report=report)


def _explain(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    listed = ws.listed
    if not listed and ws.report is not None:
        listed = [(ws.name, f) for f in ws.findings()]
        ws.listed = listed
    if intent.code:
        rule = get_rule(intent.code)
        if rule is None:
            return Answer(intent=I.EXPLAIN, text=f"没有编号为 {intent.code} 的规则。运行 `nianbao rules` 可以查看全部规则。")
        hits = [(i, name, f) for i, (name, f) in enumerate(listed, 1) if f.code == rule.code]
        if hits:
            n, name, f = hits[0]
            extra = f"（本报告共有 {len(hits)} 项属于这条规则，下面解释第 {n} 项。）\n\n" if len(hits) > 1 else ""
            return _explained(n, name, f, extra)
        body = _rule_text(rule)
        note = "这份报告没有这条规则的问题。\n\n" if ws.report is not None else ""
        return Answer(intent=I.EXPLAIN, text=f"{note}{body}")
    if ws.report is None:
        return Answer(intent=I.EXPLAIN, text=NEED_REPORT)
    n = intent.item or 0
    if not listed:
        return Answer(intent=I.EXPLAIN, text="这份报告没有发现问题，没有可以解释的条目。")
    if not 1 <= n <= len(listed):
        return Answer(intent=I.EXPLAIN, text=f"问题清单只有 {len(listed)} 项，没有第 {n} 项。可以先问“哪些合计对不上”查看清单。")
    name, f = listed[n - 1]
    return _explained(n, name, f, "")


def _rule_text(rule) -> str:
    return "\n\n".join([
        f"**规则 {rule.code}：{_md(rule.title)}**（{rule.severity.label}）",
        _md(rule.explanation),
        f"- 不通过的例子：{_md(rule.failing)}\n- 通过的例子：{_md(rule.passing)}",
        f"依据：{_md(rule.basis)}",
    ])


def _explained(n: int, name: str, f: Finding, extra: str) -> Answer:
    parts = [f"{extra}**第 {n} 项：{f.severity.label} {f.code}**　{_md(f.location)}", f"问题：{_md(f.message)}"]
    if f.computation:
        parts.append(f"计算：{_md(f.computation)}")
    if f.expected is not None or f.actual is not None:
        def shown(v) -> str:
            return "空白" if v is None or v == "" else _md(v)

        parts.append(f"应为 {shown(f.expected)}，实为 {shown(f.actual)}。")
    if f.basis:
        parts.append(f"依据：{_md(f.basis)}")
    rule = get_rule(f.code)
    if rule is not None:
        parts.append("——\n\n" + _rule_text(rule))
    return Answer(intent=I.EXPLAIN, text="\n\n".join(parts), findings=[f], report=name)


def _yoy(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    from .yoy import compare, to_markdown

    if ws.report is None:
        return Answer(intent=I.YOY, text=NEED_REPORT)
    if ws.previous is None:
        return Answer(intent=I.YOY, text="还没有上年报告：请在右侧勾选“上年报告”后上传去年的年度报告，再问我。")
    cur, prev = ws.report, ws.previous.report
    rows = compare(cur, prev)
    cy, py = cur.year, prev.year
    head = f"**{_md(cur.agency or ws.name)}** {cy or '本年'}年度与 {py or '上年'}年度主要数字对比："
    notes = []
    if cy and py and cy - py != 1:
        notes.append(f"注意：两份报告的年度是 {py} 和 {cy}，不是相邻年度。")
    if cur.agency and prev.agency and cur.agency != prev.agency:
        notes.append(f"注意：两份报告的机关不同（{_md(prev.agency)} / {_md(cur.agency)}）。")
    cross = [f for f in ws.findings() if f.code.startswith("X")]
    body = [head, to_markdown(rows)]
    if cross:
        lines = ["跨年核对发现的问题："]
        for k, f in enumerate(cross, 1):
            lines.extend(finding_lines(k, f))
        body.append("\n".join(lines))
    body.extend(notes)
    body.append("变化率 = （本年 − 上年）÷ 上年，保留一位小数；上年为 0 或未填时不计算。")
    return Answer(intent=I.YOY, text="\n\n".join(body), findings=cross, report=ws.name,
                  data={"rows": [r.as_dict() for r in rows], "current_year": cy, "previous_year": py})


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
        lines.append(f"{i}. **{_md(r.title)}**（{kind}{_md(where)}）\n   > {_md(r.snippet)}")
    return "\n".join(lines)


def _source(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    try:
        refs = _hits(ws, text)
    except RetrievalUnavailable as exc:
        return Answer(intent=I.SOURCE, text=exc.message)
    if not refs:
        return Answer(intent=I.SOURCE, text="没有检索到相关的条文或报告。可以换个说法，或用 nianbao index add 加入更多资料。")
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
        if c is not None and c.raw:
            cells.append(f"{row.label}={c.raw}")
    if cells:
        lines.append("表三总计列：" + "；".join(cells))
    for g in decl.table4.groups:
        c = r.table4.get(g, {}).get(decl.table4.total_column)
        if c is not None and c.raw:
            lines.append(f"表四 {g} 总计={c.raw}")
    problems = [f for f in ws.findings() if f.severity is Severity.error][:10]
    for f in problems:
        lines.append(f"检查发现：{f.location}：{f.message}")
    return "\n".join(lines)


def _model_answer(text: str, ws: Workspace, refs: list[SourceRef], settings, on_token: Tokens,
                  intent: str) -> Answer:
    from .llm import ModelError, build_messages, stream

    passages = [(r.title, r.snippet) for r in refs]
    guarded = ws.report is not None
    try:
        system, user = build_messages(text, passages, report_summary(ws))
        # With a report loaded the answer is guarded before anyone sees it: no raw tokens.
        answer = stream(settings, system, user, _progress(on_token) if guarded else on_token)
    except ModelError as exc:
        fallback = f"\n\n以下是检索到的原文摘录：\n\n{_quoted(refs)}" if refs else ""
        return Answer(intent=intent, text=f"{exc.message}{fallback}", sources=refs)
    if ws.report is not None:
        from ..draft.answers import guard_answer

        answer = guard_answer(answer, ws.report, ws.previous.report if ws.previous else None,
                              sources=[r.snippet for r in refs if r.kind == "regulation"]).text
    if refs:
        answer += "\n\n**参考资料**\n\n" + _quoted(refs)
    return Answer(intent="model" if intent == I.UNKNOWN else intent, text=answer, sources=refs, report=ws.name or None)


ANSWER_NOTE = "正在回答……回答中关于本报告的数字和说法核验后再显示。"


def _progress(on_token: Tokens) -> Tokens:
    """A token callback that shows one progress note instead of the model's unguarded tokens."""
    if on_token is None:
        return None
    started: list[bool] = []

    def progress(_token: str) -> None:
        if not started:
            started.append(True)
            on_token(ANSWER_NOTE)

    return progress


def _unknown(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    settings = _settings(ws)
    if settings is not None and settings.configured:
        try:
            refs = _hits(ws, text)
        except RetrievalUnavailable:
            refs = []
        return _model_answer(text, ws, refs, settings, on_token, I.UNKNOWN)
    return Answer(intent=I.UNKNOWN, text="这个问题我还回答不了（没有配置大模型时，我只处理下面几类请求）。\n\n" + HELP_TEXT)


def _help(text: str, intent: I.Intent, ws: Workspace, on_token: Tokens) -> Answer:
    return Answer(intent=I.HELP, text=HELP_TEXT)


DRAFTING_NOTE = "正在起草……草稿中的每个数字核验后再显示。"


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
    I.DRAFT: _draft,
    I.SOURCE: _source,
    I.YOY: _yoy,
    I.HELP: _help,
    I.UNKNOWN: _unknown,
}
