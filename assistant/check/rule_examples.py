"""Each rule's failing and passing example, as data the tests run and `nianbao rules CODE` shows.

``examples/<CODE>.yaml`` holds two facts files, ``failing`` and ``passing``.
Each names a ``base`` (``examples/base-<base>.yaml``: a consistent report no
rule finds fault with) and changes it: ``agency``, ``level``, ``year``,
``edition``, ``preamble``, ``sections`` (a section's paragraphs, or
``{number: text}`` for single paragraphs), and cells of ``table2``/``table3``/
``table4`` (a row as a list, or ``{column: value}`` for single cells; ``null``
drops a row). ``previous`` is last year's report, built the same way. ``says``
is the example in words; ``also`` lists the codes that necessarily fire with
the failing one (a changed total breaks more than one identity).

A file may hold further examples under ``examples``: a list of the same
mappings, each with ``kind`` (failing or passing), often one per claim form
and edition; ``form`` names the claim form it shows (``claims.py``), and a
failing one may state the ``severity`` its rule's findings have (a scope note
is info, a qualified category that names one row a warning).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import NianbaoError
from ..model import Edition, Report, get_edition
from ..parse.facts import report_from_data
from .catalogue import get_rule, run_checks
from .example_files import EXAMPLES_DIR, read_example_file
from .findings import Finding

KINDS = ("failing", "passing")
_CHANGES = ("agency", "level", "year", "edition", "preamble")


@dataclass
class Example:
    code: str
    kind: str  # "failing" or "passing"
    says: str  # the example in words, Chinese
    report: Report
    previous: Optional[Report] = None
    also: list[str] = field(default_factory=list)  # codes that necessarily fire with a failing example
    severity: Optional[str] = None  # a failing example: the severity of its rule's findings
    form: Optional[str] = None  # the claim form it shows ("compound", "share" …)
    edition: str = ""

    def findings(self) -> list[Finding]:
        """Every finding of every rule on this example."""
        return run_checks(self.report, self.previous)

    def own(self) -> list[Finding]:
        """The findings of the example's own rule."""
        return [f for f in self.findings() if f.code == self.code]


def _row(base: Any, change: Any, columns: list[str]) -> Any:
    """A table row with ``change`` applied: a whole row (list) or single cells ({column: value})."""
    if not isinstance(change, dict):
        return change
    row = dict(zip(columns, base)) if isinstance(base, list) else dict(base or {})
    row.update(change)
    return [row.get(c, "") for c in columns]


def _apply(data: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for key in _CHANGES:
        if key in change:
            out[key] = change[key]
    edition: Edition = get_edition(str(out["edition"]))
    sections = out.setdefault("sections", {})
    for key, paragraphs in (change.get("sections") or {}).items():
        if isinstance(paragraphs, dict):
            current = list(sections.get(key) or [])
            for number, text in paragraphs.items():
                current[int(number) - 1] = text
            sections[key] = current
        else:
            sections[key] = paragraphs
    for table in ("table3", "table4"):
        columns = edition.table3.columns if table == "table3" else edition.table4.columns
        rows = out.setdefault(table, {})
        for label, cells in (change.get(table) or {}).items():
            if cells is None:
                rows.pop(label, None)
            else:
                rows[label] = _row(rows.get(label), cells, columns)
    blocks = out.setdefault("table2", {})
    for caption, rows in (change.get("table2") or {}).items():
        if rows is None:
            blocks.pop(caption, None)
            continue
        block = blocks.setdefault(caption, {})
        decl = next((b for b in edition.table2 if b.caption == caption), None)
        for label, cells in rows.items():
            if cells is None:
                block.pop(label, None)
            else:
                block[label] = _row(block.get(label), cells, decl.columns if decl else [])
    return out


def _report(change: dict[str, Any], where: str) -> Report:
    base = change.get("base")
    if base is None:
        raise NianbaoError(f"{where}：缺少 base（以哪份一致的报告为基础）。")
    data = _apply(read_example_file(f"base-{base}"), change)
    return report_from_data(data, where)


def example(code: str, kind: str) -> Example:
    """The failing or passing example of rule ``code``, built from its file."""
    rule = get_rule(code)
    if rule is None:
        raise NianbaoError(f"没有规则“{code}”。")
    if kind not in KINDS:
        raise NianbaoError(f"例子只有 failing 和 passing 两种，没有“{kind}”。")
    spec = read_example_file(rule.code).get(kind)
    where = f"{rule.code}.yaml {kind}"
    if not isinstance(spec, dict):
        raise NianbaoError(f"{where}：缺少这个例子。")
    return _example(rule.code, kind, spec, where)


def _example(code: str, kind: str, spec: dict[str, Any], where: str) -> Example:
    previous = spec.get("previous")
    report = _report(spec, where)
    return Example(
        code=code,
        kind=kind,
        says=str(spec.get("says") or ""),
        report=report,
        previous=_report(previous, f"{where} previous") if previous else None,
        also=[str(c) for c in spec.get("also") or []],
        severity=str(spec["severity"]) if spec.get("severity") else None,
        form=str(spec["form"]) if spec.get("form") else None,
        edition=report.edition,
    )


def examples(code: str) -> list[Example]:
    """Every example of rule ``code``: its failing and passing one, then the file's further ``examples``."""
    out = [example(code, kind) for kind in KINDS]
    for i, spec in enumerate(read_example_file(code.upper()).get("examples") or [], start=1):
        where = f"{code.upper()}.yaml examples[{i}]"
        if not isinstance(spec, dict) or spec.get("kind") not in KINDS:
            raise NianbaoError(f"{where}：每个例子要写 kind（failing 或 passing）。")
        out.append(_example(code.upper(), str(spec["kind"]), spec, where))
    return out


def codes_with_examples() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.yaml") if not p.stem.startswith("base-"))
