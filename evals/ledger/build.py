"""Write application registers (台账) whose tables are known: a reference report's.

From ``evals/reference/<slug>/report.yaml`` this makes one row per
application so that counting the rows gives exactly that report's tables 三
and 四, and writes the rows the way offices keep them: Chinese column names
that differ between files, a title row above the header, a header split over
two rows under merged cells, dates as date cells, "2025年3月5日",
"2025.3.5", "2025/03/05" or Excel serial numbers, local wording for
applicant types and outcomes, a 合计 row, a second sheet of 行政复议 and
行政诉讼 cases, and a CSV in GBK.

The expected narrative figures (channels, days to answer) are counted here
independently, day by day, from the dates this script chose.

    .venv/bin/python evals/ledger/build.py --out /tmp/registers          # every reference report
    .venv/bin/python evals/ledger/build.py qinghe-city-2023 --out /tmp/r
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Optional

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REFERENCE = ROOT / "evals" / "reference"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.model import edition_for_year, get_edition  # noqa: E402

# Local wording, as offices write it; the ledger's vocabulary must know each.
APPLICANT_WORDS = {
    "自然人": ["公民", "个人", "自然人"],
    "商业企业": ["企业", "公司", "商业企业"],
    "科研机构": ["科研院所", "高校", "科研机构"],
    "社会公益组织": ["社会组织", "公益组织"],
    "法律服务机构": ["律师事务所", "律所", "法律服务机构"],
    "其他": ["其他组织", "其他"],
}
OUTCOME_WORDS = {
    "disclosed": ["同意公开", "予以公开", "公开"],
    "partly": ["部分公开", "部分同意公开"],
    "secret": ["属于国家秘密"],
    "law_forbidden": ["法律行政法规禁止公开"],
    "three_safety": ["危及“三安全一稳定”"],
    "third_party": ["涉及商业秘密", "保护第三方合法权益"],
    "internal": ["内部事务信息"],
    "process": ["过程性信息"],
    "enforcement_file": ["行政执法案卷"],
    "inquiry": ["行政查询事项"],
    "not_held": ["信息不存在", "本机关不掌握"],
    "needs_making": ["需另行制作"],
    "still_unclear": ["补正后仍不明确"],
    "complaint": ["属于信访", "信访举报投诉"],
    "repeated": ["重复申请"],
    "publication": ["要求提供公开出版物"],
    "mass_repeated": ["无正当理由大量反复申请"],
    "reconfirm": ["要求重新出具"],
    "overdue_correction": ["逾期未补正"],
    "unpaid_fee": ["逾期未缴费"],
    "other_misc": ["申请人撤回"],
    "other": ["逾期未补正", "申请人撤回"],  # the 2019 edition's single （六） row
}
PENDING_WORDS = ["办理中", "正在办理"]
WITHHELD_WORDS = ["不予公开"]  # written with 区分处理 = 是 for a partly disclosed answer
CHANNELS = {"当面": ["当面", "现场"], "信函": ["信函", "邮寄"], "网络": ["网上申请", "网络"],
            "电子邮件": ["电子邮件"], "传真": ["传真"]}
CHANNEL_WEIGHTS = {"当面": 3, "信函": 2, "网络": 8, "电子邮件": 1, "传真": 1}

# Header wording per field, one set per style, so that files differ.
HEADERS = [
    {"ident": "编号", "received": "收到申请日期", "applicant": "申请人类型", "channel": "申请方式",
     "outcome": "办理结果", "answered": "答复日期", "extended": "是否延期"},
    {"ident": "受理编号", "received": "申请日期", "applicant": "申请人性质", "channel": "提交方式",
     "outcome": "答复类型", "answered": "办结日期", "extended": "延期答复"},
    {"ident": "登记号", "received": "受理时间", "applicant": "申请主体", "channel": "申请渠道",
     "outcome": "处理结果", "answered": "答复时间", "extended": "是否延期"},
]
DATE_STYLES = ("cell", "cn", "dot", "slash", "serial", "iso")
CASE_RESULTS = {"upheld": ["维持", "驳回诉讼请求"], "corrected": ["撤销", "确认违法", "责令重新答复"],
                "other": ["驳回起诉", "撤诉", "终止"]}


def weekdays_after(start: date, end: date) -> int:
    """Monday–Friday days after start up to end, counted one by one (the test oracle)."""
    n, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n += 1
    return n


def add_weekdays(start: date, k: int) -> date:
    d = start
    while k > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            k -= 1
    return d


@dataclass
class AppRow:
    ident: str
    received: date
    applicant: str  # table-3 column label
    outcome: Optional[str]  # row key; None while pending
    answered: Optional[date]
    channel: str
    extended: bool = False
    partly_flag: bool = False  # written as 不予公开 + 区分处理 = 是


@dataclass
class CaseRow:
    ident: str
    group: str  # review / direct_suit / suit_after_review
    result: str  # upheld / corrected / other / pending
    filed: date


@dataclass
class RegisterSpec:
    slug: str
    year: int
    edition: str
    table3: dict[str, list[int]]
    table4: dict[str, list[int]]
    apps: list[AppRow] = field(default_factory=list)
    outside: list[AppRow] = field(default_factory=list)  # rows of other years
    cases: list[CaseRow] = field(default_factory=list)
    cases_outside: list[CaseRow] = field(default_factory=list)

    # ------------------------------------------------------------- expected

    def expected_narrative(self) -> dict:
        start, end = date(self.year, 1, 1), date(self.year, 12, 31)
        new = [a for a in self.apps if a.received >= start]
        answered = [a for a in self.apps if a.answered is not None and a.answered <= end]
        days = [weekdays_after(a.received, a.answered) for a in answered]
        channels: dict[str, int] = {}
        for a in new:
            channels[a.channel] = channels.get(a.channel, 0) + 1
        out = {"received": len(new), "answered": len(answered), "channels": channels}
        if days:
            out.update(
                within_limit=sum(1 for d in days if d <= 20),
                extended=sum(1 for a in answered if a.extended),
                late=sum(1 for d, a in zip(days, answered) if d > (40 if a.extended else 20)),
                longest_days=max(days),
                total_days=sum(days),
            )
        return out


def load_reference(slug: str) -> dict:
    return yaml.safe_load((REFERENCE / slug / "report.yaml").read_text(encoding="utf-8"))


def build(slug: str, seed: int = 0, outside_rows: int = 4) -> RegisterSpec:
    """The rows of a register that reproduces the reference report's tables 三 and 四."""
    data = load_reference(slug)
    year = int(data["year"])
    ed = get_edition(str(data.get("edition") or edition_for_year(year).id))
    decl = ed.table3
    t3 = {label: list(values) for label, values in data["table3"].items()}
    spec = RegisterSpec(slug, year, ed.id, t3, {g: list(v) for g, v in (data.get("table4") or {}).items()})
    rng = random.Random(f"{slug}:{seed}")
    start, end = date(year, 1, 1), date(year, 12, 31)
    counter = 0

    def ident() -> str:
        nonlocal counter
        counter += 1
        return f"YSQ-{year}-{counter:04d}"

    def channel() -> str:
        names = list(CHANNEL_WEIGHTS)
        return rng.choices(names, weights=[CHANNEL_WEIGHTS[n] for n in names])[0]

    for i, col in enumerate(decl.applicant_columns):
        def v(key: str) -> int:
            return int(t3[decl.row(key).label][i])

        results = [r.key for r in decl.rows if r.result for _ in range(int(t3[r.label][i]))]
        if v("new") + v("carried_in") != len(results) + v("carried_out"):
            raise ValueError(f"{slug}: 表三 {col} 列不满足 一+二=（七）+四")
        rng.shuffle(results)
        # Who is still pending on 31 December: the latest requests of the year first.
        received = [date(year - 1, 12, 1) + timedelta(days=rng.randint(0, 30)) for _ in range(v("carried_in"))]
        received += [start + timedelta(days=rng.randint(0, 364)) for _ in range(v("new"))]
        received.sort()
        pending_n = v("carried_out")
        if pending_n:
            late = [d for d in received if d >= start]
            for j in range(min(pending_n, len(late))):
                late[-1 - j] = date(year, 12, 10) + timedelta(days=rng.randint(0, 21))
            received = [d for d in received if d < start] + sorted(late)
        pending_idx = set(range(len(received) - pending_n, len(received)))
        for j, rec in enumerate(received):
            if j in pending_idx:
                answered = rng.choice([None, None, date(year + 1, 1, 5) + timedelta(days=rng.randint(0, 20))])
                spec.apps.append(AppRow(ident(), rec, col, None, answered, channel()))
                continue
            key = results.pop()
            roll = rng.random()
            k = 0 if roll < 0.05 else rng.randint(21, 38) if roll > 0.92 else rng.randint(1, 20)
            extended = k > 20 and rng.random() < 0.8
            ans = add_weekdays(rec, k)
            if ans > end:
                ans = end
            if ans < start:
                ans = start + timedelta(days=rng.randint(1, 10))
            spec.apps.append(AppRow(ident(), rec, col, key, ans, channel(), extended,
                                    partly_flag=key == "partly" and rng.random() < 0.5))
    for _ in range(outside_rows):
        rec = date(year - 1, rng.randint(1, 10), rng.randint(1, 28))
        spec.outside.append(AppRow(ident(), rec, "自然人", "disclosed", add_weekdays(rec, 8), channel()))
        rec = date(year + 1, 1, rng.randint(2, 20))
        spec.outside.append(AppRow(ident(), rec, "自然人", None, None, channel()))
    rng.shuffle(spec.apps)

    d4 = ed.table4
    for group, values in spec.table4.items():
        gkey = d4.group_keys[group]
        for col, n in zip(d4.columns, values):
            ckey = d4.column_keys[col]
            if ckey == "total":
                continue
            for _ in range(int(n)):
                filed = start + timedelta(days=rng.randint(0, 360))
                spec.cases.append(CaseRow(f"FY-{year}-{len(spec.cases) + 1:03d}", gkey, ckey, filed))
    spec.cases_outside.append(CaseRow(f"FY-{year - 1}-900", "review", "upheld", date(year - 1, 11, 3)))
    rng.shuffle(spec.cases)
    return spec


# ------------------------------------------------------------------ writing


def _date_value(d: Optional[date], style: str, csv_file: bool = False):
    if d is None:
        return None
    if style == "cell":
        return d if not csv_file else d.isoformat()
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "slash":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if style == "serial":
        n = (d - date(1899, 12, 30)).days
        return str(n) if csv_file else n
    return datetime(d.year, d.month, d.day, 9, 30).strftime("%Y-%m-%d %H:%M") if csv_file else f"{d.isoformat()}"


def _app_cells(a: AppRow, rng: random.Random, csv_file: bool = False) -> dict:
    if a.outcome is None:
        outcome = rng.choice(PENDING_WORDS + [""])
    elif a.partly_flag:
        outcome = rng.choice(WITHHELD_WORDS)
    else:
        outcome = rng.choice(OUTCOME_WORDS[a.outcome])
    return {
        "ident": a.ident,
        "received": _date_value(a.received, rng.choice(DATE_STYLES), csv_file),
        "applicant": rng.choice(APPLICANT_WORDS[a.applicant]),
        "channel": rng.choice(CHANNELS[a.channel]),
        "outcome": outcome or None,
        "answered": _date_value(a.answered, rng.choice(DATE_STYLES), csv_file),
        "extended": "是" if a.extended else "否",
        "partly": "是" if a.partly_flag else None,
        "name": rng.choice(["张某", "李某", "王某", "某某公司", "某律师事务所"]),
        "content": rng.choice(["某地块征收补偿方案", "某项目环评批复", "某年度财政预算", "某道路规划"]),
    }


APP_ORDER = ["ident", "received", "name", "applicant", "channel", "content", "outcome", "answered", "extended", "partly"]


def write_xlsx(spec: RegisterSpec, path: Path, style: int = 0, merged: bool = True, title: bool = True,
               cases_sheet: bool = True, total_row: bool = True) -> Path:
    """An .xlsx register written with openpyxl: a title, a (merged) header, messy dates, a case sheet."""
    rng = random.Random(f"{spec.slug}:xlsx:{style}")
    heads = dict(HEADERS[style % len(HEADERS)])
    heads.update(name="申请人姓名（名称）", content="申请内容", partly="是否区分处理")
    wb = Workbook()
    ws = wb.active
    ws.title = "依申请公开台账"
    n = len(APP_ORDER)
    r = 1
    if title:
        ws.cell(1, 1, f"{spec.year}年政府信息公开申请办理登记台账")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        r = 3  # an empty row between title and header, as people leave one
    if merged:
        # "申请人信息" over name and type, "办理情况" over outcome, date, extension and 区分处理.
        groups = {"name": "申请人信息", "applicant": "申请人信息", "outcome": "办理情况", "answered": "办理情况",
                  "extended": "办理情况", "partly": "办理情况"}
        child = {"name": "名称", "applicant": "类型", "outcome": "结果", "answered": heads["answered"],
                 "extended": heads["extended"], "partly": "区分处理"}
        c = 1
        while c <= n:
            f = APP_ORDER[c - 1]
            if f in groups:
                span = c
                while span < n and groups.get(APP_ORDER[span]) == groups[f]:
                    span += 1
                ws.cell(r, c, groups[f])
                ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=span)
                for cc in range(c, span + 1):
                    ws.cell(r + 1, cc, child[APP_ORDER[cc - 1]])
                c = span + 1
            else:
                ws.cell(r, c, heads[f])
                ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
                c += 1
        r += 2
    else:
        for c, f in enumerate(APP_ORDER, start=1):
            ws.cell(r, c, heads[f])
        r += 1
    rows = spec.apps + spec.outside
    rows = sorted(rows, key=lambda a: a.received)
    for a in rows:
        cells = _app_cells(a, rng)
        for c, f in enumerate(APP_ORDER, start=1):
            value = cells[f]
            cell = ws.cell(r, c, value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
        r += 1
    if total_row:
        ws.cell(r, 1, "合计")
        ws.cell(r, 2, f"{len(rows)}件")
    if cases_sheet:
        _case_sheet(wb.create_sheet("行政复议和诉讼"), spec, rng)
    notes = wb.create_sheet("填表说明")
    notes.cell(1, 1, "本台账按收到申请的先后登记，答复后填写办理结果和答复日期。")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


CASE_HEADERS = ["案号", "收案日期", "案件类型", "是否经复议", "审理结果", "是否审结"]


def _case_values(c: CaseRow, rng: random.Random, csv_file: bool = False) -> list:
    kind = "行政复议" if c.group == "review" else "行政诉讼"
    first = "" if c.group == "review" else ("是" if c.group == "suit_after_review" else "否")
    if c.result == "pending":
        result, concluded = rng.choice(["", "审理中"]), "否"
    else:
        result, concluded = rng.choice(CASE_RESULTS[c.result]), "是"
    return [c.ident, _date_value(c.filed, rng.choice(DATE_STYLES), csv_file), kind, first or None, result or None, concluded]


def _case_sheet(ws, spec: RegisterSpec, rng: random.Random) -> None:
    ws.cell(1, 1, f"{spec.year}年政府信息公开行政复议、行政诉讼案件登记表")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CASE_HEADERS))
    for c, h in enumerate(CASE_HEADERS, start=1):
        ws.cell(2, c, h)
    for r, case in enumerate(spec.cases + spec.cases_outside, start=3):
        for c, v in enumerate(_case_values(case, rng), start=1):
            cell = ws.cell(r, c, v)
            if isinstance(v, date):
                cell.number_format = "yyyy-mm-dd"


def write_csv(spec: RegisterSpec, path: Path, encoding: str = "gbk", style: int = 1) -> Path:
    """A CSV register (GBK by default, as Excel on a Chinese Windows writes it)."""
    rng = random.Random(f"{spec.slug}:csv:{style}")
    heads = dict(HEADERS[style % len(HEADERS)])
    heads.update(name="申请人", content="申请内容", partly="区分处理")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow([heads[x] for x in APP_ORDER])
        for a in sorted(spec.apps + spec.outside, key=lambda a: a.received):
            cells = _app_cells(a, rng, csv_file=True)
            w.writerow(["" if cells[x] is None else cells[x] for x in APP_ORDER])
    return path


def write_cases_csv(spec: RegisterSpec, path: Path, encoding: str = "utf-8-sig") -> Path:
    rng = random.Random(f"{spec.slug}:cases")
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(CASE_HEADERS)
        for c in spec.cases + spec.cases_outside:
            w.writerow(["" if v is None else v for v in _case_values(c, rng, csv_file=True)])
    return path


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Write registers whose tables are a reference report's.")
    ap.add_argument("slugs", nargs="*", help="reference report folders (default: all)")
    ap.add_argument("--out", required=True, type=Path)
    args = ap.parse_args(argv)
    slugs = args.slugs or sorted(p.parent.name for p in REFERENCE.glob("*/report.yaml"))
    for slug in slugs:
        spec = build(slug)
        x = write_xlsx(spec, args.out / f"{slug}.xlsx", style=len(slug))
        c = write_csv(spec, args.out / f"{slug}.gbk.csv")
        print(f"{slug}: {len(spec.apps)} applications, {len(spec.cases)} cases -> {x.name}, {c.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
