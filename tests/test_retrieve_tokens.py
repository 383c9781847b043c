"""jieba without jieba's cache: the dictionary looked up lazily from arrays of ours, cutting exactly as before."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import LINZI
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.retrieve.split import iter_corpus_files, split_file
from assistant.retrieve.tokens import cut_tokens, extra_words, tokenize
from assistant.retrieve.wordfreq import Arrays, import_jieba

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """jieba's own tokenizer with its full dictionary (its cache kept in a folder of this test)."""
    jieba = import_jieba()
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(tmp_path_factory.mktemp("jieba-cache"))
    tk.initialize()
    for word, freq in extra_words():
        tk.add_word(word, freq=freq)
    return tk


def corpus_texts() -> list[str]:
    texts = []
    for p in iter_corpus_files(ROOT / "corpus"):
        texts.extend(c.text for c in split_file(p, p.name))
    return texts


def test_the_lazy_dictionary_cuts_the_corpus_exactly_as_the_full_one(reference):
    texts = corpus_texts()
    assert len(texts) > 200
    for text in texts:
        assert tokenize(text) == cut_tokens(reference, text)


def test_the_lazy_dictionary_cuts_a_real_report_exactly_as_the_full_one(reference, realdata_dir):
    text = (realdata_dir / LINZI.name).read_text(encoding="utf-8")
    assert tokenize(text) == cut_tokens(reference, text)


MIXED = st.text(alphabet=st.sampled_from(list("政府信息公开年度报告申请行政复议诉讼主动依条例第五十条款项处理费收取"
                                              "不予部分无法提供结转下年度人民办公室街道乡镇统计局")
                                         + list("abcXYZ019%.-#&+ ，。、（）\n")), max_size=80)


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_the_lazy_dictionary_cuts_any_text_as_the_full_one(reference, text):
    assert tokenize(text) == cut_tokens(reference, text)


def test_a_planted_jieba_cache_is_never_read_and_nothing_is_written_outside_the_data_dir(tmp_path):
    """jieba trusts a marshal file in the temp folder; ours never opens it, and writes only to the data dir."""
    tmp, home, data = tmp_path / "tmp", tmp_path / "home", tmp_path / "data"
    for d in (tmp, home, data):
        d.mkdir()
    # A cache jieba would load for its default dictionary: a dictionary that knows nothing.
    with open(tmp / "jieba.cache", "wb") as fh:
        marshal.dump(({"x": 1}, 1), fh)
    script = textwrap.dedent(f"""
        import json, sys
        opened = []
        def hook(event, args):
            if event == "open" and args and isinstance(args[0], (str, bytes)) and "jieba" in str(args[0]):
                opened.append(str(args[0]))
        sys.addaudithook(hook)
        from pathlib import Path
        from assistant.retrieve import tokens
        tokens.use_cache_dir(Path({str(data / "cache")!r}))
        import jieba
        print(json.dumps({{"tokens": tokens.tokenize("政府信息公开工作年度报告"), "opened": opened,
                          "initialized": jieba.dt.initialized}}, ensure_ascii=False))
    """)
    env = dict(os.environ, TMPDIR=str(tmp), HOME=str(home), PYTHONPATH=str(ROOT))
    env.pop("NIANBAO_DATA_DIR", None)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["tokens"] == tokenize("政府信息公开工作年度报告")
    assert not any(p.endswith(".cache") for p in got["opened"]), got["opened"]
    assert not got["initialized"]  # jieba's global tokenizer (the one that reads the cache) never loaded
    assert sorted(p.name for p in tmp.iterdir()) == ["jieba.cache"]
    assert list(home.iterdir()) == []
    assert [p.name for p in (data / "cache").iterdir()]  # our arrays went to the data dir


class Marker:
    def __reduce__(self):
        return (os.mkdir, ("/nonexistent-should-not-run",))


def test_planted_dictionary_arrays_are_refused_and_rebuilt(tmp_path):
    from assistant.retrieve import wordfreq

    tag = wordfreq._tag()
    folder = tmp_path / tag
    folder.mkdir()
    (folder / "head.json").write_text(json.dumps({"format": 1, "tag": tag, "total": 1, "lengths": [[1, 1]]}))
    np.save(folder / "keys.npy", np.array([Marker()], dtype=object), allow_pickle=True)
    np.save(folder / "freqs.npy", np.array([1], dtype=np.int64))
    assert Arrays.load(folder, tag) is None
    arrays = wordfreq.load_arrays(tmp_path)
    assert arrays.total > 1_000_000 and len(arrays.by_len) > 5
    assert Arrays.load(folder, tag) is not None  # the sound copy replaced the planted one
    assert (tmp_path / (tag + ".damaged") / "keys.npy").exists()  # which is kept aside, not deleted


def test_article_numbers_use_the_projects_one_number_reader():
    from assistant.parse.numbers import chinese_to_number
    from assistant.retrieve.tokens import articles_named, cn_to_int

    # A slogan is no number: "十四五" once read as 15 here.
    assert cn_to_int("十四五") is None
    assert articles_named("“十四五”规划和第十四五条都不是条文；第五十条、第50条才是") == [50]
    for text in ("十", "二十", "一百零五", "两千", "一千零一十"):
        assert cn_to_int(text) == chinese_to_number(text)
