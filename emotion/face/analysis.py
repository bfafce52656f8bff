"""`analyze_image`: every face in a photo or frame, with its box and seven probabilities."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from emotion.calibration import apply_temperature
from emotion.face.detection import Box, Detector, detect_faces
from emotion.face.images import load_image
from emotion.face.preprocess import crop, face_input, to_gray
from emotion.labels import as_probabilities, top_emotion
from emotion.litert import LiteRTModel
from emotion.model_files import model_files, require_litert


@dataclass(frozen=True)
class FaceResult:
    """One face: its box in the image and the probability of each emotion."""

    box: Box
    probabilities: dict[str, float]

    @property
    def label(self) -> str:
        """The most probable emotion."""
        return top_emotion(self.probabilities)


@functools.cache
def face_model(path: Path | None = None) -> LiteRTModel:
    """The served face model (models/face.tflite by default), loaded once."""
    return LiteRTModel(require_litert("face", path))


@functools.cache
def face_temperature() -> float:
    """The served face model's calibration temperature, from its metrics file (1: none fitted;
    see `python -m emotion calibrate face`)."""
    metrics = model_files("face").metrics
    if not metrics.is_file():
        return 1.0
    return float(json.loads(metrics.read_text()).get("calibration", {}).get("temperature", 1.0))


def classify_face(gray_face: np.ndarray, model: LiteRTModel | None = None) -> dict[str, float]:
    """Probabilities for one grayscale face crop of any size: the served model's calibrated
    ones, or `model`'s as it gives them."""
    inputs = {"face": face_input(gray_face)}
    if model is not None:
        return as_probabilities(model(inputs))
    return as_probabilities(apply_temperature(face_model()(inputs), face_temperature()))


def analyze_image(
    image: np.ndarray,
    model: LiteRTModel | None = None,
    detector: Detector = "haar",
    thorough: bool = True,
) -> list[FaceResult]:
    """Every face found in an RGB, RGBA or gray image, largest first (empty: no face found).

    `detector` and `thorough` as in `detect_faces` (live frames pass thorough=False).
    """
    gray = to_gray(image)
    return [
        FaceResult(box, classify_face(crop(gray, box.as_tuple()), model))
        for box in detect_faces(gray, detector, thorough)
    ]


def analyze_image_file(
    source: bytes | Path, model: LiteRTModel | None = None, detector: Detector = "haar"
) -> list[FaceResult]:
    """`analyze_image` of an image file or upload (JPEG, PNG, WebP, BMP, TIFF...)."""
    return analyze_image(load_image(source), model, detector)
