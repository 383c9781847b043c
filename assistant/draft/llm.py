"""One chat call to an OpenAI-compatible endpoint through langchain's ChatOpenAI.

The client retries connection errors, timeouts and 5xx answers itself, with
exponential back-off (``max_retries``). An answer that arrives but says
nothing usable (empty, or not the JSON the API promises) is retried here once
after a short pause, because a second sample often succeeds. Every failure
becomes a ``ModelError`` with a Chinese message.
"""

from __future__ import annotations

import time
from typing import Callable, Optional

from ..errors import ModelError
from .settings import LLMSettings

RETRY_PAUSE = 0.5  # seconds before re-asking after an unusable answer


class ChatClient:
    def __init__(self, settings: LLMSettings, on_token: Optional[Callable[[str], None]] = None,
                 retry_pause: float = RETRY_PAUSE) -> None:
        from langchain_openai import ChatOpenAI

        self.settings = settings
        self.on_token = on_token
        self.retry_pause = retry_pause
        self.calls = 0
        self.llm = ChatOpenAI(
            model=settings.model,
            base_url=settings.base_url,
            # Local servers accept any key, but the client insists on one.
            api_key=settings.api_key or "not-needed",
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            temperature=settings.temperature,
        )

    def complete(self, system: str, user: str) -> str:
        from langchain_core.messages import HumanMessage, SystemMessage

        messages = [SystemMessage(content=system), HumanMessage(content=user)]
        last: Optional[ModelError] = None
        for attempt in range(2):
            if attempt:
                time.sleep(self.retry_pause)
            try:
                text = self._once(messages)
            except ModelError as exc:
                if exc.kind not in ("garbage", "empty"):
                    raise
                last = exc
                continue
            return text
        assert last is not None
        raise last

    def _once(self, messages) -> str:
        import openai

        self.calls += 1
        try:
            if self.on_token is not None:
                parts = []
                for chunk in self.llm.stream(messages):
                    piece = _text(chunk)
                    if piece:
                        parts.append(piece)
                        self.on_token(piece)
                text = "".join(parts)
            else:
                text = _text(self.llm.invoke(messages))
        except openai.APITimeoutError:
            raise ModelError(f"模型响应超时（超过{self.settings.timeout:g}秒，已重试{self.settings.max_retries}次）",
                             "timeout") from None
        except openai.AuthenticationError:
            raise ModelError("模型服务拒绝了密钥，请检查 NIANBAO_LLM_API_KEY", "auth") from None
        except openai.APIConnectionError:
            raise ModelError(f"无法连接模型服务 {self.settings.base_url or 'OpenAI'}", "connection") from None
        except openai.APIStatusError as exc:
            raise ModelError(f"模型服务返回错误（HTTP {exc.status_code}）", "status") from None
        except (openai.APIResponseValidationError, ValueError, KeyError, TypeError, AttributeError):
            raise ModelError("模型返回了无法识别的内容", "garbage") from None
        if not text or not text.strip():
            raise ModelError("模型返回了空内容", "empty")
        return text


def _text(message) -> str:
    content = getattr(message, "content", "")
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return ""
