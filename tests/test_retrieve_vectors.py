"""The default index ships its vectors (corpus/vectors/): they are what the model gives, and stale ones are not used."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieve import Index
from assistant.retrieve.embedding import E5Embedding, model_id
from assistant.retrieve.split import iter_corpus_files, split_file
from assistant.retrieve.store import corpus_source_name
from assistant.retrieve.vectors import ShippedVectors

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def shipped() -> ShippedVectors:
    vectors = ShippedVectors.load(CORPUS / "vectors", model_id())
    assert vectors is not None, "corpus/vectors/ is missing or for another model: run corpus/tools/embed_vectors.py"
    return vectors


def corpus_texts() -> list[str]:
    texts = []
    for p in iter_corpus_files(CORPUS):
        texts.extend(c.text for c in split_file(p, corpus_source_name(p, CORPUS)))
    return texts


def test_every_corpus_passage_has_a_shipped_vector(shipped):
    texts = corpus_texts()
    stale = [t[:40] for t in texts if shipped.get(t) is None]
    assert not stale, f"run corpus/tools/embed_vectors.py: {len(stale)} passages have no vector, e.g. {stale[:3]}"
    assert len(shipped) == len(set(texts))


@pytest.mark.slow  # embeds the whole corpus again
def test_shipped_vectors_equal_a_fresh_embedding(shipped):
    texts = corpus_texts()
    # Every 9th passage (30 of 271, from every file's part of the corpus): embedding all
    # takes a minute on two cores; corpus/tools/embed_vectors.py --check compares them all.
    sample = texts[::9]
    fresh = E5Embedding().embed_many(sample)
    got = np.stack([shipped.get(t) for t in sample])
    assert got.shape == fresh.shape == (len(sample), 384)
    # float16 keeps about three significant digits: components below 0.25 are within 1.2e-4.
    assert np.abs(got - fresh).max() < 1e-3
    cos = (got * fresh).sum(1) / np.linalg.norm(got, axis=1) / np.linalg.norm(fresh, axis=1)
    assert cos.min() > 0.9999


def test_building_the_default_index_embeds_nothing(tmp_path):
    results = Index(data_dir=tmp_path).build_default()
    assert sum(r.added for r in results) == len(corpus_texts())
    assert sum(r.embedded for r in results) == 0


def test_a_changed_corpus_passage_is_embedded_again_and_the_others_are_not(tmp_path, shipped):
    corpus = tmp_path / "corpus"
    (corpus / "regulations").mkdir(parents=True)
    shutil.copytree(CORPUS / "vectors", corpus / "vectors")
    src = (CORPUS / "regulations" / "fee-measures-2020.md").read_text(encoding="utf-8")
    assert "100元" in src
    changed = src.replace("100元", "120元", 1)
    (corpus / "regulations" / "fee-measures-2020.md").write_text(changed, encoding="utf-8")

    results = Index(data_dir=tmp_path / "data").build_default(corpus)
    assert [(r.added, r.embedded) for r in results] == [(results[0].added, 1)]

    index = Index(data_dir=tmp_path / "data")
    got = index.collection.get(include=["documents", "embeddings"])
    by_text = dict(zip(got["documents"], got["embeddings"]))
    new_text = next(t for t in by_text if "120元" in t)
    old_text = new_text.replace("120元", "100元", 1)
    assert shipped.get(new_text) is None and shipped.get(old_text) is not None
    fresh = E5Embedding().embed_many([new_text])[0]
    assert np.abs(np.asarray(by_text[new_text]) - fresh).max() < 1e-5  # embedded here, from the new text
    assert np.abs(np.asarray(by_text[new_text]) - shipped.get(old_text)).max() > 1e-3
    for text, vec in by_text.items():  # the shipped float16 values themselves (Chroma may round in the last bit)
        if text != new_text:
            assert np.abs(np.asarray(vec, dtype=np.float32) - shipped.get(text)).max() < 1e-6


def test_vectors_of_another_model_are_not_used(tmp_path):
    folder = tmp_path / "vectors"
    ShippedVectors.write(folder, "some-other-model", ["文本"], np.ones((1, 384), np.float32) / np.sqrt(384))
    assert ShippedVectors.load(folder, "some-other-model").get("文本") is not None
    assert ShippedVectors.load(folder, model_id()) is None
