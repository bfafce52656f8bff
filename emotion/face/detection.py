"""Finding faces in a photo or frame: OpenCV's Haar cascade (the seed's detector, default) or
dlib's HOG + linear SVM detector (`detector="hog"`, fewer false detections).

Both ship their trained weights inside their packages (opencv-python-headless, dlib-bin): nothing
is downloaded. Detection runs on a copy scaled so that its longer side is at most 320 px (a
640x480 frame is halved: ~4x fewer pixels to scan) and at least 200 px (a small image holding
one face is enlarged until the face reaches the detector's window). HOG scans that copy
upsampled once (its window is 80 px). Boxes come back in the original image's pixels, clipped
to it, largest face first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal

import cv2
import dlib
import numpy as np

from emotion.face.preprocess import to_gray

Detector = Literal["haar", "hog"]
DETECTORS: tuple[Detector, ...] = ("haar", "hog")
HAAR_FILE = "haarcascade_frontalface_default.xml"
HAAR_MIN_NEIGHBORS = 5
HAAR_SCALE_FACTORS = {True: 1.1, False: 1.2}  # thorough (photos) / live frames
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


@functools.cache
def hog_detector() -> Any:
    """dlib's frontal-face HOG detector (its SVM weights are compiled into dlib), built once."""
    return dlib.get_frontal_face_detector()


def raw_boxes(
    gray: np.ndarray, detector: Detector, thorough: bool
) -> list[tuple[int, int, int, int]]:
    """(x, y, width, height) of the faces one detector finds in a uint8 gray image.

    The cascade scans scales 1.1x apart for photos, 1.2x for live frames: 7 ms instead of
    10 ms per 640x480 frame, at 86.8% instead of 90.6% found on facial_expressions
    (`make bench`).
    """
    if detector == "hog":
        return [(r.left(), r.top(), r.width(), r.height()) for r in hog_detector()(gray, 1)]
    found = haar_cascade().detectMultiScale(
        cv2.equalizeHist(gray),
        scaleFactor=HAAR_SCALE_FACTORS[thorough],
        minNeighbors=HAAR_MIN_NEIGHBORS,
        minSize=(24, 24),
    )
    return [tuple(int(v) for v in box) for box in found] if len(found) else []


def detection_scale(height: int, width: int) -> float:
    """The factor the image is resized by before detection (see the module's docstring)."""
    longest = max(height, width)
    if longest > DETECT_MAX_SIDE:
        return DETECT_MAX_SIDE / longest
    if longest < DETECT_MIN_SIDE:
        return DETECT_MIN_SIDE / longest
    return 1.0


def detect_faces(
    image: np.ndarray, detector: Detector = "haar", thorough: bool = True
) -> list[Box]:
    """Boxes of the frontal faces in an RGB, RGBA or gray image, largest first.

    `thorough` (photos; live frames pass False): when nothing is found, look again at full
    resolution, where faces under ~50 px in a 640x480 photo can still be found, then on the
    image with a replicated border, for a face that fills the whole photo (the cascade needs
    some margin: on the facial_expressions sample this finds 126 of the 184 faces missed).
    """
    gray = to_gray(image)
    scale = detection_scale(*gray.shape[:2])
    boxes = detect_at_scale(gray, scale, detector, thorough)
    if not boxes and thorough and scale < 1:
        boxes = detect_at_scale(gray, 1.0, detector, thorough)
    if not boxes and thorough:
        margin = max(gray.shape[:2]) // 4
        padded = cv2.copyMakeBorder(gray, *[margin] * 4, cv2.BORDER_REPLICATE)
        found = detect_at_scale(padded, detection_scale(*padded.shape[:2]), detector, thorough)
        boxes = [clipped(box, -margin, -margin, gray.shape[:2]) for box in found]
    return sorted(boxes, key=lambda box: box.area, reverse=True)


def clipped(box: Box, dx: int, dy: int, shape: tuple[int, int]) -> Box:
    """`box` moved by (dx, dy) and clipped to an image of `shape` (height, width)."""
    left, top = max(box.x + dx, 0), max(box.y + dy, 0)
    right = min(box.x + dx + box.width, shape[1])
    bottom = min(box.y + dy + box.height, shape[0])
    return Box(left, top, max(right - left, 1), max(bottom - top, 1))


def detect_at_scale(
    gray: np.ndarray, scale: float, detector: Detector, thorough: bool = True
) -> list[Box]:
    """One detector on `gray` resized by `scale`, boxes mapped back to (and clipped to) `gray`."""
    resized = cv2.resize(
        gray,
        (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale))),
        interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
    )
    return [
        clipped(
            Box(round(x / scale), round(y / scale), round(w / scale), round(h / scale)),
            0,
            0,
            gray.shape[:2],
        )
        for x, y, w, h in raw_boxes(resized, detector, thorough)
    ]
