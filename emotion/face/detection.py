"""Finding faces in a photo or frame: OpenCV's Haar cascade (the seed's detector, default) or
dlib's HOG + linear SVM detector (`detector="hog"`, fewer false detections).

Both ship their trained weights inside their packages (opencv-python-headless, dlib-bin): nothing
is downloaded. Neither detector object may scan two images at once (OpenCV's cascade keeps
per-scan buffers), so each thread builds its own, once: users of the app never share one, and a
scan that fails drops only that thread's detector.

Detection runs on a copy scaled so that its longer side is at most 320 px (a 640x480 frame is
halved: ~4x fewer pixels to scan) and at least 200 px (a small image holding one face is
enlarged until the face reaches the detector's window). HOG scans that copy
upsampled once (its window is 80 px). Boxes come back in the original image's pixels, clipped
to it, one per face (a box mostly inside a larger one is dropped), largest first. When the
cascade finds several faces, each is checked by the HOG detector on a crop around it: boxes it
does not confirm (a chin and collar, a patterned shirt) are dropped if it confirms another.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import cv2
import dlib
import numpy as np

from emotion.face.errors import ImageError
from emotion.face.preprocess import resized, to_gray

Detector = Literal["haar", "hog"]
DETECTORS: tuple[Detector, ...] = ("haar", "hog")
HAAR_FILE = "haarcascade_frontalface_default.xml"
HAAR_MIN_NEIGHBORS = 5
HAAR_SCALE_FACTORS = {True: 1.1, False: 1.2}  # thorough (photos) / live frames
DETECT_MAX_SIDE = 320
DETECT_MIN_SIDE = 200
RETRY_MAX_SIDE = 1280
MAX_OVERLAP = 0.5
CONFIRM_SIDE = 160
CONFIRM_THRESHOLD = -0.5


@dataclass(frozen=True)
class Box:
    """A face's box in image pixels: left, top, width, height, and the detector's score (Haar:
    the cascade's level weight; HOG: the SVM margin), higher for a surer face."""

    x: int
    y: int
    width: int
    height: int
    score: float = 0.0

    @property
    def area(self) -> int:
        """Width times height, in pixels."""
        return self.width * self.height

    def as_tuple(self) -> tuple[int, int, int, int]:
        """(x, y, width, height)."""
        return (self.x, self.y, self.width, self.height)


_per_thread = threading.local()


def load_haar() -> cv2.CascadeClassifier:
    """The frontal-face cascade shipped inside the opencv package."""
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + HAAR_FILE)
    if cascade.empty():
        raise RuntimeError(f"OpenCV's {HAAR_FILE} could not be loaded")
    return cascade


DETECTOR_FACTORIES = {"haar": load_haar, "hog": dlib.get_frontal_face_detector}


def thread_detector(detector: Detector) -> Any:
    """This thread's own `detector`, built on its first use in the thread."""
    built = _per_thread.__dict__.get(detector)
    if built is None:
        built = _per_thread.__dict__[detector] = DETECTOR_FACTORIES[detector]()
    return built


@contextmanager
def scanning(detector: Detector) -> Iterator[Any]:
    """This thread's `detector` for one scan; a scan that fails drops it (the next scan builds
    a fresh one) and becomes an ImageError with a message for the user."""
    try:
        yield thread_detector(detector)
    except (cv2.error, MemoryError, RuntimeError) as error:
        _per_thread.__dict__.pop(detector, None)
        raise ImageError("The face detector could not scan this image.") from error


def raw_boxes(gray: np.ndarray, detector: Detector, thorough: bool) -> list[Box]:
    """The faces one detector finds in a uint8 gray image, with their scores.

    The cascade scans scales 1.1x apart for photos, 1.2x for live frames: 7 ms instead of
    10 ms per 640x480 frame, at 86.8% instead of 90.6% found on facial_expressions
    (`make bench`).
    """
    with scanning(detector) as scanner:
        if detector == "hog":
            rects, scores, _ = scanner.run(gray, 1, 0.0)
            found = [(r.left(), r.top(), r.width(), r.height()) for r in rects]
        else:
            found, _, scores = scanner.detectMultiScale3(
                cv2.equalizeHist(gray),
                scaleFactor=HAAR_SCALE_FACTORS[thorough],
                minNeighbors=HAAR_MIN_NEIGHBORS,
                minSize=(24, 24),
                outputRejectLevels=True,
            )
    return [
        Box(*(int(v) for v in box), score=round(float(score), 4))
        for box, score in zip(found, np.ravel(scores), strict=True)
    ]


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
    """Boxes of the frontal faces in an RGB, RGBA or gray image, largest first, one per face.

    `thorough` (photos; live frames pass False): when nothing is found, look again at a larger
    scale (up to 1280 px), where faces under ~50 px in a 640x480 photo can still be found, then
    on the scaled copy with a replicated border, for a face that fills the whole photo (the
    cascade needs some margin: on the facial_expressions sample this finds 126 of the 184
    faces missed). Memory and time stay bounded by those sizes whatever the image's.
    """
    gray = to_gray(image)
    scale = detection_scale(*gray.shape[:2])
    boxes = detect_at_scale(gray, scale, detector, thorough)
    larger = min(1.0, RETRY_MAX_SIDE / max(gray.shape[:2]))
    if not boxes and thorough and scale < larger:
        boxes = detect_at_scale(gray, larger, detector, thorough)
    if not boxes and thorough:
        small = resized(gray, scale)
        margin = max(small.shape[:2]) // 4
        padded = cv2.copyMakeBorder(small, *[margin] * 4, cv2.BORDER_REPLICATE)
        found = detect_at_scale(padded, detection_scale(*padded.shape), detector, thorough)
        boxes = [
            clipped(
                scaled(clipped(box, -margin, -margin, small.shape[:2]), 1 / scale),
                0,
                0,
                gray.shape[:2],
            )
            for box in found
        ]
    boxes = one_box_per_face(boxes)
    return confirmed_faces(gray, boxes) if detector == "haar" else boxes


def overlap(a: Box, b: Box) -> float:
    """The share of the smaller box that lies inside the other (1: one holds the other)."""
    width = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
    height = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    return max(width, 0) * max(height, 0) / min(a.area, b.area)


def one_box_per_face(boxes: list[Box]) -> list[Box]:
    """`boxes` largest first, leaving out any box mostly (over half) inside a larger one: a
    detector's second box on a face (an eye, a cheek, the lower half) is part of that face.

    The larger box is kept whatever the scores: on the 12 facial_expressions photos (one face
    each) where Haar gives two such boxes, the larger is the face every time, while the higher
    score would pick the part in 3 of them."""
    kept: list[Box] = []
    for box in sorted(boxes, key=lambda box: box.area, reverse=True):
        if all(overlap(box, other) <= MAX_OVERLAP for other in kept):
            kept.append(box)
    return kept


def confirmed_by_hog(gray: np.ndarray, box: Box) -> bool:
    """Whether dlib's HOG detector finds a face on `box`: it scans a crop around the box (half
    a box of margin, scaled to CONFIRM_SIDE px) with a low threshold, and its face must lie
    mostly inside the box (`bench/face_detection.py` times a frame with two faces)."""
    margin = box.width // 2
    left, top = max(box.x - margin, 0), max(box.y - margin, 0)
    crop = gray[top : box.y + box.height + margin, left : box.x + box.width + margin]
    factor = CONFIRM_SIDE / max(crop.shape[:2])
    target = scaled(clipped(box, -left, -top, crop.shape[:2]), factor)
    with scanning("hog") as hog:
        rects, _, _ = hog.run(resized(crop, factor), 0, CONFIRM_THRESHOLD)
    return any(
        overlap(target, Box(r.left(), r.top(), r.width(), r.height())) > MAX_OVERLAP for r in rects
    )


def confirmed_faces(gray: np.ndarray, boxes: list[Box]) -> list[Box]:
    """`boxes` without those the HOG detector does not confirm, when it confirms at least one.

    A lone box is kept as it is (HOG does not confirm 7% of the faces the cascade finds on the
    facial_expressions photos of `bench/face_detection.py`); of several, a false one must not
    become the main face.
    On JAFFE the cascade's three extra boxes (on shoulders and hair) are all unconfirmed while
    the faces beside them are confirmed."""
    if len(boxes) < 2:
        return boxes
    confirmed = [box for box in boxes if confirmed_by_hog(gray, box)]
    return confirmed or boxes


def clipped(box: Box, dx: int, dy: int, shape: tuple[int, int]) -> Box:
    """`box` moved by (dx, dy) and clipped to an image of `shape` (height, width)."""
    left, top = max(box.x + dx, 0), max(box.y + dy, 0)
    right = min(box.x + dx + box.width, shape[1])
    bottom = min(box.y + dy + box.height, shape[0])
    return Box(left, top, max(right - left, 1), max(bottom - top, 1), box.score)


def scaled(box: Box, factor: float) -> Box:
    """`box` with every coordinate multiplied by `factor`, rounded."""
    return Box(*(round(value * factor) for value in box.as_tuple()), score=box.score)


def detect_at_scale(
    gray: np.ndarray, scale: float, detector: Detector, thorough: bool = True
) -> list[Box]:
    """One detector on `gray` resized by `scale`, boxes mapped back to (and clipped to) `gray`."""
    return [
        clipped(scaled(box, 1 / scale), 0, 0, gray.shape[:2])
        for box in raw_boxes(resized(gray, scale), detector, thorough)
    ]
