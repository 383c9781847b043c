"""The draft eval passes its thresholds (evals/draft/run.py), as it does in CI."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_draft_eval_meets_every_threshold(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "no-index"))
    monkeypatch.syspath_prepend(str(ROOT))
    from evals.draft import run

    assert run.main() == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if " | 2019 | " in line or " | 2021 | " in line]
    assert len(rows) == sum(1 for p in (ROOT / "evals" / "reference").iterdir() if p.is_dir())
    assert "：通过" in out
