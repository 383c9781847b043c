"""Every command's --help is Chinese and fits an 80-column terminal.

The help of every command and sub-command is rendered at COLUMNS=80, as a
user's terminal would show it. What may stay in Latin letters is what a user
types or a name no Chinese word replaces: option names (``--format``),
argument metavars (``FILE``, ``{files}``), environment variables, paths,
file names and suffixes, the values an option accepts (shown as
``<text|json>`` or listed as ``a|b|c``), the commands themselves, and the
few product and format names in ``NAMES``.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()

# Names with no Chinese equivalent a user would recognise: file formats, products, the command.
NAMES = {"nianbao", "Word", "Markdown", "Chroma", "BM25"}
# File suffixes, also when a line wraps between the dot and the name (".txt、." / "pdf").
SUFFIXES = {"txt", "htm", "html", "docx", "pdf", "csv", "xlsx", "yaml", "yml", "json", "zip"}  # file formats a user names

TYPED = [
    re.compile(r"(?<![\w])--?[A-Za-z][\w-]*"),  # option names
    re.compile(r"<[^<>]*>"),  # type and choice column
    re.compile(r"\{[^{}]*\}"),  # argument metavars as typer prints them
    re.compile(r"\b[A-Z][A-Z0-9_]+\b"),  # metavars, environment variables, format abbreviations (PDF, CSV)
    re.compile(r"[\w.~:-]*[/~][\w./~:*-]*"),  # paths and URLs
    re.compile(r"[\w-]*\.[A-Za-z][\w.]*"),  # file names and suffixes
    re.compile(r"\w+(?:\|\w+)+"),  # a list of accepted values
    re.compile(r"\w+=\w+"),  # KEY=VALUE as a user writes it
]


def _commands(group, prefix=()):
    from typer.main import get_command

    root = get_command(group) if prefix == () else group
    yield prefix, root
    for name, cmd in getattr(root, "commands", {}).items():
        yield from _commands(cmd, (*prefix, name))


COMMANDS = {path: cmd for path, cmd in _commands(app)}


def _values(command) -> set[str]:
    """What a user types to this command: option names, accepted values, defaults."""
    out: set[str] = set()
    for param in command.params:
        choices = getattr(getattr(param, "type_descriptor", None), "choices", None) or ()
        out |= {str(getattr(c, "value", c)) for c in choices}
        out |= {o.lstrip("-") for o in (*param.opts, *getattr(param, "secondary_opts", ()))}
        if isinstance(param.default, str):
            out.add(param.default)
    return out


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _english(text: str, commands: set[str]) -> list[str]:
    for pattern in TYPED:
        text = pattern.sub(" ", text)
    words = re.findall(r"[A-Za-z]{3,}", text)
    return [w for w in words if w not in NAMES and w.lower() not in SUFFIXES and w not in commands]


def test_every_command_is_covered():
    names = {" ".join(c) for c in COMMANDS}
    assert {"", "parse", "check", "draft", "ask", "ui", "eval", "index", "index build"} <= names


@pytest.mark.parametrize("command", list(COMMANDS), ids=lambda c: " ".join(c) or "nianbao")
def test_help_is_chinese_and_fits_80_columns(command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    text = result.output
    assert "用法：" in text and "显示本帮助并退出。" in text
    for english in ("Usage", "Options", "Arguments", "Commands", "[required]", "Show this message"):
        assert english not in text
    typed = {part for c in COMMANDS for part in c} | _values(COMMANDS[command])
    assert _english(text, typed) == []
    long = [line for line in text.splitlines() if _width(line) > 80]
    assert long == []
    # Help text wraps onto the next line rather than being cut off.
    assert "…" not in text


def test_the_english_word_check_would_catch_english():
    assert _english("│ --format  <文本>  Show this message and exit. │", set()) == ["Show", "this", "message", "and",
                                                                                 "exit"]
    assert _english("用法：nianbao check [选项] FILE... --jobs 读取 report.docx 或 ~/.local/share", {"check"}) == []
