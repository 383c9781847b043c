"""Chinese tokens for the lexical retriever, and article numbers.

BM25 needs words, and Chinese text has no spaces, so jieba cuts it. Article
numbers ("第五十条") matter more than any other token in this domain: users
name them, reports cite them, and jieba would otherwise cut them into
"第" / "五十" / "条". They are registered as words and normalised, so
"第50条" and "第五十条" give the same token.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Optional

# Article numbers statutes use: 第一条 to 第一千二百六十条 (the Civil Code), 1..9999 here.
MAX_ARTICLE = 9999

# An article or chapter reference written with Chinese numerals or digits.
_CN_NUM = "[零〇一二两三四五六七八九十百千]+"
ARTICLE_RE = re.compile(rf"第\s*({_CN_NUM}|\d{{1,4}})\s*条")
CHAPTER_RE = re.compile(rf"第\s*({_CN_NUM}|\d{{1,2}})\s*章")


def cn_to_int(text: str) -> Optional[int]:
    """Read a Chinese numeral or ASCII digits; None if unreadable ("十四五" is no number)."""
    from ..parse.numbers import chinese_to_number  # the project's one reader; loaded when first needed

    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    return chinese_to_number(text)


def int_to_cn(n: int) -> str:
    """Write 1..9999 the way statutes number articles: 十, 十一, 二十, 一百零五, 一千零一十."""
    from ..parse.numbers import number_to_chinese

    if not 0 < n <= MAX_ARTICLE:
        raise ValueError(f"article number out of range: {n}")
    return number_to_chinese(n)


def article_label(n: int) -> str:
    return f"第{int_to_cn(n)}条"


def article_number(text: str) -> Optional[int]:
    """The number of "第X条"'s X, or None when it is not a number an article can have."""
    n = cn_to_int(text)
    return n if n and 0 < n <= MAX_ARTICLE else None


def articles_named(text: str) -> list[int]:
    """Article numbers a text names, in order of appearance, without repeats."""
    seen: list[int] = []
    for m in ARTICLE_RE.finditer(text):
        n = article_number(m.group(1))
        if n and n not in seen:
            seen.append(n)
    return seen


def _article_token(m: re.Match) -> str:
    n = article_number(m.group(1))
    return article_label(n) if n else m.group(0)


# Words jieba does not know but that carry the meaning of this domain. Without
# them "信息处理费" becomes 信息 / 处理 / 费 and matches every paragraph about
# 信息 and 处理.
DOMAIN_WORDS = [
    "政府信息公开", "政府信息", "信息公开", "主动公开", "依申请公开", "不予公开",
    "部分公开", "予以公开", "无法提供", "不予处理", "其他处理", "信息处理费",
    "行政复议", "行政诉讼", "年度报告", "工作年度报告", "公开指南", "公开目录",
    "三安全一稳定", "国家秘密", "第三方", "过程性信息", "内部事务信息",
    "行政执法案卷", "行政查询事项", "规范性文件", "行政规范性文件", "规章",
    "行政许可", "行政处罚", "行政强制", "行政事业性收费", "政府集中采购",
    "结转", "上年结转", "结转下年度", "补正", "逾期不补正", "收费通知",
    "社会评议", "责任追究", "工作考核", "监督保障", "政务公开", "政务公开办",
    "政府网站", "政府公报", "新闻发布会", "政策解读", "公开平台",
    "人大代表建议", "政协委员提案", "建议提案", "工作要点", "按件计收", "按量计收",
    "信访举报投诉", "重复申请", "公开出版物", "自然人", "法人或其他组织",
    "商业企业", "科研机构", "社会公益组织", "法律服务机构", "申请人",
    "乡镇人民政府", "街道办事处", "县级以上", "人民政府", "办公厅", "办公室",
    "第一责任人", "内容雷同", "勾稽关系", "试行", "区县", "年报",
]

# Function words that say nothing about the topic. They are dropped from both
# sides; users' questions are full of them ("怎么", "哪些") and documents rarely
# contain them, which would otherwise give them a high IDF.
STOPWORDS = set(
    """的 了 是 在 和 与 及 或 等 对 把 被 就 也 都 而 并 其 之 以 于 为 由 从 向 按
    这 那 此 该 各 每 有 没有 要 会 能 可 可以 应 应当 需要 吗 呢 吧 啊 么 什么 怎么 怎样 如何
    哪些 哪个 哪 多少 几 谁 时候 一下 请问 我 我们 你 你们 他 她 它 他们 一个 一些 还 又
    再 很 最 更 得 着 过 给 让 写 说 讲 问""".split()
)

_PUNCT_RE = re.compile(r"^[\W_]+$", re.UNICODE)
_lock = threading.Lock()
_cache_dir: list[Optional[Path]] = [None]


def use_cache_dir(path: Path) -> None:
    """Where jieba's dictionary arrays are cached (the data directory's ``cache``); the first caller decides."""
    if _cache_dir[0] is None:
        _cache_dir[0] = Path(path)


def extra_words() -> list[tuple[str, int]]:
    """Words added to jieba's dictionary, with their frequencies: the domain's, and article numbers."""
    return [(w, 200000) for w in DOMAIN_WORDS] + [(article_label(n), 300000) for n in range(1, 200)]


@lru_cache(maxsize=1)
def _tokenizer():
    """A jieba tokenizer whose dictionary is looked up lazily (see wordfreq) and never read from jieba's cache."""
    with _lock:
        from .config import default_data_dir
        from .wordfreq import LazyFreq, import_jieba, load_arrays

        jieba = import_jieba()
        jieba.setLogLevel(logging.WARNING)
        arrays = load_arrays(_cache_dir[0] or default_data_dir() / "cache")
        tk = jieba.Tokenizer()
        freq = LazyFreq(arrays)
        tk.FREQ, tk.total, tk.initialized = freq, arrays.total, True
        for word, f in extra_words():
            freq.prefetch(word)  # add_word keeps a prefix jieba already knows, so it must be known here too
            tk.add_word(word, freq=f)
        return tk


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: jieba's search-mode cut, lower-cased, without punctuation and stopwords."""
    tk = _tokenizer()
    tk.FREQ.prefetch(text)
    return cut_tokens(tk, text)


def cut_tokens(tk, text: str) -> list[str]:
    """The tokens of ``text`` with a given jieba tokenizer (whose dictionary knows what the text needs)."""
    out: list[str] = []
    pos = 0
    # Article references become one token each; search-mode cutting would add
    # "第五" and "十条", which match unrelated articles.
    for m in ARTICLE_RE.finditer(text):
        _cut(tk, text[pos : m.start()], out)
        out.append(_article_token(m))
        pos = m.end()
    _cut(tk, text[pos:], out)
    return out


def _cut(tk, text: str, out: list[str]) -> None:
    for tok in tk.cut_for_search(text):
        tok = tok.strip().lower()
        if not tok or tok in STOPWORDS or _PUNCT_RE.match(tok):
            continue
        out.append(tok)
        for extra in SYNONYMS.get(tok, ()):
            out.append(extra)


# Short forms users type for the words documents use.
SYNONYMS = {
    "年报": ("年度报告",),
    "区县": ("县级",),
}
