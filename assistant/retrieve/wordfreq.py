"""jieba's dictionary as plain arrays, looked up only for the text being cut.

``jieba.initialize()`` builds a Python dict of about 500,000 entries (every
word of its dictionary and every prefix of one) from a marshal cache it keeps
in the system's temporary folder, which any local user can write and which
jieba trusts whenever the default dictionary is used. That costs 0.6-1.6 s
per process, and a one-shot ``nianbao search`` cuts a dozen characters.

Here the same entries are kept as sorted arrays, one per key length, in a
cache folder of ours (``.npy`` files read with ``allow_pickle=False``, and a
JSON header), built once from jieba's ``dict.txt``. A tokenizer gets a
:class:`LazyFreq` in place of jieba's dict: before a text is cut, every
substring jieba could ask about is looked up in the arrays in one vectorised
pass per length, exactly as jieba walks its prefixes, so the cut is the same
as with the full dict. jieba's own cache file is never read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

FORMAT = 1
# jieba's own pattern for the runs it cuts with the dictionary (re_han_default).
_RUN_RE = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
# Negative look-ups are remembered too, up to this many, so a long build does
# not ask the arrays the same question twice.
_MISS_LIMIT = 2_000_000


def import_jieba():
    """``import jieba`` without pkg_resources (0.1 s of setuptools jieba only uses to open its own files)."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes jieba take its plain-file path
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources") is None:
            del sys.modules["pkg_resources"]
    return jieba


def _dict_path() -> Path:
    jieba = import_jieba()
    return Path(jieba.__file__).resolve().parent / "dict.txt"


def _tag() -> str:
    jieba = import_jieba()
    return f"jieba-{jieba.__version__}-{_dict_path().stat().st_size}"


class Arrays:
    """The dictionary's keys by length (sorted, as numpy unicode arrays) and their frequencies."""

    def __init__(self, by_len: dict[int, tuple[np.ndarray, np.ndarray]], total: int) -> None:
        self.by_len = by_len
        self.total = total
        self.max_len = max(by_len) if by_len else 0

    def lookup(self, length: int, keys: list[str]) -> list[tuple[str, int]]:
        """The keys (all of one length) that are in the dictionary, with their frequencies."""
        entry = self.by_len.get(length)
        if entry is None or not keys:
            return []
        sorted_keys, freqs = entry
        probe = np.array(keys, dtype=f"<U{length}")
        at = np.searchsorted(sorted_keys, probe)
        at = np.minimum(at, len(sorted_keys) - 1)
        found = sorted_keys[at] == probe
        return [(keys[i], int(freqs[at[i]])) for i in np.flatnonzero(found)]

    def as_dict(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for keys, freqs in self.by_len.values():
            out.update(zip(keys.tolist(), freqs.tolist()))
        return out

    # ------------------------------------------------------------ the cache

    @classmethod
    def from_dict(cls, freq: dict[str, int], total: int) -> "Arrays":
        groups: dict[int, list[str]] = {}
        for key in freq:
            if key:
                groups.setdefault(len(key), []).append(key)
        by_len = {}
        for length, keys in groups.items():
            keys.sort()
            by_len[length] = (np.array(keys, dtype=f"<U{length}"),
                              np.fromiter((freq[k] for k in keys), dtype=np.int64, count=len(keys)))
        return cls(by_len, total)

    def save(self, folder: Path, tag: str) -> None:
        """Write the arrays to ``folder`` (created whole under a temporary name, then renamed)."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        try:
            lengths = sorted(self.by_len)
            codes = [self.by_len[n][0].view(np.uint32).reshape(-1) for n in lengths]
            np.save(tmp / "keys.npy", np.concatenate(codes) if codes else np.zeros(0, np.uint32))
            np.save(tmp / "freqs.npy", np.concatenate([self.by_len[n][1] for n in lengths])
                    if lengths else np.zeros(0, np.int64))
            head = {"format": FORMAT, "tag": tag, "total": int(self.total),
                    "lengths": [[n, int(len(self.by_len[n][0]))] for n in lengths]}
            (tmp / "head.json").write_text(json.dumps(head), encoding="utf-8")
            try:
                os.replace(tmp, folder)
            except OSError:
                pass  # another process finished first; its copy is as good
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, tag: str) -> Optional["Arrays"]:
        """The cached arrays, or None when the folder is missing, for another dictionary, or malformed."""
        try:
            head = json.loads((folder / "head.json").read_text(encoding="utf-8"))
            if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("tag") != tag:
                return None
            total = int(head["total"])
            lengths = [(int(n), int(c)) for n, c in head["lengths"]]
            codes = np.load(folder / "keys.npy", mmap_mode="r", allow_pickle=False)
            freqs = np.load(folder / "freqs.npy", mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError, TypeError, KeyError):
            return None
        if codes.dtype != np.uint32 or freqs.dtype != np.int64 or codes.ndim != 1 or freqs.ndim != 1:
            return None
        if total <= 0 or any(n < 1 or c < 0 for n, c in lengths):
            return None
        if sum(n * c for n, c in lengths) != len(codes) or sum(c for _, c in lengths) != len(freqs):
            return None
        if len(freqs) and int(freqs.min()) < 0:
            return None
        by_len = {}
        at_code = at_freq = 0
        for n, c in lengths:
            keys = np.asarray(codes[at_code : at_code + n * c]).view(f"<U{n}")
            by_len[n] = (keys, freqs[at_freq : at_freq + c])
            at_code += n * c
            at_freq += c
        return cls(by_len, total)


def load_arrays(cache_dir: Optional[Path]) -> Arrays:
    """The dictionary as arrays: from the cache when it is there and sound, else built (and cached when possible)."""
    tag = _tag()
    folder = cache_dir / tag if cache_dir else None
    if folder is not None:
        got = Arrays.load(folder, tag)
        if got is not None:
            return got
    jieba = import_jieba()
    with _dict_path().open("rb") as fh:
        freq, total = jieba.Tokenizer.gen_pfdict(fh)
    arrays = Arrays.from_dict(freq, total)
    if folder is not None:
        try:
            if folder.exists():  # damaged or planted: kept aside, never read again
                aside = folder.with_name(folder.name + ".damaged")
                shutil.rmtree(aside, ignore_errors=True)
                os.replace(folder, aside)
            arrays.save(folder, tag)
        except OSError:
            pass  # a read-only data folder costs the next process this build again, nothing else
    return arrays


class LazyFreq(dict):
    """jieba's FREQ dict, filled from :class:`Arrays` with what the next text needs.

    jieba asks ``frag in FREQ`` for growing substrings from each position and
    stops at the first one that is absent; :meth:`prefetch` asks the arrays
    the same questions, one length at a time, before the text is cut. Words
    added with ``add_word`` are entries of the dict itself and win over the
    arrays, as they do in jieba.
    """

    def __init__(self, arrays: Arrays) -> None:
        super().__init__()
        self.arrays = arrays
        self._missing: set[str] = set()
        self._lock = threading.Lock()

    def prefetch(self, text: str) -> None:
        with self._lock:
            runs = [m.group() for m in _RUN_RE.finditer(text)]
            # Level 1: every character; level n: the n-character substrings whose
            # (n-1)-character prefix is present.
            starts = [(run, k) for run in runs for k in range(len(run))]
            length = 1
            while starts:
                want: dict[str, None] = {}
                for run, k in starts:
                    key = run[k : k + length]
                    if len(key) == length and key not in self and key not in self._missing:
                        want[key] = None
                if want and length <= self.arrays.max_len:
                    found = dict(self.arrays.lookup(length, list(want)))
                    for key in want:
                        if key in found:
                            self[key] = found[key]
                        else:
                            self._missing.add(key)
                    if len(self._missing) > _MISS_LIMIT:
                        self._missing.clear()
                elif want:
                    self._missing.update(want)
                starts = [(run, k) for run, k in starts
                          if k + length < len(run) and run[k : k + length] in self]
                length += 1

    def prefetch_all(self, texts: Iterable[str]) -> None:
        for t in texts:
            self.prefetch(t)
