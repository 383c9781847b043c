"""The register's wording and what it means, read from ``vocabulary.yaml``.

A value is mapped only when the vocabulary (or the user's own mapping) lists
it; the edition's own row and column labels are always understood. Anything
else is returned as unmapped, for a person to assign.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

import yaml

from ..model import Edition, editions
from ..resources import package_path
from ..yamlfile import load_yaml
from .errors import LedgerError

VOCABULARY_FILE = package_path("ledger", "vocabulary.yaml")

# Fields whose values are mapped, with their Chinese names (for messages and
# for the user's mapping file, which may use either name).
VALUE_FIELDS = {
    "applicant": "申请人类型",
    "outcome": "办理结果",
    "channel": "申请渠道",
    "case_kind": "案件类型",
    "case_result": "案件结果",
}
APPLICATION_FIELDS = {
    "received": "收到申请日期",
    "answered": "答复日期",
    "applicant": "申请人类型",
    "outcome": "办理结果",
    "channel": "申请渠道",
    "partly": "区分处理",
    "extended": "延期答复",
    "corrected": "补正后收到日期",
    "withdrawn": "撤回",
    "fee_notice": "收费通知",
    "fee_paid": "缴费",
    "fee_amount": "收费金额",
    "ident": "编号",
}
CASE_FIELDS = {
    "case_kind": "案件类型",
    "reviewed_first": "是否经复议",
    "case_result": "案件结果",
    "concluded": "是否审结",
    "case_date": "收案日期",
    "concluded_date": "审结日期",
    "ident": "编号",
}
PENDING = "pending"
MAX_MAPPING_BYTES = 1_000_000

_NUMBERING = re.compile(r"^(?:\s*(?:[(（]?[一二三四五六七八九十]+[)）、.．]|[(（]\d+[)）]|\d+[.．、)）](?!\d)))+")
_PUNCT = re.compile(r"[\s\u3000,，。．.、;；:：!！?？\"'“”‘’()（）\[\]【】〔〕《》<>〈〉\-—–－_/\\|·•…]+")
_SHORT_CODE = re.compile(r"^[(（]([一二三四五六七])[)）]\s*(\d)?\s*[.．、]?$")


def normalise(text: object) -> str:
    """Text compared for meaning: half-width, upper-case ASCII, no spaces, punctuation or list numbering."""
    if text is None:
        return ""
    return _normalise(str(text))


@lru_cache(maxsize=65536)
def _normalise(text: str) -> str:
    # Registers repeat a few dozen wordings over thousands of rows: the cache is most of the speed.
    s = unicodedata.normalize("NFKC", text).strip()
    s = _NUMBERING.sub("", s)
    return _PUNCT.sub("", s).upper()


def _field_key(name: str, fields: dict[str, str]) -> Optional[str]:
    name = str(name).strip()
    if name in fields:
        return name
    for key, zh in fields.items():
        if normalise(zh) == normalise(name):
            return key
    return None


@dataclass
class Vocabulary:
    application_columns: list[tuple[str, list[re.Pattern]]]
    case_columns: list[tuple[str, list[re.Pattern]]]
    values: dict[str, dict[str, str]]  # field -> normalised wording -> target
    withdrawn_outcome: str
    yes: set[str]
    no: set[str]
    # Set by the user (mapping file or --assign): these win over the defaults.
    user_values: dict[str, dict[str, str]] = field(default_factory=dict)
    user_columns: dict[str, str] = field(default_factory=dict)  # normalised header -> field

    def lookup(self, field_name: str, text: object) -> Optional[str]:
        key = normalise(text)
        if not key:
            return None
        user = self.user_values.get(field_name, {})
        if key in user:
            return user[key]
        return self.values.get(field_name, {}).get(key)

    def flag(self, text: object) -> Optional[bool]:
        """True, False, or None when the text is neither a yes nor a no."""
        key = normalise(text)
        if key in self.yes:
            return True
        if key in self.no:
            return False
        return None

    def with_assignments(self, assignments: dict[str, dict[str, str]], edition: Edition) -> "Vocabulary":
        """A copy with a person's assignments (field -> wording -> target), each target checked."""
        user = {f: dict(v) for f, v in self.user_values.items()}
        for field_name, pairs in assignments.items():
            key = _field_key(field_name, VALUE_FIELDS)
            if key is None:
                raise LedgerError(f"没有“{field_name}”这类取值，可选：{'、'.join(VALUE_FIELDS.values())}")
            for wording, target in pairs.items():
                user.setdefault(key, {})[normalise(wording)] = resolve_target(key, str(target), edition)
        return Vocabulary(self.application_columns, self.case_columns, self.values, self.withdrawn_outcome,
                          self.yes, self.no, user, dict(self.user_columns))

    def with_columns(self, columns: dict[str, str]) -> "Vocabulary":
        """A copy in which these headers (normalised) are the named fields, whatever they say."""
        return Vocabulary(self.application_columns, self.case_columns, self.values, self.withdrawn_outcome,
                          self.yes, self.no, self.user_values, {**self.user_columns, **columns})


def resolve_target(field_name: str, target: str, edition: Edition) -> str:
    """The canonical target a person wrote: a column label, a row key or label, a channel …"""
    t = target.strip()
    if field_name == "applicant":
        for col in edition.table3.applicant_columns:
            if normalise(col) == normalise(t):
                return col
        raise LedgerError(f"申请人类型只能对应表三的列：{'、'.join(edition.table3.applicant_columns)}（“{t}”不是其中之一）")
    if field_name == "outcome":
        key = outcome_key(t, edition)
        if key is None:
            raise LedgerError(f"办理结果“{t}”不是表三的结果行；请写行名（如“（一）予以公开”“（四）1”）"
                              "或行的代号（如 disclosed、not_held），尚未办结写 pending")
        return key
    if field_name == "channel":
        known = channel_names()
        if t not in known:
            raise LedgerError(f"申请渠道只能是：{'、'.join(known)}（“{t}”不是其中之一）")
        return t
    if field_name == "case_kind":
        groups = edition.table4.group_keys
        for label, key in groups.items():
            if normalise(t) in (normalise(label), normalise(key)):
                return key
        if normalise(t) in (normalise("行政诉讼"), "SUIT"):
            return "suit"
        raise LedgerError(f"案件类型只能是：{'、'.join(groups)}，或“行政诉讼”（另有“是否经复议”列时）（“{t}”不是其中之一）")
    if field_name == "case_result":
        for label, key in edition.table4.column_keys.items():
            if t in (label, key) and key != "total":
                return key
        cols = "、".join(c for c in edition.table4.columns if c != edition.table4.total_column)
        raise LedgerError(f"案件结果只能对应表四的列：{cols}（“{t}”不是其中之一）")
    raise LedgerError(f"没有“{field_name}”这类取值")


def outcome_key(text: str, edition: Edition) -> Optional[str]:
    """A row key from a key, an official label (numbered or not) or a short code such as “（四）1”."""
    t = text.strip()
    if t == PENDING or normalise(t) in ("尚未办结", "结转", "结转下年度"):
        return PENDING
    decl = edition.table3
    result_rows = [r for ed in editions().values() for r in ed.table3.rows if r.result]
    keys = {r.key for r in result_rows if r.key}
    if t in keys:
        return t
    m = _SHORT_CODE.match(unicodedata.normalize("NFKC", t).replace(" ", ""))
    if m:
        numeral, sub = m.group(1), m.group(2)
        for r in decl.rows:
            if not r.result or not r.key:
                continue
            head = r.group or r.label
            if not head.startswith(f"（{numeral}）"):
                continue
            if sub is None and r.group is None:
                return r.key
            if sub is not None and r.group is not None and r.label.startswith(f"{sub}."):
                return r.key
        return None
    n = normalise(t)
    for r in result_rows:
        if r.key and n and (n == normalise(r.label) or n in (normalise(a) for a in r.aliases)):
            return r.key
    return None


def channel_names() -> list[str]:
    return list(_raw()["channel"])


@lru_cache(maxsize=1)
def _raw() -> dict:
    return yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))


def _columns(spec: dict) -> list[tuple[str, list[re.Pattern]]]:
    return [(name, [re.compile(p) for p in patterns]) for name, patterns in spec.items()]


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    raw = _raw()
    values: dict[str, dict[str, str]] = {}
    for field_name in VALUE_FIELDS:
        table: dict[str, str] = {}
        for target, words in raw[field_name].items():
            for w in words:
                n = normalise(w)
                if n in table and table[n] != target:
                    raise ValueError(f"vocabulary.yaml: {field_name} wording {w!r} maps to both {table[n]} and {target}")
                table[n] = target
        values[field_name] = table
    # Every edition's own labels are understood without listing them.
    for ed in editions().values():
        for col in ed.table3.applicant_columns:
            values["applicant"].setdefault(normalise(col), col)
        for r in ed.table3.rows:
            if r.result and r.key:
                values["outcome"].setdefault(normalise(r.label), r.key)
                for a in r.aliases:
                    values["outcome"].setdefault(normalise(a), r.key)
        for label, key in ed.table4.column_keys.items():
            if key != "total":
                values["case_result"].setdefault(normalise(label), key)
        for label, key in ed.table4.group_keys.items():
            values["case_kind"].setdefault(normalise(label), key)
    return Vocabulary(
        application_columns=_columns(raw["application_columns"]),
        case_columns=_columns(raw["case_columns"]),
        values=values,
        withdrawn_outcome=raw["withdrawn_outcome"],
        yes={normalise(w) for w in raw["flag_yes"]},
        no={normalise(w) for w in raw["flag_no"]},
    )


def load_vocabulary(mapping_file: Union[str, Path, None], edition: Edition) -> Vocabulary:
    """The default vocabulary plus a person's mapping file (``字段: {本地写法: 目标}``)."""
    vocab = default_vocabulary()
    if mapping_file is None:
        return vocab
    path = Path(mapping_file)
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            raise LedgerError(f"对应关系文件过大（超过1MB）：{path.name}")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LedgerError(f"找不到对应关系文件：{path}") from None
    except UnicodeDecodeError:
        raise LedgerError(f"对应关系文件不是 UTF-8 编码的文本：{path.name}") from None
    except OSError:
        raise LedgerError(f"无法读取对应关系文件：{path}") from None
    data = load_yaml(text, f"对应关系文件 {path.name} ", LedgerError)
    if data is None:
        return vocab
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise LedgerError(f"对应关系文件应写成“字段: {{本地写法: 目标}}”，例如“办理结果: {{依法公开: （一）予以公开}}”：{path.name}")
    assignments = {str(k): {str(w): str(t) for w, t in v.items() if t not in (None, "")} for k, v in data.items()}
    columns = assignments.pop("列", None) or assignments.pop("columns", None)
    vocab = vocab.with_assignments(assignments, edition)
    if columns:
        vocab = vocab.with_columns(parse_column_map([f"{k}={v}" for k, v in columns.items()]))
    return vocab


def parse_column_map(items: list[str]) -> dict[str, str]:
    """``表头=字段`` pairs (``处理结果=outcome`` or ``处理结果=办理结果``) -> normalised header -> field."""
    fields = {**APPLICATION_FIELDS, **CASE_FIELDS}
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise LedgerError(f"列对应应写成“表头=字段”，例如“处理结果=outcome”（实为“{item}”）")
        header, name = item.rsplit("=", 1)
        key = _field_key(name, fields)
        if key is None or not header.strip():
            names = "、".join(f"{zh}（{k}）" for k, zh in fields.items())
            raise LedgerError(f"无法识别“{item}”：字段可选 {names}")
        out[normalise(header)] = key
    return out


def parse_assignments(items: list[str]) -> dict[str, dict[str, str]]:
    """``字段:本地写法=目标`` pairs, e.g. ``办理结果:依法公开=（一）予以公开``."""
    out: dict[str, dict[str, str]] = {}
    for item in items:
        m = re.match(r"^([^:：=]+)[:：](.+)=(.+)$", item.strip())
        if not m:
            raise LedgerError(f"取值对应应写成“字段:本地写法=目标”，例如“办理结果:依法公开=（一）予以公开”（实为“{item}”）")
        out.setdefault(m.group(1).strip(), {})[m.group(2).strip()] = m.group(3).strip()
    return out
