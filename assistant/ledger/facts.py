"""The register's figures as a facts file, in the drafter's layout.

The layout is that of ``assistant/parse/facts.py`` (and of every
``evals/reference/*/report.yaml``): ``agency``, ``level``, ``year``,
``edition``, ``table3``, ``table4``, ``extra`` and ``notes``. Given an
existing facts file, the register's tables replace its tables 三 and 四 and
its notes and figures are added; everything else (table 二, the agency, the
fee) is kept. Files are written whole or not at all.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Optional, Union

import yaml

from ..errors import os_reason
from .compute import LedgerResult
from .errors import LedgerError


def facts_data(result: LedgerResult, base: Optional[dict] = None, agency: Optional[str] = None,
               level: Optional[str] = None) -> dict:
    """Facts for the drafter: the base file's data with the register's tables, notes and figures."""
    if result.table3 is None:
        raise LedgerError("台账中有无法归类的行，表格未计算，不能写出事实文件")
    data = dict(base or {})
    if data.get("year") not in (None, result.year):
        raise LedgerError(f"事实文件的年度是{data['year']}年，台账按{result.year}年计算；请用 --year {data['year']} 或换用对应的事实文件")
    if data.get("edition") not in (None, result.edition.id):
        raise LedgerError(f"事实文件是{data['edition']}版格式，台账按{result.edition.id}版计算；请用 --edition {data['edition']}")
    out: dict = {}
    out["agency"] = agency or data.pop("agency", None)
    out["level"] = level or data.pop("level", None)
    data.pop("agency", None)
    data.pop("level", None)
    out["year"] = result.year
    out["edition"] = result.edition.id
    data.pop("year", None)
    data.pop("edition", None)
    if "table2" in data:
        out["table2"] = data.pop("table2")
    out["table3"] = result.table3_values()
    data.pop("table3", None)
    t4 = result.table4_values()
    if t4 is not None:
        out["table4"] = t4
        data.pop("table4", None)
    elif "table4" in data:
        out["table4"] = data.pop("table4")
    narrative = getattr(result, "narrative", None)
    extra = list(data.pop("extra", None) or [])
    notes = list(data.pop("notes", None) or [])
    if narrative is not None:
        have = {str(x.get("label", "")) for x in extra if isinstance(x, dict)}
        for x in narrative.extra():
            if not any("信息处理费" in h for h in have):
                extra.append(x)
        notes.extend(n for n in narrative.notes() if n not in notes)
    if extra:
        out["extra"] = extra
    if notes:
        out["notes"] = notes
    out.update(data)  # previous, preamble and anything else the base file had
    return {k: v for k, v in out.items() if v is not None}


def provenance(result: LedgerResult) -> list[str]:
    """Comment lines saying where the figures came from and what they do not know."""
    reg = result.register
    used = [s for s in reg.sheets if s.kind != "ignored"]
    lines = [
        f"由 nianbao ledger 根据台账“{reg.file}”计算：{result.year}年度，{result.edition.id}版格式。",
        "使用的工作表：" + "；".join(f"“{s.name}”（{'申请' if s.kind == 'applications' else '案件'}{s.rows}行）" for s in used),
        f"计入表三的申请{len(result.counted)}件。{result.calendar.describe()}。",
    ]
    lines.extend(result.notes)
    narrative = getattr(result, "narrative", None)
    if narrative is not None:
        lines.extend(narrative.caveats)
    return lines


class _Dumper(yaml.SafeDumper):
    pass


def _list(dumper: yaml.SafeDumper, data: list):
    flow = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _list)


def to_yaml(data: dict, comments: Optional[list[str]] = None) -> str:
    head = "".join(f"# {line}\n" for line in (comments or []))
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return head + body


def write_facts(data: dict, path: Union[str, Path], comments: Optional[list[str]] = None) -> None:
    """Write YAML (or JSON for a .json name) in one step: a failed write leaves no partial file."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif path.suffix.lower() in (".yaml", ".yml"):
        text = to_yaml(data, comments)
    else:
        raise LedgerError(f"事实文件应以 .yaml、.yml 或 .json 结尾：{path.name}")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".nianbao-", suffix=path.suffix, dir=directory)
    except OSError as exc:
        raise LedgerError(f"无法写入 {path}：{os_reason(exc)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise LedgerError(f"无法写入 {path}：{os_reason(exc)}") from None
