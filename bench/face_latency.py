"""Face serving latency: the classifier alone, and decode -> detect -> classify on a frame;
then, for comparison, the base network alone (trained on FER2013 only; the served model
averages it with the network trained on every dataset).

The frame is 640x480 with one real face (a JAFFE photo, 256 px) when ../shared/data is there.
Run with `make bench`.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from emotion.backend import keras
from emotion.face.analysis import analyze_image, analyze_image_file, face_model
from emotion.face.architectures import with_flip_average
from emotion.face.detection import detect_faces
from emotion.face.images import load_image
from emotion.litert import LiteRTModel, export_litert
from emotion.model_files import model_files
from emotion.paths import data_root

JAFFE = data_root() / "jaffe" / "KA.AN1.39.tiff"


def timings_ms(action: Callable[[], object], runs: int) -> list[float]:
    """Wall-clock milliseconds of `runs` calls, after five warm-up calls."""
    for _ in range(5):
        action()
    measured = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        measured.append((time.perf_counter() - start) * 1000)
    return measured


def line(name: str, values: list[float]) -> str:
    """One row: median and 90th percentile."""
    p90 = statistics.quantiles(values, n=10)[-1]
    return f"{name:<44} median {statistics.median(values):6.2f} ms   p90 {p90:6.2f} ms"


def main() -> None:
    """Measure and print."""
    model = face_model()
    frame = np.full((480, 640, 3), 128, np.uint8)
    if JAFFE.is_file():
        frame[100:356, 200:456] = load_image(JAFFE)
    buffer = io.BytesIO()
    Image.fromarray(frame).save(buffer, format="JPEG", quality=90)
    jpeg = buffer.getvalue()
    faces = len(analyze_image(frame))
    face = np.random.default_rng(0).random((48, 48), dtype=np.float32)
    print(f"Face model {model.path.name}; frame 640x480 with {faces} face(s) found")
    rows = {
        "classifier (LiteRT, one 48x48 face)": (lambda: model({"face": face}), 1000),
        "detect (Haar, live-frame setting)": (lambda: detect_faces(frame, thorough=False), 200),
        "detect + classify (RGB frame, live setting)": (
            lambda: analyze_image(frame, thorough=False),
            200,
        ),
        "JPEG decode + detect + classify (live setting)": (
            lambda: analyze_image(load_image(jpeg), thorough=False),
            200,
        ),
        "JPEG decode + detect + classify (photo)": (lambda: analyze_image_file(jpeg), 200),
    }
    for name, (action, runs) in rows.items():
        print(line(name, timings_ms(action, runs)))
    base = model_files("face").base
    if base.is_file():
        network = with_flip_average(keras().models.load_model(base))
        with tempfile.TemporaryDirectory() as folder:
            export_litert(network, Path(folder) / "base.tflite", quantize=True)
            alone = LiteRTModel(Path(folder) / "base.tflite")
            print(
                line(
                    "for comparison: the base network alone (+ mirror)",
                    timings_ms(lambda: alone({"face": face}), 1000),
                )
            )


if __name__ == "__main__":
    main()
