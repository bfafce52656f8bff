"""Training-time changes to a face that keep its expression: mirror, small rotation, zoom, shift.

Pure functions of the pixels and a random generator.
"""

from __future__ import annotations

import cv2
import numpy as np

from emotion.face.preprocess import FACE_SIZE


def random_affine(face: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The face mirrored half the time, rotated +-10 degrees, zoomed 0.9-1.1, shifted +-4 px."""
    if rng.random() < 0.5:
        face = face[:, ::-1]
    centre = (FACE_SIZE / 2 - 0.5, FACE_SIZE / 2 - 0.5)
    matrix = cv2.getRotationMatrix2D(centre, rng.uniform(-10, 10), rng.uniform(0.9, 1.1))
    matrix[:, 2] += rng.uniform(-4, 4, 2)
    return cv2.warpAffine(
        np.ascontiguousarray(face),
        matrix,
        (FACE_SIZE, FACE_SIZE),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REFLECT_101,
    )
