"""Login attempts limited per client: a few wrong passwords, then a wait.

Gradio checks the password in its own ``POST /login`` route and gives no hook
that sees who is asking, so the limit sits in front of the whole app as ASGI
middleware (passed to Gradio's FastAPI app through ``launch(app_kwargs=…)``).
It watches only that route: each answer of 400 (wrong user or password)
counts against the client's address; after ``NIANBAO_LOGIN_ATTEMPTS`` of them
within ``NIANBAO_LOGIN_WAIT`` seconds the client gets 429 with a Chinese
message and a ``Retry-After`` header, without the password being checked,
until the wait is over. A successful login clears the count. Behind a reverse
proxy every client has the proxy's address, so the limit is then shared.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from typing import Any, Awaitable, Callable, Optional

from ..settings import get_settings

MAX_CLIENTS = 10_000  # addresses remembered at once; the oldest are forgotten first

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def auth_message() -> str:
    """What the login page says, the limit included."""
    s = get_settings()
    return (f"请输入年报助手的用户名和密码。连续输错 {s.login_attempts} 次后，"
            f"需等待 {s.login_wait:g} 秒才能再试。")


def refusal(seconds: float) -> str:
    return f"登录尝试过于频繁：请在 {math.ceil(seconds)} 秒后再试。"


class LoginLimiter:
    """ASGI middleware: wrong passwords counted per client address on ``POST …/login``."""

    def __init__(self, app: Any, attempts: Optional[int] = None, wait: Optional[float] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        s = get_settings()
        self.app = app
        self.attempts = attempts if attempts is not None else s.login_attempts
        self.wait = wait if wait is not None else s.login_wait
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._locked: dict[str, float] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http" or scope.get("method") != "POST" \
                or not str(scope.get("path", "")).rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?",))[0]
        left = self.locked_for(client)
        if left > 0:
            await _refuse(send, left)
            return
        held: dict[str, Any] = {}

        async def watch(message: dict[str, Any]) -> None:
            kind = message.get("type")
            if kind == "http.response.start":
                status = int(message.get("status", 0))
                self.record(client, status)
                if status == 400:  # Gradio's English "Incorrect credentials.": said again, in Chinese
                    held["start"] = message
                    return
            elif kind == "http.response.body" and "start" in held:
                if message.get("more_body"):
                    return
                await _reply(send, 400, {"detail": self.wrong(client)})
                return
            await send(message)

        await self.app(scope, receive, watch)

    def wrong(self, client: str) -> str:
        """The answer to a wrong user name or password: how many tries are left, or how long to wait."""
        left = self.locked_for(client)
        if left > 0:
            return f"用户名或密码不正确。已连续输错 {self.attempts} 次，请在 {math.ceil(left)} 秒后再试。"
        with self._lock:
            used = len(self._failures.get(client, ()))
        return f"用户名或密码不正确。还可再试 {self.attempts - used} 次，之后需等待 {self.wait:g} 秒。"

    def locked_for(self, client: str) -> float:
        """Seconds ``client`` must still wait (0: it may try)."""
        with self._lock:
            until = self._locked.get(client)
            if until is None:
                return 0.0
            left = until - self.clock()
            if left <= 0:
                del self._locked[client]
                return 0.0
            return left

    def record(self, client: str, status: Optional[int]) -> None:
        """Count a wrong password (400); a login that succeeded (200) clears the count."""
        now = self.clock()
        with self._lock:
            if status == 200:
                self._failures.pop(client, None)
                return
            if status != 400:
                return
            times = self._failures.setdefault(client, deque())
            times.append(now)
            while times and now - times[0] > self.wait:
                times.popleft()
            if len(times) >= self.attempts:
                self._locked[client] = now + self.wait
                del self._failures[client]
            self._forget_old(now)

    def _forget_old(self, now: float) -> None:
        if len(self._failures) + len(self._locked) <= MAX_CLIENTS:
            return
        for client in [c for c, t in self._locked.items() if t <= now]:
            del self._locked[client]
        for client in [c for c, times in self._failures.items() if not times or now - times[-1] > self.wait]:
            del self._failures[client]
        while len(self._failures) > MAX_CLIENTS // 2:
            self._failures.pop(next(iter(self._failures)))
        while len(self._locked) > MAX_CLIENTS // 2:
            self._locked.pop(next(iter(self._locked)))


async def _refuse(send: Send, seconds: float) -> None:
    await _reply(send, 429, {"detail": refusal(seconds)}, [(b"retry-after", str(math.ceil(seconds)).encode())])


async def _reply(send: Send, status: int, content: dict[str, Any], headers: Optional[list[tuple[bytes, bytes]]] = None) -> None:
    body = json.dumps(content, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *(headers or []),
    ]})
    await send({"type": "http.response.body", "body": body})


def middleware() -> list[Any]:
    """The middleware list for ``launch(app_kwargs={"middleware": …})``."""
    from starlette.middleware import Middleware

    return [Middleware(LoginLimiter)]
