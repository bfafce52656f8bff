"""`python -m emotion train face`: FER2013 -> arrays -> dense baseline and CNN -> files.

Writes models/face.keras (the model selected on val), models/face.tflite (what the app serves)
and models/face.metrics.json (data, split, val scores of every candidate, the choice, LiteRT
agreement, training time, commit).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from emotion.datasets import DatasetError, detect_dataset, load_records
from emotion.face.architectures import with_flip_average
from emotion.face.dataset import CACHE_DIR, face_arrays
from emotion.face.training import FaceTrainSettings, class_weights, split_faces, train_face_models
from emotion.fitting import TrainingClock, predicted_labels
from emotion.labels import EMOTIONS
from emotion.litert import export_litert, litert_agreement, round_weights_to_int8
from emotion.metrics import classification_report
from emotion.model_files import model_files
from emotion.paths import display_path
from emotion.provenance import git_commit, utc_now

CANDIDATES = ("ann", "cnn", "cnn_flip")


def train_face(
    data_dir: Path,
    out_dir: Path,
    work_dir: Path,
    settings: FaceTrainSettings,
    cache_dir: Path = CACHE_DIR,
) -> dict[str, Any]:
    """Train, select, export and describe the face model; returns the metrics written."""
    clock = TrainingClock(work_dir)
    name = detect_dataset(data_dir, "image")
    records = load_records(name, data_dir)
    if not {"train", "val"} <= {record.split for record in records}:
        raise DatasetError(f"{data_dir} needs train/ and val/ splits (FER2013 layout)")
    arrays = face_arrays(records, cache_dir)
    kept = len(arrays.labels)
    print(f"{name}: {len(records)} images, {kept} after deduplication", file=sys.stderr)
    models = train_face_models(arrays, settings, work_dir, clock)
    for model in models.values():
        round_weights_to_int8(model)
    models["cnn_flip"] = with_flip_average(models["cnn"])
    faces, labels = split_faces(arrays, "val")
    truth = [EMOTIONS[i] for i in labels]
    scores = {
        candidate: {
            "parameters": int(models[candidate].count_params()),
            "val": classification_report(
                truth, predicted_labels(models[candidate], {"face": faces})
            ),
        }
        for candidate in CANDIDATES
    }
    for candidate, score in scores.items():
        print(f"{candidate}: val accuracy {score['val']['accuracy']:.4f}", file=sys.stderr)
    chosen = max(CANDIDATES, key=lambda candidate: scores[candidate]["val"]["macro_f1"])
    files = model_files("face", out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    models[chosen].save(files.keras)
    export_litert(models[chosen], files.litert, quantize=True)
    report = scores[chosen]["val"]
    train = arrays.splits == "train"
    metrics = {
        "model": "face",
        "chosen": chosen,
        "selection": "highest macro-F1 on val (FER2013 PublicTest)",
        **{key: report[key] for key in ("accuracy", "macro_f1", "n", "per_class_recall")},
        "confusion": report["confusion"],
        "evaluated_on": "val (FER2013 PublicTest), the split used for selection; "
        "PrivateTest is held out by the project's reviewers",
        "data": {
            "dataset": name,
            "path": display_path(data_dir),
            "images": len(records),
            "train_after_deduplication": int(train.sum()),
            "val": int((arrays.splits == "val").sum()),
        },
        "split": "the dataset's own: train for training, val for selection and this report",
        "imbalance": {
            "method": f"class weights (n / (7 * count)) ** {settings.imbalance_power}",
            "weights": dict(
                zip(
                    EMOTIONS,
                    np.round(
                        class_weights(arrays.labels[train], settings.imbalance_power), 3
                    ).tolist(),
                    strict=True,
                )
            ),
        },
        "settings": asdict(settings),
        "models": scores,
        "litert_quantization": "dynamic range: int8 weights (rounded in the Keras model too, "
        "before scoring), activations quantized per call",
        "litert_val_agreement": litert_agreement(models[chosen], files.litert, {"face": faces}),
        "training_seconds": round(clock.seconds()),
        "created": utc_now(),
        "commit": git_commit(),
    }
    files.metrics.write_text(json.dumps(metrics, indent=1) + "\n")
    return metrics
