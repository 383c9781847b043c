"""What an agency's name says about it: is it a people's government, at which
level, and which scope words ("全市", "我区") mean its own scope.

Everything here answers "unknown" when the name is not clear: rules that use
it only fire on a clear answer, because a false alarm costs more than a miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
