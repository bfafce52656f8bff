"""`analyze_image`: every face in a photo or frame, with its box and seven probabilities."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from emotion.face.detection import Box, Detector, detect_faces
from emotion.face.images import load_image
from emotion.face.preprocess import crop, face_input, to_gray
from emotion.labels import as_probabilities, top_emotion
from emotion.litert import LiteRTModel
from emotion.model_files import require_litert


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


def classify_face(gray_face: np.ndarray, model: LiteRTModel | None = None) -> dict[str, float]:
    """Probabilities for one grayscale face crop of any size."""
    probabilities = (model or face_model())({"face": face_input(gray_face)})
    return as_probabilities(probabilities)


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
