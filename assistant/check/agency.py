"""What an agency's name says about it: is it a people's government, at which
level, and which scope words ("全市", "我区") mean its own scope.

Everything here answers "unknown" when the name is not clear: rules that use
it only fire on a clear answer, because a false alarm costs more than a miss.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

# The unit a people's government governs, as the character used in scope
# words: 淮安市人民政府 speaks of 全市, 临淄区人民政府 of 全区.
_GOVERNMENT = re.compile(r"(省|自治区|市|自治州|州|盟|区|县|旗|镇|乡)人民政府$")
_SUBDISTRICT = re.compile(r"街道办事处$")
# Units whose governments (and everything below or inside them) cannot make
# 规章 under the 立法法.
_NO_RULE_POWER_UNITS = {"区", "县", "旗", "镇", "乡", "街道"}
# A county-level government or its office: "临淄区人民政府办公室".
_COUNTY_BODY = re.compile(r"(区|县|旗|镇|乡)人民政府")
# A county-level department: "XX县教育局", "临淄区财政局". 区 after words
# like 社区/园区/开发区 does not name a district.
_COUNTY_DEPT = re.compile(
    r"^[\u4e00-\u9fff]{0,8}?[\u4e00-\u9fff](?<![社园景城新片学校矿])(县|区|旗)"
    r"[\u4e00-\u9fff]{1,16}(局|委员会|办公室|中心|院|所|站)$"
)

SCOPE_UNITS = "省|自治区|市|州|盟|区|县|旗|镇|乡|街道|街"


@dataclass(frozen=True)
class Agency:
    name: str
    is_government: bool  # a people's government (or 街道办事处) itself
    unit: Optional[str]  # the unit a government governs: 市, 区, 县 …
    rule_power: Optional[bool]  # can it make 规章? None = cannot tell from the name

    def own_scope(self, unit: str) -> bool:
        """Is "全<unit>" / "我<unit>" / "本<unit>" this agency's own scope?"""
        if not self.is_government or not self.unit:
            return False
        if unit == self.unit:
            return True
        return self.unit == "自治区" and unit == "区" or self.unit == "自治州" and unit == "州"


def read_agency(name: Optional[str]) -> Agency:
    name = re.sub(r"\s+", "", name or "")
    m = _GOVERNMENT.search(name)
    if m:
        unit = m.group(1)
        power: Optional[bool]
        if unit in _NO_RULE_POWER_UNITS:
            power = False
        elif unit in ("省", "自治区", "自治州", "州"):
            power = True
        else:
            power = None  # 市: a 设区的市 can make 规章, a county-level city cannot
        return Agency(name, True, unit, power)
    if _SUBDISTRICT.search(name):
        return Agency(name, True, "街道", False)
    if _COUNTY_BODY.search(name) or _COUNTY_DEPT.search(name):
        return Agency(name, False, None, False)
    return Agency(name, False, None, None)


# ------------------------------------------------------------------ one agency, many names

# A place as agencies' names start with it: 江苏省, 淮安市, 洪泽区, 平潭综合实验区, 澄岚乡.
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:省|自治区|自治州|特别行政区|市|州|盟|县|区|旗|镇|乡|街道)")
# Words that end in a place character but name something else: 城市管理局, 住房和城乡建设局, 市场监督管理局.
_NOT_PLACE = re.compile(r"城市|城乡|市场|社区|园区|景区|小区|校区|矿区|林区|片区|辖区|和")
_ALIAS_PAREN = re.compile(r"[(（][^()（）]*(?:以下简称|下称|简称)[^()（）]*[)）]")
_BODY_ALIASES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"(?<!人民)政府办(?:公室)?$|^府办$|(?<=[区县市])府办$"), "人民政府办公室", "“政府办公室”即“人民政府办公室”"),
    (re.compile(r"^办公室$"), "人民政府办公室", "“办公室”即“人民政府办公室”"),
    (re.compile(r"(?<!人民)政府$"), "人民政府", "“政府”即“人民政府”"),
    (re.compile(r"管委会"), "管理委员会", "“管委会”即“管理委员会”"),
]


@dataclass(frozen=True)
class AgencyName:
    """An agency's name taken apart: the places it starts with, and what the agency is."""

    written: str
    places: tuple[str, ...]  # outermost first: ("江苏省", "淮安市", "洪泽区")
    body: str  # "人民政府", "人民政府办公室", "教育局"; "" when the name is a place ("平潭综合实验区")
    steps: tuple[str, ...]  # what was changed to get here, in Chinese (empty: only spacing and brackets)

    @property
    def key(self) -> str:
        """The name without its parent places: what pairing groups on ("洪泽区人民政府")."""
        return (self.places[-1] if self.places else "") + self.body


@lru_cache(maxsize=4096)
def normalise_agency(name: Optional[str]) -> AgencyName:
    """An agency's name as pairing compares it: spacing, bracket widths and "（以下简称…）" dropped,
    short forms of the body written out ("区政府办" → "区人民政府办公室"), places split off."""
    written = name or ""
    text = unicodedata.normalize("NFKC", written)
    text = re.sub(r"\s+", "", text)
    steps: list[str] = []
    dropped = _ALIAS_PAREN.sub("", text)
    if dropped != text:
        steps.append("去掉“（以下简称……）”")
        text = dropped
    places: list[str] = []
    rest = text
    while True:
        m = _PLACE.match(rest)
        if not m or _NOT_PLACE.search(m.group()):
            break
        places.append(m.group())
        rest = rest[m.end():]
    body = rest
    for pattern, full, said in _BODY_ALIASES:
        if places and pattern.search(body):
            new = pattern.sub(full, body)
            if new != body:
                body = new
                steps.append(said)
    return AgencyName(written, tuple(places), body, tuple(steps))


@dataclass(frozen=True)
class SameAgency:
    """Two names found to be one agency's, and how."""

    exact: bool  # the same name once spacing and bracket widths are set aside
    how: str  # Chinese: "机关名称相同" or the steps that made them the same


def same_agency(a: Optional[str], b: Optional[str]) -> Optional[SameAgency]:
    """Whether two names are one agency's: the same once normalised, where one may leave out the
    parent places the other gives ("淮安市洪泽区人民政府" and "洪泽区人民政府"), but not name
    different ones ("南京市鼓楼区" and "福州市鼓楼区" are two districts). None when they differ
    or either is unknown."""
    if not a or not b:
        return None
    x, y = normalise_agency(a), normalise_agency(b)
    if x.body != y.body or not (x.body or x.places):
        return None
    short, long_ = sorted((x.places, y.places), key=len)
    if long_[len(long_) - len(short):] != short or (not short and long_):
        return None
    if x.places == y.places and not x.steps and not y.steps:
        return SameAgency(True, "机关名称相同")
    said: list[str] = []
    if short != long_:
        said.append(f"一方省略了上级地名“{''.join(long_[:len(long_) - len(short)])}”")
    for step in (*x.steps, *y.steps):
        if step not in said:
            said.append(step)
    if not said:
        return SameAgency(True, "机关名称相同（仅空格或括号写法不同）")
    return SameAgency(False, "按规范化后的机关名称视为同一机关：" + "；".join(said))
