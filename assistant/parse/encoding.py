"""Which encoding a text report is in: UTF-8, GBK/GB18030, UTF-16 or UTF-32 are read; Big5 is named.

Windows' "Unicode" text is UTF-16 (often without a byte order mark); a few
tools write UTF-32. Both are recognised by their byte order mark or by where
the zero bytes fall (ASCII characters — digits, spaces, line ends, which every
report has — leave zeros in fixed positions of each code unit). GB18030
decodes almost any byte sequence, so Big5 (traditional Chinese) is told apart
from it by what the text says: a report's own words ("年度報告", "政府資訊公開")
are found in one decoding and not the other. The reader takes simplified
Chinese only, so a Big5 report is refused with its encoding named.
"""

from __future__ import annotations

import codecs
import re
from typing import Optional

from .layout import ReadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 8192
# Words every annual report on disclosure has, in simplified and in traditional characters.
_SIMPLIFIED = re.compile(r"政府信息公开|年度报告|总体情况|依申请公开|行政复议")
_TRADITIONAL = re.compile(r"政府(?:信息|資訊)公開|年度報告|總體情況|依申請公開|行政複議")
NAMES = {"utf-8": "UTF-8", "gb18030": "GBK/GB18030", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
         "utf-32-le": "UTF-32", "utf-32-be": "UTF-32", "big5": "Big5（繁体中文）"}


def wide_unicode(data: bytes) -> Optional[str]:
    """The encoding when ``data`` is UTF-16 or UTF-32 (by byte order mark or zero-byte pattern), else None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name if name != "utf-8" else None
    sample = data[:_SAMPLE]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    n4 = len(sample) // 4 * 4
    zeros = [0, 0, 0, 0]
    for i in range(4):
        zeros[i] = sample[i:n4:4].count(0)
    units = n4 // 4
    # UTF-32: the two high bytes of every code unit are zero (everything a report holds is in the BMP).
    if zeros[2] == units and zeros[3] == units and zeros[0] < units:
        return "utf-32-le"
    if zeros[0] == units and zeros[1] == units and zeros[3] < units:
        return "utf-32-be"
    even, odd = zeros[0] + zeros[2], zeros[1] + zeros[3]
    # UTF-16: ASCII characters leave a zero in the high byte; CJK characters leave none.
    if odd and even * 4 <= odd:
        return "utf-16-le"
    if even and odd * 4 <= even:
        return "utf-16-be"
    return None


def looks_like_text(data: bytes) -> bool:
    """True when ``data`` is UTF-16 or UTF-32 text that decodes cleanly (so its zero bytes are not binary)."""
    name = wide_unicode(data)
    if name is None:
        return False
    sample = _strip_bom(data, name)[:_SAMPLE]
    unit = 4 if name.startswith("utf-32") else 2
    try:
        text = sample[:len(sample) // unit * unit].decode(name)
    except UnicodeDecodeError:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= len(text) // 100


def _strip_bom(data: bytes, name: str) -> bytes:
    for bom, bom_name in _BOMS:
        if bom_name == name and data.startswith(bom):
            return data[len(bom):]
    return data


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text document; a ``ReadError`` naming the encoding when it is not one the reader takes."""
    wide = wide_unicode(data)
    if wide is not None:
        try:
            return _strip_bom(data, wide).decode(wide), wide
        except UnicodeDecodeError:
            raise ReadError(f"文件看似 {NAMES[wide]} 编码，但内容有损坏的字符，无法读取。", "encoding") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    gb: Optional[str]
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    if gb is None or not _SIMPLIFIED.search(gb):
        try:
            big5 = data.decode("big5")
        except UnicodeDecodeError:
            big5 = None
        if big5 is not None and _TRADITIONAL.search(big5):
            raise ReadError("文件是 Big5（繁体中文）编码：本工具只读取简体中文的报告（UTF-8、GBK/GB18030、UTF-16 或 "
                            "UTF-32 编码），请转为简体中文后再试。", "encoding")
    if gb is not None:
        return gb, "gb18030"
    raise ReadError("文件编码无法识别：不是 UTF-8、GBK/GB18030、UTF-16 或 UTF-32 文本。", "encoding")


def traditional_report(data: bytes) -> bool:
    """Whether ``data`` reads as a report in Big5 (so the reader, not a folder scan, says why it is refused)."""
    return bool(_TRADITIONAL.search(data.decode("big5", errors="ignore")))
