"""Reading uploaded reports into a workspace: the one place an upload is checked and read.

Whatever limits an upload must meet (type, size) and however it is read
(in this process or another) is decided here, so changing that changes this
module only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..chat import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES, Loaded, ReadError, Workspace
from ..parse.worker import parse_upload


@dataclass
class Uploaded:
    loaded: list[Loaded] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "文件名：为什么读不了"


def path_of(item: Any) -> Path:
    """The file Gradio saved an upload to (its own name is the last part of the path)."""
    return Path(item if isinstance(item, (str, Path)) else getattr(item, "name", "") or "")


def read_uploads(ws: Workspace, files: list[Any], previous: bool = False) -> Uploaded:
    """Read each uploaded file into ``ws``; a file that cannot be read is named with the reason."""
    out = Uploaded()
    for item in files:
        path = path_of(item)
        name = path.name
        try:
            if path.suffix.lower() not in ALLOWED_SUFFIXES:
                raise ReadError(f"不支持的文件类型“{path.suffix or '无扩展名'}”：请上传 "
                                f"{' '.join(ALLOWED_SUFFIXES)} 格式的报告。", "unsupported")
            if path.stat().st_size > MAX_UPLOAD_BYTES:
                raise ReadError(f"文件过大，上传上限为 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB。", "too_large")
            # Read in a worker process with its own memory and time caps, never in the server's.
            out.loaded.append(ws.load_report(parse_upload(path, name), name, previous=previous))
        except ReadError as exc:
            out.errors.append(f"{name}：{exc.message}")
        except OSError:
            out.errors.append(f"{name}：无法读取上传的文件，请重新上传。")
    return out
