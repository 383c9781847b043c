"""What an audit reads: files, folders (recursively) and zip archives, as named sources.

A source is read into memory only when it is hashed or parsed, one at a time.
Zip archives are never unpacked to disk: each member is read from the archive
with its declared and its actual size bounded, names that climb out of the
archive ("../", absolute paths, drive letters) are left unread, archives
inside archives are not opened, and the number of members and the bytes read
from one archive are limited, so a zip bomb costs a bounded amount of work.
Member names written by Chinese Windows (GBK, without zip's UTF-8 flag) are
decoded as GBK.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable, Optional

from ..parse import MAX_BYTES as MAX_REPORT_BYTES
from ..parse.files import find_reports, skip_reason_for

MAX_MEMBERS = 10_000  # members looked at in one archive
MAX_ZIP_BYTES = 2 * 1024**3  # bytes read out of one archive, all members together
ZIP_SUFFIXES = (".zip",)
_UTF8_FLAG = 0x800
_PEEK = 64 * 1024


class SourceUnreadable(Exception):
    """Raised by ``Source.read`` with a Chinese message."""


@dataclass(frozen=True)
class Source:
    """One report to read: a file on disk, or a member of a zip archive on disk.

    ``name`` is what people see and what the audit knows the document by;
    ``optional``: found inside a folder or an archive, so a file that turns out
    not to be a report is skipped rather than counted as unreadable.
    """

    name: str
    path: str
    member: Optional[str] = None  # the member's name as stored in the archive
    optional: bool = False

    def read(self) -> bytes:
        limit = MAX_REPORT_BYTES
        too_big = f"文件超过 {limit // (1024 * 1024)} MB，不是一份年度报告的大小，未读取。"
        try:
            if self.member is None:
                size = Path(self.path).stat().st_size
                if size > limit:
                    raise SourceUnreadable(too_big)
                with open(self.path, "rb") as f:
                    data = f.read(limit + 1)
            else:
                with zipfile.ZipFile(self.path) as z:
                    info = z.getinfo(self.member)
                    if info.file_size > limit:
                        raise SourceUnreadable(too_big)
                    with z.open(info) as f:
                        data = f.read(limit + 1)  # the declared size may lie: never read past the limit
        except SourceUnreadable:
            raise
        except FileNotFoundError:
            raise SourceUnreadable("找不到文件。") from None
        except IsADirectoryError:
            raise SourceUnreadable("这是文件夹，不是文件。") from None
        except PermissionError:
            raise SourceUnreadable("没有权限读取这个文件。") from None
        except KeyError:
            raise SourceUnreadable("压缩包中已没有这个文件。") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
            # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
            raise SourceUnreadable(_zip_problem(exc)) from None
        except OSError as exc:
            raise SourceUnreadable(f"无法读取文件（{exc.strerror or exc}）。") from None
        if len(data) > limit:
            raise SourceUnreadable(too_big)
        return data


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Collected:
    sources: list[Source] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, why it is not read as a report)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (name, why it could not be read at all)


def collect(paths: Iterable[str | Path], names: Optional[dict[str, str]] = None) -> Collected:
    """The sources in ``paths``: files as given, folders' reports recursively, zips' members.

    ``names``: the name to show for a path (an uploaded file's own name instead
    of the temporary path it was saved under).
    """
    out = Collected()
    shown = names or {}
    for raw in paths:
        p = Path(raw)
        label = shown.get(str(raw), str(raw))
        if p.is_dir():
            found = find_reports([p])
            out.sources += [Source(str(f), str(f), optional=True) for f in found.reports]
            for s in found.skipped:
                if s.path.suffix.lower() in ZIP_SUFFIXES:
                    _zip(s.path, str(s.path), out)
                else:
                    out.skipped.append((str(s.path), s.reason))
        elif p.suffix.lower() in ZIP_SUFFIXES and p.is_file():
            _zip(p, label, out)
        elif not p.exists():
            out.errors.append((label, "找不到这个文件或文件夹。"))
        else:
            out.sources.append(Source(label, str(p)))
    _unique(out)
    return out


def _unique(out: Collected) -> None:
    """Two sources never share a name (the same file named twice is read once)."""
    seen: set[str] = set()
    kept = []
    for s in out.sources:
        if s.name not in seen:
            seen.add(s.name)
            kept.append(s)
    out.sources = kept


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: zip names without the UTF-8 flag are usually GBK."""
    name = info.filename
    if not info.flag_bits & _UTF8_FLAG:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for encoding in ("utf-8", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    return name


def unsafe_member(name: str) -> Optional[str]:
    """Why a member's name is not used, or None: it must stay inside the archive."""
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return "压缩包内的文件使用了绝对路径，出于安全未读取"
    if any(part == ".." for part in PurePosixPath(text).parts):
        return "压缩包内的文件路径含“..”（指向压缩包之外），出于安全未读取"
    if any(ord(ch) < 32 for ch in text):
        return "压缩包内的文件名含控制字符，出于安全未读取"
    return None


def _zip(path: Path, label: str, out: Collected) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS:
                out.errors.append((label, f"压缩包内文件超过 {MAX_MEMBERS} 个，未读取。"))
                return
            total = 0
            for info in infos:
                if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16):
                    continue
                shown = member_name(info)
                name = f"{label}/{shown.replace(chr(92), '/').lstrip('/')}"
                why = unsafe_member(shown)
                parts = PurePosixPath(shown.replace("\\", "/")).parts
                if why is None and (parts[:1] == ("__MACOSX",) or any(p.startswith(".") for p in parts)):
                    continue  # macOS resource forks and hidden files: never reports
                if why is None and Path(shown).suffix.lower() in ZIP_SUFFIXES:
                    why = "压缩包中的压缩包不展开，请解压后单独上传"
                if why is None:
                    why = skip_reason_for(shown, None)
                if why is None and info.file_size > MAX_REPORT_BYTES:
                    out.errors.append((name, f"文件超过 {MAX_REPORT_BYTES // (1024 * 1024)} MB，不是一份年度报告的大小，未读取。"))
                    continue
                if why is None:
                    total += info.file_size
                    if total > MAX_ZIP_BYTES:
                        out.errors.append((label, f"压缩包解压后超过 {MAX_ZIP_BYTES // 1024**3} GB，其余文件未读取。"))
                        return
                    if Path(shown).suffix.lower() in (".txt", ".text", ".md", ".markdown"):
                        why = _text_skip(z, info, shown)
                if why is None:
                    out.sources.append(Source(name, str(path), info.filename, optional=True))
                else:
                    out.skipped.append((name, why))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        out.errors.append((label, _zip_problem(exc)))


def _text_skip(z: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> Optional[str]:
    try:
        with z.open(info) as f:
            head = f.read(_PEEK)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        return None  # reading it properly will say what is wrong
    return skip_reason_for(shown, head)


def _zip_problem(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError) and "encrypt" in str(exc).lower():
        return "压缩包内的文件有密码保护，无法读取。"
    if isinstance(exc, NotImplementedError):
        return "压缩包使用了不支持的压缩方式，请用常见的 zip 格式重新压缩。"
    if isinstance(exc, zipfile.BadZipFile):
        return "压缩包已损坏或不是 zip 格式，无法打开。"
    if isinstance(exc, OSError):
        return f"无法读取压缩包（{exc.strerror or exc}）。"
    return f"无法读取压缩包（{type(exc).__name__}）。"
