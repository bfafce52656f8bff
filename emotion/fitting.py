"""Resumable Keras training shared by the face and voice models.

One recipe: AdamW with cosine decay, label smoothing 0.1, the best epoch kept by validation
macro-F1, and a backup every epoch so that a killed run resumes where it stopped. Each epoch's
scores are appended to a CSV in the work dir (`epoch_log` reads them back). The cosine
runs over a number of epochs, or over a wall-clock budget when the speed of the machine is not
known in advance (a lent GPU machine for a fixed time).
"""

from __future__ import annotations

import csv
import math
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.labels import EMOTIONS


class TrainingClock:
    """Wall-clock seconds one training job has taken, summed over interrupted and resumed runs.

    The total is kept in the job's work dir, saved after every epoch, so a resumed run reports
    the whole job and not just its own part.
    """

    def __init__(self, work_dir: Path) -> None:
        self._file = work_dir / "training_seconds"
        self._before = float(self._file.read_text()) if self._file.exists() else 0.0
        self._started = time.monotonic()

    def seconds(self) -> float:
        """Seconds so far, earlier runs included."""
        return self._before + time.monotonic() - self._started

    def save(self) -> None:
        """Record the total so far in the work dir."""
        self._file.parent.mkdir(parents=True, exist_ok=True)
        self._file.write_text(f"{self.seconds():.1f}")


def one_hot(labels: np.ndarray) -> np.ndarray:
    """(n, 7) float32 indicator rows."""
    return np.eye(len(EMOTIONS), dtype=np.float32)[labels]


def budget_schedule(model: Any, learning_rate: float, seconds: float, budget: TrainingClock) -> Any:
    """A callback that sets each epoch's learning rate on a cosine over `seconds` of training
    (as far as `budget` has counted, earlier runs included) and stops once they are spent."""

    def start(epoch: int, logs: dict | None) -> None:
        spent = min(budget.seconds() / seconds, 1.0)
        model.optimizer.learning_rate = learning_rate * 0.5 * (1 + math.cos(math.pi * spent))

    def end(epoch: int, logs: dict | None) -> None:
        budget.save()
        model.stop_training = budget.seconds() >= seconds

    return keras().callbacks.LambdaCallback(on_epoch_begin=start, on_epoch_end=end)


def fit_resumable(
    model: Any,
    batches: Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]],
    steps: int,
    validation: tuple[np.ndarray, np.ndarray],
    epochs: int,
    learning_rate: float,
    work_dir: Path,
    clock: TrainingClock,
    minutes: float | None = None,
) -> Any:
    """Train `model` on (x, y, weight) `batches` (y one-hot or soft targets) and return its best
    epoch on validation macro-F1.

    With `minutes`, the cosine spans that much training time instead and `epochs` only caps it.
    `work_dir` holds one run: after an interruption the next run resumes this model from its
    last finished epoch, or loads it if it had finished; callers clear it once a run completes.
    """
    k = keras()
    work_dir.mkdir(parents=True, exist_ok=True)
    callbacks = []
    if minutes is None:
        schedule = k.optimizers.schedules.CosineDecay(learning_rate, decay_steps=epochs * steps)
    else:
        schedule = learning_rate
        budget = TrainingClock(work_dir / f"{model.name}.budget")
        callbacks.append(budget_schedule(model, learning_rate, minutes * 60, budget))
    model.compile(
        optimizer=k.optimizers.AdamW(schedule, weight_decay=1e-4),
        loss=k.losses.CategoricalCrossentropy(label_smoothing=0.1),
        metrics=["accuracy", k.metrics.F1Score(average="macro", name="macro_f1")],
    )
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
        epochs_csv(work_dir, model.name).unlink(missing_ok=True)
    model.fit(
        batches,
        steps_per_epoch=steps,
        epochs=epochs,
        validation_data=validation,
        callbacks=[
            *callbacks,
            k.callbacks.BackupAndRestore(str(backup), double_checkpoint=True),
            k.callbacks.CSVLogger(str(epochs_csv(work_dir, model.name)), append=True),
            k.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: clock.save()),
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


def epochs_csv(work_dir: Path, name: str) -> Path:
    """Where `fit_resumable` logs the epochs of model `name`."""
    return work_dir / f"{name}.epochs.csv"


def epoch_log(work_dir: Path, name: str) -> list[dict[str, float]]:
    """Model `name`'s epochs in `work_dir`, in order: train accuracy, val accuracy and val
    macro-F1 (an epoch logged twice, around an interruption, counts once: the later)."""
    path = epochs_csv(work_dir, name)
    if not path.is_file():
        return []
    epochs: dict[int, dict[str, float]] = {}
    with path.open(newline="") as rows:
        for row in csv.DictReader(rows):
            epochs[int(row["epoch"])] = {
                key: round(float(row[key]), 4)
                for key in ("accuracy", "val_accuracy", "val_macro_f1")
                if row.get(key)
            }
    return [{"epoch": epoch + 1, **epochs[epoch]} for epoch in sorted(epochs)]


def predicted_labels(model: Any, inputs: dict[str, np.ndarray]) -> list[str]:
    """The top emotion for each example (the model is fed the inputs it names)."""
    chosen = [inputs[tensor.name] for tensor in model.inputs]
    probabilities = model.predict(chosen[0] if len(chosen) == 1 else chosen, verbose=0)
    return [EMOTIONS[i] for i in probabilities.argmax(axis=1)]
