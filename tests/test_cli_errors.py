"""Every error the command line gives is one Chinese message and exit status 2, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from assistant import errors
from assistant.cli import app

runner = CliRunner()
# Words of click's and typer's own English messages, none of which may reach a user.
ENGLISH = re.compile(r"Traceback|Error:|Usage:|Invalid value|Missing (argument|option|parameter)|No such|"
                     r"is not one of|Try '|does not exist|is not readable|unexpected extra|MarkupError")


def run(*args):
    return runner.invoke(app, list(map(str, args)))


def chinese_error(result) -> str:
    text = result.output
    assert result.exit_code == 2, text
    assert "错误：" in text and not ENGLISH.search(text), text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return text


def test_a_file_name_that_looks_like_markup_is_printed_as_written(tmp_path):
    assert "找不到文件：[/foo].txt" in chinese_error(run("parse", "[/foo].txt"))
    assert "[bold]报告[red].txt" in chinese_error(run("parse", tmp_path / "[bold]报告[red].txt"))
    bad = tmp_path / "[bold]报告.txt"
    bad.write_text("今天天气很好。", encoding="utf-8")
    assert "不是一份政府信息公开工作年度报告" in chinese_error(run("parse", bad))
    assert "[/x]" in chinese_error(run("rules", "[/x]"))


@pytest.mark.parametrize("args, words", [
    (["parse"], "缺少参数 FILE"),
    (["parse", "a.txt", "b.txt"], "多余的参数：b.txt"),
    (["parse", "--format", "xml", "a.txt"], "选项 --format 的取值“xml”无效，可选：json、text"),
    (["check", "--bogus", "a.txt"], "没有选项 --bogus"),
    (["check", "--jobs", "abc", "a.txt"], "应为整数，实为“abc”"),
    (["check", "a.txt", "-j"], "选项 -j 后面要写一个值"),
    (["search", "--top", "0", "问题"], "超出范围，应不小于 1"),
    (["ui", "--port", "70000"], "超出范围，应不大于 65535"),
    (["eval", "--suite", "bogus"], "可选：parse、degradation、check"),
    (["nosuchcommand"], "没有命令“nosuchcommand”"),
])
def test_usage_mistakes_are_told_in_chinese(args, words):
    text = chinese_error(run(*args))
    assert words in text and "--help 查看用法" in text


def test_every_error_class_is_one_nianbao_error_with_exit_code_2():
    classes = [errors.ReadError, errors.NotAReport, errors.FactsError, errors.EditionError, errors.SettingsError,
               errors.PromptError, errors.ModelError, errors.DraftError, errors.RetrievalUnavailable,
               errors.WorkspaceError, errors.EvalConfigError, errors.ExpectedError, errors.ExportError]
    for cls in classes:
        exc = cls("某个原因")
        assert isinstance(exc, errors.NianbaoError) and exc.exit_code == 2
        assert exc.message == str(exc) == "某个原因"
    # The names stay importable from where they were raised before.
    from assistant.chat import RetrievalUnavailable, WorkspaceError
    from assistant.draft import DraftError, SettingsError
    from assistant.evals import EvalConfigError, ExpectedError
    from assistant.parse import ReadError
    from assistant.retrieve import NotAReport

    assert {ReadError, NotAReport, DraftError, SettingsError, WorkspaceError, RetrievalUnavailable,
            EvalConfigError, ExpectedError} <= set(classes)


def test_the_ledgers_error_is_a_nianbao_error_and_ends_in_the_one_place(tmp_path):
    from assistant.ledger import LedgerError

    exc = LedgerError("某个原因")
    assert isinstance(exc, errors.NianbaoError) and not isinstance(exc, ValueError)
    assert exc.exit_code == 2 and exc.message == str(exc) == "某个原因"
    empty = tmp_path / "台账.csv"
    empty.write_text("", encoding="utf-8")
    result = run("ledger", str(empty), "--year", "2025")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert chinese_error(result).startswith("错误：")


@pytest.mark.slow  # the ui command imports gradio
def test_a_bad_setting_is_an_error_with_its_own_exit_code(monkeypatch):
    monkeypatch.setenv("NIANBAO_UI_AUTH", "no-colon")
    assert "用户名:密码" in chinese_error(run("ui"))


def test_an_unexpected_failure_is_told_in_chinese_without_a_traceback(monkeypatch, capsys):
    import assistant.cli as cli
    import assistant.cli.rules_cmd as rules_cmd

    def broken():
        raise KeyError("x")

    monkeypatch.setattr(rules_cmd, "all_rules", broken)
    monkeypatch.setattr(sys, "argv", ["nianbao", "rules"])
    with pytest.raises(SystemExit) as done:
        cli.main()
    err = capsys.readouterr().err
    assert done.value.code == 1
    assert "程序内部出错" in err and "Traceback" not in err


def test_the_installed_command_prints_a_chinese_message(tmp_path):
    # The console script's own path: the process, not the test runner, decides what reaches the user.
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "parse", "[/foo].txt"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2
    assert "错误：找不到文件：[/foo].txt" in done.stderr and "Traceback" not in done.stderr
