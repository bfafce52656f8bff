"""Files written whole or not at all.

Caches and checkpoints are trusted because they exist; a run killed mid-write must not leave
a truncated file that the next run takes for a finished one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A path to write in place of `path` (same name, in a hidden folder beside it, so no
    listing of finished files sees it) that takes its place once written without error."""
    folder = path.parent / f".partial-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / path.name
    try:
        yield partial
        os.replace(partial, path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def save_arrays(path: Path, compressed: bool = False, **arrays: np.ndarray) -> None:
    """`np.savez` (or `savez_compressed`) of `arrays` to `path` (.npz), whole or not at all."""
    save = np.savez_compressed if compressed else np.savez
    with replacing(path) as partial:
        save(partial, **arrays)


def save_array(path: Path, array: np.ndarray) -> None:
    """`np.save` of one array to `path` (.npy), whole or not at all."""
    with replacing(path) as partial:
        np.save(partial, array)


def save_text(path: Path, text: str) -> None:
    """`text` written to `path`, whole or not at all."""
    with replacing(path) as partial:
        partial.write_text(text)
