"""Reading a YAML file that holds a mapping, with the Chinese errors every such file gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import yaml

from .errors import NianbaoError


def read_mapping(path: Path, what: str, error: type[NianbaoError] = NianbaoError,
                 shown: Optional[str] = None) -> dict[str, Any]:
    """``path`` as a mapping (an empty file is an empty one); ``what`` names the kind of file in messages.

    ``shown`` is how the file is named to people (default: its name).
    """
    name = shown or path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise error(f"找不到{what} {name}。") from None
    except yaml.YAMLError as exc:
        raise error(f"{what} {name} 不是有效的 YAML：{exc}") from None
    if not isinstance(data, dict):
        raise error(f"{what} {name} 应为键值结构。")
    return data
