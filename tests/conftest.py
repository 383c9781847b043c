"""What every test shares: the real reports (when present), one isolation fixture, the markers.

The real reports live beside the project in ../shared/realdata and are never
copied into it. A test that needs them is marked ``realdata`` (or uses the
``linzi``/``huaian``/``realdata_dir`` fixtures) and is skipped, with the folder
named, in a clone without that folder. Nothing here reads a file at import.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests keep no example database (it would be written into the checkout).
settings.register_profile("nianbao", database=None)
settings.load_profile("nianbao")

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
LINZI = REALDATA / "linzi-district-office-2019.txt"
HUAIAN = REALDATA / "huaian-city-2024.pdf"
REALDATA_MISSING = "needs the real reports in ../shared/realdata, which is not beside this checkout"
REALDATA_FIXTURES = {"realdata_dir", "linzi", "huaian"}
SLOW_FIXTURES = {"default_index_dir", "regulation_index_dir"}  # each embeds documents: seconds to a minute
# Variables a developer's shell may set that no test may inherit: a model, a server, another data folder.
OUTSIDE = ("NIANBAO_LLM_BASE_URL", "NIANBAO_LLM_API_KEY", "NIANBAO_LLM_MODEL", "NIANBAO_LLM_TIMEOUT",
           "NIANBAO_LLM_RETRIES", "OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_MODEL", "NIANBAO_CHROMA_URL",
           "NIANBAO_UI_AUTH", "NIANBAO_CORPUS_DIR", "NIANBAO_PROMPTS_DIR", "NIANBAO_EVALS_DIR",
           "NIANBAO_EMBED_THREADS", "NIANBAO_QUERY_THREADS", "NIANBAO_INDEX_MAX_MB", "NIANBAO_INDEX_MAX_PASSAGES",
           "NIANBAO_DATABASE_URL", "NIANBAO_REVIEWER")


# The markers `realdata` and `slow` are declared in pyproject.toml.


def pytest_configure(config: pytest.Config) -> None:
    # Hypothesis keeps caches (not only examples) in .hypothesis/ of the working folder; not in the checkout.
    from hypothesis.configuration import set_hypothesis_home_dir

    home = Path(tempfile.mkdtemp(prefix="nianbao-hypothesis-"))
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))
    set_hypothesis_home_dir(home)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = None if REALDATA.is_dir() else pytest.mark.skip(reason=REALDATA_MISSING)
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if SLOW_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)
        if skip is not None and ("realdata" in item.keywords or REALDATA_FIXTURES & fixtures):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own data folder and none of the developer's model or server settings.

    The settings and the caches built from them are forgotten before and after,
    so no test sees another's index or endpoint and nothing is written into
    the repository or the user's own data folder.
    """
    from assistant.draft.grounding import reset_index_cache
    from assistant.review.store import close_stores
    from assistant.settings import reset_settings

    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "nianbao-data"))
    for name in OUTSIDE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    reset_settings()
    reset_index_cache()
    yield
    reset_settings()
    reset_index_cache()
    close_stores()  # review databases opened by the test (each test has its own data folder)


@pytest.fixture(scope="session")
def realdata_dir() -> Path:
    """The folder of real reports; tests asking for it are skipped when it is absent.

    Collection already skips the tests that name it; this also covers a test
    that asks for ``linzi``/``huaian`` by name while it runs (getfixturevalue).
    """
    if not REALDATA.is_dir():
        pytest.skip(REALDATA_MISSING)
    return REALDATA


@pytest.fixture(scope="session")
def linzi(realdata_dir):
    from assistant.parse import parse_file

    return parse_file(realdata_dir / LINZI.name)


@pytest.fixture(scope="session")
def huaian(realdata_dir):
    from assistant.parse import parse_file

    return parse_file(realdata_dir / HUAIAN.name)


@pytest.fixture(scope="session")
def default_index_dir(tmp_path_factory) -> Path:
    """The default index built from corpus/ once per test run (about a minute on two cores).

    The retrieval tests search this folder; none of them changes what it holds.
    """
    from assistant.retrieve import Index

    d = tmp_path_factory.mktemp("nianbao-index")
    results = Index(data_dir=d).build_default()
    assert sum(r.added for r in results) > 200
    return d


@pytest.fixture(scope="session")
def regulation_index_dir(tmp_path_factory) -> Path:
    """A small index (the regulation's chapter five and a format notice) for the chat, ask and UI tests."""
    from chat_helpers import build_regulation_index

    return build_regulation_index(tmp_path_factory.mktemp("regulation-index"))


# ------------------------------------------------------------------ review databases

PG_MISSING = ("needs a PostgreSQL server named by NIANBAO_TEST_DATABASE_URL "
              "(.ci/run starts one with .ci/postgres; locally: .ci/postgres start /tmp/pg)")


def _admin(url: str):
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url).set(drivername="postgresql")
    conninfo = u.set(database="postgres").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=True), u


@pytest.fixture(params=["sqlite", "postgresql"])
def review_store(request, tmp_path):
    """A new, empty review database: SQLite, then PostgreSQL on the server NIANBAO_TEST_DATABASE_URL names
    (a database made for the test and dropped after it); without that variable the second case is skipped."""
    from assistant.review.store import Store

    if request.param == "sqlite":
        store = Store(f"sqlite:///{tmp_path / 'review.sqlite3'}")
        yield store
        store.close()
        return
    url = os.environ.get("NIANBAO_TEST_DATABASE_URL")
    if not url:
        pytest.skip(PG_MISSING)
    admin, base = _admin(url)
    name = f"nianbao_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    store = Store(base.set(database=name).render_as_string(hide_password=False))
    assert store.kind == "postgresql"
    try:
        yield store
    finally:
        store.close()
        admin, _ = _admin(url)
        with admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
