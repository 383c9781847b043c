"""A scripted OpenAI-compatible chat server on 127.0.0.1, for the draft eval and the tests.

The real ``ChatOpenAI`` client talks to it over HTTP, so everything above the
network edge (client, retries, streaming, timeouts) is the real thing. A
*responder* decides each answer from the request's messages: text, or one of
the misbehaviours below. The responders here play a model that writes what
the offline drafter would (``good``), one that slips wrong and invented
figures into that text (``Adversary``), one that slips in plausible but false
claims about the tables — shares on the wrong base, "未收到申请" when there
were applications, "均获维持" when one case was corrected (``ClaimAdversary``)
— and the broken ones.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional, Union

from ..draft import Facts
from ..draft.offline import Plan, plan_offline
from ..draft.sheet import ORG_WORD
from ..model import editions
from ..parse.numbers import read_numbers

HANG_LIMIT = 120.0  # seconds a held-back answer waits at most, should a test never close its stub


@dataclass
class Hang:
    """Answer nothing until the stub closes: whatever the client's timeout, it times out.

    Waiting on the stub's closing rather than for a fixed time means no test
    depends on how fast the machine is.
    """

    then: str = ""


@dataclass
class Raw:
    """Send these bytes as the body with status 200: not the JSON the API promises."""

    body: bytes
    content_type: str = "application/json"


Reply = Union[str, Hang, Raw]
Responder = Callable[[list[dict]], Reply]


class StubLLM:
    def __init__(self, responder: Responder, chunk_chars: int = 12) -> None:
        self.responder = responder
        self.chunk_chars = chunk_chars
        self.requests: list[dict] = []
        self._server: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None
        self._closing = threading.Event()  # releases the answers held back by Hang

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}/v1"

    def __enter__(self) -> "StubLLM":
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(body)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self.send_error(404)
                    return
                reply = stub.responder(body.get("messages", []))
                try:
                    stub._answer(self, body, reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as a timed-out client does

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._server is not None
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler, body: dict, reply: Reply) -> None:
        if isinstance(reply, Hang):
            self._closing.wait(HANG_LIMIT)
            reply = reply.then
        if isinstance(reply, Raw):
            handler.send_response(200)
            handler.send_header("Content-Type", reply.content_type)
            handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            handler.wfile.write(reply.body)
            return
        model = body.get("model", "stub")
        if body.get("stream"):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/event-stream")
            handler.end_headers()
            pieces = [reply[i:i + self.chunk_chars] for i in range(0, len(reply), self.chunk_chars)] or [""]
            for n, piece in enumerate(pieces):
                delta = {"content": piece}
                if n == 0:
                    delta["role"] = "assistant"
                chunk = {"id": "stub", "object": "chat.completion.chunk", "created": 0, "model": model,
                         "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
                handler.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            last = {"id": "stub", "object": "chat.completion.chunk", "created": 0, "model": model,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            handler.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())
            handler.wfile.flush()
            return
        data = json.dumps({
            "id": "stub", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }, ensure_ascii=False).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


# ------------------------------------------------------------------ reading requests

_SECTION = re.compile(r"“([一五六])、")
_FIX = re.compile(r"你起草的“([一五六])、")
_FIX_PARAGRAPH = re.compile(r"^- 第(\d+)段", re.M)


def request_kind(messages: list[dict]) -> tuple[str, str, list[int]]:
    """("draft" | "fix", section key, paragraph indexes asked to fix)."""
    user = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
    fix = _FIX.search(user)
    if fix:
        indexes = sorted({int(x) for x in _FIX_PARAGRAPH.findall(user)})
        return "fix", fix.group(1), indexes
    m = _SECTION.search(user)
    return "draft", m.group(1) if m else "一", []


def _section_text(plan: Plan, key: str, indexes: Optional[list[int]] = None,
                  texts: Optional[dict[int, str]] = None) -> str:
    paragraphs = [p for p in plan.section(key) if indexes is None or p.index in indexes]
    return "\n\n".join((texts or {}).get(p.index, p.text) for p in paragraphs)


MODEL_TOUCH = "全年工作稳中有进，公开质效持续提升。"


def good(facts: Facts) -> Responder:
    """A well-behaved model: the offline paragraphs, with one sentence of its own in the opening."""
    plan = plan_offline(facts)

    def respond(messages: list[dict]) -> Reply:
        kind, key, indexes = request_kind(messages)
        if kind == "fix":
            return _section_text(plan, key, indexes)
        texts = {}
        if key == "一":
            first = plan.section("一")[0]
            texts[first.index] = first.text + MODEL_TOUCH
        return _section_text(plan, key, texts=texts)

    return respond


@dataclass
class Injection:
    section: str
    paragraph: int
    figure: str  # as written into the text
    what: str  # which kind of mistake
    snippet: str  # text around it that only the corrupted paragraph has


class _Planted:
    """A model that writes the offline paragraphs with mistakes of its own planted in them.

    ``stubborn`` models repeat their mistakes when asked to fix them (so the
    drafter must fall back to offline paragraphs); others fix them.
    """

    facts: Facts
    stubborn: bool
    plan: Plan
    _drafts: dict[str, dict[int, str]]

    def _corrupt(self, key: str) -> dict[int, str]:
        raise NotImplementedError

    def __call__(self, messages: list[dict]) -> Reply:
        kind, key, indexes = request_kind(messages)
        if kind == "fix":
            if self.stubborn:
                return "\n\n".join(self._drafts.get(key, {}).get(i, "") for i in indexes)
            return _section_text(self.plan, key, indexes)
        texts = self._corrupt(key)
        self._drafts[key] = texts
        return _section_text(self.plan, key, texts=texts)


@dataclass
class Adversary(_Planted):
    """A model that slips wrong and invented figures into otherwise good paragraphs."""

    facts: Facts
    stubborn: bool = True
    injected: list[Injection] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.plan = plan_offline(self.facts)
        self.sheet = self.facts.sheet()
        self._drafts = {}

    # -- the mistakes

    def _unused(self, start: float, kind: str = "count") -> float:
        """A value no fact or derivation has, so it is wrong whatever its words say."""
        v = start
        while self.sheet.matching(v, kind):
            v += 1
        return v

    def _corrupt(self, key: str) -> dict[int, str]:
        texts = {p.index: p.text for p in self.plan.section(key)}
        year = self.facts.year or 2023

        def add(index: int, figure: str, what: str, snippet: str) -> None:
            assert snippet in texts[index], snippet
            self.injected.append(Injection(key, index, figure, what, snippet))

        if key == "一":
            # A wrong year in the opening.
            wrong_year = year - 3
            if texts[1].startswith(f"{year}年"):
                texts[1] = f"{wrong_year}年" + texts[1][len(f"{year}年"):]
                add(1, f"{wrong_year}年", "年份错误", texts[1][:12])
            # An invented figure in 主动公开.
            invented = int(self._unused(8765))
            sentence = f"全年在门户网站发布各类信息{invented}条。"
            texts[2] += sentence
            add(2, f"{invented}条", "编造的数字", sentence)
            # In 依申请公开: a total off by some, a category given another cell's value, a wrong percentage.
            total = self.sheet.value("t3.total")
            if total:
                wrong = int(total) + 7
                m = re.search(rf"办结[^，。]*?{int(total)}件", texts[3])
                if m:
                    snippet = m.group().replace(f"{int(total)}件", f"{wrong}件")
                    texts[3] = texts[3].replace(m.group(), snippet, 1)
                    add(3, f"{wrong}件", "总数错误", snippet)
            disclosed, partly = self.sheet.value("t3.disclosed"), self.sheet.value("t3.partly")
            if disclosed and partly and disclosed != partly and f"予以公开{int(disclosed)}件" in texts[3]:
                snippet = f"予以公开{int(partly)}件"
                texts[3] = texts[3].replace(f"予以公开{int(disclosed)}件", snippet, 1)
                add(3, f"{int(partly)}件", "张冠李戴", snippet)
            pct = self._unused(97.3, "percent")
            sentence = f"申请办理满意率达到{pct:g}%。"
            texts[3] += sentence
            add(3, f"{pct:g}%", "编造的百分比", sentence)
        elif key == "五":
            sentence = "今后将严格对照《条例》第六十二条的要求加以改进。"
            texts[1] += sentence
            add(1, "第六十二条", "不存在的条款", sentence)
            wrong_doc = next(e.document_number for e in editions().values() if e.id != self.facts.edition)
            sentence = f"并按照国办公开办函{wrong_doc}规定的格式编制报告。"
            texts[1] += sentence
            add(1, wrong_doc, "引用了其他版本的格式文件", sentence)
        elif key == "六":
            last = max(texts)
            fee = int(self._unused(1250, "money"))
            sentence = f"全年另收取复印费用{fee}元。"
            texts[last] += sentence
            add(last, f"{fee}元", "编造的金额", sentence)
            sentence = "咨询电话0571-88886666。"
            texts[last] += sentence
            add(last, "0571-88886666", "编造的电话号码", sentence)
        return texts

    def caught(self, issues) -> list[Injection]:
        """The injections the guard reported (same section, paragraph and figure)."""
        out = []
        for inj in self.injected:
            for i in issues:
                if i.section == inj.section and i.paragraph == inj.paragraph and _same(i.figure, inj.figure):
                    out.append(inj)
                    break
        return out


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b) or b in a


# ------------------------------------------------------------------ false claims

SHARE_WRONG = "占比错误"
BASE_WRONG = "基数错误"
ABSENCE_FALSE = "虚假的“没有”"
UNIVERSAL_FALSE = "虚假的“均”"
UNREAD = "依据未能读取的表格"
CLAIM_KINDS = (SHARE_WRONG, BASE_WRONG, ABSENCE_FALSE, UNIVERSAL_FALSE, UNREAD)


def _pct(x: float) -> str:
    from ..draft.sheet import round1

    return f"{round1(x):g}"


def false_claims(facts: Facts) -> list[tuple[str, str]]:
    """(sentence, kind) for every false claim these facts allow, each plausible and each wrong.

    Only the tables' read figures are used to make them wrong (a share on
    another base, "未收到申请" when 新收 is not 0 …); a claim about a table the
    reader could not read is wrong by construction: nothing can confirm it.
    """
    from ..draft.sheet import round1

    sheet = facts.sheet()

    def v(key: str) -> float:
        return float(sheet.value(key) or 0)

    out: list[tuple[str, str]] = []
    total, new, carried_in, carried_out = v("t3.total"), v("t3.new"), v("t3.carried_in"), v("t3.carried_out")
    received = new + carried_in
    cats = [("予以公开", "t3.disclosed"), ("部分公开", "t3.partly"), ("不予公开", "t3.withheld"),
            ("无法提供", "t3.unavailable"), ("不予处理", "t3.not_processed"), ("其他处理", "t3.other")]
    # A share written wrong: the true one plus 0.3 points (or minus, near 100%).
    if total:
        for word, key in cats:
            part = v(key)
            if part:
                true = round1(part / total * 100)
                wrong = true + 0.3 if true < 99 else true - 0.3
                out.append((f"{word}占办结申请的比例为{wrong:.1f}%。", SHARE_WRONG))
                break
    # A share computed on another base than the one it names (as in "46.6%" for 88 of 189 received).
    both = v("t3.disclosed") + v("t3.partly")
    if total and both:
        true = round1(both / total * 100)
        for base in (received, new, total + carried_out):
            if base and abs(round1(both / base * 100) - true) > 0.05 + 1e-9:
                out.append((f"予以公开和部分公开占办结申请的比例达到{_pct(both / base * 100)}%。", BASE_WRONG))
                break
    review, upheld = v("t4.review.total"), v("t4.review.upheld")
    if review and sheet.value("t4.review.upheld") is not None and abs(2 * upheld - review) > 1e-9:
        # "复议结果维持占行政复议的比例为20%" when 4 of 5 were upheld: the other outcomes' share.
        out.append((f"复议结果维持占行政复议的比例为{_pct((review - upheld) / review * 100)}%。", BASE_WRONG))
    # Absences the tables deny.
    if new:
        out.append(("本年度未收到政府信息公开申请。", ABSENCE_FALSE))
    if carried_out:
        out.append(("本年度的申请均已办结，无结转下年度继续办理的申请。", ABSENCE_FALSE))
    if carried_in:
        out.append(("无上年结转的申请。", ABSENCE_FALSE))
    if v("t3.withheld"):
        out.append(("办理的申请中，没有不予公开的情况。", ABSENCE_FALSE))
    if review:
        out.append(("本年度未发生因政府信息公开引起的行政复议。", ABSENCE_FALSE))
    suits = v("t4.suit.total")
    if suits:
        out.append(("本年度没有因政府信息公开被提起行政诉讼的情况。", ABSENCE_FALSE))
    # Universals the tables deny: a case corrected, ended otherwise or still pending.
    def not_upheld(*groups: str) -> float:
        return sum(v(f"t4.{g}.{c}") for g in groups for c in ("corrected", "other", "pending"))

    if review and not_upheld("review"):
        out.append((f"政府信息公开行政复议{review:g}件，全部结果维持。", UNIVERSAL_FALSE))
    if suits and not_upheld("direct_suit", "suit_after_review"):
        out.append(("因政府信息公开被提起的行政诉讼均获维持。", UNIVERSAL_FALSE))
    if v("t4.suit_after_review.total"):
        out.append(("上述行政诉讼均为未经复议直接起诉。", UNIVERSAL_FALSE))
    if new and v(f"t3.new@{ORG_WORD}"):
        out.append(("本年度的申请均由自然人提出。", UNIVERSAL_FALSE))
    if total and total != v("t3.disclosed"):
        out.append(("办结的申请均予以公开。", UNIVERSAL_FALSE))
    # Claims about a table the reader could not read: nothing may confirm them.
    unread = facts.tables.unreadable_tables
    if "四" in unread:
        out.append(("本年度未发生因政府信息公开引起的行政复议。", UNREAD))
        out.append(("因政府信息公开被提起的行政诉讼均获维持。", UNREAD))
    if "三" in unread:
        out.append(("本年度未收到政府信息公开申请。", UNREAD))
    return out


@dataclass
class ClaimAdversary(_Planted):
    """A model that writes the offline paragraphs plus plausible but false claims about the tables.

    Every false claim the facts allow (``false_claims``) goes into the part
    of 一 about applications. ``stubborn`` models repeat them when asked to
    fix them; others drop them.
    """

    facts: Facts
    stubborn: bool = True
    injected: list[Injection] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.plan = plan_offline(self.facts)
        self._drafts = {}

    def _paragraph(self) -> int:
        planned = self.plan.section("一")
        for p in planned:
            if "依申请公开" in p.marker:
                return p.index
        return next((p.index for p in planned if "申请" in p.text), planned[-1].index)

    def _corrupt(self, key: str) -> dict[int, str]:
        texts = {p.index: p.text for p in self.plan.section(key)}
        if key == "一":
            index = self._paragraph()
            for sentence, what in false_claims(self.facts):
                texts[index] += sentence
                self.injected.append(Injection("一", index, sentence, what, sentence))
        return texts

    def caught(self, issues) -> list[Injection]:
        """The injections the guard reported: an issue in the same paragraph whose words lie in the sentence."""
        out = []
        for inj in self.injected:
            for i in issues:
                if i.section != inj.section or i.paragraph != inj.paragraph:
                    continue
                pieces = [x for x in re.split("…+", re.sub(r"\s+", "", i.figure)) if x]
                if pieces and all(x in inj.snippet for x in pieces):
                    out.append(inj)
                    break
        return out


def garbage() -> Responder:
    return lambda messages: Raw(b'{"choices": [{"message": {"content": "\xe5\x8f')


def empty() -> Responder:
    return lambda messages: ""


def hang() -> Responder:
    """A model that never answers while the client waits."""
    return lambda messages: Hang("太晚了")


def figures_in(text: str) -> list[str]:
    return [m.raw for m in read_numbers(text)]
