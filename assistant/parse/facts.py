"""Facts files: a report written as YAML, turned into a ``Report``.

The same file shape serves the reference reports and the drafter's facts:

    agency: 青禾市人民政府
    level: city            # province / city / county / township / department
    year: 2022
    edition: "2021"        # optional; the edition in force for the year by default
    preamble: [段落, ...]
    sections: {一: [段落, ...], 二: [], ..., 六: [...]}
    table2: {第二十条第（一）项: {规章: [1, 0, 12], 行政规范性文件: [...]}, ...}
    table3: {一、本年新收政府信息公开申请数量: [自然人, 商业企业, ..., 总计], ...}
    table4: {行政复议: [结果维持, 结果纠正, 其他结果, 尚未审结, 总计], ...}

A row is a list in the edition's column order or a mapping from column label
to value. A value is a number, or text read as a document's cell would be:
"/" (slash), "—" (dash), "" or null (blank), a figure with a unit such as
"36.8万元" (value in 元, 368000, unit 万元), or other text. Labels must be the
edition's official labels; rows left out stay missing, nothing is filled in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Union

from .. import limits
from ..errors import FactsError as FactsError  # importable from here, where it is raised
from ..model import Cell, CellState, Edition, Paragraph, Report, Section, edition_for_year, get_edition
from ..yamlfile import load_yaml
from .files import file_error
from .numbers import read_cell

LEVELS = ("province", "city", "county", "township", "department")


def cell_from_value(value: Any, where: str) -> Cell:
    if isinstance(value, bool):
        raise FactsError(f"{where}：“{value}”不是数字")
    if value is None:
        return Cell(state=CellState.blank)
    if isinstance(value, (int, float)):
        limits.check_figure(value, where, FactsError)
    if isinstance(value, int):
        return Cell(value=value, state=CellState.number, raw=str(value))
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return Cell(value=value, state=CellState.number, raw=text)
    if not isinstance(value, str):
        raise FactsError(f"{where}：无法识别的取值“{value}”")
    text = value.strip()
    if text == "":
        return Cell(state=CellState.blank)
    # The project's one number reader classifies the text, so a facts file
    # and a parsed document give the same cell for the same writing
    # ("86.4万元" -> 864000, unit 万元; "/" -> slash).
    state, number, unit = read_cell(text)
    if number is not None:
        limits.check_figure(number, where, FactsError)
    return Cell(value=number, state=state, raw=text, unit=unit)


def _row_cells(values: Any, columns: list[str], where: str) -> dict[str, Cell]:
    if isinstance(values, list):
        if len(values) != len(columns):
            raise FactsError(f"{where}：应有 {len(columns)} 个数值（{'、'.join(columns)}），实有 {len(values)} 个")
        return {col: cell_from_value(v, f"{where} × {col}") for col, v in zip(columns, values)}
    if isinstance(values, dict):
        unknown = [k for k in values if k not in columns]
        if unknown:
            raise FactsError(f"{where}：没有“{unknown[0]}”这一列，可选：{'、'.join(columns)}")
        return {col: cell_from_value(values[col], f"{where} × {col}") for col in columns if col in values}
    raise FactsError(f"{where}：应为数值列表或“列名: 数值”映射")


def _paragraphs(items: Any, where: str) -> list[Paragraph]:
    if items is None:
        return []
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise FactsError(f"{where}：应为段落文字的列表")
    return [Paragraph(text=x.strip()) for x in items if x.strip()]


def _mapping(data: dict[str, Any], key: str, name: str, shape: str) -> dict[Any, Any]:
    """``data[key]`` when it is a mapping (absent or empty: an empty one); a Chinese error otherwise."""
    value = data.get(key)
    if value is None or value == [] or value == "":
        return {}
    if not isinstance(value, dict):
        raise FactsError(f"{name}：{key} 应为{shape}的映射，实为{_kind(value)}")
    return value


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "列表"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, (int, float)):
        return "数字"
    return "其他内容"


def report_from_data(data: dict[str, Any], name: str = "事实文件") -> Report:
    if not isinstance(data, dict):
        raise FactsError(f"{name}：内容应为键值映射")
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2200):
        raise FactsError(f"{name}：year 应为年份数字（如 2023）")
    if data.get("edition") is not None:
        edition: Edition = get_edition(str(data["edition"]))
    elif year is not None:
        edition = edition_for_year(year)
    else:
        raise FactsError(f"{name}：缺少 year（报告年度）或 edition（格式版本）")
    level = data.get("level")
    if level is not None and level not in LEVELS:
        raise FactsError(f"{name}：level 应为 {'、'.join(LEVELS)} 之一，实为“{level}”")

    sections_in = _mapping(data, "sections", name, "“一”到“六”各部分")
    known_sections = {s.key: s for s in edition.sections}
    for key in sections_in:
        if str(key) not in known_sections:
            raise FactsError(f"{name}：没有“{key}”这一部分，可选：{'、'.join(known_sections)}")
    sections = [
        Section(
            key=decl.key,
            heading=decl.heading,
            raw_heading=decl.heading,
            paragraphs=_paragraphs(sections_in[decl.key], f"{name} 第{decl.key}部分"),
        )
        for decl in edition.sections
        if decl.key in sections_in
    ]

    table2: dict[str, dict[str, dict[str, Cell]]] = {}
    for caption, rows in _mapping(data, "table2", name, "表二各栏目").items():
        try:
            block = edition.block(caption)
        except KeyError:
            captions = "、".join(b.caption for b in edition.table2)
            raise FactsError(f"{name}：{edition.id} 版表二没有“{caption}”，可选：{captions}") from None
        table2[caption] = {}
        if rows is not None and not isinstance(rows, dict):
            raise FactsError(f"{name}：表二 {caption} 应为“行名: 数值”的映射，实为{_kind(rows)}")
        for label, values in (rows or {}).items():
            if label not in block.rows:
                raise FactsError(f"{name}：表二 {caption} 没有“{label}”这一行，可选：{'、'.join(block.rows)}")
            table2[caption][label] = _row_cells(values, block.columns, f"表二 {caption} {label}")

    table3: dict[str, dict[str, Cell]] = {}
    labels3 = edition.table3.labels
    for label, values in _mapping(data, "table3", name, "表三各行").items():
        if label not in labels3:
            raise FactsError(f"{name}：{edition.id} 版表三没有“{label}”这一行")
        table3[label] = _row_cells(values, edition.table3.columns, f"表三 {label}")

    table4: dict[str, dict[str, Cell]] = {}
    for group, values in _mapping(data, "table4", name, "表四各项").items():
        if group not in edition.table4.groups:
            raise FactsError(f"{name}：表四没有“{group}”，可选：{'、'.join(edition.table4.groups)}")
        table4[group] = _row_cells(values, edition.table4.columns, f"表四 {group}")

    agency = data.get("agency")
    title = f"{agency or ''}{year}年政府信息公开工作年度报告" if year is not None else None
    return Report(
        edition=edition.id,
        agency=agency,
        level=level,
        year=year,
        title=title,
        preamble=_paragraphs(data.get("preamble"), f"{name} 前言"),
        sections=sections,
        table2=table2,
        table3=table3,
        table4=table4,
    )


def load_facts(path: Union[str, Path]) -> Any:
    """The data of a facts file (YAML, or JSON by its extension), with a Chinese message if it can't be read;
    what it holds (a mapping, as a rule) is for the caller to check."""
    path = Path(path)
    try:
        limits.check_size(path.stat().st_size, "事实文件", error=FactsError)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FactsError(f"找不到事实文件：{path}") from None
    except IsADirectoryError:
        raise FactsError(f"这是一个文件夹，不是事实文件：{path}") from None
    except UnicodeDecodeError:
        raise FactsError(f"事实文件不是 UTF-8 编码：{path}") from None
    except OSError as exc:
        raise FactsError(str(file_error(exc, path))) from None
    if not text.strip():
        raise FactsError(f"事实文件是空的：{path}")
    if path.suffix.lower() == ".json":
        limits.check_text(text, error=FactsError)
        try:
            return json.loads(text, parse_constant=_json_constant)
        except json.JSONDecodeError as exc:
            raise FactsError(f"事实文件不是有效的 JSON：{path}（第{exc.lineno}行：{exc.msg}）") from None
        except (ValueError, RecursionError):  # a figure of thousands of digits, nesting too deep
            raise FactsError(f"事实文件 {path} 中有无法读取的数字或过深的嵌套。") from None
    return load_yaml(text, f"事实文件 {path} ", FactsError)


def _json_constant(word: str) -> Any:
    """JSON's NaN and Infinity are not figures."""
    raise FactsError(f"事实文件中有“{word}”：这不是有效的数字。")


def report_from_yaml(path: Union[str, Path]) -> Report:
    path = Path(path)
    report = report_from_data(load_facts(path), name=path.name)
    report.file = str(path)
    return report
