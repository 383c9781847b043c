"""The unit of retrieval: a passage of text with what it is and where it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Union

Meta = dict[str, Union[str, int, float, bool]]

KINDS = ("regulation", "report")


@dataclass
class Chunk:
    text: str
    meta: Meta = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))


def content_id(data: bytes) -> str:
    """The id of a source file: its bytes decide it, not its name or time."""
    return hashlib.sha256(data).hexdigest()[:16]


def chunk_id(source_id: str, position: int, text: str) -> str:
    """Ids follow from content, so adding the same file twice adds nothing."""
    h = hashlib.sha256(f"{source_id}\n{position}\n{text}".encode("utf-8")).hexdigest()
    return f"{source_id}-{h[:16]}"


def clean_meta(meta: dict[str, Any]) -> Meta:
    """Chroma stores only str/int/float/bool and refuses None."""
    return {k: v for k, v in meta.items() if v is not None and isinstance(v, (str, int, float, bool))}
