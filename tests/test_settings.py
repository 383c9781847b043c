"""One settings object: every variable declared once, documented in the README, read through get_settings()."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import SettingsError
from assistant.settings import (
    README_END,
    README_START,
    Settings,
    env_names,
    get_settings,
    readme_with_table,
    reset_settings,
    settings_table,
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "assistant"


def test_the_readme_table_is_the_generated_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_START in readme and README_END in readme
    assert readme_with_table(readme) == readme, "run: python -m assistant.settings --write README.md"
    for field in Settings.model_fields:
        assert f"`{env_names(field)[0]}`" in settings_table()


def test_every_variable_the_code_names_is_a_declared_setting():
    declared = {name for field in Settings.model_fields for name in env_names(field)}
    named = set()
    for path in PACKAGE.rglob("*.py"):
        named |= set(re.findall(r"\b((?:NIANBAO|OPENAI)_[A-Z_]*[A-Z])\b", path.read_text(encoding="utf-8")))
    assert named <= declared, f"not in assistant/settings.py: {sorted(named - declared)}"


def test_no_module_reads_the_environment_itself():
    readers = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "settings.py" and path.parent == PACKAGE:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ\.get|os\.getenv|os\.environ\[[^]]+\](?!\s*=)", text):
            readers.append(str(path.relative_to(ROOT)))
    assert readers == []


def test_nianbao_variables_win_over_openai_ones_and_blanks_are_unset(monkeypatch):
    monkeypatch.setenv("OPENAI_MODEL", "gpt")
    monkeypatch.setenv("NIANBAO_LLM_MODEL", "qwen")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("NIANBAO_LLM_TIMEOUT", "  ")
    s = get_settings()
    assert (s.llm_model, s.llm_base_url, s.llm_timeout, s.llm_retries) == ("qwen", "http://127.0.0.1:9/v1", 30, 2)


def test_a_changed_variable_is_seen_and_reset_forgets(monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "a"))
    first = get_settings()
    assert get_settings() is first  # read once
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "b"))
    assert get_settings().data_dir == tmp_path / "b"
    second = get_settings()
    reset_settings()
    assert get_settings() is not second and get_settings().data_dir == tmp_path / "b"


@pytest.mark.parametrize("name, value, words", [
    ("NIANBAO_LLM_TIMEOUT", "一分钟", "NIANBAO_LLM_TIMEOUT 应为数字"),
    ("NIANBAO_LLM_TIMEOUT", "0", "NIANBAO_LLM_TIMEOUT 应为正数"),
    ("NIANBAO_LLM_RETRIES", "两次", "NIANBAO_LLM_RETRIES 应为整数"),
    ("NIANBAO_LLM_RETRIES", "-1", "NIANBAO_LLM_RETRIES 不能为负数"),
])
def test_a_bad_value_is_a_chinese_settings_error(monkeypatch, name, value, words):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=words):
        get_settings()
    with pytest.raises(SettingsError, match=words):
        Settings.from_mapping({name: value})


def test_secrets_are_not_shown(monkeypatch):
    monkeypatch.setenv("NIANBAO_LLM_API_KEY", "sk-7f3a9c")
    monkeypatch.setenv("NIANBAO_UI_AUTH", "reviewer:pw-2q8x")
    s = get_settings()
    assert s.llm_key == "sk-7f3a9c" and s.ui_credentials == "reviewer:pw-2q8x"
    for shown in (repr(s), str(s.model_dump())):
        assert "7f3a9c" not in shown and "2q8x" not in shown


@pytest.mark.slow  # imports gradio in a new process
def test_the_ui_module_leaves_the_environment_alone_and_sends_no_usage_data(tmp_path):
    code = (
        "import os; before = dict(os.environ); import assistant.ui.app as a; "
        "changed = sorted(k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k)); "
        "print(changed); app = a.build_app(); print(app.analytics_enabled)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
           "NIANBAO_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stderr[-2000:]
    assert lines[0] == "[]"  # importing the UI sets no variable
    assert lines[-1] == "False"  # gradio's own switch: no usage reports, no version check
