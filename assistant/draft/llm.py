"""One chat call to an OpenAI-compatible endpoint through langchain's ChatOpenAI, within a time budget.

Every call a client makes shares one budget (``NIANBAO_LLM_BUDGET``, 60 s by
default): a draft, or a chat answer, waits for the model that long in all,
retries and back-off included, and then the caller falls back to the offline
drafter and says so. Within the budget each attempt waits at most
``NIANBAO_LLM_TIMEOUT`` seconds (and never past the budget: an attempt runs
in a thread the client stops waiting for, so even an endpoint that trickles
bytes forever cannot hold it). Connection errors, timeouts and 5xx answers
are retried ``max_retries`` times with exponential back-off; an answer that
arrives but says nothing usable (empty, or not the JSON the API promises) is
retried once after a short pause, because a second sample often succeeds.
Before each retry ``on_progress`` hears which attempt it is and how long the
model has been waited for ("第2次尝试，已等待30秒"). Every failure becomes a
``ModelError`` with a Chinese message.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Optional

from ..errors import ModelError
from .settings import LLMSettings

RETRY_PAUSE = 0.5  # seconds before re-asking after an unusable answer
BACKOFF = 1.0  # seconds before the first retry after a failed connection; doubles each time
_RETRIED = ("timeout", "connection", "status")


class Budget:
    """The seconds all model calls of one draft or answer may take together, counted from the first call."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start: Optional[float] = None

    def begin(self) -> None:
        if self.start is None:
            self.start = time.monotonic()

    def elapsed(self) -> float:
        return 0.0 if self.start is None else time.monotonic() - self.start

    def remaining(self) -> float:
        return max(0.0, self.seconds - self.elapsed())


class ChatClient:
    def __init__(self, settings: LLMSettings, on_token: Optional[Callable[[str], None]] = None,
                 retry_pause: float = RETRY_PAUSE, on_progress: Optional[Callable[[str], None]] = None,
                 budget: Optional[Budget] = None) -> None:
        from langchain_openai import ChatOpenAI

        self.settings = settings
        self.on_token = on_token
        self.on_progress = on_progress
        self.retry_pause = retry_pause
        self.budget = budget or Budget(settings.budget)
        self.calls = 0
        self.llm = ChatOpenAI(
            model=settings.model,
            base_url=settings.base_url,
            # Local servers accept any key, but the client insists on one.
            api_key=settings.api_key or "not-needed",
            timeout=settings.timeout,
            max_retries=0,  # retried here, within the budget
            temperature=settings.temperature,
        )

    def complete(self, system: str, user: str) -> str:
        from langchain_core.messages import HumanMessage, SystemMessage

        messages = [SystemMessage(content=system), HumanMessage(content=user)]
        self.budget.begin()
        failures = 0  # connection errors, timeouts, 5xx
        unusable = 0  # answers that arrived but said nothing usable
        attempt = 0
        while True:
            attempt += 1
            if attempt > 1 and self.on_progress is not None:
                self.on_progress(f"第{attempt}次尝试，已等待{self.budget.elapsed():.0f}秒")
            try:
                return self._attempt(messages)
            except ModelError as exc:
                if exc.kind in ("garbage", "empty") and unusable < 1:
                    unusable += 1
                    pause = self.retry_pause
                elif exc.kind in _RETRIED and failures < self.settings.max_retries:
                    failures += 1
                    pause = 0.0 if exc.kind == "timeout" else BACKOFF * 2 ** (failures - 1)
                else:
                    raise self._final(exc, attempt) from None
                if self.budget.remaining() <= pause + 0.05:
                    raise self._final(exc, attempt) from None
                time.sleep(pause)

    def _final(self, exc: ModelError, attempts: int) -> ModelError:
        """The error to give up with; a spent budget is said as such."""
        if exc.kind == "timeout" or self.budget.remaining() <= 0.05:
            tries = f"，共尝试{attempts}次" if attempts > 1 else ""
            return ModelError(f"模型调用超时：{self.budget.elapsed():.0f}秒内没有给出可用的答复"
                              f"（时限{self.settings.budget:g}秒{tries}）", "timeout")
        return exc

    def _attempt(self, messages: list[Any]) -> str:
        """One request, waited for no longer than the attempt's share of the budget."""
        wait = min(self.settings.timeout, self.budget.remaining())
        if wait <= 0.05:
            raise ModelError("模型调用的时限已用完", "timeout")
        box: dict[str, Any] = {}
        stopped = threading.Event()

        def run() -> None:
            try:
                box["text"] = self._once(messages, wait, stopped)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                box["error"] = exc

        worker = threading.Thread(target=run, name="nianbao-llm", daemon=True)
        worker.start()
        worker.join(wait + 0.1)  # the HTTP client's own timeout may fire first; either way the wait ends here
        if worker.is_alive():
            stopped.set()  # its late tokens are dropped; the thread ends with its socket
            raise ModelError(f"模型响应超时（超过{wait:.0f}秒）", "timeout")
        if "error" in box:
            raise box["error"]
        return str(box["text"])

    def _once(self, messages: list[Any], wait: float, stopped: threading.Event) -> str:
        import openai

        self.calls += 1
        try:
            if self.on_token is not None:
                parts = []
                for chunk in self.llm.stream(messages, timeout=wait):
                    if stopped.is_set():
                        break
                    piece = _text(chunk)
                    if piece:
                        parts.append(piece)
                        self.on_token(piece)
                text = "".join(parts)
            else:
                text = _text(self.llm.invoke(messages, timeout=wait))
        except openai.APITimeoutError:
            raise ModelError(f"模型响应超时（超过{wait:.0f}秒）", "timeout") from None
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


def _text(message: Any) -> str:
    content = getattr(message, "content", "")
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return ""
