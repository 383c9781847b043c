"""Embedding threads: one for a query, the free cores (or the setting) for a bulk build."""

from __future__ import annotations

import ctypes

import pytest

from assistant.errors import SettingsError
from assistant.retrieve.config import bulk_threads, usable_cores
from assistant.retrieve.embedding import E5Embedding, _model


def engine_threads() -> int:
    """What the embedding engine's OpenMP runtime will use for this thread's next call."""
    fn = _model("original")._lib.omp_get_max_threads
    fn.restype = ctypes.c_int
    return int(fn())


def test_a_query_runs_on_one_thread_and_a_bulk_embedding_on_the_threads_asked(monkeypatch):
    ef = E5Embedding()
    monkeypatch.delenv("NIANBAO_QUERY_THREADS", raising=False)
    ef.embed_many(["甲", "乙"], threads=2)
    assert engine_threads() == 2
    ef.query_vector("年度报告什么时候公布")
    assert engine_threads() == 1
    monkeypatch.setenv("NIANBAO_QUERY_THREADS", "2")
    ef.query_vector("年度报告什么时候公布")
    assert engine_threads() == 2


def test_bulk_threads_follow_the_setting_capped_by_the_cores(monkeypatch):
    monkeypatch.setenv("NIANBAO_EMBED_THREADS", "1")
    assert bulk_threads() == 1
    monkeypatch.setenv("NIANBAO_EMBED_THREADS", "64")
    assert bulk_threads() == usable_cores()
    monkeypatch.setenv("NIANBAO_EMBED_THREADS", "0")  # from the machine: at least one, at most every core
    assert 1 <= bulk_threads() <= usable_cores()
    monkeypatch.setenv("NIANBAO_EMBED_THREADS", "many")  # unreadable: a Chinese error naming the variable
    with pytest.raises(SettingsError, match="NIANBAO_EMBED_THREADS"):
        bulk_threads()
