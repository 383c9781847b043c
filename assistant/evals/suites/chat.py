"""Chat suite: scripted conversations through the chat router.

Each conversation in ``evals/suites/chat.yaml`` loads reports into a fresh
workspace and plays its turns: a message, the intent the router must choose
(the right tool), and the key figures or words that must appear in the answer.
The router runs offline (no model); "where does it say" questions search the
same default index as the retrieval suite.

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
        cases=played + len(model_turns),
        notes=notes,
        metrics=[
            Metric(name="intent_accuracy", label="选对工具（意图）", value=right / len(turns) if turns else 1.0,
                   threshold=th.get("intent_accuracy"), detail=f"{right}/{len(turns)} 轮"),
            Metric(name="figure_presence", label="回答中出现的关键数字", value=present / wanted if wanted else 1.0,
                   threshold=th.get("figure_presence"), detail=f"{present}/{wanted}"),
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
            Case(name=f"模型回答：{t.name}", link=t.link, score=0.0,
                 note="；".join(x for x in (f"送到用户：{'、'.join(t.wrong)}" if t.wrong else "",
                                          f"误删：{'、'.join(t.lost)}" if t.lost else "") if x))
            for t in model_turns if t.wrong or t.lost
        ],
    )
