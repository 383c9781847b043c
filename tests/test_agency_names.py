"""One agency, many names: what pairing treats as the same agency, and what it does not."""

from __future__ import annotations

import pytest

from assistant.check.agency import normalise_agency, same_agency


@pytest.mark.parametrize("name, places, body", [
    ("江苏省淮安市洪泽区人民政府", ("江苏省", "淮安市", "洪泽区"), "人民政府"),
    ("淮安市人民政府", ("淮安市",), "人民政府"),
    ("临淄区政府办公室", ("临淄区",), "人民政府办公室"),
    ("临淄区府办", ("临淄区",), "人民政府办公室"),
    ("临淄区 人民政府办公室（以下简称区政府办）", ("临淄区",), "人民政府办公室"),
    ("平潭综合实验区管委会", ("平潭综合实验区",), "管理委员会"),
    ("平潭综合实验区", ("平潭综合实验区",), ""),
    # Words that end in a place character but are part of the body.
    ("石楠县住房和城乡建设局", ("石楠县",), "住房和城乡建设局"),
    ("淮安市城市管理局", ("淮安市",), "城市管理局"),
    ("淮安市市场监督管理局", ("淮安市",), "市场监督管理局"),
])
def test_a_name_is_taken_apart_into_places_and_body(name, places, body):
    n = normalise_agency(name)
    assert (n.places, n.body) == (places, body)


@pytest.mark.parametrize("a, b, says", [
    ("淮安市洪泽区人民政府", "洪泽区人民政府", "省略了上级地名“淮安市”"),
    ("江苏省淮安市人民政府", "淮安市人民政府", "省略了上级地名“江苏省”"),
    ("淄博市临淄区人民政府办公室", "临淄区政府办", "“政府办公室”即“人民政府办公室”"),
    ("临淄区人民政府办公室（以下简称区政府办）", "临淄区人民政府办公室", "去掉“（以下简称……）”"),
    ("平潭综合实验区管委会", "平潭综合实验区管理委员会", "“管委会”即“管理委员会”"),
    ("福建省平潭综合实验区", "平潭综合实验区", "省略了上级地名“福建省”"),
])
def test_the_same_agency_written_two_ways_is_paired_and_says_how(a, b, says):
    same = same_agency(a, b)
    assert same is not None and not same.exact and says in same.how
    assert same_agency(b, a) is not None


@pytest.mark.parametrize("a, b", [
    ("临淄区人民政府", "临淄区 人民政府"),
    ("青禾市（人民政府）", "青禾市(人民政府)"),
])
def test_spacing_and_bracket_widths_are_no_difference(a, b):
    same = same_agency(a, b)
    assert same is not None and same.exact


@pytest.mark.parametrize("a, b", [
    ("南京市鼓楼区人民政府", "福州市鼓楼区人民政府"),  # two districts of one name in two cities
    ("淮安市人民政府", "洪泽区人民政府"),
    ("洪泽区人民政府", "洪泽区人民政府办公室"),  # the government and its office are two agencies
    ("青禾市统计局", "统计局"),  # a body without any place says too little
    ("青禾市统计局", "青禾市教育局"),
    ("青禾市统计局", None),
])
def test_different_agencies_are_not_paired(a, b):
    assert same_agency(a, b) is None
