"""What the retrieval stage reads from the settings, in one place.

Every option lives in :mod:`assistant.settings` (documented there and in the
README's table); this module only derives what the stage needs from them: the
default folders and the number of embedding threads for a bulk build.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from ..resources import shipped_folder
from ..settings import get_settings


def default_data_dir() -> Path:
    return get_settings().data_dir


def default_corpus_dir() -> Path:
    configured = get_settings().corpus_dir
    if configured is not None:
        return configured
    return shipped_folder("corpus")


def default_chroma_url() -> Optional[str]:
    return get_settings().chroma_url


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def bulk_threads() -> int:
    """Threads for a bulk embedding: the setting, or the cores other processes leave free (at least one)."""
    configured = get_settings().embed_threads
    cores = usable_cores()
    if configured:
        return min(configured, cores)
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return max(1, min(cores, round(cores - busy)))
