"""Tables that are not grids: text saved by web crawlers and text copied out of PDFs.

Such text still holds a table's labels and figures in reading order, but not
its cells. A crawler runs everything together ("…申请数量801000081二、上年…");
text taken from a PDF wraps long labels over lines, puts the figures of a row
on a line of their own in the middle of its label, and sets the group labels
vertically, one or two characters at the start of successive lines.

A region of such lines is read in four steps:
1. characters of vertically set labels are taken off the start of each line
   (三 / 、/ 本 / 年 …, "（三）不" / "予公开");
2. what is left becomes two streams: the label text (whitespace dropped) and
   the runs of figures, each remembering where in the label text it stood;
3. the official labels are found in the label text in the template's order,
   so headers and stray characters between them do no harm; a label the
   template has but the text spells differently is matched by closeness and
   by its place between its neighbours;
4. each run goes to the row whose label encloses it or, between two labels, to
   the label before it or the one after it — whichever reading gives every
   row its figures (values printed after their label, or before it).

Rows come out as ``[label, run]`` table rows with the run's cell borders not
yet decided: which split a run stands for is settled with the table's
identities once the edition is known (``runs`` and ``tables``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Optional

from ..model import Source, editions
from .labels import bare_key, key
from .layout import Block, IsHeading, ParaBlock, RawCell, TableBlock
from .vocabulary import classify

_DIGITS = "0123456789０１２３４５６７８９"
_MARKS = "/／—–－-"
_UNITS = ("亿元", "万元", "万", "元")
_QUOTE_CHARS = "\"'“”‘’「」『』"
_PAGE_LINE = re.compile(r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)$")
_CAPTION = re.compile(r"第二十条第\(([一二三四五六七八九十]+)\)项")
_NUMBERED = re.compile(r"^(?:\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+\.)")


def _norm(ch: str) -> str:
    """One character as the label keys write it (``labels.key``)."""
    s = unicodedata.normalize("NFKC", ch)
    return s.replace("、", ".").replace("，", ",")


# ---- the words of the tables ----------------------------------------------


@dataclass
class _Words:
    t3_order: list[str]  # table-三 rows of every edition, group labels before their sub-rows
    t3_groups: set[str]
    t3_aliases: dict[str, list[str]]
    side: list[str]  # keys of labels set vertically
    t2_rows: list[str]
    t2_columns: list[str]
    t2_header: set[str]
    t4_groups: list[str]
    t4_words: list[str]
    anchors3: list[str]  # keys that start table 三
    anchors4: list[str]  # keys that start table 四
    all_keys: list[str] = field(default_factory=list)


def _merge(orders: list[list[str]]) -> list[str]:
    """One order holding every list's items, each list's own order kept."""
    out: list[str] = []
    for order in orders:
        previous = None
        for item in order:
            if item in out:
                previous = item
                continue
            at = out.index(previous) + 1 if previous is not None else 0
            out.insert(at, item)
            previous = item
    return out


@lru_cache(maxsize=1)
def words() -> _Words:
    eds = sorted(editions().values(), key=lambda e: e.id, reverse=True)
    orders: list[list[str]] = []
    groups: set[str] = set()
    aliases: dict[str, list[str]] = {}
    t2_rows: list[str] = []
    t2_columns: list[str] = []
    t2_header: set[str] = set()
    t4_groups: list[str] = []
    t4_words: list[str] = []
    side: set[str] = set()
    anchors3: list[str] = []
    anchors4: list[str] = []
    for ed in eds:
        order: list[str] = []
        for r in ed.table3.rows:
            if r.group and r.group not in order:
                order.append(r.group)
            order.append(r.label)
            if r.aliases:
                aliases[r.label] = r.aliases
        orders.append(order)
        groups.update(ed.table3.groups)
        side.update(key(g) for g in ed.table3.groups)
        side.add(key(ed.headers.table3_results))
        for b in ed.table2:
            t2_rows.extend(x for x in b.rows if x not in t2_rows)
            t2_columns.extend(x for x in b.columns if x not in t2_columns)
        t2_header.add(key(ed.headers.table2_label))
        t4_groups.extend(g for g in ed.table4.groups if g not in t4_groups)
        t4_words.extend(x for x in ed.table4.columns + [ed.headers.table4_litigation] if x not in t4_words)
        anchors3 += [key(ed.headers.table3_note), key(ed.headers.table3_applicants), key(ed.table3.rows[0].label)]
        anchors4.append(key(ed.table4.groups[0]))
    t3_order = _merge(orders)
    # 2019's single （六）其他处理 row is also the 2021 group label: it is a group here.
    groups.update(x for x in t3_order if x.startswith("（六）"))
    side.update(key(x) for x in t3_order if x.startswith("（六）"))
    w = _Words(t3_order=t3_order, t3_groups=groups, t3_aliases=aliases, side=sorted(side),
               t2_rows=t2_rows, t2_columns=t2_columns, t2_header=t2_header, t4_groups=t4_groups,
               t4_words=t4_words, anchors3=sorted(set(anchors3)), anchors4=sorted(set(anchors4)))
    w.all_keys = sorted({key(x) for x in t3_order + t2_rows + t2_columns + t4_groups + t4_words}
                        | w.t2_header | set(w.anchors3), key=len, reverse=True)
    return w


# ---- one region as label text and runs --------------------------------------


@dataclass
class Line:
    text: str
    source: Source


@dataclass
class _Run:
    text: str  # digits, marks and " " for a border between cells
    offset: int  # where in the label text it stood
    source: Source
    page_tail: bool = False  # a short number alone on its line: may be a page number


@dataclass
class _Stream:
    chars: list[str] = field(default_factory=list)  # label text, normalised
    written: list[str] = field(default_factory=list)  # the same characters as written
    sources: list[Source] = field(default_factory=list)
    runs: list[_Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.chars)


@lru_cache(maxsize=1)
def _row_keys() -> frozenset[str]:
    return frozenset(key(r.label) for ed in editions().values() for r in ed.table3.rows)


def _side_fragment(token: str) -> bool:
    k = key(token)
    # A whole row label ("（六）其他处理" of the 2019 layout) is a row, not part of a vertical label.
    if not k or k in _row_keys():
        return False
    return any(k in s for s in words().side)


def _strip_side(text: str) -> str:
    """Drop the characters of vertically set labels from the start of a line."""
    tokens = text.split()
    cut = 0
    while cut < len(tokens) and _side_fragment(tokens[cut]):
        cut += 1
    if cut == 0:
        return text
    rest = text.lstrip()
    for t in tokens[:cut]:
        rest = rest[rest.index(t) + len(t):].lstrip()
    return rest


@lru_cache(maxsize=1)
def _protected_words() -> Optional[re.Pattern[str]]:
    """Label words that hold what a run could hold ("本年增/减"), spaces allowed inside."""
    found = [w for w in words().t2_columns if any(c in _MARKS or c in _DIGITS for c in w)]
    if not found:
        return None
    return re.compile("|".join(r"\s*".join(re.escape(c) for c in w) for w in found))


def _protected(text: str) -> set[int]:
    """Positions in a line that belong to such a word."""
    pattern = _protected_words()
    if pattern is None or not any(c in _MARKS for c in text):
        return set()
    return {i for m in pattern.finditer(text) for i in range(m.start(), m.end())}


def _scan(lines: list[Line], strip_side: bool) -> _Stream:
    st = _Stream()
    for line in lines:
        text = line.text
        if _PAGE_LINE.match(text.strip()):
            continue
        if strip_side:
            text = _strip_side(text)
        lone = re.fullmatch(r"\s*\d{1,3}\s*", text) is not None
        protected = _protected(text)
        run: list[str] = []
        run_start = 0

        def close() -> None:
            while run and run[-1] == " ":
                run.pop()
            if run:
                st.runs.append(_Run("".join(run), len(st.chars), _at(line.source, run_start), lone))
            run.clear()

        i, n = 0, len(text)
        pending_quote = ""
        while i < n:
            ch = text[i]
            nxt = text[i + 1] if i + 1 < n else ""
            if i not in protected:
                if ch.isspace():
                    if run:
                        run.append(" ")
                    i += 1
                    continue
                if ch in _DIGITS:
                    after = text[i + 2] if i + 2 < n else ""
                    numbering = nxt in ".、．" and bool(after) and after not in _DIGITS and not after.isspace()
                    if not numbering:
                        if not run:
                            run_start = i
                        run.append(ch)
                        i += 1
                        continue
                elif ch in ".．" and run and run[-1] in _DIGITS and nxt in _DIGITS:
                    run.append(".")
                    i += 1
                    continue
                elif ch in _MARKS:
                    if not run:
                        run_start = i
                    run.append(ch)
                    i += 1
                    continue
                elif run and run[-1] in _DIGITS:
                    unit = next((u for u in _UNITS if text.startswith(u, i)), None)
                    if unit:
                        run.append(unit)
                        i += len(unit)
                        continue
            close()
            if ch in _QUOTE_CHARS:
                # Quotes are not part of a label's key but are part of how it is written.
                if ch in "“‘「『" or not st.written:
                    pending_quote += ch
                else:
                    st.written[-1] += ch
            elif not ch.isspace():
                for c in _norm(ch):
                    st.chars.append(c)
                    st.written.append(pending_quote + ch)
                    st.sources.append(_at(line.source, i))
                    pending_quote = ""
            i += 1
        close()
    return st


def _at(source: Source, column: int) -> Source:
    """Where a character stands: its line (shared, never changed; cells take copies)."""
    del column  # positions inside a line are not kept: the line is what a person looks up
    return source


# ---- finding labels ------------------------------------------------------------


@dataclass
class _Label:
    official: str
    start: int
    end: int
    written: str
    group: bool = False  # a group label (table 三) or a block caption (table 二), not a row

    @property
    def takes(self) -> tuple[int, int]:
        """How many runs of figures the label may own (least, most): a row one, a caption none,
        a group label of table 三 none or one (a group printed as one row)."""
        if not self.group:
            return (1, 1)
        return (0, 1) if not self.official.startswith("第二十条") else (0, 0)


def _find_in_order(text: str, labels: list[str], start: int, end: int, aliases: dict[str, list[str]],
                   optional: set[str]) -> list[_Label]:
    """Each label at its first place after the one before it."""
    found: list[_Label] = []
    pos = start
    for label in labels:
        forms = [key(label)] + [bare_key(a) for a in aliases.get(label, [])]
        if len(bare_key(label)) >= 4:
            forms.append(bare_key(label))
        hit = None
        for form in forms:
            idx = text.find(form, pos, end)
            if idx >= 0 and (hit is None or idx < hit[0]):
                hit = (idx, idx + len(form))
        if hit is None:
            continue
        # A group label far ahead of where the rows are is not this table's.
        found.append(_Label(label, hit[0], hit[1], "", label in optional))
        pos = hit[1]
    return found


def _number(text: str) -> str:
    m = _NUMBERED.match(key(text))
    return m.group() if m else ""


def _closeness(written: str, official: str) -> float:
    """How likely a written label stands for an official one (0..1)."""
    a, b = bare_key(written), bare_key(official)
    if not a or not b:
        return 0.0
    # The same number and the official wording cut short: "（二）部分公开" for （二）'s long label.
    if len(a) >= 4 and b.startswith(a) and _number(written) and _number(written) == _number(official):
        return 0.9
    ratio = SequenceMatcher(None, a, b).ratio()
    # A label with characters left out ("其他法律行政止公开") keeps the rest in order.
    it = iter(b)
    if len(a) >= 4 and all(c in it for c in a):
        ratio = max(ratio, 0.6 + 0.4 * len(a) / len(b))
    return ratio


def _recover(text: str, found: list[_Label], order: list[str], start: int, end: int,
             skip: set[str]) -> list[_Label]:
    """Labels the text spells differently, matched in the gap where the template puts them."""
    placed = {f.official for f in found}
    out = list(found)
    bounds = [(start, None)] + [(f.end, f) for f in found] + [(end, None)]
    known = sorted(words().side + sorted(words().all_keys), key=len, reverse=True)
    for (gap_start, before), (gap_end, _) in zip(bounds, bounds[1:]):
        nxt = next((f for f in found if f.start >= gap_end), None)
        i0 = order.index(before.official) + 1 if before else 0
        i1 = order.index(nxt.official) if nxt else len(order)
        wanted = [x for x in order[i0:i1] if x not in placed and x not in skip]
        if not wanted:
            continue
        gap = text[gap_start:gap_end]
        pieces = _pieces(gap, gap_start, known)
        for piece_start, piece in pieces:
            best, score = None, 0.74
            for label in wanted:
                s = _closeness(piece, label)
                if s > score:
                    best, score = label, s
            if best is not None:
                out.append(_Label(best, piece_start, piece_start + len(piece), "", False))
                wanted.remove(best)
                placed.add(best)
    return sorted(out, key=lambda f: f.start)


def _pieces(gap: str, offset: int, known: list[str]) -> list[tuple[int, str]]:
    """Stretches of a gap that are not known words, split where a numbered label starts."""
    mask = [False] * len(gap)
    for k in known:
        if len(k) < 2:
            continue
        for m in re.finditer(re.escape(k), gap):
            for i in range(m.start(), m.end()):
                mask[i] = True
    out, cur, cur_start = [], "", 0
    for i, ch in enumerate(gap):
        starts_number = bool(_NUMBERED.match(gap[i:])) and (i == 0 or not gap[i - 1].isdigit())
        if mask[i] or (starts_number and cur):
            if len(cur) >= 4:
                out.append((offset + cur_start, cur))
            cur = ""
            if mask[i]:
                continue
        if not cur:
            cur_start = i
        cur += ch
    if len(cur) >= 4:
        out.append((offset + cur_start, cur))
    return out


# ---- runs to rows -------------------------------------------------------------


_PLACED = "该行数字与标签不在同一行，按标签与数字的先后次序唯一对应到本行"


def _assign(labels: list[_Label], runs: list[_Run], st: _Stream) -> tuple[dict[int, list[_Run]], set[int], set[int]]:
    """Runs per label index; the labels whose runs depend on a guess; the labels whose runs were placed by order.

    A run inside a label's text (a wrapped label with its figures on a middle
    line) is that label's. A run between two labels belongs to the one before
    or the one after it: the reading in which every row gets exactly one run
    is used when it is the only such reading; otherwise the rows are read
    "figures after the label" or "figures before the label", whichever leaves
    fewer rows without figures, and the rows on which the two disagree are
    in doubt.
    """
    inside: dict[int, list[_Run]] = {}
    gaps: list[_Run] = []
    for r in runs:
        owner = next((i for i, f in enumerate(labels) if f.start < r.offset < f.end), None)
        if owner is not None:
            inside.setdefault(owner, []).append(r)
        else:
            gaps.append(r)
    placed_by_order: set[int] = set()
    unique = _match(labels, gaps, inside)
    if unique is not None:
        got = {i: list(v) for i, v in inside.items()}
        for r, owner in unique:
            got.setdefault(owner, []).append(r)
            lines = {st.sources[k].line for k in range(labels[owner].start, labels[owner].end)}
            if r.source.line not in lines:
                placed_by_order.add(owner)
        by_index = {i: sorted(v, key=lambda r: r.offset) for i, v in got.items()}
        return by_index, set(), placed_by_order

    def reading(after: bool) -> tuple[dict[int, list[_Run]], int]:
        got = {i: list(v) for i, v in inside.items()}
        stray = 0
        for r in gaps:
            if after:
                owner = max((i for i, f in enumerate(labels) if f.end <= r.offset and f.takes[1]), default=None)
            else:
                owner = min((i for i, f in enumerate(labels) if f.start >= r.offset and f.takes[1]), default=None)
            if owner is None:
                stray += 0 if r.page_tail else 1
                continue
            if owner in inside:
                stray += 1  # a row with figures inside its label gets none beside it
                continue
            got.setdefault(owner, []).append(r)
        empty = sum(1 for i, f in enumerate(labels) if f.takes[0] and i not in got)
        return got, empty + stray

    after, after_bad = reading(True)
    before, before_bad = reading(False)
    if before_bad < after_bad:
        return before, set(), set(before)
    if after_bad < before_bad or _same(after, before):
        return after, set(), set()
    doubtful = {i for i in set(after) | set(before) if after.get(i) != before.get(i)}
    return after, doubtful, set()


def _match(labels: list[_Label], gaps: list[_Run], inside: dict[int, list[_Run]]) -> Optional[list[tuple[_Run, int]]]:
    """The one way to give each label its runs (a row exactly one) from the runs beside it, if there is one.

    A run goes to the nearest label before it or after it that can own runs;
    two runs between the same two labels go one each way (the order of
    figures and labels is kept). A short number alone on its line may be a
    page number and own nothing. Returns (run, label index) pairs, or None when
    no such reading exists or there is more than one.
    """
    events: list[tuple[str, int]] = []  # ("L", label index) / ("R", gap index), in text order
    for i, f in enumerate(labels):
        if f.takes[1]:
            events.append(("L", i))
    for k, r in enumerate(gaps):
        events.append(("R", k))
    events.sort(key=lambda e: (labels[e[1]].start if e[0] == "L" else gaps[e[1]].offset, e[0] == "L"))
    Reading = tuple[tuple[int, int], ...]  # (gap index, label index) pairs; -1/-2 mark a run waiting for a label
    memo: dict[tuple[int, int, int], list[Reading]] = {}

    def go(pos: int, cur: int, count: int, pending: int) -> list[Reading]:
        """Readings of events[pos:]; cur = index of the open label (-1 none), count = runs it owns,
        pending = a run waiting for the next label. Each reading is a tuple of (run, label) pairs."""
        key_ = (pos, count, pending)
        if key_ in memo:
            return memo[key_]
        out: list[Reading] = []
        if pos == len(events):
            if pending == 0 and (cur < 0 or count >= labels[cur].takes[0]):
                out.append(())
            memo[key_] = out
            return out
        kind, idx = events[pos]
        if kind == "L":
            if cur < 0 or count >= labels[cur].takes[0]:
                have = pending + len(inside.get(idx, []))
                if have <= labels[idx].takes[1]:
                    out = [((-1, idx),) + rest if pending else rest for rest in go(pos + 1, idx, have, 0)]
        else:
            r = gaps[idx]
            if pending == 0 and cur >= 0 and count < labels[cur].takes[1]:
                out += [((idx, cur),) + rest for rest in go(pos + 1, cur, count + 1, 0)][:2]
            if pending == 0 and len(out) < 2:
                out += [((idx, -2),) + rest for rest in go(pos + 1, cur, count, 1)][:2]
            if r.page_tail and len(out) < 2:
                out += list(go(pos + 1, cur, count, pending))[:2]
        memo[key_] = out[:2]
        return out[:2]

    # The open label is a function of the position, so the memo key can leave it out.
    readings = go(0, -1, 0, 0)
    if len(readings) != 1:
        return None
    pairs: list[tuple[_Run, int]] = []
    waiting: Optional[int] = None
    for run_idx, owner in readings[0]:
        if owner == -2:
            waiting = run_idx
        elif run_idx == -1:
            if waiting is not None:
                pairs.append((gaps[waiting], owner))
                waiting = None
        else:
            pairs.append((gaps[run_idx], owner))
    return pairs


def _same(a: dict[int, list[_Run]], b: dict[int, list[_Run]]) -> bool:
    return {k: [id(r) for r in v] for k, v in a.items()} == {k: [id(r) for r in v] for k, v in b.items()}


def _row(label: _Label, st: _Stream, runs: list[_Run], table: int, row: int, doubt: Optional[str],
         placed: Optional[str] = None) -> list[RawCell]:
    written = "".join(st.written[label.start:label.end])
    src = st.sources[label.start].model_copy(update={"table": table, "row": row, "col": 1})
    cells = [RawCell(text=written, source=src)]
    for col, r in enumerate(runs, start=2):
        cells.append(RawCell(text=r.text, source=r.source.model_copy(update={"table": table, "row": row, "col": col}),
                             run=True, page_tail=r.page_tail))
        cells[-1].doubt = doubt
        cells[-1].placed = placed
    return cells


_DOUBT = "该行数字位于两行标签之间，按“数字在标签后”与“数字在标签前”两种读法归属不同，无法确定属于哪一行"


def _read3(st: _Stream, start: int, end: int, table: int) -> Optional[TableBlock]:
    w = words()
    text = st.text
    found = _find_in_order(text, w.t3_order, start, end, w.t3_aliases, w.t3_groups)
    found = _recover(text, found, w.t3_order, start, end, skip=w.t3_groups)
    rows_found = [f for f in found if not f.group]
    if len(rows_found) < 2:
        return None
    runs = [r for r in st.runs if start <= r.offset <= end]
    # Runs before the first label are header noise (column numbers, page numbers).
    owned, doubtful, placed = _assign(found, runs, st)
    rows: list[list[RawCell]] = []
    for i, f in enumerate(found):
        got = owned.get(i, [])
        if f.group and not got:
            continue  # a group label over its sub-rows, not a row
        doubt = _DOUBT if i in doubtful else None
        rows.append(_row(f, st, got, table, len(rows) + 1, doubt, _PLACED if i in placed else None))
        if not got:
            # A row whose label is followed straight by the next label: no figure at all.
            rows[-1].append(RawCell(text="", source=rows[-1][0].source, run=True))
    return TableBlock(rows=rows, source=Source(table=table, line=st.sources[start].line,
                                               page=st.sources[start].page), grid=False)


def _alternation(labels: list[str]) -> re.Pattern[str]:
    """Any of the labels' keys, the longest first (so "本年处理决定数量" wins over "处理决定数量")."""
    return re.compile("|".join(re.escape(key(x)) for x in sorted(labels, key=lambda x: len(key(x)), reverse=True)))


def _read2(st: _Stream, start: int, end: int, table: int) -> Optional[TableBlock]:
    w = words()
    text = st.text
    captions = [(m.start(), m.end(), m.group(1)) for m in _CAPTION.finditer(text, start, end)]
    if not captions:
        return None
    rows_re, columns_re = _alternation(w.t2_rows), _alternation(w.t2_columns)
    official = {key(c): c for c in w.t2_columns}
    header = sorted(w.t2_header, key=len, reverse=True)[0]
    labels: list[_Label] = []
    # caption, header position, columns, indexes of its rows in ``labels``
    blocks: list[tuple[_Label, int, list[tuple[int, str]], list[int]]] = []
    for ci, (c_start, c_end, numeral) in enumerate(captions):
        b_end = captions[ci + 1][0] if ci + 1 < len(captions) else end
        first = rows_re.search(text, c_end, b_end)
        head_end = first.start() if first else b_end
        at = text.find(header, c_end, head_end)
        columns = [(m.start(), official[m.group()]) for m in columns_re.finditer(text, at + len(header), head_end)] \
            if at >= 0 else []
        cap = _Label(f"第二十条第（{numeral}）项", c_start, c_end, "", True)
        labels.append(cap)
        found = [_Label(m.group(), m.start(), m.end(), "") for m in rows_re.finditer(text, head_end, b_end)]
        blocks.append((cap, at, columns, list(range(len(labels), len(labels) + len(found)))))
        labels += found
    runs = [r for r in st.runs if start <= r.offset <= end]
    owned, doubtful, placed = _assign(labels, runs, st)

    def at_table(pos: int) -> Source:
        return st.sources[pos].model_copy(update={"table": table})

    out: list[list[RawCell]] = []
    for cap, at, columns, mine in blocks:
        out.append([RawCell(text=cap.official, source=at_table(cap.start))])
        if at >= 0:
            out.append([RawCell(text=header, source=at_table(at))]
                       + [RawCell(text=c, source=at_table(pos)) for pos, c in columns])
        for i in mine:
            cells = _row(labels[i], st, owned.get(i, []), table, 0, _DOUBT if i in doubtful else None,
                         _PLACED if i in placed else None)
            if len(cells) == 1:
                cells.append(RawCell(text="", source=cells[0].source, run=True))
            out.append(cells)
    for r, cells in enumerate(out, start=1):
        for c, cell in enumerate(cells, start=1):
            cell.source = cell.source.model_copy(update={"row": r, "col": c})
    return TableBlock(rows=out, source=Source(table=table, line=st.sources[start].line,
                                              page=st.sources[start].page), grid=False)


def _read4(st: _Stream, start: int, end: int, table: int) -> Optional[TableBlock]:
    w = words()
    text = st.text
    runs = [r for r in st.runs if start <= r.offset <= end]
    if not runs:
        return None
    groups = []
    pos = start
    for g in w.t4_groups:
        idx = text.find(key(g), pos, end)
        if idx >= 0:
            groups.append(_Label(g, idx, idx + len(key(g)), ""))
            pos = idx + len(key(g))
    src = runs[0].source.model_copy(update={"table": table})
    # One group per row: each group label followed by its own five figures.
    if len(groups) == 3:
        per_group = []
        for gi, label in enumerate(groups):
            limit = groups[gi + 1].start if gi + 1 < len(groups) else end + 1
            mine = [r for r in runs if label.end <= r.offset < limit]
            per_group.append(mine)
        if all(len(m) == 1 for m in per_group) and sum(map(len, per_group)) == len(runs):
            rows = [_row(g, st, m, table, i + 1, None) for i, (g, m) in enumerate(zip(groups, per_group))]
            return TableBlock(rows=rows, source=src, grid=False)
    cells = [RawCell(text=r.text, source=r.source.model_copy(update={"table": table, "row": 1, "col": c}),
                     run=True, page_tail=r.page_tail) for c, r in enumerate(runs, start=1)]
    return TableBlock(rows=[cells], source=src, grid=False)


def read_region(lines: list[Line], first_table: int = 1) -> list[TableBlock]:
    """The tables 二, 三 and 四 a region of non-grid lines holds, in order."""
    st = _scan(lines, strip_side=len(lines) > 1)
    text = st.text
    if not text:
        return []
    w = words()
    cap = _CAPTION.search(text)
    a3 = min((i for i in (text.find(k) for k in w.anchors3) if i >= 0), default=-1)
    a4 = min((i for i in (text.find(k, max(a3, 0)) for k in w.anchors4) if i >= 0), default=-1)
    marks = [("二", cap.start()) if cap else None, ("三", a3) if a3 >= 0 else None, ("四", a4) if a4 >= 0 else None]
    starts = sorted({m for m in marks if m is not None}, key=lambda x: x[1])
    out: list[TableBlock] = []
    for i, (kind, s) in enumerate(starts):
        e = starts[i + 1][1] if i + 1 < len(starts) else len(text)
        table = first_table + len(out)
        reader = {"二": _read2, "三": _read3, "四": _read4}[kind]
        block = reader(st, s, e, table)
        if block is not None:
            block.kind = kind
            out.append(block)
    return out


# ---- finding the regions in a laid-out document --------------------------------


def _line_text(block: Block) -> Optional[str]:
    if isinstance(block, ParaBlock):
        return block.text
    if isinstance(block, TableBlock) and block.line is not None:
        return block.line
    return None


def _has_anchor(text: str) -> bool:
    k = key(text)
    w = words()
    return bool(_CAPTION.search(k)) or any(a in k for a in w.anchors3) or \
        (any(key(g) in k for g in w.t4_groups) and any(key(x) in k for x in w.t4_words)) or \
        any(h in k for h in w.t2_header)


def _tabular(text: str) -> bool:
    """Whether a line can be part of a table: not prose (a sentence, or a long line of words)."""
    if "。" in text:
        return False
    if len(text) <= 40 or len(re.findall(r"(?<!\S)[\d.,/—-]+(?!\S)", text)) >= 3:
        return True
    k = key(text)
    return any(x in k for x in words().all_keys if len(x) >= 3)


def restream(blocks: list[Block], is_heading: IsHeading) -> list[Block]:
    """Blocks with runs of non-grid table lines replaced by the tables they hold.

    Only tables the document does not already hold as a grid are rebuilt, so a
    report read cell by cell is left as it is.
    """
    grid_kinds = {classify(b) for b in blocks if isinstance(b, TableBlock) and b.line is None}
    out: list[Block] = []
    i, n = 0, len(blocks)
    while i < n:
        text = _line_text(blocks[i])
        if text is None or not _tabular(text) or not _has_anchor(text) or is_heading(text):
            out.append(blocks[i])
            i += 1
            continue
        j = i
        while j < n:
            t = _line_text(blocks[j])
            if t is None or not (_tabular(t) or is_heading(t)):
                break
            j += 1
        out.extend(_rebuild(blocks[i:j], grid_kinds, is_heading))
        i = j
    return out


def _rebuild(region: list[Block], grid_kinds: set[Optional[str]], is_heading: IsHeading) -> list[Block]:
    out: list[Block] = []
    chunk: list[Block] = []

    def flush() -> None:
        if not chunk:
            return
        lines = [Line(_line_text(b) or "", b.source) for b in chunk]
        tables = [t for t in read_region(lines) if t.kind not in grid_kinds]
        if tables:
            out.extend(tables)
        else:
            out.extend(chunk)
        chunk.clear()

    for b in region:
        t = _line_text(b)
        if t is not None and is_heading(t):
            flush()
            out.append(b)
        else:
            chunk.append(b)
    flush()
    return out
