"""Findings as JSON, CSV and Markdown (text output with colours lives in the CLI)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any, Iterable, Optional, TextIO

from ..spreadsheet import SafeWriter
from .files import FileResult
from .findings import Finding, Severity
from .pairs import Pairing

FIELDS = ["code", "severity", "location", "message", "expected", "actual", "computation", "basis",
          "cells", "spans", "area", "unchecked", "inferred"]
CONSEQUENCE = "（后果：原因见上一条）"
CSV_HEADER = ["文件", "机关", "年度", "格式版本", "规则", "级别", "位置", "问题", "应为", "实为", "计算", "依据"]


class Tally:
    """The folder summary, counted one result at a time, so a stream of results need not be kept."""

    def __init__(self) -> None:
        self.results = self.skipped = self.unreadable = self.with_errors = 0
        self.errors = self.warnings = self.infos = 0
        self.by_code: Counter[str] = Counter()

    def add(self, r: FileResult) -> FileResult:
        self.results += 1
        self.skipped += bool(r.skipped)
        self.unreadable += bool(r.error)
        errors = r.count(Severity.error)
        self.with_errors += bool(errors)
        self.errors += errors
        self.warnings += r.count(Severity.warning)
        self.infos += r.count(Severity.info)
        self.by_code.update(f.code for f in r.findings)
        return r

    def as_dict(self) -> dict[str, Any]:
        return {
            "reports": self.results - self.skipped,
            "skipped": self.skipped,
            "unreadable": self.unreadable,
            "with_errors": self.with_errors,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "by_code": dict(sorted(self.by_code.items())),
        }


def summary(results: Iterable[FileResult]) -> dict[str, Any]:
    tally = Tally()
    for r in results:
        tally.add(r)
    return tally.as_dict()


def finding_json(f: Finding) -> dict[str, Any]:
    """A finding for scripts: its fields, its references, its identity (``id``) and the findings its cause explains."""
    out = f.model_dump(mode="json", include=set(FIELDS))
    out["id"] = f.identity()
    out["consequences"] = [finding_json(c) for c in f.consequences]
    return out


def report_summary(r: FileResult) -> dict[str, Any]:
    """One report's line: rules run, rules that could not check every cell, findings by severity."""
    return {
        "rules_run": r.rules_run,
        "rules_unchecked": r.rules_unchecked,
        "errors": r.count(Severity.error),
        "warnings": r.count(Severity.warning),
        "infos": r.count(Severity.info),
    }


def summary_line(r: FileResult) -> str:
    """The same in Chinese: "运行规则 29 条，2 条因单元格未能可靠读出而未能完全核验（I4、N4）；错误 2 项，警告 1 项，提示 3 项"."""
    s = report_summary(r)
    rules = f"运行规则 {s['rules_run']} 条"
    if s["rules_unchecked"]:
        rules += f"，其中 {len(s['rules_unchecked'])} 条因单元格未能可靠读出而未能完全核验（{'、'.join(s['rules_unchecked'])}）"
    return f"{rules}；错误 {s['errors']} 项，警告 {s['warnings']} 项，提示 {s['infos']} 项"


def pairs_json(pairs: dict[str, Pairing]) -> list[dict[str, Any]]:
    return [{"file": p.file, "previous": p.previous, "how": p.how, "exact": p.exact} for p in pairs.values()]


def report_json(r: FileResult) -> dict[str, Any]:
    """One checked (or unreadable) report's entry in the JSON output."""
    entry: dict[str, Any] = {
        "file": r.file,
        "edition": r.edition,
        "agency": r.agency,
        "year": r.year,
        "findings": [finding_json(f) for f in r.findings],
        "summary": report_summary(r),
    }
    if r.previous:
        entry["previous"] = {"file": r.previous, "pairing": r.pairing}
    if r.error:
        entry["error"] = r.error
    return entry


def _indented(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` prints it ``level`` levels down (its first line not indented)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)


def write_json(results: Iterable[FileResult], out: TextIO, pairs: Optional[dict[str, Pairing]] = None) -> Tally:
    """The JSON document, written as each result arrives: one report's entry at a time, the summary last.

    The text is the same as ``json.dumps(..., indent=2)`` of the whole document; only the skipped
    files' names and reasons are held until the end.
    """
    tally = Tally()
    skipped: list[dict[str, Any]] = []
    out.write('{\n  "reports": [')
    first = True
    for r in results:
        tally.add(r)
        if r.skipped:
            skipped.append({"file": r.file, "reason": r.skipped})
            continue
        out.write(("\n    " if first else ",\n    ") + _indented(report_json(r), 2))
        first = False
    out.write("]" if first else "\n  ]")
    out.write(',\n  "skipped": ' + _indented(skipped, 1))
    out.write(',\n  "summary": ' + _indented(tally.as_dict(), 1))
    if pairs is not None:
        out.write(',\n  "pairs": ' + _indented(pairs_json(pairs), 1))
    out.write("\n}")
    return tally


def to_json(results: Iterable[FileResult], pairs: Optional[dict[str, Pairing]] = None) -> str:
    buf = io.StringIO()
    write_json(results, buf, pairs)
    return buf.getvalue()


def _cell(v: object) -> str:
    return "" if v is None else str(v)


def write_csv(results: Iterable[FileResult], out: TextIO) -> Tally:
    """The audit sheet, a row per finding, written as each result arrives."""
    tally = Tally()
    # The BOM lets Excel open the Chinese audit sheet without garbling it.
    out.write("\ufeff")
    # Every cell through the one escape (assistant.spreadsheet): report text never runs as a formula.
    w = SafeWriter(csv.writer(out, lineterminator="\n"))
    w.writerow(CSV_HEADER)
    for r in results:
        tally.add(r)
        if r.skipped:
            w.writerow([r.file, "", "", "", "SKIP", Severity.info.label, "整份文件", f"未检查：{r.skipped}",
                        "", "", "", ""])
            continue
        if r.error:
            w.writerow([r.file, "", "", "", "READ", Severity.error.label, "整份文件", r.error, "", "", "", ""])
        for top in r.findings:
            for f in top.all_findings():
                # Severities in Chinese: the sheet is read by people (错误/警告/提示).
                said = f.message if f is top else CONSEQUENCE + f.message
                w.writerow([r.file, _cell(r.agency), _cell(r.year), _cell(r.edition), f.code, f.severity.label,
                            f.location, said, _cell(f.expected), _cell(f.actual), _cell(f.computation), f.basis])
    return tally


def to_csv(results: Iterable[FileResult]) -> str:
    buf = io.StringIO()
    write_csv(results, buf)
    return buf.getvalue()


def _md(s: object) -> str:
    return _cell(s).replace("|", "\\|").replace("\n", " ")


def to_markdown(results: list[FileResult], pairs: Optional[dict[str, Pairing]] = None) -> str:
    lines = ["# 年度报告检查结果", ""]
    s = summary(results)
    lines.append(f"共 {s['reports']} 份报告：错误 {s['errors']} 项，警告 {s['warnings']} 项，提示 {s['infos']} 项"
                 + (f"，{s['unreadable']} 份无法读取" if s["unreadable"] else "")
                 + (f"，跳过 {s['skipped']} 个不是年度报告的文件" if s["skipped"] else "") + "。")
    if pairs is not None:
        lines += ["", "## 年度配对", "", f"{len(pairs)} 份报告找到同一机关上一年度的报告。", ""]
        lines += [f"- `{p.file}` ← `{p.previous}`（{p.how}）" for p in pairs.values()]
    for r in results:
        if r.skipped:
            continue
        lines += ["", f"## {r.agency or r.file} {r.year or ''}".rstrip(), "", f"文件：`{r.file}`"]
        if r.error:
            lines += ["", f"**无法读取：** {r.error}"]
            continue
        lines.append(f"格式版本：{r.edition}")
        if r.previous:
            lines.append(f"上年报告：`{r.previous}`" + (f"（{r.pairing}）" if r.pairing else ""))
        lines.append(f"检查：{summary_line(r)}。")
        if not r.findings:
            lines += ["", "未发现问题。"]
            continue
        lines += ["", "| 级别 | 规则 | 位置 | 问题 | 计算 |", "|---|---|---|---|---|"]
        for top in r.findings:
            for f in top.all_findings():
                code = f.code if f is top else f"↳ {f.code}"
                said = f.message if f is top else CONSEQUENCE + f.message
                lines.append(f"| {f.severity.label} | {code} | {_md(f.location)} | {_md(said)} | {_md(f.computation)} |")
    skipped = [r for r in results if r.skipped]
    if skipped:
        lines += ["", "## 跳过的文件", ""] + [f"- `{r.file}`：{r.skipped}" for r in skipped]
    return "\n".join(lines) + "\n"
