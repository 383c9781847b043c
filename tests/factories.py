"""Consistent reports built by hand, for rule tests.

``make_report(edition)`` gives a report in which every rule passes: table 三
adds up in every row and column, table 四 adds up, and the narrative states
the tables' own figures. Tests then change one thing and expect one rule to
fire. Overrides replace cells (``t3={("disclosed", "总计"): 11}``) or whole
paragraphs; totals are NOT recomputed after an override, which is the point.
"""

from __future__ import annotations

from typing import Optional, Union

from assistant.model import Cell, CellState, Paragraph, Report, Section, get_edition

Value = Union[int, float, str, None]

# Per result row: (自然人, 商业企业); other applicant columns are 0.
RESULTS = {
    "disclosed": (8, 2),
    "partly": (4, 0),
    "law_forbidden": (1, 0),
    "third_party": (2, 0),
    "not_held": (5, 1),
    "needs_making": (1, 0),
    "complaint": (1, 0),
    "repeated": (1, 0),
    # 2021: the three （六） sub-rows; 2019: the single （六） row gets their sum.
    "overdue_correction": (2, 0),
    "other_misc": (1, 0),
}
NEW = (27, 3)
CARRIED_IN = (2, 0)
CARRIED_OUT = (3, 0)
TABLE4 = {
    "review": (2, 1, 0, 1),
    "direct_suit": (1, 0, 1, 0),
    "suit_after_review": (0, 0, 0, 1),
}
TABLE2 = {
    "2021": {
        "documents": {"rules": (0, 0, 0), "normative": (3, 1, 20)},
        "licensing": {"licensing": (120,)},
        "enforcement": {"penalty": (45,), "coercion": (3,)},
        "fees": {"fees": (12.5,)},
    },
    "2019": {
        "documents": {"rules": (0, 0, 0), "normative": (3, 3, 20)},
        "licensing": {"licensing": (10, 2, 150), "other_services": (5, 0, 30)},
        "enforcement": {"penalty": (8, 1, 60), "coercion": (2, 0, 4)},
        "fees": {"fees": (3, -1)},
        "procurement": {"procurement": (2, "35.6万")},
    },
}


def num(v: Value) -> Cell:
    """A cell as a reader would produce it from the written text ``v``."""
    if v is None or v == "":
        return Cell(state=CellState.blank, raw="")
    if v == "/":
        return Cell(state=CellState.slash, raw="/")
    if v == "—":
        return Cell(state=CellState.dash, raw="—")
    if isinstance(v, str):
        from assistant.parse.numbers import read_cell

        state, value, unit = read_cell(v)
        return Cell(state=state, value=value, unit=unit, raw=v)
    return Cell(state=CellState.number, value=v, raw=str(v))


def _row(n: int, c: int) -> list[int]:
    return [n, c, 0, 0, 0, 0, n + c]


def table3_figures(edition: str) -> dict[str, list[int]]:
    """Row key (or label for unkeyed rows) -> seven column values, consistent."""
    ed = get_edition(edition)
    results = dict(RESULTS)
    if edition == "2019":
        n = results.pop("overdue_correction")
        m = results.pop("other_misc")
        results["other"] = (n[0] + m[0], n[1] + m[1])
    out: dict[str, list[int]] = {}
    total_n = total_c = 0
    for r in ed.table3.rows:
        if not r.result:
            continue
        n, c = results.get(r.key, (0, 0))
        total_n, total_c = total_n + n, total_c + c
        out[r.key] = _row(n, c)
    out["total"] = _row(total_n, total_c)
    out["new"] = _row(*NEW)
    out["carried_in"] = _row(*CARRIED_IN)
    out["carried_out"] = _row(*CARRIED_OUT)
    return out


def figures(edition: str) -> dict[str, Value]:
    """The 总计-column figures a narrative would quote."""
    t3 = table3_figures(edition)
    ed = get_edition(edition)
    g = lambda key: sum(t3[r.key][-1] for r in ed.table3.group_rows(ed.table3.group(key)))  # noqa: E731
    other = t3["other"][-1] if edition == "2019" else g("other")
    return {
        "new": t3["new"][-1], "carried_in": t3["carried_in"][-1], "total": t3["total"][-1],
        "carried_out": t3["carried_out"][-1], "disclosed": t3["disclosed"][-1], "partly": t3["partly"][-1],
        "withheld": g("withheld"), "unavailable": g("unavailable"), "not_processed": g("not_processed"),
        "other": other,
    }


def default_paragraphs(edition: str, year: int) -> dict[str, list[str]]:
    f = figures(edition)
    review = TABLE4["review"]
    suits = [a + b for a, b in zip(TABLE4["direct_suit"], TABLE4["suit_after_review"])]
    docs = TABLE2[edition]["documents"]["normative"]
    doc_text = (
        f"全年制发行政规范性文件{docs[0]}件，现行有效行政规范性文件{docs[2]}件。"
        if edition == "2021"
        else f"全年新制作规范性文件{docs[0]}件，对外公开规范性文件总数{docs[2]}件。"
    )
    fee_text = "本年度未收取信息处理费。" if edition == "2021" else "无。"
    return {
        "preamble": [
            "本报告根据《中华人民共和国政府信息公开条例》编制，由总体情况、主动公开政府信息情况、"
            "收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、"
            "其他需要报告的事项六部分组成。",
            f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        ],
        "一": [
            f"{year}年，本机关认真贯彻落实《条例》，主动公开政府信息1200条，其中政策文件200条、工作动态1000条。"
            + doc_text,
            f"{year}年，本机关共收到政府信息公开申请{f['new']}件，上年结转{f['carried_in']}件，"
            f"办结{f['total']}件，其中予以公开{f['disclosed']}件、部分公开{f['partly']}件、不予公开{f['withheld']}件、"
            f"无法提供{f['unavailable']}件、不予处理{f['not_processed']}件、其他处理{f['other']}件，"
            f"结转下年度继续办理{f['carried_out']}件。",
            f"全年发生政府信息公开行政复议{sum(review)}件，其中结果维持{review[0]}件、结果纠正{review[1]}件、"
            f"尚未审结{review[3]}件；行政诉讼{sum(suits)}件。",
            "将政务公开纳入年度绩效考核，开展社会评议，全年未发生责任追究情况。",
        ],
        "二": [],
        "三": [],
        "四": [],
        "五": ["存在的主要问题是政策解读形式较为单一。下一步将丰富解读形式。"],
        "六": [fee_text],
    }


def make_report(
    edition: str = "2021",
    *,
    year: Optional[int] = None,
    agency: str = "某某市生态环境局",
    t3: Optional[dict] = None,
    t4: Optional[dict] = None,
    t2: Optional[dict] = None,
    paragraphs: Optional[dict[str, list[str]]] = None,
    drop_rows: tuple[str, ...] = (),
) -> Report:
    """A consistent report; ``t3``/``t4``/``t2`` override cells as written text or numbers.

    t3 keys: (row key, column label); t4: (group key, column key);
    t2: (block key, row key, column key).
    """
    ed = get_edition(edition)
    year = year or (2020 if edition == "2019" else 2024)
    rows = table3_figures(edition)
    table3 = {}
    for r in ed.table3.rows:
        if r.key in drop_rows:
            continue
        table3[r.label] = {col: num(v) for col, v in zip(ed.table3.columns, rows[r.key])}
    for (key, col), v in (t3 or {}).items():
        table3[ed.table3.row(key).label][col] = num(v)

    table4 = {}
    for g in ed.table4.groups:
        vals = TABLE4[ed.table4.group_keys[g]]
        table4[g] = {col: num(v) for col, v in zip(ed.table4.columns, [*vals, sum(vals)])}
    for (gk, ck), v in (t4 or {}).items():
        table4[ed.table4.group(gk)][ed.table4.column(ck)] = num(v)

    table2 = {}
    for block in ed.table2:
        figs = TABLE2[edition][block.key]
        table2[block.caption] = {
            row: {col: num(v) for col, v in zip(block.columns, figs[block.row_keys[row]])}
            for row in block.rows
        }
    for (bk, rk, ck), v in (t2 or {}).items():
        block = ed.block_by_key(bk)
        table2[block.caption][block.row(rk)][block.column(ck)] = num(v)

    paras = default_paragraphs(edition, year)
    paras.update(paragraphs or {})
    sections = [
        Section(key=s.key, heading=s.heading, raw_heading=s.heading,
                paragraphs=[Paragraph(text=t) for t in paras.get(s.key, [])])
        for s in ed.sections
        if s.key in paras
    ]
    return Report(
        edition=edition,
        edition_detected=edition,
        agency=agency,
        year=year,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        preamble=[Paragraph(text=t) for t in paras.get("preamble", [])],
        sections=sections,
        table2=table2,
        table3=table3,
        table4=table4,
    )


def previous_of(report: Report, **overrides) -> Report:
    """Last year's report of the same agency, consistent with ``report``'s carry-over."""
    ed = get_edition(report.edition)
    prev = make_report(report.edition, year=report.year - 1, agency=report.agency, **overrides)
    # Last year's 结转下年度 is this year's 上年结转, column by column.
    cin = ed.table3.row("carried_in").label
    cout = ed.table3.row("carried_out").label
    for col in ed.table3.columns:
        prev.table3[cout][col] = report.table3[cin][col].model_copy()
    # Table 二 stocks chain into this year's: last year's stock plus its change.
    docs = ed.block_by_key("documents")
    for row in docs.rows:
        now = report.table2[docs.caption][row]
        if docs.column("in_force"):
            i, r, f = (now[docs.column(k)].value for k in ("issued", "repealed", "in_force"))
            prev.table2[docs.caption][row][docs.column("in_force")] = num(f - i + r)
    for block in ed.table2:
        prior, change = block.column("items_prior"), block.column("items_change")
        if prior and change:
            for row in block.rows:
                want = report.table2[block.caption][row][prior].value
                d = prev.table2[block.caption][row][change].value
                prev.table2[block.caption][row][prior] = num(want - d)
    prev.sections = [s.model_copy(update={"paragraphs": [Paragraph(text=LAST_YEAR_TEXT)]}) for s in prev.sections]
    return prev


# Last year's narrative differs from this year's, so that X6 (内容雷同) stays quiet.
LAST_YEAR_TEXT = "上一年度围绕政务公开重点任务推进各项工作，着力规范依申请公开办理流程并加强平台建设。"
