"""Reading an upload in a worker process with a memory cap and a time cap.

A server reads files strangers send. However well the limits
(``assistant.limits``) judge a file before it is read, a reader library can
still find a way to spend memory or time on it; so the UI never reads an
upload in its own process. ``parse_upload`` hands the file's path to a fresh
child process whose address space is capped (``RLIMIT_AS``,
``NIANBAO_UPLOAD_MEMORY_MB``) and which is killed after
``NIANBAO_UPLOAD_SECONDS``. The child sends back the report as JSON (plain
data, never pickle) or a Chinese message; the server process never holds the
file's contents, so its memory is what it was once the child has gone.
At most ``NIANBAO_UPLOAD_WORKERS`` children read at once; more uploads wait
their turn, so a burst of large files cannot take every core from the people
asking questions; and a child runs at a lower priority (nice 10) than the
server, so whatever CPU a file costs, a question is answered first.

Children are forked from a small server process (multiprocessing's
forkserver) that has imported the readers once: each upload costs a fork,
not an interpreter start. The server process itself, which runs threads,
never forks.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Optional, Union

from .. import limits
from ..errors import NianbaoError
from ..model import Report
from ..settings import environment, get_settings, use_environment
from .layout import ReadError

_NICE = 10  # the worker's priority below the server's (nice 10: it gets the CPU the server leaves)
_RESULT_LIMIT = 64 * 1024 * 1024  # a report as JSON is well under 1 MB; more is not read
_context: Any = None
_slots: Optional[threading.BoundedSemaphore] = None
_slots_size = 0
_lock = threading.Lock()


def _ctx() -> Any:
    global _context
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            # The readers are imported once in the fork server, and so is the program's own main module
            # (otherwise every child would import it again before reading).
            ctx.set_forkserver_preload(["__main__", "assistant.parse.worker", "assistant.parse.pdf",
                                        "assistant.parse.docx", "assistant.parse.html", "assistant.parse.text"])
            _context = ctx
        return _context


def _slot() -> threading.BoundedSemaphore:
    global _slots, _slots_size
    size = get_settings().upload_workers
    with _lock:
        if _slots is None or _slots_size != size:
            _slots, _slots_size = threading.BoundedSemaphore(size), size
        return _slots


def warm() -> None:
    """Start the fork server now (it imports the readers: about a second), so the first upload does not wait for it."""
    proc = _ctx().Process(target=_noop, daemon=True)
    proc.start()
    proc.join()


def _noop() -> None:
    pass


def parse_upload(path: Union[str, Path], name: Optional[str] = None, edition: str = "auto") -> Report:
    """The report in the file at ``path`` (named ``name`` to people), read in a capped worker process.

    Raises ``ReadError`` with a Chinese message for a file that cannot be
    read, is over a limit, or makes the worker run out of memory or time.
    """
    p = Path(path)
    shown = name or p.name
    try:
        limits.check_size(p.stat().st_size)
    except OSError:
        raise ReadError("无法读取上传的文件，请重新上传。", "unreadable") from None
    settings = get_settings()
    memory = int(settings.upload_memory_mb) * 1024 * 1024
    seconds = float(settings.upload_seconds)
    with _slot():
        receive, send = _ctx().Pipe(duplex=False)
        proc = _ctx().Process(target=_child, args=(str(p), shown, edition, send, memory, environment()),
                              daemon=True, name="nianbao-upload")
        proc.start()
        send.close()
        try:
            if not receive.poll(seconds):
                proc.kill()
                raise ReadError(f"读取“{shown}”超过 {seconds:g} 秒仍未完成，已停止（上限可由环境变量 "
                                "NIANBAO_UPLOAD_SECONDS 调整）。文件可能过于复杂或是恶意构造的。", "too_slow")
            try:
                data = receive.recv_bytes(_RESULT_LIMIT)
            except (EOFError, OSError):
                proc.join(5)
                raise _died(proc.exitcode, shown, settings.upload_memory_mb) from None
        finally:
            receive.close()
            if proc.is_alive():
                proc.kill()
            proc.join(5)
    answer = json.loads(data)
    if "error" in answer:
        raise ReadError(answer["error"], answer.get("code") or "unreadable")
    return Report.model_validate(answer["report"])


def _died(exitcode: Optional[int], shown: str, memory_mb: int) -> ReadError:
    # Out of address space, a reader either raises MemoryError (answered by the child) or dies of a signal.
    return ReadError(f"读取“{shown}”时用尽了 {memory_mb} MB 的内存上限，已停止（上限可由环境变量 "
                     f"NIANBAO_UPLOAD_MEMORY_MB 调整；退出码 {exitcode}）。文件可能是恶意构造的。", "too_large")


def _child(path: str, name: str, edition: str, send: Connection, memory: int, env: dict[str, str]) -> None:
    """In the worker: the caller's settings, the address space capped; read; answer with JSON."""
    # Forked from the fork server, the child has the environment the server started with, not the caller's.
    use_environment(env)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # Reading a file is background work: the server's answers to other users come first for the CPU.
    try:
        os.nice(_NICE)
    except OSError:
        pass
    answer: dict[str, Any]
    try:
        from . import parse_bytes

        data = Path(path).read_bytes()
        report = parse_bytes(data, name=name, edition=edition)
        del data
        answer = {"report": report.model_dump(mode="json")}
    except NianbaoError as exc:
        # A library that ran out of memory may say the file is broken (lxml's "Memory allocation failed").
        answer = _out_of_memory(name, memory) if _at_cap(memory) else \
            {"error": exc.message, "code": getattr(exc, "code", "unreadable")}
    except (MemoryError, SystemError):  # out of address space; C code may fail without saying why
        answer = _out_of_memory(name, memory)
    except OSError:
        answer = {"error": "无法读取上传的文件，请重新上传。", "code": "unreadable"}
    except Exception:  # noqa: BLE001 - a reader's own bug must reach the user as a message, not a trace
        answer = _out_of_memory(name, memory) if _at_cap(memory) else \
            {"error": f"读取“{name}”时出错，无法读取这个文件。", "code": "unreadable"}
    try:
        send.send_bytes(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    except MemoryError:
        send.send_bytes(json.dumps({"error": "读取结果过大，无法传回。", "code": "too_large"}).encode("utf-8"))
    finally:
        send.close()


def _out_of_memory(name: str, memory: int) -> dict[str, str]:
    return {"error": f"读取“{name}”时用尽了 {memory // (1024 * 1024)} MB 的内存上限，已停止（上限可由环境变量 "
                     "NIANBAO_UPLOAD_MEMORY_MB 调整）。文件可能是恶意构造的。", "code": "too_large"}


def _at_cap(memory: int) -> bool:
    """Whether this process's address space came within 5% of its cap (VmPeak)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024 >= 0.95 * memory
    except (OSError, ValueError):
        pass
    return False
