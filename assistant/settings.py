"""Every setting in one place: its environment variable, its default and its meaning.

Modules read settings through :func:`get_settings`, never through
``os.environ``. The README's configuration table is generated from this
module (``python -m assistant.settings --write README.md``) and a test checks
that it matches.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Mapping, Optional

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_core import PydanticUseDefault
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import SettingsError

PREFIX = "NIANBAO_"
FALLBACK_PREFIX = "OPENAI_"  # many tools already set these; NIANBAO_LLM_* wins over them


def _env(name: str, *fallbacks: str, default_text: str, option: Optional[str] = None, **kw: Any) -> Any:
    """A field read from ``NIANBAO_<name>`` (then the fallbacks), documented for the README."""
    names = [PREFIX + name, *fallbacks]
    extra: dict[str, Any] = {"env": names, "default_text": default_text}
    if option:
        extra["option"] = option
    return Field(validation_alias=AliasChoices(*names), json_schema_extra=extra, **kw)


class Settings(BaseSettings):
    """年报助手's configuration, from the environment."""

    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore", populate_by_name=True,
                                      env_ignore_empty=True)

    llm_base_url: Optional[str] = _env(
        "LLM_BASE_URL", "OPENAI_BASE_URL", default=None,
        default_text="none: offline drafting, no model answers",
        description="an OpenAI-compatible endpoint (DeepSeek, Qwen, vLLM, Ollama, llama.cpp server …)")
    llm_api_key: Optional[SecretStr] = _env(
        "LLM_API_KEY", "OPENAI_API_KEY", default=None, default_text="—",
        description="its key (a local server needs none); never printed")
    llm_model: Optional[str] = _env(
        "LLM_MODEL", "OPENAI_MODEL", default=None, default_text="—", description="the model name")
    llm_timeout: float = _env(
        "LLM_TIMEOUT", default=30.0, gt=0, default_text="30",
        description="seconds one attempt at a model call may wait for the answer")
    llm_retries: int = _env(
        "LLM_RETRIES", default=2, ge=0, default_text="2",
        description="retries of a failed model call, with exponential back-off, while the budget lasts")
    llm_budget: float = _env(
        "LLM_BUDGET", default=60.0, gt=0, default_text="60",
        description="seconds all model calls of one draft or answer may take together, retries included; "
                    "then the offline drafter takes over and says so")
    data_dir: Path = _env(
        "DATA_DIR", default_factory=lambda: Path.home() / ".local" / "share" / "nianbao",
        default_text="`~/.local/share/nianbao`", option="--data-dir",
        description="where the embedded Chroma index, its BM25 copy and caches live")
    chroma_url: Optional[str] = _env(
        "CHROMA_URL", default=None, default_text="embedded", option="--chroma-url",
        description="a Chroma server instead of the embedded one, e.g. `http://127.0.0.1:8000` "
                    "started with `chroma run --path DIR`")
    corpus_dir: Optional[Path] = _env(
        "CORPUS_DIR", default=None, default_text="the project's `corpus/`", option="--corpus",
        description="what `nianbao index build` indexes")
    embed_threads: int = _env(
        "EMBED_THREADS", default=0, ge=0, le=256, default_text="0",
        description="threads for embedding passages in bulk (`index build`/`add`); "
                    "0 = the cores other processes leave free")
    query_threads: int = _env(
        "QUERY_THREADS", default=1, ge=1, le=256, default_text="1",
        description="threads for embedding one query")
    index_max_mb: int = _env(
        "INDEX_MAX_MB", default=20, ge=1, le=4096, default_text="20",
        description="largest file `nianbao index add` reads, in MB")
    index_max_passages: int = _env(
        "INDEX_MAX_PASSAGES", default=5000, ge=1, le=10_000_000, default_text="5000",
        description="most passages one file added to the index may give")
    prompts_dir: Optional[Path] = _env(
        "PROMPTS_DIR", default=None, default_text="the project's `prompts/`",
        description="prompt templates and the offline drafter's phrasing")
    editions_dir: Optional[Path] = _env(
        "EDITIONS_DIR", default=None, default_text="none: the shipped editions only",
        description="a folder of further format editions, one YAML file each (as `assistant/model/editions/`); "
                    "read once when the program starts")
    evals_dir: Optional[Path] = _env(
        "EVALS_DIR", default=None, default_text="the project's `evals/`", option="--evals-dir",
        description="eval suites, reference reports and expected results")
    database_url: Optional[SecretStr] = _env(
        "DATABASE_URL", default=None, default_text="SQLite: `review.sqlite3` in the data directory",
        description="where `nianbao review` keeps audits and decisions; `postgresql://user:pass@host:5432/db` "
                    "for a PostgreSQL server (driver psycopg 3), `sqlite:///path` for another SQLite file; never printed")
    reviewer: Optional[str] = _env(
        "REVIEWER", default=None, default_text="the login name", option="--by",
        description="who a decision made with `nianbao review decide`/`import` is recorded as")
    ui_auth: Optional[SecretStr] = _env(
        "UI_AUTH", default=None, default_text="no login", option="--auth",
        description="`user:pass` login for the UI (keeps the password out of the process list)")
    login_attempts: int = _env(
        "LOGIN_ATTEMPTS", default=5, ge=1, default_text="5",
        description="wrong passwords one client may try within `NIANBAO_LOGIN_WAIT` seconds before it must wait")
    login_wait: float = _env(
        "LOGIN_WAIT", default=60.0, gt=0, default_text="60",
        description="seconds the window of login attempts spans, and the wait after too many")

    # Limits on what one input may cost, checked before the work (assistant/limits.py).
    max_document_mb: float = _env(
        "MAX_DOCUMENT_MB", default=50.0, gt=0, default_text="50",
        description="largest report file read (any format)")
    max_text_chars: int = _env(
        "MAX_TEXT_CHARS", default=2_000_000, ge=1, default_text="2,000,000",
        description="most characters of a text, Markdown or HTML report (a real one has 10,000–50,000)")
    max_paragraphs: int = _env(
        "MAX_PARAGRAPHS", default=100_000, ge=1, default_text="100,000",
        description="most paragraphs (Word) or lines (text) of one report, counted before it is read")
    max_pdf_pages: int = _env(
        "MAX_PDF_PAGES", default=300, ge=1, default_text="300",
        description="most pages of a PDF report")
    max_pdf_text: int = _env(
        "MAX_PDF_TEXT", default=120_000, ge=1, default_text="120,000",
        description="most bytes of text a PDF's pages draw (about two per Chinese character), counted in the "
                    "page contents before they are laid out; a real report has 5,000–20,000")
    max_zip_members: int = _env(
        "MAX_ZIP_MEMBERS", default=1000, ge=1, default_text="1,000",
        description="most parts in a .docx or .xlsx (a real one has 10–40)")
    max_unzipped_mb: float = _env(
        "MAX_UNZIPPED_MB", default=256.0, gt=0, default_text="256",
        description="largest size of a .docx or .xlsx unpacked, from its directory before anything is unpacked")
    max_part_mb: float = _env(
        "MAX_PART_MB", default=32.0, gt=0, default_text="32",
        description="largest part decoded whole: an XML part of a .docx/.xlsx (worksheets are streamed), "
                    "a PDF page's content")
    max_xml_elements: int = _env(
        "MAX_XML_ELEMENTS", default=1_000_000, ge=1, default_text="1,000,000",
        description="most XML elements of a Word document's text, counted before it is read")
    max_yaml_nodes: int = _env(
        "MAX_YAML_NODES", default=100_000, ge=1, default_text="100,000",
        description="most values a YAML file may hold once its aliases are expanded (stops alias bombs)")
    max_figure: float = _env(
        "MAX_FIGURE", default=1e15, gt=0, default_text="10^15",
        description="largest absolute value of a figure in a facts file; NaN and infinities are refused")
    ledger_max_mb: float = _env(
        "LEDGER_MAX_MB", default=100.0, gt=0, default_text="100",
        description="largest register file (XLSX or CSV) the ledger reads")
    ledger_max_rows: int = _env(
        "LEDGER_MAX_ROWS", default=200_000, ge=1, default_text="200,000",
        description="most rows with content in a register, over all its sheets")
    ledger_max_columns: int = _env(
        "LEDGER_MAX_COLUMNS", default=100, ge=1, default_text="100",
        description="columns of a register kept (the rest are ignored)")
    ledger_max_sheets: int = _env(
        "LEDGER_MAX_SHEETS", default=50, ge=1, default_text="50",
        description="most worksheets in a register")
    upload_workers: int = _env(
        "UPLOAD_WORKERS", default=2, ge=1, default_text="2",
        description="uploads the UI reads at once, each in its own worker process; others wait their turn")
    upload_memory_mb: int = _env(
        "UPLOAD_MEMORY_MB", default=1024, ge=256, default_text="1024",
        description="address space one upload's worker process may use")
    upload_seconds: float = _env(
        "UPLOAD_SECONDS", default=60.0, gt=0, default_text="60",
        description="seconds one upload's worker process may take")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise PydanticUseDefault()
        return value

    @field_validator("data_dir", "corpus_dir", "prompts_dir", "editions_dir", "evals_dir")
    @classmethod
    def _home(cls, value: Optional[Path]) -> Optional[Path]:
        return value.expanduser() if value is not None else None

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> "Settings":
        """Settings from a given environment instead of the process's (tests, subprocesses)."""
        upper = {k.upper(): v for k, v in env.items()}
        try:
            return cls.model_validate(upper)
        except ValidationError as exc:
            raise SettingsError(_message(exc)) from None

    @property
    def llm_key(self) -> Optional[str]:
        return self.llm_api_key.get_secret_value() if self.llm_api_key else None

    @property
    def database(self) -> Optional[str]:
        return self.database_url.get_secret_value() if self.database_url else None

    @property
    def ui_credentials(self) -> Optional[str]:
        return self.ui_auth.get_secret_value() if self.ui_auth else None


def env_names(field: str) -> list[str]:
    extra = Settings.model_fields[field].json_schema_extra
    assert isinstance(extra, dict)
    return list(extra["env"])  # type: ignore[arg-type]


def _message(exc: ValidationError) -> str:
    """The first problem, in Chinese, named by its environment variable."""
    err = exc.errors()[0]
    field = str(err["loc"][0]) if err.get("loc") else ""
    name = env_names(field)[0] if field in Settings.model_fields else field
    given = err.get("input")
    kind = err.get("type", "")
    if kind.startswith("float_"):
        return f"环境变量 {name} 应为数字，实为“{given}”"
    if kind.startswith("int_"):
        return f"环境变量 {name} 应为整数，实为“{given}”"
    bound = (err.get("ctx") or {})
    if kind == "greater_than":
        if bound.get("gt", 0) == 0:
            return f"环境变量 {name} 应为正数，实为“{given}”"
        return f"环境变量 {name} 应大于 {bound['gt']}，实为“{given}”"
    if kind == "greater_than_equal":
        low = err.get("ctx", {}).get("ge")
        if low not in (None, 0):
            return f"环境变量 {name} 应不小于 {low}，实为“{given}”"
        return f"环境变量 {name} 不能为负数，实为“{given}”"
    if kind == "less_than_equal":
        return f"环境变量 {name} 应不大于 {err.get('ctx', {}).get('le')}，实为“{given}”"
    return f"环境变量 {name} 的取值“{given}”无效"


def _environment_key() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k.upper(), v) for k, v in os.environ.items()
                        if k.upper().startswith((PREFIX, FALLBACK_PREFIX))))


_cache: dict[tuple[tuple[str, str], ...], Settings] = {}


def get_settings() -> Settings:
    """The settings of the current environment, read once per distinct environment.

    A changed ``NIANBAO_*``/``OPENAI_*`` variable is seen at the next call;
    :func:`reset_settings` forgets what was read.
    """
    key = _environment_key()
    found = _cache.get(key)
    if found is None:
        try:
            found = Settings()
        except ValidationError as exc:
            raise SettingsError(_message(exc)) from None
        _cache.clear()
        _cache[key] = found
    return found


def reset_settings() -> None:
    _cache.clear()


def environment() -> dict[str, str]:
    """The variables the settings are read from, as they are now (to hand to a worker process)."""
    return dict(_environment_key())


def use_environment(env: Mapping[str, str]) -> None:
    """Make ``env`` the variables the settings are read from (in a worker process started elsewhere)."""
    for name in [k for k in os.environ if k.upper().startswith((PREFIX, FALLBACK_PREFIX))]:
        del os.environ[name]
    os.environ.update(env)
    reset_settings()


# ------------------------------------------------------------------ README

README_START = "<!-- settings table: generated by `python -m assistant.settings --write README.md` -->"
README_END = "<!-- end of settings table -->"


def settings_table() -> str:
    """The README's configuration table, one row per setting."""
    rows = ["| setting | meaning | default |", "|---|---|---|"]
    for field in Settings.model_fields.values():
        extra = field.json_schema_extra
        assert isinstance(extra, dict)
        names = [f"`{n}`" for n in extra["env"]]  # type: ignore[union-attr]
        setting = names[0] + (f" (or {', '.join(names[1:])})" if len(names) > 1 else "")
        if extra.get("option"):
            setting += f" / `{extra['option']}`"
        rows.append(f"| {setting} | {field.description} | {extra['default_text']} |")
    return "\n".join(rows)


def readme_with_table(text: str) -> str:
    """``text`` (the README) with the table between its markers replaced by the current one."""
    if README_START not in text or README_END not in text:
        raise SettingsError("README 中没有配置表的起止标记。")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    return f"{head}{README_START}\n{settings_table()}\n{README_END}{tail}"


def main(argv: Optional[list[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "--write":
        path = Path(args[1])
        path.write_text(readme_with_table(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    sys.stdout.write(settings_table() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
