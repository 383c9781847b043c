"""Two runs side by side: which figures got better, which got worse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .results import Metric, Scoreboard


@dataclass
class Change:
    suite: str
    metric: str
    label: str
    old: Optional[float]
    new: Optional[float]
    verdict: str  # better, worse, same, new, gone
    shown_old: str
    shown_new: str


def compare(old: Scoreboard, new: Scoreboard) -> list[Change]:
    out: list[Change] = []
    old_suites = {s.name: s for s in old.suites}
    for suite in new.suites:
        before = {m.name: m for m in old_suites[suite.name].metrics} if suite.name in old_suites else {}
        for m in suite.metrics:
            was = before.pop(m.name, None)
            out.append(_change(suite.name, m, was))
        for gone in before.values():
            out.append(Change(suite.name, gone.name, gone.label, gone.value, None, "gone", gone.shown(), "—"))
    return out


def _change(suite: str, m: Metric, was: Optional[Metric]) -> Change:
    if was is None:
        return Change(suite, m.name, m.label, None, m.value, "new", "—", m.shown())
    # Saved runs keep six decimals (Scoreboard.to_dict); compare at that precision.
    delta = round(m.value, 6) - round(was.value, 6)
    if delta == 0:
        verdict = "same"
    elif (delta > 0) == (m.better == "higher"):
        verdict = "better"
    else:
        verdict = "worse"
    return Change(suite, m.name, m.label, was.value, m.value, verdict, was.shown(), m.shown())


VERDICT = {"better": "变好", "worse": "变差", "same": "不变", "new": "新增", "gone": "已无"}


def render_changes(changes: list[Change], old_date: str = "") -> str:
    head = f"与 {old_date} 的结果比较" if old_date else "与上次结果比较"
    better = sum(c.verdict == "better" for c in changes)
    worse = sum(c.verdict == "worse" for c in changes)
    lines = [f"{head}：变好 {better} 项，变差 {worse} 项"]
    for c in changes:
        if c.verdict == "same":
            continue
        lines.append(f"  [{VERDICT[c.verdict]}] {c.suite} · {c.label}：{c.shown_old} → {c.shown_new}")
    if better == worse == 0 and all(c.verdict == "same" for c in changes):
        lines.append("  所有指标不变。")
    return "\n".join(lines)
