"""Face detection on real photos: detection rate, extra boxes, and time per 640x480 frame.

Every photo in JAFFE, Yale faces and the facial_expressions sample (../shared/data) shows one
face, so a photo with no box is a miss and every box beyond the first is a false detection.
Run with `make bench`.
"""

from __future__ import annotations

import statistics
import time

import cv2
import numpy as np

from emotion.datasets import load_records
from emotion.face.detection import DETECTORS, Detector, detect_faces
from emotion.face.images import load_image
from emotion.paths import data_root

PHOTO_SETS = ("jaffe", "yalefaces", "facial_expressions")


def detection_rates(detector: Detector) -> None:
    """One line per dataset: photos, found, missed, extra boxes, median ms per photo."""
    for name in PHOTO_SETS:
        root = data_root() / name
        if not root.is_dir():
            print(f"{name:<20} not found under {data_root()}")
            continue
        paths = sorted({r.path for r in load_records(name, root, include_dropped=True)})
        found = extra = 0
        times = []
        for path in paths:
            image = load_image(path)
            start = time.perf_counter()
            boxes = detect_faces(image, detector)
            times.append((time.perf_counter() - start) * 1000)
            found += bool(boxes)
            extra += max(len(boxes) - 1, 0)
        print(
            f"{detector:<5} {name:<19} photos {len(paths):4d}  found {found / len(paths):6.1%}  "
            f"missed {len(paths) - found:3d}  extra boxes {extra:3d}  "
            f"median {statistics.median(times):5.1f} ms/photo"
        )


def frame_time(detector: Detector) -> None:
    """Median ms to detect in a 640x480 frame holding one face (a JAFFE photo, 256 px)."""
    frame = np.full((480, 640, 3), 128, np.uint8)
    jaffe = sorted((data_root() / "jaffe").glob("*.tiff"))
    if jaffe:
        frame[100:356, 200:456] = load_image(jaffe[0])
    else:
        cv2.circle(frame, (320, 240), 100, (200, 180, 160), -1)
    times = []
    for _ in range(100):
        start = time.perf_counter()
        detect_faces(frame, detector, thorough=False)
        times.append((time.perf_counter() - start) * 1000)
    print(f"{detector:<5} 640x480 frame, one face: {statistics.median(times):.2f} ms median")


if __name__ == "__main__":
    for detector in DETECTORS:
        detection_rates(detector)
        frame_time(detector)
