"""年报助手: read, check, draft and export government information disclosure annual reports."""

__version__ = "0.1.0"
