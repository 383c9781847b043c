"""`nianbao ui`: the browser workspace, on this machine only unless asked otherwise."""

from __future__ import annotations

import os
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import NianbaoError, os_reason
from ..settings import get_settings
from .app import app

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@app.command("ui")
def ui(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址；默认只允许本机访问。"),
    port: int = typer.Option(7860, "--port", min=1, max=65535, help="端口。"),
    auth: Optional[str] = typer.Option(
        None, "--auth", help="登录用户名和密码，写成 用户名:密码（也可用环境变量 NIANBAO_UI_AUTH，避免密码出现在进程列表中）。"
    ),
) -> None:
    """打开年报助手的网页工作台（对话、表格编辑、问题清单、起草与下载）。"""
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    # No usage reports and no version check, whatever gradio reads before the app says so itself.
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    try:
        from ..ui import launch, parse_auth
    except ImportError as exc:
        raise NianbaoError(f"网页界面需要 gradio（{exc.name or exc}）：请运行 pip install 'gradio>=6,<7'。") from None

    credentials = parse_auth(auth or get_settings().ui_credentials)
    if host not in LOCAL_HOSTS and credentials is None:
        err.print(f"[yellow]注意：[/]监听 {escape(host)} 时其他机器也能访问，且没有设置登录密码（--auth）。")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    err.print(escape(f"年报助手已启动：http://{shown}:{port}/　按 Ctrl+C 退出。"))
    try:
        launch(host=host, port=port, auth=credentials, quiet=True)
    except OSError as exc:
        raise NianbaoError(f"无法在 {host}:{port} 启动（{os_reason(exc)}），端口可能已被占用，可用 --port 换一个。") from None
