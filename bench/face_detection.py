"""Face detection on real photos: detection rate, extra boxes, and time per 640x480 frame.

Every photo in JAFFE, Yale faces and the facial_expressions sample (../shared/data) shows one
face, so a photo with no box is a miss and every box beyond the first is a false detection. For
the cascade, also how many of the faces it found the HOG detector confirms (see
`confirmed_faces`).
Run with `make bench`.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from emotion.datasets import load_records
from emotion.face.detection import DETECTORS, Detector, confirmed_by_hog, detect_faces
from emotion.face.images import load_image
from emotion.face.preprocess import to_gray
from emotion.paths import data_root

PHOTO_SETS = ("jaffe", "yalefaces", "facial_expressions")


def detection_rates(detector: Detector) -> None:
    """One line per dataset: photos, found, missed, extra boxes, median ms per photo (and, for
    the cascade, the share of found faces HOG confirms)."""
    for name in PHOTO_SETS:
        root = data_root() / name
        if not root.is_dir():
            print(f"{name:<20} not found under {data_root()}")
            continue
        paths = sorted({r.path for r in load_records(name, root, include_dropped=True)})
        found = extra = confirmed = 0
        times = []
        for path in paths:
            image = load_image(path)
            start = time.perf_counter()
            boxes = detect_faces(image, detector)
            times.append((time.perf_counter() - start) * 1000)
            found += bool(boxes)
            extra += max(len(boxes) - 1, 0)
            if boxes and detector == "haar":
                confirmed += confirmed_by_hog(to_gray(image), boxes[0])
        checked = f"  HOG confirms {confirmed / max(found, 1):6.1%}" if detector == "haar" else ""
        print(
            f"{detector:<5} {name:<19} photos {len(paths):4d}  found {found / len(paths):6.1%}  "
            f"missed {len(paths) - found:3d}  extra boxes {extra:3d}  "
            f"median {statistics.median(times):5.1f} ms/photo{checked}"
        )


def frame_time(detector: Detector) -> None:
    """Median ms to detect in a 640x480 frame holding one face (a JAFFE photo, 256 px), and one
    holding two (where the cascade's boxes are each checked by HOG)."""
    frame = np.full((480, 640, 3), 128, np.uint8)
    jaffe = sorted((data_root() / "jaffe").glob("*.tiff"))
    if not jaffe:
        print(f"{detector:<5} frame timing needs JAFFE under {data_root()}")
        return
    face = load_image(jaffe[0])
    frame[100:356, 20:276] = face
    two = frame.copy()
    two[100:356, 364:620] = face
    for name, image in (("one face", frame), ("two faces", two)):
        times = []
        for _ in range(100):
            start = time.perf_counter()
            detect_faces(image, detector, thorough=False)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{detector:<5} 640x480 frame, {name}: {statistics.median(times):.2f} ms median")


if __name__ == "__main__":
    for detector in DETECTORS:
        detection_rates(detector)
        frame_time(detector)
