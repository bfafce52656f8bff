"""The loaders on the real datasets in ../shared/data agree with the counts their README gives."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from emotion.datasets import load_records


def counts(records: list, key: str = "label") -> Counter:
    return Counter(getattr(r, key) for r in records)


def test_fer2013(shared_data: Path) -> None:
    records = load_records("fer2013", shared_data / "fer2013")
    train = counts([r for r in records if r.split == "train"])
    assert train == {
        "anger": 3995,
        "disgust": 436,
        "fear": 4097,
        "happy": 7215,
        "neutral": 4965,
        "sad": 4830,
        "surprise": 3171,
    }
    assert counts(records, "split") == {"train": 28709, "val": 3589}


def test_ravdess(shared_data: Path) -> None:
    records = load_records("ravdess", shared_data / "ravdess")
    assert len(counts(records, "group")) == 24
    assert len(records) == 1440 - 192  # calm is dropped
    assert counts(records)["neutral"] == 96
    assert counts(records)["surprise"] == 192


def test_tess(shared_data: Path) -> None:
    records = load_records("tess", shared_data / "tess")
    assert counts(records, "group") == {"OAF": 1400, "YAF": 1400}
    assert set(counts(records).values()) == {400}


@pytest.mark.parametrize(
    ("name", "labelled", "dropped", "groups"),
    [
        ("emodb", 454, 81, 10),
        ("emovo", 588, 0, 6),
        ("urdu", 400, 0, 1),
        ("turev", 1327, 408, 6),
        ("spanish_rcebrian", 1154, 0, 14),
        ("nemo", 2235, 0, 9),
        ("emospeech_indian", 1273, 752, 107),
        ("jaffe", 213, 0, 10),
        ("ckplus48", 981 - 54, 54, 118),
        ("facial_expressions", 621, 9, None),
        ("yalefaces", 60, 104, 15),
    ],
)
def test_sets_by_count(
    shared_data: Path, name: str, labelled: int, dropped: int, groups: int
) -> None:
    everything = load_records(name, shared_data / name, include_dropped=True)
    kept = [r for r in everything if r.label]
    assert len(kept) == labelled
    assert len(everything) - len(kept) == dropped
    if groups is not None:
        assert len(counts(everything, "group")) == groups
