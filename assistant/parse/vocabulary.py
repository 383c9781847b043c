"""The labels of every edition, as indexes the table readers match against, and which table a grid is.

Built once from the edition declarations; the grid readers (``tables``) and the
line-stream reader (``stream``) both use it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..model import editions
from .labels import LabelIndex, key
from .layout import TableBlock

_CAPTION = re.compile(r"第二十条第\(([一二三四五六七八九十]+)\)项")


class _Vocabulary:
    """Label indexes over every edition, built once."""

    def __init__(self) -> None:
        eds = list(editions().values())
        t3_labels, aliases = [], {}
        context = set()
        t2_rows: list[str] = []
        t2_captions: list[str] = []
        t2_columns: list[str] = []
        t4 = set()
        for ed in eds:
            for r in ed.table3.rows:
                if r.label not in t3_labels:
                    t3_labels.append(r.label)
                if r.aliases:
                    aliases[r.label] = r.aliases
            h = ed.headers
            context.update({h.table3_results, h.table3_applicants, h.table3_organisations})
            t4.add(h.table4_litigation)
            t2_columns.extend(x for x in [h.table2_label] if x not in t2_columns)
            self.t2_label_keys = {key(h.table2_label)}
            context.update(ed.table3.groups)
            context.update(ed.table3.columns)
            for b in ed.table2:
                t2_captions.append(b.caption)
                t2_rows.extend(x for x in b.rows if x not in t2_rows)
                t2_columns.extend(x for x in b.columns if x not in t2_columns)
            t4.update(ed.table4.groups)
            t4.update(ed.table4.columns)
        # Table 四's shape: figures per group and in all (5 and 15 in the editions so far).
        self.t4_group_width = max(len(ed.table4.columns) for ed in eds)
        self.t4_width = max(ed.table4.width for ed in eds)
        self.t3 = LabelIndex(t3_labels, aliases)
        self.t3_context = LabelIndex(sorted(context))
        self.t2_rows = LabelIndex(t2_rows)
        self.t2_columns = LabelIndex(t2_columns)
        self.t2_captions = {key(c): c for c in t2_captions}
        self.t4 = LabelIndex(sorted(t4))


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    return _Vocabulary()


def _flat(text: str) -> str:
    return text.replace("\n", "")


def classify(table: TableBlock) -> Optional[str]:
    """Which official table a grid holds: "二", "三", "四" or None."""
    if table.kind:
        return table.kind
    v = vocabulary()
    votes = {"二": 0, "三": 0, "四": 0}
    for row in table.rows:
        for c in row:
            t = _flat(c.text)
            if not t or c.spanned:
                continue
            if caption_of(t):
                votes["二"] += 3
            elif v.t2_rows.match(t):
                votes["二"] += 1
            elif v.t3.match(t):
                votes["三"] += 1
            elif v.t4.match(t):
                votes["四"] += 1
    best = max(votes, key=lambda k: votes[k])
    return best if votes[best] >= 1 else None


def caption_of(text: str) -> Optional[str]:
    m = _CAPTION.search(key(text))
    if not m:
        return None
    return f"第二十条第（{m.group(1)}）项"
