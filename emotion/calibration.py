"""Calibration of predicted probabilities: temperature scaling and how to measure it.

Pure functions of probability rows (n, classes) and true class indices. A model whose top
probability is 0.8 should be right 8 times in 10; the expected calibration error (ECE) says how
far it is from that, the reliability table shows where.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize, minimize_scalar

BINS = 10


def apply_temperature(probabilities: np.ndarray, temperature: float | np.ndarray) -> np.ndarray:
    """Softmax of log-probabilities / temperature (> 1 softens, < 1 sharpens); rows sum to 1.

    `temperature` is one number, or one per row as an (n, 1) column."""
    logits = np.log(np.clip(probabilities, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=-1, keepdims=True)
    scaled = np.exp(logits)
    return scaled / scaled.sum(axis=-1, keepdims=True)


def negative_log_likelihood(
    probabilities: np.ndarray, labels: np.ndarray, weights: np.ndarray | None = None
) -> float:
    """Mean -log p(true class), each row counting by its weight (default: equally)."""
    picked = probabilities[np.arange(len(labels)), labels]
    return float(-np.average(np.log(np.clip(picked, 1e-12, 1.0)), weights=weights))


def fit_temperature(
    probabilities: np.ndarray, labels: np.ndarray, weights: np.ndarray | None = None
) -> float:
    """The temperature (0.05-20) that minimises the negative log-likelihood of `labels`, each
    row counting by its weight (default: equally)."""
    result = minimize_scalar(
        lambda log_t: negative_log_likelihood(
            apply_temperature(probabilities, float(np.exp(log_t))), labels, weights
        ),
        bounds=(np.log(0.05), np.log(20.0)),
        method="bounded",
    )
    return float(np.exp(result.x))


def apply_novelty_temperature(
    probabilities: np.ndarray, novelty: np.ndarray | float, temperature: float, power: float
) -> np.ndarray:
    """Temperature scaling that softens inputs unlike the training data more: each row's
    temperature is `temperature` x max(novelty, 1) ** `power` (see `emotion.voice.novelty`)."""
    per_row = temperature * np.maximum(np.asarray(novelty, dtype=float), 1.0) ** power
    return apply_temperature(probabilities, per_row[..., np.newaxis])


def fit_novelty_temperature(
    probabilities: np.ndarray, labels: np.ndarray, novelty: np.ndarray
) -> tuple[float, float]:
    """(temperature 0.05-20, power 0-5) minimising the negative log-likelihood of `labels`."""
    result = minimize(
        lambda q: negative_log_likelihood(
            apply_novelty_temperature(probabilities, novelty, float(np.exp(q[0])), float(q[1])),
            labels,
        ),
        x0=np.zeros(2),
        bounds=[(np.log(0.05), np.log(20.0)), (0.0, 5.0)],
        method="Powell",
    )
    return float(np.exp(result.x[0])), float(result.x[1])


def reliability_table(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> list:
    """Per confidence bin (top probability in [lo, hi)): count, mean confidence and accuracy."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    rows = []
    for b in range(bins):
        chosen = index == b
        rows.append(
            {
                "low": float(edges[b]),
                "high": float(edges[b + 1]),
                "n": int(chosen.sum()),
                "confidence": float(confidence[chosen].mean()) if chosen.any() else None,
                "accuracy": float(correct[chosen].mean()) if chosen.any() else None,
            }
        )
    return rows


def expected_calibration_error(
    probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS
) -> float:
    """Count-weighted mean |accuracy - confidence| over equal-width confidence bins."""
    rows = reliability_table(probabilities, labels, bins)
    total = sum(row["n"] for row in rows)
    return float(
        sum(row["n"] * abs(row["accuracy"] - row["confidence"]) for row in rows if row["n"])
        / max(total, 1)
    )


def confidence_gap(probabilities: np.ndarray, labels: np.ndarray) -> dict[str, float | None]:
    """Mean top probability when right and when wrong, and their difference: what the
    confidence shown to a user tells about being right."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    right = float(confidence[correct].mean()) if correct.any() else None
    wrong = float(confidence[~correct].mean()) if (~correct).any() else None
    gap = right - wrong if right is not None and wrong is not None else None
    return {"right": right, "wrong": wrong, "gap": gap}
