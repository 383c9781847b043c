"""Hostile and broken reports (issue 13): bombs, huge files, loops, odd encodings — each through the real command.

Every case runs `nianbao` in a child process with its home, temporary and
working folders in a sandbox, and checks: exit 2 with a Chinese message
naming the limit (or the right output), under 30 s, a peak under 1 GB,
nothing written outside the data directory.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import bombs
import pytest
from hostile_child import MIB, assert_bounded, assert_refused, created_outside, run

pytestmark = pytest.mark.slow  # each case runs a real command or server in a child process: seconds apiece

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.fixture()
def box(tmp_path: Path) -> Path:
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    return sandbox


def parse(box: Path, *args: str, env: dict | None = None, prelude: str = ""):
    r = run(["parse", *args], env=env, sandbox=box, prelude=prelude)
    assert created_outside(box) == []
    return r


# ------------------------------------------------------------------ Word bombs


@pytest.mark.slow
def test_six_million_empty_paragraphs_are_refused_from_the_directory(box, tmp_path):
    bomb = bombs.docx_paragraphs(tmp_path / "paragraphs.docx", 6_000_000)
    assert bomb.stat().st_size < 1 * MIB
    r = parse(box, str(bomb))
    assert_refused(r, "word/document.xml", "超过上限 32 MB", "NIANBAO_MAX_PART_MB")
    assert r.seconds < 10 and r.peak_bytes < 300 * MIB


def test_paragraphs_over_the_limit_are_counted_while_streaming_not_loaded(box, tmp_path):
    bomb = bombs.docx_paragraphs(tmp_path / "paragraphs.docx", 500_000)  # 3 MB of XML: under the part limit
    r = parse(box, str(bomb))
    assert_refused(r, "段落数超过上限 100,000 段", "NIANBAO_MAX_PARAGRAPHS")
    assert r.peak_bytes < 300 * MIB
    # The limit is a setting: raised, the same file is read.
    r = parse(box, str(bomb), "--format", "json", env={"NIANBAO_MAX_PARAGRAPHS": "600000"})
    assert r.code == 0, r.err
    assert json.loads(r.out)["agency"] == "青禾市人民政府"


@pytest.mark.slow
def test_a_1_gib_text_member_is_refused_before_it_is_unpacked(box, tmp_path):
    bomb = bombs.docx_huge_text(tmp_path / "text.docx", 1024 * MIB)
    assert bomb.stat().st_size < 8 * MIB
    r = parse(box, str(bomb))
    assert_refused(r, "解压后的大小超过上限 256 MB", "NIANBAO_MAX_UNZIPPED_MB")
    assert r.peak_bytes < 300 * MIB


@pytest.mark.slow
def test_a_1_gib_embedded_part_is_refused_too(box, tmp_path):
    bomb = bombs.docx_huge_member(tmp_path / "blob.docx", 1024 * MIB)
    r = parse(box, str(bomb))
    assert_refused(r, "解压后的大小超过上限 256 MB")
    assert r.peak_bytes < 300 * MIB


def test_entity_expansion_in_word_xml_is_refused(box, tmp_path):
    bomb = bombs.docx_laughs(tmp_path / "laughs.docx")
    r = parse(box, str(bomb))
    assert_refused(r, "word/document.xml", "文档类型声明（DTD）")
    assert r.peak_bytes < 300 * MIB


def test_thousands_of_parts_are_refused_from_the_end_record(box, tmp_path):
    bomb = bombs.docx_parts(tmp_path / "parts.docx", 3000)
    r = parse(box, str(bomb))
    assert_refused(r, "包含的部件数（3,018 个）超过上限 1,000 个", "NIANBAO_MAX_ZIP_MEMBERS")


# ------------------------------------------------------------------ text


@pytest.mark.slow
def test_a_49_mb_text_report_is_refused_fast_and_small(box, tmp_path):
    base = bombs.TEXT.read_bytes()
    body = base.split(b"\n", 1)[1]
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.write(base)
        while fh.tell() < 49 * MIB:
            fh.write(body)
    r = run(["check", str(big)], sandbox=box)
    assert_refused(r, "文本字数", "超过上限 2,000,000 字", "NIANBAO_MAX_TEXT_CHARS")
    assert r.seconds < 15
    assert created_outside(box) == []


def test_a_report_over_the_size_limit_is_not_read(box, tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(51 * MIB)
    r = run(["check", str(big)], sandbox=box)
    assert_refused(r, "文件过大（51.0 MB），超过上限 50 MB", "NIANBAO_MAX_DOCUMENT_MB")
    assert r.peak_bytes < 200 * MIB


# ------------------------------------------------------------------ loops and folders


@pytest.mark.parametrize("command", [["parse"], ["check"], ["draft"]])
def test_a_symlink_loop_is_named_not_a_traceback(box, tmp_path, command):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    os.symlink(b, a)
    os.symlink(a, b)
    r = run([*command, str(a)], sandbox=box)
    assert_refused(r, "符号链接循环")
    assert created_outside(box) == []


@pytest.mark.parametrize("command", [["parse"], ["draft"], ["ledger"]])
def test_a_file_the_user_may_not_read_is_said_in_chinese(box, tmp_path, command):
    """click's own check ("'x' is not readable.") reaches the user in Chinese through the one error path."""
    locked = shutil.copy(bombs.TEXT, tmp_path / "locked-2023.txt")
    os.chmod(locked, 0)
    # Run as root, os.access grants everything, so the refusal is made at its edge for this one file.
    prelude = (
        "import os\n"
        "_access = os.access\n"
        f"os.access = lambda p, m, **k: False if os.fspath(p) == {str(locked)!r} else _access(p, m, **k)\n"
    )
    r = run([*command, str(locked)], sandbox=box, prelude=prelude)
    assert_refused(r, "没有权限读取", "locked-2023.txt")
    assert "not readable" not in r.err + r.out
    assert created_outside(box) == []


def test_a_folder_lists_its_symlink_loop_and_its_unreadable_subfolder(box, tmp_path):
    folder = tmp_path / "reports"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(bombs.TEXT, folder / "qinghe-2023.txt")
    shutil.copy(bombs.TEXT, folder / "locked" / "hidden-2023.txt")
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    # Run as root, chmod 000 would not stop the listing, so the system's refusal is made at its edge:
    # listing that one folder raises PermissionError, as it does for a user without the right.
    prelude = (
        "import os\n"
        "_scandir = os.scandir\n"
        "def _refusing(path='.'):\n"
        f"    if os.fspath(path).rstrip('/') == {str(folder / 'locked')!r}:\n"
        "        raise PermissionError(13, 'Permission denied', os.fspath(path))\n"
        "    return _scandir(path)\n"
        "os.scandir = _refusing\n"
    )
    r = run(["check", str(folder), "--format", "json"], sandbox=box, prelude=prelude)
    assert r.code in (0, 1), r.err
    assert_bounded(r)
    out = json.loads(r.out)
    skipped = {Path(s["file"]).name: s["reason"] for s in out["skipped"]}
    assert skipped["locked"] == "没有权限读取这个文件夹，其中的文件未检查"
    assert skipped["loop-a.txt"] == skipped["loop-b.txt"] == "符号链接循环指向自身，找不到实际的文件"
    assert [Path(x["file"]).name for x in out["reports"]] == ["qinghe-2023.txt"]


# ------------------------------------------------------------------ encodings


def _report_json(box: Path, path: Path) -> dict:
    r = parse(box, str(path), "--format", "json")
    assert r.code == 0, r.err
    assert_bounded(r)
    return json.loads(r.out)


@pytest.mark.parametrize("encoding, bom", [
    ("utf-16-le", b"\xff\xfe"), ("utf-16-le", b""), ("utf-16-be", b"\xfe\xff"), ("utf-16-be", b""),
    ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-le", b""), ("utf-32-be", b"\x00\x00\xfe\xff"),
])
def test_utf16_and_utf32_reports_are_read_like_utf8(box, tmp_path, encoding, bom):
    text = bombs.TEXT.read_text(encoding="utf-8")
    wide = tmp_path / "wide.txt"
    wide.write_bytes(bom + text.encode(encoding))
    got, want = _report_json(box, wide), _report_json(box, bombs.TEXT)
    assert (got["agency"], got["year"]) == ("青禾市人民政府", 2023)
    assert got["table3"] == want["table3"] and got["table4"] == want["table4"]


def test_a_big5_report_is_named_as_such(box, tmp_path):
    traditional = ("某縣人民政府\n2023年政府信息公開工作年度報告\n一、總體情況\n本縣依申請公開工作穩步推進。\n"
                   "二、主動公開政府信息情況\n三、收到和處理政府信息公開申請情況\n")
    report = tmp_path / "big5.txt"
    report.write_bytes(traditional.encode("big5"))
    r = parse(box, str(report))
    assert_refused(r, "Big5（繁体中文）", "简体中文")
    # Found in a folder it is not skipped as "not a report": the reader says why.
    (tmp_path / "folder").mkdir()
    shutil.copy(report, tmp_path / "folder" / "big5.txt")
    r = run(["check", str(tmp_path / "folder")], sandbox=box)
    assert r.code == 2 and "Big5" in r.out + r.err


def test_full_width_digits_in_the_title_give_the_year_and_agency(box, tmp_path):
    text = bombs.TEXT.read_text(encoding="utf-8").replace("2023年政府信息公开工作年度报告", "２０２３年政府信息公开工作年度报告", 1)
    assert "２０２３年" in text
    report = tmp_path / "wide-year.txt"
    report.write_text(text, encoding="utf-8")
    got = _report_json(box, report)
    assert (got["agency"], got["year"]) == ("青禾市人民政府", 2023)
    assert not [p for p in got["problems"] if p["code"] == "title_missing"]


def test_a_report_without_a_title_lists_it(box, tmp_path):
    lines = bombs.TEXT.read_text(encoding="utf-8").split("\n")
    report = tmp_path / "untitled.txt"
    report.write_text("\n".join(lines[2:]), encoding="utf-8")
    got = _report_json(box, report)
    assert got["agency"] is None
    assert any(p["code"] == "title_missing" and "机关名称未能识别" in p["message"] for p in got["problems"])


@pytest.mark.skipif(not FONT.exists(), reason=f"needs Debian's fonts-noto-cjk ({FONT} is absent)")
def test_a_text_pdf_in_an_embedded_cjk_font_is_read_not_taken_for_a_scan(box, tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("noto", fname=str(FONT), collection_font_number=2)  # Noto Sans CJK SC
    pdf.add_page()
    pdf.set_font("noto", size=11)
    for line in bombs.TEXT.read_text(encoding="utf-8").splitlines():
        pdf.multi_cell(0, 6, line.replace("\t", "    ") or " ", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "fpdf-cjk.pdf"
    pdf.output(str(path))
    got = _report_json(box, path)
    assert (got["agency"], got["year"]) == ("青禾市人民政府", 2023)
    assert [s["key"] for s in got["sections"]] == ["一", "二", "三", "四", "五", "六"]
    assert got["table3"]  # its figures were read, as text


# ------------------------------------------------------------------ the data directory


def test_the_data_directory_error_names_the_folder_that_was_set(box, tmp_path):
    not_a_folder = tmp_path / "data-is-a-file"
    not_a_folder.write_text("x", encoding="utf-8")
    r = run(["search", "年度报告什么时候公布"], sandbox=box, env={"NIANBAO_DATA_DIR": str(not_a_folder)})
    assert_refused(r, str(not_a_folder))
    assert ".local/share/nianbao" not in r.err


# ------------------------------------------------------------------ PDF bombs


def test_a_pdf_drawing_half_a_million_letters_is_refused_before_layout(box, tmp_path):
    bomb = bombs.pdf(tmp_path / "text.pdf", [bombs.pdf_text(50_000)])  # 2 KB packed; 40 s and 1.2 GB to lay out
    assert bomb.stat().st_size < 8 * 1024
    r = parse(box, str(bomb))
    assert_refused(r, "PDF 页面中的文字量超过上限 120,000 字节", "NIANBAO_MAX_PDF_TEXT")
    assert r.peak_bytes < 300 * MIB and r.seconds < 10


def test_a_pdf_page_content_that_unpacks_to_gigabytes_is_refused_while_unpacking(box, tmp_path):
    bomb = bombs.pdf(tmp_path / "zeros.pdf", [b" " * (256 * MIB)])
    r = parse(box, str(bomb))
    assert_refused(r, "PDF 第 1 页的内容解压后的大小超过上限 32 MB", "NIANBAO_MAX_PART_MB")
    assert r.peak_bytes < 300 * MIB


def test_a_pdf_of_thousands_of_pages_is_refused_by_its_count(box, tmp_path):
    bomb = bombs.pdf(tmp_path / "pages.pdf", [b"BT ET"] * 2000)
    r = parse(box, str(bomb))
    assert_refused(r, "PDF 页数超过上限 300 页", "NIANBAO_MAX_PDF_PAGES")
