"""Every limit on what one input may cost, checked before the work, in one place.

Before a reader spends memory or time on an input, the checks here look at
what the input declares — a file's size, a zip's directory (read before
anything is unpacked), the paragraphs and elements of an XML part (counted
while streaming it), a PDF's pages and the unpacked size of a page's content,
a YAML file's size once its aliases are expanded, a figure's value — and
refuse what is over a limit with a Chinese message naming the limit and the
setting that changes it.

The limits are settings (``assistant.settings``, ``NIANBAO_MAX_*`` and
``NIANBAO_LEDGER_MAX_*``). Each check takes the error its caller raises (a
report's reader ``ReadError``, the ledger ``LedgerError``, a facts file
``FactsError``), so the messages reach people through each caller's own path.

XML inside Office files is never allowed a document type declaration: Word
and Excel never write one, and it is where entity expansion ("billion
laughs") and external entities live.
"""

from __future__ import annotations

import io
import math
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Optional, Union

from .errors import NianbaoError, ReadError
from .settings import get_settings

MB = 1024 * 1024
ErrorFactory = Callable[[str], NianbaoError]


def read_error(message: str) -> NianbaoError:
    """The error of a report's readers for anything over a limit."""
    return ReadError(message, "too_large")


@dataclass(frozen=True)
class Limits:
    document_bytes: int
    text_chars: int
    paragraphs: int
    pdf_pages: int
    pdf_text: int
    zip_members: int
    unzipped_bytes: int
    part_bytes: int
    xml_elements: int
    yaml_nodes: int
    figure: float
    ledger_bytes: int
    ledger_rows: int
    ledger_columns: int
    ledger_sheets: int


def current() -> Limits:
    """The limits of the current settings."""
    s = get_settings()
    return Limits(
        document_bytes=int(s.max_document_mb * MB),
        text_chars=s.max_text_chars,
        paragraphs=s.max_paragraphs,
        pdf_pages=s.max_pdf_pages,
        pdf_text=s.max_pdf_text,
        zip_members=s.max_zip_members,
        unzipped_bytes=int(s.max_unzipped_mb * MB),
        part_bytes=int(s.max_part_mb * MB),
        xml_elements=s.max_xml_elements,
        yaml_nodes=s.max_yaml_nodes,
        figure=s.max_figure,
        ledger_bytes=int(s.ledger_max_mb * MB),
        ledger_rows=s.ledger_max_rows,
        ledger_columns=s.ledger_max_columns,
        ledger_sheets=s.ledger_max_sheets,
    )


def _mb(n: float) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def _count(n: float) -> str:
    return f"{n:,.0f}"


def over(what: str, found: Optional[str], limit: str, setting: str, error: ErrorFactory) -> NianbaoError:
    """The error for ``what`` (``found``, when known) over ``limit``; the message names the setting."""
    amount = f"（{found}）" if found else ""
    return error(f"{what}{amount}超过上限 {limit}，未读取（上限可由环境变量 {setting} 调整）。")


# ------------------------------------------------------------------ sizes and text


def check_size(size: int, what: str = "文件", *, limit: Optional[int] = None,
               setting: str = "NIANBAO_MAX_DOCUMENT_MB", error: ErrorFactory = read_error) -> None:
    """A file of ``size`` bytes (a report by default) is not over its limit."""
    cap = current().document_bytes if limit is None else limit
    if size > cap:
        raise error(f"{what}过大（{size / MB:.1f} MB），超过上限 {_mb(cap)}，未读取（上限可由环境变量 {setting} 调整）。")


def check_text(text: str, error: ErrorFactory = read_error) -> None:
    """A text report's characters and lines, before it is laid out."""
    lim = current()
    if len(text) > lim.text_chars:
        raise over("文本字数", f"{_count(len(text))} 字", f"{_count(lim.text_chars)} 字", "NIANBAO_MAX_TEXT_CHARS", error)
    lines = text.count("\n") + 1
    if lines > lim.paragraphs:
        raise over("文本行数", f"{_count(lines)} 行", f"{_count(lim.paragraphs)} 行", "NIANBAO_MAX_PARAGRAPHS", error)


def check_blocks(count: int, error: ErrorFactory = read_error) -> None:
    """Paragraphs and tables a reader laid out, before they are assembled into a report."""
    lim = current()
    if count > lim.paragraphs:
        raise over("段落数", f"{_count(count)} 段", f"{_count(lim.paragraphs)} 段", "NIANBAO_MAX_PARAGRAPHS", error)


def check_pdf_pages(pages: int, counted_all: bool = True, error: ErrorFactory = read_error) -> None:
    """A PDF's page count (``counted_all`` False: counting stopped once past the limit)."""
    lim = current()
    if pages > lim.pdf_pages:
        found = f"{_count(pages)} 页" if counted_all else None
        raise over("PDF 页数", found, f"{_count(lim.pdf_pages)} 页", "NIANBAO_MAX_PDF_PAGES", error)


def check_pdf_text(count: int, error: ErrorFactory = read_error) -> None:
    """Bytes of text a PDF's pages draw so far (laying out each glyph costs about a kilobyte and 0.1 ms)."""
    lim = current()
    if count > lim.pdf_text:
        raise over("PDF 页面中的文字量", None, f"{_count(lim.pdf_text)} 字节", "NIANBAO_MAX_PDF_TEXT", error)


def check_inflated(raw: bytes, what: str, error: ErrorFactory = read_error) -> None:
    """A zlib (Flate) stream unpacks to no more than the part limit; unpacked in steps, never whole."""
    cap = current().part_bytes
    inflater = zlib.decompressobj()
    total = 0
    data = raw
    try:
        while data:
            chunk = inflater.decompress(data, 1 << 20)
            total += len(chunk)
            if total > cap:
                raise over(f"{what}解压后的大小", None, _mb(cap), "NIANBAO_MAX_PART_MB", error)
            data = inflater.unconsumed_tail
            if not chunk and not data:
                break
    except zlib.error:
        return  # a broken stream: the reader reports it as it always has


# ------------------------------------------------------------------ figures


def check_figure(value: Union[int, float], where: str, error: ErrorFactory) -> None:
    """A figure is a finite number within the sane range (``NIANBAO_MAX_FIGURE``)."""
    if isinstance(value, float) and not math.isfinite(value):
        kind = "非数（NaN）" if math.isnan(value) else "无穷大"
        raise error(f"{where}：数值为{kind}，不是有效的数字。")
    cap = current().figure
    try:
        big = abs(value) > cap
    except OverflowError:  # an int too large for a float comparison
        big = True
    if big:
        digits = len(str(abs(int(value)))) if isinstance(value, int) else None
        shown = f"{digits} 位数" if digits and digits > 18 else f"{value:g}" if isinstance(value, float) else str(value)
        raise error(f"{where}：数值 {shown} 超出合理范围（绝对值不超过 {cap:g}，环境变量 NIANBAO_MAX_FIGURE）。")


# ------------------------------------------------------------------ zip containers (.docx, .xlsx)

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"


def _declared_members(fh: BinaryIO) -> Optional[int]:
    """The member count the zip's end record declares, read before zipfile builds its directory."""
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    tail_len = min(size, 22 + 65535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or at + 22 > len(tail):
        return None
    entries = struct.unpack_from("<H", tail, at + 10)[0]
    if entries != 0xFFFF:
        return int(entries)
    loc = at - 20
    if loc < 0 or tail[loc:loc + 4] != _ZIP64_LOCATOR:
        return None
    offset = struct.unpack_from("<Q", tail, loc + 8)[0]
    if offset + 56 > size:
        return None
    fh.seek(offset)
    record = fh.read(56)
    if record[:4] != _ZIP64_EOCD:
        return None
    return int(struct.unpack_from("<Q", record, 32)[0])


def open_zip(source: Union[bytes, Path], what: str, *, streamed: Callable[[str], bool] = lambda name: False,
             error: ErrorFactory = read_error) -> zipfile.ZipFile:
    """The zip open, once its directory shows it is within the limits.

    Members, the unpacked total and each part read whole (every part but those
    ``streamed``) are checked against what the directory declares; Python's
    zipfile never unpacks more than a member declares (it stops and fails the
    checksum), so the declared sizes bound the work.
    """
    lim = current()

    def handle() -> BinaryIO:
        return io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else open(source, "rb")

    with handle() as fh:
        declared = _declared_members(fh)
    if declared is not None and declared > lim.zip_members:
        raise over(f"{what}包含的部件数", f"{_count(declared)} 个", f"{_count(lim.zip_members)} 个",
                   "NIANBAO_MAX_ZIP_MEMBERS", error)
    # Over its own buffer, or opened by name: closing the zip closes the file.
    zf = zipfile.ZipFile(source if isinstance(source, Path) else handle())
    infos = zf.infolist()
    try:
        if len(infos) > lim.zip_members:
            raise over(f"{what}包含的部件数", f"{_count(len(infos))} 个", f"{_count(lim.zip_members)} 个",
                       "NIANBAO_MAX_ZIP_MEMBERS", error)
        total = 0
        for info in infos:
            total += info.file_size
            if total > lim.unzipped_bytes:
                raise over(f"{what}解压后的大小", None, _mb(lim.unzipped_bytes),
                           "NIANBAO_MAX_UNZIPPED_MB", error)
            if info.file_size > lim.part_bytes and not streamed(info.filename):
                raise over(f"{what}中的部件“{info.filename}”解压后", _mb(info.file_size), _mb(lim.part_bytes),
                           "NIANBAO_MAX_PART_MB", error)
    except NianbaoError:
        zf.close()
        raise
    return zf


def is_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
# An element's start tag: "<" then a (possibly prefixed) name; not "</", "<?" or "<!".
_START = re.compile(rb"<[A-Za-z_]")
# A paragraph: any element whose local name is "p" (w:p in WordprocessingML, a:p in drawings).
_PARAGRAPH = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?p[\s/>]")
_CHUNK = 1 << 20
_OVERLAP = 64


@dataclass
class XmlCounts:
    elements: int = 0
    paragraphs: int = 0


def scan_xml(zf: zipfile.ZipFile, names: Iterable[str], what: str, *, count: bool = True,
             error: ErrorFactory = read_error) -> XmlCounts:
    """Stream the XML parts ``names``: refuse a DTD, and count elements and paragraphs against the limits.

    Counting is done on the raw bytes, a chunk at a time, so a part with six
    million empty paragraphs is refused after reading a few MB of it and
    nothing is built in memory. (Text inside CDATA could only be counted as
    extra elements: the count errs on the strict side.)
    """
    lim = current()
    counts = XmlCounts()

    def tally(data: bytes, cut: int) -> None:
        counts.elements += sum(1 for m in _START.finditer(data) if m.start() < cut)
        counts.paragraphs += sum(1 for m in _PARAGRAPH.finditer(data) if m.start() < cut)
        if counts.paragraphs > lim.paragraphs:
            raise over(f"{what}的段落数", None, f"{_count(lim.paragraphs)} 段",
                       "NIANBAO_MAX_PARAGRAPHS", error)
        if counts.elements > lim.xml_elements:
            raise over(f"{what}的 XML 元素数", None, f"{_count(lim.xml_elements)} 个",
                       "NIANBAO_MAX_XML_ELEMENTS", error)

    for name in names:
        with zf.open(name) as fh:
            carry = b""
            while True:
                chunk = fh.read(_CHUNK)
                data = carry + chunk
                if _DTD.search(data):
                    raise error(f"{what}中的“{name}”含有文档类型声明（DTD），Office 文件不会有，"
                                "可能是恶意构造的文件，未读取。")
                if not chunk:
                    if count:
                        tally(data, len(data))
                    break
                # Matches starting in the last bytes are counted with the next chunk, which begins with them.
                cut = max(0, len(data) - _OVERLAP)
                if count:
                    tally(data, cut)
                carry = data[cut:]
    return counts


def refuse_dtd(parser: Any, what: str, error: ErrorFactory) -> None:
    """Make an expat ``parser`` stop at a document type declaration (entities live there)."""

    def stop(*_args: Any) -> None:
        raise error(f"{what}含有文档类型声明（DTD），Office 文件不会有，可能是恶意构造的文件，未读取。")

    parser.StartDoctypeDeclHandler = stop
    parser.EntityDeclHandler = stop


# ------------------------------------------------------------------ YAML


def check_yaml_node(node: Any, what: str, error: ErrorFactory) -> None:
    """A composed YAML document holds at most ``NIANBAO_MAX_YAML_NODES`` values once aliases are expanded.

    Aliases share nodes, so the size is counted per distinct node (iteratively,
    never expanding anything); a node that contains itself is refused too.
    """
    from yaml.nodes import MappingNode, SequenceNode

    cap = current().yaml_nodes
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current_node, done = stack.pop()
        key = id(current_node)
        if done:
            on_path.discard(key)
            if isinstance(current_node, SequenceNode):
                children = current_node.value
            elif isinstance(current_node, MappingNode):
                children = [n for pair in current_node.value for n in pair]
            else:
                children = []
            size = 1 + sum(sizes[id(c)] for c in children)
            sizes[key] = size
            if size > cap:
                raise error(f"{what}展开别名（&/*）后超过 {_count(cap)} 个值的上限，可能是恶意构造的文件，未读取"
                            "（环境变量 NIANBAO_MAX_YAML_NODES）。")
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise error(f"{what}中的别名（&/*）引用了自身，无法读取。")
        on_path.add(key)
        stack.append((current_node, True))
        if isinstance(current_node, SequenceNode):
            stack.extend((c, False) for c in current_node.value if id(c) not in sizes)
        elif isinstance(current_node, MappingNode):
            stack.extend((c, False) for pair in current_node.value for c in pair if id(c) not in sizes)
