"""Where the model lives: an OpenAI-compatible endpoint, from the settings (``assistant.settings``).

NIANBAO_LLM_* win over the OPENAI_* variables many tools already set. The UI
reuses this class, so it never prints the key (``describe``).
"""

from __future__ import annotations

from typing import Mapping, Optional

from pydantic import BaseModel, Field

from ..errors import SettingsError as SettingsError  # raised by from_env; importable from here as before
from ..settings import Settings, get_settings

DEFAULT_TIMEOUT = 30.0
DEFAULT_BUDGET = 60.0


class LLMSettings(BaseModel):
    base_url: Optional[str] = None
    api_key: Optional[str] = Field(default=None, repr=False)
    model: Optional[str] = None
    timeout: float = DEFAULT_TIMEOUT  # seconds one attempt waits
    max_retries: int = 2  # retries of a failed request, with exponential back-off
    budget: float = DEFAULT_BUDGET  # seconds all calls of one draft or answer take together, retries included
    temperature: float = 0.2

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "LLMSettings":
        """From the process's settings, or from ``env`` when given (a mapping of variables)."""
        s = get_settings() if env is None else Settings.from_mapping(env)
        return cls(base_url=s.llm_base_url, api_key=s.llm_key, model=s.llm_model, timeout=s.llm_timeout,
                   max_retries=s.llm_retries, budget=s.llm_budget)

    @property
    def configured(self) -> bool:
        # A local server (Ollama, llama.cpp, vLLM) needs no key, but it needs an address.
        return bool(self.model) and bool(self.base_url or self.api_key)

    def missing(self) -> list[str]:
        out = []
        if not self.model:
            out.append("NIANBAO_LLM_MODEL（模型名称）")
        if not (self.base_url or self.api_key):
            out.append("NIANBAO_LLM_BASE_URL（服务地址）或 NIANBAO_LLM_API_KEY（密钥）")
        return out

    def describe(self) -> str:
        """The endpoint for people to read; the key is never shown."""
        where = self.base_url or "OpenAI 官方接口"
        key = "已设置" if self.api_key else "未设置"
        return (f"模型 {self.model or '未设置'} @ {where}（密钥{key}，每次最多等待 {self.timeout:g} 秒，"
                f"共 {self.budget:g} 秒）")

