"""Exploratory data analysis of a dataset: counts, imbalance, media, duplicates, plots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emotion.datasets import load_records
from emotion.eda.probe import probe
from emotion.eda.report import format_markdown, load_summaries, write_report
from emotion.eda.summary import summarise
from emotion.paths import display_path

__all__ = ["analyse", "format_markdown", "load_summaries", "write_report"]


def analyse(dataset: str, root: Path) -> dict[str, Any]:
    """Load every record of `dataset` under `root` (dropped labels too), probe it, summarise it."""
    records = load_records(dataset, root, include_dropped=True)
    return summarise(dataset, display_path(root), records, [probe(record) for record in records])
