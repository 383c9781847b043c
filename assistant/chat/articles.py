"""The regulations' articles, whole, from the corpus; the rule catalogue.

An article question ("第五十条说了什么") is answered with the article's text
as the corpus holds it, cut at its article headings as the index cuts it
(``retrieve.split_regulation``), so no index or model is needed. The corpus
file's own note says what the text is (the project's summaries say they are
summaries); the answer repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..export.markdown import md_text
from .answer import Answer, SourceRef


@dataclass(frozen=True)
class Article:
    doc: str
    doc_title: str  # "《政府信息公开条例》"
    number: int
    label: str  # "第五十条"
    chapter: str
    text: str
    note: str  # the corpus file's note on what its text is
    primary: bool
    aliases: tuple[str, ...]


def _corpus() -> Path:
    from ..retrieve import default_corpus_dir

    return default_corpus_dir()


@lru_cache(maxsize=4)
def _articles(folder: str) -> tuple[Article, ...]:
    from ..retrieve.split import split_front_matter, split_regulation

    out: list[Article] = []
    root = Path(folder) / "regulations"
    for path in sorted(root.glob("*.md")) if root.is_dir() else []:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        if meta.get("kind") != "regulation":
            continue
        texts: dict[int, list[str]] = {}
        heads: dict[int, tuple[str, str]] = {}
        for chunk in split_regulation(body, meta):
            n = int(chunk.meta.get("article") or 0)
            if not n:
                continue
            piece = chunk.text.split("\n", 1)[1] if "\n" in chunk.text else ""
            texts.setdefault(n, []).append(piece)
            heads[n] = (str(chunk.meta.get("article_label") or f"第{n}条"), str(chunk.meta.get("chapter") or ""))
        short = str(meta.get("short") or meta.get("title") or path.stem)
        aliases = tuple(str(a) for a in (meta.get("aliases") or [])) + (short, str(meta.get("title") or ""))
        for n, pieces in texts.items():
            label, chapter = heads[n]
            out.append(Article(doc=str(meta.get("doc") or path.stem), doc_title=f"《{short}》", number=n,
                               label=label, chapter=chapter, text="\n".join(pieces).strip(),
                               note=str(meta.get("note") or ""), primary=bool(meta.get("primary")),
                               aliases=tuple(a for a in aliases if a)))
    return tuple(out)


def find_article(number: int, message: str = "") -> Optional[Article]:
    """Article ``number`` of the document the message names, else of the primary one (the 条例)."""
    found = [a for a in _articles(str(_corpus())) if a.number == number]
    if not found:
        return None
    named = [a for a in found if any(alias and alias in message for alias in a.aliases if len(alias) >= 2)]
    named = [a for a in named if not a.primary] or named
    if named:
        return named[0]
    primary = [a for a in found if a.primary]
    return (primary or found)[0]


def article_answer(number: int, message: str) -> Answer:
    from ..retrieve.tokens import article_label

    art = find_article(number, message)
    if art is None:
        return Answer(intent="source", text=f"资料库中没有{article_label(number)}。《政府信息公开条例》共五十六条。",
                      data={"article": None})
    where = f"（{art.chapter}）" if art.chapter else ""
    quoted = "\n".join(f"> {md_text(line)}" for line in art.text.splitlines() if line.strip())
    parts = [f"**{md_text(art.doc_title)}{art.label}**{md_text(where)}", quoted]
    if art.note:
        parts.append(f"说明：{md_text(art.note)}")
    source = SourceRef(title=f"{art.doc_title}{art.label}", snippet=art.text[:300], kind="regulation",
                       article=art.label, source=art.doc)
    return Answer(intent="source", text="\n\n".join(parts), sources=[source],
                  data={"article": art.label, "doc": art.doc, "number": art.number})


def rules_answer() -> Answer:
    """The rule catalogue, one line per rule."""
    from ..check import all_rules

    rules = list(all_rules())
    lines = [f"- **{r.code}**（{r.severity.label}，{'、'.join(e + '年版' for e in r.editions)}）：{md_text(r.title)}"
             for r in rules]
    text = (f"检查规则共 {len(rules)} 条：\n\n" + "\n".join(lines)
            + "\n\n想了解某一条，可以问“P1是什么”。")
    return Answer(intent="rules", text=text, data={"rules": [r.code for r in rules]})
