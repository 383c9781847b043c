from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
LINZI = REALDATA / "linzi-district-office-2019.txt"
HUAIAN = REALDATA / "huaian-city-2024.pdf"


@pytest.fixture(scope="session")
def linzi():
    from assistant.parse import parse_file

    return parse_file(LINZI)


@pytest.fixture(scope="session")
def huaian():
    from assistant.parse import parse_file

    return parse_file(HUAIAN)


@pytest.fixture(scope="session")
def default_index_dir(tmp_path_factory) -> Path:
    """The default index built from corpus/ once per test run (about a minute on two cores).

    The retrieval tests and `nianbao eval --suite all` search the same folder;
    neither changes what it holds.
    """
    from assistant.retrieve import Index

    d = tmp_path_factory.mktemp("nianbao-index")
    results = Index(data_dir=d).build_default()
    assert sum(r.added for r in results) > 200
    return d
