"""Batch analysis of whole archives: `analyze_file` (one file to one row), `analyze_files` (many,
on one core, all cores or Ray), and the results files of `python -m emotion analyze`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from emotion.batch.engines import Engine, run
from emotion.batch.files import iter_files
from emotion.batch.rows import AnalysisSettings, analyze_file


def analyze_files(
    paths: Iterable[Path | str],
    settings: AnalysisSettings | None = None,
    workers: int = 1,
    engine: Engine = "local",
    address: str | None = None,
) -> Iterator[dict[str, Any]]:
    """A row per file under `paths` (folders walked recursively), in the order they finish."""
    files = [str(path) for path in iter_files(Path(p) for p in paths)]
    return run(files, settings or AnalysisSettings(), workers, engine, address)


__all__ = ["AnalysisSettings", "analyze_file", "analyze_files"]
