"""FER2013, as the Kaggle image folders (`train/angry/Training_N.jpg`) or the original CSV.

The CSV has columns `emotion,pixels,Usage`: emotion 0-6 = angry, disgust, fear, happy, sad,
surprise, neutral; Usage Training / PublicTest / PrivateTest = train / val / test. In the folder
layout the file name prefix keeps the original split, which wins over the folder name.
FER2013 has no subject ids: each image is its own group.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from emotion.datasets.folders import scan_folders
from emotion.datasets.records import SPLITS, Record

NAME = "fer2013"
CSV_NAME = "fer2013.csv"
SIDE = 48
CSV_LABELS = ("anger", "disgust", "fear", "happy", "sad", "surprise", "neutral")


def scan(root: Path) -> Iterator[Record]:
    """Yield FER2013 records from a CSV file, a folder holding `fer2013.csv`, or image folders."""
    if root.is_file():
        yield from scan_csv(root)
    elif (root / CSV_NAME).is_file():
        yield from scan_csv(root / CSV_NAME)
    else:
        yield from scan_image_folders(root)


def scan_image_folders(root: Path) -> Iterator[Record]:
    """Yield records from the Kaggle folder layout, taking the split from the file name prefix."""
    for record in scan_folders(root, "image", NAME):
        prefix = record.path.stem.split("_", 1)[0].lower()
        yield dataclasses.replace(record, split=SPLITS.get(prefix, record.split))


def scan_csv(path: Path) -> Iterator[Record]:
    """Yield records from the original `emotion,pixels,Usage` CSV, pixels held in memory."""
    with path.open(newline="") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=1):
            code = int(row["emotion"])
            pixels = np.array(row["pixels"].split(), dtype=np.uint8).reshape(SIDE, SIDE)
            yield Record(
                dataset=NAME,
                modality="image",
                path=path,
                source_label=str(code),
                label=CSV_LABELS[code],
                group=f"row{row_number}",
                split=SPLITS[row["Usage"].strip().lower()],
                pixels=pixels,
            )
