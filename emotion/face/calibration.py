"""`python -m emotion calibrate face`: a temperature for the served face model, fitted on
FER2013 val, so that its probabilities mean what they say (the fusion and the app's "unsure"
read them as chances of being right).

The calibration error is reported before and after, the "after" cross-fitted: val is cut in two
halves by image, each half scored with the temperature fitted on the other, so the figure is not
measured on the faces the temperature was fitted to. The served temperature is fitted on all of
val and written into the metrics file next to the model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from emotion.backend import keras
from emotion.calibration import (
    apply_temperature,
    confidence_gap,
    expected_calibration_error,
    fit_temperature,
    reliability_table,
)
from emotion.datasets import detect_dataset, load_records
from emotion.face.analysis import face_model
from emotion.face.domains import DomainFaces
from emotion.face.evaluation import record_gray
from emotion.face.lodo import face_probabilities
from emotion.face.preprocess import face_input
from emotion.labels import EMOTIONS
from emotion.model_files import ModelFiles, model_files
from emotion.paths import display_path
from emotion.splits import select_split


def write_calibration(files: ModelFiles, report: dict[str, Any]) -> None:
    """Make `report` the served face model's calibration, in its metrics file."""
    metrics = json.loads(files.metrics.read_text())
    metrics["calibration"] = report
    files.metrics.write_text(json.dumps(metrics, indent=1) + "\n")


def calibration_report(
    probabilities: np.ndarray, labels: np.ndarray, temperature: float | None = None
) -> dict[str, Any]:
    """The temperature fitted on these faces, and ECE, confidence gap and reliability before
    and after (the "after" figures cross-fitted over two halves); or, given a `temperature`
    fitted elsewhere, the figures with it."""
    if temperature is not None:
        calibrated = apply_temperature(probabilities, temperature)
    else:
        halves = np.arange(len(labels)) % 2
        calibrated = np.empty_like(probabilities)
        for half in (0, 1):
            fitted_on = halves != half
            fitted = fit_temperature(probabilities[fitted_on], labels[fitted_on])
            calibrated[~fitted_on] = apply_temperature(probabilities[~fitted_on], fitted)
    return {
        "temperature": fit_temperature(probabilities, labels)
        if temperature is None
        else temperature,
        "n": len(labels),
        "ece_before": expected_calibration_error(probabilities, labels),
        "ece_after": expected_calibration_error(calibrated, labels),
        "confidence_before": confidence_gap(probabilities, labels),
        "confidence_after": confidence_gap(calibrated, labels),
        "reliability_before": reliability_table(probabilities, labels),
        "reliability_after": reliability_table(calibrated, labels),
    }


def val_probabilities(data_dir: Path, model_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The face model's uncalibrated probabilities (n, 7) for `data_dir`'s val faces (FER2013
    layout, taken as cropped faces), and their label indices."""
    records = select_split(load_records(detect_dataset(data_dir, "image"), data_dir), "val")
    if not records:
        raise ValueError(f"{data_dir} has no val split")
    model = face_model(model_path)
    print(f"Scoring {len(records)} val faces with {model_path.name}...", file=sys.stderr)
    probabilities = np.stack([model({"face": face_input(record_gray(r))}) for r in records])
    return probabilities, np.array([EMOTIONS.index(r.label) for r in records])


def calibrate_face(data_dir: Path, models_dir: Path | None = None) -> dict[str, Any]:
    """Fit the served face model's temperature on `data_dir`'s val split (FER2013 layout) and
    write it, with its report, into the face metrics file. Returns the report."""
    files = model_files("face", models_dir)
    probabilities, labels = val_probabilities(data_dir, files.litert)
    report = {
        "data": f"{display_path(data_dir)} (val)",
        **calibration_report(probabilities, labels),
    }
    write_calibration(files, report)
    return report


VAL_SUBJECTS = "the validation subjects of every face dataset"


def served_calibration(
    probabilities: np.ndarray, labels: np.ndarray, unseen: dict[str, Any] | None
) -> dict[str, Any]:
    """The served face model's calibration, with its figures on these validation faces: the
    temperature leave-one-dataset-out fitted for faces from sources never trained on (`unseen`,
    the `calibration` of `evaluate face --lodo`) when there is one, else one fitted on them."""
    if unseen is None:
        return {"data": VAL_SUBJECTS, **calibration_report(probabilities, labels)}
    return {
        "data": unseen["data"],
        "figures_on": VAL_SUBJECTS,
        **calibration_report(probabilities, labels, unseen["temperature"]),
    }


def calibrate_for_unseen(
    faces: DomainFaces, files: ModelFiles, unseen: dict[str, Any]
) -> dict[str, Any]:
    """Give the served face model the temperature for faces from sources never trained on, and
    write it with its figures on every dataset's validation subjects into its metrics file."""
    val = faces.found & (faces.splits == "val")
    model = keras().models.load_model(files.keras)
    report = served_calibration(
        face_probabilities(model, faces.pixels[val]), faces.labels[val], unseen
    )
    write_calibration(files, report)
    return report
