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
