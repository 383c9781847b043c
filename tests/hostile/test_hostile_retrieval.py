"""Hostile and broken input to the retrieval index (issue 13).

Each case runs the real command in a child process and checks: exit 2 with a
Chinese message (or the right output), no traceback, peak memory of the child
under 1 GB (its own VmHWM, ``hostile_child``), under 30 s, and for the planted files that no code
ran.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hostile_child import assert_bounded, run

from assistant.retrieve import Index

pytestmark = pytest.mark.slow  # each case runs a child process that reads or embeds documents


def listed(data: Path) -> list[dict]:
    r = run(["index", "list", "--format", "json", "--data-dir", str(data)])
    assert r.code == 0, r.err
    return json.loads(r.out)


# ------------------------------------------------------------------ planted files


class Payload:
    """Unpickling this creates a file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_planted_pickles_in_the_data_dir_run_no_code(default_index_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(default_index_dir, data)
    marker = tmp_path / "CODE-RAN"
    collection_id = Index(data_dir=data).collection.id

    # Where the old cache lived: a pickle read on every `nianbao search`.
    old_key = hashlib.sha256(f"embedded\n{collection_id}".encode()).hexdigest()[:16]
    (data / "lexical-cache").mkdir(exist_ok=True)
    with open(data / "lexical-cache" / f"{old_key}.pkl", "wb") as fh:
        import pickle

        pickle.dump({"revision": "x", "lexical": Payload(marker)}, fh)
    # Where the new one lives: every array of every segment, and jieba's dictionary arrays,
    # replaced by object arrays (which np.save writes as pickles).
    planted = [p for p in (data / "lexical").rglob("*.npy")] + [p for p in (data / "cache").rglob("*.npy")]
    assert len(planted) >= 12
    for p in planted:
        np.save(p, np.array([Payload(marker)], dtype=object), allow_pickle=True)

    hook = textwrap.dedent("""
        import sys
        def _hook(event, args):
            if event == "pickle.find_class":
                sys.stderr.write("UNPICKLED %r\\n" % (args,))
        sys.addaudithook(_hook)
    """)
    r = run(["search", "年度报告最晚什么时候公布", "--format", "json", "-k", "3", "--data-dir", str(data)],
            prelude=hook)
    assert r.code == 0, r.err
    assert_bounded(r)
    assert not marker.exists()
    assert "UNPICKLED" not in r.err
    # It still answers: the lexical copy was made again from what Chroma holds.
    top = json.loads(r.out)["results"][0]
    assert top["title"] == "《政府信息公开条例》第四十九条" and top["bm25"]["rank"] is not None
    # It said so, and kept what was planted for whoever wants to look.
    assert "已损坏或被改动" in r.err
    assert list(data.glob("lexical/*.damaged/segments/*/ids.npy"))
    assert (data / "lexical-cache" / f"{old_key}.pkl").exists()  # never read, left as found

    # The next search uses the sound copy, quietly.
    r = run(["search", "年度报告最晚什么时候公布", "--format", "json", "-k", "1", "--data-dir", str(data)],
            prelude=hook)
    assert r.code == 0 and "已损坏" not in r.err and "UNPICKLED" not in r.err
    assert not marker.exists()


# ------------------------------------------------------------------ limits and unreadable files


REGULATION = "某市政府信息公开实施办法\n\n" + "".join(
    f"第{n}条　本市各级行政机关应当按照规定公开政府信息，第{n}项要求如下。\n" for n in
    ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"))


def test_a_60_mb_regulation_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "huge-rules.txt"
    line = "第一条　本市各级行政机关应当按照规定公开政府信息。\n".encode("utf-8")
    with open(big, "wb") as fh:
        fh.write(REGULATION.encode("utf-8"))
        fh.write(line * (60 * 1024 * 1024 // len(line)))
    assert big.stat().st_size > 60_000_000
    r = run(["index", "add", str(big), "--data-dir", str(tmp_path / "d")])
    assert r.code == 2
    assert_bounded(r)
    assert r.peak_bytes < 400 * 1024 * 1024  # not read into memory
    assert "huge-rules.txt" in r.err and "上限 20 MB" in r.err and "未加入" in r.err
    assert listed(tmp_path / "d") == []

    # The limit is a setting.
    small = tmp_path / "rules.txt"
    small.write_text(REGULATION, encoding="utf-8")
    r = run(["index", "add", str(small), "--data-dir", str(tmp_path / "d")], env={"NIANBAO_INDEX_MAX_MB": "1"})
    assert r.code == 0, r.err


def test_unreadable_files_get_a_chinese_message_each_and_the_readable_one_is_added(tmp_path):
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(b"\x80\x81\xfe" * 200)  # neither UTF-8 nor GB18030
    loop_a, loop_b = tmp_path / "loop-a.txt", tmp_path / "loop-b.txt"
    os.symlink(loop_b, loop_a)
    os.symlink(loop_a, loop_b)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    yaml_bomb = tmp_path / "bomb.md"
    yaml_bomb.write_text("---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nkind: regulation\n---\n" + REGULATION,
                         encoding="utf-8")
    good = tmp_path / "rules.txt"
    good.write_text(REGULATION, encoding="utf-8")
    r = run(["index", "add", str(garbage), str(loop_a), str(folder), str(yaml_bomb), str(good),
             "--data-dir", str(tmp_path / "d")])
    assert r.code == 2
    assert_bounded(r)
    assert "garbage.txt：文件编码无法识别" in r.err
    assert "loop-a.txt：无法读取文件（符号链接循环指向自身）" in r.err  # errors.os_reason
    assert "folder.txt：不是普通文件" in r.err
    assert "bomb.md：文件开头的 YAML 说明无法读取" in r.err
    assert "已添加" in r.out and "rules.txt" in r.out
    assert [s["source"] for s in listed(tmp_path / "d")] == [str(good.resolve())]


def test_article_numbers_in_the_thousands_are_read_not_a_traceback(tmp_path):
    rules = tmp_path / "civil.txt"
    rules.write_text("某法典\n第九百九十九条　为公共利益实施新闻报道可以合理使用民事主体的姓名。\n"
                     "第一千条　行为人因侵害人格权承担消除影响、恢复名誉、赔礼道歉等民事责任的，"
                     "应当与行为的具体方式和造成的影响范围相当。\n"
                     "第1001条　对自然人因婚姻家庭关系等产生的身份权利的保护，适用本法有关规定。\n"
                     "第10000条　这一行的条号超出了条文编号的范围，按正文处理。\n", encoding="utf-8")
    r = run(["index", "add", str(rules), "--data-dir", str(tmp_path / "d")])
    assert r.code == 0, r.err
    assert_bounded(r)
    r = run(["search", "第一千条", "--format", "json", "-k", "10", "--data-dir", str(tmp_path / "d")])
    assert r.code == 0, r.err
    results = json.loads(r.out)["results"]
    assert results[0]["metadata"]["article"] == 1000 and results[0]["title"] == "《某法典》第一千条"
    # 第1001条 is read as 1001; 第10000条 is past any article number and keeps its own words (article 0).
    titles = {x["metadata"]["article"]: x["title"] for x in results}
    assert titles == {999: "《某法典》第九百九十九条", 1000: "《某法典》第一千条", 1001: "《某法典》第一千零一条",
                      0: "《某法典》第10000条"}


# ------------------------------------------------------------------ interrupted add


class Interrupt:
    """A progress listener that presses Ctrl-C once the first batch of passages is in Chroma."""

    def __init__(self) -> None:
        self.writing = False

    def stage(self, name: str, total) -> None:
        self.writing = name == "写入索引"

    def advance(self, n: int) -> None:
        if self.writing:
            raise KeyboardInterrupt


def test_an_interrupted_add_is_listed_incomplete_kept_out_of_results_and_completed_by_adding_again(tmp_path):
    data = tmp_path / "d"
    rules = tmp_path / "rules.txt"
    rules.write_text(REGULATION.replace("第十二条　本市各级行政机关应当按照规定公开政府信息，第十二项要求如下。",
                                        "第十二条　本办法自二〇二五年三月一日起施行，由市政务公开办负责解释。"),
                     encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        Index(data_dir=data).add_files([rules], progress=Interrupt(), batch=4)

    # A new process sees what Chroma holds: four of twelve passages, marked incomplete.
    (source,) = listed(data)
    assert (source["chunks"], source["expected"], source["complete"]) == (4, 12, False)
    r = run(["index", "list", "--data-dir", str(data)])
    assert "未完成" in r.out and "nianbao index add" in r.out
    r = run(["search", "第一条", "--format", "json", "--data-dir", str(data)])
    assert r.code == 0 and json.loads(r.out)["results"] == []  # nothing from an incomplete source

    r = run(["index", "add", str(rules), "--data-dir", str(data)])
    assert r.code == 0, r.err
    assert "新增 8 段" in r.out
    (source,) = listed(data)
    assert (source["chunks"], source["complete"]) == (12, True)
    r = run(["search", "办法什么时候施行", "--format", "json", "-k", "1", "--data-dir", str(data)])
    assert json.loads(r.out)["results"][0]["metadata"]["article"] == 12
