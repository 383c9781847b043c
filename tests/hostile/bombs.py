"""Hostile files, made at test time from the project's own reference reports.

Each maker writes into a folder the test owns and returns the path. The
Office files start from a real one (a reference report's .docx, a register
written with openpyxl) and change one part, so everything but the attack is
what a reader normally sees.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterable, Iterator, Optional

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "evals" / "reference"
DOCX = REFERENCE / "qinghe-city-2023" / "report.docx"
TEXT = REFERENCE / "qinghe-city-2023" / "report.txt"
FACTS = REFERENCE / "qinghe-city-2023" / "report.yaml"
MIB = 1024 * 1024

LAUGHS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]>\n")


def rezip(source: Path, target: Path, replace: dict[str, Optional[Iterable[bytes]]],
          extra: Iterable[tuple[str, Iterable[bytes]]] = ()) -> Path:
    """``source`` with the parts in ``replace`` rewritten (None: dropped) and ``extra`` parts added, streamed."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                chunks = replace[info.filename]
                if chunks is not None:
                    _stream(zout, info.filename, chunks)
            else:
                zout.writestr(info.filename, zin.read(info.filename))
        for name, chunks in extra:
            _stream(zout, name, chunks)
    return target


def _stream(zout: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> None:
    with zout.open(name, "w", force_zip64=True) as fh:
        for chunk in chunks:
            fh.write(chunk)


def _document(body: Iterable[bytes]) -> Iterator[bytes]:
    """The reference report's document.xml with ``body`` put before the report's own content."""
    with zipfile.ZipFile(DOCX) as z:
        xml = z.read("word/document.xml")
    start = xml.index(b"<w:body>") + len(b"<w:body>")
    yield xml[:start]
    yield from body
    yield xml[start:]


def repeat(piece: bytes, count: int, chunk: int = 4 * MIB) -> Iterator[bytes]:
    per = max(1, chunk // len(piece))
    block = piece * per
    while count >= per:
        yield block
        count -= per
    if count:
        yield piece * count


def docx_paragraphs(target: Path, count: int) -> Path:
    """A Word file of ``count`` empty paragraphs (six million: a few hundred KB packed)."""
    return rezip(DOCX, target, {"word/document.xml": _document(repeat(b"<w:p/>", count))})


def docx_huge_text(target: Path, size: int) -> Path:
    """A Word file whose one paragraph holds ``size`` bytes of text (1 GiB: about 1 MB packed)."""
    body = [b"<w:p><w:r><w:t>", *repeat(b"A" * 1024, size // 1024), b"</w:t></w:r></w:p>"]
    return rezip(DOCX, target, {"word/document.xml": _document(body)})


def docx_huge_member(target: Path, size: int) -> Path:
    """A sound Word file carrying one more part of ``size`` bytes (an embedded file nobody reads)."""
    return rezip(DOCX, target, {}, extra=[("word/media/blob.bin", repeat(b"\0" * 1024, size // 1024))])


def docx_laughs(target: Path) -> Path:
    """A Word file whose document.xml declares nested entities and uses the largest ("billion laughs")."""
    with zipfile.ZipFile(DOCX) as z:
        xml = z.read("word/document.xml")
    body_at = xml.index(b"<w:body>") + len(b"<w:body>")
    root_at = xml.index(b"<w:document")
    bomb = LAUGHS + xml[root_at:body_at] + b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>" + xml[body_at:]
    return rezip(DOCX, target, {"word/document.xml": [bomb]})


def docx_parts(target: Path, count: int) -> Path:
    """A Word file with ``count`` extra tiny parts."""
    return rezip(DOCX, target, {}, extra=[(f"customXml/extra{i}.xml", [b"<a/>"]) for i in range(count)])


def register(target: Path) -> Path:
    """A small, countable register (XLSX) written with openpyxl."""
    from datetime import date

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["编号", "收到申请日期", "申请人类型", "办理结果", "答复日期"])
    for i in range(1, 21):
        ws.append([f"A{i}", date(2023, 3, i), "公民", "予以公开", date(2023, 4, i)])
    wb.save(target)
    return target


def register_bomb(target: Path, kind: str) -> Path:
    """A register whose workbook carries a bomb: a 1 GiB sheet, entity laughs in its strings, or 2,000 parts."""
    plain = register(target.with_name("plain-" + target.name))
    if kind == "sheet":
        rows = repeat(b'<row><c t="inlineStr"><is><t>x</t></is></c></row>', (1024 * MIB) // 52)
        sheet = [b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                 b'spreadsheetml/2006/main"><sheetData>', *rows, b"</sheetData></worksheet>"]
        return rezip(plain, target, {"xl/worksheets/sheet1.xml": sheet})
    if kind == "laughs":
        with zipfile.ZipFile(plain) as z:
            names = z.namelist()
        strings = LAUGHS + (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
                            b'uniqueCount="1"><si><t>&lol9;</t></si></sst>')
        part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else "xl/styles.xml"
        if part == "xl/styles.xml":
            with zipfile.ZipFile(plain) as z:
                styles = z.read(part)
            strings = LAUGHS + styles[styles.index(b"<styleSheet"):]
        return rezip(plain, target, {part: [strings]})
    if kind == "parts":
        return rezip(plain, target, {}, extra=[(f"customXml/extra{i}.xml", [b"<a/>"]) for i in range(2000)])
    raise ValueError(kind)


def yaml_laughs(levels: int = 9, width: int = 9) -> str:
    """A few hundred bytes of YAML that expand to ``width ** levels`` values (billion laughs)."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    lines.append(f"agency: *a{levels - 1}")
    lines.append("year: 2023")
    return "\n".join(lines) + "\n"


def pdf(target: Path, contents: list[bytes]) -> Path:
    """A minimal PDF with one page per content stream (each Flate-packed), in Helvetica."""
    import zlib

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font = 3 + 2 * len(contents)
    for content in contents:
        page, stream = len(objects) + 1, len(objects) + 2
        kids.append(b"%d 0 R" % page)
        packed = zlib.compress(content, 9)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (stream, font))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(contents)
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    target.write_bytes(bytes(out))
    return target


def pdf_text(count: int) -> bytes:
    """A page content drawing ``count`` short strings of ten letters."""
    return b"BT /F1 12 Tf 10 800 Td " + b"(AAAAAAAAAA) Tj " * count + b"ET"
