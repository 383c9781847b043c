"""Where the suites find their data, and what one run shares between suites.

Suites are data: ``evals/suites/<name>.yaml`` names each suite's cases and
thresholds. Paths in those files are relative to the repository root, so
``../shared/realdata`` means the folder beside the checkout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..errors import EvalConfigError
from ..settings import get_settings
from ..yamlfile import read_mapping

SUITES = ("parse", "degradation", "check", "mutation", "draft", "retrieval", "chat")


def project_root() -> Path:
    # evals/ sits at the top of the repository, beside the package (as corpus/ does).
    return Path(__file__).resolve().parents[2]


def default_evals_dir() -> Path:
    return get_settings().evals_dir or project_root() / "evals"


@dataclass
class DataFolder:
    """A folder of a user's reports; each report's expected results sit beside it or in ``expected``."""

    reports: Path
    expected: Optional[Path] = None


@dataclass
class Context:
    evals_dir: Path = field(default_factory=default_evals_dir)
    data: list[DataFolder] = field(default_factory=list)  # added with --data
    use_model: bool = False  # draft suite: the configured model instead of the well-behaved stub
    index_dir: Optional[Path] = None  # retrieval and chat: None means NIANBAO_DATA_DIR or the default
    worst: int = 5  # worst cases kept per suite
    _parsed: dict[Path, Any] = field(default_factory=dict)
    _index: Any = None

    @property
    def root(self) -> Path:
        return self.evals_dir.resolve().parent

    def path(self, relative: str | Path) -> Path:
        """A path from a suite file, relative to the repository root."""
        p = Path(relative).expanduser()
        return p if p.is_absolute() else self.root / p

    def link(self, path: Path) -> str:
        """How the scoreboard names an input: relative to the repository root when it can be."""
        try:
            return os.path.relpath(Path(path).resolve(), self.root.resolve()).replace(os.sep, "/")
        except ValueError:  # another drive on Windows
            return str(path)

    def spec(self, suite: str) -> dict[str, Any]:
        path = self.evals_dir / "suites" / f"{suite}.yaml"
        return read_mapping(path, "评测套件文件", EvalConfigError, self.link(path))

    def parse(self, path: Path):
        """Parse once per run: the parse and check suites read the same renderings."""
        from ..parse import parse_file

        key = Path(path).resolve()
        if key not in self._parsed:
            self._parsed[key] = parse_file(key)
        return self._parsed[key]

    def index(self):
        """The default index, built (or refreshed) once per run for the retrieval and chat suites."""
        if self._index is None:
            from ..retrieve import Index

            index = Index(data_dir=self.index_dir)
            index.build_default()  # content-addressed: a no-op when the corpus has not changed
            self._index = index
        return self._index
