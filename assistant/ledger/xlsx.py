"""Rows of an XLSX workbook, streamed.

openpyxl reads the workbook's structure (sheet names and paths, shared
strings, which cell styles are dates, the date epoch) in read-only mode; the
sheets' rows are streamed from their XML with expat. openpyxl's own
read-only row reader takes 10–16 s for 100,000 rows of ten columns on this
project's machine (it also scans a whole sheet that lacks a <dimension>),
the expat stream about 2.5 s, and the register benchmark needs 5 s in all.

Cached formula results are read as values; no formula is ever evaluated.

Before openpyxl opens the file, its zip directory is checked against the
limits (``assistant.limits``: parts, unpacked size, each part read whole) and
every XML part but the worksheets is streamed once to refuse a document type
declaration; the worksheets' own stream stops at one too. No entity is ever
expanded.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator, Optional
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, from_excel

from .. import limits
from .dates import EXCEL_1900, EXCEL_1904
from .errors import LedgerError

_DIGITS = "0123456789"
_EMPTY_IS_NONE = frozenset((None, "n", "s"))


def _worksheet(name: str) -> bool:
    """Worksheets are streamed row by row, so they are bounded by the unpacked total, not the part limit."""
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def check_workbook(path) -> None:
    """The workbook's zip directory and its XML are within the limits, before openpyxl reads any of it."""
    what = f"Excel 文件“{Path(path).name}”"
    try:
        book = limits.open_zip(Path(path), what, streamed=_worksheet, error=LedgerError)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise LedgerError(f"无法读取这个 Excel 文件（{type(exc).__name__}），文件可能已损坏或不是 .xlsx 格式") from None
    with book:
        parts = [i.filename for i in book.infolist() if limits.is_xml_part(i.filename) and not _worksheet(i.filename)]
        try:
            limits.scan_xml(book, parts, what, count=False, error=LedgerError)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
            raise LedgerError(f"{what}已损坏，无法读取") from None


@dataclass
class XlsxSheet:
    name: str
    path: str  # inside the archive


class XlsxBook:
    """An open workbook; ``rows(sheet)`` yields each row as a tuple of values."""

    def __init__(self, path, max_columns: int) -> None:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet

        self.max_columns = max_columns
        check_workbook(path)
        try:
            # Only the workbook part is read here (no worksheet is parsed).
            reader = ExcelReader(str(path), read_only=True, data_only=True, keep_links=False)
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            reader.read_theme()
            apply_stylesheet(reader.archive, reader.wb)
        except LedgerError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise LedgerError(f"无法读取这个 Excel 文件（{type(exc).__name__}），文件可能已损坏或不是 .xlsx 格式") from None
        self._archive: zipfile.ZipFile = reader.archive
        wb = reader.wb
        self.epoch: date = EXCEL_1904 if wb.epoch == CALENDAR_MAC_1904 else EXCEL_1900
        self._wb_epoch = wb.epoch
        self._strings = list(reader.shared_strings)
        self._date_styles = frozenset(wb._date_formats)
        self.sheets: list[XlsxSheet] = []
        for sheet, rel in reader.parser.find_sheets():
            if rel.Type.endswith("/worksheet"):
                self.sheets.append(XlsxSheet(sheet.name, rel.target))

    def close(self) -> None:
        self._archive.close()

    def rows(self, sheet: XlsxSheet) -> Iterator[tuple]:
        # The sheet's size was checked with the whole workbook (check_workbook).
        try:
            self._archive.getinfo(sheet.path)
        except KeyError:
            raise LedgerError(f"工作表“{sheet.name}”在文件中缺失，文件可能已损坏") from None
        stream = _SheetStream(self._strings, self._date_styles, self._wb_epoch, self.max_columns)
        with self._archive.open(sheet.path) as f:
            parser = stream.parser()
            limits.refuse_dtd(parser, f"工作表“{sheet.name}”", LedgerError)
            while True:
                chunk = f.read(1 << 16)
                if not chunk:
                    break
                try:
                    parser.Parse(chunk, False)
                except expat.ExpatError:
                    raise LedgerError(f"工作表“{sheet.name}”的内容已损坏，无法读取") from None
                if stream.ready:
                    yield from stream.ready
                    stream.ready = []
            try:
                parser.Parse(b"", True)
            except expat.ExpatError:
                raise LedgerError(f"工作表“{sheet.name}”的内容不完整，无法读取") from None
            yield from stream.ready


class _SheetStream:
    """expat handlers that turn <row><c r= t= s=><v>…</v></c></row> into tuples."""

    def __init__(self, strings: list, date_styles: frozenset, epoch, max_columns: int) -> None:
        self.strings = strings
        self.date_styles = date_styles
        self.epoch = epoch
        self.max_columns = max_columns
        self.ready: list[tuple] = []
        self._row_no = 0
        self._cells: dict[int, object] = {}
        self._col = 0
        self._type: Optional[str] = None
        self._style = 0
        self._raw: Optional[str] = None  # the text of the cell being read
        self._text = False
        self._in_is = False
        self._names: dict[str, str] = {}
        self._columns: dict[str, int] = {}

    def parser(self):
        p = expat.ParserCreate(namespace_separator=None)
        p.buffer_text = True
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._data
        return p

    def _tag(self, name: str) -> str:
        tag = self._names.get(name)
        if tag is None:
            tag = self._names[name] = name.rsplit(":", 1)[-1]  # "x:c" in files that prefix the namespace
        return tag

    # The handlers run for every element of a sheet (2.7 million for 100,000 rows), so the two
    # frequent tags, "c" and "v", are tested first by name and the text of a cell is kept as one
    # string; anything else goes through the prefix-stripping lookup.

    def _start(self, name, attrs):
        if name == "v":
            self._text = True
            return
        tag = name if name == "c" else (self._names.get(name) or self._tag(name))
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip(_DIGITS)
                col = self._columns.get(letters)
                if col is None:
                    col = self._columns[letters] = column_index_from_string(letters)
                self._col = col
            else:
                self._col += 1
            self._type = attrs.get("t")
            s = attrs.get("s")
            self._style = int(s) if s else 0
            self._raw = None
        elif tag == "v":
            self._text = True
        elif tag == "t":
            self._text = self._in_is
        elif tag == "is":
            self._in_is = True
        elif tag == "rPh":
            self._text = False  # phonetic guide text is not the cell's value
        elif tag == "row":
            r = attrs.get("r")
            number = int(r) if r else self._row_no + 1
            # Rows the file leaves out are empty rows.
            while self._row_no + 1 < number:
                self._row_no += 1
                self.ready.append(())
            self._row_no = number
            self._cells = {}
            self._col = 0

    def _end(self, name):
        if name == "v":
            self._text = False
            return
        tag = name if name == "c" else (self._names.get(name) or self._tag(name))
        if tag == "c":
            if self._col <= self.max_columns:
                raw = self._raw
                # An empty number or shared-string cell is no value; other types decide for themselves.
                if raw is not None or self._type not in _EMPTY_IS_NONE:
                    value = self._value(raw or "")
                    if value is not None:
                        self._cells[self._col] = value
        elif tag == "v" or tag == "t":
            self._text = False
        elif tag == "is":
            self._in_is = False
        elif tag == "row":
            cells = self._cells
            if cells:
                width = max(cells)
                self.ready.append(tuple(cells.get(i) for i in range(1, width + 1)))
            else:
                self.ready.append(())

    def _data(self, text):
        if self._text:
            raw = self._raw
            self._raw = text if raw is None else raw + text

    def _value(self, raw: str):
        t = self._type
        if t == "s":
            try:
                v = self.strings[int(raw)]
            except (ValueError, IndexError):
                return None
            return v if v != "" else None
        if t in ("inlineStr", "str"):
            return raw if raw != "" else None
        if t == "b":
            return raw == "1"
        if t == "e":
            return raw or None  # "#N/A": read as text, never as a figure
        if raw == "":
            return None
        try:
            number = float(raw)
        except ValueError:
            return raw
        if self._style in self.date_styles:
            try:
                return from_excel(number, self.epoch)
            except (ValueError, OverflowError):
                return number
        return int(number) if number.is_integer() else number
