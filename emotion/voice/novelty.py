"""How unlike the training recordings a clip is, so that the single-clip voice model can be less
sure of recordings unlike anything it learned from (another microphone, a phone's codec, a room).

Left out in turn, the corpora recorded on phones and in other conditions (EmoSpeech, TurEV) lie
about twice as far from the others as the rest do, and there the single-clip model was least
often right yet most confident. Speaker normalisation removes that distance, so the
speaker-adaptive mode does not need this.

A clip's features are standardised and projected on the training clips' first `COMPONENTS`
principal axes, each scaled to unit variance; its novelty is its RMS distance there divided by
the median training clip's (1: typical, 2: twice as far as typical). Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from emotion.whole_files import save_arrays

COMPONENTS = 50


@dataclass(frozen=True)
class NoveltyReference:
    """The training clips' standardisation, principal axes (k, d), spread along each axis and
    median distance."""

    mean: np.ndarray
    scale: np.ndarray
    axes: np.ndarray
    spread: np.ndarray
    typical: float


def _distances(reference: NoveltyReference, features: np.ndarray, typical: float) -> np.ndarray:
    standard = (features - reference.mean) / reference.scale
    projected = standard @ reference.axes.T / reference.spread
    return np.sqrt(np.mean(projected**2, axis=-1)) / typical


def fit_novelty(features: np.ndarray, components: int = COMPONENTS) -> NoveltyReference:
    """The reference of (n, d) training features."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-6
    standard = (features - mean) / scale
    _, singular, axes = np.linalg.svd(standard - standard.mean(axis=0), full_matrices=False)
    k = min(components, len(singular))
    spread = np.maximum(singular[:k] / np.sqrt(len(features)), 1e-6)
    unscaled = NoveltyReference(mean, scale, axes[:k], spread, 1.0)
    typical = float(np.median(_distances(unscaled, features, 1.0)))
    return NoveltyReference(mean, scale, axes[:k], spread, typical)


def novelty(reference: NoveltyReference, features: np.ndarray) -> np.ndarray:
    """Novelty of each row of `features` (or of one vector), 1 for a typical training clip."""
    return _distances(reference, features, reference.typical)


def save_reference(reference: NoveltyReference, path: Path) -> None:
    """Write the reference as float32 arrays (.npz)."""
    save_arrays(
        path,
        mean=reference.mean.astype(np.float32),
        scale=reference.scale.astype(np.float32),
        axes=reference.axes.astype(np.float32),
        spread=reference.spread.astype(np.float32),
        typical=np.float32(reference.typical),
    )


def load_reference(path: Path) -> NoveltyReference:
    """The reference `save_reference` wrote."""
    with np.load(path) as stored:
        return NoveltyReference(
            stored["mean"],
            stored["scale"],
            stored["axes"],
            stored["spread"],
            float(stored["typical"]),
        )
