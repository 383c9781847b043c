"""Where the model lives: an OpenAI-compatible endpoint configured from the environment.

NIANBAO_LLM_* win over the OPENAI_* variables many tools already set. The UI
reuses this class, so it never prints the key (``describe``).
"""

from __future__ import annotations

import os
from typing import Mapping, Optional

from pydantic import BaseModel, Field
from ..errors import SettingsError

DEFAULT_TIMEOUT = 60.0


class LLMSettings(BaseModel):
    base_url: Optional[str] = None
    api_key: Optional[str] = Field(default=None, repr=False)
    model: Optional[str] = None
    timeout: float = DEFAULT_TIMEOUT  # seconds per request
    max_retries: int = 2  # the client's own retries, with exponential back-off
    temperature: float = 0.2

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "LLMSettings":
        env = os.environ if env is None else env

        def pick(name: str) -> Optional[str]:
            value = env.get(f"NIANBAO_LLM_{name}") or env.get(f"OPENAI_{name}")
            return value.strip() if value and value.strip() else None

        return cls(
            base_url=pick("BASE_URL"),
            api_key=pick("API_KEY"),
            model=pick("MODEL"),
            timeout=_number(env, "NIANBAO_LLM_TIMEOUT", DEFAULT_TIMEOUT, float),
            max_retries=_number(env, "NIANBAO_LLM_RETRIES", 2, int),
        )

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
        return f"模型 {self.model or '未设置'} @ {where}（密钥{key}，超时 {self.timeout:g} 秒）"


def _number(env: Mapping[str, str], name: str, default, kind):
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        raise SettingsError(f"环境变量 {name} 应为数字，实为“{raw}”") from None
    if value < 0 or (kind is float and value == 0):
        raise SettingsError(f"环境变量 {name} 应为正数，实为“{raw}”")
    return value
