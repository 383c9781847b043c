"""Small vocabularies the narrative reader and the claim reader share."""

from __future__ import annotations

OPEN_BRACKETS = "（(【["
CLOSE_BRACKETS = "）)】]"

# Units a figure of a count or of money is written with (None: a bare figure counts).
COUNT_UNITS = {"件", "条", "篇", "期", "个", "项", "次", "份", "人", "家", "户", "起", "宗", "例", "批", "场", "场次", None}
MONEY_UNITS = {"元", "万元", "亿元"}
