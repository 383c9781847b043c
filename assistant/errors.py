"""The one error hierarchy: every problem a person can act on.

Each error carries a Chinese ``message`` for people and the ``exit_code`` the
command line ends with (2: an input or a setting could not be used). The
command line catches :class:`NianbaoError` in one place
(``assistant.cli.errors``); the chat and the UI show ``message``.

The subclasses name where the problem lies, so callers can catch just the
ones they can handle; each is also importable from the module that raises it.
"""

from __future__ import annotations

import errno


class NianbaoError(Exception):
    """A problem with an input, a setting or a service; ``message`` is Chinese, for people."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class ReadError(NianbaoError):
    """A document that cannot be read as a report; ``code`` is a stable machine code."""

    def __init__(self, message: str, code: str = "unreadable", exit_code: int = 2):
        super().__init__(message, exit_code)
        self.code = code


class SourceError(NianbaoError):
    """A file that cannot be added to the index: unreadable, over a limit, or not a regulation or report."""


class NotAReport(SourceError):
    """A file for the index that is neither a regulation nor a readable report."""


class FactsError(NianbaoError):
    """A facts file (YAML or JSON figures) that cannot be read."""


class EditionError(NianbaoError):
    """A format edition that does not exist."""


class SettingsError(NianbaoError):
    """A setting (an environment variable or an option) that cannot be used."""


class PromptError(NianbaoError):
    """A prompt file that is missing or does not match its caller."""


class ModelError(NianbaoError):
    """The model could not give an answer; ``kind`` says how it failed."""

    def __init__(self, message: str, kind: str = "error", exit_code: int = 2):
        super().__init__(message, exit_code)
        self.kind = kind  # timeout / connection / auth / status / garbage / empty


class DraftError(NianbaoError):
    """A draft that cannot be made from what was given."""


class RetrievalUnavailable(NianbaoError):
    """The retrieval index cannot answer."""


class WorkspaceError(NianbaoError):
    """A chat-workspace request that cannot be carried out (no report, unknown cell …)."""


class EvalConfigError(NianbaoError):
    """A suite file or a data folder the evals cannot use."""


class ExpectedError(NianbaoError):
    """An expected-results file that cannot be read."""


class ExportError(NianbaoError):
    """A report that cannot be written in the format asked for."""


_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ELOOP: "符号链接循环指向自身",
    errno.ENAMETOOLONG: "路径过长",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EEXIST: "已经存在",
    errno.EADDRINUSE: "端口已被占用",
    errno.EADDRNOTAVAIL: "地址不可用",
    errno.EIO: "读写出错（磁盘或网络文件系统故障）",
    errno.EMFILE: "打开的文件过多",
    errno.ENXIO: "设备不存在",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Chinese (``strerror`` is English)."""
    code = exc.errno or 0
    return _OS_REASONS.get(code) or f"系统错误 {errno.errorcode.get(code, code)}"


class ReviewError(NianbaoError):
    """An audit, a decision, a workbook or the review database that cannot be used as asked."""
