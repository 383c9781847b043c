"""`nianbao ask "问题"`: the chat's answers from the command line, through the same router."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..errors import NianbaoError, os_reason
from .app import app


class AskFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("ask")
def ask(
    question: str = typer.Argument(..., metavar="问题", help="要问的问题，如“哪些合计对不上”“起草总体情况”“条例哪一条规定年报内容”。"),
    reports: Optional[list[Path]] = typer.Option(None, "--report", "-r", help="本年度报告文件，可重复给出。"),
    previous: Optional[Path] = typer.Option(None, "--previous", "-p", help="上一年度的报告，用于同比和跨年核对。"),
    fmt: AskFormat = typer.Option(AskFormat.text, "--format", "-f", help="text 供阅读，json 供脚本使用。"),
) -> None:
    """像在对话中一样提问：查数字、比较、检查、解释和改法、起草、条文、同比变化。"""
    from ..chat import Workspace, route
    from ..parse import ReadError, parse_file

    ws = Workspace()
    for path, is_prev in [*((p, False) for p in (reports or [])), *([(previous, True)] if previous else [])]:
        try:
            report = parse_file(path)
        except ReadError as exc:
            raise ReadError(f"{path}：{exc.message}", exc.code) from None
        except OSError as exc:
            raise NianbaoError(f"{path}：无法打开文件（{os_reason(exc)}）") from None
        ws.load_report(report, path.name, previous=is_prev)

    streamed: list[str] = []

    def on_token(text: str) -> None:
        # Only the text format streams; JSON must stay one document.
        streamed.append(text)
        sys.stdout.write(text)
        sys.stdout.flush()

    answer = route(question, ws, on_token=on_token if fmt is AskFormat.text else None)
    if fmt is AskFormat.json:
        payload = {
            "question": question,
            "intent": answer.intent,
            "answer": answer.text,
            "sources": [s.model_dump(mode="json") for s in answer.sources],
            "findings": [f.model_dump(mode="json") for f in answer.findings],
            "verdict": answer.verdict,
            "report": answer.report,
            "data": answer.data,
            "suggestions": answer.suggestions,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    done = "".join(streamed).strip()
    if done and answer.text.startswith(done):
        typer.echo(answer.text[len(done):])
    else:
        if done:
            typer.echo("")
        typer.echo(answer.text)
