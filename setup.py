"""Build hook: the wheel carries the top-level ``prompts/`` and ``corpus/`` as ``assistant/_data/``.

Everything else is declared in pyproject.toml. An editable install needs no
copy: ``assistant.resources.shipped_folder`` finds the folders beside the package.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# corpus/tools holds the maintainers' generators, not data.
SKIP = shutil.ignore_patterns("tools", "__pycache__", "*.pyc")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in ("prompts", "corpus"):
            target = Path(self.build_lib) / "assistant" / "_data" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(ROOT / name, target, ignore=SKIP)


setup(cmdclass={"build_py": BuildPyWithData})
