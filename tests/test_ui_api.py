"""The UI's API, called by name with gradio_client against a launched app.

Outputs of every endpoint: chat history, findings HTML, 表二, 表三, 表四, the
summary of loaded reports, report choice, the draft's notes, a JSON result,
the draft's text and its Word file; /ask adds the cleared input box and
/download the file.
"""

from __future__ import annotations

import zipfile

import pytest

gradio_client = pytest.importorskip("gradio_client")
from chat_helpers import LINZI, QINGHE_2022, QINGHE_2023  # noqa: E402
from gradio_client import Client, handle_file  # noqa: E402

from assistant.chat import IndexRetriever, Workspace  # noqa: E402
from assistant.draft.settings import LLMSettings  # noqa: E402

# Gradio's own queue statistics trip pandas 3 deprecations; they are not ours to fix.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:::gradio.queueing")]  # starts the Gradio app

CHAT, FINDINGS, T2, T3, T4, LOADED, ACTIVE, DRAFT_NOTES, RESULT, DRAFT, DRAFT_FILE, EXTRA = range(12)
ENDPOINTS = {"/upload", "/ask", "/set_cell", "/draft", "/download", "/blank", "/select_report"}


def _factory(index_dir):
    retriever = IndexRetriever(data_dir=index_dir)
    return lambda: Workspace(llm_settings=LLMSettings(), retriever=retriever)


@pytest.fixture(scope="module")
def url(regulation_index_dir):
    from assistant.ui import launch

    # The server binds its own port; the app says which.
    app = launch(port=None, block=False, warm_index=False, quiet=True, workspace_factory=_factory(regulation_index_dir))
    yield app.local_url
    app.close()


@pytest.fixture()
def client(url):
    # A new client is a new session: its own workspace.
    return Client(url, verbose=False)


def last_reply(out) -> str:
    content = out[CHAT][-1]["content"]
    if isinstance(content, list):  # gradio sends text parts as [{"type": "text", "text": …}]
        return "".join(part.get("text", "") for part in content)
    return content


def test_the_endpoints_have_stable_names(client):
    named = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert ENDPOINTS <= set(named)


@pytest.mark.realdata
def test_upload_check_edit_draft_download(client, tmp_path):
    out = client.predict([handle_file(str(LINZI))], False, api_name="/upload")
    assert out[RESULT]["loaded"] == [LINZI.name] and out[RESULT]["errors"] == []
    assert "临淄区人民政府办公室" in last_reply(out)
    # The tables arrive with the problem cells styled.
    t3 = out[T3]
    assert t3["headers"][1:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    row7 = next(i for i, r in enumerate(t3["data"]) if r[0] == "（七）总计")
    assert "#fde2e1" in t3["metadata"]["styling"][row7][7]

    out = client.predict("哪些合计对不上", api_name="/ask")
    reply = last_reply(out)
    assert out[RESULT]["intent"] == "check"
    assert "35 ≠ 43" in reply and "615 ≠ 631" in reply and "35 ≠ 33" in reply
    assert "P1" in out[FINDINGS] and "I1" in out[FINDINGS]

    for column in ("自然人", "总计"):
        out = client.predict("三", "（七）总计", column, "35", api_name="/set_cell")
    cell = out[RESULT]["cell"]
    assert cell["value"] == 35 and cell["source"]["edited"] is True
    codes = [f["code"] for f in out[RESULT]["findings"]]
    assert "I1" not in codes and "P1" in codes
    assert "I1" not in out[FINDINGS]
    assert next(r for r in out[T3]["data"] if r[0] == "（七）总计")[7] == "35"

    # The tables still have an error (P1): as `nianbao draft` does, the draft tab stops and says why …
    out = client.predict("总体情况（第一部分）", False, api_name="/draft")
    assert out[RESULT]["data"]["refused"] is True and "P1" in out[RESULT]["data"]["errors"]
    # Linzi leaves cells blank where figures belong, so the first reason is the one the CLI gives first.
    assert "缺少以下数字" in out[DRAFT_NOTES] and "输入表格中有" in out[DRAFT_NOTES]
    assert "请补齐上述数字后再起草" in out[DRAFT_NOTES]
    assert out[DRAFT] == ""
    # … unless told to draft anyway; then the notes stay with the draft.
    out = client.predict("总体情况（第一部分）", True, api_name="/draft")
    verdict = out[RESULT]["verdict"]
    assert verdict["figures_checked"] == verdict["figures_supported"] > 0
    assert out[DRAFT].startswith("一、总体情况") and "\\" not in out[DRAFT]
    assert "输入表格中有" in out[DRAFT_NOTES] and "数字核验" in out[DRAFT_NOTES]
    draft_file = out[DRAFT_FILE]["value"] if isinstance(out[DRAFT_FILE], dict) else out[DRAFT_FILE]
    with zipfile.ZipFile(draft_file) as z:
        assert "一、总体情况" in z.read("word/document.xml").decode("utf-8")

    out = client.predict("Word（DOCX）", api_name="/download")
    path = out[EXTRA]
    assert path.endswith(".docx")
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "临淄区人民政府办公室" in xml and "总体情况" in xml

    out = client.predict("问题清单（CSV）", api_name="/download")
    text = open(out[EXTRA], encoding="utf-8-sig").read()
    assert text.splitlines()[0].startswith("文件,机关,年度")
    assert ",P1,错误," in text and ",I1," not in text

    for kind, suffix in (("Markdown", ".md"), ("HTML", ".html")):
        out = client.predict(kind, api_name="/download")
        assert out[EXTRA].endswith(suffix) and "临淄区人民政府办公室" in open(out[EXTRA], encoding="utf-8").read()


@pytest.mark.realdata
def test_sessions_do_not_share_a_workspace(url):
    first, second = Client(url, verbose=False), Client(url, verbose=False)
    first.predict([handle_file(str(LINZI))], False, api_name="/upload")
    out = second.predict("哪些合计对不上", api_name="/ask")
    assert "上传报告" in last_reply(out)
    out = first.predict("哪些合计对不上", api_name="/ask")
    assert "35 ≠ 43" in last_reply(out)


def test_last_years_report_is_marked_and_compared(client):
    client.predict([handle_file(str(QINGHE_2023))], False, api_name="/upload")
    out = client.predict([handle_file(str(QINGHE_2022))], True, api_name="/upload")
    assert "上年" in out[LOADED] and "已载入上年报告" in last_reply(out)
    out = client.predict("和去年比有什么变化", api_name="/ask")
    assert out[RESULT]["intent"] == "yoy"
    assert "| 表三 | 一、本年新收（总计列） | 188 | 174 | -14 | -7.4% |" in last_reply(out)


@pytest.mark.realdata
def test_several_reports_at_once_and_choosing_one(client):
    out = client.predict([handle_file(str(QINGHE_2023)), handle_file(str(LINZI))], False, api_name="/upload")
    assert out[RESULT]["loaded"] == [QINGHE_2023.name, LINZI.name]
    out = client.predict(0, api_name="/select_report")
    assert "▶ 本年：" + QINGHE_2023.name in out[LOADED].replace("\\", "")
    # A summary row per report: agency, year, edition, errors, warnings, cells not read.
    rows = [line for line in out[LOADED].splitlines() if line.startswith("| ") and "本年：" in line]
    assert len(rows) == 2
    linzi_row = next(r for r in rows if "linzi" in r.replace("\\", ""))
    # Five errors since issue 11: P1 in the 自然人 column is listed under the 总计 column's, one cause.
    assert "临淄区人民政府办公室" in linzi_row and "| 2019 |" in linzi_row and "| 5 | 3 | 0 |" in linzi_row
    # Everything at once: the findings list and the sheet hold both reports.
    out = client.predict(-1, api_name="/select_report")
    assert "青禾市人民政府" in out[FINDINGS] and "临淄区人民政府办公室" in out[FINDINGS]
    assert out[T3]["headers"][1:] == ["1. 青禾市人民政府", "2. 临淄区人民政府办公室"]
    out = client.predict("问题清单（CSV）", api_name="/download")
    text = open(out[EXTRA], encoding="utf-8-sig").read()
    assert LINZI.name in text and ",N7,提示," in text


def test_bad_uploads_get_chinese_replies(client, tmp_path):
    bad = tmp_path / "表格.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = client.predict([handle_file(str(bad)), handle_file(str(empty))], False, api_name="/upload")
    reply = last_reply(out)
    assert "不支持的文件类型" in reply and "文件是空的" in reply
    assert len(out[RESULT]["errors"]) == 2


def test_a_blank_report_can_be_filled_through_the_api(client):
    out = client.predict("2021", 2024, "某县人民政府", api_name="/blank")
    assert "空白报告" in last_reply(out)
    out = client.predict("三", "一、本年新收", "总计", "12", api_name="/set_cell")
    assert any(f["code"] == "P1" for f in out[RESULT]["findings"])
    out = client.predict("三", "（九）不存在", "总计", "1", api_name="/set_cell")
    assert "表三没有" in last_reply(out)


def test_a_regulation_question_through_the_ui_quotes_its_sources(client):
    out = client.predict("条例哪一条规定年报内容", api_name="/ask")
    assert out[RESULT]["intent"] == "source"
    assert out[RESULT]["sources"] and "第五十条" in last_reply(out)


def test_login_is_required_when_configured(regulation_index_dir):
    from assistant.ui import launch

    app = launch(port=None, block=False, warm_index=False, quiet=True, auth=("reviewer", "s3cret"),
                 workspace_factory=_factory(regulation_index_dir))
    try:
        url = app.local_url
        with pytest.raises(Exception):
            Client(url, verbose=False)
        authed = Client(url, auth=("reviewer", "s3cret"), verbose=False)
        out = authed.predict("你能做什么", api_name="/ask")
        assert "哪些合计对不上" in last_reply(out)
    finally:
        app.close()


def test_the_ui_command_refuses_a_malformed_login():
    from typer.testing import CliRunner

    from assistant.cli import app

    r = CliRunner().invoke(app, ["ui", "--auth", "only-a-name"])
    assert r.exit_code == 2
    assert "用户名:密码" in r.output


class _OnePassage:
    def search(self, query, k=5):
        from assistant.retrieve import Hit

        meta = {"title": "《政府信息公开条例》第五十条", "kind": "regulation", "article_label": "第五十条"}
        return [Hit(id="x", text="第五十条 年度报告应当包括的内容", meta=meta, score=0.5,
                    snippet="第五十条 年度报告应当包括的内容")]


def test_model_answers_stream_into_the_chat():
    from llm_stub import StubLLM

    from assistant.ui import launch

    reply = "依据《政府信息公开条例》第五十条，年度报告应当包括主动公开、依申请公开等内容［1］。"
    with StubLLM(lambda messages: reply, chunk_chars=4) as stub:
        settings = LLMSettings(base_url=stub.base_url, api_key="k", model="stub", timeout=10, max_retries=0)
        app = launch(port=None, block=False, warm_index=False, quiet=True,
                     workspace_factory=lambda: Workspace(llm_settings=settings, retriever=_OnePassage()))
        try:
            client = Client(app.local_url, verbose=False)
            job = client.submit("请概括一下年报应当写什么", api_name="/ask")
            final = job.result()
            steps = job.outputs()
        finally:
            app.close()
    assert final[RESULT]["intent"] == "model"
    assert last_reply(final).startswith(reply) and "参考资料" in last_reply(final)
    partial = [last_reply(o) for o in steps[:-1] if isinstance(o[CHAT], list) and o[CHAT]]
    growing = [t for t in partial if t and reply.startswith(t) and t != reply]
    assert len(growing) >= 2  # the page saw the answer grow before it was complete
