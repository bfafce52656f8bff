"""The files a batch run covers: the paths given, folders walked recursively in name order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file in `paths` (folders recursively, hidden files and folders skipped), lazily
    and in a stable order; a path that does not exist is yielded as is (its row says so)."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            for name in sorted(names):
                if not name.startswith("."):
                    yield Path(folder) / name
