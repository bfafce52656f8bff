"""`python -m emotion evaluate face --lodo`: leave one face dataset out.

Each domain in turn is scored by a CNN trained on the others (their subjects outside the
validation split; never on it), through the app's detector and crop: accuracy, macro-F1,
per-class recall, and the calibration error (ECE). FER2013's fold starts from scratch; the
others start from the network trained on FER2013 train alone (the base model), as the served
model does, and are served as it is (averaged with the base network when the recipe says so;
FER2013's fold never, since the base network learnt FER2013). The mean over domains is the
headline the face recipe is chosen on; FER2013 val is reported beside it. Folds are kept in the
work dir as they finish (the trained network too), so an interrupted run resumes with the next
fold.

Calibration is for faces from sources never trained on, as a user's camera is: each domain's
probabilities are calibrated by a temperature fitted on the other domains' left-out
probabilities (each scored by a network that never saw it), every domain weighing the same
whatever its size. A temperature fitted on the training domains' own validation subjects (its
ECE kept beside as `ece_val_subjects`) was too sure on the left-out ones. The temperature fitted
on every domain is the one the served model uses (`calibration`).
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.calibration import (
    apply_temperature,
    confidence_gap,
    expected_calibration_error,
    fit_temperature,
)
from emotion.datasets import DatasetError
from emotion.face.architectures import with_flip_average
from emotion.face.domain_training import (
    DomainTrainSettings,
    recipe_name,
    served_network,
    train_on_domains,
)
from emotion.face.domains import DomainFaces
from emotion.labels import EMOTIONS
from emotion.metrics import classification_report
from emotion.whole_files import replacing, save_array, save_text


def face_probabilities(model: Any, pixels: np.ndarray) -> np.ndarray:
    """The model's probabilities (n, 7) for uint8 faces, the face and its mirror averaged."""
    if not len(pixels):
        return np.zeros((0, len(EMOTIONS)), np.float32)
    flipped = model if model.name.endswith("_flip") else with_flip_average(model)
    return flipped.predict(pixels / np.float32(255), batch_size=256, verbose=0)


def domain_scores(
    probabilities: np.ndarray, labels: np.ndarray, found: np.ndarray
) -> dict[str, Any]:
    """A domain's report: accuracy, macro-F1 and per-class recall over every image (no face
    found: a miss), ECE and confidence gap over the faces found."""
    predicted: list[str | None] = [None] * len(labels)
    for i, row in zip(np.flatnonzero(found), probabilities, strict=True):
        predicted[i] = EMOTIONS[int(row.argmax())]
    report = classification_report([EMOTIONS[i] for i in labels], predicted)
    hit = labels[found]
    return {
        **report,
        "ece": expected_calibration_error(probabilities, hit) if len(hit) else None,
        "confidence": confidence_gap(probabilities, hit) if len(hit) else None,
    }


def score_domain(
    model: Any, faces: DomainFaces, rows: np.ndarray, temperature: float
) -> dict[str, Any]:
    """`domain_scores` of `model` on `rows`, probabilities calibrated by `temperature`."""
    chosen = faces.select(rows)
    probabilities = face_probabilities(model, chosen.pixels[chosen.found])
    calibrated = apply_temperature(probabilities, temperature)
    return domain_scores(calibrated, chosen.labels, chosen.found)


def fitted_temperature(model: Any, faces: DomainFaces, rows: np.ndarray) -> float:
    """The temperature that calibrates `model` on the faces found among `rows`."""
    rows = rows & faces.found
    return fit_temperature(face_probabilities(model, faces.pixels[rows]), faces.labels[rows])


def fold(
    faces: DomainFaces,
    left_out: str,
    settings: DomainTrainSettings,
    base_model: Path,
    work_dir: Path,
) -> dict[str, Any]:
    """Train without `left_out` and score it. The trained network is kept in `work_dir` (a
    recipe that differs only in how it is served reuses it) and so is the result, with the
    uncalibrated probabilities for the faces found in `left_out`."""
    served = recipe_name(settings)
    done = work_dir / f"{left_out}.{served}.json"
    if done.is_file() and probabilities_file(work_dir, settings, left_out).is_file():
        return json.loads(done.read_text())
    others = ~faces.of(left_out) & faces.found
    val = others & (faces.splits == "val")
    init = None if left_out == "fer2013" else base_model
    trained = work_dir / f"{left_out}.keras"
    if trained.is_file():
        network = keras().models.load_model(trained)
    else:
        print(f"Fold {left_out}: training on {int(np.sum(others))} faces", file=sys.stderr)
        network = train_on_domains(
            faces, others & (faces.splits != "val"), val, settings, init, work_dir / left_out
        )
        with replacing(trained) as partial:
            network.save(partial)
        shutil.rmtree(work_dir / left_out, ignore_errors=True)
    base = keras().models.load_model(base_model)
    model = network if init is None else served_network(network, base, settings)
    temperature = fitted_temperature(model, faces, val)
    result = {
        "started_from": "scratch" if init is None else "base model (FER2013 train only)",
        "temperature": temperature,
        **score_domain(model, faces, faces.of(left_out), temperature),
    }
    left = faces.of(left_out) & faces.found
    save_array(
        probabilities_file(work_dir, settings, left_out),
        face_probabilities(model, faces.pixels[left]),
    )
    save_text(done, json.dumps(result))
    return result


def probabilities_file(work_dir: Path, settings: DomainTrainSettings, left_out: str) -> Path:
    """Where a fold keeps its uncalibrated probabilities for the faces found in `left_out`."""
    return work_dir / f"{left_out}.{recipe_name(settings)}.npy"


def equal_domain_temperature(
    probabilities: dict[str, np.ndarray], labels: dict[str, np.ndarray]
) -> float:
    """The temperature fitted on every domain's faces, each domain weighing the same."""
    weights = [np.full(len(y), 1.0 / max(len(y), 1)) for y in labels.values()]
    return fit_temperature(
        np.concatenate(list(probabilities.values())),
        np.concatenate(list(labels.values())),
        np.concatenate(weights),
    )


def unseen_calibration(
    faces: DomainFaces,
    folds: dict[str, dict[str, Any]],
    settings: DomainTrainSettings,
    work_dir: Path,
) -> dict[str, Any]:
    """Calibration for faces from a source never trained on: per domain, the temperature fitted
    on the other domains' left-out probabilities and the ECE and confidence gap it gives there;
    and the temperature fitted on every domain (the one to serve). Only the folds whose network
    is made as the served one is (from the base network) are fitted on, where there are any:
    FER2013's, trained from scratch on the few faces of the other datasets, is far less often
    right and as sure, unlike the served model."""
    domains = list(folds)
    probabilities = {
        name: np.load(probabilities_file(work_dir, settings, name)) for name in domains
    }
    labels = {name: faces.labels[faces.of(name) & faces.found] for name in domains}
    like_served = [name for name in domains if folds[name]["started_from"] != "scratch"]

    def fitted(names: list[str]) -> float:
        return equal_domain_temperature(
            {n: probabilities[n] for n in names}, {n: labels[n] for n in names}
        )

    per_domain = {}
    for name in domains:
        others = [o for o in like_served if o != name] or [o for o in domains if o != name]
        temperature = fitted(others)
        calibrated = apply_temperature(probabilities[name], temperature)
        per_domain[name] = {
            "temperature": temperature,
            "ece": expected_calibration_error(calibrated, labels[name]),
            "confidence": confidence_gap(calibrated, labels[name]),
        }
    return {
        "data": "faces from datasets each never trained on (leave one dataset out; the folds "
        "that start from the base network, as the served model does), every dataset weighing "
        "the same",
        "temperature": fitted(like_served or domains),
        "domains": per_domain,
    }


def base_reference(faces: DomainFaces, base_model: Path) -> dict[str, Any]:
    """What the base model (FER2013 train alone) scores on each dataset, for comparison: every
    other dataset whole (never trained on), FER2013 on its val split; calibrated on FER2013
    val."""
    model = keras().models.load_model(base_model)
    fer_val = faces.of("fer2013", "val")
    temperature = fitted_temperature(model, faces, fer_val) if fer_val.any() else 1.0
    table = {
        name: score_domain(
            model, faces, fer_val if name == "fer2013" else faces.of(name), temperature
        )
        for name in faces.present
    }
    return {"trained_on": "FER2013 train only", "domains": table, **summary(table)}


def summary(table: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Mean accuracy, macro-F1 and ECE over the domains, and the lowest accuracy."""
    return {
        "mean_accuracy": float(np.mean([row["accuracy"] for row in table.values()])),
        "mean_macro_f1": float(np.mean([row["macro_f1"] for row in table.values()])),
        "lowest_accuracy": float(min(row["accuracy"] for row in table.values())),
        "highest_ece": float(max(row["ece"] for row in table.values())),
    }


def lodo(
    faces: DomainFaces, settings: DomainTrainSettings, base_model: Path, work_dir: Path
) -> dict[str, Any]:
    """The leave-one-domain-out table of the recipe `settings`, and its summary."""
    work_dir.mkdir(parents=True, exist_ok=True)
    present = faces.present
    if len(present) < 2:
        raise DatasetError("leaving a face dataset out needs at least two of them")
    folds = {name: fold(faces, name, settings, base_model, work_dir) for name in present}
    calibration = unseen_calibration(faces, folds, settings, work_dir)
    table = {
        name: {
            **row,
            **calibration["domains"][name],
            "temperature_val_subjects": row["temperature"],
            "ece_val_subjects": row["ece"],
        }
        for name, row in folds.items()
    }
    return {
        "settings": asdict(settings),
        "domains": table,
        "calibration": calibration,
        **summary(table),
        "base_model": base_reference(faces, base_model),
    }


def format_lodo(result: dict[str, Any], title: str) -> str:
    """The table a person reads: one line per left-out domain, then the means."""
    lines = [
        title,
        f"{'left out':<20}{'n':>6}{'missed':>8}{'accuracy':>10}{'macro-F1':>10}{'ECE':>7}"
        "  recall per class (" + " ".join(e[:3] for e in EMOTIONS) + ")",
    ]
    for name, row in result["domains"].items():
        recalls = " ".join(
            "  - " if r is None else f"{r:.2f}" for r in row["per_class_recall"].values()
        )
        lines.append(
            f"{name:<20}{row['n']:>6}{row['missed']:>8}{row['accuracy']:>10.3f}"
            f"{row['macro_f1']:>10.3f}{row['ece']:>7.3f}  {recalls}"
        )
    lines.append(
        f"{'mean':<34}{result['mean_accuracy']:>10.3f}{result['mean_macro_f1']:>10.3f}"
        f"   lowest accuracy {result['lowest_accuracy']:.3f}, highest ECE "
        f"{result['highest_ece']:.3f}"
    )
    if "calibration" in result:
        lines.append(
            "ECE with the temperature fitted on the other datasets' left-out faces; the one "
            f"served, fitted on all of them: {result['calibration']['temperature']:.3f}"
        )
    if "base_model" in result:
        lines += [
            "",
            format_lodo(result["base_model"], "base model (FER2013 train only; FER2013: val)"),
        ]
    return "\n".join(lines)
