"""Degradation suite: reports as they are really found, read cell by cell, never confidently wrong.

Every reference report is rendered into each layout of ``evals.degrade``
(in memory, at run time) and parsed; the shared real reports take part in
the layout they were found in. Each cell is scored:

- right: read as certain, and the document's value;
- inferred: read by a rule (``Cell.how``), and the document's value;
- marked: said to be uncertain or unreadable (whatever value it carries);
- wrong: given as certain or inferred, but not the document's value — a
  reviewer would be misled by it.

A cell the layout has lost (a column cut at the page edge, figures the text
cannot settle) is right only when marked. Thresholds: no wrong cell in any
layout; right-or-inferred at least ``read`` where the figures survive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...model import CellState, Certainty, Report, edition_for_year, get_edition
from ...model.editions import newest_edition
from ...parse import ReadError, parse_bytes, parse_file
from ...yamlfile import load_yaml
from ..context import Context, EvalConfigError
from ..degrade import ABSENT, LAYOUTS, pdf_text, reference_dirs, render
from ..expected import ExpectedError, load_expected, same_value
from ..results import Case, Metric, SuiteResult
from .parse import _flatten, _show

# Real reports come in layouts the generator does not make: these name them.
REAL_LAYOUTS = {
    "pdf-grid": ("PDF 表格（竖排分组标签、跨页、合并单元格）", True),
    "html-rowspan": ("网页表格（rowspan/colspan）", True),
    "word-text": ("Word 另存的文本（每格一行）", True),
}


@dataclass
class Tally:
    cells: int = 0
    right: int = 0
    inferred: int = 0
    marked: int = 0
    wrong: int = 0
    cases: int = 0
    sections_ok: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)  # (case, what was wrong)

    def add(self, other: "Tally") -> None:
        for k in ("cells", "right", "inferred", "marked", "wrong", "cases", "sections_ok"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.notes += other.notes

    @property
    def read(self) -> float:
        return (self.right + self.inferred) / self.cells if self.cells else 1.0


def _cells(report: Report) -> dict[tuple[str, str, str], Any]:
    out = {}
    for caption, rows in report.table2.items():
        for row, cols in rows.items():
            for col, cell in cols.items():
                out[("表二", f"{caption} {row}", col)] = cell
    for row, cols in report.table3.items():
        for col, cell in cols.items():
            out[("表三", row, col)] = cell
    for group, cols in report.table4.items():
        for col, cell in cols.items():
            out[("表四", group, col)] = cell
    return out


def score(report: Report, truth: dict[tuple[str, str, str], dict[str, Any]], sections: list[str],
          name: str) -> Tally:
    """Every cell of the truth and every cell the reader gave, scored."""
    t = Tally(cases=1)
    t.sections_ok = int([s.key for s in report.sections] == sections)
    if not t.sections_ok:
        t.notes.append((name, f"章节：应为 {'、'.join(sections)}，读出 {'、'.join(s.key for s in report.sections) or '无'}"))
    got = _cells(report)
    for key in list(truth) + [k for k in got if k not in truth]:
        t.cells += 1
        want, cell = truth.get(key), got.get(key)
        table, row, col = key
        if cell is not None and cell.certainty in (Certainty.uncertain, Certainty.unreadable):
            t.marked += 1
            continue
        if want is not None and want.get("state") == ABSENT["state"]:
            if cell is None or cell.state is CellState.missing:
                t.marked += 1
                continue
            t.wrong += 1
            t.notes.append((name, f"{table} {row} × {col}：版式中已缺失，却读出 {cell.raw or cell.state.value}"))
            continue
        ok = (cell is not None and want is not None and want["state"] == cell.state.value
              and same_value(want["value"], cell.value) and want.get("unit") == cell.unit)
        if ok and cell is not None and cell.certainty is Certainty.certain:
            t.right += 1
        elif ok:
            t.inferred += 1
        else:
            t.wrong += 1
            shown = None if cell is None else {"value": cell.value, "state": cell.state.value, "unit": cell.unit}
            t.notes.append((name, f"{table} {row} × {col}：应为 {_show(want)}，读出 {_show(shown)}"))
    return t


def _failed(name: str, truth: dict, message: str) -> Tally:
    t = Tally(cases=1, cells=len(truth), wrong=len(truth))
    t.notes.append((name, f"无法读取：{message}"))
    return t


def _real_truth(ctx: Context, entry: dict[str, Any]) -> tuple[dict, list[str]]:
    path = ctx.path(entry["expected"])
    try:
        expected = load_expected(path)
        raw = load_yaml(path.read_text(encoding="utf-8"), f"期望结果文件 {path.name} ", ExpectedError) or {}
    except (ExpectedError, OSError) as exc:
        raise EvalConfigError(f"无法读取期望结果文件 {ctx.link(path)}：{getattr(exc, 'message', exc)}") from None
    truth = _flatten(expected.tables)
    # Rows whose figures the document's text cannot settle (digits run together that more
    # than one split fits): the only right reading of their cells is "unreadable".
    undetermined = raw.get("undetermined") or {}
    if undetermined:
        ed = (get_edition(expected.edition) if expected.edition
              else edition_for_year(expected.year) if expected.year else newest_edition())
        for caption, rows in (undetermined.get("table2") or {}).items():
            columns = ed.block(caption).columns
            for row in rows:
                for col in columns:
                    truth[("表二", f"{caption} {row}", col)] = dict(ABSENT)
        for row in undetermined.get("table3") or []:
            for col in ed.table3.columns:
                truth[("表三", row, col)] = dict(ABSENT)
        for group in undetermined.get("table4") or []:
            for col in ed.table4.columns:
                truth[("表四", group, col)] = dict(ABSENT)
    return truth, list(expected.sections or [])


def _real_cases(ctx: Context, spec: dict[str, Any], tallies: dict[str, Tally], worst: list) -> list[str]:
    real = spec.get("real") or {}
    folder = ctx.path(real.get("folder", "../shared/realdata"))
    if not folder.is_dir():
        if real.get("optional", True):
            return [f"未找到真实报告文件夹 {ctx.link(folder)}，真实报告未参加本套件。"]
        raise EvalConfigError(f"找不到数据文件夹 {ctx.link(folder)}。")
    for entry in real.get("cases") or []:
        path = folder / entry["report"]
        layout = entry["layout"]
        name = f"{entry['report']}（{layout}）"
        truth, sections = _real_truth(ctx, entry)
        try:
            extract = entry.get("extract")
            if extract:
                # The text a PDF extraction gives, as a user would paste it.
                report = parse_bytes(pdf_text(path.read_bytes(), extract == "layout"), f"{path.stem}.txt")
            else:
                report = parse_file(path)
        except ReadError as exc:
            tally = _failed(name, truth, exc.message)
        else:
            tally = score(report, truth, sections, name)
        tallies.setdefault(layout, Tally()).add(tally)
        worst.append((name, path, tally))
    return []


def _title(layout: str) -> tuple[str, bool]:
    if layout in LAYOUTS:
        return LAYOUTS[layout].title, LAYOUTS[layout].figures_survive
    return REAL_LAYOUTS.get(layout, (layout, True))


def _note(t: Tally) -> str:
    counts = f"对 {t.right}，推断对 {t.inferred}，标为存疑或无法读取 {t.marked}，读错 {t.wrong}"
    if not t.notes:
        return counts
    return counts + "：" + "；".join(x for _, x in t.notes[:3]) + (f" 等 {len(t.notes)} 处" if len(t.notes) > 3 else "")


def run(ctx: Context, spec: dict[str, Any]) -> SuiteResult:
    th = spec.get("thresholds") or {}
    ref = spec.get("reference") or {}
    folder = ctx.path(ref.get("folder", "evals/reference"))
    layouts = ref.get("layouts") or list(LAYOUTS)
    unknown = [x for x in layouts if x not in LAYOUTS]
    if unknown:
        raise EvalConfigError(f"退化评测套件中有未知的版式：{'、'.join(unknown)}（可用：{'、'.join(LAYOUTS)}）。")
    tallies: dict[str, Tally] = {}
    worst: list[tuple[str, Path, Tally]] = []
    for case_dir in reference_dirs(folder):
        for layout in layouts:
            doc = render(case_dir, layout)
            if doc is None:
                continue
            name = f"{case_dir.name}/{doc.name}"
            try:
                report = parse_bytes(doc.data, doc.name)
            except ReadError as exc:
                tally = _failed(name, doc.truth, exc.message)
            else:
                tally = score(report, doc.truth, doc.sections, name)
            tallies.setdefault(layout, Tally()).add(tally)
            worst.append((name, case_dir / "report.yaml", tally))
    notes = _real_cases(ctx, spec, tallies, worst)

    metrics: list[Metric] = []
    total = Tally()
    survive = Tally()
    for layout, t in tallies.items():
        title, survives = _title(layout)
        total.add(t)
        if survives:
            survive.add(t)
        metrics.append(Metric(name=f"{layout}.wrong", label=f"{title}：读错的单元格", value=t.wrong, better="lower",
                              threshold=th.get("wrong"), percent=False,
                              detail=f"{t.cases} 份；对 {t.right}，推断对 {t.inferred}，标为存疑或无法读取 {t.marked}，"
                                     f"读错 {t.wrong}（共 {t.cells} 格）"))
        metrics.append(Metric(name=f"{layout}.read", label=f"{title}：读对（含推断）的比例", value=t.read,
                              threshold=th.get("read") if survives else None,
                              detail=f"{t.right + t.inferred}/{t.cells}" + ("" if survives else "（数字丢失的版式，不设门槛）")))
    metrics.append(Metric(name="sections", label="章节全部读出的报告比例", value=total.sections_ok / total.cases
                          if total.cases else 1.0, threshold=th.get("sections"),
                          detail=f"{total.sections_ok}/{total.cases}"))
    metrics.append(Metric(name="wrong", label="全部版式读错的单元格", value=total.wrong, better="lower",
                          threshold=th.get("wrong"), percent=False, detail=f"共 {total.cells} 格"))
    ranked = sorted(worst, key=lambda w: (-w[2].wrong, w[2].read, w[0]))
    return SuiteResult(
        name="degradation",
        title=spec.get("title", "退化版式"),
        cases=total.cases,
        notes=notes,
        metrics=metrics,
        worst=[Case(name=n, link=ctx.link(p), score=t.read, note=_note(t))
               for n, p, t in ranked[: ctx.worst] if t.notes or t.read < 1.0],
    )

