"""The index: a Chroma collection (dense vectors) plus BM25 over jieba tokens.

Chroma holds everything that must persist: the chunk text, its metadata and
its jieba tokens (as a metadata string). The BM25 side is rebuilt in memory
from those tokens when the index opens, so it needs no files of its own and
works the same whether Chroma is embedded or a server: whatever the
collection holds is what both retrievers search.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence
from urllib.parse import urlparse

import numpy as np

from ..settings import get_settings
from .chunks import Chunk, chunk_id
from .embedding import E5Embedding
from .lexical import Lexical
from .split import SECTION_HEADINGS, iter_corpus_files, split_file
from .tokens import articles_named, tokenize

COLLECTION = "nianbao"
REVISION_KEY = "nianbao_revision"
RRF_K = 60  # the constant of reciprocal-rank fusion (Cormack et al. use 60)
BATCH = 32
WRITING_RE = re.compile(r"怎么写|如何写|怎样写|写法|范文|范例")


def default_data_dir() -> Path:
    return get_settings().data_dir


def default_corpus_dir() -> Path:
    configured = get_settings().corpus_dir
    if configured is not None:
        return configured
    # corpus/ sits at the top of the repository, beside the package.
    return Path(__file__).resolve().parents[2] / "corpus"


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


@dataclass
class SourceInfo:
    source: str
    source_id: str
    kind: str
    chunks: int
    title: str


@dataclass
class Filters:
    kind: Optional[str] = None
    year: Optional[int] = None
    edition: Optional[str] = None
    section: Optional[str] = None

    def normalised(self) -> "Filters":
        return Filters(self.kind, self.year, str(self.edition) if self.edition else None,
                       normalise_section(self.section))

    def where(self) -> Optional[dict[str, Any]]:
        conds: list[dict[str, Any]] = []
        if self.kind:
            conds.append({"kind": self.kind})
        if self.year:
            conds.append({"year": int(self.year)})
        if self.edition:
            conds.append({"edition": str(self.edition)})
        if self.section:
            conds.append({"section": self.section})
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


def normalise_section(section: Optional[str]) -> Optional[str]:
    """"一", "一、总体情况" and "总体情况" all mean section 一."""
    if not section:
        return None
    s = section.strip()
    if s[0] in SECTION_HEADINGS:
        return s[0]
    for key, heading in SECTION_HEADINGS.items():
        if s in heading:
            return key
    if s in ("preamble", "前言"):
        return "preamble"
    raise ValueError(f"不认识的章节：{section}（可用：一 至 六，或章节名称）")


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


class Index:
    """Hybrid retrieval over one Chroma collection."""

    def __init__(
        self,
        data_dir: Optional[Path] = None,
        chroma_url: Optional[str] = None,
        collection: str = COLLECTION,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.chroma_url = chroma_url if chroma_url is not None else get_settings().chroma_url
        self.client = _client(self.data_dir, self.chroma_url)
        self.embedding = E5Embedding()
        self.collection = self.client.get_or_create_collection(
            name=collection,
            embedding_function=self.embedding,
            configuration={"hnsw": {"space": "cosine"}},
        )
        self._ids: list[str] = []
        self._docs: list[str] = []
        self._metas: list[dict[str, Any]] = []
        self._lexical: Optional[Lexical] = None
        self.load_seconds = 0.0

    # ------------------------------------------------------------ state

    @property
    def where(self) -> str:
        return f"Chroma 服务 {self.chroma_url}" if self.chroma_url else f"本地数据目录 {self.data_dir}"

    def count(self) -> int:
        return self.collection.count()

    def _revision(self) -> Optional[str]:
        """The revision stamp writers leave on the collection (fresh from Chroma, as another process may write)."""
        try:
            meta = self.client.get_collection(self.collection.name, embedding_function=self.embedding).metadata
        except Exception:
            return None
        return (meta or {}).get(REVISION_KEY)

    def _bump_revision(self) -> str:
        rev = uuid.uuid4().hex
        self.collection.modify(metadata={REVISION_KEY: rev})
        return rev

    def _cache_path(self) -> Path:
        where = self.chroma_url or "embedded"
        key = hashlib.sha256(f"{where}\n{self.collection.id}".encode()).hexdigest()[:16]
        return self.data_dir / "lexical-cache" / f"{key}.pkl"

    def _load(self) -> None:
        """Chunk texts, metadata and BM25, from the local cache when the collection has not changed.

        Reading 10,000 chunks back from Chroma and indexing them takes a
        second or two; every writer stamps the collection with a new revision,
        so a cache saved under the current stamp is known to be current.
        """
        t0 = time.perf_counter()
        rev = self._revision()
        path = self._cache_path()
        if rev and path.exists():
            try:
                with path.open("rb") as fh:
                    cached = pickle.load(fh)
                if cached.get("revision") == rev:
                    self._ids, self._docs, self._metas = cached["ids"], cached["docs"], cached["metas"]
                    self._lexical = cached["lexical"]
                    self.load_seconds = time.perf_counter() - t0
                    return
            except Exception:
                pass  # a damaged or outdated cache is rebuilt below
        ids: list[str] = []
        docs: list[str] = []
        metas: list[dict[str, Any]] = []
        total = self.collection.count()
        page = 5000
        for offset in range(0, total, page):
            got = self.collection.get(include=["documents", "metadatas"], limit=page, offset=offset)
            ids.extend(got["ids"])
            docs.extend(got["documents"] or [])
            metas.extend(dict(m or {}) for m in (got["metadatas"] or []))
        self._ids, self._docs, self._metas = ids, docs, metas
        self._lexical = Lexical([str(m.get("tokens", "")).split() for m in metas])
        if not rev and ids:
            rev = self._bump_revision()
        if rev:
            self._save_cache(path, rev)
        self.load_seconds = time.perf_counter() - t0

    def _save_cache(self, path: Path, rev: str) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump({"revision": rev, "ids": self._ids, "docs": self._docs, "metas": self._metas,
                             "lexical": self._lexical}, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only data folder only costs the next open its speed-up

    def _changed(self) -> None:
        self._bump_revision()
        self._lexical = None

    def _ensure_loaded(self) -> None:
        if self._lexical is None:
            self._load()

    # ------------------------------------------------------------ writing

    def add_chunks(
        self,
        chunks: Sequence[Chunk],
        progress: Optional[Callable[[int], None]] = None,
    ) -> tuple[int, int]:
        """Add chunks not already present; returns (added, unchanged)."""
        ids = self._ids_for(chunks)
        existing: set[str] = set()
        for i in range(0, len(ids), 500):
            existing.update(self.collection.get(ids=ids[i : i + 500], include=[])["ids"])
        todo = [(i, c) for i, c in zip(ids, chunks) if i not in existing]
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            metas = []
            for _, c in batch:
                m = dict(c.meta)
                m["tokens"] = " ".join(tokenize(c.text))
                metas.append(m)
            self.collection.add(
                ids=[i for i, _ in batch],
                documents=[c.text for _, c in batch],
                metadatas=metas,
            )
            if progress:
                progress(len(batch))
        if todo:
            self._changed()
        return len(todo), len(existing)

    @staticmethod
    def _ids_for(chunks: Sequence[Chunk]) -> list[str]:
        return [chunk_id(str(c.meta.get("source_id", "")), int(c.meta.get("position", i)), c.text)
                for i, c in enumerate(chunks)]

    def add_file(self, path: Path, source: Optional[str] = None,
                 progress: Optional[Callable[[int], None]] = None) -> AddResult:
        path = Path(path)
        source = source or str(path.resolve())
        chunks = split_file(path, source)
        # A changed file (or a changed way of cutting it) replaces what the
        # index held for that source rather than sitting beside it.
        new_ids = set(self._ids_for(chunks))
        old = self.collection.get(where={"source": source}, include=[])
        stale = [i for i in old["ids"] if i not in new_ids]
        if stale:
            self.collection.delete(ids=stale)
            self._changed()
        added, unchanged = self.add_chunks(chunks, progress=progress)
        kind = str(chunks[0].meta.get("kind", "")) if chunks else ""
        return AddResult(source=source, added=added, unchanged=unchanged, replaced=len(stale), kind=kind)

    def build_default(self, corpus_dir: Optional[Path] = None,
                      progress: Optional[Callable[[int], None]] = None,
                      extra: Iterable[Path] = ()) -> list[AddResult]:
        """Index the bundled corpus; safe to run again (only new or changed files are embedded)."""
        root = Path(corpus_dir) if corpus_dir else default_corpus_dir()
        if not root.is_dir():
            raise FileNotFoundError(f"找不到语料目录：{root}")
        results = []
        for p in list(iter_corpus_files(root)) + list(extra):
            results.append(self.add_file(p, source=corpus_source_name(p, root), progress=progress))
        # Corpus files that were deleted or renamed leave the index too; what
        # users added themselves is never touched here.
        current = {r.source for r in results}
        self._ensure_loaded()
        for src in sorted({str(m.get("source", "")) for m in self._metas}):
            if src.startswith("corpus/") and src not in current:
                self.collection.delete(where={"source": src})
                self._changed()
        return results

    def remove(self, selector: str) -> list[str]:
        """Remove every source whose name, content id or file name matches; returns the names removed."""
        self._ensure_loaded()
        sel = selector.strip()
        resolved = str(Path(sel).expanduser().resolve()) if sel else sel
        names = set()
        for m in self._metas:
            src, sid = str(m.get("source", "")), str(m.get("source_id", ""))
            if sel and (src == sel or src == resolved or sid == sel or (len(sel) >= 6 and sid.startswith(sel))
                        or Path(src).name == sel):
                names.add(src)
        for name in names:
            self.collection.delete(where={"source": name})
        if names:
            self._changed()
        return sorted(names)

    # ------------------------------------------------------------ reading

    def sources(self) -> list[SourceInfo]:
        self._ensure_loaded()
        found: dict[str, SourceInfo] = {}
        for m in self._metas:
            src = str(m.get("source", ""))
            info = found.get(src)
            if info is None:
                if m.get("kind") == "regulation":
                    title = str(m.get("doc_title") or m.get("short") or "")
                else:
                    year = f"{m['year']}年" if m.get("year") else ""
                    title = f"{m.get('agency') or '未署名机关'}{year}年度报告"
                info = found[src] = SourceInfo(src, str(m.get("source_id", "")), str(m.get("kind", "")), 0, title)
            info.chunks += 1
        return sorted(found.values(), key=lambda s: (s.kind != "regulation", s.source))

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
        self._ensure_loaded()
        assert self._lexical is not None
        if not self._ids:
            return []
        f = Filters(kind, year, edition, section).normalised()
        depth = depth or max(50, 4 * k)

        # Dense side: the query vector with e5's "query: " prefix.
        vec = self.embedding.query_vector(query)
        dense = self.collection.query(
            query_embeddings=[vec],
            n_results=min(depth, len(self._ids)),
            where=f.where(),
            include=["distances"],
        )
        dense_ids = dense["ids"][0]
        dense_sim = [1.0 - d for d in dense["distances"][0]]

        # Lexical side, with the same filters as a mask.
        mask = None
        if f.where() is not None:
            mask = np.fromiter((f.accepts(m) for m in self._metas), dtype=bool, count=len(self._metas))
        q_tokens = tokenize(query)
        lex = self._lexical.top(q_tokens, depth, mask)

        pos = {i: n for n, i in enumerate(self._ids)}
        fused: dict[int, Hit] = {}

        def hit(ix: int) -> Hit:
            h = fused.get(ix)
            if h is None:
                h = fused[ix] = Hit(id=self._ids[ix], text=self._docs[ix], meta=self._metas[ix], score=0.0)
            return h

        for rank, (cid, sim) in enumerate(zip(dense_ids, dense_sim), start=1):
            ix = pos.get(cid)
            if ix is None:  # written by another process since we loaded
                continue
            h = hit(ix)
            h.dense_rank, h.dense_score = rank, sim
            h.score += 1.0 / (RRF_K + rank)
        for rank, (ix, score) in enumerate(lex, start=1):
            h = hit(ix)
            h.bm25_rank, h.bm25_score = rank, score
            h.score += 1.0 / (RRF_K + rank)

        # "怎么写…" asks for examples to write from, which only reports hold:
        # the reports among the candidates get a third vote, in fused order.
        if WRITING_RE.search(query) and not f.kind:
            reports = sorted((h for h in fused.values() if h.meta.get("kind") == "report"), key=lambda h: -h.score)
            for rank, h in enumerate(reports, start=1):
                h.score += 1.0 / (RRF_K + rank)

        named = self._named_articles(query, f)
        for order, ix in enumerate(named):
            h = hit(ix)
            h.named = True
            # Above anything fusion can give (at most 2/(RRF_K+1)), in preference order.
            h.score += 1.0 + (len(named) - order) * 0.01

        ranked = sorted(fused.values(), key=lambda h: -h.score)[:k]
        for h in ranked:
            h.snippet = make_snippet(h.text, q_tokens)
        return ranked

    def _named_articles(self, query: str, f: Filters) -> list[int]:
        numbers = articles_named(query)
        if not numbers or (f.kind and f.kind != "regulation"):
            return []
        out: list[int] = []
        for n in numbers:
            cands = [ix for ix, m in enumerate(self._metas)
                     if m.get("kind") == "regulation" and m.get("article") == n and f.accepts(m)]
            # The document the query names wins; otherwise the 条例 itself.
            cands.sort(key=lambda ix: (not _names_doc(query, self._metas[ix]),
                                       not self._metas[ix].get("primary", False),
                                       int(self._metas[ix].get("position", 0))))
            out.extend(c for c in cands if c not in out)
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


def corpus_source_name(path: Path, root: Path) -> str:
    """Corpus files are named relative to the corpus folder, so the index is the same on every machine."""
    try:
        return "corpus/" + Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(Path(path).resolve())
