"""An audit of many reports: pairing by agency and year, cross-year rules, re-checking only what changed,
reading zips safely, and never calling fixed what could not be read."""

from __future__ import annotations

import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from review_helpers import changed_report, reference, with_cells

from assistant.errors import ReviewError
from assistant.review import audit as audit_module
from assistant.review import decide, issue_rows, report_rows, run_audit
from assistant.review.sources import collect
from assistant.review.store import Store

PAIRED = ["qinghe-city-2022", "qinghe-city-2023", "shinan-county-2020", "shinan-county-2021"]
OTHERS = ["tongxi-township-2020", "chenglan-township-2023", "qinghe-statistics-2019", "yunze-province-2022"]
CARRIED_OUT = ("三", "四、结转下年度继续办理", "自然人")


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    yield s
    s.close()


def _folder(tmp_path: Path, slugs: list[str], suffix: str = "md") -> Path:
    d = tmp_path / "reports"
    d.mkdir(exist_ok=True)
    for slug in slugs:
        shutil.copy(reference(slug, suffix), d / f"{slug}.{suffix}")
    return d


def _names(folder: Path, pairs):
    return {(Path(a).relative_to(folder).as_posix(), Path(b).relative_to(folder).as_posix()) for a, b in pairs}


def test_reports_are_paired_by_agency_and_year_and_cross_year_rules_follow_last_years_report(store, tmp_path):
    folder = _folder(tmp_path, PAIRED + OTHERS)
    first = run_audit("跨年", [folder], store=store)
    assert _names(folder, first.pairs) == {("qinghe-city-2023.md", "qinghe-city-2022.md"),
                                           ("shinan-county-2021.md", "shinan-county-2020.md")}
    assert first.cross_checked == 2
    # The reference pairs are consistent across the years: no cross-year finding.
    assert not [r for r in issue_rows("跨年", store) if r.code.startswith("X")]
    previous = {r.name: r.previous for r in report_rows("跨年", store)}
    assert previous[str(folder / "shinan-county-2021.md")] == str(folder / "shinan-county-2020.md")
    assert previous[str(folder / "qinghe-city-2022.md")] == ""

    # Last year's report changes its 结转下年度 (自然人 72 → 75): this year's file is not read again,
    # but its cross-year rules run again against the new figures.
    before = changed_report("qinghe-city-2022", {})
    carried = before.table3[CARRIED_OUT[1]][CARRIED_OUT[2]].value
    (folder / "qinghe-city-2022.md").write_text(with_cells("qinghe-city-2022", {CARRIED_OUT: carried + 3}),
                                                encoding="utf-8")
    second = run_audit("跨年", [folder], store=store)
    assert second.changed == [str(folder / "qinghe-city-2022.md")] and second.checked == 1
    assert second.cross_checked == 1  # qinghe-city-2023, whose own file did not change
    x1 = [r for r in issue_rows("跨年", store) if r.code == "X1"]
    assert len(x1) == 1 and x1[0].year == 2023 and x1[0].agency == "青禾市人民政府"
    assert "二、上年结转" in x1[0].location and "自然人" in x1[0].location
    assert (x1[0].expected, x1[0].actual) == (carried + 3, carried)
    fp = x1[0].fingerprint
    decide("跨年", fp, "确认", note="请青禾市核对结转数", store=store)

    shutil.copy(reference("qinghe-city-2022"), folder / "qinghe-city-2022.md")
    third = run_audit("跨年", [folder], store=store)
    assert third.cross_checked == 1 and fp in third.fixed
    again = {r.fingerprint: r for r in issue_rows("跨年", store)}[fp]
    assert again.shown == "已修正" and again.decision == "确认"

    # Without last year's report a cross-year finding cannot be called fixed: it was simply not checked.
    (folder / "qinghe-city-2022.md").write_text(with_cells("qinghe-city-2022", {CARRIED_OUT: carried + 3}),
                                                encoding="utf-8")
    run_audit("跨年", [folder], store=store)
    assert {r.fingerprint: r for r in issue_rows("跨年", store)}[fp].status == "open"
    (folder / "qinghe-city-2022.md").unlink()
    run_audit("跨年", [folder], store=store)
    gone = {r.fingerprint: r for r in issue_rows("跨年", store)}[fp]
    assert gone.status == "unverifiable" and "上一年度" in gone.status_note


@pytest.mark.realdata
def test_real_reports_over_the_years_pair_only_consecutive_years(store, tmp_path, realdata_dir):
    """Pingtan 2019, 2021 and 2023 (two copies of 2023) are one agency, but no two of its years follow each other."""
    folder = _folder(tmp_path, PAIRED)
    real = [realdata_dir / n for n in ("pingtan-2019.html", "pingtan-2021.txt", "pingtan-2023.html",
                                       "pingtan-2023.txt", "linzi-district-office-2019.txt",
                                       "hongze-district-2023.pdf", "huaian-city-2024.pdf")]
    result = run_audit("真实", [folder, *real], jobs=2, store=store)
    assert result.reports == 11 and not result.unreadable
    pairs = {(Path(a).name, Path(b).name) for a, b in result.pairs}
    assert pairs == {("qinghe-city-2023.md", "qinghe-city-2022.md"), ("shinan-county-2021.md", "shinan-county-2020.md")}
    rows = {Path(r.name).name: r for r in report_rows("真实", store)}
    assert rows["pingtan-2023.txt"].copies == 2 and rows["pingtan-2023.html"].copies == 2
    assert rows["pingtan-2021.txt"].previous == ""  # 2020 is not in the audit; 2019 is not the year before
    assert rows["linzi-district-office-2019.txt"].errors >= 5  # the five errors the realdata README lists


def test_a_finding_whose_cells_could_not_be_read_again_is_not_called_fixed(store, tmp_path):
    """The re-sent report has table 三's last two columns cut at the page edge: its 总计 findings
    are gone because nothing could be read there, which is not a correction."""
    from assistant.evals.degrade import LAYOUTS

    broken = {("三", "（一）予以公开", "自然人"): 63}
    d = tmp_path / "reports"
    d.mkdir()
    (d / "青禾市.md").write_text(with_cells("qinghe-city-2022", broken), encoding="utf-8")
    run_audit("截断", [d], store=store)
    rows = {r.code: r for r in issue_rows("截断", store)}
    total_col = rows["I2"]  # （一）予以公开 × 总计
    assert "总计" in total_col.location
    (d / "青禾市.md").unlink()
    data, _, _ = LAYOUTS["clipped"].render(d, changed_report("qinghe-city-2022", broken))
    (d / "青禾市.html").write_bytes(data)
    result = run_audit("截断", [d], store=store)
    assert result.renamed == [] and result.added == [str(d / "青禾市.html")]
    after = {r.fingerprint: r for r in issue_rows("截断", store)}
    assert after[total_col.fingerprint].status == "unverifiable"
    assert "未能读出" in after[total_col.fingerprint].status_note
    assert total_col.fingerprint not in result.fixed
    assert after[rows["I1"].fingerprint].status == "open"  # （七）总计 × 自然人 is still read, still wrong


def test_parallel_workers_give_the_same_audit_as_one(tmp_path):
    folder = _folder(tmp_path, PAIRED + OTHERS, "txt")
    _folder(tmp_path, PAIRED + OTHERS, "html")
    one = Store(f"sqlite:///{tmp_path / 'one.sqlite3'}")
    two = Store(f"sqlite:///{tmp_path / 'two.sqlite3'}")
    try:
        a = run_audit("并行", [folder], jobs=1, store=one)
        b = run_audit("并行", [folder], jobs=2, store=two)
        assert a.reports == b.reports == 16 and a.pairs == b.pairs
        assert [(r.fingerprint, r.files) for r in issue_rows("并行", one)] == \
               [(r.fingerprint, r.files) for r in issue_rows("并行", two)]
        # The same report in two files: its finding is one finding, listed with both files.
        slashes = [r for r in issue_rows("并行", one) if r.code == "I3"]
        assert len(slashes) == 1 and [Path(f).name for f in slashes[0].files] == \
            ["qinghe-statistics-2019.html", "qinghe-statistics-2019.txt"]
    finally:
        one.close()
        two.close()


def test_a_new_reader_or_rule_set_checks_every_report_again(store, tmp_path, monkeypatch):
    folder = _folder(tmp_path, PAIRED[:2])
    run_audit("版本", [folder], store=store)
    assert run_audit("版本", [folder], store=store).checked == 0
    monkeypatch.setattr(audit_module, "checker_version", lambda: "another")
    assert run_audit("版本", [folder], store=store).checked == 2


def test_zip_members_are_read_in_memory_and_unsafe_names_left_alone(store, tmp_path):
    z = tmp_path / "上报材料.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(reference("qinghe-city-2022"), "青禾市/2022年报告.md")
        out.write(reference("qinghe-city-2023", "html"), "青禾市/2023年报告.html")
        out.writestr("README.txt", "这里是说明文字。")
        out.writestr("../逃逸.md", reference("tongxi-township-2020").read_bytes())
        out.writestr("/绝对路径.md", reference("tongxi-township-2020").read_bytes())
        out.writestr("里面的.zip", b"PK\x05\x06" + b"\0" * 18)
        out.writestr("__MACOSX/._2022年报告.md", b"\0\0")
        out.writestr("照片.jpg", b"\xff\xd8\xff")
        out.writestr("巨大.md", b"0" * (51 * 1024 * 1024))  # compresses to little, unpacks past the limit
        out.writestr("XXXXXX2021.md", reference("shinan-county-2021").read_bytes())
    # As Chinese Windows writes it: the name in GBK, without zip's UTF-8 flag (same length as the placeholder).
    gbk = "石楠县2021.md".encode("gbk")
    assert len(gbk) == len(b"XXXXXX2021.md")
    z.write_bytes(z.read_bytes().replace(b"XXXXXX2021.md", gbk))
    got = collect([z])
    names = sorted(s.name for s in got.sources)
    assert names == sorted(f"{z}/{n}" for n in ("青禾市/2022年报告.md", "青禾市/2023年报告.html", "石楠县2021.md"))
    skipped = dict(got.skipped)
    assert "“..”" in skipped[f"{z}/../逃逸.md"] and "绝对路径" in skipped[f"{z}/绝对路径.md"]
    assert "压缩包中的压缩包" in skipped[f"{z}/里面的.zip"] and f"{z}/README.txt" in skipped
    assert f"{z}/照片.jpg" in skipped
    assert dict(got.errors)[f"{z}/巨大.md"].startswith("文件超过 50 MB")
    result = run_audit("压缩包", collected=got, store=store)
    assert result.reports == 3 and len(result.pairs) == 1
    assert not (tmp_path / "逃逸.md").exists() and not (tmp_path.parent / "逃逸.md").exists()


def test_a_broken_zip_or_missing_path_is_said_and_nothing_is_stored(store, tmp_path):
    bad = tmp_path / "坏的.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    got = collect([bad, tmp_path / "没有这个文件夹"])
    assert dict(got.errors)[str(bad)].startswith("压缩包已损坏")
    assert "找不到" in dict(got.errors)[str(tmp_path / "没有这个文件夹")]
    with pytest.raises(ReviewError, match="没有找到可审核的报告文件"):
        run_audit("空", [bad], store=store)


def test_an_unreadable_report_stays_in_the_audit_with_its_reason(store, tmp_path):
    d = _folder(tmp_path, ["tongxi-township-2020"])
    (d / "损坏.docx").write_bytes(b"PK\x03\x04broken")
    (d / "说明.txt").write_text("这个文件夹是乡镇报来的材料。", encoding="utf-8")
    result = run_audit("坏文件", [d, d / "损坏.docx"], store=store)
    assert [n for n, _ in result.unreadable] == [str(d / "损坏.docx")]
    assert [n for n, _ in result.skipped] == [str(d / "说明.txt")]
    rows = {r.name: r for r in report_rows("坏文件", store)}
    assert "损坏" in rows[str(d / "损坏.docx")].status or "Word" in rows[str(d / "损坏.docx")].status


def test_two_runs_at_once_do_not_overwrite_each_other(store, tmp_path, monkeypatch):
    folder = _folder(tmp_path, PAIRED[:2])
    run_audit("同时", [folder], store=store)
    (folder / "qinghe-city-2022.md").write_text(with_cells("qinghe-city-2022", {CARRIED_OUT: 1}), encoding="utf-8")
    real = audit_module._read_all

    def meanwhile(*args, **kw):
        monkeypatch.setattr(audit_module, "_read_all", real)
        run_audit("同时", [folder], store=store)  # another user's run finishes while this one reads
        return real(*args, **kw)

    monkeypatch.setattr(audit_module, "_read_all", meanwhile)
    with pytest.raises(ReviewError, match="另一次运行"):
        run_audit("同时", [folder], store=store)


def test_many_reviewers_deciding_at_once_on_sqlite(tmp_path):
    """Several users of one UI: separate connections writing at once wait their turn; none fails."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first = Store(url)
    folder = _folder(tmp_path, ["qinghe-statistics-2019", "qinghe-city-2023"])
    (folder / "broken.md").write_text(with_cells("qinghe-city-2022", {("三", "（一）予以公开", "自然人"): 63,
                                                                      ("四", "行政复议", "结果维持"): 4}),
                                      encoding="utf-8")
    run_audit("多人", [folder], store=first)
    fps = [r.fingerprint for r in issue_rows("多人", first)]
    assert len(fps) >= 4
    errors: list[BaseException] = []

    def reviewer(k: int) -> None:
        store = Store(url)
        try:
            for i in range(40):
                decide("多人", fps[(i + k) % len(fps)], ("确认", "待定")[(i + k) % 2], note=f"{k}-{i}",
                       by=f"审核员{k}", store=store)
                report_rows("多人", store)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=reviewer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    first.close()
    assert errors == []
    check = Store(url)
    try:
        revisions = sum(r.revision for r in issue_rows("多人", check))
        assert revisions == 4 * 40  # every decision recorded: each changed the note
    finally:
        check.close()


def test_uploads_of_the_same_name_from_two_agencies_are_two_reports(store, tmp_path):
    """Adding (the UI's uploads): a name is not an identity; the content and the agency and year are."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(reference("tongxi-township-2020"), a / "年报.md")
    shutil.copy(reference("chenglan-township-2023"), b / "年报.md")
    first = run_audit("上传", collected=collect([a / "年报.md"], names={str(a / "年报.md"): "年报.md"}),
                      sync=False, store=store)
    assert first.added == ["年报.md"]
    second = run_audit("上传", collected=collect([b / "年报.md"], names={str(b / "年报.md"): "年报.md"}),
                       sync=False, store=store)
    assert second.added == ["年报（2）.md"] and second.replaced == [] and second.reports == 2
    same = run_audit("上传", collected=collect([b / "年报.md"], names={str(b / "年报.md"): "年报.md"}),
                     sync=False, store=store)
    assert same.unchanged == 1 and same.added == [] and same.reports == 2
    agencies = sorted(r.agency for r in report_rows("上传", store))
    assert agencies == ["石楠县桐溪镇人民政府", "石楠县澄岚乡人民政府"]


def test_two_first_runs_of_one_new_audit_leave_one_audit_and_a_message(review_store, tmp_path, monkeypatch):
    """Both runs look before either writes (so both think the audit is new): one makes it; the other, on
    SQLite queued behind it and on PostgreSQL stopped by the unique name, says so in Chinese."""
    folder = _folder(tmp_path, PAIRED[:2])
    real = audit_module._read_all
    both_looked = threading.Barrier(2, timeout=30)

    def after_both_looked(*args, **kw):
        both_looked.wait()
        return real(*args, **kw)

    monkeypatch.setattr(audit_module, "_read_all", after_both_looked)
    outcomes: list[object] = []

    def one_run() -> None:
        try:
            outcomes.append(run_audit("新审核", [folder], store=review_store))
        except ReviewError as exc:
            outcomes.append(exc)

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for t in runs:
        t.start()
    for t in runs:
        t.join(60)
    errors = [o for o in outcomes if isinstance(o, ReviewError)]
    assert len(outcomes) == 2 and len(errors) == 1, outcomes
    assert "另一次运行" in errors[0].message
    assert len(report_rows("新审核", review_store)) == 2
    monkeypatch.setattr(audit_module, "_read_all", real)
    assert run_audit("新审核", [folder], store=review_store).unchanged == 2


def _every(f):
    return [f, *(g for c in (getattr(f, "consequences", None) or []) for g in _every(c))]


def test_a_root_causes_consequences_are_listed_and_decided_but_not_counted(store, tmp_path, monkeypatch):
    """One mistyped cell of table 三 breaks its row (I2) and its column (I1): given as one cause with those
    two as consequences, the audit keeps all three as issues (the consequences naming their cause, so a
    decision on each survives), counts only the cause in the report's totals, and the workbook says which
    cause a row follows from."""
    import openpyxl
    from pydantic import Field

    from assistant.check import Finding
    from assistant.model.refs import CellRef
    from assistant.review import worker
    from assistant.review.workbook import ISSUE_HEADERS, export

    class Cause(Finding):
        consequences: list[Finding] = Field(default_factory=list)

    real = worker.run_checks

    def grouped(report, *args, **kw):
        flat = [g for f in real(report, *args, **kw) for g in _every(f)]
        parts = [f for f in flat if f.code in ("I1", "I2")]
        rest = [f for f in flat if f.code in ("I4", "N4")]  # the other cell's findings, each on its own
        cause = Cause(code="R9", severity="error", message="表三（一）予以公开 × 自然人写的是63，应为61。",
                      cells=[CellRef(table="三", row="（一）予以公开", col="自然人")], consequences=parts)
        return [cause, *rest]

    monkeypatch.setattr(worker, "run_checks", grouped)
    d = tmp_path / "reports"
    d.mkdir()
    broken = {("三", "（一）予以公开", "自然人"): 63, ("四", "行政复议", "结果维持"): 4}
    (d / "青禾市.md").write_text(with_cells("qinghe-city-2022", broken), encoding="utf-8")
    run_audit("原因", [d], store=store)

    issues = {r.code: r for r in issue_rows("原因", store)}
    assert set(issues) == {"R9", "I1", "I2", "I4", "N4"}
    assert issues["R9"].cause is None and issues["I4"].cause is None
    assert issues["I1"].cause == issues["R9"].fingerprint == issues["I2"].cause
    (row,) = report_rows("原因", store)
    assert row.errors == 3  # R9, I4, N4: not I1 and I2 again

    decide("原因", issues["I2"].fingerprint, "排除", reason="随原因一并改正", store=store)
    run_audit("原因", [d], store=store)
    assert {r.code: r for r in issue_rows("原因", store)}["I2"].decision == "排除"

    sheet = openpyxl.load_workbook(export("原因", tmp_path / "审核.xlsx", store=store))["问题"]
    by_code = {r[ISSUE_HEADERS.index("规则")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert issues["R9"].fingerprint in by_code["I1"][ISSUE_HEADERS.index("原因")]
    assert by_code["R9"][ISSUE_HEADERS.index("原因")] is None
    from assistant.ui.review_tab import FINDING_HEADERS, findings_data

    shown = {row[FINDING_HEADERS.index("规则")]: row for row in findings_data(issue_rows("原因", store))}
    assert issues["R9"].fingerprint in shown["I2"][FINDING_HEADERS.index("问题")]
    assert shown["R9"][FINDING_HEADERS.index("问题")] == issues["R9"].message


def test_an_agency_named_with_its_province_one_year_is_paired_but_two_of_one_name_are_not(store, tmp_path):
    """Pairing uses the checker's agency names: "云泽省青禾市人民政府" (2022) and "青禾市人民政府" (2023) are
    one agency; with a second 青禾市 of another province in the audit, which one was meant cannot be said,
    and nothing is paired rather than the wrong one."""
    d = tmp_path / "reports"
    d.mkdir()
    text22 = reference("qinghe-city-2022").read_text(encoding="utf-8")
    assert "青禾市人民政府" in text22
    (d / "2022.md").write_text(text22.replace("青禾市人民政府", "云泽省青禾市人民政府"), encoding="utf-8")
    shutil.copy(reference("qinghe-city-2023"), d / "2023.md")
    first = run_audit("省名", [d], store=store)
    assert {(Path(a).name, Path(b).name) for a, b in first.pairs} == {("2023.md", "2022.md")}
    assert first.cross_checked == 1
    agencies = {Path(r.name).name: r.agency for r in report_rows("省名", store)}
    assert agencies["2022.md"].startswith("云泽省")

    (d / "2022-乙省.md").write_text(text22.replace("青禾市人民政府", "乙省青禾市人民政府"), encoding="utf-8")
    second = run_audit("省名", [d], store=store)
    assert second.pairs == [] and second.reports == 3
