"""The index: a Chroma collection (dense vectors) plus BM25 over jieba tokens.

Chroma holds everything that must persist: the passage text, its metadata
and its jieba tokens (as a metadata string), whether Chroma is embedded or a
server. The lexical side (see ``lexical.py``) is a derived copy in the local
data directory, plain arrays and JSON, stamped with the revision of the
collection it matches: every writer stamps the collection with a new
revision before and after it writes, so a copy under the current stamp is
known to be current, and one under another stamp is brought up to date by
comparing passage ids with Chroma's (only what differs is read back).
Nothing read from the data directory can run code.

Writes go in bulk: the passages of every file being added are written to
Chroma in large batches (vectors from ``corpus/vectors`` when shipped, else
embedded on the threads the machine can spare) and to one new lexical
segment. Each passage records how many passages its source has, so a source
cut short by an interruption is listed as incomplete and kept out of
results until it is added again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence
from urllib.parse import urlparse

import numpy as np

from ..errors import NianbaoError
from ..progress import Progress
from ..progress import Silent as _Silent
from .chunks import Chunk, chunk_id
from .config import default_chroma_url, default_corpus_dir, default_data_dir
from .lexical import Damaged, LexicalStore, Row, writer_lock
from .split import SourceError, iter_corpus_files, split_file
from .tokens import articles_named, tokenize, use_cache_dir

__all__ = ["Index", "Hit", "AddResult", "SourceInfo", "Filters", "default_data_dir", "default_corpus_dir"]

COLLECTION = "nianbao"
REVISION_KEY = "nianbao_revision"
RRF_K = 60  # the constant of reciprocal-rank fusion (Cormack et al. use 60)
WRITE_BATCH = 1024  # passages per Chroma add when their vectors are at hand
MIN_WRITE = 256  # the smallest such add in a bulk write (1,000 passages at 20k: 50 a write 5 ms each, 256 2.5 ms)
EMBED_BATCH = 32  # passages embedded between two writes (and two progress updates)
PAGE = 5000  # passages read back from Chroma per request
RECHECK_SECONDS = 1.0  # how often a long-lived Index asks whether another process wrote
WRITING_RE = re.compile(r"怎么写|如何写|怎样写|写法|范文|范例")
log = logging.getLogger("nianbao.retrieve")


@dataclass
class Hit:
    id: str
    text: str
    meta: dict[str, Any]
    score: float  # fused (reciprocal-rank) score
    dense_rank: Optional[int] = None  # 1-based; None when the retriever did not return it
    dense_score: Optional[float] = None  # cosine similarity
    bm25_rank: Optional[int] = None
    bm25_score: Optional[float] = None
    named: bool = False  # the query named this chunk's article
    snippet: str = ""

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def source(self) -> str:
        return str(self.meta.get("source", ""))

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", ""))

    def as_dict(self) -> dict[str, Any]:
        meta = {k: v for k, v in self.meta.items() if k != "tokens"}
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "kind": self.kind,
            "snippet": self.snippet,
            "score": round(self.score, 6),
            "dense": {"rank": self.dense_rank, "score": _round(self.dense_score)},
            "bm25": {"rank": self.bm25_rank, "score": _round(self.bm25_score)},
            "named_article": self.named,
            "metadata": meta,
            "text": self.text,
        }


def _round(x: Optional[float]) -> Optional[float]:
    return None if x is None else round(float(x), 4)


@dataclass
class AddResult:
    source: str
    added: int = 0
    unchanged: int = 0
    replaced: int = 0  # chunks of an older version of the same source removed
    kind: str = ""
    error: Optional[str] = None  # a Chinese message when the file could not be added
    embedded: int = 0  # of the added chunks, how many were embedded here (the rest had shipped vectors)


@dataclass
class SourceInfo:
    source: str
    source_id: str
    kind: str
    chunks: int
    title: str
    complete: bool = True  # False: an add was interrupted; adding the file again completes it
    expected: int = 0  # passages the source has when complete (0: not recorded)


@dataclass
class Filters:
    kind: Optional[str] = None
    year: Optional[int] = None
    edition: Optional[str] = None
    section: Optional[str] = None

    def normalised(self) -> "Filters":
        return Filters(self.kind, self.year, str(self.edition) if self.edition else None,
                       normalise_section(self.section))

    def conditions(self) -> list[dict[str, Any]]:
        conds: list[dict[str, Any]] = []
        if self.kind:
            conds.append({"kind": self.kind})
        if self.year:
            conds.append({"year": int(self.year)})
        if self.edition:
            conds.append({"edition": str(self.edition)})
        if self.section:
            conds.append({"section": self.section})
        return conds

    def where(self, *extra: dict[str, Any]) -> Optional[dict[str, Any]]:
        conds = list(extra) + self.conditions()
        if not conds:
            return None
        return conds[0] if len(conds) == 1 else {"$and": conds}

    def accepts(self, meta: dict[str, Any]) -> bool:
        return (
            (not self.kind or meta.get("kind") == self.kind)
            and (not self.year or meta.get("year") == int(self.year))
            and (not self.edition or meta.get("edition") == str(self.edition))
            and (not self.section or meta.get("section") == self.section)
        )

    def mask(self, store: LexicalStore) -> Optional[np.ndarray]:
        """The same filter over the lexical index's columns (None: everything passes)."""
        mask = None

        def both(m: np.ndarray) -> np.ndarray:
            return m if mask is None else (mask & m)

        if self.kind:
            mask = both(store.column("kind") == self.kind)
        if self.year:
            mask = both(store.column("year") == int(self.year))
        if self.edition:
            mask = both(store.column("edition") == str(self.edition))
        if self.section:
            mask = both(store.column("section") == self.section)
        return mask


def normalise_section(section: Optional[str]) -> Optional[str]:
    """"一", "一、总体情况" and "总体情况" all mean section 一."""
    if not section:
        return None
    from ..model.editions import section_headings

    s = section.strip()
    headings = section_headings()
    if s[0] in headings:
        return s[0]
    for key, heading in headings.items():
        if s in heading:
            return key
    if s in ("preamble", "前言"):
        return "preamble"
    raise NianbaoError(f"不认识的章节：{section}（可用：一 至 六，或章节名称）")


def _client(data_dir: Path, chroma_url: Optional[str]):
    import chromadb
    from chromadb.config import Settings

    # Telemetry would try the network on every start.
    settings = Settings(anonymized_telemetry=False)
    if chroma_url:
        u = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        return chromadb.HttpClient(
            host=u.hostname or "127.0.0.1",
            port=u.port or (443 if u.scheme == "https" else 8000),
            ssl=u.scheme == "https",
            settings=settings,
        )
    path = data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


@dataclass
class _Pending:
    """Chunks of one file waiting to be written."""

    result: AddResult
    chunks: list[Chunk] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


class Index:
    """Hybrid retrieval over one Chroma collection."""

    def __init__(
        self,
        data_dir: Optional[Path] = None,
        chroma_url: Optional[str] = None,
        collection: str = COLLECTION,
    ) -> None:
        from .embedding import E5Embedding

        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.chroma_url = chroma_url if chroma_url is not None else default_chroma_url()
        self.client = _client(self.data_dir, self.chroma_url)
        self.embedding = E5Embedding()
        self.collection = self.client.get_or_create_collection(
            name=collection,
            embedding_function=self.embedding,
            configuration={"hnsw": {"space": "cosine"}},
        )
        use_cache_dir(self.data_dir / "cache")
        self._opened_revision: Optional[str] = (self.collection.metadata or {}).get(REVISION_KEY)
        self._store: Optional[LexicalStore] = None
        self._checked_at = 0.0
        self._warmed = False

    # ------------------------------------------------------------ state

    @property
    def where(self) -> str:
        return f"Chroma 服务 {self.chroma_url}" if self.chroma_url else f"本地数据目录 {self.data_dir}"

    def count(self) -> int:
        """Passages in the index (from the lexical copy, checked against the collection's revision).

        Chroma's own count costs 0.15-0.5 s in a new process; the copy is
        needed by the first search anyway.
        """
        return self.size()

    def size(self) -> int:
        """Passages in the index, from the lexical copy (brought up to date with Chroma first)."""
        return self._lexical().size

    def _revision(self) -> Optional[str]:
        """The revision stamp writers leave on the collection (fresh from Chroma, as another process may write)."""
        meta = self.client.get_collection(self.collection.name, embedding_function=self.embedding).metadata
        return (meta or {}).get(REVISION_KEY)

    def _bump_revision(self) -> str:
        rev = uuid.uuid4().hex
        self.collection.modify(metadata={REVISION_KEY: rev})
        return rev

    def _store_dir(self) -> Path:
        where = self.chroma_url or "embedded"
        key = hashlib.sha256(f"{where}\n{self.collection.id}".encode()).hexdigest()[:16]
        return self.data_dir / "lexical" / key

    def _read_store(self, locked: bool = False) -> Optional[LexicalStore]:
        """The saved lexical copy; None when there is none or it is damaged.

        Holding the folder's lock, a damaged copy is moved aside (for whoever
        wants to see what was planted or broken) and said on stderr; nothing
        in it is used.
        """
        folder = self._store_dir()
        try:
            return LexicalStore.open(folder)
        except Damaged as exc:
            if not locked:
                return None
            aside = folder.with_name(folder.name + ".damaged")
            try:
                shutil.rmtree(aside, ignore_errors=True)
                os.replace(folder, aside)
                where = f"，原文件已移到 {aside}"
            except OSError:
                where = ""
            log.warning("检索缓存 %s 已损坏或被改动（%s），其中内容一概未用%s；已从索引重新生成。", folder, exc, where)
            return None

    def _lexical(self) -> LexicalStore:
        """The lexical index, current with the collection's revision (checked at most once a second)."""
        now = time.monotonic()
        if self._store is not None:
            if now - self._checked_at < RECHECK_SECONDS:
                return self._store
            rev = self._revision()
        else:
            rev = self._opened_revision  # read with the collection a moment ago
        self._checked_at = now
        if self._store is not None and rev is not None and self._store.revision == rev:
            return self._store
        store = self._store if self._store is not None else self._read_store()
        if store is None or rev is None or store.revision != rev:
            # Out of date (another writer, an interrupted write, or a damaged
            # copy): catch up with Chroma, and keep the result when no writer
            # is busy with the same folder.
            with writer_lock(self._store_dir(), wait=False) as locked:
                if locked:
                    store = self._read_store(locked=True) or LexicalStore(self._store_dir())
                    rev = self._revision()
                store = self._catch_up(store or LexicalStore(None), rev)
                if rev is None and store.size:
                    rev = self._bump_revision()  # a collection no writer of ours has stamped
                if locked:
                    store.save(rev)
                else:
                    store.revision = rev
        self._store = store
        return store

    def _catch_up(self, store: LexicalStore, rev: Optional[str]) -> LexicalStore:
        """Make ``store`` hold exactly the collection's passages, reading back only the ones it lacks."""
        if store.revision is not None and store.revision == rev:
            return store
        have = store.live_ids()
        ids: list[str] = []
        offset = 0
        while True:
            got = self.collection.get(include=[], limit=PAGE, offset=offset)["ids"]
            ids.extend(got)
            if len(got) < PAGE:
                break
            offset += PAGE
        there = set(ids)
        store.delete_ids(have - there)
        missing = [i for i in ids if i not in have]
        rows: list[Row] = []
        for start in range(0, len(missing), PAGE):
            got = self.collection.get(ids=missing[start : start + PAGE], include=["metadatas"])
            rows.extend(Row.from_meta(i, dict(m or {})) for i, m in zip(got["ids"], got["metadatas"] or []))
        store.add(rows)
        return store

    @contextmanager
    def _writing(self) -> Iterator[LexicalStore]:
        """One write: the folder locked, the collection stamped before and after, the lexical copy saved last.

        An interruption anywhere leaves the collection under a stamp no copy
        has, so the next reader catches up with what Chroma holds.
        """
        folder = self._store_dir()
        with writer_lock(folder, wait=True) as locked:
            rev = self._revision()
            store = self._read_store(locked=True) if locked else self._store
            store = self._catch_up(store or LexicalStore(folder if locked else None), rev)
            self._store = None
            self._bump_revision()
            yield store
            final = self._bump_revision()
            if locked:
                store.save(final)
            else:
                store.revision = final
            self._store = store
            self._checked_at = time.monotonic()

    # ------------------------------------------------------------ writing

    def add_file(self, path: Path, source: Optional[str] = None, progress: Optional[Progress] = None) -> AddResult:
        """Add one file; raises :class:`SourceError` (Chinese message) when it cannot be added."""
        result = self.add_files([Path(path)], [source] if source else None, progress=progress)[0]
        if result.error:
            raise SourceError(result.error)
        return result

    def add_files(
        self,
        paths: Sequence[Path],
        sources: Optional[Sequence[str]] = None,
        progress: Optional[Progress] = None,
        vectors: Any = None,
        batch: Optional[int] = None,
        prune: Optional[Callable[[str], bool]] = None,
    ) -> list[AddResult]:
        """Add many files in one write; a file that cannot be read gets its ``error`` and the others go on.

        ``vectors`` (a ShippedVectors) gives vectors to take instead of
        embedding; ``prune`` names sources to remove when no path given here
        has that source (the corpus files that were deleted).
        """
        progress = progress or _Silent()
        names = list(sources) if sources else [source_name(Path(p)) for p in paths]
        pending: list[_Pending] = []
        progress.stage("切分文件", len(paths))
        for path, source in zip(paths, names):
            p = _Pending(AddResult(source=source))
            try:
                p.chunks = split_file(Path(path), source)
            except SourceError as exc:
                p.result.error = str(exc)
            else:
                p.ids = self._ids_for(p.chunks)
                p.result.kind = str(p.chunks[0].meta.get("kind", "")) if p.chunks else ""
            pending.append(p)
            progress.advance(1)
        with self._writing() as store:
            have = store.live_ids()
            todo: list[tuple[str, Chunk]] = []
            for p in pending:
                if p.result.error:
                    continue
                new = [(i, c) for i, c in zip(p.ids, p.chunks) if i not in have]
                p.result.added = len(new)
                p.result.unchanged = len(p.chunks) - len(new)
                todo.extend(new)
            embedded = self._write_chunks(store, todo, progress, vectors, batch)
            by_source = {p.result.source: p for p in pending if not p.result.error}
            for p in pending:
                if not p.result.error:
                    p.result.embedded = sum(1 for i in p.ids if i in embedded)
            # A changed file (or a changed way of cutting it) replaces what the
            # index held for that source, once its new passages are all in.
            stale: list[str] = []
            for src in store.sources():
                same = by_source.get(src.source)
                if same is not None:
                    keep = set(same.ids)
                    old = [i for i in store.ids_of(src.source, src.source_id) if i not in keep]
                    same.result.replaced += len(old)
                    stale.extend(old)
                elif prune is not None and prune(src.source):
                    stale.extend(store.ids_of(src.source, src.source_id))
            for start in range(0, len(stale), PAGE):
                self.collection.delete(ids=stale[start : start + PAGE])
            store.delete_ids(stale)
        return [p.result for p in pending]

    def add_chunks(self, chunks: Sequence[Chunk], progress: Optional[Progress] = None, vectors: Any = None,
                   batch: Optional[int] = None) -> tuple[int, int]:
        """Add passages made elsewhere (not from files) in one write; returns (added, already there)."""
        ids = self._ids_for(chunks)
        with self._writing() as store:
            have = store.live_ids()
            todo = [(i, c) for i, c in zip(ids, chunks) if i not in have]
            self._write_chunks(store, todo, progress or _Silent(), vectors, batch)
        return len(todo), len(chunks) - len(todo)

    def _write_chunks(self, store: LexicalStore, todo: list[tuple[str, Chunk]], progress: Progress,
                      vectors: Any, batch: Optional[int]) -> set[str]:
        """Write chunks to Chroma in large batches and to one new lexical segment; returns the ids embedded here."""
        progress.stage("写入索引", len(todo))
        embedded: set[str] = set()
        rows: list[Row] = []
        # About twenty writes for a long run (so the progress bar moves), but no fewer than
        # MIN_WRITE passages a write: each Chroma add has a cost of its own (20-80 ms).
        write_batch = batch or min(WRITE_BATCH, max(MIN_WRITE, len(todo) // 20))
        embed_batch = min(batch or EMBED_BATCH, EMBED_BATCH)
        try:
            start = 0
            while start < len(todo):
                # A batch ends at WRITE_BATCH passages, or at EMBED_BATCH that need embedding.
                end, need = start, 0
                vecs: list[Optional[np.ndarray]] = []
                while end < len(todo) and end - start < write_batch and need < embed_batch:
                    v = vectors.get(todo[end][1].text) if vectors is not None else None
                    vecs.append(v)
                    need += v is None
                    end += 1
                part = todo[start:end]
                missing = [k for k, v in enumerate(vecs) if v is None]
                if missing:
                    fresh = self.embedding.embed_many([part[k][1].text for k in missing])
                    for k, v in zip(missing, fresh):
                        vecs[k] = v
                        embedded.add(part[k][0])
                metas = []
                for cid, c in part:
                    m = dict(c.meta)
                    m["tokens"] = " ".join(tokenize(c.text))
                    metas.append(m)
                    rows.append(Row.from_meta(cid, m))
                self.collection.add(
                    ids=[cid for cid, _ in part],
                    documents=[c.text for _, c in part],
                    metadatas=metas,
                    embeddings=np.stack([np.asarray(v, dtype=np.float32) for v in vecs]),
                )
                # Whatever reached Chroma is in the lexical copy too (an
                # interrupted source stays incomplete: it has fewer passages
                # than it says); one segment per batch keeps memory flat, and
                # the store merges them.
                store.add(rows)
                rows = []
                progress.advance(len(part))
                start = end
        finally:
            store.add(rows)
        return embedded

    @staticmethod
    def _ids_for(chunks: Sequence[Chunk]) -> list[str]:
        return [chunk_id(str(c.meta.get("source_id", "")), int(c.meta.get("position", i)), c.text)
                for i, c in enumerate(chunks)]

    def build_default(self, corpus_dir: Optional[Path] = None,
                      progress: Optional[Progress] = None,
                      extra: Iterable[Path] = ()) -> list[AddResult]:
        """Index the bundled corpus; safe to run again (only new or changed passages are written).

        Vectors come from the corpus's ``vectors/`` folder (or the default
        corpus's) when they were made by this model; the rest are embedded.
        """
        from .embedding import model_id
        from .vectors import ShippedVectors

        root = Path(corpus_dir) if corpus_dir else default_corpus_dir()
        if not root.is_dir():
            raise SourceError(f"找不到语料目录：{root}")
        folder = root / "vectors" if (root / "vectors").is_dir() else default_corpus_dir() / "vectors"
        shipped = ShippedVectors.load(folder, model_id(self.embedding.variant))
        paths = list(iter_corpus_files(root)) + list(extra)
        names = [corpus_source_name(p, root) for p in paths]
        # Corpus files that were deleted or renamed leave the index too; what
        # users added themselves is never touched here.
        current = set(names)
        results = self.add_files(paths, names, progress=progress, vectors=shipped,
                                 prune=lambda s: s.startswith("corpus/") and s not in current)
        for r in results:
            if r.error:
                raise SourceError(r.error)
        return results

    def remove(self, selector: str) -> list[str]:
        """Remove every source whose name, content id or file name matches; returns the names removed."""
        sel = selector.strip()
        if not sel:
            return []
        resolved = source_name(Path(sel))
        matches = [s for s in self._lexical().sources()
                   if s.source in (sel, resolved) or s.source_id == sel
                   or (len(sel) >= 6 and s.source_id.startswith(sel)) or Path(s.source).name == sel]
        if not matches:
            return []
        names = sorted({s.source for s in matches})
        with self._writing() as store:
            ids = [i for s in store.sources() if s.source in names for i in store.ids_of(s.source, s.source_id)]
            for name in names:
                self.collection.delete(where={"source": name})
            store.delete_ids(ids)
        return names

    # ------------------------------------------------------------ reading

    def sources(self) -> list[SourceInfo]:
        out = [SourceInfo(s.source, s.source_id, s.kind, s.chunks, s.title, s.complete, s.expected)
               for s in self._lexical().sources()]
        return sorted(out, key=lambda s: (s.kind != "regulation", s.source, s.source_id))

    def search(
        self,
        query: str,
        k: int = 5,
        kind: Optional[str] = None,
        year: Optional[int] = None,
        edition: Optional[str] = None,
        section: Optional[str] = None,
        depth: Optional[int] = None,
    ) -> list[Hit]:
        """Hybrid search: dense and BM25 candidates fused by reciprocal rank.

        A query that names an article ("第五十条") puts that article first:
        users who name an article want that article, and neither retriever
        ranks a bare number reliably.
        """
        query = query.strip()
        if not query:
            return []
        f = Filters(kind, year, edition, section).normalised()
        store = self._lexical()
        if not store.size:
            return []
        depth = depth or max(50, 4 * k)
        incomplete = store.incomplete_source_ids()

        def usable(cid: str) -> bool:
            return not incomplete or cid.split("-", 1)[0] not in incomplete

        writing = bool(WRITING_RE.search(query)) and not f.kind
        warm = self._warm_dense()

        # Lexical side, with the same filters as a mask.
        q_tokens = tokenize(query)
        lex = store.search(q_tokens, depth, f.mask(store))

        # Dense side: the query vector with e5's "query: " prefix.
        vec = self.embedding.query_vector(query)
        if warm is not None:
            warm.join()
        dense = self.collection.query(
            query_embeddings=[vec],
            n_results=min(depth, store.size),
            where=f.where(),
            include=["distances", "metadatas"] if writing else ["distances"],
        )
        kinds: dict[str, str] = {}
        if writing:
            kinds.update((i, str((m or {}).get("kind", ""))) for i, m in zip(dense["ids"][0], dense["metadatas"][0]))

        fused: dict[str, Hit] = {}

        def hit(cid: str) -> Hit:
            h = fused.get(cid)
            if h is None:
                h = fused[cid] = Hit(id=cid, text="", meta={}, score=0.0)
            return h

        rank = 0
        for cid, dist in zip(dense["ids"][0], dense["distances"][0]):
            if not usable(cid):
                continue
            rank += 1
            h = hit(cid)
            h.dense_rank, h.dense_score = rank, 1.0 - dist
            h.score += 1.0 / (RRF_K + rank)
        rank = 0
        for cid, score, kind_ in lex:
            if not usable(cid):
                continue
            rank += 1
            h = hit(cid)
            h.bm25_rank, h.bm25_score = rank, score
            h.score += 1.0 / (RRF_K + rank)
            kinds.setdefault(cid, kind_)

        # "怎么写…" asks for examples to write from, which only reports hold:
        # the reports among the candidates get a third vote, in fused order.
        if writing:
            reports = sorted((h for h in fused.values() if kinds.get(h.id) == "report"), key=lambda h: -h.score)
            for rank, h in enumerate(reports, start=1):
                h.score += 1.0 / (RRF_K + rank)

        named = [n for n in self._named_articles(query, f) if usable(n[0])]
        for order, (cid, doc, meta) in enumerate(named):
            h = hit(cid)
            h.named = True
            h.text, h.meta = doc, meta
            # Above anything fusion can give (at most 3/(RRF_K+1)), in preference order.
            h.score += 1.0 + (len(named) - order) * 0.01

        ranked = sorted(fused.values(), key=lambda h: -h.score)[:k]
        need = [h.id for h in ranked if not h.meta]
        if need:
            got = self.collection.get(ids=need, include=["documents", "metadatas"])
            found = {i: (d, dict(m or {})) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}
            for h in ranked:
                if h.id in found:
                    h.text, h.meta = found[h.id]
            ranked = [h for h in ranked if h.meta]  # removed by another process a moment ago
        for h in ranked:
            h.snippet = make_snippet(h.text, q_tokens)
        return ranked

    def _warm_dense(self) -> Optional[threading.Thread]:
        """On the first search of an embedded index, load its vector index in a thread meanwhile.

        The first query of a process reads the HNSW files (0.1-0.2 s); Chroma
        does that outside the GIL, so it overlaps with loading the embedding
        model and cutting the query.
        """
        if self._warmed or self.chroma_url:
            return None
        self._warmed = True

        def run() -> None:
            try:
                self.collection.query(query_embeddings=[[1.0] + [0.0] * 383], n_results=1, include=[])
            except Exception:  # noqa: BLE001 - the real query below reports any problem
                pass

        t = threading.Thread(target=run, name="nianbao-warm-dense", daemon=True)
        t.start()
        return t

    def _named_articles(self, query: str, f: Filters) -> list[tuple[str, str, dict[str, Any]]]:
        numbers = articles_named(query)
        if not numbers or (f.kind and f.kind != "regulation"):
            return []
        out: list[tuple[str, str, dict[str, Any]]] = []
        seen: set[str] = set()
        for n in numbers:
            got = self.collection.get(where=f.where({"kind": "regulation"}, {"article": n}),
                                      include=["documents", "metadatas"])
            cands = [(i, d, dict(m or {})) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
            # The document the query names wins; otherwise the 条例 itself.
            cands.sort(key=lambda c: (not _names_doc(query, c[2]), not c[2].get("primary", False),
                                      int(c[2].get("position", 0)), c[0]))
            for c in cands:
                if c[0] not in seen:
                    seen.add(c[0])
                    out.append(c)
        return out


def _names_doc(query: str, meta: dict[str, Any]) -> bool:
    for key in ("short", "doc_title", "doc_number"):
        v = str(meta.get(key) or "")
        if v and v in query:
            return True
    for word in str(meta.get("aliases", "")).split():
        if word and word in query:
            return True
    return False


def make_snippet(text: str, tokens: Sequence[str], width: int = 120) -> str:
    """A window of the chunk around the first strong query term (or its start)."""
    body = text.split("\n", 1)[1] if "\n" in text else text
    body = body.replace("\n", " ")
    best = None
    for tok in sorted(set(tokens), key=len, reverse=True):
        if len(tok) < 2:
            continue
        at = body.find(tok)
        if at >= 0 and (best is None or at < best):
            best = at
            break
    start = 0 if best is None or best < width // 3 else best - width // 4
    piece = body[start : start + width]
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(body) else "")


def source_name(path: Path) -> str:
    """A user's file is named by its absolute path (links resolved when they can be)."""
    try:
        return str(path.expanduser().resolve())
    except (OSError, RuntimeError):  # a symbolic-link loop: the error comes when it is read
        return os.path.abspath(path.expanduser())


def corpus_source_name(path: Path, root: Path) -> str:
    """Corpus files are named relative to the corpus folder, so the index is the same on every machine."""
    try:
        return "corpus/" + Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(Path(path).resolve())
