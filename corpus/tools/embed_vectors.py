"""Embed the default corpus once and write its vectors to corpus/vectors/.

    python corpus/tools/embed_vectors.py            # (re)write corpus/vectors/
    python corpus/tools/embed_vectors.py --check    # embed again and compare with what is shipped

`nianbao index build` takes each passage's vector from corpus/vectors/ when
the model and the passage's hash match, and embeds only the others. Run this
after changing the corpus (e.g. after tools/reportgen.py) so that installs do
not embed the changed passages themselves; the test suite fails while the
shipped vectors lag behind the corpus.

The files are data: vectors.npy (float16, one row per passage, no pickle)
and index.json (the model's name and, per row, the hash of the embedded text).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.retrieve.config import default_corpus_dir  # noqa: E402
from assistant.retrieve.embedding import E5Embedding, model_id  # noqa: E402
from assistant.retrieve.split import iter_corpus_files, split_file  # noqa: E402
from assistant.retrieve.store import corpus_source_name  # noqa: E402
from assistant.retrieve.vectors import ShippedVectors  # noqa: E402


def corpus_texts(root: Path) -> list[str]:
    """Every passage `index build` writes for the corpus, in order."""
    texts: list[str] = []
    for path in iter_corpus_files(root):
        texts.extend(c.text for c in split_file(path, corpus_source_name(path, root)))
    return texts


def embed(texts: list[str]) -> np.ndarray:
    ef = E5Embedding()
    out = []
    t0 = time.perf_counter()
    for start in range(0, len(texts), 32):
        out.append(ef.embed_many(texts[start : start + 32]))
        done = min(start + 32, len(texts))
        print(f"  embedded {done}/{len(texts)} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    return np.concatenate(out) if out else np.zeros((0, 384), np.float32)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: corpus/)")
    ap.add_argument("--check", action="store_true", help="embed again and compare with the shipped vectors")
    args = ap.parse_args(argv)
    root = args.corpus or default_corpus_dir()
    folder = root / "vectors"
    model = model_id()
    texts = corpus_texts(root)
    fresh = embed(texts)
    if args.check:
        shipped = ShippedVectors.load(folder, model)
        if shipped is None:
            print(f"no vectors for {model} in {folder}")
            return 1
        missing = [t for t in texts if shipped.get(t) is None]
        got = np.stack([shipped.get(t) for t in texts if shipped.get(t) is not None])
        want = np.stack([v for t, v in zip(texts, fresh) if shipped.get(t) is not None])
        diff = float(np.abs(got - want).max()) if len(got) else 0.0
        cos = float(((got * want).sum(1) / np.linalg.norm(got, axis=1) / np.linalg.norm(want, axis=1)).min())
        print(f"passages: {len(texts)}  shipped: {len(texts) - len(missing)}  missing: {len(missing)}")
        print(f"largest difference per component: {diff:.2e}  lowest cosine: {cos:.6f}")
        return 0 if not missing and diff < 2e-3 else 1
    rows = ShippedVectors.write(folder, model, texts, fresh)
    print(f"wrote {rows} vectors of {model} to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
