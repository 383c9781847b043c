"""Parse suite: every expected cell read back with its value and its state; the edition detected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...parse import ReadError
from ..cases import ReportCase, all_cases
from ..context import Context
from ..expected import report_cells, same_value
from ..results import Case, Metric, SuiteResult

TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


@dataclass
class CaseScore:
    cells: int = 0
    right: int = 0  # value, state and unit all as expected
    states: int = 0  # state as expected
    edition_ok: bool = True
    wrong: list[str] = field(default_factory=list)
    error: str = ""


def _flatten(tables: dict[str, Any]) -> dict[tuple, dict[str, Any]]:
    out = {}
    for table, body in tables.items():
        name = TABLE_NAMES[table]
        if table == "table2":
            for caption, rows in body.items():
                for row, cols in rows.items():
                    for col, cell in cols.items():
                        out[(name, f"{caption} {row}", col)] = cell
        else:
            for row, cols in body.items():
                for col, cell in cols.items():
                    out[(name, row, col)] = cell
    return out


def _show(cell: dict[str, Any] | None) -> str:
    if cell is None:
        return "（无此单元格）"
    if cell["state"] == "number":
        return f"{cell['value']:g}{cell.get('unit') or ''}" if isinstance(cell["value"], (int, float)) \
            else str(cell["value"])
    return {"blank": "空白", "slash": "/", "dash": "—", "missing": "缺失", "text": "文字"}.get(cell["state"], cell["state"])


def score_case(ctx: Context, case: ReportCase) -> CaseScore:
    score = CaseScore()
    want = _flatten(case.expected.tables)
    try:
        report = ctx.parse(case.path)
    except ReadError as exc:
        score.cells = len(want)
        score.edition_ok = case.expected.edition is None
        score.error = exc.message
        return score
    if case.expected.edition is not None and report.edition != case.expected.edition:
        score.edition_ok = False
        score.wrong.append(f"格式版本：应为 {case.expected.edition}，读出 {report.edition}")
    got = _flatten({t: v for t, v in report_cells(report).items() if t in case.expected.tables})
    # A cell the file does not expect but the parser produced is also wrong: the table has an extra row.
    for key in list(want) + [k for k in got if k not in want]:
        score.cells += 1
        w, g = want.get(key), got.get(key)
        state_ok = w is not None and g is not None and w["state"] == g["state"]
        ok = (w is not None and g is not None and state_ok and same_value(w["value"], g["value"])
              and w.get("unit") == g.get("unit"))
        score.states += state_ok
        score.right += ok
        if not ok:
            table, row, col = key
            score.wrong.append(f"{table} {row} × {col}：应为 {_show(w)}，读出 {_show(g)}")
    return score


def run(ctx: Context, spec: dict[str, Any]) -> SuiteResult:
    cases, notes = all_cases(ctx, spec)
    th = spec.get("thresholds") or {}
    scores = [(c, score_case(ctx, c)) for c in cases]
    cells = sum(s.cells for _, s in scores)
    right = sum(s.right for _, s in scores)
    states = sum(s.states for _, s in scores)
    editions = sum(s.edition_ok for _, s in scores)
    worst = sorted(
        ((c, s) for c, s in scores if s.error or s.wrong),
        key=lambda cs: (cs[1].right / cs[1].cells if cs[1].cells else 0.0, cs[0].name),
    )
    return SuiteResult(
        name="parse",
        title=spec.get("title", "解析"),
        cases=len(cases),
        notes=notes,
        metrics=[
            Metric(name="cell_accuracy", label="单元格准确率（数值与状态）", value=right / cells if cells else 1.0,
                   threshold=th.get("cell_accuracy"), detail=f"{right}/{cells}"),
            Metric(name="state_accuracy", label="单元格状态准确率", value=states / cells if cells else 1.0,
                   threshold=th.get("state_accuracy"), detail=f"{states}/{cells}"),
            Metric(name="edition_accuracy", label="格式版本识别准确率", value=editions / len(cases) if cases else 1.0,
                   threshold=th.get("edition_accuracy"), detail=f"{editions}/{len(cases)}"),
        ],
        worst=[
            Case(name=c.name, link=ctx.link(c.path), score=s.right / s.cells if s.cells else 0.0,
                 note=s.error or "；".join(s.wrong[:3]) + (f" 等 {len(s.wrong)} 处" if len(s.wrong) > 3 else ""))
            for c, s in worst[: ctx.worst]
        ],
    )
