"""The wheel alone carries what the program reads: prompts, corpus, editions and other package data.

The wheel is built from this checkout and installed into a fresh venv outside
it. The venv does not see the system's or the project's site-packages; the
dependencies come from the project's venv through a ``.pth`` line, which adds
the folder to the path without running the project's own editable-install hook,
so ``assistant`` can only come from the wheel. Commands run from a folder
outside the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from assistant.retrieve.split import iter_corpus_files

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "evals" / "reference" / "qinghe-city-2023" / "report.txt"
# What a source distribution holds (MANIFEST.in and pyproject.toml say the same).
SOURCE = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "assistant", "prompts", "corpus")

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("wheel")
    # Built from a copy, so the build's own folders (build/, *.egg-info) stay out of the checkout.
    source = base / "source"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "_data")
    for name in SOURCE:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(source)],
                 cwd=base, env=dict(os.environ))
    assert built.returncode == 0, built.stderr[-2000:]
    wheels = list((base / "dist").glob("nianbao-*.whl"))
    assert len(wheels) == 1

    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=base, env=dict(os.environ)).stdout.strip())
    # The dependencies: the project's venv, added after the venv's own site-packages.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheels[0])],
                cwd=base, env=dict(os.environ))
    assert done.returncode == 0, done.stderr[-2000:]
    return env_dir, base


def _env(base: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIANBAO_", "PYTHON"))}
    env["NIANBAO_DATA_DIR"] = str(base / "data")
    env["HOME"] = str(base)
    return env


def test_the_wheel_carries_its_data(installed):
    env_dir, base = installed
    shown = _run([str(env_dir / "bin" / "python"), "-c",
                  "import assistant, assistant.resources as r, assistant.model as m;"
                  "print(assistant.__file__); print(r.shipped_folder('prompts')); print(r.shipped_folder('corpus'));"
                  "print(sorted(m.editions()))"], cwd=base, env=_env(base))
    assert shown.returncode == 0, shown.stderr[-2000:]
    package, prompts, corpus, editions = shown.stdout.splitlines()
    for path in (package, prompts, corpus):
        assert Path(path).is_relative_to(env_dir), path
        assert not Path(path).is_relative_to(ROOT), path
    assert (Path(prompts) / "draft_overview.md").is_file()
    assert (Path(corpus) / "vectors" / "vectors.npy").is_file()
    assert not (Path(corpus) / "tools").exists()
    assert editions == "['2019', '2021']"


def test_check_index_and_offline_draft_from_the_wheel(installed):
    env_dir, base = installed
    nianbao = str(env_dir / "bin" / "nianbao")
    env = _env(base)

    checked = _run([nianbao, "check", str(REPORT)], cwd=base, env=env)
    assert checked.returncode == 0, checked.stderr[-2000:]
    # The edition came from the packaged YAML, the rules ran, and the fee rule's example data agreed.
    assert "2021年格式" in checked.stdout and "运行规则" in checked.stdout
    assert "N7" in checked.stdout


    built = _run([nianbao, "index", "build"], cwd=base, env=env)
    assert built.returncode == 0, built.stderr[-2000:]
    # Every corpus file came from the wheel, with its shipped vectors (nothing embedded on the spot).
    files = len(list(iter_corpus_files(ROOT / "corpus")))
    assert f"{files} 个文件" in built.stdout and "0 段现场计算" in built.stdout, built.stdout

    out = base / "draft.md"
    drafted = _run([nianbao, "draft", "--offline", str(REPORT), "--out", str(out)], cwd=base, env=env)
    assert drafted.returncode == 0, drafted.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "一、总体情况" in text and "五、存在的主要问题及改进情况" in text
