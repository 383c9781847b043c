"""Reading YAML that people write, safely: the one loader for every YAML file a user can hand in.

``load_yaml`` uses the safe loader (plain data only, no Python objects), and
before anything is built it checks the composed document's size with its
aliases expanded (``assistant.limits``): a few hundred bytes of nested
aliases ("billion laughs") would otherwise become billions of values as soon
as anything walks them. Nesting too deep for the parser, a document that
contains itself and plain syntax errors all become the caller's Chinese error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from . import limits
from .errors import NianbaoError, os_reason

# libyaml's loader when it is there (it also stops nesting deeper than it can parse); the pure-Python one otherwise.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, what: str, error: Callable[[str], NianbaoError] = NianbaoError) -> Any:
    """The data of one YAML document ``text``; ``what`` names it in messages (e.g. "事实文件 a.yaml")."""
    limits.check_text(text, error=error)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        limits.check_yaml_node(node, what, error)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise error(f"{what}不是有效的 YAML：{_where(exc)}") from None
    except RecursionError:
        raise error(f"{what}嵌套层级过深，无法读取。") from None
    finally:
        loader.dispose()


def _where(exc: yaml.YAMLError) -> str:
    """Where the syntax error is, in Chinese (PyYAML's own sentence is English)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or ""
    place = f"第{mark.line + 1}行第{mark.column + 1}列" if mark is not None else "某处"
    for words, meaning in _PROBLEMS:
        if words in problem:
            return f"{place}{meaning}"
    return f"{place}语法有误"


_PROBLEMS = (
    ("nesting depth", "嵌套层级过深"),
    ("undefined alias", "引用了未定义的别名"),
    ("cannot start any token", "有不能出现在此处的字符（如制表符）"),
    ("mapping values are not allowed", "不能在此处写“键: 值”"),
    ("could not find expected ':'", "缺少冒号"),
    ("expected <block end>", "缩进不一致"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("duplicate", "有重复的键"),
)


def read_mapping(path: Path, what: str, error: type[NianbaoError] = NianbaoError,
                 shown: Optional[str] = None) -> dict[str, Any]:
    """``path`` as a mapping (an empty file is an empty one); ``what`` names the kind of file in messages.

    ``shown`` is how the file is named to people (default: its name).
    """
    name = shown or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"找不到{what} {name}。") from None
    except UnicodeDecodeError:
        raise error(f"{what} {name} 不是 UTF-8 编码的文本。") from None
    except OSError as exc:
        raise error(f"无法读取{what} {name}（{os_reason(exc)}）。") from None
    data = load_yaml(text, f"{what} {name} ", error) or {}
    if not isinstance(data, dict):
        raise error(f"{what} {name} 应为键值结构。")
    return data
