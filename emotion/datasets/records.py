"""The record every dataset loader yields: one labelled image or clip."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

Modality = Literal["image", "audio"]

SPLITS: dict[str, str] = {
    "train": "train",
    "training": "train",
    "val": "val",
    "valid": "val",
    "validation": "val",
    "publictest": "val",
    "test": "test",
    "testing": "test",
    "privatetest": "test",
}
"""Split names found in datasets' own layouts, mapped onto train / val / test."""


@dataclass(frozen=True, eq=False)
class Record:
    """One item of a dataset, with its label mapped onto the seven emotions.

    `label` is None when the dataset's own label (`source_label`) is not one of the seven
    (contempt, calm...) and the loader's policy drops it; such records are only yielded when a
    loader is asked for them, so that EDA can count what was dropped.
    `group` is the speaker or subject, the unit a split must not share between train and test.
    `split` is the dataset's own split, or None when it has none.
    `pixels` holds the image for datasets that ship pixels rather than files (FER2013 CSV).
    """

    dataset: str
    modality: Modality
    path: Path
    source_label: str
    label: str | None
    group: str
    split: str | None = None
    pixels: np.ndarray | None = None
