"""Classification scores shared by the face and voice evaluations (one JSON contract).

A prediction of None is a miss (no face found, audio that could not be judged): it counts as
wrong for accuracy and recall and is reported under `missed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from emotion.labels import EMOTIONS
from emotion.paths import display_path


def classification_report(y_true: Sequence[str], y_pred: Sequence[str | None]) -> dict:
    """accuracy, macro_f1, n, missed, per_class_recall, confusion (rows true, columns predicted).

    Macro-F1 averages the classes present in `y_true`, so a corpus without, say, surprise is
    not scored on it (its wrong surprise predictions still cost the other classes recall).
    Recall is None for a class with no examples.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} labels but {len(y_pred)} predictions")
    index = {label: i for i, label in enumerate(EMOTIONS)}
    confusion = np.zeros((len(EMOTIONS), len(EMOTIONS)), dtype=int)
    missed = np.zeros(len(EMOTIONS), dtype=int)
    for truth, guess in zip(y_true, y_pred, strict=True):
        if guess is None:
            missed[index[truth]] += 1
        else:
            confusion[index[truth], index[guess]] += 1
    support = confusion.sum(axis=1) + missed
    hits = np.diag(confusion)
    predicted = confusion.sum(axis=0)
    present = support > 0
    recall = np.divide(hits, support, out=np.zeros(len(EMOTIONS)), where=present)
    precision = np.divide(hits, predicted, out=np.zeros(len(EMOTIONS)), where=predicted > 0)
    f1 = np.divide(
        2 * precision * recall,
        precision + recall,
        out=np.zeros(len(EMOTIONS)),
        where=precision + recall > 0,
    )
    n = int(support.sum())
    return {
        "n": n,
        "accuracy": float(hits.sum() / n) if n else 0.0,
        "macro_f1": float(f1[present].mean()) if present.any() else 0.0,
        "missed": int(missed.sum()),
        "per_class_recall": {
            label: float(recall[i]) if present[i] else None for i, label in enumerate(EMOTIONS)
        },
        "labels": list(EMOTIONS),
        "confusion": confusion.tolist(),
    }


def folder_report(
    model: Path,
    dataset: str,
    root: Path,
    split: str,
    y_true: Sequence[str],
    y_pred: Sequence[str | None],
) -> dict:
    """The evaluation commands' JSON: which model, data and split, then the scores."""
    return {
        "model": display_path(model),
        "dataset": dataset,
        "data": display_path(root),
        "split": split,
        **classification_report(y_true, y_pred),
    }
