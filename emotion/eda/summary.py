"""The EDA summary of one dataset: a pure function of its records and what their files hold.

Counts per label and split, speakers/subjects per split, imbalance, balanced class weights,
image sizes or clip durations and sample rates, unreadable files and duplicated content (which
leaks between splits when it crosses them). The result is plain JSON so that it can be committed
and redrawn by the app's model report page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from emotion.datasets.records import Record
from emotion.eda.probe import AudioInfo, ImageInfo, Probe
from emotion.labels import EMOTIONS

ALL = "all"
MAX_EXAMPLES = 5
HISTOGRAM_BINS = 40


def summarise(
    dataset: str, data: str, records: Sequence[Record], probes: Sequence[Probe]
) -> dict[str, Any]:
    """Summarise a dataset: `records` include dropped ones (label None), one probe per record."""
    pairs = zip(records, probes, strict=True)
    labelled = [(record, probe) for record, probe in pairs if record.label]
    counts = label_counts([record for record, _ in labelled])
    training_split = "train" if "train" in counts else ALL
    media = [probe.media for _, probe in labelled if probe.media is not None]
    modality = records[0].modality if records else "image"
    return {
        "dataset": dataset,
        "modality": modality,
        "data": data,
        "n_files": len(records),
        "n_labelled": len(labelled),
        "label_mapping": label_mapping(records),
        "splits": [split for split in counts if split != ALL],
        "counts": counts,
        "groups": group_counts([record for record, _ in labelled]),
        "imbalance": {split: imbalance(split_counts) for split, split_counts in counts.items()},
        "class_weights": {
            "split": training_split,
            "weights": class_weights(counts[training_split]),
        },
        "media": image_stats(media) if modality == "image" else audio_stats(media),
        "unreadable": unreadable(records, probes),
        "duplicates": duplicates(labelled),
    }


def label_counts(records: Sequence[Record]) -> dict[str, dict[str, int]]:
    """Labelled records per split and emotion (every emotion listed, zeros included), plus 'all'."""
    splits = sorted({record.split for record in records if record.split})
    table: dict[str, dict[str, int]] = {}
    for split in [*splits, ALL]:
        tally = Counter(r.label for r in records if split == ALL or r.split == split)
        table[split] = {emotion: tally.get(emotion, 0) for emotion in EMOTIONS}
    return table


def label_mapping(records: Sequence[Record]) -> list[dict[str, Any]]:
    """How each of the dataset's own labels was mapped (label None = dropped), with counts."""
    tally = Counter((record.source_label, record.label) for record in records)
    return [
        {"source": source, "label": label, "count": count}
        for (source, label), count in sorted(tally.items(), key=lambda item: item[0][0])
    ]


def group_counts(records: Sequence[Record]) -> dict[str, int]:
    """Distinct speakers/subjects per split and overall."""
    groups: dict[str, set[str]] = defaultdict(set)
    for record in records:
        groups[ALL].add(record.group)
        if record.split:
            groups[record.split].add(record.group)
    return {split: len(members) for split, members in sorted(groups.items())}


def imbalance(split_counts: dict[str, int]) -> dict[str, Any]:
    """Largest over smallest class among present classes, and which classes are missing."""
    present = {label: n for label, n in split_counts.items() if n > 0}
    if not present:
        return {"ratio": None, "largest": None, "smallest": None, "missing": list(split_counts)}
    largest = max(present, key=present.__getitem__)
    smallest = min(present, key=present.__getitem__)
    return {
        "ratio": round(present[largest] / present[smallest], 2),
        "largest": largest,
        "smallest": smallest,
        "missing": [label for label, n in split_counts.items() if n == 0],
    }


def class_weights(split_counts: dict[str, int]) -> dict[str, float]:
    """Balanced class weights n / (k * n_c) over the present classes (Keras' class_weight)."""
    present = {label: n for label, n in split_counts.items() if n > 0}
    total = sum(present.values())
    return {label: round(total / (len(present) * n), 3) for label, n in present.items()}


def image_stats(media: Sequence[ImageInfo | AudioInfo]) -> dict[str, Any]:
    """Image sizes (WxH) and modes, most common first."""
    images = [info for info in media if isinstance(info, ImageInfo)]
    sizes = Counter(f"{info.width}x{info.height}" for info in images)
    return {
        "sizes": dict(sizes.most_common()),
        "modes": dict(Counter(info.mode for info in images).most_common()),
    }


def audio_stats(media: Sequence[ImageInfo | AudioInfo]) -> dict[str, Any]:
    """Clip duration distribution, sample rates and channel counts."""
    clips = [info for info in media if isinstance(info, AudioInfo)]
    if not clips:
        return {"duration_s": None, "duration_histogram": None, "sample_rates": {}, "channels": {}}
    durations = np.array([info.duration_s for info in clips])
    counts, edges = np.histogram(durations, bins=HISTOGRAM_BINS)
    return {
        "duration_s": {
            "min": round(float(durations.min()), 3),
            "p5": round(float(np.percentile(durations, 5)), 3),
            "median": round(float(np.median(durations)), 3),
            "mean": round(float(durations.mean()), 3),
            "p95": round(float(np.percentile(durations, 95)), 3),
            "max": round(float(durations.max()), 3),
            "total_min": round(float(durations.sum()) / 60, 1),
        },
        "duration_histogram": {
            "edges": [round(float(edge), 3) for edge in edges],
            "counts": [int(count) for count in counts],
        },
        "sample_rates": {
            str(rate): n for rate, n in Counter(info.sample_rate for info in clips).most_common()
        },
        "channels": {
            str(channels): n
            for channels, n in Counter(info.channels for info in clips).most_common()
        },
    }


def unreadable(records: Sequence[Record], probes: Sequence[Probe]) -> dict[str, Any]:
    """How many files could not be read, with a few examples and their errors."""
    failures = [
        {"path": str(record.path), "error": probe.error}
        for record, probe in zip(records, probes, strict=True)
        if probe.error
    ]
    return {"count": len(failures), "examples": failures[:MAX_EXAMPLES]}


def duplicates(labelled: Sequence[tuple[Record, Probe]]) -> dict[str, Any]:
    """Identical content stored more than once: how often, across splits, with other labels."""
    by_digest: dict[str, list[Record]] = defaultdict(list)
    for record, probe in labelled:
        if probe.digest:
            by_digest[probe.digest].append(record)
    repeated = [copies for copies in by_digest.values() if len(copies) > 1]
    labels_per_set = [len({record.label for record in copies}) for copies in repeated]
    splits_per_set = [len({record.split for record in copies}) for copies in repeated]
    worst_first = sorted(
        range(len(repeated)), key=lambda i: (-labels_per_set[i], -splits_per_set[i])
    )
    return {
        "sets": len(repeated),
        "extra_copies": sum(len(copies) - 1 for copies in repeated),
        "across_splits": sum(n > 1 for n in splits_per_set),
        "conflicting_labels": sum(n > 1 for n in labels_per_set),
        "examples": [_describe(repeated[i]) for i in worst_first[:MAX_EXAMPLES]],
    }


def _describe(copies: Sequence[Record]) -> list[str]:
    shown = [f"{r.path.name} ({r.split or ALL}, {r.label})" for r in copies[:MAX_EXAMPLES]]
    hidden = len(copies) - len(shown)
    return shown + ([f"{hidden} more"] if hidden else [])
