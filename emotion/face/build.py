"""`python -m emotion train face`: FER2013 -> arrays -> dense baseline and CNN -> files;
`train face --domains`: every face dataset -> the CNN the app serves -> files; and
`python -m emotion export face`: the same files from a CNN trained elsewhere.

Writes models/face.keras (the model selected on val), models/face.tflite (what the app serves)
and models/face.metrics.json (data, split, val scores of every candidate, the choice, LiteRT
agreement, training time, commit); `train` also appends what the run reached, epoch by epoch,
to the folder's run log (see `run_log`).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.datasets import DatasetError
from emotion.face.architectures import unwrap_flip, with_flip_average
from emotion.face.calibration import served_calibration
from emotion.face.dataset import CACHE_DIR, FaceArrays, face_data
from emotion.face.domain_training import (
    DomainTrainSettings,
    recipe_name,
    served_network,
    train_on_domains,
)
from emotion.face.domains import load_domains
from emotion.face.lodo import face_probabilities, score_domain
from emotion.face.training import FaceTrainSettings, class_weights, split_faces, train_face_models
from emotion.fitting import TrainingClock, epoch_log, predicted_labels
from emotion.labels import EMOTIONS
from emotion.litert import export_litert, litert_agreement, round_weights_to_int8
from emotion.metrics import classification_report
from emotion.model_files import model_files
from emotion.paths import display_path
from emotion.provenance import git_commit, utc_now
from emotion.run_log import log_run


def train_face(
    data_dir: Path,
    out_dir: Path,
    work_dir: Path,
    settings: FaceTrainSettings,
    cache_dir: Path = CACHE_DIR,
) -> dict[str, Any]:
    """Train, select, export and describe the face model; returns the metrics written."""
    clock = TrainingClock(work_dir)
    name, images, arrays = face_data(data_dir, cache_dir)
    models = train_face_models(arrays, settings, work_dir, clock)
    training = {"settings": asdict(settings), "training_seconds": round(clock.seconds())}
    epochs = {candidate: epoch_log(work_dir, model.name) for candidate, model in models.items()}
    metrics = write_face_model(models, arrays, (name, data_dir, images), out_dir, training)
    record = {
        "command": "train face",
        "model": display_path(model_files("face", out_dir).keras),
        "chosen": metrics["chosen"],
        "val": {key: metrics[key] for key in ("accuracy", "macro_f1")},
        **training,
        "keras_backend": keras().backend.backend(),
        "epochs": epochs,
    }
    log_run(out_dir, record)
    return metrics


def export_face(
    model_path: Path, data_dir: Path, out_dir: Path, cache_dir: Path = CACHE_DIR
) -> dict[str, Any]:
    """The served files and metrics of a face CNN trained elsewhere (`python -m
    emotion.face.portable student`, on a GPU machine), its training described by the JSON
    beside it."""
    name, images, arrays = face_data(data_dir, cache_dir)
    cnn = unwrap_flip(keras().models.load_model(model_path))
    described = model_path.with_suffix(".json")
    elsewhere = json.loads(described.read_text()) if described.is_file() else {}
    training = {
        "settings": elsewhere.get("settings"),
        "training_seconds": elsewhere.get("training_seconds"),
        "trained_elsewhere": {
            "model": model_path.name,
            **{k: v for k, v in elsewhere.items() if k not in ("settings", "training_seconds")},
        },
    }
    return write_face_model({"cnn": cnn}, arrays, (name, data_dir, images), out_dir, training)


def write_face_model(
    models: dict[str, Any],
    arrays: FaceArrays,
    source: tuple[str, Path, int],
    out_dir: Path,
    training: dict[str, Any],
) -> dict[str, Any]:
    """Round to int8, add the mirror-averaged CNN, select on val, export and describe; returns
    the metrics written. `source` is the dataset's name, folder and image count; `training`
    holds the settings and seconds (and where it ran, for a model trained elsewhere)."""
    name, data_dir, images = source
    for model in models.values():
        round_weights_to_int8(model)
    models["cnn_flip"] = with_flip_average(models["cnn"])
    faces, labels = split_faces(arrays, "val")
    truth = [EMOTIONS[i] for i in labels]
    scores = {
        candidate: {
            "parameters": int(model.count_params()),
            "val": classification_report(truth, predicted_labels(model, {"face": faces})),
        }
        for candidate, model in models.items()
    }
    for candidate, score in scores.items():
        print(f"{candidate}: val accuracy {score['val']['accuracy']:.4f}", file=sys.stderr)
    chosen = max(scores, key=lambda candidate: scores[candidate]["val"]["macro_f1"])
    settings = training["settings"] or {}
    power = settings.get("imbalance_power", FaceTrainSettings.imbalance_power)
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
            "images": images,
            "train_after_deduplication": int(train.sum()),
            "val": int((arrays.splits == "val").sum()),
        },
        "split": "the dataset's own: train for training, val for selection and this report",
        "imbalance": {
            "method": f"class weights (n / (7 * count)) ** {power}",
            "weights": dict(
                zip(
                    EMOTIONS,
                    np.round(class_weights(arrays.labels[train], power), 3).tolist(),
                    strict=True,
                )
            ),
        },
        **training,
        "models": scores,
        "litert_quantization": "dynamic range: int8 weights (rounded in the Keras model too, "
        "before scoring), activations quantized per call",
        "litert_val_agreement": litert_agreement(models[chosen], files.litert, {"face": faces}),
        "created": utc_now(),
        "commit": git_commit(),
    }
    files.metrics.write_text(json.dumps(metrics, indent=1) + "\n")
    return metrics


SCORE_KEYS = ("n", "accuracy", "macro_f1", "per_class_recall", "confusion")
"""What the metrics file keeps of each evaluation."""


def train_face_domains(
    root: Path,
    out_dir: Path,
    work_dir: Path,
    settings: DomainTrainSettings,
    cache_dir: Path = CACHE_DIR,
) -> dict[str, Any]:
    """Train the CNN on every face domain under `root` (from the base model, the network
    trained on FER2013 train alone), serve it as the recipe says (averaged with the base model
    at `settings.base_weight`), calibrate it on every domain's validation subjects, export
    and describe it; returns the metrics written (a leave-one-dataset-out table already in the
    metrics file is kept: it describes the recipe, not one run)."""
    clock = TrainingClock(work_dir)
    faces = load_domains(root, cache_dir=cache_dir)
    present = faces.present
    if "fer2013" not in present:
        raise DatasetError(f"train face --domains needs FER2013 under {root}")
    files = model_files("face", out_dir)
    val = faces.found & (faces.splits == "val")
    model = train_on_domains(
        faces, faces.found & (faces.splits != "val"), val, settings, files.base, work_dir
    )
    round_weights_to_int8(model)
    base = keras().models.load_model(files.base)
    served = with_flip_average(served_network(model, base, settings))
    earlier = json.loads(files.metrics.read_text()) if files.metrics.is_file() else {}
    unseen = earlier.get("lodo", {}).get(recipe_name(settings), {}).get("calibration")
    calibration = served_calibration(
        face_probabilities(served, faces.pixels[val]), faces.labels[val], unseen
    )
    temperature = calibration["temperature"]
    per_domain = {
        name: score_domain(served, faces, faces.of(name, "val"), temperature) for name in present
    }
    fer_val = per_domain["fer2013"]
    fer_faces = faces.pixels[faces.of("fer2013", "val")] / np.float32(255)
    out_dir.mkdir(parents=True, exist_ok=True)
    served.save(files.keras)
    export_litert(served, files.litert, quantize=True)
    metrics = {
        "model": "face",
        "chosen": served.name,
        "selection": "the epoch with the highest macro-F1 on the validation subjects of every "
        "face dataset; the recipe chosen on the leave-one-dataset-out mean (`lodo`)",
        **{key: fer_val[key] for key in ("accuracy", "macro_f1", "n", "per_class_recall")},
        "confusion": fer_val["confusion"],
        "evaluated_on": "val (FER2013 PublicTest), faces never trained on; `lodo` holds the "
        "scores on whole datasets never trained on",
        "data": {
            name: {
                "images": int(np.sum(faces.of(name))),
                "faces_found": int(np.sum(faces.of(name) & faces.found)),
                "trained_on": int(np.sum(faces.of(name) & faces.found & (faces.splits != "val"))),
                "val": int(np.sum(faces.of(name, "val") & faces.found)),
            }
            for name in present
        },
        "split": "FER2013's own train/val; the other datasets by subject (val subjects for "
        "selection and calibration, every other subject for training)",
        "settings": {**asdict(settings), "init_from": display_path(files.base)},
        "training_seconds": round(clock.seconds()),
        "models": {
            served.name: {
                "parameters": int(served.count_params()),
                "val": {key: fer_val[key] for key in SCORE_KEYS},
                "val of each dataset": {
                    name: {key: row[key] for key in SCORE_KEYS} for name, row in per_domain.items()
                },
            }
        },
        "domains_val": per_domain,
        "calibration": calibration,
        "litert_quantization": "dynamic range: int8 weights (rounded in the Keras model too, "
        "before scoring), activations quantized per call",
        "litert_val_agreement": litert_agreement(served, files.litert, {"face": fer_faces}),
        "lodo": earlier.get("lodo", {}),
        "created": utc_now(),
        "commit": git_commit(),
    }
    files.metrics.write_text(json.dumps(metrics, indent=1) + "\n")
    log_run(
        out_dir,
        {
            "command": "train face --domains",
            "model": display_path(files.keras),
            "val": {key: fer_val[key] for key in ("accuracy", "macro_f1")},
            "settings": asdict(settings),
            "training_seconds": metrics["training_seconds"],
            "keras_backend": keras().backend.backend(),
            "epochs": epoch_log(work_dir, model.name),
        },
    )
    return metrics
