"""A register file as sheets of rows: XLSX (every worksheet) or CSV (UTF-8 or GBK).

The kind of file is decided by its first bytes, not its name. Work is
bounded by the limits every input has (``assistant.limits``, settings
``NIANBAO_LEDGER_MAX_*``): the file's size, the rows read, the columns kept,
the sheets; for XLSX also the zip's parts and unpacked size, read from its
directory before anything is unpacked.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional, Union

from .. import limits
from ..errors import os_reason
from .dates import EXCEL_1900
from .errors import LedgerError

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # .xls and other old Office files
_PDF = b"%PDF"


@dataclass
class RawSheet:
    name: str
    rows: list[tuple] = field(default_factory=list)  # rows[i] is the sheet's row i + 1
    epoch: date = EXCEL_1900


def read_sheets(path: Union[str, Path], max_rows: Optional[int] = None) -> list[RawSheet]:
    path = Path(path)
    lim = limits.current()
    max_rows = lim.ledger_rows if max_rows is None else max_rows
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise LedgerError(f"这是一个文件夹，不是台账文件：{path}")
        limits.check_size(size, f"台账文件“{path.name}”", limit=lim.ledger_bytes, setting="NIANBAO_LEDGER_MAX_MB",
                          error=LedgerError)
        if size == 0:
            raise LedgerError(f"台账文件是空的：{path.name}")
        with path.open("rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise LedgerError(f"找不到台账文件：{path}") from None
    except OSError as exc:
        raise LedgerError(f"无法读取台账文件 {path}（{os_reason(exc)}）") from None
    if head.startswith(_ZIP):
        return _read_xlsx(path, max_rows)
    if head.startswith(_OLE):
        raise LedgerError(f"“{path.name}”是旧版 Excel（.xls）或其他 Office 文件，无法直接读取；请在 Excel 中另存为 .xlsx 或 CSV 后再试")
    if head.startswith(_PDF):
        raise LedgerError(f"“{path.name}”是 PDF 文件，不是台账表格；请提供 .xlsx 或 CSV 格式的台账")
    return [_read_csv(path, max_rows)]


def _too_many(max_rows: int) -> LedgerError:
    return LedgerError(f"台账超过{max_rows}行，超出处理上限（环境变量 NIANBAO_LEDGER_MAX_ROWS）；请按年度拆分后再计算")


def _read_xlsx(path: Path, max_rows: int) -> list[RawSheet]:
    from .xlsx import XlsxBook

    lim = limits.current()
    book = XlsxBook(path, lim.ledger_columns)
    try:
        if not book.sheets:
            raise LedgerError(f"“{path.name}”中没有工作表")
        if len(book.sheets) > lim.ledger_sheets:
            raise limits.over(f"“{path.name}”的工作表数", f"{len(book.sheets)} 个", f"{lim.ledger_sheets} 个",
                              "NIANBAO_LEDGER_MAX_SHEETS", LedgerError)
        out, total = [], 0
        for sheet in book.sheets:
            raw = RawSheet(sheet.name, epoch=book.epoch)
            for row in book.rows(sheet):
                raw.rows.append(row)
                if row:
                    total += 1
                    if total > max_rows:
                        raise _too_many(max_rows)
                elif len(raw.rows) > 4 * max_rows:
                    raise _too_many(max_rows)
            while raw.rows and not any(v is not None for v in raw.rows[-1]):
                raw.rows.pop()
            out.append(raw)
        return out
    finally:
        book.close()


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # GBK and its superset
    except UnicodeDecodeError:
        raise LedgerError(f"“{name}”既不是 UTF-8 也不是 GBK 编码的文本，无法作为 CSV 台账读取") from None


def _read_csv(path: Path, max_rows: int) -> RawSheet:
    columns = limits.current().ledger_columns
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise LedgerError(f"“{path.name}”不是表格文件（既不是 .xlsx 也不是 CSV 文本）")
    text = _decode(data, path.name)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    if delimiter == "，":
        delimiter = ","
    rows: list[tuple] = []
    total = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            cells = tuple((c.strip() or None) for c in row[:columns])
            while cells and cells[-1] is None:
                cells = cells[:-1]
            rows.append(cells)
            if cells:
                total += 1
                if total > max_rows:
                    raise _too_many(max_rows)
    except csv.Error as exc:
        raise LedgerError(f"“{path.name}”不是有效的 CSV 文件（{exc}）") from None
    width = max((len(r) for r in rows), default=0)
    if total == 0 or width < 2:
        raise LedgerError(f"“{path.name}”不是表格文件：没有读到多列的内容（台账应为 .xlsx 或 CSV）")
    return RawSheet(path.stem, rows)
