"""Face training data as arrays: every image preprocessed once, duplicates resolved, cached.

FER2013 holds pixel-identical images (1,273 sets, 270 of them across train and val, 47 with
conflicting labels; see docs/eda.md). Training keeps one copy of each, drops images whose
copies disagree, and drops training copies of validation images, so that the validation score
is not inflated by images the model trained on.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from emotion.datasets import DatasetError, detect_dataset, load_records
from emotion.datasets.records import Record
from emotion.face.images import load_image
from emotion.face.preprocess import face_input, to_gray
from emotion.labels import EMOTIONS
from emotion.paths import PROJECT_ROOT
from emotion.whole_files import save_arrays

CACHE_DIR = PROJECT_ROOT / ".cache" / "face"
ARRAYS_VERSION = "1"


@dataclass(frozen=True)
class FaceArrays:
    """Preprocessed faces as uint8 (n, 48, 48), labels (indices into EMOTIONS), splits."""

    pixels: np.ndarray
    labels: np.ndarray
    splits: np.ndarray


def record_pixels(record: Record) -> np.ndarray:
    """The record's face as uint8 (48, 48), through the serving preprocessing."""
    gray = record.pixels if record.pixels is not None else to_gray(load_image(record.path))
    return np.round(face_input(gray) * 255).astype(np.uint8)


def deduplicate(pixels: np.ndarray, labels: np.ndarray, splits: np.ndarray) -> np.ndarray:
    """Indices to keep: one training copy per image, none that conflict or leak into val/test."""
    digests = [hashlib.sha1(image.tobytes()).hexdigest() for image in pixels]
    held_out = {d for d, s in zip(digests, splits, strict=True) if s != "train"}
    labels_of: dict[str, set[int]] = {}
    for digest, label in zip(digests, labels, strict=True):
        labels_of.setdefault(digest, set()).add(int(label))
    seen: set[str] = set()
    keep = []
    for i, (digest, split) in enumerate(zip(digests, splits, strict=True)):
        if split != "train":
            keep.append(i)
        elif digest not in held_out and len(labels_of[digest]) == 1 and digest not in seen:
            seen.add(digest)
            keep.append(i)
    return np.array(keep, dtype=int)


def face_arrays(records: list[Record], cache_dir: Path = CACHE_DIR) -> FaceArrays:
    """Arrays of the records' faces (split from the dataset, training set deduplicated)."""
    digest = hashlib.sha256(ARRAYS_VERSION.encode())
    for record in records:
        digest.update(f"{record.path}:{record.group}:{record.label}:{record.split}\n".encode())
    cache = cache_dir / f"{digest.hexdigest()[:16]}.npz"
    if cache.is_file():
        with np.load(cache) as stored:
            return FaceArrays(stored["pixels"], stored["labels"], stored["splits"])
    pixels = []
    for done, record in enumerate(records, start=1):
        pixels.append(record_pixels(record))
        if done % 5000 == 0:
            print(f"  faces: {done}/{len(records)}", file=sys.stderr)
    stacked = np.stack(pixels)
    labels = np.array([EMOTIONS.index(r.label) for r in records])
    splits = np.array([r.split or "train" for r in records])
    keep = deduplicate(stacked, labels, splits)
    arrays = FaceArrays(stacked[keep], labels[keep], splits[keep])
    save_arrays(cache, pixels=arrays.pixels, labels=arrays.labels, splits=arrays.splits)
    return arrays


def face_data(data_dir: Path, cache_dir: Path) -> tuple[str, int, FaceArrays]:
    """The dataset's name, its image count and its faces as arrays (train and val needed)."""
    name = detect_dataset(data_dir, "image")
    records = load_records(name, data_dir)
    if not {"train", "val"} <= {record.split for record in records}:
        raise DatasetError(f"{data_dir} needs train/ and val/ splits (FER2013 layout)")
    arrays = face_arrays(records, cache_dir)
    kept = len(arrays.labels)
    print(f"{name}: {len(records)} images, {kept} after deduplication", file=sys.stderr)
    return name, len(records), arrays
