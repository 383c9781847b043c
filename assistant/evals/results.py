"""What a suite hands back: metrics against thresholds and the worst cases.

The JSON form (``Scoreboard.to_json``) is the contract for ``--compare``: suites
and metrics are keyed by stable names, so two runs line up even when a suite
gains a metric or a case.
"""

from __future__ import annotations

import json
from typing import Any, Literal, Optional

from pydantic import BaseModel, Field

SCHEMA = 1
Better = Literal["higher", "lower"]


class Metric(BaseModel):
    name: str  # stable key, e.g. "cell_accuracy"
    label: str  # what a person reads, e.g. "单元格准确率"
    value: float
    better: Better = "higher"
    threshold: Optional[float] = None  # None: reported, not gated
    detail: str = ""  # the counts behind the figure, e.g. "1234/1234"
    percent: bool = True  # shown as a percentage (rates) or as a plain number (counts)

    @property
    def passed(self) -> Optional[bool]:
        if self.threshold is None:
            return None
        # Rounding keeps 0.1 + 0.2 style float noise from failing an exact threshold.
        v, t = round(self.value, 9), round(self.threshold, 9)
        return v >= t if self.better == "higher" else v <= t

    def shown(self, value: Optional[float] = None) -> str:
        v = self.value if value is None else value
        if self.percent:
            if v in (0, 1):
                return f"{v:.0%}"
            # One miss in ten thousand cells must not read as "100.0%": add digits until it shows.
            for digits in range(1, 5):
                text = f"{v:.{digits}%}"
                if text not in (f"{1:.{digits}%}", f"{0:.{digits}%}"):
                    return text
            return text
        return f"{v:g}" if float(v).is_integer() else f"{v:.3f}"

    def shown_threshold(self) -> str:
        if self.threshold is None:
            return "—"
        op = "≥" if self.better == "higher" else "≤"
        return f"{op} {self.shown(self.threshold)}"


class Case(BaseModel):
    """One of the worst cases of a suite, with the input a person would open."""

    name: str
    link: str = ""  # a path to the input, relative to the repository (or absolute outside it)
    score: float = 1.0  # the case's own figure on the suite's main metric; lower is worse
    note: str = ""  # what went wrong, in Chinese


class SuiteResult(BaseModel):
    name: str  # parse, check, mutation, draft, retrieval, chat
    title: str
    metrics: list[Metric] = Field(default_factory=list)
    worst: list[Case] = Field(default_factory=list)
    cases: int = 0
    seconds: float = 0.0
    skipped: str = ""  # why the suite did not run (Chinese), when it did not
    notes: list[str] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.skipped and all(m.passed is not False for m in self.metrics)

    def metric(self, name: str) -> Metric:
        return next(m for m in self.metrics if m.name == name)


class Scoreboard(BaseModel):
    date: str
    suites: list[SuiteResult] = Field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(s.passed for s in self.suites if not s.skipped)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "date": self.date,
            "passed": self.passed,
            "seconds": round(self.seconds, 1),
            "suites": {
                s.name: {
                    "title": s.title,
                    "passed": s.passed,
                    "skipped": s.skipped,
                    "cases": s.cases,
                    "seconds": round(s.seconds, 1),
                    "metrics": {
                        m.name: {
                            "label": m.label,
                            "value": round(m.value, 6),
                            "threshold": m.threshold,
                            "better": m.better,
                            "passed": m.passed,
                            "detail": m.detail,
                            "percent": m.percent,
                        }
                        for m in s.metrics
                    },
                    "worst": [c.model_dump() for c in s.worst],
                    "notes": s.notes,
                }
                for s in self.suites
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Scoreboard":
        suites = []
        for name, s in (data.get("suites") or {}).items():
            metrics = [
                Metric(name=k, label=m.get("label", k), value=m["value"], threshold=m.get("threshold"),
                       better=m.get("better", "higher"), detail=m.get("detail", ""), percent=m.get("percent", True))
                for k, m in (s.get("metrics") or {}).items()
            ]
            suites.append(SuiteResult(
                name=name, title=s.get("title", name), metrics=metrics, cases=s.get("cases", 0),
                seconds=s.get("seconds", 0.0), skipped=s.get("skipped", ""), notes=s.get("notes", []),
                worst=[Case(**c) for c in s.get("worst", [])],
            ))
        return cls(date=data.get("date", ""), suites=suites, seconds=data.get("seconds", 0.0))
