"""Bad input gets one clear Chinese error and never another exception."""

import random
import subprocess
import sys

import pytest
from conftest import HUAIAN, LINZI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.parse import MAX_BYTES, ReadError, parse_bytes, parse_file


def chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


@pytest.mark.parametrize(
    "data, name, words",
    [
        (b"", "empty.txt", "空"),
        (b"   \n\n\t ", "blank.txt", "空"),
        (b"%PDF-1.4\n%broken", "broken.pdf", "PDF"),
        (b"PK\x03\x04garbage", "report.docx", "Word"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc", ".docx"),
        (bytes(range(256)) * 20, "image.png", "格式"),
        ("今天天气很好，我们去公园散步。\n没有任何表格。".encode(), "note.txt", "不是一份政府信息公开工作年度报告"),
        (b"<html><body><p>hello</p></body></html>", "page.html", "不是一份政府信息公开工作年度报告"),
        (b"not a pdf at all", "fake.pdf", "PDF"),
    ],
)
def test_unreadable_input_gets_a_chinese_error(data, name, words):
    with pytest.raises(ReadError) as e:
        parse_bytes(data, name)
    assert chinese(e.value.message) and words in e.value.message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReadError, match="找不到文件"):
        parse_file(tmp_path / "nope.txt")
    with pytest.raises(ReadError, match="文件夹"):
        parse_file(tmp_path)


def test_huge_upload_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(ReadError, match="过大"):
        parse_file(big)


@pytest.mark.realdata
def test_gbk_and_bom_text_read_the_same_as_utf8():
    text = LINZI.read_text(encoding="utf-8")
    plain = parse_bytes(text.encode("utf-8"), "a.txt")
    for data in (text.encode("gbk"), text.encode("gb18030"), b"\xef\xbb\xbf" + text.encode("utf-8")):
        other = parse_bytes(data, "b.txt")
        assert other.table3 == plain.table3 and other.agency == plain.agency


@pytest.mark.realdata
def test_a_truncated_pdf_is_an_error_not_a_crash():
    data = HUAIAN.read_bytes()
    for cut in (100, 5000, len(data) // 2):
        with pytest.raises(ReadError):
            parse_bytes(data[:cut], "cut.pdf")


def test_cli_exit_status_and_message(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "parse", str(empty)], capture_output=True, text=True)
    assert r.returncode == 2 and "空" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.realdata
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_truncated_and_shuffled_reports_never_raise_other_errors(data):
    lines = LINZI.read_text(encoding="utf-8").split("\n")
    how = data.draw(st.sampled_from(["truncate", "shuffle", "drop", "garble"]))
    if how == "truncate":
        lines = lines[: data.draw(st.integers(0, len(lines)))]
    elif how == "shuffle":
        random.Random(data.draw(st.integers(0, 10**6))).shuffle(lines)
    elif how == "drop":
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(i, len(lines)))
        del lines[i:j]
    else:
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i] = data.draw(st.text(max_size=60))
    try:
        report = parse_bytes("\n".join(lines).encode("utf-8"), "fuzz.txt")
    except ReadError as e:
        assert chinese(e.message)
    else:
        assert report.edition in ("2019", "2021")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["x.txt", "x.md", "x.html", "x.pdf", "x.docx", "x"]))
def test_garbage_bytes_never_raise_other_errors(data, name):
    try:
        parse_bytes(data, name)
    except ReadError as e:
        assert chinese(e.message)
