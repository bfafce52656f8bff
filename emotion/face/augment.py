"""Training-time changes to a face that keep its expression: mirror, small rotation, zoom,
shift, brightness and contrast, and a hidden patch (random erasing: the expression must be read
from the rest of the face, as with a hand, glasses or a shadow in the way).

Pure functions of uint8 pixels and a random generator.
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


def random_lighting(face: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Contrast scaled 0.8-1.2 about the face's mean, brightness shifted +-20 levels."""
    mean = face.mean()
    changed = (face - mean) * rng.uniform(0.8, 1.2) + mean + rng.uniform(-20, 20)
    return np.clip(changed, 0, 255).astype(np.uint8)


def random_erasing(face: np.ndarray, rng: np.random.Generator, chance: float = 0.5) -> np.ndarray:
    """With `chance`, a rectangle of 2-20% of the face (aspect 0.3-3.3) replaced by noise."""
    if rng.random() >= chance:
        return face
    area = rng.uniform(0.02, 0.2) * FACE_SIZE * FACE_SIZE
    aspect = np.exp(rng.uniform(np.log(0.3), np.log(3.3)))
    height = min(FACE_SIZE, max(1, round(np.sqrt(area * aspect))))
    width = min(FACE_SIZE, max(1, round(np.sqrt(area / aspect))))
    top = int(rng.integers(0, FACE_SIZE - height + 1))
    left = int(rng.integers(0, FACE_SIZE - width + 1))
    erased = face.copy()
    erased[top : top + height, left : left + width] = rng.integers(0, 256, (height, width))
    return erased


def augmented(face: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Every training-time change above, in turn."""
    return random_erasing(random_lighting(random_affine(face, rng), rng), rng)
