"""Where the project's data files are found, through :mod:`importlib.resources`.

Package data (edition YAML, rule examples, the ledger vocabulary, …) sits
inside the package. ``prompts/`` and ``corpus/`` sit at the top of the
repository (the agreed layout); a wheel carries them as ``assistant/_data/``
(``setup.py`` copies them there at build time). One function finds either.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# The top-level folders a wheel carries under ``assistant/_data/``.
SHIPPED_FOLDERS = ("prompts", "corpus")


def package_path(*parts: str) -> Path:
    """A file or folder inside the installed package, e.g. ``package_path("model", "editions")``."""
    return Path(str(resources.files("assistant").joinpath(*parts)))


def shipped_folder(name: str) -> Path:
    """``prompts`` or ``corpus``: the wheel's copy, or in a source checkout the folder beside the package."""
    if name not in SHIPPED_FOLDERS:
        raise ValueError(name)
    packaged = package_path("_data", name)
    if packaged.is_dir():
        return packaged
    # A source checkout (editable install): the folder sits beside the package directory.
    return package_path().parent / name
