"""Grounded model answers: retrieved passages and the open report, quoted as data.

Everything quoted goes inside a tagged block, and the tag's closing mark is
neutralised inside the quoted text, so a report or passage cannot end the
block early and speak as the user. The system prompt says the blocks are data.
"""

from __future__ import annotations

from typing import Callable, Optional

SYSTEM_PROMPT = "chat_system"
ANSWER_PROMPT = "chat_answer"


class ModelError(Exception):
    """The model could not answer; ``message`` is Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
        raise ModelError(str(exc)) from None
    return system, user


def stream(settings, system: str, user: str, on_token: Optional[Callable[[str], None]] = None) -> str:
    """Ask the configured model; tokens go to ``on_token`` as they arrive."""
    try:
        from langchain_core.messages import HumanMessage, SystemMessage
        from langchain_openai import ChatOpenAI
    except ImportError:
        raise ModelError("未安装 langchain-openai，无法调用模型。") from None
    llm = ChatOpenAI(
        model=settings.model,
        base_url=settings.base_url,
        # A local server needs no key, but the client insists on one.
        api_key=settings.api_key or "not-needed",
        timeout=settings.timeout,
        max_retries=settings.max_retries,
        temperature=settings.temperature,
        streaming=True,
    )
    parts: list[str] = []
    try:
        for chunk in llm.stream([SystemMessage(content=system), HumanMessage(content=user)]):
            text = chunk.content if isinstance(chunk.content, str) else ""
            if text:
                parts.append(text)
                if on_token:
                    on_token(text)
    except Exception as exc:  # openai/httpx raise many types; all mean "no answer"
        raise ModelError(_explain(exc)) from None
    answer = "".join(parts).strip()
    if not answer:
        raise ModelError("模型没有返回内容，请稍后再试。")
    return answer


def _explain(exc: Exception) -> str:
    name = type(exc).__name__
    if "Timeout" in name:
        return "模型服务响应超时，请稍后再试，或调大 NIANBAO_LLM_TIMEOUT。"
    if "Connection" in name:
        return "无法连接模型服务：请检查 NIANBAO_LLM_BASE_URL 是否正确、服务是否已启动。"
    if "Authentication" in name or "PermissionDenied" in name:
        return "模型服务拒绝了请求：请检查 NIANBAO_LLM_API_KEY。"
    if "NotFound" in name:
        return "模型服务找不到所配置的模型：请检查 NIANBAO_LLM_MODEL。"
    if "RateLimit" in name:
        return "模型服务请求过于频繁，请稍后再试。"
    return f"模型调用失败（{name}），请稍后再试。"
