"""Resumable Keras training shared by the face and voice models.

One recipe: AdamW with cosine decay, label smoothing 0.1, the best epoch kept by validation
macro-F1, and a backup every epoch so that a killed run resumes where it stopped.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.labels import EMOTIONS


def one_hot(labels: np.ndarray) -> np.ndarray:
    """(n, 7) float32 indicator rows."""
    return np.eye(len(EMOTIONS), dtype=np.float32)[labels]


def fit_resumable(
    model: Any,
    batches: Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]],
    steps: int,
    validation: tuple[np.ndarray, np.ndarray],
    epochs: int,
    learning_rate: float,
    work_dir: Path,
) -> Any:
    """Train `model` on (x, one-hot y, weight) `batches` and return its best epoch on
    validation macro-F1.

    `work_dir` holds one run: after an interruption the next run resumes this model from its
    last finished epoch, or loads it if it had finished; callers clear it once a run completes.
    """
    k = keras()
    schedule = k.optimizers.schedules.CosineDecay(learning_rate, decay_steps=epochs * steps)
    model.compile(
        optimizer=k.optimizers.AdamW(schedule, weight_decay=1e-4),
        loss=k.losses.CategoricalCrossentropy(label_smoothing=0.1),
        metrics=["accuracy", k.metrics.F1Score(average="macro", name="macro_f1")],
    )
    work_dir.mkdir(parents=True, exist_ok=True)
    backup, best = work_dir / f"{model.name}.backup", work_dir / f"{model.name}.best.keras"
    if best.exists() and not backup.exists():
        print(f"{model.name} finished in an interrupted run: loading {best}", file=sys.stderr)
        return k.models.load_model(best)
    threshold = None
    if backup.exists() and best.exists():
        print(f"Resuming {model.name} from {backup}", file=sys.stderr)
        scores = k.models.load_model(best).evaluate(*validation, verbose=0, return_dict=True)
        threshold = scores["macro_f1"]
    else:
        best.unlink(missing_ok=True)
    model.fit(
        batches,
        steps_per_epoch=steps,
        epochs=epochs,
        validation_data=validation,
        callbacks=[
            k.callbacks.BackupAndRestore(str(backup), double_checkpoint=True),
            k.callbacks.ModelCheckpoint(
                str(best),
                monitor="val_macro_f1",
                mode="max",
                save_best_only=True,
                initial_value_threshold=threshold,
            ),
        ],
        verbose=2,
    )
    return k.models.load_model(best)


def predicted_labels(model: Any, inputs: dict[str, np.ndarray]) -> list[str]:
    """The top emotion for each example (the model is fed the inputs it names)."""
    chosen = [inputs[tensor.name] for tensor in model.inputs]
    probabilities = model.predict(chosen[0] if len(chosen) == 1 else chosen, verbose=0)
    return [EMOTIONS[i] for i in probabilities.argmax(axis=1)]
