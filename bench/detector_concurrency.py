"""Face detection under concurrent use: photos per second when 6 threads detect at once, with each
thread's own detector (what the package does) against one shared detector behind a lock, and
whether every parallel result equals the serial one. Run with `make bench`.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from emotion.face import detection
from emotion.face.images import load_image
from emotion.paths import data_root

THREADS = 6
PHOTOS = 60
ROUNDS = 3


def one_locked_detector() -> None:
    """Make every thread share one detector per kind, each call serialised by a lock."""
    shared = {name: factory() for name, factory in detection.DETECTOR_FACTORIES.items()}
    lock = threading.Lock()

    class Locked:
        def __init__(self, detector: object) -> None:
            self.detector = detector

        def __call__(self, *args: object) -> object:
            with lock:
                return self.detector(*args)  # type: ignore[operator]

        def detectMultiScale(self, *args: object, **kwargs: object) -> object:
            with lock:
                return self.detector.detectMultiScale(*args, **kwargs)  # type: ignore[attr-defined]

    detection.thread_detector = lambda name: Locked(shared[name])


def throughput(photos: list[np.ndarray], detector: detection.Detector) -> tuple[float, bool]:
    """Photos per second over `ROUNDS` passes in `THREADS` threads, and whether all results
    equal the serial ones."""
    serial = [detection.detect_faces(photo, detector) for photo in photos]
    start = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        parallel = list(pool.map(lambda p: detection.detect_faces(p, detector), photos * ROUNDS))
    rate = len(parallel) / (time.perf_counter() - start)
    return rate, parallel == serial * ROUNDS


def main() -> None:
    """Print both figures for each detector."""
    folder = data_root() / "facial_expressions" / "images"
    photos = [load_image(path) for path in sorted(folder.iterdir())[:PHOTOS]]
    print(f"{PHOTOS} facial_expressions photos x {ROUNDS}, {THREADS} threads")
    results = {name: [throughput(photos, name)] for name in detection.DETECTORS}
    one_locked_detector()
    for name in detection.DETECTORS:
        results[name].append(throughput(photos, name))
    for name, ((own, own_ok), (locked, locked_ok)) in results.items():
        print(
            f"{name:<5} detector per thread {own:6.1f} photos/s (equal to serial: {own_ok}) · "
            f"one locked detector {locked:6.1f} photos/s (equal to serial: {locked_ok})"
        )


if __name__ == "__main__":
    main()
