"""Chat suite: scripted conversations through the chat router.

Each conversation in ``evals/suites/chat.yaml`` loads reports into a fresh
workspace and plays its turns: a message, the intent the router must choose
(the right tool), and the key figures or words that must appear in the answer.
The router runs offline (no model); "where does it say" questions search the
same default index as the retrieval suite.
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
    right = sum(t.got_intent == t.want_intent for t in turns)
    wanted = sum(len(t.wanted) for t in turns)
    present = wanted - sum(len(t.missing) for t in turns)
    worst = sorted((t for t in turns if t.score < 1), key=lambda t: (t.score, t.conversation, t.say))
    return SuiteResult(
        name="chat",
        title=spec.get("title", "对话"),
        cases=played,
        notes=notes,
        metrics=[
            Metric(name="intent_accuracy", label="选对工具（意图）", value=right / len(turns) if turns else 1.0,
                   threshold=th.get("intent_accuracy"), detail=f"{right}/{len(turns)} 轮"),
            Metric(name="figure_presence", label="回答中出现的关键数字", value=present / wanted if wanted else 1.0,
                   threshold=th.get("figure_presence"), detail=f"{present}/{wanted}"),
        ],
        worst=[
            Case(name=f"{t.conversation}：{t.say}", link=t.link, score=t.score,
                 note="；".join(x for x in (
                     f"意图应为 {t.want_intent}，实为 {t.got_intent}" if t.got_intent != t.want_intent else "",
                     f"缺少 {'、'.join(t.missing)}" if t.missing else "") if x))
            for t in worst[: ctx.worst]
        ],
    )
