"""Render the reference reports and their expected parse results.

Each ``<slug>/report.yaml`` is the source of truth. This script renders it
with the exporters into report.txt / .md / .html / .docx / .pdf and writes
expected.json (what a reader must recover from any of those files).

    .venv/bin/python evals/reference/build.py            # rebuild what changed
    .venv/bin/python evals/reference/build.py --check    # fail if anything is stale
    .venv/bin/python evals/reference/build.py --force-pdf

Files are only rewritten when their content changes, so a re-run leaves the
tree untouched. The DOCX export is byte-for-byte reproducible; the PDF is not
(LibreOffice stamps dates and ids into it), so it is regenerated only when
the DOCX beside it changed, when it is missing, or with --force-pdf.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    # Lets the script run from a checkout without installing the package.
    sys.path.insert(0, str(ROOT))

from assistant.export import to_docx, to_html, to_markdown, to_text  # noqa: E402
from assistant.export.facts import load_facts, report_from_yaml  # noqa: E402
from assistant.export.pdf import docx_to_pdf  # noqa: E402
from assistant.model import Cell, Report, get_edition  # noqa: E402

TEXT_OUTPUTS = {
    "report.txt": to_text,
    "report.md": to_markdown,
    "report.html": to_html,
}


def report_dirs() -> list[Path]:
    return sorted(p.parent for p in HERE.glob("*/report.yaml"))


def cell_json(cell: Cell) -> dict:
    out = {"value": cell.value, "state": cell.state.value}
    if cell.unit:
        out["unit"] = cell.unit
    return out


def expected(report: Report, level: str | None) -> dict:
    """Every cell of the three tables, keyed by the edition's official labels."""
    edition = get_edition(report.edition)
    table2 = {
        block.caption: {
            row: {col: cell_json(report.table2[block.caption][row][col]) for col in block.columns}
            for row in block.rows
        }
        for block in edition.table2
    }
    table3 = {
        row.label: {col: cell_json(report.table3[row.label][col]) for col in edition.table3.columns}
        for row in edition.table3.rows
    }
    table4 = {
        group: {col: cell_json(report.table4[group][col]) for col in edition.table4.columns}
        for group in edition.table4.groups
    }
    return {
        "edition": report.edition,
        "agency": report.agency,
        "year": report.year,
        "level": level,
        "sections": [s.key for s in report.sections],
        "table2": table2,
        "table3": table3,
        "table4": table4,
    }


def expected_json(report: Report, level: str | None) -> str:
    return json.dumps(expected(report, level), ensure_ascii=False, indent=2) + "\n"


def rendered(folder: Path) -> dict[str, bytes]:
    """Every generated file but the PDF, as bytes."""
    source = folder / "report.yaml"
    report = report_from_yaml(source)
    level = load_facts(source).get("level")
    files = {name: render(report).encode("utf-8") for name, render in TEXT_OUTPUTS.items()}
    files["report.docx"] = to_docx(report)
    files["expected.json"] = expected_json(report, level).encode("utf-8")
    return files


def _differs(path: Path, data: bytes) -> bool:
    return not path.exists() or path.read_bytes() != data


def build(folder: Path, check: bool, force_pdf: bool) -> list[str]:
    """Rebuild one report folder; returns the names of files that were (or would be) written."""
    changed = []
    files = rendered(folder)
    docx_changed = _differs(folder / "report.docx", files["report.docx"])
    for name, data in files.items():
        if _differs(folder / name, data):
            changed.append(name)
            if not check:
                (folder / name).write_bytes(data)
    pdf = folder / "report.pdf"
    if docx_changed or not pdf.exists() or force_pdf:
        changed.append("report.pdf")
        if not check:
            pdf.write_bytes(docx_to_pdf(files["report.docx"]))
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is stale")
    parser.add_argument("--force-pdf", action="store_true", help="regenerate every PDF")
    parser.add_argument("slugs", nargs="*", help="only these report folders")
    args = parser.parse_args(argv)

    folders = report_dirs()
    if args.slugs:
        folders = [f for f in folders if f.name in set(args.slugs)]
    stale = False
    for folder in folders:
        changed = build(folder, check=args.check, force_pdf=args.force_pdf)
        if changed:
            stale = True
            verb = "stale" if args.check else "wrote"
            print(f"{folder.name}: {verb} {', '.join(changed)}")
        else:
            print(f"{folder.name}: up to date")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
