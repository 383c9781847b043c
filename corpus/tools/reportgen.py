"""Render the sample annual reports in corpus/reports from their figures.

The sample reports are fictional (invented agencies in an invented 江川省),
written for this project in the style of real ones. Each report's figures are
declared once in ``samples.py``; the tables are rendered from them and every
figure in the narrative is filled in from the same numbers, so narrative and
tables agree and the table identities hold (一 + 二 = （七） + 四 in every
column, sub-rows add up, 表四 groups add up).

Run ``python corpus/tools/reportgen.py`` after editing samples.py; it
rewrites corpus/reports/*.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

# Table 三 result rows: (key, label, group)
RESULT_ROWS_COMMON = [
    ("open", "（一）予以公开", None),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("ng1", "1.属于国家秘密", "（三）不予公开"),
    ("ng2", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    ("ng3", "3.危及“三安全一稳定”", "（三）不予公开"),
    ("ng4", "4.保护第三方合法权益", "（三）不予公开"),
    ("ng5", "5.属于三类内部事务信息", "（三）不予公开"),
    ("ng6", "6.属于四类过程性信息", "（三）不予公开"),
    ("ng7", "7.属于行政执法案卷", "（三）不予公开"),
    ("ng8", "8.属于行政查询事项", "（三）不予公开"),
    ("nf1", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    ("nf2", "2.没有现成信息需要另行制作", "（四）无法提供"),
    ("nf3", "3.补正后申请内容仍不明确", "（四）无法提供"),
    ("np1", "1.信访举报投诉类申请", "（五）不予处理"),
    ("np2", "2.重复申请", "（五）不予处理"),
    ("np3", "3.要求提供公开出版物", "（五）不予处理"),
    ("np4", "4.无正当理由大量反复申请", "（五）不予处理"),
    ("np5", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
]
OTHER_2019 = [("other", "（六）其他处理", None)]
OTHER_2021 = [
    ("o1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("o2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("o3", "3.其他", "（六）其他处理"),
]

T4_GROUPS = ["行政复议", "未经复议直接起诉", "复议后起诉"]
T4_COLS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _vec(v) -> list[int]:
    v = list(v or [])
    return (v + [0] * 6)[:6]


def _add(a, b):
    return [x + y for x, y in zip(a, b)]


class Sample:
    def __init__(self, spec: dict):
        self.s = spec
        self.edition = str(spec["edition"])
        rows = RESULT_ROWS_COMMON + (OTHER_2019 if self.edition == "2019" else OTHER_2021)
        self.rows = rows
        res = spec["t3"]
        self.res = {k: _vec(res.get(k)) for k, _, _ in rows}
        self.carried = _vec(res.get("carried"))
        self.next = _vec(res.get("next"))
        self.total = [0] * 6
        for k, _, _ in rows:
            self.total = _add(self.total, self.res[k])
        # New applications follow from the identity 一 + 二 = （七） + 四.
        self.new = [t + n - c for t, n, c in zip(self.total, self.next, self.carried)]
        if any(x < 0 for x in self.new):
            raise ValueError(f"{spec['slug']}: carried-over figures exceed the results")

    # ---------------------------------------------------------- facts

    def group(self, prefix: str) -> int:
        return sum(sum(v) for k, v in self.res.items() if k.startswith(prefix) and k[len(prefix):].isdigit())

    def facts(self) -> dict:
        f = dict(self.s.get("facts", {}))
        s = sum
        f.update(
            agency=self.s["agency"], year=self.s["year"],
            new=s(self.new), new_person=self.new[0], new_org=s(self.new[1:]),
            carried=s(self.carried), done=s(self.total), next=s(self.next),
            open=s(self.res["open"]), partial=s(self.res["partial"]),
            refuse=self.group("ng"), cannot=self.group("nf"), noproc=self.group("np"),
            otherp=self.group("o") + sum(self.res.get("other", [])),
        )
        for k, v in self.res.items():
            f[k] = s(v)
        t4 = self.t4()
        f["rec"] = t4[0][4]
        f["rec_keep"], f["rec_fix"], f["rec_other"], f["rec_pending"] = t4[0][:4]
        f["suit_direct"], f["suit_after"] = t4[1][4], t4[2][4]
        f["suit"] = t4[1][4] + t4[2][4]
        f["suit_keep"] = t4[1][0] + t4[2][0]
        f["suit_pending"] = t4[1][3] + t4[2][3]
        f.update(self.s.get("t2", {}))
        active = self.s.get("active")
        if active:
            f["active_total"] = sum(n for _, n, _ in active)
            f["active_parts"] = "、".join(f"{name}{n}{unit}" for name, n, unit in active)
        return f

    def t4(self) -> list[list[int]]:
        out = []
        for g in T4_GROUPS:
            v = list(self.s.get("t4", {}).get(g, [0, 0, 0, 0]))
            out.append(v + [sum(v)])
        return out

    # ---------------------------------------------------------- rendering

    def table2(self) -> str:
        t = self.s.get("t2", {})
        if self.edition == "2019":
            blocks = [
                ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
                 [("规章", "reg"), ("规范性文件", "norm")], ["made", "pub", "total"]),
                ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
                 [("行政许可", "lic"), ("其他对外管理服务事项", "oth")], ["prev", "change", "dec"]),
                ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
                 [("行政处罚", "pen"), ("行政强制", "force")], ["prev", "change", "dec"]),
                ("第二十条第（八）项", ["上一年项目数量", "本年增/减"],
                 [("行政事业性收费", "fee")], ["prev", "change"]),
                ("第二十条第（九）项", ["采购项目数量", "采购总金额（万元）"],
                 [("政府集中采购", "buy")], ["n", "amt"]),
            ]
        else:
            blocks = [
                ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
                 [("规章", "reg"), ("行政规范性文件", "norm")], ["issued", "repealed", "valid"]),
                ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "lic")], ["dec"]),
                ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "pen"), ("行政强制", "force")], ["dec"]),
                ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "fee")], ["amt"]),
            ]
        out = []
        for caption, cols, rows, keys in blocks:
            out.append(f"| {caption} |" + " |" * len(cols))
            out.append("|" + "---|" * (len(cols) + 1))
            out.append("| 信息内容 | " + " | ".join(cols) + " |")
            for label, key in rows:
                vals = [str(t.get(f"{key}_{k}", 0)) for k in keys]
                out.append(f"| {label} | " + " | ".join(vals) + " |")
            out.append("")
        return "\n".join(out).rstrip()

    def table3(self) -> str:
        def line(label, vec):
            vals = list(vec) + [sum(vec)]
            return f"| {label} | " + " | ".join(str(x) for x in vals) + " |"

        out = [
            "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | " + " | ".join(COLS) + " |",
            "|" + "---|" * (len(COLS) + 1),
            line("一、本年新收政府信息公开申请数量", self.new),
            line("二、上年结转政府信息公开申请数量", self.carried),
            "| 三、本年度办理结果 |" + " |" * len(COLS),
        ]
        group = None
        for key, label, g in self.rows:
            if g and g != group:
                out.append(f"| {g} |" + " |" * len(COLS))
            group = g
            out.append(line(label, self.res[key]))
        out.append(line("（七）总计", self.total))
        out.append(line("四、结转下年度继续办理", self.next))
        return "\n".join(out)

    def table4(self) -> str:
        head = "| 行政复议 | | | | | 行政诉讼（未经复议直接起诉） | | | | | 行政诉讼（复议后起诉） | | | | |"
        cols = "| " + " | ".join(T4_COLS * 3) + " |"
        vals = "| " + " | ".join(str(x) for g in self.t4() for x in g) + " |"
        return "\n".join([head, "|" + "---|" * 15, cols, vals])

    def markdown(self) -> str:
        s, f = self.s, self.facts()
        n = s["narrative"]

        def fill(text: str) -> str:
            return text.strip().format(**f)

        title = f"{s['agency']}{s['year']}年政府信息公开工作年度报告"
        parts = [
            "---",
            "kind: report",
            f"agency: {s['agency']}",
            f"year: {s['year']}",
            f'edition: "{self.edition}"',
            f"level: {s['level']}",
            "note: 本项目编写的示例年报，机关为虚构，数字前后一致。",
            "---",
            f"# {title}",
            "",
            fill(n["preamble"]),
            "",
            "## 一、总体情况",
            "",
        ]
        for p in n["overall"]:
            parts += [fill(p), ""]
        parts += ["## 二、主动公开政府信息情况", "", self.table2(), "",
                  "## 三、收到和处理政府信息公开申请情况", "", self.table3(), "",
                  "## 四、政府信息公开行政复议、行政诉讼情况", "", self.table4(), "",
                  "## 五、存在的主要问题及改进情况", ""]
        for p in n["problems"]:
            parts += [fill(p), ""]
        parts += ["## 六、其他需要报告的事项", ""]
        for p in n["other"]:
            parts += [fill(p), ""]
        return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    from samples import SAMPLES  # noqa: E402

    out_dir = here.parent / "reports"
    out_dir.mkdir(exist_ok=True)
    for spec in SAMPLES:
        sample = Sample(spec)
        (out_dir / f"{spec['slug']}.md").write_text(sample.markdown(), encoding="utf-8")
        print(f"{spec['slug']}: 新收{sum(sample.new)} 办结{sum(sample.total)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
