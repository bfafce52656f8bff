"""Group-independent splits: every speaker (or subject) lands in exactly one of train/val/test.

A random split over clips puts the same speaker in training and test, and the test score then
measures how well the model knows that voice rather than the emotion. Groups are ordered by a
salted hash, so the split is stable across runs and machines and independent of file order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from emotion.datasets.records import Record

SALT = "emotion-split-v1"
VAL_FRACTION = 0.15
TEST_FRACTION = 0.2


def _hash(group: str) -> str:
    return hashlib.sha256(f"{SALT}:{group}".encode()).hexdigest()


def split_groups(
    groups: Iterable[str], val_fraction: float = VAL_FRACTION, test_fraction: float = TEST_FRACTION
) -> dict[str, str]:
    """Map each distinct group to "train", "val" or "test".

    At least one group is kept for training; a test group is set aside as soon as there are two
    (TESS: one speaker trains, the other tests), a validation group once three remain.
    """
    ordered = sorted(set(groups), key=_hash)
    n_test = max(1, round(len(ordered) * test_fraction)) if len(ordered) >= 2 else 0
    n_val = max(1, round(len(ordered) * val_fraction)) if len(ordered) - n_test >= 3 else 0
    names = ["test"] * n_test + ["val"] * n_val
    return {group: names[i] if i < len(names) else "train" for i, group in enumerate(ordered)}


def assign_splits(records: Sequence[Record]) -> list[str]:
    """The split of each record: groups are split within each dataset separately."""
    by_dataset: dict[str, dict[str, str]] = {}
    for dataset in {record.dataset for record in records}:
        by_dataset[dataset] = split_groups(r.group for r in records if r.dataset == dataset)
    return [by_dataset[record.dataset][record.group] for record in records]


def select_split(records: Sequence[Record], split: str) -> list[Record]:
    """The records of `split` ("all": every record).

    A dataset with its own split (FER2013's train/val) is filtered on it; otherwise on the
    project's group split, so that only speakers or subjects of that split are kept.
    """
    if split == "all":
        return list(records)
    if any(record.split for record in records):
        return [record for record in records if record.split == split]
    return [r for r, s in zip(records, assign_splits(records), strict=True) if s == split]
