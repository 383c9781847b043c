"""What every finding's references must satisfy, whichever rule made it."""

from __future__ import annotations

import re

from assistant.model import Report, get_edition

_WS = re.compile(r"\s+")


def paragraph_text(report: Report, section: str, paragraph: int) -> str:
    paras = report.preamble if section == "preamble" else report.section(section).paragraphs
    return paras[paragraph - 1].text


def declared(report: Report, ref) -> bool:
    ed = get_edition(report.edition)
    if ref.table == "三":
        return ref.block is None and ref.row in ed.table3.labels and ref.col in ed.table3.columns
    if ref.table == "四":
        return ref.block is None and ref.row in ed.table4.groups and ref.col in ed.table4.columns
    block = next((b for b in ed.table2 if b.caption == ref.block), None)
    return ref.table == "二" and block is not None and ref.row in block.rows and ref.col in block.columns


def assert_references_resolve(report: Report, findings) -> None:
    """Cells are declared cells of the edition; a span's offsets hold the words it quotes; identities differ.

    The findings a root cause gathers under it (``consequences``) are held to the same.
    """
    findings = [f for top in findings for f in top.all_findings()]
    for f in findings:
        assert f.cells or f.spans or f.area is not None, f"{f.code}: a finding that points nowhere"
        for ref in f.cells:
            assert declared(report, ref), f"{f.code}: {ref} is not a cell of the {report.edition} edition"
        for s in f.spans:
            text = _WS.sub("", paragraph_text(report, s.section, s.paragraph)[s.start:s.end])
            pieces = [p for p in re.split("…+", s.quote) if p]
            assert 0 <= s.start < s.end, f"{f.code}: empty span {s}"
            if len(pieces) == 1:
                assert text == s.quote, f"{f.code}: span {s.start}:{s.end} holds “{text}”, quotes “{s.quote}”"
            else:
                assert text.startswith(pieces[0]) and text.endswith(pieces[-1]), f"{f.code}: {s} vs “{text}”"
    ids = [f.identity() for f in findings]
    assert len(ids) == len(set(ids)), f"two findings share an identity: {sorted(ids)}"
