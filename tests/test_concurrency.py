"""Several users at once: every result computed in parallel threads equals the serial one (faces,
and voices through the shared speech encoder and models), and a scan that fails leaves the
detector working for everyone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from media import voice_like

from emotion.face.analysis import analyze_image
from emotion.face.detection import DETECTORS, detect_faces, raw_boxes
from emotion.face.errors import ImageError
from emotion.face.images import load_image
from emotion.paths import data_root
from emotion.voice import analyze_audio

THREADS = 6


@pytest.fixture(scope="module")
def photos() -> list[np.ndarray]:
    folder = data_root() / "facial_expressions" / "images"
    if not folder.is_dir():
        pytest.skip(f"real photos not found at {folder}")
    return [load_image(path) for path in sorted(folder.iterdir())[:30]]


@pytest.mark.parametrize("detector", DETECTORS)
def test_parallel_detection_equals_serial(photos: list[np.ndarray], detector: str) -> None:
    serial = [detect_faces(photo, detector) for photo in photos]
    assert sum(map(len, serial)) >= len(photos) // 2
    jobs = photos * 3
    with ThreadPoolExecutor(THREADS) as pool:
        parallel = list(pool.map(lambda photo: detect_faces(photo, detector), jobs))
    assert parallel == serial * 3


def test_parallel_analysis_equals_serial(photos: list[np.ndarray]) -> None:
    serial = [analyze_image(photo) for photo in photos]
    with ThreadPoolExecutor(THREADS) as pool:
        parallel = list(pool.map(analyze_image, photos * 2))
    assert parallel == serial * 2


def test_a_failed_scan_does_not_change_later_results(photos: list[np.ndarray]) -> None:
    expected = detect_faces(photos[0])
    with pytest.raises(ImageError, match="could not scan"):
        raw_boxes(np.zeros((40, 40), np.float64), "haar", True)
    assert detect_faces(photos[0]) == expected


def test_parallel_voice_analysis_equals_serial() -> None:
    clips = [voice_like(2.0, f0=f0) for f0 in range(100, 340, 20)]

    def judged(samples: np.ndarray) -> dict[str, float]:
        return analyze_audio(samples, 16000).probabilities

    serial = [judged(clip) for clip in clips]
    assert len({max(result, key=result.get) for result in serial}) > 1
    with ThreadPoolExecutor(THREADS) as pool:
        parallel = list(pool.map(judged, clips * 3))
    assert parallel == serial * 3
