"""Grounded model answers: retrieved passages and the open report, quoted as data.

Everything quoted goes inside a tagged block, and the tag's closing mark is
neutralised inside the quoted text, so a report or passage cannot end the
block early and speak as the user. The system prompt says the blocks are data.
"""

from __future__ import annotations

from typing import Callable, Optional

from ..draft.llm import ChatClient, ModelError

SYSTEM_PROMPT = "chat_system"
ANSWER_PROMPT = "chat_answer"


def quote(text: str) -> str:
    """Text safe to put inside a data block: no tag of ours can open or close in it."""
    return text.replace("<", "＜").replace(">", "＞")


def passages_block(items: list[tuple[str, str]]) -> str:
    if not items:
        return "（未检索到相关资料）"
    return "\n\n".join(
        f'<资料 编号="{i}" 标题="{quote(title)}">\n{quote(body)}\n</资料>'
        for i, (title, body) in enumerate(items, 1)
    )


def report_block(summary: Optional[str]) -> str:
    if not summary:
        return "（无）"
    return f"<报告摘要>\n{quote(summary)}\n</报告摘要>"


def build_messages(question: str, passages: list[tuple[str, str]], summary: Optional[str]) -> tuple[str, str]:
    """(system, user) messages from the prompt files in ``prompts/``."""
    from ..draft.prompts import PromptError, load_prompt

    try:
        system = load_prompt(SYSTEM_PROMPT).render()
        user = load_prompt(ANSWER_PROMPT).render(
            passages=passages_block(passages), report=report_block(summary), question=quote(question.strip())
        )
    except PromptError as exc:
        raise ModelError(str(exc), "prompt") from None
    return system, user


def stream(settings, system: str, user: str, on_token: Optional[Callable[[str], None]] = None) -> str:
    """Ask the configured model through the drafter's client; tokens go to ``on_token``."""
    # A no-op callback still makes the client stream, so a long answer never
    # waits for the last token before the first one is shown.
    client = ChatClient(settings, on_token=on_token or (lambda _piece: None))
    return client.complete(system, user).strip()
