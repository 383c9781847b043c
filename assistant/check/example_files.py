"""Reading the rule-example files in ``examples/`` (what they hold: ``rule_examples``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..resources import package_path
from ..yamlfile import read_mapping

EXAMPLES_DIR = package_path("check", "examples")


@lru_cache(maxsize=None)
def read_example_file(name: str) -> dict[str, Any]:
    """``examples/<name>.yaml`` as data; a missing or broken file is a Chinese error."""
    return read_mapping(EXAMPLES_DIR / f"{name}.yaml", "例子文件")
