"""Reading the rule-example files in ``examples/`` (what they hold: ``rule_examples``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import NianbaoError

EXAMPLES_DIR = Path(__file__).with_name("examples")


@lru_cache(maxsize=None)
def read_example_file(name: str) -> dict[str, Any]:
    """``examples/<name>.yaml`` as data; a missing or broken file is a Chinese error."""
    path = EXAMPLES_DIR / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NianbaoError(f"没有例子文件 {path.name}。") from None
    except yaml.YAMLError as exc:
        raise NianbaoError(f"例子文件 {path.name} 不是有效的 YAML：{exc}") from None
    if not isinstance(data, dict):
        raise NianbaoError(f"例子文件 {path.name} 应为键值结构。")
    return data
