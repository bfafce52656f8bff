"""The seed's face preprocessing, identical in training and serving: crop, grayscale, resize,
scale to [0, 1]."""

from __future__ import annotations

import cv2
import numpy as np

FACE_SIZE = 48


def to_gray(image: np.ndarray) -> np.ndarray:
    """uint8 grayscale of an RGB, RGBA or already gray array (ITU-R BT.601 luma)."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def resized(pixels: np.ndarray, scale: float) -> np.ndarray:
    """`pixels` (gray or colour) resized by `scale`, at least 1 px a side (area averaging when
    shrinking)."""
    if scale == 1:
        return pixels
    return cv2.resize(
        pixels,
        (max(1, round(pixels.shape[1] * scale)), max(1, round(pixels.shape[0] * scale))),
        interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
    )


def crop(gray: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The (x, y, width, height) box of the image, clipped to its borders."""
    x, y, width, height = box
    top, left = max(y, 0), max(x, 0)
    return gray[top : max(y + height, top + 1), left : max(x + width, left + 1)]


def face_input(gray_face: np.ndarray) -> np.ndarray:
    """A (48, 48) float32 array in [0, 1] from a grayscale face crop of any size."""
    if gray_face.shape != (FACE_SIZE, FACE_SIZE):
        shrinking = gray_face.shape[0] > FACE_SIZE
        interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
        gray_face = cv2.resize(gray_face, (FACE_SIZE, FACE_SIZE), interpolation=interpolation)
    return gray_face.astype(np.float32) / 255.0
