"""Training the voice models on a speaker-independent split, resumable from checkpoints.

Both models (dense net on summaries, CNN on log-mel patches) and their average are trained or
formed, selected on validation speakers, and scored on test speakers they never heard.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.fitting import TrainingClock, fit_resumable, one_hot, predicted_labels
from emotion.labels import EMOTIONS
from emotion.metrics import classification_report
from emotion.voice.architectures import build_ann, build_cnn, build_ensemble
from emotion.voice.augment import mask_patch
from emotion.voice.corpus import VoiceCorpus

MODEL_NAMES = ("ann", "cnn", "ensemble")


@dataclass(frozen=True)
class TrainSettings:
    """How long and how the models train; `augment` False trains on the clean variant only
    (no speed, microphone, noise or masking), to measure what augmentation buys."""

    cnn_epochs: int = 40
    ann_epochs: int = 120
    batch_size: int = 64
    learning_rate: float = 2e-3
    augment: bool = True
    seed: int = 7


def balanced_weights(labels: np.ndarray, datasets: np.ndarray) -> np.ndarray:
    """Per-clip weights (mean 1) giving every dataset, and every class within it, equal weight.

    Without them the one-speaker TESS set (1,400 training clips) would outweigh the 15
    RAVDESS training actors.
    """
    keys = np.char.add(np.char.add(datasets.astype(str), "/"), labels.astype(str))
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    weights = 1.0 / counts[inverse]
    for dataset in np.unique(datasets):
        chosen = datasets == dataset
        weights[chosen] /= weights[chosen].sum()
    return weights * len(weights) / weights.sum()


def training_batches(
    corpus: VoiceCorpus, input_name: str, settings: TrainSettings
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Endless shuffled batches of training clips, each in a random variant (masked patches).

    With augmentation off, every clip is its clean variant and patches are not masked.
    """
    rng = np.random.default_rng(settings.seed)
    train = np.flatnonzero(corpus.splits == "train")
    weights = balanced_weights(corpus.labels[train], corpus.datasets[train])
    source = corpus.patches if input_name == "patch" else corpus.summaries
    variants = source.shape[0] if settings.augment else 1
    while True:
        order = rng.permutation(len(train))
        for start in range(0, max(len(order) - settings.batch_size, 0) + 1, settings.batch_size):
            batch = order[start : start + settings.batch_size]
            chosen = rng.integers(0, variants, len(batch))
            x = source[chosen, train[batch]].astype(np.float32)
            if input_name == "patch" and settings.augment:
                x = np.stack([mask_patch(patch, rng) for patch in x])
            yield x, one_hot(corpus.labels[train[batch]]), weights[batch]


def split_inputs(corpus: VoiceCorpus, split: str, variant: int = 0) -> dict[str, np.ndarray]:
    """Both inputs of the clips of `split`, in one variant (0: clean)."""
    chosen = corpus.splits == split
    return {
        "patch": corpus.patches[variant, chosen].astype(np.float32),
        "summary": corpus.summaries[variant, chosen],
    }


def fit(
    model: Any,
    input_name: str,
    corpus: VoiceCorpus,
    epochs: int,
    settings: TrainSettings,
    work_dir: Path,
    clock: TrainingClock,
) -> Any:
    """Train one voice model on its input, resumable from `work_dir` (see `fit_resumable`)."""
    keras().utils.set_random_seed(settings.seed)
    val = split_inputs(corpus, "val")[input_name]
    return fit_resumable(
        model,
        training_batches(corpus, input_name, settings),
        max(1, int(np.sum(corpus.splits == "train")) // settings.batch_size),
        (val, one_hot(corpus.labels[corpus.splits == "val"])),
        epochs,
        settings.learning_rate,
        work_dir,
        clock,
    )


def test_reports(model: Any, corpus: VoiceCorpus) -> dict[str, dict]:
    """Test-speaker reports: pooled, per dataset, and pooled over the augmented variants."""
    chosen = corpus.splits == "test"
    truth = [EMOTIONS[i] for i in corpus.labels[chosen]]
    predicted = predicted_labels(model, split_inputs(corpus, "test"))
    reports = {"pooled": classification_report(truth, predicted)}
    for dataset in np.unique(corpus.datasets[chosen]):
        mine = corpus.datasets[chosen] == dataset
        reports[str(dataset)] = classification_report(
            [t for t, m in zip(truth, mine, strict=True) if m],
            [p for p, m in zip(predicted, mine, strict=True) if m],
        )
    variants = range(1, corpus.patches.shape[0])
    if variants:
        noisy = [
            label
            for variant in variants
            for label in predicted_labels(model, split_inputs(corpus, "test", variant))
        ]
        reports["augmented"] = classification_report(truth * len(variants), noisy)
    return reports


def train_models(
    corpus: VoiceCorpus, settings: TrainSettings, work_dir: Path, clock: TrainingClock
) -> dict[str, Any]:
    """The trained dense net and CNN, and their ensemble."""
    work_dir.mkdir(parents=True, exist_ok=True)
    train = corpus.splits == "train"
    ann = fit(
        build_ann(corpus.summaries[0, train]),
        "summary",
        corpus,
        settings.ann_epochs,
        settings,
        work_dir,
        clock,
    )
    cnn = fit(
        build_cnn(corpus.patches.shape[2:]),
        "patch",
        corpus,
        settings.cnn_epochs,
        settings,
        work_dir,
        clock,
    )
    return {"ann": ann, "cnn": cnn, "ensemble": build_ensemble(ann, cnn)}
