"""Training-time changes to a face that keep its expression: mirror, small rotation, zoom,
shift, brightness and contrast, and a hidden patch (random erasing: the expression must be read
from the rest of the face, as with a hand, glasses or a shadow in the way); and changes that
move a face between cameras (`domain_shift`): lower resolution, JPEG compression, blur,
gamma and light from one side, so that a webcam frame, a studio photo and a small grey web crop
look alike to the model.

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


def random_resolution(face: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The face shrunk to 12-40 px and enlarged back: a small or distant face."""
    side = int(rng.integers(12, 41))
    small = cv2.resize(face, (side, side), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (FACE_SIZE, FACE_SIZE), interpolation=cv2.INTER_LINEAR)


def random_jpeg(face: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The face saved as a JPEG of quality 20-90 and decoded again."""
    quality = int(rng.integers(20, 91))
    _, encoded = cv2.imencode(".jpg", face, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE)


def random_blur(face: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gaussian blur of sigma 0.5-1.3 px: out of focus or moving."""
    return cv2.GaussianBlur(face, (0, 0), rng.uniform(0.5, 1.3))


def random_light(face: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gamma 0.6-1.6 (under- or over-exposed) and light falling from one side (a ramp of up to
    +-30 levels across the face, in a random direction)."""
    levels = 255.0 * (face / 255.0) ** rng.uniform(0.6, 1.6)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (
        np.cos(angle) * np.linspace(-1, 1, FACE_SIZE)[np.newaxis, :]
        + np.sin(angle) * np.linspace(-1, 1, FACE_SIZE)[:, np.newaxis]
    )
    return np.clip(levels + rng.uniform(0, 30) * ramp, 0, 255).astype(np.uint8)


DOMAIN_CHANGES = (
    (random_resolution, 0.3),
    (random_jpeg, 0.3),
    (random_blur, 0.2),
    (random_light, 0.4),
)
"""Each change of `domain_shift` with its chance."""


def domain_shift(face: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each change of DOMAIN_CHANGES applied with its chance, in turn."""
    for change, chance in DOMAIN_CHANGES:
        if rng.random() < chance:
            face = change(face, rng)
    return face


def augmented(face: np.ndarray, rng: np.random.Generator, domains: bool = False) -> np.ndarray:
    """Every training-time change above, in turn (the camera changes of `domain_shift` first,
    when `domains` is set)."""
    if domains:
        face = domain_shift(face, rng)
    return random_erasing(random_lighting(random_affine(face, rng), rng), rng)
