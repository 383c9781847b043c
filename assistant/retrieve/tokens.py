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
from typing import Optional

_DIGITS = "零一二三四五六七八九"
_CN_VALUE = {c: i for i, c in enumerate(_DIGITS)}
_CN_VALUE.update({"〇": 0, "两": 2})

# An article or chapter reference written with Chinese numerals or digits.
_CN_NUM = "[零〇一二两三四五六七八九十百]+"
ARTICLE_RE = re.compile(rf"第\s*({_CN_NUM}|\d{{1,3}})\s*条")
CHAPTER_RE = re.compile(rf"第\s*({_CN_NUM}|\d{{1,2}})\s*章")


def cn_to_int(text: str) -> Optional[int]:
    """Read a small Chinese numeral (up to 999) or ASCII digits; None if unreadable."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_VALUE:
            current = _CN_VALUE[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def int_to_cn(n: int) -> str:
    """Write 1..999 the way statutes number articles: 十, 十一, 二十, 一百零五."""
    if not 0 < n < 1000:
        raise ValueError(f"article number out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        # "十一" on its own, but "一百一十一" after hundreds.
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def article_label(n: int) -> str:
    return f"第{int_to_cn(n)}条"


def articles_named(text: str) -> list[int]:
    """Article numbers a text names, in order of appearance, without repeats."""
    seen: list[int] = []
    for m in ARTICLE_RE.finditer(text):
        n = cn_to_int(m.group(1))
        if n and n not in seen:
            seen.append(n)
    return seen


def _normalise_articles(text: str) -> str:
    def repl(m: re.Match) -> str:
        n = cn_to_int(m.group(1))
        return article_label(n) if n and n < 1000 else m.group(0)

    return ARTICLE_RE.sub(repl, text)


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


@lru_cache(maxsize=1)
def _jieba():
    with _lock:
        import jieba

        # jieba announces its dictionary loading on stderr; users of the CLI
        # should not see that.
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for word in DOMAIN_WORDS:
            jieba.add_word(word, freq=200000)
        for n in range(1, 200):
            jieba.add_word(article_label(n), freq=300000)
        return jieba


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: jieba's search-mode cut, lower-cased, without punctuation and stopwords."""
    jb = _jieba()
    out: list[str] = []
    pos = 0
    # Article references become one token each; search-mode cutting would add
    # "第五" and "十条", which match unrelated articles.
    for m in ARTICLE_RE.finditer(text):
        _cut(jb, text[pos : m.start()], out)
        n = cn_to_int(m.group(1))
        out.append(article_label(n) if n and n < 1000 else m.group(0))
        pos = m.end()
    _cut(jb, text[pos:], out)
    return out


def _cut(jb, text: str, out: list[str]) -> None:
    for tok in jb.cut_for_search(text):
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
