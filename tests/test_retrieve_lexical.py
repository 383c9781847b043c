"""The lexical index: plain arrays on disk, updated without a rebuild, scoring as a fresh BM25 would.

No embedding model and no Chroma here: the store is tested on its own, against
bm25s (the library the project used before) built from scratch over the same
passages.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import bm25s
import numpy as np
import pytest

from assistant.retrieve.lexical import MERGE_FACTOR, Damaged, LexicalStore, Row

WORDS = [f"词{i}" for i in range(300)]


def make_rows(n: int, seed: int, prefix: str) -> list[Row]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        # Zipf-like: a few words in most passages, most words rare.
        tokens = [WORDS[min(int(rnd.paretovariate(1.2)) - 1, len(WORDS) - 1)] for _ in range(rnd.randint(0, 60))]
        rows.append(Row(id=f"{prefix}-{i:05d}", tokens=tokens, kind=rnd.choice(["report", "regulation"]),
                        year=rnd.choice([2019, 2021, 2023]), source=f"src/{prefix}/{i // 10}",
                        source_id=f"{prefix}{i // 10:04d}", title="t", expected=10))
    return rows


def fresh_bm25_scores(rows: list[Row], query: list[str]) -> dict[str, float]:
    corpus = [r.tokens if r.tokens else ["\u0000"] for r in rows]
    bm = bm25s.BM25()  # lucene variant, k1 1.5, b 0.75: the defaults the store reproduces
    bm.index(corpus, show_progress=False)
    ids = bm.get_tokens_ids(query)
    scores = bm.get_scores_from_ids(ids) if ids else np.zeros(len(rows))
    return {r.id: float(s) for r, s in zip(rows, scores) if s > 0}


def store_scores(store: LexicalStore, query: list[str]) -> dict[str, float]:
    return {cid: score for cid, score, _ in store.search(query, k=10_000)}


QUERIES = [["词0"], ["词1", "词2"], ["词0", "词0", "词7"], ["词40", "词3", "不在词表"], ["词299"]]


def assert_same_scores(store: LexicalStore, live: list[Row]) -> None:
    for q in QUERIES:
        want = fresh_bm25_scores(live, q)
        got = store_scores(store, q)
        assert set(got) == set(want), q
        for cid, s in want.items():
            assert got[cid] == pytest.approx(s, rel=1e-5), (q, cid)


def test_scores_after_adds_deletes_and_merges_equal_a_bm25_built_from_scratch(tmp_path):
    folder = tmp_path / "lex"
    store = LexicalStore(folder)
    live: list[Row] = []
    for batch in range(2 * MERGE_FACTOR + 3):  # enough single-file adds to force merges
        rows = make_rows(25, seed=batch, prefix=f"b{batch}")
        store.add(rows)
        live.extend(rows)
        if batch % 3 == 2:  # remove a few passages, as a replaced or removed source would
            gone = {r.id for r in live[batch::7]}
            assert store.delete_ids(gone) == len(gone)
            live = [r for r in live if r.id not in gone]
        store.save(f"rev{batch}")
    assert store.size == len(live)
    assert len(store.segments) < MERGE_FACTOR + 2, "small segments are merged, not left to pile up"
    assert_same_scores(store, live)

    again = LexicalStore.open(folder)
    assert again.revision == f"rev{2 * MERGE_FACTOR + 2}"
    assert again.live_ids() == {r.id for r in live}
    assert_same_scores(again, live)
    # Only the segments the manifest names are on disk.
    names = {e["name"] for e in json.loads((folder / "manifest.json").read_text())["segments"]}
    assert {p.name for p in (folder / "segments").iterdir()} == names


def test_adding_a_file_writes_one_segment_and_leaves_the_others_untouched(tmp_path):
    folder = tmp_path / "lex"
    store = LexicalStore(folder)
    big = make_rows(2000, seed=1, prefix="big")
    store.add(big)
    store.save("r1")
    files = {p: p.stat().st_mtime_ns for p in (folder / "segments").glob("*/*")}
    old = {p.parent.name for p in files}
    store = LexicalStore.open(folder)
    small = make_rows(12, seed=2, prefix="new")
    store.add(small)
    store.save("r2")
    segs = {p.name for p in (folder / "segments").iterdir()}
    assert old <= segs and len(segs) == len(old) + 1
    for p, mtime in files.items():  # the 2,000-passage segment was not rewritten
        assert p.stat().st_mtime_ns == mtime
    assert_same_scores(LexicalStore.open(folder), big + small)


def test_filters_mask_by_the_stored_columns(tmp_path):
    store = LexicalStore(tmp_path)
    rows = make_rows(200, seed=3, prefix="f")
    store.add(rows)
    mask = (store.column("kind") == "report") & (store.column("year") == 2021)
    got = store.search(["词0"], k=1000, mask=mask)
    want = {r.id for r in rows if r.kind == "report" and r.year == 2021 and "词0" in r.tokens}
    assert {cid for cid, _, _ in got} == want
    assert {kind for _, _, kind in got} == {"report"}


def test_sources_count_live_passages_and_know_an_incomplete_one(tmp_path):
    store = LexicalStore(tmp_path)
    rows = make_rows(30, seed=4, prefix="s")  # three sources of ten passages each
    store.add(rows)
    store.delete_ids([rows[0].id, rows[1].id])
    by_id = {s.source_id: s for s in store.sources()}
    assert by_id["s0000"].chunks == 8 and not by_id["s0000"].complete
    assert by_id["s0001"].chunks == 10 and by_id["s0001"].complete
    assert store.incomplete_source_ids() == {"s0000"}
    assert sorted(store.ids_of("src/s/1", "s0001")) == [r.id for r in rows[10:20]]


def _segment_dir(folder: Path) -> Path:
    return next((folder / "segments").iterdir())


@pytest.mark.parametrize("damage", ["pickled ids", "bad offsets", "postings out of range", "manifest", "sources"])
def test_a_damaged_or_planted_file_makes_the_store_count_as_absent(tmp_path, damage):
    store = LexicalStore(tmp_path)
    store.add(make_rows(50, seed=5, prefix="d"))
    store.save("r")
    seg = _segment_dir(tmp_path)
    if damage == "pickled ids":
        # An object array: np.save writes it as a pickle; reading it must refuse, not unpickle.
        np.save(seg / "ids.npy", np.array([Marker()], dtype=object), allow_pickle=True)
    elif damage == "bad offsets":
        np.save(seg / "term_ptr.npy", np.array([0, 5, 3], dtype=np.int64))
    elif damage == "postings out of range":
        post = np.load(seg / "post_doc.npy")
        post[0] = 10_000
        np.save(seg / "post_doc.npy", post)
    elif damage == "manifest":
        (tmp_path / "manifest.json").write_text('{"format": 1, "revision": "r", "segments": [{"name": "../x"}]}')
    else:
        (seg / "sources.json").write_text('[["a", "b"]]')
    with pytest.raises(Damaged):
        LexicalStore.open(tmp_path)
    assert not Marker.ran


class Marker:
    ran = False

    def __reduce__(self):
        return (_ran, ())


def _ran():
    Marker.ran = True
    return Marker()
