"""The words of a question: which figures of tables 二, 三 and 四 it names.

The phrases are data (``vocabulary.yaml``); this module only finds them in a
message. A message is normalised first (full-width digits and letters,
spaces, known misspellings), then phrases are matched longest first so that
"不予公开" is never read as "公开". A phrase of four or more characters also
matches with one character wrong ("予己公开"), but only where no exact phrase
matched: a typo must not override what was written correctly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import NianbaoError
from ..yamlfile import read_mapping

VOCABULARY = Path(__file__).with_name("vocabulary.yaml")
SECTIONS = ("rows3", "columns3", "organisations", "groups4", "columns4", "rows2", "columns2")
FUZZY_MIN = 4  # phrases this long or longer also match with one character wrong
# A phrase built around a question word ("办了多少") is not matched loosely: "多了多少" is not "办了多少".
_ROW_SECTIONS = ("rows3", "groups4", "columns4", "rows2", "columns2")
_NOT_FUZZY = re.compile(r"多少|几|了|吗|呢|的|钱")


@dataclass(frozen=True)
class Term:
    """One phrase found in a message: what it names and where it stands."""

    section: str  # one of SECTIONS
    key: str  # the stable key ("disclosed", "自然人", "review", "fees.fees", "fee_amount")
    start: int
    end: int
    phrase: str  # the vocabulary's phrase
    fuzzy: bool = False
    weak: bool = False  # a phrase that counts only when nothing more precise of its kind is named
    generic: bool = False  # table 三's everyday counting words, which give way to any other row or table


@dataclass(frozen=True)
class Vocabulary:
    # phrase -> [(section, key)], one phrase may name a key in several sections ("总计")
    phrases: dict[str, tuple[tuple[str, str], ...]]
    typos: tuple[tuple[str, str], ...]
    weak: frozenset[str]
    generic: frozenset[str]

    @property
    def by_length(self) -> list[str]:
        return sorted(self.phrases, key=lambda p: (-len(p), p))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = read_mapping(VOCABULARY, "对话词表", NianbaoError)
    phrases: dict[str, list[tuple[str, str]]] = {}
    for section in SECTIONS:
        entries = data.get(section) or {}
        if section == "organisations":
            entries = {"organisations": entries}
        for key, words in entries.items():
            for word in words or []:
                w = normalise(str(word), typos=False)
                if (section, str(key)) not in phrases.setdefault(w, []):
                    phrases[w].append((section, str(key)))
    typos = tuple(sorted(((normalise(str(a), typos=False), normalise(str(b), typos=False))
                          for a, b in (data.get("typos") or {}).items()), key=lambda t: -len(t[0])))
    weak = frozenset(normalise(str(w), typos=False) for w in data.get("weak") or [])
    generic = frozenset(normalise(str(w), typos=False) for w in data.get("generic") or [])
    return Vocabulary({p: tuple(v) for p, v in phrases.items()}, typos, weak, generic)


_SPACE = re.compile(r"\s+")
_PAREN_OPEN = re.compile(r"[(（]")
_PAREN_CLOSE = re.compile(r"[)）]")


def normalise(text: str, typos: bool = True) -> str:
    """Full-width digits and letters made plain, brackets made full-width, spaces and quotes removed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _PAREN_OPEN.sub("（", _PAREN_CLOSE.sub("）", text))
    text = _SPACE.sub("", text)
    text = re.sub(r"[“”\"'‘’「」]", "", text)
    if typos:
        for wrong, right in vocabulary().typos:
            text = text.replace(wrong, right)
    return text


def _one_off(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def find_terms(text: str) -> list[Term]:
    return match(text)[0]


def match(text: str) -> tuple[list[Term], list[bool]]:
    """Every vocabulary phrase in a normalised message, longest first, without overlaps,
    and which characters the phrases cover (those of phrases set aside included).

    Precise phrases are matched before the everyday ones (weak and generic), so
    "重复申请了多少" is 重复申请, not 申请了多少 with "重复" left over.
    """
    vocab = vocabulary()
    taken = [False] * len(text)
    found: list[Term] = []
    loose = vocab.weak | vocab.generic
    ordered = [p for p in vocab.by_length if p not in loose] + [p for p in vocab.by_length if p in loose]
    for phrase in ordered:
        start = text.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            if not any(taken[start:end]):
                for section, key in vocab.phrases[phrase]:
                    found.append(Term(section, key, start, end, phrase, weak=phrase in vocab.weak,
                                      generic=phrase in vocab.generic))
                for i in range(start, end):
                    taken[i] = True
            start = text.find(phrase, start + 1)
    # One character wrong, only in what no exact phrase covered.
    for phrase in vocab.by_length:
        n = len(phrase)
        if n < FUZZY_MIN:
            break
        if _NOT_FUZZY.search(phrase):
            continue
        for start in range(0, len(text) - n + 1):
            if any(taken[start:start + n]):
                continue
            if _one_off(text[start:start + n], phrase):
                for section, key in vocab.phrases[phrase]:
                    found.append(Term(section, key, start, start + n, phrase, fuzzy=True))
                for i in range(start, start + n):
                    taken[i] = True
    # A weak phrase gives way to any precise phrase of its kind; a generic one to any other row or table.
    strong = {t.section for t in found if not t.weak}
    found = [t for t in found if not t.weak or t.section not in strong]
    rows = [t for t in found if not t.generic and t.section in _ROW_SECTIONS
            and not (t.section == "columns4" and t.key == "total")]
    if rows:
        found = [t for t in found if not t.generic]
    return sorted(found, key=lambda t: (t.start, t.section)), taken


def keys(terms: list[Term], section: str) -> list[str]:
    """The keys of one section in the order the message names them, without repeats."""
    out: list[str] = []
    for t in terms:
        if t.section == section and t.key not in out:
            out.append(t.key)
    return out


def first(terms: list[Term], section: str) -> Optional[Term]:
    for t in terms:
        if t.section == section:
            return t
    return None
