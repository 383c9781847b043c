"""Chat suite: scripted conversations through the chat router.

Each conversation in ``evals/suites/chat.yaml`` loads reports into a fresh
workspace and plays its turns: a message, the intent the router must choose
(the right tool), and the key figures or words that must appear in the answer.
The router runs offline (no model); "where does it say" questions search the
same default index as the retrieval suite.

``questions`` names a file of questions as people in 政务公开 offices ask them
(``evals/chat/questions.yaml``), each with what a right answer holds: the
figure, the finding, the article. Each is scored right, wrong (a figure given
where another or none is expected, or another finding, rule or article) or
not answered (a refusal is not wrong). The gates: the share answered right,
and no wrong figure at all.

``model_answers`` are questions a model answers: a stub model on 127.0.0.1
(``assistant.evals.llm_stub``), reached through the real client, answers
with the scripted text, figures and claims about the loaded report right and
wrong mixed. What reaches the user must hold none of the wrong ones
(``wrong``) and keep the right ones (``right``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..context import Context, EvalConfigError
from ..results import Case, Metric, SuiteResult


@dataclass
class Turn:
    conversation: str
    say: str
    want_intent: str
    got_intent: str = ""
    wanted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    link: str = ""

    @property
    def score(self) -> float:
        right = (self.got_intent == self.want_intent) + len(self.wanted) - len(self.missing)
        return right / (1 + len(self.wanted))


def _needs_index(conversation: dict[str, Any]) -> bool:
    return any(t.get("intent") == "source" for t in conversation.get("turns") or [])


def play(ctx: Context, conversation: dict[str, Any]) -> list[Turn]:
    from ...chat import Workspace, route
    from ...draft.settings import LLMSettings

    name = conversation.get("name") or "对话"
    # No model: the suite measures the router and the stages, not someone's endpoint.
    ws = Workspace(llm_settings=LLMSettings())
    if _needs_index(conversation):
        ws.retriever = ctx.index()
    paths = [ctx.path(p) for p in conversation.get("reports") or []]
    for p in paths:
        ws.load(p.read_bytes(), p.name)
    if conversation.get("previous"):
        prev = ctx.path(conversation["previous"])
        ws.load(prev.read_bytes(), prev.name, previous=True)
    link = ctx.link(paths[0]) if paths else ""
    turns = []
    for raw in conversation.get("turns") or []:
        if "say" not in raw or "intent" not in raw:
            raise EvalConfigError(f"对话“{name}”的每一轮都要写 say 和 intent。")
        answer = route(str(raw["say"]), ws)
        wanted = [str(x) for x in raw.get("contains") or []]
        # Figures may be written with thousands separators; "3,119" still states 3119.
        text = answer.text.replace(",", "")
        turns.append(Turn(name, str(raw["say"]), str(raw["intent"]), answer.intent, wanted,
                          [w for w in wanted if w not in text and w not in answer.text], link))
    return turns


# ------------------------------------------------------------------ questions


@dataclass
class Asked:
    set: str
    say: str
    outcome: str  # "right", "wrong", "unanswered"
    wrong_figure: bool = False
    note: str = ""
    link: str = ""


def _same(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return False


def _codes(x: Any) -> list[str]:
    return [str(c) for c in (x if isinstance(x, list) else [x])]


def score(expect: dict[str, Any], answer: Any) -> tuple[str, bool, str]:
    """(outcome, wrong figure?, note) for one answer against what the question expects."""
    data = answer.data or {}
    given = data.get("value")
    if "values" in expect:
        got = data.get("by_report") or {}
        wrong = [k for k, v in expect["values"].items()
                 if k in got and got[k] is not None and (v is None or not _same(got[k], v))]
        if wrong:
            return "wrong", True, f"{'、'.join(wrong)}：给出 {'、'.join(str(got[k]) for k in wrong)}"
        right = all(k in got and (got[k] is None if v is None else _same(got[k], v))
                    for k, v in expect["values"].items())
        return ("right", False, "") if right else ("unanswered", False, f"给出 {got}")
    if "change" in expect or "value" in expect:
        checks = [("change", data.get("change")), ("value", given)]
        for key, got in checks:
            if key in expect and got is not None and not _same(got, expect[key]):
                return "wrong", True, f"{key} 应为 {expect[key]}，给出 {got}"
        if all(key not in expect or _same(got, expect[key]) for key, got in checks):
            return "right", False, ""
        return "unanswered", False, f"没有给出数字（{answer.intent}）"
    if expect.get("blank") or expect.get("unread") or expect.get("missing") or expect.get("no_value"):
        figures = [f for f in data.get("figures") or [] if f.get("value") is not None]
        if given is not None or figures:
            return "wrong", True, f"应无数字，给出 {given if given is not None else figures[0]['value']}"
        if answer.intent not in ("lookup", "compare", "yoy"):
            return "unanswered", False, f"意图为 {answer.intent}"
        state = data.get("state")
        if expect.get("blank") and state != "blank":
            return "unanswered", False, f"应为空白，状态为 {state}"
        if expect.get("unread") and (data.get("certainty") not in ("uncertain", "unreadable")
                                     or "无法确定读取" not in answer.text):
            return "unanswered", False, f"应说明无法确定读取，状态为 {state}"
        if expect.get("missing") and state not in ("missing", "absent"):
            return "unanswered", False, f"应为文档中没有，状态为 {state}"
        return "right", False, ""
    if "findings" in expect or expect.get("no_errors"):
        if answer.intent != "check":
            return "unanswered", False, f"意图为 {answer.intent}"
        codes = {f.code for f in answer.findings}
        if expect.get("no_errors"):
            errors = [f.code for f in answer.findings if f.severity.value == "error"]
            return ("right", False, "") if not errors else ("wrong", False, f"报出错误 {'、'.join(errors)}")
        lacking = [c for c in expect["findings"] if c not in codes]
        return ("right", False, "") if not lacking else ("unanswered", False, f"缺少 {'、'.join(lacking)}")
    if "finding" in expect:
        if not answer.findings:
            return "unanswered", False, f"意图为 {answer.intent}"
        code = answer.findings[0].code
        return ("right", False, "") if code in _codes(expect["finding"]) else ("wrong", False, f"解释了 {code}")
    if "fix" in expect:
        if answer.intent != "fix":
            return "unanswered", False, f"意图为 {answer.intent}"
        values = [c.get("value", c.get("to")) for c in data.get("changes") or []]
        if any(_same(v, want) for v in values for want in _codes(expect["fix"])):
            return "right", False, ""
        if values:
            return "wrong", True, f"改为 {values}"
        return "unanswered", False, "没有给出改法中的数字"
    if "rule" in expect:
        got = data.get("rule") or (answer.findings[0].code if answer.findings else None)
        if got is None:
            return "unanswered", False, f"意图为 {answer.intent}"
        return ("right", False, "") if got == expect["rule"] else ("wrong", False, f"解释了 {got}")
    if expect.get("rules"):
        return ("right", False, "") if answer.intent == "rules" else ("unanswered", False, f"意图为 {answer.intent}")
    if "article" in expect or expect.get("no_article"):
        if "article" not in data:
            return "unanswered", False, f"意图为 {answer.intent}"
        got = data.get("article")
        want = None if expect.get("no_article") else expect["article"]
        if got != want or ("doc" in expect and data.get("doc") != expect["doc"]):
            return "wrong", False, f"给出 {got}（{data.get('doc')}）"
        return "right", False, ""
    if expect.get("yoy_table"):
        return ("right", False, "") if data.get("rows") else ("unanswered", False, f"意图为 {answer.intent}")
    if expect.get("refuse"):
        if given is not None or answer.intent in ("lookup", "compare", "yoy"):
            return "wrong", True, f"不该回答数字，给出 {given}"
        return ("right", False, "") if len(answer.suggestions) == 3 else ("unanswered", False, "没有给出三个建议问题")
    raise EvalConfigError(f"问题“{answer.text[:20]}”没有写期望的结果。")


_EXPECT_KEYS = {"value", "change", "values", "blank", "unread", "missing", "no_value", "findings", "no_errors",
                "finding", "fix", "rule", "rules", "article", "no_article", "yoy_table", "refuse"}


def ask_set(ctx: Context, qset: dict[str, Any]) -> list[Asked]:
    from ...chat import Workspace, route
    from ...draft.settings import LLMSettings

    name = str(qset.get("name") or "问题集")
    ws = Workspace(llm_settings=LLMSettings())
    paths = [ctx.path(p) for p in qset.get("reports") or []]
    for p in paths:
        # Parsed once per run; each set works on its own copy (nothing here edits, but a set may).
        ws.load_report(ctx.parse(p).model_copy(deep=True), p.name)
    if qset.get("previous"):
        prev = ctx.path(qset["previous"])
        ws.load_report(ctx.parse(prev).model_copy(deep=True), prev.name, previous=True)
    link = ctx.link(paths[0]) if paths else ""
    out = []
    for q in qset.get("questions") or []:
        if "say" not in q or not (_EXPECT_KEYS & set(q)):
            raise EvalConfigError(f"问题集“{name}”的每个问题都要写 say 和期望的结果。")
        answer = route(str(q["say"]), ws)
        outcome, wrong_figure, note = score(q, answer)
        out.append(Asked(name, str(q["say"]), outcome, wrong_figure, note, link))
    return out


def questions(ctx: Context, spec: dict[str, Any], notes: list[str]) -> tuple[list[Asked], int]:
    """Every question set the spec's ``questions`` file holds; sets whose reports are absent are noted."""
    from ...yamlfile import read_mapping

    file = spec.get("questions")
    if not file:
        return [], 0
    path = ctx.path(file)
    data = read_mapping(path, "对话问题文件", EvalConfigError, ctx.link(path))
    asked: list[Asked] = []
    sets = 0
    for qset in data.get("sets") or []:
        files = list(qset.get("reports") or []) + ([qset["previous"]] if qset.get("previous") else [])
        absent = [p for p in files if not ctx.path(p).is_file()]
        if absent:
            if qset.get("optional"):
                n = len(qset.get("questions") or [])
                notes.append(f"问题集“{qset.get('name')}”（{n} 问）未参加：缺少 {'、'.join(absent)}")
                continue
            raise EvalConfigError(f"问题集“{qset.get('name')}”缺少报告：{'、'.join(absent)}")
        asked += ask_set(ctx, qset)
        sets += 1
    return asked, sets


@dataclass
class ModelTurn:
    name: str
    link: str
    wrong: list[str] = field(default_factory=list)  # wrong statements that reached the user
    lost: list[str] = field(default_factory=list)  # right statements that were taken out
    false: int = 0
    true: int = 0


def play_model(ctx: Context, case: dict[str, Any]) -> ModelTurn:
    from ...chat import Workspace, route
    from ...draft.answers import NOTE_MARK
    from ...draft.settings import LLMSettings
    from ..llm_stub import StubLLM

    name = str(case.get("name") or "模型回答")
    for key in ("say", "answer"):
        if not case.get(key):
            raise EvalConfigError(f"模型回答用例“{name}”要写 {key}。")
    text = str(case["answer"])
    with StubLLM(lambda messages: text) as stub:
        ws = Workspace(llm_settings=LLMSettings(base_url=stub.base_url, api_key="stub", model="stub",
                                                timeout=10, max_retries=0))
        ws.retriever = ctx.index()
        paths = [ctx.path(p) for p in case.get("reports") or []]
        for path in paths:
            ws.load(path.read_bytes(), path.name)
        if case.get("previous"):
            prev = ctx.path(case["previous"])
            ws.load(prev.read_bytes(), prev.name, previous=True)
        answer = route(str(case["say"]), ws)
    # What the model said and the user may read: the answer before the guard's own note.
    shown = answer.text.split(f"**{NOTE_MARK}**")[0].replace(",", "")
    false = [str(x) for x in case.get("wrong") or []]
    true = [str(x) for x in case.get("right") or []]
    for x in false + true:
        if x not in text:
            raise EvalConfigError(f"模型回答用例“{name}”：“{x}”不在 answer 里。")
    return ModelTurn(name, ctx.link(paths[0]) if paths else "", [x for x in false if x in shown],
                     [x for x in true if x not in shown], len(false), len(true))


def run(ctx: Context, spec: dict[str, Any]) -> SuiteResult:
    th = spec.get("thresholds") or {}
    notes: list[str] = []
    turns: list[Turn] = []
    played = 0
    for conv in spec.get("conversations") or []:
        absent = [p for p in (conv.get("reports") or []) + ([conv["previous"]] if conv.get("previous") else [])
                  if not ctx.path(p).is_file()]
        if absent:
            if conv.get("optional"):
                notes.append(f"对话“{conv.get('name')}”未参加：缺少 {'、'.join(absent)}")
                continue
            raise EvalConfigError(f"对话“{conv.get('name')}”缺少报告：{'、'.join(absent)}")
        turns += play(ctx, conv)
        played += 1
    asked, sets = questions(ctx, spec, notes)
    right_answers = sum(a.outcome == "right" for a in asked)
    wrong_figures = sum(a.wrong_figure for a in asked)
    wrong_answers = sum(a.outcome == "wrong" for a in asked)
    model_turns: list[ModelTurn] = []
    for case in spec.get("model_answers") or []:
        absent = [p for p in (case.get("reports") or []) + ([case["previous"]] if case.get("previous") else [])
                  if not ctx.path(p).is_file()]
        if absent:
            if case.get("optional"):
                notes.append(f"模型回答用例“{case.get('name')}”未参加：缺少 {'、'.join(absent)}")
                continue
            raise EvalConfigError(f"模型回答用例“{case.get('name')}”缺少报告：{'、'.join(absent)}")
        model_turns.append(play_model(ctx, case))
    false_total = sum(t.false for t in model_turns)
    wrong = sum(len(t.wrong) for t in model_turns)
    true_total = sum(t.true for t in model_turns)
    kept = true_total - sum(len(t.lost) for t in model_turns)
    right = sum(t.got_intent == t.want_intent for t in turns)
    wanted = sum(len(t.wanted) for t in turns)
    present = wanted - sum(len(t.missing) for t in turns)
    worst = sorted((t for t in turns if t.score < 1), key=lambda t: (t.score, t.conversation, t.say))
    return SuiteResult(
        name="chat",
        title=spec.get("title", "对话"),
        cases=played + len(asked) + len(model_turns),
        notes=notes,
        metrics=[
            Metric(name="intent_accuracy", label="选对工具（意图）", value=right / len(turns) if turns else 1.0,
                   threshold=th.get("intent_accuracy"), detail=f"{right}/{len(turns)} 轮"),
            Metric(name="figure_presence", label="回答中出现的关键数字", value=present / wanted if wanted else 1.0,
                   threshold=th.get("figure_presence"), detail=f"{present}/{wanted}"),
            Metric(name="answered", label="离线答对的问题", value=right_answers / len(asked) if asked else 1.0,
                   threshold=th.get("answered"),
                   detail=f"{right_answers}/{len(asked)} 问（{sets} 个问题集），答错 {wrong_answers} 问"),
            Metric(name="wrong_figures", label="给出错误数字的回答", value=wrong_figures, better="lower",
                   percent=False, threshold=th.get("wrong_figures"), detail=f"{wrong_figures}/{len(asked)} 问"),
            Metric(name="model_wrong_delivered", label="模型回答中送到用户面前的错误数字和说法", value=wrong,
                   better="lower", percent=False, threshold=th.get("model_wrong_delivered"),
                   detail=f"{wrong}/{false_total}（{len(model_turns)} 个模型回答用例）"),
            Metric(name="model_right_kept", label="模型回答中保留下来的正确数字和说法",
                   value=kept / true_total if true_total else 1.0, threshold=th.get("model_right_kept"),
                   detail=f"{kept}/{true_total}"),
        ],
        worst=[
            Case(name=f"{t.conversation}：{t.say}", link=t.link, score=t.score,
                 note="；".join(x for x in (
                     f"意图应为 {t.want_intent}，实为 {t.got_intent}" if t.got_intent != t.want_intent else "",
                     f"缺少 {'、'.join(t.missing)}" if t.missing else "") if x))
            for t in worst[: ctx.worst]
        ] + [
            Case(name=f"{a.set}：{a.say}", link=a.link, score=0.0,
                 note=("答错：" if a.outcome == "wrong" else "未答出：") + a.note)
            for a in sorted((a for a in asked if a.outcome != "right"),
                            key=lambda a: (a.outcome != "wrong", a.set, a.say))[: ctx.worst]
        ] + [
            Case(name=f"模型回答：{t.name}", link=t.link, score=0.0,
                 note="；".join(x for x in (f"送到用户：{'、'.join(t.wrong)}" if t.wrong else "",
                                          f"误删：{'、'.join(t.lost)}" if t.lost else "") if x))
            for t in model_turns if t.wrong or t.lost
        ],
    )
