"""The committed face model: its metrics file keeps the contract, its export agrees with Keras."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from emotion.backend import keras
from emotion.calibration import apply_temperature
from emotion.datasets import load_records
from emotion.face.analysis import analyze_image_file, classify_face, face_model, face_temperature
from emotion.face.dataset import record_pixels
from emotion.face.preprocess import face_input
from emotion.labels import EMOTIONS
from emotion.model_files import model_files

FILES = model_files("face")
pytestmark = pytest.mark.skipif(not FILES.servable, reason="no committed face model")


def test_metrics_file_reports_the_served_model_and_its_recipe_on_unseen_datasets() -> None:
    metrics = json.loads(FILES.metrics.read_text())
    chosen, models = metrics["chosen"], metrics["models"]
    for key in ("accuracy", "macro_f1", "n", "per_class_recall", "confusion"):
        assert metrics[key] == models[chosen]["val"][key]  # FER2013 val, the headline
    assert metrics["n"] == 3589 and metrics["litert_val_agreement"] >= 0.995
    datasets = set(metrics["data"])
    assert set(models[chosen]["val of each dataset"]) == datasets
    assert "fer2013" in datasets and "london_faces" in datasets
    served = metrics["lodo"]["served"]
    assert set(served["domains"]) == datasets  # every dataset scored by a model without it
    accuracies = [row["accuracy"] for row in served["domains"].values()]
    assert served["mean_accuracy"] == pytest.approx(np.mean(accuracies))
    assert served["settings"]["base_weight"] == metrics["settings"]["base_weight"]


def test_export_agrees_with_keras_on_fer2013_val(shared_data: Path) -> None:
    records = [r for r in load_records("fer2013", shared_data / "fer2013") if r.split == "val"]
    faces = np.stack([record_pixels(r) for r in records]).astype(np.float32) / 255
    original = keras().models.load_model(FILES.keras).predict(faces, verbose=0)
    served = face_model()
    exported = np.stack([served({"face": face}) for face in faces])
    agreement = np.mean(exported.argmax(axis=1) == original.argmax(axis=1))
    assert len(records) == 3589 and agreement >= 0.995
    np.testing.assert_allclose(exported, original, atol=0.02)  # int8 weights (dynamic range)


def test_a_real_photo_gets_one_face_with_seven_probabilities(shared_data: Path) -> None:
    (face,) = analyze_image_file(shared_data / "yalefaces" / "subject01.happy")
    assert list(face.probabilities) == list(EMOTIONS)
    assert sum(face.probabilities.values()) == pytest.approx(1.0, abs=1e-4)


def test_served_face_probabilities_are_calibrated_by_the_committed_temperature(
    face_photo: np.ndarray,
) -> None:
    metrics = json.loads(FILES.metrics.read_text())
    calibration = metrics["calibration"]
    assert face_temperature() == calibration["temperature"]
    # fitted for faces from sources never trained on, and still honest on the known ones
    assert calibration["temperature"] == metrics["lodo"]["served"]["calibration"]["temperature"]
    assert calibration["ece_after"] <= 0.08
    assert calibration["n"] == sum(row["val"] for row in metrics["data"].values())
    raw = face_model()({"face": face_input(face_photo)})
    served = classify_face(face_photo)
    expected = apply_temperature(raw, calibration["temperature"])
    assert [served[e] for e in EMOTIONS] == pytest.approx(list(expected), abs=1e-6)
    assert [served[e] for e in EMOTIONS] != pytest.approx(list(raw), abs=1e-4)
