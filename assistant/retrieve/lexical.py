"""BM25 over jieba tokens, kept as plain arrays and updated without a rebuild.

The lexical index is a list of segments, each an immutable folder of
``.npy`` arrays (read with ``allow_pickle=False`` and memory-mapped) and a
JSON list of its sources: the segment's passage ids, their lengths, and an
inverted index (term hash → passages and term frequencies). Adding passages
writes one new segment; removing them records their positions as deleted in
the manifest; segments of a similar size are merged once there are eight of
them, so each passage is rewritten a logarithmic number of times.

Scores are computed at query time from the live passages (document
frequency, passage count, mean length), so they equal a BM25 built from
scratch over the same passages: the Lucene variant bm25s uses, k1 = 1.5,
b = 0.75. Nothing here can run code when read: a file that is malformed, or
not what it claims, makes the whole store count as absent, and the caller
rebuilds it from Chroma.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import shutil
import tempfile
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence

import numpy as np

FORMAT = 1
K1 = 1.5
B = 0.75
MERGE_FACTOR = 8  # segments of one size class merged together
COLUMNS = ("kind", "edition", "section", "source_id")  # text columns filters and completeness read


def term_hash(token: str, _memo: dict[str, int] = {}) -> int:  # noqa: B006 - a deliberate memo
    h = _memo.get(token)
    if h is None:
        h = int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")
        if len(_memo) < 2_000_000:
            _memo[token] = h
    return h


@dataclass
class Row:
    """One passage as the lexical index keeps it."""

    id: str
    tokens: list[str]
    kind: str = ""
    year: int = 0
    edition: str = ""
    section: str = ""
    source: str = ""
    source_id: str = ""
    title: str = ""
    expected: int = 0  # how many passages the source version has (0: not recorded)

    @classmethod
    def from_meta(cls, id: str, meta: dict[str, Any]) -> "Row":
        return cls(
            id=id,
            tokens=str(meta.get("tokens", "")).split(),
            kind=str(meta.get("kind", "")),
            year=_as_int(meta.get("year")),
            edition=str(meta.get("edition") or ""),
            section=str(meta.get("section") or ""),
            source=str(meta.get("source", "")),
            source_id=str(meta.get("source_id", "")),
            title=source_title(meta),
            expected=_as_int(meta.get("source_chunks")),
        )


def _as_int(value: Any) -> int:
    try:
        v = int(value or 0)
    except (TypeError, ValueError, OverflowError):
        return 0
    return v if -(2**31) < v < 2**31 else 0


def source_title(meta: dict[str, Any]) -> str:
    if meta.get("kind") == "regulation":
        return str(meta.get("doc_title") or meta.get("short") or "")
    year = f"{meta['year']}年" if meta.get("year") else ""
    return f"{meta.get('agency') or '未署名机关'}{year}年度报告"


@dataclass
class SourceSummary:
    source: str
    source_id: str
    kind: str
    title: str
    chunks: int  # live passages
    expected: int  # 0 when the writer did not record it

    @property
    def complete(self) -> bool:
        return not self.expected or self.chunks >= self.expected


class Damaged(Exception):
    """A file of the store is missing, malformed, or inconsistent with the others."""


# ---------------------------------------------------------------- segments


@dataclass
class Segment:
    name: str
    ids: np.ndarray  # bytes (S), passage ids
    doc_len: np.ndarray  # int32
    term_hash: np.ndarray  # uint64, sorted, unique
    term_ptr: np.ndarray  # int64, len(term_hash) + 1
    post_doc: np.ndarray  # int32, local passage index
    post_tf: np.ndarray  # int32
    year: np.ndarray  # int32
    src: np.ndarray  # int32, index into sources
    text: dict[str, np.ndarray]  # COLUMNS, unicode arrays
    sources: list[list[Any]]  # [source, source_id, kind, title, expected]
    deleted: set[int] = field(default_factory=set)

    @property
    def n(self) -> int:
        return len(self.ids)

    ARRAYS = ("ids", "doc_len", "term_hash", "term_ptr", "post_doc", "post_tf", "year", "src")

    @classmethod
    def build(cls, rows: Sequence[Row], name: Optional[str] = None) -> "Segment":
        hashes: list[int] = []
        docs: list[int] = []
        tfs: list[int] = []
        for local, row in enumerate(rows):
            for tok, c in Counter(row.tokens).items():
                hashes.append(term_hash(tok))
                docs.append(local)
                tfs.append(c)
        h = np.array(hashes, dtype=np.uint64)
        d = np.array(docs, dtype=np.int32)
        t = np.array(tfs, dtype=np.int32)
        order = np.lexsort((d, h))
        h, d, t = h[order], d[order], t[order]
        uniq, start = np.unique(h, return_index=True)
        ptr = np.append(start, len(h)).astype(np.int64)
        src_index: dict[tuple[str, str], int] = {}
        sources: list[list[Any]] = []
        src = []
        for row in rows:
            key = (row.source, row.source_id)
            if key not in src_index:
                src_index[key] = len(sources)
                sources.append([row.source, row.source_id, row.kind, row.title, row.expected])
            src.append(src_index[key])
        return cls(
            name=name or uuid.uuid4().hex,
            ids=_bytes_array([r.id for r in rows]),
            doc_len=np.array([max(1, len(r.tokens)) for r in rows], dtype=np.int32),
            term_hash=uniq.astype(np.uint64),
            term_ptr=ptr,
            post_doc=d,
            post_tf=t,
            year=np.array([r.year for r in rows], dtype=np.int32),
            src=np.array(src, dtype=np.int32),
            text={c: _text_array([getattr(r, c) for r in rows]) for c in COLUMNS},
            sources=sources,
        )

    @classmethod
    def merge(cls, segments: Sequence["Segment"]) -> "Segment":
        """One segment with the live passages of several, postings kept (no tokens needed)."""
        ids, doc_len, year, src = [], [], [], []
        text: dict[str, list[np.ndarray]] = {c: [] for c in COLUMNS}
        sources: list[list[Any]] = []
        src_index: dict[tuple[str, str], int] = {}
        post_h, post_d, post_t = [], [], []
        base = 0
        for seg in segments:
            keep = np.ones(seg.n, dtype=bool)
            if seg.deleted:
                keep[list(seg.deleted)] = False
            new_local = np.cumsum(keep) - 1 + base
            remap = []
            for s in seg.sources:
                key = (s[0], s[1])
                if key not in src_index:
                    src_index[key] = len(sources)
                    sources.append(list(s))
                remap.append(src_index[key])
            remap_arr = np.array(remap or [0], dtype=np.int32)
            ids.append(seg.ids[keep])
            doc_len.append(seg.doc_len[keep])
            year.append(seg.year[keep])
            src.append(remap_arr[seg.src[keep]] if seg.n else seg.src[keep])
            for c in COLUMNS:
                text[c].append(np.asarray(seg.text[c])[keep])
            counts = np.diff(seg.term_ptr)
            h = np.repeat(np.asarray(seg.term_hash), counts)
            d = np.asarray(seg.post_doc)
            live = keep[d] if len(d) else np.zeros(0, dtype=bool)
            post_h.append(h[live])
            post_d.append(new_local[d[live]].astype(np.int32))
            post_t.append(np.asarray(seg.post_tf)[live])
            base += int(keep.sum())
        h = np.concatenate(post_h) if post_h else np.zeros(0, np.uint64)
        d = np.concatenate(post_d) if post_d else np.zeros(0, np.int32)
        t = np.concatenate(post_t) if post_t else np.zeros(0, np.int32)
        order = np.lexsort((d, h))
        h, d, t = h[order], d[order], t[order]
        uniq, start = np.unique(h, return_index=True)
        return cls(
            name=uuid.uuid4().hex,
            ids=_concat_text(ids, "S"),
            doc_len=np.concatenate(doc_len).astype(np.int32) if doc_len else np.zeros(0, np.int32),
            term_hash=uniq.astype(np.uint64),
            term_ptr=np.append(start, len(h)).astype(np.int64),
            post_doc=d.astype(np.int32),
            post_tf=t.astype(np.int32),
            year=np.concatenate(year).astype(np.int32) if year else np.zeros(0, np.int32),
            src=np.concatenate(src).astype(np.int32) if src else np.zeros(0, np.int32),
            text={c: _concat_text(text[c], "U") for c in COLUMNS},
            sources=sources,
        )

    def write(self, folder: Path) -> None:
        tmp = Path(tempfile.mkdtemp(prefix=f".{self.name}.", dir=folder))
        try:
            for a in self.ARRAYS:
                np.save(tmp / f"{a}.npy", np.ascontiguousarray(getattr(self, a)), allow_pickle=False)
            for c in COLUMNS:
                np.save(tmp / f"col_{c}.npy", np.ascontiguousarray(self.text[c]), allow_pickle=False)
            (tmp / "sources.json").write_text(json.dumps(self.sources, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, folder / self.name)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def read(cls, folder: Path, name: str, n: int) -> "Segment":
        where = folder / name
        try:
            arrays = {a: np.load(where / f"{a}.npy", mmap_mode="r", allow_pickle=False) for a in cls.ARRAYS}
            text = {c: np.load(where / f"col_{c}.npy", mmap_mode="r", allow_pickle=False) for c in COLUMNS}
            sources = json.loads((where / "sources.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError, EOFError) as exc:
            raise Damaged(f"{name}: {exc}") from None
        seg = cls(name=name, text=text, sources=sources, **arrays)
        seg._validate(n)
        return seg

    def _validate(self, n: int) -> None:
        kinds = {"ids": "S", "doc_len": "i", "term_hash": "u", "term_ptr": "i", "post_doc": "i",
                 "post_tf": "i", "year": "i", "src": "i"}
        for a, kind in kinds.items():
            arr = getattr(self, a)
            if arr.ndim != 1 or arr.dtype.kind != kind:
                raise Damaged(f"{self.name}/{a}: {arr.dtype} {arr.shape}")
        for c in COLUMNS:
            if self.text[c].ndim != 1 or self.text[c].dtype.kind != "U" or len(self.text[c]) != n:
                raise Damaged(f"{self.name}/col_{c}")
        if not (len(self.ids) == len(self.doc_len) == len(self.year) == len(self.src) == n):
            raise Damaged(f"{self.name}: passage count")
        m, nnz = len(self.term_hash), len(self.post_doc)
        if len(self.term_ptr) != m + 1 or len(self.post_tf) != nnz:
            raise Damaged(f"{self.name}: posting sizes")
        if m and (self.term_ptr[0] != 0 or self.term_ptr[-1] != nnz or np.any(np.diff(self.term_ptr) < 0)):
            raise Damaged(f"{self.name}: posting offsets")
        if m > 1 and np.any(self.term_hash[1:] <= self.term_hash[:-1]):
            raise Damaged(f"{self.name}: terms not sorted")
        if nnz and (self.post_doc.min() < 0 or self.post_doc.max() >= n or self.post_tf.min() < 1):
            raise Damaged(f"{self.name}: postings out of range")
        if n and (self.doc_len.min() < 1 or self.src.min() < 0):
            raise Damaged(f"{self.name}: lengths or sources")
        ok = isinstance(self.sources, list) and all(
            isinstance(s, list) and len(s) == 5 and all(isinstance(x, str) for x in s[:4]) and isinstance(s[4], int)
            for s in self.sources)
        if not ok or (n and self.src.max() >= len(self.sources)):
            raise Damaged(f"{self.name}/sources.json")

    def postings(self, h: int) -> tuple[np.ndarray, np.ndarray]:
        at = int(np.searchsorted(self.term_hash, np.uint64(h)))
        if at >= len(self.term_hash) or int(self.term_hash[at]) != h:
            return _EMPTY_I, _EMPTY_I
        a, b = int(self.term_ptr[at]), int(self.term_ptr[at + 1])
        return self.post_doc[a:b], self.post_tf[a:b]


_EMPTY_I = np.zeros(0, dtype=np.int32)


def _bytes_array(values: Sequence[str]) -> np.ndarray:
    enc = [v.encode("utf-8") for v in values]
    width = max((len(e) for e in enc), default=1) or 1
    return np.array(enc, dtype=f"S{width}")


def _text_array(values: Sequence[str]) -> np.ndarray:
    width = max((len(v) for v in values), default=1) or 1
    return np.array(values, dtype=f"<U{width}")


def _concat_text(parts: list[np.ndarray], kind: str) -> np.ndarray:
    parts = [np.asarray(p) for p in parts]
    width = max((p.dtype.itemsize // (4 if kind == "U" else 1) for p in parts), default=1) or 1
    dtype = f"<U{width}" if kind == "U" else f"S{width}"
    return np.concatenate([p.astype(dtype) for p in parts]) if parts else np.zeros(0, dtype=dtype)


# ---------------------------------------------------------------- the store


class LexicalStore:
    """The segments of one collection's lexical index, and the revision of the collection they match."""

    def __init__(self, folder: Optional[Path]) -> None:
        self.folder = folder
        self.revision: Optional[str] = None
        self.segments: list[Segment] = []
        self._new: list[Segment] = []  # built since the last save
        self._view: Optional[_View] = None

    # ------------------------------------------------------------ reading

    @classmethod
    def open(cls, folder: Optional[Path]) -> "LexicalStore":
        """The store saved in ``folder``; raises :class:`Damaged` when something in it is not sound."""
        store = cls(folder)
        if folder is None:
            return store
        path = folder / "manifest.json"
        if not path.exists():
            return store
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise Damaged(f"manifest: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise Damaged("manifest: unknown format")
        rev = manifest.get("revision")
        entries = manifest.get("segments")
        if not (rev is None or isinstance(rev, str)) or not isinstance(entries, list):
            raise Damaged("manifest: fields")
        for e in entries:
            if not (isinstance(e, dict) and isinstance(e.get("name"), str) and isinstance(e.get("n"), int)
                    and isinstance(e.get("deleted"), list) and e["name"].isalnum()):
                raise Damaged("manifest: segment entry")
            seg = Segment.read(folder / "segments", e["name"], e["n"])
            deleted = e["deleted"]
            if not all(isinstance(i, int) and 0 <= i < seg.n for i in deleted):
                raise Damaged("manifest: deleted positions")
            seg.deleted = set(deleted)
            store.segments.append(seg)
        store.revision = rev
        return store

    @property
    def view(self) -> "_View":
        if self._view is None:
            self._view = _View(self.segments)
        return self._view

    @property
    def size(self) -> int:
        return self.view.live_count

    def live_ids(self) -> set[str]:
        out: set[str] = set()
        for seg in self.segments:
            ids = seg.ids if not seg.deleted else np.delete(np.asarray(seg.ids), sorted(seg.deleted))
            out.update(x.decode("utf-8") for x in ids.tolist())
        return out

    def sources(self) -> list[SourceSummary]:
        found: dict[tuple[str, str], SourceSummary] = {}
        for seg in self.segments:
            counts = np.bincount(np.asarray(seg.src), minlength=len(seg.sources))
            for pos in seg.deleted:
                counts[seg.src[pos]] -= 1
            for i, (source, sid, kind, title, expected) in enumerate(seg.sources):
                if counts[i] <= 0:
                    continue
                s = found.get((source, sid))
                if s is None:
                    found[(source, sid)] = SourceSummary(source, sid, kind, title, int(counts[i]), expected)
                else:
                    s.chunks += int(counts[i])
                    s.expected = max(s.expected, expected)
        return list(found.values())

    def ids_of(self, source: str, source_id: str) -> list[str]:
        """Live passage ids of one version of a source."""
        out: list[str] = []
        for seg in self.segments:
            wanted = [i for i, s in enumerate(seg.sources) if s[0] == source and s[1] == source_id]
            if not wanted:
                continue
            local = np.flatnonzero(np.isin(np.asarray(seg.src), wanted))
            out.extend(seg.ids[i].decode("utf-8") for i in local.tolist() if i not in seg.deleted)
        return out

    def incomplete_source_ids(self) -> set[str]:
        """Source versions with fewer live passages than they were cut into (an interrupted add); cached per view."""
        view = self.view
        if view.incomplete is None:
            view.incomplete = {s.source_id for s in self.sources() if not s.complete}
        return view.incomplete

    def search(self, tokens: Sequence[str], k: int,
               mask: Optional[np.ndarray] = None) -> list[tuple[str, float, str]]:
        """The k best live passages with a positive score: (id, score, kind)."""
        view = self.view
        return [(view.id_of(ix), score, str(view.column("kind")[ix])) for ix, score in view.search(tokens, k, mask)]

    def column(self, name: str) -> np.ndarray:
        return self.view.column(name)

    # ------------------------------------------------------------ writing

    def add(self, rows: Sequence[Row]) -> None:
        if rows:
            seg = Segment.build(rows)
            self.segments.append(seg)
            self._new.append(seg)
            self._view = None

    def delete_ids(self, ids: Iterable[str]) -> int:
        wanted = np.array([i.encode("utf-8") for i in ids])
        if not len(wanted):
            return 0
        removed = 0
        for seg in self.segments:
            hit = np.flatnonzero(np.isin(np.asarray(seg.ids), wanted))
            new = set(hit.tolist()) - seg.deleted
            seg.deleted |= new
            removed += len(new)
        if removed:
            self._view = None
        return removed

    def merge_small(self) -> None:
        """Merge segments of one size class once there are MERGE_FACTOR of them, and drop mostly-deleted ones."""
        while True:
            classes: dict[int, list[Segment]] = {}
            for seg in self.segments:
                live = seg.n - len(seg.deleted)
                classes.setdefault(int(math.log(max(live, 1), MERGE_FACTOR)), []).append(seg)
            group = next((g for _, g in sorted(classes.items()) if len(g) >= MERGE_FACTOR), None)
            if group is None:
                group = [s for s in self.segments if s.deleted and len(s.deleted) * 2 >= s.n]
                if not group:
                    return
            merged = Segment.merge(group)
            keep = [s for s in self.segments if not any(s is g for g in group)]
            self.segments = keep + ([merged] if merged.n else [])
            self._new = [s for s in self._new if not any(s is g for g in group)] + ([merged] if merged.n else [])
            self._view = None
            if len(group) < MERGE_FACTOR:
                return

    def save(self, revision: Optional[str]) -> None:
        """Write new segments and the manifest (atomically), then remove segments no manifest names."""
        self.revision = revision
        if self.folder is None:
            self._new = []
            return
        self.merge_small()
        segdir = self.folder / "segments"
        segdir.mkdir(parents=True, exist_ok=True)
        for seg in self._new:
            seg.write(segdir)
        self._new = []
        manifest = {"format": FORMAT, "revision": revision,
                    "segments": [{"name": s.name, "n": s.n, "deleted": sorted(s.deleted)} for s in self.segments]}
        tmp = self.folder / f".manifest.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(tmp, self.folder / "manifest.json")
        names = {s.name for s in self.segments}
        for p in segdir.iterdir():
            if p.name not in names and not p.name.startswith("."):
                shutil.rmtree(p, ignore_errors=True)


@contextmanager
def writer_lock(folder: Optional[Path], wait: bool = True) -> Iterator[bool]:
    """An exclusive lock on a store folder; yields False when it cannot be had (read-only folder, or busy and not waiting)."""
    if folder is None:
        yield False
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fh = open(folder / "lock", "a+b")
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    finally:
        fh.close()


# ---------------------------------------------------------------- querying


class _View:
    """The segments seen as one collection: live mask, lengths, and scoring."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = list(segments)
        self.offsets = np.cumsum([0] + [s.n for s in self.segments])
        total = int(self.offsets[-1])
        self.live = np.ones(total, dtype=bool)
        for seg, off in zip(self.segments, self.offsets):
            if seg.deleted:
                self.live[off + np.fromiter(seg.deleted, dtype=np.int64)] = False
        self.doc_len = (np.concatenate([np.asarray(s.doc_len) for s in self.segments]).astype(np.float64)
                        if self.segments else np.zeros(0))
        self.live_count = int(self.live.sum())
        self.avgdl = float(self.doc_len[self.live].mean()) if self.live_count else 1.0
        self._columns: dict[str, np.ndarray] = {}
        self.incomplete: Optional[set[str]] = None

    def column(self, name: str) -> np.ndarray:
        col = self._columns.get(name)
        if col is None:
            if name == "year":
                parts = [np.asarray(s.year) for s in self.segments]
                col = np.concatenate(parts) if parts else np.zeros(0, np.int32)
            else:
                col = _concat_text([s.text[name] for s in self.segments], "U")
            self._columns[name] = col
        return col

    def id_of(self, ix: int) -> str:
        s = int(np.searchsorted(self.offsets, ix, side="right")) - 1
        return self.segments[s].ids[ix - int(self.offsets[s])].decode("utf-8")

    def search(self, tokens: Sequence[str], k: int, mask: Optional[np.ndarray]) -> list[tuple[int, float]]:
        n_live = self.live_count
        if not n_live or not tokens or k <= 0:
            return []
        scores = np.zeros(len(self.live), dtype=np.float64)
        for tok, times in Counter(tokens).items():
            h = term_hash(tok)
            docs, tfs = [], []
            for seg, off in zip(self.segments, self.offsets):
                d, t = seg.postings(h)
                if len(d):
                    docs.append(np.asarray(d, dtype=np.int64) + int(off))
                    tfs.append(np.asarray(t, dtype=np.float64))
            if not docs:
                continue
            d = np.concatenate(docs)
            t = np.concatenate(tfs)
            alive = self.live[d]
            d, t = d[alive], t[alive]
            df = len(d)
            if not df:
                continue
            idf = math.log(1 + (n_live - df + 0.5) / (df + 0.5))
            norm = K1 * ((1 - B) + B * self.doc_len[d] / self.avgdl)
            scores[d] += times * idf * (t / (norm + t))
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
