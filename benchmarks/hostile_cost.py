"""What hostile input costs: each bomb of tests/hostile through the real command, its time and peak memory.

Every input is made in a temporary folder from the reference reports (the
makers in ``tests/hostile/bombs.py``), then ``nianbao`` runs on it in a fresh
child process with its home, temporary and working folders in a sandbox
(``tests/hostile/hostile_child.py``). Prints, per input: its size on disk,
the exit status, wall time, the child's peak resident memory (VmHWM) and the
first line of what it said. The tests assert the bounds (exit 2, under 30 s,
under 1 GB); this prints the figures for README.md.

    .venv/bin/python benchmarks/hostile_cost.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))

import bombs  # noqa: E402
from hostile_child import MIB, run  # noqa: E402


def _big_text(target: Path) -> Path:
    base = bombs.TEXT.read_bytes()
    body = base.split(b"\n", 1)[1]
    with target.open("wb") as fh:
        fh.write(base)
        while fh.tell() < 49 * MIB:
            fh.write(body)
    return target


def _facts(target: Path) -> Path:
    target.write_text(bombs.yaml_laughs(), encoding="utf-8")
    return target


# (what, file name, maker, command before the file)
CASES: list[tuple[str, str, Callable[[Path], Path], list[str]]] = [
    ("Word, 6,000,000 empty paragraphs", "paragraphs.docx", lambda p: bombs.docx_paragraphs(p, 6_000_000), ["parse"]),
    ("Word, one 1 GiB text member", "text.docx", lambda p: bombs.docx_huge_text(p, 1024 * MIB), ["parse"]),
    ("Word, entity laughs in document.xml", "laughs.docx", bombs.docx_laughs, ["parse"]),
    ("Word, 3,000 parts", "parts.docx", lambda p: bombs.docx_parts(p, 3000), ["parse"]),
    ("text report, 49 MB", "big.txt", _big_text, ["check"]),
    ("PDF drawing 500,000 letters on a page", "text.pdf", lambda p: bombs.pdf(p, [bombs.pdf_text(50_000)]), ["parse"]),
    ("PDF page unpacking to 256 MB", "zeros.pdf", lambda p: bombs.pdf(p, [b" " * (256 * MIB)]), ["parse"]),
    ("facts YAML, billion laughs", "facts.yaml", _facts, ["draft", "--offline"]),
    ("register .xlsx, 1 GiB sheet", "sheet.xlsx", lambda p: bombs.register_bomb(p, "sheet"), ["ledger"]),
    ("register .xlsx, entity laughs", "laughs.xlsx", lambda p: bombs.register_bomb(p, "laughs"), ["ledger"]),
]


def _size(n: int) -> str:
    return f"{n / MIB:.1f} MB" if n >= MIB else f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} B"


def main() -> None:
    print(f"{'input':42} {'size':>9} {'exit':>4} {'time':>7} {'peak':>9}  said")
    with tempfile.TemporaryDirectory() as tmp:
        for what, name, make, command in CASES:
            folder = Path(tmp) / name.replace(".", "-")
            box = folder / "sandbox"
            box.mkdir(parents=True)
            path = make(folder / name)
            args = [*command, str(path)]
            if command[0] == "draft":
                args += ["--out", str(box / "data" / "draft.md")]
            if command[0] == "ledger":
                args += ["--year", "2023"]
            r = run(args, sandbox=box)
            lines = [line.strip() for line in (r.err + r.out).splitlines() if line.strip()]
            said = next((line for line in lines if "错误" in line or "无法读取" in line), lines[0] if lines else "")
            print(f"{what:42} {_size(path.stat().st_size):>9} {r.code:4d} {r.seconds:6.2f}s "
                  f"{r.peak_bytes / MIB:6.0f} MiB  {said[:90]}")
            path.unlink()


if __name__ == "__main__":
    main()
