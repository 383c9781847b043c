"""Prompts and offline phrasing live as files in ``prompts/``.

A model prompt is Markdown with front matter that names its variables:

    ---
    task: 起草“一、总体情况”
    variables: [agency, year, facts]
    ---
    {agency}{year}年……

Every ``{name}`` in the body must be declared and every declared variable
must be given, so a prompt and its caller cannot drift apart silently.
Offline phrasing is YAML: ``variables`` (name -> meaning) and ``slots``
(slot -> list of variants).
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..errors import PromptError
from ..resources import shipped_folder
from ..settings import get_settings
from ..yamlfile import load_yaml


def prompts_dir() -> Path:
    configured = get_settings().prompts_dir
    if configured is not None:
        return configured
    return shipped_folder("prompts")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True)
class Prompt:
    name: str
    task: str
    variables: tuple[str, ...]
    body: str

    def render(self, **values: object) -> str:
        given, declared = set(values), set(self.variables)
        if given != declared:
            missing = ", ".join(sorted(declared - given))
            extra = ", ".join(sorted(given - declared))
            raise PromptError(f"提示词 {self.name} 的变量不匹配（缺少：{missing or '无'}；多余：{extra or '无'}）")
        return self.body.format(**{k: str(v) for k, v in values.items()})


@lru_cache(maxsize=None)
def load_prompt(name: str) -> Prompt:
    path = prompts_dir() / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"找不到提示词文件：prompts/{name}.md") from None
    if not text.startswith("---"):
        raise PromptError(f"提示词 prompts/{name}.md 缺少开头的变量声明（--- … ---）")
    _, head, body = text.split("---", 2)
    meta = load_yaml(head, f"提示词 prompts/{name}.md 的变量声明", PromptError) or {}
    variables = tuple(meta.get("variables") or ())
    body = body.strip("\n")
    used = fields(body)
    if used != set(variables):
        raise PromptError(f"提示词 prompts/{name}.md 声明的变量与正文不一致：声明 {sorted(variables)}，正文 {sorted(used)}")
    return Prompt(name=name, task=str(meta.get("task", name)), variables=variables, body=body)


@dataclass(frozen=True)
class Phrasebook:
    """Offline phrasing: several variants per slot, one chosen per agency and year."""

    name: str
    variables: dict[str, str]
    slots: dict[str, tuple[str, ...]]

    def variants(self, slot: str) -> tuple[str, ...]:
        try:
            return self.slots[slot]
        except KeyError:
            raise PromptError(f"离线措辞 prompts/offline/{self.name}.yaml 没有“{slot}”") from None

    def choose(self, slot: str, seed: str) -> str:
        options = self.variants(slot)
        return options[pick(seed, slot, len(options))]


def pick(seed: str, slot: str, n: int) -> int:
    """A stable choice: the same agency and year get the same variant on every run and machine."""
    digest = hashlib.sha256(f"{seed}|{slot}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n


@lru_cache(maxsize=None)
def load_phrasebook(name: str) -> Phrasebook:
    path = prompts_dir() / "offline" / f"{name}.yaml"
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), f"离线措辞文件 prompts/offline/{name}.yaml ", PromptError)
    except FileNotFoundError:
        raise PromptError(f"找不到离线措辞文件：prompts/offline/{name}.yaml") from None
    variables = dict(data.get("variables") or {})
    slots = {}
    for slot, options in (data.get("slots") or {}).items():
        if isinstance(options, str):
            options = [options]
        options = tuple(str(o).strip() for o in options)
        for o in options:
            unknown = fields(o) - set(variables)
            if unknown:
                raise PromptError(f"prompts/offline/{name}.yaml 的“{slot}”用了未声明的变量：{sorted(unknown)}")
        slots[slot] = options
    return Phrasebook(name=name, variables=variables, slots=slots)


def phrasebooks() -> Iterable[str]:
    return sorted(p.stem for p in (prompts_dir() / "offline").glob("*.yaml"))
