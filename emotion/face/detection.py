"""Finding faces in a photo or frame: OpenCV's Haar cascade (the seed's detector).

The cascade runs on a copy scaled so that its longer side is at most 320 px (a 640x480 frame is
halved: ~4x fewer pixels to scan) and at least 200 px (a small image holding one face is
enlarged until the face reaches the cascade's 24 px window), with histogram equalisation.
Boxes come back in the original image's pixels, largest face first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np

from emotion.face.preprocess import to_gray

HAAR_FILE = "haarcascade_frontalface_default.xml"
DETECT_MAX_SIDE = 320
DETECT_MIN_SIDE = 200


@dataclass(frozen=True)
class Box:
    """A face's box in image pixels: left, top, width, height."""

    x: int
    y: int
    width: int
    height: int

    @property
    def area(self) -> int:
        """Width times height, in pixels."""
        return self.width * self.height

    def as_tuple(self) -> tuple[int, int, int, int]:
        """(x, y, width, height)."""
        return (self.x, self.y, self.width, self.height)


@functools.cache
def haar_cascade() -> cv2.CascadeClassifier:
    """The frontal-face cascade shipped inside the opencv package, loaded once."""
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + HAAR_FILE)
    if cascade.empty():
        raise RuntimeError(f"OpenCV's {HAAR_FILE} could not be loaded")
    return cascade


def detection_scale(height: int, width: int) -> float:
    """The factor the image is resized by before detection (see the module's docstring)."""
    longest = max(height, width)
    if longest > DETECT_MAX_SIDE:
        return DETECT_MAX_SIDE / longest
    if longest < DETECT_MIN_SIDE:
        return DETECT_MIN_SIDE / longest
    return 1.0


def detect_faces(image: np.ndarray, min_neighbors: int = 5, thorough: bool = True) -> list[Box]:
    """Boxes of the frontal faces in an RGB, RGBA or gray image, largest first.

    `thorough`: when nothing is found on the reduced copy, look again at full resolution, where
    faces under ~50 px in a 640x480 photo can still be found (live frames pass False).
    """
    gray = to_gray(image)
    scale = detection_scale(*gray.shape[:2])
    boxes = detect_at_scale(gray, scale, min_neighbors)
    if not boxes and thorough and scale < 1:
        boxes = detect_at_scale(gray, 1.0, min_neighbors)
    return sorted(boxes, key=lambda box: box.area, reverse=True)


def detect_at_scale(gray: np.ndarray, scale: float, min_neighbors: int) -> list[Box]:
    """Haar cascade on `gray` resized by `scale`, boxes mapped back to `gray`'s pixels."""
    resized = cv2.resize(
        gray,
        (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale))),
        interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
    )
    found = haar_cascade().detectMultiScale(
        cv2.equalizeHist(resized), scaleFactor=1.1, minNeighbors=min_neighbors, minSize=(24, 24)
    )
    return [
        Box(round(x / scale), round(y / scale), round(w / scale), round(h / scale))
        for x, y, w, h in (found if len(found) else [])
    ]
